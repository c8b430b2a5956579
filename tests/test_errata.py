"""Proofs for docs/errata.md (snippets/errata.py): the original's statements evaluated and
shown false, the corrections shown true; and the page itself: every quotation is the original's
text, every inline relation is marked, every entry quotes, credits, links and names its tests."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from snippets import errata
from snippets.optimization import stationary_points as sp_mod
from tests.original import ORIGINAL_GRADIENT, SHEET, X, Y
from tests.strategies import finite_floats, points_in_box
from verified_docs.contract import discover
from verified_docs.index import display_tex, inline_tex  # the build's own readers of page sources
from verified_docs.verify import assert_close, fd_jacobian

ROOT = Path(__file__).resolve().parents[1]

CLAIM = {c.id: c for c in errata.CLAIMS}
PAGE = ROOT / "docs" / "errata.md"


# --- 1.1 ---------------------------------------------------------------------------------------


@pytest.mark.claim("errata.hessian-of-f", "symbolic")
def test_hessian_of_a_vector_map_has_27_entries():
    array = errata.second_derivatives_of_gradient()
    assert array.shape == (3, 3, 3)
    assert CLAIM["errata.hessian-of-f"].value() == len(array) == 27
    # The array holds d^2 f_i / (dx_j dx_k) for a concrete y too: third derivatives of y.
    u, v, z = sp.symbols("u v z")
    y = u**3 * v**2 * z + sp.sin(u * z)
    f = [y.diff(s) for s in (u, v, z)]
    second = sp.derive_by_array(sp.derive_by_array(sp.Array(f), (u, v, z)), (u, v, z))
    assert second.shape == (3, 3, 3)
    assert second[0, 1, 2] == f[2].diff(v).diff(u)  # derive_by_array: [k, j, i] = d/dx_k d/dx_j f_i
    # ... while the Jacobian of f, the original's J, is 3 x 3.
    assert sp.Matrix(f).jacobian((u, v, z)).shape == (3, 3)


@pytest.mark.claim("errata.hessian-of-f", "numeric")
def test_second_derivatives_of_f_by_finite_differences():
    """Nested central differences of f = grad y give a 3 x 3 x 3 array: 27 numbers, 9 per component."""
    grad = lambda p: np.array([2 * p[0] * p[1] * p[2], p[0] ** 2 * p[2], p[0] ** 2 * p[1]])  # y = u^2 v z
    point = np.array([0.3, -0.2, 0.7])
    J = fd_jacobian(grad, point)
    second = np.stack([fd_jacobian(lambda q, i=i: fd_jacobian(grad, q)[i], point) for i in range(3)])
    assert J.shape == (3, 3) and second.shape == (3, 3, 3)
    assert second.size == CLAIM["errata.hessian-of-f"].value()
    assert_close(second[0, 1, 2], 2 * point[0], rtol=1e-4, atol=1e-4, what="d^2 f_1 / dv dz = d^3 y / du dv dz")


# --- 1.2 (v) -----------------------------------------------------------------------------------


@pytest.mark.claim("errata.inverse-notation", "symbolic")
def test_inverse_notation_reading_is_false():
    A = sp.Matrix([[2, 1], [1, 1]])
    assert A.inv()[0, 0] == 1 and 1 / A[0, 0] == sp.Rational(1, 2)
    assert CLAIM["errata.inverse-notation"].value() == sp.Rational(1, 2)


@pytest.mark.claim("errata.inverse-notation", "numeric")
def test_inverse_notation_reading_is_false_numerically():
    A = np.array([[2.0, 1.0], [1.0, 1.0]])
    assert_close(np.linalg.inv(A)[0, 0] - 1 / A[0, 0], 0.5, rtol=1e-14, atol=0)


# --- 1.3 ---------------------------------------------------------------------------------------


@pytest.mark.claim("errata.norm-square-sums", "symbolic")
@pytest.mark.claim("errata.norm-square", "symbolic")
def test_square_is_wrong_without_negative_entries():
    A = errata.NON_NEGATIVE
    assert A == sp.Matrix([[1, 1], [2, 0]]) and all(a >= 0 for a in A)
    assert CLAIM["errata.norm-square-sums"].value() == 2 == sum(A.row(0)) == sum(A.row(1))
    assert CLAIM["errata.norm-square"].value() == 4 == (1 + 1) ** 2
    # Without negative entries the 1-norm is the sum m, so the squared norm is m^2: m only for m = 0, 1.
    m = sp.Symbol("m", real=True)
    assert sp.solve(sp.Eq(m**2, m), m) == [0, 1]
    with pytest.raises(ValueError):
        errata.common_row_sum(sp.Matrix([[1, 1], [2, 1]]))  # unequal row sums: not an example


@pytest.mark.claim("errata.norm-square-sums", "numeric")
@pytest.mark.claim("errata.norm-square", "numeric")
def test_square_is_wrong_without_negative_entries_numerically():
    A = np.array([[1.0, 1.0], [2.0, 0.0]])
    assert np.all(A @ np.ones(2) == 2.0)
    assert np.linalg.norm(A[0], 1) ** 2 == 4.0 != (A @ np.ones(2))[0]


@pytest.mark.claim("errata.square-gap", "symbolic")
def test_square_differs_from_the_sum_unless_0_or_1():
    m = errata.M
    gap = CLAIM["errata.square-gap"].value()
    assert sp.expand(gap - (m**2 - m)) == 0
    assert sorted(sp.solve(gap, m)) == [0, 1]  # "zero only when m is 0 or 1"
    # For a row without negative entries, squared 1-norm minus row sum is this gap, m being the sum.
    a, b, c = sp.symbols("a b c", nonnegative=True)
    row = (a, b, c)
    assert sp.expand(sum(abs(e) for e in row) ** 2 - sum(row) - gap.subs(m, sum(row))) == 0


@pytest.mark.claim("errata.square-gap", "numeric")
@given(st.lists(finite_floats(0.0, 3.0), min_size=1, max_size=5))
def test_square_differs_from_the_sum_numerically(row):
    total = sum(row)
    gap = np.linalg.norm(row, 1) ** 2 - total
    assert_close(gap, (total - 1) * total, rtol=1e-12, atol=1e-12)
    if min(abs(total), abs(total - 1)) > 1e-3:
        assert abs(gap) > 1e-4  # not the row sum


# --- 2.1 ---------------------------------------------------------------------------------------


def sheet_gradient_entries() -> list[sp.Expr]:
    """The two entries of the sheet's (14), read by sympy's LaTeX parser from the sheet's text."""
    from sympy.parsing.latex import parse_latex

    (line,) = [line for line in SHEET.read_text(encoding="utf-8").splitlines() if r"\nabla f = \begin{pmatrix}" in line]
    body = re.search(r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", line)[1]
    names = {"x_1": errata.X1, "x_2": errata.X2}
    cells = [parse_latex(cell.strip(), backend="antlr") for cell in body.split(r"\\")]
    return [cell.xreplace({v: names[str(v).replace("{", "").replace("}", "")] for v in cell.free_symbols})
            for cell in cells]


@pytest.mark.claim("errata.gradient-field", "symbolic")
def test_sheet_gradient_is_a_gradient_field():
    x1, x2 = errata.X1, errata.X2
    written = errata.sheet_gradient(x1, x2)
    assert [sp.expand(e - w) for e, w in zip(sheet_gradient_entries(), written)] == [0, 0]  # the transcription
    assert CLAIM["errata.gradient-field"].value() == 0
    assert written[0].diff(x2) == written[1].diff(x1) == -3  # the sheet's own f_{x1 x2} = -3
    # ... and it is the gradient of the page's f (a potential exists, as equal mixed partials promise).
    f = sp_mod.F.subs({sp_mod.X1: x1, sp_mod.X2: x2})
    assert [sp.expand(f.diff(v) - w) for v, w in zip((x1, x2), written)] == [0, 0]


@pytest.mark.claim("errata.gradient-field", "numeric")
@given(points_in_box(-4.0, 4.0))
def test_sheet_gradient_has_a_symmetric_jacobian_numerically(p):
    J = fd_jacobian(lambda q: np.array(errata.sheet_gradient(q[0], q[1]), dtype=float), p)
    assert_close(J[0, 1], J[1, 0], rtol=1e-6, atol=1e-6, what="mixed partials of (14)")



@pytest.mark.claim("errata.third-point", "symbolic")
def test_written_third_point_has_nonzero_gradient():
    g = CLAIM["errata.third-point"].value()
    assert g[0] == sp.Rational(2565, 512) + sp.Rational(1125, 1024) * sp.sqrt(21)
    assert g[1] == sp.Rational(3, 16) * (-sp.sqrt(21) - 6)  # 4 x2 - 3 x1 with x1 = x2
    assert all(sp.simplify(e) != 0 for e in g)


@pytest.mark.claim("errata.third-point", "numeric")
def test_written_third_point_numerically():
    written = 3 / 16 * (-np.sqrt(21) - 6)
    assert_close(sp_mod.gradient(np.array([written, written])), [10.0443, -1.9842], rtol=0, atol=1e-4)


@pytest.mark.claim("errata.global", "symbolic")
def test_third_point_is_lower_than_the_origin():
    gap = CLAIM["errata.global"].value()
    assert gap == -21 * sp.sqrt(21) / 16 - sp.Rational(1521, 256) and gap < 0
    # f is known up to a constant only; the difference does not depend on it.
    c = sp.Symbol("c")
    f = sp_mod.F + c
    p3 = sp_mod.point(2)
    assert sp.expand(f.subs({sp_mod.X1: p3[0], sp_mod.X2: p3[1]}) - f.subs({sp_mod.X1: 0, sp_mod.X2: 0}) - gap) == 0


@pytest.mark.claim("errata.global", "numeric")
def test_third_point_is_lower_than_the_origin_numerically():
    p3 = np.array([float(v) for v in sp_mod.point(2)])
    f = lambda p: p[0] ** 4 + 4 * p[0] ** 3 + 3 * p[0] ** 2 - 3 * p[0] * p[1] + 2 * p[1] ** 2
    assert_close(f(p3) - f(np.zeros(2)), -11.956, rtol=0, atol=5e-4)


# --- 2.2.1 -------------------------------------------------------------------------------------


def written_gradient(q):
    """The gradient as the original writes it, in floats."""
    return np.array([4 * q[0] + 3.4 * np.pi * np.sin(0.2 * np.pi * q[0]) - q[1],
                     4 * q[1] - 17 * np.cos(0.2 * np.pi * q[0]) - q[0]])


@pytest.mark.claim("errata.newton-gradient", "symbolic")
def test_original_gradient_has_asymmetric_jacobian():

    assert sp.Matrix(errata.original_gradient(X, Y)) == ORIGINAL_GRADIENT  # transcribed twice, agree
    x = sp.Symbol("x", real=True)
    assert errata.original_gradient_asymmetry() == -sp.Rational(17, 5) * sp.pi * sp.sin(sp.pi * x / 5)


@pytest.mark.claim("errata.newton-gradient", "numeric")
@given(points_in_box(0.5, 4.5))
def test_original_gradient_asymmetry_numerically(p):
    J = fd_jacobian(written_gradient, p)
    assert_close(J[0, 1] - J[1, 0], -3.4 * np.pi * np.sin(0.2 * np.pi * p[0]), what="asymmetry")
    assert abs(J[0, 1] - J[1, 0]) > 1  # clearly not a gradient field on this box


@pytest.mark.claim("errata.written-gradient-origin", "symbolic")
def test_written_gradient_at_the_origin():
    value = CLAIM["errata.written-gradient-origin"].value()
    assert value == sp.Matrix([0, -17]) == ORIGINAL_GRADIENT.subs({X: 0, Y: 0})
    from snippets.optimization import newton

    assert value == newton.objective()[1].subs({errata.X: 0, errata.Y: 0})  # and the true gradient's


@pytest.mark.claim("errata.written-gradient-origin", "numeric")
def test_written_gradient_at_the_origin_numerically():
    assert_close(written_gradient(np.zeros(2)), [0.0, -17.0], rtol=0, atol=1e-12)


@pytest.mark.claim("errata.asymmetry-zeros", "symbolic")
def test_asymmetry_vanishes_exactly_at_multiples_of_five(monkeypatch):
    k = errata.K
    assert CLAIM["errata.asymmetry-zeros"].value() == 5 * k
    asymmetry = errata.original_gradient_asymmetry()
    (x,) = asymmetry.free_symbols
    assert asymmetry.subs(x, 5 * k) == 0  # every multiple of 5 is a zero ...
    assert sp.simplify(asymmetry.subs(x, 5 * k + sp.Rational(5, 2))) != 0  # ... and a point between is not
    # The snippet's own check refuses a sine of another period (zeros at the multiples of 5/2).
    original = errata.original_gradient_asymmetry
    monkeypatch.setattr(errata, "original_gradient_asymmetry", lambda: original().subs(x, 2 * x))
    with pytest.raises(ValueError):
        errata.asymmetry_zeros()


@pytest.mark.claim("errata.asymmetry-zeros", "numeric")
@given(finite_floats(-20.0, 20.0))
def test_asymmetry_zeros_numerically(x):
    def asymmetry(at):
        J = fd_jacobian(written_gradient, np.array([at, 1.0]))
        return J[0, 1] - J[1, 0]

    for k in range(-4, 5):
        assert abs(asymmetry(5.0 * k)) < 1e-6
    if abs(x - 5 * round(x / 5)) > 0.05:  # away from every multiple of 5
        assert abs(asymmetry(x)) > 0.3  # 3.4 pi sin(0.01 pi) = 0.34 at the least


@pytest.mark.claim("errata.newton-dfdx", "symbolic")
def test_first_component_has_the_factor_y():
    from snippets.optimization import newton

    f, x, y = newton.objective()[0], errata.X, errata.Y
    dfdx = CLAIM["errata.newton-dfdx"].value()
    assert sp.expand(f.diff(x) - dfdx) == 0
    assert sp.expand(dfdx - (4 * x - y + sp.Rational(17, 5) * sp.pi * y * sp.sin(sp.pi * x / 5))) == 0
    # The written g1 is this with the y of the sine term dropped ...
    g1 = errata.original_gradient(x, y)[0]
    assert sp.expand(dfdx - g1.subs(sp.sin(sp.pi * x / 5), y * sp.sin(sp.pi * x / 5))) == 0
    assert sp.simplify(dfdx - g1) != 0
    # ... and the stated Hessian's (1, 1) entry, 4 + 0.68 pi^2 y cos(0.2 pi x), is d/dx of this one.
    assert sp.expand(dfdx.diff(x) - (4 + sp.Rational(68, 100) * sp.pi**2 * y * sp.cos(sp.pi * x / 5))) == 0


@pytest.mark.claim("errata.newton-dfdx", "numeric")
@given(points_in_box(-3.0, 3.0))
def test_first_component_numerically(p):
    f = lambda q: 2 * q[0] ** 2 + 2 * q[1] ** 2 - q[0] * q[1] - 17 * q[1] * np.cos(0.2 * np.pi * q[0])
    x, y = p
    assert_close(fd_jacobian(f, p)[0, 0], 4 * x - y + 3.4 * np.pi * y * np.sin(0.2 * np.pi * x), what="df/dx")


@pytest.mark.claim("errata.jacobian-entry", "symbolic")
@pytest.mark.claim("errata.jacobian-step", "symbolic")
def test_the_jacobian_of_the_written_gradient_would_step_elsewhere():
    from snippets.optimization import newton

    J = errata.original_jacobian_at_origin()
    assert J == sp.Matrix([[4 + sp.Rational(17, 25) * sp.pi**2, -1], [-1, 4]])
    assert CLAIM["errata.jacobian-entry"].value() == 4 + sp.Rational(68, 100) * sp.pi**2
    # The stated Hessian at the origin is [[4, -1], [-1, 4]]: only the corner differs.
    stated = newton.objective()[2].subs({errata.X: 0, errata.Y: 0})
    assert J - stated == sp.Matrix([[sp.Rational(17, 25) * sp.pi**2, 0], [0, 0]])
    step = CLAIM["errata.jacobian-step"].value()
    assert sp.simplify(J * step - sp.Matrix([0, 17])) == sp.zeros(2, 1)  # J step = -g(0) = (0, 17)
    assert sp.simplify(step - sp.Matrix([sp.Rational(17, 15), sp.Rational(68, 15)])) != sp.zeros(2, 1)


@pytest.mark.claim("errata.jacobian-entry", "numeric")
@pytest.mark.claim("errata.jacobian-step", "numeric")
def test_the_jacobian_of_the_written_gradient_numerically():
    J = fd_jacobian(written_gradient, np.zeros(2))
    assert_close(J[0, 0], 10.711, rtol=0, atol=5e-4, what="corner entry")
    step = -np.linalg.solve(J, written_gradient(np.zeros(2)))
    assert_close(step, [0.406, 4.352], rtol=0, atol=5e-4, what="step with the Jacobian of g")
    assert np.linalg.norm(step - [17 / 15, 68 / 15]) > 0.5  # not the original's (19)


# --- 2.2.2 -------------------------------------------------------------------------------------


@pytest.mark.claim("errata.sum-index", "symbolic")
def test_weights_of_the_sum_from_zero():
    t, b = sp.Symbol("t", positive=True), sp.Symbol("beta_1", positive=True)
    assert sp.simplify(errata.sum_from_zero(t, b) - (1 - b ** (t + 1))) == 0
    for k in range(1, 9):
        assert sp.expand(sum((1 - b) * b ** (k - i) for i in range(0, k + 1)) - (1 - b ** (k + 1))) == 0


@pytest.mark.claim("errata.sum-index", "numeric")
@given(finite_floats(0.01, 0.99))
def test_weights_of_the_sum_from_zero_numerically(beta):
    for t in range(1, 20):
        total = (1 - beta) * sum(beta ** (t - i) for i in range(0, t + 1))
        assert_close(total, 1 - beta ** (t + 1), rtol=1e-12, atol=1e-14)
        # ... and not the original's 1 - beta^t: they differ by beta^t (1 - beta), far above rounding.
        assert_close(total - (1 - beta**t), beta**t * (1 - beta), rtol=1e-6, atol=1e-15)


@pytest.mark.claim("errata.stationarity", "symbolic")
@pytest.mark.claim("errata.stationarity-gap", "symbolic")
def test_bias_correction_needs_a_constant_mean():
    b, mu = errata.B1, errata.MU
    # E[m_2] from the recursion m_t = b m_{t-1} + (1 - b) g_t, m_0 = 0, with E[g_i] = i mu.
    m = sp.Integer(0)
    for i in (1, 2):
        m = b * m + (1 - b) * i * mu
    corrected = CLAIM["errata.stationarity"].value()
    assert sp.simplify(corrected - m / (1 - b**2)) == 0
    assert sp.simplify(corrected - (b + 2) / (b + 1) * mu) == 0
    gap = CLAIM["errata.stationarity-gap"].value()
    assert sp.simplify(gap - (2 * mu - corrected)) == 0
    assert sp.simplify(gap - b / (b + 1) * mu) == 0
    # Not zero when beta_1 > 0 and mu != 0; zero when either vanishes (the "not" needs both).
    assert sp.solve(sp.numer(sp.together(gap)), mu) == [0]
    assert gap.subs(mu, 0) == 0 and sp.limit(gap, b, 0) == 0


@pytest.mark.claim("errata.stationarity", "numeric")
def test_drifting_mean_by_monte_carlo():
    rng = np.random.default_rng(2)
    runs, beta, mu = 200000, 0.9, 1.0
    g1, g2 = rng.normal(mu, 1.0, runs), rng.normal(2 * mu, 1.0, runs)
    m2_hat = (beta * (1 - beta) * g1 + (1 - beta) * g2) / (1 - beta**2)
    se = np.sqrt(((beta * (1 - beta)) ** 2 + (1 - beta) ** 2) / (1 - beta**2) ** 2 / runs)
    assert abs(m2_hat.mean() - (beta + 2) / (beta + 1) * mu) < 5 * se
    assert abs(m2_hat.mean() - 2 * mu) > 50 * se


@pytest.mark.claim("errata.stationarity-gap", "numeric")
@given(finite_floats(0.01, 0.99), finite_floats(-5.0, 5.0))
def test_bias_under_drift_numerically(beta, mu):
    m2 = beta * (1 - beta) * mu + (1 - beta) * 2 * mu  # E[m_2] when E[g_i] = i mu
    assert_close(2 * mu - m2 / (1 - beta**2), beta / (beta + 1) * mu, rtol=1e-12, atol=1e-12)


# --- 3.2 ---------------------------------------------------------------------------------------


def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))  # no overflow for large |z|


