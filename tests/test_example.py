"""examples/minimal: a second site on the engine, set up from the engine's README alone,
built and proved here as its README says (in a copy; KaTeX linked from this repository's
node_modules instead of `npm install`, which would fetch the same pinned version)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.site_build import ROOT, mkdocs_build, unaccepted_warnings

pytestmark = pytest.mark.site
EXAMPLE = ROOT / "examples" / "minimal"


@pytest.fixture
def example(tmp_path):
    copy = tmp_path / "minimal"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", "site", ".claims-results.json"))
    assert json.loads((copy / "package.json").read_text())["dependencies"]["katex"] == \
        json.loads((ROOT / "package.json").read_text())["dependencies"]["katex"]
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


def pytest_in(folder) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}  # not this run's options
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_example_proves_its_claim_and_publishes(example):
    proofs = pytest_in(example)
    assert proofs.returncode == 0, proofs.stdout + proofs.stderr
    assert "5 passed" in proofs.stdout  # doctest, symbolic, numeric, displayed form, every claim proved
    results = json.loads((example / ".claims-results.json").read_text())["claims"]["index.derivative"]
    assert sorted(r["kind"] for r in results) == ["displayed", "numeric", "symbolic"]
    built = mkdocs_build(example, example / "site", env={"CLAIMS_REQUIRE_PASSED": "1"})
    assert built.returncode == 0 and not unaccepted_warnings(built.stdout + built.stderr), built.stdout + built.stderr
    page = (example / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-claim="index.derivative" id="claim-index.derivative"' in page and "\\claim" not in page
    assert '<link rel="preload" href="assets/katex/fonts/' in page
    ledger = (example / "site" / "ledger" / "index.html").read_text(encoding="utf-8")
    assert "1 claims: 1 passed, 0 failed, 0 not run." in ledger


def test_a_wrong_result_on_the_example_page_fails_its_proofs_and_its_publishing(example):
    page = example / "docs" / "index.md"
    page.write_text(page.read_text().replace("= 3x^2", "= 2x^2"))
    proofs = pytest_in(example)
    assert proofs.returncode == 1 and "index.derivative: the page shows" in proofs.stdout
    built = mkdocs_build(example, example / "site", env={"CLAIMS_REQUIRE_PASSED": "1"})
    assert built.returncode != 0 and "1 claims failed" in built.stdout + built.stderr
