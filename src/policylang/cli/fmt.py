"""``policylang fmt PATH...``: policy files in the one canonical layout (``api.format_text``)."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from policylang import api
from policylang.cli import bilingual
from policylang.cli.common import STDIN, lang_option, policy_files, resolve_lang
from policylang.cli.ending import EXIT_IO, EXIT_OK, EXIT_POLICY, err_console
from policylang.core.diagnostics import PolicyError
from policylang.io.output import atomic_write
from policylang.io.safe_text import terminal_text
from policylang.present.render import diagnostics_text
from policylang.core.file_errors import cannot_read, cannot_write

@bilingual.command("fmt", help_zh="""将政策文件整理为统一格式：每个声明从行首开始，每个子句单独一行并缩进两格，
续行按显示宽度对齐（汉字占两格），保留所有注释，并把字符串和注释以外的全角标点和数字改为半角
（，：（）＞＝５０ 改为 ,:()>=50）。格式化不会改变政策的任何决定。

PATH 可以是文件、文件夹（其中所有 .pol 文件）或 -（从标准输入读取，结果写到标准输出；无法整理时原样输出，
只把全角标点改为半角）。默认直接改写文件
（整体写入，不会留下写了一半的文件）；--check 只检查，有文件需要整理时退出码为 1；--diff 显示改动。""")
@bilingual.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True),
                    help="Files, folders (every .pol file in them) or - for standard input.",
                    help_zh="文件、文件夹（其中所有 .pol 文件）或 -（标准输入）。")
@bilingual.option("--check", is_flag=True,
                  help="Change nothing; list the files that are not formatted and exit 1 if there are any.",
                  help_zh="不改写文件；列出尚未整理格式的文件，若有则退出码为 1。")
@bilingual.option("--diff", "show_diff", is_flag=True,
                  help="Change nothing; print what formatting would change as a unified diff (exit 1 if anything).",
                  help_zh="不改写文件；以统一差异格式（unified diff）显示将作的改动（有改动时退出码为 1）。")
@lang_option
def fmt_command(paths: tuple[str, ...], check: bool, show_diff: bool, lang: str | None) -> None:
    """Format policy files in the one canonical layout: each declaration at the start of a line,
    each clause on its own line indented two columns, continuation lines aligned by display
    width (a CJK character takes two columns), every comment kept, and full-width punctuation
    and digits outside texts and comments made ASCII (，：（）＞＝５０ become ,:()>=50).
    Formatting never changes what a policy decides.

    PATH is a file, a folder (every .pol file in it) or - (standard input, the result on
    standard output; input that cannot be formatted comes out as it went in, only its
    full-width punctuation mended). Files are rewritten in place, atomically; --check only checks (exit 1
    when a file would change); --diff shows the changes."""
    lang = resolve_lang(lang)
    err = err_console()
    dry = check or show_diff
    changed, unchanged, failed, unreadable, mended_count = [], 0, 0, 0, 0
    for path in policy_files(paths):
        try:
            if path == STDIN:
                raw = sys.stdin.buffer.read()
                original = raw.decode("utf-8-sig")
                formatted = api.format_text(original, "<stdin>")
            else:
                original, formatted = api.format_file(path)
        except PolicyError as exc:
            if isinstance(exc, OSError):  # the file cannot be opened
                err.print(terminal_text(exc.message(lang)), markup=False)
                unreadable += 1
                continue
            err.print(diagnostics_text(exc.diagnostics, exc.sources, lang), markup=False)
            failed += 1
            # a draft that does not parse yet: its full-width punctuation is mended all the same, so
            # that the next `check` shows what is left, not the commas again
            if path == STDIN:  # `fmt - < a.pol > b.pol` leaves the text in b.pol, not an empty file
                mended = api.ascii_punctuation(original)
                if _passed_through(mended.encode("utf-8"), dry):
                    err.print("标准输入无法整理格式（问题见上），已原样写到标准输出" + ("，只把全角标点改为半角" if
                              mended != original else "") + "；改正后再运行 fmt 整理格式" if lang == "zh" else
                              "standard input not formatted (problems above): written to standard output as it came"
                              + (", only its full-width punctuation made ASCII" if mended != original else "")
                              + "; mend it, then run fmt again for the layout", markup=False)
                continue
            text = getattr(exc, "text", None)
            if text is not None and (mended := api.ascii_punctuation(text)) != text and not dry:
                try:
                    atomic_write(path, mended.encode("utf-8"))
                except OSError:
                    continue
                mended_count += 1
                err.print(terminal_text(f"{path}：已把全角标点改为半角；其余问题见上，改正后再运行 fmt 整理格式" if lang == "zh"
                                        else f"{path}: full-width punctuation made ASCII; mend the rest (above), then "
                                             f"run fmt again for the layout"), markup=False)
            continue
        except RuntimeError as exc:  # the formatter's own check failed: the file is left as it is
            err.print(terminal_text(f"{path}: 无法整理格式，文件未改动（{exc}）" if lang == "zh" else
                                    f"{path}: not formatted, left as it is ({exc})"), markup=False)
            failed += 1
            if path == STDIN:
                _passed_through(raw, dry)
            continue
        except UnicodeDecodeError:
            passed = path == STDIN and _passed_through(raw, dry)
            err.print(("标准输入不是 UTF-8 文本" + ("，已原样写到标准输出" if passed else "")) if lang == "zh" else
                      ("standard input is not UTF-8 text" + (": written to standard output as it came" if passed else "")),
                      markup=False)
            failed += 1
            continue
        except OSError as exc:
            err.print(terminal_text(cannot_read(path, exc, lang)), markup=False)
            unreadable += 1
            continue
        if path == STDIN and not dry:
            sys.stdout.write(formatted)
            continue
        if formatted == original:
            unchanged += 1
            continue
        changed.append(path)
        if show_diff:
            name = "<stdin>" if path == STDIN else path
            sys.stdout.writelines(difflib.unified_diff(original.replace("\r\n", "\n").splitlines(keepends=True),
                                                       formatted.splitlines(keepends=True), name, name))
        if check and not show_diff:
            err.print(terminal_text(f"需要整理格式：{path}" if lang == "zh" else f"would reformat {path}"),
                      markup=False)
        if not dry:
            try:
                atomic_write(path, formatted.encode("utf-8"))
            except OSError as exc:
                err.print(terminal_text(cannot_write(path, exc, lang)), markup=False)
                unreadable += 1
    if paths != (STDIN,):
        err.print(_summary(len(changed), unchanged, failed + unreadable, dry, lang, mended_count), markup=False)
    if unreadable:
        sys.exit(EXIT_IO)
    sys.exit(EXIT_POLICY if failed or (dry and changed) else EXIT_OK)


def _passed_through(data: bytes, dry: bool) -> bool:
    """Standard input that could not be formatted, written to standard output as it came (its
    full-width punctuation made ASCII when it is text that does not parse): `fmt - < a.pol > b.pol`
    then keeps the draft in b.pol rather than emptying it. Nothing under --check or --diff (False)."""
    if dry:
        return False
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return True


def _summary(changed: int, unchanged: int, failed: int, dry: bool, lang: str, mended: int = 0) -> str:
    """The counts; of the files that could not be formatted, those whose full-width punctuation
    was mended all the same (changed on disk: not "none changed")."""
    if lang == "zh":
        parts = [f"{changed} 个文件{'需要整理' if dry else '已整理'}", f"{unchanged} 个文件无需改动"]
        if failed:
            parts.append(f"{failed} 个文件无法整理格式（见上" + (f"；其中 {mended} 个已把全角标点改为半角）" if mended else "）"))
        return "，".join(parts)
    parts = [f"{changed} file(s) {'would be reformatted' if dry else 'reformatted'}", f"{unchanged} unchanged"]
    if failed:
        parts.append(f"{failed} could not be formatted (see above" +
                     (f"; of them {mended} had full-width punctuation made ASCII)" if mended else ")"))
    return ", ".join(parts)
