"""Question 1.2: five matrix-derivative identities, in numerator layout.

Page: docs/linear-algebra/matrix-derivatives.md. Tests: tests/linear_algebra/test_matrix_derivatives.py.
"""

# --8<-- [start:general-n]
import sympy as sp


def numerator_layout_derivatives():
    """d(Ax)/dx, d(y^T A x)/dx and d(y^T A x)/dy for symbolic sizes, in numerator layout.

    A is m-by-n, x has n entries and y has m. sympy differentiates matrix expressions in
    denominator layout (d(Ax)/dx comes out as A.T); transposing gives the numerator-layout answer.

    >>> derivatives = numerator_layout_derivatives()
    >>> derivatives["d(Ax)/dx"], derivatives["d(y'Ax)/dx"], derivatives["d(y'Ax)/dy"]
    (A, y.T*A, x.T*A.T)
    """
    m, n = sp.symbols("m n", integer=True, positive=True)
    A = sp.MatrixSymbol("A", m, n)
    x, y = sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("y", m, 1)
    return {
        "d(Ax)/dx": (A * x).diff(x).T,
        "d(y'Ax)/dx": (y.T * A * x).diff(x).T,
        "d(y'Ax)/dy": (y.T * A * x).diff(y).T,
    }
# --8<-- [end:general-n]


# --8<-- [start:component-wise]
import sympy as sp


def chain_and_product_rules_hold(m, n, p=2):
    """Check (ii) and (iv) entry by entry: A is m-by-n, x(z) and y(z) have n entries, z has p.

    Every entry of x and y is an undefined function of z and every entry of A a symbol, so a
    True answer holds for every such A, x, y of these sizes.

    >>> all(chain_and_product_rules_hold(m, n) for m in range(1, 5) for n in range(1, 5))
    True
    """
    z = sp.symbols(f"z1:{p + 1}", real=True)
    x = sp.Matrix([sp.Function(f"x{k}")(*z) for k in range(1, n + 1)])
    y = sp.Matrix([sp.Function(f"y{k}")(*z) for k in range(1, n + 1)])
    A = sp.Matrix(m, n, lambda i, k: sp.Symbol(f"a{i + 1}{k + 1}"))
    chain = (A * x).jacobian(z) - A * x.jacobian(z)                                  # (ii)
    alpha = (y.T * x)[0]
    product = sp.Matrix([alpha]).jacobian(z) - (y.T * x.jacobian(z) + x.T * y.jacobian(z))  # (iv)
    return chain.expand() == sp.zeros(m, p) and product.expand() == sp.zeros(1, p)
# --8<-- [end:component-wise]


# --8<-- [start:inverse]
import random

import sympy as sp


def inverse_derivative_holds(n, seed=None):
    """Check dA^-1/dalpha = -A^-1 (dA/dalpha) A^-1 exactly for an n-by-n matrix A(alpha).

    Without a seed every entry of A is an undefined function of alpha, so True holds for every
    differentiable A of this size: a proof for this n. With a seed, A(alpha) = 10n I + A0 +
    alpha A1 + alpha^2 A2 with random rational A0, A1, A2 of entries at most 9 in size. A(0)
    is strictly diagonally dominant (a diagonal entry is at least 10n - 9, the other entries
    of its row add up to at most 9(n - 1) in size), so invertible: one instance, a check.
    With A^-1 = adj(A) / det(A), both sides are matrices of polynomials over det(A)^2, so
    comparing the numerators is exact polynomial arithmetic.

    >>> inverse_derivative_holds(2)
    True
    >>> inverse_derivative_holds(3, seed=3)
    True
    """
    alpha = sp.Symbol("alpha")
    if seed is None:
        A = sp.Matrix(n, n, lambda i, j: sp.Function(f"a{i + 1}{j + 1}")(alpha))
    else:
        rng = random.Random(seed)

        def random_matrix():
            return sp.Matrix(n, n, lambda i, j: sp.Rational(rng.randint(-9, 9), rng.randint(1, 9)))

        A0, A1, A2 = random_matrix(), random_matrix(), random_matrix()
        A = 10 * n * sp.eye(n) + A0 + alpha * A1 + alpha**2 * A2
    adj, det = A.adjugate(method="bareiss").expand(), sp.expand(A.det(method="bareiss"))
    # d/dalpha (adj / det) = (adj' det - adj det') / det^2;  -A^-1 A' A^-1 = -adj A' adj / det^2
    lhs = adj.diff(alpha) * det - adj * det.diff(alpha)
    rhs = -adj * A.diff(alpha) * adj
    return det != 0 and (lhs - rhs).expand() == sp.zeros(n, n)
# --8<-- [end:inverse]


# Everything below is build and proof machinery, not shown on the page.

from sympy.printing.latex import LatexPrinter

from verified_docs import Claim

# --- matrix form: what the displays show --------------------------------------------------------

