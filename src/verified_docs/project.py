"""Where a project keeps its pages, snippets, KaTeX and results, and how snippet code is loaded.

One `Project` describes one site: every path the engine reads or writes hangs off it, so
nothing is fixed from `__file__` and two projects (the site and examples/minimal, or a test's
temporary copy) never share state. Paths in configuration are relative to the project root,
which is the working directory a generator runs in.
"""

from __future__ import annotations

import importlib
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .errors import EngineError

# Option names and defaults, shared by the Markdown extension, the MkDocs plugin and the pytest
# plugin (ini options `verified_docs_<name>`), so the three read a project the same way.
DEFAULTS = {
    "docs_dir": "docs",
    "snippets_dir": "snippets",
    "node_modules": "node_modules",
    "results": ".claims-results.json",
    "cache_dir": ".cache",
}
KATEX_ASSETS = "assets/katex"  # where a site serves KaTeX's stylesheet and fonts


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    snippets_dir: Path
    node_modules: Path
    results: Path
    cache_dir: Path

    @classmethod
    def at(cls, root: str | Path = ".", **options: str) -> Project:
        """The project at `root`, with any of DEFAULTS' paths given relative to it."""
        unknown = set(options) - set(DEFAULTS)
        if unknown:
            raise EngineError(f"verified_docs: unknown option(s) {sorted(unknown)}; known: {sorted(DEFAULTS)}")
        root = Path(root).resolve()
        paths = {name: root / (options.get(name) or default) for name, default in DEFAULTS.items()}
        return cls(root=root, **paths)

    @property
    def katex_dist(self) -> Path:
        return self.node_modules / "katex" / "dist"

    def shown(self, path: Path) -> str:
        """A path as error messages show it: relative to the project root."""
        path = Path(path)
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def page(self, src_uri: str) -> str:
        """A page as error messages show it: docs/a/b.md."""
        return f"{self.shown(self.docs_dir)}/{src_uri}"

    # --- snippet modules: docs/a/b-c.md <-> snippets/a/b_c.py ---------------------------------

    @property
    def snippets_package(self) -> str:
        return self.snippets_dir.name

    def fresh_snippets(self) -> None:
        """Forget imported snippet modules (a rebuild must see edits) and make them importable."""
        package = self.snippets_package
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
        importlib.invalidate_caches()
        self.importable()

    def importable(self) -> None:
        """Put the folder that holds snippets/ on sys.path: snippet modules import as a package."""
        if str(self.snippets_dir.parent) not in sys.path:
            sys.path.insert(0, str(self.snippets_dir.parent))

    def snippet_path(self, page_src_uri: str) -> str:
        """The snippet file of a page, relative to snippets/: the page's name as a Python module."""
        stem, _ = posixpath.splitext(page_src_uri)
        return stem.replace("-", "_") + ".py"

    def snippet_module(self, page_src_uri: str) -> ModuleType | None:
        stem = self.snippet_path(page_src_uri).removesuffix(".py")
        if not (self.snippets_dir / f"{stem}.py").is_file():
            return None
        self.importable()
        return importlib.import_module(f"{self.snippets_package}." + stem.replace("/", "."))


SECTION = re.compile(r"^\s*#\s*--8<--\s*\[(?P<edge>start|end):(?P<name>[\w-]+)\]\s*$")


def read_sections(path: Path, shown: str | None = None) -> dict[str, str]:
    """Named sections of a snippet file, name -> code, each checked to open and close once.

    Raises EngineError naming the file (as `shown`) and line of a malformed section.
    """
    where = shown or str(path)
    opened: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = SECTION.match(line)
        if not match:
            for lines in opened.values():
                lines.append(line)
            continue
        name = match["name"]
        if match["edge"] == "start":
            if name in opened or name in done:
                raise EngineError(f"{where}:{number}: section {name!r} starts twice")
            opened[name] = []
        else:
            if name not in opened:
                raise EngineError(f"{where}:{number}: section {name!r} ends before it starts")
            done[name] = "\n".join(opened.pop(name)).rstrip() + "\n"
    if opened:
        raise EngineError(f"{where}: section(s) {sorted(opened)} never end")
    return done