@pytest.mark.claim("errata.saturation-low", "symbolic")
def test_sigmoid_saturates_low():
    value = CLAIM["errata.saturation-low"].value()
    assert value == 1 / (1 + sp.exp(10)) and 0 < value < sp.Rational(1, 10**4)


@pytest.mark.claim("errata.saturation-low", "numeric")
def test_sigmoid_saturates_low_numerically():
    assert_close(sigmoid(-10.0), 0.0000454, rtol=0, atol=5e-8)
    assert sigmoid(10.0) > 1 - 1e-4  # and close to 1 at the other end, as the original says


@pytest.mark.claim("errata.saturation-slope", "symbolic")
def test_slope_vanishes_alike_at_both_ends():
    z = sp.Symbol("z", real=True)
    s = 1 / (1 + sp.exp(-z))
    slopes = CLAIM["errata.saturation-slope"].value()
    assert sp.simplify(slopes[0] - slopes[1]) == 0  # sigma' is even
    assert sp.simplify(slopes[0] - (s * (1 - s)).subs(z, -10)) == 0  # sigma' = sigma (1 - sigma)
    assert sp.simplify((s * (1 - s)).subs(z, -z) - s * (1 - s)) == 0  # at every z, not only 10
    assert slopes[0] < sp.Rational(1, 10**4) and sp.Rational(1, 4) / slopes[0] > 5000  # vs the peak 1/4


