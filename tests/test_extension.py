"""The Markdown extension in process: Markdown in, HTML out (as pymdown-extensions tests its own).

Each test writes a tiny project (docs/, a snippet package, a claim) into a temporary folder and
renders one page of it; faults must stop the render with the page, the line and what to do.
"""

from __future__ import annotations

import re

import markdown
import pytest

from tests.engine_site import PACKAGE, PAGE, SQUARE, SQUARE_CLAIM
from tests.site_build import ROOT
from verified_docs.katex import KatexRenderer, render_notebook_math
from verified_docs.project import Project


def displays(html: str) -> list[str]:
    return re.findall(r'<div class="math-display"[^>]*>', html)


def inlines(html: str) -> list[str]:
    return re.findall(r'<span class="math-inline"[^>]*>', html)


# --- what a page becomes -------------------------------------------------------------------

def test_formulas_are_typeset_at_build_with_their_tex_kept_in_mathml(site):
    html = site.render()
    assert '<span class="math-inline"><span class="katex">' in html
    assert displays(html) == ['<div class="math-display" data-given="">']
    assert '<annotation encoding="application/x-tex">x^2</annotation>' in html
    assert '<span class="katex-mathml" data-search-exclude="mathml">' in html  # search shows glyphs
    assert "arithmatex" not in html and "\\given" not in html and "$" not in re.sub(r"<annotation.*?</annotation>", "", html)


def test_a_claim_marks_its_equation_and_gets_an_anchor(site):
    site.claim_square()
    html = site.render()
    assert displays(html) == ['<div class="math-display" data-claim="demo.square" id="claim-demo.square">']
    assert "\\claim" not in html and "2^2 = 4" in html


def test_an_inline_claim_is_marked_and_its_first_occurrence_is_its_home(site):
    """An inline result carries its claim; a restatement is marked too; one anchor, on the first."""
    site.claim_square(r"x^2 = 4 \given")
    site.edit("docs/demo/page.md", "Inline $x^2$", r"Inline $2^2 = 4 \claim{demo.square}$, again $2^2 = 4 \claim{demo.square}$")
    html = site.render()
    assert inlines(html) == ['<span class="math-inline" data-claim="demo.square" id="claim-demo.square">',
                             '<span class="math-inline" data-claim="demo.square">']
    assert "\\claim" not in html


def test_a_claims_display_is_its_home_wherever_an_inline_restatement_comes(site):
    site.claim_square()
    site.edit("docs/demo/page.md", "Inline $x^2$", r"Inline $2^2 = 4 \claim{demo.square}$")
    site.write("docs/index.md", "# Home\n\nFirst $2^2 = 4 \\claim{demo.square}$, see [the page](demo/page.md).\n")
    page, home = site.render(), site.render("index.md")
    assert displays(page) == ['<div class="math-display" data-claim="demo.square" id="claim-demo.square">']
    assert inlines(page) == ['<span class="math-inline" data-claim="demo.square">']
    assert inlines(home) == ['<span class="math-inline" data-claim="demo.square">']


def test_given_and_quoted_mark_displays_and_inline_formulas(site):
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", r"x^2 = 5 \quoted")
    site.edit("docs/demo/page.md", "Inline $x^2$", r"Inline $x > 0 \given$ and $y = 1 \quoted$")
    html = site.render()
    assert displays(html) == ['<div class="math-display" data-quoted="">']
    assert inlines(html) == ['<span class="math-inline" data-given="">', '<span class="math-inline" data-quoted="">']
    assert "\\given" not in html and "\\quoted" not in html


def test_a_label_numbers_the_equation_and_eqref_links_to_it(site):
    site.claim_square(r"2^2 = 4 \label{sq} \claim{demo.square}")
    site.edit("docs/demo/page.md", "Inline $x^2$", r"By $\eqref{sq}$")
    site.write("docs/index.md", "# Home\n\nBy $\\eqref{sq}$, see [page](demo/page.md).\n")
    page, home = site.render(), site.render("index.md")
    assert displays(page) == ['<div class="math-display" data-claim="demo.square" id="eq-sq">']
    assert r"2^2 = 4 \tag{1}" in page  # KaTeX was given the number
    assert '<a class="eqref" href="#eq-sq">(1)</a>' in page
    # Across pages: a link to the page's source, which the generator turns into its URL.
    assert '<a class="eqref" href="demo/page.md#eq-sq">(1) in Page</a>' in home


def test_equations_are_numbered_in_page_order(site):
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", r"x^2 = 4 \label{b} \given" + "\n$$\n\n$$\ny = 1 \\label{a} \\given")
    html = site.render()
    assert html.index(r"\tag{1}") < html.index(r"\tag{2}") and 'id="eq-b"' in html and 'id="eq-a"' in html


def test_verified_is_filled_with_the_claims_generated_tex(site):
    site.write(f"{PACKAGE}/demo/page.py", SQUARE + "\nfrom verified_docs import Claim\n\n"
               "CLAIMS = [Claim('demo.square', 'Squares', tex=lambda: r'x \\cdot x')]\n")
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", r"x^2 = \verified \claim{demo.square}")
    assert r"x^2 = x \cdot x" in site.render()


