"""Exploration notebooks: expand snippet includes, execute, and hand the result to mkdocs-jupyter.

Sources are jupytext percent-format files, docs/notebooks/<name>.py (excluded from the site
as such). A code cell may consist of include lines, `# --8<-- "chapter/topic.py:section"`,
which are replaced by that snippet section's code, so a downloaded notebook needs no clone
of this repository, only numpy, sympy and matplotlib.

Before MkDocs collects files (on_pre_build) each notebook is expanded, executed with nbclient
and written to docs/notebooks/<name>.ipynb (rendered by mkdocs-jupyter, execute: false) and
docs/downloads/<name>.ipynb (the download). Both are build output, ignored by git. The
executed notebook is cached under .cache/notebooks/ by a hash of its expanded code, so a
second build executes nothing, and an edit to an included snippet changes the hash: outputs
are never stale in `make build` or CI. Under `mkdocs serve` a changed notebook reuses its last
outputs and says when they were computed, so page rebuilds stay fast.

Notebooks are verified like pages. Every text cell after the first (the title) is followed
by a code cell with an `assert` that checks what the text states, so a statement the outputs
contradict fails the build with the cell named. A cell that raises fails the build, and so does
one whose published output holds stderr text (a warning, a progress bar) or a traceback: those
would reach readers, with the build machine's paths in them.
"""

from __future__ import annotations

import ast
import base64
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

from _project import ROOT, SNIPPETS, read_sections

SOURCES = ROOT / "docs" / "notebooks"
RENDERED = ROOT / "docs" / "notebooks"
DOWNLOADS = ROOT / "docs" / "downloads"
CACHE = ROOT / ".cache" / "notebooks"
INCLUDE = re.compile(r'^#\s*--8<--\s+"(?P<path>[^":]+):(?P<section>[\w-]+)"\s*$')
# What mkdocs-jupyter 0.26 emits for MathJax and Mermaid: scripts (one from a CDN), their
# config, and comments. Maths is KaTeX at build time here, and the notebooks draw no diagrams.
# Applied to the notebook's own HTML only (on_page_content), never to the whole page: a pattern
# for "an empty script" also matches the theme's `<script src="…bundle….js"></script>`.
NOTEBOOK_SCRIPTS = re.compile(
    r'<script(?![^>]*\bsrc="[^"])[^>]*>\s*</script>'
    r'|<script[^>]*(?:mathjax|MathJax)[^>]*>.*?</script>'
    r'|<script type="module">(?:(?!</script>).)*?mermaid.*?</script>'
    r'|<!-- (?:(?:Load|End of) mathjax[^>]*|MathJax configuration )-->', re.S)

_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def section_code(path: str, section: str, where: str) -> str:
    file = SNIPPETS / path
    if not file.is_file():
        raise PluginError(f"{where}: no file snippets/{path}")
    try:
        found = read_sections(file)
    except ValueError as error:
        raise PluginError(f"{where}: {error}") from None
    if section not in found:
        raise PluginError(f"{where}: snippets/{path} has no section {section!r}")
    return found[section]


def expand(source: Path):
    """The notebook with include cells replaced by snippet code (jupytext reads the .py)."""
    import jupytext

    notebook = jupytext.read(source)
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        if lines and all(INCLUDE.match(line) for line in lines):
            where = f"docs/notebooks/{source.name}, cell {number}"
            cell.source = "\n".join(section_code(m["path"], m["section"], where)
                                    for m in map(INCLUDE.match, lines)).rstrip()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata.pop("jupytext", None)
    return notebook


def asserts(code: str) -> bool:
    try:
        return any(isinstance(node, ast.Assert) for node in ast.walk(ast.parse(code)))
    except SyntaxError:
        return False


def check_statements_are_asserted(notebook, source: Path) -> None:
    """Each text cell after the title must be followed by a code cell that asserts it."""
    cells = notebook.cells
    for number, cell in enumerate(cells, 1):
        if cell.cell_type != "markdown" or number == 1:
            continue
        following = cells[number] if number < len(cells) else None
        if following is None or following.cell_type != "code" or not asserts(following.source):
            first = cell.source.strip().splitlines()[0][:80] if cell.source.strip() else ""
            raise PluginError(
                f"docs/notebooks/{source.name}, cell {number} ({first!r}): a text cell must be followed "
                "by a code cell whose `assert` checks what the text states")


