"""This site's pytest configuration that is not a fixture (loaded with `-p tests.site_plugin`):
hypothesis profiles, and one loud line when browser tests were skipped.

The claim contract is not here: it is the engine's pytest plugin (verified_docs.pytest_plugin).
"""

from __future__ import annotations

import os

from hypothesis import settings

# Deadlines measure the machine, not the maths: shared 2-core machines are noisy.
settings.register_profile("default", deadline=None, max_examples=60)
settings.register_profile("mutants", deadline=None, max_examples=25)  # tools/mutants.py: many short runs
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_terminal_summary(terminalreporter):
    """Under xdist the controller never loads tests/browser/conftest.py: the summary lives here."""
    skipped = [r.longrepr[2] for r in terminalreporter.stats.get("skipped", [])
               if isinstance(r.longrepr, tuple) and r.longrepr[2].startswith("Skipped: NO BROWSER")]
    if skipped:
        message = skipped[0].removeprefix("Skipped: ")
        terminalreporter.write_line(f"{'!' * 20} {message} ({len(skipped)} tests) {'!' * 20}", red=True, bold=True)
