"""``policylang diff BASE DRAFT TEACHERS --schools SCHOOLS``: whom a draft affects, and why."""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs
import click

from policylang.cli import bilingual
from policylang.api import parameter_called, reading_both, what_if
from policylang.io.columnar import assumptions_applied, roster_header
from policylang.io.id_column import IN_REPORT, IdsShown, frame_ids_warning, id_header
from policylang.io.output import BOM, comparison_provenance, listed_items
from policylang.lang.pretty import parameter_text
from policylang.io.safe_text import terminal_bytes, terminal_text
from policylang.present.report import html_report, json_report, persons_csv, persons_xlsx, text_report
from policylang.cli.common import (SKIP_INVALID_REFUSED, SKIP_INVALID_REFUSED_ZH, assuming_both_or_exit, id_numbers_asked,
                                   lang_option, load_frame_or_exit, load_policy_or_exit, output_format_or_exit,
                                   output_not_an_input_or_exit, parameters_set, parse_as_of, parse_parameter_or_exit,
                                   parse_sets, roster_inputs, say_warnings, with_reading_options, workbook_notes,
                                   write_and_exit)
from policylang.cli.ending import EXIT_USAGE, err_console, fail

FORMATS = ("text", "json", "csv", "xlsx", "html")


def _sweep_values(policy, spec: str, lang: str) -> tuple[str, list]:
    name, sep, span = spec.partition("=")
    low, dots, rest = span.partition("..")
    high, _, step = rest.partition(":")
    if not sep or not dots:
        fail("--sweep 应写作 名称=起..止[:步长]" if lang == "zh" else "--sweep expects NAME=A..B[:STEP]", EXIT_USAGE)
    try:
        a, b, s = Decimal(low.strip()), Decimal(high.strip()), Decimal(step.strip() or "1")
    except InvalidOperation:
        fail("--sweep 的起止和步长应为数字" if lang == "zh" else "--sweep bounds and step must be numbers", EXIT_USAGE)
    if s <= 0:
        fail(f"--sweep {spec}：步长应大于 0" if lang == "zh" else f"--sweep {spec}: the step must be above 0", EXIT_USAGE)
    if b < a:
        fail(f"--sweep {spec}：终点 {b} 小于起点 {a}；请写作 {b}..{a}" if lang == "zh" else
             f"--sweep {spec}: the end {b} is below the start {a}; write {b}..{a}", EXIT_USAGE)
    if (b - a) / s > 200:
        steps = int((b - a) / s) + 1
        fail(f"--sweep {spec}：共 {steps} 个取值，最多 201 个（200 步）；请加大步长" if lang == "zh" else
             f"--sweep {spec}: {steps} values, at most 201 (200 steps); take a larger step", EXIT_USAGE)
    param = policy.checked.parameters.get(name.strip())
    if param is not None and param.whole and any(x != x.to_integral_value() for x in (a, b, s)):
        # compared with completed years (or a count): 53.5 decides as 54 does, a point of no use
        fail(f"--sweep {spec}：{name.strip()} 与已满的年数（或个数）比较，只有整数取值才有区别；请用整数的起止和步长"
             if lang == "zh" else f"--sweep {spec}: {name.strip()} is compared with whole counts (completed years, "
             "schools): only whole values differ; give whole bounds and a whole step", EXIT_USAGE)
    values, v = [], a
    while v <= b:
        values.append(parse_parameter_or_exit(policy, name.strip(), str(v), f"--sweep {spec}", lang))
        v += s
    return name.strip(), values


@bilingual.command("diff", help_zh="""在同一份名册上比较两份政策（或同一政策的不同参数 --set）：哪些人的结论改变、为什么、分布在哪里。""")
@bilingual.argument("base", type=click.Path(dir_okay=False),
                    help="The policy in force.", help_zh="现行政策（基准）。")
@bilingual.argument("draft", type=click.Path(dir_okay=False),
                    help="The draft compared with it.", help_zh="与之比较的草案。")
@bilingual.argument("teachers", type=click.Path(dir_okay=False),
                    help="The teachers roster.", help_zh="教师名册。")
@bilingual.option("--schools", required=True, type=click.Path(dir_okay=False), help="The schools table.",
                  help_zh="学校名册。")
@bilingual.option("--as-of", "as_of", help="Reference date YYYY-MM-DD (default: the draft's).",
                  help_zh="参考日期 YYYY-MM-DD（默认：草案 DRAFT 的 as of）。")
@bilingual.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="Override a parameter of the DRAFT.",
                  help_zh="修改草案 DRAFT 的参数。")
@bilingual.option("--base-set", "base_sets", multiple=True, metavar="NAME=VALUE", help="Override a parameter of the BASE.",
                  help_zh="修改基准政策 BASE 的参数。")
@bilingual.option("--sweep", "sweep_spec", metavar="NAME=A..B[:STEP]",
                  help="Also show how the number of changed people moves as a draft parameter goes from A to B.",
                  help_zh="同时显示草案的某个参数从 A 变到 B 时，结论改变的人数如何变化。")
