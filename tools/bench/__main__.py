"""make bench: figures, not assertions. Prints medians of repeated runs, measured side by side, with the
machine's load average at the start and end of each table (the machine may be shared: judge by it).

1. Lighthouse (mobile, npm lighthouse pinned in tools/bench/package-lock.json, Debian's Chromium) on every
   page (or those of --pages), served with gzip like GitHub Pages: performance, total blocking time,
   layout shift, bytes, elements, and the accessibility / best-practices / SEO scores; then
   accessibility again in the dark palette (Chromium told the reader prefers dark, which mkdocs.yml
   maps to slate). A page Lighthouse cannot measure gets NaN and its error code, and the table goes on.
2. Variants of the heaviest page (most elements; or the pages of --pages) in one run, Lighthouse
   interleaved across them (A B C A B C ...) so that load on the machine hits each alike
   (tools/bench/sites.py builds them): this site; Material's documented MathJax 3 set-up; the same with
   MathJax 4; KaTeX's auto-render in the browser (all three self-hosted: any request off the local
   server is listed as a failure); Material's bundle deferred until after the first paint;
   navigation.instant off; and content-visibility: auto on each block of the page (drawn near the screen only).
   The main thread's breakdown of the same: `python -m tools.startup`.
3. Math outputs: the site built once per MATH_OUTPUT value of --math-outputs (default: the site's own),
   on the three pages with the most elements: elements, HTML and transferred bytes, Lighthouse
   performance / TBT / CLS, interleaved.
4. Wall times: `pytest -m "not browser"`, clean and warm `mkdocs build --strict`, the
   rebuild under `mkdocs serve` after touching a snippet, and printing the built site as one
   PDF (tools/site_pdf.py, as `make pdf` does after the build), with its sheets and size.

    python -m tools.bench [--runs 5] [--skip-times] [--sections variants,outputs] [--pages optimization/adam]
                          [--math-outputs katex,katex-mathml,temml] [--variants site,mathjax4]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from tools.bench.sites import (
    BENCH_MODULES,
    BIN,
    ENV,
    ROOT,
    VARIANTS,
    Sites,
    build,
    elements,
    free_port,
    heaviest,
    load,
    page_names,
)
from tools.site_pdf import CHROMIUM_FLAGS, build_pdf, find_chromium

CHROME = find_chromium() or "/usr/bin/chromium"
CHROME_FLAGS = " ".join(CHROMIUM_FLAGS)  # Debian's Chromium, headless, as the PDF and the browser tests run it
# prefers-color-scheme: dark, and nothing else (no forced darkening of the page's own colours)
DARK_FLAGS = CHROME_FLAGS + " --blink-settings=preferredColorScheme=0"
SECTIONS = ("pages", "dark", "variants", "outputs")
METRICS = ("perf", "fcp", "lcp", "tbt", "cls", "kib", "dom", "a11y", "bp", "seo")


class Unmeasured(Exception):
    """Lighthouse gave no report: its error code (or exit status) is the message."""


def lighthouse_report(url: str, categories: str = "performance,accessibility,best-practices,seo",
                      flags: str = CHROME_FLAGS) -> dict:
    try:
        done = subprocess.run(
            [str(BENCH_MODULES / ".bin" / "lighthouse"), url, "--output=json", "--quiet", f"--chrome-path={CHROME}",
             f"--chrome-flags={flags}", f"--only-categories={categories}"],
            capture_output=True, text=True, timeout=300,
        )
    except subprocess.TimeoutExpired:
        raise Unmeasured("TIMEOUT") from None
    if done.returncode or not done.stdout.strip():
        raise Unmeasured(f"EXIT_{done.returncode}")
    return json.loads(done.stdout)


def failed_audits(audits: dict) -> list[str]:
    return sorted(k for k, a in audits.items() if a.get("score") is not None and a["score"] < 1
                  and a.get("scoreDisplayMode") == "binary")


def offsite(audits: dict, url: str) -> list[str]:
    """Hosts other than the page's own that the page requested (the variants are self-hosted)."""
    items = (audits.get("network-requests", {}).get("details") or {}).get("items", [])
    own = urlsplit(url).netloc
    return sorted({f"offsite:{host}" for item in items
                   if (host := urlsplit(item.get("url", "")).netloc) and host != own})


