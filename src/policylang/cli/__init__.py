"""The ``policylang`` command: one module per subcommand behind one group."""

from __future__ import annotations

import sys
import warnings

import click

from policylang.cli import bilingual
from policylang.cli.check import check_command
from policylang.cli.diff import diff_command
from policylang.cli.ending import (EXIT_CODES_DOC, EXIT_CODES_DOC_ZH, report_internal_error, stdout_closed,
                                   stop_cleanly_on_signals)
from policylang.core.i18n import LANGS
from policylang.io.safe_text import terminal_text
from policylang.cli.eval import eval_command
from policylang.cli.explain import explain_command
from policylang.cli.fields import fields_command
from policylang.cli.fmt import fmt_command
from policylang.cli.init import init_command
from policylang.cli.try_ import try_command
from policylang.cli.lsp import lsp_command
from policylang.cli.quota import quota_command
from policylang.cli.serve import serve_command
from policylang.cli.studio import studio_command
from policylang.cli.doc import doc_command
from policylang.cli.template import template_command
from policylang.cli.test import test_command
from policylang.cli.verify import verify_command


@bilingual.group(help=f"policylang: teacher exchange policies as code (教师交流轮岗政策即代码).\n\n{EXIT_CODES_DOC}",
                 help_zh=f"policylang：教师交流轮岗政策即代码。\n\n{EXIT_CODES_DOC_ZH}")
@bilingual.option("--lang", type=click.Choice(LANGS), expose_value=False,
                  help="Language of help and messages, for every command: en or zh (default: from the locale).",
                  help_zh="帮助和提示信息的语言（对所有命令有效）：en 或 zh（默认随系统语言环境）。")
@click.version_option(package_name="policylang")
def cli() -> None:
    pass


cli.add_command(check_command)
cli.add_command(eval_command)
cli.add_command(explain_command)
cli.add_command(test_command)
cli.add_command(quota_command)
cli.add_command(diff_command)
cli.add_command(template_command)
cli.add_command(serve_command)
cli.add_command(verify_command)
cli.add_command(fmt_command)
cli.add_command(fields_command)
cli.add_command(try_command)
cli.add_command(init_command)
cli.add_command(lsp_command)
cli.add_command(studio_command)
cli.add_command(doc_command)


def main() -> None:
    stop_cleanly_on_signals()  # SIGTERM and Ctrl-C leave no temporary file beside an output
    # a library's warning, should one come, is one line of its message: no source path or code
    # (escaped: a warning may quote a roster's or a request's text, `\x1b]0;…` among it)
    warnings.formatwarning = lambda message, category, *_args, **_kwargs: f"warning: {terminal_text(str(message))}\n"
    try:
        cli(prog_name="policylang")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BrokenPipeError:  # data written to a pipe whose reader went away
        stdout_closed()
    except BaseException as exc:  # noqa: BLE001 - the last resort: no traceback reaches a user (a Rust
        # panic inside polars is a BaseException, PanicException)
        report_internal_error(exc, bilingual.command_line_lang(sys.argv[1:]))