M, N, P = (sp.Symbol(s, integer=True, positive=True) for s in "mnp")
A = sp.MatrixSymbol("A", M, N)  # (i)-(iii): m-by-n
X, Y = sp.MatrixSymbol(r"\mathbf{x}", N, 1), sp.MatrixSymbol(r"\mathbf{y}", M, 1)
Y_N = sp.MatrixSymbol(r"\mathbf{y}", N, 1)  # (iv): y has as many entries as x
DX = sp.MatrixSymbol(r"\frac{\partial \mathbf{x}}{\partial \mathbf{z}}", N, P)
DY = sp.MatrixSymbol(r"\frac{\partial \mathbf{y}}{\partial \mathbf{z}}", N, P)
D_X = sp.MatrixSymbol(r"\, d\mathbf{x}", N, 1)  # the differential of x (a thin space after A)
SQUARE = sp.MatrixSymbol("A", N, N)  # (v): A(alpha), n-by-n
DA = sp.MatrixSymbol(r"\frac{\partial A}{\partial \alpha}", N, N)
ADJ, DET = sp.MatrixSymbol(r"\operatorname{adj} A", N, N), sp.Symbol(r"\det A")  # adjugate, determinant

# The verified right-hand sides, as sympy expressions; the page shows their sympy.latex.
RESULTS = {
    "md.linear": (A * X).diff(X).T,
    "md.chain": A * DX,
    "md.bilinear-x": (Y.T * A * X).diff(X).T,
    "md.bilinear-y": (Y.T * A * X).diff(Y).T,
    "md.bilinear-differential": Y.T * A * D_X,
    "md.product": sp.MatAdd(Y_N.T * DX, X.T * DY, evaluate=False),  # in the order the page derives
    "md.cramer": ADJ / DET,
    "md.inverse-product": -SQUARE.I * DA,
    "md.inverse": -SQUARE.I * DA * SQUARE.I,
}


def tex_of(claim_id):
    """sympy.latex of the verified expression (terms in the order built), with the page's transpose glyph."""
    return lambda: sp.latex(RESULTS[claim_id], order="none").replace("^{T}", "^{\\top}")


# --- index form: what the inline formulas show ----------------------------------------------------
# Entries of constant matrices and vectors are Indexed (a[i, k], x[k]); entries that depend on a
# variable are undefined functions: x(k, z_j) is x_k as a function of z_j (the other z held
# fixed), a(k, j, alpha) and Ainv(i, k, alpha) are the entries of A(alpha) and of its inverse.
# Each formula is built unevaluated, in the order the page shows; the tests compare it with what
# sympy derives from the definitions, and evaluate it at explicit sizes.

I, J, K = (sp.Symbol(s, integer=True, positive=True) for s in "ijk")
L = sp.Symbol("l", integer=True, positive=True)  # (iii): the summation index over y, so that i stays fixed
ALPHA = sp.Symbol("alpha")
a, x, y, z = (sp.IndexedBase(s) for s in "axyz")
x_of, y_of = sp.Function("x"), sp.Function("y")
a_of, inverse_of = sp.Function("a"), sp.Function("Ainv")


def _mul(*factors):
    return sp.Mul(*factors, evaluate=False)


def _add(*terms):
    return sp.Add(*terms, evaluate=False)


def _d(entry, variable):
    return sp.Derivative(entry, variable)


XK, YK = x_of(K, z[J]), y_of(K, z[J])
INVERSE_IK, A_KJ = inverse_of(I, K, ALPHA), a_of(K, J, ALPHA)

# Definitions (the question's statement, written in index form).
Y_I = sp.Sum(a[I, K] * x[K], (K, 1, N))  # (i): y = Ax, entry i
Y_I_OF_Z = sp.Sum(a[I, K] * XK, (K, 1, N))  # (ii): y = Ax(z), entry i
PRODUCT_OF_INVERSE = sp.Sum(INVERSE_IK * A_KJ, (K, 1, N))  # (v): entry (i, j) of A^-1 A

# claim id -> the sides the page shows after the first relation (left to right).
INDEX = {
    "md.linear-entry": (sp.Sum(_mul(a[I, K], sp.KroneckerDelta(K, J, evaluate=False)), (K, 1, N)), a[I, J]),
    "md.chain-entry": (sp.Sum(_mul(a[I, K], _d(XK, z[J])), (K, 1, N)),),
    "md.bilinear-sum": (sp.Sum(_mul(y[L], a[L, K], x[K]), (K, 1, N), (L, 1, M)),),
    "md.bilinear-x-entry": (sp.Sum(_mul(y[L], a[L, J]), (L, 1, M)),),
    "md.bilinear-y-entry": (sp.Sum(_mul(a[I, K], x[K]), (K, 1, N)),),
    "md.product-sum": (sp.Sum(_mul(y[K], x[K]), (K, 1, N)),),
    "md.product-entry": (sp.Sum(_add(_mul(YK, _d(XK, z[J])), _mul(XK, _d(YK, z[J]))), (K, 1, N)),),
    # The whole equation: the derivative of (A^-1 A)_ij = delta_ij, a constant.
    "md.inverse-entry": (sp.Sum(_add(_mul(_d(INVERSE_IK, ALPHA), A_KJ), _mul(INVERSE_IK, _d(A_KJ, ALPHA))), (K, 1, N)),
                         sp.Integer(0)),
}


