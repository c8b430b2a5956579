"""hooks/katex_fonts.py: the KaTeX faces a formula needs, read from KaTeX's own stylesheet.

The browser test (tests/browser/test_pages.py) checks the result against the fonts Chromium
actually fetches on every page; these check the reading of the stylesheet on single formulas.
"""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import katex_fonts  # noqa: E402
import katex_math  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def renderer():
    yield
    katex_math.close()  # the Node process the renders started


def fonts(tex: str, display: bool = False) -> set[str]:
    [result] = katex_math.render([{"tex": tex, "display": display}])
    return katex_fonts.fonts_used(result["html"])


@pytest.mark.parametrize("tex, expected", [
    ("1 + 2", {"KaTeX_Main-Regular.woff2"}),  # digits and operators: the main font only
    ("x", {"KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"}),  # .katex's own box needs Main
    (r"\mathbf{W}", {"KaTeX_Main-Regular.woff2", "KaTeX_Main-Bold.woff2"}),
    (r"\boldsymbol{\theta}", {"KaTeX_Main-Regular.woff2", "KaTeX_Math-BoldItalic.woff2"}),
    (r"\mathbb{R}", {"KaTeX_Main-Regular.woff2", "KaTeX_AMS-Regular.woff2"}),
    (r"\textit{if}", {"KaTeX_Main-Regular.woff2", "KaTeX_Main-Italic.woff2"}),
    (r"\bigl(1\bigr)", {"KaTeX_Main-Regular.woff2", "KaTeX_Size1-Regular.woff2"}),
])
def test_faces_of_a_formula(tex, expected):
    assert fonts(tex) == expected


def test_large_operators_in_display_use_size2():
    assert "KaTeX_Size2-Regular.woff2" in fonts(r"\sum_{i=1}^n i", display=True)
    assert "KaTeX_Size2-Regular.woff2" not in fonts(r"\sum_{i=1}^n i", display=False)


def test_mathml_and_text_outside_katex_need_no_font():
    assert katex_fonts.fonts_used("<p>plain <b>text</b> and <code>code</code></p>") == set()
    [result] = katex_math.render([{"tex": r"\mathbb{R}", "display": False}])
    mathml_only = result["html"].split('<span class="katex-html"')[0] + "</span>"
    assert katex_fonts.fonts_used(mathml_only) == set()


def test_formulas_are_cut_out_whole():
    [a, b] = katex_math.render([{"tex": r"\frac{\sqrt{x}}{2}", "display": True}, {"tex": "y", "display": False}])
    page = f"<p>{a['html']} and {b['html']}</p>"
    found = list(katex_fonts.formulas(page))
    assert len(found) == 2 and all(f.count("<span") == f.count("</span>") for f in found)
    assert found[0] in a["html"] and found[1] in b["html"]


def test_preload_links_are_relative_to_the_page():
    class Page:
        url = "optimization/adam/"
        katex_fonts = ["KaTeX_Main-Regular.woff2"]

    output = katex_fonts.on_post_page('<head><link rel="stylesheet" href="x.css"></head>', Page(), {})
    assert output.startswith('<head><link rel="preload" href="../../assets/katex/fonts/KaTeX_Main-Regular.woff2" '
                             'as="font" type="font/woff2" crossorigin><link rel="stylesheet"')
