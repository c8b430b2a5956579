"""Question 3.1: the gradient of a regularised sigmoid neuron.

Page: docs/backprop/sigmoid-neuron.md. Tests: tests/backprop/test_sigmoid_neuron.py.
"""

# --8<-- [start:neuron]
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def loss_and_gradients(w, b, x, t, lam):
    """Forward and backward pass for one example: L_reg = (y - t)^2 / 2 + lam |w|^2 / 2.

    Returns (L_reg, dL_reg/dw, dL_reg/db) with y = sigmoid(w . x + b).

    >>> L, dw, db = loss_and_gradients(np.array([0.5, -1.0]), 0.1, np.array([1.0, 2.0]), 1.0, 0.01)
    >>> round(float(L), 6), np.round(dw, 6), round(float(db), 6)
    (0.327999, array([-0.122294, -0.264589]), -0.127294)
    """
    z = w @ x + b
    y = sigmoid(z)
    delta = (y - t) * y * (1 - y)          # dL/dz = dL/dy * dy/dz
    loss = 0.5 * (y - t) ** 2 + 0.5 * lam * (w @ w)
    return loss, delta * x + lam * w, delta
# --8<-- [end:neuron]


# --8<-- [start:batch]
import numpy as np


def batch_loss_and_gradients(w, b, X, t, lam):
    """Mean loss over a batch (rows of X) plus lam |w|^2 / 2, and its gradients, vectorised.

    >>> X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    >>> L, dw, db = batch_loss_and_gradients(np.array([0.5, -1.0]), 0.1, X, np.array([1.0, 0.0, 1.0]), 0.01)
    >>> round(float(L), 6), np.round(dw, 6), round(float(db), 6)
    (0.228241, array([-0.1185  , -0.168744]), -0.022596)
    """
    N = len(t)                              # the batch size (X is N by n)
    y = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    delta = (y - t) * y * (1 - y)           # delta_i = (y_i - t_i) sigma'(z_i)
    loss = 0.5 * np.mean((y - t) ** 2) + 0.5 * lam * (w @ w)
    return loss, X.T @ delta / N + lam * w, delta.mean()
# --8<-- [end:batch]


# --8<-- [start:descent]
import numpy as np


def gradient_descent(X, t, lam=0.01, step=0.5, epochs=200, seed=0):
    """Full-batch gradient descent on the mean regularised loss.

    Returns epochs + 1 losses: before the first update and after each update.

    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(100, 3))
    >>> t = (X @ np.array([1.5, -2.0, 0.5]) > 0).astype(float)
    >>> losses = gradient_descent(X, t, step=0.5, epochs=200)
    >>> len(losses), bool(np.all(np.diff(losses) < 0))
    (201, True)
    >>> round(float(losses[0]), 3), round(float(losses[-1]), 3)
    (0.125, 0.054)
    """
    rng = np.random.default_rng(seed)
    w, b = rng.normal(scale=0.01, size=X.shape[1]), 0.0
    losses = []
    for epoch in range(epochs + 1):
        y = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        losses.append(0.5 * np.mean((y - t) ** 2) + 0.5 * lam * (w @ w))
        if epoch == epochs:                 # the loss after the last update is recorded too
            break
        delta = (y - t) * y * (1 - y)
        w, b = w - step * (X.T @ delta / len(t) + lam * w), b - step * delta.mean()
    return np.array(losses)
# --8<-- [end:descent]


# --8<-- [start:chain]
import numpy as np


def chain_gradient(weights, biases, a0):
    """Output a_D of a chain of scalar sigmoid units and its derivative by the input a_0.

    Unit k computes a_k = sigmoid(w_k a_{k-1} + b_k); backpropagation multiplies the factors
    da_k / da_{k-1} = w_k sigmoid'(z_k), one per unit.

    >>> chain_gradient([8.0, 8.0, 8.0], [0.0, -4.0, -4.0], 0.0)   # every z_k = 0: factors 8/4 = 2
    (0.5, 8.0)
    >>> chain_gradient([1.0, 1.0, 1.0], [0.0, -0.5, -0.5], 0.0)   # every z_k = 0: factors 1/4
    (0.5, 0.015625)
    """
    a, factors = float(a0), []
    for w, b in zip(weights, biases):
        a = 1.0 / (1.0 + np.exp(-(w * a + b)))
        factors.append(w * a * (1 - a))
    return float(a), float(np.prod(factors))
# --8<-- [end:chain]


# Everything below is build and proof machinery, not shown on the page.

import sympy as sp

