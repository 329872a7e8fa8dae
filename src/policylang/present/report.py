"""A what-if diff as a person reads it: terminal text, JSON, the changed people as
CSV/XLSX, and a self-contained HTML page with charts (inline SVG, no scripts, no
network), in English or Chinese. Aggregates respect the diff's small-cell rule."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence

import polars as pl

from policylang.lang import policy as P
from policylang.lang import schema as S
from policylang.lang.decisions import ROW_COLUMNS
from policylang.analyses.diff import (DIMENSIONS, MAX_PAIR_CHANGES, MIN_CELL, DiffReport, breakdown,
                                     exemption_summary, school_names, suppressed_cells)
from policylang.core.i18n import promotion_target, word
from policylang.io.id_column import IdsShown, holds_id_numbers
from policylang.io.output import NOTES_HEADERS, Layout, table_workbook
from policylang.io.safe_text import html_text, csv_text, json_text, terminal_text
from policylang.present.explain import promotion_text
from policylang.core.text_width import display_width

STATUSES = ("must_rotate", "eligible", "exempt", "not_eligible")
# a withheld count, in every table and language alike: it claims no range. A cell of 1 to MIN_CELL - 1
# people and one withheld beside it so that the total does not give it away (which may hold any number)
# look the same: marked apart, the difference of the total would tell both (``diff.suppressed_cells``)
SUPPRESSED = "*"
_DIM_ZH = {"school": "学校", "cluster": "片区", "area": "区域", "sex": "性别", "age_band": "年龄段",
           "title": "职称", "backbone": "骨干级别"}
# the parts a cause is found for; the status's part is its grounds too (rule, exemption, cite …):
# a draft that only cites another clause changes it, not the status
_GROUP = {"status": ("status and its grounds", "交流结论及依据"), "promotion": ("promotion", "职称晋升"),
          "consequences": ("penalties/benefits", "奖惩")}
_KIND = {"single": ("", ""), "any_of": ("any of: ", "任一即可："), "together": ("together: ", "两项共同导致："),
         "all": ("only all these changes together (no one or two of them alone): ",
                 "须以下修改全部合在一起才导致（其中任一项或任两项都不足以导致）："),
         # each needed (the draft less it does not give the decision), none of them one or two alone
         "needed": ("these changes together, each needed (no one or two alone; the others may matter too): ",
                    "须以下修改合在一起才导致，缺一不可（任一项或任两项都不足以导致；其余修改或许也有关）："),
         # too many differences to try in pairs: some of those named may not matter
         "untried": (f"these changes together (more than {MAX_PAIR_CHANGES} differences: not tried one pair at a time, "
                     "some may not matter): ",
                     f"以下修改合在一起导致（修改超过 {MAX_PAIR_CHANGES} 项，未逐对拆分检验，其中部分可能无关）：")}


# the same, in a word or two, where the text says the long form once beneath the causes
_KIND_SHORT = {"single": ("", ""), "any_of": ("any of: ", "任一即可："), "together": ("together: ", "两项共同导致："),
               "all": ("all together: ", "全部合在一起："), "needed": ("each needed: ", "缺一不可："),
               "untried": ("together, untried: ", "合在一起（未逐对检验）：")}


def cause_text(report: DiffReport, cause, lang: str, mask: bool = False, short: bool = False) -> str:
    """A cause as a sentence; with ``mask``, an exemption on a sensitive reason is not named
    (several of them said once, with how many); ``short``: each change by its kind and id alone,
    and the kind of cause in a word (``cause_kinds_note`` then says the words once), for a text
    that lists the changes in full above."""
    by_key = {c.key: c for c in report.changes}
    names = [(by_key[k].named(lang) if short else by_key[k].describe(lang)) if k in by_key else k
             for k in cause.keys if not (mask and k in report.sensitive_changes)]
    if hidden := len(cause.keys) - len(names):
        names.append(("受保护事由的豁免条款" + (f"（{hidden} 项）" if hidden > 1 else "")) if lang == "zh" else
                     f"{hidden} exemptions on a protected reason" if hidden > 1 else "an exemption on a protected reason")
    group = _GROUP[cause.group][1 if lang == "zh" else 0]
    kind = _cause_kind(report, cause)
    prefix = (_KIND_SHORT if short else _KIND)[kind][1 if lang == "zh" else 0]
    sep = "；" if lang == "zh" else "; "
    return f"{group}{'：' if lang == 'zh' else ': '}{prefix}{sep.join(names)}"


def _cause_kind(report: DiffReport, cause) -> str:
    return "untried" if cause.kind == "all" and not report.pairs_tried else cause.kind


_KIND_NOTE = {
    "any_of": ("“any of”: each change named would alone give the same", "“任一即可”：所列修改中任一项单独即可导致"),
    "all": ("“all together”: only all the changes named together give it, no one or two of them alone",
            "“全部合在一起”：须所列修改全部合在一起才导致，其中任一项或任两项都不足以导致"),
    "needed": ("“each needed”: the changes named give it together, each needed, no one or two alone "
               "(the other changes may matter too)",
               "“缺一不可”：所列修改须合在一起才导致，任一项或任两项都不足以导致（其余修改或许也有关）"),
    "untried": (f"“together, untried”: more than {MAX_PAIR_CHANGES} differences, not tried one pair at a time; "
                "some of the changes named may not matter",
                f"“合在一起（未逐对检验）”：修改超过 {MAX_PAIR_CHANGES} 项，未逐对拆分检验，所列修改中部分可能无关")}


def cause_kinds_note(report: DiffReport, causes, lang: str) -> str:
    """What the short words of ``cause_text(short=True)`` mean, for the kinds among ``causes``, once."""
    zh = lang == "zh"
    kinds = dict.fromkeys(_cause_kind(report, c) for c in causes)
    said = [_KIND_NOTE[k][1 if zh else 0] for k in kinds if k in _KIND_NOTE]
    head = "各项修改的全文见上文“政策差异”" if zh else "each change is given in full under the differences above"
    return ("（" + "；".join([head, *said]) + "。）") if zh else "(" + "; ".join([head, *said]) + ".)"


def _value_named(dim: str, value, lang: str, names: Mapping[str, str], others: int | None = None) -> str:
    """A breakdown's value as a reader knows it: a school by its code and name (S04 十五中); the
    row of ``others`` said together (``diff.breakdown``) by how many they are."""
    if others is not None:
        return f"其余 {others} 项（合并）" if lang == "zh" else f"{others} others (merged)"
    return dimension_value(dim, value, lang) + (f" {names[value]}" if dim == "school" and value in names else "")


def uncertain_note(report: DiffReport, lang: str) -> str:
    """How many people's decision, under either policy, hangs on a value the roster does not
    give (an empty cell a rule reads, or a year-month date's day): they are to be checked."""
    n, changed = len(report.uncertain), report.uncertain_changed
    if lang == "zh":
        listed = f"，其中 {changed} 人列在有变化的人员中" if changed else ""
        return (f"有 {n} 人的结论取决于名册未写明的数据（空白的单元格，或只有年月的日期），待核实：空白按缺少数据、"
                f"年月按当月第一天比较{listed}；数据补全后，结论和变化可能不同。")
    listed = f"; {changed} of them are listed as changed" if changed else ""
    return (f"{n} people's decisions hang on values the roster does not give (an empty cell, or a date known to "
            f"the month only) and are to be checked: empty values are compared as missing, year-month dates on the "
            f"month's first day{listed}; with the values complete, their decisions and changes could differ.")


def _uncertain_text(person, lang: str) -> str:
    """The values leaving a changed person's decision, before or after, uncertain."""
    fields = dict.fromkeys(person.before.uncertain + person.after.uncertain)
    if not fields:
        return ""
    return ("待核实：" if lang == "zh" else "to be checked: ") + S.unknown_values_text(fields, lang)


def suppression_note(lang: str) -> str:
    """What a withheld cell (``SUPPRESSED``) means, said truthfully: not that it holds fewer than
    MIN_CELL people (one withheld beside such a cell may hold any number), only that it is withheld."""
    if lang == "zh":
        return (f"为保护个人隐私，涉及孕期、产假、哺乳期、重病、审查调查、处分等敏感事由（政策自起名称的豁免类别也按敏感事由处理）"
                f"且不足 {MIN_CELL} 人的统计格已隐去；为免用合计（全县合计或其他表格）减去同列显示的各格推算出隐去的数，"
                f"同一张表的同一列另将一格或几格一并隐去（不论其人数多少、是否涉及敏感事由）。隐去的格一律显示为“{SUPPRESSED}”，只表示该格已隐去，"
                f"不表示人数不足 {MIN_CELL} 人，也不表示任何人数范围。分组统计中，某校（或片区、年龄段等）"
                f"的有变化、新增须交流或不再须交流人数若含这类人员而其余不足 {MIN_CELL} 人，该项不列名称，与同样的各项"
                "合为最后一行“其余 N 项（合并）”，且不列人数（学校人数会透露是哪几所）；只有一项时，另并入变化最少的一项，"
                "以免由全县合计推算。")
    return (f"To protect individuals, cells about a sensitive reason (pregnancy, maternity, nursing, illness, "
            f"investigation, sanction, and any exemption category the policy names itself) with fewer than "
            f"{MIN_CELL} people are withheld or merged; so that no withheld cell can be worked out by subtracting "
            "the cells shown from a total (the county's, or another table's), one or more other cells of the same "
            f"column are withheld with it, whatever their count and whether or not they are about a sensitive reason. Every withheld cell is shown as {SUPPRESSED}: it says only that the "
            f"cell is withheld, not that it holds fewer than {MIN_CELL} people, nor any range. In a breakdown, a "
            "school (or cluster, age band …) whose changed, newly or no longer must-rotate count holds such people "
            f"beside fewer than {MIN_CELL} others is not named, as that count would all but tell them: such groups "
            "are merged into one last row, \"N others (merged)\", without their number of people "
            "(a school's size would say which they are); where there is one alone, the one of fewest changes is "
            "merged with it, or the county's totals would give it.")


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - display_width(text))
    return space + text if right else text + space


