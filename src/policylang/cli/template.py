"""``policylang template -o 花名册模板.xlsx``: a blank roster workbook to fill in."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.text import Text

from policylang.core.file_errors import cannot_write
from policylang.cli import bilingual
from policylang.io.output import atomic_write
from policylang.io.safe_text import terminal_text
from policylang.present.roster_template import template_bytes
from policylang.cli.common import lang_option, load_policy_or_exit, resolve_lang
from policylang.cli.ending import EXIT_IO, EXIT_OK, EXIT_USAGE, err_console, fail


@bilingual.command("template", help_zh="生成空白的名册工作簿：名册的标准各列（--lang zh 时为中文表头）、代码列和是/否列的下拉选项、\n日期格式、学校工作表，以及说明每一列、并列出所给政策中哪些规则读取该列的说明表。")
@bilingual.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                  help="The workbook to write (.xlsx), atomically.", help_zh="要写入的工作簿（.xlsx），整体写入。")
@bilingual.option("--policy", "policies", multiple=True, type=click.Path(dir_okay=False),
                  help="A policy whose columns the template marks, with the rules that read each (repeatable).",
                  help_zh="一份政策：模板标出它读取的列及读取各列的规则（可多次给出）。")
@lang_option
def template_command(output, policies, lang):
    """Write a blank roster workbook: the contract's columns (Chinese headers with --lang zh),
    drop-down lists for coded and yes/no columns, date formats, a schools sheet, and a sheet
    explaining each column and which rules of the given policies read it."""
    lang = resolve_lang(lang)
    if Path(output).suffix.lower() != ".xlsx":
        fail(f"-o {output}：模板只能写成 .xlsx 文件" if lang == "zh" else
             f"-o {output}: the template is an .xlsx workbook; name the file .xlsx", EXIT_USAGE)
    loaded = [(Path(p).name, load_policy_or_exit(p, lang).checked) for p in policies]
    try:
        from importlib.metadata import version

        written_by = version("policylang")
    except Exception:  # noqa: BLE001 - not installed: a checkout on the path
        written_by = ""
    try:
        atomic_write(output, template_bytes(lang, loaded, written_by))
    except OSError as exc:
        fail(cannot_write(output, exc, lang), EXIT_IO)
    err_console().print(Text(f"已写入 {terminal_text(output)}" if lang == "zh" else f"wrote {terminal_text(output)}"))
    sys.exit(EXIT_OK)
