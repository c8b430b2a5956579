"""Claims on this site: every result carries an id (in a display or inline), the built page shows
what the displayed-form check read, and that check can fail.

The contract itself (marks, one kind per test, the displayed-form and coverage checks, the
results file) is the engine's pytest plugin; tests/test_pytest_plugin.py tests it in isolation.
"""

from __future__ import annotations

import re

import pytest
import sympy as sp

from tests.browser.site_pages import path_of
from tests.site_build import ROOT
from tests.site_checks import formulas, unmarked_claims, unnumbered
from verified_docs import Claim
from verified_docs.contract import discover
from verified_docs.displayed import MATRIX, displayed_form_matches, first_relation, parse_side, sides
from verified_docs.index import VERIFIED, DocsIndex
from verified_docs.project import Project
from verified_docs.pytest_plugin import shown_tex

CLAIMS = {claim_id: claim for claim_id, (claim, _) in discover("snippets").items()}
SOURCE_TEX = shown_tex(Project.at(ROOT))
TAG = re.compile(r"\\tag\{[^{}]*\}")


def built_tex(site) -> dict[str, list[str]]:
    """claim id -> the TeX of each formula that shows it (its display, its inline restatements),
    as KaTeX rendered it on the built pages, label tags removed."""
    found: dict[str, list[str]] = {}
    for _, _, attrs, tex in formulas(site):
        claim = re.search(r'data-claim="([^"]+)"', attrs)
        if claim:
            found.setdefault(claim[1], []).append(" ".join(TAG.sub("", tex).split()))
    return found


def test_the_built_page_shows_what_the_displayed_form_check_read(built_site):
    """The plugin checks each page's source TeX, every occurrence of a claim; KaTeX got exactly
    those (plus the \\tag of a label, and a claim's generated TeX in place of \\verified)."""
    built = built_tex(built_site)
    assert sorted(built) == sorted(SOURCE_TEX)
    for claim_id, shown in built.items():
        sources = SOURCE_TEX[claim_id]
        if CLAIMS[claim_id].tex is not None:
            sources = [VERIFIED.sub(lambda _, c=CLAIMS[claim_id]: c.tex(), source) for source in sources]
        assert sorted(shown) == sorted(" ".join(source.split()) for source in sources), claim_id


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
    """The displayed-form check can fail: change any digit, sign or variable, in the claim's
    display or in any inline restatement, and it must say no."""
    for tex in SOURCE_TEX[claim_id]:
        assert displayed_form_matches(CLAIMS[claim_id], tex)
        variants = list(perturbations(tex))
        assert variants, f"{claim_id}: nothing to perturb in {tex!r}"
        survivors = [v for v in variants if _still_matches(CLAIMS[claim_id], v)]
        assert not survivors, f"{claim_id}: changes went unnoticed: {survivors}"


def test_a_changed_number_in_an_inline_result_is_caught():
    """An inline result is compared like a display: its sides after the first relation."""
    root = Claim("demo.root", "the larger root", value=lambda: (sp.sqrt(21) - 6) / 4)
    shown = r"x_1 = \frac{1}{4}\left(\sqrt{21} - 6\right) \approx -0.354"
    assert displayed_form_matches(root, shown)
    assert not any(_still_matches(root, variant) for variant in perturbations(shown))
    assert not displayed_form_matches(root, shown.replace("21", "20"))


def test_a_generated_form_with_anything_added_is_caught():
    """A generated (tex=) result must end its formula, after a relation: nothing unchecked beside it."""
    ones = Claim("demo.ones", "A 1 = m 1", tex=lambda: r"m \mathbf{1}_{n}")
    assert displayed_form_matches(ones, r"A\mathbf{1}_n = m \mathbf{1}_{n} ,")
    assert displayed_form_matches(ones, r"m \mathbf{1}_{n}")
    assert displayed_form_matches(ones, r"A\mathbf{1}_n = m \mathbf{1}_{n} \tag{3}")
    for changed in (r"A\mathbf{1}_n = m \mathbf{1}_{n} + 1", r"A\mathbf{1}_n = 2 m \mathbf{1}_{n}",
                    r"A\mathbf{1}_n = m \mathbf{1}_{n}^2", r"A\mathbf{1}_n = m \mathbf{1}_{m}",
                    r"1 + m \mathbf{1}_{n}", r"A\mathbf{1}_n = B = m \mathbf{1}_{n}", r"A\mathbf{1}_n + m \mathbf{1}_{n}"):
        assert not displayed_form_matches(ones, changed), changed
    # A generated form that brings its own relation needs none before it.
    bound = Claim("demo.bound", "a bound", tex=lambda: r"\le 2")
    assert displayed_form_matches(bound, r"x \le 2") and displayed_form_matches(bound, r"\sum_{i=1}^n x_i \le 2")
    assert not displayed_form_matches(bound, r"x \le 2 + y") and not displayed_form_matches(bound, r"x = y \le 2")


def test_every_claim_is_shown_and_in_one_display_at_most(built_site):
    assert not unmarked_claims(built_site, set(CLAIMS))


def test_every_labelled_equation_is_numbered(built_site):
    labels = DocsIndex.build(Project.at(ROOT), discover("snippets")).labels
    assert labels and not unnumbered(built_site, labels)


def test_ledger_lists_every_claim_linked_to_its_home(built_site):
    ledger = (built_site / "ledger" / "index.html").read_text(encoding="utf-8")
    for claim_id, shown in DocsIndex.build(Project.at(ROOT), discover("snippets")).shown.items():
        assert f"<code>{claim_id}</code>" in ledger
        assert f'href="../{path_of(shown.page)}#{shown.anchor}"' in ledger, claim_id
    assert f"{len(CLAIMS)} claims:" in ledger
    # Each row whole: the formula, then a cell per kind of check, each opening with a status mark
    # (a `|` in a formula or statement must not split a cell: the table is HTML, not Markdown's).
    bodies = "".join(re.findall(r"<tbody>(.*?)</tbody>", ledger, re.S))
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", bodies, re.S)
    mark = r'<span class="ledger-(passed|failed|skipped|not-run)" role="img" aria-label="[a-z ]+">'
    broken = [row for row in rows if not re.fullmatch(rf"<td><a [^>]*>.*?</a></td>(<td>{mark}.*?</td>){{3}}", row, re.S)]
    assert len(rows) == len(CLAIMS) and not broken, broken[:3]


def test_displayed_form_parser_reads_a_matrix_product():
    tex = (r"\mathbf{x}_1 = \begin{pmatrix} 0 \\ 0 \end{pmatrix} - \frac{1}{15}"
           r"\begin{pmatrix} 4 & 1 \\ 1 & 4 \end{pmatrix}\begin{pmatrix} 0 \\ -17 \end{pmatrix}")
    assert parse_side(sides(tex)[1].tex, {}) == sp.Matrix([sp.Rational(17, 15), sp.Rational(68, 15)])
    assert MATRIX.search(tex)


def test_displayed_form_parser_reads_decimals_exactly():
    x, y = sp.symbols("x y", real=True)
    parsed = parse_side(r"4 + 0.68\pi^2\, y \cos(0.2\pi x)", {"x": x, "y": y})
    assert parsed == 4 + sp.Rational(17, 25) * sp.pi**2 * y * sp.cos(sp.pi * x / 5)
