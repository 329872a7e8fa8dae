"""``policylang eval POLICY TEACHERS --schools SCHOOLS``: one decision per teacher."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from policylang.core.file_errors import cannot_write
from policylang.cli import bilingual
from policylang.present.explain import direction_text, exemption_text
from policylang.core.i18n import word
from policylang.io.output import (ENCODINGS, FILE_FORMATS, FORMATS, KeepError, Layout, TooManyRows,
                                  atomic_write, carried_text, decisions_lang, excel_note, excel_rewrites, identity_columns,
                                  left_out_rows, remove_temporary, render, resolve_keep, roster_records,
                                  school_names_of)
from policylang.io.columnar import roster_header
from policylang.io.safe_text import terminal_text
from policylang.cli.common import (id_numbers_asked, SKIP_INVALID_REFUSED, SKIP_INVALID_REFUSED_ZH, asked_lang, assuming_or_exit,
                                   load_policy_or_exit, load_roster_or_exit, output_format_or_exit,
                                   output_not_an_input_or_exit, parse_as_of, parse_sets, resolve_lang, roster_inputs,
                                   say_warnings, with_roster_options, workbook_notes, write_stdout)
from policylang.io.id_column import IdsShown, id_header, id_numbers_warning
from policylang.cli.ending import EXIT_IO, EXIT_OK, EXIT_USAGE, err_console, fail, out_console


@bilingual.command("eval", short_help_zh="对名册中的每位教师作出决定", help_zh="""对名册中的每位教师作出决定，按输入顺序输出。

