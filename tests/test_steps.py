"""The engine's steps before and after a build, in process and without a generator: the
ledger and its gate, files for generators without the plugin, finished pages, the command line."""

from __future__ import annotations

import json
import re

import markdown
import pytest

from tests.engine_site import PACKAGE
from verified_docs.__main__ import main
from verified_docs.errors import EngineError
from verified_docs.figures import Figures
from verified_docs.fonts import FontPreloads
from verified_docs.index import body
from verified_docs.ledger import ledger_markdown
from verified_docs.mkdocs_config import extension_options, nav_titles, read_config
from verified_docs.steps import postbuild_site, prebuild, write_prebuilt

PASSED = [{"kind": kind, "test": f"tests/test_page.py::test_{kind}", "outcome": "passed"} for kind in ("symbolic", "numeric")]


def record(site, records, commit="unknown"):
    """A results file as the pytest plugin writes it (a temporary project is no git repository:
    its commit reads as "unknown")."""
    (site.root / ".claims-results.json").write_text(json.dumps(
        {"commit": commit, "dirty": False, "date": "2026-11-27 10:00 UTC", "claims": {"demo.square": records}}))


def test_ledger_without_a_test_run_shows_every_claim_not_run(site):
    site.claim_square(r"2^2 = 4 \label{sq} \claim{demo.square}")
    ledger = ledger_markdown(site.engine())
    assert ledger.startswith("---\ndescription: ") and "no recorded test run" in ledger
    assert "| `demo.square`<br>[Page, eq. (1)](demo/page.md#eq-sq) | Two squared is four |" in ledger
    assert "— symbolic: not run<br>— numeric: not run<br>— displayed: not run | **not run** |" in ledger
    assert ledger.rstrip().endswith("1 claims: 0 passed, 0 failed, 1 not run.")


def test_ledger_with_every_check_passed(site):
    site.claim_square()
    record(site, PASSED + [{"kind": "displayed", "test": "x.py::test_displayed_form_is_the_verified_form[demo.square]",
                            "outcome": "passed"}])
    engine = site.engine()
    engine.titles = {"demo/page.md": "The page (1.1)"}  # the nav's title wins over the H1
    ledger = ledger_markdown(engine, require_passed=True)
    assert "[The page (1.1)](demo/page.md#claim-demo.square)" in ledger
    assert "✓ symbolic: `test_symbolic`<br>✓ numeric: `test_numeric`<br>✓ displayed: `test_displayed_form_is_the_verified_form`" in ledger
    assert "1 claims: 1 passed, 0 failed, 0 not run." in ledger


def test_a_bar_in_a_statement_stays_in_its_cell(site):
    """|z| in a claim's statement must not end the Markdown cell: the checks and the status would
    move out of their columns (and the status out of the table)."""
    site.claim_square()
    site.edit(f"{PACKAGE}/demo/page.py", "'Two squared is four'", "'|-2|^2 = 4'")
    record(site, PASSED)
    html = markdown.markdown(body(ledger_markdown(site.engine())), extensions=["tables"])
    row = re.search(r"<tr>\s*<td><code>demo.square</code>.*?</tr>", html, re.S)[0]
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert len(cells) == 4 and cells[1] == "|-2|^2 = 4" and cells[3] == "<strong>passed</strong>", cells


@pytest.mark.parametrize(("records", "commit", "message"), [
    ([], "unknown", "0 claims failed and 1 were not run"),
    (PASSED[:1] + [{**PASSED[1], "outcome": "failed"}], "unknown", "1 claims failed and 0 were not run"),
    (PASSED, "0123abc", "0 claims failed and 1 were not run"),  # results of another commit count for nothing
])
def test_the_publishing_gate(site, records, commit, message):
    site.claim_square()
    record(site, records, commit)
    with pytest.raises(EngineError, match=message):
        ledger_markdown(site.engine(), require_passed=True)
    assert "**The test results are from another commit" in ledger_markdown(site.engine()) or commit == "unknown"


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
    assert '<img width="400" height="200" alt="A" src="figure.svg">' in (tmp_path / "built" / "figure.html").read_text()


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
    assert "[The page (1.1)](demo/page.md#claim-demo.square)" in (site.root / "docs" / "ledger.md").read_text()
    assert (site.root / "docs" / "assets" / "katex" / "katex.min.css").is_file()
    # Run again over its own output (docs/ledger.md now exists): still fine.
    assert main(["--config", str(site.root / "mkdocs.yml"), "prebuild", "--no-notebooks"]) == 0
    site.edit("docs/demo/page.md", r"\claim{demo.square}", "")
    assert main(["--config", str(site.root / "mkdocs.yml"), "prebuild", "--no-notebooks"]) == 1
    assert "without \\claim{id}, \\given or \\quoted" in capsys.readouterr().err
