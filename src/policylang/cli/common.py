"""What every command shares: the language option, and loading a policy or a roster with
every problem shown (how a command ends, its exit codes and consoles: ``ending``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from fractions import Fraction
import os
import shlex
import sys
from pathlib import Path

import click

from policylang import api
from policylang.core.diagnostics import PolicyError
from policylang.io.output import KeepError, Notes, listed_items, resolve_keep, roster_problem_lines, suffix_against
from policylang.io.id_column import IdsShown
from policylang.io.roster.problems import filled_once, filled_once_note, lost_zeros, no_such_day
from policylang.io.roster.files import unreadable_files, whole_file_problems
from policylang.io.roster.reader import AssumptionError
from policylang.lang.policy import not_yet_in_force, reference_date
from policylang.lang.reads import parameters_read
from policylang.cli import bilingual
from policylang.cli.ending import EXIT_IO, EXIT_ROSTER, EXIT_USAGE, EXIT_OK, EXIT_POLICY, err_console, fail
from policylang.cli.bilingual import chosen_lang
from policylang.core.i18n import LANGS
from policylang.io.safe_text import terminal_text
from policylang.present.render import diagnostics_text
from policylang.core.file_errors import cannot_read, cannot_write, replaceable_or_raise



lang_option = bilingual.option("--lang", type=click.Choice(LANGS), default=None,
                               help="Language of messages and help: en or zh (default: from the locale).",
                               help_zh="提示信息和帮助的语言：en 或 zh（默认随系统语言环境）。")

# what --skip-invalid cannot skip, at the end of its help (eval, quota and diff say first what it does)
SKIP_INVALID_REFUSED = "A missing column, or a roster with no valid row, is still refused."
SKIP_INVALID_REFUSED_ZH = "缺少列或没有一条有效记录时仍不予处理。"


def resolve_lang(lang: str | None) -> str:
    """The command's own ``--lang``, else one given anywhere on the command line
    (``policylang --lang zh check …``), else the locale's."""
    return lang or chosen_lang()


def asked_lang(lang: str | None) -> str | None:
    """The language the command line asks for in so many words: the command's own ``--lang``,
    else one given before it (``policylang --lang zh eval …``); None when only the locale
    speaks, for a file's language is never the machine's."""
    ctx = click.get_current_context(silent=True)
    return lang or (ctx.meta.get(bilingual.LANG_KEY) if ctx is not None else None)


def write_and_exit(data: bytes, output: str | None, lang: str) -> None:
    """The command's result to ``output`` (whole or not at all, and said) or to standard
    output; then done."""
    from policylang.io.output import atomic_write

    if output:
        try:
            atomic_write(output, data)
        except OSError as exc:
            fail(cannot_write(output, exc, lang), EXIT_IO)
        err_console().print(f"已写入 {terminal_text(output)}" if lang == "zh" else f"wrote {terminal_text(output)}",
                            markup=False)
    else:
        write_stdout(data)
    sys.exit(EXIT_OK)


def write_stdout(data: bytes) -> None:
    """``data`` to standard output, all of it: a pipe whose reader goes away part way takes the
    first 64 KB and the write returns short (Python ignores SIGPIPE); the rest then raises
    ``BrokenPipeError`` (``stdout_closed``: exit 141), not a cut-off output ending in success."""
    out, view = sys.stdout.buffer, memoryview(data)
    while view:
        written = out.write(view)
        if not written:
            raise BrokenPipeError("standard output takes no more")
        view = view[written:]
    out.flush()


