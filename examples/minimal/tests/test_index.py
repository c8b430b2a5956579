"""Proofs for docs/index.md (snippets/index.py)."""

import pytest
import sympy as sp

from snippets.index import derivative_of_cube
from verified_docs.verify import assert_close, fd_gradient, symbolic_equal


@pytest.mark.claim("index.derivative", "symbolic")
def test_derivative_of_cube_is_three_x_squared():
    x = sp.Symbol("x")
    assert symbolic_equal(derivative_of_cube(), 3 * x**2)


@pytest.mark.claim("index.derivative", "numeric")
def test_derivative_of_cube_by_finite_differences():
    for point in (-2.0, 0.5, 3.0):
        assert_close(fd_gradient(lambda p: p[0] ** 3, [point]), [3 * point**2], what=f"at {point}")
