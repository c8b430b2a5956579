"""One build's shared state: the project, its claims, the docs index and the KaTeX process.

A generator plugin (the MkDocs one) creates an `Engine` per build, hands it to the Markdown
extension through the extension's `engine` option, and closes it when the build ends. Without
a plugin (Zensical, plain Python-Markdown) the extension makes its own for each page it
renders and closes it at the end of that page.
"""

from __future__ import annotations

from functools import cached_property

from .contract import Claim, discover
from .errors import EngineError
from .index import DocsIndex
from .katex import KatexRenderer
from .project import Project


class Engine:
    def __init__(self, project: Project, *, generated: tuple[str, ...] = (), fresh: bool = False,
                 katex: KatexRenderer | None = None, math_output: str = "katex"):
        """generated: pages the build writes itself (the ledger), which must not exist in docs/.
        fresh: forget imported snippet modules first, so a rebuild under `serve` sees edits.
        katex: a renderer to share (its owner closes it); by default the engine starts its own,
        for math_output (verified_docs/katex.py OUTPUTS)."""
        self.project = project
        self.generated = generated
        self.fresh = fresh
        self.titles: dict[str, str] = {}  # page -> title, from the generator's nav when it has one
        self.current_page: str | None = None  # set by a generator plugin that knows which page renders
        self.owns_katex = katex is None
        self.katex = katex or KatexRenderer(project, math_output)

    @cached_property
    def claims(self) -> dict[str, tuple[Claim, str]]:
        """Every claim of the snippet modules: id -> (claim, defining module)."""
        if self.fresh:
            self.project.fresh_snippets()
        else:
            self.project.importable()
        if not (self.project.snippets_dir / "__init__.py").is_file():
            raise EngineError(f"{self.project.shown(self.project.snippets_dir)}/__init__.py is missing: "
                              "snippets/ must be a package (its modules define CLAIMS)")
        return discover(self.project.snippets_package)

    @cached_property
    def index(self) -> DocsIndex:
        return DocsIndex.build(self.project, self.claims, self.generated)

    def title(self, src_uri: str) -> str:
        return self.titles.get(src_uri) or self.index.pages[src_uri].title

    def close(self) -> None:
        if self.owns_katex:
            self.katex.close()