def output_format_or_exit(fmt: str | None, output: str | None, suffixes: dict[str, str], default: str,
                          lang: str, chosen: bool = True) -> str:
    """``--format``, else the format the output file's suffix names (``suffixes``: suffix ->
    format); a suffix none names is refused (a file named .xls holding CSV would not open, one
    named .xlsx holding JSON neither), a file without one, or none, is ``default``. ``chosen``:
    the command has a ``--format`` that chooses another."""
    if fmt is not None:
        return fmt
    suffix = Path(output).suffix.lower() if output else ""
    if suffix.lstrip(".") in suffixes:
        return suffixes[suffix.lstrip(".")]
    if suffix:
        known = ("、" if lang == "zh" else ", ").join(f".{s}" for s in suffixes)
        hint_zh, hint_en = ("（或用 --format 指定）", " (or name one with --format)") if chosen else ("", "")
        fail(f"-o {output}：无法写出“{suffix}”格式的文件；可写的格式：{known}{hint_zh}" if lang == "zh" else
             f"-o {output}: cannot write a `{suffix}` file; the formats are {known}{hint_en}", EXIT_USAGE)
    return default


def output_not_an_input_or_exit(output: str | None, inputs: dict[str, object], lang: str,
                                fmt: str | None = None) -> None:
    """Refuse to write over a file the command reads (``inputs``: what each is called, in
    Chinese and English, -> its path or paths): ``-o teachers.csv`` would replace the roster
    with its decisions, ``-o county.pol`` the policy; then a ``fmt`` (``--format``) written
    under the suffix of another format (``-o 结论.csv --format xlsx``: a file that opens nowhere)."""
    if not output:
        return
    _output_is_not_an_input(output, inputs, lang)
    if fmt is not None and (suffix := suffix_against(output, fmt)) is not None:
        fail(f"-o {output}：文件名后缀 {suffix} 与 --format {fmt} 不符（按此后缀打开的程序打不开 {fmt.upper()} 文件）："
             f"请把文件名改为 .{fmt}，或去掉 --format" if lang == "zh" else
             f"-o {output}: the name's suffix {suffix} does not match --format {fmt} (a program opening it by its "
             f"suffix cannot read a {fmt.upper()} file): name it .{fmt}, or leave out --format", EXIT_USAGE)


def _output_is_not_an_input(output: str, inputs: dict[str, object], lang: str) -> None:
    target = Path(output)
    try:  # before the work: a device, pipe or link is never replaced by the file (publish refuses it too)
        replaceable_or_raise(target)
    except OSError as exc:
        fail(cannot_write(output, exc, lang), EXIT_IO)
    for (zh, en), paths in inputs.items():
        for path in paths if isinstance(paths, (list, tuple)) else [paths]:
            if path is None or str(path).startswith("<"):
                continue
            if _same_file(target, Path(path)):
                fail(f"-o {output} 是本命令读取的{zh}，写出结果会覆盖它；请另选输出文件名" if lang == "zh" else
                     f"-o {output} is the {en} this command reads: writing there would destroy it; name another "
                     "output file", EXIT_USAGE)


def roster_inputs(policy: api.Policy, teachers: str, schools: str) -> dict[tuple[str, str], object]:
    """What a command deciding a roster reads: the policy's files (those it extends too) and the roster."""
    return {("政策文件", "policy file"): policy.checked.chain, ("教师名册", "teachers file"): teachers,
            ("学校名册", "schools file"): schools}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def load_policy_or_exit(path: str, lang: str) -> api.Policy:
    try:
        policy = api.load(path).asked_by(api.CLI_CALLER)  # messages name --assume and --set
    except PolicyError as exc:
        if isinstance(exc, OSError):  # the file cannot be read (P008): no text to show; its code, reason and hint
            fail(diagnostics_text(exc.diagnostics, {}, lang), EXIT_IO)
        err_console().print(diagnostics_text(exc.diagnostics, exc.sources, lang), markup=False)
        n = len(exc.errors)
        fail(f"\n✗ {path}：{n} 个错误" if lang == "zh" else f"\n✗ {path}: {n} error(s)", EXIT_POLICY)  # as check says it
    except OSError as exc:
        fail(cannot_read(path, exc, lang), EXIT_IO)
    said = [d for d in policy.checked.diagnostics if d.code == "L307"]  # it would decide no one: say so first
    if said:
        err_console().print(diagnostics_text(said, policy.checked.texts, lang), markup=False)
    return policy


