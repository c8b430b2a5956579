"""Proofs for docs/backprop/sigmoid-neuron.md (snippets/backprop/sigmoid_neuron.py)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from snippets.backprop import sigmoid_neuron as sn
from snippets.verify import assert_close, fd_gradient
from tests.displayed_form import parse_side
from tests.strategies import finite_floats, matrices

CLAIM = {c.id: c for c in sn.CLAIMS}


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


@pytest.mark.claim("neuron.dsigma", "symbolic")
@pytest.mark.claim("neuron.dsigma-bound", "symbolic")
def test_sigmoid_derivative():
    z = sn.z
    s = sn.logistic(z)
    assert sp.simplify(s.diff(z) - on_page("neuron.dsigma")) == 0
    assert sp.simplify(on_page("neuron.dsigma-bound") - on_page("neuron.dsigma")) == 0
    # The bound: 1/4 - (sigma - 1/2)^2 <= 1/4, with equality iff sigma(z) = 1/2 iff z = 0.
    assert sp.solve(sp.Eq(s, sp.Rational(1, 2)), z) == [0]
    assert s.diff(z).subs(z, 0) == sp.Rational(1, 4)


@pytest.mark.claim("neuron.dsigma", "numeric")
@pytest.mark.claim("neuron.dsigma-bound", "numeric")
@given(finite_floats(-30, 30))
def test_sigmoid_derivative_numerically(z):
    s = sn.sigmoid(z)
    fd = fd_gradient(lambda v: sn.sigmoid(v[0]), np.array([z]))[0]
    assert_close(fd, s * (1 - s), what="sigma'")
    assert s * (1 - s) <= 0.25
    assert_close(s * (1 - s), 0.25 - (s - 0.5) ** 2, rtol=1e-12, atol=1e-15)


@pytest.mark.claim("neuron.dloss-dy", "symbolic")
@pytest.mark.claim("neuron.dz-dw", "symbolic")
@pytest.mark.claim("neuron.dreg-dw", "symbolic")
@pytest.mark.claim("neuron.dreg-db", "symbolic")
@pytest.mark.claim("neuron.grad-w", "symbolic")
@pytest.mark.claim("neuron.grad-b", "symbolic")
@pytest.mark.parametrize("n", range(1, 5))
def test_gradient_by_sympy_for_n_1_to_4(n):
    w, x, b, t, lam, z, y, loss, reg = model(n)
    Y = sp.Symbol("Y", real=True)
    assert sp.diff(sp.Rational(1, 2) * (Y - t) ** 2, Y) == on_page("neuron.dloss-dy", y=Y, t=t)
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
        finite_floats(0, 1), finite_floats(0, 1)))


@pytest.mark.claim("neuron.grad-w", "numeric")
@pytest.mark.claim("neuron.grad-b", "numeric")
@pytest.mark.claim("neuron.dreg-dw", "numeric")
@pytest.mark.claim("neuron.dreg-db", "numeric")
@pytest.mark.claim("neuron.dloss-dy", "numeric")
@pytest.mark.claim("neuron.dz-dw", "numeric")
@given(examples())
def test_single_example_against_finite_differences(example):
    w, b, x, t, lam = example
    loss, dw, db = sn.loss_and_gradients(w, b, x, t, lam)
    params = np.append(w, b)
    fd = fd_gradient(lambda p: sn.loss_and_gradients(p[:-1], p[-1], x, t, lam)[0], params)
    assert_close(dw, fd[:-1], what="dL_reg/dw")
    assert_close(db, fd[-1], what="dL_reg/db")
    # The chain's factors, each by finite differences of its own function.
    z = w @ x + b
    y = sn.sigmoid(z)
    assert_close(fd_gradient(lambda v: 0.5 * (v[0] - t) ** 2, np.array([y]))[0], y - t, what="dL/dy")
    assert_close(fd_gradient(lambda v: v @ x + b, w), x, what="dz/dw")
    assert_close(fd_gradient(lambda v: 0.5 * v @ v, w), w, what="dR/dw")


# --- the original's formulas ------------------------------------------------------------------

SEED = Path(__file__).resolve().parents[1] / "data" / "original-answer-sheet.txt"  # the sheet, as given
PAGE = Path(__file__).resolve().parents[2] / "docs" / "backprop" / "sigmoid-neuron.md"


def original_section():
    text = SEED.read_text(encoding="utf-8")
    return text[text.index("### 3.1"):text.index("### 3.2")]


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


def test_every_quotation_is_the_originals_text():
    original = " ".join(SEED.read_text(encoding="utf-8").replace("&", "").split())
    markdown = PAGE.read_text(encoding="utf-8")
    formulas = [" ".join(tex.split()) for tex in re.findall(r"\$([^$]*?)\\quoted\s*\$", markdown)]
    assert len(formulas) >= 6
    missing = [tex for tex in formulas if tex not in original]
    assert not missing, missing
    prose = [line for line in markdown.splitlines()
             if not line.lstrip().startswith(("!!!", "--8<--", "description:"))]
    quotes = re.findall(r'"([^"]+)"', " ".join(" ".join(prose).split()))
    assert not [q for q in quotes if q not in original]


@pytest.mark.claim("neuron.batch", "numeric")
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    matrices(6, n, -3, 3), matrices(n, 1, -2, 2).map(np.ravel), finite_floats(-1, 1),
    st.lists(finite_floats(0, 1), min_size=6, max_size=6).map(np.array), finite_floats(0, 1))))
def test_batch_against_finite_differences_and_single_examples(case):
    X, w, b, t, lam = case
    loss, dw, db = sn.batch_loss_and_gradients(w, b, X, t, lam)
    fd = fd_gradient(lambda p: sn.batch_loss_and_gradients(p[:-1], p[-1], X, t, lam)[0], np.append(w, b))
    assert_close(dw, fd[:-1], what="batch dw")
    assert_close(db, fd[-1], what="batch db")
    # The mean of the per-example data gradients, plus the regulariser once.
    singles = [sn.loss_and_gradients(w, b, X[k], t[k], 0.0) for k in range(len(t))]
    assert_close(dw, np.mean([s[1] for s in singles], axis=0) + lam * w, rtol=1e-12, atol=1e-14)


@pytest.mark.claim("neuron.batch", "symbolic")
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
    shown = sn.BATCH_W.subs({sn.N: N, sn.n: n}).xreplace({
        sn.Xm.subs({sn.N: N, sn.n: n}): sp.ImmutableMatrix(X),
        sn.DELTA.subs({sn.N: N}): sp.ImmutableMatrix(delta),
        sn.Wv.subs({sn.n: n}): sp.ImmutableMatrix(w),
    }).doit()
    for j in range(n):
        assert sp.simplify(loss.diff(w[j]) - sp.Matrix(shown)[j]) == 0


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
