"""Proofs for docs/backprop/sigmoid-neuron.md (snippets/backprop/sigmoid_neuron.py)."""

from __future__ import annotations

import functools
import inspect
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from snippets.backprop import sigmoid_neuron as sn
from tests.original import not_in_sheet, prose_quotations, quoted_formulas, sheet_section
from tests.site_build import ROOT
from tests.strategies import finite_floats, matrices
from verified_docs import verify
from verified_docs.displayed import parse_side
from verified_docs.verify import assert_close, fd_gradient

CLAIM = {c.id: c for c in sn.CLAIMS}
HALF = sp.Rational(1, 2)


def model(n):
    """Explicit symbols for one example of size n, and the loss built from them."""
    w = sp.Matrix(sp.symbols(f"w1:{n + 1}", real=True))
    x = sp.Matrix(sp.symbols(f"x1:{n + 1}", real=True))
    b, t, lam = sp.symbols("b t lambda", real=True)
    z = (w.T * x)[0] + b
    y = sn.logistic(z)
    loss = sp.Rational(1, 2) * (y - t) ** 2
    reg = sp.Rational(1, 2) * (w.T * w)[0]
    return w, x, b, t, lam, z, y, loss, reg


def on_page(claim_id, **values):
    """The displayed value with sigma read as the logistic function and scalars substituted."""
    expr = CLAIM[claim_id].value().replace(sn.sigma, sn.logistic)
    return expr.subs({getattr(sn, k): v for k, v in values.items()}, simultaneous=True)


def generated_relation(claim_id, relation=r"\le"):
    """The right-hand side of a generated inline relation such as '\\le \\frac{1}{4}', as TeX."""
    tex = CLAIM[claim_id].tex()
    assert tex.startswith(relation + " "), tex
    return tex[len(relation):].strip()


@functools.cache
def read_back(claim_id, names=()):
    """That right-hand side as sympy reads it from the page's TeX (symbols named in names)."""
    symbols = {name: sp.Symbol(name, real=True) for name in names}
    return sp.simplify(parse_side(generated_relation(claim_id), symbols))


# --- the sigmoid's derivative and its bound --------------------------------------------------

@pytest.mark.claim("neuron.dsigma", "symbolic")
@pytest.mark.claim("neuron.dsigma-bound", "symbolic")
@pytest.mark.claim("neuron.dsigma-max", "symbolic")
@pytest.mark.claim("neuron.sigma-zero", "symbolic")
@pytest.mark.claim("neuron.dsigma-zero", "symbolic")
def test_sigmoid_derivative_and_its_bound():
    z = sn.z
    s = sn.logistic(z)
    assert sp.simplify(s.diff(z) - on_page("neuron.dsigma")) == 0
    assert sp.simplify(on_page("neuron.dsigma-bound") - on_page("neuron.dsigma")) == 0
    # The bound shown, read back from the page's TeX: bound - sigma' is the square
    # (sigma - 1/2)^2 of a real number, so never negative, and zero at z = 0: no smaller
    # number is a bound either.
    bound = read_back("neuron.dsigma-max")
    assert sp.simplify(bound - s.diff(z) - (s - HALF) ** 2) == 0
    assert (bound - s.diff(z)).subs(z, 0) == 0
    # sigma(0) = 1/2, and 0 is the only real z with sigma(z) = 1/2; there sigma' = 1/4.
    assert s.subs(z, 0) == CLAIM["neuron.sigma-zero"].value()
    assert sp.solveset(sp.Eq(s, HALF), z, domain=sp.S.Reals) == sp.FiniteSet(0)
    assert s.diff(z).subs(z, 0) == CLAIM["neuron.dsigma-zero"].value() == bound


def with_e(claim_id):
    """A claim written with e^{-z} on the page, with Euler's number put in for the symbol e."""
    return CLAIM[claim_id].value().subs(sn.e, sp.E)


