"""How a command ends: its exit codes, the consoles it speaks on, failing with a message, the
output's reader gone, a signal, an error no check foresaw. Below every other module of the
command line (``bilingual`` ends a command by them too)."""

from __future__ import annotations

import os
import signal
import sys

from rich.console import Console

from policylang.io.safe_text import terminal_text

EXIT_OK = 0
EXIT_POLICY = 1  # the policy has errors
EXIT_USAGE = 2  # bad command line (click's own code)
EXIT_ROSTER = 3  # the roster has problems
EXIT_TESTS = 4  # in-language tests failed
EXIT_IO = 5  # a file could not be read or written
EXIT_WITNESSES = 6  # verify: the property does not hold, witnesses found
EXIT_BUG = 7  # a bug of policylang: a witness of verify the interpreter did not confirm, an unexpected error
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells count it); SIGTERM ends with 143
EXIT_CLOSED = 141  # the reader of standard output went away (`| head`): 128 + SIGPIPE, as a shell's tools end

# what each code means, for the group's --help (docs/cli.md has the long table; a test holds them together)
EXIT_CODES = {EXIT_OK: ("ok", "成功"), EXIT_POLICY: ("the policy has errors", "政策有错误"),
              EXIT_USAGE: ("bad command line", "命令行有误"), EXIT_ROSTER: ("the roster has problems", "名册有问题"),
              EXIT_TESTS: ("in-language tests failed", "政策内测试未通过"),
              EXIT_IO: ("a file could not be read or written", "文件无法读取或写入"),
              EXIT_WITNESSES: ("verify: the property does not hold", "verify：找到反例（检查的结论不成立）"),
              EXIT_BUG: ("a bug of policylang (an internal error, or a witness of verify not confirmed)",
                         "policylang 的缺陷（内部错误，或 verify 的反例未经确认）"),
              EXIT_INTERRUPTED: ("interrupted (Ctrl-C)", "已中断（Ctrl-C）"),
              EXIT_CLOSED: ("the output's reader stopped reading (`| head`)", "输出的接收方已停止读取（如 `| head`）")}
EXIT_CODES_DOC = "Exit codes: " + "; ".join(f"{code} {en}" for code, (en, _) in EXIT_CODES.items()) + "."
EXIT_CODES_DOC_ZH = "退出码：" + "；".join(f"{code} {zh}" for code, (_, zh) in EXIT_CODES.items()) + "。"


def stop_cleanly_on_signals() -> None:
    """End the command on SIGTERM as on Ctrl-C, by an exception, so that every ``finally`` and
    ``except BaseException`` runs and no temporary file is left beside an output (SIGKILL
    alone leaves one). A signal that comes while the command is already ending is ignored,
    so that the cleanup finishes: polars raises KeyboardInterrupt on Ctrl-C by itself, and
    Python's own handler would raise a second one in the middle of the cleanup."""

    def stop(signum, frame):
        if isinstance(sys.exc_info()[1], (KeyboardInterrupt, SystemExit)):
            return  # already ending: let the cleanup run to its end
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:  # a command started with the signal ignored keeps it so
            signal.signal(signum, stop)


def report_internal_error(exc: BaseException, lang: str) -> None:
    """An error no check foresaw, said as one: nothing unfinished was written (every output is
    written whole or not at all), and the details are kept in a file for the maintainers, not
    shown as a traceback; then exit ``EXIT_BUG``."""
    import tempfile
    import traceback

    details = "".join(traceback.format_exception(exc))
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix="policylang-error-", suffix=".txt",
                                         delete=False) as kept:
            kept.write(f"policylang {_version()}\n{' '.join(sys.argv)}\n\n{details}")
        where = kept.name
    except OSError:
        where = None
    kind = type(exc).__name__
    if lang == "zh":
        message = (f"内部错误（{kind}）：这是 policylang 的缺陷，不是您的文件或命令有误；未完成的结果没有写入文件。"
                   + (f"详细信息已保存到 {where}，请将该文件连同所用的命令发给维护者。" if where else ""))
    else:
        message = (f"internal error ({kind}): a bug of policylang, not of your files or command; nothing "
                   "unfinished was written." + (f" The details are in {where}: please send that file, with the command, "
                                     "to the maintainers." if where else ""))
    fail(message, EXIT_BUG)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policylang")
    except PackageNotFoundError:
        return "(not installed)"


def stdout_closed() -> None:
    """The reader of standard output went away (`policylang fields … | head -1`): end at once and
    quietly, as a shell's own tools do, not as an error of the policy (rich's exit 1)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's last flush writes nowhere
    except (OSError, ValueError):
        pass
    raise SystemExit(EXIT_CLOSED)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        stdout_closed()


def err_console() -> Console:
    return _Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # `:cow:` in a value stays text


def out_console() -> Console:
    return _Console(highlight=False, soft_wrap=True, emoji=False)


def fail(message: str, code: int) -> None:
    err_console().print(terminal_text(message, newlines=True), markup=False)
    sys.exit(code)
