"""``policylang check FILE...``: parse and check policies, report every diagnostic."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from policylang.cli import bilingual
from policylang.io.safe_text import terminal_text
from policylang.api import check_file
from policylang.present.render import diagnostics_json, diagnostics_text
from policylang.cli.common import lang_option, policy_files, resolve_lang
from policylang.cli.ending import EXIT_IO, EXIT_OK, EXIT_POLICY, err_console, out_console
from policylang.core.diagnostics import PolicyError
from policylang.core.file_errors import cannot_read


@bilingual.command("check", help_zh="检查政策文件：语法、名称、类型、单位、继承关系，以及提示性检查（警告）。")
@bilingual.argument("files", nargs=-1, required=True, type=click.Path(),
                    help="Policy files, or folders (every .pol file in them).",
                    help_zh="政策文件，或文件夹（检查其中所有 .pol 文件）。")
@bilingual.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                  help="text (with the source line and a caret) or json.",
                  help_zh="text（附出错的源代码行和指示符号）或 json。")
@bilingual.option("--strict", is_flag=True, help="Treat warnings as errors.", help_zh="把警告也当作错误。")
@lang_option
def check_command(files: tuple[str, ...], fmt: str, strict: bool, lang: str | None) -> None:
    """Check policy files: syntax, names, types, units, inheritance and lints."""
    lang = resolve_lang(lang)
    everything = []
    failed = False
    out, err = out_console(), err_console()
    named: dict[str, None] = {}  # each file once, in order
    for given in files:
        found = policy_files((given,))
        if not found and Path(given).is_dir():
            err.print(terminal_text(f"文件夹 {given} 中没有 .pol 政策文件" if lang == "zh" else f"the folder {given} holds no .pol file"),
                      markup=False)
            sys.exit(EXIT_IO)
        named.update(dict.fromkeys(found))
    for path in named:
        try:
            policy, diagnostics, texts = check_file(path)
        except OSError as exc:  # P008 (api.UnreadablePolicy), in the user's language, as every command says it
            err.print(diagnostics_text(exc.diagnostics, {}, lang) if isinstance(exc, PolicyError)
                      else cannot_read(path, exc, lang), markup=False)
            sys.exit(EXIT_IO)
        errors = [d for d in diagnostics if d.is_error or strict]
        failed |= bool(errors)
        everything += diagnostics
        if fmt == "text":
            if diagnostics:
                err.print(diagnostics_text(diagnostics, texts, lang) + "\n", markup=False)
            warnings = len(diagnostics) - len([d for d in diagnostics if d.is_error])
            if policy is not None and not errors:
                counts = (len(policy.rules), len(policy.all_exemptions()), len(policy.prerequisites),
                          len([c for c in policy.consequences if not c.version]),  # (an earlier version is no clause)
                          len(policy.quotas), len(policy.priorities),
                          len(policy.provisions), len(policy.tests))
                if lang == "zh":
                    summary = ("规则 {} 条，豁免 {} 条，晋升前提 {} 条，奖惩 {} 条，名额要求 {} 条，优先选派 {} 条，"
                               "不能按名册判断的条款 {} 条，测试 {} 个").format(*counts)
                    out.print(terminal_text(f"✓ {path}：{summary}" + (f"（警告 {warnings} 个）" if warnings else "")), markup=False)
                else:
                    summary = ("{} rules, {} exemptions, {} prerequisites, {} penalties/benefits, {} quotas, "
                               "{} priorities, {} provisions, {} tests").format(*counts)
                    out.print(terminal_text(f"✓ {path}: {summary}" + (f" ({warnings} warning(s))" if warnings else "")),
                              markup=False)
            else:
                n, raised = len(errors), len([d for d in errors if not d.is_error])  # warnings, under --strict
                if lang == "zh":
                    line = f"✗ {path}：{n} 个错误" + (f"（其中 {raised} 个是警告，--strict 下视为错误）" if raised else "")
                else:
                    line = f"✗ {path}: {n} error(s)" + (f" ({raised} of them warnings, errors under --strict)" if raised else "")
                err.print(terminal_text(line), markup=False)
    if fmt == "json":
        click.echo(diagnostics_json(everything))
    sys.exit(EXIT_POLICY if failed else EXIT_OK)
