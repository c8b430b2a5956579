"""The original assignment's statements that several pages' tests check, transcribed once.

A helper, not a test: tests/optimization/test_newton.py and tests/test_errata.py both compare
with these (the snippets transcribe them a second time; the two transcriptions must agree).
"""

from __future__ import annotations

import sympy as sp

from snippets.optimization import newton

_, _, _, (X, Y) = newton.objective()
PI = sp.pi

# The gradient of question 2.2.1 exactly as the original states it.
ORIGINAL_GRADIENT = sp.Matrix([
    4 * X + sp.Rational(34, 10) * PI * sp.sin(PI * X / 5) - Y,
    4 * Y - 17 * sp.cos(PI * X / 5) - X,
])
