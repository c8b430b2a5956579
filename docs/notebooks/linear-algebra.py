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
# For a matrix $A(\alpha) = A_0 + \alpha A_1$ with $A_0$ invertible,
# [the matrix-derivatives page](../../linear-algebra/matrix-derivatives/) shows that the
# derivative of the inverse at $\alpha = 0$ is $-A_0^{-1} A_1 A_0^{-1}$ (there
# $\partial A / \partial \alpha = A_1$). A numerical test compares it with the central
# difference $\left(A(h)^{-1} - A(-h)^{-1}\right) / (2h)$. How accurate is that difference,
# for which step $h$, and what does the conditioning of $A_0$ do to it? First, the page's
# exact check. Without a seed it takes every entry of $A$ as an undefined function of
# $\alpha$, so `True` proves the identity for that size: the next cell proves it for sizes 1
# to 3. With a seed it checks one random instance exactly: the next cell checks one of each
# size from 1 to 4.

# %%
# --8<-- "linear_algebra/matrix_derivatives.py:inverse"

# %%
# Undefined functions of alpha as entries: a proof for each size.
proofs = [inverse_derivative_holds(n) for n in range(1, 4)]
print("proved for n = 1..3:", proofs)
# Exact rational arithmetic: True means the identity holds exactly
# for that random matrix.
checks = [inverse_derivative_holds(n, seed=n) for n in range(1, 5)]
print("random instances, n = 1..4:", checks)
assert proofs == [True] * 3 and checks == [True] * 4

# %% [markdown]
# ## The error of a central difference against the step size
#
# Below, $A_0$ is a random $4 \times 4$ matrix plus $5I$ (its condition number is below 2) and
# $A_1$ a random matrix. The error is relative: the largest entry of (difference − exact),
# divided by the largest entry of the exact derivative.
#
# Two errors compete. Truncation (the difference is not the derivative) grows like $h^2$,
# a line of slope 2 on the log-log plot; rounding grows like $\epsilon / h$, slope −1, where
# $\epsilon = 2^{-52} \approx 2.2 \times 10^{-16}$ is the gap between 1 and the next larger
# float64 number. For a function $f$ with third derivative $f'''$, the sum of the two,
# roughly $\epsilon |f| / h + h^2 |f'''| / 6$, is smallest at
# $h = (3\epsilon |f| / |f'''|)^{1/3}$: that is $\epsilon^{1/3} \approx 6 \times 10^{-6}$
# (dotted line) up to a factor that depends on $f$. Here, for $f(\alpha) = A(\alpha)^{-1}$ at
# $\alpha = 0$ with sizes measured by the largest entry, $|f| \approx 0.23$ and
# $|f'''| \approx 0.046$, so the factor is about 2.5 and the formula gives
# $h \approx 1.5 \times 10^{-5}$. The best step on the grid lies between the two, at
# $10^{-5}$, with a relative error of about $3 \times 10^{-11}$.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

eps = np.finfo(float).eps
rule = eps ** (1 / 3)                      # the rule-of-thumb step


def relative_error(A0, A1, h):
    """Relative error of the central difference at alpha = 0."""
    inverse = np.linalg.inv(A0)
    exact = -inverse @ A1 @ inverse
    difference = (np.linalg.inv(A0 + h * A1)
                  - np.linalg.inv(A0 - h * A1)) / (2 * h)
    return np.abs(difference - exact).max() / np.abs(exact).max()


def slope(x, y):
    """Slope of the least-squares line through (log x, log y)."""
    return np.polyfit(np.log(x), np.log(y), 1)[0]


rng = np.random.default_rng(0)
A0 = rng.normal(size=(4, 4)) + 5 * np.eye(4)
A1 = rng.normal(size=(4, 4))
steps = np.logspace(-12, -1, 45)
errors = np.array([relative_error(A0, A1, h) for h in steps])
best = steps[errors.argmin()]

fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(steps, errors, "o-", markersize=3)
ax.axvline(rule, color="grey", linestyle=":",
           label=r"$h = \epsilon^{1/3}$")
ax.set_xlabel("step h")
ax.set_ylabel("relative error")
ax.set_title("Central difference of the inverse: error against step")
ax.legend()
plt.show()

