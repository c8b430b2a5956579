"""The OpenType math font of the MathML outputs (`math_output: katex-mathml | temml`).

The browser draws MathML itself, with the font the stylesheet names for `math`: without one it
takes the system's fallback math font, which looked worse than KaTeX. The site serves STIX Two
Math (npm `@fontsource/stix-two-math`, pinned in the project's package.json, SIL Open Font
License 1.1), cut down after the build to what its formulas draw: the characters in the MathML
of every built page, plus every glyph the font's MATH table reaches from them (size variants
and pieces of stretchy brackets, radicals, accents) and the OpenType features MathML layout
asks for (ssty for script-size primes, dtls for dotless i/j, ss01 for \\mathscr). The subset is
renamed (it is a Modified Version in the licence's terms) and served with the licence's text.

Chromium gives a stretchy operator (a bracket after \\left, a \\big bracket, the radical sign) a
box as wide as the widest of the font's MATH variants and assembly pieces, whatever size it
draws, which leaves a gap on each side of "[z]" or "√21". A second, small-delimiter font keeps
only the variants up to SMALL em tall and no assembly: its boxes are snug, and the stylesheet
gives it to the brackets and radicals around one-line content (SMALL_SELECTOR).

Post-build steps, plain functions of a built site: `write_fonts` (the subsets and the licence)
and `preload` (each page's <link rel="preload"> for the fonts it draws with).
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from .errors import EngineError
from .project import Project

MATH_ASSETS = "assets/math"  # the MathML outputs' stylesheet, font subsets and licence
STYLESHEET = "math.css"
PACKAGE = "@fontsource/stix-two-math"  # the font's npm package, in the project's node_modules
SOURCE = "files/stix-two-math-latin-400-normal.woff"  # the whole font, MATH table included
FAMILY = "STIX Two Math Subset"
FILE = "stix-two-math-subset.woff2"
SMALL_FAMILY = FAMILY + " Small"
SMALL_FILE = "stix-two-math-subset-small.woff2"
LICENCE = "stix-two-math-LICENSE.txt"
# KaTeX draws at 1.21 times the text size; STIX Two's x-height is larger than Computer Modern's,
# so a slightly smaller factor gives formulas the size readers have now (compared by eye: tools/math_screens.py).
SCALE = "1.2em"
# Always kept: what is drawn without being in the MathML text: the radical sign of <msqrt>, the
# equation numbers set in HTML, spaces and the invisible operators.
ALWAYS = set("\u221a()0123456789 \u00a0\u2061\u2062\u2063\u2064")
SMALL = 1.5  # em: the tallest variant the small-delimiter font keeps (\big is 1.2 em)
STRETCHY = set("()[]{}|\u2223\u2016\u2225\u221a\u27e8\u27e9\u2308\u2309\u230a\u230b")
# What makes content taller than a line: around it, brackets must grow past SMALL em.
TALL = ("mfrac", "mtable", "munderover", "munder", "mover", "msqrt", "mroot")
SMALL_SELECTOR = (f'mo[minsize="1.2em"],mrow:not(:has({",".join(TALL)}))>mo[fence="true"],'
                  f'msqrt:not(:has({",".join(TALL)}))')

MATH = re.compile(r"<math\b.*?</math>", re.S)
ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.S)
TEXT = re.compile(r">([^<]+)<")
TAG_NUMBER = re.compile(r'<span class="math-tag">([^<]*)</span>')


def source(project: Project) -> Path:
    font = project.node_modules / PACKAGE / SOURCE
    if not font.is_file():
        raise EngineError(f"the MathML outputs need {project.shown(project.node_modules)}/{PACKAGE}: "
                          f"add it to package.json and run `npm ci` (make setup)")
    return font


def characters(page_html: str) -> set[str]:
    """The characters a page's MathML draws (the TeX annotation is not drawn), and its equation numbers."""
    drawn = "".join(TEXT.findall(ANNOTATION.sub("<", "".join(MATH.findall(page_html)))))
    return set(html.unescape(drawn + "".join(TAG_NUMBER.findall(page_html))))


# --- the stylesheet ---------------------------------------------------------------------------

TEMML_OWN_FONT = ("@font-face {\n  font-family: STIX2;\n  src: local('STIXTwoMath'),\n       url('./STIXTwoMath.woff2');\n}\n",
                  "math {\n  font-family: STIX2, math;\n}\n")


def _svg(path: str, width: int) -> str:
    """A CSS url() of an SVG stroke (a mask: only its shape counts), viewBox width x 100."""
    return (f"url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} 100' "
            f"preserveAspectRatio='none'><path d='{path}' fill='none' stroke='black' stroke-width='18'/></svg>\")")


