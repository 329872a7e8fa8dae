// The VS Code client of `policylang lsp`: it starts the language server for .pol files and
// leaves everything else (problems, hover, definition, completion, outline, quick fixes,
// formatting) to it. The server is the same for every editor (docs/editors.md).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("policylang");
  const command = config.get("command") || "policylang";
  const lang = config.get("lang") || (vscode.env.language.startsWith("zh") ? "zh" : "en");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "policylang",
    "policylang",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "policylang" }],
      initializationOptions: { lang },
    },
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("policylang")) {
        vscode.window.showInformationMessage(
          lang === "zh" ? "policylang 设置已更改：请重新加载窗口。" : "policylang settings changed: reload the window.");
      }
    }),
  );
  return client.start().catch((error) => {
    vscode.window.showErrorMessage(
      (lang === "zh"
        ? `无法启动 policylang 语言服务器（${command} lsp）。请安装 policylang，或在设置 policylang.command 中填写其路径。`
        : `Could not start the policylang language server (${command} lsp). Install policylang, or set policylang.command to its path.`)
      + ` ${error.message || error}`);
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
