"""The proof ledger page: every claim, grouped by the page that shows it, with its checks.

One section per page (its title, in nav order), one row per claim in the order the page shows
them: the claim's formula, typeset by KaTeX from the TeX its page writes and linked to its home
anchor there; then the status of its symbolic, numeric and displayed-form checks, each linked to
the lines of code that ran (the test function; for the displayed form, the claim's definition,
whose value the page is compared with) in the repository at the commit the results come from.

Status comes from the last test run (the results file the pytest plugin writes); a claim
without a recorded result is "not run", never "passed", and results recorded on another commit
count as not run. A check whose file differed from that commit when the tests ran is not linked
(the commit does not hold the code that ran), and the page says so. With `require_passed`
(publishing) the build fails unless every claim passed.

The table is HTML inside the Markdown (a formula's markup may hold `|`, which would split a
Markdown table's cell): its links are URLs, relative to the ledger's own.
"""

from __future__ import annotations

import html
import posixpath
import re

from .contract import KINDS, Claim, gate, git, read_results, status
from .engine import Engine
from .errors import EngineError
from .index import VERIFIED, Shown, without_markers
from .katex import wrap

LEDGER = "ledger.md"
TABLE_CLASS = "ledger-table"  # Material styles and re-wraps table:not([class]); extra.css styles this one
FRONT_MATTER = (
    "---\ndescription: Every result on this site, the checks that prove it and their status "
    "from the last test run.\nhide:\n  - toc\n---\n\n"
)
HEADINGS = {"symbolic": "Symbolic", "numeric": "Numeric", "displayed": "Displayed form"}
# The mark of each outcome and the word a screen reader says for it.
MARKS = {"passed": ("✓", "passed"), "failed": ("✗", "failed"), "skipped": ("○", "skipped"), "not run": ("–", "not run")}
TRAILING_PUNCTUATION = re.compile(r"(?:\\[,;:!]|\\quad|\\qquad|[\s,.;])+$")


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """A page's URL below the site root, as MkDocs (and Zensical) make it: a/b.md -> a/b/."""
    stem = src_uri.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(url: str, from_url: str) -> str:
    """A site-relative URL as a link on the page at `from_url` writes it."""
    folder = from_url.rsplit("/", 1)[0] if "/" in from_url else ""
    relative = posixpath.relpath(url.rstrip("/") or ".", folder or ".")
    return relative + "/" if url.endswith("/") or not url else relative


def shown_tex(claim: Claim, shown: Shown) -> str:
    """The TeX of a claim's home formula as its page typesets it (generated TeX filled in), without
    markers or a number, and without the punctuation that ends it in its sentence."""
    tex = without_markers(shown.tex)
    if claim.tex is not None:
        generated = claim.tex()
        tex = VERIFIED.sub(lambda _: generated, tex)
    return TRAILING_PUNCTUATION.sub("", tex.strip())


def check_name(nodeid: str) -> str:
    """`tests/a.py::test_some_result[3]` -> `some result`: words, which wrap between words only."""
    name = nodeid.split("::")[-1].split("[")[0]
    return name.removeprefix("test_").replace("_", " ").strip()


class Sources:
    """Links to the lines of code a check ran, in the repository at the results' commit."""

    def __init__(self, results: dict, repo_url: str):
        self.repo_url = repo_url.rstrip("/")
        self.revision = results.get("revision") or ""
        self.prefix = results.get("prefix") or ""
        self.changed = set(results.get("changed") or [])

    def url(self, record: dict) -> str | None:
        source = record.get("source")
        if not (self.repo_url and self.revision and source) or source["path"] in self.changed:
            return None
        first, last = source["lines"]
        return f"{self.repo_url}/blob/{self.revision}/{self.prefix}{source['path']}#L{first}-L{last}"


def mark(outcome: str) -> str:
    symbol, word = MARKS.get(outcome, MARKS["failed"])
    css = outcome.replace(" ", "-")
    return f'<span class="ledger-{css}" role="img" aria-label="{word}">{symbol}</span>'


def link(text: str, url: str | None) -> str:
    return f'<a href="{html.escape(url)}">{text}</a>' if url else text


