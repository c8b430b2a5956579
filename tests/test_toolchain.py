"""The toolchain's own promises: a lock that a fresh clone anywhere can install from."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_INDEX = "https://pypi.org/simple"
PUBLIC_FILES = "https://files.pythonhosted.org/"


def local_sources(lock_text: str) -> list[str]:
    """Every package source or file in a uv.lock that is not on the public index: a machine's
    local package folders (pip's find-links, a file:// index) must never reach the lock."""
    lock = tomllib.loads(lock_text)
    found = []
    for package in lock["package"]:
        source = package["source"]
        if source == {"editable": "."}:  # the project itself
            continue
        if source.get("registry") != PUBLIC_INDEX:
            found.append(f"{package['name']}: {source}")
        for file in [package.get("sdist", {}), *package.get("wheels", [])]:
            if file and not file["url"].startswith(PUBLIC_FILES):
                found.append(f"{package['name']}: {file['url']}")
    found += re.findall(r"file://\S+|\"/(?:opt|tmp|root|home)/\S+", lock_text)
    return found


def test_the_lock_names_the_public_index_only():
    assert local_sources((ROOT / "uv.lock").read_text(encoding="utf-8")) == []


def test_a_local_package_folder_would_be_caught():
    text = (ROOT / "uv.lock").read_text(encoding="utf-8")
    assert local_sources(text.replace(PUBLIC_INDEX, "file:///opt/pypi/simple", 1))
    assert local_sources(text.replace(PUBLIC_FILES, "file:///opt/wheels/", 1))


def node_majors() -> dict[str, int]:
    """The oldest Node major each place admits: package.json engines, the workflows' node-version."""
    majors = {}
    for package in (ROOT / "package.json", ROOT / "tools" / "bench" / "package.json"):
        engines = json.loads(package.read_text(encoding="utf-8"))["engines"]["node"]
        majors[str(package.relative_to(ROOT))] = int(re.fullmatch(r">=(\d+)", engines).group(1))
    for workflow in sorted((ROOT / ".github").rglob("*.yml")):
        for version in re.findall(r"node-version:\s*\"?(\d+)", workflow.read_text(encoding="utf-8")):
            majors[f"{workflow.relative_to(ROOT)}: {version}"] = int(version)
    return majors


def test_node_20_is_admitted_nowhere():
    # Node 20 reached its end of life on 2026-04-30.
    majors = node_majors()
    assert any(".github" in place for place in majors)
    assert {place: major for place, major in majors.items() if major < 22} == {}
