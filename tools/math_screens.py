"""The math outputs side by side (the extension's `math_output`): figures and pictures, not assertions.

    python -m tools.math_screens [--out DIR] [--site OUTPUT=DIR ...] [--pages P ...]

In one run: the site built once per output (katex, katex-mathml, temml; or the given built sites),
then, for the three pages with the most elements, each page's element count and what a fresh load
transfers (gzip-served, as GitHub Pages serves it), in a Markdown table; then screenshots. Into
each site a gallery page is added (`math-gallery/`, a built page's frame around the constructs
this site writes, each rendered by that output's renderer, with its own font subset), and at 1280
and 390 px wide, in both palettes (prefers-color-scheme: Material's `default` or `slate`), every
display formula and every paragraph with inline maths of each page is shot; the shots of the same
element are put side by side, one column per output, into one PNG per page, width and palette.
The PNGs are for a person to look at.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import sys
import tempfile
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw

from tools.bench.sites import GzipHandler, build, heaviest
from tools.site_pdf import CHROMIUM_FLAGS, find_chromium, serve
from verified_docs import katex, mathfont
from verified_docs.project import Project

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = katex.OUTPUTS

# (label, TeX, display): every construct the issue names, and the ones this site's pages use.
GALLERY = [
    ("pmatrix, fractions in cells, equation number", r"\mathbf{J}_{\mathbf{f}} = \begin{pmatrix} \frac{\partial^2 y}{\partial u^2} & \frac{\partial^2 y}{\partial v\, \partial u} \\ \frac{\partial^2 y}{\partial u\, \partial v} & \frac{\partial^2 y}{\partial v^2} \end{pmatrix} \tag{1}", True),  # noqa: E501
    ("column vectors, \\approx, \\sqrt", r"\mathbf{p}_2 = \begin{pmatrix} \frac{1}{4}(-6 + \sqrt{21}) \\ \frac{3}{16}(-6 + \sqrt{21}) \end{pmatrix} \approx \begin{pmatrix} -0.3544 \\ -0.2658 \end{pmatrix}", True),  # noqa: E501
    ("aligned with \\text and &&", r"\begin{aligned} g_t &= \nabla_\theta f_t(\theta_{t-1}) && \text{(i) the gradient} \\ \hat m_t &= m_t / (1 - \beta_1^t) && \text{(iv) bias-corrected} \\ \theta_t &= \theta_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon) && \text{(vi) the update} \end{aligned}", True),  # noqa: E501
    ("cases", r"\operatorname{sign}(x) = \begin{cases} 1 & \text{if } x > 0, \\ 0 & \text{if } x = 0, \\ -1 & \text{otherwise} \end{cases}", True),  # noqa: E501
    ("accents \\hat \\tilde \\bar", r"\hat m_t,\ \hat{\mathbf{x}},\ \tilde{\mathbf{p}}_3,\ \bar L_{\text{reg}},\ \hat\theta,\ \tilde x", True),  # noqa: E501
    ("\\underbrace, equation number", r"m_t = \underbrace{(1 - \beta_1) \sum_{i=1}^{t} \beta_1^{t-i}}_{= 1 - \beta_1^t} g_i \tag{2}", True),
    ("sums with limits, \\mathbb{E}, \\left[ \\right]", r"\mathbb{E}\left[z_k^2\right] = s^{2} \sum_{j=1}^{n} {x}_{j}^{2}, \qquad (1 - \beta_1) \sum_{i=1}^{t} \beta_1^{t-i} = 1 - \beta_1^t", True),  # noqa: E501
    ("\\left( \\right) around fractions, \\lim", r"\left(\frac{\partial \mathbf{y}}{\partial \mathbf{x}}\right)_{ij} = \lim_{h \to 0} \frac{y_i(\mathbf{x} + h\mathbf{e}_j) - y_i(\mathbf{x})}{h}", True),  # noqa: E501
    ("bold vectors and symbols, transpose, primes", r"\nabla_{\mathbf{w}} \bar L_{\text{reg}} = \lambda \mathbf{w} + \frac{1}{N} X^{\top} \boldsymbol{\delta}, \quad \sigma'(z) = \sigma(z)(1 - \sigma(z))", True),  # noqa: E501
    ("evaluation bar \\Big|", r"\frac{\partial f}{\partial x_1}\Big|_{x_2 = 3x_1/4} = x_1 \cdot \left(4x_1^2 + 12x_1 + \frac{15}{4}\right)", True),  # noqa: E501
    ("array with \\hline", r"\begin{array}{lcc} \text{bias correction} & |\theta_1 - \theta_0| / \alpha & \approx \\ \hline \text{both corrected (Adam)} & 1 & 1 \\ \text{v not corrected} & 10 \sqrt{10} & 31.62 \end{array}", True),  # noqa: E501
    ("\\big around a matrix function, scientific notation", r"\lambda\big(H_f(\mathbf{x}^*)\big) \approx \begin{pmatrix} 3.9995 \\ 32.5501 \end{pmatrix}, \quad e_6 \approx 1.5 \cdot 10^{-12}", True),  # noqa: E501
    ("inline: fraction, bold, \\mathbb, hat, sum", r"\hat m_t = m_t / (1 - \beta_1^t),\ \mathbf{x} \in \mathbb{R}^n,\ \tfrac{1}{2}\|\mathbf{w}\|^2,\ \sum_{k=1}^{n} x_k y_k,\ \frac{\partial L}{\partial b}", False),  # noqa: E501
]
SHOTS = ".md-typeset .math-display, .md-typeset p:has(.math-inline), .md-typeset li:has(> .math-inline)"
FRAME = "optimization/adam/index.html"  # a built page whose frame holds the gallery


def add_gallery(site: Path, output: str) -> None:
    """site/math-gallery/index.html: a built page's frame around the gallery's formulas."""
    project = Project.at(ROOT)
    with katex.KatexRenderer(project, output) as renderer:
        untagged = [katex.untagged(tex, output) if display else (tex, None) for _, tex, display in GALLERY]
        results = renderer.render([{"tex": tex, "display": d} for (tex, _), (_, _, d) in zip(untagged, GALLERY)])
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise SystemExit(f"{output}: {errors}")
    body = ["<h1>Math output gallery</h1>"]
    for (label, _, display), result, (_, number) in zip(GALLERY, results, untagged):
        shown = katex.drawn(result["html"], number)
        body.append(f"<p>{html.escape(label)}</p>")
        if display:
            body.append(f'<div class="{katex.kind(True, number)}">{shown}</div>')
        else:
            body.append(f'<p class="gallery-inline">Inline: <span class="math-inline">{shown}</span> in running text.</p>')
    frame = (site / FRAME).read_text(encoding="utf-8")
    start = frame.index(">", frame.index("<article")) + 1
    page = frame[:start] + "\n".join(body) + frame[frame.index("</article>"):]
    if output != "katex":  # the site's subset lacks what only the gallery draws: a subset of its own
        fonts = mathfont.subset(mathfont.characters("\n".join(body)), project)
        faces = ""
        for (name, content), family in zip(fonts.items(), (mathfont.FAMILY, mathfont.SMALL_FAMILY)):
            (site / mathfont.MATH_ASSETS / f"gallery-{name}").write_bytes(content)
            faces += f'@font-face{{font-family:"{family}";src:url("../{mathfont.MATH_ASSETS}/gallery-{name}") format("woff2")}}'
        page = page.replace("</head>", f"<style>{faces}</style></head>", 1)
    page = page.replace('href="../../', 'href="../').replace('src="../../', 'src="../')
    (site / "math-gallery").mkdir(exist_ok=True)
    (site / "math-gallery" / "index.html").write_text(page, encoding="utf-8")


MEASURE = """async () => {
  await document.fonts.ready;
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  return {elements: document.getElementsByTagName('*').length,
          transferred: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
          html: performance.getEntriesByType('navigation')[0].transferSize,
          fonts: entries.filter(e => /\\.woff2$/.test(e.name)).reduce((sum, e) => sum + e.transferSize, 0)};
}"""


def measure(browser, base: str, page: str) -> dict:
    """A fresh load of a page (new context: nothing cached), once every request has settled."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(base + page + "/", wait_until="networkidle")
    found = tab.evaluate(MEASURE)
    context.close()
    return found