@bilingual.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                  help="text (default), json, csv or xlsx (the changed people), html (a report with charts).",
                  help_zh="text（默认）、json、csv 或 xlsx（结论改变的人），html（带图表的报告）。")
@bilingual.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically).",
                  help_zh="写入此文件（整体写入）。")
@bilingual.option("--encoding", help="Encoding of CSV rosters (default: detected).",
                  help_zh="CSV 名册的编码（默认自动识别）。")
@bilingual.option("--skip-invalid", is_flag=True,
                  help=f"Compare on the valid rows; report the invalid ones. {SKIP_INVALID_REFUSED}",
                  help_zh=f"只在有效记录上比较，并列出有误的记录；{SKIP_INVALID_REFUSED_ZH}")
@bilingual.option("--limit", type=click.IntRange(min=0), default=None,
                  help="Changed people listed in the text report (default 30) and the HTML report (default 1,000).",
                  help_zh="文字报告（默认 30 人）和 HTML 报告（默认 1000 人）中列出的结论改变者人数。")
@bilingual.option("--keep", multiple=True, metavar="身份证号",
                  help="身份证号 (or id_number): write the changed people's ids whole where they are resident ID "
                       "numbers (a 工号 column holding 身份证号), as eval --keep 身份证号 does; without it they are "
                       "written masked (110105********002X, R061). The report's columns are fixed: no other column "
                       "is taken.",
                  help_zh="身份证号（或 id_number）：工号为身份证号的，完整写出结论改变者的工号（与 eval --keep 身份证号 相同）；不加时脱敏写出（110105********002X，R061）。报告的列是固定的，不接受其他列。")