@pytest.mark.claim("neuron.dsigma-exp", "symbolic")
@pytest.mark.claim("neuron.one-minus-sigma", "symbolic")
def test_sigmoid_derivative_in_exponentials():
    """The chain rule on 1 / (1 + e^-z), the product split, and 1 - sigma in exponentials;
    sigma and 1 - sigma lie strictly between 0 and 1 because e^-z is positive."""
    z = sn.z
    s = sn.logistic(z)
    assert sp.simplify(s.diff(z) - with_e("neuron.dsigma-exp")) == 0
    assert sp.simplify(s * (sp.exp(-z) / (1 + sp.exp(-z))) - with_e("neuron.dsigma-exp")) == 0
    assert sp.simplify(1 - s - with_e("neuron.one-minus-sigma")) == 0
    assert sp.simplify(s * with_e("neuron.one-minus-sigma") - s.diff(z)) == 0  # sigma' = sigma (1 - sigma)
    assert sp.exp(-z).is_positive
    for inside in (s, 1 - s):
        assert sp.solveset(inside <= 0, z, sp.S.Reals) == sp.S.EmptySet
        assert sp.solveset(inside >= 1, z, sp.S.Reals) == sp.S.EmptySet


@pytest.mark.claim("neuron.dsigma-exp", "numeric")
@pytest.mark.claim("neuron.one-minus-sigma", "numeric")
@given(finite_floats(-30, 30))
def test_sigmoid_derivative_in_exponentials_numerically(z):
    fd = fd_gradient(lambda v: sn.sigmoid(v[0]), np.array([z]))[0]
    assert_close(fd, float(with_e("neuron.dsigma-exp").subs(sn.z, z)), what="e^-z / (1 + e^-z)^2")
    assert_close(1 - sn.sigmoid(z), float(with_e("neuron.one-minus-sigma").subs(sn.z, z)), rtol=1e-9, atol=1e-15)
    assert 0 < sn.sigmoid(z) < 1


@pytest.mark.claim("neuron.dsigma", "numeric")
@pytest.mark.claim("neuron.dsigma-bound", "numeric")
@pytest.mark.claim("neuron.dsigma-max", "numeric")
@given(finite_floats(-30, 30))
def test_sigmoid_derivative_numerically(z):
    s = sn.sigmoid(z)
    bound = float(read_back("neuron.dsigma-max"))
    fd = fd_gradient(lambda v: sn.sigmoid(v[0]), np.array([z]))[0]
    assert_close(fd, s * (1 - s), what="sigma'")
    assert s * (1 - s) <= bound
    assert_close(s * (1 - s), 0.25 - (s - 0.5) ** 2, rtol=1e-12, atol=1e-15)


@pytest.mark.claim("neuron.sigma-zero", "numeric")
@pytest.mark.claim("neuron.dsigma-zero", "numeric")
@given(finite_floats(-30, 30).filter(lambda z: abs(z) > 1e-6))
def test_the_bound_is_reached_at_zero_only(z):
    assert sn.sigmoid(0.0) == float(CLAIM["neuron.sigma-zero"].value())
    assert sn.sigmoid(0.0) * (1 - sn.sigmoid(0.0)) == float(CLAIM["neuron.dsigma-zero"].value())
    s = sn.sigmoid(z)
    assert s != 0.5 and s * (1 - s) < 0.25
    assert (s > 0.5) == (z > 0)  # increasing through 1/2 at 0


# --- the gradient of one example ---------------------------------------------------------------

@pytest.mark.claim("neuron.dloss-dy", "symbolic")
@pytest.mark.claim("neuron.dz-dw", "symbolic")
@pytest.mark.claim("neuron.dz-db", "symbolic")
@pytest.mark.claim("neuron.dreg-dw", "symbolic")
@pytest.mark.claim("neuron.dreg-db", "symbolic")
@pytest.mark.claim("neuron.grad-w", "symbolic")
@pytest.mark.claim("neuron.grad-b", "symbolic")
@pytest.mark.parametrize("n", range(1, 5))
def test_gradient_by_sympy_for_n_1_to_4(n):
    w, x, b, t, lam, z, y, loss, reg = model(n)
    Y = sp.Symbol("Y", real=True)
    assert sp.diff(sp.Rational(1, 2) * (Y - t) ** 2, Y) == on_page("neuron.dloss-dy", y=Y, t=t)
    assert z.diff(b) == on_page("neuron.dz-db")
    for j in range(n):
        assert z.diff(w[j]) == on_page("neuron.dz-dw", x=x[j])
        assert reg.diff(w[j]) == on_page("neuron.dreg-dw", w=w[j])
        total = (loss + lam * reg).diff(w[j])
        shown = on_page("neuron.grad-w", y=y, t=t, z=z, x=x[j], w=w[j], lam=lam)
        assert sp.simplify(total - shown) == 0
    assert reg.diff(b) == on_page("neuron.dreg-db")
    assert sp.simplify((loss + lam * reg).diff(b) - on_page("neuron.grad-b", y=y, t=t, z=z)) == 0


