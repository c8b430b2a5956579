"""Proofs for docs/optimization/stationary-points.md (snippets/optimization/stationary_points.py)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from snippets.optimization import stationary_points as sp_mod
from tests.strategies import points_in_box
from verified_docs.verify import assert_close, fd_gradient, fd_jacobian, lambdify, symbolic_equal

X1, X2, F, GRAD, HESS, Q = sp_mod.X1, sp_mod.X2, sp_mod.F, sp_mod.GRAD, sp_mod.HESS, sp_mod.Q
POINTS = [sp_mod.point(k) for k in range(3)]
CLAIM = {c.id: c for c in sp_mod.CLAIMS}
ORIGINAL_GRADIENT = sp_mod.ORIGINAL_GRADIENT  # the original's eq. (14)
PAGE = Path(__file__).resolve().parents[2] / "docs" / "optimization" / "stationary-points.md"
ROOT_PLUS, ROOT_MINUS = (-6 + sp.sqrt(21)) / 4, (-6 - sp.sqrt(21)) / 4


def at(expr, p):
    return expr.subs({X1: p[0], X2: p[1]})


@pytest.mark.claim("stationary.dg1-dx2", "symbolic")
@pytest.mark.claim("stationary.dg2-dx1", "symbolic")
def test_original_gradient_has_equal_mixed_partials():
    assert ORIGINAL_GRADIENT[0] == 6 * X1 - 3 * X2 + 12 * X1**2 + 4 * X1**3  # as quoted on the page
    assert ORIGINAL_GRADIENT[1] == 4 * X2 - 3 * X1
    assert CLAIM["stationary.dg1-dx2"].value() == -3
    assert CLAIM["stationary.dg2-dx1"].value() == -3


@pytest.mark.claim("stationary.dg1-dx2", "numeric")
@pytest.mark.claim("stationary.dg2-dx1", "numeric")
@given(points_in_box(-4, 4))
def test_original_gradient_mixed_partials_by_finite_differences(p):
    jacobian = fd_jacobian(lambdify(ORIGINAL_GRADIENT, (X1, X2)), p).reshape(2, 2)  # row i: d g_i
    assert_close(jacobian[0, 1], float(CLAIM["stationary.dg1-dx2"].value()), rtol=1e-6, atol=1e-6)
    assert_close(jacobian[1, 0], float(CLAIM["stationary.dg2-dx1"].value()), rtol=1e-6, atol=1e-6)


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


@pytest.mark.claim("stationary.root-zero", "symbolic")
@pytest.mark.claim("stationary.root-plus", "symbolic")
@pytest.mark.claim("stationary.root-minus", "symbolic")
def test_roots_of_the_cubic():
    cubic = CLAIM["stationary.cubic"].value()
    roots = [CLAIM[f"stationary.root-{k}"].value() for k in ("zero", "plus", "minus")]
    assert roots == [0, ROOT_PLUS, ROOT_MINUS]
    assert all(sp.expand(cubic.subs(X1, r)) == 0 for r in roots)
    # The quadratic formula as the page writes it: (-12 +- sqrt(144 - 4 * 4 * 15/4)) / 8.
    assert 4 * 4 * sp.Rational(15, 4) == 60
    assert (-12 + sp.sqrt(144 - 60)) / 8 == ROOT_PLUS and (-12 - sp.sqrt(144 - 60)) / 8 == ROOT_MINUS


@pytest.mark.claim("stationary.root-zero", "numeric")
@pytest.mark.claim("stationary.root-plus", "numeric")
@pytest.mark.claim("stationary.root-minus", "numeric")
def test_roots_of_the_cubic_numerically():
    numeric = sorted(np.roots([4, 12, 3.75, 0]).real, reverse=True)
    claimed = [float(CLAIM[f"stationary.root-{k}"].value()) for k in ("zero", "plus", "minus")]
    assert_close(numeric, claimed, rtol=1e-12, atol=1e-12, what="numpy roots vs claimed")


def test_original_roots_and_second_derivatives_are_right():
    """The original's list of roots and its f_x1x1, f_x2x2, f_x1x2, as it writes them."""
    assert [0, (sp.sqrt(21) - 6) / 4, (-sp.sqrt(21) - 6) / 4] == [CLAIM[f"stationary.root-{k}"].value()
                                                                   for k in ("zero", "plus", "minus")]
    assert sp.expand(HESS[0, 0] - (6 + 24 * X1 + 12 * X1**2)) == 0
    assert HESS[1, 1] == 4 and HESS[0, 1] == HESS[1, 0] == -3


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


