"""A temporary engine project for in-process tests: docs/, a snippet package, one demo page.

A helper, not a test (the `site` and `katex` fixtures in tests/conftest.py hand it out).
"""

from __future__ import annotations

import markdown
import pytest

from tests.site_build import ROOT, SQUARE
from verified_docs.engine import Engine
from verified_docs.errors import EngineError
from verified_docs.index import body
from verified_docs.project import Project

PACKAGE = "demo_snippets"  # not "snippets": the site's own package stays importable in this process
SQUARE_CLAIM = "\nfrom verified_docs import Claim\n\nCLAIMS = [Claim('demo.square', 'Two squared is four', value=lambda: square(2))]\n"
PAGE = '# Page\n\n## A section\n\nInline $x^2$ and display:\n\n$$\nx^2 = 4 \\given\n$$\n\n```python\n--8<-- "demo/page.py:square"\n```\n'


class Site:
    """A temporary project: docs/index.md, docs/demo/page.md and its snippet module."""

    def __init__(self, root, katex):
        self.root, self.katex = root, katex
        self.write(f"{PACKAGE}/__init__.py", "")
        self.write(f"{PACKAGE}/demo/__init__.py", "")
        self.write(f"{PACKAGE}/demo/page.py", SQUARE)
        self.write("docs/index.md", "# Home\n\nSee [the page](demo/page.md).\n")
        self.write("docs/demo/page.md", PAGE)
        (root / "node_modules").symlink_to(ROOT / "node_modules")

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, relative: str, old: str, new: str) -> None:
        text = (self.root / relative).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new, 1))

    def claim_square(self, tex: str = r"2^2 = 4 \claim{demo.square}") -> None:
        self.write(f"{PACKAGE}/demo/page.py", SQUARE + SQUARE_CLAIM)
        self.edit("docs/demo/page.md", r"x^2 = 4 \given", tex)

    def engine(self) -> Engine:
        """A build's engine for this project, sharing the test run's KaTeX process."""
        return Engine(self.project, generated=("ledger.md",), fresh=True, katex=self.katex)

    @property
    def project(self) -> Project:
        return Project.at(self.root, snippets_dir=PACKAGE)

    def render(self, page: str = "demo/page.md", *, name_page: bool = True) -> str:
        """The page's HTML, rendered as a generator would: by the extension with pymdownx.snippets."""
        engine = self.engine()
        md = markdown.Markdown(
            extensions=["verified_docs.extension", "pymdownx.snippets"],
            extension_configs={
                "verified_docs.extension": {"engine": engine, "page": page if name_page else ""},
                "pymdownx.snippets": {"base_path": [str(self.root / PACKAGE)], "check_paths": True},
            })
        return md.convert(body((self.root / "docs" / page).read_text(encoding="utf-8")))

    def fails(self, *fragments: str, page: str = "demo/page.md") -> str:
        with pytest.raises(EngineError) as error:
            self.render(page)
        for fragment in fragments:
            assert fragment in str(error.value), f"{fragment!r} not in: {error.value}"
        return str(error.value)
