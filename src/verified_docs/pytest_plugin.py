"""The pytest plugin (entry point `pytest11`): the claim contract as the test run sees it.

- `@pytest.mark.claim(id, kind)` ties a test to a claim; kind is "symbolic" or "numeric", one
  kind per test; a mark with an unknown claim or kind stops the run at collection.
- Next to each snippet module's doctests, the plugin adds for every claim it defines
  `test_displayed_form_is_the_verified_form[id]` (every formula that shows the claim, its
  display and each inline restatement, is the verified expression) and `test_every_claim_is_proved`
  (a symbolic and a numeric test exist; skipped when only part of the suite runs).
- At the end of a run it writes the results file, which the ledger and the publishing gate read;
  each record names the file and lines of its check (the test function, decorators included; for
  the displayed form, the claim's definition, whose value the page is compared with), so the ledger
  can link there.

Configuration: ini options `verified_docs_<name>` for the paths of verified_docs.project.DEFAULTS,
relative to pytest's rootdir. The plugin is active where `<snippets_dir>/__init__.py` exists.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

from .contract import WRITTEN_KINDS, Claim, claim_marks, discover, write_results
from .errors import EngineError
from .index import CLAIM, VERIFIED, body, display_tex, inline_tex, markers, states_a_relation, without_markers
from .project import DEFAULTS, Project

PARTIAL_RUN = "a partial run does not collect every check"


def pytest_addoption(parser):
    for name, default in DEFAULTS.items():
        parser.addini(f"verified_docs_{name}", f"verified_docs: path of {name}, relative to rootdir", default=default)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "claim(id, kind): this test proves claim `id`; kind is symbolic or numeric, one kind per test")
    project = Project.at(config.rootpath, **{name: config.getini(f"verified_docs_{name}") for name in DEFAULTS})
    if (project.snippets_dir / "__init__.py").is_file():
        config.pluginmanager.register(ClaimsPlugin(project), "verified_docs_claims")


def shown_tex(project: Project) -> dict[str, list[str]]:
    """claim id -> the TeX of each formula that shows it in the pages' Markdown (its display,
    then its inline restatements, page by page), markers removed."""
    found: dict[str, list[str]] = {}
    for page in sorted(project.docs_dir.rglob("*.md")):
        markdown = body(page.read_text(encoding="utf-8"))
        for tex in display_tex(markdown) + [tex for _, tex in inline_tex(markdown)]:
            for claim_id in CLAIM.findall(tex)[:1]:
                found.setdefault(claim_id, []).append(without_markers(tex))
    return found


def inline_relations(project: Project) -> dict[str, int]:
    """The pages' inline formulas that state a relation (or carry a marker), by marker. The build
    refuses an unmarked one, so "unmarked" is 0 on a site that builds."""
    counts = {"claim": 0, "given": 0, "quoted": 0, "unmarked": 0}
    for page in sorted(project.docs_dir.rglob("*.md")):
        for _, tex in inline_tex(body(page.read_text(encoding="utf-8"))):
            found = markers(tex)
            kind = "claim" if found and found[0] not in ("given", "quoted") else (found[0] if found else None)
            if kind or states_a_relation(tex):
                counts[kind or "unmarked"] += 1
    return counts


class DisplayedForm(pytest.Item):
    def __init__(self, *, claim: Claim, project: Project, **kwargs):
        super().__init__(**kwargs)
        self.claim, self.project = claim, project
        self.claim_checks = [(claim.id, "displayed")]

    def runtest(self):
        from .displayed import displayed_form_matches

        shown = shown_tex(self.project).get(self.claim.id)
        assert shown, f"{self.claim.id}: no page shows this claim (mark its formula with \\claim{{{self.claim.id}}})"
        for tex in shown:
            if self.claim.tex is not None:  # the build fills in the generated TeX where the page says
                assert VERIFIED.search(tex), f"{self.claim.id} generates its TeX: the page must write \\verified in {tex!r}"
                tex = VERIFIED.sub(lambda _: self.claim.tex(), tex)
            assert displayed_form_matches(self.claim, tex), f"{self.claim.id}: the page shows {tex!r}"

    def reportinfo(self):
        return self.path, None, f"displayed form of {self.claim.id}"

    def source_lines(self) -> tuple[Path, int, int] | None:
        """The claim's definition, `Claim("id", …)`, in its snippet module: what the page is compared with."""
        for node in ast.walk(ast.parse(self.path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value == self.claim.id):
                return self.path, node.lineno, node.end_lineno
        return None


class EveryClaimProved(pytest.Item):
    def __init__(self, *, claims: list[Claim], **kwargs):
        super().__init__(**kwargs)
        self.claims = claims

    def runtest(self):
        config = self.config
        whole_suite = sorted(config.args) == sorted(config.getini("testpaths"))
        if not whole_suite or config.pluginmanager.get_plugin("verified_docs_claims").deselected_checks:
            pytest.skip(PARTIAL_RUN)
        kinds = {claim.id: set() for claim in self.claims}
        for item in self.session.items:
            for claim_id, kind in getattr(item, "claim_checks", []):
                if claim_id in kinds:
                    kinds[claim_id].add(kind)
        missing = {c: sorted(set(WRITTEN_KINDS) - k) for c, k in kinds.items() if set(WRITTEN_KINDS) - k}
        assert not missing, f"claims lacking checks (@pytest.mark.claim(id, kind)): {missing}"

    def reportinfo(self):
        return self.path, None, "every claim is proved"


def source_lines(item: pytest.Item) -> tuple[Path, int, int] | None:
    """(file, first line, last line) of the code a check runs: a test function from its first
    decorator to its end, or what the item says (DisplayedForm)."""
    if hasattr(item, "source_lines"):
        return item.source_lines()
    function = getattr(item, "function", None)
    try:
        lines, first = inspect.getsourcelines(function)  # unwraps decorators (hypothesis' @given)
        return Path(inspect.getsourcefile(function)), first, first + len(lines) - 1
    except (TypeError, OSError):
        return None


class ClaimChecks(pytest.File):
    """The checks the contract adds for the claims a snippet module defines."""

    def __init__(self, *, project: Project, **kwargs):
        super().__init__(**kwargs)
        self.project = project

    def collect(self):
        relative = self.path.relative_to(self.project.snippets_dir.parent).with_suffix("")
        self.project.importable()
        module = importlib.import_module(".".join(relative.parts).removesuffix(".__init__"))
        claims = list(getattr(module, "CLAIMS", []))
        if not claims:
            return
        for claim in claims:
            if claim.displayable:
                yield DisplayedForm.from_parent(self, name=f"test_displayed_form_is_the_verified_form[{claim.id}]",
                                                claim=claim, project=self.project)
        yield EveryClaimProved.from_parent(self, name="test_every_claim_is_proved", claims=claims)


class ClaimsPlugin:
    """The run's claim records (on the controller under xdist) and the checks it adds."""

    def __init__(self, project: Project):
        self.project = project
        self.records: dict[str, list[dict]] = {}
        self.deselected_checks = False  # -k or -m left out a test that proves a claim

    def pytest_deselected(self, items):
        if any(item.get_closest_marker("claim") for item in items):
            self.deselected_checks = True

    def pytest_collect_file(self, file_path: Path, parent):
        if file_path.suffix == ".py" and file_path.is_relative_to(self.project.snippets_dir):
            return ClaimChecks.from_parent(parent, path=file_path, project=self.project)
        return None

    def pytest_collection_modifyitems(self, session, config, items):
        """Read every test's claim marks once; a bad mark stops the run here, named."""
        known: set[str] | None = None
        for item in items:
            marks = list(item.iter_markers("claim"))
            if not marks:
                continue
            try:
                item.claim_checks = claim_marks(marks)
            except EngineError as error:
                raise pytest.UsageError(f"{item.nodeid}: {error}") from None
            if known is None:
                self.project.importable()
                known = set(discover(self.project.snippets_package))
            unknown = [claim_id for claim_id, _ in item.claim_checks if claim_id not in known]
            if unknown:
                raise pytest.UsageError(f"{item.nodeid} marks unknown claim(s) {unknown}: "
                                        "define each in the CLAIMS of a snippet module")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        """Carry the test's claim checks on its reports, so they reach the controller under xdist."""
        outcome = yield
        checks = getattr(item, "claim_checks", None)
        if checks:
            outcome.get_result().user_properties.append(("claims", checks))
            source = self.source_of(item)
            if source:
                outcome.get_result().user_properties.append(("claim_source", source))

    def source_of(self, item: pytest.Item) -> dict | None:
        """{"path" (relative to the project root), "lines": [first, last]} of a check's code, once per item."""
        if not hasattr(item, "claim_source"):
            found = source_lines(item)
            path = found[0].resolve() if found else None
            item.claim_source = None
            if path is not None and path.is_relative_to(self.project.root):
                item.claim_source = {"path": path.relative_to(self.project.root).as_posix(), "lines": [found[1], found[2]]}
        return item.claim_source

    def pytest_runtest_logreport(self, report):
        checks = next((value for name, value in report.user_properties if name == "claims"), None)
        if not checks or (report.when != "call" and report.passed):
            return
        source = next((value for name, value in report.user_properties if name == "claim_source"), None)
        result = "passed" if report.passed else ("skipped" if report.skipped else "failed")
        for claim_id, kind in checks:
            records = self.records.setdefault(claim_id, [])
            existing = [r for r in records if r["test"] == report.nodeid and r["kind"] == kind]
            if existing:  # a failure in setup/teardown overrides a passed call
                if result != "passed":
                    existing[0]["outcome"] = result
            else:
                records.append({"kind": kind, "test": report.nodeid, "outcome": result,
                                **({"source": source} if source else {})})

    def pytest_sessionfinish(self, session, exitstatus):
        if self.records and not hasattr(session.config, "workerinput"):
            write_results(self.project.results, self.project.root, self.records)

    def pytest_terminal_summary(self, terminalreporter):
        """How many claims have a displayed-form check, and where the results went."""
        try:
            self.project.importable()
            claims = [claim for claim, _ in discover(self.project.snippets_package).values()]
        except Exception as error:  # the summary must never hide the real failures
            terminalreporter.write_line(f"claims: could not be read ({error})")
            return
        covered = sum(1 for c in claims if c.displayable)
        share = covered / len(claims) if claims else 0.0
        terminalreporter.write_line(
            f"claims: {len(claims)} defined; displayed-form check for {covered} ({share:.0%}); "
            f"results in {self.project.shown(self.project.results)}"
        )
        counts = inline_relations(self.project)
        stated = counts["claim"] + counts["unmarked"]
        terminalreporter.write_line(
            f"inline formulas stating a relation: {sum(counts.values())} ({counts['given']} given, "
            f"{counts['quoted']} quoted); results tied to a claim: {counts['claim']} of {stated} "
            f"({counts['claim'] / stated if stated else 1:.0%})"
        )

