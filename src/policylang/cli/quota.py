"""``policylang quota POLICY TEACHERS --schools SCHOOLS``: per group, what each quota
requires, whether the pool can meet it, and a proposed selection."""

from __future__ import annotations

import sys

import click
from rich.table import Table
from rich.text import Text

from policylang.cli import bilingual
from policylang.lang import policy as P
from policylang.lang import schema as S
from policylang.io.safe_text import terminal_text
from policylang.present.quota import KINDS_ZH, plan_caveats, short_counts_note, quota_json, quota_workbook, roster_names
from policylang.cli.common import (SKIP_INVALID_REFUSED, SKIP_INVALID_REFUSED_ZH, assuming_or_exit, load_frame_or_exit,
                                   load_policy_or_exit, output_format_or_exit, output_not_an_input_or_exit,
                                   parameters_set_said, parse_as_of, parse_sets, resolve_lang, roster_inputs,
                                   say_warnings, with_roster_options, workbook_notes, write_and_exit)
from policylang.cli.ending import EXIT_OK, EXIT_USAGE, fail, out_console


@bilingual.command("quota", short_help_zh="每所学校（或片区、乡镇、全县）的交流名额和建议人选",
                   help_zh="按学校（或片区、乡镇、全县）计算：交流对象人数、每项名额要求须交流的人数、人选是否足够，\n以及按政策的优先顺序提出的建议人选。")
@with_roster_options
@bilingual.option("--format", "fmt", type=click.Choice(["table", "json", "xlsx"]), default=None,
                  help="table (for a terminal, the default), json, or xlsx (a workbook of the requirements and the "
                       "proposed selection, with names; with -o).",
                  help_zh="table（终端表格，默认）、json，或 xlsx（名额要求和建议人选的工作簿，含姓名；需配合 -o）。")
@bilingual.option("-o", "--output", type=click.Path(dir_okay=False),
                  help="Write the plans here (atomically): JSON, or a workbook for a name ending in .xlsx.",
                  help_zh="把结果写入此文件（整体写入）：JSON，文件名以 .xlsx 结尾时为工作簿。")
@bilingual.option("--skip-invalid", is_flag=True,
                  help=f"Plan with the valid rows; report the invalid ones. {SKIP_INVALID_REFUSED}",
                  help_zh=f"只用有效记录计算名额，并列出有误的记录；{SKIP_INVALID_REFUSED_ZH}")
