"""Proofs for docs/linear-algebra/matrix-derivatives.md (snippets/linear_algebra/matrix_derivatives.py).

Each displayed result is RESULTS[claim] rendered by sympy.latex; here the same expression is
evaluated on explicit matrices and compared with derivatives computed entry by entry.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from snippets.linear_algebra import matrix_derivatives as md
from verified_docs.verify import assert_close, fd_jacobian
from tests.strategies import finite_floats, invertible_matrices, matrices

NS = range(1, 5)


def explicit(n, p=2):
    """Explicit symbols standing in for the MatrixSymbols of RESULTS, at size n."""
    z = sp.symbols(f"z1:{p + 1}", real=True)
    A = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"a{i}{j}"))
    x_of_z = sp.Matrix([sp.Function(f"x{i}")(*z) for i in range(n)])
    y_of_z = sp.Matrix([sp.Function(f"y{i}")(*z) for i in range(n)])
    x = sp.Matrix(sp.symbols(f"x0:{n}"))
    y = sp.Matrix(sp.symbols(f"y0:{n}"))
    return z, A, x, y, x_of_z, y_of_z


def evaluate(claim_id, mapping):
    """RESULTS[claim_id] with its matrix symbols (sized n, p) replaced by explicit matrices."""
    sizes = {md.N: mapping.pop("n"), md.P: mapping.pop("p", 1)}
    explicit_of = {symbol.subs(sizes): value for symbol, value in mapping.items()}
    return sp.Matrix(md.RESULTS[claim_id].subs(sizes).xreplace(explicit_of).doit())


# --- general n -----------------------------------------------------------------------------

@pytest.mark.claim("md.linear", "symbolic")
@pytest.mark.claim("md.bilinear-x", "symbolic")
@pytest.mark.claim("md.bilinear-y", "symbolic")
def test_general_n_with_matrix_symbols():
    d = md.numerator_layout_derivatives()
    n = sp.Symbol("n", integer=True, positive=True)
    A, x, y = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("y", n, 1)
    assert d["d(Ax)/dx"] == A
    assert d["d(y'Ax)/dx"] == y.T * A
    assert d["d(y'Ax)/dy"] == x.T * A.T
    # sympy's own answer is the transpose (denominator layout): the page must not copy it.
    assert (A * x).diff(x) == A.T


@pytest.mark.claim("md.inverse", "symbolic")
def test_inverse_derivative_for_symbolic_n():
    """Non-commuting symbols: from A Ainv = Ainv A = 1, d(Ainv) = -Ainv dA Ainv, uniquely."""
    A, Ai, dA, X = sp.symbols("A A_inv dA X", commutative=False)

    def reduce(expr):
        expr = sp.expand(expr)
        for _ in range(4):
            expr = sp.expand(expr.subs(A * Ai, 1).subs(Ai * A, 1))
        return expr

    claimed = -Ai * dA * Ai
    # Product rule on A * Ainv = 1: dA Ainv + A d(Ainv) = 0 holds for the claimed d(Ainv) ...
    assert reduce(dA * Ai + A * claimed) == 0
    # ... and any X satisfying it equals the claim: Ainv (dA Ainv + A X) = Ainv dA Ainv + X.
    assert reduce(Ai * (dA * Ai + A * X)) == Ai * dA * Ai + X
    # A wrong candidate (the order swapped) does not satisfy it.
    assert reduce(dA * Ai + A * (-Ai * Ai * dA)) != 0


# --- entry by entry, n = 1..4 -----------------------------------------------------------------

@pytest.mark.parametrize("n", NS)
@pytest.mark.claim("md.linear", "symbolic")
def test_linear_map_entry_by_entry(n):
    _, A, x, _, _, _ = explicit(n)
    shown = evaluate("md.linear", {"n": n, md.A: sp.ImmutableMatrix(A), md.X: sp.ImmutableMatrix(x)})
    assert (A * x).jacobian(x) == A == shown


@pytest.mark.parametrize("n", NS)
@pytest.mark.claim("md.bilinear-x", "symbolic")
@pytest.mark.claim("md.bilinear-y", "symbolic")
def test_bilinear_form_entry_by_entry(n):
    _, A, x, y, _, _ = explicit(n)
    alpha = sp.Matrix([(y.T * A * x)[0]])
    mapping = {md.A: sp.ImmutableMatrix(A), md.X: sp.ImmutableMatrix(x), md.Y: sp.ImmutableMatrix(y)}
    assert alpha.jacobian(x) == (y.T * A).expand() == evaluate("md.bilinear-x", {"n": n, **mapping}).expand()
    assert alpha.jacobian(y) == (x.T * A.T).expand() == evaluate("md.bilinear-y", {"n": n, **mapping}).expand()


@pytest.mark.parametrize("n", NS)
@pytest.mark.claim("md.chain", "symbolic")
@pytest.mark.claim("md.product", "symbolic")
def test_chain_and_product_rules_entry_by_entry(n):
    assert md.chain_and_product_rules_hold(n)
    z, A, _, _, x, y = explicit(n)
    jx, jy = sp.ImmutableMatrix(x.jacobian(z)), sp.ImmutableMatrix(y.jacobian(z))
    chain = evaluate("md.chain", {"n": n, "p": 2, md.A: sp.ImmutableMatrix(A), md.DX: jx})
    assert ((A * x).jacobian(z) - chain).expand() == sp.zeros(n, 2)
    product = evaluate("md.product", {"n": n, "p": 2, md.X: sp.ImmutableMatrix(x), md.Y: sp.ImmutableMatrix(y),
                                      md.DX: jx, md.DY: jy})
    assert (sp.Matrix([(y.T * x)[0]]).jacobian(z) - product).expand() == sp.zeros(1, 2)


@pytest.mark.parametrize("n", NS)
@pytest.mark.claim("md.inverse", "symbolic")
def test_inverse_derivative_on_exact_random_instances(n):
    assert md.inverse_derivative_holds(n, seed=100 + n)
    # The displayed expression itself, on a small exact instance: A(a) = A0 + a A1.
    a = sp.Symbol("a")
    A = sp.eye(n) * (n + 2) + a * sp.Matrix(n, n, lambda i, j: sp.Rational(i - j, 2))
    shown = evaluate("md.inverse", {"n": n, md.A: sp.ImmutableMatrix(A), md.DA: sp.ImmutableMatrix(A.diff(a))})
    assert (A.inv().diff(a) - shown).applyfunc(sp.cancel) == sp.zeros(n, n)


# --- numeric: finite differences on drawn matrices ----------------------------------------------

@pytest.mark.claim("md.linear", "numeric")
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(matrices(n, n), matrices(n, 1))))
def test_linear_map_numerically(pair):
    A, x = pair
    assert_close(fd_jacobian(lambda v: A @ v, x.ravel()), A, what="d(Ax)/dx")


@pytest.mark.claim("md.chain", "numeric")
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(matrices(n, n), matrices(n, 2), matrices(2, 1))))
def test_chain_rule_numerically(triple):
    A, B, z = triple
    x_of_z = lambda w: np.tanh(B @ w)  # noqa: E731  a nonlinear x(z)
    dx_dz = (1 - np.tanh(B @ z.ravel()) ** 2)[:, None] * B
    assert_close(fd_jacobian(lambda w: A @ x_of_z(w), z.ravel()), A @ dx_dz, what="d(Ax(z))/dz")


@pytest.mark.claim("md.bilinear-x", "numeric")
@pytest.mark.claim("md.bilinear-y", "numeric")
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(matrices(n, n), matrices(n, 1), matrices(n, 1))))
def test_bilinear_form_numerically(triple):
    A, x, y = triple
    assert_close(fd_jacobian(lambda v: y.ravel() @ A @ v, x.ravel()), (y.T @ A).ravel()[None, :], what="d/dx")
    assert_close(fd_jacobian(lambda v: v @ A @ x.ravel(), y.ravel()), (x.T @ A.T).ravel()[None, :], what="d/dy")


@pytest.mark.claim("md.product", "numeric")
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(matrices(n, 2), matrices(n, 2), matrices(2, 1))))
def test_product_rule_numerically(triple):
    B, C, z = triple
    x = lambda w: np.sin(B @ w)  # noqa: E731
    y = lambda w: np.exp(0.3 * (C @ w))  # noqa: E731
    w = z.ravel()
    dx = np.cos(B @ w)[:, None] * B
    dy = 0.3 * np.exp(0.3 * (C @ w))[:, None] * C
    expected = y(w) @ dx + x(w) @ dy
    assert_close(fd_jacobian(lambda v: y(v) @ x(v), w).ravel(), expected, what="d(y'x)/dz")


@pytest.mark.claim("md.inverse", "numeric")
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(invertible_matrices(n), matrices(n, n, -1, 1))),
       finite_floats(-0.5, 0.5))
def test_inverse_derivative_numerically(pair, alpha):
    A0, A1 = pair
    A = lambda a: A0 + a * A1  # noqa: E731
    inverse = np.linalg.inv(A(alpha))
    fd = fd_jacobian(lambda a: np.linalg.inv(A(a[0])).ravel(), np.array([alpha])).reshape(A0.shape)
    assert_close(fd, -inverse @ A1 @ inverse, what="dA^-1/dalpha")
