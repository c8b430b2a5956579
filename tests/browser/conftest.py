"""Browser fixtures: the site built for a local server, served over HTTP, and one Chromium.

The browser is an installed Chromium (Playwright's own download does not work offline):
$CHROME_PATH, else Debian's /usr/bin/chromium, else a Chrome or Chromium on PATH. Without one
these tests are skipped with one loud line; REQUIRE_BROWSER=1 (set by .ci/run and the GitHub
workflows) turns that skip into a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.browser.serving import QuietHandler, free_port
from tests.site_build import ROOT, mkdocs_build

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


# tests/conftest.py prints this as one loud line when a test was skipped for it (under xdist the
# controller never loads this conftest, so the summary lives there).
NO_BROWSER = ("NO BROWSER: browser tests skipped. Install Chromium (Debian: apt-get install -y chromium) "
              "or set CHROME_PATH to a Chrome/Chromium binary.")


def find_browser() -> str | None:
    candidates = [os.environ.get("CHROME_PATH"), "/usr/bin/chromium"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome", "chrome")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def pytest_collection_modifyitems(config, items):
    if find_browser() is not None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(NO_BROWSER + " REQUIRE_BROWSER=1 forbids skipping them.")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=NO_BROWSER))


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """The site built for, and served at, http://127.0.0.1:<free port>/."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    site = tmp_path_factory.mktemp("browser-site")
    os.environ["SITE_URL"] = url
    try:
        result = mkdocs_build(ROOT, site)
    finally:
        del os.environ["SITE_URL"]
    assert result.returncode == 0, result.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=find_browser(), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class PageWatch:
    """A page with its console errors, page errors, failed and third-party requests recorded."""

    def __init__(self, context, origin: str):
        self.page = context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.requested: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}"))
        self.page.on("request", lambda r: self.requested.append(r.url))
        # Layout shifts since the page started loading (read back as window.__shifts).
        self.page.add_init_script("""window.__shifts = [];
            new PerformanceObserver(list => list.getEntries().forEach(e => window.__shifts.push(
                {value: e.value, nodes: e.sources.map(s => s.node ? s.node.nodeName + ' ' + (s.node.textContent || '').slice(0, 60) : '?')})))
            .observe({type: 'layout-shift', buffered: true});""")
        self.page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:")) else self.foreign.append(r.url))


@pytest.fixture
def watched(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    watch = PageWatch(context, site_url)
    yield watch
    context.close()
