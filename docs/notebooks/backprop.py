# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Explore: initialisation
#
# How does the scale of the initial weights change the gradient a small network's first layer
# starts with, and how long does a constant initialisation stay symmetric? The network has one
# hidden layer of sigmoid units: first-layer weights $W_1$ (one column per hidden unit),
# outgoing weights $w_2$, a linear output and the mean squared loss. Its training loop,
# `train_two_layer`, is the verified snippet of
# [the initialisation page](../../backprop/initialization/).

# %%
# --8<-- "backprop/initialization.py:two-layer"

# %% [markdown]
# ## The first layer's gradient at the start
#
# The gradient with respect to $W_1$ reaches the first layer through the outgoing weights
# $w_2$ and through the slopes $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ of the hidden units, at
# most $\frac14$, and $\frac14$ only at $z = 0$: $\frac14 - \sigma(1 - \sigma) = (\sigma - \frac12)^2$,
# and $\sigma(z) = \frac12$ only at $z = 0$. Every bias is 0 here and in both experiments
# below. The function `gradient_W1` below computes the gradient as `train_two_layer` does
# when the biases are 0 (one step of size 1 moves $W_1$ by minus this gradient, up to
# rounding), with $\sigma(z)$ computed from $e^{-|z|}$: $1/(1 + e^{-|z|})$ for $z \ge 0$ and
# $e^{-|z|}/(1 + e^{-|z|})$ for $z < 0$. That is the same function, without the overflow of
# $e^{-z}$ for $z$ below about $-709$, which weights of scale 100 reach.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp


def sigmoid(z):
    e = np.exp(-np.abs(z))            # at most 1: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def gradient_W1(W1, w2, X, t):
    """dLoss/dW1, loss = mean((sigmoid(X W1) w2 - t)^2) / 2."""
    H = sigmoid(X @ W1)
    d_out = (H @ w2 - t) / len(t)
    return X.T @ (np.outer(d_out, w2) * H * (1 - H))


# The same function as 1 / (1 + exp(-z)), to rounding:
z = np.linspace(-30, 30, 121)
assert np.allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15, atol=0)
# ... and finite where exp(-z) overflows (np.exp(800) is inf):
assert sigmoid(np.array([-800.0, 800.0])).tolist() == [0.0, 1.0]
assert 709 < np.log(np.finfo(float).max) < 710
# The slope is at most 1/4, and 1/4 only where sigma = 1/2: for
# every value s of sigma, 1/4 - s (1 - s) = (s - 1/2)^2 >= 0.
s = sp.Symbol("s", real=True)
half = sp.Rational(1, 2)
assert sp.expand(half / 2 - s * (1 - s) - (s - half) ** 2) == 0
# sigma(z) = 1/2 only at z = 0: the set of real solutions is {0}.
zs = sp.Symbol("z", real=True)
assert sp.solveset(sp.Eq(1 / (1 + sp.exp(-zs)), half), zs,
                   sp.S.Reals) == sp.FiniteSet(0)
slopes = sigmoid(z) * (1 - sigmoid(z))    # on the grid, as a check
assert slopes.max() == 0.25 and z[slopes.argmax()] == 0

rng = np.random.default_rng(0)
X, t = rng.normal(size=(200, 5)), rng.normal(size=200)
Z = X @ rng.normal(scale=100, size=(5, 16))   # weights of scale 100
print(f"weights of scale 100: smallest z {Z.min():.0f}")
assert Z.min() < -709

# One step of size 1 of the verified loop (biases 0) moves W1 by
# minus gradient_W1, to rounding.
W1 = rng.normal(scale=0.5, size=(5, 16))
w2 = rng.normal(scale=0.5, size=16)
stepped, _ = train_two_layer(W1, np.zeros(16), w2, 0.0, X, t,
                             step=1.0, epochs=1)
assert np.allclose(W1 - stepped, gradient_W1(W1, w2, X, t),
                   rtol=1e-10, atol=1e-15)

# %% [markdown]
# Two experiments on these 200 random examples (5 inputs, 16 hidden units), each averaged
# (geometric mean) over 20 draws of the weights:
#
# - **Scale of $W_1$, with $w_2$ fixed** (standard deviation $\frac14$). While $W_1$ is small
#   the hidden units sit near $z = 0$ and the gradient is flat: it varies by less than 5 %
#   for scales up to 0.1, then peaks a little higher (5 to 20 % above that plateau) between
#   scales 0.3 and 1. Large $W_1$ saturates the hidden units (at scale 100 their mean slope
#   $\sigma'(z)$ is below 0.01, against $\frac14$ at scale 0.001): from scale 1 on the
#   gradient falls, and at scale 100 it is less than a tenth of its plateau.
# - **Scale of $w_2$, with $W_1$ fixed** (standard deviation $1/\sqrt{5}$). While $w_2$ is
#   small the gradient is proportional to it (slope 1 on the log-log plot): tiny outgoing
#   weights give the first layer a tiny gradient. For large $w_2$ it grows like its square
#   (slope 2), because the output's error grows with $w_2$ too.
#
# So the first layer barely learns at the start when $W_1$ is large or when $w_2$ is tiny;
# a tiny $W_1$ alone does not shrink its gradient.

