"""``--help`` in Chinese or English: the one mechanism every command uses.

The language of the help is chosen before it is rendered: ``--lang zh|en`` anywhere on the
command line (``policylang --lang zh --help``, ``policylang eval --help --lang zh``), else
the locale (``core.i18n.default_lang``: ``LC_ALL``/``LC_MESSAGES``/``LANG`` starting with
``zh``; ``POLICYLANG_LANG`` wins). In Chinese the headings, the usage line, click's own
``--help``/``--version`` lines and every text a command gives in Chinese are shown, and
text is wrapped by display width (a CJK character takes two columns).

A command keeps its help in both languages next to it. To add one::

    from policylang.cli import bilingual

    @bilingual.command("verify", help_zh="证明政策的性质：……")
    @bilingual.argument("policy", help="The policy file.", help_zh="政策文件。")
    @bilingual.option("--depth", type=int, help="How deep to search.", help_zh="搜索深度。")
    @lang_option
    def verify_command(policy, depth, lang):
        \"\"\"Prove properties of a policy: … (the English help, as click reads it).\"\"\"

then ``cli.add_command(verify_command)`` in ``cli/__init__.py``. ``bilingual.option`` and
``bilingual.argument`` take every argument ``click.option``/``click.argument`` take, plus
``help_zh``; ``bilingual.command`` takes those of ``click.command`` plus ``help_zh`` (and
``short_help_zh`` if the first sentence is not a good one-line summary). A plain
``click.option`` still works: its help shows in English. ``tests/test_help.py`` checks that
every command and every option of ``policylang`` has its Chinese help.
"""

from __future__ import annotations

import contextlib

import re

import click
from click.formatting import HelpFormatter, iter_rows, measure_table

from policylang.cli.ending import EXIT_INTERRUPTED, EXIT_ROSTER, fail, stdout_closed
from policylang.core.i18n import LANGS, default_lang
from policylang.core.text_width import char_width, display_width

LANG_KEY = "policylang.lang"

# click's own words, in Chinese
_CLICK_ZH = {
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Arguments": "参数",
}


def chosen_lang(ctx: click.Context | None = None) -> str:
    """The language this command line asked for (``--lang`` anywhere on it), else the locale's."""
    ctx = ctx or click.get_current_context(silent=True)
    chosen = ctx.meta.get(LANG_KEY) if ctx is not None else None
    return chosen or default_lang()


def command_line_lang(args: list[str]) -> str:
    """The language a command line asks for, read from its words alone (after the command, when
    no context is left): ``--lang`` anywhere on it, else the locale's."""
    return _lang_in(args) or default_lang()