@pytest.mark.claim("stationary.written-point-slope", "symbolic")
def test_original_third_point_is_not_stationary():
    written = (sp.Rational(3, 16) * (-sp.sqrt(21) - 6), sp.Rational(3, 16) * (-sp.sqrt(21) - 6))  # as listed
    assert sp_mod.WRITTEN_THIRD == written
    slope = CLAIM["stationary.written-point-slope"].value()
    assert symbolic_equal(slope, at(GRAD[0], written))
    assert slope == sp.Rational(2565, 512) + sp.Rational(1125, 1024) * sp.sqrt(21)
    assert slope > 0  # so the gradient is not zero there


@pytest.mark.claim("stationary.written-point-slope", "numeric")
def test_original_third_point_is_not_stationary_numerically():
    written = np.array([float(v) for v in sp_mod.WRITTEN_THIRD])
    assert_close(sp_mod.gradient(written)[0], float(CLAIM["stationary.written-point-slope"].value()),
                 rtol=1e-12, atol=1e-12)
    assert np.linalg.norm(sp_mod.gradient(written)) > 1


def test_original_does_not_name_the_global_minimum():
    """The page says the original does not say which minimum is global: its 2.1 names only local
    minima and a saddle point."""
    section = SEED.read_text(encoding="utf-8")
    section = section[section.index("### 2.1"):section.index("### 2.2")]
    assert "global" not in section.lower() and "absolute" not in section.lower()
    assert section.count("is a local minimum") == 2


def test_original_classification_writes_the_third_point():
    """Only the original's list of points has the slip; its classification writes the point right."""
    classified = sp.Matrix([sp.Rational(1, 4) * (-sp.sqrt(21) - 6), sp.Rational(3, 16) * (-sp.sqrt(21) - 6)])
    assert classified == POINTS[2]


@pytest.mark.claim("stationary.p1", "numeric")
@pytest.mark.claim("stationary.p2", "numeric")
@pytest.mark.claim("stationary.p3", "numeric")
def test_newton_from_a_grid_finds_exactly_these_points():
    grid = inspect.signature(sp_mod.roots_from_grid).parameters["values"].default
    assert len(grid) == 21 and grid.min() == -4 and grid.max() == 4  # the square of Cauchy's bound
    found = sp_mod.roots_from_grid()
    exact = np.array([[float(v) for v in p] for p in POINTS])
    assert found.shape == (3, 2)
    assert_close(found, exact, rtol=0, atol=1e-10, what="grid roots vs exact")


def test_newton_skips_a_start_where_the_hessian_is_singular():
    # det H = 0 where f_x1x1 = 9/4, at x1 = -1 + sqrt(11)/4; this float is where numpy's solve refuses H.
    singular = -0.17084380241115005
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.solve(sp_mod.hessian((singular, 0.0)), np.ones(2))
    # The starts (singular, .) are dropped; the others still give their roots.
    found = sp_mod.roots_from_grid(values=[singular, 0.0])
    assert found.shape[1] == 2 and [0.0, 0.0] in found.tolist()


