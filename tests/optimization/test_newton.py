"""Proofs for docs/optimization/newton.md (snippets/optimization/newton.py)."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from snippets.optimization import newton
from tests.original import ORIGINAL_GRADIENT
from tests.strategies import points_in_box
from verified_docs.verify import assert_close, fd_jacobian, lambdify, symbolic_equal

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


@pytest.mark.claim("newton.b", "symbolic")
def test_f_is_the_only_function_with_the_stated_hessian_and_gradient_at_the_origin():
    # Any F with the same Hessian is f + b.x + c (zero Hessian on the plane: affine); its gradient
    # at 0 must be the sheet's (0, -17). Solve for b.
    b1, b2, c = sp.symbols("b1 b2 c")
    candidate = F + b1 * X + b2 * Y + c
    assert symbolic_equal(sp.hessian(candidate, (X, Y)), STATED_HESSIAN)
    gradient_at_origin = sp.Matrix([candidate.diff(v) for v in (X, Y)]).subs({X: 0, Y: 0})
    assert sp.solve(list(gradient_at_origin - sp.Matrix([0, -17])), [b1, b2], dict=True) == [{b1: 0, b2: 0}]
    # The displayed difference: the sheet's value minus f's.
    assert sp.Matrix([0, -17]) - GRAD.subs({X: 0, Y: 0}) == sp.zeros(2, 1)


@pytest.mark.claim("newton.b", "numeric")
def test_f_has_the_sheets_gradient_at_the_origin_numerically():
    b = np.array([0.0, -17.0]) - fd_jacobian(f_numeric, np.zeros(2)).ravel()
    assert_close(b, [0.0, 0.0], rtol=0, atol=1e-8, what="b = (0, -17) - FD gradient of f at 0")


@pytest.mark.claim("newton.original-dg1-dy", "symbolic")
@pytest.mark.claim("newton.original-dg2-dx", "symbolic")
def test_original_gradient_is_not_a_gradient_field():
    jacobian = ORIGINAL_GRADIENT.jacobian([X, Y])
    assert jacobian[0, 1] == -1
    assert symbolic_equal(jacobian[1, 0], sp.Rational(34, 10) * PI * sp.sin(PI * X / 5) - 1)
    asymmetry = sp.simplify(jacobian[0, 1] - jacobian[1, 0])
    assert asymmetry == -sp.Rational(34, 10) * PI * sp.sin(PI * X / 5)
    assert asymmetry.subs(X, 1) != 0  # not symmetric, so no f has it as gradient
    # The two agree only where x is a multiple of 5.
    zeros = sp.solveset(asymmetry, X, sp.Reals)
    assert sp.Intersection(zeros, sp.Interval(-23, 23)) == sp.FiniteSet(*range(-20, 21, 5))
    n = sp.Symbol("n", integer=True)
    assert asymmetry.subs(X, 5 * n) == 0
    assert not symbolic_equal(ORIGINAL_GRADIENT, GRAD)


def test_the_stated_hessian_agrees_with_itself_and_with_g2_not_with_g1():
    """Why the page trusts the Hessian: it is symmetric and integrable, g2's row of the Jacobian is
    its second row, while g1's row is not its first row and g1 and g2 have unequal cross-derivatives."""
    H = STATED_HESSIAN
    assert symbolic_equal(H, H.T)
    # Integrable: each row is a gradient (the mixed partials of that row agree), so H is a Hessian.
    for i in range(2):
        assert sp.simplify(H[i, 0].diff(Y) - H[i, 1].diff(X)) == 0
    jacobian = ORIGINAL_GRADIENT.jacobian([X, Y])
    assert symbolic_equal(jacobian[1, :], H[1, :])  # g2 agrees with the Hessian
    assert not symbolic_equal(jacobian[0, :], H[0, :])  # g1 does not ...
    assert not symbolic_equal(jacobian[0, 1], jacobian[1, 0])  # ... nor with g2