@pytest.mark.claim("errata.saturation-slope", "numeric")
def test_slope_at_both_ends_by_finite_differences():
    for z in (-10.0, 10.0):
        assert_close(fd_jacobian(lambda q: np.array([sigmoid(q[0])]), np.array([z]))[0, 0], 0.0000454,
                     rtol=0, atol=5e-8, what=f"sigma'({z})")


@pytest.mark.claim("errata.operations", "symbolic")
def test_operation_counts_are_equal():
    assert CLAIM["errata.operations"].value() == 0
    assert errata.operation_counts() == (44, 44)  # "both counts being 44"
    inputs, hidden = len(errata.OPERATIONS_X), errata.OPERATIONS_HIDDEN
    assert 44 == inputs * hidden + hidden + hidden * (4 + inputs)  # forward, then 4 per unit + 1 per input back
    # The instance is the one the page states.
    entry = " ".join(sections()["e-operations"].split())
    assert f"{inputs} inputs, {hidden} hidden sigmoid units, one linear output $y$ and no biases" in entry
    shown = re.search(r"\$\\mathbf\{x\} = \(([^)]*)\) \\given\$", entry)
    assert shown and tuple(float(v) for v in shown[1].split(",")) == errata.OPERATIONS_X
    assert errata.OPERATIONS_SCALES == (1e-3, 1e3)  # the display's N(10^3) - N(10^-3)


