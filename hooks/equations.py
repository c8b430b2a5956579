"""Equation numbers and cross-references: `\\label{name}` in a display, `$\\eqref{name}$` anywhere.

KaTeX has no \\label, \\ref or \\eqref, so this hook handles them before KaTeX sees the TeX.
Labelled equations are numbered per page, in order, by this hook alone (a hand-written numeric
\\tag could collide with those numbers, so it is refused everywhere; `\\tag{*}` or a letter is fine). Each labelled equation gets the id
`eq-name`; `$\\eqref{name}$` becomes a link "(n)" to it, across pages too. An undefined or
duplicate label fails the build with the page named.
"""

from __future__ import annotations

import html
import re

from mkdocs.exceptions import PluginError

from _arithmatex import LABEL, display_tex, label_numbers, rewrite

EQREF = re.compile(r"^\s*\\eqref\{([^{}]*)\}\s*$")
NAME = re.compile(r"[A-Za-z0-9][\w.:-]*")
NUMERIC_TAG = re.compile(r"\\tag\*?\{\s*[\d.]+\s*\}")

# label -> (page src_uri, number, page title)
_labels: dict[str, tuple[str, int, str]] = {}


def on_nav(nav, config, files):
    """Number every label of every page before any page renders, so references can look ahead."""
    _labels.clear()
    titles = {page.file.src_uri: page.title for page in nav.pages}
    for file in files.documentation_pages():
        markdown = file.content_string
        on_page: list[str] = []
        for tex in display_tex(markdown):
            names = LABEL.findall(tex)
            on_page += names
            if len(names) > 1:
                raise PluginError(f"docs/{file.src_uri}: one \\label per equation, found {names}")
            if names and not NAME.fullmatch(names[0]):
                raise PluginError(f"docs/{file.src_uri}: label {names[0]!r}: use letters, digits and .:-_")
        twice = sorted({name for name in on_page if on_page.count(name) > 1})
        if twice:
            raise PluginError(f"docs/{file.src_uri}: duplicate \\label{{{twice[0]}}} on the same page")
        for name, number in label_numbers(markdown).items():
            if name in _labels:
                raise PluginError(f"docs/{file.src_uri}: duplicate \\label{{{name}}} (also in docs/{_labels[name][0]})")
            _labels[name] = (file.src_uri, number, titles.get(file.src_uri) or file.src_uri)
    return nav


def on_page_content(content, page, config, files):
    source = f"docs/{page.file.src_uri}"

    def number(items):
        for item in items:
            if item.display:
                names = LABEL.findall(item.tex)
                if NUMERIC_TAG.search(item.tex):
                    raise PluginError(f"{source}: a numeric \\tag in {item.tex.strip()!r}; use \\label so numbers cannot collide")
                if names:
                    where, n, _ = _labels[names[0]]
                    item.tex = LABEL.sub(lambda _: f"\\tag{{{n}}}", item.tex)
                    item.attrs["id"] = f"eq-{names[0]}"
                    page.present_anchor_ids.add(f"eq-{names[0]}")
            elif "\\label" in item.tex:
                raise PluginError(f"{source}: \\label belongs in a display equation ($$…$$), not in {item.tex!r}")
            if "\\ref{" in item.tex and "\\eqref{" not in item.tex:
                raise PluginError(f"{source}: use $\\eqref{{name}}$, not \\ref, in {item.tex!r}")
            if "\\eqref" not in item.tex:
                continue
            ref = EQREF.match(item.tex)
            if item.display or ref is None:
                raise PluginError(f"{source}: write each reference as its own inline formula, $\\eqref{{name}}$: {item.tex!r}")
            name = ref[1]
            if name not in _labels:
                raise PluginError(f"{source}: \\eqref{{{name}}} refers to no \\label on any page")
            target, n, title = _labels[name]
            url = files.get_file_from_path(target).url_relative_to(page.file)
            if target == page.file.src_uri:
                item.html = f'<a class="eqref" href="#eq-{name}">({n})</a>'
            else:
                item.html = f'<a class="eqref" href="{url}#eq-{name}">({n}) in {html.escape(title)}</a>'

    return rewrite(content, number)

