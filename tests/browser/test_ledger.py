"""The proof ledger as a reader sees it (tests/browser/conftest.py: both palettes, desktop and
phone widths), with every check named and linked as the published ledger has them
(tests/conftest.py: ledger_results).

Compact, measured per row: a row is as tall as what it must show and no taller. Its formula is
shown whole, on one line (a matrix or Adam's table is taller than a line: up to about 100 px), so
it may set the row's height; the check cells may not push it further than three lines of the
table's text per test they list (the longest test name, 72 characters, wraps into three lines
in the narrowest column the ledger allows, 12em, 14em on a phone; most take one or two). On top
of that, half a line of padding (top and bottom together; Material's default is more than a
line). Before this layout (main at e88018d, 153 claims) the median row was 250 px at 1280 px
and 455 px at 390 px, up to 2,300 px; now 51 px at both widths, up to 110 and 150 px.
"""

from __future__ import annotations

import pytest

from tests.browser.reading import OBSERVE, settle
from tests.browser.site_pages import url_of
from verified_docs.contract import discover

pytestmark = [pytest.mark.browser, pytest.mark.site, pytest.mark.xdist_group("browser")]

LINES_PER_TEST = 3
PADDING_LINES = 0.5
MEASURE = """() => [...document.querySelectorAll("article .ledger tbody tr")].map(row => {
    const [result, ...checks] = row.cells;
    const style = getComputedStyle(checks[0]);
    // The formula's drawn boxes (KaTeX's .katex-base spans, or the line boxes of a MathML output's
    // <math>): wrapped if one lies below another.
    const katex = [...result.querySelectorAll(".katex-base")];
    const boxes = katex.length ? katex.map(b => b.getBoundingClientRect())
                               : [...result.querySelectorAll("math")].flatMap(m => [...m.getClientRects()]);
    const words = [];  // each word of the checks' names (a claim id's parts end at . or -) and its lines
    for (const cell of checks) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            if (text.parentElement.closest("[role=img]")) continue;  // the status mark
            for (const match of text.data.matchAll(/[^\\s.-]+[.-]?/g)) {
                const range = document.createRange();
                range.setStart(text, match.index);
                range.setEnd(text, match.index + match[0].length);
                words.push({word: match[0], lines: new Set([...range.getClientRects()].map(r => Math.round(r.top))).size});
            }
        }
    }
    return {
        claim: row.querySelector("td:last-child code").textContent,
        href: result.querySelector("a").getAttribute("href"),
        height: row.getBoundingClientRect().height,
        formula: Math.max(...boxes.map(b => b.bottom)) - Math.min(...boxes.map(b => b.top)),
        formulaWrapped: boxes.some(a => boxes.some(b => a.top >= b.bottom - 0.5)),
        line: parseFloat(style.lineHeight),
        tests: Math.max(...checks.map(cell => cell.querySelectorAll("[role=img]").length)),
        statuses: [...row.querySelectorAll("[role=img]")].map(mark => mark.getAttribute("aria-label")),
        words,
    };
})"""


@pytest.fixture
def ledger_rows(watched, site_url) -> list[dict]:
    page = watched.page
    page.goto(url_of(site_url, "ledger.md"))
    settle(page)
    return page.evaluate(MEASURE)


def test_one_row_per_claim_linked_to_its_formula_with_its_checks_named(ledger_rows):
    assert sorted(row["claim"] for row in ledger_rows) == sorted(discover("snippets"))
    unlinked = [row["claim"] for row in ledger_rows
                if not (row["href"].endswith(f"#claim-{row['claim']}") or "#eq-" in row["href"])]
    assert not unlinked, f"formulas not linked to their home: {unlinked}"
    # Built from this run's checks (tests/conftest.py): each kind has a named test, none "not run".
    not_run = [row["claim"] for row in ledger_rows if "not run" in row["statuses"] or len(row["statuses"]) < 3]
    assert not not_run, f"checks not run in the ledger's results: {not_run}"


def test_rows_are_compact(ledger_rows, watched):
    too_tall = []
    for row in ledger_rows:
        needed = max(row["formula"], LINES_PER_TEST * row["tests"] * row["line"])
        allowed = needed + PADDING_LINES * row["line"] + 2  # borders, rounding
        if row["height"] > allowed:
            too_tall.append(f"{row['claim']}: {row['height']:.0f} px, allowed {allowed:.0f} "
                            f"(formula {row['formula']:.0f} px, {row['tests']} test(s) in a cell, line {row['line']:.1f} px)")
    heights = sorted(row["height"] for row in ledger_rows)
    assert not too_tall, (f"{watched.reader.name}: rows taller than they need (median {heights[len(heights) // 2]:.0f} px):\n"
                          + "\n".join(too_tall))