@with_reading_options
@lang_option
def diff_command(base, draft, teachers, schools, as_of, sets, base_sets, sweep_spec, fmt, output, encoding,
                 skip_invalid, limit, keep, assume, strict, lang):
    """Compare two policies (or one policy with --set) on the same roster: who changes, why, and where."""
    from policylang.cli.common import asked_lang, resolve_lang
    from policylang.io.output import decisions_lang

    asked, lang = asked_lang(lang), resolve_lang(lang)
    base_policy, draft_policy = assuming_both_or_exit(load_policy_or_exit(base, lang), load_policy_or_exit(draft, lang),
                                                      assume, strict, lang)
    draft_params = parse_sets(draft_policy, sets, lang)
    base_params = parse_sets(base_policy, base_sets, lang, "--base-set")
    name, values = _sweep_values(draft_policy, sweep_spec, lang) if sweep_spec else (None, None)
    fmt = output_format_or_exit(fmt, output, {"json": "json", "csv": "csv", "xlsx": "xlsx", "html": "html",
                                              "htm": "html", "txt": "text"}, "text", lang)
    output_not_an_input_or_exit(output, roster_inputs(base_policy, teachers, schools) | {
        ("草案", "draft"): draft_policy.checked.chain}, lang, fmt)
    if fmt == "xlsx" and not output:
        fail("xlsx 格式需要 -o 输出文件" if lang == "zh" else "xlsx output needs -o FILE", EXIT_USAGE)
    header = roster_header(teachers, encoding, base_policy.checked.teachers)
    ids, refusal = _ids_asked_or_exit(base_policy.checked, keep, header, lang)
    # every field either policy declares is read
    reference = parse_as_of(as_of, draft_policy, base_policy, lang=lang)
    read_said: list = []  # what reading printed: a workbook's 说明 says it again
    frame, skipped = load_frame_or_exit(reading_both(base_policy, draft_policy).reading_at(reference), teachers,
                                        schools, encoding, skip_invalid, lang, "diff", months=True,
                                        warnings=read_said)
    _say_ids(frame, ids, refusal, teachers, id_header(base_policy.checked.teachers, header), read_said, lang)
    result = what_if(base_policy, draft_policy, frame, as_of=reference,
                     base_params=base_params, draft_params=draft_params,
                     sweep=(name, values) if sweep_spec else None)
    report, quota_rows, points = result.report, result.quota_changes, result.sweep
    if report.base == report.draft:  # one title for both (a draft of the same policy): name them by their files
        left, right = ("（", "）") if lang == "zh" else (" (", ")")
        base_file, draft_file = Path(base).name, Path(draft).name
        if base_file == draft_file:  # one name in two folders: the paths as given
            base_file, draft_file = str(base), str(draft)
        report = attrs.evolve(report, base=f"{report.base}{left}{base_file}{right}",
                              draft=f"{report.draft}{left}{draft_file}{right}")
    # a policy's own exemption codes by their titles, as eval writes them (both policies': either may decide)
    own = base_policy.checked.exemption_titles() | draft_policy.checked.exemption_titles()
    param = draft_policy.checked.parameters.get(name) if points else None
    said = parameter_called(param.doc) if param is not None and param.doc else ""
    called_zh = f"{name}（{said}）" if said else name  # the swept parameter, as a Chinese reader is told it

    def given(lang: str) -> list[tuple[str, str]]:
        """The parameters this run gave either side, each side's (what gave them, the values), as quota and
        explain say theirs: both sides given one value differ in nothing, and the numbers are not the policies'."""
        return [said for said in (parameters_set(base_policy, base_params, lang, "--base-set"),
                                  parameters_set(draft_policy, draft_params, lang)) if said]

    if fmt == "text":
        text = text_report(report, lang, 30 if limit is None else limit, quota_rows, skipped, given(lang), ids)
        if points:
            shown = [(terminal_text(parameter_text(param, v, lang)), n, m) for v, n, m in points]
            text += "\n\n" + (f"参数扫描：{terminal_text(called_zh)} 取各值时，决定有变化的人数（其中结论改变的人数）"
                               if lang == "zh" else f"sweep: people with a changed decision (of them, with a changed "
                               f"status) at each value of {terminal_text(name)}") + "\n" + \
                "\n".join((f"  {terminal_text(name)} = {v}：{n} 人（结论改变 {m} 人）" if lang == "zh" else
                           f"  {terminal_text(name)} = {v}: {n} ({m} in status)") for v, n, m in shown)
        data = (text + "\n").encode("utf-8")
    elif fmt == "json":
        data = json_report(report, points, quota_rows, ids).encode("utf-8")
    elif fmt in ("csv", "xlsx"):  # the changed people as a table HR hands on: in the language eval's files are
        shown_lang = decisions_lang(asked, fmt, header)
        if fmt == "xlsx":
            called = called_zh if shown_lang == "zh" else name
            swept = (called, [(parameter_text(param, v, shown_lang), n, m) for v, n, m in points]) if points else None
            ctx = click.get_current_context()
            applied = [a.text() for a in assumptions_applied(reading_both(base_policy, draft_policy).checked,
                                                             teachers, schools, encoding)]
            about = comparison_provenance(
                *(workbook_notes(ctx, p, params, reference, str(teachers), str(schools), shown_lang, warnings=read_said)
                  for p, params in ((base_policy, base_params), (draft_policy, draft_params))), applied, shown_lang)
            data = persons_xlsx(report, shown_lang, own, swept, skipped, about, quota_rows, given(shown_lang), ids)
        else:
            data = persons_csv(report, shown_lang, own, ids)
            if points:  # a CSV is one table: the people
                err_console().print(
                    "提示：参数扫描的结果未写入 CSV（CSV 只有一张表：有变化的人员）；要保存扫描结果，请用 -o 文件.xlsx、.json 或 .html"
                    if lang == "zh" else "note: the sweep is not in the CSV (one table: the changed people); "
                    "write it with -o FILE.xlsx, .json or .html", markup=False)
        if fmt == "csv" and output:  # a file starts with a BOM, as eval's: Excel and WPS then show its Chinese
            data = BOM.encode("utf-8") + data
        elif fmt == "csv" and sys.stdout.isatty():  # data, unless a person reads it
            data = terminal_bytes(data)
    else:
        data = html_report(report, lang, points, name, quota_rows, 1000 if limit is None else limit,
                           exemptions=own, given=given(lang), ids=ids).encode("utf-8")
    write_and_exit(data, output, lang)


def _ids_asked_or_exit(checked, keep: tuple[str, ...], header, lang: str):
    """How the report shows the changed people's ids, as eval's decisions show them (``common.id_numbers_asked``):
    whole with ``--keep 身份证号``, else an ID number masked; with the refusal to give if the roster has no
    身份证号 column and no id is one either (``_say_ids``). The report's columns are fixed: ``--keep`` naming
    any other column is refused, not dropped."""
    field = checked.teachers.field("id_number")
    others = [item for item in listed_items(keep) if field is None or checked.teachers.header_field(item) is not field]
    if others:
        fail(f"diff 的 --keep 只接受 身份证号（id_number）：变化报告的列是固定的，不能保留 {'、'.join(others)}"
             if lang == "zh" else f"diff's --keep takes only 身份证号 (id_number): the report's columns are fixed, "
             f"{', '.join(others)} cannot be kept", EXIT_USAGE)
    _, ids, refusal = id_numbers_asked(checked, keep, header)
    return ids, refusal


def _say_ids(frame, ids: IdsShown, refusal, teachers: str, column: str | None, said: list, lang: str) -> None:
    """Whether the roster's ids are ID numbers (the id column decided on the whole roster, as eval's), said
    (R061) and kept among the warnings a workbook's 说明 repeats; the refusal of a ``--keep 身份证号`` the
    roster has no column for, when no id is one."""
    warning = frame_ids_warning(teachers, column, frame, ids, shown_in=IN_REPORT)
    if refusal is not None and not ids.found():
        fail(refusal.message(lang), EXIT_USAGE)
    if warning is not None:
        say_warnings([warning], lang)
        said.append(warning)
