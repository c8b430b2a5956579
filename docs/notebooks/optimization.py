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
# Question 2.1 asks for the stationary points of a function $f(x_1, x_2)$ whose gradient the
# sheet gives in its (14). Which of them does Newton's method reach from each start, and
# where does gradient descent go instead? The gradient and Hessian below are the verified
# snippet of [the stationary-points page](../../optimization/stationary-points/); its
# `roots_from_grid` runs Newton's method from a grid of starts and returns the distinct
# limits.

# %%
# --8<-- "optimization/stationary_points.py:numeric"

# %% [markdown]
# The sheet gives only $\nabla f$, so $f$ is known up to a constant; the function with that
# gradient and $f(0, 0) = 0$ is $f(x_1, x_2) = x_1^4 + 4x_1^3 + 3x_1^2 - 3x_1x_2 + 2x_2^2$.
# The equation $\nabla f = 0$ has exactly three solutions: the second component is 0 only
# where $x_2 = \frac34 x_1$, and there the first is the page's cubic
# $4x_1^3 + 12x_1^2 + \frac{15}{4}x_1$, whose real roots are $0$ and
# $-\frac32 \pm \frac{\sqrt{21}}{4}$. `roots_from_grid` finds these three stationary
# points: $p_1 = (0, 0)$, a local minimum; $p_2 \approx (-0.354, -0.266)$, a saddle point (its
# Hessian has one negative and one positive eigenvalue); and $p_3 \approx (-2.646, -1.984)$,
# a local minimum lower than $p_1$, with $f(p_3) \approx -11.96$.

# %%
import sympy as sp


def f(p):
    x1, x2 = p
    return x1**4 + 4 * x1**3 + 3 * x1**2 - 3 * x1 * x2 + 2 * x2**2


x1, x2 = sp.symbols("x1 x2", real=True)
g = sp.Matrix(gradient((x1, x2)))
assert g == sp.Matrix([6 * x1 - 3 * x2 + 12 * x1**2 + 4 * x1**3,   # the
                       4 * x2 - 3 * x1])                       # sheet's (14)
# This f has that gradient, and f(0, 0) = 0.
assert sp.Matrix([f((x1, x2))]).jacobian([x1, x2]).T == g
assert f((0, 0)) == 0
# The second component vanishes only on x2 = 3/4 x1; there the first
# is the cubic, whose real roots are 0 and -3/2 -+ sqrt(21)/4 (the
# list holds each real root as often as its multiplicity).
assert sp.solve(g[1], x2) == [sp.Rational(3, 4) * x1]
cubic_sheet = sp.expand(g[0].subs(x2, sp.Rational(3, 4) * x1))
assert cubic_sheet == 4 * x1**3 + 12 * x1**2 + sp.Rational(15, 4) * x1
roots = sp.real_roots(sp.Poly(cubic_sheet, x1))
assert roots == [-sp.Rational(3, 2) - sp.sqrt(21) / 4,
                 -sp.Rational(3, 2) + sp.sqrt(21) / 4, 0], roots

points = roots_from_grid()
for name, p in zip(["p1", "p2", "p3"], points):
    print(f"{name} = ({p[0]:.3f}, {p[1]:.3f}), f = {f(p):6.2f}, "
          f"|gradient| {np.linalg.norm(gradient(p)):.0e}")
    eigenvalues = np.linalg.eigvalsh(hessian(p)).round(2)
    print("     Hessian eigenvalues", eigenvalues)

assert len(points) == 3
# They are the three exact solutions (points: by decreasing x1).
exact = [(float(r), 0.75 * float(r)) for r in reversed(roots)]
assert np.allclose(points, exact, rtol=0, atol=1e-12)
# The coordinates, to the 3 decimals stated.
expected = [[0, 0], [-0.354, -0.266], [-2.646, -1.984]]
assert np.allclose(points, expected, atol=5e-4)
# Stationary: the gradient vanishes to rounding.
assert all(np.linalg.norm(gradient(p)) < 1e-12 for p in points)
# Signs of the Hessian's eigenvalues: minimum, saddle, minimum.
signs = [tuple(np.sign(np.linalg.eigvalsh(hessian(p)))) for p in points]
assert signs == [(1, 1), (-1, 1), (1, 1)], signs
assert f(points[2]) < f(points[0]) == 0
assert round(f(points[2]), 2) == -11.96