@pytest.mark.claim("errata.operations", "numeric")
def test_operation_counts_follow_the_shapes_only():
    """The count changes with the shapes (so it measures something), never with the values."""
    from snippets.backprop import initialization as init

    rng = np.random.default_rng(5)
    for hidden in (2, 4, 7):
        counts = {init.count_multiplications((scale * rng.normal(size=(3, hidden))).tolist(),
                                             (scale * rng.normal(size=hidden)).tolist(), [0.5, -1.0, 2.0])[0]
                  for scale in (1e-3, 1.0, 1e3)}
        assert counts == {3 * hidden + hidden + hidden * (4 + 3)}


@pytest.mark.claim("errata.operations-count", "symbolic")
def test_operation_count_reads_no_value():
    """The count is a function of the shapes alone: the counting function has no branch (if,
    while, conditional expression, comparison, boolean operator) that could look at a value, its
    loops run over range(len(...)) of its arguments, and it adds constants to the count. So the
    count at one s is the count at every s; at the page's shapes it is 44."""
    import ast
    import inspect
    import textwrap

    from snippets.backprop import initialization as init

    tree = ast.parse(textwrap.dedent(inspect.getsource(init.count_multiplications)))
    branches = (ast.If, ast.While, ast.IfExp, ast.Compare, ast.BoolOp, ast.Try, ast.Match)
    assert not [type(node).__name__ for node in ast.walk(tree) if isinstance(node, branches)]
    loops = [node for node in ast.walk(tree) if isinstance(node, (ast.For, ast.comprehension))]
    assert loops
    for loop in loops:
        assert ast.unparse(loop.iter) in ("range(len(w2))", "range(len(x))", "x"), ast.unparse(loop.iter)
    increments = [node for node in ast.walk(tree)
                  if isinstance(node, ast.AugAssign) and ast.unparse(node.target) == "count"]
    assert increments and all(isinstance(node.value, ast.Constant) for node in increments)
    count = CLAIM["errata.operations-count"].value()
    assert count == 44 == init.count_multiplications([[1.0] * 4] * 3, [1.0] * 4, list(errata.OPERATIONS_X))[0]