def _lang_in(args: list[str]) -> str | None:
    """The value of the last ``--lang`` among ``args`` (before a ``--``), if any is valid."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else \
            arg.partition("=")[2] if arg.startswith("--lang=") else None
        if value in LANGS:
            found = value
    return found


def _without_lang(args: list[str]) -> list[str]:
    out, skip = [], False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--":
            return out + args[i:]
        elif arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANGS:
            skip = True
        elif not (arg.startswith("--lang=") and arg.partition("=")[2] in LANGS):
            out.append(arg)
    return out


def _remember_lang(ctx: click.Context, args: list[str]) -> None:
    lang = _lang_in(args)
    if lang:
        ctx.meta[LANG_KEY] = lang


class _Context(click.Context):
    def make_formatter(self) -> HelpFormatter:
        if chosen_lang(self) == "zh":
            return ChineseHelpFormatter(width=self.terminal_width, max_width=self.max_content_width)
        return super().make_formatter()


class _Bilingual:
    """What a bilingual command and group share: the Chinese help text, options shown in
    the chosen language, and ``--lang`` read before anything is rendered."""

    context_class = _Context
    help_zh: str | None = None
    short_help_zh: str | None = None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _remember_lang(ctx, args)
        if not isinstance(self, click.Group) and not any(p.name == "lang" for p in self.params):
            args = _without_lang(args)  # a command with no --lang of its own still takes it for its help
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            _argument_meant(self, ctx, exc)
            raise

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            _said_in_chosen_language(exc)
            raise

    def invoke(self, ctx: click.Context):
        from policylang.lang.legal_dates import DateOutOfRange

        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            _said_in_chosen_language(exc, ctx)
            raise
        except BrokenPipeError:  # the output's reader went away (`| head`): click would exit 1, as a policy's error
            stdout_closed()
        except KeyboardInterrupt:  # Ctrl-C: said in the chosen language (click would say "Aborted!" and exit 1)
            fail("\n已中断；输出文件（如有）未改动。" if chosen_lang(ctx) == "zh" else
                 "\ninterrupted; the output file, if any, is as it was.", EXIT_INTERRUPTED)
        except DateOutOfRange as exc:  # a roster's date moved past the calendar: no decision, no traceback
            fail(f"无法作出决定：政策由名册中的日期推算出的日期超出公历范围：{exc.message('zh')}。\n"
                 "请检查名册中是否有 9999-12-31 之类表示“长期”的日期；没有写入任何文件。"
                 if chosen_lang(ctx) == "zh" else
                 f"no decision: a date the policy computes from a roster date is outside years 1..9999: {exc}.\n"
                 "Look for a date such as 9999-12-31 standing for \"indefinite\" in the roster; no file was written.",
                 EXIT_ROSTER)

    def format_help_text(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        if chosen_lang(ctx) == "zh" and self.help_zh:
            with _swapped(self, "help", self.help_zh):
                return super().format_help_text(ctx, formatter)
        return super().format_help_text(ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        if chosen_lang(ctx) != "zh":
            return super().format_options(ctx, formatter)
        with _chinese_help([p for p in self.get_params(ctx) if isinstance(p, (click.Option, click.Argument))]):
            return super().format_options(ctx, formatter)

    def format_arguments(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        if chosen_lang(ctx) != "zh":
            return super().format_arguments(ctx, formatter)
        with _chinese_help([p for p in self.get_params(ctx) if isinstance(p, click.Argument)]):
            return super().format_arguments(ctx, formatter)

    def short_help_in(self, lang: str, limit: int) -> str:
        """The one-line summary a group lists this command with."""
        if lang == "zh" and (self.short_help_zh or self.help_zh):
            text = self.short_help_zh or _first_sentence_zh(self.help_zh)
            return _cut(text, limit)
        return self.get_short_help_str(limit)


def _zh_help(param: click.Parameter, help_en: str | None) -> str | None:
    return getattr(param, "help_zh", None) or _CLICK_ZH.get(help_en or "", help_en)


# click's usage errors, in Chinese: (pattern of the English message, Chinese)
# click's suggestions after "No such option": one ('--set'), several (8.2 and later), or its older list
_MEANT = (r"(?: Did you mean '(.+?)'\?| \(Did you mean one of: (.+?)\?\))?"
          r"(?: \(Possible options: (.+)\))?")


def _meant_zh(match: re.Match) -> str:
    one, several, possible = match[2], match[3], match[4]
    if one:
        return f"；是否应为 `{one}`？"
    if several or possible:
        return "；是否应为以下之一：" + "、".join(f"`{o.strip()}`" for o in (several or possible).replace("'", "").split(","))
    return "。"


_USAGE_ZH = [
    (rf"No such command '(.+?)'\.{_MEANT}", lambda m: f"没有 `{m[1]}` 这个命令" + _meant_zh(m)),
    (rf"No such option '(.+?)'\.{_MEANT}", lambda m: f"没有 `{m[1]}` 这个选项" + _meant_zh(m)),
    (r"Missing argument '(.+?)'\.", lambda m: f"缺少参数 {m[1]}。"),
    (r"Missing option '(.+?)'\.", lambda m: f"缺少必填的选项 {m[1]}。"),
    (r"Missing command\.", lambda m: "缺少命令。"),
    (r"Option '(.+?)' requires an argument\.", lambda m: f"选项 {m[1]} 后面须给出取值。"),
    (r"Option '(.+?)' does not take a value\.", lambda m: f"选项 {m[1]} 不带取值。"),
    (r"Got unexpected extra arguments? \((.+)\)", lambda m: f"多余的参数：{m[1]}"),
    (r"Invalid value for (.+?): '(.+?)' is not one of (.+)\.",
     lambda m: f"{_option_names(m[1])} 的取值 `{m[2]}` 无效，应为 {m[3]} 之一。"),
    (r"Invalid value for (.+?): '(.+?)' is not a valid (?:integer|float)(?: range)?\.",
     lambda m: f"{_option_names(m[1])} 的取值 `{m[2]}` 不是有效的数字。"),
    (r"Invalid value for (.+?): (?:File|Directory|Path) '(.+?)' does not exist\.",
     lambda m: f"{_option_names(m[1])}：`{m[2]}` 不存在。"),
    (r"Invalid value for (.+?): (?:File|Path) '(.+?)' is a directory\.",
     lambda m: f"{_option_names(m[1])}：`{m[2]}` 是文件夹，应为文件。"),
    (r"Invalid value for (.+?): (?:Directory|Path) '(.+?)' is a file\.",
     lambda m: f"{_option_names(m[1])}：`{m[2]}` 是文件，应为文件夹。"),
    (r"Invalid value for (.+?): (?:File|Directory|Path) '(.+?)' is not (readable|writable)\.",
     lambda m: f"{_option_names(m[1])}：没有{'读取' if m[3] == 'readable' else '写入'} `{m[2]}` 的权限。"),
    (r"Invalid value for (.+?): (.+?) is not in the range x>=(.+?)\.",
     lambda m: f"{_option_names(m[1])} 的取值 `{m[2]}` 无效，应不小于 {m[3]}。"),
    (r"Invalid value for (.+?): (.+)", lambda m: f"{_option_names(m[1])} 的取值无效：{m[2]}"),
    (r"Invalid value: `(.+?)` is not a date \(YYYY-MM-DD\)", lambda m: f"`{m[1]}` 不是日期（应写作 YYYY-MM-DD）"),
    (r"Invalid value: (.+)", lambda m: f"取值无效：{m[1]}"),
]


# option names a user writes for a file the command takes as a positional argument (``--roster``)
_ARGUMENT_WORDS = {"roster": "teachers", "teacher": "teachers", "teachers": "teachers", "policy": "policy",
                   "policies": "policy", "base": "base", "draft": "draft"}


def _argument_meant(command: click.Command, ctx: click.Context, exc: click.NoSuchOption) -> None:
    """``--roster t.csv`` where the roster is the command's argument TEACHERS: said as such, with
    the usage line, rather than suggesting an option spelt like it (`--set`)."""
    word = exc.option_name.lstrip("-").lower().replace("-", "_")
    argument = next((p for p in command.params if isinstance(p, click.Argument)
                     and p.name == _ARGUMENT_WORDS.get(word)), None)
    if argument is None:
        return
    shown = argument.make_metavar(ctx)
    exc.message = (f"没有 `{exc.option_name}` 这个选项：{shown} 前面不加选项名，按上面用法中的位置直接写出文件名"
                   if chosen_lang(ctx) == "zh" else
                   f"No option `{exc.option_name}`: give {shown} without an option name, in its place in the usage above")
    exc.possibilities = ()


def _option_names(quoted: str) -> str:
    """``'-o' / '--output'`` as click quotes an option's names: ``-o / --output``."""
    return quoted.replace("'", "")