class IndexPrinter(LatexPrinter):
    """Index notation as the page writes it: a_{ik}, delta_{kj}, dx_k/dz_j, (A^{-1})_{ik}; nested sums."""

    NAMES = {"x": "x", "y": "y", "a": "a", "Ainv": "(A^{-1})"}

    def __init__(self):
        super().__init__({"order": "none"})  # factors and terms in the order built

    def _indices(self, indices):
        return "".join(self._print(index) for index in indices)

    def _print_Indexed(self, expr):
        return f"{expr.base}_{{{self._indices(expr.indices)}}}"

    def _print_KroneckerDelta(self, expr, exp=None):
        return rf"\delta_{{{self._indices(expr.args)}}}"

    def _entry(self, expr):
        indices = [arg for arg in expr.args if not arg.has(z) and arg != ALPHA]
        return f"{self.NAMES[expr.func.__name__]}_{{{self._indices(indices)}}}"

    def _print_Function(self, expr, exp=None):
        if expr.func.__name__ in self.NAMES:
            return self._entry(expr)
        return super()._print_Function(expr, exp)

    def _print_Derivative(self, expr):
        ((variable, _),) = expr.variable_count
        return rf"\frac{{\partial {self._entry(expr.expr)}}}{{\partial {self._print(variable)}}}"

    def _print_Sum(self, expr):
        signs = "".join(rf"\sum_{{{self._print(v)}={self._print(lo)}}}^{{{self._print(hi)}}} "
                        for v, lo, hi in reversed(expr.limits))  # outermost first
        body = self._print(expr.function)
        return signs + (rf"\left({body}\right)" if isinstance(expr.function, sp.Add) else body)


def index_tex(claim_id):
    return lambda: " = ".join(IndexPrinter().doprint(side) for side in INDEX[claim_id])


CLAIMS = [
    Claim("md.linear-entry", "(i) dy_i/dx_j = sum_k a_ik delta_kj = a_ij", tex=index_tex("md.linear-entry")),
    Claim("md.linear", "(i) The derivative of Ax by x is A", tex=tex_of("md.linear")),
    Claim("md.chain-entry", "(ii) dy_i/dz_j = sum_k a_ik dx_k/dz_j", tex=index_tex("md.chain-entry")),
    Claim("md.chain", "(ii) Chain rule: the derivative of Ax(z) by z", tex=tex_of("md.chain")),
    Claim("md.bilinear-sum", "(iii) y^T A x = sum_l sum_k y_l a_lk x_k", tex=index_tex("md.bilinear-sum")),
    Claim("md.bilinear-x-entry", "(iii) d(y^T A x)/dx_j = sum_l y_l a_lj", tex=index_tex("md.bilinear-x-entry")),
    Claim("md.bilinear-y-entry", "(iii) d(y^T A x)/dy_i = sum_k a_ik x_k", tex=index_tex("md.bilinear-y-entry")),
    Claim("md.bilinear-x", "(iii) The derivative of y^T A x by x", tex=tex_of("md.bilinear-x")),
    Claim("md.bilinear-y", "(iii) The derivative of y^T A x by y", tex=tex_of("md.bilinear-y")),
    Claim("md.bilinear-differential", "(iii) The differential of y^T A x in x is y^T A dx",
          tex=tex_of("md.bilinear-differential")),
    Claim("md.product-sum", "(iv) y^T x = sum_k y_k x_k", tex=index_tex("md.product-sum")),
    Claim("md.product-entry", "(iv) d(y^T x)/dz_j by the scalar product rule", tex=index_tex("md.product-entry")),
    Claim("md.product", "(iv) Product rule for y(z)^T x(z)", tex=tex_of("md.product")),
    Claim("md.cramer", "(v) A^-1 = adj(A) / det(A) where det(A) != 0 (Cramer's rule)", tex=tex_of("md.cramer")),
    Claim("md.inverse-entry", "(v) The derivative of (A^-1 A)_ij = delta_ij, by the product rule",
          tex=index_tex("md.inverse-entry")),
    Claim("md.inverse-product", "(v) (dA^-1/dalpha) A = -A^-1 dA/dalpha", tex=tex_of("md.inverse-product")),
    Claim("md.inverse", "(v) The derivative of the inverse of A(alpha)", tex=tex_of("md.inverse")),
]