large, small = steps >= 1e-3, steps <= 1e-7   # far from the best step
slope_large = slope(steps[large], errors[large])
slope_small = slope(steps[small], errors[small])
print(f"condition number of A0: {np.linalg.cond(A0):.2f}")
print(f"slope, h >= 1e-3: {slope_large:.2f}")
print(f"slope, h <= 1e-7: {slope_small:.2f}")
print(f"best step {best:.1e} = {best / rule:.2f} eps^(1/3)")
print(f"relative error there {errors.min():.1e}")
# The sizes of f = A^-1 and of its third derivative -6 M^3 A0^-1
# (M = A0^-1 A1) at alpha = 0, and the step that balances them.
inverse = np.linalg.inv(A0)
M = inverse @ A1
size_f = np.abs(inverse).max()
size_f3 = np.abs(6 * M @ M @ M @ inverse).max()
balance = (3 * eps * size_f / size_f3) ** (1 / 3)
print(f"|f| {size_f:.2f}, |f'''| {size_f3:.3f}: balance at {balance:.1e}"
      f" = {balance / rule:.1f} eps^(1/3)")

assert eps == 2.0 ** -52 and f"{eps:.1e}" == "2.2e-16"
# The gap between 1 and the next float64 above it.
assert np.nextafter(1.0, 2.0) - 1.0 == eps == np.spacing(1.0)
# eps |f| / h + h^2 |f'''| / 6 is smallest where its derivative in h
# vanishes: at h = (3 eps |f| / |f'''|)^(1/3), its only positive root.
h_s, eps_s, f_s, f3_s = sp.symbols("h epsilon f f3", positive=True)
total = eps_s * f_s / h_s + h_s**2 * f3_s / 6
assert sp.solve(total.diff(h_s), h_s) == [
    (3 * eps_s * f_s / f3_s) ** sp.Rational(1, 3)]
assert total.diff(h_s, 2).is_positive        # so a minimum
assert f"{size_f:.2f} {size_f3:.3f}" == "0.23 0.046"
assert f"{balance / rule:.1f}" == "2.5" and f"{balance:.1e}" == "1.5e-05"
assert np.linalg.cond(A0) < 2
# Truncation is smooth: slope 2 to a few per cent (1 or 3 fail).
assert abs(slope_large - 2) < 0.1, slope_large
# Rounding zigzags, so a wider band (0 or -2 fail).
assert abs(slope_small + 1) < 0.3, slope_small
assert f"{rule:.0e}" == "6e-06"
# The best grid step: 1e-5, between the rule and the balance point.
assert f"{best:.0e}" == "1e-05" and rule < best < balance, best
# "About 3e-11": 2.5e-11 to 3.5e-11.
assert f"{errors.min():.0e}" == "3e-11", errors.min()

# %% [markdown]
# ## Ill-conditioned matrices move the best step and raise the error
#
# Now $A_0 = U \operatorname{diag}(1, \kappa^{-1/3}, \kappa^{-2/3}, \kappa^{-1})\, U^\top$ for a
# random orthogonal $U$ (the factor Q of numpy's QR factorisation of a Gaussian matrix; every
# one drawn here has determinant −1, a reflection), so $A_0$ is symmetric positive definite,
# with geometrically spaced eigenvalues and condition number $\kappa$; $A_1$ is the same as
# above, and each curve is the geometric mean over 10 draws of $U$. What follows is measured
# for this class of matrices only. The rounding part (left) is the same for every $\kappa$; the truncation
# part moves left, because the higher derivatives of the inverse grow with $\kappa$: relative
# to the first derivative, the third grows roughly like $\kappa^2$, by more than $10^{10}$
# from $\kappa = 10$ to $\kappa = 10^7$. So from
# $\kappa = 10$ to $\kappa = 10^7$ the best step shrinks and the best relative error grows,
# both steadily and each by more than a factor of 1000. The step $\epsilon^{1/3}$, fine for
# a well-conditioned matrix, leaves no correct digit at $\kappa = 10^7$ (a relative error
# near 1): a finite-difference test must scale its step to the matrix, and its tolerance
# must allow for the conditioning.

