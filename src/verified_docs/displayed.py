"""The displayed-form check: the equation a page shows is the expression that was verified.

The TeX is the page's, markers removed: what the Markdown extension hands KaTeX (it also turns
`\\label` into a `\\tag`, which is ignored here). Scalars are parsed by sympy's `parse_latex`
(ANTLR backend); neither backend parses a `pmatrix` of general entries, so matrices are split
into cells here and each cell is parsed alone, and a side such as `a - \\frac{1}{15} M v` is
evaluated term by term.
Decimals become exact rationals; `\\approx` sides are compared to the last digit shown.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .contract import Claim
from .verify import symbolic_equal

TAG = re.compile(r"\\tag\*?\{[^{}]*\}")
NOISE = [
    (TAG, ""),
    (re.compile(r"\\(?:,|;|!|:|quad|qquad|displaystyle|left|right)(?![A-Za-z])"), " "),
    (re.compile(r"\\(?:mathbf|boldsymbol|mathrm|operatorname)\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\top(?![A-Za-z])"), "T"),
    (re.compile(r"\\mathbb\{E\}\s*\[([^\[\]]*)\]"), r"E(\1)"),  # expectation E[X] -> E(X)
]
RELATION = re.compile(r"=|\\approx(?![A-Za-z])")
MATRIX = re.compile(r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", re.S)
DECIMAL = re.compile(r"\d+\.(\d+)")


@dataclass
class Side:
    relation: str  # "=" or "approx" (relation to the previous side); "" for the first side
    tex: str


def normalize(tex: str) -> str:
    for pattern, replacement in NOISE:
        tex = pattern.sub(replacement, tex)
    return tex.strip().rstrip(".,;").strip()


def _top_level(tex: str):
    """Yield (index, char) for characters outside braces, parentheses and environments."""
    depth, env, i = 0, 0, 0
    while i < len(tex):
        if tex.startswith("\\begin{", i):
            env += 1
        elif tex.startswith("\\end{", i):
            env -= 1
        char = tex[i]
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        elif depth == 0 and env == 0:
            yield i, char
        i += 1


def first_relation(tex: str) -> int:
    """Index of the first top-level `=` or `\\approx` (where the checked sides begin)."""
    for index, char in _top_level(tex):
        if char == "=" or (char == "\\" and tex.startswith("\\approx", index)):
            return index
    raise ValueError(f"no top-level = or \\approx in {tex!r}")


def sides(tex: str) -> list[Side]:
    """Split an equation at its top-level `=` and `\\approx`."""
    tex = normalize(tex)
    cuts, previous = [], ""
    for index, char in _top_level(tex):
        if char == "=":
            cuts.append((index, index + 1, "="))
        elif char == "\\" and tex.startswith("\\approx", index) and not tex[index + 7 : index + 8].isalpha():
            cuts.append((index, index + 7, "approx"))
    out, start = [], 0
    for begin, end, relation in cuts:
        out.append(Side(previous, tex[start:begin].strip()))
        start, previous = end, relation
    out.append(Side(previous, tex[start:].strip()))
    return out


def _rename(expr, symbols: dict[str, sp.Symbol]):
    """Give parsed symbols the assumptions of the verified expression's symbols (matched by name)."""
    mapping = {}
    for symbol in expr.free_symbols:
        name = str(symbol).replace("{", "").replace("}", "")
        if name == "pi":
            mapping[symbol] = sp.pi
        elif name in symbols:
            mapping[symbol] = symbols[name]
    return expr.xreplace(mapping)


def parse_scalar(tex: str, symbols: dict[str, sp.Symbol], exact: bool = True):
    from sympy.parsing.latex import parse_latex

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expr = parse_latex(tex.strip(), backend="antlr")
    expr = _rename(expr, symbols)
    return sp.nsimplify(expr, rational=True) if exact else expr


def parse_matrix(body: str, symbols, exact=True) -> sp.Matrix:
    rows = [row for row in re.split(r"\\\\", body) if row.strip()]
    return sp.Matrix([[parse_scalar(cell, symbols, exact) for cell in row.split("&")] for row in rows])


def _terms(tex: str) -> list[tuple[int, str]]:
    """Split a side at top-level + and - into signed terms."""
    terms, sign, start = [], 1, 0
    for index, char in _top_level(tex):
        if char in "+-":
            chunk = tex[start:index].strip()
            if chunk:
                terms.append((sign, chunk))
                sign = 1 if char == "+" else -1
            else:
                sign *= 1 if char == "+" else -1
            start = index + 1
    terms.append((sign, tex[start:].strip()))
    return terms


