"""Question 3.2: why the initial weights should be small and random.

Page: docs/backprop/initialization.md. Tests: tests/backprop/test_initialization.py.
"""

# --8<-- [start:saturation]
import numpy as np


def sigmoid_slope(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)): how much of a gradient passes through a unit.

    >>> [float(f"{slope:.3g}") for slope in sigmoid_slope(np.array([0.0, 2.0, 5.0, 10.0]))]
    [0.25, 0.105, 0.00665, 4.54e-05]
    """
    sig = 1.0 / (1.0 + np.exp(-z))
    return sig * (1 - sig)
# --8<-- [end:saturation]


# --8<-- [start:two-layer]
import numpy as np


def train_two_layer(W1, b1, w2, b2, X, t, step=0.5, epochs=1000):
    """Full-batch gradient descent on a 1-hidden-layer sigmoid network, mean squared loss.

    Column k of W1 is unit k's incoming weights w_k, b1[k] its bias c_k, w2[k] its outgoing
    weight v_k, b2 the output's bias d. Returns the final W1 and the loss before each step.

    >>> rng = np.random.default_rng(0)
    >>> X, t = rng.normal(size=(50, 3)), rng.normal(size=50)
    >>> W_start = np.full((3, 4), 0.1)                  # constant start, 4 hidden units
    >>> W1, losses = train_two_layer(W_start, np.zeros(4), np.full(4, 0.1), 0.0, X, t)
    >>> round(float(np.abs(W1 - W_start).max()), 2)      # the weights moved ...
    0.64
    >>> float(np.ptp(W1, axis=1).max()) < 1e-12          # ... all 4 columns alike
    True
    >>> W_start = rng.normal(scale=0.1, size=(3, 4))     # small random start
    >>> v_start = rng.normal(scale=0.1, size=4)
    >>> W1, losses = train_two_layer(W_start, np.zeros(4), v_start, 0.0, X, t)
    >>> round(float(np.ptp(W_start, axis=1).max()), 2)   # columns differ at the start
    0.28
    >>> round(float(np.ptp(W1 - W_start, axis=1).max()), 2)  # and move differently
    2.11
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
    """Count the multiplications of the weighted sums and the chain rule in one forward and
    backward pass (not those inside sigma; no biases, target 0).

    An illustration, not a measurement: the loops run over the shapes of W1, w2 and x and never
    look at a value, so the count cannot depend on the size of the weights. Returns the count,
    the network's output and the gradients of the loss out^2 / 2 for W1 and for w2.

    >>> small = count_multiplications([[1e-3] * 4] * 3, [1e-3] * 4, [0.5, -1.0, 2.0])
    >>> large = count_multiplications([[1e3] * 4] * 3, [1e3] * 4, [0.5, -1.0, 2.0])
    >>> small[0], large[0]
    (44, 44)
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
    grad_w2 = []
    grad_W1 = [[0.0] * len(w2) for _ in x]
    for k in range(len(w2)):                     # backward
        grad_w2.append(d_out * hidden[k])        # d out / d w2_k = h_k: 1 multiplication
        d_z = d_out * w2[k] * hidden[k] * (1 - hidden[k])  # 3 more
        count += 4
        for j in range(len(x)):
            grad_W1[j][k] = x[j] * d_z
            count += 1
    return count, out, grad_W1, grad_w2
# --8<-- [end:operations]


# Everything below is build and proof machinery, not shown on the page.

import sympy as sp

from verified_docs import Claim

SLOPE_AT = (0, 2, 5, 10)

# Scalars standing for the quantities on the page (sigma left undefined, as the page writes it).
y, t, s, x = sp.symbols("y t s x", real=True)
v_k, z_k = sp.symbols("v_k z_k", real=True)
j, n = sp.Symbol("j", integer=True), sp.Symbol("n", integer=True, positive=True)
x_indexed = sp.IndexedBase("x")
sigma = sp.Function("sigma")


def logistic(arg):
    return 1 / (1 + sp.exp(-arg))


def exact_slopes():
    z = sp.Symbol("z")
    sig = logistic(z)
    return sp.Matrix([sp.simplify(sig * (1 - sig)).subs(z, v) for v in SLOPE_AT])


def two_layer_model(inputs, units=2, examples=1):
    """The page's network, all symbolic: the loss summed over examples and each unit's parameters.

    z_k = w_k . x + c_k, h_k = sigma(z_k), y = sum_k v_k h_k + d, L = sum over examples of (y - t)^2 / 2.
    Returns (L, X, t, units' parameters [w_1k, ..., w_nk, c_k, v_k] for each k, d).
    """
    X = sp.Matrix(examples, inputs, lambda e, i: sp.Symbol(f"x_{e + 1}{i + 1}", real=True))
    targets = sp.Matrix(sp.symbols(f"t1:{examples + 1}", real=True))
    W = sp.Matrix(inputs, units, lambda i, k: sp.Symbol(f"w_{i + 1}{k + 1}", real=True))
    c = sp.symbols(f"c1:{units + 1}", real=True)
    v = sp.symbols(f"v1:{units + 1}", real=True)
    d = sp.Symbol("d", real=True)
    loss = sp.Integer(0)
    for e in range(examples):
        out = sum(v[k] * logistic((X[e, :] * W[:, k])[0] + c[k]) for k in range(units)) + d
        loss += (out - targets[e]) ** 2 / 2
    theta = [[*W[:, k], c[k], v[k]] for k in range(units)]
    return loss, X, targets, theta, d


def unit_gradient_gap(inputs, units=2, examples=1, tie=None):
    """The gradient for unit 1's parameters minus that for unit 2's, where theta_2 = theta_1.

    tie: the substitution that makes the units equal; by default theta_2 -> theta_1 (incoming
    weights, bias and outgoing weight). Pass another to see which equalities are needed.
    """
    loss, _, _, theta, _ = two_layer_model(inputs, units, examples)
    gap = sp.Matrix([loss.diff(p) - loss.diff(q) for p, q in zip(theta[0], theta[1])])
    return gap.xreplace(dict(zip(theta[1], theta[0])) if tie is None else tie(theta))


def swapped_loss_change(inputs, units=2, examples=1):
    """L(S theta) - L(theta), S swapping units 1 and 2 with all their parameters (the argument's premise)."""
    loss, _, _, theta, _ = two_layer_model(inputs, units, examples)
    swap = {**dict(zip(theta[0], theta[1])), **dict(zip(theta[1], theta[0]))}
    return loss.xreplace(swap) - loss


# The right side of the chain-rule step, as (swaps applied to the gradient, swaps applied to
# theta): the page's TeX is written from it and the check computes from it, so they cannot part.
SWAP_GRADIENT = ("S", "S")


def swap_gradient_tex(outer="S", inner="S"):
    return (f"{outer}\\, " if outer else "") + f"\\nabla L({inner}\\boldsymbol{{\\theta}})"


def swapped_gradient_gap(inputs, units=2, examples=1, right_side=SWAP_GRADIENT):
    """grad L(theta) minus the right side (default S grad L(S theta)), over all parameters unit by unit."""
    outer, inner = right_side
    loss, _, _, theta, d = two_layer_model(inputs, units, examples)
    swap = {**dict(zip(theta[0], theta[1])), **dict(zip(theta[1], theta[0]))} if inner == "S" else {}
    blocks = [[loss.diff(p) for p in unit] for unit in theta]
    at_point = [[g.xreplace(swap) for g in block] for block in blocks]
    if outer == "S":  # S applied to a gradient: swap its blocks for units 1 and 2
        at_point = [at_point[1], at_point[0], *at_point[2:]]
    return sp.Matrix([g - h for block, other in zip(blocks, at_point) for g, h in zip(block, other)]
                     + [loss.diff(d) - loss.diff(d).xreplace(swap)])


def symmetry_gap(tie=None):
    """The squared norm of the gap for 3 units, 2 inputs, 2 examples: the value the page shows
    (with the units tied as the page ties them; pass `tie` as to unit_gradient_gap for another)."""
    return sum((g**2 for g in unit_gradient_gap(inputs=2, units=3, examples=2, tie=tie)), sp.Integer(0))


def mean_square_of_z():
    """E[z_k^2] as the page shows it: s^2 times the sum of the x_j^2 (sympy writes the TeX)."""
    return s**2 * sp.Sum(x_indexed[j] ** 2, (j, 1, n))


def expected_square_of_z(x_values, mean=0):
    """E[(w . x)^2] for independent weights w_j with the given mean and variance s^2, exactly.

    Expectation is linear, and for independent weights E[w_i w_j] = E[w_i] E[w_j] when i != j,
    while E[w_j^2] = s^2 + mean^2: the expanded square is reduced with these two rules.
    """
    w = sp.symbols(f"omega1:{len(x_values) + 1}")
    square = sp.Poly(sp.expand(sum(wj * xv for wj, xv in zip(w, x_values)) ** 2), *w)
    total = sp.Integer(0)
    for powers, coefficient in square.terms():
        moment = sp.Integer(1)
        for power in powers:
            moment *= {0: 1, 1: mean, 2: s**2 + mean**2}[power]
        total += coefficient * moment
    return sp.expand(total)


def saturation_figure():
    from matplotlib.figure import Figure

    z = np.linspace(-10, 10, 401)
    sig = 1.0 / (1.0 + np.exp(-z))
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.add_subplot()
    ax.plot(z, sig, label=r"$\sigma(z)$")
    ax.plot(z, sigmoid_slope(z), label=r"$\sigma'(z)$, at most 1/4")
    ax.axhline(0.25, color="grey", linewidth=0.6, linestyle=":")
    ax.set_xlabel("z")
    ax.set_title("The sigmoid saturates for large |z|: its slope vanishes")
    ax.legend(loc="center right")
    return fig


FIGURES = {"sigmoid-saturation.svg": saturation_figure}

CLAIMS = [
    Claim("init.grad-w", "The gradient of L for unit k's incoming weights: (y - t) v_k sigma'(z_k) x",
          value=lambda: (y - t) * v_k * sigma(z_k) * (1 - sigma(z_k)) * x),
    Claim("init.saturation", "The sigmoid's slope at z = 0, 2, 5, 10: gradients vanish for large |z|",
          value=exact_slopes, approx=True),
    Claim("init.scale", "E[z_k^2] = s^2 sum_j x_j^2 for independent mean-0 weights of variance s^2 and c_k = 0",
          tex=lambda: sp.latex(mean_square_of_z())),
    Claim("init.swap", "Swapping two hidden units with all their parameters leaves the loss unchanged",
          value=lambda: swapped_loss_change(inputs=2, units=3, examples=2)),
    Claim("init.swap-gradient", "Differentiating L(S theta) = L(theta): grad L(theta) = S grad L(S theta)",
          tex=lambda: swap_gradient_tex(*SWAP_GRADIENT)),
    Claim("init.symmetry", "Units with equal incoming weights, bias and outgoing weight get equal gradients",
          value=symmetry_gap),
]