@pytest.mark.claim("errata.operations-count", "numeric")
@given(st.one_of(st.just(0.0), finite_floats(-1e6, 1e6), finite_floats(-1e-6, 1e-6)))
def test_operation_count_at_any_weight(s):
    from snippets.backprop import initialization as init

    assert init.count_multiplications([[s] * 4] * 3, [s] * 4, list(errata.OPERATIONS_X))[0] == 44


def test_smallest_normal_float64():
    """The page's threshold for subnormal numbers, about 2.2 x 10^-308."""
    assert f"{np.finfo(np.float64).tiny:.1e}" == "2.2e-308"


# --- the page: quotations, markers, entries ------------------------------------------------------

MARKERS = re.compile(r"\\claim\{[^{}]*\}|\\(?:given|quoted)(?![A-Za-z])")


def page_text() -> str:
    return PAGE.read_text(encoding="utf-8")


def prose() -> str:
    """The page's text without front matter, code fences and snippet includes, on one line."""
    text = re.sub(r"^---\n.*?\n---\n", "", page_text(), flags=re.S)
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return " ".join(text.split())


def _bare(tex: str) -> str:
    """TeX without markers, \\left / \\right and whitespace, for comparing quoted formulas."""
    return re.sub(r"\\(?:left|right)(?![A-Za-z])|\s+", "", MARKERS.sub("", tex))


