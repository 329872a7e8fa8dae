"""``policylang try POLICY key=value …``: decide a person made up on the command line and show why."""

from __future__ import annotations

import sys
import warnings

import click
from rich.text import Text

from policylang import api
from policylang.cli import bilingual
from policylang.cli.common import (lang_option, load_policy_or_exit, parameters_set_said, parse_as_of, parse_sets,
                                   resolve_lang)
from policylang.cli.ending import EXIT_OK, EXIT_USAGE, err_console, fail, out_console
from policylang.core.diagnostics import did_you_mean
from policylang.io import roster as R
from policylang.io.id_number import masked_in_text
from policylang.io.safe_text import terminal_text
from policylang.lang import schema as S
from policylang.lang.pretty import value_text
from policylang.lang.reads import read_deciding_one
from policylang.lang.semantics import open_here
from policylang.present.explain import explanation_text

TRY_ID = {"en": "try", "zh": "试算"}  # the made-up person's id, as the explanation shows it


def _field(policy: api.Policy, key: str) -> tuple[str, S.Field] | None:
    """The table and field a key names: `性别`, `sex`, `school.area`, `学校.区域`, or a school
    field's own name when no teacher field has it (`area`, `区域`): as `--assume` reads it."""
    teachers, schools = policy.checked.teachers, policy.checked.schools
    table, name = R.table_and_name(key, (teachers, schools))
    field = (teachers if table == "teacher" else schools).header_field(name)
    return (table, field) if field else None


def _names(policy: api.Policy) -> list[str]:
    names = []
    for table, prefix in ((policy.checked.teachers, ""), (policy.checked.schools, "school.")):
        for f in table.fields:
            names += [prefix + f.name, (prefix and "学校.") + f.zh]
    return names


def _computed_from(policy: api.Policy, key: str, lang: str) -> list[str]:
    """The roster fields a definition named ``key`` (`本校任教年限`, `tenure`, a policy's own) is
    computed from, as `try` takes them (到校时间=…, 学校.区域=…; school_start=…); empty for no definition."""
    from policylang.lang.pretty import PRELUDE_CHINESE_NAMES
    from policylang.lang.reads import fields_in

    definition = policy.checked.definitions.get(PRELUDE_CHINESE_NAMES.get(key, key))
    if definition is None:
        return []
    tables = {"teacher": policy.checked.teachers, "school": policy.checked.schools}
    shown = []
    for table, name in sorted(fields_in(policy.checked, [definition.expr])):
        called = tables[table].field(name).zh if lang == "zh" else name
        shown.append(f"{'学校.' if lang == 'zh' else 'school.'}{called}=…" if table == "school" else f"{called}=…")
    return shown


def person_or_exit(policy: api.Policy, pairs: tuple[str, ...], lang: str) -> tuple[dict, dict, dict]:
    """The teacher's and the school's values from ``key=value`` pairs, by field name, and how
    each was given (field name -> ``key=value`` as typed, ``school.`` before a school's); or a
    usage error naming every bad key with a suggestion."""
    teacher: dict[str, str] = {"id": TRY_ID[lang]}
    school: dict[str, str] = {}
    typed: dict[str, str] = {}
    problems = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            problems.append(f"`{pair}`：应写作 字段=取值（如 性别=女）" if lang == "zh"
                            else f"`{pair}`: expected FIELD=VALUE (e.g. sex=F)")
            continue
        found = _field(policy, key)
        if found is None and (reads := _computed_from(policy, key, lang)):  # 本校任教年限 is counted from 到校时间
            shown = "、".join(reads) if lang == "zh" else ", ".join(reads)
            problems.append(f"`{key}` 由名册字段算出，不能直接给出：请给出 {shown}" if lang == "zh" else
                            f"`{key}` is computed from roster fields, not given: give {shown}")
            continue
        if found is None:
            hint = did_you_mean(key, _names(policy))
            problems.append((f"`{key}` 不是名册字段" + (f"；是否应为 `{hint}`？" if hint else "")) if lang == "zh" else
                            f"`{key}` is no roster field" + (f"; did you mean `{hint}`?" if hint else ""))
            continue
        table, field = found
        (teacher if table == "teacher" else school)[field.name] = value
        typed[field.name if table == "teacher" else f"school.{field.name}"] = f"{key}={value}"
    missing = [f for f in policy.checked.teachers.fields if f.required and f.name not in teacher
               and f.name != "school_id"]
    if missing:
        problems.append(("还须给出：" + " ".join(f"{f.zh}=…" for f in missing)) if lang == "zh" else
                        "also give: " + " ".join(f"{f.name}=…" for f in missing))
    if problems:  # (a key or a value as typed, masked as a roster's problems are: try's lines go into tickets)
        fail("\n".join(terminal_text(masked_in_text(p)) for p in problems), EXIT_USAGE)
    return teacher, school, typed


