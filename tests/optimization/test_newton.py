"""Proofs for docs/optimization/newton.md (snippets/optimization/newton.py)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from snippets.optimization import newton
from verified_docs.verify import assert_close, fd_jacobian, lambdify, symbolic_equal
from tests.original import ORIGINAL_GRADIENT
from tests.strategies import points_in_box

F, GRAD, HESS, (X, Y) = newton.objective()
PI = sp.pi

# The Hessian exactly as the original states it (decimals read as the exact numbers they are).
STATED_HESSIAN = sp.Matrix([
    [4 + sp.Rational(68, 100) * PI**2 * Y * sp.cos(PI * X / 5), sp.Rational(34, 10) * PI * sp.sin(PI * X / 5) - 1],
    [sp.Rational(34, 10) * PI * sp.sin(PI * X / 5) - 1, 4],
])
# The gradient displayed on the page.
DISPLAYED_GRADIENT = sp.Matrix([
    4 * X - Y + sp.Rational(34, 10) * PI * Y * sp.sin(PI * X / 5),
    4 * Y - X - 17 * sp.cos(PI * X / 5),
])


# --- symbolic -----------------------------------------------------------------------------

@pytest.mark.claim("newton.f", "symbolic")
@pytest.mark.claim("newton.hessian", "symbolic")
def test_reconstructed_f_matches_the_stated_hessian():
    assert symbolic_equal(sp.hessian(F, (X, Y)), STATED_HESSIAN)


@pytest.mark.claim("newton.f", "symbolic")
@pytest.mark.claim("newton.gradient-origin", "symbolic")
def test_reconstructed_f_matches_the_stated_gradient_at_the_origin():
    assert GRAD.subs({X: 0, Y: 0}) == sp.Matrix([0, -17])


@pytest.mark.claim("newton.gradient", "symbolic")
def test_displayed_gradient_is_the_gradient_of_f():
    assert symbolic_equal(GRAD, DISPLAYED_GRADIENT)
    assert symbolic_equal(HESS, STATED_HESSIAN)


def test_original_gradient_is_not_a_gradient_field():
    jacobian = ORIGINAL_GRADIENT.jacobian([X, Y])
    asymmetry = sp.simplify(jacobian[0, 1] - jacobian[1, 0])
    assert asymmetry == -sp.Rational(34, 10) * PI * sp.sin(PI * X / 5)
    assert asymmetry.subs(X, 1) != 0  # not symmetric, so no f has it as gradient
    # It agrees with the true gradient at the origin only: the step is unaffected.
    assert ORIGINAL_GRADIENT.subs({X: 0, Y: 0}) == GRAD.subs({X: 0, Y: 0})
    assert not symbolic_equal(ORIGINAL_GRADIENT, GRAD)


@pytest.mark.claim("newton.hessian-origin", "symbolic")
@pytest.mark.claim("newton.hessian-inverse", "symbolic")
def test_hessian_at_origin_and_its_inverse():
    h0 = HESS.subs({X: 0, Y: 0})
    assert h0 == sp.Matrix([[4, -1], [-1, 4]])
    assert h0.det() == 15
    assert h0.inv() == sp.Rational(1, 15) * sp.Matrix([[4, 1], [1, 4]])


@pytest.mark.claim("newton.step", "symbolic")
def test_exact_newton_step_from_origin():
    step = newton.newton_step(F, (X, Y), (0, 0))
    assert step == sp.Matrix([sp.Rational(17, 15), sp.Rational(68, 15)])
    # Same as the displayed product x0 - H^-1 g.
    assert step == -sp.Rational(1, 15) * sp.Matrix([[4, 1], [1, 4]]) * sp.Matrix([0, -17])


def test_exact_step_scales_with_alpha():
    half = newton.newton_step(F, (X, Y), (0, 0), alpha=sp.Rational(1, 2))
    assert half == sp.Matrix([sp.Rational(17, 30), sp.Rational(34, 15)])


def test_exact_step_refuses_a_singular_hessian():
    with pytest.raises(ValueError, match="singular"):
        newton.newton_step(X**2 * Y, (X, Y), (0, 0))


def test_exact_step_refuses_mismatched_point():
    with pytest.raises(ValueError):
        newton.newton_step(F, (X, Y), (0, 0, 0))


# --- numeric ------------------------------------------------------------------------------

f_numeric = lambdify(F, (X, Y))
grad_sympy = lambdify(GRAD, (X, Y))


@pytest.mark.claim("newton.gradient", "numeric")
@given(points_in_box(-10, 10))
def test_numpy_gradient_matches_finite_differences(p):
    assert_close(newton.gradient(p), fd_jacobian(f_numeric, p).ravel(), what="gradient vs FD of f")


@pytest.mark.claim("newton.hessian", "numeric")
@given(points_in_box(-10, 10))
def test_numpy_hessian_matches_finite_differences(p):
    assert_close(newton.hessian(p), fd_jacobian(newton.gradient, p), what="Hessian vs FD of gradient")


@given(points_in_box(-10, 10))
def test_numpy_gradient_matches_sympy(p):
    assert_close(newton.gradient(p), grad_sympy(p).ravel(), rtol=1e-12, atol=1e-12, what="numpy vs sympy")


@pytest.mark.claim("newton.f", "numeric")
@given(points_in_box(-10, 10))
def test_f_has_the_stated_hessian_numerically(p):
    stated = lambdify(STATED_HESSIAN, (X, Y))
    fd_hessian = fd_jacobian(lambda q: grad_sympy(q).ravel(), p)
    assert_close(fd_hessian, stated(p), what="FD Hessian of f vs the original's Hessian")


@pytest.mark.claim("newton.gradient-origin", "numeric")
@pytest.mark.claim("newton.hessian-origin", "numeric")
@pytest.mark.claim("newton.hessian-inverse", "numeric")
def test_numpy_values_at_the_origin():
    origin = np.zeros(2)
    assert_close(newton.gradient(origin), [0, -17], rtol=0, atol=1e-14, what="gradient at origin")
    assert_close(newton.hessian(origin), [[4, -1], [-1, 4]], rtol=0, atol=1e-14, what="Hessian at origin")
    assert_close(np.linalg.inv(newton.hessian(origin)), np.array([[4, 1], [1, 4]]) / 15, rtol=1e-14, atol=0,
                 what="inverse Hessian at origin")


@pytest.mark.claim("newton.step", "numeric")
def test_numpy_step_equals_exact_step():
    iterates = newton.newton([0.0, 0.0])
    assert_close(iterates[1], [17 / 15, 68 / 15], rtol=1e-15, atol=0, what="first Newton step")


@pytest.mark.claim("newton.limit", "symbolic")
def test_newton_limit_is_the_root_of_the_exact_gradient():
    # The limit agrees with a 30-digit sympy root of the gradient.
    root = sp.nsolve(GRAD, (X, Y), (0.13, 4.27), prec=30)
    iterates = newton.newton([0.0, 0.0])
    assert_close(iterates[-1], [float(root[0]), float(root[1])], rtol=1e-14, atol=0, what="limit")


@pytest.mark.claim("newton.limit", "numeric")
@pytest.mark.claim("newton.eigenvalues", "numeric")
def test_newton_converges_to_a_local_minimum():
    iterates = newton.newton([0.0, 0.0])
    assert len(iterates) - 1 == 8
    assert np.linalg.norm(newton.gradient(iterates[-1])) < 1e-12
    eigenvalues = np.linalg.eigvalsh(newton.hessian(iterates[-1]))
    assert_close(eigenvalues, [4.00, 32.55], rtol=0, atol=0.005, what="Hessian eigenvalues (page: 4.00, 32.55)")
    assert newton.classify(newton.hessian(iterates[-1])) == "local minimum"


@pytest.mark.claim("newton.eigenvalues", "symbolic")
def test_eigenvalues_at_the_limit_in_high_precision():
    root = sp.nsolve(GRAD, (X, Y), (0.13, 4.27), prec=30)
    at_root = HESS.subs({X: root[0], Y: root[1]})
    lam = sp.symbols("lambda")
    eigenvalues = sorted(sp.Poly(at_root.charpoly(lam).as_expr(), lam).nroots(n=30))
    assert all(e > 0 for e in eigenvalues)
    assert [round(float(e), 2) for e in eigenvalues] == [4.00, 32.55]


def test_page_overshoot_values():
    iterates = newton.newton([0.0, 0.0])
    assert round(iterates[1][1], 2) == 4.53 and round(iterates[2][1], 2) == 5.60


def test_newton_reports_non_convergence():
    with pytest.raises(RuntimeError, match="did not converge"):
        newton.newton([0.0, 0.0], max_steps=3)


@pytest.mark.parametrize(
    ("eigenvalues", "kind"),
    [((1, 2), "local minimum"), ((-1, -2), "local maximum"), ((-1, 2), "saddle point"),
     ((0, 2), "degenerate: the test is inconclusive"), ((0, -2), "degenerate: the test is inconclusive")],
)
def test_classify(eigenvalues, kind):
    rotation = np.array([[np.cos(0.3), -np.sin(0.3)], [np.sin(0.3), np.cos(0.3)]])
    assert newton.classify(rotation @ np.diag(eigenvalues) @ rotation.T) == kind


def test_contour_figure_draws_the_iterates():
    figure = newton.contour_figure()
    line = figure.axes[0].lines[0]
    assert_close(np.column_stack(line.get_data()), np.array(newton.newton([0.0, 0.0])), rtol=0, atol=0)


def test_classify_zero_is_relative_to_the_largest_eigenvalue():
    # 5e-9 is "zero" next to 100 (below 1e-10 * 100), but not next to 1e-8.
    assert newton.classify(np.diag([100.0, 5e-9])) == "degenerate: the test is inconclusive"
    assert newton.classify(np.diag([1e-8, 5e-9])) == "local minimum"
    assert newton.classify(np.diag([-1e-8, -5e-9])) == "local maximum"
