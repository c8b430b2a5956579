"""Question 3.2: why the initial weights should be small and random.

Page: docs/backprop/initialization.md. Tests: tests/backprop/test_initialization.py.
"""

# --8<-- [start:saturation]
import numpy as np


def sigmoid_slope(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)): how much of a gradient passes through a unit.

    >>> [float(f"{s:.3g}") for s in sigmoid_slope(np.array([0.0, 2.0, 5.0, 10.0]))]
    [0.25, 0.105, 0.00665, 4.54e-05]
    """
    s = 1.0 / (1.0 + np.exp(-z))
    return s * (1 - s)
# --8<-- [end:saturation]


# --8<-- [start:two-layer]
import numpy as np


def train_two_layer(W1, b1, w2, b2, X, t, step=0.5, epochs=1000):
    """Full-batch gradient descent on a 1-hidden-layer sigmoid network, mean squared loss.

    Returns the final first-layer weights (one column per hidden unit) and the losses.

    >>> rng = np.random.default_rng(0)
    >>> X, t = rng.normal(size=(50, 3)), rng.normal(size=50)
    >>> W1, losses = train_two_layer(np.full((3, 4), 0.1), np.zeros(4), np.full(4, 0.1), 0.0, X, t)
    >>> float(np.ptp(W1, axis=1).max()) < 1e-12     # constant start: columns stay equal
    True
    >>> W1, losses = train_two_layer(rng.normal(scale=0.1, size=(3, 4)), np.zeros(4),
    ...                              rng.normal(scale=0.1, size=4), 0.0, X, t)
    >>> float(np.ptp(W1, axis=1).max()) > 0.1       # random start: the units differ
    True
    """
    W1, b1, w2 = W1.astype(float).copy(), b1.astype(float).copy(), w2.astype(float).copy()
    losses = []
    for _ in range(epochs):
        H = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))       # hidden activations, one column per unit
        out = H @ w2 + b2
        losses.append(0.5 * np.mean((out - t) ** 2))
        d_out = (out - t) / len(t)                     # dLoss/d out
        d_Z = np.outer(d_out, w2) * H * (1 - H)        # back through the hidden sigmoids
        W1 -= step * X.T @ d_Z
        b1 -= step * d_Z.sum(axis=0)
        w2 -= step * H.T @ d_out
        b2 -= step * d_out.sum()
    return W1, np.array(losses)
# --8<-- [end:two-layer]


# --8<-- [start:operations]
import math


def count_multiplications(W1, w2, x):
    """Multiplications in one forward and backward pass of the two-layer network, counted.

    Returns the count and the network's output. The count depends on the shapes only: large
    weights cost exactly what small ones cost.

    >>> small = count_multiplications([[1e-3] * 4] * 3, [1e-3] * 4, [0.5, -1.0, 2.0])
    >>> large = count_multiplications([[1e3] * 4] * 3, [1e3] * 4, [0.5, -1.0, 2.0])
    >>> small[0], large[0]
    (40, 40)
    """
    count = 0
    hidden = []
    for k in range(len(w2)):                     # forward: z_k = sum_j x_j W1[j][k]
        z = 0.0
        for j in range(len(x)):
            z += x[j] * W1[j][k]
            count += 1
        hidden.append(0.5 * (1.0 + math.tanh(z / 2)))  # sigma(z), without overflow for large |z|
    out = 0.0
    for k in range(len(w2)):
        out += hidden[k] * w2[k]
        count += 1
    d_out = out                                  # d/d out of out^2 / 2 (target 0)
    gradient = [[0.0] * len(w2) for _ in x]
    for k in range(len(w2)):                     # backward: dW1[j][k] = x_j * d_z_k
        d_z = d_out * w2[k] * hidden[k] * (1 - hidden[k])
        count += 3
        for j in range(len(x)):
            gradient[j][k] = x[j] * d_z
            count += 1
    return count, out, gradient
# --8<-- [end:operations]


# Everything below is build and proof machinery, not shown on the page.

import sympy as sp  # noqa: E402

from verified_docs import Claim  # noqa: E402

SLOPE_AT = (0, 2, 5, 10)


def exact_slopes():
    z = sp.Symbol("z")
    s = 1 / (1 + sp.exp(-z))
    return sp.Matrix([sp.simplify(s * (1 - s)).subs(z, v) for v in SLOPE_AT])


def symmetric_gradient_difference(inputs=2):
    """d L / d w_1 - d L / d w_2 for two hidden units with identical weights, symbolically.

    One example x, target t, hidden units h_k = sigma(w_k . x + c), output v (h_1 + h_2) + d.
    """
    x = sp.Matrix(sp.symbols(f"x1:{inputs + 1}", real=True))
    w = sp.Matrix(sp.symbols(f"w1:{inputs + 1}", real=True))  # the shared initial weights
    w1 = sp.Matrix(sp.symbols(f"p1:{inputs + 1}", real=True))
    w2 = sp.Matrix(sp.symbols(f"q1:{inputs + 1}", real=True))
    c, v, d, t = sp.symbols("c v d t", real=True)
    sig = lambda a: 1 / (1 + sp.exp(-a))  # noqa: E731
    out = v * sig((w1.T * x)[0] + c) + v * sig((w2.T * x)[0] + c) + d
    loss = (out - t) ** 2 / 2
    grad1 = sp.Matrix([loss.diff(p) for p in w1])
    grad2 = sp.Matrix([loss.diff(q) for q in w2])
    same = {**dict(zip(w1, w)), **dict(zip(w2, w))}
    return (grad1 - grad2).subs(same), (grad1 - grad2), (w1, w2, x, c, v, d, t)


def saturation_figure():
    from matplotlib.figure import Figure

    z = np.linspace(-10, 10, 401)
    s = 1.0 / (1.0 + np.exp(-z))
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.add_subplot()
    ax.plot(z, s, label="sigma(z)")
    ax.plot(z, sigmoid_slope(z), label="sigma'(z), at most 1/4")
    ax.axhline(0.25, color="grey", linewidth=0.6, linestyle=":")
    ax.set_xlabel("z")
    ax.set_title("The sigmoid saturates for large |z|: its slope vanishes")
    ax.legend(loc="center right")
    return fig


FIGURES = {"sigmoid-saturation.svg": saturation_figure}

CLAIMS = [
    Claim("init.saturation", "The sigmoid's slope at z = 0, 2, 5, 10: gradients vanish for large |z|",
          value=exact_slopes, approx=True),
    Claim("init.symmetry", "Hidden units with identical weights get identical gradients, so they stay identical",
          value=lambda: sp.Integer(0)),
]