def test_every_quotation_is_the_originals_text():
    sheet = SHEET.read_text(encoding="utf-8")
    words = " ".join(sheet.split())
    unmark = re.compile(r"\s*(?:" + MARKERS.pattern + ")")  # a marker and the space before it
    quotes = [" ".join(unmark.sub("", q).split()) for q in re.findall(r'"([^"]+)"', prose())]
    assert len(quotes) >= 12
    missing = [q for q in quotes if q not in words]
    assert not missing, missing
    # Formulas marked \quoted: the whole formula, or (a quotation given a name: g_1 = ...) what
    # follows its first "=", is in the sheet.
    formulas = [tex for _, tex in inline_tex(page_text()) if "\\quoted" in tex]
    assert len(formulas) >= 20
    bare_sheet = _bare(sheet)
    missing = [f for f in formulas if _bare(f) not in bare_sheet and _bare(f.split("=", 1)[-1]) not in bare_sheet]
    assert not missing, missing


def test_the_quoted_third_point_is_from_the_list_and_the_right_one_from_the_classification():
    sheet = SHEET.read_text(encoding="utf-8").splitlines()
    (points_line,) = [line for line in sheet if "as our saddle points" in line]
    (cases,) = [line for line in sheet if "is a local minimum" in line]
    entry = sections()["e-third-point"]
    listed, classified = re.findall(r"\$([^$]*\\quoted)\$", entry)
    assert _bare(listed) in _bare(points_line) and _bare(listed) not in _bare(cases)
    assert _bare(classified) in _bare(cases)