def _value_problem(policy: api.Policy, problem, typed: dict[str, str], lang: str) -> str:
    """A bad value as the command line gave it (``typed``: as ``person_or_exit`` says); the
    roster's problem says the code it was likely meant to be (``schema.Enum.meant``)."""
    text = problem.message(lang)
    found = _field(policy, problem.column or "") or _field(policy, f"school.{problem.column or ''}")
    given = typed.get(found[1].name if found and found[0] == "teacher" else f"school.{found[1].name}") \
        if found else None
    shown = masked_in_text(given) if given else (f"{problem.column}={problem.value}" if problem.column else None)
    return terminal_text(f"{shown}：{text}" if shown and lang == "zh" else f"{shown}: {text}" if shown else text)


@bilingual.command("try", short_help_zh="对命令行上给出的一个人作出决定并说明依据", help_zh="""对命令行上给出的一个人作出决定，并说明依据（适用的规则、读取的取值、出处）。
字段可用中文或英文名（性别=女 或 sex=F），学校字段写作 学校.区域=城区、school.area=urban，或直接写 区域=城区；
取值可用代码或中文（职称=高级教师）。政策读取而未给出的字段，按政策内测试的缺省值（任课的在编教师，是/否为否，年数为0）处理，日期和文字为空，并在结果前列出。

示例：policylang try fujian.pol 性别=女 出生日期=1985-03-15 参加工作时间=2008-09-01 到校时间=2015-09-01 区域=城区 学段=小学""")
@bilingual.argument("policy", type=click.Path(dir_okay=False), help="The policy file.", help_zh="政策文件。")
@bilingual.argument("values", nargs=-1, metavar="FIELD=VALUE...",
                    help="The person's values: teacher fields, and school fields (school.area=urban, 学校.区域=城区).",
                    help_zh="此人的取值：教师字段，以及学校字段（school.area=urban、学校.区域=城区）。")
@bilingual.option("--as-of", "as_of", help="Reference date YYYY-MM-DD (default: the policy's).",
                  help_zh="参考日期 YYYY-MM-DD（默认：政策的 as of）。")
@bilingual.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
                  help="Override a parameter for this run, e.g. --set age_cap_female=45.",
                  help_zh="本次运行中修改参数，如 --set age_cap_female=45。")
