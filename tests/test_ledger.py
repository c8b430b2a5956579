"""The proof ledger's writer in process: a results file (the JSON the pytest plugin writes) and a
tiny project in, the ledger's Markdown and HTML out; and the gate that publishing passes through."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tests.engine_site import PACKAGE, SQUARE
from verified_docs.errors import EngineError
from verified_docs.ledger import ledger_markdown, page_url, relative_url

REPO = "https://example.org/owner/name"
REVISION = "0123456789abcdef0123456789abcdef01234567"
SYMBOLIC = {"kind": "symbolic", "test": "tests/demo/test_page.py::test_square_exactly", "outcome": "passed",
            "source": {"path": "tests/demo/test_page.py", "lines": [10, 14]}}
NUMERIC = {"kind": "numeric", "test": "tests/demo/test_page.py::test_square_by_sampling[3]", "outcome": "passed",
           "source": {"path": "tests/demo/test_page.py", "lines": [17, 25]}}
DISPLAYED = {"kind": "displayed", "test": f"{PACKAGE}/demo/page.py::test_displayed_form_is_the_verified_form[demo.square]",
             "outcome": "passed", "source": {"path": f"{PACKAGE}/demo/page.py", "lines": [12, 12]}}
PASSED = [SYMBOLIC, NUMERIC, DISPLAYED]


def record(site, claims: dict, commit: str = "unknown", **run) -> None:
    """A results file as the pytest plugin writes it (a temporary project is no git repository:
    its commit reads as "unknown")."""
    (site.root / ".claims-results.json").write_text(json.dumps(
        {"commit": commit, "revision": REVISION, "prefix": "", "dirty": False, "changed": [],
         "date": "2026-11-27 10:00 UTC", "claims": claims, **run}))


class Rows(HTMLParser):
    """The ledger's tables as data: each row's class and cells; a cell's text (a status mark read as
    "[its label]", a formula left out) and links; whether KaTeX set a formula as a display."""

    def __init__(self, markdown: str):
        super().__init__(convert_charrefs=True)
        self.rows: list[dict] = []
        self.cell: dict | None = None
        self.formula = 0  # depth inside a formula's markup
        self.mark = False
        self.feed(markdown)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.formula:
            self.formula += 1
            self.cell["display"] |= "katex-display" in (attrs.get("class") or "").split()
        elif tag == "tr":
            self.rows.append({"class": attrs.get("class"), "cells": []})
        elif tag == "td":
            self.cell = {"text": "", "links": []}
            self.rows[-1]["cells"].append(self.cell)
        elif self.cell is None:
            return
        elif tag == "br":
            self.cell["text"] += " "
        elif tag == "a":
            self.cell["links"].append(attrs["href"])
            self.cell["title"] = attrs.get("title")
        elif attrs.get("role") == "img":
            self.cell["text"] += f"[{attrs['aria-label']}]"
            self.mark = True
        elif attrs.get("class") == "math-inline":
            self.formula = 1
            self.cell["display"] = False

    def handle_endtag(self, tag):
        self.mark = False
        if self.formula:
            self.formula -= 1
        elif tag == "td":
            self.cell["text"] = " ".join(self.cell["text"].split())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not (self.formula or self.mark):
            self.cell["text"] += data


def typeset(engine, monkeypatch) -> list[dict]:
    """What the ledger asks KaTeX to draw, formula by formula (it shows the drawn part alone: no
    MathML, so no TeX to read back from the page)."""
    asked, render = [], engine.katex.render

    def recorded(items):
        asked.extend(items)
        return render(items)

    monkeypatch.setattr(engine.katex, "render", recorded)
    return asked


def rows(markdown: str) -> list[dict]:
    return [row for row in Rows(markdown).rows if row["cells"]]  # header rows have <th> only


def second_page(site) -> None:
    """docs/demo/other.md with two claims: an inline one first, then a display, titled by its H1."""
    site.write(f"{PACKAGE}/demo/other.py", "from verified_docs import Claim\n\nCLAIMS = [\n"
               "    Claim('other.cube', 'Two cubed is eight', value=lambda: 8),\n"
               "    Claim('other.half', 'Half of eight is four', value=lambda: 4),\n]\n")
    site.write("docs/demo/other.md", "# Other\n\nFirst $2^3 = 8 \\claim{other.cube}$, then\n\n"
               "$$\n\\frac{8}{2} = 4 . \\claim{other.half}\n$$\n")


# --- structure: grouped by page, in nav order, one row per claim in page order ---------------

def test_claims_are_grouped_by_page_in_nav_order_and_by_place_on_their_page(site):
    site.claim_square(r"2^2 = 4 \label{sq} \claim{demo.square}")
    second_page(site)
    engine = site.engine()
    engine.titles = {"demo/page.md": "The page (1)", "demo/other.md": "Other things (2)"}  # the nav's order
    ledger = ledger_markdown(engine)
    headings = re.findall(r"^## (.*)$", ledger, re.M)
    assert headings == ["[The page (1)](demo/page.md)", "[Other things (2)](demo/other.md)"]  # not the folder's order
    page, other = ledger.split("\n## ")[1:]
    assert [r["cells"][0]["links"] for r in rows(other)] == [["../demo/other/#claim-other.cube"],
                                                             ["../demo/other/#claim-other.half"]]
    assert [r["cells"][0]["links"] for r in rows(page)] == [["../demo/page/#eq-sq"]]  # a labelled display


def test_without_a_nav_pages_come_in_the_order_of_the_docs_folder(site):
    site.claim_square()
    second_page(site)
    headings = re.findall(r"^## \[([^]]*)\]", ledger_markdown(site.engine()), re.M)
    assert headings == ["Other", "Page"]  # H1 titles; other.md before page.md


def test_each_formula_is_the_tex_its_page_shows_typeset_as_there(site, monkeypatch):
    """A display as a display, an inline formula inline; markers, label and the closing full stop
    dropped; KaTeX's drawn part alone, the link named by the claim's statement."""
    site.claim_square(r"2^2 = 4 \label{sq} \claim{demo.square}")
    second_page(site)
    engine = site.engine()
    asked = typeset(engine, monkeypatch)
    ledger = ledger_markdown(engine)
    assert asked == [{"tex": "2^3 = 8", "display": False, "output": "html"},
                     {"tex": "\\frac{8}{2} = 4", "display": True, "output": "html"},
                     {"tex": "2^2 = 4", "display": True, "output": "html"}]
    cube, half, square = (row["cells"][0] for row in rows(ledger))
    assert [cube["display"], half["display"], square["display"]] == [False, True, True]
    assert square["title"] == "Two squared is four" and 'aria-hidden="true"' in ledger and "<math" not in ledger


def test_a_generated_formula_is_shown_filled_in(site, monkeypatch):
    site.write(f"{PACKAGE}/demo/page.py", SQUARE + "\nfrom verified_docs import Claim\n\n"
               "CLAIMS = [Claim('demo.square', 'Two squared', tex=lambda: r'\\begin{pmatrix} 4 \\end{pmatrix}')]\n")
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", r"2^2 = \verified , \claim{demo.square}")
    engine = site.engine()
    asked = typeset(engine, monkeypatch)
    ledger_markdown(engine)
    assert [item["tex"] for item in asked] == [r"2^2 = \begin{pmatrix} 4 \end{pmatrix}"]


def test_urls_follow_the_generator(site):
    site.claim_square()
    urls = {"index.md": "index.html", "demo/page.md": "demo/page.html", "ledger.md": "ledger.html"}
    [row] = rows(ledger_markdown(site.engine(), urls=urls))
    assert row["cells"][0]["links"] == ["demo/page.html#claim-demo.square"]
    assert page_url("demo/index.md") == "demo/" and page_url("index.md") == "" and page_url("a/b.md", False) == "a/b.html"
    assert relative_url("", "ledger/") == "../" and relative_url("a/b/", "ledger/") == "../a/b/"
    assert relative_url("a/b.html", "ledger.html") == "a/b.html" and relative_url("a/b.html", "x/ledger.html") == "../a/b.html"


# --- checks: status, names, links -------------------------------------------------------------

def test_every_check_links_to_the_lines_that_ran_at_the_commit_of_the_results(site):
    site.claim_square()
    record(site, {"demo.square": PASSED})
    ledger = ledger_markdown(site.engine(), repo_url=REPO + "/")
    [row] = rows(ledger)
    symbolic, numeric, displayed = row["cells"][1:]
    assert symbolic["text"] == "[passed] square exactly"
    assert symbolic["links"] == [f"{REPO}/blob/{REVISION}/tests/demo/test_page.py#L10-L14"]
    assert numeric["text"] == "[passed] square by sampling"
    assert numeric["links"] == [f"{REPO}/blob/{REVISION}/tests/demo/test_page.py#L17-L25"]
    # The displayed form is named by the claim's id, linked to its definition.
    assert displayed["text"] == "[passed] demo.square"
    assert displayed["links"] == [f"{REPO}/blob/{REVISION}/{PACKAGE}/demo/page.py#L12-L12"]
    # Once in words too (paper prints no link's address).
    assert f"Each check links to its lines in `{REPO}` at commit `{REVISION}`." in ledger


def test_a_project_in_a_subfolder_links_below_its_prefix(site):
    site.claim_square()
    record(site, {"demo.square": PASSED}, prefix="examples/minimal/")
    [row] = rows(ledger_markdown(site.engine(), repo_url=REPO))
    assert row["cells"][1]["links"] == [f"{REPO}/blob/{REVISION}/examples/minimal/tests/demo/test_page.py#L10-L14"]


def test_a_file_that_differed_from_the_commit_is_not_linked_and_the_page_says_so(site):
    site.claim_square()
    record(site, {"demo.square": PASSED}, dirty=True, changed=["tests/demo/test_page.py"])
    ledger = ledger_markdown(site.engine(), repo_url=REPO)
    [row] = rows(ledger)
    assert [cell["links"] for cell in row["cells"][1:]] == [[], [], [f"{REPO}/blob/{REVISION}/{PACKAGE}/demo/page.py#L12-L12"]]
    assert "with uncommitted changes" in ledger
    assert "are not linked (the commit does not hold the code that ran): `tests/demo/test_page.py`" in ledger


def test_without_a_repository_checks_are_named_not_linked(site):
    site.claim_square()
    record(site, {"demo.square": PASSED})
    ledger = ledger_markdown(site.engine())
    [row] = rows(ledger)
    assert [cell["links"] for cell in row["cells"][1:]] == [[], [], []]
    assert row["cells"][1]["text"] == "[passed] square exactly"
    assert "Checks are named, not linked: no repository is configured" in ledger
    assert "Each check links" not in ledger


def test_a_bar_or_a_quote_in_a_statement_or_a_formula_stays_in_its_cell(site):
    """|z| (a norm, an absolute value) would end a Markdown table's cell; a quote would end the
    title attribute that names the formula's link. The table is HTML: each stays where it is."""
    site.claim_square(r"|-2|^2 = 4 \claim{demo.square}")
    site.edit(f"{PACKAGE}/demo/page.py", "'Two squared is four'", "'|-2|^2 = 4, \"squared\"'")
    record(site, {"demo.square": PASSED})
    [row] = rows(ledger_markdown(site.engine(), repo_url=REPO))
    assert len(row["cells"]) == 4 and row["cells"][0]["title"] == '|-2|^2 = 4, "squared"'
    assert [cell["text"] for cell in row["cells"][1:]] == ["[passed] square exactly", "[passed] square by sampling",
                                                           "[passed] demo.square"]


