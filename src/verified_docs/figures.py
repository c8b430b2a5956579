"""Draw each page's figures from its snippet module at build time, as SVG.

A snippet module may define FIGURES = {"name.svg": make_figure}, where make_figure returns a
matplotlib Figure. The SVG is served beside the page (docs/a/b.md -> a/name.svg), so the page
links it as `![alt](name.svg)` and link validation sees it. No image is ever committed, so a
figure always matches the code that drew it.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
from dataclasses import dataclass

from .errors import EngineError
from .project import Project

# Any constant makes SVG ids stable (identical code, identical SVG); this one is the first
# site's, so its figures did not change when the engine moved out of its hooks.
SVG_SALT = "verified-dl-math"


@dataclass(frozen=True)
class Figure:
    page: str  # the page's src_uri
    uri: str  # where the site serves it, beside the page
    content: bytes
    width: int  # CSS pixels
    height: int


def size_px(content: bytes) -> tuple[int, int]:
    """The SVG's size in CSS pixels (matplotlib writes points: 1 pt = 4/3 px)."""
    head = content[:2000].decode("utf-8", "replace")
    width, height = (re.search(rf'<svg[^>]*\b{k}="([\d.]+)pt"', head) for k in ("width", "height"))
    if not (width and height):
        raise EngineError("a figure SVG without a width and height in pt: matplotlib changed its output")
    return round(float(width[1]) * 4 / 3), round(float(height[1]) * 4 / 3)


def svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


class Figures:
    """Draws figures, and draws a page's again only when its snippet module's source changed:
    keep one instance across rebuilds (a dev server) and a rebuild redraws only what changed."""

    def __init__(self, project: Project):
        self.project = project
        self.drawn: dict[str, tuple[str, list[tuple[str, bytes]]]] = {}  # page -> (source hash, [(name, svg)])

    def of_page(self, page: str) -> list[tuple[str, bytes]]:
        source = self.project.snippets_dir / self.project.snippet_path(page)
        if not source.is_file():
            return []
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        if page in self.drawn and self.drawn[page][0] == digest:
            return self.drawn[page][1]
        import matplotlib

        matplotlib.use("Agg")
        matplotlib.rcParams["svg.hashsalt"] = SVG_SALT
        module = self.project.snippet_module(page)
        figures = []
        for name, make in getattr(module, "FIGURES", {}).items():
            try:
                figures.append((name, svg(make())))
            except Exception as error:  # a figure that cannot be drawn fails the build, named
                raise EngineError(f"{module.__name__}.FIGURES[{name!r}] failed: {error!r}") from error
        self.drawn[page] = (digest, figures)
        return figures

    def draw(self, pages: list[str]) -> list[Figure]:
        """Every figure of these pages (src_uris), each with its size."""
        return [Figure(page, posixpath.join(posixpath.dirname(page), name), content, *size_px(content))
                for page in pages for name, content in self.of_page(page)]


def prepare_img(tag: str, size: tuple[int, int]) -> str:
    """A figure's <img> tag, given its size unless it has one (width and height: the browser reserves
    the space before the image arrives, no layout shift; CSS still scales it to the column) and
    loaded only when the reader nears it, decoded off the critical path, unless it says otherwise.

    Figures sit below the first screen on every page here, and an image fetched with the page is
    work the first paint waits for: Lighthouse (mobile) put the Newton and Adam pages' largest paint
    at 2.8 s with their figures fetched eagerly and at 1.9 s lazily, performance 0.85-0.87 -> 0.98
    (medians of 3, interleaved runs; tools/bench). A figure in the first screen still loads at once:
    the browser starts lazy images near the viewport."""
    added = []
    if not re.search(r"\s(?:width|height)=", tag):
        added += [f'width="{size[0]}"', f'height="{size[1]}"']
    if not re.search(r"\sloading=", tag):
        added.append('loading="lazy"')
    if not re.search(r"\sdecoding=", tag):
        added.append('decoding="async"')
    return tag[:4] + "".join(f" {a}" for a in added) + tag[4:] if added else tag


def size_images(html: str, sizes: dict[str, tuple[int, int]]) -> str:
    """Each <img> whose src is a key of `sizes`, prepared (`prepare_img`)."""
    for src, size in sizes.items():
        html = re.sub(rf'<img\b[^>]*\bsrc="{re.escape(src)}"[^>]*>', lambda m, size=size: prepare_img(m[0], size), html)
    return html
