"""``policylang lsp``: the language server for editors, on standard input and output."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Speak on standard input and output (the default and only transport).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of messages (default: the editor's locale, else the environment's).")
def lsp_command(stdio: bool, lang: str | None) -> None:
    """Language server (LSP) for policy files: problems as you type, hover, go to definition,
    completion, outline and quick fixes. 语言服务器：供编辑器（VS Code、Neovim 等）使用。"""
    from policylang.lsp.server import make_server  # pygls is loaded only for this command

    make_server(lang).start_io()
