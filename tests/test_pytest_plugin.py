"""The engine's pytest plugin in process (pytester): a one-claim project and what the run does."""

from __future__ import annotations

import json

import pytest

# Imported here, not first inside an in-process run: pytester forgets modules a run imported,
# and numpy's C core cannot be loaded twice in one process.
import verified_docs.displayed  # noqa: F401  (sympy, numpy, the ANTLR parser)

PACKAGE = "claim_snippets"  # not "snippets": the site's own package is imported in this process
INI = f"""[pytest]
testpaths = tests {PACKAGE}
addopts = --doctest-modules -p no:cacheprovider -p no:xdist
verified_docs_snippets_dir = {PACKAGE}
"""
MODULE = '''def square(x):
    """
    >>> square(3)
    9
    """
    return x * x


from verified_docs import Claim

CLAIMS = [Claim("demo.square", "Two squared is four", value=lambda: square(2))]
'''
SYMBOLIC = '''
@pytest.mark.claim("demo.square", "symbolic")
def test_square_symbolic():
    assert page.square(2) == 4
'''
NUMERIC = '''
@pytest.mark.claim("demo.square", "numeric")
def test_square_numeric():
    assert page.square(2.0) == 4.0
'''


@pytest.fixture
def project(pytester):
    pytester.makefile(".ini", pytest=INI)
    pytester.mkpydir(PACKAGE)
    pytester.mkpydir(f"{PACKAGE}/demo")
    (pytester.path / PACKAGE / "demo" / "page.py").write_text(MODULE)
    (pytester.path / "docs" / "demo").mkdir(parents=True)
    (pytester.path / "docs" / "demo" / "page.md").write_text("# Page\n\n$$\n2^2 = 4 \\label{sq} \\claim{demo.square}\n$$\n")
    (pytester.path / "tests").mkdir()
    pytester.syspathinsert()
    return pytester


def write_tests(pytester, *bodies: str) -> None:
    (pytester.path / "tests" / "test_page.py").write_text(
        f"import pytest\n\nfrom {PACKAGE}.demo import page\n" + "".join(bodies))


def test_a_run_records_every_check_of_every_claim(project):
    write_tests(project, SYMBOLIC, NUMERIC)
    result = project.runpytest_inprocess()
    result.assert_outcomes(passed=5)  # doctest, 2 written checks, displayed form, coverage
    records = json.loads((project.path / ".claims-results.json").read_text())["claims"]["demo.square"]
    assert sorted((r["kind"], r["outcome"]) for r in records) == [
        ("displayed", "passed"), ("numeric", "passed"), ("symbolic", "passed")]
    displayed = next(r for r in records if r["kind"] == "displayed")
    assert displayed["test"] == f"{PACKAGE}/demo/page.py::test_displayed_form_is_the_verified_form[demo.square]"


def test_the_page_showing_another_value_fails_the_displayed_form(project):
    write_tests(project, SYMBOLIC, NUMERIC)
    (project.path / "docs" / "demo" / "page.md").write_text("# Page\n\n$$\n2^2 = 5 \\claim{demo.square}\n$$\n")
    result = project.runpytest_inprocess()
    result.assert_outcomes(passed=4, failed=1)
    assert "demo.square: the page shows" in result.stdout.str() and "2^2 = 5" in result.stdout.str()
    records = json.loads((project.path / ".claims-results.json").read_text())["claims"]["demo.square"]
    assert {r["kind"]: r["outcome"] for r in records}["displayed"] == "failed"


def test_an_inline_restatement_with_another_value_fails_the_displayed_form(project):
    """Every formula that shows a claim is checked: the display passes, the inline one does not."""
    write_tests(project, SYMBOLIC, NUMERIC)
    page = project.path / "docs" / "demo" / "page.md"
    page.write_text(page.read_text() + "\nSo $2 \\cdot 2 = 5 \\claim{demo.square}$.\n")
    result = project.runpytest_inprocess()
    result.assert_outcomes(passed=4, failed=1)
    assert "demo.square: the page shows '2 \\\\cdot 2 = 5 '" in result.stdout.str()


def test_a_claim_without_a_numeric_check_fails_the_whole_suite(project):
    write_tests(project, SYMBOLIC)
    result = project.runpytest_inprocess()
    result.assert_outcomes(passed=3, failed=1)
    assert "claims lacking checks (@pytest.mark.claim(id, kind)): {'demo.square': ['numeric']}" in result.stdout.str()


def test_a_partial_run_skips_the_coverage_check(project):
    write_tests(project, SYMBOLIC)
    project.runpytest_inprocess(PACKAGE).assert_outcomes(passed=2, skipped=1)  # part of the files
    project.runpytest_inprocess("-k", "not symbolic").assert_outcomes(passed=2, skipped=1, deselected=1)


def test_deselecting_tests_of_no_claim_keeps_the_coverage_check(project):
    """Publishing runs the suite without the canaries (-m "not canary"): still the whole contract."""
    write_tests(project, SYMBOLIC, "\ndef test_unrelated():\n    pass\n")
    result = project.runpytest_inprocess("-k", "not unrelated")
    result.assert_outcomes(passed=3, failed=1, deselected=1)


def test_one_check_kind_per_test(project):
    write_tests(project, '''
@pytest.mark.claim("demo.square", "symbolic")
@pytest.mark.claim("demo.square", "numeric")
def test_both():
    assert page.square(2) == 4
''')
    result = project.runpytest_inprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "test_both: one check kind per test, found ['numeric', 'symbolic']" in result.stderr.str()


@pytest.mark.parametrize(("mark", "message"), [
    ('"demo.cube", "symbolic"', "marks unknown claim(s) ['demo.cube']"),
    ('"demo.square", "displayed"', "claim kind 'displayed' is not one of ('symbolic', 'numeric') (displayed is automatic)"),
])
def test_a_bad_mark_stops_the_run_at_collection(project, mark, message):
    write_tests(project, f"\n@pytest.mark.claim({mark})\ndef test_it():\n    pass\n")
    result = project.runpytest_inprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
