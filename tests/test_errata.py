"""Proofs for docs/errata.md (snippets/errata.py): the original's statements evaluated and
shown false, and the corrections shown true."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from snippets import errata
from snippets.backprop import initialization as init
from snippets.optimization import stationary_points as sp_mod
from verified_docs.verify import assert_close, fd_jacobian
from tests.original import ORIGINAL_GRADIENT, X, Y
from tests.strategies import finite_floats, points_in_box

CLAIM = {c.id: c for c in errata.CLAIMS}


@pytest.mark.claim("errata.hessian-of-f", "symbolic")
def test_hessian_of_a_vector_map_has_27_entries():
    u, v, z = sp.symbols("u v z")
    y = u**2 * v * z
    f = sp.Matrix([y.diff(s) for s in (u, v, z)])
    second = [f[i].diff(a, b) for i in range(3) for a in (u, v, z) for b in (u, v, z)]
    assert len(second) == CLAIM["errata.hessian-of-f"].value() == 27
    assert f.jacobian((u, v, z)).shape == (3, 3)


@pytest.mark.claim("errata.hessian-of-f", "numeric")
def test_jacobian_of_gradient_has_9_entries_numerically():
    grad = lambda p: np.array([2 * p[0] * p[1] * p[2], p[0] ** 2 * p[2], p[0] ** 2 * p[1]])  # noqa: E731
    J = fd_jacobian(grad, np.array([0.3, -0.2, 0.7]))
    assert J.size == 9 and J.size * 3 == CLAIM["errata.hessian-of-f"].value()


@pytest.mark.claim("errata.inverse-notation", "symbolic")
def test_inverse_notation_reading_is_false():
    A = sp.Matrix([[2, 1], [1, 1]])
    assert A.inv()[0, 0] == 1 and 1 / A[0, 0] == sp.Rational(1, 2)
    assert CLAIM["errata.inverse-notation"].value() == sp.Rational(1, 2)


@pytest.mark.claim("errata.inverse-notation", "numeric")
def test_inverse_notation_reading_is_false_numerically():
    A = np.array([[2.0, 1.0], [1.0, 1.0]])
    assert_close(np.linalg.inv(A)[0, 0] - 1 / A[0, 0], 0.5, rtol=1e-14, atol=0)


@pytest.mark.claim("errata.norm", "symbolic")
def test_squared_norm_is_not_the_row_sum():
    A = sp.Matrix([[2, -1], [0, 1]])
    assert sum(abs(a) for a in A.row(0)) ** 2 - (A * sp.ones(2, 1))[0] == 8
    assert CLAIM["errata.norm"].value() == 8


@pytest.mark.claim("errata.norm", "numeric")
def test_squared_norm_is_not_the_row_sum_numerically():
    A = np.array([[2.0, -1.0], [0.0, 1.0]])
    assert np.abs(A[0]).sum() ** 2 - (A @ np.ones(2))[0] == float(CLAIM["errata.norm"].value()) == 8.0


@pytest.mark.claim("errata.third-point", "symbolic")
def test_written_third_point_has_nonzero_gradient():
    g = CLAIM["errata.third-point"].value()
    assert g[0] == sp.Rational(2565, 512) + sp.Rational(1125, 1024) * sp.sqrt(21)
    assert all(sp.simplify(e) != 0 for e in g)


@pytest.mark.claim("errata.third-point", "numeric")
def test_written_third_point_numerically():
    written = 3 / 16 * (-np.sqrt(21) - 6)
    assert_close(sp_mod.gradient(np.array([written, written])), [10.0443, -1.9842], rtol=0, atol=1e-4)


@pytest.mark.claim("errata.global", "symbolic")
def test_third_point_is_lower_than_the_origin():
    gap = CLAIM["errata.global"].value()
    assert gap == -21 * sp.sqrt(21) / 16 - sp.Rational(1521, 256) and gap < 0


@pytest.mark.claim("errata.global", "numeric")
def test_third_point_is_lower_than_the_origin_numerically():
    p3 = np.array([float(v) for v in sp_mod.point(2)])
    f = lambda p: p[0] ** 4 + 4 * p[0] ** 3 + 3 * p[0] ** 2 - 3 * p[0] * p[1] + 2 * p[1] ** 2  # noqa: E731
    assert_close(f(p3) - f(np.zeros(2)), float(CLAIM["errata.global"].value()), rtol=1e-12, atol=0)
    assert f(p3) < f(np.zeros(2))


@pytest.mark.claim("errata.newton-gradient", "symbolic")
def test_original_gradient_has_asymmetric_jacobian():
    assert sp.Matrix(errata.original_gradient(X, Y)) == ORIGINAL_GRADIENT  # transcribed twice, agree
    x = sp.Symbol("x", real=True)
    assert errata.original_gradient_asymmetry() == -sp.Rational(17, 5) * sp.pi * sp.sin(sp.pi * x / 5)


@pytest.mark.claim("errata.newton-gradient", "numeric")
@given(points_in_box(0.5, 4.5))
def test_original_gradient_asymmetry_numerically(p):
    g = lambda q: np.array([4 * q[0] + 3.4 * np.pi * np.sin(0.2 * np.pi * q[0]) - q[1],  # noqa: E731
                            4 * q[1] - 17 * np.cos(0.2 * np.pi * q[0]) - q[0]])
    J = fd_jacobian(g, p)
    assert_close(J[0, 1] - J[1, 0], -3.4 * np.pi * np.sin(0.2 * np.pi * p[0]), what="asymmetry")
    assert abs(J[0, 1] - J[1, 0]) > 1  # clearly not a gradient field on this box


@pytest.mark.claim("errata.sum-index", "symbolic")
def test_weights_of_the_sum_from_zero():
    t, b = sp.Symbol("t", positive=True), sp.Symbol("beta_1", positive=True)
    assert sp.simplify(errata.sum_from_zero(t, b) - (1 - b ** (t + 1))) == 0
    for k in range(1, 9):
        assert sp.expand(sum((1 - b) * b ** (k - i) for i in range(0, k + 1)) - (1 - b ** (k + 1))) == 0


@pytest.mark.claim("errata.sum-index", "numeric")
@given(finite_floats(0.01, 0.99))
def test_weights_of_the_sum_from_zero_numerically(beta):
    for t in range(1, 20):
        total = (1 - beta) * sum(beta ** (t - i) for i in range(0, t + 1))
        assert_close(total, 1 - beta ** (t + 1), rtol=1e-12, atol=1e-14)
        # ... and not the original's 1 - beta^t: they differ by beta^t (1 - beta), far above rounding.
        assert_close(total - (1 - beta**t), beta**t * (1 - beta), rtol=1e-6, atol=1e-15)


@pytest.mark.claim("errata.stationarity", "symbolic")
def test_bias_correction_needs_a_constant_mean():
    b, mu = errata.B1, errata.MU
    corrected = errata.drifting_mean_correction()
    assert sp.simplify(corrected - (b + 2) / (b + 1) * mu) == 0
    assert sp.simplify(corrected - 2 * mu) != 0  # E[g_2] = 2 mu: biased


@pytest.mark.claim("errata.stationarity", "numeric")
def test_drifting_mean_by_monte_carlo():
    rng = np.random.default_rng(2)
    runs, beta, mu = 200000, 0.9, 1.0
    g1, g2 = rng.normal(mu, 1.0, runs), rng.normal(2 * mu, 1.0, runs)
    m2_hat = (beta * (1 - beta) * g1 + (1 - beta) * g2) / (1 - beta**2)
    se = np.sqrt(((beta * (1 - beta)) ** 2 + (1 - beta) ** 2) / (1 - beta**2) ** 2 / runs)
    assert abs(m2_hat.mean() - (beta + 2) / (beta + 1) * mu) < 5 * se
    assert abs(m2_hat.mean() - 2 * mu) > 50 * se


@pytest.mark.claim("errata.saturation-low", "symbolic")
def test_sigmoid_saturates_low():
    value = CLAIM["errata.saturation-low"].value()
    assert value == 1 / (1 + sp.exp(10)) and value < sp.Rational(1, 10**4)


@pytest.mark.claim("errata.saturation-low", "numeric")
def test_sigmoid_saturates_low_numerically():
    assert_close(1 / (1 + np.exp(10)), float(CLAIM["errata.saturation-low"].value()), rtol=1e-14, atol=0)
    assert 1 / (1 + np.exp(10)) < 1e-4


@pytest.mark.claim("errata.operations", "symbolic")
def test_operation_counts_are_equal():
    assert CLAIM["errata.operations"].value() == 0


@pytest.mark.claim("errata.operations", "numeric")
@given(finite_floats(1e-6, 1e6))
def test_operation_counts_do_not_depend_on_the_weights(scale):
    x = [0.5, -1.0, 2.0]
    at_scale = init.count_multiplications([[scale] * 4] * 3, [scale] * 4, x)[0]
    assert at_scale == init.count_multiplications([[1.0] * 4] * 3, [1.0] * 4, x)[0] > 0
