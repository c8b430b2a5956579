"""Proofs for docs/backprop/initialization.md (snippets/backprop/initialization.py)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from snippets.backprop import initialization as init
from verified_docs.verify import assert_close, fd_gradient
from tests.strategies import finite_floats


@pytest.mark.claim("init.saturation", "symbolic")
def test_exact_slopes_decrease_from_the_peak():
    slopes = init.exact_slopes()
    assert slopes[0] == sp.Rational(1, 4)
    assert all(slopes[k] > slopes[k + 1] for k in range(len(slopes) - 1))
    z = sp.Symbol("z", real=True)
    s = 1 / (1 + sp.exp(-z))
    assert sp.limit(s * (1 - s), z, sp.oo) == 0 and sp.limit(s * (1 - s), z, -sp.oo) == 0


@pytest.mark.claim("init.saturation", "numeric")
@given(finite_floats(-40, 40))
def test_numpy_slope_matches_finite_differences(z):
    fd = fd_gradient(lambda v: 1.0 / (1.0 + np.exp(-v[0])), np.array([z]))[0]
    assert_close(init.sigmoid_slope(np.array([z]))[0], fd, what="sigma'")


def test_saturation_on_both_sides():
    s = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731
    assert s(-10) < 1e-4 and s(10) > 1 - 1e-4  # close to 0 on one side, to 1 on the other
    slopes = init.sigmoid_slope(np.array([-10.0, 10.0]))
    assert slopes[0] == pytest.approx(slopes[1]) and slopes[0] < 1e-4


@pytest.mark.claim("init.symmetry", "symbolic")
@pytest.mark.parametrize("inputs", [1, 2, 3])
def test_identical_units_get_identical_gradients(inputs):
    difference, general, (w1, w2, x, c, v, d, t) = init.symmetric_gradient_difference(inputs)
    assert difference.applyfunc(sp.simplify) == sp.zeros(inputs, 1)
    # The check can fail: with different weights the gradients differ.
    values = {**{p: sp.Rational(k + 1, 3) for k, p in enumerate(w1)}, **{q: sp.Rational(-k, 5) for k, q in enumerate(w2)},
              **{xi: sp.Rational(k + 2, 7) for k, xi in enumerate(x)}, c: 0, v: 1, d: 0, t: 1}
    # ... and equal what the chain rule gives by hand: (out - t) v (sigma'(a1) - sigma'(a2)) x.
    sig = lambda a: 1 / (1 + sp.exp(-a))  # noqa: E731
    a1, a2 = (w1.T * x)[0] + c, (w2.T * x)[0] + c
    out = v * sig(a1) + v * sig(a2) + d
    by_hand = (out - t) * v * (sig(a1) * (1 - sig(a1)) - sig(a2) * (1 - sig(a2))) * x
    assert (general - by_hand).subs(values).evalf(30).norm() < 1e-25
    assert general.subs(values).evalf() != sp.zeros(inputs, 1)


def data():
    rng = np.random.default_rng(0)
    return rng, rng.normal(size=(50, 3)), rng.normal(size=50)


@pytest.mark.claim("init.symmetry", "numeric")
def test_constant_start_stays_symmetric_random_start_does_not():
    rng, X, t = data()
    hidden = 13
    W1, losses = init.train_two_layer(np.full((3, hidden), 0.1), np.zeros(hidden), np.full(hidden, 0.1), 0.0,
                                      X, t, epochs=1000)
    spread_constant = np.ptp(W1, axis=1).max()
    assert spread_constant < 1e-12
    assert losses[-1] < losses[0]  # it does learn, as one unit
    H = 1 / (1 + np.exp(-(X @ np.full((3, hidden), 0.1))))
    assert_close(losses[0], 0.5 * np.mean((H @ np.full(hidden, 0.1) - t) ** 2), rtol=1e-12, atol=0, what="loss 0")
    W1, _ = init.train_two_layer(rng.normal(scale=0.1, size=(3, hidden)), np.zeros(hidden),
                                 rng.normal(scale=0.1, size=hidden), 0.0, X, t, epochs=1000)
    assert np.ptp(W1, axis=1).max() > 0.1 > 1e10 * spread_constant


def test_two_layer_gradients_against_finite_differences():
    """The training loop's backward pass is the gradient of its loss (one step, compared)."""
    _, X, t = data()
    W1, b1, w2 = np.full((3, 2), 0.3), np.array([0.1, -0.2]), np.array([0.5, -0.4])

    def loss(flat):
        A = flat[:6].reshape(3, 2)
        H = 1 / (1 + np.exp(-(X @ A + b1)))
        return 0.5 * np.mean((H @ w2 - t) ** 2)

    step = 1e-3
    new_W1, _ = init.train_two_layer(W1, b1, w2, 0.0, X, t, step=step, epochs=1)
    assert_close((W1 - new_W1) / step, fd_gradient(loss, W1.ravel()).reshape(3, 2), what="dLoss/dW1")


def test_operation_count_does_not_depend_on_weight_size():
    x = [0.5, -1.0, 2.0]
    counts = {scale: init.count_multiplications([[scale] * 4] * 3, [scale] * 4, x)[0] for scale in (1e-3, 1.0, 1e3)}
    assert len(set(counts.values())) == 1
    assert counts[1.0] == 3 * 4 + 4 + 4 * (3 + 3)  # shapes alone: forward 16, backward 24
    # ... but it does change with the shapes, so the count measures something.
    assert init.count_multiplications([[1.0] * 5] * 3, [1.0] * 5, x)[0] != counts[1.0]


def test_counted_pass_computes_the_network():
    """The counted pass is the real forward and backward pass (output and dLoss/dW1 by numpy)."""
    rng = np.random.default_rng(3)
    W1, w2, x = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=3)
    _, out, gradient = init.count_multiplications(W1.tolist(), w2.tolist(), x.tolist())
    hidden = 1 / (1 + np.exp(-(x @ W1)))
    assert_close(out, hidden @ w2, rtol=1e-12, atol=1e-14, what="output")
    loss = lambda flat: 0.5 * ((1 / (1 + np.exp(-(x @ flat.reshape(3, 4))))) @ w2) ** 2  # noqa: E731
    assert_close(np.array(gradient), fd_gradient(loss, W1.ravel()).reshape(3, 4), what="dLoss/dW1")


def test_figure_plots_sigma_and_its_slope():
    assert len(init.saturation_figure().axes[0].lines) == 3
