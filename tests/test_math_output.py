"""The MathML outputs (the extension's `math_output`: katex-mathml, temml) in process: a page's
formulas become MathML only, keep their TeX for screen readers and search, their numbers and
anchors; the font is cut to what the pages draw and preloaded where it is drawn."""

from __future__ import annotations

import io
import re
import sys

import pytest

from tests.engine_site import PACKAGE, Site
from tests.site_build import ROOT
from verified_docs import mathfont
from verified_docs.errors import EngineError
from verified_docs.fonts import FontPreloads
from verified_docs.katex import KatexRenderer, math_output
from verified_docs.project import Project
from verified_docs.steps import postbuild_site

MATHML_OUTPUTS = ["katex-mathml", "temml"]


@pytest.fixture(scope="module", params=MATHML_OUTPUTS)
def renderer(request):
    with KatexRenderer(Project.at(ROOT), request.param) as running:
        yield running


@pytest.fixture
def site(tmp_path, renderer, monkeypatch):
    """tests/conftest.py's `site`, rendering with a MathML output."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    yield Site(tmp_path, renderer)
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def test_formulas_become_mathml_only_with_their_tex_numbers_and_anchors(site):
    site.claim_square(r"2^2 = 4 \label{sq} \claim{demo.square}")
    site.edit("docs/demo/page.md", "Inline $x^2$", r"Inline $x^2$ (see $\eqref{sq}$)")
    html = site.render()
    assert "katex-html" not in html and "katex-mathml" not in html  # nothing drawn twice
    assert html.count("<math") == 2  # the display and the inline formula; the \eqref is a link
    assert '<div class="math-display math-tagged" data-claim="demo.square" id="eq-sq">' in html
    assert '<span class="math-tag">(1)</span></div>' in html and '<a class="eqref" href="#eq-sq">(1)</a>' in html
    # The TeX stays with each formula (screen readers, the displayed-form check), out of search.
    assert re.search(r'<annotation encoding="application/x-tex" data-search-exclude="tex">\s*2\^2 = 4\s*</annotation>', html)
    assert re.search(r'<math[^>]*alttext="x\^2"|<annotation[^>]*>x\^2</annotation>', html)
    assert "\\tag" not in html  # the number is set in HTML, not drawn inside the MathML table


def test_tex_errors_name_page_and_line_in_every_output(site):
    site.edit("docs/demo/page.md", "Inline $x^2$", "Inline $\\frac{1}{$")
    site.fails("docs/demo/page.md:5", "KaTeX cannot render")


def test_a_font_command_must_draw_what_it_names_in_every_output(site):
    site.edit("docs/demo/page.md", "Inline $x^2$", "Inline $\\mathbb{1}$")
    site.fails("docs/demo/page.md:5", "\\mathbb{1} is drawn as a plain")


def test_an_unknown_output_is_refused():
    with pytest.raises(EngineError, match="'mathjax' is not one of katex, katex-mathml, temml"):
        math_output("mathjax")


def test_postbuild_cuts_the_font_to_the_drawn_characters_and_preloads_it(tmp_path, site, renderer):
    from fontTools.ttLib import TTFont

    [inline, display] = renderer.render([{"tex": r"\alpha + x", "display": False}, {"tex": r"\sqrt{2}", "display": True}])
    built = tmp_path / "built"
    page = built / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<head><link rel="stylesheet" href="../assets/math/math.css"></head>'
                    f'<p>{inline["html"]}</p>{display["html"]}')
    (built / "plain.html").write_text("<head></head><p>no maths, and a ∑ in prose</p>")
    fonts = FontPreloads(site.project.katex_dist / "katex.min.css")
    assert postbuild_site(built, fonts, output=renderer.output, project=site.project) == 1
    head = page.read_text()
    assert ('<link rel="preload" href="../assets/math/stix-two-math-subset.woff2" as="font" type="font/woff2" crossorigin>'
            '<link rel="preload" href="../assets/math/stix-two-math-subset-small.woff2"') in head  # √2: one line tall
    font = TTFont(io.BytesIO((built / mathfont.MATH_ASSETS / mathfont.FILE).read_bytes()))
    cmap = font.getBestCmap()
    assert {ord(c) for c in "α+x√2"} <= set(cmap) and ord("∑") not in cmap  # only what formulas draw,
    assert ord("\\") not in cmap  # not their TeX
    assert "MATH" in font and font["name"].getDebugName(1) == mathfont.FAMILY


def test_the_small_delimiter_font_is_preloaded_only_where_its_rule_matches(renderer):
    [tall, short] = renderer.render([{"tex": r"\left(\frac{a}{b}\right)", "display": True}, {"tex": r"\left(a\right)", "display": True}])
    assert not mathfont.uses_small_font(tall["html"])
    assert mathfont.uses_small_font(short["html"])


def test_temml_braces_become_a_box_as_wide_as_their_base():
    """\\underbrace and kin under Temml: the base in an mrow whose brace the stylesheet paints (Chromium
    drew STIX Two's stretchy ⏟ as dashes); the brace character stays inside, transparent, for the MathML's
    readers. tests/browser/test_math_braces.py looks at the drawing."""
    with KatexRenderer(Project.at(ROOT), "temml") as temml:
        formulas = [r"\underbrace{a+b}_{n}", r"\overbrace{a+b}^{n}", r"\underbracket{x}", r"\overbracket{x}"]
        results = temml.render([{"tex": tex, "display": display} for tex in formulas for display in (True, False)])
    for result, kind, mark in zip(results, ["under", "under", "over", "over", "under bracket", "under bracket",
                                             "over bracket", "over bracket"], "⏟⏟⏞⏞⎵⎵⎴⎴"):
        html = result["html"]
        classes = " ".join(f"tml-hbrace-{word}" for word in kind.split())
        assert f'<mrow class="tml-hbrace {classes}">' in html, html
        assert f'<mrow class="tml-hbrace-mark"><mo>{mark}</mo></mrow></mrow>' in html, html
        assert 'stretchy="true"' not in html  # no stretchy brace left for the browser to draw
    assert ".tml-hbrace-mark{" in mathfont.css("temml", Project.at(ROOT))


def test_postbuild_links_the_math_stylesheet_where_a_generator_linked_katex(tmp_path, site, renderer):
    """Zensical runs no plugin: its pages link mkdocs.yml's extra_css as written (KaTeX's sheet);
    postbuild puts the output's own in its place, as the plugin does before a MkDocs build."""
    [display] = renderer.render([{"tex": r"x^2", "display": True}])
    page = tmp_path / "built" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<head><link rel="stylesheet" href="../assets/katex/katex.min.css"></head>{display["html"]}')
    postbuild_site(tmp_path / "built", FontPreloads(site.project.katex_dist / "katex.min.css"), output=renderer.output,
                   project=site.project)
    head = page.read_text()
    assert '<link rel="stylesheet" href="../assets/math/math.css">' in head and "katex.min.css" not in head
    assert '<link rel="preload" href="../assets/math/stix-two-math-subset.woff2"' in head