from verified_docs import Claim
from verified_docs.verify import FD_ATOL, FD_RTOL

# Scalars standing for the quantities on the page; sigma is left undefined in the displayed
# forms (the page writes sigma(z)), and the tests substitute the logistic function for it.
z, y, t, x, w, lam = sp.symbols("z y t x w lambda", real=True)
sigma = sp.Function("sigma")
sigma_prime = sp.Function(r"\sigma'")  # printed as \sigma'; the tests substitute the derivative
N = sp.Symbol("N", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
D = sp.Symbol("D", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)  # a unit of the chain
i = sp.Symbol("i", integer=True, positive=True)  # an example of the batch

# The batch: rows x_i^T of X, per-example factors delta_i (the vector delta). A sum over i and
# a matrix product are not read back by the parser (a renamed summation index would go
# unnoticed), so their TeX is generated from these expressions, which the tests evaluate.
Xm = sp.MatrixSymbol("X", N, n)
DELTA = sp.MatrixSymbol(r"\boldsymbol{\delta}", N, 1)
Wv = sp.MatrixSymbol(r"\mathbf{w}", n, 1)
delta_i = sp.IndexedBase(r"\delta")
x_i = sp.IndexedBase(r"\mathbf{x}")
BATCH_SUM = sp.Sum(delta_i[i] * x_i[i], (i, 1, N)) / N  # (1/N) sum_i delta_i x_i
BATCH_MATRIX = Xm.T * DELTA / N                          # (1/N) X^T delta
BATCH_REG = lam * Wv                                     # lambda w, counted once
BATCH_B = sp.Sum(delta_i[i], (i, 1, N)) / N              # (1/N) sum_i delta_i

# The chain of scalar units a_k = sigma(w_k a_{k-1} + b_k), k = 1..D.
w_k = sp.IndexedBase("w")
z_k = sp.IndexedBase("z")
SIGMA_PRIME_MAX = sp.Rational(1, 4)  # the constant of the completed square below
CHAIN = sp.Product(w_k[k] * sigma_prime(z_k[k]), (k, 1, D))
CHAIN_BOUND = SIGMA_PRIME_MAX**D * sp.Product(sp.Abs(w_k[k]), (k, 1, D))

# Finite differences (verified_docs/verify.py): the step for parameter p_j, with max as the parser
# reads it (an undefined function; the tests substitute sympy's Max).
epsilon, p_j = sp.Symbol("epsilon", positive=True), sp.Symbol("p_j", real=True)
max_ = sp.Function("max")
FD_STEP_FORM = epsilon ** sp.Rational(1, 3) * max_(1, sp.Abs(p_j))


# Euler's number as the parser reads e^{-z} from the page: a symbol (the tests substitute sp.E).
e = sp.Symbol("e", positive=True)


def logistic(arg):
    return 1 / (1 + sp.exp(-arg))


def logistic_prime(arg):
    """sigma'(arg) for the logistic sigma, exactly."""
    u = sp.Dummy("u", real=True)
    return logistic(u).diff(u).subs(u, arg)


# A unit with a large weight: w = 8; its factor 8 sigma'(z) is above 1 only for |z| < Z_STAR.
LARGE_WEIGHT = 8
Z_STAR = 2 * sp.log(1 + sp.sqrt(2))


def _tex(expr):
    """A sum over i prints as (1/N) sum, not as one fraction; X^T as X^\\top."""
    wide = isinstance(expr, sp.Expr) and expr.has(sp.Sum)
    return sp.latex(expr, long_frac_ratio=0 if wide else None).replace("^{T}", "^{\\top}")


def _power_of_ten(value):
    """10^{e} for a tolerance that is an exact power of ten, else refuse."""
    exponent = round(np.log10(value))
    if value != 10.0**exponent:
        raise ValueError(f"neuron.fd-tolerance: {value} is not a power of ten")
    return f"10^{{{exponent}}}"


def _tolerance_tex():
    return rf"\le {_power_of_ten(FD_ATOL)} + {_power_of_ten(FD_RTOL)}\, |d|"


def _sigma_prime_max_tex():
    # SIGMA_PRIME_MAX - sigma' must be the square of the completed-square form, hence >= 0.
    gap = SIGMA_PRIME_MAX - CLAIMS_BY_ID["neuron.dsigma-bound"].value()
    if sp.expand(gap - (sigma(z) - sp.Rational(1, 2)) ** 2) != 0:
        raise ValueError("neuron.dsigma-max: 1/4 - sigma' is not the square (sigma - 1/2)^2")
    return r"\le " + _tex(SIGMA_PRIME_MAX)


CLAIMS = [
    Claim("neuron.dloss-dy", "dL/dy for L = (y - t)^2 / 2", value=lambda: y - t),
    Claim("neuron.dsigma-exp", "The sigmoid's derivative by the chain rule, in exponentials, as a product",
          value=lambda: e**-z / (1 + e**-z) ** 2),
    Claim("neuron.one-minus-sigma", "1 - sigma(z) = e^-z / (1 + e^-z)", value=lambda: e**-z / (1 + e**-z)),
    Claim("neuron.dsigma", "The sigmoid's derivative", value=lambda: sigma(z) * (1 - sigma(z))),
    Claim("neuron.dsigma-bound", "sigma' = 1/4 - (sigma - 1/2)^2 (completing the square)",
          value=lambda: sp.Rational(1, 4) - (sigma(z) - sp.Rational(1, 2)) ** 2),
    Claim("neuron.dsigma-max", "sigma'(z) <= 1/4 for every real z", tex=_sigma_prime_max_tex),
    Claim("neuron.sigma-zero", "sigma(0) = 1/2, and z = 0 is the only z with sigma(z) = 1/2",
          value=lambda: sp.Rational(1, 2)),
    Claim("neuron.dsigma-zero", "sigma'(0) = 1/4: the bound is attained at z = 0",
          value=lambda: sp.Rational(1, 4)),
    Claim("neuron.dz-dw", "dz/dw for z = w^T x + b (as a gradient, a vector like w)", value=lambda: x),
    Claim("neuron.dz-db", "dz/db for z = w^T x + b", value=lambda: sp.Integer(1)),
    Claim("neuron.dreg-dw", "The gradient of R = |w|^2 / 2", value=lambda: w),
    Claim("neuron.dreg-db", "R does not depend on b", value=lambda: sp.Integer(0)),
    Claim("neuron.grad-w", "The gradient of L_reg with respect to w",
          value=lambda: (y - t) * sigma(z) * (1 - sigma(z)) * x + lam * w),
    Claim("neuron.grad-b", "The derivative of L_reg with respect to b",
          value=lambda: (y - t) * sigma(z) * (1 - sigma(z))),
    Claim("neuron.batch", "The batch gradient in w: rows x_i^T of X, delta_i = (y_i - t_i) sigma'(z_i), "
          "as a sum over the examples and as a matrix product",
          tex=lambda: f"{_tex(BATCH_SUM)} + {_tex(BATCH_REG)} = {_tex(BATCH_MATRIX)} + {_tex(BATCH_REG)}"),
    Claim("neuron.batch-b", "The batch derivative in b: the mean of the delta_i", tex=lambda: _tex(BATCH_B)),
    Claim("neuron.chain", "d a_D / d a_0 for a chain of D scalar sigmoid units: one factor w_k sigma'(z_k) per unit",
          tex=lambda: sp.latex(CHAIN, order="none")),
    Claim("neuron.chain-bound", "|d a_D / d a_0| <= 4^-D prod |w_k|, attained when every z_k = 0",
          tex=lambda: r"\le " + sp.latex(CHAIN_BOUND)),
    Claim("neuron.chain-large", "A unit with w = 8 at z = 0 multiplies the gradient by 2",
          value=lambda: sp.Integer(2)),
    Claim("neuron.large-window", "8 sigma'(z) > 1 exactly when |z| < 2 ln(1 + sqrt 2)", value=lambda: Z_STAR),
    Claim("neuron.large-at-2", "A unit with w = 8 at z = 2: factor 8 sigma'(2), below 1",
          value=lambda: LARGE_WEIGHT * logistic_prime(2), approx=True),
    Claim("neuron.large-at-4", "A unit with w = 8 at z = 4: factor 8 sigma'(4), far below 1",
          value=lambda: LARGE_WEIGHT * logistic_prime(4), approx=True),
    Claim("neuron.eps", "float64's machine epsilon", value=lambda: sp.Integer(2) ** -52),
    Claim("neuron.fd-balance", "h^2 = eps / h (truncation and rounding errors of the same order) at h = eps^(1/3)",
          value=lambda: epsilon ** sp.Rational(1, 3)),
    Claim("neuron.fd-step", "The central-difference step of verified_docs/verify.py for parameter p_j",
          value=lambda: FD_STEP_FORM),
    Claim("neuron.fd-tolerance", "assert_close's default test: |g - d| <= atol + rtol |d| (numpy.allclose)",
          tex=_tolerance_tex),
]
CLAIMS_BY_ID = {claim.id: claim for claim in CLAIMS}
