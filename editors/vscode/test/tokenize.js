// Tokenize policy files with the TextMate grammar, as VS Code does (vscode-textmate on the
// Oniguruma regex engine): `node tokenize.js FILE...` prints one JSON object per file,
// {file, lines: [[{text, scopes}, ...], ...]}. Used by tests/test_textmate.py.
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = __dirname;
const wasm = fs.readFileSync(path.join(here, "..", "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
const grammarPath = path.join(here, "..", "syntaxes", "policylang.tmLanguage.json");

async function main() {
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.policylang"
        ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath)
        : null,
  });
  const grammar = await registry.loadGrammar("source.policylang");
  for (const file of process.argv.slice(2)) {
    const text = fs.readFileSync(file, "utf8");
    let state = vsctm.INITIAL;
    const lines = [];
    for (const line of text.split(/\r?\n/)) {
      const result = grammar.tokenizeLine(line, state);
      lines.push(result.tokens.map((t) => ({ text: line.substring(t.startIndex, t.endIndex), scopes: t.scopes })));
      state = result.ruleStack;
    }
    process.stdout.write(JSON.stringify({ file, lines }) + "\n");
  }
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
