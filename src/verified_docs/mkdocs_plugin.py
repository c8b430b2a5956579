"""The MkDocs plugin (entry point `mkdocs.plugins`: `verified-docs`): calls the engine's steps.

    plugins:
      - search
      - verified-docs:
          require_passed: !ENV [CLAIMS_REQUIRE_PASSED, false]   # publishing: every claim passed
          repo_url: https://github.com/owner/name   # the ledger links checks there (default: repo_url)

The math output is the extension's `math_output` option (for a MathML output the plugin serves
its stylesheet in place of KaTeX's, named in extra_css). It owns one build's `Engine` (shared
with the Markdown extension through the extension's `engine` option) and everything that
must live across rebuilds under `mkdocs serve` (drawn figures, font lookups): state on the
instance, which MkDocs keeps for the whole serve session because the plugin defines `on_startup`. ProperDocs runs it unchanged.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from . import css, katex, mathfont
from .engine import Engine
from .figures import Figures, size_images
from .fonts import FontPreloads
from .index import body
from .ledger import FRONT_MATTER, LEDGER, ledger_markdown
from .notebooks import Notebooks, notebook_html
from .project import DEFAULTS, Project
from .steps import math_assets, postbuild_page

EXTENSION = "verified_docs.extension"


class Flag(c.Type):
    """A yes/no option that also takes 1 and 0: `!ENV [CLAIMS_REQUIRE_PASSED, false]` reads
    CLAIMS_REQUIRE_PASSED=1 as the integer 1."""

    def __init__(self, default: bool):
        super().__init__(bool, default=default)

    def run_validation(self, value):
        if value in (0, 1) and not isinstance(value, bool):
            value = bool(value)
        return super().run_validation(value)


class VerifiedDocsConfig(base.Config):
    require_passed = Flag(default=False)  # fail unless the last test run passed every claim
    notebooks = Flag(default=True)  # execute docs/notebooks/*.py (rendered by mkdocs-jupyter)
    # Material only: drop the palette stylesheet's [data-md-color-switching] rule (verified_docs/css.py)
    strip_palette_switching = Flag(default=False)
    # Where the ledger links each check's code (<repo_url>/blob/<commit>/<path>#L<a>-L<b>); default:
    # MkDocs' repo_url. Set here, it links the ledger without Material's header link to the
    # repository (whose script asks the host's API for the repository's stars: a third-party request).
    repo_url = c.Type(str, default="")


class VerifiedDocsPlugin(BasePlugin[VerifiedDocsConfig]):
    def __init__(self):
        self.serving = False
        self.engine: Engine | None = None
        self.figures: Figures | None = None  # kept across serve rebuilds: redraws only what changed
        self.fonts: FontPreloads | None = None  # likewise: remembers each formula's fonts
        self.sizes: dict[str, list[tuple[File, int, int]]] = {}  # page -> its figures and their sizes

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        if EXTENSION not in config.markdown_extensions:
            raise PluginError(f"verified-docs: list the Markdown extension {EXTENSION} in markdown_extensions")
        options = config.mdx_configs.setdefault(EXTENSION, {})
        project = Project.at(options.get("root", "."), **{k: options[k] for k in DEFAULTS if k in options})
        if self.figures is None or self.figures.project != project:
            self.figures, self.fonts = Figures(project), FontPreloads(project.katex_dist / "katex.min.css")
        self.engine = Engine(project, generated=(LEDGER,), fresh=True, math_output=katex.math_output(options.get("math_output")))
        options["engine"] = self.engine  # every page's extension shares this build's engine
        if self.engine.katex.output != "katex":  # MathML drawn by the browser: its stylesheet, not KaTeX's
            config.extra_css = [f"{mathfont.MATH_ASSETS}/{mathfont.STYLESHEET}" if str(sheet).endswith("katex/katex.min.css")
                                else sheet for sheet in config.extra_css]
        return config

    def on_pre_build(self, *, config):
        # Notebooks become files in docs/ here, before MkDocs collects files.
        if self.config.notebooks:
            Notebooks(self.engine.project, self.serving).build()

    def on_files(self, files, *, config):
        # The docs index reads and checks every page now, before any renders.
        self.sizes = {}
        for figure in self.figures.draw(list(self.engine.index.pages)):
            file = File.generated(config, figure.uri, content=figure.content)
            files.append(file)
            self.sizes.setdefault(figure.page, []).append((file, figure.width, figure.height))
        for uri, content in math_assets(self.engine):
            files.append(File.generated(config, uri, content=content))
        # The ledger's text needs the nav's titles: it is written in on_page_markdown.
        files.append(File.generated(config, LEDGER, content=FRONT_MATTER + "# Proof ledger\n"))
        return files

    def on_nav(self, nav, *, config, files):
        self.engine.titles = {page.file.src_uri: page.title for page in nav.pages}
        return nav

    # Late: other plugins' page events see the page as it was written; the engine then takes it.
    @event_priority(-50)
    def on_page_markdown(self, markdown, *, page, config, files):
        self.engine.current_page = page.file.src_uri  # the extension renders this page next
        if page.file.src_uri == LEDGER:
            urls = {file.src_uri: file.url for file in files.documentation_pages()}
            render = config.mdx_configs.get(EXTENSION, {}).get("render", True)
            return body(ledger_markdown(self.engine, self.config.require_passed,
                                        self.config.repo_url or config.repo_url or "", urls, render))
        return markdown

    @event_priority(-50)
    def on_page_content(self, html, *, page, config, files):
        if page.file.src_uri.endswith(".ipynb"):  # mkdocs-jupyter's HTML: no Markdown extension ran
            html, plots = notebook_html(html)
            folder = Path(config.site_dir) / posixpath.dirname(page.file.dest_uri)  # the page's own folder
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in plots.items():
                (folder / name).write_bytes(content)
            html = katex.render_notebook_math(html, self.engine.katex, self.engine.project.page(page.file.src_uri))
        sizes = {file.url_relative_to(page.file): (width, height) for file, width, height in self.sizes.get(page.file.src_uri, [])}
        return size_images(html, sizes)

    @event_priority(-50)
    def on_post_page(self, output, *, page, config):
        return postbuild_page(output, self.fonts, notebook=page.file.src_uri.endswith(".ipynb"), output=self.engine.katex.output)

    def on_post_build(self, *, config):
        if self.config.strip_palette_switching:
            # From the theme's own file, not the built copy: a rebuild under `mkdocs serve` may not
            # copy static files again, and the edit must apply exactly once either way.
            css.strip_switching_rule(config.theme.dirs, Path(config.site_dir))
        self.engine.close()
        if self.engine.katex.output != "katex":  # the math font, cut to what the built pages draw
            mathfont.write_fonts(Path(config.site_dir), self.engine.project)

    def on_build_error(self, *, error):
        if self.engine is not None:
            self.engine.close()
