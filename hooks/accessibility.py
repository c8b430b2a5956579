"""Accessibility fixes to the theme's HTML that configuration cannot make.

1. Material's search dialog (`<div class="md-search" role="dialog">`) has no accessible name;
   Lighthouse's aria-dialog-name audit fails on every page without one.
2. Material names each section's `<nav>` by the toggle beside the section's link
   (`aria-labelledby="__nav_2_label"`). For a section with an index page (navigation.indexes)
   that toggle is an icon with no text, so the nav has no name, and two such sections are two
   landmarks nobody can tell apart (axe: landmark-unique, on every page). The nav's own title
   (`<label class="md-nav__title" for="__nav_2">`) holds the section's name: label it by that.
"""

from __future__ import annotations

import re

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAV_TITLE = re.compile(r'<label class="md-nav__title" for="(__nav_\d+(?:_\d+)*)">')
NAV_LABELLED_BY = re.compile(r'(<nav class="md-nav" data-md-level="\d+" aria-labelledby=")(__nav_\d+(?:_\d+)*)_label"')


def name_section_navs(output: str) -> str:
    titled = set(NAV_TITLE.findall(output))
    output = NAV_TITLE.sub(lambda m: f'{m[0][:-1]} id="{m[1]}_title">', output)
    return NAV_LABELLED_BY.sub(lambda m: f'{m[1]}{m[2]}_title"' if m[2] in titled else m[0], output)


def fix(output: str) -> str:
    output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search this site">', 1)
    return name_section_navs(output)


def on_post_page(output, page, config):
    return fix(output)


def on_post_template(output_content, template_name, config):
    """Material's 404 page is a template, not a page: on_post_page never sees it."""
    return fix(output_content) if template_name == "404.html" else output_content
