"""Generate each page's figures from its snippet module during the build, as SVG.

A snippet module may define FIGURES = {"name.svg": make_figure}, where make_figure returns a
matplotlib Figure. The SVG is added beside the page (docs/a/b.md -> a/name.svg), so the page
links it as `![alt](name.svg)` and link validation sees it. No image is ever committed, so a
figure always matches the code that drew it.
"""

from __future__ import annotations

import io
import posixpath

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "verified-dl-math"  # stable ids: identical code, identical SVG

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from _project import fresh_snippets, snippet_module  # noqa: E402


def svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def on_config(config):
    fresh_snippets()
    return config


def on_files(files, config):
    for page in list(files.documentation_pages()):
        module = snippet_module(page.src_uri)
        for name, make in getattr(module, "FIGURES", {}).items():
            uri = posixpath.join(posixpath.dirname(page.src_uri), name)
            try:
                content = svg(make())
            except Exception as error:  # a figure that cannot be drawn fails the build, named
                raise PluginError(f"{module.__name__}.FIGURES[{name!r}] failed: {error!r}") from error
            files.append(File.generated(config, uri, content=content))
    return files
