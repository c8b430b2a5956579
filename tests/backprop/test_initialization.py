"""Proofs for docs/backprop/initialization.md (snippets/backprop/initialization.py)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from snippets.backprop import initialization as init
from tests.original import not_in_sheet, prose_quotations
from tests.site_build import ROOT
from tests.strategies import finite_floats, matrices
from verified_docs.verify import assert_close, fd_gradient, symbolic_equal

CLAIMS = {claim.id: claim for claim in init.CLAIMS}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def network_loss(X, t, W1, c, v, d, mask=None):
    """The page's loss, summed over the rows of X; mask multiplies the hidden units (dropout)."""
    H = sigmoid(X @ W1 + c) * (1.0 if mask is None else mask)
    return 0.5 * np.sum((H @ v + d - t) ** 2)


def pack(W1, c, v):
    """Parameters as one flat vector, unit by unit: (w_k, c_k, v_k) for k = 1, 2, ..."""
    return np.concatenate([np.concatenate([W1[:, k], [c[k], v[k]]]) for k in range(W1.shape[1])])


def unpack(flat, inputs):
    blocks = flat.reshape(-1, inputs + 2)
    return blocks[:, :inputs].T, blocks[:, inputs], blocks[:, inputs + 1]


def unit_gradients(X, t, W1, c, v, d, mask=None):
    """Finite-difference gradient of the loss, one row per unit: (d/dw_k, d/dc_k, d/dv_k)."""
    inputs = X.shape[1]
    flat = fd_gradient(lambda p: network_loss(X, t, *unpack(p, inputs), d, mask), pack(W1, c, v))
    return flat.reshape(-1, inputs + 2)


# --- The gradient of one unit's incoming weights -------------------------------------------------


@pytest.mark.claim("init.grad-w", "symbolic")
@pytest.mark.parametrize("inputs", [1, 2, 3])
@pytest.mark.parametrize("units", [2, 3])
def test_incoming_weight_gradient_by_sympy(inputs, units):
    loss, X, targets, theta, d = init.two_layer_model(inputs, units, examples=1)
    W = sp.Matrix([[theta[k][i] for k in range(units)] for i in range(inputs)])
    c, v = [theta[k][inputs] for k in range(units)], [theta[k][inputs + 1] for k in range(units)]
    z = [(X[0, :] * W[:, k])[0] + c[k] for k in range(units)]
    out = sum(v[k] * init.logistic(z[k]) for k in range(units)) + d
    formula = CLAIMS["init.grad-w"].value().replace(init.sigma, init.logistic)
    for k in range(units):
        for i in range(inputs):
            expected = formula.xreplace({init.y: out, init.t: targets[0], init.v_k: v[k], init.z_k: z[k],
                                         init.x: X[0, i]})
            assert symbolic_equal(loss.diff(W[i, k]), expected), (k, i)


@pytest.mark.claim("init.grad-w", "numeric")
@given(matrices(1, 3), matrices(3, 4), matrices(1, 4), matrices(1, 4), finite_floats(-3, 3), finite_floats(-3, 3))
def test_incoming_weight_gradient_against_finite_differences(x, W1, c, v, d, t):
    c, v = c[0], v[0]
    z = x[0] @ W1 + c
    y = sigmoid(z) @ v + d
    by_formula = np.outer(x[0], (y - t) * v * sigmoid(z) * (1 - sigmoid(z)))  # column k: unit k
    by_fd = fd_gradient(lambda flat: network_loss(x, np.array([t]), flat.reshape(3, 4), c, v, d), W1.ravel())
    assert_close(by_formula, by_fd.reshape(3, 4), what="dL/dW1")


def usual_start():
    """13 units drawn at the usual scale: W1 with variance 1/3 (fan-in 3), v with variance 1/13."""
    rng = np.random.default_rng(1)
    return rng.normal(size=(3, 13)) / np.sqrt(3), rng.normal(size=13) / np.sqrt(13)


def test_tiny_outgoing_weights_shrink_the_first_layers_gradient_at_the_start():
    """v_k is a factor of the gradient for w_k: scale the outgoing weights down, and it follows."""
    _, X, t = data()
    W1, v = usual_start()
    norm = lambda v: np.linalg.norm(unit_gradients(X, t, W1, np.zeros(13), v, 0.0)[:, :3])
    assert 5e-4 * norm(v) < norm(1e-3 * v) < 2e-3 * norm(v)  # about a thousandth