def file_order(record: dict) -> tuple:
    """Where a check's code is, then its id: the order a reader of the test file meets the tests
    (a run records them in the order they ran: random, and under xdist as they finish)."""
    source = record.get("source") or {"path": "", "lines": [0, 0]}
    return source["path"], source["lines"][0], record["test"]


def check_cell(claim_id: str, records: list[dict], sources: Sources, displayed: bool) -> str:
    """One kind's checks of a claim: a mark and a link per test function (its cases together).
    A test is named by its words; the displayed-form check, by the id of the claim it compares."""
    tests: dict[str, list[dict]] = {}
    for record in sorted(records, key=file_order):
        tests.setdefault(record["test"].split("[")[0], []).append(record)
    if not tests:
        return f"<td>{mark('not run')}\u00a0{f'<code>{html.escape(claim_id)}</code>' if displayed else 'not run'}</td>"
    entries = []
    for test, cases in tests.items():
        outcomes = [case["outcome"] for case in cases]
        outcome = "failed" if "failed" in outcomes else "skipped" if "skipped" in outcomes else "passed"
        bad = sum(o != "passed" for o in outcomes)
        count = f" ({bad} of {len(cases)} cases)" if bad and len(cases) > 1 else ""
        text = f"<code>{html.escape(claim_id)}</code>" if displayed else html.escape(check_name(test))
        entries.append(f"{mark(outcome)}\u00a0{link(text, sources.url(cases[0]))}{count}")  # the mark stays with its name
    return f"<td>{'<br>'.join(entries)}</td>"


def provenance(results: dict, commit: str, repo_url: str) -> tuple[list[str], dict]:
    """The sentences that say where the statuses come from, and the results that count."""
    if not results:
        return [f"Built from commit `{commit}` with no recorded test run: every claim shows as *not run*. "
                "Run `make test`."], {}
    said = [f"From the test run at {results.get('date', '?')} on commit `{results.get('commit', '?')}`"
            f"{' with uncommitted changes' if results.get('dirty') else ''}; the site was built from commit `{commit}`."]
    if results.get("commit") != commit:
        return said + ["**The test results are from another commit: every claim shows as not run.**"], {}
    changed = sorted(results.get("changed") or [])
    if not repo_url:
        said.append("Checks are named, not linked: no repository is configured (`repo_url`).")
        return said, results
    # Said once in words, for paper: the printed ledger does not print each link's address.
    said.append(f"Each check links to its lines in `{repo_url.rstrip('/')}` at commit `{results.get('revision') or '?'}`.")
    if changed:
        said.append(f"Checks in files that differed from that commit when the tests ran are not linked (the "
                    f"commit does not hold the code that ran): {', '.join(f'`{path}`' for path in changed)}.")
    return said, results


def typeset(engine: Engine, claims: list[str], render: bool) -> dict[str, str]:
    """claim id -> its formula's markup: what KaTeX draws for it on its page (a display as a display,
    its fractions full size; an inline formula inline), or with `render` false the TeX for maths
    typeset in the browser (benchmarks), as the extension leaves it.

    The drawn part only, without the MathML a page adds for screen readers: the formulas' drawing
    is most of the ledger's elements (13,000 of 15,600 for 153 claims), and their MathML would add
    4,600 more; measured in Chromium with 138 claims (main thread, 390 px, medians of 5,
    navigation to settled), it took the page's tasks from 1.6 s to 2.6 s and its style
    recalculation from 0.5 s to 1.1 s. (MathML alone, drawn by Chromium, would be 4,600 elements
    and 100 KB instead of 13,000 and 570 KB, but with the system's fallback maths font it does not
    look as on the page: bold vectors come out plain, spacing is off.) A screen reader reads the link around
    the formula by its name, the claim's statement; the formula's MathML is on its page."""
    index = engine.index
    items = [{"tex": shown_tex(engine.claims[c][0], index.shown[c]), "display": index.shown[c].display, "output": "html"}
             for c in claims]
    if not render:
        delimiters = {True: ("\\[", "\\]"), False: ("\\(", "\\)")}
        return {c: '<span class="arithmatex">{1}{0}{2}</span>'.format(html.escape(i["tex"], quote=False), *delimiters[i["display"]])
                for c, i in zip(claims, items)}
    rendered = engine.katex.render(items)
    errors = [f"{engine.project.page(index.shown[c].page)}: claim {c}: KaTeX cannot render its formula for the ledger: "
              f"{r['error']}" for c, r in zip(claims, rendered) if "error" in r]
    if errors:
        raise EngineError("\n".join(errors))
    return {c: wrap(r["html"], False, {}) for c, r in zip(claims, rendered)}