def examples(n_max=5):
    return st.integers(1, n_max).flatmap(lambda n: st.tuples(
        matrices(n, 1, -3, 3).map(np.ravel), finite_floats(-2, 2), matrices(n, 1, -3, 3).map(np.ravel),
        finite_floats(-1, 2), finite_floats(0, 1)))


@pytest.mark.claim("neuron.grad-w", "numeric")
@pytest.mark.claim("neuron.grad-b", "numeric")
@pytest.mark.claim("neuron.dreg-dw", "numeric")
@pytest.mark.claim("neuron.dreg-db", "numeric")
@pytest.mark.claim("neuron.dloss-dy", "numeric")
@pytest.mark.claim("neuron.dz-dw", "numeric")
@pytest.mark.claim("neuron.dz-db", "numeric")
@given(examples())
def test_single_example_against_finite_differences(example):
    w, b, x, t, lam = example
    loss, dw, db = sn.loss_and_gradients(w, b, x, t, lam)
    params = np.append(w, b)  # the bias is differenced like every weight
    fd = fd_gradient(lambda p: sn.loss_and_gradients(p[:-1], p[-1], x, t, lam)[0], params)
    assert_close(dw, fd[:-1], what="dL_reg/dw")
    assert_close(db, fd[-1], what="dL_reg/db")
    # The chain's factors, each by finite differences of its own function.
    z = w @ x + b
    y = sn.sigmoid(z)
    assert_close(fd_gradient(lambda v: 0.5 * (v[0] - t) ** 2, np.array([y]))[0], y - t, what="dL/dy")
    assert_close(fd_gradient(lambda v: v @ x + b, w), x, what="dz/dw")
    assert_close(fd_gradient(lambda v: w @ x + v[0], np.array([b]))[0], 1.0, what="dz/db")
    assert_close(fd_gradient(lambda v: 0.5 * v @ v, w), w, what="dR/dw")
    assert_close(fd_gradient(lambda v: 0.5 * w @ w, np.array([b]))[0], 0.0, what="dR/db")


# --- the original's formulas ------------------------------------------------------------------

PAGE = ROOT / "docs" / "backprop" / "sigmoid-neuron.md"


def original_section():
    return sheet_section("### 3.1", "### 3.2")


def original_lines():
    """(left, right) of each line of the original's two aligned blocks in 3.1, as written."""
    lines = []
    for block in re.findall(r"\\begin\{aligned\}(.*?)\\end\{aligned\}", original_section(), re.S):
        for line in block.split(r"\\"):
            left, right = line.split("&=")
            lines.append((left.strip(), right.strip()))
    return lines


