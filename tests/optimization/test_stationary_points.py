"""Proofs for docs/optimization/stationary-points.md (snippets/optimization/stationary_points.py)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from snippets.optimization import stationary_points as sp_mod
from verified_docs.verify import assert_close, fd_gradient, fd_jacobian, lambdify, symbolic_equal
from tests.strategies import points_in_box

X1, X2, F, GRAD, HESS = sp_mod.X1, sp_mod.X2, sp_mod.F, sp_mod.GRAD, sp_mod.HESS
POINTS = [sp_mod.point(k) for k in range(3)]
CLAIM = {c.id: c for c in sp_mod.CLAIMS}

# The gradient exactly as the original states it, eq. (14).
ORIGINAL_GRADIENT = sp.Matrix([6 * X1 - 3 * X2 + 12 * X1**2 + 4 * X1**3, 4 * X2 - 3 * X1])


def at(expr, p):
    return expr.subs({X1: p[0], X2: p[1]})


@pytest.mark.claim("stationary.f", "symbolic")
@pytest.mark.claim("stationary.gradient", "symbolic")
def test_f_has_the_original_gradient():
    assert symbolic_equal(sp.Matrix([F.diff(X1), F.diff(X2)]), ORIGINAL_GRADIENT)
    assert symbolic_equal(CLAIM["stationary.gradient"].value(), ORIGINAL_GRADIENT)


@pytest.mark.claim("stationary.f", "numeric")
@pytest.mark.claim("stationary.gradient", "numeric")
@given(points_in_box(-4, 4))
def test_gradient_matches_finite_differences(p):
    f = lambdify(F, (X1, X2))
    assert_close(sp_mod.gradient(p), fd_gradient(f, p), what="numpy gradient vs FD of f")
    assert_close(sp_mod.gradient(p), lambdify(ORIGINAL_GRADIENT, (X1, X2))(p).ravel(), rtol=1e-12, atol=1e-12)


@pytest.mark.claim("stationary.hessian", "numeric")
@given(points_in_box(-4, 4))
def test_hessian_matches_finite_differences(p):
    assert_close(sp_mod.hessian(p), fd_jacobian(sp_mod.gradient, p), what="numpy Hessian vs FD of gradient")


@pytest.mark.claim("stationary.hessian", "symbolic")
@pytest.mark.claim("stationary.determinant", "symbolic")
def test_hessian_and_determinant():
    assert symbolic_equal(CLAIM["stationary.hessian"].value(), sp.Matrix([[12 * X1**2 + 24 * X1 + 6, -3], [-3, 4]]))
    assert sp.expand(HESS.det() - (48 * X1**2 + 96 * X1 + 15)) == 0


@pytest.mark.claim("stationary.determinant", "numeric")
@given(points_in_box(-4, 4))
def test_determinant_numerically(p):
    assert_close(np.linalg.det(sp_mod.hessian(p)), 48 * p[0] ** 2 + 96 * p[0] + 15, rtol=1e-12, atol=1e-9)


@pytest.mark.claim("stationary.x2", "symbolic")
@pytest.mark.claim("stationary.cubic", "symbolic")
def test_reduction_to_a_cubic():
    assert sp.solve(GRAD[1], X2) == [3 * X1 / 4]
    cubic = CLAIM["stationary.cubic"].value()
    assert sp.expand(cubic - (4 * X1**3 + 12 * X1**2 + sp.Rational(15, 4) * X1)) == 0
    assert sp.expand(cubic - X1 * (4 * X1**2 + 12 * X1 + sp.Rational(15, 4))) == 0


@pytest.mark.claim("stationary.x2", "numeric")
@pytest.mark.claim("stationary.cubic", "numeric")
@given(points_in_box(-4, 4, dim=1))
def test_reduction_numerically(x):
    p = np.array([x[0], 0.75 * x[0]])
    assert abs(sp_mod.gradient(p)[1]) < 1e-12
    assert_close(sp_mod.gradient(p)[0], 4 * x[0] ** 3 + 12 * x[0] ** 2 + 3.75 * x[0], rtol=1e-12, atol=1e-12)


def test_first_equation_is_cubic_not_linear():
    assert sp.Poly(GRAD[0], X1, X2).total_degree() == 3


@pytest.mark.claim("stationary.p1", "symbolic")
@pytest.mark.claim("stationary.p2", "symbolic")
@pytest.mark.claim("stationary.p3", "symbolic")
def test_exactly_three_stationary_points():
    for p in POINTS:
        assert at(GRAD, p).applyfunc(sp.simplify) == sp.zeros(2, 1)
    cubic = sp.Poly(CLAIM["stationary.cubic"].value(), X1)
    assert cubic.degree() == 3 and sp.discriminant(cubic) != 0  # three distinct roots, no more
    assert POINTS[1] == sp.Matrix([(-6 + sp.sqrt(21)) / 4, 3 * (-6 + sp.sqrt(21)) / 16])
    assert POINTS[2] == sp.Matrix([(-6 - sp.sqrt(21)) / 4, 3 * (-6 - sp.sqrt(21)) / 16])


def test_original_third_point_is_not_stationary():
    written = (sp.Rational(3, 16) * (-sp.sqrt(21) - 6), sp.Rational(3, 16) * (-sp.sqrt(21) - 6))
    assert at(GRAD, written).applyfunc(sp.simplify) != sp.zeros(2, 1)


@pytest.mark.claim("stationary.p1", "numeric")
@pytest.mark.claim("stationary.p2", "numeric")
@pytest.mark.claim("stationary.p3", "numeric")
def test_newton_from_a_grid_finds_exactly_these_points():
    found = sp_mod.roots_from_grid()
    exact = np.array([[float(v) for v in p] for p in POINTS])
    assert found.shape == (3, 2)
    assert_close(found, exact, rtol=0, atol=1e-10, what="grid roots vs exact")
    # The box holds every root: Cauchy's bound on the cubic's roots.
    assert all(abs(complex(r)) <= 4 for r in np.roots([4, 12, 3.75, 0]))


@pytest.mark.claim("stationary.determinants", "symbolic")
@pytest.mark.claim("stationary.curvatures", "symbolic")
def test_second_derivative_test_exactly():
    determinants = CLAIM["stationary.determinants"].value()
    assert list(determinants) == [15, 42 - 12 * sp.sqrt(21), 42 + 12 * sp.sqrt(21)]
    assert [sp.sign(d) for d in determinants] == [1, -1, 1]
    curvatures = CLAIM["stationary.curvatures"].value()
    assert list(curvatures) == [6, sp.Rational(51, 4) - 3 * sp.sqrt(21), sp.Rational(51, 4) + 3 * sp.sqrt(21)]
    assert [kind for _, kind, _ in sp_mod.exact_points()] == ["local minimum", "saddle point", "local minimum"]


@pytest.mark.claim("stationary.determinants", "numeric")
@pytest.mark.claim("stationary.curvatures", "numeric")
def test_hessian_eigenvalues_agree_with_the_classification():
    signs = []
    for p in POINTS:
        h = sp_mod.hessian(np.array([float(v) for v in p]))
        signs.append(tuple(np.sign(np.linalg.eigvalsh(h))))
        assert_close(np.linalg.det(h), float(at(HESS.det(), p)), rtol=1e-12, atol=1e-12)
        assert_close(h[0, 0], float(at(HESS[0, 0], p)), rtol=1e-12, atol=1e-12)
    assert signs == [(1, 1), (-1, 1), (1, 1)]


@pytest.mark.claim("stationary.values", "symbolic")
def test_global_minimum_exactly():
    values = CLAIM["stationary.values"].value()
    assert list(values) == [0, 21 * sp.sqrt(21) / 16 - sp.Rational(1521, 256), -21 * sp.sqrt(21) / 16 - sp.Rational(1521, 256)]
    # min over x2 for fixed x1 is at x2 = 3 x1 / 4, leaving a quartic g whose minimum is f(p3).
    g = sp.expand(F.subs(X2, 3 * X1 / 4))
    assert sp.expand(F - g - 2 * (X2 - 3 * X1 / 4) ** 2) == 0  # f = g + 2 (x2 - 3 x1/4)^2 >= g
    critical = sp.solve(g.diff(X1), X1)
    assert sp.expand(min((g.subs(X1, c) for c in critical), key=float) - values[2]) == 0
    assert sp.Poly(g, X1).LC() > 0


@pytest.mark.claim("stationary.values", "numeric")
@given(points_in_box(-6, 6))
def test_no_point_is_lower_than_the_global_minimum(p):
    f = lambdify(F, (X1, X2))
    assert f(p) >= float(CLAIM["stationary.values"].value()[2]) - 1e-9


def test_figure_marks_three_points():
    figure = sp_mod.points_figure()
    assert len(figure.axes[0].lines) == 3
    assert sorted(t.get_text() for t in figure.axes[0].texts) == ["global minimum", "local minimum", "saddle point"]


@pytest.mark.parametrize(("h", "kind"), [
    (sp.Matrix([[1, 0], [0, -1]]), "saddle point"),
    (sp.Matrix([[1, 0], [0, 0]]), "degenerate"),
    (sp.Matrix([[sp.Rational(1, 2), 0], [0, sp.Rational(1, 2)]]), "local minimum"),  # 0 < det < 1
    (sp.Matrix([[-sp.Rational(1, 2), 0], [0, -sp.Rational(1, 2)]]), "local maximum"),
    (sp.Matrix([[2, 1], [1, 1]]), "local minimum"),
])
def test_exact_classification(h, kind):
    assert sp_mod.classify_exact(h) == kind