def test_tiny_outgoing_weights_only_delay_learning():
    """The v_k's own gradients (y - t) h_k are not small: they grow at once, and the first layer catches up."""
    _, X, t = data()
    W1, v = usual_start()
    tiny = 1e-3 * v
    W1_after_one, v_after_one = train_with_output_weights(W1, tiny, X, t, epochs=1)
    assert_close(W1_after_one, init.train_two_layer(W1, np.zeros(13), tiny, 0.0, X, t, epochs=1)[0],
                 rtol=1e-12, atol=1e-15, what="the same loop as the snippet's")
    assert np.linalg.norm(v_after_one) > 100 * np.linalg.norm(tiny)  # more than a hundredfold in one step
    moved_tiny, losses_tiny = init.train_two_layer(W1, np.zeros(13), tiny, 0.0, X, t)
    moved_usual, losses_usual = init.train_two_layer(W1, np.zeros(13), v, 0.0, X, t)
    ratio = np.linalg.norm(moved_tiny - W1) / np.linalg.norm(moved_usual - W1)
    assert 0.8 < ratio < 1.25  # the first layer has moved about as far ...
    assert abs(losses_tiny[-1] / losses_usual[-1] - 1) < 0.2  # ... and the loss is about as low


def train_with_output_weights(W1, v, X, t, epochs, step=0.5):
    """The training loop of the snippet, returning v as well (train_two_layer returns W1 only)."""
    W1, b1, v, d = W1.copy(), np.zeros(W1.shape[1]), v.copy(), 0.0
    for _ in range(epochs):
        H = sigmoid(X @ W1 + b1)
        d_out = (H @ v + d - t) / len(t)
        d_Z = np.outer(d_out, v) * H * (1 - H)
        W1, b1, v, d = W1 - step * X.T @ d_Z, b1 - step * d_Z.sum(axis=0), v - step * H.T @ d_out, d - step * d_out.sum()
    return W1, v


# --- Small: saturation ---------------------------------------------------------------------------


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
    s = lambda z: 1.0 / (1.0 + np.exp(-z))
    assert s(-10) < 1e-4 and s(10) > 1 - 1e-4  # close to 0 on one side, to 1 on the other
    slopes = init.sigmoid_slope(np.array([-10.0, 10.0]))
    assert slopes[0] == pytest.approx(slopes[1]) and slopes[0] < 1e-4


def scale_claim_for(inputs):
    """The claimed E[z_k^2] (the expression whose TeX the page shows) for a given number of inputs."""
    assert CLAIMS["init.scale"].tex() == sp.latex(init.mean_square_of_z())
    value = init.mean_square_of_z().subs(init.n, inputs).doit()
    return value, [init.x_indexed[i] for i in range(1, inputs + 1)]


@pytest.mark.claim("init.scale", "symbolic")
@pytest.mark.parametrize("inputs", [1, 2, 3, 4, 5])
def test_mean_square_of_z_exactly(inputs):
    claimed, xs = scale_claim_for(inputs)
    assert symbolic_equal(init.expected_square_of_z(xs), claimed)
    # The check can fail: weights with a non-zero mean add (mean * sum of x_j)^2.
    assert symbolic_equal(init.expected_square_of_z(xs, mean=1) - claimed, sum(xs) ** 2)


@pytest.mark.claim("init.scale", "numeric")
@given(matrices(1, 4), finite_floats(0.01, 10))
def test_mean_square_of_z_over_sign_patterns(x, s):
    signs = np.array(np.meshgrid(*[[-1.0, 1.0]] * 4)).reshape(4, -1).T  # every w in {-s, s}^4, equally likely
    assert_close(np.mean((s * signs @ x[0]) ** 2), s**2 * np.sum(x[0] ** 2), rtol=1e-12, atol=1e-12, what="E[z^2]")


def test_large_weights_start_saturated_small_ones_do_not():
    """With s = 10 and 3 standard-normal inputs most units start saturated; with s = 1/sqrt(3) none do
    in this draw, and typically none or almost none."""
    _, X, _ = data()
    A = np.random.default_rng(1).normal(size=(3, 13))
    saturated = lambda s, A=A: np.mean(init.sigmoid_slope(X @ (s * A)) < 0.01)
    assert saturated(10.0) > 0.5
    assert saturated(1 / np.sqrt(3)) == 0.0
    # Over 1 000 draws: 92 % have no saturated pair, and none has more than 1 %.
    fractions = np.array([saturated(1 / np.sqrt(3), np.random.default_rng(seed).normal(size=(3, 13)))
                          for seed in range(1000)])
    assert round(float(np.mean(fractions == 0)), 2) == 0.92
    assert fractions.max() < 0.01


