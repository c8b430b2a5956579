"""Proofs for docs/linear-algebra/eigenvector.md (snippets/linear_algebra/eigenvector.py)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from snippets.linear_algebra import eigenvector
from tests.strategies import finite_floats, matrices
from verified_docs.verify import assert_close


@pytest.mark.claim("eig.ones", "symbolic")
def test_general_n_by_index_notation():
    with_ones, plain = eigenvector.general_row_sum()
    assert sp.simplify(with_ones - plain) == 0  # (A 1)_i is the i-th row sum, for symbolic n


@pytest.mark.claim("eig.ones", "symbolic")
@pytest.mark.parametrize("n", range(1, 6))
def test_symbolic_matrices_with_row_sum_m(n):
    assert eigenvector.ones_is_eigenvector(n)
    # The displayed right-hand side m 1, at size n, on the same constrained matrix.
    m = sp.Symbol("m")
    free = sp.Matrix(n, n - 1, lambda i, j: sp.Symbol(f"a_{i}{j}"))
    A = free.row_join(sp.Matrix([m - sum(free.row(i)) for i in range(n)]))
    shown = sp.Matrix(eigenvector.RESULT.subs({eigenvector.N: n}).as_explicit()).subs(eigenvector.M, m)
    assert (A * sp.ones(n, 1) - shown).expand() == sp.zeros(n, 1)


def test_the_check_fails_without_the_hypothesis():
    """Drop the constraint on one entry and the same comparison says no."""
    m, b = sp.symbols("m b")
    A = sp.Matrix([[b, m - b], [m, 1]])  # second row sums to m + 1
    assert (A * sp.ones(2, 1) - m * sp.ones(2, 1)).expand() != sp.zeros(2, 1)


def rows_summing_to(n, m):
    """Matrices with entries of either sign whose every row sums to m."""
    return matrices(n, n, -5, 5).map(lambda A: A - A.mean(axis=1, keepdims=True) + m / n)


@pytest.mark.claim("eig.ones", "numeric")
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(st.just(n), finite_floats(-10, 10)))
       .flatmap(lambda nm: st.tuples(rows_summing_to(*nm), st.just(nm[1]))))
def test_random_matrices_with_negative_entries(pair):
    A, m = pair
    n = A.shape[0]
    assert_close(A.sum(axis=1), np.full(n, m), rtol=1e-12, atol=1e-12, what="row sums")
    assert_close(A @ np.ones(n), m * np.ones(n), rtol=1e-12, atol=1e-12, what="A 1 = m 1")
    assert any(np.isclose(np.linalg.eigvals(A), m, atol=1e-6))


def test_original_norm_formula_is_wrong():
    A = np.array([[2.0, -1.0], [0.0, 1.0]])
    assert np.allclose(A @ np.ones(2), [1.0, 1.0])  # rows sum to m = 1
    squared_norms = np.abs(A).sum(axis=1) ** 2
    assert squared_norms[0] == 9.0 and not np.allclose(squared_norms, A @ np.ones(2))
    # Even with non-negative entries the square is wrong whenever m is not 0 or 1.
    B = np.array([[1.0, 2.0], [2.0, 1.0]])
    assert np.allclose(np.abs(B).sum(axis=1) ** 2, 9.0) and np.allclose(B @ np.ones(2), 3.0)


@pytest.mark.claim("eig.example-sums", "symbolic")
@pytest.mark.claim("eig.example-norm", "symbolic")
def test_example_rows_sum_to_1_but_the_squared_norm_is_9():
    assert eigenvector.row_sums(eigenvector.EXAMPLE) == [1, 1]
    assert eigenvector.squared_1_norm(eigenvector.EXAMPLE.row(0)) == 9


@pytest.mark.claim("eig.example-sums", "numeric")
@pytest.mark.claim("eig.example-norm", "numeric")
def test_example_in_floating_point():
    A = np.array(eigenvector.EXAMPLE, dtype=float)
    assert_close(A @ np.ones(2), np.ones(2), rtol=0, atol=0, what="row sums")
    assert np.abs(A[0]).sum() ** 2 == 9.0


@pytest.mark.claim("eig.coincidence", "symbolic")
def test_coincidence_row_exactly():
    row = eigenvector.COINCIDENCE
    assert sum(row) == eigenvector.squared_1_norm(row) == sp.Rational(1, 4)
    assert min(row) < 0  # the row has a negative entry, so its sum is not its 1-norm
    assert sum(row) != sum(abs(a) for a in row)


@pytest.mark.claim("eig.coincidence", "numeric")
def test_coincidence_row_in_floating_point():
    row = np.array([3 / 8, -1 / 8])
    assert row.sum() == np.abs(row).sum() ** 2 == 0.25  # dyadic rationals: exact in binary


def test_square_of_norm_against_row_sum():
    """The correction box's three statements about a row's sum s and its 1-norm."""
    s = sp.Symbol("s", nonnegative=True)
    # Without negative entries the sum is the 1-norm, and its square equals it only at 0 and 1.
    assert set(sp.solve(sp.Eq(s**2, s), s)) == {0, 1}
    # With negative entries they can agree by coincidence: the row (3/8, -1/8).
    row = [sp.Rational(3, 8), sp.Rational(-1, 8)]
    assert sum(row) == sp.Rational(1, 4) == sum(abs(a) for a in row) ** 2


@given(st.lists(st.fractions(-10, 10), min_size=1, max_size=6))
def test_row_sum_is_the_1_norm_exactly_without_negative_entries(row):
    total, norm = sum(row), sum(abs(a) for a in row)  # exact rationals
    assert total <= norm
    assert (total == norm) == all(a >= 0 for a in row)