def _status(s: str, lang: str) -> str:
    return word(s, lang)


def _touched_by_sensitive(report: DiffReport, person) -> bool:
    """A sensitive exemption decides the person before or after, or a change on one is a cause."""
    return (person.before.exemption in report.sensitive_codes or person.after.exemption in report.sensitive_codes
            or any(report.is_sensitive(c) for c in person.causes))


def withheld_note(withheld: int, lang: str, page: bool = False) -> str:
    """The people a report to be passed around (the terminal's, the HTML ``page``) does not list: a
    sensitive reason is part of their change, and their names beside it would undo the tables'
    withheld cells. The personnel records (CSV, XLSX, JSON) list them."""
    return (f"另有 {withheld} 人的变化涉及受保护事由，{'本页' if page else '此处'}不逐一列出（已计入上方各表）；"
            "CSV 或 XLSX 输出（人事记录）列出全部人员。" if lang == "zh" else
            f"{withheld} of the people above involve a protected reason and are not listed "
            f"{'on this page' if page else 'here'}; "
            "they are counted in the tables above, and the CSV or XLSX output (personnel records) lists them.")


def ids_shown(report: DiffReport, whole: bool = False) -> IdsShown:
    """How a report shows its changed people's ids: as ``eval``'s decisions files do (``id_column``), an
    id that is a resident ID number masked (110105********0028), unless ``whole`` (``--keep 身份证号``;
    the service, answering the ids its caller sent). Whether the id column is one of ID numbers is
    decided on the whole roster, not on the few people who changed. Only the shown id is masked: the
    diff matched its people on the full ids, and two whose masked ids coincide are two rows."""
    return IdsShown(whole=whole, numbers=holds_id_numbers(report.frame["id"].cast(pl.Utf8)))


