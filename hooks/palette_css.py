"""Stop Material's palette stylesheet from restyling the whole page while it loads.

Material's palette.css suppresses colour transitions during a palette switch with

    [data-md-color-switching] *, … :after, … :before {transition-duration: 0s !important}

and Material's script sets that attribute on <body> whenever it applies the palette: on every
page load, not only on a switch. A rule ending in `*` makes Chromium restyle every element of
the page when the attribute comes and again when it goes, inside the script's start-up task.
On a formula page (~4,600 elements of KaTeX HTML) that is two full style recalculations;
without the rule, the main thread after first paint did 24-32 % less blocking work (adam,
errata, newton; 4x-throttled Chromium traces, medians of 5: tests/bench.py measures the rest).

This hook deletes the rule from the built palette stylesheet. The cost: when a reader toggles
the palette, colours fade over Material's 125 ms instead of switching at once. If Material
changes the rule, the build fails here, so the edit is never silently lost or misapplied.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

SWITCHING = re.compile(
    r"\[data-md-color-switching\] \*,\[data-md-color-switching\] :after,"
    r"\[data-md-color-switching\] :before\{transition-duration:0s!important\}")


def strip_switching_rule(theme_dirs: list[str], site_dir: Path) -> Path:
    """Write the theme's palette stylesheet, minus the rule, over the copy in site_dir."""
    sources = sorted({p.name: p for d in reversed(theme_dirs)
                      for p in (Path(d) / "assets" / "stylesheets").glob("palette.*.min.css")}.values())
    if len(sources) != 1:
        raise PluginError(f"hooks/palette_css.py: expected one Material palette stylesheet, found {sources}")
    stripped, count = SWITCHING.subn("", sources[0].read_text(encoding="utf-8"))
    if count != 1:
        raise PluginError(f"hooks/palette_css.py: Material's palette stylesheet {sources[0].name} no longer "
                          "has the [data-md-color-switching] rule this hook removes: review the hook")
    built = site_dir / "assets" / "stylesheets" / sources[0].name
    built.write_text(stripped, encoding="utf-8")
    return built


def on_post_build(config):
    # From the theme's own file, not the built copy: a rebuild under `mkdocs serve` may not copy
    # static files again, and the edit must apply exactly once either way.
    strip_switching_rule(config["theme"].dirs, Path(config["site_dir"]))