def test_the_cases_of_a_test_share_one_link_and_a_failed_case_is_counted(site):
    site.claim_square()
    cases = [{**NUMERIC, "test": f"tests/demo/test_page.py::test_square_by_sampling[{n}]", "outcome": outcome}
             for n, outcome in ((1, "passed"), (2, "failed"), (3, "passed"))]
    record(site, {"demo.square": [SYMBOLIC, *cases, DISPLAYED]})
    ledger = ledger_markdown(site.engine(), repo_url=REPO)
    [row] = rows(ledger)
    assert row["cells"][2]["text"] == "[failed] square by sampling (1 of 3 cases)"
    assert len(row["cells"][2]["links"]) == 1
    assert row["class"] == "ledger-failed"
    assert "1 claims: 0 passed, 1 failed, 0 not run." in ledger


def test_two_tests_of_one_kind_are_listed_in_file_order_each_with_its_own_link(site):
    site.claim_square()
    other = {**SYMBOLIC, "test": "tests/demo/test_page.py::test_square_by_hand",
             "source": {"path": "tests/demo/test_page.py", "lines": [30, 33]}}
    record(site, {"demo.square": [other, SYMBOLIC, NUMERIC, DISPLAYED]})  # in the order they ran
    [row] = rows(ledger_markdown(site.engine(), repo_url=REPO))  # in the order of their file
    assert row["cells"][1]["text"] == "[passed] square exactly [passed] square by hand"
    assert [link.rsplit("#", 1)[1] for link in row["cells"][1]["links"]] == ["L10-L14", "L30-L33"]


