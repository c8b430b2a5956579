"""The code of docs/index.md. Tests: tests/test_index.py."""

# --8<-- [start:derivative]
import sympy as sp


def derivative_of_cube():
    """d/dx x^3, by sympy.

    >>> derivative_of_cube()
    3*x**2
    """
    x = sp.Symbol("x")
    return sp.diff(x**3, x)
# --8<-- [end:derivative]


from verified_docs import Claim

CLAIMS = [Claim("index.derivative", "The derivative of x³ is 3x²", value=derivative_of_cube)]
