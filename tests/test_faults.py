"""Bad inputs fail the build loudly, naming the file and saying what to fix.

Each test injects one fault into a minimal one-page copy of the project (tests/conftest.py)
and builds it; the real tree is never touched and the suite stays fast.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.site

PAGE = "docs/demo/page.md"
INCLUDE = '--8<-- "demo/page.py:square"'


def assert_fails(result, *fragments):
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build should have failed:\n{output}"
    for fragment in fragments:
        assert fragment in output, f"{fragment!r} not in the build output:\n{output}"


def test_the_minimal_project_builds(mini_project):
    result = mini_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    assert (mini_project.root / "site" / "demo" / "page" / "index.html").is_file()


def test_missing_snippet_file(mini_project):
    mini_project.edit(PAGE, INCLUDE, '--8<-- "demo/nope.py:square"')
    assert_fails(mini_project.build(), "docs/demo/page.md:12", "no file snippets/demo/nope.py")


def test_missing_snippet_section(mini_project):
    mini_project.edit(PAGE, INCLUDE, '--8<-- "demo/page.py:cube"')
    assert_fails(mini_project.build(), "docs/demo/page.md:12", "has no section 'cube'", "(it has square)")


@pytest.mark.parametrize(
    ("target", "message"),
    [("../mkdocs.yml", "leaves snippets/"), ("https://example.org/x.py", "is a URL")],
)
def test_include_outside_snippets(mini_project, target, message):
    mini_project.edit(PAGE, INCLUDE, f'--8<-- "{target}"')
    assert_fails(mini_project.build(), "docs/demo/page.md:12", message)


def test_orphan_snippet_section(mini_project):
    mini_project.write(
        "snippets/demo/page.py",
        (mini_project.root / "snippets/demo/page.py").read_text() + "# --8<-- [start:cube]\n# --8<-- [end:cube]\n",
    )
    assert_fails(mini_project.build(), "snippets/demo/page.py: section 'cube'", "no page includes")


def test_tex_syntax_error(mini_project):
    mini_project.edit(PAGE, "x^2 = 4", r"\frac{x}{2 = 4")
    assert_fails(mini_project.build(), "docs/demo/page.md:8", r"\\frac{x}{2 = 4", "KaTeX parse error")


def test_link_to_missing_page(mini_project):
    mini_project.write("docs/index.md", "# Home\n\n[gone](demo/gone.md)\n")
    assert_fails(mini_project.build(), "Doc file 'index.md' contains a link 'demo/gone.md'", "not found")


def test_link_to_missing_anchor(mini_project):
    mini_project.write("docs/index.md", "# Home\n\n[gone](demo/page.md#no-such-heading)\n")
    assert_fails(mini_project.build(), "'index.md'", "does not contain an anchor '#no-such-heading'")


def test_failed_make_build_leaves_no_site(mini_project):
    """`make build` swaps site/ in only on success: a failed build leaves the old one or none."""
    assert mini_project.make_build().returncode == 0
    good = (mini_project.root / "site" / "demo" / "page" / "index.html").read_text()
    mini_project.edit(PAGE, "x^2 = 4", r"\frac{x}{2 = 4")
    assert_fails(mini_project.make_build(), "KaTeX parse error")
    assert (mini_project.root / "site" / "demo" / "page" / "index.html").read_text() == good
    assert not (mini_project.root / ".site-build").exists()


# --- equations and claims (hooks/equations.py, hooks/claims.py) -------------------------------

SQUARE_CLAIM = (
    "\nfrom snippets.claims import Claim\n\n"
    "CLAIMS = [Claim('demo.square', 'Two squared is four', value=lambda: square(2))]\n"
)


def test_display_without_claim_or_given(mini_project):
    mini_project.edit(PAGE, r"x^2 = 4 \given", "x^2 = 4")
    assert_fails(mini_project.build(), "docs/demo/page.md:8", "without \\claim{id}, \\given or \\quoted")


def test_unknown_claim_id(mini_project):
    mini_project.edit(PAGE, r"\given", r"\claim{demo.cube}")
    assert_fails(mini_project.build(), "docs/demo/page.md:8", "unknown claim id 'demo.cube'", "CLAIMS of snippets/demo/page.py")


def test_claim_defined_but_shown_nowhere(mini_project):
    mini_project.write("snippets/demo/page.py", (mini_project.root / "snippets/demo/page.py").read_text() + SQUARE_CLAIM)
    assert_fails(mini_project.build(), "no page shows", "demo.square (defined in snippets/demo/page.py)")


def test_claim_shown_builds_with_data_attribute(mini_project):
    mini_project.write("snippets/demo/page.py", (mini_project.root / "snippets/demo/page.py").read_text() + SQUARE_CLAIM)
    mini_project.edit(PAGE, r"x^2 = 4 \given", r"2^2 = 4 \claim{demo.square}")
    result = mini_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    html = (mini_project.root / "site" / "demo" / "page" / "index.html").read_text()
    assert 'data-claim="demo.square"' in html and "\\claim" not in html


def test_inline_claim_builds_with_one_home_anchor(mini_project):
    """An inline result carries its claim; a restatement is marked too, the first one is its home."""
    mini_project.write("snippets/demo/page.py", (mini_project.root / "snippets/demo/page.py").read_text() + SQUARE_CLAIM)
    mini_project.edit(PAGE, "Inline $x^2$", r"Inline $2^2 = 4 \claim{demo.square}$, again $2^2 = 4 \claim{demo.square}$")
    result = mini_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    html = (mini_project.root / "site" / "demo" / "page" / "index.html").read_text()
    assert html.count('data-claim="demo.square"') == 2 and html.count('id="claim-demo.square"') == 1
    assert "\\claim" not in html


def test_inline_unknown_claim_id(mini_project):
    mini_project.edit(PAGE, "Inline $x^2$", r"Inline $x^2 = 4 \claim{demo.cube}$")
    assert_fails(mini_project.build(), "docs/demo/page.md:5", "unknown claim id 'demo.cube'")


def test_inline_formula_with_two_markers(mini_project):
    mini_project.edit(PAGE, "Inline $x^2$", r"Inline $x^2 = 4 \given \quoted$")
    assert_fails(mini_project.build(), "docs/demo/page.md:5", "one marker per formula")


@pytest.mark.parametrize("tex", [r"A\mathbb{1}", r"\mathbf{\beta}_1", r"\mathcal{l}"])
def test_tex_drawn_other_than_written_is_refused(mini_project, tex):
    """KaTeX draws a character its font lacks in the normal font, silently: the ones vector
    \\mathbb{1} reads as the number 1, a \\mathbf{\\beta} as a plain beta."""
    mini_project.edit(PAGE, "Inline $x^2$", f"Inline ${tex}$")
    assert_fails(mini_project.build(), "docs/demo/page.md:5", "is drawn as a plain")


def test_undefined_eqref(mini_project):
    mini_project.edit(PAGE, "Inline $x^2$", r"See $\eqref{nowhere}$")
    assert_fails(mini_project.build(), "docs/demo/page.md", "\\eqref{nowhere} refers to no \\label")


def test_duplicate_label(mini_project):
    mini_project.edit(PAGE, r"x^2 = 4 \given", r"x^2 = 4 \label{sq} \given")
    mini_project.write("docs/index.md", "# Home\n\n$$\ny = 1 \\label{sq} \\given\n$$\n\n[page](demo/page.md)\n")
    assert_fails(mini_project.build(), "duplicate \\label{sq}", "docs/demo/page.md", "docs/index.md")


def test_numeric_tag_is_refused(mini_project):
    mini_project.edit(PAGE, r"x^2 = 4 \given", r"x^2 = 4 \tag{1} \given")
    assert_fails(mini_project.build(), "docs/demo/page.md", "use \\label")


def test_eqref_links_across_pages(mini_project):
    mini_project.edit(PAGE, r"x^2 = 4 \given", r"x^2 = 4 \label{sq} \given")
    mini_project.write("docs/index.md", "# Home\n\nBy $\\eqref{sq}$, see [page](demo/page.md).\n")
    result = mini_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    home = (mini_project.root / "site" / "index.html").read_text()
    assert '<a class="eqref" href="demo/page/#eq-sq">(1) in Page</a>' in home
    page = (mini_project.root / "site" / "demo" / "page" / "index.html").read_text()
    assert 'id="eq-sq"' in page and "(1)" in page


# --- the suite itself: a failing doctest fails `pytest` with file and line --------------------

def test_failing_doctest_fails_the_suite_with_file_and_line(mini_project):
    mini_project.edit("snippets/demo/page.py", "    9\n", "    10\n")
    shutil.copy(ROOT / "pyproject.toml", mini_project.root / "pyproject.toml")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "snippets"],
        cwd=mini_project.root, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1, result.stdout
    assert "snippets/demo/page.py:4" in result.stdout and "Expected:\n    10\nGot:\n    9" in result.stdout


# --- warnings: the build prints none but those accepted here, each with its reason -----------

# (pattern, why it is accepted). Empty: the build is warning-free; add an entry only with a reason.
ACCEPTED_WARNINGS: list[tuple[str, str]] = []


def test_build_emits_no_unaccepted_warning(mini_project):
    """The real site's build (built_site asserts the same on every run) and this check's teeth."""
    result = mini_project.build()
    lines = [line for line in (result.stdout + result.stderr).splitlines()
             if re.search(r"\bWARNING\b|Warning:", line)]
    unaccepted = [line for line in lines if not any(re.search(p, line) for p, _ in ACCEPTED_WARNINGS)]
    assert result.returncode == 0 and not unaccepted, unaccepted
    # A warning the list does not accept is caught: a page outside the nav.
    mini_project.write("docs/stray.md", "# Stray\n")
    result = mini_project.build()
    assert "WARNING" in result.stderr and "stray.md" in result.stderr
