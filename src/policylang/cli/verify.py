"""``policylang verify POLICY [--refines BASE | --no-stricter-than BASE | --equivalent B]``: what a
policy does for every possible teacher, proved with an SMT solver, each "can happen" answer
with a witness (a person as a roster row) that the reference interpreter has confirmed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from policylang.cli import bilingual
from policylang.api import verify
from policylang.cli.common import lang_option, load_policy_or_exit, parse_as_of, parse_sets, resolve_lang
from policylang.cli.ending import EXIT_BUG, EXIT_IO, EXIT_OK, EXIT_POLICY, EXIT_USAGE, EXIT_WITNESSES, fail, out_console
from policylang.core.diagnostics import BilingualError, did_you_mean
from policylang.core.i18n import CHINESE_EXEMPTIONS, WORDS, direction_label, exemption_label, promotion_target
from policylang.io.output import listed_items
from policylang.io.safe_text import csv_text, terminal_text
from policylang.lang import ops as B
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.pretty import parameter_text
from policylang.lang.pretty import value_text
from policylang.core.file_errors import cannot_write

ASPECTS = ("status", "promotion", "consequences")

_FINDINGS = {
    "unreachable_rule": ("rule {0} can never apply: no person within the bounds below satisfies its condition",
                         "规则 {0} 永远不会适用：在下列取值范围内，没有任何人满足其条件"),
    "never_decides": ("rule {0} applies to some people but never decides: a stronger rule, or one of equal "
                      "strength declared before it, always does (here {1})",
                      "规则 {0} 有人适用，但从不作为决定依据：总有更强的规则或声明在前的同等规则决定（此例为 {1}）"),
    "decided_by_base": ("rule {0} applies to some people but never decides: {1}, of the file it extends, always "
                        "does first, so whatever {0} says otherwise (its conditions, its direction) decides for no "
                        "one; if {0} is to take its place, write `override rule {1}` with {0}'s condition, or "
                        "`repeal {1}`",
                        "规则 {0} 有人适用，但从不作为决定依据：所继承文件中的 {1} 总是先作决定，{0} 与之不同之处"
                        "（条件、交流方向等）因此对任何人都不起作用；如 {0} 意在取代 {1}，请以 {0} 的条件写 "
                        "`override rule {1}`，或写 `repeal {1}`"),
    "always_exempted": ("rule {0} is set aside for everyone it applies to: an exemption applies to each of them "
                        "(here {1}), so the rule never decides anyone's exchange",
                        "规则 {0} 凡适用者都被豁免（此例为 {1}），永远不会据此作出交流决定：请核对豁免条件"),
    "constant_bound": ("in {0}, `{condition}` is {always} for every person within the bounds below: is the number "
                       "a slip (148 years for 48), or beyond what a verification assumes?",
                       "{0} 的条件 `{condition_zh}` 对下列取值范围内的每个人都{always_zh}：数值是否笔误（如 48 周岁写成 148），"
                       "或超出了验证假定的范围？"),
    "exemption_never_applies": ("exemption {0} can never apply: no person satisfies its condition",
                                "豁免 {0} 永远不会适用：没有任何人满足其条件"),
    "exemption_no_rule": ("exemption {0} never meets a rule it sets aside ({rest}): no one who qualifies for it "
                          "is concerned by them",
                          "豁免 {0} 与其所针对的规则（{rest}）从不同时适用：符合豁免条件的人都不在这些规则的范围内"),
    "exemption_dead_targets": ("note: exemption {0} can never set aside {rest}: no one those rules reach meets its "
                               "condition (their own conditions exclude it), though it names them",
                               "说明：豁免 {0} 永远不会免除 {rest}：这些规则所涉及的人都不满足其条件（规则本身的条件已将其排除），"
                               "但豁免中列出了它们"),
    "shadowed_exemption": ("exemption {0} is always shadowed: whenever it applies to one of its rules, an exemption "
                           "of higher precedence ({rest}) applies too, so it is never reported",
                           "豁免 {0} 总被遮蔽：凡其适用时，优先顺序更高的豁免（{rest}）也适用，它永远不会被报告"),
    "decline_never_applies": ("exemption {0} (may decline) can never be invoked: no one the rules it names ({rest}) "
                              "hold as must_rotate satisfies its condition",
                              "豁免 {0}（可不参加）永远无法援用：其所针对规则（{rest}）列为须交流的人都不满足其条件"),
    "decline_for_eligible_only": ("exemption {0} (may decline) can never be invoked: the rules it names ({rest}) "
                                  "conclude eligible, and whom they reach may volunteer or not without a ground",
                                  "豁免 {0}（可不参加）永远无法援用：其所针对的规则（{rest}）结论都是可交流，"
                                  "这些人本可自愿报名或不报名，用不上这一理由"),
    "prerequisite_never_applies": ("prerequisite {0} never concerns anyone: no person due for its targets satisfies "
                                   "its `applies when`",
                                   "晋升前提 {0} 不涉及任何人：应晋升其目标职务的人都不满足其适用条件"),
    "prerequisite_always_met": ("note: prerequisite {0} is met by everyone it concerns (it can never hold anyone back)",
                                "说明：晋升前提 {0} 凡适用者都已满足（不会阻止任何人晋升）"),
    "consequence_never_in_force": ("{0} can never be in force: no person satisfies its event and condition",
                                   "{0} 永远不会生效：没有任何人同时满足其触发事件与条件"),
    "overlap": ("note: rules {0} and {1} can both apply to one person; the decision names {winner} (must_rotate "
                "before eligible; among equals, the first declared)",
                "说明：规则 {0} 与 {1} 可同时适用于同一人；决定依据为 {winner}（须交流优先于可交流，同等时以声明在前者为准）"),
    "overlap_third": ("note: rules {0} and {1} can both apply to one person; between them {winner} decides "
                      "(must_rotate before eligible; among equals, the first declared); for this person a third "
                      "rule, {decided}, decides",
                      "说明：规则 {0} 与 {1} 可同时适用于同一人；两者之间以 {winner} 为准（须交流优先于可交流，"
                      "同等时以声明在前者为准）；此例中另有规则 {decided} 适用并作为决定依据"),
    "gap": ("gap at {quantity} = {value}: {0} requires it less than {value} and {1} more than {value}, so a person at "
            "exactly {value} is decided by neither (以下、以上 include the number; 不满、超过 exclude it)",
            "边界空档：{0} 要求{quantity_zh}小于 {value}，{1} 要求大于 {value}，恰为 {value} 的人两条都不适用"
            "（“以下、以上”含本数，“不满、超过”不含本数）"),
    "loosens": ("BASE requires this person to move ({0}); DRAFT does not",
                "基准政策要求此人交流（{0}），草案却不要求"),
    "stricter": ("DRAFT requires this person to move ({1}); BASE does not",
                 "草案要求此人交流（{1}），基准政策却不要求"),
    "differs": ("A and B decide this person differently: {rest}", "A 与 B 对此人的决定不同：{rest}"),
}
_ASPECT_ZH = {"status": "交流结论", "promotion": "职称晋升", "consequences": "惩处与激励"}
_BOUNDS = {  # the domain of every person (smt.bounds gives the ranges)
    "ages": ("ages (completed years)", "年龄（周岁）"),
    "dates": ("dates", "日期"),
    "future_dates": ("dates that may be after the reference date", "可晚于参考日期的日期"),
    "working_life": ("dates of working life (the 16th birthday at the earliest; at the school since starting "
                     "work; other dates of a teacher not before the birth)",
                     "工作经历日期（最早为年满16周岁之日；到校时间不早于参加工作时间；教师的其他日期不早于出生日期）"),
    "years": ("other numbers in years", "其他年限类数值"),
    "percent": ("percentages", "百分比"),
    "counts": ("years and counts", "年数与计数"),
    "numbers": ("numbers", "数值"),
}
# a bound's notation in words (1950-01-01 至 2025-09-01；出生日期 + 5844 天起：…；到校时间不早于参加工作时间)
_BOUND_WORDS_ZH = {"multiples of 0.5": "0.5 的整数倍", "others": "其他", "whole: ": "整数：", "; ": "；", ", ": "、",
                   "..: ": " 起：", "..": " 至 ", ": ": "：", " >= ": " 不早于 "}


@bilingual.command("verify", short_help_zh="证明政策对任何可能的教师会作出什么决定", help_zh="""证明政策对任何可能的教师会作出什么决定；没有发现问题时退出码为 0，找到反例时为 6 并给出反例（可作为名册的一行）。""")
@bilingual.argument("policy", type=click.Path(dir_okay=False),
                    help="The policy file.", help_zh="政策文件。")
@bilingual.option("--refines", "refines", type=click.Path(dir_okay=False), metavar="BASE",
                  help="Everyone BASE requires to move, POLICY requires to move too (or exempts on an allowed ground).",
                  help_zh="凡 BASE 要求交流的人，POLICY 也要求交流（或以允许的理由豁免）。")
@bilingual.option("--no-stricter-than", "no_stricter", type=click.Path(dir_okay=False), metavar="BASE",
                  help="Everyone POLICY requires to move, BASE requires to move too.",
                  help_zh="凡 POLICY 要求交流的人，BASE 也要求交流。")
@bilingual.option("--equivalent", "equivalent", type=click.Path(dir_okay=False), metavar="B",
                  help="POLICY and B decide every person alike.",
                  help_zh="POLICY 与 B 对每个人的决定都相同。")
@bilingual.option("--allow-exemption", "allow", multiple=True, metavar="CODE[,CODE…]",
                  help="With --refines: grounds on which POLICY may exempt someone BASE requires to move (e.g. pregnancy).",
                  help_zh="与 --refines 一起用：POLICY 可以豁免 BASE 要求交流者的理由（如 pregnancy）。")
@bilingual.option("--only", "only", multiple=True, type=click.Choice(ASPECTS),
                  help="With --equivalent: compare only this part of the decisions (repeatable; default all).",
                  help_zh="与 --equivalent 一起用：只比较决定的这一部分（可多次给出；默认全部）。")
@bilingual.option("--as-of", "as_of", help="Reference date YYYY-MM-DD (default: POLICY's).",
                  help_zh="参考日期 YYYY-MM-DD（默认：POLICY 的 as of）。")
@bilingual.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="A parameter of POLICY.",
                  help_zh="POLICY 的参数。")
@bilingual.option("--base-set", "base_sets", multiple=True, metavar="NAME=VALUE",
                  help="A parameter of the other policy (BASE or B).",
                  help_zh="另一份政策（BASE 或 B）的参数。")
@bilingual.option("--max-witnesses", "limit", type=click.IntRange(1, 100), default=5, show_default=True,
                  help="Witnesses shown for a comparison, each another way it fails.",
                  help_zh="每项比较显示的反例数，每个反例以不同方式不成立。")
@bilingual.option("-o", "--output", type=click.Path(file_okay=False), metavar="DIR",
                  help="Write the witnesses as DIR/teachers.csv and DIR/schools.csv, ready for eval and explain.",
                  help_zh="把反例写入该目录的 teachers.csv 和 schools.csv，可直接用于 eval 和 explain。")
@bilingual.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", help="text (default) or json.",
                  help_zh="text（默认）或 json。")
@lang_option
def verify_command(policy, refines, no_stricter, equivalent, allow, only, as_of, sets, base_sets, limit, output,
                   fmt, lang):
    """Prove what POLICY does for every possible teacher; exit 0 when it holds, 6 with witnesses
    when it does not."""
    lang = resolve_lang(lang)
    others = [p for p in (refines, no_stricter, equivalent) if p]
    if len(others) > 1:
        fail("--refines、--no-stricter-than 与 --equivalent 只能选一个" if lang == "zh" else
             "give one of --refines, --no-stricter-than and --equivalent", EXIT_USAGE)
    if (allow and not refines) or (only and not equivalent) or (base_sets and not others):
        fail("--allow-exemption 只用于 --refines，--only 只用于 --equivalent，--base-set 需要另一份政策" if lang == "zh"
             else "--allow-exemption goes with --refines, --only with --equivalent, --base-set with another policy",
             EXIT_USAGE)
    mine = load_policy_or_exit(policy, lang)
    other = load_policy_or_exit(others[0], lang) if others else None
    # a category by its code or its Chinese name, as a policy may write it (`as 孕期` is `as pregnancy`);
    # separated by commas, full-width ones too
    allowed = tuple(CHINESE_EXEMPTIONS.get(code, code) for code in listed_items(allow))
    if other is not None and allowed:
        known = {e.code for e in mine.checked.all_exemptions()}
        unknown = [c for c in allowed if c not in known]
        if unknown:
            named = {exemption_label(c, "zh"): c for c in known} | {c: c for c in known}
            hints = [f"{c} → {h}" for c in unknown if (h := did_you_mean(c, named))]
            def said_zh(code: str) -> str:
                return f"{exemption_label(code, 'zh')}（{code}）" if exemption_label(code, "zh") != code else code

            fail(f"--allow-exemption：{policy} 没有豁免类别 {'、'.join(map(said_zh, unknown))}"
                 f"（有：{'、'.join(map(said_zh, sorted(known)))}）"
                 + (f"；是否应为 {'，'.join(hints)}？" if hints else "")
                 if lang == "zh" else f"--allow-exemption: {policy} has no exemption code {', '.join(unknown)} "
                 f"(it has: {', '.join(sorted(known))})" + (f"; did you mean {', '.join(hints)}?" if hints else ""),
                 EXIT_USAGE)
    date = parse_as_of(as_of, mine, *([other] if other else []), lang=lang)
    params = parse_sets(mine, sets, lang)
    other_params = parse_sets(other, base_sets, lang, "--base-set") if other is not None else None
    try:
        report = verify(mine, refines=other if refines else None, no_stricter_than=other if no_stricter else None,
                        equivalent=other if equivalent else None, allow_exemption=allowed, only=only or ASPECTS,
                        as_of=date, params=params, other_params=other_params, limit=limit)
    except BilingualError as exc:
        fail(exc.message(lang), EXIT_BUG if getattr(exc, "bug", False) else EXIT_POLICY)
    files = {report.sides[0]: policy, **({report.sides[1]: others[0]} if others else {})}
    tables = [mine.checked.teachers] + ([other.checked.teachers] if other else [])
    if output:
        _write_witnesses(output, report, tables, [mine.checked.schools] + ([other.checked.schools] if other else []),
                         lang)
    if fmt == "json":
        click.echo(json.dumps(_json(report, files), ensure_ascii=False, indent=2))
    else:
        parameters = {name: p for x in (mine, other) if x is not None for name, p in x.checked.parameters.items()}
        # where each declaration a finding names is written, the county's own before the one it extends
        where = {item.id: item.span for x in (other, mine) if x is not None
                 for item in (*x.checked.rules, *x.checked.all_exemptions(), *x.checked.prerequisites,
                              *x.checked.consequences)}
        out_console().print(terminal_text(_text(report, files, tables, parameters, lang, where), newlines=True),
                            markup=False)
    raise SystemExit(EXIT_OK if report.holds else EXIT_WITNESSES)


# ---- text ------------------------------------------------------------------------------


def _headline(report, files: dict, lang: str) -> str:
    zh = lang == "zh"
    names = {label: Path(path).name for label, path in files.items()}
    a = names[report.sides[0]]
    b = names.get(report.sides[1], "") if len(report.sides) > 1 else ""
    n = len(report.witnesses)
    problems = sum(f.problem for f in report.findings)
    if report.question == "policy":
        if report.holds:
            return f"{a}：未发现问题（规则、豁免、晋升前提、惩处激励均可适用，无遮蔽、无边界空档）" if zh else \
                f"{a}: no problems found (every rule, exemption, prerequisite and consequence can apply; " \
                "nothing shadowed; no boundary gaps)"
        return f"{a}：发现 {problems} 个问题" if zh else f"{a}: {problems} problem(s) found"
    allowed = report.detail.get("allowed", ())
    if report.question == "refines":
        grounds = ("，或以下列理由豁免：" + "、".join(allowed) if zh else f", or exempts on: {', '.join(allowed)}") \
            if allowed else ""
        if report.holds:
            return (f"成立：凡 {b}（基准政策）要求交流的人，{a}（草案）也要求交流{grounds}" if zh else
                    f"holds: everyone {b} (BASE) requires to move, {a} (DRAFT) requires to move too{grounds}")
        return (f"不成立：{'除已允许的豁免理由外，' if allowed else ''}草案 {a} {'仍' if allowed else ''}比基准政策 {b} 宽松，找到 {n} 个反例" if zh else
                f"does not hold: {a} (DRAFT) loosens {b} (BASE){' beyond the allowed grounds' if allowed else ''}; "
                f"{n} witness(es)")
    if report.question == "no_stricter":
        if report.holds:
            return (f"成立：凡 {a}（草案）要求交流的人，{b}（基准政策）也要求交流" if zh else
                    f"holds: everyone {a} (DRAFT) requires to move, {b} (BASE) requires to move too")
        return (f"不成立：{a}（草案）比 {b}（基准政策）更严，找到 {n} 个反例" if zh else
                f"does not hold: {a} (DRAFT) is stricter than {b} (BASE); {n} witness(es)")
    aspects = report.detail.get("aspects", ASPECTS)
    shown = "、".join(_ASPECT_ZH[x] for x in aspects) if zh else ", ".join(aspects)
    if report.holds:
        return f"成立：{a}（A）与 {b}（B）对任何人的{shown}都相同" if zh else \
            f"holds: {a} (A) and {b} (B) decide every person alike ({shown})"
    return f"不成立：{a}（A）与 {b}（B）的{shown}对某些人不同，找到 {n} 个反例" if zh else \
        f"does not hold: {a} (A) and {b} (B) decide some people differently ({shown}); {n} witness(es)"


def _finding_text(f, lang: str) -> str:
    en, zh = _FINDINGS[f.kind]
    template = zh if lang == "zh" else en
    ids = list(f.ids) + ["", ""]
    if f.kind == "differs":
        rest = "、".join(_ASPECT_ZH[x] for x in f.ids) if lang == "zh" else ", ".join(f.ids)
    else:
        rest = ("、" if lang == "zh" else ", ").join(f.ids[1:])
    detail = {k: v if v is not None else ("无" if lang == "zh" else "none") for k, v in f.detail.items()}
    if "always" in detail:
        detail["always_zh"] = "成立" if detail["always"] == "true" else "不成立"
    return template.format(*[i or ("无规则" if lang == "zh" else "no rule") for i in ids], rest=rest, **detail)


def _field(tables, name: str, table_name: str):
    for table in tables:
        found = table.field(name) if table_name == "teacher" else None
        if found is not None:
            return found
    fields = S.SCHOOL_FIELDS if table_name == "school" else S.TEACHER_FIELDS
    return next((f for f in fields if f.name == name), None)


_ALWAYS = ("sex", "birth_date", "work_start", "school_start")


def _person_text(w, tables, coverage, lang: str) -> list[str]:
    """The fields the policies read (and the required ones), empty ones too: what decided it."""
    zh, as_of = lang == "zh", coverage.as_of
    parts = []
    for name, value in w.teacher.items():
        if name in ("id", "school_id") or (name not in _ALWAYS and name not in coverage.free):
            continue
        f = _field(tables, name, "teacher")
        label = f.zh if zh and f is not None else name
        parts.append(f"{label}={value_text(value, f.type if f else None, lang)}")
    birth, start = w.teacher.get("birth_date"), w.teacher.get("school_start")
    derived = ""
    if birth and start:
        age, tenure = B.completed_years(birth, as_of), B.completed_years(start, as_of)
        derived = f"（{age}周岁，本校任教满{tenure}年）" if zh else f" (age {age}, {value_text(tenure, T.YEARS)} at the school)"
    school = []
    for name, value in w.school.items():
        if name == "school_id" or f"school.{name}" not in coverage.free:
            continue
        f = next((x for x in S.SCHOOL_FIELDS if x.name == name), None)
        label = f.zh if zh and f is not None else f"school.{name}"
        school.append(f"{label}={value_text(value, f.type if f else None, lang)}")
    sep = "，" if zh else ", "
    return [("  教师 " if zh else "  teacher ") + w.teacher["id"] + derived + ("：" if zh else ": ") + sep.join(parts),
            ("  学校 " if zh else "  school ") + w.school["school_id"] + ("：" if zh else ": ")
            + (sep.join(school) or ("（各项为空）" if zh else "(all empty)"))]


_SIDE_ZH = {"DRAFT": "草案", "BASE": "基准政策", "A": "政策A", "B": "政策B"}


def _side(label: str, lang: str) -> str:
    """A side of a comparison as the reader of that language names it (DRAFT is 草案)."""
    return _SIDE_ZH.get(label, label) if lang == "zh" else label


def _decision_text(label: str, d, files: dict, lang: str) -> str:
    zh = lang == "zh"
    status = WORDS[d.status][lang]
    parts = [status]
    if d.rule:
        parts.append(f"规则 {d.rule}" if zh else f"rule {d.rule}")
    if d.exemption:
        parts.append(f"豁免 {exemption_label(d.exemption, lang)}" if zh else f"exemption {d.exemption}")
    if d.direction:
        parts.append(f"方向 {direction_label(d.direction, lang)}" if zh else f"direction {d.direction}")
    if zh:
        unmet = [f"{promotion_target(p.target, lang)}：" + (f"未满足 {'、'.join(p.unmet)}" if p.unmet else "符合条件")
                 for p in d.promotion]
    else:
        unmet = [f"{p.target}: {';'.join(p.unmet) or 'ok'}" for p in d.promotion]
    if unmet:
        parts.append(("晋升 " if zh else "promotion ") + ("，" if zh else ", ").join(unmet))
    consequences = [f"{c.rule}:{c.effect}" + (f"→{c.until.isoformat()}" if c.until else "")
                    for c in (*d.penalties, *d.benefits)]
    if consequences:
        parts.append(("惩处激励 " if zh else "consequences ") + ", ".join(consequences))
    if zh:
        fired = [f.rule + (f"（被 {f.exemption} 豁免）" if f.exemption else "") for f in d.fired or ()]
    else:
        fired = [f.text() for f in d.fired or ()]
    if fired:
        parts.append(("适用规则 " + "、".join(fired)) if zh else "fired " + ", ".join(fired))
    name = Path(files.get(label, "")).name
    who = _side(label, lang) if len(files) > 1 else ("决定" if zh else "decision")  # one policy: no A to tell from B
    return f"    {who}（{name}）：" + "；".join(parts) if zh else f"    {who} ({name}): " + "; ".join(parts)


def _coverage_text(report, parameters: dict, lang: str) -> list[str]:
    zh = lang == "zh"
    c = report.coverage
    lines = ["覆盖范围（以上结论在此范围内成立）：" if zh else "covered (the answers above hold within these bounds):",
             f"  参考日期 {c.as_of.isoformat()}" if zh else f"  reference date {c.as_of.isoformat()}"]
    for label, values in c.parameters:
        shown = ", ".join(f"{k}={parameter_text(parameters.get(k), v, lang)}" for k, v in values.items()) or ("无" if zh else "none")
        if len(c.parameters) == 1:  # one policy: no A to tell from B
            lines.append(f"  参数：{shown}" if zh else f"  parameters: {shown}")
        else:
            lines.append(f"  {_side(label, lang)}的参数：{shown}" if zh else f"  parameters of {label}: {shown}")
    names = {f.name: f.zh for f in S.TEACHER_FIELDS} | {f"school.{f.name}": "学校." + f.zh for f in S.SCHOOL_FIELDS}
    free = "、".join(names.get(x, x) for x in c.free) if zh else ", ".join(c.free)
    lines.append(("  视为任意取值的字段：" if zh else "  fields treated as free: ") + free)
    for key, value in c.bounds.items():
        en, cn = _BOUNDS.get(key, (key, key))
        if zh:
            for english, chinese in _BOUND_WORDS_ZH.items():
                value = value.replace(english, chinese)
            # the fields a bound lists, by their Chinese names (sanction_until → 处分期满)
            value = re.sub(r"(?<![\w.])(?:school\.)?[a-z_]+(?![\w.])", lambda m: names.get(m.group(), m.group()), value)
            value = re.sub(r"\+ (\d+) 起", r"+ \1 天起", value)  # (a number of days after a date)
        lines.append(f"  {cn}：{value}" if zh else f"  {en}: {value}")
    lines.append("  空白单元格：除必填字段与职称、骨干级别外，每个字段都可能为空（按缺失值的三值逻辑处理）" if zh else
                 "  empty cells: every field but the required ones, title and backbone may be empty (missing values, "
                 "three-valued logic)")
    return lines


def _text(report, files: dict, tables, parameters: dict, lang: str, where: dict | None = None) -> str:
    zh = lang == "zh"
    lines = [_headline(report, files, lang), ""]
    for f in report.findings:
        mark = ("问题" if zh else "problem") if f.problem else ("说明" if zh else "note")
        text = _finding_text(f, lang)
        prefix = f"[{mark}] "
        lines.append(prefix + (text[3:] if text.startswith("说明：") else text[6:] if text.startswith("note: ") else text))
        spans = [(i, (where or {}).get(i)) for i in dict.fromkeys(f.ids) if (where or {}).get(i) is not None]
        if spans:  # as a diagnostic points at its line
            lines.append("  --> " + ("，" if zh else ", ").join(
                f"{Path(s.source).name}:{s.line}" + (f"（{i}）" if zh else f" ({i})") * (len(spans) > 1)
                for i, s in spans))
        if f.witness is not None:
            lines.append(("  反例 " if zh else "  witness ") + f.witness.teacher["id"]
                         + ("（可用 eval/explain 复查）：" if zh else " (re-checked by the reference interpreter):"))
            lines += ["  " + x for x in _person_text(f.witness, tables, report.coverage, lang)]
            lines += [_decision_text(label, d, files, lang) for label, d in f.witness.decisions]
        lines.append("")
    lines += _coverage_text(report, parameters, lang)
    return "\n".join(lines)


# ---- json and the witness roster ---------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float):
        return repr(T.whole_as_int(value))
    return str(value)


def _json(report, files: dict) -> dict:
    c = report.coverage
    return {
        "question": report.question, "holds": report.holds,
        "policies": {label: files.get(label) for label in report.sides}, "detail": {k: list(v) for k, v in report.detail.items()},
        "findings": [{"kind": f.kind, "ids": list(f.ids), "problem": f.problem,
                      "detail": {k: v for k, v in f.detail.items()},
                      "witness": None if f.witness is None else {
                          "teacher": {k: _cell(v) for k, v in f.witness.teacher.items()},
                          "school": {k: _cell(v) for k, v in f.witness.school.items()},
                          "decisions": {label: d.to_json() for label, d in f.witness.decisions}}}
                     for f in report.findings],
        "coverage": {"as_of": c.as_of.isoformat(),
                     "parameters": {label: {k: _cell(v) for k, v in values.items()} for label, values in c.parameters},
                     "free": list(c.free), "bounds": dict(c.bounds)},
    }


def _write_witnesses(directory: str, report, teacher_tables, school_tables, lang: str) -> None:
    """DIR/teachers.csv and DIR/schools.csv, one row per witness, in the contract's columns (and a
    policy's declared ones), each file written whole or not at all."""
    from policylang.io.output import atomic_write

    def columns(tables, base):
        names = [f.name for f in base]
        for table in tables:
            names += [f.name for f in table.fields if f.name not in names]
        return names

    witnesses = report.witnesses
    teacher_cols = columns(teacher_tables, S.TEACHER_FIELDS)
    school_cols = columns(school_tables, S.SCHOOL_FIELDS)
    teachers = [teacher_cols] + [[_cell(w.teacher.get(c)) for c in teacher_cols] for w in witnesses]
    schools = [school_cols] + [[_cell(w.school.get(c)) for c in school_cols] for w in witnesses]
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
        atomic_write(Path(directory) / "teachers.csv", csv_text(teachers).encode("utf-8"))
        atomic_write(Path(directory) / "schools.csv", csv_text(schools).encode("utf-8"))
    except OSError as exc:
        fail(cannot_write(directory, exc, lang), EXIT_IO)
