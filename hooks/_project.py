"""Paths and snippet-module loading shared by the hooks (not itself a hook)."""

from __future__ import annotations

import importlib
import posixpath
import re
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
KATEX_ASSETS = "assets/katex"  # where the site serves KaTeX's stylesheet and fonts


def fresh_snippets() -> None:
    """Forget imported snippet modules so that a rebuild under `mkdocs serve` sees edits."""
    for name in [n for n in sys.modules if n == "snippets" or n.startswith("snippets.")]:
        del sys.modules[name]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def snippet_path(page_src_uri: str) -> str:
    """docs/a/b-c.md <-> snippets/a/b_c.py: the page's name, spelled as a Python module."""
    stem, _ = posixpath.splitext(page_src_uri)
    return stem.replace("-", "_") + ".py"


def snippet_module(page_src_uri: str) -> ModuleType | None:
    """The snippet module that shares a page's name (see snippet_path)."""
    stem = snippet_path(page_src_uri).removesuffix(".py")
    if not (SNIPPETS / f"{stem}.py").is_file():
        return None
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("snippets." + stem.replace("/", "."))


SECTION = re.compile(r"^\s*#\s*--8<--\s*\[(?P<edge>start|end):(?P<name>[\w-]+)\]\s*$")


def read_sections(path: Path) -> dict[str, str]:
    """Named sections of a snippet file, name -> code, each checked to open and close once.

    Raises ValueError naming the file and line of a malformed section.
    """
    where = path.relative_to(SNIPPETS.parent) if path.is_relative_to(SNIPPETS.parent) else path
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
                raise ValueError(f"{where}:{number}: section {name!r} starts twice")
            opened[name] = []
        else:
            if name not in opened:
                raise ValueError(f"{where}:{number}: section {name!r} ends before it starts")
            done[name] = "\n".join(opened.pop(name)).rstrip() + "\n"
    if opened:
        raise ValueError(f"{where}: section(s) {sorted(opened)} never end")
    return done