def test_large_weights_slow_the_first_layer_not_the_output():
    """s = 10 against s = 1/sqrt(3), same draw: the first layer's gradient and change relative to its
    weights are far smaller, yet the loss falls (the output weights learn)."""
    _, X, t = data()
    A, v = usual_start()
    A = A * np.sqrt(3)  # standard normal: W1 = s A
    relative = {}
    for s in (10.0, 1 / np.sqrt(3)):
        W1 = s * A
        gradient = unit_gradients(X, t, W1, np.zeros(13), v, 0.0)[:, :3]
        moved, losses = init.train_two_layer(W1, np.zeros(13), v, 0.0, X, t)
        relative[s] = (np.linalg.norm(gradient) / np.linalg.norm(W1), np.linalg.norm(moved - W1) / np.linalg.norm(W1),
                       losses)
    (gradient_large, change_large, losses_large), (gradient_usual, change_usual, _) = relative.values()
    assert gradient_large < gradient_usual / 10  # more than ten times smaller, relative to the weights
    assert change_large < 0.2 < 1.0 < change_usual  # less than a fifth of their size, against more than it
    assert losses_large[-1] < losses_large[0] / 2  # the loss still falls by more than half


# --- Random: symmetry ----------------------------------------------------------------------------

GRID = [(inputs, units, examples) for inputs in (1, 2, 3) for units in (2, 3) for examples in (1, 2)]


@pytest.mark.claim("init.swap", "symbolic")
@pytest.mark.parametrize(("inputs", "units", "examples"), GRID)
def test_swapping_two_units_leaves_the_loss_unchanged(inputs, units, examples):
    assert init.swapped_loss_change(inputs, units, examples) == 0
    # The check can fail: swap only the incoming weights, and the loss changes.
    loss, _, _, theta, _ = init.two_layer_model(inputs, units, examples)
    partial = {**dict(zip(theta[0][:inputs], theta[1][:inputs])), **dict(zip(theta[1][:inputs], theta[0][:inputs]))}
    assert loss.xreplace(partial) - loss != 0


@pytest.mark.claim("init.swap", "numeric")
@given(matrices(2, 3), matrices(3, 3), matrices(1, 3), matrices(1, 3), matrices(1, 2))
def test_swapping_two_units_leaves_the_loss_unchanged_numerically(X, W1, c, v, t):
    swap = [1, 0, 2]
    loss = network_loss(X, t[0], W1, c[0], v[0], 0.3)
    assert_close(network_loss(X, t[0], W1[:, swap], c[0][swap], v[0][swap], 0.3), loss, rtol=1e-12, atol=1e-12,
                 what="L(S theta)")


@pytest.mark.claim("init.swap-gradient", "symbolic")
@pytest.mark.parametrize(("inputs", "units", "examples"), GRID)
def test_gradient_at_the_swapped_point(inputs, units, examples):
    gap = init.swapped_gradient_gap(inputs, units, examples)
    # Exactly zero as sympy builds it: a proof for this instance, and a wrong model fails fast
    # (simplify on a non-zero expression of exponentials can run for minutes).
    assert gap == sp.zeros(*gap.shape)
    assert CLAIMS["init.swap-gradient"].tex() == init.swap_gradient_tex(*init.SWAP_GRADIENT)


@pytest.mark.parametrize("right_side", [("", "S"), ("S", "")])
def test_the_swapped_point_needs_both_swaps(right_side):
    """Either S alone is wrong: at a point with unequal units the gap is not zero."""
    gap = init.swapped_gradient_gap(2, right_side=right_side)
    values = point(sorted(gap.free_symbols, key=str))
    assert abs(sp.N(gap.subs(values)).norm()) > 1e-3


@pytest.mark.claim("init.swap-gradient", "numeric")
@given(matrices(2, 3), matrices(3, 3), matrices(1, 3), matrices(1, 3), matrices(1, 2))
def test_gradient_at_the_swapped_point_numerically(X, W1, c, v, t):
    swap = [1, 0, 2]
    at_theta = unit_gradients(X, t[0], W1, c[0], v[0], 0.3)
    at_swapped = unit_gradients(X, t[0], W1[:, swap], c[0][swap], v[0][swap], 0.3)
    assert_close(at_theta, at_swapped[swap], what="S grad L(S theta)")  # rows are units: S swaps rows 0 and 1


