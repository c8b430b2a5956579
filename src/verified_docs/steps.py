"""The build's steps before and after pages render, as plain functions of a project.

A generator plugin calls them at its events (verified_docs.mkdocs_plugin); a generator
without one (Zensical) gets the same result from `python -m verified_docs prebuild` before
its build and `python -m verified_docs postbuild` after it.

Before: notebooks (executed, cached; written into docs/), figures, the ledger page, KaTeX's
stylesheet and fonts (or, for a MathML output, its stylesheet and font licence). After: font
preloads on every page, CSS pruning of notebook pages (and, for generators without the plugin,
the figures' sizes); for a MathML output, the math font subset to what the built pages draw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import css, katex, mathfont
from .engine import Engine
from .figures import Figure, Figures, size_images, size_px
from .fonts import FontPreloads
from .ledger import LEDGER, ledger_markdown
from .notebooks import Notebooks


@dataclass
class Prebuilt:
    """What the build adds to docs/ before it renders pages."""

    notebooks: list[Path]  # written into docs/notebooks/ (and docs/downloads/) already
    figures: list[Figure]  # beside their pages
    ledger: str  # the ledger page's Markdown
    assets: list[tuple[str, bytes]]  # (site path, content): KaTeX's stylesheet and fonts, or the MathML output's


def prebuild(engine: Engine, figures: Figures, *, serving: bool = False, require_passed: bool = False,
             notebooks: bool = True, repo_url: str = "", urls: dict[str, str] | None = None,
             render: bool = True) -> Prebuilt:
    """Run every pre-build step; the docs index checks every page on the way. repo_url, urls and
    render: see `ledger_markdown`."""
    written = Notebooks(engine.project, serving).build() if notebooks else []
    drawn = figures.draw(list(engine.index.pages))
    ledger = ledger_markdown(engine, require_passed, repo_url, urls, render)
    return Prebuilt(written, drawn, ledger, math_assets(engine))


def math_assets(engine: Engine) -> list[tuple[str, bytes]]:
    """(site path, content) of what the build's math output serves: KaTeX's stylesheet and fonts,
    or a MathML output's stylesheet and font licence (its font subsets follow the build)."""
    output = engine.katex.output
    return katex.assets(engine.project) if output == "katex" else mathfont.assets(output, engine.project)


def write_prebuilt(prebuilt: Prebuilt, docs_dir: Path) -> list[Path]:
    """Put figures, the ledger and KaTeX's assets into a docs folder, for generators that take
    only files from disk. Returns what was written."""
    written = []
    for figure in prebuilt.figures:
        path = docs_dir / figure.uri
        path.write_bytes(figure.content)
        written.append(path)
    (docs_dir / LEDGER).write_text(prebuilt.ledger, encoding="utf-8")
    written.append(docs_dir / LEDGER)
    for uri, content in prebuilt.assets:
        (docs_dir / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs_dir / uri).write_bytes(content)
        written.append(docs_dir / uri)
    return written


def postbuild_page(html: str, fonts: FontPreloads, *, notebook: bool, output: str = "katex") -> str:
    """One built page, finished: its math fonts preloaded (KaTeX's, or the MathML output's); a
    notebook page's CSS pruned."""
    html = fonts.add(html) if output == "katex" else mathfont.preload(mathfont.own_stylesheet(html))
    return css.prune(html) if notebook else html


UNSIZED_SVG = re.compile(r'<img(?![^>]*\bwidth=)[^>]*\bsrc="(?P<src>[^":]+\.svg)"')


def figure_sizes(html: str, page: Path) -> dict[str, tuple[int, int]]:
    """src -> size of each unsized <img> of a built page that shows a figure drawn by the engine
    (matplotlib's SVG, sized in pt), read from the built file; what the plugin does at render."""
    sizes = {}
    for match in UNSIZED_SVG.finditer(html):
        svg = (page.parent / match["src"]).resolve()
        if svg.is_file() and b'pt"' in svg.read_bytes()[:2000]:
            sizes[match["src"]] = size_px(svg.read_bytes())
    return sizes


def postbuild_site(site_dir: Path, fonts: FontPreloads, notebook_pages: tuple[str, ...] = ("notebooks/",), *,
                   output: str = "katex", project=None) -> int:
    """`postbuild_page` over every HTML file of a built site, figures sized, and a MathML output's
    font subsets written (`project` says where the font is); returns how many pages changed."""
    if output != "katex":
        mathfont.write_fonts(site_dir, project)
    changed = 0
    for path in sorted(site_dir.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        relative = path.relative_to(site_dir).as_posix()
        done = postbuild_page(size_images(html, figure_sizes(html, path)), fonts, notebook=relative.startswith(notebook_pages),
                              output=output)
        if done != html:
            path.write_text(done, encoding="utf-8")
            changed += 1
    return changed
