"""Question 1.1: the Jacobian of the gradient map is the Hessian.

Page: docs/linear-algebra/hessian.md. Tests: tests/linear_algebra/test_hessian.py.
"""

# --8<-- [start:jacobian-of-gradient]
import sympy as sp


def jacobian_of_gradient(y, variables):
    """J[i, j] = d/dx_j (dy/dx_i): the Jacobian of the map x -> grad y(x).

    >>> u, v, z = sp.symbols("u v z", real=True)
    >>> y = u**2 * v + sp.sin(v * z) + sp.exp(u * z)
    >>> J = jacobian_of_gradient(y, (u, v, z))
    >>> J == sp.hessian(y, (u, v, z)), J == J.T
    (True, True)
    >>> J[0, 1], J[1, 2]
    (2*u, -v*z*sin(v*z) + cos(v*z))
    """
    grad = sp.Matrix([y.diff(x) for x in variables])
    return grad.jacobian(variables)
# --8<-- [end:jacobian-of-gradient]


# --8<-- [start:counterexample]
import sympy as sp


def mixed_partials_at_origin():
    """(f_xy(0,0), f_yx(0,0)) for f = xy(x^2 - y^2)/(x^2 + y^2), f(0,0) = 0, from limits.

    f_xy means d/dy of df/dx. Each partial derivative is the limit of a difference quotient,
    so the value f(0,0) = 0 is used where the formula is undefined.

    >>> mixed_partials_at_origin()
    (-1, 1)
    """
    x, y, h = sp.symbols("x y h", real=True)
    f = x * y * (x**2 - y**2) / (x**2 + y**2)
    f_x_on_y_axis = sp.limit(f.subs(x, h) / h, h, 0)  # (f(h, y) - f(0, y)) / h, f(0, y) = 0
    f_y_on_x_axis = sp.limit(f.subs(y, h) / h, h, 0)  # (f(x, h) - f(x, 0)) / h, f(x, 0) = 0
    f_x_origin = sp.limit(f.subs({x: h, y: 0}) / h, h, 0)
    f_y_origin = sp.limit(f.subs({x: 0, y: h}) / h, h, 0)
    f_xy = sp.limit((f_x_on_y_axis.subs(y, h) - f_x_origin) / h, h, 0)
    f_yx = sp.limit((f_y_on_x_axis.subs(x, h) - f_y_origin) / h, h, 0)
    return f_xy, f_yx
# --8<-- [end:counterexample]


# Everything below is build and proof machinery, not shown on the page.

from snippets.claims import Claim  # noqa: E402

NAMES = ("u", "v", "z")


def second_partial_tex(i: str, j: str) -> str:
    """TeX for d/dj (dy/di), the (i, j) entry of the Jacobian of the gradient."""
    if i == j:
        return f"\\frac{{\\partial^2 y}}{{\\partial {i}^2}}"
    return f"\\frac{{\\partial^2 y}}{{\\partial {j}\\, \\partial {i}}}"


def jacobian_tex() -> str:
    rows = [" & ".join(second_partial_tex(i, j) for j in NAMES) for i in NAMES]
    return "\\begin{pmatrix} " + " \\\\ ".join(rows) + " \\end{pmatrix}"


def symmetry_tex() -> str:
    return second_partial_tex("u", "v") + " = " + second_partial_tex("v", "u")


CLAIMS = [
    Claim("hessian.jacobian", "The Jacobian of the gradient map: row i, column j is d/dx_j of dy/dx_i",
          tex=jacobian_tex),
    Claim("hessian.symmetric", "For a C^2 function the mixed partials agree, so the Hessian is symmetric",
          tex=symmetry_tex),
    Claim("hessian.counterexample", "Without continuous second derivatives they can differ: -1 and 1",
          value=lambda: sp.Matrix(mixed_partials_at_origin())),
]
