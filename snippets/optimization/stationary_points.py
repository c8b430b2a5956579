"""Question 2.1: the stationary points of f and their classification.

Page: docs/optimization/stationary-points.md. Tests: tests/optimization/test_stationary_points.py.
"""

# --8<-- [start:exact]
import sympy as sp


def stationary_points():
    """Solve grad f = 0 exactly and classify each point with the Hessian.

    >>> for point, kind, value in stationary_points():
    ...     print(point, kind, sp.N(value, 6))
    (0, 0) local minimum 0
    (-3/2 + sqrt(21)/4, -9/8 + 3*sqrt(21)/16) saddle point 0.0732244
    (-3/2 - sqrt(21)/4, -9/8 - 3*sqrt(21)/16) local minimum -11.9560
    """
    x1, x2 = sp.symbols("x_1 x_2", real=True)
    f = x1**4 + 4 * x1**3 + 3 * x1**2 - 3 * x1 * x2 + 2 * x2**2
    grad = [f.diff(x1), f.diff(x2)]
    hess = sp.hessian(f, (x1, x2))
    found = []
    for s in sp.solve(grad, [x1, x2], dict=True):
        value = sp.radsimp(sp.expand(f.subs(s)))
        found.append(((s[x1], s[x2]), classify_exact(hess.subs(s)), value))
    return sorted(found, key=lambda item: -float(item[0][0]))


def classify_exact(h):
    """Second-derivative test for a symmetric 2-by-2 Hessian with exact entries.

    >>> classify_exact(sp.Matrix([[1, 0], [0, -1]]))
    'saddle point'
    >>> classify_exact(sp.Matrix([[-2, 1], [1, -1]]))
    'local maximum'
    """
    det = sp.simplify(h.det())
    if det < 0:
        return "saddle point"
    if det == 0:
        return "degenerate"
    # det > 0: the sign of the top-left entry, f_x1x1, decides
    return "local minimum" if sp.simplify(h[0, 0]) > 0 else "local maximum"
# --8<-- [end:exact]


# --8<-- [start:numeric]
import numpy as np


def gradient(p):
    x1, x2 = p
    return np.array([6 * x1 - 3 * x2 + 12 * x1**2 + 4 * x1**3, 4 * x2 - 3 * x1])


def hessian(p):
    x1, _ = p
    return np.array([[6 + 24 * x1 + 12 * x1**2, -3.0], [-3.0, 4.0]])


def roots_from_grid(values=np.linspace(-4, 4, 21), steps=100, tol=1e-12):
    """Newton's method on grad f = 0 from every start (a, b), a and b in values.

    Returns the distinct limits, by decreasing x1. By default the starts are
    a 21-by-21 grid on the square [-4, 4]^2.

    >>> np.round(roots_from_grid(), 6)
    array([[ 0.      ,  0.      ],
           [-0.354356, -0.265767],
           [-2.645644, -1.984233]])
    """
    starts = [(a, b) for a in values for b in values]
    found = []
    for start in starts:
        p = np.array(start, dtype=float)
        for _ in range(steps):
            try:
                step = np.linalg.solve(hessian(p), gradient(p))
            except np.linalg.LinAlgError:  # an iterate where the Hessian is singular
                break
            p = p - step
            if np.linalg.norm(step) < tol:
                if not any(np.allclose(p, q, atol=1e-8) for q in found):
                    found.append(p)
                break
    return np.array(sorted(found, key=lambda q: -q[0]))
# --8<-- [end:numeric]


# Everything below is build and proof machinery, not shown on the page.

import functools

from verified_docs import Claim

exact_points = functools.lru_cache(maxsize=None)(stationary_points)

X1, X2 = sp.symbols("x_1 x_2", real=True)
F = X1**4 + 4 * X1**3 + 3 * X1**2 - 3 * X1 * X2 + 2 * X2**2
GRAD = sp.Matrix([F.diff(X1), F.diff(X2)])
HESS = sp.hessian(F, (X1, X2))
# The gradient exactly as the original states it, its eq. (14); the page calls it g = (g1, g2).
ORIGINAL_GRADIENT = sp.Matrix([6 * X1 - 3 * X2 + 12 * X1**2 + 4 * X1**3, 4 * X2 - 3 * X1])
# q, the first part of f once the square in x2 is completed: f = q(x1) + 2 (x2 - 3 x1 / 4)^2.
Q = X1**4 + 4 * X1**3 + sp.Rational(15, 8) * X1**2
# The third point as the original's list of points writes it (first coordinate 3/16 instead of 1/4).
WRITTEN_THIRD = (sp.Rational(3, 16) * (-sp.sqrt(21) - 6), sp.Rational(3, 16) * (-sp.sqrt(21) - 6))


def point(k):
    return sp.Matrix(exact_points()[k][0])


# The quadratic factor of the cubic, divided by 4: its roots are the x1 of p2 and p3.
QUADRATIC = X1**2 + 3 * X1 + sp.Rational(15, 16)


def reduced(expr):
    """expr, a polynomial in x1, at a root of QUADRATIC: its remainder on division by QUADRATIC."""
    return sp.rem(sp.expand(expr), QUADRATIC, X1)