def test_the_originals_formulas_are_the_pages():
    """Each of the original's results, read by sympy's LaTeX parser, is the page's; and for n = 1
    it is the derivative sympy computes from the model. The box's two slips are the original's."""
    page = {  # the original's left side -> the page's value of that derivative (sigma undefined)
        r"\frac{\partial R}{\partial w}": CLAIM["neuron.dreg-dw"].value(),
        r"\frac{\partial R}{\partial b}": CLAIM["neuron.dreg-db"].value(),
        r"\frac{\partial y}{\partial w}": CLAIM["neuron.dsigma"].value() * CLAIM["neuron.dz-dw"].value(),
        r"\frac{\partial L}{\partial w}": CLAIM["neuron.grad-w"].value() - sn.lam * sn.w,
        r"\frac{\partial L}{\partial b}": CLAIM["neuron.grad-b"].value(),
        r"\frac{\mathcal{L}_{reg}}{\partial b}": CLAIM["neuron.grad-b"].value(),
        r"\frac{\mathcal{L}_{reg}}{\partial w}": CLAIM["neuron.grad-w"].value(),
    }
    w, x, b, t, lam, z, y, loss, reg = model(1)
    truth = {  # the same derivatives for n = 1, from the model
        r"\frac{\partial R}{\partial w}": reg.diff(w[0]),
        r"\frac{\partial R}{\partial b}": reg.diff(b),
        r"\frac{\partial y}{\partial w}": y.diff(w[0]),
        r"\frac{\partial L}{\partial w}": loss.diff(w[0]),
        r"\frac{\partial L}{\partial b}": loss.diff(b),
        r"\frac{\mathcal{L}_{reg}}{\partial b}": (loss + lam * reg).diff(b),
        r"\frac{\mathcal{L}_{reg}}{\partial w}": (loss + lam * reg).diff(w[0]),
    }
    names = {"y": sn.y, "t": sn.t, "x": sn.x, "w": sn.w, "z": sn.z, "lambda": sn.lam}
    at_n_1 = {sn.y: y, sn.t: t, sn.x: x[0], sn.w: w[0], sn.z: z, sn.lam: lam}
    lines = original_lines()
    first_left, first_right = lines[0]
    assert first_left == r"\frac{\partial \mathcal{L}_{reg}}{\partial w}"
    assert set(page) == {left for left, _ in lines[1:]}
    for left, right in lines[1:]:
        read = parse_side(right, names)
        assert sp.expand(read - page[left]) == 0, (left, right)
        shown = read.replace(sn.sigma, sn.logistic).subs(at_n_1, simultaneous=True)
        assert sp.simplify(shown - truth[left]) == 0, (left, right)
    # The first line, with calligraphic L read as the page's L and the page's derivatives put in,
    # is the page's gradient; sympy agrees for n = 1.
    assert first_right == r"\frac{\partial \mathcal{L}}{\partial w} + \lambda \frac{\partial R}{\partial w}"
    assert sp.expand(page[r"\frac{\partial L}{\partial w}"] + sn.lam * page[r"\frac{\partial R}{\partial w}"]
                     - CLAIM["neuron.grad-w"].value()) == 0
    assert sp.expand((loss + lam * reg).diff(w[0]) - loss.diff(w[0]) - lam * reg.diff(w[0])) == 0
    # The slips: two names for one loss, and the final results without a partial in the numerator.
    section = original_section()
    assert r"\mathcal{L}}{\partial w}" in section and r"\partial L}{\partial w}" in section
    finals = [left for left, _ in lines if "reg" in left][1:]
    assert finals == [r"\frac{\mathcal{L}_{reg}}{\partial b}", r"\frac{\mathcal{L}_{reg}}{\partial w}"]


def test_the_original_uses_the_model_without_defining_it():
    """The box: the original's 3.1 uses z, sigma, y, t, w, b, x, calligraphic L and L, R and lambda,
    and defines none of them: every formula it writes has a derivative on its left."""
    section = original_section()
    for symbol in ("z", r"\sigma", "y", "t", "w", "b", "x", r"\mathcal{L}", "L", "R", r"\lambda"):
        assert re.search(re.escape(symbol) + r"(?![A-Za-z])", section), symbol
    lines = original_lines()
    assert len(lines) == 8 and all(left.startswith(r"\frac{") and r"\partial" in left for left, _ in lines)
    outside = re.sub(r"\$\$.*?\$\$", "", section, flags=re.S)
    assert "=" not in outside  # no definition in the prose either


def test_every_quotation_is_the_originals_text():
    """Formulas marked \\quoted are the sheet's (its aligned blocks' & aside), and so is the prose."""
    formulas = quoted_formulas(PAGE)
    assert len(formulas) >= 6
    assert not not_in_sheet(formulas, drop="&")
    assert not not_in_sheet(prose_quotations(PAGE), drop="&")


# --- a chain of sigmoid units ---------------------------------------------------------------

def chain_symbols(depth):
    a0 = sp.Symbol("a_0", real=True)
    ws = sp.symbols(f"w1:{depth + 1}", real=True)
    bs = sp.symbols(f"b1:{depth + 1}", real=True)
    return a0, ws, bs


def page_chain(depth, zs, ws, derivative):
    """The page's product for this depth, with w_k and sigma'(z_k) put in."""
    product = sn.CHAIN.subs(sn.D, depth).doit()
    values = {sn.w_k[i + 1]: ws[i] for i in range(depth)}
    values.update({sn.sigma_prime(sn.z_k[i + 1]): derivative(zs[i]) for i in range(depth)})
    return product.xreplace(values)


