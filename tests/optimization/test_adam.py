"""Proofs for docs/optimization/adam.md (snippets/optimization/adam.py)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from snippets.optimization import adam as adam_mod
from snippets.verify import assert_close
from tests.strategies import finite_floats

B1, B2, T, I, G_I = adam_mod.B1, adam_mod.B2, adam_mod.T, adam_mod.I, adam_mod.G_I
g = sp.IndexedBase("g")
mu = sp.Symbol("mu")
# A positive eps far below every gradient in these tests: the limit eps -> 0 the page speaks of
# (adam() rejects eps = 0, which turns a coordinate with only zero gradients into 0/0).
TINY = 1e-300


@pytest.mark.claim("adam.closed-form", "symbolic")
@pytest.mark.parametrize("t", range(1, 9))
def test_closed_form_solves_the_recursion(t):
    # Expand the page's Sum term by term, with the index range it states.
    summed = adam_mod.closed_form().subs(T, t)
    terms = sp.expand(summed.doit())
    as_gradients = terms.subs(G_I, 1)  # the weights alone ...
    assert sp.simplify(as_gradients - (1 - B1 ** t)) == 0
    (the_sum,) = summed.atoms(sp.Sum)
    lower, upper = the_sum.limits[0][1:]
    assert (lower, upper) == (1, t)  # ... and the range: i = 1 .. t, one term per gradient
    expected = sum((1 - B1) * B1 ** (t - i) * g[i] for i in range(lower, upper + 1))
    assert sp.expand(adam_mod.moment_recursion(t, beta=B1) - expected) == 0


@pytest.mark.claim("adam.closed-form", "numeric")
@given(
    st.lists(finite_floats(-5, 5), min_size=1, max_size=12),
    finite_floats(0.0, 0.99), finite_floats(0.0, 0.999), finite_floats(1e-3, 1.0),
)
def test_adam_follows_the_closed_forms_step_by_step(gradients, beta1, beta2, alpha):
    """The implementation against the formulas: m_t, v_t from the closed forms, then theta_t."""
    eps = 1e-8
    sequence = iter(gradients)
    path = adam_mod.adam(lambda th: np.array([next(sequence)]), np.array([0.5]), len(gradients),
                         alpha=alpha, beta1=beta1, beta2=beta2, eps=eps)
    theta = 0.5
    for t in range(1, len(gradients) + 1):
        gs = np.array(gradients[:t])
        weights1 = (1 - beta1) * beta1 ** (t - np.arange(1, t + 1))
        weights2 = (1 - beta2) * beta2 ** (t - np.arange(1, t + 1))
        m_hat = weights1 @ gs / (1 - beta1**t)
        v_hat = weights2 @ gs**2 / (1 - beta2**t)
        theta = theta - alpha * m_hat / (np.sqrt(v_hat) + eps)
        assert_close(path[t, 0], theta, rtol=1e-9, atol=1e-12, what=f"theta_{t}")


@pytest.mark.claim("adam.geometric", "symbolic")
def test_geometric_sum_for_general_t():
    weights = (1 - B1) * sp.Sum(B1 ** (T - I), (I, 1, T))
    assert sp.simplify(weights.doit() - (1 - B1**T)) == 0


@pytest.mark.claim("adam.geometric", "numeric")
@given(finite_floats(0.0, 0.999), st.integers(1, 200))
def test_geometric_sum_numerically(beta, t):
    assert_close((1 - beta) * sum(beta ** (t - i) for i in range(1, t + 1)), 1 - beta**t, rtol=1e-12, atol=1e-12)


@pytest.mark.claim("adam.expectation", "symbolic")
@pytest.mark.claim("adam.v-expectation", "symbolic")
@pytest.mark.claim("adam.corrected", "symbolic")
@pytest.mark.parametrize("t", range(1, 9))
def test_expectations_by_linearity(t):
    # E is linear: replace every g_i by its mean, the same mu for every i (the assumption).
    mean_m = adam_mod.moment_recursion(t, beta=B1).subs({g[i]: mu for i in range(1, t + 1)})
    assert sp.factor(mean_m - (1 - B1**t) * mu) == 0
    mean_v = adam_mod.moment_recursion(t, beta=B2).subs({g[i]: mu for i in range(1, t + 1)})
    assert sp.factor(mean_v - (1 - B2**t) * mu) == 0
    corrected = sp.simplify(mean_m / (1 - B1**t))
    assert corrected == mu
    E, G = adam_mod.E, adam_mod.G
    assert adam_mod.CLAIMS[2].value().subs(T, t) == (1 - B1**t) * E(G)
    assert sp.simplify(adam_mod.CLAIMS[2].value() / (1 - B1**T)) == adam_mod.CLAIMS[4].value()


def test_sum_from_zero_contradicts_the_original_result():
    """Read with g_0 a gradient like the others, the original's sum gives 1 - beta^(t+1)."""
    for t in range(1, 9):
        from_zero = sum((1 - B1) * B1 ** (t - i) * mu for i in range(0, t + 1))
        assert sp.factor(from_zero - (1 - B1 ** (t + 1)) * mu) == 0
        assert sp.factor(from_zero - (1 - B1**t) * mu) != 0


