"""Build-time KaTeX: one Node process renders every formula of a build, batched a page at a time.

The protocol (katex_render.cjs): one JSON batch per line in, `{"items": [{"tex", "display"}]}`
(an item may ask for `"output": "html"`: the drawn part alone, no MathML); one JSON line out,
`{"results": [{"html"} | {"error"}]}`. KaTeX runs with `throwOnError`,
`strict: "error"` and `output: "htmlAndMathml"`: the MathML keeps the TeX in an
`<annotation encoding="application/x-tex">` (the displayed-form check reads it back) and
serves screen readers. No maths JavaScript reaches the browser.

The math output (the extension's `math_output` option) chooses what the formulas become:

    katex         KaTeX's HTML for the eye and MathML for assistive technology (the default)
    katex-mathml  KaTeX's MathML only, drawn by the browser (MathML Core)
    temml         Temml's MathML Core only (temml_render.cjs), drawn by the browser

The two MathML outputs are drawn with a subset of an OpenType math font (verified_docs/mathfont.py).
Whatever the output, KaTeX parses and checks every formula: the TeX a site may write is the same.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from .errors import EngineError
from .project import KATEX_ASSETS, Project

RENDERER = Path(__file__).with_name("katex_render.cjs")
MATHML = '<span class="katex-mathml">'
OUTPUTS = ("katex", "katex-mathml", "temml")
ANNOTATION = '<annotation encoding="application/x-tex">'
# An equation number as the extension writes it from \label (never a numeric \tag in the source).
TAG = re.compile(r"\\tag\{(?P<number>[^{}]*)\}")


def math_output(value: str | None) -> str:
    """The math output named by an option ("" or None: the default), checked."""
    output = str(value or "katex")
    if output not in OUTPUTS:
        raise EngineError(f"math_output: {output!r} is not one of {', '.join(OUTPUTS)}")
    return output


class KatexRenderer:
    """A Node process running KaTeX (or Temml, after KaTeX's checks), started on first use; `close()` ends it."""

    def __init__(self, project: Project, output: str = "katex"):
        self.project = project
        self.output = math_output(output)
        self.process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            node = shutil.which("node")
            if node is None or not (self.project.katex_dist / "katex.min.css").is_file():
                raise EngineError(f"KaTeX needs Node and {self.project.shown(self.project.node_modules)}/katex: "
                                  "run `npm ci` (make setup)")
            # NODE_PATH: KaTeX is the project's (its package-lock pins it), not the engine's.
            env = {**os.environ, "NODE_PATH": str(self.project.node_modules)}
            self.process = subprocess.Popen(
                [node, str(RENDERER), self.output], cwd=self.project.root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                text=True, encoding="utf-8", bufsize=1, env=env,
            )
        return self.process

    def render(self, items: list[dict]) -> list[dict]:
        """Render [{"tex", "display"[, "output"]}] with KaTeX; each result has "html" or "error"."""
        if not items:
            return []
        node = self._start()
        node.stdin.write(json.dumps({"items": items}) + "\n")
        node.stdin.flush()
        line = node.stdout.readline()
        if not line:
            raise EngineError(f"the KaTeX renderer ({RENDERER.name}) exited with code {node.poll()}")
        answer = json.loads(line)
        if "fatal" in answer:
            raise EngineError(f"the KaTeX renderer failed: {answer['fatal']}")
        return answer["results"]

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=30)
            self.process.stdout.close()
            self.process = None

    def __enter__(self) -> KatexRenderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def search_excluded(rendered: str) -> str:
    """A formula with its TeX kept out of the search index: search previews show the glyphs, not
    the TeX source. KaTeX's HTML output: its whole MathML half; MathML outputs: the annotation."""
    if MATHML in rendered:
        return rendered.replace(MATHML, MATHML[:-1] + ' data-search-exclude="mathml">', 1)
    return rendered.replace(ANNOTATION, ANNOTATION[:-1] + ' data-search-exclude="tex">', 1)


def untagged(tex: str, output: str) -> tuple[str, str | None]:
    """(TeX to render, equation number to set beside it, or None).

    KaTeX's HTML sets a display's \\tag itself. Drawn from MathML, a tagged display becomes a
    table whose width Chromium's layout ignores (the number lands beside the formula, not at the
    right edge): the MathML outputs render the TeX without its \\tag and the number is set in
    HTML (`wrap`), at the right edge as KaTeX's is, and read after the formula.
    """
    found = TAG.search(tex) if output != "katex" else None
    return (TAG.sub("", tex, count=1), f"({found['number']})") if found else (tex, None)


