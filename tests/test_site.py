"""The built site as a whole: strict build, includes, copy-run code, rendered maths, no third parties."""

from __future__ import annotations

import base64
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.site_html import code_blocks, page_for, pages, visible_text

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))

pytestmark = pytest.mark.site


def _hook(name: str):
    """Load a build hook module the way MkDocs does (hooks/ on sys.path while it loads)."""
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        spec = importlib.util.spec_from_file_location(f"hook_{name}", ROOT / "hooks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "hooks"))


includes_hook = _hook("snippet_includes")


def test_every_page_is_built(built_site):
    for src in PAGES:
        assert page_for(built_site, src).is_file(), f"docs/{src} was not built"


@pytest.mark.parametrize("src", PAGES)
def test_every_include_resolves(src):
    markdown = (DOCS / src).read_text(encoding="utf-8")
    for number, target in includes_hook.includes(markdown):
        path, section = includes_hook.resolve(target)
        assert (ROOT / "snippets" / path).is_file(), f"docs/{src}:{number}: {target}"


def test_every_snippet_section_is_included_by_a_page():
    included = set()
    for src in PAGES:
        for _, target in includes_hook.includes((DOCS / src).read_text(encoding="utf-8")):
            path, section = includes_hook.resolve(target)
            included |= {(p, s) for p, s in includes_hook.all_sections() if p == path and section in (None, s)}
    orphans = includes_hook.all_sections() - included
    assert not orphans, f"snippet sections no page shows: {sorted(orphans)}"
    assert included, "no page includes any snippet: the check would be empty"


@pytest.mark.parametrize("src", [p for p in PAGES if not p.startswith("notebooks/")])
def test_code_blocks_run_as_copied(src, built_site, tmp_path):
    """Each Python block, copied from the built page, runs alone with its doctests passing."""
    blocks = code_blocks(page_for(built_site, src).read_text(encoding="utf-8"))
    for index, code in enumerate(blocks):
        script = tmp_path / f"block_{index}.py"
        script.write_text(code, encoding="utf-8")
        # -I: a fresh, isolated interpreter that cannot import this repository's modules.
        result = subprocess.run(
            [sys.executable, "-I", "-m", "doctest", "-o", "NORMALIZE_WHITESPACE", str(script)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, env={"MPLBACKEND": "Agg"},
        )
        assert result.returncode == 0, (
            f"docs/{src}, code block {index + 1} fails when copied:\n{code}\n{result.stdout}\n{result.stderr}"
        )


def test_code_block_extraction_is_not_empty(built_site):
    newton = page_for(built_site, "optimization/newton.md").read_text(encoding="utf-8")
    blocks = code_blocks(newton)
    assert len(blocks) == 4 and all("def " in block for block in blocks)


TEX_LEFTOVER = re.compile(r"\$|\\\(|\\\)|\\\[|\\\]|\\[A-Za-z]+")


@pytest.mark.parametrize("src", PAGES)
def test_all_math_is_rendered(src, built_site):
    page = page_for(built_site, src).read_text(encoding="utf-8")
    assert 'class="arithmatex"' not in page, "a formula was left for the browser"
    assert "katex-error" not in page
    leftovers = sorted({m[0] for m in TEX_LEFTOVER.finditer(visible_text(page))})
    assert not leftovers, f"raw TeX in the rendered text of docs/{src}: {leftovers}"


def test_math_pages_carry_mathml_with_tex_source(built_site):
    page = page_for(built_site, "optimization/newton.md").read_text(encoding="utf-8")
    assert page.count('class="katex-mathml"') >= 10
    assert '<annotation encoding="application/x-tex">' in page
    # No maths JavaScript: the formulas arrive rendered.
    scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", page)
    assert scripts and not [s for s in scripts if re.search(r"katex|mathjax|tex-", s, re.I)], scripts


RESOURCE = re.compile(
    r"""(?:\bsrc|\bhref|\bsrcset|\bposter|\bdata)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""",
    re.I,
)
NAMESPACES = {"www.w3.org", "purl.org", "creativecommons.org", "web.resource.org"}


def external_hosts(text: str) -> set[str]:
    hosts = set()
    for match in RESOURCE.finditer(text):
        url = next(group for group in match.groups() if group)
        parsed = urlparse(url.strip())
        if parsed.scheme in ("http", "https") or url.strip().startswith("//"):
            hosts.add(parsed.netloc)
    return hosts - NAMESPACES


def test_no_third_party_references(built_site):
    local = {"127.0.0.1:8000", "localhost:8000"}
    offenders = {}
    for path in sorted(built_site.rglob("*")):
        if path.suffix in {".html", ".css", ".svg"}:
            hosts = external_hosts(path.read_text(encoding="utf-8", errors="replace")) - local
            if hosts:
                offenders[path.relative_to(built_site).as_posix()] = sorted(hosts)
    assert not offenders, f"references to other hosts: {offenders}"


def test_third_party_detector_sees_what_it_should():
    assert external_hosts('<link href="https://fonts.googleapis.com/css">') == {"fonts.googleapis.com"}
    assert external_hosts('<script src="//cdn.jsdelivr.net/x.js"></script>') == {"cdn.jsdelivr.net"}
    assert external_hosts("a{background:url(https://x.org/i.png)}") == {"x.org"}
    assert external_hosts('<svg xmlns="http://www.w3.org/2000/svg">') == set()


def test_katex_assets_are_served_by_the_site(built_site):
    css = built_site / "assets" / "katex" / "katex.min.css"
    assert css.is_file()
    fonts = re.findall(r"url\((fonts/[^)]+\.woff2)\)", css.read_text(encoding="utf-8"))
    assert fonts and all((css.parent / font).is_file() for font in fonts)
    assert '<link rel="stylesheet" href="../../assets/katex/katex.min.css">' in page_for(
        built_site, "optimization/newton.md"
    ).read_text(encoding="utf-8")


def test_figures_are_built_not_committed(built_site):
    svg = built_site / "optimization" / "newton-contour.svg"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert 'src="../newton-contour.svg"' in page_for(built_site, "optimization/newton.md").read_text(encoding="utf-8")
    committed = [p for p in DOCS.rglob("*") if p.suffix in {".svg", ".png", ".jpg"}]
    assert not committed, f"images must be drawn by snippet code at build time: {committed}"


def test_every_image_has_its_size_and_the_svg_agrees(built_site):
    """hooks/figures.py and hooks/notebooks.py size each <img>: space is reserved before it loads."""
    found = 0
    for page in pages(built_site):
        for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
            src, width, height = (re.search(rf'\b{k}="([^"]+)"', tag) for k in ("src", "width", "height"))
            assert width and height, f"{page}: {tag[:200]} has no width/height"
            if src[1].startswith("data:image/png;base64,"):  # a notebook's plot: its PNG header
                head = base64.b64decode(src[1].split(",", 1)[1][:32])
                size = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            else:  # a figure drawn at build time: matplotlib's SVG, in pt
                head = (page.parent / src[1]).resolve().read_text(encoding="utf-8")[:2000]
                size = tuple(round(float(re.search(rf'<svg[^>]*\b{k}="([\d.]+)pt"', head)[1]) * 4 / 3)
                             for k in ("width", "height"))
            assert (int(width[1]), int(height[1])) == size, tag[:200]
            found += 1
    assert found >= 7  # 4 figures (adam, newton, stationary points, initialization), 3+ notebook plots


def test_nav_lists_only_existing_pages():
    nav = re.findall(r":\s*([\w/.-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    generated = {"ledger.md"}  # written by hooks/claims.py
    assert nav and all((DOCS / page).is_file() or page in generated for page in nav)


def test_search_dialog_has_an_accessible_name(built_site):
    for page in pages(built_site):
        html = page.read_text(encoding="utf-8")
        assert 'role="dialog" aria-label="Search this site"' in html, page


def test_figures_are_redrawn_when_their_module_changes_and_only_then(mini_project):
    """hooks/figures.py keeps drawn SVGs across `mkdocs serve` rebuilds, keyed by the module's source."""
    mini_project.write("snippets/demo/page.py", (mini_project.root / "snippets/demo/page.py").read_text() + (
        "\nimport matplotlib.pyplot as plt\nTITLE = 'first'\n\n\ndef demo_figure():\n"
        "    figure, axes = plt.subplots()\n    axes.set_title(TITLE)\n    return figure\n\n\n"
        "FIGURES = {'demo.svg': demo_figure}\n"))
    saved = {n: m for n, m in sys.modules.items() if n == "snippets" or n.startswith("snippets.")}
    sys.path.insert(0, str(mini_project.root / "hooks"))
    try:
        import _project
        import figures

        importlib.reload(_project)
        importlib.reload(figures)
        figures.fresh_snippets()
        first = figures.drawn("demo/page.md")
        assert [name for name, _ in first] == ["demo.svg"] and b"first" in first[0][1]
        figures.fresh_snippets()
        assert figures.drawn("demo/page.md") is first  # unchanged source: not drawn again
        mini_project.edit("snippets/demo/page.py", "TITLE = 'first'", "TITLE = 'second'")
        figures.fresh_snippets()
        again = figures.drawn("demo/page.md")
        assert b"second" in again[0][1] and b"first" not in again[0][1]
    finally:
        sys.path.remove(str(mini_project.root / "hooks"))
        for name in ("_project", "figures"):
            sys.modules.pop(name, None)
        sys.path[:] = [p for p in sys.path if p != str(mini_project.root)]
        # The mini project's `snippets` package must not shadow the real one for later tests.
        for name in [n for n in sys.modules if n == "snippets" or n.startswith("snippets.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_palette_stylesheet_loses_only_the_switching_rule(built_site):
    """hooks/palette_css.py: the rule that restyled every element on load is gone, the rest stays."""
    hook = _hook("palette_css")
    from mkdocs.config import load_config

    [source] = [p for d in load_config(str(ROOT / "mkdocs.yml"))["theme"].dirs
                for p in (Path(d) / "assets" / "stylesheets").glob("palette.*.min.css")]
    built = (built_site / "assets" / "stylesheets" / source.name).read_text(encoding="utf-8")
    original = source.read_text(encoding="utf-8")
    assert "data-md-color-switching" in original and "data-md-color-switching" not in built
    assert hook.SWITCHING.sub("", original) == built and '[data-md-color-scheme=slate]' in built


def test_palette_hook_fails_when_material_changes_the_rule(tmp_path):
    hook = _hook("palette_css")
    theme = tmp_path / "theme" / "assets" / "stylesheets"
    theme.mkdir(parents=True)
    (theme / "palette.0000.min.css").write_text("[data-md-color-switching] *{transition:none}", encoding="utf-8")
    (tmp_path / "site" / "assets" / "stylesheets").mkdir(parents=True)
    with pytest.raises(Exception, match=r"palette_css\.py: .*no longer has the \[data-md-color-switching\] rule"):
        hook.strip_switching_rule([str(tmp_path / "theme")], tmp_path / "site")


def test_head_links_are_made_absolute_after_the_last_link(built_site):
    """hooks/head_links.py: the rewrite runs once every <link> of the head exists."""
    script = _hook("head_links").SCRIPT
    for page in pages(built_site):
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert head.endswith(script), f"{page}: the head does not end with the link rewrite"
        assert head.rfind("<link") < head.rfind(script), page
