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
# # Explore: linear algebra
#
# How accurate is a finite-difference check of $\partial A^{-1}/\partial\alpha = -A^{-1}\,(\partial A/\partial\alpha)\,A^{-1}$,
# and how does the matrix's conditioning change that? The exact check is the verified
# snippet of [the matrix-derivatives page](../../linear-algebra/matrix-derivatives/).

# %%
# --8<-- "linear_algebra/matrix_derivatives.py:inverse"

# %%
print("exact check, n = 1..4:", [inverse_derivative_holds(n, seed=n) for n in range(1, 5)])

# %% [markdown]
# ## The error of a central difference against the step size
#
# Truncation error falls like $h^2$, rounding error grows like $\epsilon/h$: the best step
# is near $\epsilon^{1/3} \approx 6 \times 10^{-6}$, the step the site's checks use.

# %%
import numpy as np
import matplotlib.pyplot as plt

rng = np.random.default_rng(0)
A0, A1 = rng.normal(size=(4, 4)) + 5 * np.eye(4), rng.normal(size=(4, 4))
exact = -np.linalg.inv(A0) @ A1 @ np.linalg.inv(A0)
steps = np.logspace(-12, -1, 45)
errors = [np.abs((np.linalg.inv(A0 + h * A1) - np.linalg.inv(A0 - h * A1)) / (2 * h) - exact).max() for h in steps]
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(steps, errors, "o-", markersize=3)
ax.axvline(np.finfo(float).eps ** (1 / 3), color="grey", linestyle=":")
ax.set_xlabel("step h")
ax.set_ylabel("largest error")
ax.set_title("Central difference of the inverse: error against step")
plt.show()
print(f"best step {steps[int(np.argmin(errors))]:.1e}, error there {min(errors):.1e}")

# %% [markdown]
# ## Ill-conditioned matrices amplify the error
#
# The same check at the best step, on matrices whose condition number grows.

# %%
for condition in [1e1, 1e4, 1e8]:
    U, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    A0 = U @ np.diag(np.geomspace(1, 1 / condition, 4)) @ U.T
    exact = -np.linalg.inv(A0) @ A1 @ np.linalg.inv(A0)
    h = 1e-6 / condition
    fd = (np.linalg.inv(A0 + h * A1) - np.linalg.inv(A0 - h * A1)) / (2 * h)
    print(f"condition {condition:.0e}: relative error {np.abs(fd - exact).max() / np.abs(exact).max():.1e}")