@pytest.mark.claim("init.symmetry", "symbolic")
@pytest.mark.parametrize(("inputs", "units", "examples"), GRID)
def test_tied_units_get_tied_gradients(inputs, units, examples):
    assert init.unit_gradient_gap(inputs, units, examples) == sp.zeros(inputs + 2, 1)


def point(theta_free):
    """Rational values for every symbol of the two-unit model, with one input and one example."""
    return {symbol: sp.Rational(k + 2, 7) for k, symbol in enumerate(theta_free)}


@pytest.mark.parametrize("differ", ["bias", "outgoing weight", "incoming weight"])
def test_every_tie_is_needed(differ):
    """Make the units equal in all but one parameter: the gradients then differ."""
    inputs = 2
    position = {"incoming weight": 0, "bias": inputs, "outgoing weight": inputs + 1}[differ]

    def all_but_one(theta):
        tie = {q: p for i, (p, q) in enumerate(zip(theta[0], theta[1])) if i != position}
        return {**tie, theta[0][position]: 0, theta[1][position]: 1}

    gap = init.unit_gradient_gap(inputs, tie=all_but_one)
    values = point(sorted(gap.free_symbols, key=str))
    assert abs(sp.N(gap.subs(values)).norm()) > 1e-3


def test_the_value_the_ledger_checks_measures_the_gap():
    """init.symmetry's value is symmetry_gap(), which is 0 for tied units. It must be the gap's squared
    norm, zero only when every component is: untie the biases and it equals the norm computed here."""
    inputs, bias = 2, 2

    def untie_bias(theta):
        tie = {q: p for i, (p, q) in enumerate(zip(theta[0], theta[1])) if i != bias}
        return {**tie, theta[0][bias]: 0, theta[1][bias]: 1}

    gap = init.unit_gradient_gap(inputs, units=3, examples=2, tie=untie_bias)
    values = point(sorted(gap.free_symbols, key=str))
    expected = np.linalg.norm(np.array(gap.subs(values).evalf(), dtype=float)) ** 2
    assert expected > 1e-6
    assert float(init.symmetry_gap(tie=untie_bias).subs(values)) == pytest.approx(expected, rel=1e-9)


@pytest.mark.claim("init.symmetry", "numeric")
@given(matrices(2, 3), matrices(3, 1), finite_floats(-2, 2), finite_floats(-2, 2), matrices(1, 2), matrices(1, 4))
def test_tied_units_get_tied_gradients_numerically(X, w, c, v, t, other):
    """Units 1 and 2 tied, unit 3 free, two examples: their gradient rows agree; untie c and they do not."""
    W1 = np.column_stack([w, w, other[0, :3]])
    cs, vs = np.array([c, c, other[0, 3]]), np.array([v, v, 0.7])
    rows = unit_gradients(X, t[0], W1, cs, vs, 0.3)
    assert_close(rows[0], rows[1], what="unit 1 vs unit 2")


def test_untied_biases_or_a_dropout_mask_break_the_tie():
    _, X, t = data()
    W1, v = np.full((3, 2), 0.1), np.full(2, 0.1)
    tied = unit_gradients(X, t, W1, np.zeros(2), v, 0.0)
    assert_close(tied[0], tied[1], what="tied")
    biased = unit_gradients(X, t, W1, np.array([0.0, 1.0]), v, 0.0)
    assert np.abs(biased[0] - biased[1]).max() > 1e-3
    dropped = unit_gradients(X, t, W1, np.zeros(2), v, 0.0, mask=np.array([1.0, 0.0]))  # unit 2 dropped
    assert np.abs(dropped[0] - dropped[1]).max() > 1e-3


def test_copies_compute_what_one_unit_computes():
    """m tied units: y = (sum of v_k) sigma(w . x + c) + d, a one-unit network."""
    _, X, t = data()
    rng = np.random.default_rng(2)
    w, v = rng.normal(size=3), rng.normal(size=13)
    copies = sigmoid(X @ np.column_stack([w] * 13) + 0.2) @ v + 0.1
    assert_close(copies, v.sum() * sigmoid(X @ w + 0.2) + 0.1, rtol=1e-12, atol=1e-12, what="one unit")


def data():
    rng = np.random.default_rng(0)
    return rng, rng.normal(size=(50, 3)), rng.normal(size=50)