def check_outputs(notebook, source: Path, inserted: int = 0) -> None:
    """No published output may hold stderr text (warnings) or a traceback.

    inserted: cells added after execution before cell 2 (the download note), not in the source.
    """
    for number, cell in enumerate(notebook.cells, 1):
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error" or (kind == "stream" and output.get("name") == "stderr"):
                text = re.sub(r"\x1b\[[0-9;]*m", "", "".join(output.get("text", "")) or output.get("ename", ""))
                where = number - inserted if number > 1 else number
                raise PluginError(
                    f"docs/notebooks/{source.name}: cell {where} published "
                    f"{'a traceback' if kind == 'error' else 'stderr output'}: {text.strip()[:200]!r}")


def fingerprint(notebook) -> str:
    cells = [(c.cell_type, c.source) for c in notebook.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()[:16]


def execute(notebook, source: Path):
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    # IPC sockets (not TCP) between client and kernel: local only, and no "unencrypted TCP" warning.
    # In a fresh short folder of their own: a Unix socket path holds at most 107 bytes (a project
    # under pytest's tmp_path exceeds that), and jupyter_client numbers sockets by probing which
    # names exist, which races when two builds start kernels at once.
    sockets = Path(tempfile.mkdtemp(prefix="nbk-"))
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "k"))
    client = NotebookClient(notebook, km=manager, timeout=300, resources={"metadata": {"path": str(CACHE)}})
    try:
        client.execute()
    except CellExecutionError as error:
        failing = next((n for n, c in enumerate(notebook.cells, 1) if c.cell_type == "code"
                        and any(o.get("output_type") == "error" for o in c.get("outputs", []))), "?")
        summary = re.sub(r"\x1b\[[0-9;]*m", "", str(error).strip().splitlines()[-1])  # no terminal colours
        raise PluginError(f"docs/notebooks/{source.name}: cell {failing} raised {summary}") from None
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=False)
        manager.cleanup_resources()
        shutil.rmtree(sockets, ignore_errors=True)
    return notebook


def write_atomically(path: Path, text: str) -> None:
    """Readers (a concurrent build, the dev server) see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def stamp(notebook, source: Path, note: str) -> None:
    import nbformat

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    notebook.cells.insert(1, nbformat.v4.new_markdown_cell(
        f"[Download this notebook](../../downloads/{source.stem}.ipynb) (`.ipynb`; it needs only numpy, "
        f"sympy and matplotlib). Outputs computed {when} from commit `{commit}`{note}."))


def build_one(source: Path) -> None:
    import nbformat

    notebook = expand(source)
    check_statements_are_asserted(notebook, source)
    key = fingerprint(notebook)
    cached = CACHE / f"{source.stem}-{key}.ipynb"
    latest = CACHE / f"{source.stem}.latest"
    if not cached.is_file():
        previous = CACHE / f"{source.stem}-{latest.read_text().strip()}.ipynb" if latest.is_file() else None
        if _serving and previous is not None and previous.is_file():
            executed = nbformat.read(previous, as_version=4)
            executed.cells[1].source += " **The code has changed since: run `make build` to recompute.**"
        else:
            CACHE.mkdir(parents=True, exist_ok=True)
            executed = execute(notebook, source)
            check_outputs(executed, source)
            stamp(executed, source, "")
            write_atomically(cached, nbformat.writes(executed))
            write_atomically(latest, key)
    else:
        executed = nbformat.read(cached, as_version=4)
    check_outputs(executed, source, inserted=1)
    text = nbformat.writes(executed)
    for target in (RENDERED / f"{source.stem}.ipynb", DOWNLOADS / f"{source.stem}.ipynb"):
        if not target.is_file() or target.read_text(encoding="utf-8") != text:  # no rewrite: serve would loop
            write_atomically(target, text)


def on_pre_build(config):
    for source in sorted(SOURCES.glob("*.py")):
        build_one(source)


INLINE_PNG = re.compile(r'<img(?![^>]*\bwidth=)([^>]*\bsrc="data:image/png;base64,([A-Za-z0-9+/]{32}))')


def png_size(match: re.Match) -> str:
    """Plots come inline as PNG: give each <img> the size in its header (bytes 16-24 of the
    IHDR chunk), so the browser reserves the space before decoding it (no layout shift)."""
    head = base64.b64decode(match[2])
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    return f'<img width="{width}" height="{height}"{match[1]}'


def on_page_content(html, page, config, files):
    """mkdocs-jupyter still emits MathJax (a CDN script and its config): maths is KaTeX here."""
    if page.file.src_uri.endswith(".ipynb"):
        html = NOTEBOOK_SCRIPTS.sub("", html)
        html = INLINE_PNG.sub(png_size, html)
    return html
