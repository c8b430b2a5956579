// Build-time KaTeX renderer, driven by verified_docs/katex.py (KatexRenderer).
// Protocol: one JSON batch per input line, {"items": [{"tex": "...", "display": true}, ...]} (an item
// may ask for "output": "html", KaTeX's drawn part alone; default "htmlAndMathml");
// one JSON line back per batch, {"results": [{"html": "..."} | {"error": "..."}, ...]}.
// One process serves a whole build, so Node and KaTeX start once, not once per formula.
// The math output is the first argument (verified_docs/katex.py OUTPUTS): `katex` (KaTeX's
// HTML + MathML, the default), `katex-mathml` (KaTeX's MathML only) or `temml` (Temml's MathML
// Core: temml_render.cjs). Every output first passes KaTeX's parse and the checks below, so the
// TeX a site may write does not depend on the output it is drawn in.
"use strict";
const katex = require("katex");
const readline = require("readline");
const fontMetrics = require("katex/src/fontMetricsData.js");

const OUTPUT = process.argv[2] || "katex";
const OPTIONS = { throwOnError: true, output: OUTPUT === "katex-mathml" ? "mathml" : "htmlAndMathml",
  strict: "error", trust: false };
const METRICS = fontMetrics.default || fontMetrics;

// A font command draws a character in that font only if the font has it; otherwise KaTeX falls
// back to the normal font without a word (\mathbb{1} is drawn as a plain 1, read as the number).
// Which characters each font has is KaTeX's own font metrics table.
const FONTS = {
  mathbb: ["AMS-Regular"], mathcal: ["Caligraphic-Regular"], mathscr: ["Script-Regular"],
  mathfrak: ["Fraktur-Regular"], mathsf: ["SansSerif-Regular"], mathtt: ["Typewriter-Regular"],
  mathbf: ["Main-Bold"], mathrm: ["Main-Regular"], mathit: ["Main-Italic"],
  boldsymbol: ["Math-BoldItalic", "Main-Bold"],
};
const glyphs = new Map();

function character(text) {
  // "\\alpha" -> "α", as KaTeX writes it in MathML; "1" -> "1".
  if (!text.startsWith("\\")) return text;
  if (!glyphs.has(text)) {
    const mathml = katex.renderToString(text, { output: "mathml", throwOnError: false });
    const found = /<(?:mi|mn|mo)[^>]*>([^<]+)<\//.exec(mathml);
    glyphs.set(text, found ? found[1] : null);
  }
  return glyphs.get(text);
}

function notAsWritten(node, font, found) {
  if (Array.isArray(node)) {
    node.forEach((child) => notAsWritten(child, font, found));
  } else if (node && typeof node === "object") {
    if (node.type === "font" && FONTS[node.font]) font = node.font;
    if (font && (node.type === "mathord" || node.type === "textord") && typeof node.text === "string") {
      const char = character(node.text);
      const codepoint = char ? char.codePointAt(0) : null;
      if (codepoint !== null && !FONTS[font].some((name) => METRICS[name][codepoint])) {
        found.push(`\\${font}{${node.text}} is drawn as a plain ${JSON.stringify(char)}: ` +
          `KaTeX's ${FONTS[font].join("/")} font has no such glyph`);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== "loc" && value && typeof value === "object") notAsWritten(value, font, found);
    }
  }
  return found;
}

// KaTeX's parse of the TeX (a TeX error throws) and what it would draw other than written.
function check(item) {
  const problems = notAsWritten(katex.__parse(item.tex, { ...OPTIONS, displayMode: Boolean(item.display) }), null, []);
  return problems.length ? `drawn other than written: ${[...new Set(problems)].join("; ")}` : null;
}

const DRAW = {
  katex: (item) => katex.renderToString(item.tex, { ...OPTIONS, displayMode: Boolean(item.display) }),
  "katex-mathml": (item) => katex.renderToString(item.tex, { ...OPTIONS, displayMode: Boolean(item.display) }),
  temml: (item) => require("./temml_render.cjs").render(item),
};
if (!DRAW[OUTPUT]) {
  process.stderr.write(`katex_render.cjs: unknown output ${JSON.stringify(OUTPUT)}\n`);
  process.exit(2);
}

// An item asking for "output": "html" (the ledger's formulas) gets KaTeX's drawn part alone under
// `katex`; under a MathML output it gets that output's MathML, which is the drawing there.
function draw(item) {
  if (item.output === "html" && OUTPUT === "katex") {
    return katex.renderToString(item.tex, { ...OPTIONS, output: "html", displayMode: Boolean(item.display) });
  }
  return DRAW[OUTPUT](item);
}

function render(item) {
  try {
    const problem = check(item);
    return problem ? { error: problem } : { html: draw(item) };
  } catch (err) {
    return { error: String(err && err.message ? err.message : err) };
  }
}

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  let out;
  try {
    out = { results: JSON.parse(line).items.map(render) };
  } catch (err) {
    out = { fatal: String(err) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
});