def test_original_gradient_second_component_is_right():
    assert symbolic_equal(ORIGINAL_GRADIENT[1], GRAD[1])
    assert not symbolic_equal(ORIGINAL_GRADIENT[0], GRAD[0])


@pytest.mark.claim("newton.original-dg1-dx", "symbolic")
def test_original_gradient_misses_the_stated_hessian():
    dg1_dx = ORIGINAL_GRADIENT[0].diff(X)
    assert symbolic_equal(dg1_dx, 4 + sp.Rational(68, 100) * PI**2 * sp.cos(PI * X / 5))
    # The stated (1,1) entry has a factor y that g1 cannot produce ...
    assert symbolic_equal(STATED_HESSIAN[0, 0] - dg1_dx, sp.Rational(68, 100) * PI**2 * (Y - 1) * sp.cos(PI * X / 5))
    # ... and the term 3.4 pi y sin(0.2 pi x) of the true gradient does produce it.
    assert symbolic_equal((sp.Rational(34, 10) * PI * Y * sp.sin(PI * X / 5)).diff(X),
                          STATED_HESSIAN[0, 0] - 4)


def original_gradient_numeric(p):
    x, y = p
    return np.array([4 * x + 3.4 * np.pi * np.sin(0.2 * np.pi * x) - y, 4 * y - 17 * np.cos(0.2 * np.pi * x) - x])


@pytest.mark.claim("newton.original-dg1-dy", "numeric")
@pytest.mark.claim("newton.original-dg2-dx", "numeric")
@pytest.mark.claim("newton.original-dg1-dx", "numeric")
@given(points_in_box(-10, 10))
def test_original_gradient_jacobian_numerically(p):
    jacobian = fd_jacobian(original_gradient_numeric, p)
    x = p[0]
    assert_close(jacobian[0, 1], -1.0, what="dg1/dy")
    assert_close(jacobian[1, 0], 3.4 * np.pi * np.sin(0.2 * np.pi * x) - 1, what="dg2/dx")
    assert_close(jacobian[0, 0], 4 + 0.68 * np.pi**2 * np.cos(0.2 * np.pi * x), what="dg1/dx")


def test_shown_original_gradient_is_the_sheets():
    g, jacobian, at_origin = newton.original_gradient()
    assert g == ORIGINAL_GRADIENT  # transcribed twice, in the snippet and here: they agree
    assert jacobian == ORIGINAL_GRADIENT.jacobian([X, Y])
    assert at_origin == sp.Matrix([0, -17])


# What the sheet writes at the origin: H_f(0,0), its inverse (18) and the step (19).
SHEET_HESSIAN_AT_ORIGIN = sp.Matrix([[4, -1], [-1, 4]])
SHEET_INVERSE = sp.Matrix([[sp.Rational(4, 15), sp.Rational(1, 15)], [sp.Rational(1, 15), sp.Rational(4, 15)]])
SHEET_STEP = sp.Matrix([sp.Rational(17, 15), sp.Rational(68, 15)])


def test_the_sheets_step_uses_the_gradient_only_at_the_origin():
    # The sheet's g and the true gradient agree at the origin, so its step is the true one.
    assert ORIGINAL_GRADIENT.subs({X: 0, Y: 0}) == GRAD.subs({X: 0, Y: 0}) == sp.Matrix([0, -17])
    assert newton.original_step() == SHEET_STEP == newton.newton_step(F, (X, Y), (0, 0))
    # The sheet's values at the origin, (18) and (19), are all right.
    assert STATED_HESSIAN.subs({X: 0, Y: 0}) == SHEET_HESSIAN_AT_ORIGIN == HESS.subs({X: 0, Y: 0})
    assert SHEET_HESSIAN_AT_ORIGIN.inv() == SHEET_INVERSE
    assert sp.zeros(2, 1) - SHEET_INVERSE * sp.Matrix([0, -17]) == SHEET_STEP


