"""Render every arithmatex formula with KaTeX at build time; no math JavaScript in the browser.

pymdownx.arithmatex (generic mode) leaves `<span class="arithmatex">\\(…\\)</span>` and
`<div class="arithmatex">\\[…\\]</div>`. This hook sends a page's formulas in one batch to a
Node process (hooks/katex_render.cjs, started once per build) and puts KaTeX's HTML+MathML
in their place. Any TeX error fails the build, naming the page, the line and the formula.
KaTeX's stylesheet and fonts are added to the site from node_modules.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from _arithmatex import rewrite
from _project import KATEX_ASSETS, KATEX_DIST, ROOT

RENDERER = ROOT / "hooks" / "katex_render.cjs"
MATHML = '<span class="katex-mathml">'

_node: subprocess.Popen | None = None


def _renderer() -> subprocess.Popen:
    global _node
    if _node is None or _node.poll() is not None:
        node = shutil.which("node")
        if node is None or not (KATEX_DIST / "katex.min.css").is_file():
            raise PluginError("KaTeX needs Node and node_modules/katex: run `make setup` (npm ci)")
        _node = subprocess.Popen(
            [node, str(RENDERER)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1,
        )
    return _node


def render(items: list[dict]) -> list[dict]:
    """Render [{"tex", "display"}] with KaTeX; each result has "html" or "error"."""
    if not items:
        return []
    node = _renderer()
    node.stdin.write(json.dumps({"items": items}) + "\n")
    node.stdin.flush()
    line = node.stdout.readline()
    if not line:
        raise PluginError(f"the KaTeX renderer ({RENDERER.name}) exited with code {node.poll()}")
    answer = json.loads(line)
    if "fatal" in answer:
        raise PluginError(f"the KaTeX renderer failed: {answer['fatal']}")
    return answer["results"]


def close() -> None:
    global _node
    if _node is not None:
        _node.stdin.close()
        _node.wait(timeout=10)
        _node.stdout.close()
        _node = None


def source_line(page, tex: str) -> str:
    """'path:line' of the formula's first line in the page source, for error messages."""
    path = page.file.src_uri
    first = tex.strip().splitlines()[0].strip() if tex.strip() else ""
    try:
        lines = open(page.file.abs_src_path, encoding="utf-8").read().splitlines()
    except (OSError, TypeError):
        return f"docs/{path}"
    for number, line in enumerate(lines, 1):
        if first and first in line:
            return f"docs/{path}:{number}"
    return f"docs/{path}"


# The site ships KaTeX's woff2 fonts only (every browser Material supports reads woff2). Its
# stylesheet also names woff and truetype fallbacks for each face: 40 addresses the site would
# answer with 404, so they are cut from the copy the site serves.
FALLBACKS = re.compile(r',url\(fonts/[\w-]+\.woff\) format\("woff"\),url\(fonts/[\w-]+\.ttf\) format\("truetype"\)')


def katex_css() -> str:
    css = (KATEX_DIST / "katex.min.css").read_text(encoding="utf-8")
    css, cut = FALLBACKS.subn("", css)
    if cut != css.count("@font-face"):
        raise PluginError(f"KaTeX's @font-face rules changed: cut fallbacks from {cut} of {css.count('@font-face')}")
    return css


def on_files(files, config):
    files.append(File.generated(config, f"{KATEX_ASSETS}/katex.min.css", content=katex_css()))
    for src in sorted((KATEX_DIST / "fonts").glob("*.woff2")):
        files.append(File.generated(config, f"{KATEX_ASSETS}/fonts/{src.name}", abs_src_path=str(src)))
    return files


NOTEBOOK_MARKDOWN = re.compile(r'(<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(.*?)(</div>)', re.S)
NOTEBOOK_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)(?<!\\)\$", re.S)
CODE = re.compile(r"(<(pre|code)\b.*?</\2>)", re.S)


def notebook_math_to_arithmatex(content: str) -> str:
    """mkdocs-jupyter leaves $…$ and $$…$$ as text in markdown cells: mark them like arithmatex does."""

    def mark(text: str) -> str:
        pieces = CODE.split(text)
        for k in range(0, len(pieces), 3):  # outside <pre>/<code> only
            pieces[k] = NOTEBOOK_MATH.sub(
                lambda m: f'<div class="arithmatex">\\[{m["display"]}\\]</div>' if m["display"] is not None
                else f'<span class="arithmatex">\\({m["inline"]}\\)</span>', pieces[k])
        return "".join(p for k, p in enumerate(pieces) if k % 3 != 2)

    return NOTEBOOK_MARKDOWN.sub(lambda m: m[1] + mark(m[2]) + m[3], content)


def on_page_content(content, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        content = notebook_math_to_arithmatex(content)

    def typeset(items):
        results = render([{"tex": item.tex, "display": item.display} for item in items])
        errors = [
            f"{source_line(page, item.tex)}: KaTeX cannot render {item.tex.strip()!r}: {result['error']}"
            for item, result in zip(items, results) if "error" in result
        ]
        if errors:
            raise PluginError("TeX error(s):\n" + "\n".join(errors))
        for item, result in zip(items, results):
            tag, kind = ("div", "math-display") if item.display else ("span", "math-inline")
            attrs = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in item.attrs.items())
            # Keep MathML (and its TeX annotation) out of the search index: previews show glyphs.
            rendered = result["html"].replace(MATHML, MATHML[:-1] + ' data-search-exclude="mathml">', 1)
            item.html = f'<{tag} class="{kind}"{attrs}>{rendered}</{tag}>'

    try:
        return rewrite(content, typeset)
    except ValueError as error:
        raise PluginError(f"docs/{page.file.src_uri}: {error}") from None


def on_post_build(config):
    close()


def on_build_error(error):
    close()
