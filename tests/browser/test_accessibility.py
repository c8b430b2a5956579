"""axe-core on every page, in both palettes, on a desktop and a phone: no violations.

axe-core comes from node_modules (npm, pinned in package-lock.json) and is injected into the
page as served; nothing is fetched from elsewhere. One browser context per palette x width,
one tab in it that visits every page, so the site's assets come from its cache after the first.
"""

from __future__ import annotations

import pytest

from tests.browser.site_pages import NOT_FOUND, PAGES, path_of
from tests.site_build import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.site, pytest.mark.xdist_group("browser")]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices: 100 of axe-core 4.14's 105
# rules, none switched off (the other five are AAA or deprecated).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Material's palettes: mkdocs.yml maps the reader's colour-scheme preference to each.
SCHEMES = {"default": "light", "slate": "dark"}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

SETTLED = """async () => {
    await document.fonts.ready;
    // overrides/partials/reader.html marks overflowing displays focusable from a ResizeObserver,
    // whose callbacks run after layout in the next rendering step: two frames after the fonts
    // are in, what they widened has been laid out and observed.
    for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
}"""
RUN = """async tags => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ")),
    }));
}"""


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN, TAGS)


def report(violations: list[dict], shown: int = 5) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        lines += [f"    {node[:300]}" for node in v["nodes"][:shown]]
    return "\n".join(lines)


@pytest.fixture(scope="module", params=[(s, w) for s in SCHEMES for w in WIDTHS], ids="-".join)
def view(request, browser):
    """A tab in the given palette and width; pytest runs all pages of one view before the next."""
    scheme, width = request.param
    width_px, height_px = WIDTHS[width]
    context = browser.new_context(viewport={"width": width_px, "height": height_px}, color_scheme=SCHEMES[scheme])
    yield scheme, context.new_page()
    context.close()


def open_settled(page, url: str, scheme: str) -> None:
    page.goto(url, wait_until="load")
    page.evaluate(SETTLED)
    shown = page.get_attribute("body", "data-md-color-scheme")
    assert shown == scheme, f"palette {shown!r} shown, {scheme!r} expected from prefers-color-scheme"


@pytest.mark.parametrize("src", PAGES + [NOT_FOUND])
def test_page_has_no_accessibility_violations(src, view, site_url):
    scheme, page = view
    open_settled(page, site_url + path_of(src), scheme)
    violations = axe_violations(page)
    assert not violations, f"{src} ({scheme}, {page.viewport_size['width']} px):\n{report(violations)}"


def test_axe_reports_a_contrast_failure_planted_in_the_dark_palette(browser, site_url):
    """The check above can fail: grey text on slate's background is reported."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page = context.new_page()
        open_settled(page, site_url, "slate")
        page.add_style_tag(content=".md-typeset p { color: #606060 !important; }")
        assert "color-contrast" in {v["id"] for v in axe_violations(page)}
    finally:
        context.close()