@click.pass_context
def quota_command(ctx, policy, teachers, schools, as_of, sets, encoding, assume, strict, lang, fmt, output,
                  skip_invalid):
    """Per school (or cluster, township, county): exchange targets, how many must move under each
    quota, whether the pool can meet it, and a proposed selection ranked by the policy's priorities."""
    lang = resolve_lang(lang)
    if output:
        fmt = output_format_or_exit(fmt, output, {"json": "json", "xlsx": "xlsx"}, "json", lang)
    elif fmt == "xlsx":
        fail("xlsx 格式须用 -o 指定要写入的文件（如 -o 名额.xlsx）" if lang == "zh" else
             "the xlsx format needs a file to write: -o FILE.xlsx", EXIT_USAGE)
    fmt = fmt or "table"
    loaded = assuming_or_exit(load_policy_or_exit(policy, lang), assume, strict, lang)
    output_not_an_input_or_exit(output, roster_inputs(loaded, teachers, schools), lang, fmt)
    params = parse_sets(loaded, sets, lang)
    # read and decided on columns; the plans then go person by person through the pool
    reference = parse_as_of(as_of, loaded, lang=lang)
    loaded = loaded.reading_at(reference)  # a date of a teacher's life after it is refused (R029)
    left_out: list = []  # the rows --skip-invalid leaves out, for the workbook and the schools they leave short
    said: list = []  # what reading printed (blank cells read as 否 …): the workbook's 说明 says it again
    frame, skipped = load_frame_or_exit(loaded, teachers, schools, encoding, skip_invalid, lang, "quota", months=True,
                                        left_out=left_out, warnings=said)
    plans = loaded.quota_plans(frame, as_of=reference, params=params)
    names, school_names = roster_names(frame)
    shown = _shown_ids(loaded, frame, plans, left_out, teachers, encoding, lang, said)
    if fmt == "xlsx":  # with a 说明 sheet: the policy, its files' hashes, the date, parameters, the command
        notes = workbook_notes(ctx, loaded, params, reference, teachers, schools, lang, skipped=skipped,
                               left_out=tuple(left_out), warnings=said)
        write_and_exit(quota_workbook(plans, names, school_names, lang, notes, shown), output, lang)
    if fmt == "json" or output:
        write_and_exit((quota_json(plans, names, school_names, shown) + "\n").encode("utf-8"), output, lang)
    console = out_console()
    if not console.is_terminal:
        console.width = 160
    zh = lang == "zh"
    # what the plans are of: a screen pasted on names the policy, the date and any value set for this run
    console.print(Text(terminal_text(f"{loaded.checked.title} — 参考日期 {reference}" if zh else
                                     f"{loaded.checked.title} — reference date {reference}")))
    if (given := parameters_set_said(loaded, params, lang)) is not None:
        console.print(Text(terminal_text(given)))
    console.print()
    if skipped:  # before the plans it makes short
        console.print(Text(short_counts_note(skipped, lang, left_out, school_names)), style="bold")
        console.print()
    if not loaded.checked.quotas:
        console.print("本政策没有名额要求。" if zh else "This policy declares no quota.")
    elif not frame.height:
        console.print("名册中没有教师，无人可选派。" if zh else "The roster has no teacher: no one to select.")
    elif not plans:  # a quota `at schools where (…)` that no school of the roster meets
        console.print(f"名册中 {frame.height} 名教师所在的学校都不适用本政策的名额要求，本年无须按名额选派。" if zh else
                      f"No quota of this policy applies to the schools of the roster's {frame.height} teachers: "
                      "none is to be selected this year.")
    # every value goes to rich as Text (never read as markup), its control characters escaped
    for plan in plans:
        named = ""
        if not plan.known:  # a school's base value is empty: nothing is claimed either way
            state = "? 无法测算" if zh else "? not known"
        else:
            state = ("✓ 可以满足" if plan.feasible else "✗ 无法满足") if zh else ("✓ feasible" if plan.feasible else "✗ infeasible")
        movers = plan.movers if plan.known else "?"
        if plan.per == "school" and school_names.get(plan.group):
            named = " " + school_names[plan.group]
        group = terminal_text(P.quota_group_text(plan.per, plan.group, lang) + named)
        head = (f"{group}：教师 {plan.teachers} 人，交流对象 {plan.targets} 人，可交流 {plan.eligible} 人，"
                f"本年应交流 {movers} 人 — {state}") if zh else (
                f"{group}: {plan.teachers} teachers, {plan.targets} targets, {plan.eligible} eligible, "
                f"{movers} to move this year — {state}")
        head += "".join(f"（{said}）" if zh else f" ({said})" for said in plan_caveats(plan, lang))
        for r in plan.requirements:
            if r.lacking:
                name = S.SCHOOLS.label(r.base_column, lang)
                schools_text = ("、" if zh else ", ").join(r.lacking)
                head += (f"（学校 {schools_text} 的“{name}”为空，{r.quota} 无法测算，请补全）" if zh else
                         f" (school {schools_text} has no `{name}`: {r.quota} cannot be worked out; fill it in)")
        table = Table(title=Text(head), title_justify="left")
        for column in (("要求", "条款", "类型", "基数", "至少", "现有人数", "能否满足") if zh else
                       ("requirement", "quota", "kind", "base", "required", "available", "met")):
            table.add_column(column, overflow="fold")  # a narrow terminal wraps a requirement, never cuts it
        for r in plan.requirements:
            cells = (r.text_zh if zh else r.text, f"{r.quota} {r.title}", KINDS_ZH[r.kind] if zh else r.kind,
                     "?" if r.base is None else f"{r.base:g}", "?" if r.required is None else str(r.required),
                     str(r.available), "?" if not r.known else "✓" if r.feasible else "✗")
            table.add_row(*(Text(terminal_text(c)) for c in cells))
        console.print(table)
        for s in plan.selection:
            rank = f"第 {s.rank} 位（共 {s.of} 人）" if zh else f"rank {s.rank} of {s.of}"
            reason = terminal_text(s.reason_text(lang))
            who = terminal_text(shown.get(s.id, s.id) + (f" {names[s.id]}" if names.get(s.id) else ""))
            console.print(Text(f"   {who}  {rank}{'：' if zh else ': '}{reason}"))
        if plan.outside:  # targets the quotas do not count: the plan's number is not all who may move
            who = ("、" if zh else ", ").join(terminal_text(shown.get(i, i) + (f" {names[i]}" if names.get(i) else ""))
                                             for i in plan.outside)
            console.print(Text(f"   另有交流对象 {len(plan.outside)} 人不计入名额要求：{who}；本年是否交流，按其所依规则办理"
                               if zh else f"   {len(plan.outside)} more target(s) no quota counts: {who}; whether they "
                               "move this year is for the rule that makes them targets to say"))
        console.print()
    sys.exit(EXIT_OK)



def _shown_ids(policy, frame, plans, left_out: list, teachers: str, encoding, lang: str, said: list) -> dict[str, str]:
    """The ids the plans name (proposed, outside the quotas, left out) as the outputs show them, where that
    is not the id: an ID number masked, as eval's decisions are (``id_column``; quota has no --keep); said
    (R061), and kept among the warnings a workbook's 说明 repeats."""
    from policylang.io.columnar import roster_header
    from policylang.io.id_column import IN_PLAN, IdsShown, frame_ids_warning, id_header

    column = id_header(policy.checked.teachers, roster_header(teachers, encoding, policy.checked.teachers))
    shown = IdsShown()
    warning = frame_ids_warning(teachers, column, frame, shown, keep=False, shown_in=IN_PLAN)
    if warning is None:
        return {}
    say_warnings([warning], lang)
    said.append(warning)
    named = list(dict.fromkeys([*(s.id for p in plans for s in p.selection), *(i for p in plans for i in p.outside),
                                *(str(r[1]) for r in left_out)]))
    return {i: s for i, s in zip(named, shown.texts(named, tally=False)) if s != i}
