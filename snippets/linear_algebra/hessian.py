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
    def g(a, b):  # the function, with the value 0 it is given at the origin
        return sp.Integer(0) if (a, b) == (0, 0) else a * b * (a**2 - b**2) / (a**2 + b**2)

    def d_dx(func):  # partial derivative in x, as the limit of a difference quotient
        h = sp.Dummy("h")
        return lambda a, b: sp.limit((func(a + h, b) - func(a, b)) / h, h, 0)

    def d_dy(func):
        h = sp.Dummy("h")
        return lambda a, b: sp.limit((func(a, b + h) - func(a, b)) / h, h, 0)

    return d_dy(d_dx(g))(0, 0), d_dx(d_dy(g))(0, 0)
# --8<-- [end:counterexample]


# Everything below is build and proof machinery, not shown on the page.

from verified_docs import Claim  # noqa: E402

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
