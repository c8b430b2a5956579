"""The built site's pages, by source file, and their addresses, for every test of the built site.

PAGES is known before the build (tests are parametrised by it): every Markdown page in docs/,
the generated proof ledger and the rendered notebooks. Material's 404 page is built too.
"""

from __future__ import annotations

from pathlib import Path

from tests.site_build import ROOT

DOCS = ROOT / "docs"
NOTEBOOKS = [f"notebooks/{p.stem}.md" for p in sorted((DOCS / "notebooks").glob("*.py"))]  # rendered notebooks
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")) + ["ledger.md"] + NOTEBOOKS
NOT_FOUND = "404.html"  # Material's page for unknown addresses; not a Markdown page


def path_of(src: str) -> str:
    """The page's address below the site's root: '' for the home page, 'a/b/' for a/b.md."""
    if src.endswith(".html"):
        return src
    stem = src.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index").removesuffix("index") + "/"


def url_of(site_url: str, src: str) -> str:
    """The page's URL on a server of the site at site_url (which ends with a slash)."""
    return site_url + path_of(src)


def html_file(site: Path, src: str) -> Path:
    path = path_of(src)
    return site / path if path.endswith(".html") else site / path / "index.html"