CSV 和 XLSX 文件的语言：给出 --lang 时按其所定；否则表头为中文的名册生成中文表头和文字，其他名册用英文（接口约定的标准列名和代码）。
Parquet 总是英文。
JSON 保留英文的键和代码，并加上该语言的文字说明（如 status_label）。""")
@with_roster_options
@bilingual.option("--format", "fmt", type=click.Choice(FORMATS + ("parquet",)), default=None,
                  help="Output format (default: from -o's suffix, .csv .json .xlsx or .parquet; else csv). CSV or "
                       "Parquet rosters written to a CSV, Parquet or JSON file are scanned and streamed, for rosters "
                       "larger than memory.",
                  help_zh="输出格式（默认按 -o 的扩展名：.csv、.json、.xlsx 或 .parquet；否则为 csv）。CSV 或 Parquet 名册写入 CSV、Parquet 或 JSON 文件时逐块读取、边读边写，可处理超出内存的名册。")
@bilingual.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically) instead of stdout.",
                  help_zh="写入此文件（整体写入），而不是标准输出。")
@bilingual.option("--skip-invalid", is_flag=True,
                  help=f"Decide the valid rows; report the invalid ones. {SKIP_INVALID_REFUSED}",
                  help_zh=f"只对有效记录作出决定，并列出有误的记录；{SKIP_INVALID_REFUSED_ZH}")
@bilingual.option("--keep", multiple=True, metavar="COLUMNS",
                  help="More roster columns beside the decisions, by English or Chinese name, comma-separated "
                       "(--keep 出生日期,职称). The id, name, school id and school name are always there; the ID "
                       "number (身份证号) is written only when named here: an id that is an ID number (a 工号 column "
                       "holding 身份证号) is written masked (110105********002X, R061) unless --keep 身份证号 is given.",
                  help_zh="在结论旁保留名册中的其他列，用英文或中文列名，以逗号分隔（--keep 出生日期,职称）。工号、姓名、学校代码和学校名称总会保留；身份证号只有在此列出时才写入：工号为身份证号的，结论中脱敏写出（110105********002X，R061），给出 --keep 身份证号 才完整写出。")
@bilingual.option("--bom/--no-bom", default=None,
                  help="Start a UTF-8 CSV with a byte order mark, so that Excel and WPS read its Chinese: the default "
                       "for a CSV file (--no-bom leaves it out); on standard output only with --bom.",
                  help_zh="UTF-8 的 CSV 文件开头加字节顺序标记（BOM），以便 Excel 和 WPS 正确显示中文：写入 CSV 文件时默认加（--no-bom 不加）；写到标准输出时仅在给出 --bom 时加。")
@bilingual.option("--output-encoding", type=click.Choice(ENCODINGS), default="utf-8", show_default=True,
                  help="Encoding of CSV output: gb18030 for programs that read only the Chinese Windows encoding.",
                  help_zh="CSV 输出的编码：只能读取中文 Windows 编码的程序请用 gb18030。")
@bilingual.option("--limit", type=click.IntRange(min=0), default=None,
                  help="Show only the first N rows (table format; 0: all), and say how many more there are.",
                  help_zh="只显示前 N 行（table 格式；0 表示全部），并说明其余行数。")
@bilingual.option("--engine", type=click.Choice(["bulk", "reference"]), default="bulk",
                  help="bulk: compiled to columnar expressions (default); reference: the interpreter, one by one.",
                  help_zh="bulk：编译为列式表达式（默认）；reference：用解释器逐人计算。")
@bilingual.option("--fired", is_flag=True,
                  help="Add a `fired` column: every rule whose condition held (RULE, or RULE:EXEMPTION where an "
                       "exemption defeated it). JSON always carries it.",
                  help_zh="增加 fired 列：条件成立的每条规则（RULE；被豁免的写作 RULE:EXEMPTION）。JSON 总是包含此项。")
@click.pass_context
def eval_command(ctx, policy, teachers, schools, as_of, sets, encoding, assume, strict, lang, fmt, output, skip_invalid,
                 keep, bom, output_encoding, limit, engine, fired):
    """Decide every teacher of a roster, in input order.

    CSV and XLSX files are in the language --lang gives; without it, in Chinese for a roster
    with Chinese headers, else in English (the contract's column names and codes). Parquet is
    always English. JSON keeps its English keys and codes and adds labels (status_label) in
    that language."""
    started = time.perf_counter()
    asked = asked_lang(lang)
    lang = resolve_lang(lang)
    fmt = output_format_or_exit(fmt, output, {f: f for f in FILE_FORMATS}, "csv", lang)
    loaded = assuming_or_exit(load_policy_or_exit(policy, lang), assume, strict, lang)
    output_not_an_input_or_exit(output, roster_inputs(loaded, teachers, schools), lang, fmt)
    params = parse_sets(loaded, sets, lang)
    reference = parse_as_of(as_of, loaded, lang=lang)
    loaded = loaded.reading_at(reference)  # a date of a teacher's life after it is refused (R029)
    if fmt in ("parquet", "xlsx") and not output:
        fail(f"{fmt} 格式需要 -o 输出文件" if lang == "zh" else f"{fmt} output needs -o FILE", EXIT_USAGE)
    if fmt == "table":
        header = roster_header(teachers, encoding, loaded.checked.teachers)
        keep, ids, refusal = id_numbers_asked(loaded.checked, keep, header)
        kept = _kept_or_exit(loaded, teachers, schools, encoding, keep, lang)
        loaded = _carrying(loaded, kept)
        roster = load_roster_or_exit(loaded, teachers, schools, encoding, skip_invalid, lang)
        decisions = loaded.evaluate(roster, as_of=reference, params=params, engine=engine,
                                    skip_invalid=skip_invalid)
        _say_ids(decisions, ids, refusal, teachers, id_header(loaded.checked.teachers, header), lang)
        _say_uncertain(decisions, lang, ids)
        names = {r.values["id"]: r.values.get("name") for r in roster.valid_teachers()}
        school_of = {r.values["id"]: (roster.schools.get(r.values.get("school_id")) or {}).get("name")
                     or r.values.get("school_id") for r in roster.valid_teachers()}
        exemption = Layout.of_policy(loaded.checked, lang=lang).label("exemption")  # a policy's own code: its title
        records = {r["id"]: r for r in roster_records(roster)} if kept else {}
        _print_table(decisions[:limit] if limit else decisions, names, lang, exemption, kept, records, school_of, ids)
        if limit and len(decisions) > limit:
            hidden = len(decisions) - limit
            err_console().print(f"另有 {hidden} 条结论未显示（--limit {limit}）" if lang == "zh" else
                                f"{hidden} more decision{'s' if hidden > 1 else ''} not shown (--limit {limit})")
        sys.exit(EXIT_OK)
    layout, refusal, named_by = _layout_or_exit(loaded, teachers, schools, encoding, keep, asked, fmt, fired,
                                                 output_encoding, bom if bom is not None else output is not None, lang)
    loaded = _carrying(loaded, layout.carried)
    if _streamable(teachers, output, fmt, engine, layout) and _stream(
            loaded, teachers, schools, output, fmt, layout, reference, params, encoding, skip_invalid, lang, started,
            refusal, named_by):
        sys.exit(EXIT_OK)
    roster = load_roster_or_exit(loaded, teachers, schools, encoding, skip_invalid, lang)
    decisions = loaded.evaluate(roster, as_of=reference, params=params, engine=engine,
                                skip_invalid=skip_invalid)
    said = _say_ids(decisions, layout.ids, refusal, teachers, named_by, lang)
    _say_uncertain(decisions, lang, layout.ids)
    notes = None
    if fmt == "xlsx":
        notes = workbook_notes(ctx, loaded, params, reference, teachers, schools, layout.lang,
                       skipped=sum(not r.valid for r in roster.teachers),
                       left_out=left_out_rows(roster.teachers, layout.lang), warnings=(*roster.warnings, *said),
                       school_names=school_names_of(roster))
    try:
        data = render(decisions, fmt, layout=layout, records=roster_records(roster), notes=notes)
    except TooManyRows as exc:
        fail(exc.message(lang), EXIT_USAGE)
    if not output:
        if fmt == "csv" and sys.stdout.isatty():  # data, unless a person reads it
            data = layout.encode(terminal_text(data.decode(layout.encoding), newlines=True))
        write_stdout(data)
        sys.exit(EXIT_OK)
    try:
        atomic_write(output, data)
    except OSError as exc:
        fail(cannot_write(output, exc, lang), EXIT_IO)
    _say_written(output, len(decisions), fmt, layout, time.perf_counter() - started, lang, reference)
    sys.exit(EXIT_OK)


def _layout_or_exit(policy, teachers: str, schools: str, encoding: str | None, keep: tuple[str, ...],
                    asked_lang: str | None, fmt: str, fired: bool, output_encoding: str, bom: bool,
                    lang: str) -> tuple[Layout, KeepError | None, str | None]:
    """What the file holds: the roster's identifying columns and those of ``--keep``; in the
    language asked for (an XLSX workbook for a Chinese roster: Chinese; Parquet: always the
    contract's English); with a BOM when asked; its ids masked where they are ID numbers, unless
    ``--keep`` names the ID number (``id_numbers_asked``: with the refusal to give if the roster has no
    such column and no id is one); and the id column's header as written."""
    checked = policy.checked
    teacher_header = roster_header(teachers, encoding, checked.teachers)
    school_header = roster_header(schools, encoding, checked.schools)
    keep, ids, refusal = id_numbers_asked(checked, keep, teacher_header)
    kept = _kept_or_exit(policy, teachers, schools, encoding, keep, lang, teacher_header, school_header)
    carried = identity_columns(checked.teachers, checked.schools, teacher_header, school_header)
    carried += tuple(c for c in kept if c.key not in {i.key for i in carried})
    layout = Layout.of_policy(checked, lang=decisions_lang(asked_lang, fmt, teacher_header), carried=carried,
                              fired=fired, bom=bom, encoding=output_encoding, ids=ids)
    return layout, refusal, id_header(checked.teachers, teacher_header)


def _say_ids(decisions, ids: IdsShown, refusal: KeepError | None, teachers: str, id_header: str | None,
             lang: str) -> tuple:
    """Whether the ids are ID numbers, said (R061) and returned as the roster's warnings; the refusal of
    a ``--keep 身份证号`` the roster has no column for, when none is."""
    found = 0
    if decisions:
        ids.texts([d.id for d in decisions])  # (the file is written with the same rule)
        found = ids.found(len(decisions))
    if refusal is not None and not found:
        fail(refusal.message(lang), EXIT_USAGE)
    warning = id_numbers_warning(teachers, id_header, found, len(decisions), ids.whole)
    if warning is None:
        return ()
    say_warnings([warning], lang)
    return (warning,)


def _carrying(policy, kept: tuple) -> object:
    """``policy`` told which columns no rule reads ``--keep`` carries: they are asked for, not
    warned of as columns nothing reads (R012)."""
    extra = [c.source for c in kept if c.extra]
    return policy.carrying([s for s in extra if not s.startswith("school.")],
                           [s.removeprefix("school.") for s in extra if s.startswith("school.")])


def _kept_or_exit(policy, teachers: str, schools: str, encoding: str | None, keep: tuple[str, ...], lang: str,
                  teacher_header=None, school_header=None) -> tuple:
    """The roster columns ``--keep`` asks for, or the refusal of one the roster lacks."""
    if not keep:
        return ()
    checked = policy.checked
    try:
        return resolve_keep(keep, checked.teachers, checked.schools,
                            teacher_header or roster_header(teachers, encoding, checked.teachers),
                            school_header or roster_header(schools, encoding, checked.schools))
    except KeepError as exc:
        fail(exc.message(lang), EXIT_USAGE)


UNCERTAIN_SHOWN = 20


def _say_uncertain(decisions, lang: str, ids: IdsShown | None = None) -> None:
    """List on stderr the people whose decision depends on a value the roster does not give
    (the ``uncertain`` field: an empty cell a rule reads, or a year-month date's day): they are
    to be checked, not taken as decided."""
    from policylang.io.columnar import Uncertain

    unsure = Uncertain(keep=UNCERTAIN_SHOWN)
    unsure.add_people((d.id, d.uncertain) for d in decisions)
    _say_unsure(unsure, lang, ids)


UNCERTAIN_IDS = 5  # the ids a notice names for each field, then how many more


def _say_unsure(unsure, lang: str, shown: IdsShown | None = None) -> None:
    """The notice of ``_say_uncertain``: how many decisions are uncertain, and by field (the most
    first) how many and whose, so that three 完中 teachers without 任教学段 are not lost among
    thirty whose 交流优秀年数 was left blank; nothing when there are none. The streamed path, which
    keeps no decisions, tells it from what its writer saw (``columnar.Uncertain``). The ids as the
    decisions file ``shown`` shows them (an ID number masked)."""
    from policylang.lang import schema as S
    from policylang.lang import types as T
    from policylang.lang.decisions import OPEN_CATEGORY

    if not unsure.count:
        return
    zh = lang == "zh"
    parts = []
    for field, n in sorted(unsure.by_field.items(), key=lambda item: -item[1]):
        ids = unsure.ids[field][:UNCERTAIN_IDS]
        ids = shown.texts(ids, tally=False) if shown is not None else ids
        named = ("、" if zh else ", ").join(ids) + ((" 等" if zh else ", …") if n > len(ids) else "")
        parts.append(f"{S.column_label(field, lang)} {n} 人（{named}）" if zh else f"{field}: {n} ({named})")
    category = OPEN_CATEGORY[0] in unsure.by_field  # its blank has its own reading: said only where it is among them
    if zh:
        text = (f"提示：{unsure.count} 条结论取决于名册未写明的数据（空白的单元格，或只填了年月的日期），按数据项："
                f"{'；'.join(parts)}。空白按缺少数据处理（读取它的条款不适用，晋升前提须具备的条件不明的算未满足"
                + ("；女教师的退休类别空白按55计" if category else "") + "），年月按该月1日计算，请核实补全这些数据")
    else:
        text = (f"note: {unsure.count} decision(s) depend on values the roster does not give (an empty cell, or a "
                f"year-month date's day), by field: {'; '.join(parts)}. A rule reading an empty value does not apply (a "
                f"prerequisite's unknown requirement counts as unmet"
                + ("; a woman's empty retirement category is taken as 55" if category else "")
                + "), a year-month date is taken as the month's first day: check and complete these values")
    counts = [f for f in unsure.by_field if (field := S.TEACHERS.field(f)) is not None
              and isinstance(field.type, T.NumberType) and f != OPEN_CATEGORY[0]]
    # a column of counts left blank for none is the clerk's likeliest slip (the category's blank has its own reading)
    if counts:
        shown = ("、" if zh else ", ").join(S.column_label(f, lang) for f in counts)
        text += (f"。{shown}空白不按 0 计算：没有的请填 0" if zh else
                 f". An empty {shown} is not read as 0: write 0 where there is none")
    text += "".join(_open_at_hint(field, lang) for field in unsure.by_field)
    err_console().print(terminal_text(text), markup=False)


def _open_at_hint(name: str, lang: str) -> str:
    """For a column read only at some schools (``Field.open_at``: 任教学段 at a 完中), which
    schools need it and what it takes: a roster may lack it altogether."""
    from policylang.lang import schema as S

    field = S.TEACHERS.field(name)
    if field is None or field.open_at is None or field.enum is None:
        return ""
    school_field, codes = field.open_at
    where = S.ENUMS[S.SCHOOLS.field(school_field).type.name]
    if lang == "zh":
        return (f"。{field.zh}只有{'、'.join(where.labels[c] for c in codes)}的教师需要填写："
                f"请为以上教师填写“{field.zh}”（{'、'.join(field.enum.labels.values())}）；名册没有这一列的，加上这一列")
    return (f". {field.name} ({field.zh}) is needed only for teachers at a school of stage {', '.join(codes)}: "
            f"fill it in ({', '.join(field.enum.codes)}) for the teachers above, adding the column if the roster "
            "has none")


def _say_written(output: str, rows: int, fmt: str, layout: Layout, seconds: float, lang: str, as_of) -> None:
    """That the file is written, and at which reference date its decisions were made (a 2026
    roster decided at the policy's 2025-09-01 said so only on the 说明 sheet: the HR trial);
    for a CSV file, the columns Excel would rewrite if it opened it."""
    console = err_console()
    console.print(Text(f"已写入 {terminal_text(output)}：{rows} 条结论，参考日期 {as_of.isoformat()}（{fmt.upper()}，{seconds:.1f} 秒）"
                       if lang == "zh" else
                       f"wrote {terminal_text(output)}: {rows} decisions at {as_of.isoformat()} ({fmt.upper()}) "
                       f"in {seconds:.1f} s"))
    rewritten = excel_rewrites(output, layout) if fmt == "csv" else []
    if rewritten:
        console.print(Text(terminal_text(excel_note(rewritten, lang))))


def _streamable(teachers: str, output: str | None, fmt: str, engine: str, layout: Layout) -> bool:
    """Large rosters: CSV or Parquet in, CSV, Parquet or JSON file out, bulk engine: scan and stream
    (unless a column is kept that only the row reader keeps)."""
    from policylang.io.columnar import STREAMABLE

    return (output is not None and engine == "bulk" and fmt in ("csv", "parquet", "json")
            and Path(teachers).suffix.lower() in STREAMABLE and not any(c.extra for c in layout.carried))


def _stream(policy, teachers, schools, output, fmt, layout, as_of, params, encoding, skip_invalid, lang,
            started, refusal=None, id_header=None) -> bool:
    """Stream the decisions to ``output``; False, having done nothing, for a CSV polars cannot
    parse (the row reader then reads it and says which rows are wrong). The decisions are held
    beside ``output`` until the roster is accepted: a roster ``--skip-invalid`` cannot save (a
    column missing, every row invalid) is known only once read, and then nothing is written."""
    from policylang.io.columnar import Uncertain, unparsed_csv
    from policylang.io.output import publish, temporary_beside
    from policylang.cli.common import exist_or_exit, invalid_rows, report_problems_or_exit
    from policylang.cli.ending import EXIT_ROSTER

    exist_or_exit((teachers, schools), lang)
    console = err_console()
    unsure = Uncertain(keep=UNCERTAIN_SHOWN)
    held = Path(temporary_beside(Path(output), Path(output).suffix))
    try:
        with _progress_bar(console, lang) as progress:
            try:
                problems, decided, read, warnings = policy.stream_decisions(
                    teachers, schools, held, layout=layout, fmt=fmt, as_of=as_of, params=params, encoding=encoding,
                    skip_invalid=skip_invalid, progress=progress, uncertain=unsure)
            except OSError as exc:
                fail(cannot_write(output, exc, lang), EXIT_IO)
        if decided is None and unparsed_csv(problems, teachers):
            return False
        found = layout.ids.found(decided) if decided else 0
        if decided is not None and (warning := id_numbers_warning(teachers, id_header, found, decided,
                                                                   layout.ids.whole)):
            warnings = [*warnings, warning]
        report_problems_or_exit(problems,
                                read - decided if decided is not None else invalid_rows(problems, teachers, read),
                                read, skip_invalid, lang, warnings)
        if decided is None:  # the file itself could not be read: nothing written
            fail("\n无法读取教师名册；未写入任何文件。" if lang == "zh" else
                 "\nthe teachers file could not be read; no file written.", EXIT_ROSTER)
        if refusal is not None and not found:  # --keep 身份证号 of a roster without one, its ids no ID numbers
            fail(refusal.message(lang), EXIT_USAGE)
        try:
            publish(held, output)
        except OSError as exc:
            fail(cannot_write(output, exc, lang), EXIT_IO)
    finally:
        remove_temporary(held)
    _say_unsure(unsure, lang, layout.ids)
    _say_written(output, decided, fmt, layout, time.perf_counter() - started, lang, as_of)
    return True


@contextmanager
def _progress_bar(console, lang: str):
    """A progress callback (rows read, rows in the file) drawing a bar on stderr; on a pipe or a
    file nothing is drawn, so logs stay clean."""
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("作出决定" if lang == "zh" else "deciding", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


_SHORT_TARGET = {"en": {"first": "first", "senior": "senior", "full_senior": "full senior", "principal": "principal"},
                 "zh": {"first": "一级", "senior": "高级", "full_senior": "正高级", "principal": "校长"}}


def _print_table(decisions, names, lang: str, exemption: Callable[[str], str] | None = None, kept: tuple = (),
                 records: dict | None = None, schools: dict | None = None, ids: IdsShown | None = None) -> None:
    """The decisions as a table; every cell is a ``Text`` (never read as markup) with its
    control characters escaped. A column of the fields to check when any decision has one.
    ``exemption``: how an exemption code reads (``Layout.label``: in Chinese, a policy's own by its title);
    ``kept``: the columns of ``--keep``, after the name (``records``: each id's roster values);
    ``schools``: each id's school, by its name (its id where the schools table names none); ``ids``: how
    the ids are shown (an ID number masked, as a decisions file shows it)."""
    from policylang.lang.schema import column_label

    zh = lang == "zh"
    table = Table(show_lines=False)
    uncertain = any(d.uncertain for d in decisions)
    school = ("学校" if zh else "school",) if schools else ()
    for header in (("工号", "姓名", *school, *(c.zh for c in kept), "结论", "依据", "豁免", "方向", "晋升", "惩处/激励") if zh
                   else ("id", "name", *school, *(c.key for c in kept), "status", "rule", "exemption", "direction",
                         "promotion", "penalties/benefits")):
        table.add_column(header)
    if uncertain:
        table.add_column("数据不全待核实" if zh else "to check (uncertain)")
    shown_ids = ids.texts([d.id for d in decisions], tally=False) if ids is not None else [d.id for d in decisions]
    for d, shown_id in zip(decisions, shown_ids):
        if zh:  # (Chinese punctuation: 高级：FJ-4、JA-5a；校长 ✓)
            promo = "；".join(f"{_SHORT_TARGET[lang][p.target]}" + (" ✓" if p.ok else "：" + "、".join(p.unmet))
                             for p in d.promotion)
        else:
            promo = "; ".join(f"{_SHORT_TARGET[lang][p.target]} {'✓' if p.ok else ','.join(p.unmet)}" for p in d.promotion)
        cons = ("；" if zh else "; ").join([f"{c.rule}:{c.label or c.effect}" for c in d.penalties + d.benefits])
        shown = tuple(carried_text(c, (records or {}).get(d.id, {}).get(c.source), lang) for c in kept)
        at = ((schools or {}).get(d.id) or "",) if schools else ()
        cells = (shown_id, names.get(d.id) or "", *at, *shown, word(d.status, lang), d.rule or "",
                 ("" if not d.exemption else exemption(d.exemption) if exemption else exemption_text(d.exemption, lang)),
                 direction_text(d.direction, lang) if d.direction else "", promo, cons)
        if uncertain:
            cells += (("、" if zh else ", ").join(column_label(f, lang) for f in d.uncertain),)
        table.add_row(*(Text(terminal_text(c)) for c in cells))
    console = out_console()
    if not console.is_terminal:
        console.width = 200  # a pipe or a file: don't squeeze the table into 80 columns
    console.print(table)
