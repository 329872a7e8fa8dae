"""``policylang lsp``: the language server for editors, on standard input and output."""

from __future__ import annotations

import click

from policylang.cli import bilingual


@bilingual.command("lsp", help_zh="政策文件的语言服务器（LSP），供编辑器（VS Code、Neovim 等）使用：边写边提示问题、悬停说明、\n跳转到定义、自动补全、大纲和快速修复。")
@bilingual.option("--stdio", is_flag=True, help="Speak on standard input and output (the default and only transport).",
                  help_zh="通过标准输入输出通信（默认且唯一的方式）。")
@bilingual.option("--lang", type=click.Choice(["en", "zh"]), default=None,
                  help="Language of messages (default: the editor's locale, else the environment's).",
                  help_zh="提示信息的语言（默认：编辑器的语言，否则随系统语言环境）。")
def lsp_command(stdio: bool, lang: str | None) -> None:
    """Language server (LSP) for policy files: problems as you type, hover, go to definition,
    completion, outline and quick fixes. 语言服务器：供编辑器（VS Code、Neovim 等）使用。"""
    from policylang.lsp.server import make_server  # pygls is loaded only for this command

    make_server(lang).start_io()