reading_options = [
    bilingual.option("--assume", "assume", multiple=True, metavar="COLUMN=VALUE",
                     help="A value for a column the roster lacks, for every row (e.g. --assume 哺乳期=否); "
                          "without one, a roster lacking a column the policy reads is refused. Reported with the "
                          "decisions.",
                     help_zh="为名册缺少的列给出取值，对每一行都适用（如 --assume 哺乳期=否）；没有给出时，名册缺少政策"
                             "读取的列会被拒绝。所用取值随结论一并报告。"),
    bilingual.option("--strict", is_flag=True, help="Refuse a roster with columns that are no roster column "
                                                    "(by default nothing reads them, and they are listed as warnings).",
                     help_zh="名册中有本工具不认识的列时拒绝读取（默认不读取这些列，只作为提示列出）。"),
]


def with_reading_options(f):
    for option in reversed(reading_options):
        f = option(f)
    return f


roster_options = [
    bilingual.argument("policy", type=click.Path(dir_okay=False), help="The policy file.", help_zh="政策文件。"),
    bilingual.argument("teachers", type=click.Path(dir_okay=False),
                       help="The teachers roster (.csv, .tsv, .txt, .xlsx, .xlsm, .parquet or .json).",
                       help_zh="教师名册（.csv、.tsv、.txt、.xlsx、.xlsm、.parquet 或 .json）。"),
    bilingual.option("--schools", required=True, type=click.Path(dir_okay=False), help="The schools table.",
                     help_zh="学校名册。"),
    bilingual.option("--as-of", "as_of", help="Reference date YYYY-MM-DD (default: the policy's).",
                     help_zh="参考日期 YYYY-MM-DD（默认：政策的 as of）。"),
    bilingual.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
                     help="Override a parameter for this run, e.g. --set age_cap_female=45.",
                     help_zh="本次运行中修改参数，如 --set age_cap_female=45。"),
    bilingual.option("--encoding", help="Encoding of CSV rosters (default: detected; UTF-8 or GB18030).",
                     help_zh="CSV 名册的编码（默认自动识别 UTF-8 或 GB18030）。"),
    *reading_options,
    lang_option,
]


def with_roster_options(f):
    for option in reversed(roster_options):
        f = option(f)
    return f


def assuming_or_exit(policy: api.Policy, assume: tuple[str, ...], strict: bool, lang: str) -> api.Policy:
    """The policy reading rosters with the values ``--assume`` states and ``--strict``."""
    return _assuming(policy, _assumed(assume, lang), strict, lang)


def assuming_both_or_exit(base: api.Policy, draft: api.Policy, assume: tuple[str, ...], strict: bool, lang: str
                          ) -> tuple[api.Policy, api.Policy]:
    """Two policies compared on one roster (``diff``), each with the values ``--assume`` states
    for its own columns: a column one of them declares (a draft's new field) is stated for it
    alone; one neither has is refused by the draft's columns (the nearest of which it names)."""
    try:
        return api.assuming_both(base, draft, _assumed(assume, lang), strict=strict)
    except AssumptionError as exc:
        fail(exc.message(lang), EXIT_USAGE)


def _assumed(assume: tuple[str, ...], lang: str) -> dict[str, str]:
    """``--assume``'s COLUMN=VALUE items, one value a column."""
    values = {}
    for item in assume:
        name, sep, text = item.partition("=")
        if not sep:
            fail(f"--assume {item}: 应写作 列名=值" if lang == "zh" else f"--assume {item}: expected COLUMN=VALUE",
                 EXIT_USAGE)
        name, text = name.strip(), text.strip()
        if values.get(name, text) != text:  # the same column twice (other spellings: ``with_assumptions``)
            fail(f"--assume 为“{name}”给出了两个不同的取值：“{values[name]}”和“{text}”，请只给出一个" if lang == "zh" else
                 f"--assume states two values for `{name}`: `{values[name]}` and `{text}`; state one", EXIT_USAGE)
        values[name] = text
    return values


def _assuming(policy: api.Policy, values: dict[str, str], strict: bool, lang: str) -> api.Policy:
    try:
        return policy.assuming(values, strict=strict)
    except AssumptionError as exc:
        fail(exc.message(lang), EXIT_USAGE)


