"""Generate each page's figures from its snippet module during the build, as SVG.

A snippet module may define FIGURES = {"name.svg": make_figure}, where make_figure returns a
matplotlib Figure. The SVG is added beside the page (docs/a/b.md -> a/name.svg), so the page
links it as `![alt](name.svg)` and link validation sees it. No image is ever committed, so a
figure always matches the code that drew it.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "verified-dl-math"  # stable ids: identical code, identical SVG

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from _project import SNIPPETS, fresh_snippets, snippet_module, snippet_path  # noqa: E402


# page src_uri -> [(figure File, width px, height px)], for on_page_content
_figures: dict[str, list[tuple[File, int, int]]] = {}
# page src_uri -> (hash of its snippet module's source, [(name, svg)]): under `mkdocs serve` a
# rebuild redraws only the figures whose module changed (the hook module lives across rebuilds).
_drawn: dict[str, tuple[str, list[tuple[str, bytes]]]] = {}


def size_px(content: bytes) -> tuple[int, int]:
    """The SVG's size in CSS pixels (matplotlib writes points: 1 pt = 4/3 px)."""
    head = content[:2000].decode("utf-8", "replace")
    width, height = (re.search(rf'<svg[^>]*\b{k}="([\d.]+)pt"', head) for k in ("width", "height"))
    if not (width and height):
        raise PluginError("a figure SVG without a width and height in pt: matplotlib changed its output")
    return round(float(width[1]) * 4 / 3), round(float(height[1]) * 4 / 3)


def svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def on_config(config):
    fresh_snippets()
    return config


def drawn(page_src_uri: str) -> list[tuple[str, bytes]]:
    """The page's figures as (name, SVG), drawn again only when its snippet module changed."""
    source = SNIPPETS / snippet_path(page_src_uri)
    if not source.is_file():
        return []
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if page_src_uri in _drawn and _drawn[page_src_uri][0] == digest:
        return _drawn[page_src_uri][1]
    module = snippet_module(page_src_uri)
    figures = []
    for name, make in getattr(module, "FIGURES", {}).items():
        try:
            figures.append((name, svg(make())))
        except Exception as error:  # a figure that cannot be drawn fails the build, named
            raise PluginError(f"{module.__name__}.FIGURES[{name!r}] failed: {error!r}") from error
    _drawn[page_src_uri] = (digest, figures)
    return figures


def on_files(files, config):
    _figures.clear()
    for page in list(files.documentation_pages()):
        for name, content in drawn(page.src_uri):
            uri = posixpath.join(posixpath.dirname(page.src_uri), name)
            figure = File.generated(config, uri, content=content)
            files.append(figure)
            _figures.setdefault(page.src_uri, []).append((figure, *size_px(content)))
    return files


def on_page_content(html, page, config, files):
    """Give each figure's <img> its width and height: the browser reserves the space before
    the SVG arrives (no layout shift), and CSS still scales it to the column."""
    for figure, width, height in _figures.get(page.file.src_uri, []):
        src = re.escape(figure.url_relative_to(page.file))
        html = re.sub(rf'<img(?![^>]*\bwidth=)([^>]*\bsrc="{src}")', rf'<img width="{width}" height="{height}"\1', html)
    return html
