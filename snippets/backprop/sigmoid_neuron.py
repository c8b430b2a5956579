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
    delta = (y - t) * y * (1 - y)           # delta_k = (y_k - t_k) sigma'(z_k)
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


# Everything below is build and proof machinery, not shown on the page.

import sympy as sp  # noqa: E402

from snippets.claims import Claim  # noqa: E402

# Scalars standing for the quantities on the page; sigma is left undefined in the displayed
# forms (the page writes sigma(z)), and the tests substitute the logistic function for it.
z, y, t, x, w, lam = sp.symbols("z y t x w lambda", real=True)
sigma = sp.Function("sigma")
N = sp.Symbol("N", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
Xm = sp.MatrixSymbol("X", N, n)
DELTA = sp.MatrixSymbol(r"\boldsymbol{\delta}", N, 1)
Wv = sp.MatrixSymbol(r"\mathbf{w}", n, 1)
BATCH_W = Xm.T * DELTA / N + lam * Wv


def logistic(arg):
    return 1 / (1 + sp.exp(-arg))


CLAIMS = [
    Claim("neuron.dloss-dy", "dL/dy for L = (y - t)^2 / 2", value=lambda: y - t),
    Claim("neuron.dsigma", "The sigmoid's derivative", value=lambda: sigma(z) * (1 - sigma(z))),
    Claim("neuron.dsigma-bound", "sigma' = 1/4 - (sigma - 1/2)^2, so sigma' <= 1/4 with equality only at z = 0",
          value=lambda: sp.Rational(1, 4) - (sigma(z) - sp.Rational(1, 2)) ** 2),
    Claim("neuron.dz-dw", "dz/dw for z = w^T x + b (as a gradient, a vector like w)", value=lambda: x),
    Claim("neuron.dreg-dw", "The gradient of R = |w|^2 / 2", value=lambda: w),
    Claim("neuron.dreg-db", "R does not depend on b", value=lambda: sp.Integer(0)),
    Claim("neuron.grad-w", "The gradient of L_reg with respect to w",
          value=lambda: (y - t) * sigma(z) * (1 - sigma(z)) * x + lam * w),
    Claim("neuron.grad-b", "The derivative of L_reg with respect to b",
          value=lambda: (y - t) * sigma(z) * (1 - sigma(z))),
    Claim("neuron.batch", "The batch gradient: rows of X are examples, delta_k = (y_k - t_k) sigma'(z_k)",
          tex=lambda: sp.latex(BATCH_W).replace("^{T}", "^{\\top}")),
]
