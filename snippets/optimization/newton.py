"""Question 2.2.1: one Newton step, then Newton's method to convergence.

Page: docs/optimization/newton.md. Tests: tests/optimization/test_newton.py.
The sections between ``--8<--`` markers are shown on the page; each is self-contained
so that a reader can copy and run it with numpy and sympy alone.
"""

# --8<-- [start:objective]
import sympy as sp


def objective():
    """The function of question 2.2.1 with its gradient and Hessian, derived by sympy.

    >>> f, grad, hess, (x, y) = objective()
    >>> f
    2*x**2 - x*y + 2*y**2 - 17*y*cos(pi*x/5)
    >>> grad.T
    Matrix([[4*x + 17*pi*y*sin(pi*x/5)/5 - y, -x + 4*y - 17*cos(pi*x/5)]])
    >>> hess
    Matrix([
    [17*pi**2*y*cos(pi*x/5)/25 + 4, 17*pi*sin(pi*x/5)/5 - 1],
    [      17*pi*sin(pi*x/5)/5 - 1,                       4]])
    >>> grad.subs({x: 0, y: 0}).T, hess.subs({x: 0, y: 0})
    (Matrix([[0, -17]]), Matrix([
    [ 4, -1],
    [-1,  4]]))
    """
    x, y = sp.symbols("x y", real=True)
    f = 2 * x**2 + 2 * y**2 - x * y - 17 * y * sp.cos(sp.pi * x / 5)
    grad = sp.Matrix([f.diff(x), f.diff(y)])
    hess = sp.hessian(f, (x, y))
    return f, grad, hess, (x, y)
# --8<-- [end:objective]


# --8<-- [start:original-gradient]
import sympy as sp


def original_gradient():
    """The gradient g = (g1, g2) as the sheet writes it, its Jacobian, its value at 0.

    >>> g, jacobian, at_origin = original_gradient()
    >>> jacobian[0, 1], jacobian[1, 0]  # dg1/dy, dg2/dx: equal for a true gradient
    (-1, 17*pi*sin(pi*x/5)/5 - 1)
    >>> jacobian[0, 0]  # the sheet's Hessian has 4 + 0.68 pi^2 y cos(0.2 pi x) here
    17*pi**2*cos(pi*x/5)/25 + 4
    >>> at_origin.T
    Matrix([[0, -17]])
    """
    x, y = sp.symbols("x y", real=True)
    g = sp.Matrix([  # 3.4 and 0.2 as the exact numbers they are
        4 * x + sp.Rational(34, 10) * sp.pi * sp.sin(sp.pi * x / 5) - y,
        4 * y - 17 * sp.cos(sp.pi * x / 5) - x,
    ])
    return g, g.jacobian([x, y]), g.subs({x: 0, y: 0})
# --8<-- [end:original-gradient]


# --8<-- [start:exact-step]
import sympy as sp


def newton_step(f, variables, point, alpha=1):
    """One Newton step x1 = x0 - alpha * H(x0)^-1 grad f(x0) (damped if alpha < 1),
    in exact arithmetic.

    >>> x, y = sp.symbols("x y", real=True)
    >>> f = 2*x**2 + 2*y**2 - x*y - 17*y*sp.cos(sp.pi*x/5)
    >>> newton_step(f, (x, y), (0, 0)).T
    Matrix([[17/15, 68/15]])
    >>> newton_step(x**2 * y, (x, y), (0, 0))
    Traceback (most recent call last):
    ...
    ValueError: the Hessian is singular at (0, 0): no Newton step
    """
    at = dict(zip(variables, point, strict=True))
    grad = sp.Matrix([f.diff(v) for v in variables]).subs(at)
    hess = sp.hessian(f, variables).subs(at)
    if hess.det() == 0:
        raise ValueError(f"the Hessian is singular at {tuple(point)}: no Newton step")
    return sp.Matrix(point) - alpha * hess.inv() * grad
# --8<-- [end:exact-step]


# --8<-- [start:numpy]
import numpy as np


def gradient(p):
    """Gradient of f(x, y) = 2x^2 + 2y^2 - xy - 17 y cos(pi x / 5)."""
    x, y = p
    return np.array([
        4 * x - y + 3.4 * np.pi * y * np.sin(0.2 * np.pi * x),
        4 * y - x - 17 * np.cos(0.2 * np.pi * x),
    ])


def hessian(p):
    """Hessian of the same f."""
    x, y = p
    off = 3.4 * np.pi * np.sin(0.2 * np.pi * x) - 1
    return np.array([
        [4 + 0.68 * np.pi**2 * y * np.cos(0.2 * np.pi * x), off],
        [off, 4.0],
    ])