def score(category: dict) -> float:
    return math.nan if category.get("score") is None else category["score"]


def lighthouse(url: str) -> dict:
    """One run's figures. A metric Lighthouse could not measure is NaN, and its error code is listed
    with the failed audits (seen: NO_FCP on the proof ledger, whose trace held no first paint
    although Chromium paints it): the table goes on."""
    try:
        report = lighthouse_report(url)
    except Unmeasured as error:
        return {**dict.fromkeys(METRICS, math.nan), "failed": [], "errors": [str(error)]}
    audits, categories = report["audits"], report["categories"]

    def value(audit: str, scale: float = 1) -> float:
        return audits.get(audit, {}).get("numericValue", math.nan) / scale

    errors = {(report.get("runtimeError") or {}).get("code")}
    errors |= {audits[a].get("errorMessage", "").rsplit("(", 1)[-1].rstrip(")") or None
               for a in ("first-contentful-paint", "total-blocking-time", "cumulative-layout-shift") if a in audits}
    return {
        "perf": score(categories["performance"]), "fcp": value("first-contentful-paint"),
        "lcp": value("largest-contentful-paint"), "tbt": value("total-blocking-time"),
        "cls": value("cumulative-layout-shift"), "kib": value("total-byte-weight", 1024), "dom": value("dom-size"),
        "a11y": score(categories["accessibility"]), "bp": score(categories["best-practices"]),
        "seo": score(categories["seo"]),
        "failed": failed_audits(audits) + offsite(audits, url), "errors": sorted(e for e in errors if e),
    }


def medians(runs: list[dict]) -> dict:
    """Medians of the runs that measured each figure (NaN when none did); failed audits of any run;
    error codes with the number of runs that had them."""
    summary = {}
    for key in METRICS:
        measured = [r[key] for r in runs if not math.isnan(r[key])]
        summary[key] = statistics.median(measured) if measured else math.nan
    summary["failed"] = sorted({f for r in runs for f in r["failed"]})
    codes = [e for r in runs for e in r["errors"]]
    summary["failed"] += [f"{code} ({codes.count(code)}/{len(runs)} runs)" for code in sorted(set(codes))]
    return summary


def fmt(value: float, spec: str, unit: str = "") -> str:
    return "NaN" if math.isnan(value) else f"{value:{spec}}{unit}"


HEADER = ("| {first} | perf | FCP | LCP | TBT | CLS | transferred | DOM elements | a11y | best pr. | SEO | failed audits |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|")


def row(name: str, m: dict) -> str:
    return (f"| {name} | {fmt(m['perf'], '.2f')} | {fmt(m['fcp'] / 1000, '.1f', ' s')} | {fmt(m['lcp'] / 1000, '.1f', ' s')} | "
            f"{fmt(m['tbt'], '.0f', ' ms')} | {fmt(m['cls'], '.3f')} | "
            f"{fmt(m['kib'], '.0f', ' KiB')} | {fmt(m['dom'], '.0f')} | {fmt(m['a11y'], '.2f')} | {fmt(m['bp'], '.2f')} | "
            f"{fmt(m['seo'], '.2f')} | {', '.join(m['failed']) or '-'} |")


def ratio(a: float, b: float) -> str:
    return "NaN" if math.isnan(a) or math.isnan(b) else f"{a / max(b, 1):.2f}x"


def interleaved(runs: int, urls: dict[str, str]) -> dict[str, dict]:
    """Lighthouse on each URL in turn, `runs` rounds (A B C A B C ...): load on the machine hits each alike."""
    results: dict[str, list[dict]] = {name: [] for name in urls}
    for round_ in range(runs):
        for name, url in urls.items():
            results[name].append(lighthouse(url))
        print(f"  round {round_ + 1}/{runs} done, {load()}", file=sys.stderr, flush=True)
    return {name: medians(r) for name, r in results.items()}


def shown(page: str) -> str:
    return page.rstrip("/") or "(home)"