# %%
kappas = [1e1, 1e3, 1e5, 1e7]
steps = np.logspace(-16, -1, 61)
curves, at_rule, conditions, third = [], [], [], []
orthogonal, symmetric, eigenvalues, reflections = [], [], [], 0
for kappa in kappas:
    draws, ratios = [], []
    for _ in range(10):
        U, _ = np.linalg.qr(rng.normal(size=(4, 4)))
        B0 = U @ np.diag(np.geomspace(1, 1 / kappa, 4)) @ U.T
        orthogonal.append(np.allclose(U.T @ U, np.eye(4)))
        reflections += np.linalg.det(U) < 0
        symmetric.append(np.allclose(B0, B0.T, rtol=0, atol=1e-15))
        # Eigenvalues kappa^(-k/3), k = 3, 2, 1, 0 (ascending).
        eigenvalues.append(np.linalg.eigvalsh((B0 + B0.T) / 2)
                           / kappa ** (-np.arange(3, -1, -1) / 3))
        conditions.append(np.linalg.cond(B0) / kappa)
        draws.append([relative_error(B0, A1, h)
                      for h in list(steps) + [rule]])
        # d/da A^-1 = -M A0^-1 and d3/da3 A^-1 = -6 M^3 A0^-1,
        # with M = A0^-1 A1: their sizes, largest entries.
        M = np.linalg.inv(B0) @ A1
        ratios.append(np.abs(6 * M @ M @ M @ np.linalg.inv(B0)).max()
                      / np.abs(M @ np.linalg.inv(B0)).max())
    mean = np.exp(np.log(draws).mean(axis=0))   # geometric mean
    curves.append(mean[:-1])
    at_rule.append(mean[-1])
    third.append(np.exp(np.log(ratios).mean()))

fig, ax = plt.subplots(figsize=(6, 4))
for kappa, curve in zip(kappas, curves):
    ax.loglog(steps, curve, "-",
              label=rf"$\kappa = 10^{np.log10(kappa):.0f}$")
ax.axvline(rule, color="grey", linestyle=":")
ax.set_xlabel("step h")
ax.set_ylabel("relative error (geometric mean of 10)")
ax.set_title("Larger condition number: smaller best step, larger error")
ax.legend()
plt.show()

best_steps = np.array([steps[c.argmin()] for c in curves])
best_errors = np.array([c.min() for c in curves])
levels = [np.exp(np.log(c[steps <= 1e-12]).mean()) for c in curves]
print("kappa   best step  error there  error at eps^(1/3)")
for kappa, h, e, r in zip(kappas, best_steps, best_errors, at_rule):
    print(f"{kappa:5.0e}   {h:9.1e}  {e:11.1e}  {r:18.1e}")
print("mean error, h <= 1e-12:", " ".join(f"{x:.1e}" for x in levels))
print("third / first derivative:", " ".join(f"{x:.1e}" for x in third))
kappa_power = np.polyfit(np.log(kappas), np.log(third), 1)[0]
print(f"grows like kappa^{kappa_power:.2f}")

# The class: U orthogonal with determinant -1, A0 symmetric with
# eigenvalues 1, kappa^-1/3, kappa^-2/3, 1/kappa (so positive
# definite) and condition number kappa.
print(f"{reflections} of the {len(orthogonal)} draws of U have determinant -1")
assert all(orthogonal) and all(symmetric) and reflections == 40
assert np.allclose(eigenvalues, 1, rtol=1e-6, atol=0)
assert np.allclose(conditions, 1, rtol=1e-3)
# "The rounding part is the same for every kappa": the curves'
# average levels over h <= 1e-12 agree within a factor 2 (pointwise
# they zigzag by up to 3); from truncation alone kappa = 1e7 would
# lie many decades above kappa = 10 there.
assert max(levels) / min(levels) < 2, levels
# "Roughly like kappa^2" (power 1.7 to 2.1), "more than 1e10".
assert 1.7 < kappa_power < 2.1 and third[-1] / third[0] > 1e10
# "Steadily": at each larger kappa, a smaller best step and a
# larger best error.
assert np.all(np.diff(best_steps) < 0), best_steps
assert np.all(np.diff(best_errors) > 0), best_errors
# "More than a factor of 1000" (measured: about 1e4 and 5e3).
assert best_steps[0] / best_steps[-1] > 1e3, best_steps
assert best_errors[-1] / best_errors[0] > 1e3, best_errors
# "No correct digit, a relative error near 1": between 0.5 and 2.
assert 0.5 < at_rule[-1] < 2, at_rule
