"""Post-build CSS steps, each a plain function of built files.

1. Notebook pages: mkdocs-jupyter inlines about 570 KB of JupyterLab and Pygments CSS into each
   notebook page. `prune` keeps a rule only if every class its selector names occurs in the
   page, keeps @media/@supports blocks with what survives inside them, and then drops custom
   properties (--jp-…) that no kept rule reads, directly or through another kept property.
   What a page does not contain cannot be styled by the rules removed, so the rendering is
   unchanged.

2. Material's palette stylesheet: `strip_switching_rule` stops it from restyling the whole page
   while it loads.

   Material's palette.css suppresses colour transitions during a palette switch with

       [data-md-color-switching] *, … :after, … :before {transition-duration: 0s !important}

   and Material's script sets that attribute on <body> whenever it applies the palette: on every
   page load, not only on a switch. A rule ending in `*` makes Chromium restyle every element of
   the page when the attribute comes and again when it goes, inside the script's start-up task.
   On a formula page (~4,600 elements of KaTeX HTML) that is two full style recalculations;
   without the rule, the main thread after first paint did 24-32 % less blocking work (adam,
   errata, newton; 4x-throttled Chromium traces, medians of 5: tools/bench measures the rest).

   The step deletes the rule from the built palette stylesheet. The cost: when a reader toggles
   the palette, colours fade over Material's 125 ms instead of switching at once. If Material
   changes the rule, the build fails here, so the edit is never silently lost or misapplied.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import EngineError

STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
CLASS_ATTR = re.compile(r'class="([^"]*)"')
SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
# A value runs to the next ; or } outside parentheses: JupyterLab's icons are custom properties
# holding url(data:image/svg+xml;base64,…), whose ";" is not the end (cut there, the rest was
# left behind as "base64,…);" junk in the rule). Nesting up to three deep, as in
# rgba(var(--a), …) or calc(var(--a) * (1 + var(--b))); a deeper value does not match and is kept.
PARENS = r"\([^()]*\)"
for _ in range(2):
    PARENS = rf"\((?:[^()]|{PARENS})*\)"
CUSTOM_PROPERTY = re.compile(rf"(--[\w-]+)\s*:((?:[^;{{}}()]|{PARENS})*)(;|(?=\}})|$)")
MIN_SIZE = 50_000  # only the big JupyterLab sheet is worth pruning


def blocks(css: str):
    """Top-level (prelude, body) pairs of a style sheet; comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    depth, start, prelude_end = 0, 0, None
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude_end = index
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                yield css[start:prelude_end].strip(), css[prelude_end + 1:index]
                start = index + 1
        elif char == ";" and depth == 0:  # @import / @charset statements
            yield css[start:index].strip(), None
            start = index + 1


NEGATION = re.compile(r":not\((?:[^()]|\([^()]*\))*\)")


def selector_used(selector: str, classes: set[str]) -> bool:
    """Every class the selector requires is on the page (classes inside :not() are not required)."""
    return all(name in classes for name in SELECTOR_CLASS.findall(NEGATION.sub("", selector)))


def selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :is(…) or :not(…))."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start:index].strip())
            start = index + 1
    return parts + [prelude[start:].strip()]


def prune_rules(css: str, classes: set[str]) -> str:
    out = []
    for prelude, body in blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith(("@media", "@supports", "@layer")):
            inner = prune_rules(body, classes)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in selectors(prelude) if selector_used(s, classes)]
            if kept:
                out.append(f"{','.join(kept)}{{{body.strip()}}}")
    return "".join(out)


def drop_unused_properties(css: str) -> str:
    """Remove --custom-property declarations that nothing reads, directly or through another."""
    defined: dict[str, list[str]] = {}
    for match in CUSTOM_PROPERTY.finditer(css):
        defined.setdefault(match[1], []).append(match[2])
    used = set(VAR_USE.findall(CUSTOM_PROPERTY.sub("", css)))  # read by ordinary properties
    frontier = list(used)
    while frontier:  # ... and by the custom properties those read
        for value in defined.get(frontier.pop(), []):
            for name in VAR_USE.findall(value):
                if name not in used:
                    used.add(name)
                    frontier.append(name)

    def rebuild(sheet: str) -> str:
        out = []
        for prelude, body in blocks(sheet):
            if body is None:
                out.append(prelude + ";")
                continue
            if prelude.startswith(("@media", "@supports", "@layer")):
                body = rebuild(body)
            elif not prelude.startswith("@"):
                body = CUSTOM_PROPERTY.sub(lambda m: m[0] if m[1] in used else "", body).strip()
            if body.strip(" ;"):
                out.append(f"{prelude}{{{body}}}")
        return "".join(out)

    return rebuild(css)


def prune(html: str) -> str:
    classes = {name for attr in CLASS_ATTR.findall(html) for name in attr.split()}

    def one(match):
        if len(match[2]) < MIN_SIZE:
            return match[0]
        return match[1] + drop_unused_properties(prune_rules(match[2], classes)) + match[3]

    return STYLE.sub(one, html)


SWITCHING = re.compile(
    r"\[data-md-color-switching\] \*,\[data-md-color-switching\] :after,"
    r"\[data-md-color-switching\] :before\{transition-duration:0s!important\}")


def strip_switching_rule(theme_dirs: list[str], site_dir: Path) -> Path:
    """Write the theme's palette stylesheet, minus the rule, over the copy in site_dir."""
    sources = sorted({p.name: p for d in reversed(theme_dirs)
                      for p in (Path(d) / "assets" / "stylesheets").glob("palette.*.min.css")}.values())
    if len(sources) != 1:
        raise EngineError(f"expected one Material palette stylesheet, found {sources}")
    stripped, count = SWITCHING.subn("", sources[0].read_text(encoding="utf-8"))
    if count != 1:
        raise EngineError(f"Material's palette stylesheet {sources[0].name} no longer "
                          "has the [data-md-color-switching] rule this step removes: review verified_docs/css.py")
    built = site_dir / "assets" / "stylesheets" / sources[0].name
    built.write_text(stripped, encoding="utf-8")
    return built
