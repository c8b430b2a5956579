"""Checks of a built site, whatever built it (MkDocs, ProperDocs, Zensical): each returns what
is wrong, empty when all is well. tests/test_site.py and tests/test_claims.py hold the real
build to them; tests/test_canaries.py holds the other generators' builds to them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlparse

from tests.site_html import page_for, pages, visible_text

TEX_LEFTOVER = re.compile(r"\$|\\\(|\\\)|\\\[|\\\]|\\[A-Za-z]+")
# A formula's wrapper and its TeX: the MathML's annotation, or (Temml's inline formulas, which
# break across lines only without the <semantics> wrapper) the <math> element's alttext.
FORMULA = re.compile(r'<(?P<tag>div|span) class="math-(?:display|inline)[^"]*"(?P<attrs>[^>]*)>(?P<body>.*?)'
                     r'(?:</annotation>|<math\b[^>]*\balttext="(?P<alttext>[^"]*)")', re.S)
# A MathML output sets a display's number in HTML after the formula (verified_docs/katex.py untagged).
NUMBER_AFTER = re.compile(r'\s*</semantics></math>(?:</span>)?<span class="math-tag">\(([^)<]*)\)</span>')
MARKED = re.compile(r'\bdata-(?:claim|given|quoted)\b')
HOME = re.compile(r'\bid="(?:claim-|eq-)')  # a claim's anchor: the ledger links there
ANNOTATION = re.compile(r'<annotation encoding="application/x-tex"[^>]*>(.*)$', re.S)
RESOURCE = re.compile(
    r"""(?:\bsrc|\bhref|\bsrcset|\bposter|\bdata)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""",
    re.I,
)
NAMESPACES = {"www.w3.org", "purl.org", "creativecommons.org", "web.resource.org"}
LOCAL = {"127.0.0.1:8000", "localhost:8000"}


def missing_pages(site: Path, sources: list[str]) -> list[str]:
    """Pages of docs/ (src paths) that have no built HTML."""
    return [src for src in sources if not page_for(site, src).is_file()]


def raw_tex(page_html: str) -> list[str]:
    """What of a page's maths was not typeset: arithmatex markup, KaTeX errors, TeX in the text."""
    found = sorted({m[0] for m in TEX_LEFTOVER.finditer(visible_text(page_html))})
    if 'class="arithmatex"' in page_html:
        found.append("arithmatex markup")
    if "katex-error" in page_html:
        found.append("katex-error")
    return found


def formulas(site: Path) -> list[tuple[str, bool, str, str]]:
    """(page, display?, attributes, TeX) of every formula rendered on the site, in page order (a
    number set in HTML by a MathML output read back as the \\tag KaTeX's output keeps in its TeX)."""
    found = []
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        for match in FORMULA.finditer(text):
            tex = html.unescape(match["alttext"] if match["alttext"] is not None else ANNOTATION.search(match["body"])[1])
            number = NUMBER_AFTER.match(text, match.end())
            found.append((page.relative_to(site).as_posix(), match["tag"] == "div", match["attrs"],
                          tex + (f" \\tag{{{number[1]}}}" if number else "")))
    return found


def displays(site: Path) -> list[tuple[str, str, str]]:
    """(page, attributes, TeX) of every display equation KaTeX rendered on the site."""
    return [(page, attrs, tex) for page, display, attrs, tex in formulas(site) if display]


def unnumbered(site: Path, labels: dict[str, tuple[str, int]]) -> list[str]:
    """Labels (name -> (page, number), from the docs index) whose equation is not numbered on the site."""
    numbered = {}
    for _, attrs, tex in displays(site):
        name = re.search(r'id="eq-([^"]+)"', attrs)
        tag = re.search(r"\\tag\{(\d+)\}", tex)
        if name and tag:
            numbered[name[1]] = int(tag[1])
    return sorted(name for name, (_, number) in labels.items() if numbered.get(name) != number)


def unmarked_claims(site: Path, claims: set[str]) -> list[str]:
    """Claims shown nowhere or in more than one display (inline restatements are allowed), claims
    without their home anchor, and displays with no marker (claim, given or quoted)."""
    shown, in_displays, homes, problems = set(), [], set(), []
    for page, display, attrs, tex in formulas(site):
        claim = re.search(r'data-claim="([^"]+)"', attrs)
        if claim:
            shown.add(claim[1])
            in_displays += [claim[1]] if display else []
            if HOME.search(attrs):
                homes.add(claim[1])
        elif display and not MARKED.search(attrs):
            problems.append(f"{page}: unmarked display {tex.strip()[:60]!r}")
    problems += [f"{c} shown nowhere" for c in sorted(claims - shown)]
    problems += [f"{c} shown in {in_displays.count(c)} displays" for c in sorted(set(in_displays)) if in_displays.count(c) > 1]
    problems += [f"{c} has no home anchor" for c in sorted(shown & claims - homes)]
    return problems + [f"unknown claim {c}" for c in sorted(shown - claims)]


ANCHOR = re.compile(r"<a\s[^>]*>")


def external_hosts(text: str) -> set[str]:
    """Hosts the text loads from. A link (<a href>) loads nothing until a reader follows it: the
    ledger links each check into the repository; tests/browser/test_links.py says where links may go."""
    hosts = set()
    for match in RESOURCE.finditer(ANCHOR.sub("", text)):
        url = next(group for group in match.groups() if group)
        parsed = urlparse(url.strip())
        if parsed.scheme in ("http", "https") or url.strip().startswith("//"):
            hosts.add(parsed.netloc)
    return hosts - NAMESPACES


def third_party_hosts(site: Path) -> dict[str, list[str]]:
    """file -> the other hosts its HTML, CSS or SVG loads resources from."""
    offenders = {}
    for path in sorted(site.rglob("*")):
        if path.suffix in {".html", ".css", ".svg"}:
            hosts = external_hosts(path.read_text(encoding="utf-8", errors="replace")) - LOCAL
            if hosts:
                offenders[path.relative_to(site).as_posix()] = sorted(hosts)
    return offenders


def img_tags(site: Path):
    """(page's path in the site, tag) for every <img> of every page."""
    for page in pages(site):
        for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
            yield page.relative_to(site).as_posix(), tag


def unsized_images(site: Path) -> list[str]:
    """<img> tags without a width and a height (the browser could not reserve their space)."""
    return [f"{page}: {tag[:80]}" for page, tag in img_tags(site)
            if not (re.search(r"\bwidth=", tag) and re.search(r"\bheight=", tag))]


def eager_images(site: Path) -> list[str]:
    """<img> tags fetched and decoded with the page rather than when the reader nears them
    (verified_docs.figures.prepare_img says why and what it measured)."""
    return [f"{page}: {tag[:80]}" for page, tag in img_tags(site)
            if not ('loading="lazy"' in tag and 'decoding="async"' in tag)]
