"""The Nu Html Checker (npm vnu-jar, run with Java) on every built page: no errors in our markup.

One JVM checks every page (and our stylesheet) in one run. The markup this project writes
(overrides/, src/verified_docs/, docs/) must be free of errors. What the theme, mkdocs-jupyter/nbconvert and
KaTeX write is not ours to change here: each error of theirs that remains is allowed by an entry
below that names its source and matches its message and, where the checker shows it, the markup
at fault. An entry that no longer matches anything fails too, so the list cannot go stale.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.site_pages import NOT_FOUND, PAGES, html_file
from tests.site_build import MATH_OUTPUT, ROOT

# Not a browser test: the built site's files are enough. One worker, so vnu runs once.
pytestmark = [pytest.mark.site, pytest.mark.xdist_group("markup")]

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STYLESHEET = "assets/stylesheets/extra.css"  # ours; the theme's and KaTeX's are minified third-party
NOTEBOOK = r"^notebooks/"


@dataclass(frozen=True)
class Allowed:
    source: str
    message: str  # regex, searched in the checker's message
    markup: str = ""  # regex, searched in the markup the checker highlights (or its extract)
    pages: str = ""  # regex, searched in the page's path in the site

    def matches(self, error: dict) -> bool:
        return bool(re.search(self.message, error["message"]) and re.search(self.markup, error["markup"])
                    and re.search(self.pages, error["page"]))


ALLOWED = [
    # The checker itself (vnu-jar 26.9.27, the newest on npm): it predates the HTML standard's "expect"
    # link type, which may be render-blocking (HTML Living Standard, "Link type expect"; Chromium 124+),
    # and reports blocking="render" as allowed on stylesheets only. Our one such element, written by
    # overrides/partials/first-paint.html (why it is there: see its comment).
    Allowed("vnu-jar 26.9.27: no <link rel=expect> yet (overrides/partials/first-paint.html)",
            r"^A “link” element with a “blocking” attribute must have a “rel” attribute whose value is “stylesheet”\.$",
            r'^<link rel="expect" href="#__article-end" blocking="render">$'),
    # Material for MkDocs 9.8 (templates)
    Allowed("Material partials/nav-item.html: tabindex=\"\" on a section's toggle label",
            r"^Bad value “” for attribute “tabindex” on element “label”", r'^<label class="md-nav__link[^"]*" for="__nav_[\d_]+"'),
    Allowed("Material base.html: autocomplete=\"off\" on its checkbox toggles (drawer, search)",
            r"^Attribute “autocomplete” is only allowed when the input type is",
            r'^<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"'),
    # KaTeX 0.19 (build-time output)
    Allowed("KaTeX MathML: <mtd width> in a numbered display",
            r"^Attribute “width” not allowed on element “mtd”", r'^<mtd width="50%">$'),
    Allowed("KaTeX HTML: negative height in a vlist's inline style",
            r"^CSS: “height”: “-[\d.]+em” negative values are not allowed", r'^<span class="vlist" style="height:-[\d.]+em;">$'),
    # mkdocs-jupyter 0.26 / nbconvert (notebook pages)
    Allowed("mkdocs-jupyter notebook.html.j2: its <style> elements inside the page body",
            r"^A “style” element in “body” must be the first child of its parent", r"^<style( type=\"text/css\")?>$", NOTEBOOK),
    Allowed("mkdocs-jupyter notebook.html.j2: aria-label on its <clipboard-copy> element",
            r"^The “aria-label” attribute must not be specified on any “clipboard-copy” element",
            # the extract may start at a line break
            r'^\s*<clipboard-copy ,="" aria-label="Copy to Clipboard" for="cell-\d+">\s*$', NOTEBOOK),
    Allowed("mkdocs-jupyter nbconvert2.py: a Python list's repr written as a style sheet",
            r"^CSS: Parse Error\.$", r"'\]\s*</styl", NOTEBOOK),
    Allowed("JupyterLab CSS (inlined by mkdocs-jupyter): ::-webkit-scrollbar-track:horizontal/:vertical",
            r"^CSS: Unknown pseudo-element or pseudo-class “:(horizontal|vertical)”$", r"^(horizontal|vertical)$", NOTEBOOK),
    Allowed("JupyterLab CSS (inlined by mkdocs-jupyter): cursor: normal",
            r"^CSS: “cursor”: “normal” is not a “cursor” value\.$", r"^normal$", NOTEBOOK),
]


def errors_of(report: dict, site: Path) -> list[dict]:
    """The checker's errors with the page (path in the site) and the markup it highlights."""
    errors = []
    for m in report["messages"]:
        if m["type"] not in ("error", "non-document-error"):  # not "info" (warnings)
            continue
        extract = m.get("extract", "")
        start, length = m.get("hiliteStart", 0), m.get("hiliteLength", 0)
        highlighted = extract[start:start + length]
        # For CSS parse errors the highlight can be blank; the surrounding extract names the place.
        page = Path(m.get("url", "").removeprefix("file:")).resolve()
        errors.append({"page": page.relative_to(site.resolve()).as_posix() if page.is_relative_to(site.resolve()) else str(page),
                       "line": m.get("lastLine"), "message": m["message"],
                       "markup": highlighted if highlighted.strip() else extract})
    return errors


def allowance(error: dict) -> Allowed | None:
    return next((entry for entry in ALLOWED if entry.matches(error)), None)


@pytest.fixture(scope="module")
def checked(built_site) -> list[dict]:
    """Every error the Nu Html Checker finds in the built site's pages and our stylesheet."""
    if shutil.which("java") is None:
        pytest.fail("Java is needed for the Nu Html Checker (Debian: apt-get install -y default-jre-headless)")
    pages = sorted(str(p) for p in built_site.rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--no-langdetect", "--exit-zero-always",
         "--also-check-css", *pages, str(built_site / STYLESHEET)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return errors_of(json.loads(result.stderr), built_site)  # vnu writes its report to stderr


def test_every_built_page_is_checked(built_site):
    expected = {html_file(built_site, src) for src in PAGES + [NOT_FOUND]}
    assert set(built_site.rglob("*.html")) == expected


@pytest.mark.parametrize("src", PAGES + [NOT_FOUND])
def test_page_markup_has_no_errors_but_allowed_third_party_ones(src, checked, built_site):
    page = html_file(built_site, src).relative_to(built_site).as_posix()
    ours = [e for e in checked if e["page"] == page and allowance(e) is None]
    assert not ours, "\n".join(f"{page}:{e['line']}: {e['message']}\n    {e['markup'][:200]!r}" for e in ours)


def test_our_stylesheet_is_valid_css(checked):
    assert not [e for e in checked if e["page"] == STYLESHEET]


def test_every_allowance_is_still_needed(checked):
    used = {allowance(e) for e in checked}
    # KaTeX's own markup is on the site only in its default output (MATH_OUTPUT unset or katex).
    expected = [a for a in ALLOWED if MATH_OUTPUT == "katex" or not a.source.startswith("KaTeX ")]
    assert not [a.source for a in expected if a not in used], "nothing matches these: remove them"


def test_an_error_of_ours_is_not_allowed():
    """The allow-list is specific: our markup with a theme error's message is reported."""
    theirs = {"page": "index.html",
              "message": "Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
              "markup": '<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">'}
    ours = {**theirs, "markup": '<div class="math-display" tabindex="">'}
    elsewhere = {"page": "optimization/adam/index.html", "message": "A “style” element in “body” must be the first child of its parent.",
                 "markup": "<style>"}
    assert allowance(theirs) is not None
    assert allowance(ours) is None and allowance(elsewhere) is None
