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
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    return site


class MiniProject:
    """A one-page copy of the project: the real mkdocs.yml, hooks and snippet tree, two pages.

    Fault tests write one bad input into it and build; it keeps the suite fast and the real
    tree untouched.
    """

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(ROOT / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
        (root / "snippets" / "demo").mkdir(parents=True)
        (root / "snippets" / "__init__.py").touch()
        (root / "snippets" / "demo" / "__init__.py").touch()
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        config = re.sub(r"^nav:.*", "nav:\n  - Home: index.md\n  - Page: demo/page.md\n", config, flags=re.S | re.M)
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        self.write("docs/index.md", "# Home\n\nSee [the page](demo/page.md#a-section).\n")
        self.write(
            "snippets/demo/page.py",
            "# --8<-- [start:square]\ndef square(x):\n    \"\"\"\n    >>> square(3)\n    9\n    \"\"\"\n"
            "    return x * x\n# --8<-- [end:square]\n",
        )
        self.write(
            "docs/demo/page.md",
            '# Page\n\n## A section\n\nInline $x^2$ and display:\n\n$$\nx^2 = 4\n$$\n\n'
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

    def make_build(self) -> subprocess.CompletedProcess:
        """The Makefile's build target, without its set-up step."""
        shutil.copy(ROOT / "Makefile", self.root / "Makefile")
        return subprocess.run(
            ["make", "-o", "setup", "build", f"BIN={Path(sys.executable).parent}"],
            cwd=self.root, capture_output=True, text=True, timeout=300,
        )


@pytest.fixture
def mini_project(tmp_path) -> MiniProject:
    return MiniProject(tmp_path / "project")
