"""The site's pages, by source file, and their URLs on the test server."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")) + ["ledger.md"]
NOTEBOOKS = [f"notebooks/{p.stem}.md" for p in sorted((DOCS / "notebooks").glob("*.py"))]  # rendered notebooks
PAGES += NOTEBOOKS


def url_of(site_url: str, src: str) -> str:
    stem = src.removesuffix(".md")
    if stem == "index":
        return site_url
    return site_url + stem.removesuffix("/index").removesuffix("index") + "/"
