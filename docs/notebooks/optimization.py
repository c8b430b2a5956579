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
# # Explore: optimisation
#
# Which stationary point of the question 2.1 function does Newton's method reach from each
# start, and how does gradient descent compare? The gradient and Hessian come from the
# verified snippet of [the stationary-points page](../../optimization/stationary-points/).

# %%
# --8<-- "optimization/stationary_points.py:numeric"

# %% [markdown]
# ## Basins of attraction of Newton's method
#
# Start Newton's method from every point of a grid and colour the start by the stationary
# point it converges to. Newton's method looks for $\nabla f = 0$, so it is as happy to land
# on the saddle point as on a minimum.

# %%
import matplotlib.pyplot as plt

points = roots_from_grid()
xs = np.linspace(-4, 2, 61)
ys = np.linspace(-3.5, 2, 56)
label = np.full((len(ys), len(xs)), -1)
for i, y0 in enumerate(ys):
    for j, x0 in enumerate(xs):
        p = np.array([x0, y0])
        for _ in range(60):
            try:
                p = p - np.linalg.solve(hessian(p), gradient(p))
            except np.linalg.LinAlgError:
                break
        distances = np.linalg.norm(points - p, axis=1)
        if distances.min() < 1e-6:
            label[i, j] = distances.argmin()

fig, ax = plt.subplots(figsize=(6, 4.5))
ax.imshow(label, origin="lower", extent=(xs[0], xs[-1], ys[0], ys[-1]), cmap="viridis", aspect="auto")
ax.plot(points[:, 0], points[:, 1], "rx", markersize=10)
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.set_title("Where Newton's method converges from each start")
plt.show()
print("share of starts reaching each point:", np.round([(label == k).mean() for k in range(3)], 3))

# %% [markdown]
# ## Gradient descent never stops at the saddle point
#
# From the same starts, plain gradient descent with a small step only ends at the two minima:
# a saddle point attracts only a set of starts of measure zero.

# %%
ends = []
for y0 in np.linspace(-3.5, 2, 12):
    for x0 in np.linspace(-4, 2, 12):
        p = np.array([x0, y0])
        for _ in range(4000):
            p = p - 0.01 * gradient(p)
        ends.append(np.linalg.norm(points - p, axis=1).argmin())
print("gradient descent ends at point:", {k: ends.count(k) for k in range(3)})
