"""A link check of the served site: every address its pages and stylesheets name answers 200.

The built site is served over HTTP and crawled from the home page. Checked: every href, src and
srcset of every page (links, stylesheets, scripts, preloads, images, favicon, downloads such as
the notebooks' .ipynb), every url() in the site's stylesheets and in the pages' inline styles
(KaTeX's fonts), and the search worker that Material's config names. Every #fragment on a page
of the site must be an id on that page. Nothing may point at another host (the site makes no
third-party requests) but a link (<a href>) into the site's repository, where the proof ledger
links each check's code. Redirects are not followed: a link must name the address that answers.

Pure Python (urllib, html.parser); not a browser test. The site is the one the rest of the suite
builds (for mkdocs.yml's site_url): addresses under that URL are read as addresses of the local
server, as they would be of the published site.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.browser.serving import QuietHandler
from tests.browser.site_pages import PAGES, path_of
from tests.site_build import MATH_OUTPUT, REPOSITORY
from tools.site_pdf import serve

CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""")


class PageParser(HTMLParser):
    """The ids of a page and every address it names, with what names it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []
        self.styles: list[str] = []  # <style> contents and style attributes
        self._text_of: str | None = None  # "style" or "config" while inside one
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for name in ("href", "src"):
            if name in a:
                self.refs.append((f"<{tag} {name}>", a[name]))
        for name in ("srcset", "imagesrcset"):
            for candidate in filter(None, (c.strip() for c in a.get(name, "").split(","))):
                self.refs.append((f"<{tag} {name}>", candidate.split()[0]))
        if a.get("style"):
            self.styles.append(a["style"])
        if tag == "style" or (tag == "script" and a.get("id") == "__config"):
            self._text_of, self._text = ("style" if tag == "style" else "config"), []

    def handle_data(self, data):
        if self._text_of:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._text_of and tag in ("style", "script"):
            text = "".join(self._text)
            if self._text_of == "style":
                self.styles.append(text)
            else:  # Material's config: the search worker it starts on every page
                self.refs.append(("search worker in __config", json.loads(text)["search"]))
            self._text_of = None


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect answers with its own status (301), which is not 200


@dataclass
class Crawl:
    origin: str
    pages: dict[str, set[str]] = field(default_factory=dict)  # page address -> its ids
    refs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # page or stylesheet -> (what, address)
    status: dict[str, int | str] = field(default_factory=dict)  # address without fragment -> status
    stylesheets: list[str] = field(default_factory=list)
    foreign: list[tuple[str, str]] = field(default_factory=list)  # (where, address)
    outbound: list[tuple[str, str]] = field(default_factory=list)  # (where, address): allowed links elsewhere

    def problems(self, source: str) -> list[str]:
        """What is wrong with the addresses `source` names: status, missing fragment."""
        found = []
        for what, address in self.refs.get(source, []):
            if what.endswith(" src>") and address == source:
                found.append(f"{what} is empty")  # names the page itself: no script or image there
                continue
            if not address.startswith(self.origin):
                continue  # reported as foreign
            base, _, fragment = address.partition("#")
            if self.status[base] != 200:
                found.append(f"{what} {address}: {self.status[base]}")
            elif fragment and base not in self.pages:
                found.append(f"{what} {address}: #{fragment} on something that is not a page")
            elif fragment and unquote(fragment) not in self.pages[base]:
                found.append(f"{what} {address}: no id {unquote(fragment)!r} on that page")
        return found


def crawl(start: str, alias: str | None = None, links_to: tuple[str, ...] = ()) -> Crawl:
    """Fetch everything reachable from `start` on its origin; `alias` is read as that origin; an
    <a href> to an address under one of `links_to` is an allowed link elsewhere, not fetched."""
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(start))
    opener = urllib.request.build_opener(NoRedirects)
    result = Crawl(origin)
    queue = [start]

    def resolve(where: str, address: str, what: str) -> str | None:
        if address.startswith("data:"):
            return None
        absolute = urljoin(where, address.strip())
        if alias and absolute.startswith(alias):
            absolute = origin + absolute[len(alias):]
        if what == "<a href>" and absolute.startswith(links_to):
            result.outbound.append((where, absolute))
            return None
        if not absolute.startswith(origin):
            result.foreign.append((where, absolute))
        else:
            base = absolute.partition("#")[0]
            if base not in result.status and base not in queue:
                queue.append(base)
        return absolute

    while queue:
        url = queue.pop(0)
        try:
            with opener.open(url, timeout=30) as response:
                result.status[url], kind, body = response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            result.status[url] = error.code
            continue
        except (urllib.error.URLError, ValueError) as error:
            result.status[url] = str(error)
            continue
        if kind == "text/html":
            parser = PageParser()
            parser.feed(body.decode("utf-8"))
            result.pages[url] = parser.ids
            named = list(parser.refs) + [("url() in an inline style", m[2] or m[4]) for s in parser.styles for m in CSS_URL.finditer(s)]
        elif kind == "text/css":
            result.stylesheets.append(url)
            named = [("url() in the stylesheet", m[2] or m[4]) for m in CSS_URL.finditer(body.decode("utf-8"))]
        else:
            continue
        refs = [(what, resolve(url, address, what)) for what, address in named]
        result.refs[url] = [(what, address) for what, address in refs if address is not None]
    return result


def served(directory: Path):
    """The folder served at http://127.0.0.1:<free port>/ as the browser tests serve the site."""
    return serve(directory, handler=QuietHandler)