def standard_error_of_ema(beta, t, variance, runs):
    """Std error of the mean over `runs` of an EMA of t i.i.d. draws with this variance."""
    weights = (1 - beta) * beta ** np.arange(t)
    return np.sqrt(variance * np.sum(weights**2) / runs)


RUNS, MEAN, STD, STEPS = 20000, 1.0, 2.0, 30


@pytest.mark.claim("adam.expectation", "numeric")
@pytest.mark.claim("adam.corrected", "numeric")
def test_monte_carlo_bias_and_correction():
    m, m_hat = adam_mod.moment_means(RUNS, STEPS, MEAN, STD, beta1=0.9, seed=0)
    for t in range(1, STEPS + 1):
        se = standard_error_of_ema(0.9, t, STD**2, RUNS)
        # Five standard errors: a false alarm has probability below 1e-6 per comparison.
        assert abs(m[t - 1] - (1 - 0.9**t) * MEAN) < 5 * se
        assert abs(m_hat[t - 1] - MEAN) < 5 * se / (1 - 0.9**t)
    # The bias is real: at t = 1 the uncorrected mean is far from E[g].
    assert MEAN - m[0] > 50 * standard_error_of_ema(0.9, 1, STD**2, RUNS)


@pytest.mark.claim("adam.v-expectation", "numeric")
def test_monte_carlo_second_moment():
    rng = np.random.default_rng(1)
    gradients = rng.normal(MEAN, STD, size=(RUNS, STEPS))
    v = np.zeros(RUNS)
    second_moment, variance_of_square = MEAN**2 + STD**2, 2 * STD**4 + 4 * MEAN**2 * STD**2
    for t in range(1, STEPS + 1):
        v = 0.999 * v + 0.001 * gradients[:, t - 1] ** 2
        se = standard_error_of_ema(0.999, t, variance_of_square, RUNS)
        assert abs(v.mean() - (1 - 0.999**t) * second_moment) < 5 * se


@pytest.mark.claim("adam.first-step", "symbolic")
def test_first_step_sizes_exactly():
    assert adam_mod.first_step_ratios() == {
        "both corrected (Adam)": 1,
        "m not corrected": sp.Rational(1, 10),
        "v not corrected": 10 * sp.sqrt(10),
        "neither corrected": sp.sqrt(10),
    }
    # With symbolic betas: (1 - beta1) / sqrt(1 - beta2) when neither is corrected.
    general = adam_mod.first_step_ratios(B1, B2)
    assert sp.simplify(general["neither corrected"] - (1 - B1) / sp.sqrt(1 - B2)) == 0


@pytest.mark.claim("adam.first-step", "numeric")
@given(finite_floats(-100, 100).filter(lambda x: abs(x) > 1e-3))
def test_first_step_sizes_by_running_adam(gradient):
    expected = {name: float(v) for name, v in adam_mod.first_step_ratios().items()}
    for name, correct_m, correct_v in [("both corrected (Adam)", True, True), ("m not corrected", False, True),
                                       ("v not corrected", True, False), ("neither corrected", False, False)]:
        path = adam_mod.adam(lambda th: np.array([gradient]), np.array([0.0]), 1, alpha=0.01, eps=TINY,
                             correct_m=correct_m, correct_v=correct_v)
        assert_close(abs(path[1, 0] - path[0, 0]) / 0.01, expected[name], rtol=1e-9, atol=0, what=name)


@pytest.mark.parametrize("kwargs", [{"beta1": 1.0}, {"beta1": -0.1}, {"beta2": 1.0}, {"beta2": -0.1},
                                    {"alpha": 0.0}, {"eps": -1.0}, {"eps": 0.0}, {"steps": -1}])
def test_adam_rejects_bad_hyperparameters(kwargs):
    arguments = {"steps": 1, **kwargs}
    with pytest.raises(ValueError):
        adam_mod.adam(lambda th: th, np.array([1.0]), **arguments)


def test_figure_shows_both_means():
    figure = adam_mod.means_figure()
    assert len(figure.axes[0].lines) == 4


def test_adam_accepts_the_edges_of_its_ranges():
    assert adam_mod.adam(lambda th: th, np.array([1.0]), 0).shape == (1, 1)  # no steps: theta_0 only
    path = adam_mod.adam(lambda th: th, np.array([1.0]), 2, beta1=0.0, beta2=0.0, eps=TINY)
    assert_close(path[:, 0], [1.0, 0.999, 0.998], rtol=1e-12, atol=0, what="beta = 0: sign steps")


def test_monte_carlo_shapes_and_first_step_table():
    m, m_hat = adam_mod.moment_means(runs=100, steps=7)
    assert m.shape == m_hat.shape == (7,)
    assert adam_mod.first_step_tex() == (
        "\\begin{array}{lcc} \\text{bias correction} & |\\theta_1 - \\theta_0| / \\alpha & \\approx \\\\ \\hline "
        "\\text{both corrected (Adam)} & 1 & 1 \\\\ \\text{m not corrected} & \\frac{1}{10} & 0.1 \\\\ "
        "\\text{v not corrected} & 10 \\sqrt{10} & 31.62 \\\\ \\text{neither corrected} & \\sqrt{10} & 3.162 \\end{array}")


def test_zero_gradients_do_not_move_the_parameter():
    path = adam_mod.adam(lambda th: np.zeros_like(th), np.array([0.3, -2.0]), 50)
    assert np.all(path == np.array([0.3, -2.0]))