# %% [markdown]
# ## Basins of attraction of Newton's method
#
# Start Newton's method, $p \leftarrow p - H(p)^{-1} \nabla f(p)$ with $H$ the Hessian, from
# each point of a grid, and colour the start by the stationary point it reaches (within
# $10^{-6}$ after 60 steps). Newton's method solves $\nabla f = 0$ and never compares values
# of $f$, so it converges to the saddle point too: in the window $-4 \le x_1 \le 2$,
# $-3.5 \le x_2 \le 2$ (61 × 56 starts, 0.1 apart) every start reaches one of the three
# points, and about a fifth of them reach $p_2$: 21 %, against 43 % for $p_1$ and 36 % for
# $p_3$.

# %%
import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

xs = np.linspace(-4, 2, 61)
ys = np.linspace(-3.5, 2, 56)
label = np.full((len(ys), len(xs)), -1)   # -1: no point reached
for i, y0 in enumerate(ys):
    for j, x0 in enumerate(xs):
        p = np.array([x0, y0])
        for _ in range(60):
            p = p - np.linalg.solve(hessian(p), gradient(p))
        distances = np.linalg.norm(points - p, axis=1)
        if distances.min() < 1e-6:
            label[i, j] = distances.argmin()

colours = ["#1b9e77", "#d95f02", "#7570b3"]
kinds = ["p1, minimum", "p2, saddle point", "p3, minimum"]
fig, ax = plt.subplots(figsize=(6, 4.5))
half = 0.05                      # half the grid step: each pixel is
ax.imshow(label, origin="lower", aspect="auto",   # centred on its start
          extent=(xs[0] - half, xs[-1] + half, ys[0] - half, ys[-1] + half),
          cmap=ListedColormap(colours), vmin=0, vmax=2,
          interpolation="nearest")
ax.plot(points[:, 0], points[:, 1], "kx", markersize=9)
offsets = [(6, 6), (-20, -16), (6, 6)]
for name, point, offset in zip(["p1", "p2", "p3"], points, offsets):
    ax.annotate(name, point, textcoords="offset points", xytext=offset)
ax.legend(handles=[Patch(color=c, label=k)
                   for c, k in zip(colours, kinds)], loc="upper left")
ax.set_xlabel("x1 of the start")
ax.set_ylabel("x2 of the start")
ax.set_title("Where Newton's method converges from each start")
plt.show()

shares = [(label == k).mean() for k in range(3)]
assert label.shape == (56, 61) and np.allclose(np.diff(xs), 0.1)
assert np.allclose(np.diff(ys), 0.1) and half == 0.1 / 2
print("share of starts reaching p1, p2, p3:", np.round(shares, 3))
assert np.all(label >= 0)                 # every start reached one
assert abs(shares[1] - 0.2) < 0.03, shares   # "about a fifth": 17-23 %
assert np.round(shares, 2).tolist() == [0.43, 0.21, 0.36], shares

# %% [markdown]
# The basins are vertical stripes: where a start ends does not depend on $x_2$. The second
# component of $\nabla f$, $4x_2 - 3x_1$, is linear, so one Newton step puts the iterate on
# the line $x_2 = \frac{3}{4}x_1$, and the $x_1$ update is Newton's method for the
# one-variable cubic $16x_1^3 + 48x_1^2 + 15x_1$ (4 times the page's cubic), whatever $x_2$
# is. Where that cubic's slope vanishes, at $x_1 \approx -1.83$ and $x_1 \approx -0.17$, the
# steps are huge (from $x_1 = -1.8$ the first step lands at $x_1 \approx 13.6$): starts just
# right of $-1.83$ jump past $p_2$ to $p_1$ (the narrow stripe from $-1.8$ to $-1.5$).

# %%
# The snippet's Hessian holds the float -3.0: make it an exact -3.
H = sp.Matrix(hessian((x1, x2))).applyfunc(sp.nsimplify)
step = sp.Matrix([x1, x2]) - H.inv() * sp.Matrix(gradient((x1, x2)))
cubic = 16 * x1**3 + 48 * x1**2 + 15 * x1
newton_1d = x1 - cubic / cubic.diff(x1)
assert sp.expand(cubic - 4 * cubic_sheet) == 0     # 4 times the page's
# On the line x2 = 3/4 x1, and x1 follows 1-D Newton, with no x2:
assert sp.simplify(step[1] - sp.Rational(3, 4) * step[0]) == 0
assert sp.simplify(step[0] - newton_1d) == 0