def newton(p0, alpha=1.0, tol=1e-12, max_steps=50):
    """Newton iterates from p0, until the Newton direction H^-1 grad f is shorter
    than tol.

    >>> iterates = newton([0.0, 0.0])
    >>> iterates[1], iterates[2].round(2)
    (array([1.13333333, 4.53333333]), array([-0.27,  5.6 ]))
    >>> len(iterates) - 1  # steps taken
    8
    >>> iterates[6].round(8), iterates[-1].round(8)
    (array([0.13087466, 4.26835765]), array([0.13087466, 4.26835765]))
    >>> float(np.linalg.norm(gradient(iterates[-1]))) < 1e-12
    True
    """
    iterates = [np.asarray(p0, dtype=float)]
    for _ in range(max_steps):
        p = iterates[-1]
        step = np.linalg.solve(hessian(p), gradient(p))
        iterates.append(p - alpha * step)
        if np.linalg.norm(step) < tol:
            return iterates
    raise RuntimeError(f"no convergence from {p0} in {max_steps} steps")

def classify(hess, rtol=1e-10):
    """Second-derivative test at a critical point, from the Hessian's eigenvalues.

    Only meaningful where the gradient is zero. An eigenvalue counts as zero when
    |lambda| <= rtol * max |lambda|: where the exact eigenvalue is zero, rounding
    can leave one of size up to about eps * ||hess|| (eps = 2.2e-16), whose sign
    means nothing.

    >>> iterates = newton([0.0, 0.0])
    >>> np.linalg.eigvalsh(hessian(iterates[-1])).round(4)
    array([ 3.9995, 32.5501])
    >>> classify(hessian(iterates[-1]))
    'local minimum'
    >>> classify(np.array([[2.0, 0.0], [0.0, -3.0]]))
    'saddle point'
    >>> classify(np.array([[2.0, 0.0], [0.0, 1e-17]]))
    'degenerate: the test is inconclusive'
    """
    eigenvalues = np.linalg.eigvalsh(hess)
    zero = rtol * np.max(np.abs(eigenvalues))
    if np.any(np.abs(eigenvalues) <= zero):
        return "degenerate: the test is inconclusive"
    if np.all(eigenvalues > 0):
        return "local minimum"
    if np.all(eigenvalues < 0):
        return "local maximum"
    return "saddle point"
# --8<-- [end:numpy]


# Everything below is build and proof machinery, not shown on the page.

from functools import cache

from verified_docs import Claim

START = (0.0, 0.0)  # the sheet's starting point


def contour_figure():
    """Contour plot of f with the Newton iterates from the origin (built into the page as SVG)."""
    from matplotlib.figure import Figure

    iterates = np.array(newton(START))
    xs = np.linspace(-2.5, 2.5, 241)
    ys = np.linspace(-1.5, 7.0, 241)
    X, Y = np.meshgrid(xs, ys)
    F = 2 * X**2 + 2 * Y**2 - X * Y - 17 * Y * np.cos(np.pi * X / 5)

    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.add_subplot()
    contours = ax.contour(X, Y, F, levels=24, cmap="viridis", linewidths=0.8)
    fig.colorbar(contours, ax=ax, label="f(x, y)")
    ax.plot(iterates[:, 0], iterates[:, 1], "o-", color="#c2185b", markersize=4, label="Newton iterates")
    ax.annotate("start x0 = (0, 0)", iterates[0], textcoords="offset points", xytext=(8, -12))
    ax.annotate("x1", iterates[1], textcoords="offset points", xytext=(8, -4))
    ax.annotate("x2", iterates[2], textcoords="offset points", xytext=(-18, 4))
    ax.annotate("local minimum x*", iterates[-1], textcoords="offset points", xytext=(8, -12))
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("Newton's method on f from the origin")
    ax.legend(loc="lower right")
    return fig


FIGURES = {"newton-contour.svg": contour_figure}


def _exact_step():
    f, _, _, variables = objective()
    return newton_step(f, variables, (0, 0))


def _at_origin(index):
    *parts, (x, y) = objective()
    return parts[index].subs({x: 0, y: 0})


@cache
def critical_point(digits=30):
    """x*: the critical point the iterates approach, as a root of the exact gradient to 30 digits."""
    _, grad, _, variables = objective()
    return sp.nsolve(grad, variables, (0.13, 4.27), prec=digits)


@cache
def eigenvalues_at_critical_point(digits=30):
    """The Hessian's eigenvalues at x*, as roots of its characteristic polynomial, ascending."""
    _, _, hess, (x, y) = objective()
    point = critical_point(digits)
    lam = sp.Symbol("lambda")
    polynomial = sp.Poly(hess.subs({x: point[0], y: point[1]}).charpoly(lam).as_expr(), lam)
    return sp.Matrix(sorted(polynomial.nroots(n=digits)))