def sections() -> dict[str, str]:
    """Each errata entry's text by its anchor."""
    parts = re.split(r"^## ", page_text(), flags=re.M)
    found = {}
    for part in parts[1:]:
        anchor = re.search(r"\{ #(e-[a-z0-9-]+) \}", part.splitlines()[0])
        if anchor:
            found[anchor[1]] = part
    return found


def test_every_entry_quotes_credits_links_and_names_its_tests():
    entries = sections()
    assert len(entries) == 17
    for anchor, text in entries.items():
        assert "**Original" in text, f"{anchor}: no quotation of the original"
        assert re.search(r"\*\*(?:Correction|Right)", text), f"{anchor}: no correction or credit"
        assert re.search(r"\]\((?:linear-algebra|optimization|backprop)/[a-z-]+\.md(?:#[a-z0-9-]+)?\)", text), \
            f"{anchor}: no link to the page that makes the correction"
        assert re.search(r"`test_[a-z0-9_]+`", text), f"{anchor}: names no test"
        original = re.search(r"\*\*Original.*?(?=\*\*(?:Right|Correction))", " ".join(text.split()))
        assert original and ("\\quoted" in original[0] or '"' in original[0]), f"{anchor}: the original is not quoted"


def test_named_tests_and_claims_exist():
    """A test or claim renamed elsewhere must not leave a dangling name on this page."""
    text = page_text()
    defined_tests = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        defined_tests |= set(re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), flags=re.M))
    named_tests = set(re.findall(r"`(test_\w+)`", text))
    assert len(named_tests) >= 30
    assert not named_tests - defined_tests, sorted(named_tests - defined_tests)
    claims = discover("snippets")
    named_claims = {name for name in re.findall(r"`([a-z0-9-]+\.[a-z0-9-]+)`", text) if not name.endswith(".py")}
    marked = set(re.findall(r"\\claim\{([^{}]*)\}", text))
    assert len(named_claims) >= 25
    assert not (named_claims | marked) - set(claims), sorted((named_claims | marked) - set(claims))
    # Every claim defined here is shown here.
    assert {c.id for c in errata.CLAIMS} <= marked


