"""The toolchain's own promises: a lock that a fresh clone anywhere can install from."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import subprocess
import sys
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


# --- Everything the code imports is declared -------------------------------------------------

def declared_names(pyproject: dict, *, groups: bool) -> set[str]:
    """Distribution names pyproject.toml declares: the dependencies and extras (what the engine
    is published with), and with `groups` also the dependency groups (this repository's jobs)."""
    requirements = list(pyproject["project"]["dependencies"])
    for extra in pyproject["project"].get("optional-dependencies", {}).values():
        requirements += extra
    if groups:
        for group in pyproject.get("dependency-groups", {}).values():
            requirements += [r for r in group if isinstance(r, str)]
    return {normalise(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in requirements}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_top_names(source: str) -> set[str]:
    """The top-level module names a Python file imports (absolute imports only)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def undeclared(files: dict[str, str], declared: set[str], local: set[str],
               distributions: dict[str, list[str]]) -> list[str]:
    """'file: module' for every import that is neither the standard library, nor this
    repository's own code, nor provided by a declared distribution."""
    found = []
    for path, source in sorted(files.items()):
        for name in sorted(imported_top_names(source) - set(sys.stdlib_module_names) - local):
            providers = {normalise(d) for d in distributions.get(name, [])}
            if not providers & declared:
                found.append(f"{path}: {name} (from {sorted(providers) or 'nothing installed'})")
    return found


def repository_python() -> dict[str, str]:
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    return {path: (ROOT / path).read_text(encoding="utf-8") for path in listed.stdout.split()}


def local_names(paths) -> set[str]:
    """Every module or package name of the repository's own files, at any depth (tests import
    their helpers by name, e.g. `reading` beside tests/browser's conftest)."""
    names = set()
    for path in paths:
        parts = Path(path).with_suffix("").parts
        names |= set(parts)
    return names


PYTEST_PLUGIN = "src/verified_docs/pytest_plugin.py"


def test_every_import_is_declared():
    """What the engine imports is in its dependencies or extras (a published package cannot lean
    on this repository's groups); what everything else imports is declared somewhere."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    files = repository_python()
    local = local_names(files)
    distributions = importlib.metadata.packages_distributions()
    engine = {p: s for p, s in files.items() if p.startswith("src/verified_docs/")}
    rest = {p: s for p, s in files.items() if p not in engine}
    # The pytest plugin is loaded by pytest (entry point pytest11) and only then: pytest is there.
    hosted = [f"{PYTEST_PLUGIN}: pytest (from ['pytest'])"]
    assert undeclared(engine, declared_names(pyproject, groups=False), local, distributions) == hosted
    assert undeclared(rest, declared_names(pyproject, groups=True), local, distributions) == []


def test_an_undeclared_import_would_be_caught():
    pyproject = {"project": {"dependencies": ["numpy>=2"], "optional-dependencies": {}},
                 "dependency-groups": {"test": ["pytest>=8", {"include-group": "x"}]}}
    files = {"src/a.py": "import numpy, os\nfrom requests import get\nfrom . import b\nimport pytest\n"}
    distributions = {"numpy": ["numpy"], "requests": ["requests"], "pytest": ["pytest"]}
    assert undeclared(files, declared_names(pyproject, groups=True), {"a", "b"}, distributions) == [
        "src/a.py: requests (from ['requests'])"]
    assert undeclared(files, declared_names(pyproject, groups=False), {"a", "b"}, distributions) == [
        "src/a.py: pytest (from ['pytest'])", "src/a.py: requests (from ['requests'])"]
