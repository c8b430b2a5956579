"""Material's start-up on long pages: where the main thread's time goes, per site variant.

    python -m tools.startup [--runs 5] [--pages optimization/adam,...] [--variants site,cv,defer,noinstant]
                            [--math-outputs katex,temml]

Figures, not assertions. Each variant is a build of this repository (tools/bench/sites.py: `site`,
`defer` = Material's bundle started after the first paint, `noinstant` = navigation.instant off, `cv`
= content-visibility: auto on each block; the in-browser maths variants too), served with gzip. Each
page (default: the three with the most elements) is loaded in Chromium with 4x CPU throttling
(Lighthouse's mobile setting) under a performance trace, from the start of navigation to 3 s after the
load event (the window measured); the variants in turn, --runs rounds, so that load on the machine hits
them alike. Printed, medians: first contentful paint; blocking time (each main-thread task after the
first paint, less 50 ms, summed: Lighthouse's TBT without its network simulation); the longest task;
what the tasks after the first paint spent their time on (script, style, layout, paint, HTML parsing);
and, as counts that do not depend on the machine's load as times do, the elements restyled and objects
laid out over the whole load (in brackets: how many restyles / layouts touched 1,000 or more). """

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from tools.bench.sites import VARIANTS, Sites, elements, heaviest, load, page_names
from tools.site_pdf import CHROMIUM_FLAGS, find_chromium

STEPS = {  # trace event name -> column
    "FunctionCall": "script", "EvaluateScript": "script", "v8.compile": "script", "TimerFire": "script",
    "EventDispatch": "script", "FireAnimationFrame": "script", "RunMicrotasks": "script", "v8.evaluateModule": "script",
    "UpdateLayoutTree": "style", "RecalculateStyles": "style", "ParseAuthorStyleSheet": "style",
    "Layout": "layout", "Paint": "paint", "PrePaint": "paint", "Layerize": "paint", "UpdateLayer": "paint",
    "ParseHTML": "parse",
}
COLUMNS = ("script", "style", "layout", "paint", "parse", "other")
SETTLE_MS = 3000  # the window measured after the load event