def chosen(site: Path, pages: list[str] | None, count: int) -> list[str]:
    """The pages of --pages (as 'optimization/adam', '(home)'), else the `count` with most elements."""
    if not pages:
        return heaviest(site, count)
    known = {shown(p): p for p in page_names(site)}
    unknown = [p for p in pages if p not in known]
    if unknown:
        raise SystemExit(f"--pages: no such page {unknown}; pages: {sorted(known)}")
    return [known[p] for p in pages]


def timed(command: list[str], **kwargs) -> float:
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True, **kwargs)
    return time.monotonic() - started


def serve_rebuild_time() -> float:
    """Seconds from editing a snippet to the page being rebuilt under `mkdocs serve`."""
    # A real edit (the page's figure is redrawn; a bare touch would hit the figure cache),
    # undone at the end.
    snippet = ROOT / "snippets" / "optimization" / "newton.py"
    original = snippet.read_text(encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:  # wait for the first build
            lines.append(line)
            if "Serving on" in line:
                break
        started = time.monotonic()
        snippet.write_text(original + "# edited by tools/bench\n", encoding="utf-8")
        timer = threading.Timer(120, proc.kill)  # never hang the benchmark
        timer.start()
        try:
            for line in proc.stdout:
                lines.append(line)
                if "Documentation built in" in line or "Reloading browsers" in line:
                    return time.monotonic() - started
        finally:
            timer.cancel()
        raise RuntimeError("mkdocs serve never rebuilt: " + "".join(lines[-5:]))
    finally:
        snippet.write_text(original, encoding="utf-8")
        proc.terminate()
        proc.wait(timeout=10)



def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="Lighthouse runs per page and variant (medians are printed)")
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--skip-times", action="store_true", help="Lighthouse only")
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"Lighthouse tables, comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--pages", type=lambda s: s.split(","), default=None,
                        help="these pages only, comma-separated (optimization/adam,(home)): every table")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="the variants table's columns, comma-separated")
    parser.add_argument("--math-outputs", type=lambda s: s.split(","), default=None,
                        help="MATH_OUTPUT values to build and compare, comma-separated (default: the site's own)")
    args = parser.parse_args(argv)
    unknown = set(args.sections.split(",")) - set(SECTIONS) or set(args.variants.split(",")) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown: {sorted(unknown)}")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_times:
            wall_times(tmp)
        if not args.skip_lighthouse:
            with Sites(tmp) as sites:
                lighthouse_tables(args, sites)
    return 0


def wall_times(tmp: Path) -> None:
    from pypdf import PdfReader  # the browser group's (make bench installs it); the tables need no pypdf

    print(f"## Wall times (builds and rebuilds: medians of 3; the test suite: one run)\n\n{load()}\n", flush=True)
    quick = timed([str(BIN / "python"), "-m", "pytest", "-q", "-m", "not browser", "-p", "no:cacheprovider"])
    clean, warm = [], []
    for _ in range(3):
        shutil.rmtree(tmp / "site", ignore_errors=True)
        clean.append(build(tmp / "site", "http://127.0.0.1:8000/"))
        warm.append(build(tmp / "site", "http://127.0.0.1:8000/"))
    rebuild = statistics.median(serve_rebuild_time() for _ in range(3))
    printed = [build_pdf(tmp / "site", tmp / "site.pdf") for _ in range(3)]
    sheets = len(PdfReader(tmp / "site.pdf").pages)
    print(f"- make test without browser tests: {quick:.1f} s")
    print(f"- mkdocs build --strict: clean {statistics.median(clean):.1f} s, warm {statistics.median(warm):.1f} s")
    print(f"- rebuild under mkdocs serve after editing a snippet: {rebuild:.1f} s")
    print(f"- the built site printed as one PDF: {statistics.median(p.seconds for p in printed):.1f} s"
          f" ({sheets} sheets, {(tmp / 'site.pdf').stat().st_size / 1e6:.1f} MB)\n\n{load()}\n", flush=True)