@pytest.mark.claim("newton.hessian-origin", "symbolic")
@pytest.mark.claim("newton.hessian-inverse", "symbolic")
@pytest.mark.claim("newton.det", "symbolic")
def test_hessian_at_origin_and_its_inverse():
    h0 = HESS.subs({X: 0, Y: 0})
    assert h0 == sp.Matrix([[4, -1], [-1, 4]])
    assert h0.det() == 16 - 1 == 15
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
@pytest.mark.claim("newton.det", "numeric")
def test_numpy_values_at_the_origin():
    origin = np.zeros(2)
    assert_close(np.linalg.det(newton.hessian(origin)), 15.0, rtol=1e-14, atol=0, what="det H at origin")
    assert_close(newton.gradient(origin), [0, -17], rtol=0, atol=1e-14, what="gradient at origin")
    assert_close(newton.hessian(origin), [[4, -1], [-1, 4]], rtol=0, atol=1e-14, what="Hessian at origin")
    assert_close(np.linalg.inv(newton.hessian(origin)), np.array([[4, 1], [1, 4]]) / 15, rtol=1e-14, atol=0,
                 what="inverse Hessian at origin")


@pytest.mark.claim("newton.step", "numeric")
def test_numpy_step_equals_exact_step():
    iterates = newton.newton([0.0, 0.0])
    assert_close(iterates[1], [17 / 15, 68 / 15], rtol=1e-15, atol=0, what="first Newton step")


# x*, to 30 digits, and the numpy iterates measured against it.
ROOT = newton.critical_point()
ROOT_FLOAT = np.array([float(ROOT[0]), float(ROOT[1])])
ITERATES = newton.newton([0.0, 0.0])


def iterates_in_40_digits(steps=8):
    """The same Newton iterates in 40-digit arithmetic (mpmath), with their distances from x*
    (a 40-digit root): independent of numpy's rounding."""
    gradient = sp.lambdify((X, Y), GRAD, "mpmath")
    hessian = sp.lambdify((X, Y), HESS, "mpmath")
    with mpmath.workdps(40):
        root = mpmath.matrix([mpmath.mpf(str(c)) for c in newton.critical_point(40)])
        points = [mpmath.matrix([0, 0])]
        for _ in range(steps):
            p = points[-1]
            points.append(p - mpmath.lu_solve(mpmath.matrix(hessian(p[0], p[1])), mpmath.matrix(gradient(p[0], p[1]))))
        return points, [mpmath.norm(p - root) for p in points]


POINTS_40, ERRORS_40 = iterates_in_40_digits()
CLAIM = {claim.id: claim for claim in newton.CLAIMS}


@pytest.mark.claim("newton.limit", "symbolic")
def test_critical_point_to_30_digits():
    assert all(abs(c) < sp.Float("1e-28") for c in GRAD.subs({X: ROOT[0], Y: ROOT[1]}).evalf(35))
    # The page's eight decimals are x* rounded.
    assert [round(float(c), 8) for c in ROOT] == [0.13087466, 4.26835765]


@pytest.mark.claim("newton.limit", "numeric")
def test_newton_converges_to_the_critical_point():
    assert_close(ITERATES[-1], ROOT_FLOAT, rtol=1e-14, atol=0, what="last iterate vs x*")
    assert list(ITERATES[-1].round(8)) == [0.13087466, 4.26835765]


@pytest.mark.claim("newton.final-gradient", "symbolic")
def test_exact_gradient_at_the_last_iterate_is_below_the_tolerance():
    at_last = {X: sp.Float(ITERATES[-1][0], 40), Y: sp.Float(ITERATES[-1][1], 40)}
    norm = sp.sqrt(sum(c**2 for c in GRAD.subs(at_last).evalf(40)))
    assert norm < sp.Float("1e-12")


