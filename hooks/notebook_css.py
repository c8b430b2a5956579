"""Cut the JupyterLab CSS that mkdocs-jupyter inlines into every notebook page to what the page uses.

mkdocs-jupyter inlines about 570 KB of JupyterLab and Pygments CSS into each notebook page.
This hook keeps a rule only if every class its selector names occurs in the page, keeps
@media/@supports blocks with what survives inside them, and then drops custom properties
(--jp-…) that no kept rule reads, directly or through another kept property. What a page
does not contain cannot be styled by the rules removed, so the rendering is unchanged.
"""

from __future__ import annotations

import re

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


def on_post_page(output, page, config):
    if page.file.src_uri.endswith(".ipynb"):
        output = prune(output)
    return output