@pytest.mark.claim("stationary.cauchy-bound", "symbolic")
def test_cauchy_bound_from_the_coefficients():
    coefficients = sp.Poly(CLAIM["stationary.cubic"].value(), X1).all_coeffs()
    assert coefficients == [4, 12, sp.Rational(15, 4), 0]
    ratios = [abs(a / coefficients[0]) for a in coefficients[1:]]
    assert max(ratios) == sp.Rational(12, 4)  # the largest ratio is |a_2 / a_3|
    assert CLAIM["stationary.cauchy-bound"].value() == 1 + max(ratios) == 4
    # and it holds: every root, exactly, and both coordinates of every point
    assert all(abs(r) <= 4 for r in sp_mod.cubic_roots())
    assert all(abs(p[0]) <= 4 and abs(p[1]) <= 3 for p in POINTS)


@pytest.mark.claim("stationary.cauchy-bound", "numeric")
def test_cauchy_bound_numerically():
    # The cubic's coefficients read off the numpy gradient on the line x2 = 3 x1 / 4, not from sympy.
    xs = np.array([-2.0, -1.0, 1.0, 2.0])
    coefficients = np.polyfit(xs, [sp_mod.gradient((x, 0.75 * x))[0] for x in xs], 3)
    bound = float(CLAIM["stationary.cauchy-bound"].value())
    assert_close(1 + np.max(np.abs(coefficients[1:] / coefficients[0])), bound, rtol=1e-12, atol=1e-12,
                 what="Cauchy's bound from the numpy gradient")
    assert np.all(np.abs(np.roots(coefficients)) <= bound)


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
    assert values[2] < values[0] < values[1]  # p3 is strictly lowest: the only global minimum
    # The page's argument: q attains its minimum at a critical point of q, and f >= q with
    # equality on the line x2 = 3 x1 / 4, so min f = min q; check that this is f(p3).
    critical = sp.solve(Q.diff(X1), X1)
    assert sp.expand(min((Q.subs(X1, c) for c in critical), key=float) - values[2]) == 0
    assert sp.Poly(Q, X1).degree() == 4 and sp.Poly(Q, X1).LC() > 0


REDUCTIONS = {  # claim -> the power of x1 (or q) it lowers, at a root of the quadratic factor
    "stationary.root-square": X1**2,
    "stationary.root-cube": X1**3,
    "stationary.root-fourth": X1**4,
    "stationary.q-linear": Q,
}


@pytest.mark.claim("stationary.root-square", "symbolic")
@pytest.mark.claim("stationary.root-cube", "symbolic")
@pytest.mark.claim("stationary.root-fourth", "symbolic")
@pytest.mark.claim("stationary.q-linear", "symbolic")
def test_values_by_lowering_the_powers_of_x1():
    """The page's route to the values: x1 of p2 and p3 solves x1^2 + 3 x1 + 15/16 = 0, which turns
    every power of x1 in q into a linear expression; at the two roots these give f(p2), f(p3)."""
    cubic = CLAIM["stationary.cubic"].value()
    assert sp.expand(4 * X1 * sp_mod.QUADRATIC - cubic) == 0  # the quadratic factor of (3), over 4
    assert sp.expand(X1**2 - CLAIM["stationary.root-square"].value() - sp_mod.QUADRATIC) == 0
    # Each step: multiply the previous line by x1 and replace x1^2 again.
    square = CLAIM["stationary.root-square"].value()
    cube = sp.expand(X1 * square).subs(X1**2, square)
    assert sp.expand(cube - CLAIM["stationary.root-cube"].value()) == 0
    fourth = sp.expand(X1 * cube).subs(X1**2, square)
    assert sp.expand(fourth - CLAIM["stationary.root-fourth"].value()) == 0
    q_linear = sp.expand(fourth + 4 * cube + sp.Rational(15, 8) * square)  # q with each power replaced
    assert sp.expand(q_linear - CLAIM["stationary.q-linear"].value()) == 0
    values = CLAIM["stationary.values"].value()
    for k, root in ((1, ROOT_PLUS), (2, ROOT_MINUS)):
        for claim_id, power in REDUCTIONS.items():
            assert sp.expand(power.subs(X1, root) - CLAIM[claim_id].value().subs(X1, root)) == 0, claim_id
        assert sp.expand(CLAIM["stationary.q-linear"].value().subs(X1, root) - values[k]) == 0
        assert sp.expand(at(F, POINTS[k]) - Q.subs(X1, root)) == 0  # the square vanishes there
    assert Q.subs(X1, 0) == 0 == values[0]


