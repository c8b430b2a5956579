"""Claims: every result equation carries an id, every id is proved three ways, and the page
shows exactly the expression that was verified (hooks/claims.py, snippets/claims.py)."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
import sympy as sp

from snippets.claims import KINDS, discover
from snippets.verify import symbolic_equal
from tests.displayed_form import MATRIX, agrees_to_digits_shown, first_relation, parse_matrix, parse_side, sides
from tests.site_html import pages

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from _arithmatex import display_tex, inline_tex  # noqa: E402  (the build's own reader of page sources)

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = {claim_id: claim for claim_id, (claim, _) in discover().items()}
DISPLAY = re.compile(r'<div class="math-display"(?P<attrs>[^>]*)>(?P<body>.*?)</annotation>', re.S)
FORMULA = re.compile(r'<(?P<tag>div|span) class="math-(?:display|inline)"(?P<attrs>[^>]*)>(?P<body>.*?)</annotation>', re.S)
ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">(.*)$', re.S)


def shown_tex(site: Path) -> dict[str, list[str]]:
    """claim id -> the TeX of each formula that shows it (its display, inline restatements), as
    KaTeX rendered it on the built page."""
    found: dict[str, list[str]] = {}
    for page in pages(site):
        for match in FORMULA.finditer(page.read_text(encoding="utf-8")):
            claim = re.search(r'data-claim="([^"]+)"', match["attrs"])
            if claim:
                found.setdefault(claim[1], []).append(html.unescape(ANNOTATION.search(match["body"])[1]))
    return found


def symbols_of(value) -> dict[str, sp.Symbol]:
    """Every symbol of the verified value by name, bound ones (a sum's index) included."""
    return {str(s): s for s in value.atoms(sp.Symbol)} if hasattr(value, "atoms") else {}


GENERATED_BEFORE = re.compile(r"(?:^|=|<|>|\\approx|\\leq?|\\geq?|\\neq?)\s*$")


def shows_only_the_generated_form(generated: str, tex: str) -> bool:
    """A generated claim's formula shows the generated TeX as its last side and nothing else there:
    `A 1 = \\verified` passes, `= \\verified + 1` or `1 + \\verified` does not."""
    tex = " ".join(re.sub(r"\\tag\*?\{[^{}]*\}", " ", tex).split())
    index = tex.rfind(generated)
    if index < 0:
        return False
    before, after = tex[:index], tex[index + len(generated):]
    relation_first = re.match(r"(?:=|<|>|\\approx|\\leq?|\\geq?|\\neq?)(?![A-Za-z])", generated)
    return not after.strip(" ,.;") and bool(relation_first or GENERATED_BEFORE.search(before))


def displayed_form_matches(claim, tex: str) -> bool:
    """True when every side after the first equals the verified value (to the digits shown)."""
    if claim.tex is not None:
        return shows_only_the_generated_form(" ".join(claim.tex().split()), " ".join(tex.split()))
    value = sp.sympify(claim.value()) if not isinstance(claim.value(), sp.MatrixBase) else claim.value()
    checked = sides(tex)[1:]
    assert checked, f"{claim.id}: the equation has no side to compare: {tex!r}"
    symbols = symbols_of(value)
    for side in checked:
        if side.relation == "approx":
            if not agrees_to_digits_shown(side.tex, parse_side(side.tex, symbols, exact=False), value):
                return False
        elif claim.approx:
            raise AssertionError(f"{claim.id} is approximate: show it with \\approx, not =")
        elif not symbolic_equal(parse_side(side.tex, symbols), value):
            return False
        elif claim.operands is not None:
            known = [value, *claim.operands()]
            for literal in MATRIX.finditer(side.tex):
                if not any(symbolic_equal(parse_matrix(literal[1], symbols), k) for k in known):
                    return False
    return True


DISPLAYABLE = [c for c in CLAIMS if CLAIMS[c].value is not None or CLAIMS[c].tex is not None]


@pytest.mark.parametrize(
    "claim_id", [pytest.param(c, marks=pytest.mark.claim(c, "displayed")) for c in DISPLAYABLE]
)
def test_displayed_form_is_the_verified_form(claim_id, built_site):
    for tex in shown_tex(built_site)[claim_id]:
        assert displayed_form_matches(CLAIMS[claim_id], tex), f"{claim_id}: the page shows {tex!r}"


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


@pytest.mark.parametrize("claim_id", [c for c in DISPLAYABLE if CLAIMS[c].tex is None])
def test_a_changed_result_on_the_page_is_caught(claim_id, built_site):
    """The displayed-form check can fail: change any digit, sign or variable and it must say no."""
    for shown in shown_tex(built_site)[claim_id]:
        tex = re.sub(r"\\tag\{[^{}]*\}", "", shown)
        variants = list(perturbations(tex))
        assert variants, f"{claim_id}: nothing to perturb in {tex!r}"
        survivors = [v for v in variants if _still_matches(CLAIMS[claim_id], v)]
        assert not survivors, f"{claim_id}: changes went unnoticed: {survivors}"


MARKERS = re.compile(r"\\claim\{[^{}]*\}|\\label\{[^{}]*\}|\\(?:given|quoted)(?![A-Za-z])")


def source_tex() -> dict[str, list[str]]:
    """claim id -> the TeX of each formula showing it in the pages' Markdown, markers removed.

    The same comparison as the built-page test without building the site, so that mutation
    testing (tests/mutants.py) can run it against every mutant of a claim's code.
    """
    found: dict[str, list[str]] = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        markdown = page.read_text(encoding="utf-8")
        formulas = display_tex(markdown) + [tex for _, tex in inline_tex(markdown)]
        for tex in formulas:
            for claim_id in re.findall(r"\\claim\{([^{}]*)\}", tex):
                found.setdefault(claim_id, []).append(MARKERS.sub("", tex))
    return found


@pytest.mark.parametrize("claim_id", [c for c in DISPLAYABLE if CLAIMS[c].tex is None])
def test_page_source_shows_the_verified_form(claim_id):
    for tex in source_tex()[claim_id]:
        assert displayed_form_matches(CLAIMS[claim_id], tex), f"{claim_id}: the page source shows {tex!r}"


def test_every_display_equation_has_a_claim_or_is_given(built_site):
    unmarked = []
    for page in pages(built_site):
        for match in DISPLAY.finditer(page.read_text(encoding="utf-8")):
            if not re.search(r"data-(?:claim|given|quoted)\b", match["attrs"]):
                unmarked.append((page.relative_to(built_site).as_posix(), match["body"][-200:]))
    assert not unmarked, unmarked


def test_every_claim_is_shown_and_in_one_display_at_most(built_site):
    shown, in_displays = set(), []
    for page in pages(built_site):
        for match in FORMULA.finditer(page.read_text(encoding="utf-8")):
            claim = re.search(r'data-claim="([^"]+)"', match["attrs"])
            if claim:
                shown.add(claim[1])
                in_displays += [claim[1]] if match["tag"] == "div" else []
    assert shown == set(CLAIMS)
    assert sorted(in_displays) == sorted(set(in_displays)), "a claim shown in two displays"


def test_every_claim_has_all_three_checks(request):
    kinds = {claim_id: set() for claim_id in CLAIMS}
    for item in request.session.items:
        for mark in item.iter_markers("claim"):
            claim_id, kind = mark.args
            assert claim_id in CLAIMS, f"{item.nodeid} marks unknown claim {claim_id!r}"
            kinds[claim_id].add(kind)
    whole_suite = sorted(request.config.args) == sorted(request.config.getini("testpaths"))
    if request.config.option.keyword or request.config.option.markexpr or not whole_suite:
        pytest.skip("a partial run does not collect every check")
    missing = {c: sorted(set(KINDS) - k) for c, k in kinds.items() if set(KINDS) - k}
    assert not missing, f"claims lacking checks: {missing}"


def test_ledger_lists_every_claim(built_site):
    ledger = (built_site / "ledger" / "index.html").read_text(encoding="utf-8")
    for claim_id in CLAIMS:
        assert f"<code>{claim_id}</code>" in ledger
    assert f"{len(CLAIMS)} claims:" in ledger


def test_displayed_form_parser_reads_a_matrix_product():
    tex = r"\mathbf{x}_1 = \begin{pmatrix} 0 \\ 0 \end{pmatrix} - \frac{1}{15}\begin{pmatrix} 4 & 1 \\ 1 & 4 \end{pmatrix}\begin{pmatrix} 0 \\ -17 \end{pmatrix}"
    assert parse_side(sides(tex)[1].tex, {}) == sp.Matrix([sp.Rational(17, 15), sp.Rational(68, 15)])


def test_displayed_form_parser_reads_decimals_exactly():
    x, y = sp.symbols("x y", real=True)
    parsed = parse_side(r"4 + 0.68\pi^2\, y \cos(0.2\pi x)", {"x": x, "y": y})
    assert parsed == 4 + sp.Rational(17, 25) * sp.pi**2 * y * sp.cos(sp.pi * x / 5)


def test_a_changed_number_in_an_inline_result_is_caught():
    """An inline result is compared like a display: its sides after the first relation."""
    from snippets.claims import Claim

    root = Claim("demo.root", "the larger root", value=lambda: (sp.sqrt(21) - 6) / 4)
    shown = r"x_1 = \frac{1}{4}\left(\sqrt{21} - 6\right) \approx -0.354"
    assert displayed_form_matches(root, shown)
    assert not any(_still_matches(root, variant) for variant in perturbations(shown))
    assert not displayed_form_matches(root, shown.replace("21", "20"))


def test_a_generated_form_with_anything_added_is_caught():
    from snippets.claims import Claim

    ones = Claim("demo.ones", "A 1 = m 1", tex=lambda: r"m \mathbf{1}_{n}")
    assert displayed_form_matches(ones, r"A\mathbf{1}_n = m \mathbf{1}_{n} ,")
    assert displayed_form_matches(ones, r"m \mathbf{1}_{n}")
    for changed in (r"A\mathbf{1}_n = m \mathbf{1}_{n} + 1", r"A\mathbf{1}_n = 2 m \mathbf{1}_{n}",
                    r"A\mathbf{1}_n = m \mathbf{1}_{n}^2", r"A\mathbf{1}_n = m \mathbf{1}_{m}"):
        assert not displayed_form_matches(ones, changed), changed
