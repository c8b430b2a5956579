"""The formulas pymdownx.arithmatex (generic mode) leaves in a page's HTML (not itself a hook).

`<span class="arithmatex">\\(…\\)</span>` inline, `<div class="arithmatex">\\[…\\]</div>` display,
TeX HTML-escaped. Hooks that rewrite TeX before KaTeX (equation numbers, claim markers) and the
KaTeX hook itself all read and write formulas through `rewrite`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

ELEMENT = re.compile(
    r'<(?P<tag>div|span) class="arithmatex"(?P<attrs>[^>]*)>(?P<body>.*?)</(?P=tag)>', re.S
)
DELIMITED = re.compile(r"^\\\((?P<inline>.*)\\\)$|^\\\[(?P<display>.*)\\\]$", re.S)


@dataclass
class Formula:
    tex: str
    display: bool
    attrs: dict[str, str] = field(default_factory=dict)
    html: str | None = None  # set to replace the whole element (e.g. by rendered KaTeX)


def parse(match: re.Match) -> Formula:
    delimited = DELIMITED.match(html.unescape(match["body"]).strip())
    if delimited is None:
        raise ValueError(f"unexpected arithmatex output {match[0][:120]!r}")
    display = delimited["display"] is not None
    attrs = dict(re.findall(r'\s([\w-]+)="([^"]*)"', match["attrs"]))
    return Formula(delimited["display"] if display else delimited["inline"], display, attrs)


def formulas(content: str) -> list[Formula]:
    return [parse(match) for match in ELEMENT.finditer(content)]


def rewrite(content: str, change: Callable[[list[Formula]], None]) -> str:
    """Let `change` edit every formula of a page in place, then write them back."""
    matches = list(ELEMENT.finditer(content))
    items = [parse(match) for match in matches]
    change(items)
    out, last = [], 0
    for match, item in zip(matches, items):
        out.append(content[last:match.start()])
        if item.html is not None:
            out.append(item.html)
        else:
            attrs = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in item.attrs.items())
            body = f"\\[{item.tex}\\]" if item.display else f"\\({item.tex}\\)"
            out.append(f'<{match["tag"]} class="arithmatex"{attrs}>{html.escape(body, quote=False)}</{match["tag"]}>')
        last = match.end()
    out.append(content[last:])
    return "".join(out)


FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)\s*$", re.S | re.M)
DISPLAY_MD = re.compile(r"\$\$(.+?)\$\$", re.S)


def display_tex(markdown: str) -> list[str]:
    """The TeX of each `$$…$$` display in a page's Markdown source, in order (code fences skipped)."""
    return [match[1] for match in DISPLAY_MD.finditer(FENCE.sub("", markdown))]


LABEL = re.compile(r"\\label\{([^{}]*)\}")


def label_numbers(markdown: str) -> dict[str, int]:
    """Equation numbers of a page: its labelled displays, numbered 1, 2, … in order."""
    numbers: dict[str, int] = {}
    for tex in display_tex(markdown):
        for name in LABEL.findall(tex)[:1]:
            numbers.setdefault(name, len(numbers) + 1)
    return numbers


INLINE_CODE = re.compile(r"(`+).+?\1", re.S)
INLINE_MD = re.compile(r"(?<![\\$])\$(?![\s$])(?P<tex>(?:\\\$|[^$])+?)(?<![\s\\])\$(?!\$)")


def inline_tex(markdown: str) -> list[tuple[int, str]]:
    """(line, TeX) of each inline `$…$` formula in a page's Markdown source, in order.

    Code fences, `$$…$$` displays and inline code are blanked first (keeping line numbers),
    so that a dollar in code or a display is never read as an inline formula.
    """
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match[0])

    text = INLINE_CODE.sub(blank, DISPLAY_MD.sub(blank, FENCE.sub(blank, markdown)))
    return [(text.count("\n", 0, match.start()) + 1, match["tex"]) for match in INLINE_MD.finditer(text)]


RELATION = re.compile(r"[=<>]|\\(?:approx|leq?|geq?|neq?|lt|gt|leqslant|geqslant)(?![A-Za-z])")


def states_a_relation(tex: str) -> bool:
    """Does the formula relate two things (=, <, >, \\approx, \\le, \\ge, \\ne) outside braces?

    `\\sum_{j=1}^n a_{ij}` is not a relation (the `=` is inside a subscript's braces);
    `\\sum_j a_{ij} = m` is.
    """
    depth = 0
    for index, char in enumerate(tex):
        if char == "{" and tex[index - 1:index] != "\\":
            depth += 1
        elif char == "}" and tex[index - 1:index] != "\\":
            depth -= 1
        elif depth == 0 and RELATION.match(tex, index) and tex[index - 1:index] != "\\":
            return True
    return False