def _said_in_chosen_language(exc: click.UsageError, ctx: click.Context | None = None) -> None:
    """A usage error shown in Chinese when Chinese was asked for (the usage line, the hint,
    click's message); a message click has no Chinese for keeps its English."""
    if getattr(exc, "_bilingual", False) or chosen_lang(exc.ctx or ctx) != "zh":
        return
    exc._bilingual = True

    def show(file=None) -> None:
        from click.utils import _default_text_stderr

        file = file or _default_text_stderr()
        where = exc.ctx
        if where is not None:
            hint = ""
            if where.command.get_help_option(where) is not None:
                option = max(where.command.get_help_option_names(where), key=len)
                # (--lang zh: the help in Chinese whatever the locale, as this message is)
                hint = f"运行 '{where.command_path} {option} --lang zh' 查看帮助。\n"
            click.echo(f"{where.get_usage()}\n{hint}", file=file, color=where.color)
        click.echo(f"错误：{usage_message_zh(exc.format_message())}", file=file, color=where.color if where else None)

    exc.show = show


def usage_message_zh(message: str) -> str:
    for pattern, chinese in _USAGE_ZH:
        match = re.fullmatch(pattern, message, re.S)
        if match:
            return chinese(match)
    return message


@contextlib.contextmanager
def _chinese_help(params: list[click.Parameter]):
    """The parameters' help in Chinese while click formats it, their English help after."""
    saved = [(p, p.help) for p in params]
    try:
        for param, help_en in saved:
            param.help = _zh_help(param, help_en)
        yield
    finally:
        for param, help_en in saved:
            param.help = help_en


class _swapped:
    def __init__(self, obj, name, value):
        self.obj, self.name, self.value = obj, name, value

    def __enter__(self):
        self.saved = getattr(self.obj, self.name)
        setattr(self.obj, self.name, self.value)

    def __exit__(self, *exc):
        setattr(self.obj, self.name, self.saved)