def _shown_ids(report: DiffReport, people, ids: IdsShown | None) -> list[str]:
    """``people``'s ids as the report shows them (``ids``; by default ``ids_shown``: masked)."""
    return (ids if ids is not None else ids_shown(report)).texts([p.id for p in people], tally=False)


def ids_masked_note(lang: str) -> str:
    """What a report passed around says beneath its list of people when it masked an id (R061, which
    the command says, does not travel with the page or the text pasted on)."""
    return ("工号为身份证号的已脱敏（保留前 6 位和后 4 位，如 110105********002X）：身份证号未经要求不写入报告；"
            "两人脱敏后的工号可能相同，仍是两个人（比较按完整号码进行）。" if lang == "zh" else
            "ids that are resident ID numbers (身份证号) are masked (the first 6 and last 4 characters: "
            "110105********002X), as an ID number is not written unasked; two people's masked ids may be alike "
            "and are still two people (the comparison matched the full numbers).")


# ---- text ---------------------------------------------------------------------


def _quota_cells(row: dict, lang: str, numbers: bool = False) -> tuple[str, object, object, str, str]:
    """A quota change as a reader reads it: the group, people to move before and after,
    and whether the pool could meet every requirement before and after. ``numbers``: the people
    as numbers (a workbook's cells, which a spreadsheet sums), else as text."""
    zh = lang == "zh"
    none = "无名额要求" if zh else "no quota"

    def movers(v):
        return none if v is None else v if numbers else str(v)

    def feasible(v):
        return "—" if v is None else (("能" if v else "不能") if zh else ("yes" if v else "no"))

    named = f" {row['group_name']}" if row.get("group_name") else ""  # a school by its code and name
    return (terminal_text(P.quota_group_text(row["per"], row["group"], lang) + named), movers(row["movers_before"]), movers(row["movers_after"]),
            feasible(row["feasible_before"]), feasible(row["feasible_after"]))


def _quota_lines(quota_rows, lang: str) -> list[str]:
    zh = lang == "zh"
    if quota_rows is None:
        return []
    lines = ["", "名额要求的变化（本年应交流人数；能否满足）：" if zh else
             "Quota requirements that change (to move this year; feasible):"]
    if not quota_rows:
        lines.append("  （无变化）" if zh else "  (none)")
    for r in quota_rows:
        group, before, after, feasible_before, feasible_after = _quota_cells(r, lang)
        lines.append(f"  {group}{'：' if zh else ': '}{before} → {after}{'；' if zh else '; '}"
                     f"{feasible_before} → {feasible_after}")
    return lines


def dimension_value(dimension: str, value: str, lang: str) -> str:
    """A breakdown's value as a reader knows it: codes of the roster as their Chinese labels."""
    enum = {"area": S.AREA, "sex": S.SEX, "title": S.TITLE, "backbone": S.BACKBONE}.get(dimension)
    if enum is None or lang != "zh":
        return value
    return enum.labels.get(value, value)


DECISION_SAID = ("(a decision: the status with its rule, exemption, direction and citations, the promotion "
                 "prospects, the penalties and benefits; the status: must rotate, eligible, exempt, not eligible)",
                 "（“决定”包括结论及其依据条款、豁免、交流方向和出处，职称晋升前提，奖惩；“结论”指须交流、可交流、免于交流、"
                 "不在交流范围）")


def changed_text(report: DiffReport, lang: str, count=str) -> str:
    """The headline's count, in the text and the HTML report alike: the people whose decision
    changed, and of them those whose status did (a draft changing only a rule's cite changes
    decisions, not statuses). ``count`` shows the first number (the HTML report marks it)."""
    n = count(len(report.changed))
    return (f"决定有变化 {n} 人（其中结论改变 {report.status_changed} 人）" if lang == "zh" else
            f"{n} with a changed decision ({report.status_changed} with a changed status)")


def not_compared_note(skipped: int, lang: str) -> str:
    """The teachers ``--skip-invalid`` left out of a comparison: neither policy decided them."""
    return (f"另有 {skipped} 名教师因记录有误未作比较（--skip-invalid），不在以上人数之内" if lang == "zh" else
            f"{skipped} more teachers left out for problems in their rows (--skip-invalid), not compared")


def given_lines(given: Sequence[tuple[str, str]], lang: str) -> list[str]:
    """The parameters a run gave either side (``given``: what gave them, the values: "本次以 --set 指定的
    参数", "…"), a sentence a side, as the terminal says them above quota's and explain's answers."""
    return [f"{by}：{values}" if lang == "zh" else f"{by}: {values}" for by, values in given]