def trace(browser, url: str) -> list[dict]:
    """The trace events of one cold load of `url` in a phone-sized, 4x-throttled tab."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75, is_mobile=True)
    try:
        tab = context.new_page()
        cdp = context.new_cdp_session(tab)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        events: list[dict] = []
        cdp.on("Tracing.dataCollected", lambda data: events.extend(data["value"]))
        done: list[bool] = []
        cdp.on("Tracing.tracingComplete", lambda _: done.append(True))
        cdp.send("Tracing.start", {"categories": "devtools.timeline,disabled-by-default-devtools.timeline,v8,"
                                                 "blink.user_timing,loading,toplevel", "transferMode": "ReportEvents"})
        tab.goto(url, wait_until="load")
        tab.wait_for_timeout(SETTLE_MS)  # the measured window, not a wait for a condition
        cdp.send("Tracing.end")
        while not done:
            tab.wait_for_timeout(50)
        return events
    finally:
        context.close()


def analyse(events: list[dict]) -> dict:
    names = {e["tid"]: e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    paints = [e for e in events if e.get("name") == "firstContentfulPaint"]
    if not paints:
        raise RuntimeError("no first contentful paint in the trace")
    pids = {e["pid"] for e in paints}
    fcp = min(e["ts"] for e in paints)
    start = min(e["ts"] for e in events if e.get("name") == "navigationStart" and e["pid"] in pids)
    main = [e for e in events if e.get("pid") in pids and names.get(e.get("tid")) == "CrRendererMain" and e.get("ph") == "X"]
    tasks = [e for e in main if e["name"] in ("RunTask", "ThreadControllerImpl::RunTask") and e.get("dur", 0) > 0]
    after = [t for t in tasks if t["ts"] + t["dur"] > fcp]
    spent = dict.fromkeys(COLUMNS, 0.0)
    main.sort(key=lambda e: (e["ts"], -e.get("dur", 0)))
    for task in after:
        end = task["ts"] + task["dur"]
        inside = [e for e in main if task["ts"] <= e["ts"] < end and e is not task]
        # Self time of each event, charged to its own column or else its nearest ancestor's:
        # a layout forced by a script counts as layout, the script's own work as script.
        stack: list[tuple[dict, str, list[float]]] = [(task, "other", [task["dur"]])]
        for e in inside:
            while len(stack) > 1 and e["ts"] >= stack[-1][0]["ts"] + stack[-1][0].get("dur", 0):
                _, column, own = stack.pop()
                spent[column] += own[0] / 1000
            stack[-1][2][0] -= e.get("dur", 0)
            stack.append((e, STEPS.get(e["name"], stack[-1][1]), [e.get("dur", 0)]))
        while stack:
            _, column, own = stack.pop()
            spent[column] += own[0] / 1000
    restyled = laid_out = restyles = layouts = 0
    for e in main:
        args = e.get("args", {})
        if e["name"] in ("UpdateLayoutTree", "RecalculateStyles"):
            count = (args.get("elementCount") or (args.get("beginData") or {}).get("elementCount") or 0)
            restyled += count
            restyles += count >= 1000
        elif e["name"] == "Layout":
            count = (args.get("beginData") or {}).get("dirtyObjects", 0) or 0
            laid_out += count
            layouts += count >= 1000
    return {"fcp": (fcp - start) / 1000, "blocking": sum(max(0, t["dur"] / 1000 - 50) for t in after),
            "longest": max((t["dur"] / 1000 for t in after), default=0), "restyled": restyled, "laid_out": laid_out,
            "restyles": restyles, "layouts": layouts, **spent}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=lambda s: s.split(","), default=None,
                        help="comma-separated (optimization/adam); default: the three with the most elements")
    parser.add_argument("--variants", type=lambda s: s.split(","), default=["site", "cv", "defer", "noinstant"],
                        help=f"comma-separated, of {', '.join(VARIANTS)}")
    parser.add_argument("--math-outputs", type=lambda s: s.split(","), default=[None],
                        help="each variant built once per MATH_OUTPUT value (default: the site's own)")
    args = parser.parse_args(argv)
    if unknown := set(args.variants) - set(VARIANTS):
        parser.error(f"unknown variants {sorted(unknown)}")
    executable = find_chromium()
    if executable is None:
        parser.error("no Chromium: install one (Debian: apt-get install -y chromium) or set CHROME_PATH")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as name, Sites(Path(name)) as sites, sync_playwright() as playwright:
        urls = {(variant if output is None else f"{variant} ({output})"): sites.get(variant, output)[1]
                for output in args.math_outputs for variant in args.variants}
        site, _ = sites.get(args.variants[0], args.math_outputs[0])
        known = {p.rstrip("/"): p for p in page_names(site)}
        pages = [known[p] for p in args.pages] if args.pages else heaviest(site, 3)
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            for page in pages:
                print(f"\n## {page.rstrip('/') or '(home)'} ({elements(site / page / 'index.html')} elements): main thread "
                      f"after the first paint (times) and over the whole load (counts), 4x CPU throttling, medians of "
                      f"{args.runs}, variants interleaved\n\n{load()}\n")
                runs: dict[str, list[dict]] = {variant: [] for variant in urls}
                for _ in range(args.runs):
                    for variant, url in urls.items():
                        runs[variant].append(analyse(trace(browser, url + page)))
                print("| variant | FCP | blocking | longest task | script | style | layout | paint | parse | other "
                      "| elements restyled (big restyles) | objects laid out (big layouts) |\n"
                      "|---|---|---|---|---|---|---|---|---|---|---|---|")
                for variant, results in runs.items():
                    m = {k: statistics.median(r[k] for r in results) for k in results[0]}
                    print(f"| {variant} | {m['fcp']:.0f} ms | {m['blocking']:.0f} ms | {m['longest']:.0f} ms | "
                          + " | ".join(f"{m[c]:.0f} ms" for c in COLUMNS)
                          + f" | {m['restyled']:.0f} ({m['restyles']:.0f}) | {m['laid_out']:.0f} ({m['layouts']:.0f}) |")
                print(f"\n{load()}", flush=True)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
