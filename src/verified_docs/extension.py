"""The Python-Markdown extension: all of a page's TeX work, in one pass over its formulas.

    markdown_extensions:
      - verified_docs.extension:      # loads pymdownx.arithmatex (generic) for $…$ and $$…$$
          docs_dir: docs              # every path relative to the project root (the working
          snippets_dir: snippets      # directory), as in verified_docs.project.DEFAULTS
          node_modules: node_modules

For each page, after Python-Markdown has parsed it and before the table of contents and the
generator collect anchors:

1. every formula is read once from the element tree that arithmatex left;
2. markers are applied (displays and inline formulas alike): `\\claim{id}` -> `data-claim` (and
   the claim's anchor on its home formula), `\\given` -> `data-given`, `\\quoted` -> `data-quoted`,
   `\\verified` -> the claim's generated TeX, `\\label{name}` -> `\\tag{n}` and `id="eq-name"`
   (numbers from the docs index, so `$\\eqref{name}$` links across pages: to `page.md#eq-name`,
   which the generator turns into a URL and validates);
3. the page's formulas go to KaTeX in one batch;
4. each formula is replaced by KaTeX's HTML+MathML, or by MathML only (`math_output`:
   `katex-mathml`, `temml`; verified_docs/katex.py), drawn by the browser.

Any error stops the build with the page and line. The extension needs no generator: the page
being rendered is the `page` option, or the one the generator's plugin names on the shared
engine, or else the docs page with this Markdown.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from . import katex
from .engine import Engine
from .errors import EngineError
from .index import CLAIM, GIVEN, LABEL, QUOTED, VERIFIED, markers
from .project import DEFAULTS, Project

EQREF = re.compile(r"^\s*\\eqref\{([^{}]*)\}\s*$")
NUMERIC_TAG = re.compile(r"\\tag\*?\{\s*[\d.]+\s*\}")


class Formula:
    """One formula of the page, as arithmatex left it in the tree."""

    def __init__(self, element: etree.Element):
        self.element = element
        text = element.text or ""
        self.display = element.tag == "div"
        # arithmatex HTML-escapes display TeX in the tree, not inline TeX
        self.tex = html.unescape(text[2:-2]) if self.display else text[2:-2]
        self.attrs: dict[str, str] = {}
        self.link: tuple[str, str] | None = None  # (href, text) when the formula is an \eqref


class PagePreprocessor(Preprocessor):
    """Runs first (before pymdownx.snippets expands includes): names the page and builds the
    docs index on the build's first page, so a bad include fails here, with the page and line."""

    def __init__(self, md: Markdown, extension: VerifiedDocsExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        extension = self.extension
        engine = extension.engine()
        index = engine.index
        extension.page = (extension.getConfig("page") or engine.current_page
                          or index.page_of_text("\n".join(lines)))
        return lines


class TexTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: VerifiedDocsExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        formulas = [Formula(el) for el in root.iter()
                    if el.tag in ("div", "span") and "arithmatex" in (el.get("class") or "").split()]
        if not formulas:
            return
        engine, page = self.extension.engine(), self.extension.page
        homes: set[str] = set()  # claims whose home anchor this page has placed
        try:
            for formula in formulas:
                self.number(engine, page, formula)
                self.mark(engine, page, formula, homes)
            if self.extension.getConfig("render"):
                self.typeset(engine, page, [f for f in formulas if f.link is None])
            else:
                self.leave_for_the_browser([f for f in formulas if f.link is None])
        finally:
            self.extension.done_with(engine)
        for formula in formulas:
            element = formula.element
            if formula.link is not None:
                element.tag = "a"
                element.attrib.clear()
                element.set("class", "eqref")
                element.set("href", formula.link[0])
                element.text = AtomicString(formula.link[1])

    # --- \label, \eqref, numeric \tag ----------------------------------------------------------

    def number(self, engine: Engine, page: str | None, formula: Formula) -> None:
        index, where = engine.index, engine.index.where(page, formula.tex, formula.display)
        if formula.display:
            names = LABEL.findall(formula.tex)
            if NUMERIC_TAG.search(formula.tex):
                raise EngineError(f"{where}: a numeric \\tag in {formula.tex.strip()!r}; use \\label so numbers cannot collide")
            if names:
                if names[0] not in index.labels or index.labels[names[0]][0] != page:
                    raise EngineError(f"{where}: \\label{{{names[0]}}} outside the docs index (is the page under "
                                      f"{engine.project.shown(engine.project.docs_dir)}/?)")
                number = index.labels[names[0]][1]
                formula.tex = LABEL.sub(lambda _: f"\\tag{{{number}}}", formula.tex)
                formula.attrs["id"] = f"eq-{names[0]}"
        elif "\\label" in formula.tex:
            raise EngineError(f"{where}: \\label belongs in a display equation ($$…$$), not in {formula.tex!r}")
        if "\\ref{" in formula.tex and "\\eqref{" not in formula.tex:
            raise EngineError(f"{where}: use $\\eqref{{name}}$, not \\ref, in {formula.tex!r}")
        if "\\eqref" not in formula.tex:
            return
        ref = EQREF.match(formula.tex)
        if formula.display or ref is None:
            raise EngineError(f"{where}: write each reference as its own inline formula, $\\eqref{{name}}$: {formula.tex!r}")
        name = ref[1]
        if name not in index.labels:
            raise EngineError(f"{where}: \\eqref{{{name}}} refers to no \\label on any page")
        target, number = index.labels[name]
        if target == page:
            formula.link = (f"#eq-{name}", f"({number})")
        else:
            # A link to the page's source: the generator makes it a URL and checks the anchor.
            href = posixpath.relpath(target, posixpath.dirname(page) or ".") if page else target
            formula.link = (f"{href}#eq-{name}", f"({number}) in {engine.title(target)}")

    # --- \claim, \given, \quoted, \verified -----------------------------------------------------

    def mark(self, engine: Engine, page: str | None, formula: Formula, homes: set[str]) -> None:
        if formula.link is not None:
            return
        where = engine.index.where(page, formula.tex, display=formula.display)
        found = markers(formula.tex)
        if len(found) > 1:  # only included or generated Markdown gets here: the index saw every page
            raise EngineError(f"{where}: one marker per formula, found {found} in {formula.tex.strip()[:80]!r}")
        if GIVEN.search(formula.tex) or QUOTED.search(formula.tex):
            kind = "given" if GIVEN.search(formula.tex) else "quoted"
            formula.tex = QUOTED.sub("", GIVEN.sub("", formula.tex))
            formula.attrs[f"data-{kind}"] = ""
            return
        ids = CLAIM.findall(formula.tex)
        if not ids:
            if formula.display:  # as above: pages in the index are checked already
                raise EngineError(f"{where}: display equation without a claim marker: {formula.tex.strip()[:80]!r}")
            if VERIFIED.search(formula.tex):
                raise EngineError(f"{where}: \\verified needs a \\claim{{id}} with tex=…: {formula.tex!r}")
            return
        if ids[0] not in engine.claims:
            raise EngineError(f"{where}: unknown claim id {ids[0]!r}")
        shown = engine.index.shown.get(ids[0])
        if formula.display and (shown is None or shown.page != page or not shown.display):
            raise EngineError(f"{where}: claim {ids[0]!r} is not shown in a display on this page in the docs index")
        claim, _ = engine.claims[ids[0]]
        formula.tex = CLAIM.sub("", formula.tex)
        if claim.tex is not None:
            if not VERIFIED.search(formula.tex):
                raise EngineError(f"{where}: claim {claim.id!r} generates its TeX: write \\verified where it goes")
            generated = claim.tex()
            formula.tex = VERIFIED.sub(lambda _: generated, formula.tex)
        elif VERIFIED.search(formula.tex):
            raise EngineError(f"{where}: \\verified needs a claim with tex=…; {claim.id!r} has none")
        formula.attrs["data-claim"] = claim.id
        # The home: the claim's display, else its first inline occurrence on its home page.
        if shown is not None and shown.page == page and shown.display == formula.display and claim.id not in homes:
            homes.add(claim.id)
            formula.attrs.setdefault("id", shown.anchor)

    # --- KaTeX ---------------------------------------------------------------------------------

    def typeset(self, engine: Engine, page: str | None, formulas: list[Formula]) -> None:
        output = engine.katex.output
        untagged = [katex.untagged(f.tex, output) if f.display else (f.tex, None) for f in formulas]
        results = engine.katex.render([{"tex": tex, "display": f.display} for f, (tex, _) in zip(formulas, untagged)])
        errors = [f"{engine.index.where(page, f.tex, f.display)}: KaTeX cannot render {f.tex.strip()!r}: {r['error']}"
                  for f, r in zip(formulas, results) if "error" in r]
        if errors:
            raise EngineError("TeX error(s):\n" + "\n".join(errors))
        for formula, result, (_, number) in zip(formulas, results, untagged):
            element = formula.element
            element.attrib.clear()
            element.set("class", katex.kind(formula.display, number))
            for name, value in formula.attrs.items():
                element.set(name, value)
            element.text = self.md.htmlStash.store(katex.drawn(result["html"], number))

    @staticmethod
    def leave_for_the_browser(formulas: list[Formula]) -> None:
        """render: false (benchmarks of in-browser maths): the TeX, markers applied, as arithmatex wrote it."""
        for formula in formulas:
            element = formula.element
            tex = f"\\[{html.escape(formula.tex, quote=False)}\\]" if formula.display else f"\\({formula.tex}\\)"
            for name, value in formula.attrs.items():
                element.set(name, value)
            element.text = AtomicString(tex)


class VerifiedDocsExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {name: [default, f"path relative to root (default {default})"] for name, default in DEFAULTS.items()}
        self.config |= {
            "root": [".", "the project root (default: the working directory)"],
            # not None: Python-Markdown would read a None-default option as a yes/no flag
            "engine": ["", "an Engine shared by a build's pages (the MkDocs plugin sets it)"],
            "page": ["", "the page being rendered, relative to docs_dir, when the caller knows it"],
            "render": [True, "typeset with KaTeX (false leaves the TeX for in-browser maths: benchmarks only)"],
            "math_output": ["katex", f"what formulas become: one of {', '.join(katex.OUTPUTS)} (verified_docs/katex.py)"],
        }
        super().__init__(**kwargs)
        self.page: str | None = None
        self._own: Engine | None = None

    def engine(self) -> Engine:
        shared = self.getConfig("engine")
        if isinstance(shared, Engine):
            return shared
        if self._own is None:  # no plugin: this page's own engine, closed when the page is done
            options = {name: self.getConfig(name) for name in DEFAULTS}
            self._own = Engine(Project.at(self.getConfig("root"), **options), generated=(),
                               math_output=self.getConfig("math_output"))
        return self._own

    def done_with(self, engine: Engine) -> None:
        if engine is self._own:
            engine.close()

    def reset(self) -> None:
        self.page = None

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # arithmatex finds $…$ and $$…$$ (escapes and code spans as ever); generic mode leaves
        # the TeX in the tree for this extension instead of emitting MathJax markup.
        md.registerExtensions(["pymdownx.arithmatex"], {"pymdownx.arithmatex": {"generic": True}})
        md.preprocessors.register(PagePreprocessor(md, self), "verified_docs_page", 33)  # before snippets (32)
        # After inline patterns (20) and prettify (10); before toc and the generator's anchor
        # collection (5), which must see the equations' ids, and before link rewriting (0).
        md.treeprocessors.register(TexTreeprocessor(md, self), "verified_docs_tex", 6)


def makeExtension(**kwargs) -> VerifiedDocsExtension:  # the name Python-Markdown looks up
    return VerifiedDocsExtension(**kwargs)
