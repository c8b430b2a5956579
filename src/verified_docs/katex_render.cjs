// Build-time KaTeX renderer, driven by verified_docs/katex.py (KatexRenderer).
// Protocol: one JSON batch per input line, {"items": [{"tex": "...", "display": true}, ...]};
// one JSON line back per batch, {"results": [{"html": "..."} | {"error": "..."}, ...]}.
// One process serves a whole build, so Node and KaTeX start once, not once per formula.
"use strict";
const katex = require("katex");
const readline = require("readline");

const OPTIONS = { throwOnError: true, output: "htmlAndMathml", strict: "error", trust: false };

function render(item) {
  try {
    return { html: katex.renderToString(item.tex, { ...OPTIONS, displayMode: Boolean(item.display) }) };
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
