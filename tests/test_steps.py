"""The engine's steps before and after a build, in process and without a generator: files for
generators without the plugin, finished pages, the command line (the ledger: tests/test_ledger.py)."""

from __future__ import annotations

from tests.engine_site import PACKAGE
from verified_docs.__main__ import main
from verified_docs.figures import Figures
from verified_docs.fonts import FontPreloads
from verified_docs.mkdocs_config import extension_options, nav_titles, read_config
from verified_docs.steps import postbuild_site, prebuild, write_prebuilt


def test_prebuild_writes_what_a_generator_without_the_plugin_needs(site):
    site.claim_square()
    prebuilt = prebuild(site.engine(), Figures(site.project), notebooks=False)
    written = {p.relative_to(site.root / "docs").as_posix() for p in write_prebuilt(prebuilt, site.root / "docs")}
    assert {"ledger.md", "assets/katex/katex.min.css", "assets/katex/fonts/KaTeX_Main-Regular.woff2"} <= written
    assert "demo.square" in (site.root / "docs" / "ledger.md").read_text(encoding="utf-8")


def test_postbuild_finishes_every_page_of_a_built_site(tmp_path, katex, site):
    [formula] = katex.render([{"tex": "x", "display": False}])
    page = tmp_path / "built" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<head><link rel="stylesheet" href="../assets/katex/katex.min.css"></head><p>{formula["html"]}</p>')
    (tmp_path / "built" / "plain.html").write_text("<head></head><p>no maths</p>")
    (tmp_path / "built" / "figure.svg").write_text('<?xml version="1.0"?>\n<svg width="300pt" height="150pt">')
    (tmp_path / "built" / "figure.html").write_text('<head></head><p><img alt="A" src="figure.svg"></p>')
    assert postbuild_site(tmp_path / "built", FontPreloads(site.project.katex_dist / "katex.min.css")) == 2
    assert '<link rel="preload" href="../assets/katex/fonts/KaTeX_Math-Italic.woff2"' in page.read_text()
    figure = (tmp_path / "built" / "figure.html").read_text()
    assert '<img width="400" height="200" loading="lazy" decoding="async" alt="A" src="figure.svg">' in figure


CONFIG = f"""site_name: Demo
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
markdown_extensions:
  - toc
  - verified_docs.extension:
      snippets_dir: {PACKAGE}
plugins:
  - search
nav:
  - Home: index.md
  - Part:
      - The page (1.1): demo/page.md
  - Ledger: ledger.md
"""


def test_mkdocs_yml_is_read_without_mkdocs(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(CONFIG + "hooks:\n  - !relative hooks.py\n")
    config = read_config(tmp_path / "mkdocs.yml")
    assert config["site_url"] == "http://127.0.0.1:8000/" and extension_options(config) == {"snippets_dir": PACKAGE}
    assert nav_titles(config["nav"]) == {"index.md": "Home", "demo/page.md": "The page (1.1)", "ledger.md": "Ledger"}


def test_command_line_prebuild_for_zensical(site, capsys):
    site.claim_square()
    (site.root / "mkdocs.yml").write_text(CONFIG)
    assert main(["--config", str(site.root / "mkdocs.yml"), "prebuild", "--no-notebooks"]) == 0
    ledger = (site.root / "docs" / "ledger.md").read_text()
    assert "## [The page (1.1)](demo/page.md)" in ledger and '<a href="../demo/page/#claim-demo.square"' in ledger
    assert (site.root / "docs" / "assets" / "katex" / "katex.min.css").is_file()
    # Run again over its own output (docs/ledger.md now exists): still fine.
    assert main(["--config", str(site.root / "mkdocs.yml"), "prebuild", "--no-notebooks"]) == 0
    site.edit("docs/demo/page.md", r"\claim{demo.square}", "")
    assert main(["--config", str(site.root / "mkdocs.yml"), "prebuild", "--no-notebooks"]) == 1
    assert "without \\claim{id}, \\given or \\quoted" in capsys.readouterr().err