# %%
scales = np.logspace(-3, 2, 26)
draws = 20
by_W1 = np.zeros((draws, len(scales)))
by_w2 = np.zeros((draws, len(scales)))
mean_slope = np.zeros((draws, 2))     # at scales 0.001 and 100 of W1
for d in range(draws):
    V1 = rng.normal(size=(5, 16))     # one draw, rescaled below
    v2 = rng.normal(size=16)
    for i, scale in enumerate(scales):
        g = gradient_W1(scale * V1, v2 / 4, X, t)
        by_W1[d, i] = np.linalg.norm(g)
        g = gradient_W1(V1 / np.sqrt(5), scale * v2, X, t)
        by_w2[d, i] = np.linalg.norm(g)
    for k, scale in enumerate([scales[0], scales[-1]]):
        H = sigmoid(X @ (scale * V1))
        mean_slope[d, k] = (H * (1 - H)).mean()
# Geometric means over the draws:
curve_W1 = np.exp(np.log(by_W1).mean(axis=0))
curve_w2 = np.exp(np.log(by_w2).mean(axis=0))

fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(scales, curve_W1, "o-", markersize=3,
          label="scale of W1 (w2: std 1/4)")
ax.loglog(scales, curve_w2, "s-", markersize=3,
          label=r"scale of w2 (W1: std $1/\sqrt{5}$)")
ax.set_xlabel("standard deviation of the scaled layer's weights")
ax.set_ylabel("norm of dLoss/dW1 (geometric mean of 20)")
ax.set_title("dLoss/dW1 at the start: small for large W1 or small w2")
ax.legend()
plt.show()


def slope(where):
    """Log-log slope of the w2 curve over the scales selected."""
    return np.polyfit(np.log(scales[where]),
                      np.log(curve_w2[where]), 1)[0]


print("  scale   varying W1  varying w2")
for scale, a, b in zip(scales[::5], curve_W1[::5], curve_w2[::5]):
    print(f"{scale:7.3f}  {a:11.2e}  {b:10.2e}")
plateau = curve_W1[scales <= 0.1]
peak = curve_W1.max() / plateau.min()
top = scales[curve_W1.argmax()]
print(f"W1: plateau {plateau.min():.4f} to {plateau.max():.4f}")
print(f"W1: peak {peak:.2f} times the plateau, at scale {top:.2f}")
low, high = mean_slope.mean(axis=0)
print(f"mean slope: {low:.4f} at W1 scale 0.001, {high:.4f} at 100")
print(f"w2: slope {slope(scales <= 0.01):.3f} for scales <= 0.01")
print(f"w2: slope {slope(scales >= 10):.3f} for scales >= 10")

assert X.shape == (200, 5) and V1.shape == (5, 16)    # the set-up
assert by_W1.shape == (20, 26)
assert plateau.max() / plateau.min() < 1.05           # within 5 %
assert 1.05 < peak < 1.2 and 0.3 <= top <= 1          # a little higher
# Saturated: mean slope below 0.01; near z = 0 it is 1/4.
assert high < 0.01 and abs(low - 0.25) < 1e-3
assert np.all(np.diff(curve_W1[scales >= 1]) < 0)     # falls from 1 on
assert curve_W1[-1] < plateau.min() / 10              # < a tenth
# Proportional: slope 1 within 0.05 (0, flat, or 2 would fail).
assert abs(slope(scales <= 0.01) - 1) < 0.05
assert abs(slope(scales >= 10) - 2) < 0.1             # the square

# %% [markdown]
# ## A constant start stays symmetric, but the symmetry is unstable
#
# The page's set-up: 50 examples with 3 inputs, trained by `train_two_layer` from a constant
# start (every weight of $W_1$ and $w_2$ equal to 0.1, biases 0), here with 13 hidden units as
# in the page's tests (the page's doctest uses 4). The spread is the largest difference
# between two hidden units' weights from the same input. Identical units get identical
# gradients: checked below with sympy for one example and two units with 3 inputs each,
# comparing the gradients for their incoming weights, their biases and their outgoing
# weights, whatever the other units add to the output. The loss is the mean of the examples'
# losses, so its gradient is the mean of theirs, and the equality holds for it too. A step
# therefore keeps identical units identical: in exact arithmetic the spread stays 0. In
# float64 it stays below $10^{-12}$ for 1000 steps (the page's tolerance and number of steps).
#
# The symmetric state is unstable, though. Raise one unit's incoming weights by $10^{-12}$
# at the start: gradient descent multiplies that difference by about $10^5$ in 5000 steps,
# and after 10 000 steps the spread exceeds 0.1. A difference of $10^{-14}$ grows by the same
# factor (within 5 %): while it is small, its size does not matter. So rounding differences
# (order $10^{-16}$), where they arise, grow in the same way, and a constant start can drift
# over many steps. Whether rounding makes the units differ at all depends on the array shapes,
# the hardware and the BLAS library, so the cell below only prints what this run's constant
# start did (the build must not depend on the machine). Either way, that is no way to break
# symmetry. From a small random start (standard deviation
# 0.1, biases 0) the units' weights change by different amounts: the spread of the change in
# $W_1$ over 1000 steps exceeds 1 (for the constant start it is the spread itself, below
# $10^{-12}$). And the loss after those 1000 steps is lower than the constant start's, for
# each of 10 random starts.

