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
# How does the scale of the initial weights change the gradients a small network starts
# with, and how long does a constant initialisation stay symmetric? The training loop is the
# verified snippet of [the initialisation page](../../backprop/initialization/).

# %%
# --8<-- "backprop/initialization.py:two-layer"

# %% [markdown]
# ## Gradient size at the start, against the weight scale
#
# Tiny weights give tiny gradients for the first layer (the signal through $w_2$ is small);
# large weights saturate the hidden units, and the gradient vanishes again.

# %%
import matplotlib.pyplot as plt

rng = np.random.default_rng(0)
X, t = rng.normal(size=(200, 5)), rng.normal(size=200)
scales = np.logspace(-3, 2, 26)
norms = []
for scale in scales:
    W1 = rng.normal(scale=scale, size=(5, 16))
    w2 = rng.normal(scale=scale, size=16)
    H = 1 / (1 + np.exp(-(X @ W1)))
    d_out = (H @ w2 - t) / len(t)
    d_Z = np.outer(d_out, w2) * H * (1 - H)
    norms.append(np.linalg.norm(X.T @ d_Z))
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(scales, norms, "o-", markersize=3)
ax.set_xlabel("standard deviation of the initial weights")
ax.set_ylabel("norm of dLoss/dW1 at the start")
ax.set_title("Too small or too large: the first layer barely learns")
plt.show()
print(f"largest gradient at scale {scales[int(np.argmax(norms))]:.2g}")

# %% [markdown]
# ## Symmetry under a constant start, in floating point
#
# The largest difference between hidden units' weights after a number of steps, from a
# constant start: rounding differences grow, slowly, as the page explains.

# %%
X3, t3 = rng.normal(size=(50, 3)), rng.normal(size=50)
for epochs in [100, 1000, 3000]:
    W1, _ = train_two_layer(np.full((3, 13), 0.1), np.zeros(13), np.full(13, 0.1), 0.0, X3, t3, epochs=epochs)
    print(f"{epochs:5d} steps: spread {np.ptp(W1, axis=1).max():.1e}")
