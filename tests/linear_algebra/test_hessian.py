"""Proofs for docs/linear-algebra/hessian.md (snippets/linear_algebra/hessian.py)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from snippets.linear_algebra import hessian
from verified_docs.verify import assert_close, fd_jacobian, lambdify
from tests.strategies import points_in_box

u, v, z = sp.symbols("u v z", real=True)
VARIABLES = (u, v, z)
# Concrete C^2 functions: polynomial, transcendental, and mixed.
C2_FUNCTIONS = [
    u**3 * v - 2 * u * v * z**2 + z**4,
    sp.sin(u * v) + sp.exp(v - z) * u,
    sp.log(1 + u**2 + v**2) * sp.cos(z) + u * v * z,
]


@pytest.mark.claim("hessian.jacobian", "symbolic")
@pytest.mark.parametrize("y", C2_FUNCTIONS)
def test_jacobian_of_gradient_is_hessian_of_y(y):
    J = hessian.jacobian_of_gradient(y, VARIABLES)
    names = dict(zip(hessian.NAMES, VARIABLES))
    for i, xi in enumerate(VARIABLES):
        for j, xj in enumerate(VARIABLES):
            # The entry the page shows at (i, j): d/dx_j of dy/dx_i.
            assert sp.simplify(J[i, j] - y.diff(xi).diff(xj)) == 0
    assert J.shape == (3, 3)
    assert sp.simplify(J - sp.hessian(y, VARIABLES)) == sp.zeros(3, 3)
    assert set(names) == {"u", "v", "z"}


def test_jacobian_index_order_matters_where_symmetry_fails():
    """The page's (i, j) = d/dx_j (dy/dx_i) convention, on a function whose mixed partials differ."""
    assert hessian.second_partial_tex("u", "v") == "\\frac{\\partial^2 y}{\\partial v\\, \\partial u}"
    f_xy, f_yx = hessian.mixed_partials_at_origin()
    assert (f_xy, f_yx) == (-1, 1)  # so the two orders are different numbers here


@pytest.mark.claim("hessian.jacobian", "numeric")
@pytest.mark.claim("hessian.symmetric", "numeric")
@pytest.mark.parametrize("y", C2_FUNCTIONS)
@given(points_in_box(-1.5, 1.5, dim=3))
def test_finite_difference_jacobian_of_gradient(y, p):
    grad = lambdify(sp.Matrix([y.diff(x) for x in VARIABLES]), VARIABLES)
    J = fd_jacobian(lambda q: grad(q).ravel(), p)
    assert_close(J, lambdify(sp.hessian(y, VARIABLES), VARIABLES)(p), what="FD Jacobian of gradient vs Hessian")
    assert_close(J, J.T, what="FD Hessian symmetry")


@pytest.mark.claim("hessian.symmetric", "symbolic")
@pytest.mark.parametrize("y", C2_FUNCTIONS)
def test_mixed_partials_agree_for_c2_functions(y):
    for a in VARIABLES:
        for b in VARIABLES:
            # Differentiate in the two orders explicitly, one variable at a time.
            assert sp.simplify(sp.diff(sp.diff(y, a), b) - sp.diff(sp.diff(y, b), a)) == 0


def test_symmetry_check_can_fail():
    """The same comparison says no for the counterexample's mixed partials at the origin."""
    f_xy, f_yx = hessian.mixed_partials_at_origin()
    assert f_xy - f_yx != 0


@pytest.mark.claim("hessian.counterexample", "symbolic")
def test_counterexample_by_limits():
    assert hessian.mixed_partials_at_origin() == (-1, 1)
    x, y = sp.symbols("x y", real=True)
    g = x * y * (x**2 - y**2) / (x**2 + y**2)
    # Away from the origin g is smooth and its mixed partials agree; at the origin they do not.
    assert sp.simplify(g.diff(x, y) - g.diff(y, x)) == 0
    assert sp.limit(g.diff(x).subs(x, 0), y, 0) == 0  # g_x(0, y) = -y really vanishes at y = 0 ...
    assert sp.simplify(g.diff(x).subs(x, 0) + y) == 0  # ... it is -y on the axis


@pytest.mark.claim("hessian.counterexample", "numeric")
def test_counterexample_by_nested_difference_quotients():
    def g(x, y):
        return 0.0 if x == 0 and y == 0 else x * y * (x**2 - y**2) / (x**2 + y**2)

    for h in [1e-2, 1e-3, 1e-4]:
        k = h / 100  # the inner step must be much smaller than the outer one
        g_x = lambda y: (g(k, y) - g(-k, y)) / (2 * k)  # noqa: E731
        g_y = lambda x: (g(x, k) - g(x, -k)) / (2 * k)  # noqa: E731
        f_xy = (g_x(h) - g_x(-h)) / (2 * h)
        f_yx = (g_y(h) - g_y(-h)) / (2 * h)
        assert_close([f_xy, f_yx], [-1.0, 1.0], rtol=0, atol=1e-3, what=f"h = {h}")


def test_generated_tex_is_the_index_convention():
    assert hessian.jacobian_tex().startswith("\\begin{pmatrix} \\frac{\\partial^2 y}{\\partial u^2} & ")
    assert hessian.jacobian_tex().count(" \\\\ ") == 2 and hessian.jacobian_tex().count(" & ") == 6
    assert hessian.jacobian_tex().endswith("\\frac{\\partial^2 y}{\\partial z^2} \\end{pmatrix}")
    assert hessian.symmetry_tex() == (
        "\\frac{\\partial^2 y}{\\partial v\\, \\partial u} = \\frac{\\partial^2 y}{\\partial u\\, \\partial v}")