def first_quotation(entry: str) -> str:
    """The first thing an entry's **Original** part quotes: a "…" quotation or a formula marked \\quoted."""
    original = re.search(r"\*\*Original.*?(?=\*\*(?:Right|Correction))", entry, flags=re.S)[0]
    first = re.search(r'"([^"]+)"|\$([^$]*\\quoted)\$', original)
    return first[1] or first[2]


def test_entries_follow_the_sheet():
    """The intro's "in the order of the sheet": each entry's first quotation of the original comes
    later in the sheet than the previous entry's."""
    sheet = _bare(SHEET.read_text(encoding="utf-8"))
    order = []
    for anchor, entry in sections().items():
        quote = first_quotation(entry)
        at = sheet.find(_bare(quote))
        if at < 0:  # a quotation given a name (g_1 = …): what follows its first "="
            at = sheet.find(_bare(quote.split("=", 1)[-1]))
        assert at >= 0, (anchor, quote)
        order.append((at, anchor))
    assert len(order) == 17
    assert [anchor for _, anchor in order] == [anchor for _, anchor in sorted(order)]


ADAM_ENTRIES = {"e-moments", "e-stationarity", "e-sum-index"}  # 2.2.2: the Adam page's plain letters


def test_own_formulas_follow_the_stated_notation():
    """The intro's rule: our own formulas (not the quotations) write the transpose as \\top, never
    ^T, and vectors in bold: the rows a_i of A, and the parameters theta of a unit. The 2.2.2
    entries keep the Adam page's plain g_i, m_t, v_t and theta_i."""
    checked = 0
    for anchor, entry in sections().items():
        own = [tex for tex in display_tex(entry) + [tex for _, tex in inline_tex(entry)] if "\\quoted" not in tex]
        for tex in own:
            checked += 1
            assert not re.search(r"\^\{?T\b", tex), (anchor, tex)
            bold = re.findall(r"\\(?:boldsymbol|mathbf)\{\\?(theta|g|m|v|a)\}", tex)
            rest = re.sub(r"\\(?:boldsymbol|mathbf)\{[^{}]*\}", "", tex)  # what is not bold
            assert not re.search(r"(?<![\\\w])a_[i0-9]\^", rest), (anchor, tex)  # a row of A, not bold
            plain = re.findall(r"\\theta(?![A-Za-z])", rest)
            if anchor in ADAM_ENTRIES:
                assert not bold, (anchor, tex)
            else:
                assert not plain, (anchor, tex)
    assert checked > 100