def shoot(browser, base: str, page: str, width: int, scheme: str) -> list[Image.Image]:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, device_scale_factor=1)
    tab = context.new_page()
    tab.goto(base + page + "/", wait_until="networkidle")
    tab.evaluate("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))")
    shots = []
    for element in tab.query_selector_all(SHOTS):
        box = element.bounding_box()
        if box and box["width"] >= 1 and box["height"] >= 1:
            shots.append(Image.open(BytesIO(element.screenshot(animations="disabled"))).convert("RGB"))
    context.close()
    return shots


def montage(columns: dict[str, list[Image.Image]], scheme: str) -> Image.Image:
    """One row per element, one column per output, labelled; rows are matched by position."""
    names = list(columns)
    rows = max(len(c) for c in columns.values())
    widths = [max((im.width for im in columns[n]), default=10) for n in names]
    heights = [max((columns[n][r].height if r < len(columns[n]) else 0) for n in names) for r in range(rows)]
    gap, head = 6, 22
    background = (255, 255, 255) if scheme == "light" else (30, 33, 41)
    sheet = Image.new("RGB", (sum(widths) + gap * (len(names) + 1), head + sum(heights) + gap * (rows + 1)), (200, 30, 30))
    draw = ImageDraw.Draw(sheet)
    x = gap
    for name, width in zip(names, widths):
        draw.text((x, 4), name, fill=(255, 255, 255))
        y = head + gap
        for r in range(rows):
            draw.rectangle([x, y, x + width - 1, y + heights[r] - 1], fill=background)
            if r < len(columns[name]):
                sheet.paste(columns[name][r], (x, y))
            y += heights[r] + gap
        x += width + gap
    return sheet


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", action="append", default=[], help="OUTPUT=DIR: a built site (default: build each)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/math-screens"))
    parser.add_argument("--pages", nargs="*", help="pages to shoot (default: the gallery and the three heaviest)")
    parser.add_argument("--widths", nargs="*", type=int, default=[1280, 390])
    parser.add_argument("--schemes", nargs="*", default=["light", "dark"])
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    sites = {output: Path(d) for output, d in (s.split("=", 1) for s in args.site)}
    with tempfile.TemporaryDirectory(prefix="math-screens-") as tmp:
        for output in OUTPUTS if not sites else ():
            print(f"building with math_output: {output}", flush=True)
            sites[output] = Path(tmp) / output
            build(sites[output], "", MATH_OUTPUT=output)
        pages = [page.rstrip("/") for page in heaviest(next(iter(sites.values())), 3)]
        running = contextlib.ExitStack()
        servers = {output: (site, running.enter_context(serve(site, 0, GzipHandler))) for output, site in sites.items()}
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
            print("\n| page | " + " | ".join(f"{o}: elements | {o}: KiB (HTML / fonts)" for o in sites) + " |")
            print("|---|" + "---|---|" * len(sites))
            for page in pages:
                cells = []
                for _, base in servers.values():
                    m = measure(browser, base, page)
                    cells += [f"{m['elements']:,}", f"{m['transferred'] / 1024:.0f} ({m['html'] / 1024:.0f} / {m['fonts'] / 1024:.0f})"]
                print(f"| {page} | " + " | ".join(cells) + " |", flush=True)
            print()
            for output, site in sites.items():
                add_gallery(site, output)
            for page in args.pages or ["math-gallery", *pages]:
                for width in args.widths:
                    for scheme in args.schemes:
                        columns = {output: shoot(browser, base, page, width, scheme) for output, (_, base) in servers.items()}
                        name = args.out / f"{page.replace('/', '-')}-{width}-{scheme}.png"
                        montage(columns, scheme).save(name)
                        print(name, {k: len(v) for k, v in columns.items()}, flush=True)
            browser.close()
        running.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