def test_a_page_is_found_by_its_markdown_when_the_generator_does_not_name_it(site):
    site.claim_square()
    assert 'data-claim="demo.square"' in site.render(name_page=False)


def test_without_a_shared_engine_the_extension_works_alone(site, monkeypatch):
    """As under Zensical or plain Python-Markdown: options, not objects; its own KaTeX process."""
    monkeypatch.chdir(site.root)
    html = markdown.markdown(PAGE.replace('```python\n--8<-- "demo/page.py:square"\n```\n', ""),
                             extensions=["verified_docs.extension"],
                             extension_configs={"verified_docs.extension": {"snippets_dir": PACKAGE, "page": "demo/page.md"}})
    assert displays(html) == ['<div class="math-display" data-given="">']


def test_notebook_math_outside_code_is_typeset():
    cell = '<div class="jp-RenderedMarkdown"><p>A $x&lt;1$ and <code>$HOME</code></p></div>'
    with KatexRenderer(Project.at(ROOT)) as renderer:
        html = render_notebook_math(cell, renderer, "docs/notebooks/x.ipynb")
    assert '<span class="math-inline">' in html and "x&lt;1</annotation>" in html and "<code>$HOME</code>" in html


# --- faults: the page (and line) named, and what to do ---------------------------------------

def test_tex_error_names_page_line_and_formula(site):
    site.edit("docs/demo/page.md", "x^2 = 4", r"\frac{x}{2 = 4")
    site.fails("docs/demo/page.md:8", r"\\frac{x}{2 = 4", "KaTeX parse error")


def test_display_without_claim_or_given(site):
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", "x^2 = 4")
    site.fails("docs/demo/page.md:8", "without \\claim{id}, \\given or \\quoted")


def test_two_markers_on_one_display(site):
    site.claim_square(r"2^2 = 4 \claim{demo.square} \given")
    site.fails("docs/demo/page.md:8", "one marker per equation")


def test_unknown_claim_id(site):
    site.edit("docs/demo/page.md", r"\given", r"\claim{demo.cube}")
    site.fails("docs/demo/page.md:8", "unknown claim id 'demo.cube'", f"CLAIMS of {PACKAGE}/demo/page.py")


def test_claim_defined_but_shown_nowhere(site):
    site.write(f"{PACKAGE}/demo/page.py", SQUARE + SQUARE_CLAIM)
    site.fails("no page shows", f"demo.square (defined in {PACKAGE}/demo/page.py)")


def test_claim_shown_in_two_displays(site):
    site.claim_square()
    site.write("docs/index.md", "# Home\n\n$$\n2^2 = 4 \\claim{demo.square}\n$$\n")
    site.fails("docs/demo/page.md:8: claim 'demo.square' is already shown in docs/index.md")


def test_inline_unknown_claim_id(site):
    site.edit("docs/demo/page.md", "Inline $x^2$", r"Inline $x^2 = 4 \claim{demo.cube}$")
    site.fails("docs/demo/page.md:5", "unknown claim id 'demo.cube'")


@pytest.mark.parametrize("tex", ["x^2 = 4", r"x \le 4", r"\beta^t \to 0", r"x \approx 2"])
def test_inline_relation_without_a_marker(site, tex):
    """A result stated inline must be a claim (or say it is a definition or a quotation)."""
    site.edit("docs/demo/page.md", "Inline $x^2$", f"Inline ${tex}$")
    site.fails("docs/demo/page.md:5", "an inline formula that states a relation needs")


@pytest.mark.parametrize("tex", [r"\sum_{j=1}^n x_j", r"a_{i \ne j}", r"x \leftarrow y"])
def test_inline_formula_without_a_top_level_relation_needs_no_marker(site, tex):
    """A relation inside braces (an index's range) states no result, nor does a command that
    merely begins like one."""
    site.edit("docs/demo/page.md", "Inline $x^2$", f"Inline ${tex}$")
    assert "katex" in site.render()


def test_inline_formula_with_two_markers(site):
    site.edit("docs/demo/page.md", "Inline $x^2$", r"Inline $x^2 = 4 \given \quoted$")
    site.fails("docs/demo/page.md:5", "one marker per formula", "['given', 'quoted']")


def test_inline_line_numbers_count_the_front_matter(site):
    site.write("docs/demo/page.md", "---\ntitle: Page\n---\n\n" + PAGE.replace("Inline $x^2$", r"Inline $x = 1 \claim{demo.cube}$"))
    site.fails("docs/demo/page.md:9", "unknown claim id 'demo.cube'")


def test_verified_needs_a_claim(site):
    site.edit("docs/demo/page.md", "Inline $x^2$", r"Inline $x^2 = \verified$")
    site.fails("docs/demo/page.md:5", "\\verified needs a \\claim{id} with tex=")


