"""Browser fixtures: the site built as published (with its PDF) for a local server, served over
HTTP, and one Chromium.

The browser is an installed Chromium (Playwright's own download does not work offline):
$CHROME_PATH, else Debian's /usr/bin/chromium, else a Chrome or Chromium on PATH. Without one
these tests are skipped with one loud line; REQUIRE_BROWSER=1 (set by .ci/run and the GitHub
workflows) turns that skip into a failure.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.reading import OBSERVE
from tests.browser.serving import QuietHandler, free_port
from tests.site_build import ROOT, mkdocs_build
from tools.site_pdf import CHROMIUM_FLAGS, PdfBuild, build_pdf, serve
from tools.site_pdf import find_chromium as find_browser

# tests/conftest.py prints this as one loud line when a test was skipped for it (under xdist the
# controller never loads this conftest, so the summary lives there).
NO_BROWSER = ("NO BROWSER: browser tests skipped. Install Chromium (Debian: apt-get install -y chromium) "
              "or set CHROME_PATH to a Chrome/Chromium binary.")


def pytest_collection_modifyitems(config, items):
    if find_browser() is not None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(NO_BROWSER + " REQUIRE_BROWSER=1 forbids skipping them.")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=NO_BROWSER))


@dataclass(frozen=True)
class PublishedSite:
    url: str
    path: Path
    pdf: PdfBuild


# The PDF's name as `make pdf` (the publishing build) gives it.
PDF_NAME = re.search(r"^PDF_NAME := (\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)[1]


@pytest.fixture(scope="session")
def published_site(tmp_path_factory, browser, ledger_results) -> PublishedSite:
    """The site as the Pages workflow publishes it (`make pdf`): built for, and served at,
    http://127.0.0.1:<free port>/, every page linking the whole-site PDF, printed into it; its
    ledger as published (tests/conftest.py: ledger_results)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    site = tmp_path_factory.mktemp("browser-site")
    os.environ.update(SITE_URL=url, SITE_PDF=PDF_NAME)
    try:
        result = mkdocs_build(ROOT, site, env=ledger_results)
    finally:
        del os.environ["SITE_URL"], os.environ["SITE_PDF"]
    assert result.returncode == 0, result.stderr
    pdf = build_pdf(site, browser=browser)
    with serve(site, port, QuietHandler):
        yield PublishedSite(url, site, pdf)


@pytest.fixture(scope="session")
def site_url(published_site) -> str:
    return published_site.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=find_browser(), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


# Every test that reads a page does it as each of these readers: Material's two palettes, chosen
# by the reader's prefers-color-scheme (both are configured with a media query), on a desktop and
# at a phone's width (390 CSS px: iPhone 12 to 15), where wide formulas and tables overflow.
READERS = {
    "desktop-light": ("light", {"width": 1280, "height": 900}),
    "desktop-dark": ("dark", {"width": 1280, "height": 900}),
    "phone-light": ("light", {"width": 390, "height": 844}),
    "phone-dark": ("dark", {"width": 390, "height": 844}),
}
SCHEMES = {"light": "default", "dark": "slate"}  # Material's name for each palette


class Reader:
    def __init__(self, name: str):
        self.name = name
        self.preference, self.viewport = READERS[name]
        self.scheme = SCHEMES[self.preference]


@pytest.fixture(params=list(READERS))
def reader(request) -> Reader:
    return Reader(request.param)


class PageWatch:
    """A page with its console errors, page errors, failed and third-party requests recorded."""

    def __init__(self, context, origin: str, reader: Reader):
        self.reader = reader
        self.page = context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.requested: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}"))
        self.page.on("request", lambda r: self.requested.append(r.url))
        self.page.add_init_script(OBSERVE)  # layout shifts and Material's page count (tests/browser/reading.py)
        self.page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:")) else self.foreign.append(r.url))


@pytest.fixture
def watched(browser, site_url, reader):
    context = browser.new_context(viewport=reader.viewport, color_scheme=reader.preference)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    watch = PageWatch(context, site_url, reader)
    yield watch
    context.close()
