"""Claims on this site: every result equation carries an id, the built page shows what the
displayed-form check read, and that check can fail.

The contract itself (marks, one kind per test, the displayed-form and coverage checks, the
results file) is the engine's pytest plugin; tests/test_pytest_plugin.py tests it in isolation.
"""

from __future__ import annotations

import re

import pytest
import sympy as sp

from tests.site_build import ROOT
from tests.site_checks import displays, unmarked_claims, unnumbered
from verified_docs.index import VERIFIED, DocsIndex
from verified_docs.contract import discover
from verified_docs.displayed import MATRIX, displayed_form_matches, first_relation, parse_side, sides
from verified_docs.project import Project
from verified_docs.pytest_plugin import shown_tex

CLAIMS = {claim_id: claim for claim_id, (claim, _) in discover("snippets").items()}
SOURCE_TEX = shown_tex(Project.at(ROOT))
TAG = re.compile(r"\\tag\{[^{}]*\}")


def built_tex(site) -> dict[str, str]:
    """claim id -> the TeX of its equation as KaTeX rendered it on the built page."""
    found = {}
    for _, attrs, tex in displays(site):
        claim = re.search(r'data-claim="([^"]+)"', attrs)
        if claim:
            found[claim[1]] = tex
    return found


def test_the_built_page_shows_what_the_displayed_form_check_read(built_site):
    """The plugin checks each page's source TeX; KaTeX got exactly that (plus the \\tag of a
    label, and a claim's generated TeX in place of \\verified)."""
    built = built_tex(built_site)
    assert sorted(built) == sorted(SOURCE_TEX)
    for claim_id, tex in built.items():
        source = SOURCE_TEX[claim_id]
        if CLAIMS[claim_id].tex is not None:
            source = VERIFIED.sub(lambda _, c=CLAIMS[claim_id]: c.tex(), source)
        assert " ".join(TAG.sub("", tex).split()) == " ".join(source.split()), claim_id


# Every digit except subscripts (x_1, x_{12}: names, not values).
NUMBER = re.compile(r"(?<!_)(?<!_\{)\d")
LETTER = re.compile(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])")
SIGN = re.compile(r"[+-]")


def perturbations(tex: str):
    """The equation with one change after its first relation: a digit, a sign or a variable."""
    start = first_relation(tex)
    for match in NUMBER.finditer(tex, start):
        yield tex[: match.start()] + str((int(match[0]) + 1) % 10) + tex[match.end():]
    for match in SIGN.finditer(tex, start):
        yield tex[: match.start()] + ("-" if match[0] == "+" else "+") + tex[match.end():]
    for match in LETTER.finditer(tex, start):
        yield tex[: match.start()] + ("q" if match[0] != "q" else "r") + tex[match.end():]


def _still_matches(claim, tex: str) -> bool:
    try:
        return displayed_form_matches(claim, tex)
    except Exception:  # a variant that no longer parses is a change the check noticed
        return False


@pytest.mark.parametrize("claim_id", [c for c in CLAIMS if CLAIMS[c].value is not None])
def test_a_changed_result_on_the_page_is_caught(claim_id):
    """The displayed-form check can fail: change any digit, sign or variable and it must say no."""
    tex = SOURCE_TEX[claim_id]
    assert displayed_form_matches(CLAIMS[claim_id], tex)
    variants = list(perturbations(tex))
    assert variants, f"{claim_id}: nothing to perturb in {tex!r}"
    survivors = [v for v in variants if _still_matches(CLAIMS[claim_id], v)]
    assert not survivors, f"{claim_id}: changes went unnoticed: {survivors}"


def test_every_display_is_marked_and_every_claim_shown_once(built_site):
    assert not unmarked_claims(built_site, set(CLAIMS))


def test_every_labelled_equation_is_numbered(built_site):
    labels = DocsIndex.build(Project.at(ROOT), discover("snippets")).labels
    assert labels and not unnumbered(built_site, labels)


def test_ledger_lists_every_claim(built_site):
    ledger = (built_site / "ledger" / "index.html").read_text(encoding="utf-8")
    for claim_id in CLAIMS:
        assert f"<code>{claim_id}</code>" in ledger
    assert f"{len(CLAIMS)} claims:" in ledger


def test_displayed_form_parser_reads_a_matrix_product():
    tex = r"\mathbf{x}_1 = \begin{pmatrix} 0 \\ 0 \end{pmatrix} - \frac{1}{15}\begin{pmatrix} 4 & 1 \\ 1 & 4 \end{pmatrix}\begin{pmatrix} 0 \\ -17 \end{pmatrix}"
    assert parse_side(sides(tex)[1].tex, {}) == sp.Matrix([sp.Rational(17, 15), sp.Rational(68, 15)])
    assert MATRIX.search(tex)


def test_displayed_form_parser_reads_decimals_exactly():
    x, y = sp.symbols("x y", real=True)
    parsed = parse_side(r"4 + 0.68\pi^2\, y \cos(0.2\pi x)", {"x": x, "y": y})
    assert parsed == 4 + sp.Rational(17, 25) * sp.pi**2 * y * sp.cos(sp.pi * x / 5)
