"""Accessibility fixes to the theme's HTML that configuration cannot make.

Material's search dialog (`<div class="md-search" role="dialog">`) has no accessible name;
Lighthouse's aria-dialog-name audit fails on every page without one.
"""

from __future__ import annotations

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output, page, config):
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search this site">', 1)