def parse_sets(policy: api.Policy, sets: tuple[str, ...], lang: str, option: str = "--set") -> dict[str, object]:
    """``NAME=VALUE`` items of ``option`` (``--set``, ``--base-set``), each a parameter of ``policy``."""
    values, given = {}, {}
    for item in sets:
        name, sep, text = item.partition("=")
        if not sep:
            wide = "＝" in item  # a Chinese input method's equals sign
            fail((f"{option} {item}：应写作 名称=值" + ("（“＝”是全角等号，请改用半角的 =）" if wide else "")) if lang == "zh"
                 else f"{option} {item}: expected NAME=VALUE" + (" (`＝` is a full-width equals sign: write =)"
                                                               if wide else ""), EXIT_USAGE)
        name = name.strip()
        value = parse_parameter_or_exit(policy, name, text.strip(), f"{option} {item}", lang)
        if name in values and values[name] != value:  # which would the run use? (the last, unsaid, before)
            fail(f"{option} 为参数 {name} 给出了两个不同的取值：“{given[name]}”和“{item}”，请只给出一个" if lang == "zh"
                 else f"{option} gives {name} two values: `{given[name]}` and `{item}`; give one", EXIT_USAGE)
        values[name], given[name] = value, item
    return values


def parameters_set_said(policy: api.Policy, params: dict[str, object], lang: str, option: str = "--set") -> str | None:
    """The parameters a what-if run was given, each beside the policy's own value, for the
    terminal above its answer: a screen pasted on is then not read as the policy's own (the
    workbook's 说明 sheet marks them so)."""
    from policylang.present.report import given_lines

    given = parameters_set(policy, params, lang, option)
    return None if given is None else given_lines([given], lang)[0]


def parameters_set(policy: api.Policy, params: dict[str, object], lang: str, option: str = "--set"
                   ) -> tuple[str, str] | None:
    """``parameters_set_said`` as (what gave them, the values), for a table to show in two cells."""
    from policylang.lang.pretty import parameter_text

    if not params:
        return None
    declared = policy.checked.parameters

    def said(name: str, value: object) -> tuple[str, str]:
        return parameter_text(declared[name], value, lang), parameter_text(declared[name], declared[name].value, lang)

    if lang == "zh":
        return f"本次以 {option} 指定的参数", "；".join(
            "{} = {}（政策中为 {}）".format(name, *said(name, value)) for name, value in params.items())
    return f"parameters set with {option} for this run", "; ".join(
        "{} = {} (the policy's: {})".format(name, *said(name, value)) for name, value in params.items())


def parse_parameter_or_exit(policy: api.Policy, name: str, text: str, option: str, lang: str) -> object:
    """A parameter value given on the command line, or a usage error naming the option. A
    fraction for a parameter compared with a whole count (`--set teacher_tenure=5.5`) is said: it
    acts as a whole number next to it (L313, as in a policy file)."""
    try:
        value = policy.parse_parameter(name, text)
    except PolicyError as exc:
        fail(f"{option}：" + "；".join(d.hinted(lang) for d in exc.diagnostics) if lang == "zh" else
             f"{option}: " + "; ".join(d.hinted(lang) for d in exc.diagnostics), EXIT_USAGE)
    param = policy.checked.parameters.get(name)
    if param is not None and param.whole and isinstance(value, (int, float, Fraction)) and not isinstance(value, bool) \
            and Fraction(value).denominator != 1:
        err_console().print(f"提示：{option}：{name} 与整数（已满的年数、学校数等）比较，小数 {text} 实际等于取相邻的整数"
                            f"（按月计请改用以月计的参数）" if lang == "zh" else
                            f"note: {option}: {name} is compared with a whole count (completed years, schools); the "
                            f"fraction {text} acts as a whole number next to it", markup=False)
    if param is not None and name not in parameters_read(policy.checked):
        err_console().print(f"提示：{option}：本政策没有条款读取参数 {name}（读取它的条款可能已废止），结论不会因此改变"
                            if lang == "zh" else f"note: {option}: no clause of this policy reads {name} (the one that "
                            "did may be repealed): no decision changes with it", markup=False)
    return value