# \underbrace and kin under Temml (temml_render.cjs's hbraces): the brace is a mask over a box as
# wide as the base, painted in the text colour: a curl at each end and the tip (fixed size) and two
# straight runs between them (stretched), so a brace looks the same over any width.
_LINE = "linear-gradient(#000,#000)"
HBRACE_CSS = (
    "mrow.tml-hbrace{position:relative}"
    "mrow.tml-hbrace-under{padding-bottom:.6em}mrow.tml-hbrace-over{padding-top:.6em}"
    "mrow.tml-hbrace-mark{position:absolute;left:0;width:100%;height:.5em;background-color:currentColor;"
    f"mask:{_svg('M5 0Q5 55 60 55H100', 100)} left top/.5em .5em no-repeat,"
    f"{_svg('M95 0Q95 55 40 55H0', 100)} right top/.5em .5em no-repeat,"
    f"{_svg('M0 55H40Q95 55 100 100Q105 55 160 55H200', 200)} center top/1em .5em no-repeat,"
    f"{_LINE} .49em .23em/calc(50% - .98em) .09em no-repeat,{_LINE} right .49em top .23em/calc(50% - .98em) .09em no-repeat}}"
    ".tml-hbrace-under>.tml-hbrace-mark{bottom:0}.tml-hbrace-over>.tml-hbrace-mark{top:0;transform:scaleY(-1)}"
    ".tml-hbrace-bracket>.tml-hbrace-mark{mask:none;background:none;height:.3em;box-sizing:border-box;"
    "border:.05em solid;border-top:none}"
    ".tml-hbrace-mark>mo{opacity:0}\n")


def css(output: str, project: Project) -> str:
    """The stylesheet of a MathML output: the subsets' @font-face rules, `math` drawn with them,
    equation numbers at the right edge; for Temml, its own STIX Two stylesheet without its font
    rules (a local() font would make the page depend on the reader's machine)."""
    face = "".join(f'@font-face{{font-family:"{family}";src:url("{file}") format("woff2");font-display:block}}\n'
                   for family, file in ((FAMILY, FILE), (SMALL_FAMILY, SMALL_FILE)))
    own = (f'math{{font-family:"{FAMILY}",math;font-size:{SCALE}}}\n'
           f'{SMALL_SELECTOR}{{font-family:"{SMALL_FAMILY}","{FAMILY}",math}}'
           f'msqrt>*{{font-family:"{FAMILY}",math}}\n'
           # an equation number in HTML: the formula centred, the number at the right edge
           ".math-tagged{display:grid;grid-template-columns:1fr auto 1fr;align-items:center}"
           ".math-tagged>math,.math-tagged>.katex{grid-column:2}"
           f'.math-tag{{grid-column:3;justify-self:end;padding-left:1em;font-family:"{FAMILY}",math;font-size:{SCALE}}}\n'
           # a display's space above and below as KaTeX's: its .katex-display has .5em inside the
           # display's box (extra.css), which scrolls, so the margins add up instead of collapsing
           ".math-display>math{margin:.5em 0}"
           # aligned rows (Temml's tml-jot, 0.7ex above and below each row) at KaTeX's row pitch,
           # ~32 px on the Adam algorithm instead of 35-37 (tools/math_screens.py)
           "mtable.tml-jot>mtr>mtd{padding-top:.58ex;padding-bottom:.58ex}\n")
    if output == "katex-mathml":  # a display is a block, as Temml's stylesheet says for its own
        return face + own + 'math[display="block"]{display:block math;margin:.5em 0}\n'
    temml = (project.node_modules / "temml" / "dist" / "Temml-STIX2.css").read_text(encoding="utf-8")
    for block in TEMML_OWN_FONT:
        if block not in temml:
            raise EngineError(f"Temml's STIX2 stylesheet has changed: {block.splitlines()[0]!r} not found; "
                              "review verified_docs/mathfont.py")
        temml = temml.replace(block, "")
    return face + temml + own + HBRACE_CSS


def assets(output: str, project: Project) -> list[tuple[str, bytes]]:
    """(site path, content) of what a MathML output serves before the build: its stylesheet and
    the font's licence (the subsets follow the build: write_fonts)."""
    licence = (project.node_modules / PACKAGE / "LICENSE").read_bytes()
    return [(f"{MATH_ASSETS}/{STYLESHEET}", css(output, project).encode("utf-8")), (f"{MATH_ASSETS}/{LICENCE}", licence)]


# --- the subsets --------------------------------------------------------------------------------

def subset(chars: set[str], project: Project) -> dict[str, bytes]:
    """file name -> woff2 of the main subset and the small-delimiter subset."""
    return {FILE: cut(source(project), chars | ALWAYS, FAMILY),
            SMALL_FILE: cut(source(project), (chars | ALWAYS) & STRETCHY, SMALL_FAMILY, small=True)}