def ledger_markdown(engine: Engine, require_passed: bool = False, repo_url: str = "",
                    urls: dict[str, str] | None = None, render: bool = True) -> str:
    """The ledger page's Markdown (front matter included).

    repo_url: the repository the checks link into (`<repo_url>/blob/<commit>/<path>#L<a>-L<b>`);
    without one, checks are named but not linked. urls: each page's URL below the site root, the
    ledger's included (by default, directory URLs as MkDocs makes them). render: the extension's
    option of that name."""
    project, index = engine.project, engine.index
    commit = git(project.root, "rev-parse", "--short", "HEAD") or "unknown"
    said, results = provenance(read_results(project.results), commit, repo_url)
    sources = Sources(results, repo_url)
    records_of = results.get("claims", {})

    # Pages in nav order (titles come from the nav), claims in the order their page shows them.
    order = {page: n for n, page in enumerate(dict.fromkeys([*engine.titles, *index.pages]))}
    by_page: dict[str, list[str]] = {}
    for claim_id, shown in sorted(index.shown.items(), key=lambda item: (order.get(item[1].page, len(order)), item[1].line)):
        by_page.setdefault(shown.page, []).append(claim_id)

    formula = typeset(engine, [claim_id for ids in by_page.values() for claim_id in ids], render)

    urls = urls or {}
    ledger_url = urls.get(LEDGER) or page_url(LEDGER)
    counts = {"passed": 0, "failed": 0, "not run": 0}
    head = "".join(f'<th scope="col">{HEADINGS[kind]}</th>' for kind in KINDS)
    sections = []
    for page, ids in by_page.items():
        href = html.escape(relative_url(urls.get(page) or page_url(page), ledger_url))
        rows = []
        for claim_id in ids:
            claim, shown = engine.claims[claim_id][0], index.shown[claim_id]
            records = records_of.get(claim_id, [])
            state = status(records)
            counts[state] += 1
            result = (f'<a href="{href}#{html.escape(shown.anchor)}" title="{html.escape(claim.statement)}">'
                      f"{formula[claim_id]}</a>")
            cells = "".join(check_cell(claim_id, [r for r in records if r["kind"] == kind], sources, kind == "displayed")
                            for kind in KINDS)
            css = "" if state == "passed" else f' class="ledger-{state.replace(" ", "-")}"'
            rows.append(f"<tr{css}><td>{result}</td>{cells}</tr>")
        sections += [
            f"## [{engine.title(page)}]({page})",
            "",
            # Material's start-up moves every table:not([class]) into this wrapper; moved, the
            # ledger's 6,000 elements were laid out anew, twice (2-3 s of blocking time on a
            # throttled phone). Written here with its class, the table is left where it is; extra.css
            # gives it Material's table style.
            f'<div class="ledger"><div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
            f'<table class="{TABLE_CLASS}"><thead><tr><th scope="col">Result</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div></div></div>",
            "",
        ]
    if require_passed:
        gate(counts, len(engine.claims))
    summary = f"{len(engine.claims)} claims: {counts['passed']} passed, {counts['failed']} failed, {counts['not run']} not run."
    intro = [
        "# Proof ledger",
        "",
        f"**{summary}** " + " ".join(said),
        "",
        "A row per result, as its page shows it (follow it there), then its checks, each linked to its "
        "code: *symbolic* (exact, sympy), *numeric* (finite differences or random instances drawn by "
        "hypothesis) and *displayed form* (the formula on the page is the claim's verified value; "
        "named by the claim's id).",
        "",
    ]
    return FRONT_MATTER + "\n".join(intro + sections)