def parse_as_of(text: str | None, *policies: api.Policy, lang: str = "en") -> dt.date:
    """The command's reference date, settled once: ``--as-of``, else the first policy's own. A
    date before a policy takes effect is said on stderr (L309 says it of a file's own dates):
    the decisions are those of a day the policy was not yet in force."""
    try:
        requested = api._date(text)  # the roster's full-date forms: 2025-09-01, 2025/9/1, 2025年9月1日
    except ValueError:
        wrong = no_such_day(text.strip())  # 2026-02-30: the form is right, the day is not; said as a cell's is
        raise click.BadParameter(((f"--as-of：{wrong[1]}" if wrong else f"--as-of：“{text}”不是日期（请写作 2025-09-01）")
                                  if lang == "zh" else wrong[0] if wrong else f"`{text}` is not a date (YYYY-MM-DD)")
                                 ) from None
    try:
        date = reference_date(requested, *(p.checked for p in policies))
    except PolicyError as exc:
        raise click.BadParameter(exc.diagnostics[0].message(lang)) from None
    for en, zh in not_yet_in_force(date, *(p.checked for p in policies)):
        err_console().print(terminal_text(f"提示：{zh}（可用 --as-of 指定参考日期）" if lang == "zh" else
                                          f"note: {en} (--as-of gives another date)"), markup=False)
    return date


def load_roster_or_exit(policy: api.Policy, teachers: str, schools: str, encoding: str | None,
                        skip_invalid: bool, lang: str, undone: tuple[str, str] | None = None):
    """The roster read row by row, every warning and problem listed; ``undone`` says what the
    command leaves undone when a file cannot be read (en, zh)."""
    exist_or_exit((teachers, schools), lang)
    roster = policy.read_roster(teachers, schools, encoding=encoding)
    report_problems_or_exit(roster.problems, sum(not r.valid for r in roster.teachers), len(roster.teachers),
                            skip_invalid, lang, roster.warnings, undone)
    return roster


# what a command leaves undone when a roster file cannot be read
_UNDONE = {"diff": ("nothing compared", "未作比较"), "quota": ("no quota planned", "未计算名额")}
_NOTHING_DONE = ("nothing decided, no file written", "未作决定，未写入任何文件")


def load_frame_or_exit(policy: api.Policy, teachers: str, schools: str, encoding: str | None, skip_invalid: bool,
                       lang: str, command: str, *, months: bool = False, left_out: list | None = None,
                       warnings: list | None = None):
    """The valid teachers as one polars frame with their school's columns (``school.*``), and how
    many teacher rows ``skip_invalid`` left out: a CSV or Parquet roster is read by the columnar
    reader, chunk by chunk; any other by the row reader. With ``months``, also the flags of the
    year-month dates (the decisions they leave uncertain). A ``left_out`` list is given the rows
    left out as a workbook names them (``Notes.left_out``: row, id, name, school, problems); a
    ``warnings`` list, the warnings reading printed (a workbook's 说明 says them again)."""
    from policylang.io.columnar import STREAMABLE, read_frame, unparsed_csv
    from policylang.io.output import left_out_row, left_out_rows

    def by_rows():
        roster = load_roster_or_exit(policy, teachers, schools, encoding, skip_invalid, lang, _UNDONE[command])
        if left_out is not None:
            left_out.extend(left_out_rows(roster.teachers, lang))
        if warnings is not None:
            warnings.extend(roster.warnings)
        return policy.roster_frame(roster, months=months), sum(not r.valid for r in roster.teachers)

    if Path(teachers).suffix.lower() not in STREAMABLE:
        return by_rows()
    exist_or_exit((teachers, schools), lang)
    left: list | None = [] if left_out is not None else None
    problems, frame, read, said = read_frame(policy.checked, teachers, schools, encoding=encoding,
                                             skip_invalid=skip_invalid, months=months, left_out=left)
    if frame is None and unparsed_csv(problems, teachers):
        return by_rows()
    invalid = read - frame.height if frame is not None else invalid_rows(problems, teachers, read)
    report_problems_or_exit(problems, invalid, read, skip_invalid, lang, said, _UNDONE[command])
    if warnings is not None:
        warnings.extend(said)
    if frame is None:  # the file itself could not be read
        undone_en, undone_zh = _UNDONE[command]
        fail(f"\n无法读取教师名册；{undone_zh}。" if lang == "zh" else f"\nthe teachers file could not be read; {undone_en}.",
             EXIT_ROSTER)
    if left:  # each with its problems, as the row reader's rows give them
        by_row: dict[int, list] = {}
        for p in problems:
            if p.file == str(teachers) and p.row is not None:
                by_row.setdefault(p.row, []).append(p)
        left_out.extend(left_out_row(row, ident, name, school, by_row.get(row, ()), lang)
                        for row, ident, name, school in left)
    return frame, invalid


