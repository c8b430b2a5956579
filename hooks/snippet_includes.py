"""Check every `--8<--` include before pymdownx.snippets sees it, and find orphan sections.

pymdownx.snippets (with check_paths) stops on a bad include with a traceback; this hook stops
first, with the page, the line and what to do. After all pages are read it fails the build if
a named section in snippets/ is included by no page: proof code that no reader sees is either
dead or a claim without a page.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from _project import SNIPPETS, read_sections

MARKER = "--8<--"
SINGLE = re.compile(r'^(?P<indent>\s*)--8<--\s+(?P<quote>["\'])(?P<target>.+?)(?P=quote)\s*$')
BLOCK_EDGE = re.compile(r"^\s*--8<--\s*$")


def sections(path: Path) -> list[str]:
    """Names of the sections of a snippet file (see _project.read_sections)."""
    try:
        return list(read_sections(path))
    except ValueError as error:
        raise PluginError(str(error)) from None


def all_sections() -> set[tuple[str, str]]:
    """Every (file relative to snippets/, section) pair in the tree."""
    return {
        (path.relative_to(SNIPPETS).as_posix(), name)
        for path in sorted(SNIPPETS.rglob("*.py"))
        for name in sections(path)
    }


def includes(markdown: str) -> list[tuple[int, str]]:
    """(line number, target) for each include in a page, single-line and block form."""
    found, in_block = [], False
    for number, line in enumerate(markdown.splitlines(), 1):
        if BLOCK_EDGE.match(line):
            in_block = not in_block
            continue
        if in_block:
            if line.strip() and not line.strip().startswith(";"):
                found.append((number, line.strip()))
            continue
        match = SINGLE.match(line)
        if match:
            found.append((number, match["target"]))
        elif line.lstrip().startswith(MARKER):
            raise PluginError(f"malformed include at line {number}: {line.strip()!r}")
    if in_block:
        raise PluginError("an include block (a line with only --8<--) is never closed")
    return found


def resolve(target: str) -> tuple[str, str | None]:
    """Check one include target; return (file relative to snippets/, section or None)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", target, re.I):
        raise PluginError(f"{target!r} is a URL; pages include files from snippets/ only")
    path, _, section = target.partition(":")
    if path.startswith("/") or ".." in Path(path).parts:
        raise PluginError(f"{target!r} leaves snippets/; write the path relative to snippets/")
    if section and not re.fullmatch(r"[\w-]+", section):
        raise PluginError(f"{target!r}: include a named section (# --8<-- [start:name]), not line numbers")
    file = SNIPPETS / path
    if not file.is_file():
        raise PluginError(f"{target!r}: no file snippets/{path}")
    if section and section not in sections(file):
        raise PluginError(
            f"{target!r}: snippets/{path} has no section {section!r} "
            f"(it has {', '.join(sections(file)) or 'none'})"
        )
    return path, section or None


_included: set[tuple[str, str]] = set()


def on_pre_build(config):
    _included.clear()


def on_page_markdown(markdown, page, config, files):
    source = f"docs/{page.file.src_uri}"
    try:
        for number, target in includes(markdown):
            try:
                path, section = resolve(target)
            except PluginError as error:
                raise PluginError(f"{source}:{number}: {error}") from None
            if section is None:
                _included.update((p, s) for p, s in all_sections() if p == path)
            else:
                _included.add((path, section))
    except PluginError as error:
        if str(error).startswith(source):
            raise
        raise PluginError(f"{source}: {error}") from None
    return markdown


def on_post_build(config):
    orphans = sorted(all_sections() - _included)
    if orphans:
        listed = "\n".join(f"  snippets/{p}: section {s!r}" for p, s in orphans)
        raise PluginError(
            "snippet sections that no page includes (include each on its page with "
            f'--8<-- "path:section", or delete it):\n{listed}'
        )
