"""The sites `make bench` and tools/startup.py measure: this site and its variants, built into a
temporary folder for the URL they are served at, and served with gzip as GitHub Pages serves them.

A variant is this repository built with a modified mkdocs.yml (written into the temporary folder,
inheriting the real one: the site's own config is never changed), and/or its built pages changed
afterwards. Variants:

  site           the site as it is (with MATH_OUTPUT, when given, passed to its build)
  mathjax3       TeX left for the browser, Material's documented MathJax 3 set-up, self-hosted
  mathjax4       the same with MathJax 4, its font and speech maps self-hosted (no CDN)
  katex-browser  TeX left for the browser, KaTeX's auto-render, self-hosted
  defer          Material's bundle (and the inline scripts that need it) started after the first paint
  noinstant      theme.features without navigation.instant
  cv             content-visibility: auto on each top-level block of a page (measured, not adopted: see below)
"""

from __future__ import annotations

import contextlib
import gzip
import html.parser
import http.server
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from tools.site_pdf import serve

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
NODE_MODULES = ROOT / "node_modules"  # KaTeX, as the build uses it
BENCH_MODULES = Path(__file__).resolve().parent / "node_modules"  # Lighthouse, MathJax: make bench alone
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

VARIANTS = ("site", "mathjax3", "mathjax4", "katex-browser", "defer", "noinstant", "cv")
BROWSER_MATH = ("mathjax3", "mathjax4", "katex-browser")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip, as GitHub Pages serves them (python -m http.server does not)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or not path.name.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(site_dir: Path, site_url: str, config: Path | None = None, **env: str) -> float:
    """`mkdocs build --strict` of this repository into site_dir; the seconds it took."""
    command = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)]
    if config:
        command += ["--config-file", str(config)]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env={**ENV, "SITE_URL": site_url, **env}, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return time.monotonic() - started


def variant_config(variant: str, tmp: Path) -> Path | None:
    """mkdocs.yml for a variant that needs one (None: the site's own), inheriting the real one."""
    from verified_docs.mkdocs_config import EXTENSION, read_config

    if variant in ("site", "defer", "cv"):
        return None
    site = read_config(ROOT / "mkdocs.yml")
    # Paths in the inherited file resolve from this file's folder: made absolute.
    config = {"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(ROOT / "docs"),
              "watch": [str(ROOT / "snippets"), str(ROOT / "overrides")],
              "theme": {"custom_dir": str(ROOT / site["theme"]["custom_dir"])}}
    if variant == "noinstant":
        config["theme"]["features"] = [f for f in site["theme"]["features"] if f != "navigation.instant"]
    else:
        # The engine as ever, but TeX left in arithmatex's markup for the browser (render: false).
        config["markdown_extensions"] = [{EXTENSION: {"render": False}} if entry == EXTENSION else entry
                                         for entry in site["markdown_extensions"]]
        # extra_css stays the site's: notebooks' formulas are KaTeX's still, and the build checks that
        # their pages link its stylesheet (the MathJax variants drop it where no KaTeX is drawn).
        if variant in ("mathjax3", "mathjax4"):  # Material's documented set-up (reference/math/#mathjax)
            config["extra_javascript"] = [f"assets/bench/{variant}-config.js", f"assets/bench/{variant}/tex-mml-chtml.js"]
        else:  # KaTeX auto-render in the browser
            config["extra_javascript"] = ["assets/bench/katex/katex.min.js", "assets/bench/katex/contrib/auto-render.min.js",
                                          "assets/bench/katex-config.js"]
    path = tmp / f"mkdocs-{variant}.yml"
    path.write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return path


MATHJAX_OPTIONS = ('tex: {inlineMath: [["\\\\(", "\\\\)"]], displayMath: [["\\\\[", "\\\\]"]], '
                   'processEscapes: true, processEnvironments: true}, options: {ignoreHtmlClass: ".*|", '
                   'processHtmlClass: "arithmatex"}')
# Material's instant navigation swaps the page in: typeset each new one.
MATHJAX_RETYPESET = ('document$.subscribe(() => { if (!MathJax.startup.output) return; '
                     'MathJax.startup.output.clearCache(); MathJax.typesetClear(); MathJax.texReset(); '
                     'MathJax.typesetPromise(); });\n')


KATEX_CSS = re.compile(r'<link rel="stylesheet" href="[^"]*assets/katex/katex\.min\.css">\n?')


def add_browser_math(site: Path, variant: str) -> None:
    """The in-browser maths of a variant, copied into the built site (self-hosted, never a CDN)."""
    if variant.startswith("mathjax"):  # KaTeX's stylesheet only where KaTeX drew (notebooks)
        for page in site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            if 'class="katex"' not in text:
                page.write_text(KATEX_CSS.sub("", text), encoding="utf-8")
    bench = site / "assets" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    if variant == "mathjax3":
        shutil.copytree(BENCH_MODULES / "mathjax" / "es5", bench / "mathjax3")
        (bench / "mathjax3-config.js").write_text(f"window.MathJax = {{{MATHJAX_OPTIONS}}};\n" + MATHJAX_RETYPESET)
    elif variant == "mathjax4":
        # MathJax 4 fetches its font (New Computer Modern: data and woff2) from a CDN unless told
        # otherwise; its speech worker and the speech rule engine's maps (sre/) come from where
        # tex-mml-chtml.js is. All of it is served by the site here.
        shutil.copytree(BENCH_MODULES / "mathjax4", bench / "mathjax4")
        font = BENCH_MODULES / "@mathjax" / "mathjax-newcm-font"
        fonts = bench / "mathjax4-fonts" / "mathjax-newcm-font"
        shutil.copytree(font / "chtml", fonts / "chtml")
        for name in ("chtml.js", "package.json"):
            shutil.copy(font / name, fonts / name)
        (bench / "mathjax4-config.js").write_text(
            'window.MathJax = {loader: {paths: {fonts: new URL("mathjax4-fonts", document.currentScript.src).href}}, '
            f"{MATHJAX_OPTIONS}}};\n" + MATHJAX_RETYPESET)
    else:
        shutil.copytree(NODE_MODULES / "katex" / "dist", bench / "katex")
        (bench / "katex-config.js").write_text(
            'document$.subscribe(({ body }) => { renderMathInElement(body, { delimiters: ['
            '{ left: "$$", right: "$$", display: true }, { left: "$", right: "$", display: false }, '
            '{ left: "\\\\(", right: "\\\\)", display: false }, { left: "\\\\[", right: "\\\\]", display: true }] }); });\n')