def invalid_rows(problems, teachers: str, read: int) -> int:
    """How many of the ``read`` teacher rows the problems make invalid (a problem of the
    teachers file as a whole, such as a missing column, makes every row invalid)."""
    rows = {p.row for p in problems if p.file == str(teachers)}
    return read if None in rows else len(rows)


def exist_or_exit(paths, lang: str) -> None:
    for path in paths:
        if not Path(path).exists():
            fail(f"{path}: 文件不存在" if lang == "zh" else f"{path}: no such file", EXIT_IO)


PROBLEMS_SHOWN = 500  # a roster with 100,000 bad rows is not 100,000 lines on a terminal


def say_warnings(warnings, lang: str) -> None:
    """The roster's warnings on stderr, a line each (提示：…)."""
    if warnings:
        console = err_console()
        label = "提示" if lang == "zh" else "warning"
        for line in roster_problem_lines(warnings, lang)[0]:
            console.print(f"{label}{'：' if lang == 'zh' else ': '}{line}", markup=False)


def report_problems_or_exit(problems, invalid: int, total: int, skip_invalid: bool, lang: str,
                            warnings=(), undone: tuple[str, str] | None = None, of_roster: bool = True) -> None:
    """List every warning (values assumed for absent columns, unknown columns) and every
    problem on stderr; without ``skip_invalid`` any problem ends the command (``invalid`` of
    ``total`` teacher rows have problems). With ``skip_invalid`` too, it ends for a file that
    cannot be read (R009: its rows are not known, so none can be counted as skipped), for a
    problem of a whole file (a column missing, a header wrong under --strict: no row can be
    decided) and when every teacher row has problems (nothing would be left to decide);
    ``undone`` says what is then left undone (en, zh). ``of_roster``: ``total`` counts the
    roster's rows (not only those asked about), so none is a roster of nobody, said so."""
    say_warnings(warnings, lang)
    if of_roster and not total and not problems:  # an empty result is no success to pass in silence
        err_console().print("提示：教师名册中没有教师记录（只有表头，或只有空行），没有可作决定的人；请检查导出的是否为正确的工作表。"
                            if lang == "zh" else "warning: the teachers file has no teacher rows (a header only, or "
                            "blank rows): nobody to decide. Check that the right sheet was exported.", markup=False)
    if problems:
        console = err_console()
        lines, listed = roster_problem_lines(problems, lang, PROBLEMS_SHOWN)
        for line in lines:
            console.print(line, markup=False)
        if len(problems) > listed:  # every one is counted below; a terminal needs only the first
            more = len(problems) - listed
            console.print(f"…… 另有 {more} 处问题未列出（以上仅列出前 {PROBLEMS_SHOWN} 条）" if lang == "zh" else
                          f"… {more} more problem(s) not listed (the first {PROBLEMS_SHOWN} lines are)", markup=False)
        if any(p.code == "R029" for p in problems):  # deciding at a past date is a reason as likely as a typo
            skip_zh, skip_en = ("；若有意按更早的日期计算，可用 --skip-invalid 只对其余教师作决定",
                                "; to decide at an earlier date on purpose, --skip-invalid decides the others"
                                ) if of_roster else ("", "")  # (explain has no --skip-invalid: it explains whom it can)
            console.print("\n提示：参考日期之后出生、参加工作、到校、任现职或取得职称的教师，名册记录的是该日之后的情况，"
                          "不能按该日作决定（R029）。若是年份填错，请改正；若应按更晚的日期计算（未写 --as-of 时，参考日期是"
                          f"政策文件的 as of，diff 为草案的），请用 --as-of 指定{skip_zh}。" if lang == "zh" else
                          "\nnote: a teacher born, or starting work, at the school, in the post or in a title after the "
                          "reference date is recorded as things stood later, and cannot be decided at that date (R029). "
                          "Correct a year typed wrong; to decide at a later date, give it with --as-of (without it, the "
                          f"policy file's `as of` is the date, the draft's for diff){skip_en}.", markup=False)
        if columns := filled_once(problems):  # 学校代码 on each school's first row alone (merged, exported)
            console.print("\n" + filled_once_note(columns, lang), markup=False)
        unknown = {p.value for p in problems if p.code == "R005"}
        if total > 1 and invalid >= total and len(unknown) > 1 and all(p.code == "R005" for p in problems) \
                and not all(lost_zeros(p) for p in problems):  # (each says so: no wrong schools file)
            # every teacher's school unknown, and not one mistyped id: the schools table is likely the wrong one
            console.print("\n提示：没有一位教师的学校代码在学校名册中：是否给错了学校名册（--schools）？" if lang == "zh" else
                          "\nnote: no teacher's school is in the schools table: is it the wrong schools file "
                          "(--schools)?", markup=False)
        unreadable = unreadable_files(problems)
        en, zh = undone or _NOTHING_DONE
        if unreadable:
            files = "、".join(unreadable) if lang == "zh" else ", ".join(unreadable)
            fail(f"\n无法读取 {files}；{zh}。" if lang == "zh" else f"\n{files} could not be read; {en}.", EXIT_ROSTER)
        whole = whole_file_problems(problems)
        if whole:  # --skip-invalid skips rows; these are no row's
            who_zh, who_en = (f"全部 {total} 名教师都无法作决定", f"none of its {total} teachers can be decided") \
                if of_roster and total else ("未读取到任何教师", "no teacher was read") if of_roster \
                else ("无法作决定", "no teacher of it can be decided")  # (explain: those asked)
            fail((f"\n名册有 {len(whole)} 处涉及整个文件的问题（缺少列、列重复、有不认识的列，或表头注明的单位不对），"
                  f"{who_zh}；{zh}。--skip-invalid 只能跳过有误的行，不能跳过这类问题，请先改正表头。")
                 if lang == "zh" else
                 (f"\n{len(whole)} problem(s) of the roster as a whole (a column missing or given twice, a header "
                  f"that is no roster column or names another unit): {who_en}; {en}. --skip-invalid "
                  "skips rows with problems, not these: correct the header first."), EXIT_ROSTER)
        if not skip_invalid:
            fail((f"\n名册有 {len(problems)} 处问题，" + (f"全部 {total} 名教师都涉及" if invalid >= total else
                                                         f"{total} 名教师中有 {invalid} 名涉及") + "；未作决定。"
                  "可用 --skip-invalid 仅对有效记录作决定。") if lang == "zh" else
                 (f"\n{len(problems)} problem(s) in the roster, {invalid} of {total} teachers affected; "
                  "nothing decided. Use --skip-invalid to decide the valid rows."), EXIT_ROSTER)
        if total and invalid >= total:  # skipping every row would leave an empty result, not a success
            if total == 1 and not of_roster:  # explain of one teacher
                fail(f"\n该教师的记录有误（见上），{zh}。" if lang == "zh" else
                     f"\nthe teacher's record has problems (listed above); {en}.", EXIT_ROSTER)
            fail(f"\n全部 {total} 名教师的记录都有误（见上），没有可作决定的记录；{zh}。" if lang == "zh" else
                 f"\nall {total} teachers have problems (listed above): no valid row is left to decide; {en}.",
                 EXIT_ROSTER)
        console.print((f"\n{total} 名教师中有 {invalid} 名记录有误，已跳过（见上）。") if lang == "zh" else
                      (f"\nskipped {invalid} of {total} teachers with problems (listed above)."), markup=False)


