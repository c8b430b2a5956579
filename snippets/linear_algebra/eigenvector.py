"""Question 1.3: a matrix whose rows each sum to m has the all-ones vector as an eigenvector.

Page: docs/linear-algebra/eigenvector.md. Tests: tests/linear_algebra/test_eigenvector.py.
"""

# --8<-- [start:row-sums]
import sympy as sp


def ones_is_eigenvector(n):
    """A 1_n = m 1_n for an n-by-n matrix of symbols whose rows are constrained to sum to m.

    Each row's last entry is m minus the others, so the entries are otherwise arbitrary
    (negative ones included).

    >>> [ones_is_eigenvector(n) for n in range(1, 6)]
    [True, True, True, True, True]
    """
    m = sp.Symbol("m")
    free = sp.Matrix(n, n - 1, lambda i, j: sp.Symbol(f"a_{i + 1}_{j + 1}"))
    last = sp.Matrix([m - sum(free.row(i)) for i in range(n)])
    A = free.row_join(last)
    ones = sp.ones(n, 1)
    return (A * ones - m * ones).expand() == sp.zeros(n, 1)
# --8<-- [end:row-sums]


# Everything below is build and proof machinery, not shown on the page.

from sympy.printing.latex import LatexPrinter

from verified_docs import Claim

N = sp.Symbol("n", integer=True, positive=True)
M = sp.Symbol("m")
ONES = sp.OneMatrix(N, 1)
RESULT = M * ONES  # what A 1 equals when every row of A sums to m


def general_row_sum():
    """(A 1)_i = sum_j a_ij * 1 for symbolic n, with a_ij an indexed symbol."""
    a = sp.IndexedBase("a")
    i, j = sp.symbols("i j", integer=True)
    return sp.Sum(a[i, j] * 1, (j, 1, N)), sp.Sum(a[i, j], (j, 1, N))


# The correction box's examples: a matrix whose rows sum to 1, and a row whose squared 1-norm
# equals its sum although it has a negative entry.
EXAMPLE = sp.Matrix([[2, -1], [0, 1]])
COINCIDENCE = sp.Matrix([[sp.Rational(3, 8), sp.Rational(-1, 8)]])


def row_sums(matrix):
    return [sum(matrix.row(i)) for i in range(matrix.rows)]


def squared_1_norm(row):
    return sum(abs(a) for a in row) ** 2


class _Printer(LatexPrinter):
    """The all-ones vector as the page writes it, 1_n in bold: sympy prints OneMatrix as a plain
    digit (or \\mathbb{1}, which KaTeX draws as a plain 1), read as the number 1."""

    def _print_OneMatrix(self, expr):
        return rf"\mathbf{{1}}_{{{self._print(expr.rows)}}}"


CLAIMS = [
    Claim("eig.ones", "If every row of A sums to m, A times the all-ones vector is m times it",
          tex=lambda: _Printer().doprint(RESULT)),
    Claim("eig.example-sums", "Both rows of the correction's example matrix sum to 1",
          value=lambda: row_sums(EXAMPLE)[0]),
    Claim("eig.example-norm", "The example's first row has squared 1-norm 9", value=lambda: squared_1_norm(EXAMPLE.row(0))),
    Claim("eig.coincidence", "The row (3/8, -1/8) has squared 1-norm 1/4, its sum",
          value=lambda: squared_1_norm(COINCIDENCE)),
]
