"""``policylang lsp``: the language server for editors, on standard input and output."""

from __future__ import annotations

import os
import signal

import click

from policylang.cli import bilingual
from policylang.cli.common import lang_option


@bilingual.command("lsp", help_zh="编辑器使用的语言服务器（LSP）：边写边查、悬停说明、跳转到定义、补全、大纲、"
                                  "快速修复和格式化。由编辑器（VS Code、Neovim 等）自动启动，见 docs/zh/editors.md。")
@bilingual.option("--stdio", is_flag=True, help="Speak on standard input and output (the default and only transport).",
                  help_zh="通过标准输入输出通信（默认且唯一的方式）。")
@lang_option
def lsp_command(stdio: bool, lang: str | None) -> None:
    """Language server (LSP) for policy files: problems as you type, hover, go to definition,
    completion, outline, quick fixes and formatting. Editors start it (VS Code, Neovim …;
    docs/editors.md). Without --lang, the editor's language decides."""
    from policylang.lsp.server import make_server  # pygls is loaded only for this command

    server = make_server(lang or click.get_current_context().meta.get(bilingual.LANG_KEY))
    # pygls reads stdin in a thread still blocked in a read when the server ends, and it has
    # written and flushed every message: a normal shutdown would wait for that thread (for
    # ever, or to a fatal error message). The server writes no file, so it simply ends.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: os._exit(0))
    server.start_io()  # returns on the client's `exit` or at the end of input
    os._exit(0)
