"""Every link to a #fragment on another page, clicked as a reader clicks it.

The reader scrolls the link into view and clicks it at once; Material's instant navigation swaps
the page in and scrolls to the fragment. The errata page sends readers to sections of other pages,
the ledger to every claim, the pages to their errata entries and, by \\eqref, to equations: each of
those targets must end up below the header and on screen (a saved scroll offset of the old page
once won the race: overrides/partials/reader.html).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.reading import arrivals, assert_in_view_below_header, settle, wait_for_arrival
from tests.browser.site_pages import PAGES, url_of

pytestmark = [pytest.mark.browser, pytest.mark.site, pytest.mark.xdist_group("browser")]

# Links to a fragment of another page of this site, by their place among a[href*="#"].
CROSS_PAGE = """() => [...document.querySelectorAll('a[href*="#"]')]
    .map((a, index) => ({index, href: a.href, url: new URL(a.href)}))
    .filter(l => l.url.origin === location.origin && l.url.pathname !== location.pathname && l.url.hash.length > 1)
    .map(l => ({index: l.index, href: l.href}))"""


# Readers: both palettes and both widths, paired. The width moves every target (another layout,
# another header); a palette changes colours only (Material's palettes share every size), so the
# four pairings would click each of the ~85 links twice more for nothing (~2 s a click when busy).
@pytest.mark.parametrize("reader", ["desktop-light", "phone-dark"], indirect=True)
@pytest.mark.parametrize("src", PAGES)
def test_every_cross_page_fragment_link_lands_on_its_target(src, watched, site_url):
    # Imported here: Playwright is the "browser" group's, and `make test-quick` collects this module without it.
    from playwright.sync_api import Error as PlaywrightError

    page = watched.page
    source = url_of(site_url, src)
    page.goto(source)
    settle(page)
    links = page.evaluate(CROSS_PAGE)
    missed = []
    for link in links:
        if page.url != source:  # back, as a reader goes back to the list for the next link
            before = arrivals(page)
            page.go_back()
            wait_for_arrival(page, before, source)
            settle(page)
        anchor = unquote(urlsplit(link["href"]).fragment)
        try:
            before = arrivals(page)
            page.evaluate("() => { window.__settled = false; }")
            # Scroll the link to the middle of the screen and click it with the mouse at once, as a
            # quick reader does: the click then always falls inside the 100 ms after the scroll in
            # which Material has yet to save the offset (a reader who waits longer never meets it).
            point = page.locator('a[href*="#"]').nth(link["index"]).evaluate("""a => {
                a.scrollIntoView({block: 'center'});
                const r = a.getClientRects()[0];
                return {x: r.left + r.width / 2, y: r.top + r.height / 2};
            }""")
            page.mouse.click(point["x"], point["y"])
            wait_for_arrival(page, before, link["href"])
            settle(page, anchor)
            assert_in_view_below_header(page, anchor)
        except (AssertionError, PlaywrightError) as failure:
            missed.append(f"{link['href']}: {str(failure).splitlines()[0]}")
            page.goto(source)  # start the next link from a known state
            settle(page)
    assert not missed, f"{src} ({watched.reader.name}): {len(missed)} of {len(links)} links missed:\n" + "\n".join(missed)
    assert not watched.errors, watched.errors
