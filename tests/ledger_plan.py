"""The test builds' ledger (tests/conftest.py: ledger_results): the records a passing run of this
commit's claim checks would write, so that the site the tests build shows the ledger publishing
will (publishing builds after the tests have passed), every check named and linked to its lines.

`planned_records(session)` reads them from a session that collected the checks. A run of part of
the suite collected too few: then `collect_records` asks a collection-only run (this module as its
plugin, `-p tests.ledger_plan`) to write them. Nothing here runs a check or touches the run's own
results file, which is written when the run ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PLAN = "LEDGER_PLAN"  # where a collection-only run writes the records


def planned_records(session, whole: bool = False) -> dict[str, list[dict]]:
    """claim id -> a passed record for each check the session collected, with its lines of code;
    with `whole`, nothing unless the session collected the whole suite."""
    config = session.config
    plugin = config.pluginmanager.get_plugin("verified_docs_claims")
    if whole and (sorted(config.args) != sorted(config.getini("testpaths")) or plugin.deselected_checks):
        return {}
    records: dict[str, list[dict]] = {}
    for item in session.items:
        for claim_id, kind in getattr(item, "claim_checks", []):
            source = plugin.source_of(item)
            records.setdefault(claim_id, []).append(
                {"kind": kind, "test": item.nodeid, "outcome": "passed", **({"source": source} if source else {})})
    return records


def collect_records(root: Path, path: Path) -> dict[str, list[dict]]:
    """The records of every claim check of the suite, from a collection-only run."""
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-p", "no:randomly",
               "-p", "no:cacheprovider", "-p", "tests.ledger_plan", "-m", "not browser and not canary"]
    done = subprocess.run(command, cwd=root, env={**os.environ, PLAN: str(path)}, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and path.is_file(), f"collecting the claim checks failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(path.read_text(encoding="utf-8"))


def pytest_collection_finish(session):
    if os.environ.get(PLAN):
        Path(os.environ[PLAN]).write_text(json.dumps(planned_records(session)), encoding="utf-8")
