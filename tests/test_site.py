"""The built site as a whole: strict build, includes, copy-run code, rendered maths, no third parties."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site_build import MATH_OUTPUT, ROOT
from tests.site_checks import eager_images, missing_pages, raw_tex, third_party_hosts
from tests.site_html import code_blocks, page_for, pages
from verified_docs import css, mathfont
from verified_docs.index import DocsIndex, includes
from verified_docs.project import Project

DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
SITE = DocsIndex(Project.at(ROOT), claims={})  # its include checks, without the page checks

pytestmark = pytest.mark.site
mathml_output = pytest.mark.skipif(MATH_OUTPUT == "katex", reason="a MathML output only (MATH_OUTPUT=katex is set)")


def test_every_page_is_built(built_site):
    assert not missing_pages(built_site, PAGES)


@pytest.mark.parametrize("src", PAGES)
def test_every_include_resolves(src):
    markdown = (DOCS / src).read_text(encoding="utf-8")
    for number, target in includes(markdown):
        path, section = SITE.resolve(target)
        assert (ROOT / "snippets" / path).is_file(), f"docs/{src}:{number}: {target}"


def test_every_snippet_section_is_included_by_a_page():
    included = set()
    for src in PAGES:
        for _, target in includes((DOCS / src).read_text(encoding="utf-8")):
            path, section = SITE.resolve(target)
            included |= {(p, s) for p, s in SITE.all_sections() if p == path and section in (None, s)}
    orphans = SITE.all_sections() - included
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


@pytest.mark.parametrize("src", PAGES)
def test_all_math_is_rendered(src, built_site):
    leftovers = raw_tex(page_for(built_site, src).read_text(encoding="utf-8"))
    assert not leftovers, f"raw TeX in the rendered text of docs/{src}: {leftovers}"


def test_math_pages_carry_mathml_with_tex_source(built_site):
    page = page_for(built_site, "optimization/newton.md").read_text(encoding="utf-8")
    assert page.count("<math") >= 10 and '<annotation encoding="application/x-tex"' in page
    if MATH_OUTPUT == "katex":  # drawn by KaTeX's HTML, the MathML beside it for assistive technology
        assert page.count('class="katex-mathml"') >= 10
    else:  # MathML only, drawn by the browser
        assert "katex-html" not in page and "katex-mathml" not in page
    # No maths JavaScript: the formulas arrive rendered.
    scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", page)
    assert scripts and not [s for s in scripts if re.search(r"katex|mathjax|tex-", s, re.I)], scripts


def test_no_third_party_references(built_site):
    offenders = third_party_hosts(built_site)
    assert not offenders, f"references to other hosts: {offenders}"


@mathml_output
def test_a_mathml_output_serves_its_stylesheet_font_subset_and_licence(built_site):
    folder = built_site / mathfont.MATH_ASSETS
    page = page_for(built_site, "optimization/newton.md").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="../../assets/math/math.css">' in page and "katex.min.css" not in page
    assert f'<link rel="preload" href="../../assets/math/{mathfont.FILE}" as="font"' in page
    assert (folder / mathfont.FILE).stat().st_size < 60_000  # a subset (the whole font: 370 KB)
    assert "SIL Open Font License" in (folder / mathfont.LICENCE).read_text(encoding="utf-8")
    assert not (built_site / "assets" / "katex").exists()


def test_figures_are_built_not_committed(built_site):
    svg = built_site / "optimization" / "newton-contour.svg"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert 'src="../newton-contour.svg"' in page_for(built_site, "optimization/newton.md").read_text(encoding="utf-8")
    committed = [p for p in DOCS.rglob("*") if p.suffix in {".svg", ".png", ".jpg"}]
    assert not committed, f"images must be drawn by snippet code at build time: {committed}"


def test_every_image_has_its_size_and_the_svg_agrees(built_site):
    """The engine sizes each <img> (figures, notebook plots): space is reserved before it loads, which
    is when the reader nears it (verified_docs.figures.prepare_img)."""
    found = 0
    for page in pages(built_site):
        for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
            src, width, height = (re.search(rf'\b{k}="([^"]+)"', tag) for k in ("src", "width", "height"))
            assert width and height, f"{page}: {tag[:200]} has no width/height"
            if src[1].endswith(".png"):  # a notebook's plot, a file beside the page: its PNG header
                head = (page.parent / src[1]).resolve().read_bytes()[:24]
                size = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            else:  # a figure drawn at build time: matplotlib's SVG, in pt
                head = (page.parent / src[1]).resolve().read_text(encoding="utf-8")[:2000]
                size = tuple(round(float(re.search(rf'<svg[^>]*\b{k}="([\d.]+)pt"', head)[1]) * 4 / 3)
                             for k in ("width", "height"))
            assert (int(width[1]), int(height[1])) == size, tag[:200]
            found += 1
    assert found >= 7  # 4 figures (adam, newton, stationary points, initialization), 3+ notebook plots
    assert not eager_images(built_site)


def test_nav_lists_only_existing_pages():
    nav = re.findall(r":\s*([\w/.-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    generated = {"ledger.md"}  # written by the verified-docs plugin
    assert nav and all((DOCS / page).is_file() or page in generated for page in nav)


def test_search_dialog_has_an_accessible_name(built_site):
    """overrides/main.html names Material's search dialog; this fails if Material's markup changes."""
    for page in [*pages(built_site), built_site / "404.html"]:
        html = page.read_text(encoding="utf-8")
        assert 'role="dialog" aria-label="Search this site"' in html, page


def test_every_nav_is_named_by_visible_text(built_site):
    """Each section's <nav> is labelled by its title (overrides/main.html), not by an icon-only
    toggle: every aria-labelledby points at an element of the page that has text. Fails if
    Material changes the markup the override rewrites (then the icon's label, without text, is
    named again)."""
    for page in [*pages(built_site), built_site / "404.html"]:
        html = page.read_text(encoding="utf-8")
        navs = re.findall(r'<nav class="md-nav" data-md-level="\d+" aria-labelledby="([^"]+)"', html)
        assert len(navs) >= 4, page  # the chapters and the notebooks
        for label in navs:
            element = re.search(rf'<label [^>]*\bid="{label}"[^>]*>(.*?)</label>', html, re.S)
            assert element and re.sub(r"<[^>]+>", "", element[1]).strip(), (page, label)


def test_figures_are_redrawn_when_their_module_changes_and_only_then(tmp_path, monkeypatch):
    """verified_docs.figures keeps drawn SVGs across `mkdocs serve` rebuilds, keyed by the module's source."""
    from verified_docs.figures import Figures

    monkeypatch.setattr(sys, "path", list(sys.path))
    package = tmp_path / "figure_snippets"
    (package / "demo").mkdir(parents=True)
    (package / "__init__.py").touch()
    (package / "demo" / "__init__.py").touch()
    module = package / "demo" / "page.py"
    module.write_text("import matplotlib.pyplot as plt\nTITLE = 'first'\n\n\ndef demo_figure():\n"
                      "    figure, axes = plt.subplots()\n    axes.set_title(TITLE)\n    return figure\n\n\n"
                      "FIGURES = {'demo.svg': demo_figure}\n", encoding="utf-8")
    project = Project.at(tmp_path, snippets_dir="figure_snippets")
    figures = Figures(project)
    try:
        project.fresh_snippets()
        first = figures.of_page("demo/page.md")
        assert [name for name, _ in first] == ["demo.svg"] and b"first" in first[0][1]
        [drawn] = figures.draw(["demo/page.md"])
        assert drawn.uri == "demo/demo.svg" and drawn.width > 100 and drawn.height > 100
        project.fresh_snippets()
        assert figures.of_page("demo/page.md") is first  # unchanged source: not drawn again
        module.write_text(module.read_text().replace("'first'", "'second'"), encoding="utf-8")
        project.fresh_snippets()
        again = figures.of_page("demo/page.md")
        assert b"second" in again[0][1] and b"first" not in again[0][1]
    finally:
        for name in [n for n in sys.modules if n.startswith("figure_snippets")]:
            del sys.modules[name]


