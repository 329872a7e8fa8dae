// Activate extension.js with stand-ins for the `vscode` module and the language client, and
// print (as JSON) how it starts the server: `node activate.js [COMMAND] [LANG] [DISPLAY_LANGUAGE]`.
// Used by tests/test_textmate.py; the client itself is vscode-languageclient's.
"use strict";

const Module = require("module");
const [command, lang, displayLanguage] = process.argv.slice(2);
const seen = { messages: [] };

const vscode = {
  workspace: {
    getConfiguration: () => ({ get: (key) => ({ command, lang }[key]) }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
  env: { language: displayLanguage || "en" },
  window: { showErrorMessage: (m) => seen.messages.push(m), showInformationMessage: (m) => seen.messages.push(m) },
};

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(seen, { id, name, serverOptions, clientOptions });
  }
  start() { return process.env.FAIL_START ? Promise.reject(new Error("spawn ENOENT")) : Promise.resolve(); }
  stop() { return Promise.resolve(); }
}

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient };
  return load.call(this, request, ...rest);
};

const extension = require("../extension.js");
Promise.resolve(extension.activate({ subscriptions: [] })).then(() => {
  process.stdout.write(JSON.stringify(seen) + "\n");
});
