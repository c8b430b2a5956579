"""Shared fixtures: the built site (once per run) and minimal one-page project copies."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# Deadlines measure the machine, not the maths: shared 2-core machines are noisy.
settings.register_profile("default", deadline=None, max_examples=60)
settings.register_profile("mutants", deadline=None, max_examples=25)  # tests/mutants.py: many short runs
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` as the Makefile runs it (never -v or -q: both weaken strict)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per run: under pytest-xdist the first worker builds, the others wait."""
    import fcntl
    import json

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # every worker's basetemp sits in one run folder
    site, outcome = shared / "built-site", shared / "built-site.json"
    with open(shared / "built-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not outcome.is_file():
            result = mkdocs_build(ROOT, site)
            outcome.write_text(json.dumps({"returncode": result.returncode, "output": result.stdout + result.stderr}))
    built = json.loads(outcome.read_text())
    assert built["returncode"] == 0, f"mkdocs build --strict failed:\n{built['output']}"
    from tests.test_faults import ACCEPTED_WARNINGS

    warnings = [line for line in built["output"].splitlines()
                if re.search(r"\bWARNING\b|Warning:", line) and not any(re.search(p, line) for p, _ in ACCEPTED_WARNINGS)]
    assert not warnings, "the build warned:\n" + "\n".join(warnings)
    return site


class MiniProject:
    """A one-page copy of the project: the real mkdocs.yml, hooks, overrides and snippet tree, two pages.

    Fault tests write one bad input into it and build; it keeps the suite fast and the real
    tree untouched.
    """

    def __init__(self, root: Path):
        self.root = root
        for tree in ("hooks", "overrides"):
            shutil.copytree(ROOT / tree, root / tree, ignore=shutil.ignore_patterns("__pycache__"))
        (root / "snippets" / "demo").mkdir(parents=True)
        (root / "snippets" / "__init__.py").touch()
        for shared in ("claims.py", "verify.py"):
            shutil.copy(ROOT / "snippets" / shared, root / "snippets" / shared)
        (root / "snippets" / "demo" / "__init__.py").touch()
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        config = re.sub(r"^nav:.*", "nav:\n  - Home: index.md\n  - Page: demo/page.md\n  - Ledger: ledger.md\n", config, flags=re.S | re.M)
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        self.write("docs/index.md", "# Home\n\nSee [the page](demo/page.md#a-section).\n")
        self.write(
            "snippets/demo/page.py",
            "# --8<-- [start:square]\ndef square(x):\n    \"\"\"\n    >>> square(3)\n    9\n    \"\"\"\n"
            "    return x * x\n# --8<-- [end:square]\n",
        )
        self.write(
            "docs/demo/page.md",
            '# Page\n\n## A section\n\nInline $x^2$ and display:\n\n$$\nx^2 = 4 \\given\n$$\n\n'
            '```python\n--8<-- "demo/page.py:square"\n```\n',
        )

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def build(self) -> subprocess.CompletedProcess:
        return mkdocs_build(self.root, self.root / "site")

    def make_build(self, target: str = "build") -> subprocess.CompletedProcess:
        """The Makefile's build target (or `target`), without its set-up step."""
        shutil.copy(ROOT / "Makefile", self.root / "Makefile")
        return subprocess.run(
            ["make", "-o", "setup", target, f"BIN={Path(sys.executable).parent}"],
            cwd=self.root, capture_output=True, text=True, timeout=300,
        )


@pytest.fixture
def mini_project(tmp_path) -> MiniProject:
    return MiniProject(tmp_path / "project")


# --- claims: @pytest.mark.claim(id, kind) ties a test to a result shown on a page -------------

RESULTS = ROOT / ".claims-results.json"
from snippets.claims import KINDS  # noqa: E402  (one definition, next to Claim)
_claim_records: dict[str, list[dict]] = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "claim(id, kind): this test proves claim `id`; kind is symbolic, numeric or displayed")


def claim_marks(item) -> list[tuple[str, str]]:
    marks = []
    for mark in item.iter_markers("claim"):
        claim_id, kind = mark.args
        if kind not in KINDS:
            raise pytest.UsageError(f"{item.nodeid}: claim kind {kind!r} is not one of {KINDS}")
        marks.append((claim_id, kind))
    return marks


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Carry the test's claim marks on its reports, so they reach the controller under xdist."""
    outcome = yield
    marks = claim_marks(item)
    if marks:
        outcome.get_result().user_properties.append(("claims", marks))


def pytest_runtest_logreport(report):
    marks = next((value for name, value in report.user_properties if name == "claims"), None)
    if not marks or (report.when != "call" and report.passed):
        return
    result = "passed" if report.passed else ("skipped" if report.skipped else "failed")
    for claim_id, kind in marks:
        records = _claim_records.setdefault(claim_id, [])
        existing = [r for r in records if r["test"] == report.nodeid and r["kind"] == kind]
        if existing:  # a failure in setup/teardown overrides a passed call
            if result != "passed":
                existing[0]["outcome"] = result
        else:
            records.append({"kind": kind, "test": report.nodeid, "outcome": result})


def pytest_sessionfinish(session, exitstatus):
    if not _claim_records or hasattr(session.config, "workerinput"):
        return

    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    import datetime
    import json

    RESULTS.write_text(json.dumps({
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "claims": _claim_records,
    }, indent=1, sort_keys=True), encoding="utf-8")


def pytest_terminal_summary(terminalreporter):
    """Say loudly when browser tests were skipped; print how many claims have a displayed-form check."""
    skipped = [r.longrepr[2] for r in terminalreporter.stats.get("skipped", [])
               if isinstance(r.longrepr, tuple) and r.longrepr[2].startswith("Skipped: NO BROWSER")]
    if skipped:
        message = skipped[0].removeprefix("Skipped: ")
        terminalreporter.write_line(f"{'!' * 20} {message} ({len(skipped)} tests) {'!' * 20}", red=True, bold=True)
    try:
        from snippets.claims import discover

        claims = [claim for claim, _ in discover().values()]
    except Exception as error:  # the summary must never hide the real failures
        terminalreporter.write_line(f"claims: could not be read ({error})")
        return
    covered = sum(1 for c in claims if c.value is not None or c.tex is not None)
    share = covered / len(claims) if claims else 0.0
    terminalreporter.write_line(
        f"claims: {len(claims)} defined; displayed-form check for {covered} ({share:.0%}); "
        f"results in {RESULTS.name}"
    )
