"""The built site's pages as the accessibility, markup and link tests address them.

PAGES is known before the build (tests are parametrised by it): every Markdown page in docs/,
the generated proof ledger and the rendered notebooks. Material's 404 page is built too.
"""

from __future__ import annotations

from pathlib import Path

from tests.site_build import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")) + ["ledger.md"]
PAGES += [f"notebooks/{p.stem}.md" for p in sorted((DOCS / "notebooks").glob("*.py"))]  # rendered notebooks
NOT_FOUND = "404.html"  # Material's page for unknown addresses; not a Markdown page


def path_of(src: str) -> str:
    """The page's address below the site's root: '' for the home page, 'a/b/' for a/b.md."""
    if src.endswith(".html"):
        return src
    stem = src.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index").removesuffix("index") + "/"


def html_file(site: Path, src: str) -> Path:
    path = path_of(src)
    return site / path if path.endswith(".html") else site / path / "index.html"