def test_palette_stylesheet_loses_only_the_switching_rule(built_site):
    """verified_docs.css: the rule that restyled every element on load is gone, the rest stays."""
    from mkdocs.config import load_config

    [source] = [p for d in load_config(str(ROOT / "mkdocs.yml"))["theme"].dirs
                for p in (Path(d) / "assets" / "stylesheets").glob("palette.*.min.css")]
    built = (built_site / "assets" / "stylesheets" / source.name).read_text(encoding="utf-8")
    original = source.read_text(encoding="utf-8")
    assert "data-md-color-switching" in original and "data-md-color-switching" not in built
    assert css.SWITCHING.sub("", original) == built and '[data-md-color-scheme=slate]' in built


def test_palette_step_fails_when_material_changes_the_rule(tmp_path):
    theme = tmp_path / "theme" / "assets" / "stylesheets"
    theme.mkdir(parents=True)
    (theme / "palette.0000.min.css").write_text("[data-md-color-switching] *{transition:none}", encoding="utf-8")
    (tmp_path / "site" / "assets" / "stylesheets").mkdir(parents=True)
    with pytest.raises(Exception, match=r"no longer has the \[data-md-color-switching\] rule"):
        css.strip_switching_rule([str(tmp_path / "theme")], tmp_path / "site")


def test_head_links_are_made_absolute_after_the_last_link(built_site):
    """overrides/main.html: the rewrite runs once every <link> of the head exists, but for the one
    that holds the first paint (partials/first-paint.html): a same-page fragment, it has nothing to
    fetch and is left as written."""
    script = '<script>for(const l of document.querySelectorAll("link[href]"))l.href=l.href</script>'
    first_paint = '<link rel="expect" href="#__article-end" blocking="render">'
    for page in [*pages(built_site), built_site / "404.html"]:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0].rstrip()
        assert head.endswith(first_paint), f"{page}: the head does not end with the first-paint link"
        head = head.removesuffix(first_paint).rstrip()
        assert head.endswith(script), f"{page}: the head does not end with the link rewrite"
        assert head.rfind("<link") < head.rfind(script), page