flat = sorted(float(r) for r in sp.solve(cubic.diff(x1), x1))
print("the cubic's slope vanishes at x1 =", np.round(flat, 2))
assert np.allclose(flat, [-1.83, -0.17], atol=0.005)
# Huge steps near -1.83: the first from (-1.8, 0) lands at x1 = 13.6.
first = np.array([-1.8, 0.0])
first = first - np.linalg.solve(hessian(first), gradient(first))
print(f"first Newton step from x1 = -1.8 lands at x1 = {first[0]:.1f}")
assert round(first[0], 1) == 13.6

# Every column of the basin picture is one colour.
assert np.all(label == label[0]), "a basin boundary depends on x2"
stripe = (xs > -1.85) & (xs < -1.45)      # x1 = -1.8, -1.7, -1.6, -1.5
reached = sorted({f"p{k + 1}" for k in label[0, stripe]})
print("starts with x1 from -1.8 to -1.5 reach:", reached)
assert stripe.sum() == 4 and np.all(label[0, stripe] == 0)

# %% [markdown]
# ## Gradient descent from the same starts
#
# Gradient descent, $p \leftarrow p - 0.01\,\nabla f(p)$ for 4000 steps, from the same grid
# of starts: every start ends within $10^{-6}$ of one of the two minima, none at the saddle
# point.
#
# Why: the saddle's Hessian has the eigenvalue $\lambda \approx -2.40$. Along its unit
# eigenvector $v$ (pointing to smaller $x_1$), a small displacement from $p_2$ is multiplied
# by $1 - 0.01\lambda \approx 1.024$ at each step, to first order in its size, so gradient
# descent moves away: from $p_2 + 10^{-6}v$ it ends at $p_3$, from $p_2 - 10^{-6}v$ at $p_1$.
# Newton's method, from $p_2 + 10^{-3}v$, goes back to $p_2$.

# %%
# All starts at once: one column per start.
p = np.stack(np.meshgrid(xs, ys)).reshape(2, -1)
for _ in range(4000):
    p = p - 0.01 * gradient(p)
distances = np.linalg.norm(p.T[:, None, :] - points[None], axis=2)
ends = np.bincount(distances.argmin(axis=1), minlength=3)
print("gradient descent: starts ending at p1, p2, p3:", ends)
assert distances.min(axis=1).max() < 1e-6   # all converged
assert ends[1] == 0 and ends.sum() == label.size   # none to p2

eigenvalues, vectors = np.linalg.eigh(hessian(points[1]))
v = vectors[:, 0]                 # for the negative eigenvalue,
v = v if v[0] < 0 else -v         # pointing to smaller x1
growth = 1 - 0.01 * eigenvalues[0]
print(f"eigenvalues at p2 {eigenvalues.round(2)}, growth {growth:.3f}")
assert round(eigenvalues[0], 2) == -2.40 and eigenvalues[1] > 0
assert round(growth, 3) == 1.024
# To first order: one step multiplies a displacement of size d along
# v by growth, up to a relative error proportional to d.
def one_step_factor(d):
    q = points[1] + d * v
    return (q - 0.01 * gradient(q) - points[1]) / (d * v)


deviation = {d: np.abs(one_step_factor(d) / growth - 1).max()
             for d in (1e-6, 1e-4)}
for d, e in deviation.items():
    print(f"one step from p2 + {d:.0e} v: factor / growth - 1 = {e:.1e}")
assert deviation[1e-6] < 1e-7
assert 50 < deviation[1e-4] / deviation[1e-6] < 200   # proportional

sides = []
for sign in (1, -1):
    q = points[1] + sign * 1e-6 * v
    for _ in range(4000):
        q = q - 0.01 * gradient(q)
    sides.append(f"p{np.linalg.norm(points - q, axis=1).argmin() + 1}")
print("gradient descent from p2 + 1e-6 v, p2 - 1e-6 v:", sides)
assert sides == ["p3", "p1"]

q = points[1] + 1e-3 * v
for _ in range(20):
    q = q - np.linalg.solve(hessian(q), gradient(q))
back = np.linalg.norm(q - points[1])
print(f"Newton's method from p2 + 1e-3 v ends {back:.0e} from p2")
assert back < 1e-12
