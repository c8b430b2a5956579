"""tools/mutants.py judges a sample by a binomial test, not by its point estimate."""

from __future__ import annotations

import math

from tools.mutants import SAMPLE_ALPHA, survival_tail


def test_survival_tail_is_the_binomial_upper_tail():
    assert math.isclose(survival_tail(0, 40, 0.05), 1.0)
    assert math.isclose(survival_tail(40, 40, 0.05), 0.05**40)
    assert math.isclose(survival_tail(1, 40, 0.05), 1 - 0.95**40)


def test_a_sample_of_40_fails_from_7_survivors_at_95_percent():
    # 6 survivors (85 % in the sample) can still come from a full run at 95 %; 7 hardly can.
    assert survival_tail(6, 40, 0.05) >= SAMPLE_ALPHA > survival_tail(7, 40, 0.05)
    # A full run decayed to 80 % gives 8 survivors on average: caught most of the time.
    caught = sum(math.comb(40, k) * 0.2**k * 0.8 ** (40 - k) for k in range(7, 41))
    assert caught > 0.7