# Material's bundle tag, as its base.html writes it (anchored on the bundle's file name: a looser
# pattern for "a script" matches more than one tag).
BUNDLE = re.compile(r'<script src="(?P<src>[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def defer_material(site: Path) -> int:
    """Start Material's bundle, and the inline scripts after it that need its document$, after the
    first paint (requestAnimationFrame, then a task): the page is painted before any of Material's
    start-up runs. Material starts on DOMContentLoaded (its document$ waits for that event, once),
    which has long passed by then: the event is sent again. Returns the number of pages changed."""
    changed = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = BUNDLE.search(text)
        if not found:
            continue
        end = text.rindex("</body>")
        tail = text[found.end():end]  # overrides/partials/reader.html's script, and any extra_javascript
        loader = ("<script>requestAnimationFrame(()=>setTimeout(()=>{const s=document.createElement('script');"
                  f"s.src={json.dumps(found['src'])};s.onload=()=>{{for(const t of document.querySelectorAll('script.after-material'))"
                  "{const n=document.createElement('script');n.textContent=t.textContent;document.body.append(n)}"
                  "document.dispatchEvent(new Event('DOMContentLoaded'))};"
                  "document.body.append(s)}))</script>")
        # Kept as inert script elements (type text/plain): their text stays as written, unparsed.
        held = "".join(f'<script type="text/plain" class="after-material">{script}</script>' for script in INLINE_SCRIPT.findall(tail))
        page.write_text(text[:found.start()] + loader + held + INLINE_SCRIPT.sub("", tail) + text[end:], encoding="utf-8")
        changed += 1
    if not changed:
        raise RuntimeError("defer: no page holds Material's bundle tag (has base.html changed?)")
    return changed


# Each top-level block of a page laid out and painted only near the viewport, with a size estimate
# until then. Measured (tools/startup.py, 4x throttled, medians of 3): the errata's elements restyled
# over the load 43,562 -> 4,099 and blocking after first paint 343 -> 110 ms; not adopted: with it,
# links to an equation far down a page landed off target (the blocks above it, drawn on arrival,
# differ from their estimates), a short page's footer shifted on a second visit, and axe could not
# read the colours of the blocks not drawn (tests/browser: test_fragment_links, test_pages,
# test_accessibility).
CONTENT_VISIBILITY = (".md-content__inner>:is(p,h2,h3,h4,ul,ol,table,.math-display,.highlight,.admonition,details,"
                      ".ledger,.md-typeset__scrollwrap){content-visibility:auto;contain-intrinsic-block-size:auto 4em}"
                      ".md-content__inner>.ledger{contain-intrinsic-block-size:auto 60em}\n")


def with_content_visibility(site: Path) -> None:
    with (site / "assets/stylesheets/extra.css").open("a", encoding="utf-8") as sheet:
        sheet.write(CONTENT_VISIBILITY)


class Elements(html.parser.HTMLParser):
    count = 0

    def handle_starttag(self, tag, attrs):
        self.count += 1


def elements(page: Path) -> int:
    """The elements of a built page's HTML (before any script runs)."""
    parser = Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.count


def page_names(site: Path) -> list[str]:
    """Every page of a built site: its path without index.html ('' for the home page)."""
    return sorted("" if (p := page.parent.relative_to(site).as_posix()) == "." else p + "/"
                  for page in site.rglob("index.html"))


def heaviest(site: Path, count: int) -> list[str]:
    """The pages with the most elements, most first."""
    return sorted(page_names(site), key=lambda page: -elements(site / page / "index.html"))[:count]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min, {os.cpu_count()} cores)"


class Sites(contextlib.ExitStack):
    """Built and served variants, by name; each built once, all stopped on exit."""

    def __init__(self, tmp: Path):
        super().__init__()
        self.tmp = tmp
        self.served: dict[str, tuple[Path, str]] = {}

    def get(self, variant: str, math_output: str | None = None) -> tuple[Path, str]:
        """(folder, URL) of a variant, built with MATH_OUTPUT=math_output when given."""
        key = variant if math_output is None else f"{variant}-{math_output}"
        if key not in self.served:
            site, port = self.tmp / key, free_port()
            url = f"http://127.0.0.1:{port}/"
            env = {} if math_output is None else {"MATH_OUTPUT": math_output}
            seconds = build(site, url, variant_config(variant, self.tmp), **env)
            if variant in BROWSER_MATH:
                add_browser_math(site, variant)
            elif variant == "defer":
                defer_material(site)
            elif variant == "cv":
                with_content_visibility(site)
            self.enter_context(serve(site, port, GzipHandler))
            print(f"built {key} in {seconds:.0f} s", file=sys.stderr, flush=True)
            self.served[key] = (site, url)
        return self.served[key]