def test_without_a_test_run_every_claim_shows_not_run(site):
    site.claim_square(r"2^2 = 4 \label{sq} \claim{demo.square}")
    ledger = ledger_markdown(site.engine())
    assert ledger.startswith("---\ndescription: ") and "no recorded test run" in ledger
    [row] = rows(ledger)
    assert [cell["text"] for cell in row["cells"][1:]] == ["[not run] not run"] * 2 + ["[not run] demo.square"]
    assert row["class"] == "ledger-not-run"
    assert "**1 claims: 0 passed, 0 failed, 1 not run.**" in ledger


def test_with_render_off_the_formulas_are_left_for_the_browser(site):
    """As the extension does for benchmarks of in-browser maths."""
    site.claim_square(r"2^2 < 5 \claim{demo.square}")
    ledger = ledger_markdown(site.engine(), render=False)
    assert '<span class="arithmatex">\\[2^2 &lt; 5\\]</span>' in ledger and "katex" not in ledger


# --- the publishing gate -----------------------------------------------------------------------

@pytest.mark.parametrize(("records", "commit", "message"), [
    ([], "unknown", "0 claims failed and 1 were not run"),
    ([SYMBOLIC, {**NUMERIC, "outcome": "failed"}], "unknown", "1 claims failed and 0 were not run"),
    (PASSED, "0123abc", "0 claims failed and 1 were not run"),  # results of another commit count for nothing
])
def test_the_publishing_gate(site, records, commit, message):
    site.claim_square()
    record(site, {"demo.square": records}, commit)
    with pytest.raises(EngineError, match=message):
        ledger_markdown(site.engine(), require_passed=True)
    assert "**The test results are from another commit" in ledger_markdown(site.engine()) or commit == "unknown"


def test_the_gate_passes_when_every_check_passed(site):
    site.claim_square()
    record(site, {"demo.square": PASSED})
    assert "1 claims: 1 passed, 0 failed, 0 not run." in ledger_markdown(site.engine(), require_passed=True)


def test_a_formula_katex_cannot_render_for_the_ledger_names_the_claim(site, monkeypatch):
    site.claim_square()
    engine = site.engine()
    monkeypatch.setattr(engine.katex, "render", lambda items: [{"error": "boom"} for _ in items])
    with pytest.raises(EngineError, match=r"docs/demo/page.md: claim demo.square: KaTeX cannot render .*boom"):
        ledger_markdown(engine)
