"""Exploration notebooks: expand snippet includes, execute, and leave .ipynb files for the generator.

Sources are jupytext percent-format files, docs/notebooks/<name>.py (excluded from the site
as such). A code cell may consist of include lines, `# --8<-- "chapter/topic.py:section"`,
which are replaced by that snippet section's code, so a downloaded notebook needs no clone
of this repository, only numpy, sympy and matplotlib.

Before the generator collects files (a pre-build step) each notebook is expanded, executed with nbclient
and written to docs/notebooks/<name>.ipynb (rendered by mkdocs-jupyter, execute: false) and
docs/downloads/<name>.ipynb (the download). Both are build output, ignored by git. The
executed notebook is cached under .cache/notebooks/ by a hash of its expanded code, so a
second build executes nothing, and an edit to an included snippet changes the hash: outputs
are never stale in `make build` or CI. When serving, a changed notebook reuses its last
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
import tempfile
from pathlib import Path

from .contract import git
from .errors import EngineError
from .figures import prepare_img
from .project import Project, read_sections

INCLUDE = re.compile(r'^#\s*--8<--\s+"(?P<path>[^":]+):(?P<section>[\w-]+)"\s*$')
# What mkdocs-jupyter 0.26 emits for MathJax and Mermaid: scripts (one from a CDN, one with an
# empty src), their config, and comments. Maths is KaTeX at build time here, and the notebooks
# draw no diagrams. Applied to the notebook's own HTML only (never to the whole page): a pattern
# for "an empty script" also matches the theme's `<script src="…bundle….js"></script>`.
NOTEBOOK_SCRIPTS = re.compile(
    r'<script(?![^>]*\bsrc="[^"])[^>]*>\s*</script>'
    r'|<script[^>]*(?:mathjax|MathJax)[^>]*>.*?</script>'
    r'|<script type="module">(?:(?!</script>).)*?mermaid.*?</script>'
    r'|<!-- (?:(?:Load|End of) mathjax[^>]*|MathJax configuration )-->', re.S)
# A plot as mkdocs-jupyter writes it: an <img> with the PNG inline, base64 (any other attributes).
INLINE_PNG = re.compile(r'(<img\b[^>]*?\bsrc=)"data:image/png;base64,([A-Za-z0-9+/=\s]+)"([^>]*>)')
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def write_atomically(path: Path, text: str) -> None:
    """Readers (a concurrent build, the dev server) see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def asserts(code: str) -> bool:
    try:
        return any(isinstance(node, ast.Assert) for node in ast.walk(ast.parse(code)))
    except SyntaxError:
        return False


def check_statements_are_asserted(notebook, where: str) -> None:
    """Each text cell after the title must be followed by a code cell that asserts it."""
    cells = notebook.cells
    for number, cell in enumerate(cells, 1):
        if cell.cell_type != "markdown" or number == 1:
            continue
        following = cells[number] if number < len(cells) else None
        if following is None or following.cell_type != "code" or not asserts(following.source):
            first = cell.source.strip().splitlines()[0][:80] if cell.source.strip() else ""
            raise EngineError(
                f"{where}, cell {number} ({first!r}): a text cell must be followed "
                "by a code cell whose `assert` checks what the text states")


def check_outputs(notebook, where: str, inserted: int = 0) -> None:
    """No published output may hold stderr text (warnings) or a traceback.

    inserted: cells added after execution before cell 2 (the download note), not in the source.
    """
    for number, cell in enumerate(notebook.cells, 1):
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error" or (kind == "stream" and output.get("name") == "stderr"):
                text = re.sub(r"\x1b\[[0-9;]*m", "", "".join(output.get("text", "")) or output.get("ename", ""))
                cell_number = number - inserted if number > 1 else number
                raise EngineError(
                    f"{where}: cell {cell_number} published "
                    f"{'a traceback' if kind == 'error' else 'stderr output'}: {text.strip()[:200]!r}")


