"""Reading the built site as a reader would: pages, code blocks, visible text."""

from __future__ import annotations

import html
import re
from pathlib import Path

CODE_BLOCK = re.compile(r'<div class="language-(?P<lang>\w+) highlight"><pre>(?P<body>.*?)</pre></div>', re.S)
# Not shown to readers: code, scripts, styles, MathML annotations, comments, and the copy of each
# notebook cell's source that mkdocs-jupyter keeps for its copy button (.clipboard-copy-txt is
# display:none in its stylesheet; plain text, no nested elements).
HIDDEN = re.compile(
    r"<(script|style|pre|code|annotation|svg|textarea)\b.*?</\1>|<!--.*?-->"
    r"|<div class=\"clipboard-copy-txt\"[^>]*>[^<]*</div>", re.S | re.I
)
TAG = re.compile(r"<[^>]+>")


def pages(site: Path) -> list[Path]:
    """Every content page of a built site (not the 404 page)."""
    return sorted(p for p in site.rglob("index.html"))


def text_of(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment))


def code_blocks(page_html: str, lang: str = "python") -> list[str]:
    """The text of each highlighted code block, as the copy button copies it."""
    return [text_of(m["body"]) for m in CODE_BLOCK.finditer(page_html) if m["lang"] == lang]


def visible_text(page_html: str) -> str:
    """Rendered prose: without code, scripts, styles and KaTeX's MathML annotations."""
    body = page_html.split("<body", 1)[-1]
    return text_of(HIDDEN.sub(" ", body))


def page_for(site: Path, src_uri: str) -> Path:
    """Built HTML file of a docs page (directory URLs): a/b.md -> a/b/index.html."""
    stem = src_uri.removesuffix(".md")
    return site / ("index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html")