@pytest.mark.claim("newton.final-gradient", "numeric")
def test_stopping_rule_stops_after_eight_steps():
    assert len(ITERATES) - 1 == 8
    steps = [np.linalg.norm(b - a) for a, b in zip(ITERATES, ITERATES[1:])]  # alpha = 1: the Newton directions
    assert all(s >= 1e-12 for s in steps[:-1]) and steps[-1] < 1e-12
    assert np.linalg.norm(newton.gradient(ITERATES[-1])) < 1e-12
    # x_6 already shows the eight decimals of x*.
    assert list(ITERATES[6].round(8)) == [0.13087466, 4.26835765]
    assert list(ITERATES[5].round(8)) != [0.13087466, 4.26835765]


@pytest.mark.claim("newton.x1", "symbolic")
@pytest.mark.claim("newton.x2", "symbolic")
@pytest.mark.claim("newton.e1", "symbolic")
@pytest.mark.claim("newton.e2", "symbolic")
def test_first_two_steps_move_away_in_40_digits():
    with mpmath.workdps(40):  # the first iterate is the exact step (17/15, 68/15)
        assert mpmath.norm(POINTS_40[1] - mpmath.matrix([mpmath.mpf(17) / 15, mpmath.mpf(68) / 15])) < 1e-35
    assert [round(float(c), 2) for c in POINTS_40[1]] == [1.13, 4.53]
    assert [round(float(c), 2) for c in POINTS_40[2]] == [-0.27, 5.60]
    assert all(a > b for a, b in zip(POINTS_40[1], ROOT))  # x_1 is beyond x* in both coordinates
    e1, e2 = ERRORS_40[1], ERRORS_40[2]
    assert (round(float(e1), 2), round(float(e2), 2)) == (1.04, 1.40) and e2 > e1


@pytest.mark.claim("newton.x1", "numeric")
@pytest.mark.claim("newton.x2", "numeric")
@pytest.mark.claim("newton.e1", "numeric")
@pytest.mark.claim("newton.e2", "numeric")
def test_first_two_steps_move_away():
    assert list(ITERATES[1].round(2)) == [1.13, 4.53]
    assert list(ITERATES[2].round(2)) == [-0.27, 5.60]
    assert (ITERATES[1] > ROOT_FLOAT).all()  # x_1 is beyond x* in both coordinates
    e1, e2 = newton.errors([1, 2])
    assert (round(e1, 2), round(e2, 2)) == (1.04, 1.40) and e2 > e1


def test_the_iterates_close_in_from_the_third_on():
    """The figure's caption: x_1 overshoots, x_2 lies further from x*, and from x_3 on every
    iterate is closer than the one before (in 40 digits, so rounding cannot decide it)."""
    e = ERRORS_40
    assert e[2] > e[1]
    assert all(e[k + 1] < e[k] for k in range(2, len(e) - 1))
    assert newton.errors([3])[0] < newton.errors([2])[0]  # the numpy iterates drawn in the figure agree


def test_generated_iterates_are_what_the_page_shows():
    # The page's tuples are generated (sympy cannot parse a tuple); pin them here.
    assert CLAIM["newton.x1"].tex() == "(1.13, 4.53)"
    assert CLAIM["newton.x2"].tex() == "(-0.27, 5.60)"


@pytest.mark.claim("newton.quadratic", "symbolic")
@pytest.mark.claim("newton.errors", "symbolic")
def test_convergence_is_quadratic_in_40_digits():
    e = ERRORS_40
    assert all(e[k + 1] < e[k] ** 2 for k in (3, 4, 5))
    assert not e[2] < e[1] ** 2  # before x_3 it is not: the second step moves away
    assert [float(mpmath.nstr(e[k], 2)) for k in range(3, 7)] == [0.11, 0.0051, 1.9e-6, 1.5e-12]


@pytest.mark.claim("newton.quadratic", "numeric")
@pytest.mark.claim("newton.errors", "numeric")
def test_convergence_is_quadratic_from_the_third_iterate():
    e = dict(zip(range(3, 7), newton.errors(range(3, 7))))
    assert [float(f"{e[k]:.1e}") for k in range(3, 7)] == [0.11, 0.0051, 1.9e-6, 1.5e-12]
    assert all(e[k + 1] < e[k] ** 2 for k in (3, 4, 5))
    assert e[6] > 100 * np.finfo(float).eps * np.linalg.norm(ROOT_FLOAT)  # measurable in double precision
    assert_close([e[k] for k in range(3, 7)], [float(ERRORS_40[k]) for k in range(3, 7)], rtol=1e-3, atol=0,
                 what="float errors vs 40-digit errors")


