"""The original answer sheet's defects, each as a computation that exposes it.

Page: docs/errata.md. Tests: tests/test_errata.py. Every value here is what the errata page
displays; the tests evaluate the original's statement and show it false, and the correction
true.
"""

# --8<-- [start:evidence]
import sympy as sp


def second_derivatives_of_gradient():
    """1.1: the second derivatives of f = grad y, for a y(u, v, z) left undefined.

    d^2 f_i / (dx_j dx_k) for i, j, k in {1, 2, 3}: a three-index array, not a matrix.

    >>> array = second_derivatives_of_gradient()
    >>> array.shape, len(array)
    ((3, 3, 3), 27)
    """
    u, v, z = sp.symbols("u v z", real=True)
    y = sp.Function("y")(u, v, z)
    f = sp.derive_by_array(y, (u, v, z))
    return sp.derive_by_array(sp.derive_by_array(f, (u, v, z)), (u, v, z))


def original_gradient(x, y):
    """2.2.1: the gradient exactly as the original writes it (3.4 and 0.2 as exact numbers)."""
    return (4 * x + sp.Rational(34, 10) * sp.pi * sp.sin(sp.pi * x / 5) - y,
            4 * y - 17 * sp.cos(sp.pi * x / 5) - x)


def original_gradient_asymmetry():
    """2.2.1: d g1/dy - d g2/dx for the gradient the original writes; zero for a true gradient.

    >>> original_gradient_asymmetry()
    -17*pi*sin(pi*x/5)/5
    """
    x, y = sp.symbols("x y", real=True)
    g1, g2 = original_gradient(x, y)
    return sp.simplify(g1.diff(y) - g2.diff(x))


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

from verified_docs import Claim

X, Y = sp.symbols("x y", real=True)
B1, T, MU = sp.Symbol("beta_1", positive=True), sp.Symbol("t", positive=True), sp.Symbol("mu")
Z = sp.Symbol("z", real=True)


def hessian_entries_of_vector_map():
    """1.1: how many entries the array of second derivatives of f has (counted, not assumed)."""
    return sp.Integer(len(second_derivatives_of_gradient()))


def inverse_entry_gap():
    """1.2 (v): (A^-1)_11 - 1/a_11 for A = [[2, 1], [1, 1]]: the notation a_ik^-1 misleads."""
    A = sp.Matrix([[2, 1], [1, 1]])
    return A.inv()[0, 0] - 1 / A[0, 0]


# 1.3: a matrix without negative entries whose rows all sum to m = 2: the square alone is wrong.
NON_NEGATIVE = sp.Matrix([[1, 1], [2, 0]])


def common_row_sum(matrix):
    """The sum every row of the matrix has (the example must have equal row sums)."""
    sums = {sum(matrix.row(i)) for i in range(matrix.rows)}
    if len(sums) != 1:
        raise ValueError(f"the example must have equal row sums, not {sorted(sums)}")
    return sums.pop()


def squared_1_norm_of_first_row(matrix):
    return sum(abs(a) for a in matrix.row(0)) ** 2


M = sp.Symbol("m", real=True)


def square_gap():
    """1.3: a row without negative entries that sums to m has squared 1-norm m^2; m^2 - m, factored."""
    return sp.factor(M**2 - M)


def sheet_gradient(x1, x2):
    """2.1: the gradient (14) exactly as the original writes it."""
    return (6 * x1 - 3 * x2 + 12 * x1**2 + 4 * x1**3, 4 * x2 - 3 * x1)


X1, X2 = sp.symbols("x_1 x_2", real=True)


def sheet_gradient_mixed_gap():
    """2.1: d/dx2 of the first component of (14) minus d/dx1 of the second: 0 for a gradient field."""
    first, second = sheet_gradient(X1, X2)
    return sp.expand(first.diff(X2) - second.diff(X1))


