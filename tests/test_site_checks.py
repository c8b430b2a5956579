"""The site checks (tests/site_checks.py) can fail: each finds what it looks for in a small
built site written here, and nothing in a clean one."""

from __future__ import annotations

from tests.site_checks import (
    eager_images,
    external_hosts,
    missing_pages,
    raw_tex,
    third_party_hosts,
    unmarked_claims,
    unnumbered,
    unsized_images,
)

KATEX = ('<span class="katex"><span class="katex-mathml"><math><semantics><mrow></mrow>'
         '<annotation encoding="application/x-tex">{tex}</annotation></semantics></math></span></span>')


def display(attrs: str, tex: str) -> str:
    return f'<div class="math-display"{attrs}>{KATEX.format(tex=tex)}</div>'


def inline(attrs: str, tex: str) -> str:
    return f'<span class="math-inline"{attrs}>{KATEX.format(tex=tex)}</span>'


def write_site(tmp_path, body: str):
    (tmp_path / "a").mkdir(exist_ok=True)
    (tmp_path / "a" / "index.html").write_text(f"<html><body>{body}</body></html>")
    return tmp_path


def test_a_clean_site_passes(tmp_path):
    site = write_site(tmp_path, display(' id="eq-x" data-claim="c.x"', r"x = 1 \tag{1}") + display(' data-given=""', "y")
                      + display(' data-quoted=""', "q") + inline(' data-claim="c.x"', "x = 1")
                      + inline(' data-claim="c.z" id="claim-c.z"', "z = 2") + inline("", "w")
                      + '<img width="1" height="1" loading="lazy" decoding="async" alt="" src="f.svg">')
    assert not missing_pages(site, ["a.md"]) and not raw_tex((site / "a" / "index.html").read_text())
    assert not unnumbered(site, {"x": ("a.md", 1)}) and not unmarked_claims(site, {"c.x", "c.z"})
    assert not third_party_hosts(site)
    assert not unsized_images(site)
    assert not eager_images(site)


def test_each_check_finds_its_fault(tmp_path):
    site = write_site(tmp_path, display(' data-claim="c.x"', "x = 1") + display("", "y")
                      + display(' data-claim="c.z" id="claim-c.z"', "z = 2") + inline(' data-claim="c.z"', "z = 2")
                      + display(' data-claim="c.z"', "z = 2")
                      + '<span class="arithmatex">\\(z\\)</span><img src="https://cdn.example.org/i.png">')
    assert missing_pages(site, ["a.md", "b.md"]) == ["b.md"]
    assert raw_tex((site / "a" / "index.html").read_text()) == ["\\(", "\\)", "arithmatex markup"]
    assert unnumbered(site, {"x": ("a.md", 1)}) == ["x"]
    assert unmarked_claims(site, {"c.x", "c.y", "c.z"}) == [
        "a/index.html: unmarked display 'y'", "c.y shown nowhere", "c.z shown in 2 displays", "c.x has no home anchor"]
    assert third_party_hosts(site) == {"a/index.html": ["cdn.example.org"]}
    assert unsized_images(site) == ['a/index.html: <img src="https://cdn.example.org/i.png">']
    assert eager_images(site) == ['a/index.html: <img src="https://cdn.example.org/i.png">']


def test_third_party_detector_sees_what_it_should():
    assert external_hosts('<link href="https://fonts.googleapis.com/css">') == {"fonts.googleapis.com"}
    assert external_hosts('<script src="//cdn.jsdelivr.net/x.js"></script>') == {"cdn.jsdelivr.net"}
    assert external_hosts("a{background:url(https://x.org/i.png)}") == {"x.org"}
    assert external_hosts('<svg xmlns="http://www.w3.org/2000/svg">') == set()
    # A link is not a request: the ledger links each check to its code in the repository.
    assert external_hosts('<a href="https://github.com/o/r/blob/x/t.py#L1-L2">t</a>') == set()
    assert external_hosts('<a href="x/"><img src="https://x.org/i.png"></a>') == {"x.org"}
