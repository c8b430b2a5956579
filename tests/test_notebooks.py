"""Exploration notebooks (verified_docs.notebooks, docs/notebooks/*.py): executed, rendered,
downloadable, runnable outside this repository, and failing loudly."""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from tests.site_html import visible_text
from verified_docs import css
from verified_docs.errors import EngineError
from verified_docs.notebooks import Notebooks, notebook_html
from verified_docs.project import Project

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.stem for p in (ROOT / "docs" / "notebooks").glob("*.py"))
ALLOWED_IMPORTS = {"numpy", "sympy", "matplotlib", "math", "random", "itertools", "functools"}


def test_three_notebooks():
    assert NOTEBOOKS == ["backprop", "linear-algebra", "optimization"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_shows_outputs_and_a_working_download_link(name, built_site):
    page = (built_site / "notebooks" / name / "index.html").read_text(encoding="utf-8")
    assert page.count('class="jp-OutputArea-child') >= 2, "no outputs rendered"
    # Plots are files beside the page (verified_docs.notebooks.notebook_html), none left inline.
    plots = re.findall(r'<img [^>]*src="(plot-[0-9a-f]{16}\.png)"', page)
    assert plots, "no plot rendered"
    assert all((built_site / "notebooks" / name / plot).read_bytes().startswith(b"\x89PNG") for plot in plots)
    assert "data:image/png" not in page
    assert f'href="../../downloads/{name}.ipynb"' in page
    assert (built_site / "downloads" / f"{name}.ipynb").is_file()
    assert "Outputs computed" in page


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_has_no_mathjax_and_rendered_math(name, built_site):
    page = (built_site / "notebooks" / name / "index.html").read_text(encoding="utf-8")
    for needle in ("cdnjs", "x-mathjax-config", '<script src="">', "MathJax.Hub", "tex-mml"):
        assert needle not in page, needle
    assert 'class="math-inline"' in page
    cells = re.findall(r'<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>(.*?)</div>', page, re.S)
    assert cells
    for cell in cells:
        assert "$" not in visible_text(cell), f"raw $…$ left in a markdown cell: {visible_text(cell)[:200]}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_downloaded_notebook_needs_only_numpy_sympy_matplotlib(name, built_site):
    notebook = json.loads((built_site / "downloads" / f"{name}.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert "--8<--" not in source, "an include was not expanded"
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                assert {n.split(".")[0] for n in names} <= ALLOWED_IMPORTS, names


def test_downloaded_notebook_runs_outside_the_repository(built_site, tmp_path):
    """The smallest download, run by a fresh kernel in an empty folder (no PYTHONPATH)."""
    import nbformat
    from nbclient import NotebookClient

    download = min((built_site / "downloads").glob("*.ipynb"), key=lambda p: p.stat().st_size)
    notebook = nbformat.read(download, as_version=4)
    for cell in notebook.cells:
        cell.outputs = [] if cell.cell_type == "code" else None
        if cell.cell_type != "code":
            del cell["outputs"]
    env_before = os.environ.pop("PYTHONPATH", None)
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        if env_before is not None:
            os.environ["PYTHONPATH"] = env_before
    assert any(c.get("outputs") for c in notebook.cells if c.cell_type == "code")


def notebook_source(body: str) -> str:
    return ("# %% [markdown]\n# # Bad\n\n# %%\nx = 1\n\n# %%\n" + body + "\n")


def test_a_raising_cell_fails_naming_notebook_and_cell(mini_project):
    """The pre-build step in process: the engine's error names the notebook and the cell."""
    mini_project.write("docs/notebooks/bad.py", notebook_source("raise ValueError('boom')"))
    with pytest.raises(EngineError, match=r"^docs/notebooks/bad\.py: cell 3 raised ValueError: boom$"):
        Notebooks(Project.at(mini_project.root)).build()


def test_a_raising_cell_fails_the_build(mini_project):
    """... and through MkDocs, so `make build` and the suite's build fixture fail the same way."""
    mini_project.write("docs/notebooks/bad.py", notebook_source("1 / 0"))
    result = mini_project.build()
    assert result.returncode != 0 and "docs/notebooks/bad.py: cell 3 raised ZeroDivisionError" in result.stdout + result.stderr


def test_a_statement_its_output_contradicts_fails_the_build(mini_project):
    """Text states a fact, the cell after it asserts it: when the output disagrees, no site."""
    mini_project.write("docs/notebooks/bad.py", notebook_source(
        "# %% [markdown]\n# Doubling x gives 3.\n\n# %%\nassert 2 * x == 3, f'doubling gives {2 * x}'"))
    with pytest.raises(EngineError, match=r"^docs/notebooks/bad\.py: cell 5 raised AssertionError: doubling gives 2$"):
        Notebooks(Project.at(mini_project.root)).build()


def test_a_statement_without_an_asserting_cell_fails_the_build(mini_project):
    mini_project.write("docs/notebooks/bad.py", notebook_source(
        "# %% [markdown]\n# Doubling x gives 2.\n\n# %%\nprint(2 * x)"))
    with pytest.raises(EngineError) as error:
        Notebooks(Project.at(mini_project.root)).build()
    assert str(error.value) == ("docs/notebooks/bad.py, cell 4 ('Doubling x gives 2.'): a text cell must be followed "
                                "by a code cell whose `assert` checks what the text states")


@pytest.mark.parametrize("body", ["import warnings\nwarnings.warn('careful')", "import numpy as np\nnp.exp(1000.0)"])
def test_a_warning_in_an_output_fails_the_build(mini_project, body):
    """A warning (here a UserWarning, and numpy's overflow RuntimeWarning) would be published as is."""
    mini_project.write("docs/notebooks/bad.py", notebook_source(body))
    with pytest.raises(EngineError, match=r"^docs/notebooks/bad\.py: cell 3 published stderr output: .*Warning"):
        Notebooks(Project.at(mini_project.root)).build()


def test_a_warning_in_cached_outputs_fails_the_build_too(mini_project):
    """The check runs on outputs read back from the cache as well (cell numbers as in the source,
    not counting the download note the build inserts as cell 2)."""
    import nbformat

    notebooks = Notebooks(Project.at(mini_project.root))
    mini_project.write("docs/notebooks/ok.py", notebook_source("y = 2"))
    notebooks.build()
    [cached] = notebooks.cache.glob("ok-*.ipynb")
    executed = nbformat.read(cached, as_version=4)
    executed.cells[3].outputs = [nbformat.v4.new_output("stream", name="stderr", text="careful\n")]
    nbformat.write(executed, cached)
    with pytest.raises(EngineError, match=r"^docs/notebooks/ok\.py: cell 3 published stderr output: 'careful'$"):
        notebooks.build()


def test_outputs_follow_the_snippets(mini_project):
    """An edit to an included snippet section changes the cache key: no stale outputs."""
    notebooks = Notebooks(Project.at(mini_project.root))
    source = mini_project.root / "docs" / "notebooks" / "demo.py"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text('# %%\n# --8<-- "demo/page.py:square"\n', encoding="utf-8")
    first = notebooks.fingerprint(notebooks.expand(source))
    mini_project.edit("snippets/demo/page.py", "return x * x", "return x ** 2")
    assert notebooks.fingerprint(notebooks.expand(source)) != first
    assert "x ** 2" in notebooks.expand(source).cells[0].source


def test_an_include_of_a_missing_section_names_the_cell(mini_project):
    source = mini_project.root / "docs" / "notebooks" / "demo.py"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text('# %%\nx = 1\n\n# %%\n# --8<-- "demo/page.py:cube"\n', encoding="utf-8")
    with pytest.raises(EngineError, match=r"docs/notebooks/demo\.py, cell 2: snippets/demo/page\.py has no section 'cube'"):
        Notebooks(Project.at(mini_project.root)).expand(source)


def png(width: int, height: int) -> bytes:
    """The first bytes of a PNG as far as notebook_html reads them: signature and IHDR size."""
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x06"


def test_plots_leave_the_html_sized_and_lazy_whatever_the_attributes():
    """src first or last, base64 broken across lines, a size the notebook gave: each plot becomes a
    file named by its content, and its tag keeps its own attributes and size."""
    first, second = png(553, 395), png(600, 400)
    wrapped = base64.b64encode(second).decode()
    html = (f'<img alt="A" src="data:image/png;base64,{base64.b64encode(first).decode()}" class="c">'
            f'<img src="data:image/png;base64,{wrapped[:10]}\n{wrapped[10:]}" width="300" alt="B">')
    out, plots = notebook_html(html)
    names = [f"plot-{hashlib.sha256(c).hexdigest()[:16]}.png" for c in (first, second)]
    assert plots == dict(zip(names, (first, second)))
    assert out == (f'<img width="553" height="395" loading="lazy" decoding="async" alt="A" src="{names[0]}" class="c">'
                   f'<img loading="lazy" decoding="async" src="{names[1]}" width="300" alt="B">')


def test_a_plot_that_is_not_a_png_fails_the_build():
    with pytest.raises(EngineError, match="not a PNG"):
        notebook_html(f'<img src="data:image/png;base64,{base64.b64encode(b"GIF89a" + bytes(20)).decode()}">')


def test_css_pruning_keeps_what_the_page_uses_and_drops_the_rest():
    sheet = (":root{--used:1px;--chain:var(--used);--unused:2px}"
             ".a .b{margin:var(--chain)} .zz{color:red} .a:not(.never){padding:0}"
             "@media (max-width:10px){.zz{color:blue}.a{color:green}} pre{tab-size:4}")
    pruned = css.drop_unused_properties(css.prune_rules(sheet, {"a", "b"}))
    assert ".a .b{margin:var(--chain)}" in pruned and ".a:not(.never){padding:0}" in pruned
    assert "@media (max-width:10px){.a{color:green}}" in pruned and "pre{tab-size:4}" in pruned
    assert ".zz" not in pruned and "--unused" not in pruned
    assert "--used:1px" in pruned and "--chain:var(--used)" in pruned


def test_css_pruning_drops_a_data_url_property_whole():
    """JupyterLab's icons are custom properties holding url(data:…;base64,…): the ';' inside the
    url() is not the end of the declaration (cut there, 'base64,…);' junk was left in the rule)."""
    sheet = ".a{--icon:url(data:image/svg+xml;base64,PHN2Zz4=);--shade:rgba( var(--x), .2 );color:red}"
    assert css.drop_unused_properties(sheet) == ".a{color:red}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_pages_carry_a_fraction_of_jupyterlab_css(name, built_site):
    page = (built_site / "notebooks" / name / "index.html").read_text(encoding="utf-8")
    styles = sum(len(s) for s in re.findall(r"<style[^>]*>(.*?)</style>", page, re.S))
    assert styles < 250_000, f"{styles} bytes of inline CSS"  # about 590 KB before pruning