class Command(_Bilingual, click.Command):
    """A command with its help in English (``help`` or the docstring) and Chinese (``help_zh``)."""

    def __init__(self, *args, help_zh: str | None = None, short_help_zh: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.help_zh, self.short_help_zh = help_zh, short_help_zh


# words for a task that another command does: (English, Chinese) pointers to it
_SWEEP = ("a sweep is `policylang diff BASE DRAFT TEACHERS --schools SCHOOLS --sweep NAME=A..B`",
          "参数扫描请用 `policylang diff 原政策 草案 教师名册 --schools 学校名册 --sweep 参数=起..止`")
_WHAT_IF = ("comparing two policies is `policylang diff BASE DRAFT TEACHERS --schools SCHOOLS`",
            "比较两份政策请用 `policylang diff 原政策 草案 教师名册 --schools 学校名册`")
_TASK_WORDS = {"sweep": _SWEEP, "compare": _WHAT_IF, "whatif": _WHAT_IF, "what-if": _WHAT_IF,
               "lint": ("checking a policy is `policylang check POLICY`", "检查政策文件请用 `policylang check 政策文件`"),
               "validate": ("checking a policy is `policylang check POLICY`", "检查政策文件请用 `policylang check 政策文件`"),
               "decide": ("deciding a roster is `policylang eval POLICY TEACHERS --schools SCHOOLS`",
                          "对名册作出决定请用 `policylang eval 政策文件 教师名册 --schools 学校名册`")}


class Group(_Bilingual, click.Group):
    """The ``policylang`` group: lists its commands in the chosen language."""

    def __init__(self, *args, help_zh: str | None = None, short_help_zh: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.help_zh, self.short_help_zh = help_zh, short_help_zh

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """A word for a task another command does (``sweep``: ``diff --sweep``) is pointed to it,
        not to the command spelt most like it (``serve``)."""
        if args and args[0] not in self.commands and args[0].lower() in _TASK_WORDS:
            en, zh = _TASK_WORDS[args[0].lower()]
            raise click.UsageError((f"没有 `{args[0]}` 这个命令；{zh}" if chosen_lang(ctx) == "zh"
                                    else f"No command `{args[0]}`: {en}"), ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        lang = chosen_lang(ctx)
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        commands = [(name, cmd) for name, cmd in commands if cmd is not None and not cmd.hidden]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        rows = [(name, cmd.short_help_in(lang, limit) if isinstance(cmd, _Bilingual) else cmd.get_short_help_str(limit))
                for name, cmd in commands]
        with formatter.section(_CLICK_ZH["Commands"] if lang == "zh" else "Commands"):
            formatter.write_dl(rows)


class Option(click.Option):
    """An option with its help in English (``help``) and Chinese (``help_zh``)."""

    def __init__(self, *args, help_zh: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.help_zh = help_zh

    def get_help_record(self, ctx: click.Context):
        record = super().get_help_record(ctx)
        if record is None or chosen_lang(ctx) != "zh":
            return record
        first, second = record
        return first, second.replace("[default: ", "[默认：").replace("[required]", "[必填]") \
            .replace("; required]", "；必填]")


class Argument(click.Argument):
    """A positional argument with its help in English (``help``) and Chinese (``help_zh``)."""

    def __init__(self, *args, help_zh: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.help_zh = help_zh


def command(name: str | None = None, **kwargs):
    """``click.command`` making a bilingual ``Command`` (takes ``help_zh``, ``short_help_zh``)."""
    return click.command(name, cls=Command, **kwargs)


def group(name: str | None = None, **kwargs):
    return click.group(name, cls=Group, **kwargs)


def option(*param_decls: str, **kwargs):
    """``click.option`` with ``help_zh``."""
    return click.option(*param_decls, cls=Option, **kwargs)


def argument(*param_decls: str, **kwargs):
    """``click.argument`` with ``help`` and ``help_zh``."""
    return click.argument(*param_decls, cls=Argument, **kwargs)


# ---- Chinese text on a terminal: wrapped by display width --------------------------------

def wrap_display(text: str, width: int, initial: str = "", subsequent: str = "") -> list[str]:
    """``text`` in lines at most ``width`` columns wide (a CJK character takes two), broken
    at spaces or between CJK characters, never inside a ``字段=值`` word; a line never starts
    with Chinese closing punctuation."""
    lines, line = [], initial
    words = _words(text)
    for word in words:
        if word == " " and line.strip() == "":
            continue
        if display_width(line) + display_width(word) > width and line.strip():
            if word == " ":
                lines.append(line.rstrip())
                line = subsequent
                continue
            lines.append(line.rstrip())
            line = subsequent
        line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


_NO_LINE_START = set("，。、；：？！）》”’」』】,.;:?!)")
_NO_LINE_END = set("（《“‘「『【")
# a word with `=` (参加工作时间=2008-09-01, 学校.区域=城区): one argument as typed, so one unit, up to
# a space or Chinese punctuation; copied from a help broken inside it, it would be two arguments
_DELIMITERS = r"\s，。、；：？！（）《》“”‘’「」『』【】"
_ONE_ARGUMENT = re.compile(rf"[^{_DELIMITERS}]*=[^{_DELIMITERS}]*|.", re.S)


def _words(text: str) -> list[str]:
    """Units a line may break between: a run of non-CJK non-space characters, one space, a
    ``字段=值`` word, or one CJK character; each with any punctuation that may not start a line
    after it (and any opening one before it, which may not end a line)."""
    units: list[str] = []
    text = re.sub(r"(?<=[^\x00-\xff])[ \t]*\n\s*|\s*\n[ \t]*(?=[^\x00-\xff])", "", text)  # a CJK line break joins
    for piece in _ONE_ARGUMENT.findall(" ".join(text.split())):
        if piece == " ":
            units.append(" ")
        elif units and (piece[0] in _NO_LINE_START or units[-1][-1] in _NO_LINE_END
                        or (char_width(piece[0]) == 1 and units[-1] != " " and char_width(units[-1][-1]) == 1)):
            units[-1] += piece
        else:
            units.append(piece)
    return units


def _first_sentence_zh(text: str) -> str:
    """What a text says before its first full stop, semicolon or colon."""
    first = text.strip().split("\n\n")[0].replace("\n", "")
    return re.split("[。；：]", first, maxsplit=1)[0]


def _cut(text: str, limit: int) -> str:
    if display_width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


_PLACEHOLDERS_ZH = (("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."))
# what an option takes, as click and the commands name it, in a Chinese help's list of options
_METAVARS_ZH = {"TEXT": "文字", "INTEGER RANGE": "整数", "INTEGER": "整数", "FLOAT RANGE": "数", "FLOAT": "数",
                "FILE": "文件", "DIRECTORY": "文件夹", "PATH": "路径", "NAME=VALUE": "名称=值", "COLUMN=VALUE": "列=值",
                "COLUMNS": "列名", "COLUMN": "列名", "PERCENT": "百分数", "NAME=A..B[:STEP]": "名称=起..止[:步长]",
                "ID=FILE": "编号=文件", "CODE[,CODE…]": "代码[,代码…]", "DIR": "目录"}
# what an option of text takes, where 文字 says less than its name does (--as-of 日期, --id 工号)
_OPTION_METAVARS_ZH = {"--as-of": "日期", "--encoding": "编码", "--id": "工号",
                       "--host": "地址", "--base-as-of": "日期"}
_OPTION_AND_METAVAR = re.compile(r"^((?:--?[\w-]+(?:, | / )?)+) (\S.*)$")


def _metavar_zh(first: str) -> str:
    """An option's names and what it takes (`--as-of TEXT`), what it takes in Chinese (`--as-of 文字`)."""
    m = _OPTION_AND_METAVAR.match(first)
    if not m:
        return first
    named = next((_OPTION_METAVARS_ZH[n] for n in re.split(r", | / ", m[1]) if n in _OPTION_METAVARS_ZH), None)
    return f"{m[1]} {named or _METAVARS_ZH.get(m[2], m[2])}"


class ChineseHelpFormatter(HelpFormatter):
    """click's help formatter with Chinese headings, wrapping by display width."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese in _PLACEHOLDERS_ZH:  # click's own placeholders; a command's metavars stay as the user types them
            args = args.replace(english, chinese)
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_CLICK_ZH.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        width = max(self.width - self.current_indent, 11)
        for i, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
            if i:
                self.write("\n")
            # a paragraph whose lines are indented is shown as written (examples, lists)
            if any(line.startswith(" ") for line in paragraph.splitlines()[1:]):
                self.write("".join(f"{indent}{line}\n" for line in paragraph.splitlines()))
                continue
            self.write("".join(f"{indent}{line}\n" for line in wrap_display(paragraph, width)))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(_metavar_zh(first), *rest) for first, *rest in rows]
        widths = measure_table(rows)
        first_col = min(max((display_width(r[0]) for r in rows), default=0), col_max) + col_spacing  # (汉字: two)
        for first, second in iter_rows(rows, len(widths)):
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_display(second, max(self.width - first_col - 2 - self.current_indent, 10))
            pad = " " * (first_col + self.current_indent)
            self.write(("\n" + pad).join(lines) + "\n" if lines else "\n")
