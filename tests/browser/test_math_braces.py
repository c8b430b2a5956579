"""Temml's \\underbrace and kin as Chromium draws them with the math stylesheet (verified_docs.mathfont's
HBRACE_CSS): a brace as wide as its base, unbroken (STIX Two's own stretchy brace came out as dashes),
under or over it, in the text colour of either palette. In process: tests/test_math_output.py."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from tests.site_build import ROOT
from verified_docs import mathfont
from verified_docs.katex import KatexRenderer
from verified_docs.project import Project

pytestmark = [pytest.mark.browser]

FORMULAS = [r"m_t = \underbrace{(1 - \beta_1) \sum_{i=1}^{t} \beta_1^{t-i}}_{= 1 - \beta_1^t} g_i",
            r"\overbrace{a + b + c}^{3\ \text{terms}}", r"\underbracket{x_1 + x_2}_{n}", r"y = \underbrace{x}_{1}"]
PALETTES = {"light": ("#000000", "#ffffff"), "dark": ("#e2e4e9", "#1e2129")}


@pytest.fixture(scope="module")
def drawn(browser):
    project = Project.at(ROOT)
    with KatexRenderer(project, "temml") as temml:
        results = temml.render([{"tex": tex, "display": True} for tex in FORMULAS])
    body = "".join(f'<div class="math-display">{r["html"]}</div>' for r in results)
    pages = {}
    for palette, (ink, paper) in PALETTES.items():
        context = browser.new_context(viewport={"width": 900, "height": 900}, device_scale_factor=2)
        page = context.new_page()
        page.set_content(f"<!doctype html><html><head><style>{mathfont.css('temml', project)}"
                         f"body{{font-size:20px;color:{ink};background:{paper}}}</style></head><body>{body}</body></html>")
        pages[palette] = page
    yield pages
    for page in pages.values():
        page.context.close()


BOXES = """() => [...document.querySelectorAll('mrow.tml-hbrace')].map(brace => {
  const box = r => { const b = r.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  const mark = brace.querySelector(':scope > .tml-hbrace-mark');
  return {brace: box(brace), base: box(brace.firstElementChild), mark: box(mark),
          over: brace.classList.contains('tml-hbrace-over'), hidden: getComputedStyle(mark.firstElementChild).opacity};
})"""


def ink_columns(page, mark, paper) -> float:
    """The share of the mark's pixel columns that hold ink (a dashed brace leaves gaps)."""
    shot = Image.open(BytesIO(page.screenshot(clip={"x": mark["left"], "y": mark["top"],
                                                    "width": mark["right"] - mark["left"], "height": mark["bottom"] - mark["top"]})))
    shot = shot.convert("L")
    background = Image.new("L", (1, 1), paper).getpixel((0, 0))
    width, height = shot.size
    pixels = shot.load()
    inked = sum(any(abs(pixels[x, y] - background) > 60 for y in range(height)) for x in range(width))
    return inked / width


@pytest.mark.parametrize("palette", list(PALETTES))
def test_a_brace_spans_its_base_unbroken_on_the_right_side(drawn, palette):
    page = drawn[palette]
    boxes = page.evaluate(BOXES)
    assert len(boxes) == len(FORMULAS)
    for formula, found in zip(FORMULAS, boxes):
        base, mark = found["base"], found["mark"]
        assert abs(mark["left"] - base["left"]) < 0.5 and abs(mark["right"] - base["right"]) < 0.5, (formula, found)
        if found["over"]:
            assert mark["bottom"] <= base["top"] + 0.5, (formula, found)  # above the base, clear of it
        else:
            assert mark["top"] >= base["bottom"] - 0.5, (formula, found)  # below it
        assert found["hidden"] == "0"  # the brace character is there for the MathML's readers, not seen
        share = ink_columns(page, mark, PALETTES[palette][1])
        assert share > 0.97, f"{formula}: ink in {share:.0%} of the brace's columns ({palette})"