@lang_option
def try_command(policy, values, as_of, sets, lang):
    """Decide one person given on the command line and show why: every rule, the values it
    read, its sources. Fields by English or Chinese name (sex=F or 性别=女); school fields as
    school.area=urban, 学校.区域=城区, or by their own name (区域=城区); values as codes or
    Chinese labels (title=senior, 职称=高级教师). A field the policy reads that is not given
    starts as an in-language test's does (a classroom teacher on the staff, yes/no no, years 0;
    dates and texts empty), and is listed before the decision.

    Example: policylang try fujian.pol sex=F birth_date=1985-03-15 work_start=2008-09-01
    school_start=2015-09-01 area=urban stage=primary"""
    lang = resolve_lang(lang)
    loaded = load_policy_or_exit(policy, lang)
    teacher, school, typed = person_or_exit(loaded, values, lang)
    params = parse_sets(loaded, sets, lang)
    reference = parse_as_of(as_of, loaded, lang=lang)
    absent = [name for name in loaded.reads
              if name not in teacher and not (name.startswith("school.") and name[7:] in school)]
    # as an in-language test starts: a classroom teacher on the staff; dates and texts empty
    neutral = loaded.neutral_values()
    values = {name: neutral.get(name, "") for name in absent}
    stated = loaded.assuming(values, open_ended=True) if absent else loaded  # an empty one: said below
    try:  # under the keys as typed: a problem names the column as the user wrote it
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always", api.ValuesToCheck)
            explanation = stated.explain(_as_typed(teacher, typed, ""), _as_typed(school, typed, "school."),
                                         as_of=reference, params=params)
        for w in said:  # a start at the school before work (R050): said in the command's language, as a note
            if isinstance(w.message, api.ValuesToCheck):
                for problem in w.message.problems:  # of the one person tried, not of its made-up id (工号 试算 的…)
                    if problem.code == "R050":
                        problem = R.early_start_of_one(problem.file, loaded.checked.teachers, teacher["school_start"],
                                                       teacher["work_start"])
                    err_console().print(Text(terminal_text(("提示：" if lang == "zh" else "note: ") + problem.message(lang))))
            else:
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    except api.RosterError as exc:
        # a bad school value also makes "the teacher's school is invalid" (R014): say the cause only
        problems = [p for p in exc.problems if p.code != "R014"] or exc.problems
        fail("\n".join(_value_problem(loaded, p, typed, lang) for p in problems), EXIT_USAGE)
    out = out_console()
    # what the decision reads, not what a quota groups or counts the school's movers by (学校代码)
    deciding = {name if table == "teacher" else f"school.{name}" for table, name in read_deciding_one(loaded.checked)}
    listed = {n: v for n, v in values.items() if n in deciding}
    defaulted = [f"{_shown(loaded, n, lang)}={_value_shown(loaded, n, v, lang)}" for n, v in listed.items() if v != ""]
    empty = [_shown(loaded, n, lang) for n, v in listed.items() if v == "" and not _known_here(loaded, n, school)]
    if defaulted:
        out.print(Text(terminal_text(("以下各项未给出，按测试的默认值：" + "、".join(defaulted)) if lang == "zh" else
                                     "not given, as a test starts: " + ", ".join(defaulted))))
    if empty:
        out.print(Text(terminal_text(("以下各项未给出，按空白处理：" + "、".join(empty)) if lang == "zh" else
                                     "not given, read as empty: " + ", ".join(empty))))
    if (given := parameters_set_said(loaded, params, lang)) is not None:
        out.print(Text(terminal_text(given)))
    if defaulted or empty or given is not None:
        out.print()
    out.print(Text(explanation_text(explanation, lang)))  # escaped, never markup
    sys.exit(EXIT_OK)


def _known_here(loaded, name: str, school: dict) -> bool:
    """A field whose empty value is no missing one at this school (``Field.open_at``: a 小学
    teacher's 任教学段): not listed as read as empty. The school as typed (`学段=小学`) is
    read in codes for the rule's one statement, ``semantics.open_here``."""
    schools = loaded.checked.schools
    coded = {}
    for key, value in school.items():
        field = schools.field(key)
        coded[key] = field.enum.lookup(str(value)) if field is not None and field.enum is not None else value
    return not open_here(loaded.checked, "teacher", name, coded)


def _as_typed(record: dict, typed: dict[str, str], prefix: str) -> dict:
    """``record`` (by field name) under the keys the user typed (`性别`, `区域` for `学校.区域`)."""
    def key(name: str) -> str:
        given = typed.get(prefix + name)
        return given.partition("=")[0].rpartition(".")[2] if given else name
    return {key(name): value for name, value in record.items()}


def _value_shown(policy: api.Policy, name: str, value: object, lang: str) -> str:
    found = _field(policy, name)
    return value_text(value, found[1].type if found else None, lang)


def _shown(policy: api.Policy, name: str, lang: str) -> str:
    """A column as the user would type it: `post_start` or `任现职时间`, `学校.学段`."""
    found = _field(policy, name)
    if found is None or lang != "zh":
        return name
    return ("学校." if found[0] == "school" else "") + found[1].zh
