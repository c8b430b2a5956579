"""GitHub workflows: linted (actionlint, zizmor), least privilege, SHA-pinned, and doing what they say."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(*files: Path) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node is required (README: Node >= 20)"
    result = subprocess.run(
        [node, str(ROOT / "tests" / "actionlint.cjs"), *map(str, files)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} == {"ci.yml", "pages.yml"}


def test_actionlint_finds_nothing():
    assert actionlint(*WORKFLOWS) == []


def test_actionlint_would_catch_an_injection(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.head_commit.message }}\n")
    assert any("untrusted" in finding["message"] for finding in actionlint(bad))


def test_zizmor_finds_nothing():
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run(
        [str(zizmor), "--offline", "--persona=pedantic", "--format=json", str(ROOT / ".github")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_commits_with_their_version(workflow):
    uses = re.findall(r"uses:\s*(\S+)(.*)", workflow.read_text())
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{action} is not pinned to a commit"
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), f"{action} lacks its version comment"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(workflow):
    text = workflow.read_text()
    assert re.search(r"^permissions: \{\}$", text, re.M), "top-level permissions must be empty"
    assert "pull_request_target" not in text
    assert "concurrency:" in text
    assert "write" not in text.split("deploy:")[0], "only the deploy job may write"


def test_ci_and_pages_run_the_readme_test_command():
    for workflow in WORKFLOWS:
        assert "run: make test" in workflow.read_text()
    pages = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert pages.index("make test") < pages.index("make pdf") < pages.index("upload-pages-artifact")
    assert "deploy-pages" in pages and "needs: build" in pages