def third_point_gradient():
    """2.1: the gradient of f at the third point as the original's list of points writes it."""
    from snippets.optimization import stationary_points as sp_mod

    return sp_mod.GRAD.subs(dict(zip((sp_mod.X1, sp_mod.X2), sp_mod.WRITTEN_THIRD))).applyfunc(sp.expand)


def global_gap():
    """2.1: f(p3) - f(p1): the third point, not the origin, is the global minimum."""
    from snippets.optimization import stationary_points as sp_mod

    values = [v for _, _, v in sp_mod.exact_points()]
    return sp.expand(values[2] - values[0])


def written_gradient_at_origin():
    """2.2.1: the original's gradient g at the origin."""
    return sp.Matrix(original_gradient(sp.Integer(0), sp.Integer(0)))


K = sp.Symbol("k", integer=True)


def asymmetry_zeros():
    """2.2.1: where d g1/dy - d g2/dx vanishes: x = 5k for an integer k.

    The asymmetry is a non-zero constant times sin(pi x / 5); sympy's zeros of that sine, each
    family divided by 5, must be integers (and 5k must be a zero), else this raises.
    """
    asymmetry = original_gradient_asymmetry()
    (x,) = asymmetry.free_symbols
    factor = sp.simplify(asymmetry / sp.sin(sp.pi * x / 5))
    if factor.free_symbols or factor == 0:
        raise ValueError(f"not a constant multiple of sin(pi x / 5): {asymmetry}")
    zeros = sp.solveset(sp.sin(sp.pi * x / 5), x, sp.S.Reals)
    n = sp.Symbol("n", integer=True)
    for family in zeros.args:
        (variable,) = family.lamda.variables
        if not sp.simplify(family.lamda.expr.subs(variable, n) / 5).is_integer:
            raise ValueError(f"a zero that is not a multiple of 5: {family}")
    if asymmetry.subs(x, 5 * K) != 0:
        raise ValueError("5k is not a zero")
    return 5 * K


def newton_first_component():
    """2.2.1: df/dx for the function whose Hessian the original states (newton page)."""
    from snippets.optimization import newton

    return newton.objective()[1][0]


def original_jacobian_at_origin():
    """2.2.1: the Jacobian of the original's gradient g at the origin."""
    g = sp.Matrix(original_gradient(X, Y))
    return g.jacobian([X, Y]).subs({X: 0, Y: 0})


def original_jacobian_step():
    """2.2.1: the step -J_g(0)^-1 g(0): what Newton's method would do with the Jacobian of g."""
    g0 = sp.Matrix(original_gradient(X, Y)).subs({X: 0, Y: 0})
    return sp.simplify(-original_jacobian_at_origin().inv() * g0)


def drifting_mean_correction():
    """2.2.2: E[m_hat_2] when E[g_i] = i mu (not stationary): m_2 = beta (1 - beta) g_1 + (1 - beta) g_2."""
    m2 = B1 * (1 - B1) * MU + (1 - B1) * 2 * MU  # E[g_1] = mu, E[g_2] = 2 mu
    return sp.factor(sp.simplify(m2 / (1 - B1**2)))


def drifting_mean_gap():
    """2.2.2: E[g_2] - E[m_hat_2] under the same drift."""
    return sp.factor(2 * MU - drifting_mean_correction())


def logistic(z):
    return 1 / (1 + sp.exp(-z))


def sigmoid_slopes_at_ten():
    """3.2: the slope sigma'(z) at z = -10 and z = 10 (sympy differentiates sigma)."""
    slope = logistic(Z).diff(Z)
    return sp.Matrix([slope.subs(Z, -10), slope.subs(Z, 10)])


# 3.2: the instance the page states: 3 inputs, 4 hidden units, this input, every weight s.
OPERATIONS_X = (0.5, -1.0, 2.0)
OPERATIONS_HIDDEN = 4
OPERATIONS_SCALES = (1e-3, 1e3)


