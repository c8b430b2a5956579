"""Proofs for docs/linear-algebra/hessian.md (snippets/linear_algebra/hessian.py)."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, example, given
from hypothesis import strategies as st

from snippets.linear_algebra import hessian
from tests.strategies import finite_floats, points_in_box
from verified_docs.verify import assert_close, fd_jacobian, lambdify, symbolic_equal

u, v, z = sp.symbols("u v z", real=True)
VARIABLES = (u, v, z)
U, V, H = hessian.U, hessian.V, hessian.H
CLAIM = {c.id: c for c in hessian.CLAIMS}
# Concrete C^2 functions: polynomial, transcendental, and mixed.
C2_FUNCTIONS = [
    u**3 * v - 2 * u * v * z**2 + z**4,
    sp.sin(u * v) + sp.exp(v - z) * u,
    sp.log(1 + u**2 + v**2) * sp.cos(z) + u * v * z,
]
# The counterexample, written out by hand (independently of the snippet's g).
G = U * V * (U**2 - V**2) / (U**2 + V**2)
# The original's matrix (2): entry (i, j) is d y / (d a d b), (a, b) as written, left to right.
ORIGINAL_DENOMINATORS = [
    [("u", "u"), ("u", "v"), ("u", "z")],
    [("v", "u"), ("v", "v"), ("v", "z")],
    [("z", "u"), ("z", "v"), ("z", "z")],
]


@functools.cache
def compiled(expr, variables):
    """lambdify once per expression, not once per hypothesis example."""
    return lambdify(expr, variables)


def g_float(a: float, b: float) -> float:
    return 0.0 if a == 0 and b == 0 else a * b * (a**2 - b**2) / (a**2 + b**2)


def explicit_hessian(y, variables):
    """(H)[i, j] = d/dx_i (dy/dx_j), each order spelled out (sympy's own hessian mirrors a triangle)."""
    n = len(variables)
    return sp.Matrix(n, n, lambda i, j: sp.diff(sp.diff(y, variables[j]), variables[i]))


def nested_quotients(func, first: int, then: int, h: float) -> float:
    """d/dx_then (d func/dx_first) at the origin by central differences, inner step h/100."""
    k = h / 100  # the inner step must be much smaller than the outer one

    def inner(x):
        e = np.zeros(2)
        e[first] = k
        return (func(*(x + e)) - func(*(x - e))) / (2 * k)

    e = np.zeros(2)
    e[then] = h
    return (inner(e) - inner(-e)) / (2 * h)


# --- J_f: its entries, its columns, and its relation to H_y ---------------------------------


@pytest.mark.claim("hessian.jacobian", "symbolic")
@pytest.mark.parametrize("y", C2_FUNCTIONS)
def test_jacobian_of_gradient_entries_and_columns(y):
    J = hessian.jacobian_of_gradient(y, VARIABLES)
    assert J.shape == (3, 3)
    f = sp.Matrix([y.diff(x) for x in VARIABLES])
    for j, xj in enumerate(VARIABLES):
        # The original's layout J = [df/du, df/dv, df/dz]: column j is df/dx_j.
        assert symbolic_equal(J[:, j], f.diff(xj))
        for i, xi in enumerate(VARIABLES):
            # The entry the page shows at (i, j): d/dx_j of dy/dx_i.
            assert symbolic_equal(J[i, j], sp.diff(sp.diff(y, xi), xj))


def test_jacobian_index_order_matters_where_symmetry_fails():
    """The page's (i, j) = d/dx_j (dy/dx_i) convention: row i of J is the gradient of g's i-th partial."""
    assert hessian.second_partial_tex("u", "v") == "\\frac{\\partial^2 y}{\\partial v\\, \\partial u}"
    J = hessian.counterexample_jacobian()
    g_u_on_v_axis = -V  # computed by hand on the page
    assert J[0, 1] == sp.diff(g_u_on_v_axis, V) == -1
    assert J[1, 0] == 1


@pytest.mark.claim("hessian.jacobian", "numeric")
@pytest.mark.claim("hessian.symmetric", "numeric")
@pytest.mark.parametrize("y", C2_FUNCTIONS)
@given(points_in_box(-1.5, 1.5, dim=3))
def test_finite_difference_jacobian_of_gradient(y, p):
    grad = compiled(sp.ImmutableMatrix([y.diff(x) for x in VARIABLES]), VARIABLES)
    J = fd_jacobian(lambda q: grad(q).ravel(), p)
    exact = compiled(sp.ImmutableMatrix(hessian.jacobian_of_gradient(y, VARIABLES)), VARIABLES)
    assert_close(J, exact(p), what="FD Jacobian of gradient")
    assert_close(J, J.T, what="FD Hessian symmetry")


@pytest.mark.claim("hessian.transpose", "symbolic")
def test_jacobian_of_gradient_is_the_transposed_hessian():
    # For every y, entry (i, j) of J is entry (j, i) of H: on C^2 functions ...
    for y in C2_FUNCTIONS:
        assert symbolic_equal(hessian.jacobian_of_gradient(y, VARIABLES), explicit_hessian(y, VARIABLES).T)
    # ... and where the two orders differ, so that the transpose matters.
    J, Hg = hessian.counterexample_jacobian(), hessian.counterexample_hessian()
    assert J == Hg.T
    assert J != Hg
    assert hessian.transpose_tex() == "\\mathbf{H}_y^\\top"


@pytest.mark.claim("hessian.transpose", "numeric")
@pytest.mark.claim("hessian.counterexample-hessian", "numeric")
@pytest.mark.parametrize("h", [1e-2, 1e-3, 1e-4])
def test_transposed_hessian_by_nested_difference_quotients(h):
    # (J)[i, j] = d/dx_j (dg/dx_i) and (H)[i, j] = d/dx_i (dg/dx_j), each from its own quotients.
    J = np.array([[nested_quotients(g_float, i, j, h) for j in range(2)] for i in range(2)])
    Hg = np.array([[nested_quotients(g_float, j, i, h) for j in range(2)] for i in range(2)])
    hessian_claim = np.array(CLAIM["hessian.counterexample-hessian"].value(), dtype=float)
    assert_close(Hg, hessian_claim, rtol=0, atol=1e-3, what=f"H_g(0, 0), h = {h}")
    assert_close(J, hessian_claim.T, rtol=0, atol=1e-3, what=f"J_grad g(0, 0) vs H_g(0, 0)^T, h = {h}")
    assert np.abs(J - Hg).max() > 1.9  # J and H differ by 2 in the off-diagonal entries


def test_original_entries_name_the_jacobian_read_in_order_of_differentiation():
    """Read left to right (first variable first), the original's denominators give J; read in
    Leibniz order, its transpose. The two differ for y(u, v, z) = g(u, v) at the origin."""
    def y(a, b, c):
        return hessian.g(a, b)

    index = {name: k for k, name in enumerate(hessian.NAMES)}
    origin = (0, 0, 0)
    left_to_right = sp.Matrix(3, 3, lambda i, j: hessian.partial(
        hessian.partial(y, index[ORIGINAL_DENOMINATORS[i][j][0]]), index[ORIGINAL_DENOMINATORS[i][j][1]])(*origin))
    leibniz = sp.Matrix(3, 3, lambda i, j: hessian.partial(
        hessian.partial(y, index[ORIGINAL_DENOMINATORS[i][j][1]]), index[ORIGINAL_DENOMINATORS[i][j][0]])(*origin))
    J = hessian.jacobian_of_gradient_at(y, origin)
    assert J == sp.Matrix([[0, -1, 0], [1, 0, 0], [0, 0, 0]])
    assert left_to_right == J
    assert leibniz == J.T != J
    assert leibniz == hessian.hessian_at(y, origin)  # the transpose of (1) is H_y, as the page says


def test_second_derivatives_of_f_form_a_three_index_array():
    y = C2_FUNCTIONS[0]
    f = sp.Array([y.diff(x) for x in VARIABLES])
    second = sp.derive_by_array(sp.derive_by_array(f, VARIABLES), VARIABLES)
    assert second.shape == (3, 3, 3)


# --- y in C^2: the order does not matter ----------------------------------------------------


@pytest.mark.claim("hessian.symmetric", "symbolic")
@pytest.mark.parametrize("y", C2_FUNCTIONS)
def test_mixed_partials_agree_for_c2_functions(y):
    for a in VARIABLES:
        for b in VARIABLES:
            # Differentiate in the two orders explicitly, one variable at a time.
            assert sp.simplify(sp.diff(sp.diff(y, a), b) - sp.diff(sp.diff(y, b), a)) == 0


@pytest.mark.claim("hessian.symmetric", "symbolic")
@pytest.mark.parametrize("y", C2_FUNCTIONS)
def test_jacobian_of_gradient_is_hessian_of_y(y):
    """For y in C^2 the transpose in J_f = H_y^T makes no difference."""
    H_y = explicit_hessian(y, VARIABLES)
    assert symbolic_equal(H_y, H_y.T)
    assert symbolic_equal(hessian.jacobian_of_gradient(y, VARIABLES), H_y)


def test_symmetry_check_can_fail():
    """The same comparison says no for the counterexample's mixed partials at the origin."""
    J = hessian.counterexample_jacobian()
    assert J[0, 1] - J[1, 0] != 0


def test_sympy_sorts_the_variables_of_an_undefined_function_derivative():
    psi = sp.Function("psi")(u, v)
    assert sp.diff(psi, u, v) == sp.diff(psi, v, u)  # assumed, not proved ...
    assert sp.diff(psi, u, v).variables == sp.diff(psi, v, u).variables == (u, v)  # ... because sorted
    assert sp.Derivative(psi, v, u).variables == (v, u)  # unevaluated, the order is kept


def test_generated_tex_is_the_index_convention():
    assert hessian.jacobian_tex().startswith("\\begin{pmatrix} \\frac{\\partial^2 y}{\\partial u^2} & ")
    assert hessian.jacobian_tex().count(" \\\\ ") == 2 and hessian.jacobian_tex().count(" & ") == 6
    assert hessian.jacobian_tex().endswith("\\frac{\\partial^2 y}{\\partial z^2} \\end{pmatrix}")
    assert hessian.symmetry_tex() == (
        "\\frac{\\partial^2 y}{\\partial v\\, \\partial u} = \\frac{\\partial^2 y}{\\partial u\\, \\partial v}")


# --- the counterexample g -------------------------------------------------------------------


def test_g_is_the_page_function_and_vanishes_on_the_axes():
    assert symbolic_equal(hessian.g(U, V), G)
    assert hessian.g(0, 0) == 0
    assert G.subs(V, 0) == 0 and G.subs(U, 0) == 0  # so g_u = 0 on the u-axis, g_v = 0 on the v-axis


@pytest.mark.claim("hessian.quotient-u", "symbolic")
@pytest.mark.claim("hessian.quotient-v", "symbolic")
def test_difference_quotients_on_the_axes():
    # g(0, v) and g(u, 0) are 0, whether by the formula (off the origin) or by definition (at it).
    assert symbolic_equal(CLAIM["hessian.quotient-u"].value(), G.subs(U, H) / H)
    assert symbolic_equal(CLAIM["hessian.quotient-u"].value(), V * (H**2 - V**2) / (H**2 + V**2))
    assert symbolic_equal(CLAIM["hessian.quotient-v"].value(), G.subs(V, H) / H)
    assert symbolic_equal(CLAIM["hessian.quotient-v"].value(), U * (U**2 - H**2) / (U**2 + H**2))


@pytest.mark.claim("hessian.quotient-u", "numeric")
@pytest.mark.claim("hessian.quotient-v", "numeric")
@given(finite_floats(-2, 2), finite_floats(-1, 1))
def test_difference_quotients_numerically(a, h):
    assume(abs(h) > 1e-3 and (a == 0 or abs(a) > 1e-6))
    quotient_u = compiled(CLAIM["hessian.quotient-u"].value(), (H, V))
    quotient_v = compiled(CLAIM["hessian.quotient-v"].value(), (H, U))
    assert_close(quotient_u([h, a]), (g_float(h, a) - g_float(0, a)) / h, rtol=1e-12, atol=1e-12)
    assert_close(quotient_v([h, a]), (g_float(a, h) - g_float(a, 0)) / h, rtol=1e-12, atol=1e-12)


@pytest.mark.claim("hessian.gu-axis", "symbolic")
@pytest.mark.claim("hessian.gv-axis", "symbolic")
def test_first_partials_on_the_axes_by_limits():
    assert CLAIM["hessian.gu-axis"].value() == sp.limit(V * (H**2 - V**2) / (H**2 + V**2), H, 0) == -V
    assert CLAIM["hessian.gv-axis"].value() == sp.limit(U * (U**2 - H**2) / (U**2 + H**2), H, 0) == U
    # The page's reason: for v != 0 (u != 0) the fraction tends to -1 (to 1); for v = 0 the
    # quotient is 0 whatever h.
    assert CLAIM["hessian.quotient-u"].value().subs(V, 0) == 0
    nonzero = sp.Symbol("w", nonzero=True)
    assert sp.limit((H**2 - nonzero**2) / (H**2 + nonzero**2), H, 0) == -1
    assert sp.limit((nonzero**2 - H**2) / (nonzero**2 + H**2), H, 0) == 1
    # The symbolic v stands for v != 0 inside the formula; the origin, where g is 0 by definition:
    assert hessian.partial(hessian.g, 0)(0, 0) == 0 == (-V).subs(V, 0)
    assert hessian.partial(hessian.g, 1)(0, 0) == 0
    # Off the origin, the ordinary derivative of the formula agrees.
    assert sp.simplify(G.diff(U).subs(U, 0) + V) == 0
    assert sp.simplify(G.diff(V).subs(V, 0) - U) == 0


@pytest.mark.claim("hessian.gu-axis", "numeric")
@pytest.mark.claim("hessian.gv-axis", "numeric")
@given(finite_floats(-2, 2))
@example(0.0)  # the origin, where g is 0 by definition
def test_first_partials_on_the_axes_numerically(a):
    k = 1e-7
    # |error| <= 2 |a| k^2 / (k^2 + a^2) <= k, whatever a: within atol.
    assert_close((g_float(k, a) - g_float(-k, a)) / (2 * k), -a, rtol=1e-6, atol=1e-6, what="g_u(0, a)")
    assert_close((g_float(a, k) - g_float(a, -k)) / (2 * k), a, rtol=1e-6, atol=1e-6, what="g_v(a, 0)")


@pytest.mark.claim("hessian.g-u-axis", "symbolic")
@pytest.mark.claim("hessian.g-v-axis", "symbolic")
@pytest.mark.claim("hessian.gu-u-axis", "symbolic")
@pytest.mark.claim("hessian.gv-v-axis", "symbolic")
@pytest.mark.claim("hessian.guu", "symbolic")
@pytest.mark.claim("hessian.gvv", "symbolic")
def test_diagonal_at_the_origin_from_g_on_the_axes():
    """The page's steps: g = 0 on the axes, so g_u = 0 along the u-axis (g_v along the v-axis),
    so g_uu(0, 0) = g_vv(0, 0) = 0."""
    # g is 0 on both axes: by the formula off the origin, by definition at it.
    assert CLAIM["hessian.g-u-axis"].value() == G.subs(V, 0) == 0 == hessian.g(0, 0)
    assert CLAIM["hessian.g-v-axis"].value() == G.subs(U, 0) == 0
    # The difference quotients along the axes are 0 for every h, so the limits are 0, origin included.
    assert CLAIM["hessian.gu-u-axis"].value() == 0 == hessian.partial(hessian.g, 0)(0, 0)
    assert CLAIM["hessian.gv-v-axis"].value() == 0 == hessian.partial(hessian.g, 1)(0, 0)
    # Differentiating g_u(u, 0) = 0 in u at u = 0, and g_v(0, v) = 0 in v at v = 0.
    g_u_along, g_v_along = CLAIM["hessian.gu-u-axis"].value(), CLAIM["hessian.gv-v-axis"].value()
    assert sp.limit((g_u_along.subs(U, H) - g_u_along.subs(U, 0)) / H, H, 0) == CLAIM["hessian.guu"].value() == 0
    assert sp.limit((g_v_along.subs(V, H) - g_v_along.subs(V, 0)) / H, H, 0) == CLAIM["hessian.gvv"].value() == 0
    # The same entries, each a limit of limits, in both matrices on the page.
    J, Hg = hessian.counterexample_jacobian(), hessian.counterexample_hessian()
    assert J[0, 0] == Hg[0, 0] == CLAIM["hessian.guu"].value() and J[1, 1] == Hg[1, 1] == CLAIM["hessian.gvv"].value()


@pytest.mark.claim("hessian.g-u-axis", "numeric")
@pytest.mark.claim("hessian.g-v-axis", "numeric")
@pytest.mark.claim("hessian.gu-u-axis", "numeric")
@pytest.mark.claim("hessian.gv-v-axis", "numeric")
@given(finite_floats(-2, 2))
@example(0.0)
def test_g_and_its_partials_along_the_axes_numerically(a):
    assume(a == 0 or abs(a) > 1e-6)  # g_float divides by a^2 + b^2, which underflows for tinier a
    assert g_float(a, 0.0) == float(CLAIM["hessian.g-u-axis"].value())
    assert g_float(0.0, a) == float(CLAIM["hessian.g-v-axis"].value())
    k = 1e-7
    assert_close((g_float(a + k, 0.0) - g_float(a - k, 0.0)) / (2 * k), float(CLAIM["hessian.gu-u-axis"].value()),
                 rtol=0, atol=1e-9, what="g_u(a, 0)")
    assert_close((g_float(0.0, a + k) - g_float(0.0, a - k)) / (2 * k), float(CLAIM["hessian.gv-v-axis"].value()),
                 rtol=0, atol=1e-9, what="g_v(0, a)")


@pytest.mark.claim("hessian.guu", "numeric")
@pytest.mark.claim("hessian.gvv", "numeric")
@pytest.mark.parametrize("h", [1e-2, 1e-3, 1e-4])
def test_diagonal_at_the_origin_by_nested_difference_quotients(h):
    assert_close(nested_quotients(g_float, 0, 0, h), float(CLAIM["hessian.guu"].value()), rtol=0, atol=1e-3)
    assert_close(nested_quotients(g_float, 1, 1, h), float(CLAIM["hessian.gvv"].value()), rtol=0, atol=1e-3)


@pytest.mark.claim("hessian.counterexample", "symbolic")
@pytest.mark.claim("hessian.counterexample-hessian", "symbolic")
def test_counterexample_by_limits():
    assert CLAIM["hessian.counterexample"].value() == sp.Matrix([[0, -1], [1, 0]])
    assert CLAIM["hessian.counterexample-hessian"].value() == sp.Matrix([[0, 1], [-1, 0]])
    # By hand: g_uv(0, 0) = d/dv (-v), g_vu(0, 0) = d/du (u); the diagonal from g = 0 on the axes.
    assert sp.diff(-V, V) == -1 and sp.diff(U, U) == 1
    # Away from the origin g is smooth and its mixed partials agree; at the origin they do not.
    assert sp.simplify(G.diff(U, V) - G.diff(V, U)) == 0


@pytest.mark.claim("hessian.counterexample", "numeric")
@pytest.mark.parametrize("h", [1e-2, 1e-3, 1e-4])
def test_counterexample_by_nested_difference_quotients(h):
    J = [[nested_quotients(g_float, i, j, h) for j in range(2)] for i in range(2)]
    claimed = np.array(CLAIM["hessian.counterexample"].value(), dtype=float)
    assert_close(J, claimed, rtol=0, atol=1e-3, what=f"J_grad g(0, 0), h = {h}")


# --- the second partials exist everywhere but g_uv is not continuous at the origin ----------


def test_second_partials_exist_off_the_origin():
    """Each second partial of the formula is a polynomial over a power of u^2 + v^2, non-zero off the origin."""
    for a in (U, V):
        for b in (U, V):
            _, denominator = sp.fraction(sp.factor(sp.diff(sp.diff(G, a), b)))
            base, _ = denominator.as_base_exp()
            assert sp.expand(base - (U**2 + V**2)) == 0, denominator


@pytest.mark.claim("hessian.guv", "symbolic")
@pytest.mark.claim("hessian.guv-u-axis", "symbolic")
@pytest.mark.claim("hessian.guv-v-axis", "symbolic")
def test_guv_off_the_origin_and_its_limits_on_the_axes():
    expected = (U**2 - V**2) * (U**4 + 10 * U**2 * V**2 + V**4) / (U**2 + V**2) ** 3
    assert symbolic_equal(CLAIM["hessian.guv"].value(), expected)
    assert symbolic_equal(sp.diff(sp.diff(G, U), V), expected)
    assert CLAIM["hessian.guv-u-axis"].value() == 1 and CLAIM["hessian.guv-v-axis"].value() == -1
    # Two different limits at the origin, so g_uv is not continuous there (its value there is -1).
    assert sp.limit(expected.subs(V, 0), U, 0) == 1
    assert sp.limit(expected.subs(U, 0), V, 0) == -1
    assert hessian.counterexample_jacobian()[0, 1] == -1


@pytest.mark.claim("hessian.guv", "numeric")
@pytest.mark.claim("hessian.guv-u-axis", "numeric")
@pytest.mark.claim("hessian.guv-v-axis", "numeric")
@given(points_in_box(-2, 2), st.sampled_from([0, 1]))
def test_guv_by_finite_differences(p, axis):
    assume(np.hypot(*p) > 0.1)
    g_u = compiled(sp.diff(G, U), (U, V))
    guv = compiled(CLAIM["hessian.guv"].value(), (U, V))
    assert_close(fd_jacobian(g_u, p)[0, 1], guv(p), rtol=1e-6, atol=1e-6, what="d/dv g_u")
    on_axis = np.zeros(2)
    on_axis[axis] = p[axis] if abs(p[axis]) > 0.1 else 0.5
    expected = 1.0 if axis == 0 else -1.0
    assert_close(fd_jacobian(g_u, on_axis)[0, 1], expected, rtol=1e-6, atol=1e-6, what=f"g_uv on axis {axis}")
