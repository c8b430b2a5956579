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


# --8<-- [start:exact-step]
import sympy as sp


def newton_step(f, variables, point, alpha=1):
    """One damped Newton step x1 = x0 - alpha * H(x0)^-1 grad f(x0), in exact arithmetic.

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
    """Newton iterates from p0 until a step is shorter than tol.

    >>> iterates = newton([0.0, 0.0])
    >>> iterates[1]
    array([1.13333333, 4.53333333])
    >>> len(iterates) - 1
    8
    >>> iterates[-1].round(8)
    array([0.13087466, 4.26835765])
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
    raise RuntimeError(f"Newton's method did not converge from {p0} in {max_steps} steps")
# --8<-- [end:numpy]


# --8<-- [start:classify]
import numpy as np


def classify(hess, rtol=1e-10):
    """Second-derivative test from the eigenvalues of a symmetric Hessian.

    An eigenvalue within rtol of the largest one in size counts as zero: in floating
    point an exact zero comes out as +-1e-16, and its sign means nothing.

    >>> classify(np.array([[2.0, 0.0], [0.0, 3.0]]))
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
# --8<-- [end:classify]


# Everything below is build and proof machinery, not shown on the page.

from verified_docs import Claim  # noqa: E402

def contour_figure():
    """Contour plot of f with the Newton iterates from the origin (built into the page as SVG)."""
    from matplotlib.figure import Figure

    iterates = np.array(newton([0.0, 0.0]))
    xs = np.linspace(-2.5, 2.5, 241)
    ys = np.linspace(-1.5, 7.0, 241)
    X, Y = np.meshgrid(xs, ys)
    F = 2 * X**2 + 2 * Y**2 - X * Y - 17 * Y * np.cos(np.pi * X / 5)

    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.add_subplot()
    contours = ax.contour(X, Y, F, levels=24, cmap="viridis", linewidths=0.8)
    fig.colorbar(contours, ax=ax, label="f(x, y)")
    ax.plot(iterates[:, 0], iterates[:, 1], "o-", color="#c2185b", markersize=4, label="Newton iterates")
    ax.annotate("start (0, 0)", iterates[0], textcoords="offset points", xytext=(8, -12))
    ax.annotate("minimum", iterates[-1], textcoords="offset points", xytext=(8, 6))
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


START = (0.0, 0.0)  # the question's starting point


def _limit():
    return sp.Matrix(newton(START)[-1])


def _eigenvalues_at_limit():
    return sp.Matrix(np.linalg.eigvalsh(hessian(newton(START)[-1])))


CLAIMS = [
    Claim("newton.f", "f, reconstructed from the stated Hessian and gradient at the origin",
          value=lambda: objective()[0]),
    Claim("newton.gradient", "The gradient of f", value=lambda: objective()[1]),
    Claim("newton.hessian", "The Hessian of f (as the original states it)", value=lambda: objective()[2]),
    Claim("newton.gradient-origin", "The gradient at the origin", value=lambda: _at_origin(1)),
    Claim("newton.hessian-origin", "The Hessian at the origin", value=lambda: _at_origin(2)),
    Claim("newton.hessian-inverse", "The inverse Hessian at the origin",
          value=lambda: _at_origin(2).inv()),
    Claim("newton.step", "One Newton step from the origin with alpha = 1", value=_exact_step,
          operands=lambda: [sp.zeros(2, 1), 15 * _at_origin(2).inv(), _at_origin(1)]),
    Claim("newton.limit", "Newton's method from the origin converges to this point", value=_limit, approx=True),
    Claim("newton.eigenvalues", "Hessian eigenvalues at the limit: both positive, a local minimum",
          value=_eigenvalues_at_limit, approx=True),
]