@pytest.mark.claim("stationary.root-square", "numeric")
@pytest.mark.claim("stationary.root-cube", "numeric")
@pytest.mark.claim("stationary.root-fourth", "numeric")
@pytest.mark.claim("stationary.q-linear", "numeric")
def test_values_by_lowering_the_powers_numerically():
    roots = sorted(np.roots([4, 12, 3.75]).real, reverse=True)  # the quadratic factor, by numpy: p2, p3
    values = CLAIM["stationary.values"].value()
    for k, root in zip((1, 2), roots):
        for claim_id, power in REDUCTIONS.items():
            assert_close(lambdify(power, (X1,))([root]), lambdify(CLAIM[claim_id].value(), (X1,))([root]),
                         rtol=1e-12, atol=1e-12, what=claim_id)
        assert_close(lambdify(F, (X1, X2))([root, 0.75 * root]), float(values[k]), rtol=1e-12, atol=1e-12,
                     what="f at the point vs the value shown")


def test_original_reduction_is_the_pages():
    """The original's (17), as quoted on the page, is the cubic (3), with 6 - 9/4 for 15/4."""
    written = 6 * X1 - sp.Rational(9, 4) * X1 + 12 * X1**2 + 4 * X1**3
    factored = X1 * (6 - sp.Rational(9, 4) + 12 * X1 + 4 * X1**2)
    cubic = CLAIM["stationary.cubic"].value()
    assert sp.expand(written - cubic) == 0 and sp.expand(factored - cubic) == 0
    assert written == sp.expand(ORIGINAL_GRADIENT[0].subs(X2, 3 * X1 / 4))  # (15) on the line (16)
    assert 6 - sp.Rational(9, 4) == sp.Rational(15, 4)
    section = SEED.read_text(encoding="utf-8")
    assert r"x_1(6 - \frac{9}{4} + 12x_1 + 4x_1^2) = 0 \quad (17)" in section


def test_a_constant_added_to_f_only_shifts_its_values():
    """f + c has the gradient, Hessian, stationary points and classification of f; its values are
    shifted by c, so which point is lowest does not change; q and the square shift with it."""
    c = sp.Symbol("c", real=True)
    shifted = F + c
    assert sp.Matrix([shifted.diff(X1), shifted.diff(X2)]) == GRAD
    assert sp.hessian(shifted, (X1, X2)) == HESS
    values = [sp.expand(at(shifted, p)) for p in POINTS]
    assert [sp.expand(v - c) for v in values] == list(CLAIM["stationary.values"].value())
    assert sorted(range(3), key=lambda k: float(values[k].subs(c, 7))) == [2, 0, 1]
    assert sp.expand(shifted - (Q + c + 2 * (X2 - 3 * X1 / 4) ** 2)) == 0


@pytest.mark.claim("stationary.split", "symbolic")
def test_completing_the_square():
    assert Q == X1**4 + 4 * X1**3 + sp.Rational(15, 8) * X1**2  # q as the page defines it
    assert symbolic_equal(CLAIM["stationary.split"].value(), F)
    assert sp.expand(F - (Q + 2 * (X2 - 3 * X1 / 4) ** 2)) == 0
    assert sp.expand(F.subs(X2, 3 * X1 / 4) - Q) == 0  # q is f on the line x2 = 3 x1 / 4


@pytest.mark.claim("stationary.split", "numeric")
@given(points_in_box(-6, 6))
def test_completing_the_square_numerically(p):
    f, q = lambdify(F, (X1, X2)), lambdify(Q, (X1, X2))
    assert_close(f(p), q(p) + 2 * (p[1] - 0.75 * p[0]) ** 2, rtol=1e-12, atol=1e-9)
    assert f(p) >= q(p) - 1e-9


