"""The claim contract, in one place: what a claim is, how tests prove it, what a run records,
and the gate that publishing passes through.

A snippet module lists its results in ``CLAIMS`` (outside the sections pages show):

    from verified_docs import Claim
    CLAIMS = [Claim("newton.step", "The first Newton step from the origin", value=...)]

A page marks the display equation that states a result with ``\\claim{newton.step}`` (the
Markdown extension turns it into ``data-claim`` and refuses unknown or unused ids); tests
marked ``@pytest.mark.claim("newton.step", "symbolic")`` prove it, one check kind per test;
the pytest plugin adds the displayed-form check of every claim and writes the results file;
the ledger page shows every claim with its status, and `gate` fails a publishing build unless
every claim passed.

Only runtime dependencies are imported here: the build reads these definitions.
"""

from __future__ import annotations

import datetime
import importlib
import json
import pkgutil
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import EngineError

ID = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)+")
# symbolic: exact (sympy); numeric: finite differences or random instances; displayed: the
# equation on the page is the expression that was verified (added by the pytest plugin).
KINDS = ("symbolic", "numeric", "displayed")
WRITTEN_KINDS = KINDS[:2]  # the kinds a test author writes; "displayed" is generated


@dataclass(frozen=True)
class Claim:
    """One result.

    value: the sympy expression (scalar or Matrix) that the checks verified; the displayed-form
        check compares each side of the page's equation after the first with it.
    approx: the page shows the value rounded; compare to the last displayed digit.
    tex: for results sympy cannot parse from TeX (matrix calculus), a function returning the
        TeX to show; the page writes ``\\verified`` where it goes and the build fills it in.
    operands: the matrices a displayed product is built from. A digit changed in an operand
        can leave the product unchanged (it may multiply a zero), so each matrix written in the
        equation must also equal one of these, or the value itself.
    """

    id: str
    statement: str
    value: Callable[[], object] | None = None
    approx: bool = False
    tex: Callable[[], str] | None = None
    operands: Callable[[], list] | None = None

    def __post_init__(self):
        if not ID.fullmatch(self.id):
            raise ValueError(f"claim id {self.id!r} must look like 'page.result' (lowercase, dots or hyphens)")
        if self.value is not None and self.tex is not None:
            raise ValueError(f"claim {self.id}: give value (parsed from the page) or tex (generated), not both")

    @property
    def displayable(self) -> bool:
        """Does the displayed-form check have something to compare the page with?"""
        return self.value is not None or self.tex is not None


def discover(package: str) -> dict[str, tuple[Claim, str]]:
    """Every claim defined in the modules of `package`, as id -> (claim, defining module)."""
    found: dict[str, tuple[Claim, str]] = {}
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        module = importlib.import_module(info.name)
        for claim in getattr(module, "CLAIMS", []):
            if claim.id in found:
                raise EngineError(f"claim {claim.id!r} is defined twice: in {found[claim.id][1]} and {info.name}")
            found[claim.id] = (claim, info.name)
    return found


def claim_marks(marks) -> list[tuple[str, str]]:
    """(id, kind) of a test's `claim` marks, refusing an unknown kind or a test of two kinds.

    One kind per test: a failing test then says which kind of proof broke, and the ledger's
    symbolic and numeric columns never rest on the same assertion.
    """
    found = []
    for mark in marks:
        if len(mark.args) != 2:
            raise EngineError(f"@pytest.mark.claim takes (id, kind), got {mark.args!r}")
        claim_id, kind = mark.args
        if kind not in WRITTEN_KINDS:
            raise EngineError(f"claim kind {kind!r} is not one of {WRITTEN_KINDS} (displayed is automatic)")
        found.append((claim_id, kind))
    kinds = sorted({kind for _, kind in found})
    if len(kinds) > 1:
        raise EngineError(f"one check kind per test, found {kinds}: split it into a {' and a '.join(kinds)} test")
    return found


# --- the results file: written by the pytest plugin, read by the ledger and the gate ----------

def git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def write_results(path: Path, root: Path, records: dict[str, list[dict]]) -> None:
    """The run's records, with what the ledger needs to link each check to its source: the
    commit (`revision`), the project's folder within the repository (`prefix`), and which of the
    recorded source files differ from that commit (`changed`: a link there would show other code)."""
    sources = {r["source"]["path"] for rs in records.values() for r in rs if r.get("source")}
    changed = set(git(root, "diff", "--name-only", "--relative", "HEAD").splitlines())
    changed |= set(git(root, "ls-files", "--others", "--exclude-standard").splitlines())
    path.write_text(json.dumps({
        "commit": git(root, "rev-parse", "--short", "HEAD") or "unknown",
        "revision": git(root, "rev-parse", "HEAD"),
        "prefix": git(root, "rev-parse", "--show-prefix"),
        "dirty": bool(git(root, "status", "--porcelain", "--untracked-files=no")),
        "changed": sorted(sources & changed),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "claims": records,
    }, indent=1, sort_keys=True), encoding="utf-8")


def read_results(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def status(records: list[dict]) -> str:
    """A claim's status from its records: never "passed" without a record."""
    if not records:
        return "not run"
    if any(r["outcome"] != "passed" for r in records):
        return "failed"
    return "passed"


def gate(counts: dict[str, int], total: int) -> None:
    """Publishing's gate: every claim passed in the recorded run, or the build fails."""
    if counts.get("passed", 0) != total:
        raise EngineError(
            f"require_passed (CLAIMS_REQUIRE_PASSED=1) but {counts.get('failed', 0)} claims failed and "
            f"{counts.get('not run', 0)} were not run: run the tests first"
        )