def cubic():
    """The first component of the gradient on the line x2 = 3 x1 / 4, where the second vanishes."""
    return sp.expand(GRAD[0].subs(X2, 3 * X1 / 4))


def cubic_roots():
    """The roots of the cubic: 0, then (-6 + sqrt 21) / 4, (-6 - sqrt 21) / 4."""
    roots = sp.solve(cubic(), X1)
    return sorted(roots, key=lambda r: -float(r))


def cauchy_bound():
    """Cauchy's bound 1 + max |a_i / a_n| on the roots of the cubic, from its coefficients."""
    cubic_poly = sp.Poly(cubic(), X1)
    leading, *rest = cubic_poly.all_coeffs()
    return 1 + max(abs(a / leading) for a in rest)


def column(values):
    return sp.Matrix([sp.radsimp(sp.expand(v)) for v in values])


def points_figure():
    from matplotlib.figure import Figure

    xs, ys = np.linspace(-3.6, 1.2, 300), np.linspace(-3.0, 1.2, 300)
    X, Y = np.meshgrid(xs, ys)
    Z = X**4 + 4 * X**3 + 3 * X**2 - 3 * X * Y + 2 * Y**2
    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.add_subplot()
    contours = ax.contour(X, Y, Z, levels=np.linspace(-12, 12, 25), cmap="viridis", linewidths=0.8)
    fig.colorbar(contours, ax=ax, label="f(x1, x2)")
    styles = {"local minimum": ("o", "#2e7d32"), "saddle point": ("X", "#c62828")}
    for (p1, p2), kind, value in exact_points():
        marker, color = styles[kind]
        ax.plot(float(p1), float(p2), marker, color=color, markersize=9)
        label = "global minimum" if value == min(v for _, _, v in exact_points()) else kind
        offset = (8, -16) if kind == "saddle point" else (8, 8)
        ax.annotate(label, (float(p1), float(p2)), textcoords="offset points", xytext=offset)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title("Stationary points of f")
    return fig


FIGURES = {"stationary-points.svg": points_figure}

CLAIMS = [
    Claim("stationary.dg1-dx2", "The original's gradient g: d g1 / d x2", value=lambda: ORIGINAL_GRADIENT[0].diff(X2)),
    Claim("stationary.dg2-dx1", "The original's gradient g: d g2 / d x1, equal to d g1 / d x2 (a gradient field)",
          value=lambda: ORIGINAL_GRADIENT[1].diff(X1)),
    Claim("stationary.f", "f, recovered from the gradient the original gives (constant 0)", value=lambda: F),
    Claim("stationary.gradient", "The gradient of f", value=lambda: GRAD),
    Claim("stationary.x2", "The second component of the gradient vanishes only on this line",
          value=lambda: sp.solve(GRAD[1], X2)[0]),
    Claim("stationary.cubic", "On that line the first component is this cubic", value=cubic),
    Claim("stationary.root-zero", "The first root of the cubic", value=lambda: cubic_roots()[0]),
    Claim("stationary.root-plus", "The second root of the cubic", value=lambda: cubic_roots()[1]),
    Claim("stationary.root-minus", "The third root of the cubic", value=lambda: cubic_roots()[2]),
    Claim("stationary.written-point-slope", "d f / d x1 at the third point as the original's list writes it",
          value=lambda: sp.radsimp(sp.expand(GRAD[0].subs({X1: WRITTEN_THIRD[0], X2: WRITTEN_THIRD[1]}))),
          approx=True),
    Claim("stationary.p1", "The first stationary point", value=lambda: point(0)),
    Claim("stationary.p2", "The second stationary point", value=lambda: point(1)),
    Claim("stationary.p3", "The third stationary point", value=lambda: point(2)),
    Claim("stationary.hessian", "The Hessian of f", value=lambda: HESS),
    Claim("stationary.determinant", "The determinant of the Hessian", value=lambda: sp.expand(HESS.det())),
    Claim("stationary.determinants", "The Hessian determinant at the three points",
          value=lambda: column(HESS.det().subs({X1: point(k)[0]}) for k in range(3))),
    Claim("stationary.curvatures", "f_x1x1 at the three points",
          value=lambda: column(HESS[0, 0].subs({X1: point(k)[0]}) for k in range(3))),
    Claim("stationary.split", "f with the square in x2 completed: q(x1) + 2 (x2 - 3 x1 / 4)^2", value=lambda: F),
    Claim("stationary.root-square", "At a root of the quadratic factor (p2, p3): x1^2 = -3 x1 - 15/16",
          value=lambda: reduced(X1**2)),
    Claim("stationary.root-cube", "At a root of the quadratic factor (p2, p3): x1^3 as a linear expression in x1",
          value=lambda: reduced(X1**3)),
    Claim("stationary.root-fourth", "At a root of the quadratic factor (p2, p3): x1^4 as a linear expression in x1",
          value=lambda: reduced(X1**4)),
    Claim("stationary.q-linear", "At a root of the quadratic factor (p2, p3): q(x1) as a linear expression in x1",
          value=lambda: reduced(Q)),
    Claim("stationary.values", "f at the three points: the third is the global minimum",
          value=lambda: column(value for _, _, value in exact_points())),
    Claim("stationary.cauchy-bound", "Cauchy's bound on the roots of the cubic", value=cauchy_bound),
]
