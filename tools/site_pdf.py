r"""The whole built site as one PDF, printed by Chromium from the site's own HTML.

    python -m tools.site_pdf SITE_DIR [OUT.pdf] [--notebooks]
    python -m tools.site_pdf --check      # is there a Chromium to print with? (`make pdf` asks first)

or from Python, after a build (a post-build step):

    build_pdf(site_dir, out=None, *, browser=None, notebooks=False) -> PdfBuild

`site_dir` is a BUILT site (MkDocs + Material); nothing here reads MkDocs' configuration or
internals. `out` defaults to where the site's own download link points (the link with the
`site-pdf-link` class in the built home page), so the PDF lands exactly where every page links
to it; with no such link, `out` is required. `browser` is a Playwright `Browser` to print with
(a caller that already runs Playwright's sync API must pass its own: the sync API cannot be
started twice in one thread); without it an installed Chromium is launched (`find_chromium`).

Where it runs: `make pdf` (the Pages workflow and .ci/run) calls it after `mkdocs build`. It is
not one of the engine's post-build steps (verified_docs.steps) on purpose: it needs Chromium and
Playwright and reads Material's markup, none of which the engine depends on, and every build
(`mkdocs serve`, the tests' builds, the canaries) would pay for a print of the whole site.

How. The built site is served over local HTTP (web fonts need a real origin). The page order is
the navigation of the built home page (Material's primary nav), read from the HTML. Each page's
article (`article.md-content__inner`: the same build-time KaTeX, figures and equation numbers the
site publishes) goes into one print document, in that order, each in a
`<section class="site-pdf-page" id="<slug>">` (a/b/ -> a.b, the home page -> index). Every id
inside is prefixed `<slug>:`, so ids stay unique across pages, and every link to a page in the
document, with or without a #fragment (`\eqref` links, errata links to sections, ledger links to
claims), becomes the in-document anchor; a link to an anchor that does not exist, or a repeated
id, fails the build. Links to site pages left out and to other files of the site (notebook
downloads) point at the published site (the home page's canonical URL); like links to other
sites they are marked `data-external`, and the print styles print their address after them. The
document keeps the site's stylesheets (Material, KaTeX, extra.css with its `@media print` rules,
which keep formulas, figures and code whole); printing waits until they, every image and every
font have loaded. A formula still wider than the text column is scaled down to fit, and so is a
page title that would wrap (the outline would lose the space at its break). Chromium prints it
(A4, page numbers in the footer) with a document outline made from the headings: one top-level
entry per page, its h1. The PDF is written next to `out` and renamed into place, so a
failed print leaves none.

Notebooks (pages rendered by mkdocs-jupyter, recognised by their `.jupyter-wrapper`) are left
out by default: their code is the snippets the chapters already print, their outputs are there
to be re-run (each notebook page links its .ipynb), and they carry JupyterLab's stylesheet.
`notebooks=True` (`--notebooks`) puts them in.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

# Headless Chromium as Debian ships it (Playwright's own browser download is not used).
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
NO_CHROMIUM = ("No Chromium to print the PDF with: install one (Debian: apt-get install -y chromium) "
               "or set CHROME_PATH to a Chrome/Chromium binary.")
PRINT_PATH = "/__site_pdf__.html"  # the print document's address on the local server (never a file)
LINK_CLASS = "site-pdf-link"       # the download link the site renders (overrides/partials/copyright.html)

PAGE_SETUP = {
    "width": "210mm", "height": "297mm",  # A4
    # Material's print stylesheet sets `@page { margin: 25mm }`, which Chromium prefers to these;
    # PRINT_CSS states these again as @page, so this is the one place they are set.
    "margin": {"top": "20mm", "bottom": "22mm", "left": "22mm", "right": "22mm"},
    "print_background": True,
    "outline": True,   # bookmarks from the headings
    "tagged": True,    # the structure the outline is made from; also serves screen readers
    "display_header_footer": True,
    "header_template": "<span></span>",
    "footer_template": (
        '<div style="width:100%;margin:0 22mm;font:8px sans-serif;color:#555;display:flex;'
        'justify-content:space-between"><span class="title"></span>'
        '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
    ),
}


def _css_px(length: str) -> float:
    """A length in mm as CSS pixels (96 to the inch), as Chromium lays out a printed page."""
    assert length.endswith("mm"), length
    return float(length[:-2]) / 25.4 * 96


# The text column and sheet height of a printed page, in CSS px: the print document is laid out at
# this size before it is measured (FIT_JS), so what fits there fits on paper.
PRINT_VIEWPORT = {
    "width": int(_css_px(PAGE_SETUP["width"]) - _css_px(PAGE_SETUP["margin"]["left"]) - _css_px(PAGE_SETUP["margin"]["right"])),
    "height": int(_css_px(PAGE_SETUP["height"]) - _css_px(PAGE_SETUP["margin"]["top"]) - _css_px(PAGE_SETUP["margin"]["bottom"])),
}

# Only for the assembled document (the single-page print rules live in extra.css): the margins
# above, each site page on a new sheet, the light palette whatever the reader's system prefers.
_MARGIN = PAGE_SETUP["margin"]
PRINT_CSS = f"@page {{ margin: {_MARGIN['top']} {_MARGIN['right']} {_MARGIN['bottom']} {_MARGIN['left']}; }}" + """
html { background: #fff; }
body { margin: 0; background: #fff; }
.site-pdf-page { break-before: page; }
.site-pdf-page:first-child { break-before: auto; }
"""

# Runs in the print document (same origin as the site). Returns what went in and what was left out.
ASSEMBLE_JS = r"""
async ({notebooks, linkClass, css}) => {
  const origin = location.origin, homeUrl = origin + "/";
  const parse = async url => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return new DOMParser().parseFromString(await response.text(), "text/html");
  };
  const home = await parse(homeUrl);
  const siteUrl = home.querySelector('link[rel="canonical"]')?.getAttribute("href") || null;
  const pdfLink = home.querySelector(`a.${linkClass}[href]`);
  const pdfPath = pdfLink ? new URL(pdfLink.getAttribute("href"), homeUrl).pathname : null;

  // Reading order: the primary navigation of the built home page (its own table of contents links
  // to #fragments of the home page and so collapses into it).
  const order = [];
  for (const a of home.querySelectorAll("nav.md-nav--primary a[href]")) {
    const url = new URL(a.getAttribute("href"), homeUrl);
    url.hash = "";
    if (url.origin === origin && !order.includes(url.href)) order.push(url.href);
  }
  if (!order.length) throw new Error("no navigation found in the built home page (nav.md-nav--primary)");
  const slugOf = url => decodeURIComponent(new URL(url).pathname)
    .replace(/^\//, "").replace(/(^|\/)index\.html$/, "").replace(/\.html$/, "").replace(/\/$/, "")
    .replaceAll("/", ".") || "index";

  const fetched = await Promise.all(order.map(async url => ({url, slug: slugOf(url), doc: await parse(url)})));
  const pages = [], left = [];
  for (const page of fetched) {
    page.article = page.doc.querySelector("article.md-content__inner");
    if (!page.article) throw new Error(`${page.url}: no article.md-content__inner`);
    const h1 = page.article.querySelector("h1");
    page.title = h1 ? h1.textContent.replace(/\u00b6/g, "").trim() : page.doc.title;
    const notebook = page.article.querySelector(".jupyter-wrapper") !== null;
    (notebook && !notebooks ? left : pages).push(page);
  }
  const bySlug = new Map(pages.map(p => [new URL(p.url).pathname, p]));

  // The site's stylesheets, in the order the pages link them (notebook pages add their own).
  const sheets = [];
  for (const page of pages) {
    for (const link of page.doc.querySelectorAll('head link[rel="stylesheet"][href]')) {
      const href = new URL(link.getAttribute("href"), page.url).href;
      if (!sheets.includes(href)) sheets.push(href);
    }
  }
  const loaded = sheets.map(href => new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.onload = resolve;
    link.onerror = () => reject(new Error(`stylesheet did not load: ${href}`));
    document.head.append(link);
  }));
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
  document.title = home.title;
  document.documentElement.lang = home.documentElement.lang || "en";
  for (const name of ["dir", "data-md-color-primary", "data-md-color-accent"]) {
    const value = home.body.getAttribute(name);
    if (value !== null) document.body.setAttribute(name, value);
  }
  document.body.setAttribute("data-md-color-scheme", "default");

  const main = document.createElement("main");
  main.className = "md-typeset site-pdf";
  const idRefs = ["for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns"];
  for (const page of pages) {
    const article = page.article;
    article.querySelectorAll("a.headerlink, script, .md-content__button").forEach(e => e.remove());
    const prefix = id => `${page.slug}:${id}`;
    for (const el of article.querySelectorAll("[id]")) el.id = prefix(el.id);
    for (const name of idRefs) {
      for (const el of article.querySelectorAll(`[${name}]`)) {
        el.setAttribute(name, el.getAttribute(name).split(/\s+/).map(prefix).join(" "));
      }
    }
    for (const a of article.querySelectorAll("a[href]")) {
      const target = new URL(a.getAttribute("href"), page.url);
      const inDocument = target.origin === origin ? bySlug.get(target.pathname) : undefined;
      if (inDocument) {
        const fragment = decodeURIComponent(target.hash.slice(1));
        a.setAttribute("href", "#" + (fragment ? `${inDocument.slug}:${fragment}` : inDocument.slug));
      } else if (target.origin === origin && siteUrl) {
        a.setAttribute("href", new URL(target.pathname.slice(1) + target.search + target.hash, siteUrl).href);
        a.setAttribute("data-external", "");  // leaves the PDF: the print styles show the address
      } else if (target.origin === origin) {
        a.replaceWith(...a.childNodes);  // no published address to point at: text, not a dead link
      } else {
        a.setAttribute("data-external", "");
      }
    }
    for (const img of article.querySelectorAll("img[src]")) {
      img.setAttribute("src", new URL(img.getAttribute("src"), page.url).href);
      img.removeAttribute("loading");  // lazy images below the fold would print empty
    }
    const section = document.createElement("section");
    section.className = "site-pdf-page";
    section.id = page.slug;
    section.dataset.url = page.url;
    section.append(...article.childNodes);
    main.append(section);
  }
  document.body.append(main);

  // Every in-document link must land on something, and every id must be unique.
  const ids = new Set(), twice = new Set();
  for (const el of document.querySelectorAll("[id]")) (ids.has(el.id) ? twice : ids).add(el.id);
  if (twice.size) throw new Error(`duplicate ids in the print document: ${[...twice].slice(0, 10)}`);
  const dangling = [...document.querySelectorAll('a[href^="#"]')]
    .map(a => decodeURIComponent(a.getAttribute("href").slice(1))).filter(id => !ids.has(id));
  if (dangling.length) throw new Error(`links to missing anchors: ${[...new Set(dangling)].slice(0, 10)}`);

  await Promise.all(loaded);
  await Promise.all([...document.images].map(img => img.decode().catch(() => {
    throw new Error(`image did not load: ${img.src}`);
  })));
  await document.fonts.ready;
  const clean = p => ({url: p.url, slug: p.slug, title: p.title});
  return {pages: pages.map(clean), left: left.map(clean), pdfPath, siteUrl};
}
"""

# After the print stylesheets apply (print media), two things a page has no scroll bar for:
# - a display wider than the text column would be cut at the margin: it is scaled down to fit;
# - a page title that wraps reaches the outline without the space at the break (Chromium joins a
#   heading's lines as they are: "(question1.3)"): it is set smaller, down to 3/5 of its size, so
#   that it fits on one line. Returns how many of each.
FIT_JS = r"""
() => {
  let displays = 0, titles = 0;
  for (const block of document.querySelectorAll(".math-display")) {
    const inner = block.firstElementChild;
    if (!inner || block.scrollWidth <= block.clientWidth + 1) continue;
    inner.style.zoom = (block.clientWidth / block.scrollWidth).toFixed(3);
    displays += 1;
  }
  for (const title of document.querySelectorAll(".site-pdf-page > h1")) {
    title.style.whiteSpace = "nowrap";
    const ratio = title.clientWidth / title.scrollWidth;
    if (ratio >= 1) {
      title.style.whiteSpace = "";
    } else if (ratio >= 0.6) {
      title.style.fontSize = `${Math.floor(parseFloat(getComputedStyle(title).fontSize) * ratio * 100) / 100}px`;
      titles += 1;
    } else {
      title.style.whiteSpace = "";  // too long to fit: it wraps (and its outline entry loses a space)
    }
  }
  return {displays, titles};
}
"""


@dataclass(frozen=True)
class PrintedPage:
    url: str    # address on the local server while printing
    slug: str   # its section id in the document (the id prefix of everything inside)
    title: str  # its h1: its top-level outline entry


@dataclass(frozen=True)
class PdfBuild:
    path: Path
    pages: list[PrintedPage]  # in the document, in reading order
    left_out: list[PrintedPage]  # navigation pages not printed (notebooks unless asked for)
    scaled_displays: int  # formulas scaled down to fit the text width
    scaled_titles: int  # page titles set smaller to fit on one line
    seconds: float


def find_chromium() -> str | None:
    """$CHROME_PATH, else Debian's /usr/bin/chromium, else a Chrome or Chromium on PATH."""
    candidates = [os.environ.get("CHROME_PATH"), "/usr/bin/chromium"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome", "chrome")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site_dir: Path, port: int = 0, handler: type = _QuietHandler) -> Iterator[str]:
    """Serve `site_dir` at http://127.0.0.1:<port>/ (a free port by default); yields the URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def _chromium(browser):
    if browser is not None:
        yield browser
        return
    executable = find_chromium()
    if executable is None:
        raise RuntimeError(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def build_pdf(site_dir: Path, out: Path | None = None, *, browser=None, notebooks: bool = False) -> PdfBuild:
    """Print the built site in `site_dir` as one PDF at `out` (default: where the site links it)."""
    started = time.monotonic()
    site_dir = Path(site_dir).resolve()
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(f"{site_dir}: not a built site (no index.html)")
    with serve(site_dir) as url, _chromium(browser) as chromium:
        context = chromium.new_context(viewport=PRINT_VIEWPORT)
        try:
            page = context.new_page()
            page.set_default_timeout(600_000)  # a busy machine is slow; every wait below is for a condition
            shell = "<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>"
            page.route(url.rstrip("/") + PRINT_PATH, lambda route: route.fulfill(body=shell, content_type="text/html"))
            page.goto(url.rstrip("/") + PRINT_PATH)
            made = page.evaluate(ASSEMBLE_JS, {"notebooks": notebooks, "linkClass": LINK_CLASS, "css": PRINT_CSS})
            if out is None:
                if made["pdfPath"] is None:
                    raise ValueError(f"{site_dir}: the site links no PDF (no a.{LINK_CLASS}); give the output path")
                out = site_dir / unquote(made["pdfPath"]).lstrip("/")
            page.emulate_media(media="print")
            scaled = page.evaluate(FIT_JS)
            out = Path(out)
            out.parent.mkdir(parents=True, exist_ok=True)
            partial = out.with_name(out.name + ".partial")  # a failed print never leaves a PDF behind
            page.pdf(path=str(partial), **PAGE_SETUP)
            partial.replace(out)
        finally:
            context.close()
    pages = [PrintedPage(**p) for p in made["pages"]]
    left = [PrintedPage(**p) for p in made["left"]]
    return PdfBuild(out, pages, left, scaled["displays"], scaled["titles"], time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.site_pdf", description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", nargs="?", type=Path, help="a built site")
    parser.add_argument("out", nargs="?", type=Path, help="the PDF (default: where the site's download link points)")
    parser.add_argument("--notebooks", action="store_true", help="print the notebook pages too")
    parser.add_argument("--check", action="store_true", help="only say which Chromium would print")
    args = parser.parse_args(argv)
    if args.check:
        executable = find_chromium()
        print(executable or NO_CHROMIUM, file=sys.stdout if executable else sys.stderr)
        return 0 if executable else 1
    if args.site_dir is None:
        parser.error("SITE_DIR is required")
    made = build_pdf(args.site_dir, args.out, notebooks=args.notebooks)
    size = made.path.stat().st_size / 1e6
    left = f"; left out: {', '.join(p.title for p in made.left_out)}" if made.left_out else ""
    print(f"{made.path}: {len(made.pages)} site pages, {size:.1f} MB, {made.seconds:.0f} s"
          f" ({made.scaled_displays} wide formulas and {made.scaled_titles} long titles scaled to fit){left}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