@pytest.mark.claim("neuron.chain", "symbolic")
@pytest.mark.parametrize("depth", range(1, 5))
def test_chain_rule_through_a_chain_of_units(depth):
    """For any differentiable sigma: sympy's derivative of the nested chain is the page's product."""
    a0, ws, bs = chain_symbols(depth)
    sigma = sp.Function("sigma")
    u = sp.Symbol("u", real=True)
    a, zs = a0, []
    for w, b in zip(ws, bs):
        zs.append(w * a + b)
        a = sigma(zs[-1])
    shown = page_chain(depth, zs, ws, lambda arg: sp.Derivative(sigma(u), u).subs(u, arg))
    assert sp.simplify((a.diff(a0) - shown).doit()) == 0


@pytest.mark.claim("neuron.chain-bound", "symbolic")
@pytest.mark.parametrize("depth", range(1, 5))
def test_chain_bound_is_the_product_of_the_factor_bounds_and_is_reached(depth):
    """The bound is |product| with every sigma'(z_k) at its maximum 1/4 (each factor's size is
    |w_k| sigma'(z_k), sigma' being positive); with every z_k = 0 the product reaches it."""
    _, ws, _ = chain_symbols(depth)
    bound = sn.CHAIN_BOUND.subs(sn.D, depth).doit().xreplace({sn.w_k[i + 1]: ws[i] for i in range(depth)})
    s_max = read_back("neuron.dsigma-max")
    sizes = sp.prod(sp.Abs(w) for w in ws) * s_max**depth
    assert sp.expand(bound - sizes) == 0
    zero = sp.Integer(0)
    at_zero = page_chain(depth, [zero] * depth, ws, lambda arg: sn.logistic(sn.z).diff(sn.z).subs(sn.z, arg))
    assert sp.simplify(sp.Abs(at_zero) - bound) == 0


@pytest.mark.claim("neuron.chain-large", "symbolic")
def test_a_large_weight_at_zero_doubles_the_gradient():
    s = sn.logistic(sn.z)
    assert 8 * s.diff(sn.z).subs(sn.z, 0) == CLAIM["neuron.chain-large"].value()


@pytest.mark.claim("neuron.large-window", "symbolic")
@pytest.mark.claim("neuron.large-at-2", "symbolic")
@pytest.mark.claim("neuron.large-at-4", "symbolic")
def test_a_large_weight_helps_only_near_zero():
    """8 sigma'(z) = 1 exactly at z = +-2 ln(1 + sqrt 2); it is 2 at 0 and, sigma' being even and
    decreasing in |z|, above 1 only between those points: at 2 and at 4 it is below 1."""
    z = sn.z
    factor = sn.LARGE_WEIGHT * sn.logistic_prime(z)
    star = CLAIM["neuron.large-window"].value()
    crossings = sp.solveset(sp.Eq(factor, 1), z, sp.S.Reals)
    exp_star = sp.expand(sp.exp(star))  # (1 + sqrt 2)^2 = 3 + 2 sqrt 2
    assert {sp.radsimp(sp.exp(c)) for c in crossings} == {exp_star, sp.radsimp(1 / exp_star)}  # z = +-star
    assert factor.subs(z, 0) == 2 and sp.simplify(factor.subs(z, -z) - factor) == 0  # even, 2 at 0
    assert sp.solveset(factor.diff(z) >= 0, z, sp.Interval.open(0, sp.oo)) == sp.S.EmptySet  # decreasing
    for claim_id, at in (("neuron.large-at-2", 2), ("neuron.large-at-4", 4)):
        value = CLAIM[claim_id].value()
        assert sp.simplify(value - factor.subs(z, at)) == 0 and value < 1 and at > star
    assert CLAIM["neuron.large-at-4"].value() < CLAIM["neuron.large-at-2"].value()


@pytest.mark.claim("neuron.large-window", "numeric")
@pytest.mark.claim("neuron.large-at-2", "numeric")
@pytest.mark.claim("neuron.large-at-4", "numeric")
@given(finite_floats(-10, 10).filter(lambda z: abs(abs(z) - 1.7627) > 1e-3))
def test_a_large_weight_helps_only_near_zero_numerically(z):
    """The page's chain code, one unit with w = 8 and input 0, so that z is the bias."""
    _, factor = sn.chain_gradient([8.0], [z], 0.0)
    assert (factor > 1) == (abs(z) < float(CLAIM["neuron.large-window"].value()))
    for claim_id, at in (("neuron.large-at-2", 2.0), ("neuron.large-at-4", 4.0)):
        fd = fd_gradient(lambda v, at=at: sn.chain_gradient([8.0], [at], v[0])[0], np.array([0.0]))[0]
        assert_close(fd, float(CLAIM[claim_id].value()), what=claim_id)


