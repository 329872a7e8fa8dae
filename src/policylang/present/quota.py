"""The quota plans (``analyses.quota``) as they leave the tool: the JSON of ``quota --format
json`` and of the service, and a workbook an HR office hands on; both name each proposed
person and each school group as the roster does."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import attrs

from policylang.analyses.quota import roster_names  # noqa: F401 - the commands' and service's way to it
from policylang.core.i18n import word
from policylang.io.safe_text import json_text
from policylang.lang import policy as P

KINDS_ZH = {"movers": "交流人数", "composition": "人员构成", "headcount": "人数条件"}


def quota_json(plans: Sequence, names: Mapping[str, str], school_names: Mapping[str, str],
               shown: Mapping[str, str] | None = None) -> str:
    """The plans as data: each plan's fields, whether it is feasible, the name of a group that
    is a school (``group_name``, else null) and of each proposed person (``name``, else null).
    ``shown``: an id as the file shows it, where that is not the id (an ID number masked, ``id_column``)."""
    shown = shown or {}
    out = []
    for plan in plans:
        data = attrs.asdict(plan)
        data["feasible"] = plan.feasible
        data["group_name"] = school_names.get(plan.group) if plan.per == "school" else None
        for selected in data["selection"]:
            selected["name"] = names.get(selected["id"])
            selected["id"] = shown.get(selected["id"], selected["id"])
        if "outside" in data:
            data["outside"] = [shown.get(i, i) for i in data["outside"]]
        out.append(data)
    return json_text(json.dumps(out, ensure_ascii=False, indent=1, default=str))


def plan_caveats(plan, lang: str) -> list[str]:
    """What a group's counts hold that a reader must know before acting on them: targets the
    policy lets decline (still counted as targets), and people counted on an empty value or a
    date known to the month only (the plan may change once they are checked). The terminal
    says them beside the group, the workbook in its columns and 说明."""
    zh = lang == "zh"
    said = []
    if plan.may_decline:
        said.append(f"交流对象中 {plan.may_decline} 人可申请不参加，仍计入交流对象" if zh else
                    f"{plan.may_decline} of the targets may decline; they count as targets")
    if plan.uncertain:
        said.append(f"有 {plan.uncertain} 人因数据空白或日期只有年月而待核实" if zh else
                    f"{plan.uncertain} counted on empty values or dates known to the month only: to be checked")
    return said


_SCHOOLS_SHOWN = 10  # schools named beside the count of teachers left out, then how many in all


def short_counts_note(skipped: int, lang: str, left_out: Sequence[tuple] = (),
                      school_names: Mapping[str, str] = {}) -> str:
    """What planning without the teachers ``--skip-invalid`` left out means: their groups'
    counts, and so what the quotas require there, may be short; with ``left_out`` (``Notes.left_out``
    rows: row, id, name, school, problems), the schools they are at, and how many of each."""
    schools: dict[str, int] = {}
    for row in left_out:
        if row[3]:
            schools[row[3]] = schools.get(row[3], 0) + 1
    shown = [(code + (f" {school_names[code]}" if school_names.get(code) else ""), n)
             for code, n in list(schools.items())[:_SCHOOLS_SHOWN]]
    more = len(schools) - len(shown)
    if lang == "zh":
        at = ("（涉及学校：" + "、".join(f"{s} {n} 人" for s, n in shown) + (f"等 {len(schools)} 所" if more else "") + "）"
              if schools else "")
        return (f"有 {skipped} 名教师因记录有误未计入（--skip-invalid）：其所在学校（或片区、乡镇）的教师人数、交流对象和"
                f"本年应交流人数可能因此偏少{at}；更正这些记录后请重新测算")
    at = (" (" + ", ".join(f"{s}: {n}" for s, n in shown) + (f", and {more} more schools" if more else "") + ")"
          if schools else "")
    return (f"{skipped} teachers left out for problems in their rows (--skip-invalid): the teachers, targets and "
            f"people to move of their schools (or groups) may be counted short{at}; correct those rows and plan again")


def quota_workbook(plans: Sequence, names: Mapping[str, str], school_names: Mapping[str, str], lang: str,
                   notes=None, shown: Mapping[str, str] | None = None) -> bytes:
    """Sheets 名额 (a row per group and requirement) and 建议人选 (a row per person proposed,
    in rank order), and with ``notes`` (``io.output.Notes``) 说明: how the plans were made, as
    the decisions workbook says it. ``names``: id -> name; ``school_names``: school id -> name (a
    group that is a school is named by it); ``shown``: an id as the workbook shows it, where that is
    not the id (an ID number masked, ``id_column``)."""
    from policylang.io.output import NOTES_HEADERS, provenance_rows, table_workbook

    zh = lang == "zh"
    shown = shown or {}

    def group(plan) -> list[str]:
        per = P.QUOTA_GROUPS_ZH[plan.per] if zh else plan.per
        return [per, plan.group, school_names.get(plan.group, "") if plan.per == "school" else ""]

    def unknown(value) -> object:
        return "?" if value is None else value

    requirements = []
    for plan in plans:
        counts = [plan.teachers, plan.targets, plan.eligible, plan.movers if plan.known else "?",
                  plan.may_decline, plan.uncertain, "；".join(plan_caveats(plan, lang)) if zh else
                  "; ".join(plan_caveats(plan, lang))]
        for r in plan.requirements or [None]:
            if r is None:
                requirements.append([*group(plan), *counts] + [""] * 8)
                continue
            met = "?" if not r.known else ("✓" if r.feasible else "✗")
            requirements.append([*group(plan), *counts, r.text_zh if zh else r.text, r.quota, r.title,
                                 KINDS_ZH[r.kind] if zh else r.kind, unknown(r.base), unknown(r.required),
                                 r.available, met])
    outside = ("交流对象，不计入名额要求：本年是否交流，按其所依规则办理" if zh else
               "a target no quota counts: whether they move this year is for the rule that makes them targets to say")
    selection = [row for plan in plans for row in (
        *([*group(plan), s.rank, s.of, shown.get(s.id, s.id), names.get(s.id, ""), word(s.status, lang),
           s.reason_text(lang)] for s in plan.selection),
        *([*group(plan), "", "", shown.get(i, i), names.get(i, ""), word("must_rotate", lang), outside]
          for i in plan.outside))]
    where = ["范围", "代码", "学校名称"] if zh else ["per", "group", "school name"]
    requirement_headers = where + (
        ["教师人数", "交流对象", "可交流", "本年应交流", "其中可申请不参加", "待核实", "提请注意",
         "要求", "条款", "条款内容", "类型", "基数", "至少", "现有人数", "能否满足"]
        if zh else ["teachers", "targets", "eligible", "to move", "may decline", "to be checked", "notes",
                    "requirement", "quota", "title", "kind", "base", "required", "available", "met"])
    selection_headers = where + (["名次", "共", "工号", "姓名", "结论", "理由"] if zh else
                                 ["rank", "of", "id", "name", "status", "reason"])
    more = [("建议人选" if zh else "selection", selection_headers, selection)]
    if notes is not None:
        made, made_by = provenance_rows(notes, lang)
        if notes.skipped:
            made.append(["未计入的教师" if zh else "teachers left out",
                         short_counts_note(notes.skipped, lang, notes.left_out, school_names)])
        more.append(("说明" if zh else "about", NOTES_HEADERS[lang], made + made_by))
        if notes.left_out:  # each by its row, as eval's 未作结论 sheet names them
            more.append(("未计入" if zh else "left out",
                         ["行号", "工号", "姓名", "学校代码", "未计入的原因"] if zh else
                         ["row", "id", "name", "school_id", "why left out"],
                         [[r[0], shown.get(r[1], r[1]), *r[2:]] for r in notes.left_out]))
    return table_workbook("名额" if zh else "quotas", requirement_headers, requirements, freeze="D2", more=more)