# %%
# Two hidden units, a and b, each with 3 incoming weights, a bias and
# an outgoing weight; `rest` is what the other units and the output's
# bias add to the output. One example x with target y.
x = sp.symbols("x1:4")
w_a, w_b = sp.symbols("a1:4"), sp.symbols("b1:4")
c_a, c_b, v_a, v_b, rest, y = sp.symbols("c_a c_b v_a v_b rest y")


def unit(weights, bias):
    return 1 / (1 + sp.exp(-(sum(w * xi for w, xi in zip(weights, x))
                             + bias)))


loss = (v_a * unit(w_a, c_a) + v_b * unit(w_b, c_b) + rest - y) ** 2 / 2
theta_a, theta_b = [*w_a, c_a, v_a], [*w_b, c_b, v_b]
identical = dict(zip(theta_b, theta_a))   # b's parameters equal to a's
assert all(sp.simplify((loss.diff(p) - loss.diff(q)).subs(identical)) == 0
           for p, q in zip(theta_a, theta_b))

rng = np.random.default_rng(0)
X3, t3 = rng.normal(size=(50, 3)), rng.normal(size=50)


def train(W1, w2, epochs):
    """W1 after training from (W1, w2) with biases 0, and the losses."""
    return train_two_layer(W1, np.zeros(13), w2, 0.0, X3, t3,
                           epochs=epochs)


def spread(W1):
    return np.ptp(W1, axis=1).max()


def loss_after(W1, w2, epochs):
    """The loss after `epochs` steps: the loss before step epochs + 1
    (train_two_layer records the loss before each step)."""
    return train(W1, w2, epochs + 1)[1][-1]


def raised(difference):
    """The constant start with unit 0's incoming weights raised."""
    W1 = np.full((3, 13), 0.1)
    W1[:, 0] += difference
    return W1


constant = {n: spread(train(raised(0.0), np.full(13, 0.1), n)[0])
            for n in (1000, 10000)}
for n, s in constant.items():
    print(f"constant start, {n:5d} steps: spread {s:.1e}")
grown = {(d, n): spread(train(raised(d), np.full(13, 0.1), n)[0])
         for d, n in [(1e-12, 5000), (1e-12, 10000), (1e-14, 5000)]}
for (d, n), s in grown.items():
    print(f"raised by {d:.0e}, {n:5d} steps: spread {s:.1e}")
factor_12 = grown[1e-12, 5000] / 1e-12
factor_14 = grown[1e-14, 5000] / 1e-14
print(f"growth in 5000 steps: {factor_12:.2e} and {factor_14:.2e}")

W_start = rng.normal(scale=0.1, size=(3, 13))
v_start = rng.normal(scale=0.1, size=13)
change = spread(train(W_start, v_start, 1000)[0] - W_start)
print(f"random start, 1000 steps: spread of the change {change:.2f}")
constant_loss = loss_after(np.full((3, 13), 0.1), np.full(13, 0.1), 1000)
random_losses = [loss_after(W_start, v_start, 1000)] + [
    loss_after(rng.normal(scale=0.1, size=(3, 13)),
               rng.normal(scale=0.1, size=13), 1000) for _ in range(9)]
print(f"loss after 1000 steps: constant start {constant_loss:.4f}")
print(f"random starts: {min(random_losses):.4f} to "
      f"{max(random_losses):.4f} (10 draws)")

assert X3.shape == (50, 3) and W_start.shape == (3, 13)   # the set-up
assert "np.full((3, 4), 0.1)" in train_two_layer.__doc__   # page: 4 units
assert constant[1000] < 1e-12                    # the page's tolerance
# "About 1e5": within a factor 3 either way.
assert 1e5 / 3 < factor_12 < 3e5
assert grown[1e-12, 10000] > 0.1
assert abs(factor_14 / factor_12 - 1) < 0.05     # same factor
assert change > 1
assert len(random_losses) == 10 and max(random_losses) < constant_loss