def text_report(report: DiffReport, lang: str = "en", limit: int = 30, quota_rows=None, skipped: int = 0,
                given: Sequence[tuple[str, str]] = (), ids: IdsShown | None = None) -> str:
    """The report for a terminal. ``given``: the parameters the run gave either side (`--base-set`,
    `--set`), each side's (what gave them, the values), said under the title: a comparison of two sides given the
    same value lists no difference, and its numbers are not the policies' own. ``ids``: how the people's
    ids are shown (``ids_shown``: an ID number masked, by default)."""
    zh = lang == "zh"
    lines = [f"{report.base}  →  {report.draft}", *given_lines(given, lang),
             (f"参考日期 {report.as_of}；共 {report.total} 人，{changed_text(report, lang)}" if zh else
              f"reference date {report.as_of}; {report.total} people, {changed_text(report, lang)}"),
             # (what 决定 counts beside 结论: a decision changes by its grounds too)
             *([DECISION_SAID[1 if zh else 0]] if len(report.changed) else []),
             *([not_compared_note(skipped, lang)] if skipped else []),
             ""]
    if report.uncertain:
        lines[-1:] = [uncertain_note(report, lang), ""]
    lines.append("政策差异：" if zh else "Differences between the policies:")
    lines += [f"  - {c.listed(lang)}" for c in report.changes] or ["  （无）" if zh else "  (none)"]
    lines += ["", "结论变化（行：原结论，列：新结论）：" if zh else "Status transitions (rows: before, columns: after):"]
    width = max(display_width(_status(s, lang)) for s in STATUSES) + 2
    lines.append(" " * width + "".join(_pad(_status(s, lang), width, right=True) for s in STATUSES))
    for a in STATUSES:
        lines.append(_pad(_status(a, lang), width) + "".join(
            _pad(str(report.transitions.get((a, b), 0)), width, right=True) for b in STATUSES))
    lines += ["", "原因（人数）：" if zh else "Causes (people):"]
    # a sensitive exemption by no name, as the HTML page and the workbook give it: the report is passed on
    causes = cause_rows(report, lang, short=True)
    lines += [f"  {shown:>5}  {text}" for text, shown in causes] or ["  （无：没有人的决定改变）" if zh else
                                                                     "  (none: no one's decision changes)"]
    if counted := report.cause_counts():
        lines.append("  " + cause_kinds_note(report, list(counted), lang))
    names = school_names(report)
    heads = (("人数", "有变化", "新增须交流", "不再须交流", "敏感事由") if zh else
             ("people", "changed", "newly must", "no longer must", "sensitive"))
    widths = [max(display_width(h), 6) + 2 for h in heads]
    for dim in DIMENSIONS if len(report.changed) else ():  # nobody changed: no table of nothing
        rows = breakdown(report, dim)
        values = [terminal_text(_value_named(dim, r["value"], lang, names, r.get("others"))) for r in rows]
        first = max([display_width(_DIM_ZH[dim] if zh else dim), *map(display_width, values)]) + 2
        lines += ["", f"按{_DIM_ZH[dim]}：" if zh else f"By {dim}:"]
        lines.append("  " + _pad(_DIM_ZH[dim] if zh else dim, first)
                     + "".join(_pad(h, w, right=True) for h, w in zip(heads, widths)))
        for row, value in zip(rows, values):
            cells = _breakdown_cells(row)
            lines.append("  " + _pad(value, first) + "".join(_pad(str(c), w, right=True) for c, w in zip(cells, widths)))
    lines += _quota_lines(quota_rows, lang)
    total = len(report.changed)
    if total <= limit:
        lines += ["", f"有变化的人员（共 {total} 人）：" if zh else f"Changed people ({total}):"]
    else:
        lines += ["", f"有变化的人员（前 {limit} 名，共 {total} 人；--limit {total} 或 -o 文件.csv 可列出全部）：" if zh else
                  f"Changed people (the first {limit} of {total}; --limit {total} or -o FILE.csv lists them all):"]
    layout = Layout(lang=lang)
    # as on the HTML page: no one whose change a sensitive reason is part of (their names beside it
    # would undo the withheld cells of the tables above), said with how many
    chosen = report.people(limit)
    people = [p for p in chosen if not _touched_by_sensitive(report, p)]
    names = (report.frame["name"].gather([p.index for p in people]).to_list() if "name" in report.frame.columns
             else [None] * len(people))
    shown_ids = _shown_ids(report, people, ids)
    for p, name, shown_id in zip(people, names, shown_ids):
        before = f"{_status(p.before.status, lang)} {p.before.rule or ''}".strip()
        after = f"{_status(p.after.status, lang)} {p.after.rule or ''}".strip()
        unsure = _uncertain_text(p, lang)
        changed = ("、" if zh else ", ").join(_changed_field(f, layout) for f in p.fields)
        who = terminal_text(shown_id) + (f" {terminal_text(name)}" if name else "")
        lines.append(f"  {who}{'：' if zh else ': '}{before} → {after}"
                     + (f"（变化：{changed}）；" if zh else f" (changed: {changed}); ")
                     + " | ".join(cause_text(report, c, lang, short=True) for c in p.causes)
                     + (f"（{unsure}）" if zh else f" ({unsure})") * bool(unsure))
    if withheld := len(chosen) - len(people):
        lines.append("  " + withheld_note(withheld, lang))
    if any(shown != p.id for p, shown in zip(people, shown_ids)):
        lines.append("  " + ids_masked_note(lang))
    # nobody changed: no count to hide, and no note saying how counts are hidden
    lines += ["", suppression_note(lang)] if total else ["  （无）" if zh else "  (none)"]
    # values were escaped one by one (a newline in an id is shown as \n); the policies' text here
    return terminal_text("\n".join(lines), newlines=True)


# ---- data --------------------------------------------------------------------


def json_report(report: DiffReport, sweep: list[tuple[object, int, int]] | None = None, quota_rows=None,
                ids: IdsShown | None = None) -> str:
    """Everything, as data; ``ids``: how the people's ids are shown (``ids_shown``: an ID number masked,
    by default; the service answers its caller's own, ``whole``)."""
    persons = report.persons
    data = {
        "base": report.base, "draft": report.draft, "as_of": report.as_of.isoformat(), "people": report.total,
        "changed": len(report.changed),
        "uncertain": {"people": len(report.uncertain), "changed": report.uncertain_changed},
        "differences": [{"key": c.key, "kind": c.kind, "id": c.id, "change": c.change, "before": c.before,
                         "after": c.after, "en": c.listed("en"), "zh": c.listed("zh")} for c in report.changes],
        "transitions": [{"before": a, "after": b, "count": n} for (a, b), n in sorted(report.transitions.items())],
        "causes": [{"part": c.group, "kind": c.kind, "changes": list(c.keys), "people": n}
                   for c, n in report.cause_counts().most_common()],
        "breakdowns": {dim: breakdown(report, dim) for dim in DIMENSIONS},
        "exemptions": exemption_summary(report),
        "persons": [{"id": shown, "before": p.before.to_json() | {"id": shown}, "after": p.after.to_json() | {"id": shown},
                     "fields": list(p.fields),
                     "causes": [{"part": c.group, "kind": c.kind, "changes": list(c.keys)} for c in p.causes]}
                    for p, shown in zip(persons, _shown_ids(report, persons, ids))],
        "privacy": {"min_cell": MIN_CELL, "note": {"en": suppression_note("en"), "zh": suppression_note("zh")}},
    }
    if quota_rows is not None:
        data["quota_changes"] = quota_rows
    if sweep is not None:
        data["sweep"] = [{"value": str(v), "changed": n, "status_changed": m} for v, n, m in sweep]
    return json_text(json.dumps(data, ensure_ascii=False, indent=1, default=str))


