"""The one shared checking helper: exact symbolic equality, finite differences, tolerances.

Every page's proofs go through these functions, so a tolerance or a differencing rule is
decided once, here, with its reason. Only numpy and sympy are used, so the build can import
snippet modules that import this one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

EPS = float(np.finfo(np.float64).eps)

# Central differences have truncation error ~ h^2 |f'''| / 6 and rounding error ~ eps |f| / h;
# h = eps^(1/3) balances them, leaving a relative error of order eps^(2/3) ~ 4e-11 for a
# function whose third derivative is of the size of the function itself. The default
# tolerance leaves three decades of room for larger derivatives, and no more.
FD_STEP = EPS ** (1 / 3)
FD_RTOL = 1e-7
FD_ATOL = 1e-7


def is_zero(expr) -> bool:
    """True when a sympy expression or matrix is identically zero.

    `cancel` decides rational functions exactly; `simplify` is the fallback for
    transcendental terms. An expression that neither can reduce counts as non-zero:
    a proof that cannot be completed fails, it never passes by default.
    """
    if isinstance(expr, sp.MatrixBase):
        return all(is_zero(entry) for entry in expr)
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    if sp.cancel(expr) == 0:
        return True
    return sp.simplify(expr) == 0


def symbolic_equal(left, right) -> bool:
    """Exact equality of two sympy expressions or equally shaped matrices."""
    if isinstance(left, sp.MatrixBase) or isinstance(right, sp.MatrixBase):
        left, right = sp.Matrix(left), sp.Matrix(right)
        if left.shape != right.shape:
            return False
    return is_zero(left - right)


def fd_step(x: np.ndarray) -> np.ndarray:
    """Per-coordinate central-difference step, scaled with the coordinate's magnitude."""
    return FD_STEP * np.maximum(1.0, np.abs(np.asarray(x, dtype=float)))


def fd_jacobian(func: Callable[[np.ndarray], np.ndarray], x) -> np.ndarray:
    """Central-difference Jacobian of func at x; row i is d func_i, column j is d x_j.

    A scalar func gives a one-row Jacobian, i.e. the gradient as a row (numerator layout).
    """
    x = np.asarray(x, dtype=float)
    steps = fd_step(x)
    columns = []
    for j, h in enumerate(steps):
        e = np.zeros_like(x)
        e[j] = h
        columns.append((np.atleast_1d(func(x + e)) - np.atleast_1d(func(x - e))) / (2 * h))
    return np.stack(columns, axis=-1)


def fd_gradient(func: Callable[[np.ndarray], float], x) -> np.ndarray:
    """Central-difference gradient of a scalar function, as a flat vector."""
    return fd_jacobian(func, x).reshape(-1)


def assert_close(actual, expected, *, rtol: float = FD_RTOL, atol: float = FD_ATOL, what: str = "") -> None:
    """Fail with both arrays and the worst entry shown when they differ beyond tolerance."""
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if actual.shape != expected.shape:
        raise AssertionError(f"{what}: shape {actual.shape} != {expected.shape}")
    if not np.allclose(actual, expected, rtol=rtol, atol=atol):
        worst = np.max(np.abs(actual - expected) - rtol * np.abs(expected))
        raise AssertionError(
            f"{what}: values differ by {worst:.3g} beyond atol={atol}, rtol={rtol}\n"
            f"actual:\n{actual}\nexpected:\n{expected}"
        )


def lambdify(expr, variables) -> Callable[[np.ndarray], np.ndarray]:
    """A numpy function of one vector argument from a sympy expression or matrix."""
    compiled = sp.lambdify(variables, expr, modules="numpy")

    def at(point):
        value = compiled(*np.asarray(point, dtype=float))
        return np.asarray(value, dtype=float).reshape(np.shape(expr)) if hasattr(expr, "shape") else float(value)

    return at
