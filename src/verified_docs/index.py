"""An index of a site's pages, built once per build from docs/: what every page shows.

Cross-page work needs all pages before any is rendered: `\\eqref` looks ahead to labels on
later pages, a claim must be shown exactly once somewhere, and a snippet section must be
included by some page. The index reads each `*.md` under docs/ once and checks:

- every display equation (`$$…$$`) carries one marker: `\\claim{id}` (a result defined in the
  CLAIMS of a snippet module), `\\given` (a definition, hypothesis or the question's statement)
  or `\\quoted` (a formula quoted from the original, possibly wrong); an inline formula (`$…$`)
  carries at most one of the same markers;
- every claim id is known, shown in one display at most (inline formulas may restate it
  anywhere), and every defined claim is shown; its home (the ledger's link, `id="claim-<id>"`
  unless labelled) is its display, else its first inline occurrence;
- `\\label{name}`: one per display, a name of letters, digits and `.:-_`, unique across pages;
  labelled displays are numbered 1, 2, … per page in order;
- every `--8<--` include names a file and section under snippets/, and every section of
  snippets/ is included by some page.

Errors name the page and line (or the snippet file) and say what to do.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from .contract import Claim
from .errors import EngineError
from .project import Project, read_sections

FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)\s*$", re.S | re.M)
DISPLAY_MD = re.compile(r"\$\$(.+?)\$\$", re.S)
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(?P<yaml>.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
TITLE_META = re.compile(r"^title:\s*(?P<title>.+?)\s*$", re.M)
H1 = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$", re.M)

LABEL = re.compile(r"\\label\{([^{}]*)\}")
CLAIM = re.compile(r"\\claim\{([^{}]*)\}")
GIVEN = re.compile(r"\\given(?![A-Za-z])")
QUOTED = re.compile(r"\\quoted(?![A-Za-z])")
VERIFIED = re.compile(r"\\verified(?![A-Za-z])")
LABEL_NAME = re.compile(r"[A-Za-z0-9][\w.:-]*")

INCLUDE = re.compile(r'^(?P<indent>\s*)--8<--\s+(?P<quote>["\'])(?P<target>.+?)(?P=quote)\s*$')
INCLUDE_BLOCK_EDGE = re.compile(r"^\s*--8<--\s*$")


def blank(match: re.Match) -> str:
    """The match as spaces, its line breaks kept (so line numbers still count)."""
    return re.sub(r"[^\n]", " ", match[0])


def display_formulas(markdown: str) -> list[tuple[int, str]]:
    """(line of its opening `$$`, TeX) of each `$$…$$` display in a page's Markdown source, in
    order (code fences skipped)."""
    text = FENCE.sub(blank, markdown)
    return [(text.count("\n", 0, match.start()) + 1, match[1]) for match in DISPLAY_MD.finditer(text)]


def display_tex(markdown: str) -> list[str]:
    """The TeX of each `$$…$$` display in a page's Markdown source, in order (code fences skipped)."""
    return [tex for _, tex in display_formulas(markdown)]


INLINE_CODE = re.compile(r"(`+).+?\1", re.S)
INLINE_MD = re.compile(r"(?<![\\$])\$(?![\s$])(?P<tex>(?:\\\$|[^$])+?)(?<![\s\\])\$(?!\$)")


def inline_tex(markdown: str) -> list[tuple[int, str]]:
    """(line, TeX) of each inline `$…$` formula in a page's Markdown source, in order.

    Code fences, `$$…$$` displays and inline code are blanked first (keeping line numbers),
    so that a dollar in code or a display is never read as an inline formula.
    """
    text = INLINE_CODE.sub(blank, DISPLAY_MD.sub(blank, FENCE.sub(blank, markdown)))
    return [(text.count("\n", 0, match.start()) + 1, match["tex"]) for match in INLINE_MD.finditer(text)]


MARKERS = (CLAIM, LABEL, GIVEN, QUOTED)


def without_markers(tex: str) -> str:
    """A formula's TeX without the engine's markers (\\claim, \\label, \\given, \\quoted)."""
    for marker in MARKERS:
        tex = marker.sub("", tex)
    return tex


def markers(tex: str) -> list[str]:
    """The markers of a formula, in kind order: claim ids, then "given", then "quoted"."""
    return CLAIM.findall(tex) + ["given"] * len(GIVEN.findall(tex)) + ["quoted"] * len(QUOTED.findall(tex))