def test_a_large_weight_saturates_the_unit_unless_the_bias_cancels():
    """With the bias fixed and an input a != 0, the factor w sigma'(w a + b) tends to 0 as |w| grows."""
    w = sp.Symbol("w", positive=True)
    for a, b in ((HALF, 0), (sp.Rational(1, 10), -3), (-HALF, 2)):
        for sign in (1, -1):
            assert sp.limit(sign * w * sn.logistic_prime(sign * w * a + b), w, sp.oo) == 0
    factors = [sn.chain_gradient([weight], [0.0], 0.5)[1] for weight in (8.0, 16.0, 32.0, 64.0)]
    assert all(later < earlier for earlier, later in zip(factors, factors[1:])) and factors[-1] < 1e-10
    assert sn.chain_gradient([8.0], [-4.0], 0.5)[1] == 2.0  # a bias that cancels w a keeps z = 0


def chains(max_depth=5, weight=6.0):
    return st.integers(1, max_depth).flatmap(lambda depth: st.tuples(
        st.lists(finite_floats(-weight, weight), min_size=depth, max_size=depth),
        st.lists(finite_floats(-3, 3), min_size=depth, max_size=depth),
        finite_floats(-2, 2)))


def chain_bound(weights):
    depth = len(weights)
    values = {sn.w_k[i + 1]: weights[i] for i in range(depth)}
    return float(sn.CHAIN_BOUND.subs(sn.D, depth).doit().xreplace(values))


@pytest.mark.claim("neuron.chain", "numeric")
@pytest.mark.claim("neuron.chain-bound", "numeric")
@given(chains())
def test_chain_gradient_against_finite_differences_and_the_bound(case):
    weights, biases, a0 = case
    _, derivative = sn.chain_gradient(weights, biases, a0)
    fd = fd_gradient(lambda v: sn.chain_gradient(weights, biases, v[0])[0], np.array([a0]))[0]
    assert_close(derivative, fd, what="d a_D / d a_0")
    assert abs(derivative) <= chain_bound(weights) * (1 + 1e-12)
    if all(abs(w) <= 1 for w in weights):
        assert abs(derivative) <= 0.25 ** len(weights) * (1 + 1e-12)  # at least fourfold per unit


@pytest.mark.claim("neuron.chain-bound", "numeric")
@pytest.mark.claim("neuron.chain-large", "numeric")
@given(chains(weight=10.0))
def test_chain_bound_is_reached_where_every_z_is_zero(case):
    weights, _, a0 = case
    biases, a = [], a0
    for w in weights:  # choose b_k so that z_k = w_k a_{k-1} + b_k = 0, hence a_k = 1/2
        biases.append(-w * a)
        a = 0.5
    _, derivative = sn.chain_gradient(weights, biases, a0)
    # Relative agreement, down to the smallest normal float: a product of tiny weights (hypothesis
    # found 6.0 * 2.9e-117 * 5.0e-203 * 2.0 / 4**4) is subnormal, with fewer significant bits.
    assert_close(abs(derivative), chain_bound(weights), rtol=1e-9, atol=np.finfo(float).tiny, what="bound reached")
    # A unit with w = 8 at z = 0: the factor shown on the page, by finite differences too.
    assert sn.chain_gradient([8.0], [0.0], 0.0)[1] == float(CLAIM["neuron.chain-large"].value())
    fd = fd_gradient(lambda v: sn.chain_gradient([8.0], [0.0], v[0])[0], np.array([0.0]))[0]
    assert_close(fd, float(CLAIM["neuron.chain-large"].value()), what="factor of a unit with w = 8")


# --- the batch ----------------------------------------------------------------------------------

@pytest.mark.claim("neuron.batch", "numeric")
@pytest.mark.claim("neuron.batch-b", "numeric")
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    matrices(6, n, -3, 3), matrices(n, 1, -2, 2).map(np.ravel), finite_floats(-1, 1),
    st.lists(finite_floats(0, 1), min_size=6, max_size=6).map(np.array), finite_floats(0, 1))))