def errors(k_values):
    """e_k = ||x_k - x*|| for the numpy iterates from the origin, measured against the 30-digit x*."""
    point = np.array([float(c) for c in critical_point()])
    iterates = newton(START)
    return [float(np.linalg.norm(iterates[k] - point)) for k in k_values]


def original_step():
    """The first step with the sheet's own gradient g and Hessian at the origin (alpha = 1)."""
    _, _, at_origin = original_gradient()
    return -_at_origin(2).inv() * at_origin


def _original_partial(i, j):
    """d g_i / d v_j of the sheet's gradient g (v = (x, y)), as sympy prints it."""
    return original_gradient()[1][i, j]


# Inline results sympy's LaTeX parser cannot read (tuples, powers of ten, inequalities) are
# generated from the checked numbers here and written into the page where it says \verified.

def _tuple_tex(point, decimals):
    return "(" + ", ".join(f"{c:.{decimals}f}" for c in point) + ")"


def _power_tex(value):
    mantissa, exponent = f"{value:.1e}".split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


QUADRATIC_FROM = 3  # e_{k+1} < e_k^2 for k = 3, 4, 5


def _quadratic_tex():
    e = errors(range(QUADRATIC_FROM, 7))
    if not all(later < earlier**2 for earlier, later in zip(e, e[1:])):
        raise ValueError(f"newton.quadratic: the errors {e} do not shrink quadratically")
    return "< e_k^2"


def _final_gradient_tex():
    import inspect

    tol = inspect.signature(newton).parameters["tol"].default  # newton()'s stopping tolerance
    if not np.linalg.norm(gradient(newton(START)[-1])) < tol:
        raise ValueError("newton.final-gradient: the last iterate's gradient is not below the tolerance")
    return rf"< 10^{{{round(np.log10(tol))}}}"


CLAIMS = [
    Claim("newton.f", "The only function, up to a constant, with the stated Hessian and gradient (0, -17) at 0",
          value=lambda: objective()[0]),
    Claim("newton.gradient", "The gradient of f", value=lambda: objective()[1]),
    Claim("newton.hessian", "The Hessian of f (as the original states it)", value=lambda: objective()[2]),
    Claim("newton.b", "A function F = f + b.x + c with F's gradient at 0 equal to (0, -17) has b = 0",
          value=lambda: sp.Matrix([0, -17]) - _at_origin(1),
          operands=lambda: [sp.Matrix([0, -17]), _at_origin(1)]),
    Claim("newton.gradient-origin", "The gradient at the origin", value=lambda: _at_origin(1)),
    Claim("newton.original-dg1-dy", "The sheet's g: d g1 / dy", value=lambda: _original_partial(0, 1)),
    Claim("newton.original-dg2-dx", "The sheet's g: d g2 / dx (not d g1 / dy: no gradient field)",
          value=lambda: _original_partial(1, 0)),
    Claim("newton.original-dg1-dx", "The sheet's g: d g1 / dx (not the stated Hessian's (1,1) entry)",
          value=lambda: _original_partial(0, 0)),
    Claim("newton.hessian-origin", "The Hessian at the origin", value=lambda: _at_origin(2)),
    Claim("newton.det", "The determinant of the Hessian at the origin", value=lambda: _at_origin(2).det()),
    Claim("newton.hessian-inverse", "The inverse Hessian at the origin",
          value=lambda: _at_origin(2).inv()),
    Claim("newton.step", "One Newton step from the origin with alpha = 1", value=_exact_step,
          operands=lambda: [sp.zeros(2, 1), 15 * _at_origin(2).inv(), _at_origin(1)]),
    Claim("newton.limit", "x*: the critical point of f that Newton's method from the origin approaches",
          value=critical_point, approx=True),
    Claim("newton.x1", "The first iterate, to two decimals",
          tex=lambda: _tuple_tex(newton(START)[1], 2)),
    Claim("newton.x2", "The second iterate, to two decimals: further from x* than the first",
          tex=lambda: _tuple_tex(newton(START)[2], 2)),
    Claim("newton.e1", "Distance of the first iterate from x*", value=lambda: sp.Float(errors([1])[0])),
    Claim("newton.e2", "Distance of the second iterate from x*", value=lambda: sp.Float(errors([2])[0])),
    Claim("newton.quadratic", "From the third iterate on, each error is below the square of the one before",
          tex=_quadratic_tex),
    Claim("newton.errors", "Distances of iterates 3 to 6 from x*",
          tex=lambda: r"\begin{pmatrix} " + r" \\ ".join(_power_tex(e) for e in errors(range(3, 7)))
          + r" \end{pmatrix}"),
    Claim("newton.final-gradient", "The gradient at the last iterate is below the stopping tolerance",
          tex=_final_gradient_tex),
    Claim("newton.eigenvalues", "Hessian eigenvalues at x*: both positive, a local minimum",
          value=eigenvalues_at_critical_point, approx=True),
]
