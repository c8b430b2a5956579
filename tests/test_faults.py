"""End to end: bad inputs fail the real build loudly, naming the file and saying what to fix.

Most faults are tested in process (tests/test_extension.py, tests/test_steps.py); these few
build a two-page copy of the project (tests/site_build.py) to hold what only a whole build
shows: the generator's own link checks, the engine's errors surfacing cleanly through MkDocs,
`make build`'s swap, the publishing gate, and the build's warnings.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.engine_site import SQUARE_CLAIM
from tests.site_build import ROOT, unaccepted_warnings

pytestmark = pytest.mark.site

PAGE = "docs/demo/page.md"


def assert_fails(result, *fragments):
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build should have failed:\n{output}"
    for fragment in fragments:
        assert fragment in output, f"{fragment!r} not in the build output:\n{output}"


def test_claims_and_cross_page_references_build(mini_project):
    """The engine through MkDocs: a claim marked, a label numbered, an \\eqref from another page
    turned into that page's URL (and its anchor validated), no warning."""
    mini_project.write("snippets/demo/page.py", (mini_project.root / "snippets/demo/page.py").read_text() + SQUARE_CLAIM)
    mini_project.edit(PAGE, r"x^2 = 4 \given", r"2^2 = 4 \label{sq} \claim{demo.square}")
    mini_project.write("docs/index.md", "# Home\n\nBy $\\eqref{sq}$, see [the page](demo/page.md#a-section).\n")
    result = mini_project.build()
    assert result.returncode == 0 and not unaccepted_warnings(result.stderr), result.stdout + result.stderr
    home = (mini_project.root / "site" / "index.html").read_text()
    assert '<a class="eqref" href="demo/page/#eq-sq">(1) in Page</a>' in home
    page = (mini_project.root / "site" / "demo" / "page" / "index.html").read_text()
    assert 'data-claim="demo.square" id="eq-sq"' in page and "\\claim" not in page
    # The ledger: the claim, on its page, not run (this copy has no test results).
    ledger = (mini_project.root / "site" / "ledger" / "index.html").read_text()
    assert "<code>demo.square</code>" in ledger and "1 claims: 0 passed, 0 failed, 1 not run." in ledger


def test_engine_errors_stop_the_build_with_the_page_and_line(mini_project):
    mini_project.edit(PAGE, "x^2 = 4", r"\frac{x}{2 = 4")
    assert_fails(mini_project.build(), "Aborted with a BuildError!", "docs/demo/page.md:8", "KaTeX parse error")


def test_link_to_missing_page(mini_project):
    mini_project.write("docs/index.md", "# Home\n\n[gone](demo/gone.md)\n")
    assert_fails(mini_project.build(), "Doc file 'index.md' contains a link 'demo/gone.md'", "not found")


def test_link_to_missing_anchor(mini_project):
    mini_project.write("docs/index.md", "# Home\n\n[gone](demo/page.md#no-such-heading)\n")
    assert_fails(mini_project.build(), "'index.md'", "does not contain an anchor '#no-such-heading'")


def test_publishing_gate_refuses_claims_not_passed(mini_project):
    """CLAIMS_REQUIRE_PASSED=1 (`require_passed: !ENV …`): no recorded run, no site."""
    mini_project.write("snippets/demo/page.py", (mini_project.root / "snippets/demo/page.py").read_text() + SQUARE_CLAIM)
    mini_project.edit(PAGE, r"x^2 = 4 \given", r"2^2 = 4 \claim{demo.square}")
    assert_fails(mini_project.build(env={"CLAIMS_REQUIRE_PASSED": "1"}), "0 claims failed and 1 were not run")


def test_failed_make_build_leaves_no_site(mini_project):
    """`make build` swaps site/ in only on success: a failed build leaves the old one or none."""
    assert mini_project.make_build().returncode == 0
    good = (mini_project.root / "site" / "demo" / "page" / "index.html").read_text()
    mini_project.edit(PAGE, "x^2 = 4", r"\frac{x}{2 = 4")
    assert_fails(mini_project.make_build(), "KaTeX parse error")
    assert (mini_project.root / "site" / "demo" / "page" / "index.html").read_text() == good
    assert not (mini_project.root / ".site-build").exists()


def test_build_emits_no_unaccepted_warning(mini_project):
    """The real site's build (built_site asserts the same on every run) and this check's teeth."""
    result = mini_project.build()
    assert result.returncode == 0 and not unaccepted_warnings(result.stdout + result.stderr)
    # A warning the list does not accept is caught: a page outside the nav.
    mini_project.write("docs/stray.md", "# Stray\n")
    result = mini_project.build()
    assert unaccepted_warnings(result.stderr) and "stray.md" in result.stderr


def test_failing_doctest_fails_the_suite_with_file_and_line(mini_project):
    mini_project.edit("snippets/demo/page.py", "    9\n", "    10\n")
    shutil.copy(ROOT / "pyproject.toml", mini_project.root / "pyproject.toml")
    shutil.copytree(ROOT / "tests", mini_project.root / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "snippets"],
        cwd=mini_project.root, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1, result.stdout
    assert "snippets/demo/page.py:4" in result.stdout and "Expected:\n    10\nGot:\n    9" in result.stdout