def test_batch_against_finite_differences_and_single_examples(case):
    X, w, b, t, lam = case
    loss, dw, db = sn.batch_loss_and_gradients(w, b, X, t, lam)
    fd = fd_gradient(lambda p: sn.batch_loss_and_gradients(p[:-1], p[-1], X, t, lam)[0], np.append(w, b))
    assert_close(dw, fd[:-1], what="batch dw")
    assert_close(db, fd[-1], what="batch db")
    # The mean of the per-example data gradients (the sum form), plus the regulariser once.
    singles = [sn.loss_and_gradients(w, b, X[k], t[k], 0.0) for k in range(len(t))]
    assert_close(dw, np.mean([s[1] for s in singles], axis=0) + lam * w, rtol=1e-12, atol=1e-14)
    assert_close(db, np.mean([s[2] for s in singles]), rtol=1e-12, atol=1e-14)


@pytest.mark.claim("neuron.batch", "symbolic")
@pytest.mark.claim("neuron.batch-b", "symbolic")
@pytest.mark.parametrize("n", [1, 2, 3])
def test_batch_formula_symbolically(n):
    N = 3
    X = sp.Matrix(N, n, lambda i, j: sp.Symbol(f"x{i}{j}", real=True))
    w = sp.Matrix(sp.symbols(f"w1:{n + 1}", real=True))
    t = sp.symbols(f"t1:{N + 1}", real=True)
    b, lam = sp.symbols("b lambda", real=True)
    zs = X * w + sp.Matrix([b] * N)
    ys = zs.applyfunc(sn.logistic)
    loss = sum(sp.Rational(1, 2) * (ys[k] - t[k]) ** 2 for k in range(N)) / N + lam * (w.T * w)[0] / 2
    delta = sp.Matrix([(ys[k] - t[k]) * ys[k] * (1 - ys[k]) for k in range(N)])
    reg = sp.Matrix(sn.BATCH_REG.subs(sn.n, n).xreplace({sn.Wv.subs(sn.n, n): sp.ImmutableMatrix(w)}).doit())
    matrix = sp.Matrix(sn.BATCH_MATRIX.subs({sn.N: N, sn.n: n}).xreplace({
        sn.Xm.subs({sn.N: N, sn.n: n}): sp.ImmutableMatrix(X),
        sn.DELTA.subs({sn.N: N}): sp.ImmutableMatrix(delta),
    }).doit()) + reg
    summed = sn.BATCH_SUM.subs(sn.N, N).doit()
    deltas = {sn.delta_i[i + 1]: delta[i] for i in range(N)}
    for j in range(n):
        by_sympy = loss.diff(w[j])
        assert sp.simplify(by_sympy - matrix[j]) == 0
        rows = {sn.x_i[i + 1]: X[i, j] for i in range(N)}  # entry j of x_i is X_ij
        assert sp.simplify(by_sympy - summed.xreplace({**deltas, **rows}) - reg[j]) == 0
    assert sp.simplify(loss.diff(b) - sn.BATCH_B.subs(sn.N, N).doit().xreplace(deltas)) == 0


# --- finite differences: the step, epsilon and the tolerance -------------------------------------

@pytest.mark.claim("neuron.fd-balance", "symbolic")
@pytest.mark.claim("neuron.fd-step", "symbolic")
@pytest.mark.claim("neuron.eps", "symbolic")
def test_step_balances_truncation_and_rounding():
    h = sp.Symbol("h", positive=True)
    eps = sn.epsilon
    assert sp.solve(sp.Eq(h**2, eps / h), h) == [CLAIM["neuron.fd-balance"].value()]
    step = CLAIM["neuron.fd-step"].value().replace(sn.max_, sp.Max)
    for p in (sp.Rational(-1), sp.Rational(1, 3), sp.Integer(0), sp.Integer(1)):  # |p| <= 1: the balanced step
        assert step.subs(sn.p_j, p) == CLAIM["neuron.fd-balance"].value()
    assert step.subs(sn.p_j, -5) == 5 * CLAIM["neuron.fd-balance"].value()  # proportional beyond 1
    assert sp.Rational(verify.EPS) == CLAIM["neuron.eps"].value()  # the float, exactly