STDIN = "-"  # a path that means standard input (fmt)


def policy_files(paths: tuple[str, ...]) -> list[str]:
    """The files named, and the ``.pol`` files in the folders named (sorted; not in hidden
    folders such as ``.git`` or ``.venv``, nor in ``node_modules``), each once."""
    found: dict[str, None] = {}
    for path in paths:
        if path != STDIN and Path(path).is_dir():
            found.update(dict.fromkeys(
                str(p) for p in sorted(Path(path).rglob("*.pol")) if p.is_file()
                and not any(part.startswith(".") or part == "node_modules" for part in p.relative_to(path).parts[:-1])))
        else:
            found[path] = None
    return list(found)


def _as_given(path: str, main: str) -> str:
    """A policy file as the command's user would name it: a file it extends (found beside the
    file run, absolute) as the file run was given, from the working folder (policies/fujian.pol,
    ../policies/fujian.pol) or, given so, absolute (the HR trial: ../policies/… above
    /tmp/…/policies/fujian.pol)."""
    if os.path.isabs(main):
        return path
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return path


def workbook_notes(ctx, policy, params, as_of, teachers: str, schools: str, lang: str, skipped: int = 0,
                   left_out: tuple = (), warnings=(), school_names: tuple = ()) -> Notes:
    """How the workbook was made: the policy and the content of its files, the reference date,
    every parameter (those given with --set marked), the files and the command."""
    checked = policy.checked
    # the file run first, then those it extends (the chain is base first)
    files = tuple((_as_given(name, checked.chain[-1]), _sha256(name, checked)) for name in reversed(checked.chain)
                  if not name.startswith("<"))
    return Notes.of_policy(checked, params, as_of, files=files, command=_command_line(ctx), lang=lang,
                           teachers=teachers, schools=schools, skipped=skipped, left_out=left_out,
                           warnings=tuple(roster_problem_lines(warnings, lang)[0]), school_names=school_names)


