// Temml's MathML Core for the `temml` math output, loaded by katex_render.cjs (which has already
// parsed and checked the TeX with KaTeX). The browser draws it with the site's OpenType math font
// (verified_docs/mathfont.py); the TeX stays with each formula for assistive technology and search.
"use strict";
const temml = require("temml");

const OPTIONS = { throwOnError: true, strict: true, trust: false, annotate: true };

// \big( … \big) and kin: TeX sets a sized bracket without space (an ordinary, opening or closing
// atom); Temml writes an <mo> without a form, which Chromium spaces as an infix operator
// ("λ ( H(x) )"). Zero spacing on sized brackets, unless Temml set some itself.
const SIZED_BRACKET = /<mo((?: (?!lspace)[a-z]+="[^"]*")* minsize="[^"]*"(?: (?!lspace)[a-z]+="[^"]*")*)>([()[\]{}\u27e8\u27e9\u230a\u230b\u2308\u2309|\u2016])<\/mo>/g;
const unspaced = (mathml) => mathml.replace(SIZED_BRACKET, '<mo$1 lspace="0em" rspace="0em">$2</mo>');

// TeX sets no space around relations and binary operators in sub- and superscripts and under and
// over limits (k=1, t-1, h\to 0); Chromium spaces an <mo> the same at every script level, so
// "k = 1" under a sum reads loose. Zero spacing on every <mo> in a script position, unless Temml
// set some itself. Temml's MathML is well-formed XML: a walk over its tags is enough.
const SCRIPTED = new Set(["msub", "msup", "msubsup", "munder", "mover", "munderover"]);
function tightScripts(mathml) {
  const stack = []; // [name, children seen, inside a script]
  return mathml.replace(/<(\/?)([a-z]+)([^>]*?)(\/?)>/g, (tag, close, name, attrs, selfClose) => {
    if (close) { stack.pop(); return tag; }
    const parent = stack[stack.length - 1];
    let scripted = parent ? parent[2] : false;
    if (parent) {
      if (SCRIPTED.has(parent[0]) && parent[1] >= 1) scripted = true;
      parent[1] += 1;
    }
    if (!selfClose) stack.push([name, 0, scripted]);
    if (name === "mo" && scripted && !/ lspace=/.test(attrs)) return `<mo${attrs} lspace="0em" rspace="0em">`;
    return tag;
  });
}

// \underbrace, \overbrace, \underbracket, \overbracket: Temml writes a stretchy <mo> (⏟ ⏞ ⎵ ⎴)
// under or over the base, which Chromium draws from the font's glyph assembly; with STIX Two Math it
// came out as a row of dashes, or not stretched at all (tools/math_screens.py's gallery). Instead,
// the base goes into <mrow class="tml-hbrace …"> and the brace is painted by the math stylesheet
// across the base's whole width (a CSS mask in the text colour, both palettes; mathfont.HBRACE_CSS).
// The <mo> stays inside, transparent, so the MathML still says what is drawn.
const HBRACES = { "\u23df": "under", "\u23de": "over", "\u23b5": "under bracket", "\u23b4": "over bracket" };
const HBRACE_MO = /^<mo stretchy="true" style="math-depth:0;">([\u23df\u23de\u23b5\u23b4])<\/mo>$/;

function parse(mathml) {
  // Temml's MathML is well-formed XML: a tree of {open, close, children} with text kept verbatim.
  const root = { open: "", close: "", children: [] };
  const stack = [root];
  let at = 0;
  for (const match of mathml.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    const top = stack[stack.length - 1];
    if (match.index > at) top.children.push(mathml.slice(at, match.index));
    at = match.index + match[0].length;
    if (match[1]) { top.close = match[0]; stack.pop(); continue; }
    const node = { name: match[2], open: match[0], close: "", children: [] };
    top.children.push(node);
    if (!match[3]) stack.push(node);
  }
  if (at < mathml.length) root.children.push(mathml.slice(at));
  return root;
}

const serialize = (node) => typeof node === "string" ? node : node.open + node.children.map(serialize).join("") + node.close;

function hbraces(mathml) {
  if (!/[\u23df\u23de\u23b5\u23b4]/.test(mathml)) return mathml;
  const walk = (node) => {
    if (typeof node === "string") return node;
    node.children = node.children.map(walk);
    const [base, mark] = node.children;
    const found = (node.name === "munder" || node.name === "mover") && node.children.length === 2 && HBRACE_MO.exec(serialize(mark));
    if (!found || (HBRACES[found[1]].startsWith("under") !== (node.name === "munder"))) return node;
    const kind = HBRACES[found[1]].split(" ").map((word) => `tml-hbrace-${word}`).join(" ");
    return `<mrow class="tml-hbrace ${kind}">${serialize(base)}<mrow class="tml-hbrace-mark"><mo>${found[1]}</mo></mrow></mrow>`;
  };
  return serialize(walk(parse(mathml)));
}

const escape = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function render(item) {
  if (item.display) {
    return tightScripts(unspaced(hbraces(temml.renderToString(item.tex, { ...OPTIONS, displayMode: true }))));
  }
  // Inline: Chromium breaks a formula that does not fit the line (after relations and binary
  // operators, as TeX does) only without the <semantics> wrapper, which makes the formula one
  // unbreakable box (two of this site's formulas then ran 60-100 px off a phone's screen). The
  // TeX goes into the <math> element's alttext instead of an annotation.
  const mathml = temml.renderToString(item.tex, { ...OPTIONS, annotate: false, wrap: "tex" });
  return tightScripts(unspaced(hbraces(mathml.replace(/^<math/, `<math alttext="${escape(item.tex)}"`))));
}

module.exports = { render };