@pytest.mark.claim("neuron.fd-balance", "numeric")
@pytest.mark.claim("neuron.fd-step", "numeric")
@pytest.mark.claim("neuron.eps", "numeric")
@given(finite_floats(-1e3, 1e3))
def test_fd_step_is_the_pages(p):
    eps = float(CLAIM["neuron.eps"].value())
    assert eps == np.finfo(np.float64).eps == np.nextafter(1.0, 2.0) - 1.0 == verify.EPS
    h = float(CLAIM["neuron.fd-balance"].value().subs(sn.epsilon, sp.Rational(eps)))
    assert_close(h**2, eps / h, rtol=1e-12, atol=0, what="h^2 vs eps/h")
    form = sp.lambdify([sn.epsilon, sn.p_j], CLAIM["neuron.fd-step"].value().replace(sn.max_, sp.Max), "numpy")
    assert_close(verify.fd_step(np.array([p]))[0], form(eps, p), rtol=1e-14, atol=0, what="fd_step")


@pytest.mark.claim("neuron.fd-tolerance", "symbolic")
def test_tolerance_shown_is_assert_closes_default():
    d = sp.Symbol("d", real=True)
    shown = read_back("neuron.fd-tolerance", ("d",))
    defaults = inspect.signature(assert_close).parameters
    atol, rtol = defaults["atol"].default, defaults["rtol"].default
    assert sp.expand(shown - (sp.nsimplify(atol) + sp.nsimplify(rtol) * sp.Abs(d))) == 0


TOLERANCE_SHOWN = sp.lambdify(sp.Symbol("d", real=True), read_back("neuron.fd-tolerance", ("d",)))


@pytest.mark.claim("neuron.fd-tolerance", "numeric")
@given(finite_floats(-10, 10))
def test_tolerance_accepts_inside_and_refuses_outside(d):
    tol = TOLERANCE_SHOWN(abs(d))
    assert_close(d + 0.99 * tol, d)
    assert_close(d - 0.99 * tol, d)
    with pytest.raises(AssertionError):
        assert_close(d + 1.01 * tol, d)
    with pytest.raises(AssertionError):
        assert_close(d - 1.01 * tol, d)


def test_generated_relations_are_what_the_page_shows():
    assert CLAIM["neuron.dsigma-max"].tex() == r"\le \frac{1}{4}"
    assert CLAIM["neuron.chain-bound"].tex() == r"\le 4^{- D} \prod_{k=1}^{D} \left|{{w}_{k}}\right|"
    assert CLAIM["neuron.fd-tolerance"].tex() == r"\le 10^{-7} + 10^{-7}\, |d|"


def test_generated_relations_refuse_what_is_false(monkeypatch):
    monkeypatch.setattr(sn, "FD_ATOL", 3e-7)
    with pytest.raises(ValueError, match="power of ten"):
        CLAIM["neuron.fd-tolerance"].tex()
    monkeypatch.setattr(sn, "SIGMA_PRIME_MAX", sp.Rational(1, 5))
    with pytest.raises(ValueError, match="square"):
        CLAIM["neuron.dsigma-max"].tex()


def test_a_wrong_gradient_fails_the_comparison():
    """The tolerance lets the right gradient through and stops the usual slips (the example of loss_and_gradients's doctest)."""
    w, b, x, t, lam = np.array([0.5, -1.0]), 0.1, np.array([1.0, 2.0]), 1.0, 0.01
    fd = fd_gradient(lambda p: sn.loss_and_gradients(p[:-1], p[-1], x, t, lam)[0], np.append(w, b))
    _, dw, db = sn.loss_and_gradients(w, b, x, t, lam)
    assert_close(np.append(dw, db), fd)
    y = sn.sigmoid(w @ x + b)
    without_sigma_prime = np.append((y - t) * x + lam * w, y - t)
    without_regulariser = np.append(dw - lam * w, db)
    for wrong in (without_sigma_prime, without_regulariser):
        with pytest.raises(AssertionError):
            assert_close(wrong, fd)


# --- gradient descent ------------------------------------------------------------------------------

def test_descent_decreases_the_loss_and_would_notice_a_sign_error():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 3))
    t = (X @ np.array([1.5, -2.0, 0.5]) > 0).astype(float)
    losses = sn.gradient_descent(X, t, step=0.5, epochs=200)
    assert len(losses) == 201  # before the first update and after each of the 200
    assert np.all(np.diff(losses) < 0)
    # The first value is the loss at the starting point, before any update.
    w0 = np.random.default_rng(0).normal(scale=0.01, size=3)
    assert losses[0] == sn.batch_loss_and_gradients(w0, 0.0, X, t, 0.01)[0]
    # Ascent (a negative step) must make it rise: the monotonicity check can fail.
    assert np.any(np.diff(sn.gradient_descent(X, t, step=-0.5)) > 0)