@pytest.mark.claim("init.symmetry", "numeric")
@pytest.mark.parametrize("hidden", [4, 13])
def test_constant_start_stays_symmetric_random_start_does_not(hidden):
    rng, X, t = data()
    start = np.full((3, hidden), 0.1)
    W1, losses = init.train_two_layer(start, np.zeros(hidden), np.full(hidden, 0.1), 0.0, X, t, epochs=1000)
    assert np.ptp(W1, axis=1).max() < 1e-12  # the columns still agree ...
    assert np.abs(W1 - start).max() > 0.1  # ... though the weights moved
    assert losses[-1] < losses[0]  # it does learn, as one unit
    H = sigmoid(X @ start)
    assert_close(losses[0], 0.5 * np.mean((H @ np.full(hidden, 0.1) - t) ** 2), rtol=1e-12, atol=0, what="loss 0")
    start = rng.normal(scale=0.1, size=(3, hidden))
    W1, _ = init.train_two_layer(start, np.zeros(hidden), rng.normal(scale=0.1, size=hidden), 0.0, X, t)
    assert np.ptp(W1 - start, axis=1).max() > 1.0  # the units' changes differ: they learn different things


def test_a_fixed_asymmetric_start_also_breaks_the_tie():
    """Not randomness but difference is what is needed: a fixed start whose columns differ works too."""
    _, X, t = data()
    start = 0.1 * np.cos(np.arange(12).reshape(3, 4))  # fixed, no random draw: 4 different columns
    W1, losses = init.train_two_layer(start, np.zeros(4), np.full(4, 0.1), 0.0, X, t)
    assert np.ptp(W1 - start, axis=1).max() > 1.0  # the units' changes differ: they learn different things
    _, tied_losses = init.train_two_layer(np.full((3, 4), 0.1), np.zeros(4), np.full(4, 0.1), 0.0, X, t)
    assert losses[-1] < tied_losses[-1]  # and fit better than the tied units, which act as one


def test_floating_point_addition_is_not_associative():
    assert (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3)


def test_a_rounding_size_difference_grows():
    """One weight moved by one unit in the last place: the symmetric state is unstable in this run."""
    _, X, t = data()
    start = np.full((3, 4), 0.1)
    start[0, 0] = np.nextafter(0.1, 1.0)
    initial = np.ptp(start, axis=1).max()
    assert 1e-17 < initial < 2e-17  # about 1e-17
    W1, _ = init.train_two_layer(start, np.zeros(4), np.full(4, 0.1), 0.0, X, t, epochs=5000)
    assert np.ptp(W1, axis=1).max() > 1e6 * initial


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


# --- The original's 'process power' ---------------------------------------------------------------


def test_operation_count_does_not_depend_on_weight_size():
    x = [0.5, -1.0, 2.0]
    counts = {scale: init.count_multiplications([[scale] * 4] * 3, [scale] * 4, x)[0] for scale in (1e-3, 1.0, 1e3)}
    assert len(set(counts.values())) == 1
    assert counts[1.0] == 3 * 4 + 4 + 4 * (4 + 3)  # shapes alone: forward 16, backward 28
    # ... but it does change with the shapes, so the count measures something.
    assert init.count_multiplications([[1.0] * 5] * 3, [1.0] * 5, x)[0] != counts[1.0]


def test_counted_pass_computes_the_network():
    """The counted pass is the real forward and backward pass (output and both gradients by numpy)."""
    rng = np.random.default_rng(3)
    W1, w2, x = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=3)
    _, out, grad_W1, grad_w2 = init.count_multiplications(W1.tolist(), w2.tolist(), x.tolist())
    assert_close(out, sigmoid(x @ W1) @ w2, rtol=1e-12, atol=1e-14, what="output")
    loss = lambda W, v: 0.5 * (sigmoid(x @ W) @ v) ** 2
    assert_close(np.array(grad_W1), fd_gradient(lambda f: loss(f.reshape(3, 4), w2), W1.ravel()).reshape(3, 4),
                 what="dLoss/dW1")
    assert_close(np.array(grad_w2), fd_gradient(lambda f: loss(W1, f), w2), what="dLoss/dw2")


PAGE = ROOT / "docs" / "backprop" / "initialization.md"


def test_every_quotation_is_the_originals_text():
    quotes = prose_quotations(PAGE)
    assert len(quotes) >= 6
    assert not not_in_sheet(quotes)


def test_figure_plots_sigma_and_its_slope():
    axes = init.saturation_figure().axes[0]
    assert len(axes.lines) == 3
    labels = [line.get_label() for line in axes.lines[:2]]
    assert labels[0] == r"$\sigma(z)$" and labels[1].startswith(r"$\sigma'(z)$")  # set as math, not "sigma"
