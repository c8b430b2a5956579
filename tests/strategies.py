"""Hypothesis strategies, named for what they draw."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


def finite_floats(low: float, high: float) -> st.SearchStrategy[float]:
    # No subnormals: one entry of 2e-309 made numpy's det warn "divide by zero" (an error in this
    # suite) in test_cramer_numerically; underflow is numpy's matter, not a claim of the pages.
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def points_in_box(low: float, high: float, dim: int = 2) -> st.SearchStrategy[np.ndarray]:
    """Points of R^dim with every coordinate in [low, high]."""
    return st.lists(finite_floats(low, high), min_size=dim, max_size=dim).map(np.array)


def matrices(rows: int, cols: int, low: float = -3.0, high: float = 3.0) -> st.SearchStrategy[np.ndarray]:
    """Real rows-by-cols matrices with entries in [low, high]."""
    return st.lists(finite_floats(low, high), min_size=rows * cols, max_size=rows * cols).map(
        lambda xs: np.array(xs).reshape(rows, cols)
    )


def invertible_matrices(n: int) -> st.SearchStrategy[np.ndarray]:
    """Well-conditioned n-by-n matrices: entries in [-1, 1] plus a diagonal of size n + 1 (either sign).

    Strict diagonal dominance keeps the condition number below about 2n + 1.
    """
    return st.tuples(matrices(n, n, -1.0, 1.0), st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n)).map(
        lambda pair: pair[0] + (n + 1) * np.diag(pair[1])
    )