def operation_counts():
    """3.2: the multiplications counted in one pass with every weight 1e-3, and with every weight 1e3."""
    from snippets.backprop import initialization as init

    inputs, hidden = len(OPERATIONS_X), OPERATIONS_HIDDEN
    return tuple(init.count_multiplications([[s] * hidden] * inputs, [s] * hidden, list(OPERATIONS_X))[0]
                 for s in OPERATIONS_SCALES)


def operation_count():
    """3.2: the count, the same at both scales of the display (else this raises)."""
    small, large = operation_counts()
    if small != large:
        raise ValueError(f"the count depends on the weights: {small} != {large}")
    return sp.Integer(small)


def operation_count_gap():
    """3.2: N(1e3) - N(1e-3)."""
    small, large = operation_counts()
    return sp.Integer(large - small)


CLAIMS = [
    Claim("errata.hessian-of-f", "1.1: the second derivatives of the vector map f form a 3 x 3 x 3 array, "
          "27 entries; J has 9", value=hessian_entries_of_vector_map),
    Claim("errata.inverse-notation", "1.2 (v): a_ik^-1 is not the (i, k) entry of A^-1", value=inverse_entry_gap),
    Claim("errata.norm-square-sums", "1.3: both rows of [[1, 1], [2, 0]] sum to 2",
          value=lambda: common_row_sum(NON_NEGATIVE)),
    Claim("errata.norm-square", "1.3: ... but the first row's squared 1-norm is 4: the square is wrong "
          "even without negative entries", value=lambda: squared_1_norm_of_first_row(NON_NEGATIVE)),
    Claim("errata.square-gap", "1.3: m^2 - m = m (m - 1), zero only for m = 0 or 1", value=square_gap),
    Claim("errata.gradient-field", "2.1: the original's gradient (14) has equal mixed partial derivatives",
          value=sheet_gradient_mixed_gap),
    Claim("errata.third-point", "2.1: the third point as the original's list writes it is not stationary",
          value=third_point_gradient, approx=True),
    Claim("errata.global", "2.1: f(p3) - f(p1) < 0: the third point is lower than the origin",
          value=global_gap, approx=True),
    Claim("errata.newton-gradient", "2.2.1: the original's gradient is not a gradient field",
          value=original_gradient_asymmetry),
    Claim("errata.written-gradient-origin", "2.2.1: the original's gradient g at the origin is (0, -17), as it says",
          value=written_gradient_at_origin),
    Claim("errata.asymmetry-zeros", "2.2.1: the asymmetry of g's Jacobian vanishes only at the multiples of 5",
          value=asymmetry_zeros),
    Claim("errata.newton-dfdx", "2.2.1: the first component of the gradient, with its factor y",
          value=newton_first_component),
    Claim("errata.jacobian-entry", "2.2.1: the (1,1) entry of the Jacobian of the original's g at 0",
          value=lambda: original_jacobian_at_origin()[0, 0]),
    Claim("errata.jacobian-step", "2.2.1: a Newton step with the Jacobian of g would go elsewhere",
          value=original_jacobian_step, approx=True),
    Claim("errata.sum-index", "2.2.2: the sum from i = 0 gives weights adding up to 1 - beta^(t+1)",
          value=sum_from_zero),
    Claim("errata.stationarity", "2.2.2: without a constant mean the corrected estimate is biased",
          value=drifting_mean_correction),
    Claim("errata.stationarity-gap", "2.2.2: the bias of the corrected estimate under the drift",
          value=drifting_mean_gap),
    Claim("errata.saturation-low", "3.2: sigma(-10) is close to 0", value=lambda: logistic(sp.Integer(-10)),
          approx=True),
    Claim("errata.saturation-slope", "3.2: the slope sigma' vanishes at both ends, equally",
          value=sigmoid_slopes_at_ten),
    Claim("errata.operations", "3.2: the counted multiplications do not depend on the weights' size",
          value=operation_count_gap),
    Claim("errata.operations-count", "3.2: the count is 44 multiplications, whatever the weights",
          value=operation_count),
]
