"""Question 1.2: five matrix-derivative identities, in numerator layout.

Page: docs/linear-algebra/matrix-derivatives.md. Tests: tests/linear_algebra/test_matrix_derivatives.py.
"""

# --8<-- [start:general-n]
import sympy as sp


def numerator_layout_derivatives():
    """d(Ax)/dx, d(y^T A x)/dx and d(y^T A x)/dy for symbolic n, in numerator layout.

    sympy differentiates matrix expressions in denominator layout (d(Ax)/dx comes out as
    A.T); transposing gives the numerator-layout answer.

    >>> derivatives = numerator_layout_derivatives()
    >>> derivatives["d(Ax)/dx"], derivatives["d(y'Ax)/dx"], derivatives["d(y'Ax)/dy"]
    (A, y.T*A, x.T*A.T)
    """
    n = sp.Symbol("n", integer=True, positive=True)
    A = sp.MatrixSymbol("A", n, n)
    x, y = sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("y", n, 1)
    return {
        "d(Ax)/dx": (A * x).diff(x).T,
        "d(y'Ax)/dx": (y.T * A * x).diff(x).T,
        "d(y'Ax)/dy": (y.T * A * x).diff(y).T,
    }
# --8<-- [end:general-n]


# --8<-- [start:component-wise]
import sympy as sp


def chain_and_product_rules_hold(n, p=2):
    """Check (ii) and (iv) entry by entry for n-vectors x(z), y(z) of a p-vector z.

    >>> all(chain_and_product_rules_hold(n) for n in range(1, 5))
    True
    """
    z = sp.symbols(f"z1:{p + 1}", real=True)
    x = sp.Matrix([sp.Function(f"x{i}")(*z) for i in range(n)])
    y = sp.Matrix([sp.Function(f"y{i}")(*z) for i in range(n)])
    A = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"a{i}{j}"))
    chain = (A * x).jacobian(z) - A * x.jacobian(z)                               # (ii)
    alpha = (y.T * x)[0]
    product = sp.Matrix([alpha]).jacobian(z) - (y.T * x.jacobian(z) + x.T * y.jacobian(z))  # (iv)
    return chain.expand() == sp.zeros(n, p) and product.expand() == sp.zeros(1, p)
# --8<-- [end:component-wise]


# --8<-- [start:inverse]
import random

import sympy as sp


def inverse_derivative_holds(n, seed=None):
    """Check dA^-1/da = -A^-1 (dA/da) A^-1 exactly on a random n-by-n matrix polynomial in a.

    Entries are random rationals, A(a) = A0 + a A1 + a^2 A2, with A0 diagonally dominant so
    that A(0) is invertible. With A^-1 = adj(A) / det(A), both sides are polynomial matrices
    over det(A)^2, so comparing numerators is exact polynomial arithmetic (no simplify).

    >>> all(inverse_derivative_holds(n, seed=n) for n in range(1, 5))
    True
    """
    rng = random.Random(seed)
    a = sp.Symbol("a")

    def random_matrix(dominant=False):
        M = sp.Matrix(n, n, lambda i, j: sp.Rational(rng.randint(-9, 9), rng.randint(1, 9)))  # instance
        return M + (10 * n) * sp.eye(n) if dominant else M  # instance

    A = random_matrix(dominant=True) + a * random_matrix() + a**2 * random_matrix()  # instance
    adj, det = A.adjugate(method="berkowitz").expand(), sp.expand(A.det(method="berkowitz"))
    # d/da (adj / det) = (adj' det - adj det') / det^2;  -A^-1 A' A^-1 = -adj A' adj / det^2
    lhs = adj.diff(a) * det - adj * det.diff(a)
    rhs = -adj * A.diff(a) * adj
    return det != 0 and (lhs - rhs).expand() == sp.zeros(n, n)
# --8<-- [end:inverse]


# Everything below is build and proof machinery, not shown on the page.

from verified_docs import Claim  # noqa: E402

N, P = sp.Symbol("n", integer=True, positive=True), sp.Symbol("p", integer=True, positive=True)
A = sp.MatrixSymbol("A", N, N)
X, Y = sp.MatrixSymbol(r"\mathbf{x}", N, 1), sp.MatrixSymbol(r"\mathbf{y}", N, 1)
DX = sp.MatrixSymbol(r"\frac{\partial \mathbf{x}}{\partial \mathbf{z}}", N, P)
DY = sp.MatrixSymbol(r"\frac{\partial \mathbf{y}}{\partial \mathbf{z}}", N, P)
DA = sp.MatrixSymbol(r"\frac{\partial A}{\partial \alpha}", N, N)

# The verified right-hand sides, as sympy expressions; the page shows their sympy.latex.
RESULTS = {
    "md.linear": (A * X).diff(X).T,
    "md.chain": A * DX,
    "md.bilinear-x": (Y.T * A * X).diff(X).T,
    "md.bilinear-y": (Y.T * A * X).diff(Y).T,
    "md.product": Y.T * DX + X.T * DY,
    "md.inverse": -A.I * DA * A.I,
}


def tex_of(claim_id):
    """sympy.latex of the verified expression, with the page's transpose glyph."""
    return lambda: sp.latex(RESULTS[claim_id]).replace("^{T}", "^{\\top}")


CLAIMS = [
    Claim("md.linear", "(i) The derivative of Ax by x is A", tex=tex_of("md.linear")),
    Claim("md.chain", "(ii) Chain rule: the derivative of Ax(z) by z", tex=tex_of("md.chain")),
    Claim("md.bilinear-x", "(iii) The derivative of y^T A x by x", tex=tex_of("md.bilinear-x")),
    Claim("md.bilinear-y", "(iii) The derivative of y^T A x by y", tex=tex_of("md.bilinear-y")),
    Claim("md.product", "(iv) Product rule for y(z)^T x(z)", tex=tex_of("md.product")),
    Claim("md.inverse", "(v) The derivative of the inverse of A(alpha)", tex=tex_of("md.inverse")),
]