class Notebooks:
    """The notebooks of docs/notebooks/*.py: expanded, executed (cached) and written as .ipynb.

    serving: reuse the last outputs of a changed notebook (saying so) instead of executing it,
    so that rebuilds under a dev server stay fast.
    """

    def __init__(self, project: Project, serving: bool = False):
        self.project = project
        self.serving = serving
        self.sources = project.docs_dir / "notebooks"
        self.downloads = project.docs_dir / "downloads"
        self.cache = project.cache_dir / "notebooks"

    def where(self, source: Path) -> str:
        return self.project.shown(source)

    def section_code(self, path: str, section: str, where: str) -> str:
        file = self.project.snippets_dir / path
        snippets = self.project.shown(self.project.snippets_dir)
        if not file.is_file():
            raise EngineError(f"{where}: no file {snippets}/{path}")
        try:
            found = read_sections(file, self.project.shown(file))
        except EngineError as error:
            raise EngineError(f"{where}: {error}") from None
        if section not in found:
            raise EngineError(f"{where}: {snippets}/{path} has no section {section!r}")
        return found[section]

    def expand(self, source: Path):
        """The notebook with include cells replaced by snippet code (jupytext reads the .py)."""
        import jupytext

        notebook = jupytext.read(source)
        for number, cell in enumerate(notebook.cells, 1):
            if cell.cell_type != "code":
                continue
            lines = cell.source.splitlines()
            if lines and all(INCLUDE.match(line) for line in lines):
                where = f"{self.where(source)}, cell {number}"
                cell.source = "\n".join(self.section_code(m["path"], m["section"], where)
                                        for m in map(INCLUDE.match, lines)).rstrip()
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        notebook.metadata.pop("jupytext", None)
        return notebook

    @staticmethod
    def fingerprint(notebook) -> str:
        cells = [(c.cell_type, c.source) for c in notebook.cells]
        return hashlib.sha256(json.dumps(cells).encode()).hexdigest()[:16]

    def execute(self, notebook, source: Path):
        from jupyter_client.manager import KernelManager
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError

        # IPC sockets (not TCP) between client and kernel: local only, and no "unencrypted TCP" warning.
        # In a fresh short folder of their own: a Unix socket path holds at most 107 bytes (a project
        # under pytest's tmp_path exceeds that), and jupyter_client numbers sockets by probing which
        # names exist, which races when two builds start kernels at once.
        sockets = Path(tempfile.mkdtemp(prefix="nbk-"))
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "k"))
        client = NotebookClient(notebook, km=manager, timeout=300, resources={"metadata": {"path": str(self.cache)}})
        try:
            client.execute()
        except CellExecutionError as error:
            failing = next((n for n, c in enumerate(notebook.cells, 1) if c.cell_type == "code"
                            and any(o.get("output_type") == "error" for o in c.get("outputs", []))), "?")
            summary = re.sub(r"\x1b\[[0-9;]*m", "", str(error).strip().splitlines()[-1])  # no terminal colours
            raise EngineError(f"{self.where(source)}: cell {failing} raised {summary}") from None
        finally:
            if getattr(client, "kc", None) is not None:  # nbclient leaves the channels of a km it was given open
                client.kc.stop_channels()
            if manager.has_kernel:
                manager.shutdown_kernel(now=False)
            manager.cleanup_resources()
            shutil.rmtree(sockets, ignore_errors=True)
        return notebook

    def stamp(self, notebook, source: Path, note: str) -> None:
        import nbformat

        commit = git(self.project.root, "rev-parse", "--short", "HEAD") or "unknown"
        when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        notebook.cells.insert(1, nbformat.v4.new_markdown_cell(
            f"[Download this notebook](../../downloads/{source.stem}.ipynb) (`.ipynb`; it needs only numpy, "
            f"sympy and matplotlib). Outputs computed {when} from commit `{commit}`{note}."))

    def build_one(self, source: Path) -> None:
        import nbformat

        notebook = self.expand(source)
        check_statements_are_asserted(notebook, self.where(source))
        key = self.fingerprint(notebook)
        cached = self.cache / f"{source.stem}-{key}.ipynb"
        latest = self.cache / f"{source.stem}.latest"
        if not cached.is_file():
            previous = self.cache / f"{source.stem}-{latest.read_text().strip()}.ipynb" if latest.is_file() else None
            if self.serving and previous is not None and previous.is_file():
                executed = nbformat.read(previous, as_version=4)
                executed.cells[1].source += " **The code has changed since: run `make build` to recompute.**"
            else:
                self.cache.mkdir(parents=True, exist_ok=True)
                executed = self.execute(notebook, source)
                check_outputs(executed, self.where(source))
                self.stamp(executed, source, "")
                write_atomically(cached, nbformat.writes(executed))
                write_atomically(latest, key)
        else:
            executed = nbformat.read(cached, as_version=4)
        check_outputs(executed, self.where(source), inserted=1)
        text = nbformat.writes(executed)
        for target in (self.sources / f"{source.stem}.ipynb", self.downloads / f"{source.stem}.ipynb"):
            if not target.is_file() or target.read_text(encoding="utf-8") != text:  # no rewrite: serve would loop
                write_atomically(target, text)

    def build(self) -> list[Path]:
        """Write docs/notebooks/<name>.ipynb (to render) and docs/downloads/<name>.ipynb for each source."""
        sources = sorted(self.sources.glob("*.py"))
        for source in sources:
            self.build_one(source)
        return [self.sources / f"{source.stem}.ipynb" for source in sources]


def notebook_html(html: str) -> tuple[str, dict[str, bytes]]:
    """A rendered notebook's own HTML without mkdocs-jupyter's MathJax, and its plots moved out.

    mkdocs-jupyter inlines each plot as a base64 PNG: 121 of the 276 KB of the linear-algebra
    notebook's HTML, fetched and parsed before its first paint and cached with no other page.
    Each becomes a file beside the page, named by its content (returned: name -> bytes, for the
    caller to write), and its <img> is prepared as a figure's (figures.prepare_img), with the size in
    the PNG's header (bytes 16-24 of the IHDR chunk) where the notebook gave none."""
    plots: dict[str, bytes] = {}

    def plot(match: re.Match) -> str:
        content = base64.b64decode(match[2])
        if not content.startswith(PNG_SIGNATURE):
            raise EngineError("a notebook plot's data:image/png is not a PNG")
        name = f"plot-{hashlib.sha256(content).hexdigest()[:16]}.png"
        plots[name] = content
        size = int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
        return prepare_img(f'{match[1]}"{name}"{match[3]}', size)

    return INLINE_PNG.sub(plot, NOTEBOOK_SCRIPTS.sub("", html)), plots
