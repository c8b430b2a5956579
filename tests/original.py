"""The original assignment, as given: its answer sheet (tests/data/original-answer-sheet.txt), the
statements several pages' tests check, and how a page's quotations of it are read.

A helper, not a test. Pages quote the original in prose ("…") and in formulas marked `\\quoted`;
each page's test module holds its quotations to the sheet with these readers, so that a
misquotation fails the suite. tests/optimization/test_newton.py and tests/test_errata.py both
compare with ORIGINAL_GRADIENT (the snippets transcribe it a second time; the two must agree).
"""

from __future__ import annotations

import re
from pathlib import Path

import sympy as sp

from snippets.optimization import newton
from verified_docs.index import QUOTED, body, display_tex, inline_tex

SHEET = Path(__file__).resolve().parent / "data" / "original-answer-sheet.txt"
MARKERS = re.compile(r"\\claim\{[^{}]*\}|\\label\{[^{}]*\}|\\(?:given|quoted)(?![A-Za-z])")
NOT_PROSE = ("!!!", "--8<--", "description:")  # admonition titles, includes, front matter


def sheet_text(drop: str = "") -> str:
    """The sheet as one line (runs of whitespace as one space), without the characters in `drop`
    (such as the `&` alignment points of its aligned blocks)."""
    text = SHEET.read_text(encoding="utf-8")
    return " ".join(text.translate({ord(c): None for c in drop}).split())


def sheet_section(start: str, end: str) -> str:
    """The sheet from the heading `start` up to the heading `end` (e.g. "### 3.1", "### 3.2")."""
    text = SHEET.read_text(encoding="utf-8")
    return text[text.index(start):text.index(end)]


def prose_quotations(page: Path) -> list[str]:
    """Every "…" quotation in a page's prose, whitespace normalised (not in admonition titles,
    includes or the front matter's description)."""
    prose = [line for line in page.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith(NOT_PROSE)]
    return re.findall(r'"([^"]+)"', " ".join(" ".join(prose).split()))


def quoted_formulas(page: Path) -> list[str]:
    """The TeX of each formula of a page marked `\\quoted` (displays, then inline formulas), its
    markers removed and its whitespace normalised."""
    markdown = body(page.read_text(encoding="utf-8"))
    formulas = display_tex(markdown) + [tex for _, tex in inline_tex(markdown)]
    return [" ".join(MARKERS.sub("", tex).split()) for tex in formulas if QUOTED.search(tex)]


def not_in_sheet(quotations: list[str], drop: str = "") -> list[str]:
    """The quotations that are not the sheet's text, word for word."""
    original = sheet_text(drop)
    return [quote for quote in quotations if quote not in original]


_, _, _, (X, Y) = newton.objective()
PI = sp.pi

# The gradient of question 2.2.1 exactly as the original states it.
ORIGINAL_GRADIENT = sp.Matrix([
    4 * X + sp.Rational(34, 10) * PI * sp.sin(PI * X / 5) - Y,
    4 * Y - 17 * sp.cos(PI * X / 5) - X,
])