def parse_side(tex: str, symbols: dict[str, sp.Symbol], exact: bool = True):
    """A side of an equation as a sympy scalar or Matrix."""
    if "\\begin{pmatrix}" not in tex:
        return parse_scalar(tex, symbols, exact)
    total = None
    for sign, term in _terms(tex):
        value, last = sp.Integer(sign), 0
        for match in MATRIX.finditer(term):
            scalar = term[last:match.start()].strip()
            if scalar:
                value = value * parse_scalar(scalar, symbols, exact)
            value = value * parse_matrix(match[1], symbols, exact)
            last = match.end()
        if term[last:].strip():
            value = value * parse_scalar(term[last:], symbols, exact)
        total = value if total is None else total + value
    return total


def decimals_shown(tex: str) -> list[int]:
    """Digits after the point of each entry shown (row by row), for `\\approx` tolerances."""
    cells = MATRIX.search(tex)
    entries = re.split(r"\\\\|&", cells[1]) if cells else [tex]
    return [max((len(d) for d in DECIMAL.findall(entry)), default=0) for entry in entries]


def agrees_to_digits_shown(tex: str, shown, value) -> bool:
    """Each entry of `value` rounds to what the page shows (half a unit in the last place)."""
    shown_entries = list(sp.Matrix(shown)) if isinstance(shown, sp.MatrixBase) else [shown]
    value_entries = list(sp.Matrix(value)) if isinstance(value, sp.MatrixBase) else [value]
    digits = decimals_shown(tex)
    if not (len(shown_entries) == len(value_entries) == len(digits)):
        return False
    return all(
        abs(Fraction(str(sp.N(v, 30))) - Fraction(str(sp.N(s, 30)))) <= Fraction(1, 2 * 10**d) * Fraction(1001, 1000)
        for s, v, d in zip(shown_entries, value_entries, digits)
    )


def symbols_of(value) -> dict[str, sp.Symbol]:
    """Every symbol of the verified value by name, bound ones (a sum's index) included."""
    return {str(s): s for s in value.atoms(sp.Symbol)} if hasattr(value, "atoms") else {}


GENERATED_RELATION = re.compile(r"=|<|>|\\(?:approx|leq?|geq?|neq?)(?![A-Za-z])")


def top_level_relations(tex: str) -> list[str]:
    """The relations (=, <, >, \\approx, \\le, \\ge, \\ne) of a formula outside braces,
    parentheses and environments, in order."""
    found = []
    for index, _ in _top_level(tex):
        match = GENERATED_RELATION.match(tex, index)
        if match:
            found.append(match[0])
    return found


def shows_only_the_generated_form(generated: str, tex: str) -> bool:
    """A generated claim's formula shows the generated TeX as its last side and nothing else there:
    nothing but punctuation after it, and before it only the left-hand side and one relation (none
    when the generated TeX brings its own). `A 1 = \\verified` passes; `= \\verified + 1`,
    `1 + \\verified` and `A 1 = B = \\verified` (B unchecked) do not: containment alone let an
    unchecked `+ 1` through."""
    generated = " ".join(generated.split())
    tex = " ".join(TAG.sub(" ", tex).split())  # without a label's \tag
    index = tex.rfind(generated)
    if index < 0:
        return False
    before, after = tex[:index], tex[index + len(generated):]
    if after.strip(" ,.;"):
        return False
    relations = top_level_relations(before)
    if GENERATED_RELATION.match(generated):
        return not relations
    return not before.strip() or (len(relations) == 1 and before.rstrip().endswith(relations[0]))


def displayed_form_matches(claim: Claim, tex: str) -> bool:
    """True when every side after the first equals the verified value (to the digits shown).

    For a claim with generated TeX (`tex=`), the page's `\\verified` is filled in by the
    build: the shown formula must end with the generated TeX (`shows_only_the_generated_form`).
    """
    if claim.tex is not None:
        return shows_only_the_generated_form(claim.tex(), tex)
    value = sp.sympify(claim.value()) if not isinstance(claim.value(), sp.MatrixBase) else claim.value()
    checked = sides(tex)[1:]
    if not checked:
        raise AssertionError(f"{claim.id}: the equation has no side to compare: {tex!r}")
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
