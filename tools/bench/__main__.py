"""make bench: figures, not assertions. Prints medians of repeated runs, measured side by side.

1. Lighthouse (mobile, npm lighthouse pinned in tools/bench/package-lock.json, Debian's Chromium) on every
   page, served with gzip like GitHub Pages: performance, total blocking time, layout shift,
   bytes, and the accessibility / best-practices / SEO scores; then accessibility again in the
   dark palette (Chromium told the reader prefers dark, which mkdocs.yml maps to slate).
2. The heaviest maths page three ways in the same run: build-time KaTeX (this site),
   Material's documented MathJax 3 set-up, and KaTeX's auto-render in the browser, both
   self-hosted from node_modules.
3. Wall times: `pytest -m "not browser"`, clean and warm `mkdocs build --strict`, the
   rebuild under `mkdocs serve` after touching a snippet, and printing the built site as one
   PDF (tools/site_pdf.py, as `make pdf` does after the build), with its sheets and size.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from pypdf import PdfReader

from tools.site_pdf import build_pdf

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
NODE_MODULES = ROOT / "node_modules"  # KaTeX, as the build uses it
BENCH_MODULES = Path(__file__).resolve().parent / "node_modules"  # Lighthouse, MathJax: make bench alone
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
                " --disable-sync --no-first-run")
# prefers-color-scheme: dark, and nothing else (no forced darkening of the page's own colours)
DARK_FLAGS = CHROME_FLAGS + " --blink-settings=preferredColorScheme=0"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip, as GitHub Pages serves them (python -m http.server does not)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or not path.name.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(directory: Path):
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}/"


def build(site_dir: Path, site_url: str, config: Path | None = None) -> float:
    command = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)]
    if config:
        command += ["--config-file", str(config)]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env={**ENV, "SITE_URL": site_url}, check=True, capture_output=True)
    return time.monotonic() - started


def lighthouse_report(url: str, categories: str = "performance,accessibility,best-practices,seo",
                      flags: str = CHROME_FLAGS) -> dict:
    out = subprocess.run(
        [str(BENCH_MODULES / ".bin" / "lighthouse"), url, "--output=json", "--quiet", f"--chrome-path={CHROME}",
         f"--chrome-flags={flags}", f"--only-categories={categories}"],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout
    return json.loads(out)


def failed_audits(audits: dict) -> list[str]:
    return sorted(k for k, a in audits.items() if a.get("score") is not None and a["score"] < 1
                  and a.get("scoreDisplayMode") == "binary")


def lighthouse(url: str) -> dict:
    """One run's figures. A metric Lighthouse could not measure is NaN and its error code is listed
    with the failed audits (seen: NO_FCP on the proof ledger, whose trace held no first paint
    although Chromium paints it and reports one outside Lighthouse): the table goes on."""
    report = lighthouse_report(url)
    audits, categories = report["audits"], report["categories"]

    def value(audit: str) -> float:
        return audits[audit].get("numericValue", math.nan)

    unmeasured = sorted({audits[a]["errorMessage"].rsplit("(", 1)[-1].rstrip(")") for a in ("total-blocking-time",)
                         if audits[a].get("errorMessage")})
    return {
        "perf": categories["performance"]["score"] if categories["performance"]["score"] is not None else math.nan,
        "tbt": value("total-blocking-time"),
        "cls": value("cumulative-layout-shift"),
        "kib": value("total-byte-weight") / 1024,
        "a11y": categories["accessibility"]["score"],
        "bp": categories["best-practices"]["score"],
        "seo": categories["seo"]["score"],
        "failed": failed_audits(audits) + unmeasured,
    }


def dark_accessibility(url: str) -> str:
    """A table row's cells: the accessibility score in the dark palette and the audits it fails."""
    report = lighthouse_report(url, "accessibility", DARK_FLAGS)
    return f"{report['categories']['accessibility']['score']:.2f} | {', '.join(failed_audits(report['audits'])) or '-'}"


def medians(runs: list[dict]) -> dict:
    keys = ("perf", "tbt", "cls", "kib", "a11y", "bp", "seo")
    summary = {k: statistics.median(r[k] for r in runs) for k in keys}
    summary["failed"] = sorted({f for r in runs for f in r["failed"]})
    return summary


def row(name: str, m: dict) -> str:
    failed = ", ".join(m["failed"]) or "-"
    return (f"| {name} | {m['perf']:.2f} | {m['tbt']:.0f} ms | {m['cls']:.3f} | {m['kib']:.0f} KiB | "
            f"{m['a11y']:.2f} | {m['bp']:.2f} | {m['seo']:.2f} | {failed} |")


def page_urls(site: Path, base: str) -> list[tuple[str, str]]:
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return [(p if p != "." else "(home)", base + ("" if p == "." else p + "/")) for p in pages]