RELATION = re.compile(
    r"[=<>]|\\(?:approx|leq?|geq?|neq?|lt|gt|leqslant|geqslant|to|rightarrow|longrightarrow|sim|simeq|propto|equiv|ll|gg)(?![A-Za-z])")


def states_a_relation(tex: str) -> bool:
    """Does the formula relate two things (=, <, >, \\approx, \\le, \\ge, \\ne, \\to, \\sim, \\equiv, …) outside braces?

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


def label_numbers(markdown: str) -> dict[str, int]:
    """Equation numbers of a page: its labelled displays, numbered 1, 2, … in order."""
    numbers: dict[str, int] = {}
    for tex in display_tex(markdown):
        for name in LABEL.findall(tex)[:1]:
            numbers.setdefault(name, len(numbers) + 1)
    return numbers


def body(source: str) -> str:
    """The Markdown a generator renders: the source without its YAML front matter."""
    match = FRONT_MATTER.match(source)
    return source[match.end():].lstrip("\n") if match else source


def same_text(text: str) -> str:
    """The key that finds a page by its Markdown (line endings and outer blank lines aside)."""
    return text.replace("\r\n", "\n").strip()


def line_of(source: str, tex: str, display: bool = True) -> int:
    """The line of a page source where a formula starts (its first non-blank line), or 0.

    An inline formula is looked for with its dollars first (`$x^2$`), so that a short one is not
    found inside an earlier formula that contains it."""
    first = tex.strip().splitlines()[0].strip() if tex.strip() else ""
    lines = source.splitlines()
    for needle in ([f"${tex}$"] if not display and "\n" not in tex else []) + [first]:
        for number, line in enumerate(lines, 1):
            if needle and needle in line:
                return number
    return 0


def includes(markdown: str) -> list[tuple[int, str]]:
    """(line number, target) for each `--8<--` include of a page, single-line and block form.

    Raises ValueError for a malformed include line or an unclosed block.
    """
    found, in_block = [], False
    for number, line in enumerate(markdown.splitlines(), 1):
        if INCLUDE_BLOCK_EDGE.match(line):
            in_block = not in_block
            continue
        if in_block:
            if line.strip() and not line.strip().startswith(";"):
                found.append((number, line.strip()))
            continue
        match = INCLUDE.match(line)
        if match:
            found.append((number, match["target"]))
        elif line.lstrip().startswith("--8<--"):
            raise ValueError(f"malformed include at line {number}: {line.strip()!r}")
    if in_block:
        raise ValueError("an include block (a line with only --8<--) is never closed")
    return found


@dataclass
class Shown:
    """Where a claim lives (its home): its page, the anchor of its formula, its number if
    labelled, whether that formula is a display (else the claim's first inline occurrence), its
    TeX as the page writes it (markers included) and its line in the page's source."""

    page: str
    anchor: str
    number: int | None
    display: bool = True
    tex: str = ""
    line: int = 0


@dataclass
class PageSource:
    src_uri: str
    source: str  # the file as written, front matter included (line numbers count from here)
    title: str

    @property
    def markdown(self) -> str:
        return body(self.source)

    @property
    def first_line(self) -> int:
        """The source line where the Markdown begins (after the front matter), counting from 0."""
        return self.source[:len(self.source) - len(self.markdown)].count("\n")


def walk_pages(docs_dir: Path) -> list[str]:
    """Every *.md under docs/, in the order MkDocs lists files: a folder's own files (index.md
    first) before its subfolders', names sorted."""
    found = []
    for folder, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        dirnames.sort()
        relative = Path(folder).relative_to(docs_dir).as_posix()
        for name in sorted(filenames, key=lambda n: (posixpath.splitext(n)[0] not in ("index", "README"), n)):
            if name.endswith(".md"):
                found.append(name if relative == "." else f"{relative}/{name}")
    return found


def title_of(source: str, src_uri: str) -> str:
    """A page's title as a reader sees it without a nav: front matter `title`, else its H1."""
    front = FRONT_MATTER.match(source)
    meta = TITLE_META.search(front["yaml"]) if front else None
    if meta:
        return meta["title"].strip("'\"")
    heading = H1.search(body(source))
    return heading["title"] if heading else src_uri


@dataclass
class DocsIndex:
    project: Project
    claims: dict[str, tuple[Claim, str]]
    pages: dict[str, PageSource] = field(default_factory=dict)
    labels: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (page, number)
    shown: dict[str, Shown] = field(default_factory=dict)  # claim id -> where, in page order
    included: set[tuple[str, str]] = field(default_factory=set)  # (snippet file, section)

    @classmethod
    def build(cls, project: Project, claims: dict[str, tuple[Claim, str]], generated: tuple[str, ...] = ()) -> DocsIndex:
        """Read and check every page. `generated` names pages the build writes (which must not exist)."""
        index = cls(project, claims)
        for src_uri in walk_pages(project.docs_dir):
            if src_uri in generated:
                raise EngineError(f"{project.page(src_uri)} is generated by the build; delete the hand-written one")
            source = (project.docs_dir / src_uri).read_text(encoding="utf-8")
            index.pages[src_uri] = PageSource(src_uri, source, title_of(source, src_uri))
        for page in index.pages.values():
            index._read_labels(page)
        # Displays first: a claim's display is its home, wherever an inline restatement comes first.
        for page in index.pages.values():
            index._read_claims(page)
        for page in index.pages.values():
            index._read_inline_claims(page)
        index._check_every_claim_shown()
        for page in index.pages.values():
            index._read_includes(page)
        index._check_every_section_included()
        return index

    def page_of_text(self, text: str) -> str | None:
        """The page whose Markdown this is, for generators that do not say which page they render."""
        key = same_text(text)
        found = [uri for uri, page in self.pages.items() if same_text(page.markdown) == key]
        return found[0] if len(found) == 1 else None

    def where(self, src_uri: str | None, tex: str, display: bool = True) -> str:
        """'docs/page.md:line' of a formula, for messages."""
        if src_uri is None:
            return "(page not under docs/)"
        page = self.pages.get(src_uri)
        line = line_of(page.source, tex, display) if page else 0
        return self.project.page(src_uri) + (f":{line}" if line else "")

    # --- checks, in the order a reader would fix them ----------------------------------------

    def _read_labels(self, page: PageSource) -> None:
        shown = self.project.page(page.src_uri)
        on_page: list[str] = []
        for tex in display_tex(page.markdown):
            names = LABEL.findall(tex)
            on_page += names
            if len(names) > 1:
                raise EngineError(f"{shown}: one \\label per equation, found {names}")
            if names and not LABEL_NAME.fullmatch(names[0]):
                raise EngineError(f"{shown}: label {names[0]!r}: use letters, digits and .:-_")
        twice = sorted({name for name in on_page if on_page.count(name) > 1})
        if twice:
            raise EngineError(f"{shown}: duplicate \\label{{{twice[0]}}} on the same page")
        for name, number in label_numbers(page.markdown).items():
            if name in self.labels:
                raise EngineError(f"{shown}: duplicate \\label{{{name}}} (also in {self.project.page(self.labels[name][0])})")
            self.labels[name] = (page.src_uri, number)

    def _read_claims(self, page: PageSource) -> None:
        numbers = label_numbers(page.markdown)
        for line, tex in display_formulas(page.markdown):
            where = self.where(page.src_uri, tex)
            found = markers(tex)
            if not found:
                raise EngineError(
                    f"{where}: display equation without \\claim{{id}}, \\given or \\quoted: {tex.strip()[:80]!r}. "
                    "Mark a result with the id of its claim in the page's snippet module (CLAIMS), "
                    "a definition/statement with \\given, a formula quoted from the original with \\quoted."
                )
            if len(found) > 1:
                raise EngineError(f"{where}: one marker per equation, found {found}")
            for claim_id in CLAIM.findall(tex):
                self._check_known(claim_id, where, page)
                if claim_id in self.shown:
                    raise EngineError(f"{where}: claim {claim_id!r} is already shown in {self.project.page(self.shown[claim_id].page)}")
                labels = LABEL.findall(tex)
                self.shown[claim_id] = Shown(
                    page.src_uri, f"eq-{labels[0]}" if labels else f"claim-{claim_id}", numbers.get(labels[0]) if labels else None,
                    tex=tex, line=line + page.first_line)

    def _read_inline_claims(self, page: PageSource) -> None:
        shown = self.project.page(page.src_uri)
        for line, tex in inline_tex(page.markdown):
            where = f"{shown}:{line + page.first_line}"
            found = markers(tex)
            if len(found) > 1:
                raise EngineError(f"{where}: one marker per formula, found {found} in {tex!r}")
            # (\eqref and \verified have their own, more precise errors in the extension)
            if not found and states_a_relation(tex) and not re.search(r"\\(?:eqref|verified)(?![A-Za-z])", tex):
                raise EngineError(
                    f"{where}: an inline formula that states a relation needs \\claim{{id}} (a result, checked), "
                    f"\\given (a definition or hypothesis) or \\quoted (the original's formula): ${tex}$")
            for claim_id in CLAIM.findall(tex):
                self._check_known(claim_id, where, page)
                if claim_id not in self.shown:
                    self.shown[claim_id] = Shown(page.src_uri, f"claim-{claim_id}", None, display=False,
                                                 tex=tex, line=line + page.first_line)

    def _check_known(self, claim_id: str, where: str, page: PageSource) -> None:
        if claim_id not in self.claims:
            raise EngineError(
                f"{where}: unknown claim id {claim_id!r}; define Claim({claim_id!r}, …) in the CLAIMS of "
                f"{self.project.shown(self.project.snippets_dir)}/{self.project.snippet_path(page.src_uri)}"
            )

    def _check_every_claim_shown(self) -> None:
        unused = sorted(set(self.claims) - set(self.shown))
        if unused:
            listed = "\n".join(f"  {i} (defined in {self.claims[i][1].replace('.', '/')}.py)" for i in unused)
            raise EngineError(f"claims defined in code that no page shows (mark a formula with \\claim{{id}}):\n{listed}")

    def sections(self, path: Path) -> list[str]:
        return list(read_sections(path, self.project.shown(path)))

    def all_sections(self) -> set[tuple[str, str]]:
        """Every (file relative to snippets/, section) pair in the tree."""
        snippets = self.project.snippets_dir
        return {(path.relative_to(snippets).as_posix(), name)
                for path in sorted(snippets.rglob("*.py")) for name in self.sections(path)}

    def resolve(self, target: str) -> tuple[str, str | None]:
        """Check one include target; return (file relative to snippets/, section or None)."""
        snippets = self.project.shown(self.project.snippets_dir)
        if re.match(r"^[a-z][a-z0-9+.-]*://", target, re.I):
            raise ValueError(f"{target!r} is a URL; pages include files from {snippets}/ only")
        path, _, section = target.partition(":")
        if path.startswith("/") or ".." in Path(path).parts:
            raise ValueError(f"{target!r} leaves {snippets}/; write the path relative to {snippets}/")
        if section and not re.fullmatch(r"[\w-]+", section):
            raise ValueError(f"{target!r}: include a named section (# --8<-- [start:name]), not line numbers")
        file = self.project.snippets_dir / path
        if not file.is_file():
            raise ValueError(f"{target!r}: no file {snippets}/{path}")
        if section and section not in self.sections(file):
            raise ValueError(f"{target!r}: {snippets}/{path} has no section {section!r} "
                             f"(it has {', '.join(self.sections(file)) or 'none'})")
        return path, section or None

    def page_includes(self, src_uri: str, markdown: str) -> set[tuple[str, str]]:
        """The (file, section) pairs a page includes; EngineError at the first bad include."""
        shown = self.project.page(src_uri)
        try:
            found = includes(markdown)
        except ValueError as error:
            raise EngineError(f"{shown}: {error}") from None
        pairs: set[tuple[str, str]] = set()
        for number, target in found:
            try:
                path, section = self.resolve(target)
            except ValueError as error:
                raise EngineError(f"{shown}:{number}: {error}") from None
            if section is None:
                pairs |= {(p, s) for p, s in self.all_sections() if p == path}
            else:
                pairs.add((path, section))
        return pairs

    def _read_includes(self, page: PageSource) -> None:
        self.included |= self.page_includes(page.src_uri, page.source)

    def _check_every_section_included(self) -> None:
        orphans = sorted(self.all_sections() - self.included)
        if orphans:
            snippets = self.project.shown(self.project.snippets_dir)
            listed = "\n".join(f"  {snippets}/{p}: section {s!r}" for p, s in orphans)
            raise EngineError(
                "snippet sections that no page includes (include each on its page with "
                f'--8<-- "path:section", or delete it):\n{listed}'
            )
