"""Reading mkdocs.yml without MkDocs: the extension's options and the nav's titles.

For generators that read mkdocs.yml themselves (Zensical) and the command line; MkDocs' own
tags (`!ENV`, `!relative`, python/name) are read as their default value or left out.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .errors import EngineError

EXTENSION = "verified_docs.extension"


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads `!ENV [NAME, default]` as the default and any other tag as None."""


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    names = loader.construct_sequence(node)
    for name in names[:-1]:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return names[-1] if len(names) > 1 else None


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}


def extension_options(config: dict) -> dict:
    """The options given to the Markdown extension in `markdown_extensions`."""
    for entry in config.get("markdown_extensions") or []:
        if entry == EXTENSION:
            return {}
        if isinstance(entry, dict) and EXTENSION in entry:
            return dict(entry[EXTENSION] or {})
    raise EngineError(f"{EXTENSION} is not in markdown_extensions")


def nav_titles(nav: list) -> dict[str, str]:
    """page -> title, from a nav of `- Title: page.md` entries (sections nest)."""
    titles: dict[str, str] = {}
    for entry in nav:
        if isinstance(entry, dict):
            for title, target in entry.items():
                if isinstance(target, list):
                    titles |= nav_titles(target)
                elif isinstance(target, str):
                    titles[target] = title
    return titles
