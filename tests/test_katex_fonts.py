"""verified_docs.fonts: the KaTeX faces a formula needs, read from KaTeX's own stylesheet.

The browser test (tests/browser/test_pages.py) checks the result against the fonts Chromium
actually fetches on every page; these check the reading of the stylesheet on single formulas.
"""

from __future__ import annotations

import pytest

from tests.site_build import ROOT
from verified_docs.fonts import FontPreloads
from verified_docs.katex import KatexRenderer
from verified_docs.project import Project

PROJECT = Project.at(ROOT)
PRELOADS = FontPreloads(PROJECT.katex_dist / "katex.min.css")


@pytest.fixture(scope="module")
def katex():
    with KatexRenderer(PROJECT) as renderer:
        yield renderer


def render(katex, tex: str, display: bool = False) -> str:
    [result] = katex.render([{"tex": tex, "display": display}])
    return result["html"]


def fonts(katex, tex: str, display: bool = False) -> set[str]:
    return PRELOADS.fonts_used(render(katex, tex, display))


@pytest.mark.parametrize("tex, expected", [
    ("1 + 2", {"KaTeX_Main-Regular.woff2"}),  # digits and operators: the main font only
    ("x", {"KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"}),  # .katex's own box needs Main
    (r"\mathbf{W}", {"KaTeX_Main-Regular.woff2", "KaTeX_Main-Bold.woff2"}),
    (r"\boldsymbol{\theta}", {"KaTeX_Main-Regular.woff2", "KaTeX_Math-BoldItalic.woff2"}),
    (r"\mathbb{R}", {"KaTeX_Main-Regular.woff2", "KaTeX_AMS-Regular.woff2"}),
    (r"\textit{if}", {"KaTeX_Main-Regular.woff2", "KaTeX_Main-Italic.woff2"}),
    (r"\bigl(1\bigr)", {"KaTeX_Main-Regular.woff2", "KaTeX_Size1-Regular.woff2"}),
])
def test_faces_of_a_formula(katex, tex, expected):
    assert fonts(katex, tex) == expected


def test_large_operators_in_display_use_size2(katex):
    assert "KaTeX_Size2-Regular.woff2" in fonts(katex, r"\sum_{i=1}^n i", display=True)
    assert "KaTeX_Size2-Regular.woff2" not in fonts(katex, r"\sum_{i=1}^n i", display=False)


def test_mathml_and_text_outside_katex_need_no_font(katex):
    assert PRELOADS.fonts_used("<p>plain <b>text</b> and <code>code</code></p>") == set()
    mathml_only = render(katex, r"\mathbb{R}").split('<span class="katex-html"')[0] + "</span>"
    assert PRELOADS.fonts_used(mathml_only) == set()


def test_formulas_are_cut_out_whole(katex):
    from verified_docs.fonts import formulas

    [a, b] = katex.render([{"tex": r"\frac{\sqrt{x}}{2}", "display": True}, {"tex": "y", "display": False}])
    page = f"<p>{a['html']} and {b['html']}</p>"
    found = list(formulas(page))
    assert len(found) == 2 and all(f.count("<span") == f.count("</span>") for f in found)
    assert found[0] in a["html"] and found[1] in b["html"]


def test_preload_links_follow_the_pages_link_to_katex_css(katex):
    page = (f'<head><link rel="stylesheet" href="../../assets/katex/katex.min.css"></head>'
            f'<body>{render(katex, "x")}</body>')
    output = PRELOADS.add(page)
    assert output.startswith('<head><link rel="preload" href="../../assets/katex/fonts/KaTeX_Main-Regular.woff2" '
                             'as="font" type="font/woff2" crossorigin><link rel="preload" '
                             'href="../../assets/katex/fonts/KaTeX_Math-Italic.woff2"')
    assert PRELOADS.add("<head></head><p>no maths</p>") == "<head></head><p>no maths</p>"


def test_a_page_with_formulas_but_no_katex_stylesheet_fails(katex):
    from verified_docs.errors import EngineError

    with pytest.raises(EngineError, match="does not link assets/katex/katex.min.css"):
        PRELOADS.add(f"<head></head><body>{render(katex, 'x')}</body>")
