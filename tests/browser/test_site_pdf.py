"""The whole site as one PDF (tools/site_pdf.py) and a single page printed from the browser.

The PDF is the one the publishing build makes (`make pdf`; the `published_site` fixture does the
same: a build with SITE_PDF set, then build_pdf on it). It is read back with pypdf: its outline,
its text and its link annotations.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from tests.browser.reading import settle
from tests.browser.site_pages import url_of
from tests.site_build import REPOSITORY, ROOT
from tests.site_html import page_for, pages, text_of
from tools.site_pdf import LINK_CLASS, PRINT_VIEWPORT, build_pdf

pytestmark = [pytest.mark.browser, pytest.mark.site, pytest.mark.xdist_group("browser")]

# What must never reach a reader: TeX the build did not render.
RAW_TEX = re.compile(r"\\(?:frac|claim|given|label|eqref|verified|begin|end)\b|\$\$")


def nav_sources() -> list[str]:
    """The pages of mkdocs.yml's nav, in order, as the site's author wrote it."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config[config.index("\nnav:"):]
    return re.findall(r"([\w/.-]+\.(?:md|ipynb))\s*$", nav, re.M)


def printed_sources() -> list[str]:
    """The pages the PDF holds: the nav without the notebooks (left out, tools/site_pdf.py says why)."""
    return [src for src in nav_sources() if not src.endswith(".ipynb")]


def slug(src: str) -> str:
    """The id a page's section has in the print document (a/b.md -> a.b; a/index.md -> a)."""
    return src.removesuffix(".md").removesuffix("index").rstrip("/").replace("/", ".") or "index"


def title(site: Path, src: str) -> str:
    html = page_for(site, src).read_text(encoding="utf-8")
    return text_of(re.search(r"<h1\b[^>]*>(.*?)</h1>", html, re.S)[1]).replace("\u00b6", "").strip()