PERSON_COLUMNS = ("id", "name", "school_id", "school_name", "fields",
                  *(f"before_{c}" for c in ROW_COLUMNS[1:]), *(f"after_{c}" for c in ROW_COLUMNS[1:]), "causes",
                  "uncertain")
_PERSON_ZH = {"id": "工号", "name": "姓名", "school_id": "学校代码", "school_name": "学校名称", "fields": "改变的部分",
              "causes": "原因", "uncertain": "待核实"}
_CHANGED_ZH = {"promotion": "晋升"}  # the parts of a decision a change is in, where no column header names them


def _changed_field(field: str, layout: Layout) -> str:
    """A part of a decision that changed, as the report names it (`cite`, 政策出处)."""
    return (_CHANGED_ZH.get(field) or layout.header(field)) if layout.lang == "zh" else field


def person_headers(lang: str = "en") -> list[str]:
    """The changed people's table's header: the contract's names, or Chinese (原结论, 新结论 …)."""
    if lang != "zh":
        return list(PERSON_COLUMNS)
    layout = Layout(lang="zh")
    return [_PERSON_ZH.get(c) or ("原" if c.startswith("before_") else "新") + layout.header(c.split("_", 1)[1])
            for c in PERSON_COLUMNS]


def person_rows(report: DiffReport, lang: str = "en", exemptions: Mapping[str, str] | None = None,
                ids: IdsShown | None = None) -> list[dict[str, str]]:
    """Each changed person: who (the id as ``ids`` shows it, by default an ID number masked; name and
    school from the roster, where it has them), which parts of the decision changed, the decision
    before and after (in Chinese: labels, as `eval --lang zh` writes them) and the causes."""
    layouts = {side: Layout(lang=lang, effects=effects, exemptions=exemptions or {})
               for side, effects in (("before", report.base_labels), ("after", report.labels))}
    labels = {side: {c: layout.label(c) for c in ROW_COLUMNS[1:]} for side, layout in layouts.items()}
    layout = layouts["after"]
    if lang != "zh":  # a benefit's last day, which a decisions file leaves out, may be what changed
        for side in labels.values():
            side["benefits"] = None
    people = report.persons
    at = [p.index for p in people]
    who = {key: report.frame[column].gather(at).to_list() if column in report.frame.columns else [None] * len(at)
           for key, column in (("name", "name"), ("school_id", "school_id"), ("school_name", "school.name"))}
    shown_ids = _shown_ids(report, people, ids)
    rows = []
    for k, p in enumerate(people):
        fields = [_changed_field(f, layout) for f in p.fields]
        row = {"id": shown_ids[k], **{key: "" if values[k] is None else str(values[k]) for key, values in who.items()},
               "fields": ("、" if lang == "zh" else ";").join(fields)}
        for prefix, d in (("before", p.before), ("after", p.after)):
            for column, value in d.to_row(benefit_until=True).items():  # labelled as a decisions file's cells
                if column != "id":
                    label = labels[prefix].get(column)
                    row[f"{prefix}_{column}"] = label(value) if label and value else value
        row["causes"] = " | ".join(cause_text(report, c, lang) for c in p.causes)
        row["uncertain"] = _uncertain_text(p, lang)
        rows.append(row)
    return rows


def persons_csv(report: DiffReport, lang: str = "en", exemptions: Mapping[str, str] | None = None,
                ids: IdsShown | None = None) -> bytes:
    rows = [[row[c] for c in PERSON_COLUMNS] for row in person_rows(report, lang, exemptions, ids)]
    return csv_text([person_headers(lang), *rows]).encode("utf-8")


def cause_rows(report: DiffReport, lang: str, short: bool = False) -> list[tuple[str, object]]:
    """Each cause with its people, most first, as the reports passed on show them: causes that
    differ only in which sensitive exemption they name read alike once masked, and are one row
    (a person has one cause per part of the decision, and the part is in the text, so their
    people add up without counting anyone twice); a sensitive row below ``MIN_CELL`` withheld
    (``SUPPRESSED``), and beside it, in the same part, as many others as it takes that the part's
    people (with one part changed, the headline's count) less the rows shown do not give it
    (``suppressed_cells``)."""
    merged: Counter = Counter()
    sensitive: set[str] = set()
    part: dict[str, str] = {}
    for cause, n in report.cause_counts().items():
        text = cause_text(report, cause, lang, mask=True, short=short)
        merged[text] += n
        part[text] = cause.group  # (the part is in the text: a text has one)
        if report.is_sensitive(cause):
            sensitive.add(text)
    rows = merged.most_common()
    withheld: set[str] = set()
    for group in dict.fromkeys(part.values()):
        column = [(text, n) for text, n in rows if part[text] == group]
        hidden = suppressed_cells([n for _, n in column], primary=[text in sensitive and n < MIN_CELL for text, n in column])
        withheld |= {text for (text, _), h in zip(column, hidden) if h}
    return [(text, SUPPRESSED if text in withheld else n) for text, n in rows]


def breakdown_rows(report: DiffReport, dim: str, lang: str, names: Mapping[str, str]) -> list[tuple]:
    """A breakdown's rows as read: the value (a school by its name), people, changed, newly and
    no longer must rotate, and those changed for a sensitive reason (withheld: ``SUPPRESSED``)."""
    return [(_value_named(dim, r["value"], lang, names, r.get("others")), *_breakdown_cells(r))
            for r in breakdown(report, dim)]