@pytest.mark.claim("stationary.values", "numeric")
@given(points_in_box(-6, 6))
def test_no_point_is_lower_than_the_global_minimum(p):
    f = lambdify(F, (X1, X2))
    assert f(p) >= float(CLAIM["stationary.values"].value()[2]) - 1e-9


def test_figure_marks_three_points():
    figure = sp_mod.points_figure()
    assert len(figure.axes[0].lines) == 3
    assert sorted(t.get_text() for t in figure.axes[0].texts) == ["global minimum", "local minimum", "saddle point"]
    (label,) = [t for t in figure.axes[0].texts if t.get_text() == "global minimum"]
    assert_close(label.xy, [float(v) for v in POINTS[2]], rtol=0, atol=1e-12, what="global minimum label at p3")


def test_figure_text_names_the_global_minimum():
    """The figure's description on the page gives p3 to two decimals."""
    near = re.findall(r"global minimum p3, the lower-left point, near \((-?[\d.]+), (-?[\d.]+)\)",
                      PAGE.read_text(encoding="utf-8"))
    assert near, "the page no longer describes where the global minimum is"
    for shown in near:
        assert [float(c) for c in shown] == [round(float(v), 2) for v in POINTS[2]]


@pytest.mark.parametrize(("h", "kind"), [
    (sp.Matrix([[1, 0], [0, -1]]), "saddle point"),
    (sp.Matrix([[1, 0], [0, 0]]), "degenerate"),
    (sp.Matrix([[sp.Rational(1, 2), 0], [0, sp.Rational(1, 2)]]), "local minimum"),  # 0 < det < 1
    (sp.Matrix([[-sp.Rational(1, 2), 0], [0, -sp.Rational(1, 2)]]), "local maximum"),
    (sp.Matrix([[2, 1], [1, 1]]), "local minimum"),
])
def test_exact_classification(h, kind):
    assert sp_mod.classify_exact(h) == kind


SEED = Path(__file__).resolve().parents[1] / "data" / "original-answer-sheet.txt"  # the sheet, as given


def _bare(tex: str) -> str:
    """TeX without markers, \\left / \\right and whitespace, for comparing quotations."""
    return re.sub(r"\\(?:quoted|left|right)(?![A-Za-z])|\s+", "", tex)


def test_every_quotation_is_the_originals_text():
    original = _bare(SEED.read_text(encoding="utf-8"))
    page = PAGE.read_text(encoding="utf-8")
    prose = " ".join(line for line in page.splitlines() if not line.lstrip().startswith(("!!!", "--8<--")))
    prose = re.sub(r'[\w-]+="[^"]*"', "", prose)  # HTML attributes (markdown="span")
    quotes = re.findall(r'"([^"]+)"', " ".join(prose.split()))
    formulas = re.findall(r"\$([^$]*\\quoted[^$]*)\$", page)
    assert len(quotes) >= 1 and len(formulas) >= 5
    # A named quotation (g_1 = ...) quotes what follows its name.
    missing = [q for q in quotes + [f.split("=", 1)[-1] for f in formulas] if _bare(q) not in original]
    assert not missing, missing
    # The correction box quotes the third point from the original's list of points, not its classification.
    (points_line,) = [line for line in SEED.read_text(encoding="utf-8").splitlines() if "as our saddle points" in line]
    listed = re.search(r"list of points gives the third as\s*\$([^$]*)\$", page)
    assert listed and _bare(listed[1]) in _bare(points_line)
    # ... and the correct form from the original's classification.
    (cases,) = [line for line in SEED.read_text(encoding="utf-8").splitlines() if "is a local minimum" in line]
    classified = re.search(r"classification, further on, writes the\s+point correctly, as\s*\$([^$]*)\$", page)
    assert classified and _bare(classified[1]) in _bare(cases)
