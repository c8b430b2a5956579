"""Wait for a page the way a reader does: on conditions, never on a clock.

A page has "arrived" when its navigation is finished (a full load, or Material's instant
navigation has swapped the new page in), and it has "settled" when nothing a reader looks at can
still move: Material's script has run its start-up, the fonts are loaded, every image in view is
decoded (figures load lazily: one further down has its space reserved and loads as it nears),
and the scroll offset, the document's height, the target's position and the count of layout
shifts have stayed the same for SETTLED_FRAMES consecutive animation frames.
"""

from __future__ import annotations

# Consecutive identical frames that count as "settled". Fonts and images are awaited explicitly,
# and Material scrolls to a #fragment in the same task that swaps the page in, so what is left to
# wait for is a relayout or scroll one or two frames later (a ResizeObserver callback, a scroll
# that Chromium's scroll anchoring corrects): 5 frames (83 ms at 60 Hz, longer when the machine
# is busy, because frames then come later) is more than twice that, and still shorter than a
# reader's glance (~200 ms).
SETTLED_FRAMES = 5
# Not a sleep: how long a page may take to settle before the test reports that it did not.
SETTLE_TIMEOUT_MS = 20_000

# Installed in every page before its own scripts: layout shifts with the time, the phase and what
# moved (for messages that say where), and a count of the pages Material's script has shown.
OBSERVE = """
window.__shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.__shifts.push({
    value: e.value, time: Math.round(e.startTime), settled: !!window.__settled,
    nodes: e.sources.map(s => {
        const n = s.node, el = n && (n.nodeType === 1 ? n : n.parentElement);
        const where = el && el.closest('[id]');
        return (n ? n.nodeName + (el && el.className ? '.' + String(el.className).split(' ')[0] : '') : '?')
            + (where ? ' in #' + where.id : '') + ' ' + ((n && n.textContent) || '').slice(0, 40)
            + ' ' + JSON.stringify([s.previousRect.x, s.previousRect.y]) + '->' + JSON.stringify([s.currentRect.x, s.currentRect.y]);
    })})))
    .observe({type: 'layout-shift', buffered: true});
window.__arrivals = 0;
document.addEventListener('DOMContentLoaded', () => {
    // Material's document$ replays the page it has shown; it emits again on each instant navigation.
    if (window.document$) document$.subscribe(() => { window.__arrivals += 1; });
});
"""

SETTLE = """async ({anchor, frames, timeout}) => {
    const deadline = performance.now() + timeout;
    const frame = () => new Promise(requestAnimationFrame);
    const inView = i => { const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; };
    const theme = typeof window.document$ !== 'undefined' && window.__arrivals > 0;
    let last = null, still = 0, state = null;
    while (still < frames) {
        if (performance.now() > deadline) return {settled: false, theme, state};
        await frame();
        await document.fonts.ready;
        // A lazy image far from the viewport is not fetched (its decode() would never settle):
        // its space is reserved (width, height), so only those in view are waited for.
        // Bounded by the deadline (not a wait: it only turns a hang into "did not settle").
        await Promise.race([
            Promise.all([...document.images].filter(i => i.loading !== 'lazy' || i.complete || inView(i))
                .map(i => i.decode().catch(() => null))),
            new Promise(done => setTimeout(done, Math.max(0, deadline - performance.now()))),
        ]);
        const target = anchor ? document.getElementById(anchor) : null;
        state = JSON.stringify({
            x: scrollX, y: scrollY, height: document.documentElement.scrollHeight,
            target: target ? target.getBoundingClientRect().top : null,
            fonts: document.fonts.status, images: [...document.images].filter(i => !i.complete && inView(i)).length,
            shifts: (window.__shifts || []).length,
        });
        if (state === last) still += 1; else { still = 0; last = state; }
    }
    window.__settled = true;
    return {settled: true, theme, state};
}"""


def settle(page, anchor: str | None = None) -> None:
    """Return once the page has settled (see the module's docstring); fail if it does not."""
    outcome = page.evaluate(SETTLE, {"anchor": anchor, "frames": SETTLED_FRAMES, "timeout": SETTLE_TIMEOUT_MS})
    assert outcome["theme"], f"{page.url}: Material's script did not run (no document$)"
    assert outcome["settled"], f"{page.url}: still moving after {SETTLE_TIMEOUT_MS} ms: {outcome['state']}"


def arrivals(page) -> int:
    return page.evaluate("() => window.__arrivals")


def wait_for_arrival(page, before: int, url: str) -> None:
    """Material's instant navigation has shown `url` (document$ emitted after `before` pages)."""
    page.wait_for_function(
        "([before, url]) => window.__arrivals > before && location.href === url",
        arg=[before, url], timeout=SETTLE_TIMEOUT_MS,
    )


def assert_in_view_below_header(page, anchor: str) -> None:
    """The target starts below the header and is inside the viewport (all of it, or as much as
    fits below the header when it is taller than that)."""
    box = page.evaluate(f"() => document.getElementById({anchor!r}).getBoundingClientRect().toJSON()")
    header = page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
    height = page.viewport_size["height"]
    # Rects are fractional: a target flush with the header may start a fraction of a pixel under it.
    fits = box["bottom"] <= height or box["height"] > height - header
    assert header - 1 <= box["top"] < height and fits, f"#{anchor} at {box}, header ends at {header}, viewport {height}"
