"""tools/bench: what the tables are made of, without a browser (the figures themselves are not tested)."""

from __future__ import annotations

import math

import pytest

import tools.bench.__main__ as bench
from tools.bench.sites import defer_material

# A built page's end as Material's base.html writes it, with overrides/partials/reader.html's script after the bundle.
PAGE = """<html><body><div>text</div>
<script id="__config" type="application/json">{"features": []}</script>
<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>
<script>
document$.subscribe(() => { if (1 < 2 && true) console.log("<b>not a tag</b>"); });
</script>
</body></html>
"""


def test_deferred_material_starts_after_the_first_paint_and_keeps_the_scripts_that_need_it(tmp_path):
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    assert defer_material(tmp_path) == 1
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/javascripts/bundle' not in page
    assert 'requestAnimationFrame(()=>setTimeout(' in page and '"../assets/javascripts/bundle.a5f9d56c.min.js"' in page
    # Material's document$ waits for DOMContentLoaded, long gone when the bundle arrives: sent again.
    assert "dispatchEvent(new Event('DOMContentLoaded'))" in page
    # The script after the bundle is held verbatim, inert, and no longer runs before the bundle exists.
    held = '<script type="text/plain" class="after-material">\ndocument$.subscribe(() => { if (1 < 2 && true)'
    assert held in page
    assert page.count("document$.subscribe") == 1
    assert '<script id="__config" type="application/json">' in page


def test_a_site_without_materials_bundle_tag_is_an_error_not_a_silent_no_op(tmp_path):
    (tmp_path / "index.html").write_text(PAGE.replace("bundle.a5f9d56c.min.js", "other.js"), encoding="utf-8")
    with pytest.raises(RuntimeError, match="bundle"):
        defer_material(tmp_path)


def report(fcp_error: str | None = None, host: str = "127.0.0.1:8000") -> dict:
    audits = {
        "total-blocking-time": {"numericValue": 40.0}, "cumulative-layout-shift": {"numericValue": 0.0},
        "total-byte-weight": {"numericValue": 2048.0}, "dom-size": {"numericValue": 900.0},
        "network-requests": {"details": {"items": [{"url": f"http://{host}/assets/x.js"}]}},
        "first-contentful-paint": {"numericValue": 900.0}, "largest-contentful-paint": {"numericValue": 1200.0},
    }
    categories = {name: {"score": 1.0} for name in ("performance", "accessibility", "best-practices", "seo")}
    if fcp_error:
        for audit in ("first-contentful-paint", "total-blocking-time"):
            audits[audit] = {"score": None, "errorMessage": f"The page did not paint any content. ({fcp_error})"}
        categories["performance"]["score"] = None
    return {"audits": audits, "categories": categories}


def test_a_page_lighthouse_cannot_measure_is_nan_with_its_error_code(monkeypatch):
    reports = iter([report(), report("NO_FCP"), report()])
    monkeypatch.setattr(bench, "lighthouse_report", lambda url: next(reports))
    runs = [bench.lighthouse("http://127.0.0.1:8000/ledger/") for _ in range(3)]
    assert math.isnan(runs[1]["perf"]) and math.isnan(runs[1]["tbt"]) and runs[1]["errors"] == ["NO_FCP"]
    summary = bench.medians(runs)
    assert summary["perf"] == 1.0 and summary["tbt"] == 40.0  # the runs that measured
    assert summary["failed"] == ["NO_FCP (1/3 runs)"]
    assert "| NaN | NaN |" in bench.row("ledger", bench.medians(runs[1:2]))


def test_no_report_at_all_is_a_row_of_nan(monkeypatch):
    def fails(url):
        raise bench.Unmeasured("EXIT_1")

    monkeypatch.setattr(bench, "lighthouse_report", fails)
    summary = bench.medians([bench.lighthouse("http://127.0.0.1:8000/")])
    assert all(math.isnan(summary[key]) for key in bench.METRICS)
    assert summary["failed"] == ["EXIT_1 (1/1 runs)"]


def test_a_request_off_the_local_server_is_a_failure(monkeypatch):
    monkeypatch.setattr(bench, "lighthouse_report", lambda url: report(host="cdn.jsdelivr.net"))
    assert bench.lighthouse("http://127.0.0.1:8000/")["failed"] == ["offsite:cdn.jsdelivr.net"]
    monkeypatch.setattr(bench, "lighthouse_report", lambda url: report())
    assert bench.lighthouse("http://127.0.0.1:8000/")["failed"] == []
