"""tools/mutants.py judges a sample by a binomial test, not by its point estimate."""

from __future__ import annotations

import math
import subprocess
import sys

import tools.mutants
from tools.mutants import SAMPLE_ALPHA, survival_tail, verdict_of


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


def test_a_mutant_that_never_finishes_is_stopped_by_cpu_time(monkeypatch):
    """The limit is on the test process's CPU time, which a busy machine does not spend for it:
    a slow survivor is not counted as killed because other jobs ran, an endless loop is."""
    monkeypatch.setattr(tools.mutants, "CPU_LIMIT", 1)
    looping = subprocess.run([sys.executable, "-c", "while True: pass"], preexec_fn=tools.mutants.limit_cpu,
                             timeout=60)
    assert verdict_of(looping.returncode) == "killed (CPU limit)"
    sleeping = subprocess.run([sys.executable, "-c", "import time; time.sleep(1.5)"],
                              preexec_fn=tools.mutants.limit_cpu, timeout=60)
    assert verdict_of(sleeping.returncode) == "survived"  # 1.5 s of wall time, next to no CPU


def test_verdicts_follow_pytest_exit_status():
    assert [verdict_of(code) for code in (0, 1, 2, 3, -11)] == [
        "survived", "killed", "killed", "error 3", "error -11"]
