"""Hypothesis strategies, named for what they draw."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


def finite_floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def points_in_box(low: float, high: float, dim: int = 2) -> st.SearchStrategy[np.ndarray]:
    """Points of R^dim with every coordinate in [low, high]."""
    return st.lists(finite_floats(low, high), min_size=dim, max_size=dim).map(np.array)
