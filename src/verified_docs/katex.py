"""Build-time KaTeX: one Node process renders every formula of a build, batched a page at a time.

The protocol (katex_render.cjs): one JSON batch per line in, `{"items": [{"tex", "display"}]}`;
one JSON line out, `{"results": [{"html"} | {"error"}]}`. KaTeX runs with `throwOnError`,
`strict: "error"` and `output: "htmlAndMathml"`: the MathML keeps the TeX in an
`<annotation encoding="application/x-tex">` (the displayed-form check reads it back) and
serves screen readers. No maths JavaScript reaches the browser.
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


class KatexRenderer:
    """A Node process running KaTeX, started on first use; `close()` ends it."""

    def __init__(self, project: Project):
        self.project = project
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
                [node, str(RENDERER)], cwd=self.project.root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                text=True, encoding="utf-8", bufsize=1, env=env,
            )
        return self.process

    def render(self, items: list[dict]) -> list[dict]:
        """Render [{"tex", "display"}] with KaTeX; each result has "html" or "error"."""
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
    """KaTeX's output with its MathML (and the TeX annotation) kept out of the search index:
    search previews show the glyphs, not the TeX source."""
    return rendered.replace(MATHML, MATHML[:-1] + ' data-search-exclude="mathml">', 1)


def wrap(rendered: str, display: bool, attrs: dict[str, str]) -> str:
    """KaTeX's output in the site's wrapper element (as the Markdown extension writes it)."""
    tag, kind = ("div", "math-display") if display else ("span", "math-inline")
    rendered = search_excluded(rendered)
    attributes = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return f'<{tag} class="{kind}"{attributes}>{rendered}</{tag}>'


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
