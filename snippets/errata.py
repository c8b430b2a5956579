"""The original answer sheet's defects, each as a computation that exposes it.

Page: docs/errata.md. Tests: tests/test_errata.py. Every value here is what the errata page
displays; the tests evaluate the original's statement and show it false, and the correction
true.
"""

# --8<-- [start:evidence]
import sympy as sp


def original_gradient_asymmetry():
    """2.2.1: d g1/dy - d g2/dx for the gradient the original writes; zero for a true gradient.

    >>> original_gradient_asymmetry()
    -17*pi*sin(pi*x/5)/5
    """
    x, y = sp.symbols("x y", real=True)
    g1, g2 = original_gradient(x, y)
    return sp.simplify(g1.diff(y) - g2.diff(x))


def original_gradient(x, y):
    """The gradient exactly as the original writes it in 2.2.1 (3.4 and 0.2 as exact numbers)."""
    return (4 * x + sp.Rational(34, 10) * sp.pi * sp.sin(sp.pi * x / 5) - y,
            4 * y - 17 * sp.cos(sp.pi * x / 5) - x)


def sum_from_zero(t=sp.Symbol("t", positive=True), beta=sp.Symbol("beta_1", positive=True)):
    """2.2.2: the weights of the original's sum over i = 0..t add up to 1 - beta^(t+1).

    >>> sum_from_zero()
    1 - beta_1**(t + 1)
    """
    i = sp.Symbol("i")
    total = sp.simplify(((1 - beta) * sp.Sum(beta ** (t - i), (i, 0, t))).doit())
    if isinstance(total, sp.Piecewise):  # sympy splits off beta = 1; Adam has beta < 1
        total = total.args[-1][0]
    return total
# --8<-- [end:evidence]


# Everything below is build and proof machinery, not shown on the page.

from verified_docs import Claim  # noqa: E402

X, Y = sp.symbols("x y", real=True)
B1, T, MU = sp.Symbol("beta_1", positive=True), sp.Symbol("t", positive=True), sp.Symbol("mu")


def third_point_gradient():
    """2.1: the gradient of f at the third point as the original writes it."""
    from snippets.optimization import stationary_points as sp_mod

    written = sp.Rational(3, 16) * (-sp.sqrt(21) - 6)
    return sp_mod.GRAD.subs({sp_mod.X1: written, sp_mod.X2: written}).applyfunc(sp.expand)


def inverse_entry_gap():
    """1.2 (v): (A^-1)_11 - 1/a_11 for A = [[2, 1], [1, 1]]: the notation a_ik^-1 misleads."""
    A = sp.Matrix([[2, 1], [1, 1]])
    return A.inv()[0, 0] - 1 / A[0, 0]


def norm_gap():
    """1.3: ||a_1||_1^2 - (A 1)_1 for A = [[2, -1], [0, 1]], whose rows sum to m = 1."""
    A = sp.Matrix([[2, -1], [0, 1]])
    row_sums = A * sp.ones(2, 1)
    if len(set(row_sums)) != 1:
        raise ValueError(f"the example must have equal row sums, not {list(row_sums)}")
    return sum(abs(v) for v in A.row(0)) ** 2 - row_sums[0]


def drifting_mean_correction():
    """2.2.2: E[m_hat_2] when E[g_i] = i mu (not stationary): not E[g_2] = 2 mu."""
    m2 = B1 * (1 - B1) * MU + (1 - B1) * 2 * MU  # E[g_1] = mu, E[g_2] = 2 mu
    return sp.factor(sp.simplify(m2 / (1 - B1**2)))


def global_gap():
    """2.1: f(p3) - f(p1): the third point, not the origin, is the global minimum."""
    from snippets.optimization import stationary_points as sp_mod

    values = [v for _, _, v in sp_mod.exact_points()]
    return sp.expand(values[2] - values[0])


def hessian_entries_of_vector_map():
    """1.1: the Hessian of f: R^3 -> R^3 has 3 * 3 * 3 entries, not the 9 of J."""
    return sp.Integer(3**3)


def sigmoid_low_end():
    """3.2: sigma(-10), close to 0 (not 1): saturation happens on both sides."""
    return 1 / (1 + sp.exp(10))


def operation_count_gap():
    """3.2: multiplications in one pass with weights of size 1e3 minus size 1e-3."""
    from snippets.backprop import initialization as init

    x = [0.5, -1.0, 2.0]  # instance
    large = init.count_multiplications([[1e3] * 4] * 3, [1e3] * 4, x)[0]  # instance
    small = init.count_multiplications([[1e-3] * 4] * 3, [1e-3] * 4, x)[0]  # instance
    return sp.Integer(large - small)


CLAIMS = [
    Claim("errata.hessian-of-f", "1.1: 'the Hessian of f' would have 27 entries; J has 9, the Hessian of y",
          value=hessian_entries_of_vector_map),
    Claim("errata.inverse-notation", "1.2 (v): a_ik^-1 is not the (i, k) entry of A^-1", value=inverse_entry_gap),
    Claim("errata.norm", "1.3: the squared 1-norm of a row is not its sum", value=norm_gap),
    Claim("errata.third-point", "2.1: the third point as written is not stationary",
          value=third_point_gradient, approx=True),
    Claim("errata.global", "2.1: the original never says which minimum is global", value=global_gap, approx=True),
    Claim("errata.newton-gradient", "2.2.1: the original's gradient is not a gradient field",
          value=original_gradient_asymmetry),
    Claim("errata.sum-index", "2.2.2: the sum from i = 0 gives weights adding up to 1 - beta^(t+1)",
          value=sum_from_zero),
    Claim("errata.stationarity", "2.2.2: without a constant mean the corrected estimate is biased",
          value=drifting_mean_correction),
    Claim("errata.operations", "3.2: bigger weights do not cost more computation", value=operation_count_gap),
    Claim("errata.saturation-low", "3.2: sigma saturates near 0 as well as near 1", value=sigmoid_low_end,
          approx=True),
]
