"""Preload the KaTeX fonts each page draws with, so the first layout already has them.

KaTeX's fonts use `font-display: block`: until a font arrives its glyphs are laid out with
fallback metrics, and when it arrives the lines move (Lighthouse measured a layout shift of
0.1-0.16 on formula-heavy pages, 0 once the fonts were cached). A `<link rel="preload">` in
the head fetches them alongside the stylesheets, before the first layout.

Which faces a page needs follows from KaTeX's stylesheet: every element of KaTeX's HTML gets
its family, weight and style from the rules of katex.min.css that match it (and from its
ancestors), and the face that CSS font matching picks for that is preloaded.
Only these faces: a preloaded font the page does not use costs bytes and a console warning.
tests/browser checks that the fonts Chromium fetches are exactly the preloaded ones.

A post-build step: it reads a built page and needs no generator.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .errors import EngineError
from .project import KATEX_ASSETS

KATEX_STYLESHEET = re.compile(r'<link\b[^>]*\bhref="(?P<href>[^"]*katex\.min\.css)"')
STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
Face = tuple[str, int, str]  # family, weight, style


def read_stylesheet(css: str) -> tuple[dict[Face, str], list[tuple[list[list[tuple[str | None, frozenset]]], dict]]]:
    """(@font-face: face -> woff2 file, [(selectors, font declarations)] in stylesheet order)."""
    faces = {}
    for body in re.findall(r"@font-face\{([^}]*)\}", css):
        decl = dict(re.findall(r"([\w-]+):([^;]+)", body))
        woff2 = re.search(r"fonts/([\w-]+\.woff2)", body)
        if woff2:
            faces[(decl["font-family"], weight(decl.get("font-weight", "400")), decl.get("font-style", "normal"))] = woff2[1]
    rules = []
    for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", re.sub(r"@font-face\{[^}]*\}", "", css)):
        decl = font_declarations(body)
        parsed = [compounds(s) for s in selectors.split(",")]
        if decl and all(p is not None for p in parsed):
            rules.append((parsed, decl))
    return faces, rules


def weight(value: str) -> int:
    return {"normal": 400, "bold": 700}.get(value.strip(), None) or int(value)


def font_declarations(body: str) -> dict:
    decl = dict((k.strip(), v.strip()) for k, v in re.findall(r"([\w-]+):([^;]+)", body))
    found = {}
    if "font" in decl:  # the shorthand resets style and weight: `normal 1.21em KaTeX_Main,…`
        found = {"style": "normal", "weight": 400}
        family = re.search(r"(KaTeX_\w+)", decl["font"])
        if family:
            found["family"] = family[1]
    if decl.get("font-family", "").startswith("KaTeX_"):
        found["family"] = decl["font-family"].split(",")[0]
    if "font-style" in decl:
        found["style"] = decl["font-style"]
    if "font-weight" in decl:
        found["weight"] = weight(decl["font-weight"])
    return found


def compounds(selector: str) -> list[tuple[str | None, frozenset]] | None:
    """`.katex .a.b>span` -> [(None, {katex}), (None, {a, b}), ("span", {})]; None if not that simple.

    Child combinators are read as descendant ones: a rule may match a little too often, never
    too rarely, and the browser test catches a font preloaded in vain.
    """
    parts = []
    for compound in selector.replace(">", " ").split():
        match = re.fullmatch(r"([a-z]+)?((?:\.[\w-]+)*)", compound)
        if not match:
            return None
        parts.append((match[1], frozenset(c for c in match[2].split(".") if c)))
    return parts


def matches(selector, chain) -> bool:
    """Does the last element of chain [(tag, classes), …] match the selector's compounds?"""
    def fits(part, element):
        return (part[0] is None or part[0] == element[0]) and part[1] <= element[1]

    *ancestors, last = selector
    if not fits(last, chain[-1]):
        return False
    position = len(chain) - 2
    for part in reversed(ancestors):
        while position >= 0 and not fits(part, chain[position]):
            position -= 1
        if position < 0:
            return False
        position -= 1
    return True


