"""Fixtures: the built site (once per run), a two-page copy of the project, an engine project."""

from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path

import pytest

from tests.engine_site import PACKAGE, Site
from tests.site_build import ROOT, MiniProject, mkdocs_build, unaccepted_warnings
from verified_docs.katex import KatexRenderer
from verified_docs.project import Project


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per run: under pytest-xdist the first worker builds, the others wait."""
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
    warnings = unaccepted_warnings(built["output"])
    assert not warnings, "the build warned:\n" + "\n".join(warnings)
    return site


@pytest.fixture
def mini_project(tmp_path) -> MiniProject:
    return MiniProject(tmp_path / "project")


@pytest.fixture(scope="session")
def katex():
    """One KaTeX process for a worker's in-process tests."""
    with KatexRenderer(Project.at(ROOT)) as renderer:
        yield renderer


@pytest.fixture
def site(tmp_path, katex, monkeypatch):
    """A temporary engine project (tests/engine_site.py), its snippet package forgotten after."""
    monkeypatch.setattr(sys, "path", list(sys.path))  # the engine puts the project on sys.path
    yield Site(tmp_path, katex)
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]
