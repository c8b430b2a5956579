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

const escape = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function render(item) {
  if (item.display) {
    return tightScripts(unspaced(temml.renderToString(item.tex, { ...OPTIONS, displayMode: true })));
  }
  // Inline: Chromium breaks a formula that does not fit the line (after relations and binary
  // operators, as TeX does) only without the <semantics> wrapper, which makes the formula one
  // unbreakable box (two of this site's formulas then ran 60-100 px off a phone's screen). The
  // TeX goes into the <math> element's alttext instead of an annotation.
  const mathml = temml.renderToString(item.tex, { ...OPTIONS, annotate: false, wrap: "tex" });
  return tightScripts(unspaced(mathml.replace(/^<math/, `<math alttext="${escape(item.tex)}"`)));
}

module.exports = { render };