def lighthouse_tables(args, sites: Sites) -> None:
    sections = args.sections.split(",")
    site, base = sites.get("site")
    if "pages" in sections:
        print(f"## Lighthouse {args.runs}x per page, mobile, gzip (medians)\n\n{load()}\n\n{HEADER.format(first='page')}")
        for page in chosen(site, args.pages, sys.maxsize) if args.pages else page_names(site):
            print(row(shown(page), medians([lighthouse(base + page) for _ in range(args.runs)])), flush=True)
        print(f"\n{load()}\n")
    if "dark" in sections:
        # One run a page: the accessibility audits do not vary from run to run as timings do.
        print(f"## Lighthouse accessibility in the dark palette (slate), mobile\n\n{load()}\n\n"
              "| page | a11y | failed audits |\n|---|---|---|")
        for page in chosen(site, args.pages, sys.maxsize) if args.pages else page_names(site):
            print(f"| {shown(page)} | {dark_accessibility(base + page)} |", flush=True)
        print(f"\n{load()}\n")
    if "variants" in sections:
        variants_table(args, sites)
    if "outputs" in sections:
        outputs_table(args, sites)


def dark_accessibility(url: str) -> str:
    """A table row's cells: the accessibility score in the dark palette and the audits it fails."""
    try:
        report = lighthouse_report(url, "accessibility", DARK_FLAGS)
    except Unmeasured as error:
        return f"NaN | {error} |"
    return f"{fmt(score(report['categories']['accessibility']), '.2f')} | {', '.join(failed_audits(report['audits'])) or '-'}"


def variants_table(args, sites: Sites) -> None:
    variants = args.variants.split(",")
    site, _ = sites.get("site")
    for page in chosen(site, args.pages, 1):
        urls = {variant: sites.get(variant)[1] + page for variant in variants}
        print(f"## {shown(page)} ({elements(site / page / 'index.html')} elements) as {len(variants)} variants, "
              f"Lighthouse {args.runs}x interleaved, mobile, gzip (medians)\n\n{load()}\n\n{HEADER.format(first='variant')}",
              flush=True)
        results = interleaved(args.runs, urls)
        for variant, result in results.items():
            print(row(variant, result))
        if "site" in results:
            print("\n| variant | TBT / site's | perf - site's |\n|---|---|---|")
            for variant in (v for v in variants if v != "site"):
                print(f"| {variant} | {ratio(results[variant]['tbt'], results['site']['tbt'])} | "
                      f"{fmt(results[variant]['perf'] - results['site']['perf'], '+.2f')} |")
        print(f"\n{load()}\n", flush=True)


def outputs_table(args, sites: Sites) -> None:
    """Each MATH_OUTPUT on the three pages with the most elements, side by side."""
    outputs = args.math_outputs or [None]  # None: the site's own (MATH_OUTPUT as the environment has it)
    built = {output or os.environ.get("MATH_OUTPUT", "site's own"): sites.get("site", output) for output in outputs}
    first, _ = next(iter(built.values()))
    pages = chosen(first, args.pages, 3)
    print(f"## Math outputs on {', '.join(map(shown, pages))}: Lighthouse {args.runs}x interleaved, mobile, gzip "
          f"(medians)\n\n{load()}\n\n"
          "| page | MATH_OUTPUT | elements (HTML) | HTML gzip | transferred | perf | TBT | CLS | DOM (Lighthouse) | a11y "
          "| failed audits |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    for page in pages:
        results = interleaved(args.runs, {output: url + page for output, (_, url) in built.items()})
        for output, m in results.items():
            html = built[output][0] / page / "index.html"
            gz = len(gzip.compress(html.read_bytes(), compresslevel=6)) / 1024
            print(f"| {shown(page)} | {output} | {elements(html)} | {gz:.1f} KiB | {fmt(m['kib'], '.0f', ' KiB')} | "
                  f"{fmt(m['perf'], '.2f')} | {fmt(m['tbt'], '.0f', ' ms')} | {fmt(m['cls'], '.3f')} | {fmt(m['dom'], '.0f')} | "
                  f"{fmt(m['a11y'], '.2f')} | {', '.join(m['failed']) or '-'} |", flush=True)
    print(f"\n{load()}\n", flush=True)


if __name__ == "__main__":
    sys.exit(main())
