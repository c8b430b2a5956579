"""Question 1.1: the Jacobian of the gradient map is the transpose of the Hessian.

Page: docs/linear-algebra/hessian.md. Tests: tests/linear_algebra/test_hessian.py.
"""

# --8<-- [start:jacobian-of-gradient]
import sympy as sp


def jacobian_of_gradient(y, variables):
    """J[i, j] = d/dx_j (dy/dx_i): the Jacobian of the map x -> grad y(x).

    For this smooth y both orders of differentiation agree, so J is symmetric:

    >>> u, v, z = sp.symbols("u v z", real=True)
    >>> y = u**2 * v + sp.sin(v * z) + sp.exp(u * z)
    >>> J = jacobian_of_gradient(y, (u, v, z))
    >>> J == J.T
    True
    >>> J[0, 1], J[1, 2]
    (2*u, -v*z*sin(v*z) + cos(v*z))
    """
    grad = sp.Matrix([y.diff(x) for x in variables])
    return grad.jacobian(variables)
# --8<-- [end:jacobian-of-gradient]


# --8<-- [start:counterexample]
import sympy as sp


def g(u, v):
    """u v (u^2 - v^2) / (u^2 + v^2); 0 at the origin, where that is 0/0."""
    if (u, v) == (0, 0):
        return sp.Integer(0)
    return u * v * (u**2 - v**2) / (u**2 + v**2)


def partial(func, k):
    """d func / d x_k, as the limit of a difference quotient."""
    h = sp.Dummy("h")

    def derivative(*x):
        moved = [x_i + h if i == k else x_i for i, x_i in enumerate(x)]
        return sp.limit((func(*moved) - func(*x)) / h, h, 0)

    return derivative


def jacobian_of_gradient_at(func, point):
    """Row i, column j: d/dx_j (d func/dx_i) at the point, each a limit.

    g_u on the v-axis and g_v on the u-axis:

    >>> u, v = sp.symbols("u v", real=True)
    >>> partial(g, 0)(0, v), partial(g, 1)(u, 0)
    (-v, u)
    >>> J = jacobian_of_gradient_at(g, (0, 0))
    >>> J.tolist(), J == J.T
    ([[0, -1], [1, 0]], False)
    """
    n = len(point)
    return sp.Matrix(n, n, lambda i, j: partial(partial(func, i), j)(*point))
# --8<-- [end:counterexample]


# Everything below is build and proof machinery, not shown on the page.

import functools

from verified_docs import Claim

NAMES = ("u", "v", "z")
U, V, H = sp.symbols("u v h", real=True)


def second_partial_tex(i: str, j: str) -> str:
    """TeX for d/dj (dy/di), the (i, j) entry of the Jacobian of the gradient (Leibniz order)."""
    if i == j:
        return f"\\frac{{\\partial^2 y}}{{\\partial {i}^2}}"
    return f"\\frac{{\\partial^2 y}}{{\\partial {j}\\, \\partial {i}}}"


def jacobian_tex() -> str:
    rows = [" & ".join(second_partial_tex(i, j) for j in NAMES) for i in NAMES]
    return "\\begin{pmatrix} " + " \\\\ ".join(rows) + " \\end{pmatrix}"


def symmetry_tex() -> str:
    return second_partial_tex("u", "v") + " = " + second_partial_tex("v", "u")


def hessian_at(func, point):
    """(H)[i, j] = d/dx_i of (d func/dx_j) at the point: the Hessian, in the page's convention."""
    n = len(point)
    return sp.Matrix(n, n, lambda i, j: partial(partial(func, j), i)(*point))


@functools.cache
def counterexample_jacobian():
    return jacobian_of_gradient_at(g, (0, 0))


@functools.cache
def counterexample_hessian():
    return hessian_at(g, (0, 0))


def transpose_tex() -> str:
    """J_f = H_y^T (tests: the entries agree with the indices swapped; the counterexample tells J and H apart)."""
    return "\\mathbf{H}_y^\\top"


@functools.cache
def g_uv():
    """d/dv (dg/du) away from the origin, where g is a quotient with a non-zero denominator."""
    return sp.factor(sp.cancel(g(U, V).diff(U).diff(V)))


CLAIMS = [
    Claim("hessian.jacobian", "The Jacobian of the gradient map: row i, column j is d/dx_j of dy/dx_i",
          tex=jacobian_tex),
    Claim("hessian.transpose", "With (H_y)_ij = d/dx_i (dy/dx_j), the Jacobian of the gradient is H_y transposed",
          tex=transpose_tex),
    Claim("hessian.symmetric", "For a C^2 function the mixed partials agree, so the Hessian is symmetric",
          tex=symmetry_tex),
    Claim("hessian.quotient-u", "The difference quotient of g in u on the v-axis",
          value=lambda: sp.cancel((g(H, V) - g(0, V)) / H)),
    Claim("hessian.gu-axis", "Its limit: g_u(0, v) = -v", value=lambda: partial(g, 0)(0, V)),
    Claim("hessian.quotient-v", "The difference quotient of g in v on the u-axis",
          value=lambda: sp.cancel((g(U, H) - g(U, 0)) / H)),
    Claim("hessian.gv-axis", "Its limit: g_v(u, 0) = u", value=lambda: partial(g, 1)(U, 0)),
    Claim("hessian.g-u-axis", "g vanishes on the u-axis (the formula off the origin, the definition at it)",
          value=lambda: g(U, 0)),
    Claim("hessian.gu-u-axis", "So g_u(u, 0) = 0 for every u", value=lambda: partial(g, 0)(U, 0)),
    Claim("hessian.guu", "And g_uu(0, 0) = 0: the derivative in u of g_u(u, 0) = 0 at u = 0",
          value=lambda: counterexample_jacobian()[0, 0]),
    Claim("hessian.g-v-axis", "g vanishes on the v-axis (the formula off the origin, the definition at it)",
          value=lambda: g(0, V)),
    Claim("hessian.gv-v-axis", "So g_v(0, v) = 0 for every v", value=lambda: partial(g, 1)(0, V)),
    Claim("hessian.gvv", "And g_vv(0, 0) = 0: the derivative in v of g_v(0, v) = 0 at v = 0",
          value=lambda: counterexample_jacobian()[1, 1]),
    Claim("hessian.counterexample", "The Jacobian of grad g at the origin, from limits: g_uv = -1, g_vu = 1",
          value=counterexample_jacobian),
    Claim("hessian.counterexample-hessian", "The Hessian of g at the origin is its transpose, a different matrix",
          value=counterexample_hessian),
    Claim("hessian.guv", "g_uv away from the origin", value=g_uv),
    Claim("hessian.guv-u-axis", "g_uv is 1 on the u-axis, origin excluded", value=lambda: g_uv().subs(V, 0)),
    Claim("hessian.guv-v-axis", "g_uv is -1 on the v-axis, origin excluded", value=lambda: g_uv().subs(U, 0)),
]