def _sha256(name: str, checked) -> str:
    """The SHA-256 of a policy file as it is on disk (``sha256sum`` gives the same), else of its text."""
    try:
        data = Path(name).read_bytes()
    except OSError:
        data = checked.texts[name].text.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _command_line(ctx) -> str:
    """The command as it could be typed again: its arguments and every option given."""
    from click.core import ParameterSource

    parts = ["policylang", ctx.info_name or "eval"]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if isinstance(param, click.Argument):
            parts.append(str(value))
            continue
        if ctx.get_parameter_source(param.name) not in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
            continue
        if param.is_flag:
            parts.append(param.opts[-1] if value else (param.secondary_opts or param.opts)[-1])
            continue
        for item in (value if param.multiple else (value,)):
            parts += [param.opts[-1], str(item)]
    return shlex.join(parts)


def id_numbers_asked(checked, keep: tuple[str, ...], teacher_header) -> tuple[tuple[str, ...], IdsShown,
                                                                                 KeepError | None]:
    """``--keep``'s items, and how the ids are shown: whole when an item names the ID number (身份证号,
    id_number), else masked where they are ID numbers (``id_column``). A roster whose ids are its ID
    numbers has no 身份证号 column of its own: the item is then taken out, its refusal kept (the
    roster has no such column), to be given when no id is an ID number either."""
    items = listed_items(keep)
    field = checked.teachers.field("id_number")
    asked = [item for item in items if field is not None and checked.teachers.header_field(item) is field]
    if not asked:
        return keep, IdsShown(), None
    if teacher_header is None or any(checked.teachers.header_field(str(h).strip()) is field for h in teacher_header):
        return keep, IdsShown(whole=True), None
    rest = tuple(item for item in items if item not in asked)
    try:
        resolve_keep(asked[:1], checked.teachers, checked.schools, teacher_header, None)
    except KeepError as exc:
        return rest, IdsShown(whole=True), exc
    return rest, IdsShown(whole=True), None