# --- the site --------------------------------------------------------------------------------

def site(test):
    """A test of the built site; all on one worker, which crawls it once."""
    return pytest.mark.site(pytest.mark.xdist_group("links")(test))


@pytest.fixture(scope="module")
def site_crawl(built_site) -> Crawl:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', home)
    with served(built_site) as url:
        return crawl(url, alias=canonical[1] if canonical else None, links_to=(REPOSITORY + "/",))


@site
@pytest.mark.parametrize("src", PAGES)
def test_page_links_answer_and_fragments_exist(src, site_crawl):
    page = site_crawl.origin + path_of(src)
    assert page in site_crawl.pages, f"{src}: not reached from the home page"
    assert not site_crawl.problems(page), f"{src}:\n" + "\n".join(site_crawl.problems(page))


@site
def test_every_url_in_the_stylesheets_answers(site_crawl):
    # The math stylesheet, whose fonts are the URLs that matter here: KaTeX's, or the MathML output's.
    math_css = "katex.min.css" if MATH_OUTPUT == "katex" else "assets/math/math.css"
    assert any(s.endswith(math_css) for s in site_crawl.stylesheets), site_crawl.stylesheets
    broken = [p for s in site_crawl.stylesheets for p in site_crawl.problems(s)]
    assert not broken, "\n".join(broken)


@site
def test_nothing_points_at_another_host(site_crawl):
    assert not site_crawl.foreign, site_crawl.foreign


@site
def test_links_into_the_repository_name_a_commit_and_lines(site_crawl):
    """The ledger's links to each check's code: a file at a commit, a range of lines."""
    assert site_crawl.outbound
    where = {page for page, _ in site_crawl.outbound}
    assert where == {site_crawl.origin + path_of("ledger.md")}, where
    source = re.compile(re.escape(REPOSITORY) + r"/blob/[0-9a-f]{40}/[\w./-]+\.py#L\d+-L\d+")
    assert all(source.fullmatch(address) for _, address in site_crawl.outbound), site_crawl.outbound[:3]


# --- the check itself: each kind of breakage fails it --------------------------------------------

SMALL_SITE = {
    "index.html": '<link rel="stylesheet" href="style.css"><link rel="icon" href="icon.png">'
                  '<a href="page/#there">there</a> <a href="files/data.ipynb" download>notebook</a>'
                  '<img src="plot.png" srcset="plot.png 1x, plot@2x.png 2x" alt="">',
    "page/index.html": '<h2 id="there">There</h2><a href="../">home</a>',
    "style.css": "@font-face { font-family: F; src: url(fonts/f.woff2) format('woff2'); }",
    "fonts/f.woff2": "", "files/data.ipynb": "{}", "plot.png": "", "plot@2x.png": "", "icon.png": "",
}
BREAKAGES = {
    "a missing image": (lambda root: (root / "plot@2x.png").unlink(), "plot@2x.png: 404"),
    "a missing fragment": (lambda root: edit(root / "page/index.html", 'id="there"', 'id="here"'), "no id 'there'"),
    "a missing download": (lambda root: (root / "files/data.ipynb").unlink(), "data.ipynb: 404"),
    "a missing font": (lambda root: (root / "fonts/f.woff2").unlink(), "f.woff2: 404"),
    "a link without its slash": (lambda root: edit(root / "index.html", 'href="page/#there"', 'href="page#there"'), "page#there: 301"),
    "an empty script address": (lambda root: edit(root / "index.html", "<a ", '<script src=""></script><a '), "<script src> is empty"),
}


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def all_problems(found: Crawl) -> list[str]:
    return [p for source in found.refs for p in found.problems(source)]


@pytest.fixture
def small_site(tmp_path) -> Path:
    for name, text in SMALL_SITE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_an_intact_small_site_passes(small_site):
    with served(small_site) as url:
        found = crawl(url)
    assert not all_problems(found) and not found.foreign
    assert len(found.pages) == 2 and found.stylesheets


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_the_check_reports(breakage, small_site):
    damage, expected = BREAKAGES[breakage]
    damage(small_site)
    with served(small_site) as url:
        problems = all_problems(crawl(url))
    assert len(problems) == 1 and expected in problems[0], problems


def test_the_check_reports_another_host(small_site):
    edit(small_site / "index.html", "<a ", '<script src="https://cdn.example.org/x.js"></script><a ')
    with served(small_site) as url:
        found = crawl(url)
    assert [address for _, address in found.foreign] == ["https://cdn.example.org/x.js"]


def test_only_a_link_may_point_into_the_repository(small_site):
    """A link (<a href>) there is allowed; a stylesheet from there would be a third-party request,
    and a link elsewhere is still another host."""
    edit(small_site / "index.html", "<a ", '<a href="https://git.example.org/r/blob/0/t.py#L1-L2">code</a>'
         '<a href="https://elsewhere.example.org/">x</a><link rel="stylesheet" href="https://git.example.org/r/x.css"><a ')
    with served(small_site) as url:
        found = crawl(url, links_to=("https://git.example.org/r/",))
    assert [address for _, address in found.outbound] == ["https://git.example.org/r/blob/0/t.py#L1-L2"]
    assert [address for _, address in found.foreign] == ["https://elsewhere.example.org/", "https://git.example.org/r/x.css"]