def squeeze(text: str) -> str:
    """Without white space: text extraction puts spaces where glyphs sit apart, not where words end."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdf(published_site) -> PdfReader:
    return PdfReader(published_site.pdf.path)


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


def top_level(pdf: PdfReader) -> list[Destination]:
    return [entry for entry in pdf.outline if not isinstance(entry, list)]


def test_make_pdf_builds_the_site_with_its_pdf(mini_project):
    """`make pdf` itself (the Pages workflow and .ci/run call it), on a small copy of the project."""
    shutil.copytree(ROOT / "tools", mini_project.root / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs" / "assets", mini_project.root / "docs" / "assets")  # the pages link extra.css
    made = mini_project.make_build("pdf")
    assert made.returncode == 0, made.stdout + made.stderr
    site = mini_project.root / "site"
    link = re.search(rf'<a class="{LINK_CLASS}" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    assert link, "the home page does not link the PDF"
    assert (site / link[1]).read_bytes()[:5] == b"%PDF-"
    assert len(top_level(PdfReader(site / link[1]))) == 3  # home, the page, the ledger


def test_every_page_links_the_pdf_and_the_publishing_build_made_it(published_site, browser):
    site = published_site.path
    targets = set()
    for html_file in pages(site):
        html = html_file.read_text(encoding="utf-8")
        links = re.findall(rf'<a class="{LINK_CLASS}" href="([^"]+)"', html)
        assert len(links) == 1, f"{html_file.relative_to(site)}: {len(links)} PDF links"
        targets.add((html_file.parent / links[0]).resolve())
    assert targets == {published_site.pdf.path.resolve()}, targets
    assert published_site.pdf.path.read_bytes()[:5] == b"%PDF-"
    # ...and the server hands it out as a PDF.
    context = browser.new_context()
    try:
        response = context.request.get(published_site.url + published_site.pdf.path.name)
        assert response.ok and response.headers["content-type"] == "application/pdf"
    finally:
        context.close()


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_one_top_level_outline_entry_per_page_in_reading_order(published_site, pdf):
    """Each entry reads as the page's title, word for word (a title that wrapped on paper would
    lose the space at its break: tools/site_pdf.py sets such a title smaller)."""
    expected = [title(published_site.path, src) for src in printed_sources()]
    entries = top_level(pdf)
    assert [words(e.title) for e in entries] == [words(t) for t in expected]
    starts = [pdf.get_destination_page_number(e) for e in entries]
    assert starts == sorted(set(starts)), f"each page starts on a sheet of its own, in order: {starts}"
    assert pdf.metadata.title == title(published_site.path, "index.md")


def test_the_pdf_text_has_every_title_and_no_raw_tex(published_site, pdf_text):
    text = squeeze(pdf_text)
    missing = [t for src in printed_sources() if squeeze(t := title(published_site.path, src)) not in text]
    assert not missing, f"titles not in the PDF: {missing}"
    leftovers = sorted(set(RAW_TEX.findall(pdf_text)))
    assert not leftovers, f"raw TeX in the PDF: {leftovers}"


def internal_links(pdf: PdfReader) -> list[tuple[int, str]]:
    """(page index, destination name) of every link annotation that points into the document."""
    found = []
    for number, page in enumerate(pdf.pages):
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link":
                continue
            action = link.get("/A")
            dest = link.get("/Dest") or (action.get("/D") if action and action.get("/S") == "/GoTo" else None)
            if dest is not None:
                found.append((number, str(dest)))
    return found


def uri_links(pdf: PdfReader) -> list[str]:
    return [str(a.get_object()["/A"]["/URI"]) for page in pdf.pages for a in page.get("/Annots") or []
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]


def test_internal_links_land_on_their_page_inside_the_pdf(published_site, pdf):
    """\\eqref links, errata links to sections and ledger links to claims go to a named
    destination in the PDF, on a sheet of the page they name; none leaves for the web copy."""
    sources = printed_sources()
    starts = [pdf.get_destination_page_number(e) for e in top_level(pdf)]
    assert len(starts) == len(sources), "the outline does not say where each page starts"
    sheets = {slug(src): range(start, end) for src, start, end in zip(sources, starts, starts[1:] + [len(pdf.pages)])}
    named = {name.lstrip("/"): pdf.get_destination_page_number(dest) for name, dest in pdf.named_destinations.items()}
    links = internal_links(pdf)
    unresolved = sorted({dest for _, dest in links if dest.lstrip("/") not in named})
    assert not unresolved, f"links to destinations the PDF does not have: {unresolved[:10]}"
    astray = sorted({name for _, dest in links
                     if (name := dest.lstrip("/")).split(":")[0] not in sheets
                     or named[name] not in sheets[name.split(":")[0]]})
    assert not astray, f"destinations outside their page's sheets: {astray[:10]}"
    # A link to a page that is in the PDF must not open the web copy instead.
    printed = {url_of(published_site.url, src) for src in sources}
    leaving = [uri for uri in uri_links(pdf) if uri.split("#")[0] in printed]
    assert not leaving, f"links to pages of the PDF that open the web copy: {leaving[:10]}"
    # The three kinds the issue names, each present.
    from_page = {s: [d.lstrip("/") for n, d in links if n in sheets[s]] for s in sheets}
    assert any(":eq-" in d for s in sheets for d in from_page[s]), "no \\eqref link"
    assert any(":" in d and not d.startswith("errata") for d in from_page["errata"]), "no errata link to a section"
    assert any(":claim-" in d for d in from_page["ledger"]), "no ledger link to a claim"


def sheet_text_sizes(pdf: PdfReader, number: int) -> dict[float, int]:
    """Font size in points -> characters set at that size, on one sheet."""
    sizes: dict[float, int] = {}

    def count(text, cm, tm, _font, size):
        key = round(size * tm[0] * cm[0], 1)
        sizes[key] = sizes.get(key, 0) + len(text.strip())

    pdf.pages[number].extract_text(visitor_text=count)
    return sizes


def test_the_pdf_sets_text_at_the_size_of_the_print_stylesheet(pdf, browser, site_url):
    """Nothing is wider than a sheet's column: Chromium would shrink the whole document to fit it.
    (The proof ledger's tables once did: every page's body text went from 10.2 to about 6.9 pt.)"""
    context = browser.new_context(viewport=PRINT_VIEWPORT)
    try:
        page = context.new_page()
        page.goto(site_url)
        page.emulate_media(media="print")
        body_px = float(page.evaluate("() => getComputedStyle(document.querySelector('article p')).fontSize")[:-2])
    finally:
        context.close()
    sizes = sheet_text_sizes(pdf, 0)
    most = max(sizes, key=sizes.get)
    assert abs(most - body_px * 0.75) <= 0.1, f"body text at {most} pt, the stylesheet says {body_px * 0.75:.1f} pt"


def test_the_printed_ledger_keeps_each_check_a_link_without_printing_its_address(published_site, pdf):
    """Every check's link into the repository is a link in the PDF too; its address is not
    printed after it (the ledger's introduction names the repository once)."""
    sources = printed_sources()
    starts = [pdf.get_destination_page_number(e) for e in top_level(pdf)] + [len(pdf.pages)]
    at = sources.index("ledger.md")
    sheets = range(starts[at], starts[at + 1])
    html = page_for(published_site.path, "ledger.md").read_text(encoding="utf-8")
    linked = re.findall(rf'href="({re.escape(REPOSITORY)}/blob/[^"]+)"', html)
    printed = [str(a.get_object()["/A"]["/URI"]) for n in sheets for a in pdf.pages[n].get("/Annots") or []
               if "/URI" in a.get_object().get("/A", {})]
    # (A link that wraps is one annotation per line.)
    assert linked and {uri for uri in printed if uri.startswith(REPOSITORY)} == set(linked)
    text = squeeze("".join(pdf.pages[n].extract_text() for n in sheets))
    assert "/blob/" not in text, "a check's address is printed"
    assert squeeze(f"Each check links to its lines in {REPOSITORY}") in text


def test_a_printed_ledger_is_a_block_per_claim_within_the_column(browser, site_url):
    """On paper (the sheet's column wide) each claim is its formula across the column with its three
    kinds of check side by side below, no row wider than the column, none split across sheets."""
    context = browser.new_context(viewport=PRINT_VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url_of(site_url, "ledger.md"))
        page.wait_for_function("document.documentElement.classList.contains('js')")  # Material's script has started
        page.emulate_media(media="print")
        rows = page.evaluate("""() => [...document.querySelectorAll('article .ledger')].flatMap(section => {
            const column = section.getBoundingClientRect();
            return [...section.querySelectorAll('tbody tr')].map(row => {
                const [result, ...checks] = [...row.cells].map(c => c.getBoundingClientRect());
                return {claim: row.querySelector('td:last-child code').textContent,
                        overflow: Math.max(row.getBoundingClientRect().right, ...checks.map(c => c.right)) - column.right,
                        formulaAbove: checks.every(c => c.top >= result.bottom - 0.5),
                        checksSideBySide: checks.every((c, i) => c.top === checks[0].top
                                                                 && (i === 0 || c.left >= checks[i - 1].right - 0.5)),
                        whole: getComputedStyle(row).breakInside === 'avoid'};
            });
        })""")
        addresses = page.eval_on_selector_all("article .ledger a[data-external]",
                                              "links => links.map(a => getComputedStyle(a, '::after').content)")
    finally:
        context.close()
    assert rows
    wide = [f"{r['claim']}: {r['overflow']:.0f} px" for r in rows if r["overflow"] > 0.5]
    assert not wide, f"rows wider than the sheet's column: {wide[:5]}"
    astray = [r["claim"] for r in rows if not (r["formulaAbove"] and r["checksSideBySide"] and r["whole"])]
    assert not astray, f"rows not printed as a block: {astray[:5]}"
    assert addresses and set(addresses) == {"none"}, f"check links print their address: {set(addresses)}"


def test_a_printed_page_shows_its_content_only(watched, site_url, tmp_path):
    page = watched.page
    page.goto(site_url + "linear-algebra/matrix-derivatives/")
    settle(page)  # Material's script has run: copy buttons and the palette toggle are in place
    page.emulate_media(media="print")
    hidden = {
        "header": ".md-header", "navigation": ".md-sidebar--primary", "table of contents": ".md-sidebar--secondary",
        "search": ".md-search", "palette toggle": "[data-md-component=palette]", "footer": ".md-footer",
        "copy button": ".md-code__nav, .md-clipboard", "skip link": ".md-skip",
    }
    for name, selector in hidden.items():
        assert page.locator(selector).count(), f"no {name} on the page to hide ({selector})"
        shown = page.eval_on_selector_all(selector, "els => els.filter(e => e.checkVisibility()).length")
        assert not shown, f"the {name} is printed"
    assert page.locator("article h1").is_visible()
    # Links within the site print as text; only links that leave it show their address.
    addresses = page.eval_on_selector_all("article a[href]:not([data-external])",
                                          "links => links.map(a => getComputedStyle(a, '::after').content)")
    assert addresses and set(addresses) == {"none"}, f"links within the site print their address: {set(addresses)}"
    whole = page.evaluate("""() => ['.math-display', 'pre', 'img'].map(s => document.querySelector('article ' + s))
        .filter(Boolean).map(e => getComputedStyle(e).breakInside)""")
    assert whole and set(whole) == {"avoid"}, f"formulas, code or figures may be split: {whole}"
    page.screenshot(path=str(tmp_path / "printed.png"), full_page=True)


SMALL_SITE = {
    "index.html": """<html><head><link rel="canonical" href="https://example.org/book/"><title>Book</title>
        <link rel="stylesheet" href="extra.css"></head><body>
        <nav class="md-nav md-nav--primary"><a href=".">Home</a><a href="#intro">Intro</a>
        <a href="a/">A</a><a href="nb/">Notebook</a></nav>
        <article class="md-content__inner"><h1 id="book">Book</h1><p id="intro">See <a href="a/#eq-wide">the formula</a>,
        <a href="nb/">the notebook</a>.</p></article><a class="site-pdf-link" href="out/book.pdf">PDF</a></body></html>""",
    "a/index.html": """<html><head><title>A</title></head><body><article class="md-content__inner">
        <h1 id="a">A page whose title is too long for one line of a sheet</h1><p id="intro">Back <a href="../#intro">home</a>.</p>
        <div class="math-display" id="eq-wide" style="overflow-x: auto"><span style="display: block; width: 4000px">wide</span></div>
        </article></body></html>""",
    "nb/index.html": """<html><head><title>N</title></head><body><article class="md-content__inner">
        <h1 id="n">Notebook</h1><div class="jupyter-wrapper">cells</div></article></body></html>""",
}


def write_site(root: Path, pages_html: dict[str, str]) -> Path:
    """The pages, and the site's print styles (the home page links them)."""
    for name, html in pages_html.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(html, encoding="utf-8")
    shutil.copy(ROOT / "docs" / "assets" / "stylesheets" / "extra.css", root / "extra.css")
    return root


def test_build_pdf_on_a_small_site(tmp_path, browser):
    """The module on a hand-written site: ids made unique per page, links rewritten, notebooks
    left out but linked on the web, a too-wide formula scaled to fit, the PDF where the site links it."""
    made = build_pdf(write_site(tmp_path, SMALL_SITE), browser=browser)
    assert made.path == tmp_path / "out" / "book.pdf"
    assert [p.slug for p in made.pages] == ["index", "a"] and [p.title for p in made.left_out] == ["Notebook"]
    assert made.scaled_displays == 1 and made.scaled_titles == 1
    pdf = PdfReader(made.path)
    assert [e.title for e in top_level(pdf)] == ["Book", "A page whose title is too long for one line of a sheet"]
    assert sorted(d.lstrip("/") for _, d in internal_links(pdf)) == ["a:eq-wide", "index:intro"]
    assert uri_links(pdf) == ["https://example.org/book/nb/"]
    assert "(https://example.org/book/nb/)" in pdf.pages[0].extract_text()  # on paper too


def test_build_pdf_refuses_a_link_to_a_missing_anchor(tmp_path, browser):
    site = write_site(tmp_path, {**SMALL_SITE, "a/index.html": SMALL_SITE["a/index.html"].replace("../#intro", "../#nowhere")})
    with pytest.raises(Exception, match="links to missing anchors: index:nowhere"):
        build_pdf(site, tmp_path / "book.pdf", browser=browser)
    assert not (tmp_path / "book.pdf").exists()