@pytest.mark.parametrize("tex", [r"A\mathbb{1}", r"\mathbf{\beta}_1", r"\mathcal{l}"])
def test_tex_drawn_other_than_written_is_refused(site, tex):
    """KaTeX draws a character its font lacks in the normal font, silently: the ones vector
    \\mathbb{1} reads as the number 1, a \\mathbf{\\beta} as a plain beta."""
    site.edit("docs/demo/page.md", "Inline $x^2$", f"Inline ${tex}$")
    site.fails("docs/demo/page.md:5", "is drawn as a plain")


def test_what_a_font_has_is_drawn_as_written(site):
    site.edit("docs/demo/page.md", "Inline $x^2$", r"Inline $\mathbb{R}^n \mathbf{1}_n \boldsymbol{\beta} \mathcal{L}$")
    assert r"\mathbb{R}^n" in site.render()


def test_verified_needs_a_claim_that_generates_tex(site):
    site.claim_square(r"2^2 = \verified \claim{demo.square}")
    site.fails("\\verified needs a claim with tex=")


def test_undefined_eqref(site):
    site.edit("docs/demo/page.md", "Inline $x^2$", r"See $\eqref{nowhere}$")
    site.fails("docs/demo/page.md", "\\eqref{nowhere} refers to no \\label")


def test_eqref_must_stand_alone_in_an_inline_formula(site):
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", r"x^2 = 4 \label{sq} \given")
    site.edit("docs/demo/page.md", "Inline $x^2$", r"See $x = \eqref{sq}$")
    site.fails("write each reference as its own inline formula")


def test_ref_is_refused(site):
    site.edit("docs/demo/page.md", "Inline $x^2$", r"See $\ref{sq}$")
    site.fails("use $\\eqref{name}$, not \\ref")


def test_duplicate_label_across_pages(site):
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", r"x^2 = 4 \label{sq} \given")
    site.write("docs/index.md", "# Home\n\n$$\ny = 1 \\label{sq} \\given\n$$\n")
    site.fails("duplicate \\label{sq}", "docs/demo/page.md", "docs/index.md")


def test_two_labels_on_one_display(site):
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", r"x^2 = 4 \label{a} \label{b} \given")
    site.fails("docs/demo/page.md", "one \\label per equation")


def test_numeric_tag_is_refused(site):
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", r"x^2 = 4 \tag{1} \given")
    site.fails("docs/demo/page.md:8", "use \\label")


def test_label_in_an_inline_formula_is_refused(site):
    site.edit("docs/demo/page.md", "Inline $x^2$", r"Inline $x^2 \label{i}$")
    site.fails("\\label belongs in a display equation")


def test_missing_snippet_file(site):
    site.edit("docs/demo/page.md", "demo/page.py:square", "demo/nope.py:square")
    site.fails("docs/demo/page.md:12", f"no file {PACKAGE}/demo/nope.py")


def test_missing_snippet_section(site):
    site.edit("docs/demo/page.md", "demo/page.py:square", "demo/page.py:cube")
    site.fails("docs/demo/page.md:12", "has no section 'cube'", "(it has square)")


@pytest.mark.parametrize(("target", "message"), [("../mkdocs.yml", "leaves"), ("https://example.org/x.py", "is a URL"),
                                                 ("demo/page.py:3:5", "a named section")])
def test_include_outside_snippets_or_by_line_numbers(site, target, message):
    site.edit("docs/demo/page.md", '"demo/page.py:square"', f'"{target}"')
    site.fails("docs/demo/page.md:12", message)


def test_orphan_snippet_section(site):
    site.write(f"{PACKAGE}/demo/page.py", SQUARE + "# --8<-- [start:cube]\n# --8<-- [end:cube]\n")
    site.fails(f"{PACKAGE}/demo/page.py: section 'cube'", "no page includes")


def test_malformed_snippet_section(site):
    site.write(f"{PACKAGE}/demo/page.py", SQUARE + "# --8<-- [start:cube]\n")
    site.fails(f"{PACKAGE}/demo/page.py: section(s) ['cube'] never end")


def test_a_hand_written_generated_page_is_refused(site):
    site.write("docs/ledger.md", "# Mine\n")
    site.fails("docs/ledger.md is generated by the build")


def test_render_false_leaves_the_tex_for_the_browser(site, monkeypatch):
    """tools/bench compares build-time KaTeX with in-browser maths: markers applied, TeX kept."""
    monkeypatch.chdir(site.root)
    site.edit("docs/demo/page.md", r"x^2 = 4 \given", r"x < 4 \label{sq} \given")
    text = (site.root / "docs" / "demo" / "page.md").read_text().replace('```python\n--8<-- "demo/page.py:square"\n```\n', "")
    html = markdown.markdown(text, extensions=["verified_docs.extension"], extension_configs={
        "verified_docs.extension": {"snippets_dir": PACKAGE, "page": "demo/page.md", "render": False}})
    assert '<div class="arithmatex" data-given="" id="eq-sq">\\[\nx &lt; 4 \\tag{1} \n\\]</div>' in html
    assert '<span class="arithmatex">\\(x^2\\)</span>' in html and "katex" not in html