def test_generated_errors_and_relations_are_what_the_page_shows():
    assert CLAIM["newton.errors"].tex() == (
        r"\begin{pmatrix} 1.1 \cdot 10^{-1} \\ 5.1 \cdot 10^{-3} \\ 1.9 \cdot 10^{-6} \\ 1.5 \cdot 10^{-12} \end{pmatrix}")
    assert CLAIM["newton.quadratic"].tex() == "< e_k^2"
    assert CLAIM["newton.final-gradient"].tex() == "< 10^{-12}"


def test_generated_relations_refuse_what_is_false(monkeypatch):
    monkeypatch.setattr(newton, "errors", lambda ks: [1e-1, 1e-2, 1e-3, 1e-4][: len(list(ks))])
    with pytest.raises(ValueError, match="quadratic"):
        CLAIM["newton.quadratic"].tex()
    monkeypatch.setattr(newton, "newton", lambda p0, alpha=1.0, tol=1e-12, max_steps=50: [np.array([1.0, 1.0])])
    with pytest.raises(ValueError, match="tolerance"):
        CLAIM["newton.final-gradient"].tex()


@pytest.mark.claim("newton.eigenvalues", "numeric")
def test_hessian_at_the_last_iterate_is_positive_definite():
    eigenvalues = np.linalg.eigvalsh(newton.hessian(ITERATES[-1]))
    assert_close(eigenvalues, [3.9995, 32.5501], rtol=0, atol=5e-5, what="Hessian eigenvalues (page: 3.9995, 32.5501)")
    assert newton.classify(newton.hessian(ITERATES[-1])) == "local minimum"


@pytest.mark.claim("newton.eigenvalues", "symbolic")
def test_eigenvalues_at_the_critical_point_in_high_precision():
    eigenvalues = newton.eigenvalues_at_critical_point()
    assert all(e > 0 for e in eigenvalues)
    assert [round(float(e), 4) for e in eigenvalues] == [3.9995, 32.5501]


def test_newton_reports_non_convergence():
    with pytest.raises(RuntimeError, match="no convergence"):
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
    assert_close(np.column_stack(line.get_data()), np.array(ITERATES), rtol=0, atol=0)


@given(st.floats(0, np.pi), st.floats(1e-3, 1e3), st.sampled_from([-1.0, 1.0]))
def test_rounding_leaves_a_zero_eigenvalue_below_eps_times_the_norm(angle, size, sign):
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    hess = rotation @ np.diag([0.0, sign * size]) @ rotation.T
    eigenvalues = np.linalg.eigvalsh(hess)
    assert np.min(np.abs(eigenvalues)) <= 4 * np.finfo(float).eps * np.linalg.norm(hess, 2)
    assert newton.classify(hess) == "degenerate: the test is inconclusive"


def test_rounding_can_leave_a_nonzero_eigenvalue_where_the_exact_one_is_zero():
    residues = []
    for angle in np.linspace(0.05, 3.1, 60):
        rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        residues.append(np.min(np.abs(np.linalg.eigvalsh(rotation @ np.diag([0.0, 2.0]) @ rotation.T))))
    assert max(residues) > 0


def test_classify_zero_is_relative_to_the_largest_eigenvalue():
    # 5e-9 is "zero" next to 100 (below 1e-10 * 100), but not next to 1e-8.
    assert newton.classify(np.diag([100.0, 5e-9])) == "degenerate: the test is inconclusive"
    assert newton.classify(np.diag([1e-8, 5e-9])) == "local minimum"
    assert newton.classify(np.diag([-1e-8, -5e-9])) == "local maximum"