def variant_config(kind: str, tmp: Path) -> Path:
    """mkdocs.yml for a comparison build: maths rendered in the browser instead of at build."""
    from verified_docs.mkdocs_config import EXTENSION, read_config

    # The engine as ever, but TeX left in arithmatex's markup for the browser (render: false).
    extensions = [{EXTENSION: {"render": False}} if entry == EXTENSION else entry
                  for entry in read_config(ROOT / "mkdocs.yml")["markdown_extensions"]]
    config = {"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(ROOT / "docs"),
              "watch": [str(ROOT / "snippets")], "markdown_extensions": extensions}
    if kind == "mathjax":  # Material's documented set-up (docs: reference/math/#mathjax), self-hosted
        config["extra_javascript"] = ["assets/bench/mathjax-config.js", "assets/bench/mathjax/tex-mml-chtml.js"]
        config["extra_css"] = ["assets/stylesheets/extra.css"]
    else:  # KaTeX auto-render in the browser, self-hosted
        config["extra_javascript"] = ["assets/bench/katex/katex.min.js", "assets/bench/katex/contrib/auto-render.min.js",
                                      "assets/bench/katex-config.js"]
        config["extra_css"] = ["assets/bench/katex/katex.min.css", "assets/stylesheets/extra.css"]
    path = tmp / f"mkdocs-{kind}.yml"
    path.write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return path


def add_browser_math(site: Path, kind: str) -> None:
    bench = site / "assets" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    if kind == "mathjax":
        shutil.copytree(BENCH_MODULES / "mathjax" / "es5", bench / "mathjax")
        (bench / "mathjax-config.js").write_text(
            'window.MathJax = {tex: {inlineMath: [["\\\\(", "\\\\)"]], displayMath: [["\\\\[", "\\\\]"]], '
            'processEscapes: true, processEnvironments: true}, options: {ignoreHtmlClass: ".*|", '
            'processHtmlClass: "arithmatex"}};\n'
            'document$.subscribe(() => { MathJax.startup.output.clearCache(); MathJax.typesetClear(); '
            'MathJax.texReset(); MathJax.typesetPromise(); });\n')
    else:
        shutil.copytree(NODE_MODULES / "katex" / "dist", bench / "katex")
        (bench / "katex-config.js").write_text(
            'document$.subscribe(({ body }) => { renderMathInElement(body, { delimiters: ['
            '{ left: "$$", right: "$$", display: true }, { left: "$", right: "$", display: false }, '
            '{ left: "\\\\(", right: "\\\\)", display: false }, { left: "\\\\[", right: "\\\\]", display: true }] }); });\n')


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
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (medians are printed)")
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--skip-times", action="store_true", help="Lighthouse only")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.skip_times:
            return lighthouse_tables(args, tmp)
        print("## Wall times (builds and rebuilds: medians of 3; the test suite: one run)\n", flush=True)
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
              f" ({sheets} sheets, {(tmp / 'site.pdf').stat().st_size / 1e6:.1f} MB)\n", flush=True)
        if args.skip_lighthouse:
            return 0
        return lighthouse_tables(args, tmp)


def lighthouse_tables(args, tmp: Path) -> int:
    sites = {}
    for kind in ("katex-build", "mathjax", "katex-browser"):
        site = tmp / kind
        port = free_port()
        # Build for the URL it will be served at, then serve it.
        url = f"http://127.0.0.1:{port}/"
        build(site, url, None if kind == "katex-build" else variant_config(kind.split("-")[0] if kind == "mathjax" else "katex", tmp))
        if kind != "katex-build":
            add_browser_math(site, "mathjax" if kind == "mathjax" else "katex")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        urllib.request.urlopen(url).read()
        sites[kind] = (site, url, server)

    header = ("| page | perf | TBT | CLS | transferred | a11y | best pr. | SEO | failed audits |\n"
              "|---|---|---|---|---|---|---|---|---|")
    print(f"## Lighthouse {args.runs}x per page, mobile, gzip (medians)\n\n{header}")
    site, base, _ = sites["katex-build"]
    heaviest = max(page_urls(site, base), key=lambda pu: (site / pu[0].replace("(home)", "") / "index.html").stat().st_size)
    for name, url in page_urls(site, base):
        print(row(name, medians([lighthouse(url) for _ in range(args.runs)])), flush=True)

    # One run a page: the accessibility audits do not vary from run to run as timings do.
    print("\n## Lighthouse accessibility in the dark palette (slate), mobile\n\n"
          "| page | a11y | failed audits |\n|---|---|---|")
    for name, url in page_urls(site, base):
        print(f"| {name} | {dark_accessibility(url)} |", flush=True)

    print(f"\n## The heaviest maths page ({heaviest[0]}) three ways, same run\n\n{header}")
    results = {}
    for kind, (_, base_url, _) in sites.items():
        results[kind] = medians([lighthouse(base_url + heaviest[0] + "/") for _ in range(args.runs)])
        print(row(kind, results[kind]), flush=True)
    for kind in ("mathjax", "katex-browser"):
        ratio = results[kind]["tbt"] / max(results["katex-build"]["tbt"], 1)
        print(f"- total blocking time, {kind} / build-time KaTeX: {ratio:.1f}x")
    for _, _, server in sites.values():
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