def _breakdown_cells(row: dict) -> tuple:
    """A breakdown row's counts as shown: a sensitive count withheld as ``SUPPRESSED`` (whether it
    holds fewer than MIN_CELL people or is withheld beside one); the merged row's people, not given, as —."""
    protected = SUPPRESSED if row["suppressed"] else row["protected"]
    return "—" if row["people"] is None else row["people"], row["changed"], row["to_must_rotate"], row["from_must_rotate"], protected


def breakdown_headers(dim: str, lang: str) -> tuple[str, ...]:
    zh = lang == "zh"
    return ((_DIM_ZH[dim] if zh else dim), *(zh_ if zh else en for en, zh_ in (
        ("people", "人数"), ("changed", "有变化"), ("newly must rotate", "新增须交流"),
        ("no longer must rotate", "不再须交流"), ("sensitive reason", "敏感事由"))))


QUOTA_CHANGE_HEADERS = {"en": ("group", "to move before", "to move after", "feasible before", "feasible after"),
                        "zh": ("范围", "原应交流", "新应交流", "原能否满足", "新能否满足")}


def persons_xlsx(report: DiffReport, lang: str = "en", exemptions: Mapping[str, str] | None = None,
                 sweep: tuple[str, list[tuple[str, int, int]]] | None = None, skipped: int = 0,
                 about: Sequence[Sequence[str]] = (), quota_rows=None, given: Sequence[tuple[str, str]] = (),
                 ids: IdsShown | None = None) -> bytes:
    """The changed people as a workbook made as `eval`'s is (frozen header, filters, widths that
    fit Chinese text; no cell a formula); then an overview (the two policies, the reference date,
    the counts and every difference between the policies) and the status transitions; with a sweep
    (the parameter's name, and each value as written with the people it changes), a sheet of it;
    with ``about`` (``output.comparison_provenance``), how it was made (说明). ``ids``: as ``person_rows``."""
    rows = [[row[c] for c in PERSON_COLUMNS] for row in person_rows(report, lang, exemptions, ids)]
    zh = lang == "zh"
    # what a reader of the changed people needs beside them: which policies, which differences, the transitions
    overview = [["原政策" if zh else "base", report.base], ["新政策" if zh else "draft", report.draft],
                *(list(pair) for pair in given),
                ["参考日期" if zh else "reference date", str(report.as_of)], ["人数" if zh else "people", report.total],
                *([["未作比较" if zh else "left out", not_compared_note(skipped, lang)]] if skipped else []),
                ["变化" if zh else "changed", changed_text(report, lang)],
                *(["政策差异" if zh else "difference", c.listed(lang)] for c in report.changes)]
    transitions = [[_status(a, lang), *(report.transitions.get((a, b), 0) for b in STATUSES)] for a in STATUSES]
    more = [("概况" if zh else "overview", ["项目", "内容"] if zh else ["item", "value"], overview),
            ("结论转移" if zh else "transitions",
             ["原结论＼新结论" if zh else "before \\ after", *(_status(b, lang) for b in STATUSES)], transitions),
            # why, and where: as the text, JSON and HTML reports give them (a sensitive small count withheld: *)
            ("变化原因" if zh else "causes", ["原因", "人数"] if zh else ["cause", "people"],
             [list(r) for r in cause_rows(report, lang)]),
            ("分项统计" if zh else "breakdowns",
             ["分项" if zh else "by", "取值" if zh else "value", *breakdown_headers("school", lang)[1:]],
             [[_DIM_ZH[dim] if zh else dim, *r] for dim in DIMENSIONS
              for r in breakdown_rows(report, dim, lang, school_names(report))])]
    if quota_rows is not None:
        more.append(("名额变化" if zh else "quotas", list(QUOTA_CHANGE_HEADERS[lang]),
                     [list(_quota_cells(r, lang, numbers=True)) for r in quota_rows]))
    if sweep is not None:
        name, points = sweep
        more.append(("参数扫描" if lang == "zh" else "sweep",
                     [f"{name}{'' if name.endswith('）') else ' '}取值" if lang == "zh" else f"{name} =",
                      "决定有变化的人数" if lang == "zh" else "people with a changed decision",
                      "其中结论改变的人数" if lang == "zh" else "of them, with a changed status"],
                     [[value, n, m] for value, n, m in points]))
    if about:
        more.append(("说明" if zh else "about", NOTES_HEADERS[lang], [list(r) for r in about]))
    return table_workbook("结论变化" if lang == "zh" else "changes", person_headers(lang), rows, more=more)


# ---- HTML ----------------------------------------------------------------------


_e = html_text  # text in the page: escaped, control characters shown