def cut(font_file: Path, chars: set[str], family: str, *, small: bool = False) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(font_file)
    if small:
        units = SMALL * font["head"].unitsPerEm
        for construction in font["MATH"].table.MathVariants.VertGlyphConstruction:
            kept = [r for r in construction.MathGlyphVariantRecord if r.AdvanceMeasurement <= units]
            construction.MathGlyphVariantRecord, construction.VariantCount = kept, len(kept)
            construction.GlyphAssembly = None
    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # ssty, dtls, ss01 …: MathML layout asks for them
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    rename(font, family)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def rename(font, family: str) -> None:
    """Family, full and PostScript names say it is the subset, not the font itself."""
    names = font["name"]
    for record in list(names.names):
        ids = (record.platformID, record.platEncID, record.langID)
        if record.nameID in (1, 4, 16, 21):
            names.setName(family, record.nameID, *ids)
        elif record.nameID == 6:
            names.setName(family.replace(" ", ""), 6, *ids)
        elif record.nameID == 3:
            names.setName(f"{family}: a subset of STIX Two Math", 3, *ids)


def write_fonts(site_dir: Path, project: Project) -> dict[str, int]:
    """After the build: the subsets for the characters every built page draws, into the site
    beside the stylesheet. Returns file name -> size in bytes."""
    chars = set().union(*(characters(p.read_text(encoding="utf-8")) for p in sorted(site_dir.rglob("*.html"))))
    folder = site_dir / MATH_ASSETS
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, content in subset(chars, project).items():
        (folder / name).write_bytes(content)
        sizes[name] = len(content)
    return sizes


# --- preloads ------------------------------------------------------------------------------------

STYLESHEET_LINK = re.compile(rf'<link\b[^>]*\bhref="(?P<href>[^"]*{re.escape(MATH_ASSETS)}/{STYLESHEET})"')
FIRST_STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"')
ELEMENT = re.compile(r"<(/?)([a-z]+)((?:\s[^>]*?)?)(/?)>")


def uses_small_font(mathml: str) -> bool:
    """Whether SMALL_SELECTOR matches an element of a formula: then Chromium fetches the small font."""
    stack: list[list] = []  # [name, attributes, has a tall descendant, children]
    found = False

    def tall_inside(node) -> bool:
        return any(child[0] in TALL or tall_inside(child) for child in node[3])

    root = ["#root", "", False, []]
    stack.append(root)
    for close, name, attrs, self_close in ELEMENT.findall(mathml):
        if close:
            if len(stack) > 1:
                stack.pop()
            continue
        node = [name, attrs, False, []]
        stack[-1][3].append(node)
        if not self_close:
            stack.append(node)
    nodes = [(root, None)]
    while nodes and not found:
        node, parent = nodes.pop()
        name, attrs = node[0], node[1]
        if name == "mo" and ('minsize="1.2em"' in attrs or ('fence="true"' in attrs and parent is not None
                                                             and parent[0] == "mrow" and not tall_inside(parent))):
            found = True
        if name == "msqrt" and not tall_inside(node):
            found = True
        nodes += [(child, node) for child in node[3]]
    return found


KATEX_STYLESHEET = re.compile(r'(<link\b[^>]*\bhref="[^"]*)assets/katex/katex\.min\.css"')


def own_stylesheet(page_html: str) -> str:
    """A page built without the plugin (Zensical runs only the Markdown extension) links mkdocs.yml's
    extra_css as written, KaTeX's stylesheet among it; the plugin puts the MathML output's in its
    place (mkdocs_plugin.on_config). The same here, after the build: that link now names this one."""
    if STYLESHEET_LINK.search(page_html):
        return page_html
    return KATEX_STYLESHEET.sub(rf'\1{MATH_ASSETS}/{STYLESHEET}"', page_html, count=1)


def preload(page_html: str) -> str:
    """A built page with a <link rel="preload"> for each math font its formulas draw with, before
    its first stylesheet; the fonts' URL follows the page's link to the math stylesheet."""
    formulas = MATH.findall(page_html)
    if not formulas:
        return page_html
    stylesheet = STYLESHEET_LINK.search(page_html)
    if stylesheet is None:
        raise EngineError(f"a page draws MathML formulas but does not link {MATH_ASSETS}/{STYLESHEET}")
    folder = stylesheet["href"].removesuffix(STYLESHEET)
    fonts = [FILE] + ([SMALL_FILE] if any(map(uses_small_font, formulas)) else [])
    links = "".join(f'<link rel="preload" href="{folder}{font}" as="font" type="font/woff2" crossorigin>' for font in fonts)
    first = FIRST_STYLESHEET.search(page_html)
    head = first.start() if first else page_html.index("</head>")
    return page_html[:head] + links + page_html[head:]