def pick(family: str, weight_: int, style: str, faces: dict[Face, str]) -> str | None:
    """The face CSS font matching picks: the style asked for if the family has it, then the nearest weight."""
    candidates = [f for f in faces if f[0] == family]
    if not candidates:
        return None
    styled = [f for f in candidates if f[2] == style] or candidates
    return faces[min(styled, key=lambda f: (abs(f[1] - weight_), f[1]))]


class FontsUsed(HTMLParser):
    """Walks a formula's HTML and collects the woff2 file of every element KaTeX lays out.

    Not only elements that hold text: an inline box takes its line metrics from its own
    first font, so Chromium fetches KaTeX_Main for the `.katex` box even if all its glyphs
    are in KaTeX_Math.
    """

    def __init__(self, faces: dict[Face, str], rules: list):
        super().__init__(convert_charrefs=True)
        self.faces, self.rules = faces, rules
        self.stack: list[tuple[str, frozenset, dict | None]] = []  # (tag, classes, font or None outside KaTeX)
        self.used: set[str] = set()

    def handle_starttag(self, tag, attrs):
        classes = frozenset((dict(attrs).get("class") or "").split())
        parent = self.stack[-1][2] if self.stack else None
        font = None
        if parent is not None or "katex" in classes:
            font = dict(parent or {})
            chain = None
            for selectors, decl in self.rules:
                for selector in selectors:
                    last_tag, last_classes = selector[-1]
                    if (last_tag is None or last_tag == tag) and last_classes <= classes:  # cheap test first
                        chain = chain or [(t, c) for t, c, _ in self.stack] + [(tag, classes)]
                        if matches(selector, chain):
                            font.update(decl)
                            break
        if font and "family" in font:
            self.use(font)
        if tag not in VOID:
            self.stack.append((tag, classes, font))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def use(self, font: dict) -> None:
        woff2 = pick(font["family"], font.get("weight", 400), font.get("style", "normal"), self.faces)
        if woff2:
            self.used.add(woff2)


KATEX_HTML = re.compile(r'<span class="katex-html"')
SPAN = re.compile(r"<(/?)span\b")


def formulas(html: str):
    """Each formula's drawn part (`<span class="katex-html">…</span>`), found by counting spans:
    KaTeX's HTML nests only spans (and SVG, which holds none)."""
    for start in KATEX_HTML.finditer(html):
        depth = 0
        for tag in SPAN.finditer(html, start.start()):
            depth += -1 if tag[1] else 1
            if depth == 0:
                yield html[start.start():tag.end() + 1]
                break


class FontPreloads:
    """Reads KaTeX's stylesheet once; remembers each formula's faces (most formulas come back
    unchanged on every rebuild under `mkdocs serve`, so keep one of these across rebuilds)."""

    def __init__(self, katex_css: Path):
        self.faces, self.rules = read_stylesheet(katex_css.read_text(encoding="utf-8"))
        self.cache: dict[str, frozenset[str]] = {}

    def formula_fonts(self, katex_html: str) -> frozenset[str]:
        if katex_html not in self.cache:
            parser = FontsUsed(self.faces, self.rules)
            parser.feed(f'<span class="katex">{katex_html}</span>')
            parser.close()
            self.cache[katex_html] = frozenset(parser.used)
        return self.cache[katex_html]

    def fonts_used(self, html: str) -> set[str]:
        """The faces the KaTeX formulas in html draw with (MathML and other text need none)."""
        return set().union(*map(self.formula_fonts, formulas(html)))

    def add(self, page_html: str) -> str:
        """A built page with a `<link rel="preload">` for each face its formulas draw with, put
        before its first stylesheet; the fonts' URL follows the page's link to katex.min.css."""
        fonts = sorted(self.fonts_used(page_html))
        if not fonts:
            return page_html
        stylesheet = KATEX_STYLESHEET.search(page_html)
        if stylesheet is None:
            raise EngineError(f"a page draws KaTeX formulas but does not link {KATEX_ASSETS}/katex.min.css "
                              "(add it to extra_css)")
        folder = stylesheet["href"].removesuffix("katex.min.css")
        links = "".join(f'<link rel="preload" href="{folder}fonts/{font}" as="font" type="font/woff2" crossorigin>'
                        for font in fonts)
        first = STYLESHEET.search(page_html)
        head = first.start() if first else page_html.index("</head>")
        return page_html[:head] + links + page_html[head:]