def _bars(rows: list[tuple[str, int, int]], title: str, legend: tuple[str, str]) -> str:
    """Horizontal bars: for each label, people newly must rotate and no longer must rotate."""
    if not rows:
        return ""
    height = 26 * len(rows) + 40
    top = max(max(a, b) for _, a, b in rows) or 1
    out = [f'<svg class="chart" role="img" aria-label="{_e(title)}" viewBox="0 0 640 {height}" '
           f'width="640" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    out.append(f'<rect x="150" y="6" width="12" height="12" fill="#c0392b"/><text x="168" y="17">{_e(legend[0])}</text>')
    out.append(f'<rect x="360" y="6" width="12" height="12" fill="#2980b9"/><text x="378" y="17">{_e(legend[1])}</text>')
    for k, (label, up, down) in enumerate(rows):
        y = 30 + 26 * k
        out.append(f'<text x="140" y="{y + 15}" text-anchor="end">{_e(label)}</text>')
        w1, w2 = 220 * up / top, 220 * down / top
        out.append(f'<rect class="bar-up" x="150" y="{y + 2}" width="{w1:.1f}" height="10" fill="#c0392b"/>')
        out.append(f'<rect class="bar-down" x="150" y="{y + 13}" width="{w2:.1f}" height="10" fill="#2980b9"/>')
        out.append(f'<text x="{156 + max(w1, w2):.1f}" y="{y + 15}">{up} / {down}</text>')
    out.append("</svg>")
    return "".join(out)


def _curve(points: list[tuple[object, int, int]], title: str, x_label: str, labels: tuple[str, str]) -> str:
    """The sweep as two lines: the people whose decision changes, and those whose status does
    (``labels``: the two lines' names, said in a key above the chart)."""
    if not points:
        return ""
    w, h, left, bottom = 640, 300, 60, 40
    top = max(n for _, n, _ in points) or 1
    step = (w - left - 20) / max(1, len(points) - 1)
    out = [f'<svg class="chart" id="sweep" role="img" aria-label="{_e(title)}" viewBox="0 0 {w} {h}" width="{w}" '
           f'height="{h}" xmlns="http://www.w3.org/2000/svg">',
           f'<line x1="{left}" y1="{h - bottom}" x2="{w - 10}" y2="{h - bottom}" stroke="#555"/>',
           f'<line x1="{left}" y1="10" x2="{left}" y2="{h - bottom}" stroke="#555"/>']
    for i, (color, label) in enumerate(zip(("#8e44ad", "#c0392b"), labels)):
        coords = [(left + k * step, h - bottom - (h - bottom - 56) * point[1 + i] / top)  # (the key above)
                  for k, point in enumerate(points)]
        path = " ".join(f"{'M' if k == 0 else 'L'}{x:.1f},{y:.1f}" for k, (x, y) in enumerate(coords))
        out.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{left + 10}" y="{14 + 16 * i}" fill="{color}">{_e(label)}</text>')
        for (x, y), point in zip(coords, points):
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
            out.append(f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" fill="{color}">{point[1 + i]}</text>')
    for k, (value, _, _) in enumerate(points):
        out.append(f'<text x="{left + k * step:.1f}" y="{h - bottom + 16}" text-anchor="middle">{_e(value)}</text>')
    out.append(f'<text x="{w / 2}" y="{h - 4}" text-anchor="middle">{_e(x_label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _matrix(report: DiffReport, lang: str) -> str:
    top = max(report.transitions.values() or [1])
    cells = ["<table class='matrix' id='transitions'><tr><th></th>" +
             "".join(f"<th>{_e(_status(s, lang))}</th>" for s in STATUSES) + "</tr>"]
    for a in STATUSES:
        row = f"<tr><th>{_e(_status(a, lang))}</th>"
        for b in STATUSES:
            n = report.transitions.get((a, b), 0)
            alpha = 0.08 + 0.6 * n / top if n else 0
            color = "142,68,173" if a == b else "192,57,43"
            row += f"<td style='background: rgba({color},{alpha:.2f})'>{n}</td>"
        cells.append(row + "</tr>")
    return "".join(cells) + "</table>"


def html_report(report: DiffReport, lang: str = "en", sweep: list[tuple[object, int, int]] | None = None,
                sweep_name: str | None = None, quota_rows=None, limit: int | None = None,
                exemptions: Mapping[str, str] | None = None, given: Sequence[tuple[str, str]] = (),
                ids: IdsShown | None = None) -> str:
    """The report as one HTML page; it lists the first ``limit`` changed people (all without one),
    an exemption by its label as the CSV and XLSX of the changed people give it (``exemptions``:
    the policies' own codes and their titles, as ``person_rows`` takes them), each by their id as
    ``ids`` shows it (``ids_shown``: an ID number masked, by default; said beneath them)."""
    zh = lang == "zh"
    t = (lambda en, cn: cn if zh else en)
    parts = [f"<!doctype html><html lang='{'zh-CN' if zh else 'en'}'><head><meta charset='utf-8'>",
             f"<title>{_e(t('What-if report', '政策调整影响报告'))}: {_e(report.draft)}</title>",
             "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:1000px;margin:2em auto;"
             "color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
             "text-align:right}th{background:#f4f4f4;white-space:nowrap}td.l,th.l{text-align:left}svg text{font-size:12px}"
             ".note{color:#666;font-size:90%}h1{font-size:1.5em}</style></head><body>"]
    parts.append(f"<h1>{_e(t('What-if report', '政策调整影响报告'))}</h1>")
    changed = changed_text(report, lang, lambda n: f"<span id='changed-count'>{n}</span>")  # (numbers: no escaping)
    parts.append(f"<p>{_e(report.base)} → <b>{_e(report.draft)}</b><br>"
                 f"{_e(t('reference date', '参考日期'))} {report.as_of} · "
                 f"{_e(t('people', '人数'))} {report.total} · "
                 f"<span id='changed'>{changed}</span></p>")
    if given:  # the parameters the run gave either side, as the text report says them under its title
        parts.append("<p id='given'>" + "<br>".join(_e(said) for said in given_lines(given, lang)) + "</p>")
    if report.uncertain:
        parts.append(f"<p class='note' id='uncertain'>{_e(uncertain_note(report, lang))}</p>")
    parts.append(f"<h2>{_e(t('Differences between the policies', '政策差异'))}</h2><ul id='differences'>")
    parts += [f"<li>{_e(c.listed(lang))}</li>" for c in report.changes]  # the policy text is public
    if not report.changes:  # (a text against itself: said, not an empty heading)
        parts.append(f"<li class='note'>{_e(t('none: the same rules and parameters', '无：两者的条款与参数都相同'))}</li>")
    parts.append("</ul>")
    parts.append(f"<h2>{_e(t('Status transitions', '结论变化'))}</h2>")
    parts.append(f"<p class='note'>{_e(t('rows: before; columns: after', '（行：原结论，列：新结论）'))}</p>")
    parts.append(_matrix(report, lang))
    if not len(report.changed):  # nobody changed: said once, not causes, tables and people of nothing
        parts.append(f"<p class='note' id='unchanged'>{_e(t('No one’s decision changes.', '没有人的决定改变。'))}</p>")
        parts += _quota_html(quota_rows, lang) + _sweep_html(sweep, sweep_name, lang)
        parts.append("</body></html>")
        return "".join(parts)
    parts.append(f"<h2>{_e(t('Causes', '变化原因'))}</h2><table id='causes'><tr><th class='l'>"
                 f"{_e(t('cause', '原因'))}</th><th>{_e(t('people', '人数'))}</th></tr>")
    for text, shown in cause_rows(report, lang):
        parts.append(f"<tr><td class='l'>{_e(text)}</td><td>{_e(str(shown))}</td></tr>")
    parts.append("</table>")
    by_school = breakdown(report, "school")
    names = school_names(report)
    parts.append(f"<h2>{_e(t('By school', '按学校'))}</h2>")
    parts.append(_bars([(_value_named("school", r["value"], lang, names, r.get("others")), r["to_must_rotate"],
                         r["from_must_rotate"]) for r in by_school],
                       t("By school", "按学校"), (t("newly must rotate", "新增须交流"),
                                                   t("no longer must rotate", "不再须交流"))))
    for dim in DIMENSIONS:
        parts.append(f"<h3>{_e(_DIM_ZH[dim] if zh else dim)}</h3><table class='breakdown' data-dimension='{dim}'><tr>"
                     + "".join(f"<th>{_e(h)}</th>" for h in breakdown_headers(dim, lang)) + "</tr>")
        for value, *counts in breakdown_rows(report, dim, lang, names):
            parts.append(f"<tr><td class='l'>{_e(value)}</td>" + "".join(f"<td>{_e(str(c))}</td>" for c in counts)
                         + "</tr>")
        parts.append("</table>")
    parts += _quota_html(quota_rows, lang) + _sweep_html(sweep, sweep_name, lang)
    parts.append(f"<h2>{_e(t('Changed people', '决定有变化的人员'))}</h2><table id='persons'><tr>"
                 + "".join(f"<th class='l'>{_e(h)}</th>" for h in (
                     t("id", "工号"), t("before", "原结论"), t("after", "新结论"), t("cause", "原因"))) + "</tr>")
    people = report.people(limit)
    # a page meant to be passed around names no one whose change a sensitive reason is part of:
    # "protected reason" beside a name, with the policies' one new illness exemption listed above,
    # says which it is; they are counted in the tables above, and the personnel records list them
    listed = [p for p in people if not _touched_by_sensitive(report, p)]
    withheld = len(people) - len(listed)
    # an exemption as the changed people's CSV and XLSX label it (临近退休; a policy's own by its title)
    exemption = Layout(lang=lang, exemptions=exemptions or {}).label("exemption")
    shown_ids = _shown_ids(report, listed, ids)
    for p, shown_id in zip(listed, shown_ids):
        def show(d, other):
            extra = d.exemption or ""  # never a sensitive one: those people are withheld
            extra = exemption(extra) if exemption and extra else extra
            # a promotion entry that differs between the two (a penalty now barring it, and until when)
            promotion = [f"{promotion_target(c.target, lang)}{'：' if zh else ': '}{promotion_text(c, lang)}" for c in d.promotion
                         if c != other.promotion_for(c.target)]
            return "; ".join(filter(None, [f"{_status(d.status, lang)} {d.rule or ''} {extra}".strip(), *promotion]))
        unsure = _uncertain_text(p, lang)
        parts.append(f"<tr><td class='l'>{_e(shown_id)}</td><td class='l'>{_e(show(p.before, p.after))}</td>"
                     f"<td class='l'>{_e(show(p.after, p.before))}</td><td class='l'>"
                     f"{_e(' | '.join(cause_text(report, c, lang, mask=True) for c in p.causes))}"
                     + (f"<br><span class='note'>{_e(unsure)}</span>" if unsure else "") + "</td></tr>")
    parts.append("</table>")
    if withheld:
        parts.append(f"<p class='note' id='persons-withheld'>{_e(withheld_note(withheld, lang, page=True))}</p>")
    if len(people) < len(report.changed):
        shown = t(f"The first {len(people)} of {len(report.changed)}; the CSV or XLSX output lists everyone.",
                  f"仅列出前 {len(people)} 人（共 {len(report.changed)} 人）；CSV 或 XLSX 输出列出全部人员。")
        parts.append(f"<p class='note' id='persons-shown'>{_e(shown)}</p>")
    if any(shown != p.id for p, shown in zip(listed, shown_ids)):
        parts.append(f"<p class='note' id='ids-masked'>{_e(ids_masked_note(lang))}</p>")
    parts.append(f"<p class='note' id='privacy'>{_e(suppression_note(lang))}</p></body></html>")
    return "".join(parts)


def _quota_html(quota_rows, lang: str) -> list[str]:
    """The page's table of the quota requirements that change (none without quotas: ``quota_rows`` None)."""
    if quota_rows is None:
        return []
    zh = lang == "zh"
    parts = [f"<h2>{_e('名额要求的变化' if zh else 'Quota requirements that change')}</h2><table id='quotas'><tr>"
             + "".join(f"<th>{_e(h)}</th>" for h in QUOTA_CHANGE_HEADERS[lang]) + "</tr>"]
    for r in quota_rows:
        group, *cells = _quota_cells(r, lang)
        parts.append(f"<tr><td class='l'>{_e(group)}</td>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    if not quota_rows:  # as the text report says it: not a table of headers alone
        parts.append(f"<tr><td class='l' colspan='{len(QUOTA_CHANGE_HEADERS[lang])}'>{_e('（无变化）' if zh else '(none)')}</td></tr>")
    return parts + ["</table>"]


def _sweep_html(sweep, sweep_name: str | None, lang: str) -> list[str]:
    """The page's curve of a parameter swept (none without ``sweep``)."""
    if not sweep:
        return []
    zh = lang == "zh"
    return [f"<h2>{_e('参数扫描' if zh else 'Sweep')}: {_e(sweep_name)}</h2>",
            _curve(sweep, "sweep", sweep_name or "", ("决定有变化人数" if zh else "people with a changed decision",
                                                      "其中结论改变人数" if zh else "of them, with a changed status"))]


def sweep_counts(report_counts: Counter) -> list:
    return sorted(report_counts.items())