def test_no_test_name_breaks_inside_a_word_and_no_formula_breaks(ledger_rows, watched):
    broken = [f"{row['claim']}: {word['word']!r}" for row in ledger_rows for word in row["words"] if word["lines"] > 1]
    assert not broken, f"{watched.reader.name}: broken across lines: {broken[:10]}"
    wrapped = [row["claim"] for row in ledger_rows if row["formulaWrapped"]]
    assert not wrapped, f"{watched.reader.name}: formulas wrapped onto two lines: {wrapped}"


@pytest.mark.parametrize("reader", ["desktop-light", "desktop-dark"], indirect=True)
def test_on_a_desktop_every_table_fits_the_page(watched, ledger_rows):
    """At 1280 px the widest formulas and three check columns share the page's width: nothing to
    scroll sideways. (On a phone the table scrolls, as Material's wide tables do.)"""
    overflow = watched.page.evaluate("""() => [...document.querySelectorAll("article .ledger")]
        .map(section => section.querySelector("table").getBoundingClientRect().width - section.clientWidth)""")
    assert max(overflow) <= 0.5, f"tables wider than the page by {overflow} px"


POINTED = """() => [...document.querySelectorAll("article .ledger td:first-child a")].filter(link => {
    link.scrollIntoView({block: "center"});
    const box = link.getBoundingClientRect();
    const under = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return !link.contains(under);
}).map(link => link.getAttribute("href"))"""


def test_a_formula_is_its_link_where_a_reader_points(watched, ledger_rows):
    """The middle of each formula is its link, not a box of the next row's formula laid over it
    (KaTeX's square roots reach 3em up: once, the click on stationary.p2 went nowhere)."""
    covered = watched.page.evaluate(POINTED)
    assert not covered, f"{watched.reader.name}: formula links under something else: {covered}"


MOVED_TABLES = """window.__movedTables = 0;
  new MutationObserver(records => { for (const r of records) for (const n of r.removedNodes)
    if (n.nodeName === 'TABLE' || (n.querySelector && n.querySelector('table'))) window.__movedTables++; })
    .observe(document, {childList: true, subtree: true});"""

# What Material's stylesheet gives table:not([class]) and extra.css copies for the ledger's
# class (the ledger sets its own padding, alignment and widths on top).
MATERIAL_TABLE = """() => {
  const plain = document.createElement('table');
  plain.innerHTML = '<thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody>';
  document.querySelector('article .ledger .md-typeset__table').append(plain);
  const ledger = document.querySelector('article .ledger table');
  const props = {table: ['display', 'font-size', 'background-color', 'border-top', 'border-left', 'border-radius',
                         'max-width', 'overflow-x', 'touch-action', 'width', 'margin-top'],
                 th: ['font-weight', 'text-align', 'border-top'], td: ['text-align', 'border-top'],
                 'tbody tr': ['transition-duration']};
  const style = (table, part, p) => getComputedStyle(part === 'table' ? table : table.querySelector(part)).getPropertyValue(p);
  const differ = Object.entries(props).flatMap(([part, list]) => list
    .filter(p => style(ledger, part, p) !== style(plain, part, p))
    .map(p => `${part} ${p}: ledger ${style(ledger, part, p)}, Material ${style(plain, part, p)}`));
  plain.remove();
  return differ;
}"""


@pytest.mark.parametrize("reader", ["desktop-light", "phone-dark"], indirect=True)
def test_material_leaves_the_ledger_in_place_and_its_tables_look_like_materials(browser, site_url, reader):
    """Material's start-up moves each table:not([class]) into a scrolling wrapper: the whole ledger
    laid out anew (2-3 s of blocking time on a throttled phone). The ledger's tables come wrapped
    and classed, so nothing moves; styled as Material styles its tables."""
    context = browser.new_context(viewport=reader.viewport, color_scheme=reader.preference)
    try:
        page = context.new_page()
        page.add_init_script(OBSERVE)  # what settle() reads
        page.add_init_script(MOVED_TABLES)
        page.goto(url_of(site_url, "ledger.md"))
        settle(page)
        assert page.evaluate("() => window.__movedTables") == 0
        wrapped = page.eval_on_selector_all("article .ledger table", """tables => tables.map(t =>
            t.parentElement.matches('.md-typeset__table') && t.parentElement.parentElement.matches('.md-typeset__scrollwrap'))""")
        assert wrapped and all(wrapped)
        assert page.evaluate(MATERIAL_TABLE) == []
    finally:
        context.close()
