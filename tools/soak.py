"""make soak: the browser tests N times on a machine whose every core is kept busy.

A busy machine is where the suite once failed (a parser yield painted half a formula, a click
landed within Material's 100 ms scroll-save window): this makes one on purpose. One busy-loop
process per core runs for the whole soak; each stops itself when this script's process is gone
or after MAX_LOAD_SECONDS, and this script ends them on any exit (failure, Ctrl-C, SIGTERM).
Prints a pass count per test; exits non-zero when any test failed in any run.

    python -m tools.soak [--runs N] [pytest arguments...]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LOAD_SECONDS = 6 * 3600  # a bound if this script is killed without a chance to clean up

# Spins until its parent (this script) is gone or the bound is reached; checks both every ~0.1 s.
BUSY = """
import os, sys, time
parent, end = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while os.getppid() == parent and time.monotonic() < end:
    for _ in range(200_000):
        pass
"""


def start_load() -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", BUSY, str(os.getpid()), str(MAX_LOAD_SECONDS)])
            for _ in range(os.cpu_count() or 1)]


def stop_load(load: list[subprocess.Popen]) -> None:
    for process in load:
        process.kill()
    for process in load:
        process.wait()


def outcomes(junit: Path) -> dict[str, str]:
    """test id -> passed / failed / skipped, from one run's junit XML."""
    results = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            results[name] = "failed"
        elif case.find("skipped") is not None:
            results[name] = "skipped"
        else:
            results[name] = "passed"
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args, pytest_args = parser.parse_known_args()

    load = start_load()
    # SIGTERM (a CI timeout, `kill`) ends this script through the same finally as a failure.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    passes: dict[str, int] = defaultdict(int)
    seen: dict[str, int] = defaultdict(int)
    failed_runs = 0
    try:
        with tempfile.TemporaryDirectory(prefix="soak-") as folder:
            for run in range(1, args.runs + 1):
                junit = Path(folder) / f"run-{run}.xml"
                command = [sys.executable, "-m", "pytest", "tests/browser", "-m", "browser", "-n", "0", "-p", "no:cacheprovider",
                           f"--junitxml={junit}", "-q", *pytest_args]
                print(f"soak: run {run} of {args.runs}, {len(load)} busy cores", flush=True)
                result = subprocess.run(command, cwd=ROOT)
                if result.returncode != 0:
                    failed_runs += 1
                if not junit.is_file():
                    print(f"soak: run {run} wrote no results (exit {result.returncode})", flush=True)
                    continue
                for name, outcome in outcomes(junit).items():
                    seen[name] += 1
                    passes[name] += outcome == "passed"
    finally:
        stop_load(load)

    width = max((len(name) for name in seen), default=10)
    print(f"\n{'test':<{width}}  passed")
    for name in sorted(seen):
        print(f"{name:<{width}}  {passes[name]}/{args.runs}")
    flaky = [name for name in seen if passes[name] < args.runs]
    print(f"\n{len(seen) - len(flaky)} of {len(seen)} tests passed {args.runs}/{args.runs}; runs that failed: {failed_runs}")
    return 1 if flaky or failed_runs or not seen else 0


if __name__ == "__main__":
    sys.exit(main())