def drawn(rendered: str, number: str | None) -> str:
    """A rendered formula as the page shows it: its TeX kept from search, its number (see `untagged`) after it."""
    number_html = f'<span class="math-tag">{html.escape(number)}</span>' if number is not None else ""
    return search_excluded(rendered) + number_html


def kind(display: bool, number: str | None) -> str:
    """The wrapper's class: math-display or math-inline; math-tagged with a number set in HTML."""
    return ("math-display" if display else "math-inline") + (" math-tagged" if number is not None else "")


def wrap(rendered: str, display: bool, attrs: dict[str, str]) -> str:
    """A rendered formula (untagged: notebooks hold no displays) in the site's wrapper element,
    as the Markdown extension writes it."""
    tag = "div" if display else "span"
    attributes = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return f'<{tag} class="{kind(display, None)}"{attributes}>{drawn(rendered, None)}</{tag}>'


# The site ships KaTeX's woff2 fonts only (every browser Material supports reads woff2). KaTeX's
# stylesheet also names woff and truetype fallbacks for each face: 40 addresses the site would
# answer with 404, so they are cut from the copy the site serves.
FALLBACKS = re.compile(r',url\(fonts/[\w-]+\.woff\) format\("woff"\),url\(fonts/[\w-]+\.ttf\) format\("truetype"\)')


def katex_css(project: Project) -> str:
    """KaTeX's stylesheet as the site serves it: each @font-face names its woff2 file only."""
    css = (project.katex_dist / "katex.min.css").read_text(encoding="utf-8")
    css, cut = FALLBACKS.subn("", css)
    if cut != css.count("@font-face"):
        raise EngineError(f"KaTeX's @font-face rules changed: cut fallbacks from {cut} of {css.count('@font-face')}; "
                          "review verified_docs/katex.py")
    return css


def assets(project: Project) -> list[tuple[str, bytes]]:
    """(site path, content) of KaTeX's stylesheet and woff2 fonts, which the site serves itself."""
    fonts = sorted((project.katex_dist / "fonts").glob("*.woff2"))
    return [(f"{KATEX_ASSETS}/katex.min.css", katex_css(project).encode("utf-8")),
            *((f"{KATEX_ASSETS}/fonts/{font.name}", font.read_bytes()) for font in fonts)]


# --- notebooks: mkdocs-jupyter renders their Markdown cells itself and leaves $…$ as text ------

NOTEBOOK_MARKDOWN = re.compile(r'(<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(.*?)(</div>)', re.S)
NOTEBOOK_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)(?<!\\)\$", re.S)
CODE = re.compile(r"(<(pre|code)\b.*?</\2>)", re.S)


def render_notebook_math(content: str, renderer: KatexRenderer, where: str) -> str:
    """Typeset the $…$ and $$…$$ of a notebook page's Markdown cells (outside code) with KaTeX."""
    found: list[tuple[str, bool]] = []

    def collect(match: re.Match) -> str:
        display = match["display"] is not None
        found.append((html.unescape(match["display"] if display else match["inline"]), display))
        return f"\x00{len(found) - 1}\x00"

    def mark(text: str) -> str:
        pieces = CODE.split(text)
        for k in range(0, len(pieces), 3):  # outside <pre>/<code> only
            pieces[k] = NOTEBOOK_MATH.sub(collect, pieces[k])
        return "".join(p for k, p in enumerate(pieces) if k % 3 != 2)

    marked = NOTEBOOK_MARKDOWN.sub(lambda m: m[1] + mark(m[2]) + m[3], content)
    results = renderer.render([{"tex": tex, "display": display} for tex, display in found])
    errors = [f"{where}: KaTeX cannot render {tex.strip()!r}: {r['error']}" for (tex, _), r in zip(found, results) if "error" in r]
    if errors:
        raise EngineError("TeX error(s):\n" + "\n".join(errors))
    return re.sub("\x00(\\d+)\x00", lambda m: wrap(results[int(m[1])]["html"], found[int(m[1])][1], {}), marked)
