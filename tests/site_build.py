"""Building this site (or a copy of it) from the tests: the strict build as the Makefile runs it.

Helpers, not tests: tests/conftest.py's fixtures and the fault and canary tests use them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from verified_docs.katex import math_output
from verified_docs.mkdocs_config import extension_options, read_config

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# The math output the shared build uses, read as the build reads it: mkdocs.yml's `!ENV [MATH_OUTPUT, …]`
# (the extension's math_output), so `MATH_OUTPUT=katex pytest …` holds another output to the same checks.
MATH_OUTPUT = math_output(extension_options(read_config(ROOT / "mkdocs.yml")).get("math_output"))

# (pattern, why it is accepted). Empty: the build is warning-free; add an entry only with a reason.
ACCEPTED_WARNINGS: list[tuple[str, str]] = []


# The repository the test builds' ledger links each check into (mkdocs.yml: LEDGER_REPO_URL), as
# publishing links the real one: a host no test contacts, that only <a href> may name.
REPOSITORY = "https://git.example.org/verified-maths"


def mkdocs_build(project: Path, site_dir: Path, *, tool: str = "mkdocs", env: dict | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` as the Makefile runs it (never -v or -q: both weaken strict);
    tool="properdocs" builds with MkDocs' continuation instead."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "LEDGER_REPO_URL": REPOSITORY, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", tool, "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )


def unaccepted_warnings(output: str) -> list[str]:
    lines = [line for line in output.splitlines() if re.search(r"\bWARNING\b|Warning:", line)]
    return [line for line in lines if not any(re.search(p, line) for p, _ in ACCEPTED_WARNINGS)]


class MiniProject:
    """A two-page copy of the project: the real mkdocs.yml, overrides and Makefile, a demo page.

    The few end-to-end fault tests write one bad input into it and build; the real tree stays
    untouched. (Most faults are tested in process: tests/test_extension.py.)
    """

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(ROOT / "overrides", root / "overrides")  # the theme's custom_dir
        (root / "snippets" / "demo").mkdir(parents=True)
        (root / "snippets" / "__init__.py").touch()
        (root / "snippets" / "demo" / "__init__.py").touch()
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        config = re.sub(r"^nav:.*", "nav:\n  - Home: index.md\n  - Page: demo/page.md\n  - Ledger: ledger.md\n", config, flags=re.S | re.M)
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        self.write("docs/index.md", "# Home\n\nSee [the page](demo/page.md#a-section).\n")
        self.write("snippets/demo/page.py", SQUARE)
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

    def build(self, **kwargs) -> subprocess.CompletedProcess:
        return mkdocs_build(self.root, self.root / "site", **kwargs)

    def make_build(self, target: str = "build") -> subprocess.CompletedProcess:
        """The Makefile's build target (or `target`), without its set-up step."""
        shutil.copy(ROOT / "Makefile", self.root / "Makefile")
        return subprocess.run(
            ["make", "-o", "setup-build", "-o", ".venv/.installed-pdf", target, f"BIN={BIN}"],
            cwd=self.root, capture_output=True, text=True, timeout=300,
        )


SQUARE = (
    "# --8<-- [start:square]\ndef square(x):\n    \"\"\"\n    >>> square(3)\n    9\n    \"\"\"\n"
    "    return x * x\n# --8<-- [end:square]\n"
)
