"""Every page as a reader sees it, in a real Chromium (tests/browser/conftest.py).

Each test runs once per reader (conftest.READERS: light and dark preference, desktop and phone
width) and waits on conditions (tests/browser/reading.py), never on a clock. Run with the rest by
`make test`; `make test-quick` leaves them out (-m "not browser"); `make soak` runs them again and
again on a machine kept busy.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.reading import SETTLE_TIMEOUT_MS, arrivals, assert_in_view_below_header, settle, wait_for_arrival
from tests.browser.site_pages import NOTEBOOKS, PAGES, url_of
from tests.site_build import MATH_OUTPUT
from verified_docs import mathfont

# One xdist worker runs them all: the site is built for its server and Chromium starts once.
pytestmark = [pytest.mark.browser, pytest.mark.site, pytest.mark.xdist_group("browser")]

RAW_TEX = re.compile(r"\\(?:frac|begin|end|partial|sum|mathbf|nabla|sigma|beta|alpha|pi|claim|given|label|eqref|verified)\b|\$\$|\\\(|\\\[")


def visible_prose(page) -> str:
    """Rendered text outside code blocks, notebook code cells, KaTeX's hidden MathML and the TeX
    annotations of MathML (never drawn: MathML Core hides all but the first child of <semantics>)."""
    return page.evaluate("""() => {
        const clone = document.querySelector('.md-content').cloneNode(true);
        clone.querySelectorAll('pre, code, .katex-mathml, annotation, script, style, .jp-CodeCell .jp-InputArea, .jp-OutputArea')
            .forEach(e => e.remove());
        return clone.innerText;
    }""")


def scheme(page) -> str:
    return page.get_attribute("body", "data-md-color-scheme")


@pytest.mark.parametrize("src", PAGES)
def test_page_renders_cleanly(src, watched, site_url):
    page = watched.page
    page.goto(url_of(site_url, src))
    settle(page)
    assert page.title(), f"{src}: no title"
    assert not watched.errors, f"{src}: {watched.errors}"
    assert not watched.foreign, f"{src}: requests to other hosts: {watched.foreign}"
    # Material's script ran (settle checks document$) and took the page over: the palette of the
    # reader's preference, no `no-js` fallback.
    assert scheme(page) == watched.reader.scheme, f"{src}: palette {scheme(page)} for a {watched.reader.preference} preference"
    assert not page.evaluate("() => document.documentElement.classList.contains('no-js')"), f"{src}: still no-js"
    assert page.locator(".katex-error").count() == 0
    leftovers = sorted(set(RAW_TEX.findall(visible_prose(page))))
    assert not leftovers, f"{src}: raw TeX visible: {leftovers}"
    # Figures load lazily (verified_docs.figures.prepare_img): each must arrive when the reader reaches it.
    # A limit, not a wait: an image that never loads fails here instead of hanging the run.
    broken = page.evaluate("""async (timeout) => {
        const broken = [];
        for (const image of document.images) {
            image.scrollIntoView({block: 'center'});
            const limit = new Promise(done => setTimeout(done, timeout));
            await Promise.race([image.decode().catch(() => null), limit]);
            if (!image.complete || image.naturalWidth === 0) broken.push(image.src.slice(0, 100));
        }
        scrollTo(0, 0);
        return broken;
    }""", SETTLE_TIMEOUT_MS)
    assert not broken, f"{src}: images that did not load when scrolled to: {broken}"
    if page.locator(".math-display").count():
        # The math fonts (KaTeX's, or a MathML output's subset) came from the site itself and are in use.
        family = "KaTeX_Main" if MATH_OUTPUT == "katex" else f'"{mathfont.FAMILY}"'
        fonts = page.evaluate(f"() => document.fonts.check('16px {family}')")
        assert fonts, f"{src}: {family} font not loaded"
    twice = sorted({u for u in watched.requested if watched.requested.count(u) > 1})
    assert not twice, f"{src}: requested more than once: {twice}"
    # The engine (verified_docs/fonts.py) preloads exactly the fonts the page draws with (no layout shift when
    # they arrive, no preload fetched in vain). Settled means the fonts have loaded: all requested.
    fetched = sorted({u.rsplit("/", 1)[1] for u in watched.requested if u.endswith(".woff2")})
    preloaded = sorted(h.rsplit("/", 1)[1] for h in page.eval_on_selector_all(
        "link[rel=preload][as=font]", "links => links.map(l => l.href)"))
    assert fetched == preloaded, f"{src}: fonts fetched {fetched}, preloaded {preloaded}"
    # Layout shift, on a second visit. Whether preloaded fonts beat the first paint of a first
    # visit is a race with the network, measured by `make bench` (Lighthouse), not asserted here.
    # With the fonts cached, what is left is the page's own doing: an unsized image, content that
    # script inserts or restyles (Material wraps tables after its start-up), a block painted before
    # the parser reached its end (overrides/partials/first-paint.html). None is allowed, while
    # loading or once settled: Chromium reports a shift only when visible content moved between
    # two frames, which a reader sees as the text jumping (the smallest failure seen, 0.0014, was
    # a table column moving 30 px sideways). Each shift is listed by phase and by what moved.
    page.goto(url_of(site_url, src))
    settle(page)
    shifts = page.evaluate("() => window.__shifts")
    report = "\n".join(f"{'settled' if s['settled'] else 'loading'} t={s['time']} ms {s['value']:.4f}: {s['nodes']}" for s in shifts)
    assert not shifts, f"{src}: the layout shifted on a second visit:\n{report}"


def test_copy_button_copies_exactly_the_snippet(watched, site_url):
    page = watched.page
    page.goto(url_of(site_url, "optimization/newton.md"))
    settle(page)
    block = page.locator("div.language-python").first
    expected = block.locator("code").inner_text()
    block.hover()
    block.locator("button[data-md-type='copy']").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == expected.strip()
    assert "def objective" in copied and "--8<--" not in copied


@pytest.mark.parametrize("src", ["index.md", *NOTEBOOKS])
def test_search_finds_a_page_by_a_word_from_its_body(src, watched, site_url):
    page = watched.page
    page.goto(url_of(site_url, src))
    settle(page)
    page.keyboard.press("/")  # Material's shortcut opens and focuses the search dialog
    page.keyboard.type("overshoots")
    # Results are shown as the query is typed: wait for those of the whole word (Material writes the
    # query into each result's link as ?h=…), not the first ones, for "o", "ov", "ove"…
    result = page.locator(".md-search-result__item a[href*='h=overshoots']").first
    result.wait_for(timeout=10000)
    assert "optimization/newton" in result.get_attribute("href")
    preview = page.locator(".md-search-result").inner_text()
    assert "overshoots" in preview and not RAW_TEX.findall(preview), preview


def test_instant_navigation_keeps_math_rendered(watched, site_url):
    page = watched.page
    page.goto(site_url)
    settle(page)
    before = arrivals(page)
    page.locator("article a[href*='optimization/adam']").first.click()
    wait_for_arrival(page, before, url_of(site_url, "optimization/adam.md"))  # not a full load: same window
    settle(page)
    assert page.locator("h1:has-text('Adam')").count() == 1
    assert page.locator(".math-display .katex" if MATH_OUTPUT == "katex" else ".math-display math").count() >= 5
    assert not RAW_TEX.findall(visible_prose(page))
    assert not watched.errors


@pytest.mark.parametrize("src", ["index.md", *NOTEBOOKS])
def test_palette_toggle_switches_both_ways(src, watched, site_url):
    """From the palette of the reader's preference to the other one and back, with the toggle
    the header shows (on notebook pages too: they once lost Material's script)."""
    page = watched.page
    page.goto(url_of(site_url, src))
    settle(page)
    preferred = watched.reader.scheme
    other = ({"default", "slate"} - {preferred}).pop()
    for want in (other, preferred):
        page.locator("form[data-md-component='palette'] label:visible").click()
        page.wait_for_function("want => document.body.getAttribute('data-md-color-scheme') === want", arg=want)


@pytest.mark.parametrize("src, anchor", [("optimization/newton.md", "eq-newton-limit"), ("optimization/adam.md", "eq-adam-expectation")])
def test_a_link_to_an_equation_far_down_lands_on_it(src, anchor, watched, site_url):
    """A deep link (the errata and \\eqref links point at equations), opened as a new page, shows
    its target below the header and keeps it there while the rest of the page settles."""
    page = watched.page
    page.goto(url_of(site_url, src) + "#" + anchor)
    settle(page, anchor)
    assert page.evaluate("() => scrollY") > 1000, "the target is not far enough down for this test"
    assert_in_view_below_header(page, anchor)


@pytest.mark.parametrize("src", PAGES)
def test_wide_displays_scroll_with_the_keyboard(src, watched, site_url):
    """A display wider than the page is a tab stop and scrolls with the arrow keys (WCAG 2.1.1);
    one that fits is not a tab stop (40 of them would bury the page's links)."""
    page = watched.page
    page.goto(url_of(site_url, src))
    settle(page)
    displays = page.locator(".math-display")
    for i in range(displays.count()):
        display = displays.nth(i)
        overflows = display.evaluate("d => d.scrollWidth > d.clientWidth")
        tab_stop = display.evaluate("d => d.tabIndex >= 0")
        assert tab_stop == overflows, f"{src}: display {i} overflows={overflows} but tab stop={tab_stop}"
        if overflows:
            display.focus()
            assert display.evaluate("d => document.activeElement === d"), f"{src}: display {i} cannot take focus"
            handle = display.element_handle()
            page.keyboard.press("ArrowRight")
            page.wait_for_function("d => d.scrollLeft > 0", arg=handle, timeout=SETTLE_TIMEOUT_MS)
            page.keyboard.press("ArrowLeft")
            page.wait_for_function("d => d.scrollLeft === 0", arg=handle, timeout=SETTLE_TIMEOUT_MS)
