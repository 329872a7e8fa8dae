// `policylang lsp` spoken to with the JSON-RPC library inside VS Code's language client
// (vscode-languageserver-protocol), with the capabilities VS Code announces: open a policy,
// wait for its diagnostics, hover, and ask for the quick fixes. `node protocol.js COMMAND FILE
// LINE CHARACTER` prints what it saw as JSON. Used by tests/test_textmate.py.
"use strict";

const cp = require("child_process");
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");
const rpc = require("vscode-languageserver-protocol/node");

const [command, file, line, character] = process.argv.slice(2);
const server = cp.spawn(command, ["lsp"], { cwd: path.dirname(file) });
const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout),
                                                new rpc.StreamMessageWriter(server.stdin));
const uri = pathToFileURL(file).href;
const seen = {};

connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
  if (params.uri === uri) seen.diagnostics = params.diagnostics;
});
connection.listen();

(async () => {
  const init = await connection.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid, rootUri: pathToFileURL(path.dirname(file)).href, locale: "zh-cn",
    capabilities: {
      general: { positionEncodings: ["utf-16"] },
      textDocument: {
        synchronization: { dynamicRegistration: true, didSave: true, willSave: true, willSaveWaitUntil: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true, dataSupport: true },
        hover: { dynamicRegistration: true, contentFormat: ["markdown", "plaintext"] },
        completion: { dynamicRegistration: true, completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] } },
        codeAction: { dynamicRegistration: true, isPreferredSupport: true,
                      codeActionLiteralSupport: { codeActionKind: { valueSet: ["", "quickfix", "refactor", "source"] } } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        formatting: { dynamicRegistration: true },
      },
      workspace: { applyEdit: true, workspaceEdit: { documentChanges: true }, configuration: true, workspaceFolders: true },
    },
    workspaceFolders: [{ uri: pathToFileURL(path.dirname(file)).href, name: "policies" }],
  });
  seen.positionEncoding = init.capabilities.positionEncoding;
  await connection.sendNotification(rpc.InitializedNotification.type, {});
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: "policylang", version: 1, text: fs.readFileSync(file, "utf8") } });
  const position = { line: Number(line), character: Number(character) };
  const hover = await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri }, position });
  seen.hover = hover && hover.contents.value;
  const diagnostics = seen.diagnostics || [];
  seen.actions = [];
  for (const d of diagnostics) {
    const actions = await connection.sendRequest(rpc.CodeActionRequest.type,
      { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    seen.actions.push(...actions.map((a) => a.title));
  }
  await connection.sendRequest(rpc.ShutdownRequest.type);
  await connection.sendNotification(rpc.ExitNotification.type);
  process.stdout.write(JSON.stringify(seen) + "\n");
  connection.dispose();
})().catch((error) => { process.stderr.write(String(error.stack || error)); process.exit(1); });
