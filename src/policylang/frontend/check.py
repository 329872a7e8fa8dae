"""Binding and checking: merged declarations -> ``CheckedPolicy``.

Binds every name (parameter, definition, field, code), types every expression,
rejects unit mismatches and cyclic definitions, orders exemptions by their
declared precedence, and runs the lints (rules that can never fire, conflicting
rules, unused parameters and sources, rules without a citation).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import attrs

from policylang.lang import ast as A
from policylang.lang import ops as B
from policylang.lang import ir
from policylang.lang import policy as P
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.core.diagnostics import Diagnostic, Edit, described, Fix, Label, did_you_mean, error, renamed, suggestion, warning
from policylang.core.i18n import CHINESE_EXEMPTIONS, declaration_kind, direction_label, exemption_label, word
from policylang.lang.pretty import NOT_ZH, PRELUDE_CHINESE_NAMES, SCHOOL_NOT_ZH, expr_text, is_age, name_text, number_text, value_text  # noqa: F401 - read here
from policylang.lang.semantics import concerns_principals, speaks_of_teachers_only
from policylang.frontend import limits, wording
from policylang.frontend.lower import UNITS
from policylang.lang.numerals import arabic
from policylang.frontend.resolve import PRELUDE_NAME, Merged, display_path
from policylang.core.source import NO_SPAN, Span
from policylang.core.text_width import has_han

TYPE_NAMES: dict[str, T.Type] = {
    "bool": T.BOOL, "date": T.DATE, "text": T.TEXT, "number": T.NUMBER, "years": T.YEARS,
    "months": T.MONTHS, "days": T.DAYS, "percent": T.PERCENT,
    **{name: enum.type for name, enum in S.ENUMS.items()},
}
_TABLE_WORDS = {"teacher": "teacher", "教师": "teacher", "school": "school", "学校": "school"}
_AS_OF_NAMES = ("as_of", "参考日期")
YES_NO = {"是": True, "否": False}  # `true` and `false` as Chinese writes them (a roster's cells take 有/无 too)
# other ways a drafter says yes or no after `=`, which read as unknown names: told to write 是 or 否
_YES_NO_LIKE = {**dict.fromkeys(("是的", "对", "对的", "有", "真", "yes", "Yes", "YES"), "是"),
                **dict.fromkeys(("不是", "没有", "无", "假", "不", "no", "No", "NO"), "否")}
# Outcomes and directions as a decision shows them in Chinese (core.i18n), accepted for the codes:
# `then 须交流`, `direction 到农村学校`, `expect status 免于交流`.
CHINESE_STATUSES = {word(status, "zh"): status for status in P.STATUSES}
CHINESE_DIRECTIONS = {direction_label(d, "zh"): d for d in P.DIRECTIONS}
# promotion targets as `fields` and the decisions name them (高级教师, 校长), as a Chinese clause says them
# without 教师 (晋升高级), and 一级 by its grade as the documents say it (评聘中、高级职务: 一级教师 is 中级):
# `for 高级教师`, `expect promotion 校长 ok`
CHINESE_PROMOTION_TARGETS = {**{word(t, "zh"): t for t in S.PROMOTION_TARGETS},
                             **{word(t, "zh").removesuffix("教师"): t for t in S.PROMOTION_TARGETS}, "中级": "first"}


def _promotion_target(written: str) -> str:
    return CHINESE_PROMOTION_TARGETS.get(written, written)


def _targets_list(lang: str) -> str:
    """The promotion targets, for a hint: `first (一级教师), …` / `一级教师（first）、…`."""
    if lang == "zh":
        return "、".join(f"{word(t, 'zh')}（{t}）" for t in S.PROMOTION_TARGETS)
    return ", ".join(f"{t} ({word(t, 'zh')})" for t in S.PROMOTION_TARGETS)
_NOT_A_RULE_OUTCOME = {  # the help of `then exempt` (免于交流) or `then not_eligible`: statuses no rule concludes
    "help_en": "`exempt` comes from an exemption (`exemption ID \"title\" as CODE … to RULE`), and "
               "`not_eligible` is the status when no rule applies",
    "help_zh": "`exempt`（免于交流）由豁免条款得出（`exemption 编号 \"标题\" as 代码 … to 规则`），"
               "`not_eligible`（不在交流范围）是没有规则适用时的结论"}


def _unit_zh(unit: str | None) -> str:
    return {"years": "年", "months": "个月", "days": "天", "percent": "%"}.get(unit, "")


_UNIT_ZH_SHORT = {"years": "年", "months": "月", "days": "天", "percent": "百分数"}  # 以年计, 以月计


def _quantity_zh(value, unit: str, of: ir.Node | None) -> str:
    """A quantity as the Chinese guide writes it (`6 年`, `18 个月`), an age in 周岁 (`55 周岁`)."""
    word = "周岁" if unit == "years" and is_age(of) else _unit_zh(unit)
    return f"{number_text(value)} {word}" if word != "%" else f"{number_text(value)}%"


def _quantity_written(value, unit: str, of: ir.Node | None, chinese: bool) -> str:
    """A quantity for the drafter to write into the file, in the file's words whatever the message's
    language: `6 年` (`55 周岁`) on a line written in Chinese, `6 years` on one in English."""
    return _quantity_zh(value, unit, of) if chinese else f"{number_text(value)} {unit}"


def _either(low: int, high: int, lang: str = "en") -> str:
    """The whole number a fraction acts as beside a whole count: one when the comparison fixes it."""
    return str(low) if low == high else (f"{low} 或 {high}" if lang == "zh" else f"{low} or {high}")


def _converted(value, unit: str | None, wanted: str):
    """``value`` in ``unit`` written in ``wanted`` when it converts exactly (60 months: 5 years),
    else the number as it is (the drafter likely meant the other unit)."""
    months = {"years": 12, "months": 1}
    if unit in months and wanted in months and value is not None:
        converted = Fraction(value) * months[unit] / months[wanted]
        if converted.denominator == 1:
            return int(converted)
    return value


_SINCE = {"years": "years_since", "months": "months_since", "days": "days_since"}


def _unit_help(left: ir.Node, right: ir.Node, definitions, chinese: bool = False):
    """The help and fix of a comparison of numbers in different units where one is a number
    written in the policy (`age at least 5 months`): the number in the other's unit when it
    converts exactly (72 months: 6 years); else, for a count of time since a date, that count
    in the number's unit (`days_since(d) at least 6 years`: `years_since(d)`), never the number
    kept under another unit (6 years are not 6 days)."""
    for const, other in ((left, right), (right, left)):
        if (isinstance(const, ir.Const) and isinstance(const.type, T.NumberType)
                and isinstance(other.type, T.NumberType) and other.type.unit and const.type.unit != other.type.unit):
            unit = other.type.unit
            value = _converted(const.value, const.type.unit, unit)
            if const.type.unit is not None and value is const.value:  # no exact conversion
                return _count_in_unit(const, other, definitions, chinese)
            written = _quantity_written(value, unit, other, chinese)  # (the help says what the fix writes)
            what, what_zh = f"`{expr_text(other)}`", f"`{expr_text(other, lang='zh')}`"
            fix = [Fix(f"Write `{written}`", f"改为 `{written}`", (Edit(const.span, written),))] if const.span else []
            if const.type.unit is None:
                return (f"{what} is counted in {unit}: give the number its unit, `{written}`",
                        f"{what_zh} 以{_unit_zh(unit)}计：请为数字加上单位，写作 `{written}`", fix)
            return (f"{what} is counted in {unit}: write the number in {unit}, `{written}` (both sides of a "
                    f"comparison are in one unit)",
                    f"{what_zh} 以{_unit_zh(unit)}计：请以{_unit_zh(unit)}为单位，写作 `{written}`（比较的两边须为同一单位）",
                    fix)
    return None, None, []


def _count_in_unit(const: ir.Const, other: ir.Node, definitions, chinese: bool):
    """The help (and fix) for a count of time compared with a number in another unit that does
    not convert exactly: the count in the number's unit, where it is a count since a date (the
    fix written with Chinese names where the line is written so)."""
    unit, shown = const.type.unit, number_text(const.value)
    what, what_zh = f"`{expr_text(other)}`", f"`{expr_text(other, lang='zh')}`"
    counted = _counted(other, definitions)
    if not isinstance(counted, ir.Apply) or not isinstance(counted.args[-1], ir.AsOf) or unit not in _SINCE:
        return (f"{what} is counted in {other.type.unit}, and {shown} {unit} do not convert exactly into "
                f"{other.type.unit}: write both sides in one unit",
                f"{what_zh} 以{_unit_zh(other.type.unit)}计，{shown} {_unit_zh(unit)}不能准确换算为{_unit_zh(other.type.unit)}数："
                f"请两边用同一单位", [])
    # what to write, in the file's words (the help says what the fix writes)
    written = f"{_SINCE[unit]}({expr_text(counted.args[0], lang='zh' if chinese else 'en')})"
    fix = [Fix(f"Write `{written}`", f"改为 `{written}`", (Edit(other.span, written),))] if other.span else []
    meant = _quantity_written(const.value, other.type.unit, other, chinese)
    meant_en, meant_zh = f"{shown} {other.type.unit}", _quantity_zh(const.value, other.type.unit, other)
    return (f"{what} is counted in {other.type.unit}, and {shown} {unit} do not convert exactly into "
            f"{other.type.unit}: to count in {unit}, write `{written}`; if {meant_en} was meant, write `{meant}`",
            f"{what_zh} 以{_unit_zh(other.type.unit)}计，{shown} {_unit_zh(unit)}不能准确换算为{_unit_zh(other.type.unit)}数："
            f"按{_unit_zh(unit).removeprefix('个')}计请写 `{written}`；如本意是 {meant_zh}，请写 `{meant}`", fix)


_COUNTS = frozenset({ir.Op.YEARS_BETWEEN, ir.Op.MONTHS_BETWEEN, ir.Op.DAYS_BETWEEN})


def _counted(node: ir.Node, definitions) -> ir.Apply | ir.FieldRef | None:
    """The whole count ``node`` is, through the definitions it names: of completed years, months
    or days (`tenure`: years_since(school_start)), or a column of whole numbers (schools_served);
    None for any other value."""
    seen: set[str] = set()
    while isinstance(node, ir.DefRef) and node.name in definitions and node.name not in seen:
        seen.add(node.name)
        node = definitions[node.name].expr
    if isinstance(node, ir.Apply) and node.op in _COUNTS:
        return node
    return node if isinstance(node, ir.FieldRef) and node.name in S.WHOLE.get(node.table, ()) else None


# a count of completed units whose `more than N` a period 超过N reads otherwise: its unit
_PERIODS = {ir.Op.YEARS_BETWEEN: "years", ir.Op.MONTHS_BETWEEN: "months"}


def _is_birth(node: ir.Node) -> bool:
    """A birth date: a count from it is an age, in 周岁 (a completed count by convention)."""
    return isinstance(node, ir.FieldRef) and node.table == "teacher" and node.name == "birth_date"


def _not_whole(node: ir.Node) -> bool:
    """A number written in the policy that is no whole number (5.5 years, 2.5 schools)."""
    return (isinstance(node, ir.Const) and isinstance(node.type, T.NumberType)
            and isinstance(node.value, (int, float, Fraction)) and not isinstance(node.value, bool)
            and Fraction(node.value).denominator != 1)


# a number, length or date as a quoted text would hold it (`"6年"`, `"55 周岁"`, `"10%"`, `"2025-09-01"`)
_QUOTED_VALUE = re.compile(r"\s*(\d+(\.\d+)?\s*(%s)?|\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日)\s*" %
                           "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)))

_TITLES = re.compile(r"职称|专业技术职务|评聘|评审")  # what a penalty barring title promotion says

class Checker:
    _quiet = False  # (instances set it; here so that an error found while building the tables is reported)
    _hinted: tuple[str, str] | None = None  # the last "did you mean" found: (name, suggestion)

    def __init__(self, merged: Merged):
        self.m = merged
        self._depth = 0  # expressions being bound one inside another, through definitions too
        self._deep = False  # whether the expression being bound was found too deep
        self._shapes: dict[str, tuple[int, int]] = {}  # definition -> (depth, size) written out
        self._errors = sum(d.is_error for d in merged.diagnostics)  # errors found so far
        self.unshown = 0  # errors beyond those reported, counted but not described
        self._total = 0  # parts of the declarations' expressions so far, definitions written out
        self.diagnostics: list[Diagnostic] = []
        self._quiet = False  # set while re-reading samples, whose errors are reported once
        self.teachers = self._table(S.TEACHERS)
        self.schools = self._table(S.SCHOOLS)
        self.parameters: dict[str, P.Parameter] = {}
        self.definitions: dict[str, P.Definition] = {}
        self._binding: list[str] = []  # definitions being bound, for cycle detection
        self.used_parameters: set[str] = set()
        self.used_sources: set[str] = set()
        self._misunited: set[str] = set()  # parameters reported for their unit
        self.effect_names: dict[str, set[str]] = {}  # consequence id -> its effects' names
        self.durations: set[str] = set()  # the parameters an effect runs `for`: a test's `set` of one is whole

    def error(self, code, span, en, zh, **kw):
        hinted, self._hinted = self._hinted, None
        if hinted and hinted[1] in (kw.get("help_en") or ""):  # its "did you mean" as a quick fix
            kw.setdefault("fixes", renamed(span, *hinted))
        if not self._quiet:
            self.diagnostics.append(error(code, span, en, zh, **kw))
            self._errors += 1

    def _counted_from(self, name: str, table: S.Table) -> S.Field | None:
        """The date field of ``table`` a definition named ``name`` (or so named in Chinese: 教龄,
        本校任教年限) counts its years from (`years_since(work_start)`), or None."""
        found = self.m.defines.get(PRELUDE_CHINESE_NAMES.get(name, name)) or self.m.defines.get(name)
        expr = found[0].expr if found else None
        if (isinstance(expr, A.Call) and expr.func == "years_since" and len(expr.args) == 1
                and isinstance(expr.args[0], A.Name) and len(expr.args[0].parts) == 1):
            return table.field(expr.args[0].parts[0])
        return None

    def _field_hint(self, name: str, table: S.Table) -> str | None:
        """The field a record's key may mean: the one a roster header of that name gives (到校日期 is
        read as 到校时间), else the nearest name."""
        aliased = table.header_field(name)
        if aliased is not None:
            self._hinted = (name, aliased.zh)
            return aliased.zh
        return self._hint(name, [f.name for f in table.fields] + [f.zh for f in table.fields])

    def _hint(self, name: str, pool, slip: Callable[[str, list[str]], str | None] | None = None) -> str | None:
        """The closest of ``pool`` (or of what the callable ``pool`` gives) to ``name``, or else
        what ``slip`` finds in it; none once more errors were found than are reported, whose help
        would not be shown."""
        if self._errors >= limits.MAX_DIAGNOSTICS:
            self._hinted = None
            return None
        pool = list(pool() if callable(pool) else pool)
        hint = did_you_mean(name, pool) or (slip(name, pool) if slip is not None else None)
        self._hinted = (name, hint) if hint else None  # for the next error's quick fix
        return hint

    # ---- schema and parameters --------------------------------------------------
    def _table(self, contract: S.Table) -> S.Table:
        """The contract's table with the fields the policy declares, and the values it states
        for absent columns (``field … default …``): a contract field may be declared again
        only to state such a value."""
        fields, assumed = [], []
        for decl in self.m.fields.values():
            if decl.table != contract.name:
                continue
            type_ = TYPE_NAMES.get(decl.type_name)
            if type_ is None:
                self._unknown_type(decl.type_name, decl.span)
                type_ = T.TEXT
            field = contract.field(decl.name)
            if field is None:
                field = S.Field(decl.name, decl.name, type_, doc=decl.doc or "")
                fields.append(field)
            elif field.type != type_:
                self.error("T213", decl.span, f"`{decl.name}` is a roster column of type {field.type.describe()}",
                           f"`{decl.name}` 是名册规定的列，类型为{field.type.describe('zh')}",
                           help_en="declare it with its own type, only to state a default",
                           help_zh="重新声明名册规定的列时须用其原类型，仅用于声明缺省值")
                continue
            elif decl.default is None:
                again = f"field {decl.table}.{decl.name}: {decl.type_name} default …"
                named_en, named_zh = (f" ({field.name})", f"（{field.name}）") if field.name != decl.name else ("", "")
                self.error("T213", decl.span, f"`{decl.name}` is a roster column already{named_en}",
                           f"`{decl.name}` 是名册本来就有的列{named_zh}，不必声明",
                           help_en=f"delete this line and use it as it is; declare it again only to state the value "
                                   f"of a roster that lacks it: `{again}`",
                           help_zh=f"请删去这一行，直接使用它；只有名册可能缺少这一列、要写明缺省值时，才这样声明：`{again}`")
                continue
            if decl.default is not None:
                value, got = self.value_of(decl.default, field.type, decl.span, f"the default of `{decl.name}`",
                                           f"`{decl.name}` 的缺省值")
                if not isinstance(got, T.ErrorType):
                    assumed.append(S.Assumption(field.name, value, "policy", decl.doc, contract.name))
        return attrs.evolve(contract.with_extra(tuple(fields)), assumed=tuple(assumed))

    def _unknown_type(self, name: str, span: Span) -> None:
        hint = self._hint(name, TYPE_NAMES)
        self.error("T201", span, f"unknown type `{name}`", f"未知类型 `{name}`",
                   help_en=f"did you mean `{hint}`?" if hint else f"types: {', '.join(TYPE_NAMES)}",
                   help_zh=f"是否应为 `{hint}`？" if hint else f"可用类型：{'、'.join(TYPE_NAMES)}")

    def value_of(self, expr: A.Expr, type_: T.Type | None, span: Span, what: str,
                 what_zh: str | None = None) -> tuple[object, T.Type]:
        """A literal's value and type, converted to ``type_`` when one is expected; ``what``
        (``what_zh``) names the value in a message."""
        what_zh = what_zh or what
        if isinstance(expr, A.Quantity):
            actual = T.NumberType(expr.unit)
            if isinstance(type_, T.NumberType):
                if expr.unit is None or expr.unit == type_.unit:
                    return T.number_value(expr.value), type_
                written = _quantity_written(_converted(expr.value, expr.unit, type_.unit), type_.unit, None,
                                            self._chinese_at(expr.span)) if type_.unit else None
                self.error("T202", expr.span,
                           f"{what} is in {type_.unit or 'no unit'}, but `{expr.unit}` was given",
                           f"{what_zh} 的单位应为{_unit_zh(type_.unit) or '无单位'}，此处写的单位是“{_unit_zh(expr.unit)}”",
                           help_en=f"write `{written}`" if written else "write the number without a unit",
                           help_zh=f"请写作 `{written}`" if written else "请去掉单位，只写数字")
                return None, T.ERROR
            if isinstance(type_, T.TextType):
                return str(T.number_value(expr.value)), type_
            if type_ is None:
                return T.number_value(expr.value), actual
        elif isinstance(expr, A.DateLit):
            if type_ is None or isinstance(type_, T.DateType):
                return expr.value, T.DATE
        elif isinstance(expr, A.BoolLit):
            if type_ is None or isinstance(type_, T.BoolType):
                return expr.value, T.BOOL
        elif isinstance(expr, A.Code) and not isinstance(type_, (T.EnumType, T.TextType)) and \
                (digits := arabic(expr.value)) is not None:  # `parameter 任教年限 = 六年`
            self._chinese_numeral(expr.value, digits, expr.span)
            return None, T.ERROR
        elif isinstance(expr, (A.StringLit, A.Code)) and isinstance(type_, T.BoolType) and expr.value in YES_NO:
            return YES_NO[expr.value], T.BOOL  # `孕期: 是` in a test's record, as a roster's cell says it
        elif isinstance(expr, (A.StringLit, A.Code)):
            if isinstance(type_, T.EnumType):
                code = S.ENUMS[type_.name].lookup(expr.value)
                if code is None:
                    self._unknown_code(expr.value, type_, expr.span)
                    return None, T.ERROR
                return code, type_
            if type_ is None and isinstance(expr, A.Code):
                self.error("T204", expr.span, f"`{expr.value}` needs a type to be read as a code",
                           f"`{expr.value}` 需要声明类型才能作为代码值",
                           help_en="declare it like `parameter x: area = rural`",
                           help_zh="例如写作 `parameter x: area = rural`")
                return None, T.ERROR
            if type_ is None or isinstance(type_, T.TextType):
                return expr.value, T.TEXT
        self.error("T201", getattr(expr, "span", span), f"{what} expects a {type_.describe()}",
                   f"{what_zh} 应为{type_.describe('zh')}")
        return None, T.ERROR

    def _quoted_value(self, name: str, literal: A.StringLit) -> None:
        """A parameter's number, length or date in quotes: text, which every comparison with it
        refuses where it is used (T201 there named neither the parameter nor the quotes)."""
        bare = literal.value.strip()
        self.error("T201", literal.span, f"parameter `{name}` is the text `\"{bare}\"`: a number, length or date "
                   f"is written without quotes, `{bare}`",
                   f"参数 `{name}` 的值 `\"{bare}\"` 带引号，是文字；数、期间和日期不加引号：`{bare}`",
                   fixes=[Fix("Remove the quotes", "去掉引号", (Edit(literal.span, bare),))])

    def _chinese_numeral(self, text: str, digits: str, span: Span) -> None:
        """六年 where `6年` is meant: a number in Chinese characters, as the document writes it."""
        self.error("P001", span, f"`{text}` is a number in Chinese characters; write it in digits: `{digits}`",
                   f"“{text}”是汉字数字；请用阿拉伯数字写作 `{digits}`",
                   fixes=[Fix(f"Write `{digits}`", f"改为 `{digits}`", (Edit(span, digits),))])

    def _unknown_code(self, text: str, type_: T.EnumType, span: Span) -> None:
        enum = S.ENUMS[type_.name]
        if codes := S.ambiguous(enum, text):  # 城镇: 城区 and 县城 both, never one of them silently
            listed_en, listed_zh = ", ".join(codes), "、".join(enum.labels[c] for c in codes)
            self.error("T204", span, f"`{text}` covers several `{type_.name}` codes: {listed_en}",
                       f"`{text}` 包括{listed_zh}，不是单独一个{T.ENUM_ZH.get(type_.name, type_.name)}取值",
                       help_en=f"write `in {{{listed_en}}}` for all of them"
                       + (" (the prelude's `urban_school`)" if type_.name == "area" else "") + ", or the one meant",
                       help_zh=f"如指全部，写作 `in {{{', '.join(enum.labels[c] for c in codes)}}}`"
                       + ("（即预置定义 `城区或县城学校`）" if type_.name == "area" else "") + "；否则写明其中一个")
            return
        hint = self._hint(text, list(enum.codes) + list(enum.labels.values()))
        codes = ", ".join(f"{c} ({enum.labels[c]})" for c in enum.codes)
        # in Chinese the words an official writes (男, 城区), each code after it
        labels = "、".join(f"{enum.labels[c]}（{c}）" for c in enum.codes)
        hint_zh = enum.labels.get(hint, hint) if hint else None
        self.error("T204", span, f"`{text}` is not one of the `{type_.name}` codes",
                   f"`{text}` 不是{T.ENUM_ZH.get(type_.name, type_.name)}的有效取值",
                   help_en=(f"did you mean `{hint}`? " if hint else "") + f"codes: {codes}",
                   help_zh=(f"是否应为“{hint_zh}”？" if hint_zh else "") + f"可用取值：{labels}")

    def check_parameters(self) -> None:
        for name, (decl, origin) in self.m.parameters.items():
            type_ = None
            if decl.type_name is not None:
                type_ = TYPE_NAMES.get(decl.type_name)
                if type_ is None:
                    self._unknown_type(decl.type_name, decl.span)
                    continue
            if type_ is None and isinstance(decl.value, A.StringLit) and _QUOTED_VALUE.fullmatch(decl.value.value):
                self._quoted_value(name, decl.value)  # `= "6年"`: text, where a length was meant
                continue
            value, type_ = self.value_of(decl.value, type_, decl.span, f"parameter `{name}`", f"参数 `{name}`")
            if not isinstance(type_, T.ErrorType):
                self.parameters[name] = P.Parameter(name, type_, value, decl.doc, origin, decl.span,
                                                    self.cites(decl.cites))

    # ---- names -----------------------------------------------------------------
    def _all_names(self) -> list[str]:
        names = list(self.m.parameters) + list(self.m.defines) + list(_AS_OF_NAMES) + list(PRELUDE_CHINESE_NAMES)
        names += [f.name for f in self.teachers.fields] + [f.zh for f in self.teachers.fields]
        names += [f"school.{f.name}" for f in self.schools.fields]
        return names

    def resolve_name(self, name: A.Name, enum: T.EnumType | None = None) -> ir.Node:
        parts, span = name.parts, name.span
        if len(parts) == 1:
            word = parts[0]
            if word in self.m.parameters:
                self.used_parameters.add(word)
                param = self.parameters.get(word)
                return ir.ParamRef(param.type if param else T.ERROR, word, span=span)
            if word in self.m.defines:
                return ir.DefRef(self.bind_definition(word), word, span=span)
            if PRELUDE_CHINESE_NAMES.get(word) in self.m.defines:
                english = PRELUDE_CHINESE_NAMES[word]
                return ir.DefRef(self.bind_definition(english), english, span=span)
            if word in _AS_OF_NAMES:
                return ir.AsOf(T.DATE, span=span)
            field = self.teachers.field(word)
            if field is not None:
                return ir.FieldRef(field.type, "teacher", field.name, span=span)
            if enum is not None:
                code = S.ENUMS[enum.name].lookup(word)
                if code is not None:
                    return ir.Const(enum, code, span=span)
                self._unknown_code(word, enum, span)
                return ir.Const(T.ERROR, None, span=span)
            if word in YES_NO:  # `孕期 = 是`: yes and no as a Chinese drafter writes them, `true` and `false`
                return ir.Const(T.BOOL, YES_NO[word], span=span)
        elif len(parts) == 2 and parts[0] in _TABLE_WORDS:
            table = self.teachers if _TABLE_WORDS[parts[0]] == "teacher" else self.schools
            field = table.field(parts[1])
            if field is not None:
                return ir.FieldRef(field.type, table.name, field.name, span=span)
            hint = self._field_hint(parts[1], table)
            self.error("T207", span, f"`{table.name}` records have no field `{parts[1]}`",
                       f"{'教师' if table.name == 'teacher' else '学校'}记录没有字段 `{parts[1]}`",
                       help_en=f"did you mean `{parts[0]}.{hint}`?" if hint else
                       f"declare it with `field {table.name}.{parts[1]}: TYPE`",
                       help_zh=f"是否应为 `{parts[0]}.{hint}`？" if hint else
                       f"如需使用，请先声明 `field {table.name}.{parts[1]}: 类型`")
            return ir.Const(T.ERROR, None, span=span)
        dotted = name.dotted
        if (w := wording.worded(dotted)) is not None and w.word is not None:  # `if 满5年 …`: where no operator is
            self._report(wording.worded_number(w, dotted, span))
            return ir.Const(T.ERROR, None, span=span)
        if (digits := arabic(dotted)) is not None:  # `tenure at least 六年`
            self._chinese_numeral(dotted, digits, span)
            return ir.Const(T.ERROR, None, span=span)
        school_field = self.schools.field(dotted) if len(parts) == 1 else None
        if school_field is not None:  # a school's column named without its table: 区域 for 学校.区域
            hint = f"学校.{school_field.zh}" if dotted == school_field.zh else f"school.{school_field.name}"
            self._hinted = (dotted, hint)
        elif (aliased := self.teachers.header_field(dotted)) is not None:  # a roster's header for it: 到校日期
            hint = aliased.zh
            self._hinted = (dotted, hint)
        elif (negated := self._negated_as_shown(dotted)) is not None:
            self._not_written(negated, span, dotted)  # `非任课`, `学校非改革试点`: as explain shows `not 任课`
            return ir.Const(T.ERROR, None, span=span)
        elif (meant := _YES_NO_LIKE.get(dotted)) is not None:  # `审查调查 = 是的`: no new field 是的
            word_en, keyword = ("yes", "true") if meant == "是" else ("no", "false")
            self.error("R107", span, f"`{dotted}` is no name: {word_en} is written `{meant}` (or `{keyword}`) in a policy",
                       f"`{dotted}` 不是名称：政策文件中“{meant}”写作 `{meant}`（或 `{keyword}`）",
                       help_en="a yes/no field holds on its own, e.g. `when 审查调查`, and `when not 审查调查` for no",
                       help_zh="是/否字段本身即是条件，例如直接写 `when 审查调查`，否定写 `when not 审查调查`",
                       fixes=[Fix(f"Write `{meant}`", f"改为 `{meant}`", (Edit(span, meant),))])
            return ir.Const(T.ERROR, None, span=span)
        else:
            hint = self._hint(dotted, self._all_names)
        self.error("R107", span, f"unknown name `{dotted}`", f"未知名称 `{dotted}`",
                   help_en=f"did you mean `{hint}`?" if hint else
                   "names are parameters, definitions, teacher fields, or `school.FIELD`; a column of your "
                   f"roster is declared first: `field teacher.{dotted}: TYPE` (date, bool, number, text …)",
                   help_zh=f"是否应为 `{hint}`？" if hint else "名称可以是参数、定义、教师字段或 `学校.字段`；如是名册的新列，"
                   f"请先声明：`field teacher.{dotted}: 类型`（date 日期、bool 是/否、number 数、text 文字等）")
        return ir.Const(T.ERROR, None, span=span)

    def bind_definition(self, name: str) -> T.Type:
        if name in self.definitions:
            return self.definitions[name].expr.type
        decl, _origin = self.m.defines[name]
        if name in self._binding:
            cycle = self._binding[self._binding.index(name):] + [name]
            help_en, help_zh = "a definition may only use names defined without it", "定义不能直接或间接引用自身"
            if (code := _code_named(name)) is not None:  # `define 城区 = 学校.区域 = 城区`: the code meant
                help_en = (f"`{name}` in it reads this definition, not the {code[0]} `{name}`: give the definition a "
                           f"name saying what it is for")
                help_zh = f"其中的 `{name}` 读作这个定义本身，而不是{code[1]}“{name}”：请给定义另起一个说明其用途的名称"
            self.error("R110", decl.span, f"`{name}` is defined in terms of itself: {' -> '.join(cycle)}",
                       f"`{name}` 的定义循环引用自身：{' -> '.join(cycle)}", help_en=help_en, help_zh=help_zh)
            return T.ERROR
        self._binding.append(name)
        expr = self.bind(decl.expr)
        self._binding.pop()
        self.definitions[name] = P.Definition(name, decl.doc, expr, decl.span, self.cites(decl.cites))
        self._shapes[name] = self._measure(expr, decl.span, [name])
        return expr.type

    # ---- what the evaluators will walk: depth and size, definitions written out --------
    def _shape(self, node: ir.Node) -> tuple[int, int]:
        """(depth, size) of a bound expression with every definition it uses written out, as
        the evaluators inline them; each definition is measured once, so this is linear."""
        if isinstance(node, ir.DefRef):
            return self._shapes.get(node.name, (1, 1))  # one in a cycle: reported as R110
        if isinstance(node, ir.Apply):
            depth, size = 0, 1
            for arg in node.args:
                d, n = self._shape(arg)
                depth, size = max(depth, d), size + n
            return depth + 1, size
        return 1, 1

    def _measure(self, node: ir.Node, span: Span | None, through: list[str]) -> tuple[int, int]:
        """The shape of ``node``, after reporting it if beyond a limit (then counted as one
        part, so that what uses it is not reported again)."""
        depth, size = self._shape(node)
        if depth > limits.MAX_DEPTH:
            if not self._deep:  # (else reported where binding went too deep)
                self._report(limits.too_deep(span, through))
            return 1, 1
        if size > limits.MAX_EXPANDED:
            self._report(limits.too_large(span, size))
            return 1, 1
        return depth, size

    def _report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)
        self._errors += 1

    def bound(self, expr: A.Expr) -> ir.Node:
        """An expression of a declaration, bound and measured (alone and with the others)."""
        node = self.bind(expr)
        span = getattr(expr, "span", None)
        _, size = self._measure(node, span, [])
        self._total += size
        if self._total > limits.MAX_EXPANDED_TOTAL >= self._total - size:  # the first beyond
            self._report(limits.too_large_in_all(span))
        return node

    # ---- expressions --------------------------------------------------------------
    def bind(self, expr: A.Expr, enum: T.EnumType | None = None) -> ir.Node:
        """The bound form of an expression. The parser measured each expression's depth; a
        chain of definitions, bound one inside another, is cut at the same depth."""
        if self._depth == 0:
            self._deep = False
        self._depth += 1
        try:
            if self._depth > limits.MAX_DEPTH:
                span = getattr(expr, "span", None)
                if not self._deep:
                    self._deep = True
                    self._report(limits.too_deep(span, self._binding))
                return ir.Const(T.ERROR, None, span=span)
            return self._bind(expr, enum)
        finally:
            self._depth -= 1

    def _bind(self, expr: A.Expr, enum: T.EnumType | None) -> ir.Node:
        span = getattr(expr, "span", None)
        if isinstance(expr, A.Quantity):
            return ir.Const(T.NumberType(expr.unit), T.number_value(expr.value), span=span)
        if isinstance(expr, A.DateLit):
            return ir.Const(T.DATE, expr.value, span=span)
        if isinstance(expr, A.StringLit):
            if enum is not None:
                return self.resolve_name(A.Name((expr.value,), span=span), enum)
            return ir.Const(T.TEXT, expr.value, span=span)
        if isinstance(expr, A.BoolLit):
            return ir.Const(T.BOOL, expr.value, span=span)
        if isinstance(expr, A.Name):
            return self.resolve_name(expr, enum)
        if isinstance(expr, A.Call):
            return self._call(expr)
        if isinstance(expr, A.Binary):
            if expr.op in ("and", "or"):
                parts = self._flatten(expr, expr.op)
                return self._apply(expr.op, [self.bind(p) for p in parts], span)
            if expr.op in B.COMPARISONS:
                if (worded := self._worded_operand(expr)) is not None:  # `at least 满5年`
                    return worded
                left, right = self._bind_pair(expr.left, expr.right)
                return self._apply(B.COMPARISONS[expr.op], [left, right], span)
            return self._apply(B.ARITHMETIC[expr.op], [self.bind(expr.left), self.bind(expr.right)], span)
        if isinstance(expr, A.Not):
            return self._apply("not", [self.bind(expr.operand)], span)
        if isinstance(expr, A.Neg):
            return self._apply("neg", [self.bind(expr.operand)], span)
        if isinstance(expr, A.IsSet):
            return self._apply("is_empty" if expr.negated else "is_set", [self.bind(expr.operand)], span)
        if isinstance(expr, A.InSet):
            node = self._in(expr)
            return self._apply("not", [node], span) if expr.negated else node
        if isinstance(expr, A.If):
            cond = self.bind(expr.cond)
            then, otherwise = self._bind_pair(expr.then, expr.otherwise)
            return self._apply("if", [cond, then, otherwise], span)
        raise TypeError(f"cannot bind {expr!r}")  # pragma: no cover - the grammar has no other forms

    def _worded_operand(self, expr: A.Binary) -> ir.Node | None:
        """A comparison's value worded as a document words it, read as a name (`tenure at least 满5年`,
        `age < 三十五周岁以下`): said with the operator written before it (``wording``), or None."""
        side = expr.right
        if not isinstance(side, A.Name) or len(side.parts) != 1 or self._is_bound_name(side.parts[0]):
            return None
        w = wording.worded(side.parts[0])
        if w is None or w.word is None:
            return None
        self._report(wording.worded_number(w, side.parts[0], side.span, self._operator_text(expr)))
        return ir.Const(T.ERROR, None, span=expr.span)

    def _is_bound_name(self, word: str) -> bool:
        return word in self.m.parameters or word in self.m.defines or self.teachers.field(word) is not None

    def _operator_text(self, expr: A.Binary) -> str | None:
        """The operator of a comparison as written (`at least`, `>=`), from the text between its operands."""
        left, right = getattr(expr.left, "span", None), getattr(expr.right, "span", None)
        source = self.m.texts.get(right.source) if right is not None else None
        if left is None or source is None or left.end_line != right.line:
            return None
        between = source.line_text(right.line)[left.end_column - 1:right.column - 1]
        return wording.operator_written(between)

    @staticmethod
    def _flatten(expr: A.Expr, op: str) -> list[A.Expr]:
        """The operands of a chain of ``op`` (as long as the chain, so not by recursion)."""
        parts, todo = [], [expr]
        while todo:
            e = todo.pop()
            if isinstance(e, A.Binary) and e.op == op:
                todo += [e.right, e.left]
            else:
                parts.append(e)
        return parts

    def _is_unbound_word(self, expr: A.Expr) -> bool:
        if not isinstance(expr, A.Name) or len(expr.parts) != 1:
            return False
        word = expr.parts[0]
        return (word not in self.m.parameters and word not in self.m.defines
                and word not in _AS_OF_NAMES and self.teachers.field(word) is None)

    def _is_code_word(self, expr: A.Expr) -> bool:
        """A bare word that is a code or label of some field's codes (女, 城区, primary): beside a
        name that is unknown, the code of a field misspelt, not an unknown name of its own."""
        return self._is_unbound_word(expr) and any(e.lookup(expr.parts[0]) for e in S.ENUMS.values())

    def _bind_pair(self, left: A.Expr, right: A.Expr) -> tuple[ir.Node, ir.Node]:
        """Bind two operands; a bare word beside an enum value is read as one of its codes."""
        if self._is_unbound_word(left) and not self._is_unbound_word(right):
            r = self.bind(right)
            enum = r.type if isinstance(r.type, T.EnumType) else None
            return self.bind(left, enum), r
        l = self.bind(left)
        if isinstance(l.type, T.ErrorType) and self._is_code_word(right):
            # `性別 = 女`: 女 is a code of the field misspelt, not a second unknown name to report
            return l, ir.Const(T.ERROR, None, span=getattr(right, "span", None))
        enum = l.type if isinstance(l.type, T.EnumType) else None
        return l, self.bind(right, enum)

    def _in(self, expr: A.InSet) -> ir.Node:
        operand = self.bind(expr.operand)
        enum = operand.type if isinstance(operand.type, T.EnumType) else None
        unknown = isinstance(operand.type, T.ErrorType)  # its codes are not names to report as unknown
        items = [ir.Const(T.ERROR, None, span=getattr(i, "span", None)) if unknown and self._is_code_word(i)
                 else self.bind(i, enum) for i in expr.items]
        for item in items:
            if isinstance(operand.type, T.ErrorType) or isinstance(item.type, T.ErrorType):
                continue
            result = B.OPERATORS["eq"].type_rule([operand.type, item.type])
            if isinstance(result, tuple):
                self.error(result[0], item.span, result[1], result[2])
        return ir.Apply(T.BOOL, "in", (operand, *items), span=expr.span)

    def _negated_as_shown(self, word: str) -> str | None:
        """The name a negation copied from an explanation negates, or None: `非任课` (not 任课),
        `学校非改革试点` (not 学校.改革试点, as a school's field negated is shown) and `非学校.改革试点`
        (as it was shown before)."""
        if word.startswith(SCHOOL_NOT_ZH) and self.schools.field(rest := word[len(SCHOOL_NOT_ZH):]) is not None:
            return f"学校.{rest}"
        rest = word[len(NOT_ZH):]
        table, _, field = rest.partition(".")
        if word.startswith(NOT_ZH) and (rest in self._all_names() or (
                _TABLE_WORDS.get(table) == "school" and self.schools.field(field) is not None)):
            return rest
        return None

    def _not_written(self, rest: str | None, span: Span, written: str | None = None) -> None:
        """`非任课` (a name, ``written``), `学校非改革试点` or `非(孕期 或 哺乳期)` (a call): `not` as
        explain and doc show it, read as a name. The nearest name would be the condition itself,
        the opposite of what was meant, so the fix is `not`, never that name."""
        if rest is None:  # the call: only the word is mended
            span = Span(span.source, span.line, span.column, span.line, span.column + len(NOT_ZH))
            written, mended, shown = f"{NOT_ZH}(…)", "not ", "not (…)"
        else:
            written, mended = written or NOT_ZH + rest, f"not {rest}"
            shown = mended
        self.error("R107", span, f"`{written}`: `{NOT_ZH}` (not) is written `not` in a policy, as `{shown}`",
                   f"`{written}`：“{NOT_ZH}”（不是）在政策文件中写作 `not`，即 `{shown}`",
                   help_en=f"explain and doc show `not` as `{NOT_ZH}`; a policy writes the keyword",
                   help_zh=f"explain、doc 把 `not` 显示为“{NOT_ZH}”，政策文件中请写关键词 `not`",
                   fixes=[Fix(f"Write `{shown}`", f"改为 `{shown}`", (Edit(span, mended),))])

    def _call(self, expr: A.Call) -> ir.Node:
        spec = B.FUNCTIONS.get(expr.func)
        if spec is None and expr.func == NOT_ZH and len(expr.args) == 1:
            self._not_written(None, expr.span)  # `非(孕期 或 哺乳期)`
            return ir.Const(T.ERROR, None, span=expr.span)
        if spec is None:
            hint = self._hint(expr.func, B.FUNCTIONS)
            self.error("R107", expr.span, f"unknown function `{expr.func}`", f"未知函数 `{expr.func}`",
                       help_en=f"did you mean `{hint}`?" if hint else f"functions: {', '.join(B.FUNCTIONS)}",
                       help_zh=f"是否应为 `{hint}`？" if hint else f"可用函数：{'、'.join(B.FUNCTIONS)}")
            return ir.Const(T.ERROR, None, span=expr.span)
        op, arity, ref = spec
        if arity is not None and len(expr.args) != arity:
            self.error("T205", expr.span, f"`{expr.func}` takes {arity} argument(s), {len(expr.args)} given",
                       f"`{expr.func}` 需要 {arity} 个参数，实际给出 {len(expr.args)} 个")
            return ir.Const(T.ERROR, None, span=expr.span)
        if arity is None and not expr.args:
            self.error("T205", expr.span, f"`{expr.func}` needs at least one argument",
                       f"`{expr.func}` 至少需要一个参数")
            return ir.Const(T.ERROR, None, span=expr.span)
        args = [self.bind(a) for a in expr.args]
        if ref == "end":
            args.append(ir.AsOf(T.DATE, span=expr.span))
        elif ref == "start":
            args.insert(0, ir.AsOf(T.DATE, span=expr.span))
        return self._apply(op, args, expr.span)

    def _apply(self, op: str, args: list[ir.Node], span: Span) -> ir.Node:
        types = [a.type for a in args]
        if any(isinstance(t, T.ErrorType) for t in types):
            return ir.Apply(T.ERROR, op, tuple(args), span=span)
        if (op in ("add", "sub") and isinstance(types[0], T.DateType) and isinstance(args[1], ir.Const)
                and isinstance(args[1].value, float) and not args[1].value.is_integer()):
            self.error("T202", span, "a date moves by a whole number of years, months or days",
                       "日期只能按整年、整月或整天推移",
                       help_en="write `18 months` rather than `1.5 years`", help_zh="例如写 `18 个月` 而不是 `1.5 年`")
            return ir.Apply(T.ERROR, op, tuple(args), span=span)
        result = B.OPERATORS[op].type_rule(types)
        if isinstance(result, tuple):
            code, en, zh = result
            help_en = help_zh = None
            fixes = []
            if code == "T202" and self._parameter_unit(args[1:] if op == "if" else args):  # (an if: its branches)
                return ir.Apply(T.ERROR, op, tuple(args), span=span)  # reported at the parameter
            if code == "T202" and len(args) == 2:
                help_en, help_zh, fixes = _unit_help(*args, self.definitions, self._chinese_at(span))
            if code == "T201" and (iso := _date_read_as_a_sum(args)) is not None:  # `2019-9-1`: 2019 − 9 − 1
                help_en, help_zh = (f"a date has a month and a day of two digits: write `{iso}`",
                                    f"日期的月、日各写两位：请写作 `{iso}`")
            elif code == "T201" and (clash := self._declared_over_a_code(args)) is not None:  # `性别 = 女`, 女 a parameter
                help_en, help_zh = clash
            labels = [Label(a.span, f"`{expr_text(a)}` is a {a.type.describe()}",
                            f"`{expr_text(a, lang='zh')}` 为{a.type.describe('zh')}") for a in args
                      if a.span is not None and a.span.line > 0 and not isinstance(a, ir.AsOf)]
            self.error(code, span, en, zh, help_en=help_en, help_zh=help_zh, labels=labels, fixes=fixes)
            return ir.Apply(T.ERROR, op, tuple(args), span=span)
        if op in _COMPARISONS and len(args) == 2:
            self._whole_compared(args, span, op)
            self._period_compared(args, span, op)
        elif op == ir.Op.WITHIN_LAST and _not_whole(args[1]):  # the window counts whole units (近2.5年: 近30个月)
            self._warn("L313", args[1].span or span, "a window of time counts whole years, months or days: this one "
                       "is counted as its whole part", "期间只按整年、整月或整天计算：此处只计整数部分",
                       help_en="write `30 months` rather than `2.5 years`", help_zh="例如写 `30 个月` 而不是 `2.5 年`")
        return ir.Apply(result, op, tuple(args), span=span)

    def _declared_over_a_code(self, args: list[ir.Node]) -> tuple[str, str] | None:
        """What a type clash is when one side is a parameter or definition named as a code of the
        other side's field (`性别 = 女`, `parameter 女 = 50周岁`): a declared name is read before a
        code, and "a sex code with a number in years" did not say that `女` was the parameter."""
        coded = [a.type for a in args if isinstance(a.type, T.EnumType)]
        for a in args:
            if not isinstance(a, (ir.ParamRef, ir.DefRef)) or not coded:
                continue
            enum = S.ENUMS[coded[0].name]
            if enum.lookup(a.name) is None:
                continue
            declared = self.m.parameters.get(a.name) or self.m.defines.get(a.name)
            what_en, what_zh = ("parameter", "参数") if isinstance(a, ir.ParamRef) else ("definition", "定义")
            where = ""
            if declared is not None and declared[0].span is not None:
                at = declared[0].span
                where = f"{display_path(Path(at.source))}:{at.line}"
            codes_en, codes_zh = enum.type.describe(), enum.type.describe("zh")
            return (f"`{a.name}` here is the {what_en} `{a.name}` ({where}), not the {codes_en} `{a.name}`: a name the "
                    f"policy declares is read before a code. Give the {what_en} a name saying what it is for (and "
                    f"write that name where it is used); `{a.name}` then reads the {codes_en}",
                    f"此处的 `{a.name}` 读作本政策的{what_zh} `{a.name}`（{where}），而不是{codes_zh}“{a.name}”："
                    f"政策声明的名称先于代码读取。请给{what_zh}另起一个说明其用途的名称（并改写用到它的地方），"
                    f"`{a.name}` 即读作{codes_zh}")
        return None

    def _whole_compared(self, args: list[ir.Node], span: Span, op: ir.Op | None = None) -> None:
        """A count of completed years (months, days) compared with a number that is no whole
        one: `tenure at least 5.5 years` holds from 6, and reads as if it meant five and a half."""
        for k, (count, other) in enumerate(((args[0], args[1]), (args[1], args[0]))):
            counted = _counted(count, self.definitions)
            if counted is None or not _not_whole(other):
                continue
            unit, value = other.type.unit, Fraction(other.value)
            shown, low, high = number_text(other.value), int(value), int(value) + 1
            # the whole number it acts as: a lower bound on the count (`at least 4.5`) is 5, an upper one 4
            lower = (op in (ir.Op.GE, ir.Op.GT)) == (k == 0)
            if op in (ir.Op.GE, ir.Op.GT, ir.Op.LE, ir.Op.LT):
                low = high = high if lower else low
            en_count, zh_count = expr_text(count), expr_text(count, lang="zh")
            if isinstance(counted, ir.FieldRef) or unit is None:  # a column of whole numbers (schools_served)
                self._warn("L313", other.span or span, f"`{en_count}` is a whole number, never {shown}: comparing it "
                                                       f"with {shown} is comparing it with {_either(low, high)}",
                           f"`{zh_count}` 是整数，不会是 {shown}：与 {shown} 比较，实际是与 {_either(low, high, 'zh')} 比较")
                return
            help_en = help_zh = None
            finer = {"years": ("months", 12), "months": ("days", None)}.get(unit)
            if finer and isinstance(counted.args[-1], ir.AsOf):  # (a count since a date)
                name, times = finer
                since, word_zh = _SINCE[name], _unit_zh(name)
                date_en, date_zh = expr_text(counted.args[0]), expr_text(counted.args[0], lang="zh")
                amount = f" {number_text(value * times)}" if times and (value * times).denominator == 1 else " N"
                help_en = f"to count in {name}, compare `{since}({date_en})` with `{amount.strip()} {name}`"
                help_zh = f"按{word_zh.removeprefix('个')}计请写 `{since}({date_zh})`，与 `{amount.strip()} {word_zh}` 比较"
            self._warn("L313", other.span or span,
                       f"`{en_count}` is a count of completed {unit}, never {shown}: comparing it with `{shown} {unit}` "
                       f"is comparing it with {_either(low, high)}",
                       f"`{zh_count}` 是已满的整{_unit_zh(unit).removeprefix('个')}数，不会是 {shown}：与 {shown} "
                       f"{_unit_zh(unit)}比较，实际是与 {_either(low, high, 'zh')} 比较",
                       help_en=help_en, help_zh=help_zh)
            return

    def _period_compared(self, args: list[ir.Node], span: Span, op: ir.Op) -> None:
        """L317: a count of completed years or months since (or until) a date compared with
        `more than` or `at most`. A document's 超过3个月 or 不超过5年 speaks of a period, longer
        than N from the day after its last day, while the count is more than N only from N+1
        full units: `months_since(d) more than 3 months` holds from four whole months. Not an
        age (周岁 is a completed count, 超过45周岁 is `age more than 45`), and not days (their
        count is the period's length). `at least` and `less than` mean the same either way."""
        for k, (count, bound) in enumerate(((args[0], args[1]), (args[1], args[0]))):
            over = {ir.Op.GT: True, ir.Op.LE: False} if k == 0 else {ir.Op.LT: True, ir.Op.GE: False}
            counted = _counted(count, self.definitions)
            if (op not in over or is_age(count) or not isinstance(counted, ir.Apply)
                    or counted.op not in _PERIODS or _is_birth(counted.args[0]) or _not_whole(bound)
                    or not isinstance(bound.type, T.NumberType) or bound.type.unit != _PERIODS[counted.op]):
                continue
            more, unit = over[op], bound.type.unit
            lang = "zh" if self._chinese_at(span) else "en"  # the rewrites as the line writes names

            def code(n: ir.Node) -> str:
                return self._written(n, lang)

            start, end = code(counted.args[0]), code(counted.args[1])
            period = f"{start} + {code(bound)} {'less than' if more else 'at least'} {end}"
            whole = f"{code(count)} {'at least' if more else 'less than'} {self._next_whole(bound, lang)}"
            n_en, n_zh = self._written(bound, "en"), self._bound_zh(bound)
            next_en, next_zh = self._next_whole(bound, "en"), self._bound_zh(bound, plus=1)
            word_zh = _unit_zh(unit).removeprefix("个")
            said_en, said_zh = ("more than", "超过") if more else ("at most", "不超过")
            count_en, count_zh = expr_text(count), expr_text(count, lang="zh")
            if more:
                holds_en, holds_zh = f"holds from {next_en} on", f"满{next_zh}起才成立"
                period_en, period_zh = "is so", "就已超过"
            else:
                holds_en, holds_zh = f"holds until a day short of {next_en}", f"直到差一天满{next_zh}都成立"
                period_en, period_zh = "is past it", "就已不在期限内"
            self._warn(
                "L317", span,
                f"`{count_en}` is a count of completed {unit}: `{said_en} {n_en}` of it {holds_en}; a document's "
                f"period {said_en} {n_en} ({said_zh}) {period_en} from the day after its {n_en} have run",
                f"`{count_zh}` 是已满的整{word_zh}数，`{said_en} {n_en}` {holds_zh}；而条文说期间“{said_zh}{n_zh}”，"
                f"期满{n_zh}的次日{period_zh}",
                help_en=f"for the period write `{period}`; for the count of full {unit}, `{whole}`",
                help_zh=f"指期间的长度请写 `{period}`；指已满的整{word_zh}数请写 `{whole}`",
                fixes=[Fix(f"Write the period: `{period}`", f"按期间写：`{period}`", (Edit(span, period),)),
                       Fix(f"Write the count: `{whole}`", f"按已满的整{word_zh}数写：`{whole}`", (Edit(span, whole),))])
            return

    def _written(self, node: ir.Node, lang: str) -> str:
        """``node`` as this policy's files write it, where it is on one line of them; else in
        policy syntax (a prelude definition's date by its Chinese name in ``lang="zh"``)."""
        sp = node.span
        source = self.m.texts.get(sp.source) if sp is not None and sp.source != PRELUDE_NAME else None
        if source is not None and not isinstance(node, ir.AsOf) and sp.line > 0 and sp.line == sp.end_line:
            return source.line_text(sp.line)[sp.column - 1:sp.end_column - 1]
        return expr_text(node, lang=lang)

    def _bound_zh(self, bound: ir.Node, plus: int = 0) -> str:
        """A bound (and ``plus``) as a Chinese document writes it: `3个月`, `6年`; a parameter by its value."""
        value = bound.value if isinstance(bound, ir.Const) else None
        if isinstance(bound, ir.ParamRef) and (declared := self.parameters.get(bound.name)) is not None:
            value = declared.value
        if isinstance(value, (int, float, Fraction)) and not isinstance(value, bool):
            return value_text(Fraction(value) + plus, bound.type, "zh")
        return expr_text(bound, lang="zh") + (f"+{plus}{_unit_zh(bound.type.unit)}" if plus else "")

    def _next_whole(self, bound: ir.Node, lang: str) -> str:
        """N+1 of a bound N, with its unit: `4 months` (`4 个月`), `teacher_tenure + 1 years`."""
        unit = bound.type.unit
        word = _unit_zh(unit) if lang == "zh" else unit
        if isinstance(bound, ir.Const):
            return f"{number_text(Fraction(bound.value) + 1)} {word}"
        return f"{self._written(bound, lang)} + 1 {word}"

    def _warn(self, code: str, span: Span, en: str, zh: str, **kw) -> None:
        if not self._quiet:
            self.diagnostics.append(warning(code, span, en, zh, **kw))

    def _chinese_at(self, span: Span) -> bool:
        """Whether the line at ``span`` is written with Chinese names (a fix then writes them too)."""
        source = self.m.texts.get(span.source) if span is not None else None
        line = source.line_text(span.line) if source is not None else ""
        return has_han(line)

    def _parameter_unit(self, args: list[ir.Node]) -> bool:
        """Whether a unit mismatch is a parameter stated in another unit than what it is used
        with (`parameter age_cap = 50 months`, `age at most age_cap`): then it is reported
        once, at the parameter, where the fix is."""
        if len(args) != 2:
            return False
        for side, other in (args, args[::-1]):
            if not isinstance(other.type, T.NumberType) or other.type.unit is None:
                continue
            wanted = other.type.unit
            params = self._parameters_behind(side)
            misunited = [p for p in params or () if self.parameters[p.name].type.unit != wanted]
            if not misunited or any(self.parameters[p.name].origin != self.m.entry for p in misunited):
                continue
            for param in misunited:
                self._report_parameter_unit(param, side, other, wanted)
            return True
        return False

    def _parameters_behind(self, node: ir.Node) -> list[ir.ParamRef] | None:
        """The numeric parameters a value is made of when it is nothing else: a parameter, a
        definition that names one (`define cap = age_cap`), or an `if` choosing between such
        values; None when anything else takes part, for then the mismatch is at the use."""
        if isinstance(node, ir.ParamRef):
            declared = self.parameters.get(node.name)
            return [node] if declared is not None and isinstance(declared.type, T.NumberType) else None
        if isinstance(node, ir.DefRef) and node.name in self.definitions:
            return self._parameters_behind(self.definitions[node.name].expr)
        if isinstance(node, ir.Apply) and node.op == "if":
            then, otherwise = (self._parameters_behind(branch) for branch in node.args[1:])
            return then + otherwise if then is not None and otherwise is not None else None
        return None

    def _report_parameter_unit(self, param: ir.ParamRef, used: ir.Node, other: ir.Node, wanted: str) -> None:
        if param.name in self._misunited:
            return
        self._misunited.add(param.name)
        declared = self.parameters[param.name]
        unit = declared.type.unit
        value = _converted(declared.value, unit, wanted)
        if unit is not None and value is declared.value:  # no exact conversion: the number its description says
            described = {(number, half) for number, word, half in _DESCRIBED.findall(declared.doc or "")
                         if _DESCRIBED_UNITS[word] == wanted}
            if len(described) == 1 and not next(iter(described))[1]:  # `= 2190 天 "同校满6年"`: 6 年
                value = Fraction(next(iter(described))[0])
        stated, stated_zh = f"{number_text(value)} {wanted}", _quantity_zh(value, wanted, other)
        via = [] if used is param else [Label(used.span, f"through `{expr_text(used)}`", f"经由 `{expr_text(used, lang='zh')}`")]
        # the declaration as written, so that the fix can be pasted over it (a county's is an override)
        keyword = "override parameter" if param.name in self.m.overridden else "parameter"
        measured_zh = f"以{_UNIT_ZH_SHORT[unit]}计" if unit in _UNIT_ZH_SHORT else "是不带单位的数"
        if unit is not None and value is declared.value:  # 2190 days are no 2190 years: no number to offer
            written, to = f"{number_text(declared.value)}{_unit_zh(unit)}", "周岁" if is_age(other) else _unit_zh(wanted)
            since = _SINCE.get(unit)
            help_en = (f"state it in {wanted}, as the document counts it: `{keyword} {param.name} = N {wanted}` "
                       f"({number_text(declared.value)} {unit} is no whole number of {wanted}; units are never "
                       "converted)" + (f"; to count in {unit}, override the clause using it with `{since}(…)`"
                                       if since else ""))
            why_zh = (f"{written}是百分数，不是{_unit_zh(wanted)}数" if unit == "percent" else
                      f"{written}不能准确换算为{_unit_zh(wanted)}，不同单位不自动换算")
            help_zh = (f"请按原文以{_unit_zh(wanted)}为单位写：`{keyword} {param.name} = N {to}`（{why_zh}）" + (f"；确要按{_UNIT_ZH_SHORT[unit]}计的，请覆盖（override）"
                                                                 f"使用它的条款，改用 `{since}(…)`" if since else ""))
        else:
            help_en = f"state it in {wanted}: `{keyword} {param.name} = {stated}`"
            help_zh = f"请以{_unit_zh(wanted)}为单位：`{keyword} {param.name} = {stated_zh}`"
        self.error("T202", declared.span,
                   f"parameter `{param.name}` is in {unit or 'no unit'}, but it is used with "
                   f"`{expr_text(other)}`, in {wanted}",
                   f"参数 `{param.name}` {measured_zh}，却与以{_UNIT_ZH_SHORT[wanted]}计的 "
                   f"`{expr_text(other, lang='zh')}` 比较或运算",
                   help_en=help_en, help_zh=help_zh, labels=[Label(param.span, "used here", "在此使用"), *via])

    def condition(self, expr: A.Expr | None, what_en: str, what_zh: str) -> ir.Node | None:
        if expr is None:
            return None
        node = self.bound(expr)
        if not isinstance(node.type, (T.BoolType, T.ErrorType)):
            self.error("T203", expr.span, f"{what_en} must be a yes/no condition, found a {node.type.describe()}",
                       f"{what_zh}应为条件（是/否），实际为{node.type.describe('zh')}")
        return node

    # ---- declarations ------------------------------------------------------------
    def cites(self, cites: tuple[A.Cite, ...]) -> tuple[P.Citation, ...]:
        out = []
        for c in cites:
            src = self.m.sources.get(c.source)
            if src is None:
                hint = self._hint(c.source, self.m.sources, _short_slip)
                declare = f"`source {c.source} \"…\"`"  # (it may be another document, not yet declared)
                self.error("R109", c.span, f"unknown source `{c.source}`", f"未知来源 `{c.source}`",
                           help_en=f"did you mean `{hint}`? If `{c.source}` is another document, declare it: {declare}"
                           if hint else "declare it with `source ID \"title\"`",
                           help_zh=f"是否应为 `{hint}`？如 `{c.source}` 是另一份文件，请先声明：{declare}"
                           if hint else "请先用 `source 编号 \"标题\"` 声明来源")
                continue
            self.used_sources.add(c.source)
            if c.section is not None and not c.section.strip() and c.span.source == self.m.entry:
                self.diagnostics.append(warning(  # `cite QX ""`: as if it said where, and it says nothing
                    "L303", c.span, f"the citation of `{c.source}` names no section: the quotes are empty",
                    f"对 `{c.source}` 的引用没有写条款：引号内为空",
                    help_en=f"write the section (`cite {c.source} \"四、1\"`), or cite the source alone "
                            f"(`cite {c.source}`)",
                    help_zh=f"请写明条款（`cite {c.source} \"四、1\"`），或只写来源（`cite {c.source}`）"))
            citation = P.Citation.of(c, src)
            if citation in out and c.span.source == self.m.entry:  # (a slip: doc and the studio list it twice)
                self.diagnostics.append(warning(
                    "L320", c.span, f"`cite {c.source}` is given twice with the same section: delete one",
                    f"`cite {c.source}` 重复写了两次（条款相同）：请删去一行"))
                continue
            out.append(citation)
        return tuple(out)

    def _require_cite(self, decl, origin: str) -> None:
        if not decl.cites and origin == self.m.entry:
            self.diagnostics.append(warning(
                "L303", decl.span, f"`{decl.id}` cites no source", f"`{decl.id}` 没有注明出处",
                help_en="add `cite SOURCE \"section\"` so decisions can say where the rule comes from",
                help_zh="请加上 `cite 来源 \"条款\"`，以便决定说明依据"))

    def rule(self, decl: A.Rule, origin: str) -> P.Rule | None:
        self._require_cite(decl, origin)
        when = self.condition(decl.when, "a rule's `when`", "规则的 `when` ")
        outcome = CHINESE_STATUSES.get(decl.outcome, decl.outcome)
        direction = CHINESE_DIRECTIONS.get(decl.direction, decl.direction)
        if outcome not in P.RULE_OUTCOMES:
            hint = self._hint(outcome or "", [*P.RULE_OUTCOMES, *(w for w, o in CHINESE_STATUSES.items()
                                                                  if o in P.RULE_OUTCOMES)])
            self.error("T208", decl.outcome_span if outcome else decl.span,
                       f"a rule concludes `must_rotate` (须交流) or `eligible` (可交流), not `{decl.outcome}`" if outcome
                       else f"rule `{decl.id}` has no `then` outcome",
                       f"规则结论应为 `must_rotate`（须交流）或 `eligible`（可交流），而不是 `{decl.outcome}`" if outcome
                       else f"规则 `{decl.id}` 缺少 `then` 结论",
                       **(_NOT_A_RULE_OUTCOME if outcome in P.STATUSES else suggestion(hint)))
        if direction is not None and direction not in P.DIRECTIONS:
            hint = self._hint(direction, [*P.DIRECTIONS, *CHINESE_DIRECTIONS])
            self.error("T215", decl.direction_span, f"unknown direction `{direction}`", f"未知交流方向 `{direction}`",
                       **_with_listing(suggestion(hint), _DIRECTIONS_LISTED, hint))
        return P.Rule(decl.id, decl.title, self.cites(decl.cites), when, outcome or "", direction,
                      origin, decl.span)

    def _exemption_left_without_rules(self, decl: A.Exemption) -> None:
        """An exemption every rule of whose `to` list a later file repeals: it sets aside no rule,
        so no one has it any more (L312, said at the last repeal, where the drafter wrote it)."""
        repeals = [self.m.repealed[t].repeal for t in decl.targets]
        named_en, named_zh = ", ".join(f"`{t}`" for t in decl.targets), "、".join(f"`{t}`" for t in decl.targets)
        self.diagnostics.append(warning(
            "L312", repeals[-1].span,
            f"with {named_en} repealed, exemption `{decl.id}` ({decl.title}) sets aside no rule: it applies to no one",
            f"废止 {named_zh} 后，豁免 `{decl.id}`（{decl.title}）不再免除任何规则，对任何人都不适用",
            help_en=f"to keep it for the rules that replace them, write `override exemption {decl.id} …` with `to` "
                    f"naming those rules; to let it go, `repeal {decl.id}`",
            help_zh=f"如需对取代它们的规则保留此豁免，请写 `override exemption {decl.id} …`，在 `to` 后写明这些规则；"
                    f"如确实不再需要，请写 `repeal {decl.id}`"))

    def _ground_for_no_target(self, decl: A.Exemption) -> None:
        """A `may decline` exemption naming a rule that concludes `eligible`: a ground to decline
        is one a person who must rotate may invoke (``semantics.may_decline``); whom an eligible
        rule reaches may apply or not as they wish, so the ground is never given (L314)."""
        def outcome(rule_id: str) -> str | None:
            rule = self.m.items.get(rule_id, (None,))[0]
            return CHINESE_STATUSES.get(rule.outcome, rule.outcome) if isinstance(rule, A.Rule) else None

        binding = [i for i, o in self.m.items.items() if isinstance(o[0], A.Rule) and outcome(i) == "must_rotate"]
        for t, at in zip(decl.targets, _target_spans(decl)):
            if outcome(t) != "eligible":
                continue
            self._warn(
                "L314", at,
                f"`{decl.id}` is a ground to decline (`may decline`), but `{t}` concludes `eligible`: whom it reaches "
                "may volunteer or not already, so the ground is given to no one",
                f"`{decl.id}` 是可不参加的理由（may decline），但 `{t}` 的结论是可交流：它涉及的人本可自愿报名或不报名，"
                "这一理由不会给任何人",
                help_en="a ground to decline is for a rule that concludes `must_rotate`" + (
                    f": name one in `to` ({', '.join(binding)})" if binding else ""),
                help_zh="可不参加的理由针对结论为须交流的规则" + (
                    f"：请在 `to` 后写明这样的规则（{'、'.join(binding)}）" if binding else ""))

    def exemption(self, decl: A.Exemption, origin: str, rule_ids: set[str]) -> P.Exemption:
        self._require_cite(decl, origin)
        targets = []
        for t, at in zip(decl.targets, _target_spans(decl)):
            if t == "*":  # `to all rules`: every rule, including those an extending file adds
                targets.extend(sorted(rule_ids))
            elif t in rule_ids:
                targets.append(t)
            elif t not in self.m.repealed:
                other = self.m.items.get(t)
                kind = other and (other[0].kind if isinstance(other[0], A.Consequence) else _KINDS.get(type(other[0])))
                if kind:  # a prerequisite, a penalty …: an exemption sets aside rules only
                    self.error("R108", at,
                               f"`{decl.id}` exempts from `{t}`, which is a {declaration_kind(kind, 'en')}, not a rule",
                               f"`{decl.id}` 豁免的 `{t}` 是{declaration_kind(kind, 'zh')}，不是规则",
                               help_en="an exemption sets aside rules only: name rules in `to`",
                               help_zh="豁免只能免除规则：`to` 后请只写规则编号")
                    continue
                if t in _ALL_RULES_WORDS:  # `to 全部规则`: the language's words for it
                    self.error("R108", at, f"`{decl.id}` exempts from `{t}`, which is not a rule",
                               f"`{decl.id}` 豁免的 `{t}` 不是规则", help_en="for every rule write `to all rules`",
                               help_zh="免除全部规则请写作 `to all rules`")
                    continue
                hint = self._hint(t, rule_ids)
                self.error("R108", at, f"`{decl.id}` exempts from `{t}`, which is not a rule",
                           f"`{decl.id}` 豁免的 `{t}` 不是规则",
                           **suggestion(hint))
        if not decl.targets:
            self._exemption_without_targets(decl)
        elif not targets and all(t in self.m.repealed for t in decl.targets):
            self._exemption_left_without_rules(decl)
        if decl.may_decline:
            self._ground_for_no_target(decl)
        when = self.condition(decl.when, "an exemption's `when`", "豁免的 `when` ")
        code = CHINESE_EXEMPTIONS.get(decl.code, decl.code)
        return P.Exemption(decl.id, decl.title, code, tuple(targets), self.cites(decl.cites), when,
                           origin, decl.span, all_rules="*" in decl.targets, may_decline=decl.may_decline)

    def prerequisite(self, decl: A.Prerequisite, origin: str) -> P.Prerequisite:
        self._require_cite(decl, origin)
        decl = attrs.evolve(decl, targets=tuple(_promotion_target(t) for t in decl.targets))
        self._promotion_targets(decl.targets, _target_spans(decl))
        if not decl.targets:
            self.error("T216", decl.span, f"prerequisite `{decl.id}` names no target (add `for senior`)",
                       f"前提条件 `{decl.id}` 没有指明晋升目标（请加 `for senior` 等）")
        if decl.requires is None:
            self.error("T216", decl.span, f"prerequisite `{decl.id}` has no `requires` condition",
                       f"前提条件 `{decl.id}` 缺少 `requires` 条件")
        return P.Prerequisite(decl.id, decl.title, tuple(decl.targets), self.cites(decl.cites),
                              self.condition(decl.applies, "`applies when`", "`applies when` "),
                              self.condition(decl.requires, "`requires`", "`requires` "), origin, decl.span)

    def consequence(self, decl: A.Consequence, origin: str, since: dt.date | None = None) -> P.Consequence:
        """``decl`` checked; its dated event counts from ``since``, by default the `effective`
        date of the file declaring it."""
        self._require_cite(decl, origin)
        after = None
        if decl.after is not None:
            after = self.bound(decl.after)
            if not isinstance(after.type, (T.DateType, T.ErrorType)):
                self.error("T201", decl.after.span, f"`after` needs a date, found a {after.type.describe()}",
                           f"`after` 后应为日期，实际为{after.type.describe('zh')}")
        effects = []
        for e in decl.effects:
            duration, parameter = None, None
            if isinstance(e.duration, A.Name):
                parameter = self._duration_parameter(e.duration)
                stated = self.parameters.get(parameter) if parameter else None
                amount = (Fraction(stated.value), stated.type.unit) if stated else None
            elif e.duration is not None:
                amount = (e.duration.value, e.duration.unit)
            if e.duration is not None and (parameter or not isinstance(e.duration, A.Name)):
                if amount is None:
                    pass  # (the parameter's own error)
                elif amount[1] not in P.DURATION_UNITS or amount[0].denominator != 1 or amount[0] < 0:
                    stated = self.parameters[parameter] if parameter else None
                    self.error("T202", e.span, (f"`{parameter}` is {value_text(stated.value, stated.type)}: "
                                                if stated else "") + "a duration is a whole number of years, months or days",
                               (f"`{parameter}` 为 {value_text(stated.value, stated.type, 'zh')}："
                                if stated else "") + "期限应为整数的年、月或天",
                               labels=[Label(self.parameters[parameter].span, f"`{parameter}` is stated here",
                                             f"`{parameter}` 在此声明")] if parameter else ())
                elif decl.after is None:
                    self.error("T217", e.span, "a duration needs the dated event it runs from (`after FIELD`)",
                               "有期限的效果需要起算日期（`after 字段`）")
                else:
                    duration = (int(amount[0]), amount[1])
            effects.append(P.Effect(e.name, e.label, duration, self._bars(decl, e),
                                    parameter=parameter if duration else None))
        if not effects:
            self.error("T216", decl.span, f"`{decl.id}` has no `effect`", f"`{decl.id}` 没有 `effect` 效果")
        when = self.condition(decl.when, "`when`", "`when` ")
        if since is None and after is not None and isinstance(after.type, T.DateType):
            self._own_effective(decl, origin)
        since = since or self.m.effective.get(origin)
        if after is not None and since is not None and isinstance(after.type, T.DateType):
            # not retroactive (立法法 art. 104): an event before the file declaring it took effect
            # (a refusal of 2005 under rules of 2006) triggers nothing; a condition every
            # evaluator, explanation and comparison then reads as any other
            in_force = ir.Apply(T.BOOL, ir.Op.GE, (after, ir.Const(T.DATE, since, span=decl.after.span)),
                                span=decl.after.span)
            when = in_force if when is None else ir.Apply(T.BOOL, ir.Op.AND, (in_force, when), span=when.span)
        guarded = since if after is not None and since is not None and isinstance(after.type, T.DateType) else None
        return P.Consequence(decl.kind, decl.id, decl.title, self.cites(decl.cites), after,
                             when, tuple(effects), origin, decl.span, since=guarded)

    def _own_effective(self, decl: A.Consequence, origin: str) -> None:
        """T228: a dated penalty or benefit declared by an extending file that states no
        `effective` date of its own: it would count the events from its base's date (a county's
        new penalty reaching refusals made years before the county wrote it)."""
        chain = [f for f in self.m.chain if f != PRELUDE_NAME]  # (the prelude comes first, declaring no date)
        if origin in self.m.effective_stated or origin not in chain or chain.index(origin) == 0:
            return
        base = next((f for f in reversed(chain[:chain.index(origin)]) if f in self.m.effective_stated), None)
        inherited = self.m.effective.get(origin)
        took_en = (f": it would count them from `{display_path(Path(base))}`'s {inherited}, the date that file took effect"
                   if base and inherited else "")
        took_zh = f"：将沿用 `{display_path(Path(base))}` 的生效日期 {inherited}" if base and inherited else ""
        self.error("T228", decl.after.span,
                   f"`{decl.id}` applies only to events on or after the date this file takes effect (not retroactive), "
                   f"and this file states no `effective` date{took_en}",
                   f"`{decl.id}` 只适用于本文件生效之日及以后发生的事件（不溯及既往），但本文件没有写明生效日期{took_zh}",
                   help_en="write `effective YYYY-MM-DD` under `policy` in this file: the date it takes effect",
                   help_zh="在本文件的 `policy` 下写明 `effective 年-月-日`（本文件的生效日期）")

    def _bars(self, decl: A.Consequence, effect: A.Effect) -> tuple[str, ...]:
        """The promotion targets an effect holds back (`bars promotion` alone: every one);
        only a penalty can."""
        if effect.bars is None:
            return ()
        if decl.kind != "penalty":
            self.error("T218", effect.span, "only a penalty's effect can bar promotion",
                       "只有惩处的效果才能限制晋升（`bars promotion`）")
            return ()
        if not effect.bars and _TITLES.search(words := f"{effect.label or ''} {decl.title}") and "校长" not in words:
            titles = ", ".join(t for t in S.PROMOTION_TARGETS if t != "principal")
            self.diagnostics.append(warning(  # 3年内不得晋升职称: becoming principal is no title
                "L316", effect.span, "`bars promotion` with no target bars appointment as principal too, where its "
                "words speak of titles only", "`bars promotion` 未列目标，也限制任校长，而其文字只说职称",
                help_en=f"to bar title promotion only, write `bars promotion {titles}`",
                help_zh=f"如只限制职称晋升，请写 `bars promotion {titles}`",
                fixes=[Fix("Bar title promotion only", "只限制职称晋升",
                           (Edit(effect.span, f"promotion {titles}", word="promotion"),))]))
        bars = tuple(_promotion_target(t) for t in effect.bars)
        self._promotion_targets(bars, (effect.span,) * len(bars))
        return tuple(t for t in bars if t in S.PROMOTION_TARGETS) or tuple(S.PROMOTION_TARGETS)

    def _promotion_targets(self, targets: tuple[str, ...], spans: tuple[Span, ...]) -> None:
        """T219 for each name among ``targets`` that is not a promotion target, with the nearest one."""
        for t, span in zip(targets, spans):
            if t not in S.PROMOTION_TARGETS:
                hint = self._hint(t, (*S.PROMOTION_TARGETS, *CHINESE_PROMOTION_TARGETS))
                self.error("T219", span, f"`{t}` is not a promotion target", f"`{t}` 不是晋升目标",
                           help_en=(f"did you mean `{hint}`? " if hint else "") + f"targets: {_targets_list('en')}",
                           help_zh=(f"是否应为 `{hint}`？" if hint else "") + f"可用目标：{_targets_list('zh')}")

    def _duration_parameter(self, name: A.Name) -> str | None:
        """The parameter an effect's duration names (`for refusal_years`), or None after an error."""
        word = name.dotted
        if len(name.parts) == 1 and word in self.m.parameters:
            self.used_parameters.add(word)
            return word if word in self.parameters else None  # (else its own error was reported)
        written = wording.worded(word) if len(name.parts) == 1 else None
        if written is not None or (len(name.parts) == 1 and arabic(word) is not None):  # `for 三年内`, `for 满3年`
            self._report(wording.period(word, written.quantity if written else arabic(word), name.span))
            return None
        hint = self._hint(word, self.m.parameters)
        self.error("R107", name.span, f"`{word}` is not a parameter: a duration is a number with its unit "
                   "(`3 years`) or a parameter in years, months or days",
                   f"`{word}` 不是参数：期限应为带单位的数（如 `3 年`），或以年、月、天计的参数",
                   **suggestion(hint))
        return None

    def quota(self, decl: A.Quota, origin: str) -> P.Quota:
        self._require_cite(decl, origin)
        per = decl.per or "school"
        if per not in P.QUOTA_GROUPS:
            self.error("T220", decl.per_span, f"quotas are per {', '.join(P.QUOTA_GROUPS)}, not `{per}`",
                       f"名额要求只能按 {'、'.join(P.QUOTA_GROUPS)} 计算，不能按 `{per}`")
        reqs = []
        for r in decl.requirements:
            count = self._selection(r.count)
            if isinstance(r.base, A.FieldBase):
                field = self.schools.field(r.base.field) if r.base.table in ("school", "学校") else None
                if field is None or not isinstance(field.type, T.NumberType):
                    self.error("T207", r.base.span, f"`{r.base.table}.{r.base.field}` is not a numeric school field",
                               f"`{r.base.table}.{r.base.field}` 不是学校的数值字段")
                    continue
                base = field.name
            else:
                base = self._selection(r.base)
            share = r.amount.value / 100 if r.amount.unit == "percent" else r.amount.value
            if r.amount.unit not in (None, "percent") or not 0 <= share <= 1:
                self.error("T202", r.amount.span, "a share is a percentage (10%) or a fraction (1/3) up to 1",
                           "比例应为百分数（如 10%）或不超过 1 的分数（如 1/3）")
            reqs.append(P.Requirement(count, share, base, r.rounding or "up"))
        if not decl.requirements:
            self.error("T216", decl.span, f"quota `{decl.id}` has no `require` clause",
                       f"名额要求 `{decl.id}` 缺少 `require` 条款")
        return P.Quota(decl.id, decl.title, self.cites(decl.cites), per, tuple(reqs), origin, decl.span,
                       self._quota_scope(decl))

    def _quota_scope(self, decl: A.Quota) -> ir.Node | None:
        """`at schools where (…)`: a condition on the school alone (it picks schools, not people)."""
        scope = self.condition(decl.scope, "`at schools where`", "`at schools where` ")
        if scope is None:
            return None
        todo, seen = [scope], set()
        while todo:
            for node in ir.walk(todo.pop()):
                if isinstance(node, ir.FieldRef) and node.table != "school":
                    self.error("T222", decl.scope.span, f"`at schools where` reads the school's fields only, not `{node.name}`",
                               f"`at schools where` 只能读取学校的字段，不能读取 `{node.name}`",
                               help_en="a condition on people belongs in `require … where (…)`",
                               help_zh="对人员的条件请写在 `require … where (…)` 中")
                    return None
                if isinstance(node, ir.DefRef) and node.name not in seen and node.name in self.definitions:
                    seen.add(node.name)
                    todo.append(self.definitions[node.name].expr)
        return scope

    def priority(self, decl: A.Priority, origin: str) -> P.Priority:
        self._require_cite(decl, origin)
        keys = []
        for key in decl.keys:
            node = self.bound(key.expr)
            t = node.type
            ordered = isinstance(t, (T.NumberType, T.DateType, T.BoolType)) or (
                isinstance(t, T.EnumType) and t.name in B.ORDERED_ENUMS)
            if not ordered and not isinstance(t, T.ErrorType):
                self.error("T206", key.span, f"cannot rank people by `{expr_text(node)}`: its values have no order",
                           f"不能按 `{expr_text(node, lang='zh')}` 排序：其取值没有大小顺序",
                           help_en="rank by a number, a date, a yes/no value or an ordered code (title, backbone, rating)",
                           help_zh="请按数值、日期、是/否或有顺序的代码（职称、骨干级别、考核等次）排序")
            keys.append(P.OrderKey(node, key.descending))
        return P.Priority(decl.id, decl.title, self.cites(decl.cites), tuple(keys), origin, decl.span)

    def _selection(self, sel: A.Selection) -> P.Selection:
        if sel.group not in P.QUOTA_SETS:
            hint = self._hint(sel.group, P.QUOTA_SETS)
            self.error("T221", sel.span, f"`{sel.group}` is not a group of people",
                       f"`{sel.group}` 不是人员范围",
                       help_en=f"did you mean `{hint}`? groups: {', '.join(P.QUOTA_SETS)}",
                       help_zh="可用范围：movers（交流人员）、targets（交流对象）、eligible（可交流）、teachers（全体教师）")
        return P.Selection(sel.group, self.condition(sel.where, "`where`", "`where` "))

    # ---- precedence -----------------------------------------------------------------
    def order_exemptions(self, exemptions: list[P.Exemption], rule_ids: set[str]) -> dict[str, tuple[P.Exemption, ...]]:
        known = {e.id for e in exemptions}
        above: dict[str, set[str]] = {e: set() for e in known}  # x -> ids that x takes precedence over
        spans: dict[tuple[str, str], Span] = {}
        mistyped: set[str] = set()  # the exemptions of a `precedence` line naming one that is none
        for prec in self.m.precedences:
            for i in prec.order:
                if i in self.m.repealed and i not in known and prec.span.source == self.m.entry:
                    self._precedence_of_repealed(prec, i)
            ids = [i for i in prec.order if i not in self.m.repealed or i in known]  # (declared anew: ordered)
            for i in ids:
                if i not in known:
                    hint = self._hint(i, known)
                    what = ("is a rule, not an exemption", "是规则，不是豁免条款") if i in rule_ids else \
                        ("names no exemption", "不是任何豁免条款的编号")
                    at = self._word_span(prec.span, i)
                    self.error("R108", at, f"`{i}` in `precedence` {what[0]}", f"`precedence` 中的 `{i}` {what[1]}",
                               **suggestion(hint), fixes=renamed(at, i, hint))
                    mistyped.update(prec.order, [hint] if hint else [])  # (as meant: its fix writes the hint)
            ids = [i for i in ids if i in known]
            for hi, lo in zip(ids, ids[1:]):
                above[hi].add(lo)
                spans[(hi, lo)] = prec.span
        groups: dict[str, list[P.Exemption]] = {}  # rule -> its exemptions, in declaration order
        for x in exemptions:
            for target in dict.fromkeys(x.targets):
                groups.setdefault(target, []).append(x)
        closure = {e: self._reach(e, above) for e in known}
        for e in sorted(known):
            if e in closure[e]:
                cycle = _cycle(e, above)
                edges = list(zip(cycle, cycle[1:]))
                shown = " > ".join(cycle)
                # the caret on the line that closes the circle, the other lines of it labelled
                self.error("T211", spans[edges[-1]], f"precedence between exemptions is circular: {shown}",
                           f"豁免之间的优先顺序形成循环：{shown}",
                           help_en="remove one of these `precedence` orders", help_zh="请删除其中一条 `precedence` 顺序",
                           labels=[Label(spans[x], f"`{x[0]} > {x[1]}` is stated here", f"此处规定 `{x[0]} > {x[1]}`")
                                   for x in dict.fromkeys(edges[:-1]) if spans[x] != spans[edges[-1]]])
                return {r: tuple(groups.get(r, ())) for r in rule_ids}
        ordered: dict[str, tuple[P.Exemption, ...]] = {}
        reported: set[frozenset] = set()
        rules_of: dict[tuple[str, ...], list[str]] = {}  # a group's ids -> the rules it exempts from
        for rule_id in sorted(rule_ids):
            group = groups.get(rule_id, [])
            rules_of.setdefault(tuple(x.id for x in group), []).append(rule_id)
            # more below it = higher precedence (a linear order of the declared one; ties: as declared)
            ordered[rule_id] = tuple(sorted(group, key=lambda x: -len(closure[x.id])))
        for ids, rules in rules_of.items():
            # (a pair of a `precedence` line with a wrong id: that line is its order, once mended; a second
            # line offered beside it would say the order twice)
            unordered = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
                         if b not in closure[a] and a not in closure[b] and frozenset((a, b)) not in reported
                         and not {a, b} & mistyped]
            if not unordered:
                continue
            reported.update(frozenset(pair) for pair in unordered)
            if self._errors >= limits.MAX_DIAGNOSTICS:  # not shown: only counted
                self._errors += 1
                self.unshown += 1
                continue
            self._ambiguous_precedence(ordered[rules[0]], rules, unordered)
        return ordered

    def _exemption_without_targets(self, decl: A.Exemption) -> None:
        """R108: an exemption with no `to`. An `override exemption` rewrites the base's whole: its
        `to` is not kept, and the drafter, who changed the `when`, is told the base's to write."""
        base, origin = self.m.replaced.get(("items", decl.id), ((None, None),))[-1]  # (the one it replaced)
        if not isinstance(base, A.Exemption) or not base.targets:
            self.error("R108", decl.span, f"exemption `{decl.id}` names no rule (add `to RULE`)",
                       f"豁免 `{decl.id}` 没有指明适用的规则（请加 `to 规则编号`）")
            return
        line = "to " + ("all rules" if "*" in base.targets else ", ".join(base.targets))
        span = decl.span
        source = self.m.texts.get(span.source)
        fixes = []
        if source is not None:  # the new line after the declaration's first
            end = len(source.line_text(span.line).rstrip()) + 1
            fixes = [Fix(f"Write `{line}`", f"加上 `{line}`",
                         (Edit(Span(span.source, span.line, end, span.line, end), f"\n  {line}"),))]
        where = display_path(Path(origin))
        self.error("R108", span, f"exemption `{decl.id}` names no rule: an override rewrites the whole exemption, "
                                 f"and `{where}`'s `{line}` is not kept",
                   f"豁免 `{decl.id}` 没有指明适用的规则：`override` 整条改写该豁免，`{where}` 中的 `{line}` 不会沿用",
                   help_en=f"write `{line}` as `{where}` does, or the rules it is now to exempt from",
                   help_zh=f"请照 `{where}` 写 `{line}`，或写明本文件要它豁免的规则", fixes=fixes)

    def _precedence_of_repealed(self, prec: A.Precedence, ident: str) -> None:
        """L321: a `precedence` line of this file naming an exemption this file (or another) repealed
        (`repeal FJ-X2 …` and then `precedence FJ-X2 > FJ-X1`): that part orders nothing, and a
        reader takes it that FJ-X2 still exempts. The fix drops it from the line."""
        repeal = self.m.repealed[ident].repeal
        where = f"{display_path(Path(repeal.span.source))}:{repeal.span.line}"
        at = self._word_span(prec.span, ident)
        source = self.m.texts.get(prec.span.source)
        line = source.line_text(prec.span.line) if source is not None else ""
        left = [i for i in prec.order if i != ident]
        fixes = []
        if len(left) >= 2:  # `A > X > B`: `A > B`; the id with the `>` beside it
            m = (re.search(rf"\s*>\s*{re.escape(ident)}(?![\w-])", line) if prec.order[0] != ident else
                 re.search(rf"(?<![\w-]){re.escape(ident)}\s*>\s*", line))
            if m is not None:
                cut = Span(prec.span.source, prec.span.line, m.start() + 1, prec.span.line, m.end() + 1)
                fixes = [Fix(f"Drop `{ident}` from the order", f"从优先顺序中删去 `{ident}`", (Edit(cut, ""),))]
        self.diagnostics.append(warning(
            "L321", at, f"`{ident}` is repealed ({where}): its place in this `precedence` orders nothing",
            f"`{ident}` 已被废止（{where}），这一行优先顺序中的 `{ident}` 不起作用",
            help_en=(f"delete `{ident}` here" if len(left) >= 2 else "delete this `precedence` line")
            + f"; if `{ident}` is still to exempt, delete its repeal instead",
            help_zh=(f"请在此删去 `{ident}`" if len(left) >= 2 else "请删去这一行 `precedence`")
            + f"；如 `{ident}` 仍应豁免，请删去对它的废止（repeal）",
            fixes=fixes))

    def _word_span(self, span: Span, word: str) -> Span:
        """The span of ``word`` on ``span``'s first line (an id of a `precedence` line), else ``span``."""
        source = self.m.texts.get(span.source)
        line = source.line_text(span.line) if source is not None else ""
        at = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", line)
        return Span(span.source, span.line, at.start() + 1, span.line, at.end() + 1) if at else span

    def _ambiguous_precedence(self, group: tuple[P.Exemption, ...], rules: list[str],
                              unordered: list[tuple[str, str]]) -> None:
        """One T210 for a group of exemptions with pairs in no order, and one `precedence` line
        that orders the whole group (the declared order kept, the rest as declared): adding one
        exemption to a chain needs one line, not one per pair."""
        by_id = {x.id: x for x in group}
        position = {x.id: i for i, x in enumerate(group)}
        count: dict[str, int] = {}
        for a, b in unordered:
            count[a], count[b] = count.get(a, 0) + 1, count.get(b, 0) + 1
        # reported at the exemption in most pairs (the new one, when one is added to a chain); of those, the
        # one in the file furthest down the chain (the county's, not the province's it extends: not by how
        # the files' paths sort), then the last declared
        chain = {source: k for k, source in enumerate(self.m.chain)}

        def blamed(i: str):
            span = by_id[i].span
            return count[i], span.source == self.m.entry, chain.get(span.source, -1), span.line, span.column

        culprit = by_id[max(count, key=blamed)]
        others = [i for i in sorted(count, key=position.get) if i != culprit.id]
        alone = all(culprit.id in pair for pair in unordered)
        line = "precedence " + " > ".join(x.id for x in group)
        shown_rules = ", ".join(f"`{r}`" for r in rules[:3]) + (" …" if len(rules) > 3 else "")
        shown_rules_zh = "、".join(f"`{r}`" for r in rules[:3]) + ("等" if len(rules) > 3 else "")
        listed = ", ".join(f"`{i}`" for i in others[:6]) + (" …" if len(others) > 6 else "")
        listed_zh = "、".join(f"`{i}`" for i in others[:6]) + ("等" if len(others) > 6 else "")
        if alone:
            en = (f"exemption `{culprit.id}` has no precedence with {listed}; "
                  f"{'both' if len(others) == 1 else 'all'} apply to {shown_rules}")
            zh = f"豁免 `{culprit.id}` 与 {listed_zh} 都适用于 {shown_rules_zh}，但未规定优先顺序"
        else:
            en = (f"{len(count)} exemptions that apply to {shown_rules} have no precedence between them "
                  f"({len(unordered)} pairs)")
            zh = f"适用于 {shown_rules_zh} 的 {len(count)} 条豁免之间未规定优先顺序（{len(unordered)} 对）"
        # the fix: the entry file's longest `precedence` line within this group, made whole; else a new line
        members = set(by_id)
        existing = [p for p in self.m.precedences
                    if p.span.source == self.m.entry and len(p.order) > 1 and set(p.order) <= members]
        fixes = []
        if existing:
            prec = max(existing, key=lambda p: len(p.order))
            old = "precedence " + " > ".join(prec.order)
            help_en = f"extend `{old}` to `{line}` (reorder it if the policy says otherwise)"
            help_zh = f"将 `{old}` 改为 `{line}`（如政策另有规定，请调整顺序）"
            fixes.append(Fix(f"Write `{line}`", f"改为 `{line}`", (Edit(prec.span, line),)))
        else:
            help_en = f"add one line that orders them, e.g. `{line}` (reorder it if the policy says otherwise)"
            help_zh = f"请加上一行规定其顺序，例如 `{line}`（如政策另有规定，请调整顺序）"
            last = max((x for x in group if x.span.source == self.m.entry), key=lambda x: x.span, default=None)
            if last is not None:
                end = Span(last.span.source, last.span.end_line, last.span.end_column,
                           last.span.end_line, last.span.end_column)
                fixes.append(Fix(f"Add `{line}`", f"加上 `{line}`", (Edit(end, "\n\n" + line),)))
        self.error("T210", culprit.span, en, zh, help_en=help_en, help_zh=help_zh, fixes=fixes,
                   labels=[Label(by_id[i].span, f"`{i}` applies to the same rule", f"`{i}` 适用于同一规则")
                           for i in others[:6]])

    @staticmethod
    def _reach(start: str, above: dict[str, set[str]]) -> set[str]:
        seen: set[str] = set()
        stack = list(above[start])
        while stack:
            x = stack.pop()
            if x not in seen:
                seen.add(x)
                stack.extend(above.get(x, ()))
        return seen

    # ---- samples and tests -------------------------------------------------------
    def record(self, ref: A.RecordRef | None, table: S.Table, span: Span) -> dict[str, object]:
        values: dict[str, object] = {}
        entries: list[A.Entry] = []
        if ref is not None and ref.sample is not None:
            sample = self.m.samples.get((table.name, ref.sample))
            if sample is None:
                named = [n for (t, n) in self.m.samples if t == table.name]
                hint = self._hint(ref.sample, lambda: named)
                kind_zh = '教师' if table.name == 'teacher' else '学校'
                if hint is None and named:  # (女老师 is near none of 男教师、教师、校长: name them all, a few at most)
                    listed = named[:12]
                    said = {"help_en": f"the {table.name} samples: {', '.join(listed)}" + (", …" if len(named) > 12 else ""),
                            "help_zh": f"可用的{kind_zh}样例：{'、'.join(listed)}" + ("等" if len(named) > 12 else "")}
                else:
                    said = suggestion(hint) if named else {
                        "help_en": f"declare one: `sample {table.name} NAME {{ … }}`",
                        "help_zh": f"请先声明：`sample {table.name} 名称 {{ … }}`"}
                self.error("R111", ref.span, f"no {table.name} sample named `{ref.sample}`",
                           f"没有名为 `{ref.sample}` 的{kind_zh}样例", **said)
            else:
                self._quiet = True
                values.update(self.record(A.RecordRef(None, sample.entries, span=sample.span), table, span))
                self._quiet = False
        if ref is not None:
            entries += ref.entries
        for entry in entries:
            field = table.field(entry.key)
            if field is None:
                counted = self._counted_from(entry.key, table)
                if counted is not None:  # 教龄, 本校任教年限: the date they are counted from is the column
                    header = self.m.header
                    said = _counted_said(entry.key, counted, entry.value,
                                         header.as_of if header is not None and header.as_of else None)
                    self._hinted = None
                else:
                    said = suggestion(self._field_hint(entry.key, table))
                    if said["help_zh"] is None:  # a county's own column: declared as its value is written
                        kind = _LITERAL_TYPES.get(type(entry.value))
                        declare = f"field {table.name}.{entry.key}: {kind or 'TYPE'}"
                        said = {"help_en": f"a column of your roster? declare it first: `{declare}`",
                                "help_zh": f"是名册的新列吗？请先声明：`{declare if kind else declare.replace('TYPE', '类型')}`"}
                self.error("T207", entry.span, f"`{table.name}` records have no field `{entry.key}`",
                           f"{'教师' if table.name == 'teacher' else '学校'}记录没有字段 `{entry.key}`", **said)
                continue
            value, type_ = self.value_of(entry.value, field.type, entry.span, f"field `{field.name}`",
                                         f"字段 `{field.name}`")
            if not isinstance(type_, T.ErrorType):
                values[field.name] = value
        return values

    def check_samples(self) -> None:
        for (table_name, _), sample in self.m.samples.items():
            table = self.teachers if table_name == "teacher" else self.schools
            self.record(A.RecordRef(None, sample.entries, span=sample.span), table, sample.span)

    def test(self, decl: A.Test, policy_ids: dict[str, str], exemption_codes: set[str]) -> P.Test:
        params = {}
        for s in decl.sets:
            param = self.parameters.get(s.name)
            if param is None:
                hint = self._hint(s.name, self.parameters)
                self.error("R107", s.span, f"unknown parameter `{s.name}`", f"未知参数 `{s.name}`",
                           **suggestion(hint))
                continue
            value, type_ = self.value_of(s.value, param.type, s.span, f"parameter `{s.name}`", f"参数 `{s.name}`")
            if s.name in self.durations and value is not None and Fraction(value).denominator != 1:
                # as `--set` and `override parameter` are held: a period runs whole months, years or days
                self.error("T202", s.span, f"parameter `{s.name}` is a duration: a whole number, not "
                                           f"{value_text(value, param.type)}",
                           f"参数 `{s.name}` 是期限，应为整数，不能取 {value_text(value, param.type, 'zh')}")
                continue
            if not isinstance(type_, T.ErrorType):
                params[s.name] = value
        if decl.as_of is not None and (outside := P.outside_reference_dates(decl.as_of)) is not None:
            self.error("T214", decl.span, *outside)
        teacher = self.record(decl.teacher, self.teachers, decl.span)
        school = self.record(decl.school, self.schools, decl.span)
        expectations = tuple(self._fields_named(_in_codes(e)) for e in decl.expectations)
        for e in expectations:
            self._expectation(e, policy_ids, exemption_codes)
        people = tuple((name, self.record(t, self.teachers, decl.span),
                        school if s is None else self.record(s, self.schools, decl.span))
                       for name, t, s in decl.people)
        self._quota_expectations(decl, expectations, policy_ids, [n for n, _, _ in decl.people])
        if not decl.expectations:
            self._warn("L318", decl.span, f"test \"{decl.title}\" has no `expect`: it asserts nothing, and would pass "
                                          "whatever the policy decides",
                       f"测试“{decl.title}”没有写 expect：它不检验任何结论，政策怎样决定都会通过",
                       help_en="add what the clause says the decision is, e.g. `expect status must_rotate`",
                       help_zh="请写明按条文应得的结论，例如 `expect status 须交流`")
        return P.Test(decl.title, decl.as_of, params, teacher, school, expectations, decl.span, people)

    def _repealed_said(self, ident: str, at: Span) -> tuple[str, str]:
        """A repealed clause an expectation names, as said: by this file (the test's) or which, and why."""
        repeal = self.m.repealed[ident].repeal
        why = repeal.reason
        if repeal.span.source == at.source:
            return (f"`{ident}` is repealed by this file" + (f" ({why})" if why else ""),
                    f"`{ident}` 已被本文件废止" + (f"（{why}）" if why else ""))
        where = repeal.span.source  # as R105 and R106 name the file that repealed it
        return (f"`{ident}` is repealed, in `{where}`" + (f" ({why})" if why else ""),
                f"`{ident}` 已在 `{where}` 中废止" + (f"（{why}）" if why else ""))

    def _quota_expectations(self, decl: A.Test, expectations, ids: dict[str, str], people: list[str]) -> None:
        """`expect quota Q requires N` names a quota; `expect selection` names the test's people."""
        known = {"test", *people}
        for e in expectations:
            if e.kind == "quota" and ids.get(e.args[0]) != "quota":
                self.error("T209", e.span, f"`{e.args[0]}` is not a quota of this policy",
                           f"`{e.args[0]}` 不是本政策的名额要求", **suggestion(self._hint(
                               e.args[0], [i for i, k in ids.items() if k == "quota"])))
            elif e.kind == "selection":
                for ident in e.args[1:]:
                    if ident not in known:
                        self.error("T209", e.span, f"`{ident}` is not a person of this test",
                                   f"`{ident}` 不是本测试中的人员",
                                   help_en=f"its people: {', '.join(sorted(known))}",
                                   help_zh=f"本测试的人员：{'、'.join(sorted(known))}")

    def _fields_named(self, e: A.Expectation) -> A.Expectation:
        """`expect uncertain 任现职时间, 学校.区域`: each field as a decision's ``uncertain`` names it
        (post_start, school.area); a name no field has is T209."""
        if e.kind != "uncertain":
            return e
        named = []
        for written in e.args:
            table_name, _, name = written.rpartition(".")
            table = {"": self.teachers, "school": self.schools, "学校": self.schools}.get(table_name)
            field = table.field(name) if table is not None else None
            if field is None:
                pool = [*(f.name for f in self.teachers.fields), *(f.zh for f in self.teachers.fields),
                        *(f"school.{f.name}" for f in self.schools.fields), *(f"学校.{f.zh}" for f in self.schools.fields)]
                self.error("T209", e.span, f"`{written}` is not a field (a school's is written `school.area`)",
                           f"`{written}` 不是名册的列（学校的列写作 `学校.区域`）", **suggestion(self._hint(written, pool)))
                continue
            named.append(f"school.{field.name}" if table is self.schools else field.name)
        return attrs.evolve(e, args=tuple(named))

    def _expectation(self, e: A.Expectation, ids: dict[str, str], codes: set[str]) -> None:
        def bad(en, zh, pool=(), listing=None):
            """T209, with the near name if there is one, else what may be written (``listing``)."""
            hint = self._hint(str(e.args[0]), pool) if pool else None
            self.error("T209", e.span, en, zh, **_with_listing(suggestion(hint), listing, hint))

        arg = e.args[0] if e.args else None
        if e.kind == "status" and arg not in P.STATUSES:
            said = "、".join(CHINESE_STATUSES)
            bad(f"`{arg}` is not a status: write one of {', '.join(P.STATUSES)}",
                f"`{arg}` 不是有效的结论；可写：{said}", (*P.STATUSES, *CHINESE_STATUSES))
        elif e.kind == "rule" and arg in self.m.repealed:  # not a slip of the name: say so, not a near one
            en, zh = self._repealed_said(arg, e.span)
            self.error("T209", e.span, en, zh, help_en="expect the rule that decides instead", help_zh="请写改由哪条规则决定")
        elif e.kind == "rule" and ids.get(arg) != "rule":
            rules = [i for i, k in ids.items() if k == "rule"]
            hint = self._hint(str(arg), rules)
            listed = (", ".join(rules[:12]) + (" …" if len(rules) > 12 else ""),
                      "、".join(rules[:12]) + (" 等" if len(rules) > 12 else ""))
            self.error("T209", e.span, f"`{arg}` is not a rule of this policy", f"`{arg}` 不是本政策的规则",
                       help_en=(f"did you mean `{hint}`? " if hint else "") + f"its rules: {listed[0]}",
                       help_zh=(f"是否应为 `{hint}`？" if hint else "") + f"本政策的规则：{listed[1]}")
        elif e.kind == "may_decline" and (unknown := [a for a in e.args if a not in codes]):
            self._expectation(attrs.evolve(e, kind="exemption", args=(unknown[0],)), ids, codes)
        elif e.kind == "exemption" and arg not in codes:
            labels = {c: exemption_label(c, "zh") for c in sorted(codes)}
            hint = self._hint(str(arg), [*codes, *labels.values()])
            named_zh = exemption_label(str(arg), "zh")  # as the test wrote it (重病), its code after
            self.error("T209", e.span, f"no exemption of this policy is reported as `{arg}`",
                       f"本政策没有名为“{named_zh}”（{arg}）的豁免类别" if named_zh != arg else
                       f"本政策没有名为 `{arg}` 的豁免类别",
                       help_en=(f"did you mean `{hint}`? " if hint else "")
                       + (f"its categories: {', '.join(sorted(codes))}" if codes else "the policy has no exemption"),
                       help_zh=(f"是否应为“{hint}”？" if hint else "")
                       + ("本政策的豁免类别：" + "、".join(f"{z}（{c}）" if z != c else c for c, z in labels.items())
                          if codes else "本政策没有豁免条款"))
        elif e.kind == "direction" and arg not in P.DIRECTIONS:  # (片区内 for 片区内交流: as a rule's `direction` is told)
            bad(f"`{arg}` is not a direction", f"`{arg}` 不是有效的交流方向", (*P.DIRECTIONS, *CHINESE_DIRECTIONS),
                _DIRECTIONS_LISTED)
        elif e.kind.startswith("promotion") and arg not in S.PROMOTION_TARGETS:
            bad(f"`{arg}` is not a promotion target: write one of {_targets_list('en')}",
                f"`{arg}` 不是晋升目标；可写：{_targets_list('zh')}", (*S.PROMOTION_TARGETS, *CHINESE_PROMOTION_TARGETS))
        elif e.kind == "promotion_unmet":
            for rid in e.args[1:]:
                if ids.get(rid) not in ("prerequisite", "penalty") and rid in self.m.repealed:
                    en, zh = self._repealed_said(rid, e.span)  # not a slip of the name: said so
                    self.error("T209", e.span, en, zh, help_en=f"leave `{rid}` out of the unmet list",
                               help_zh=f"请从未满足的条款中删去 `{rid}`")
                elif ids.get(rid) not in ("prerequisite", "penalty"):  # a penalty may bar promotion
                    self.error("T209", e.span, f"`{rid}` is not a prerequisite or penalty of this policy",
                               f"`{rid}` 不是本政策的晋升前提条件或惩处条款")
        elif e.kind in ("penalty", "benefit", "no_penalty", "no_benefit") and arg is not None:
            kind = e.kind.removeprefix("no_")
            if ids.get(arg) != kind:
                kind_zh = "惩处" if kind == "penalty" else "激励"
                declared = [i for i, k in ids.items() if k == kind]
                listing = ((f"its {kind}s: {', '.join(declared)}", f"本政策的{kind_zh}条款：{'、'.join(declared)}") if declared
                           else (f"the policy has no {kind}", f"本政策没有{kind_zh}条款"))
                bad(f"`{arg}` is not a {kind} of this policy", f"`{arg}` 不是本政策的{kind_zh}条款", declared, listing)
            elif len(e.args) > 2 and e.args[2] is not None and e.args[2] not in self.effect_names.get(arg, ()):
                names = sorted(self.effect_names.get(arg, ()))
                hint = self._hint(e.args[2], names)
                self.error("T209", e.span, f"`{arg}` has no effect `{e.args[2]}`", f"`{arg}` 没有效果 `{e.args[2]}`",
                           help_en=f"did you mean `{hint}`?" if hint else f"its effects: {', '.join(names)}",
                           help_zh=f"是否应为 `{hint}`？" if hint else f"其效果：{'、'.join(names)}")


# what a direction may be, said where one is unknown (a rule's `direction`, a test's `expect direction`)
_DIRECTIONS_LISTED = ("directions: " + ", ".join(P.DIRECTIONS),
                      "可用方向：" + "、".join(f"{d}（{direction_label(d, 'zh')}）" for d in P.DIRECTIONS))


def _with_listing(said: dict[str, str | None], listing: tuple[str, str] | None, hint: str | None) -> dict[str, str | None]:
    """The help of an unknown name: the near one if there is one (``said``), else ``listing``."""
    if hint is not None or listing is None:
        return said
    return {"help_en": listing[0], "help_zh": listing[1]}


# the type a test record's value is written as, for the `field` that would declare its column
_LITERAL_TYPES = {A.DateLit: "date", A.BoolLit: "bool", A.StringLit: "text"}


def _in_codes(e: A.Expectation) -> A.Expectation:
    """An expectation with a status, direction, exemption or promotion target written in Chinese
    (`须交流`, `高级教师`) as its code."""
    if e.kind == "may_decline":  # each a category: 孕期, 重病
        return attrs.evolve(e, args=tuple(CHINESE_EXEMPTIONS.get(a, a) for a in e.args))
    table = {"status": CHINESE_STATUSES, "direction": CHINESE_DIRECTIONS, "exemption": CHINESE_EXEMPTIONS,
             "promotion_ok": CHINESE_PROMOTION_TARGETS, "promotion_unmet": CHINESE_PROMOTION_TARGETS}.get(e.kind)
    if table and e.args and e.args[0] in table:
        return attrs.evolve(e, args=(table[e.args[0]], *e.args[1:]))
    return e


# ---- lints -------------------------------------------------------------------------


def _constraint(node: ir.Node, params: dict[str, object]):
    """(key, op, value, order) for `X op constant`, or None."""
    if not (isinstance(node, ir.Apply) and node.op in ("eq", "lt", "le", "gt", "ge") and len(node.args) == 2):
        return None
    left, right = node.args

    def const(n):
        if isinstance(n, ir.Const):
            return True, n.value
        if isinstance(n, ir.ParamRef) and n.name in params:
            return True, params[n.name]
        return False, None

    def key(n):
        if isinstance(n, ir.FieldRef):
            return f"{n.table}.{n.name}"
        if isinstance(n, ir.DefRef):
            return n.name
        return None

    flip = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq"}
    op = node.op
    ok, value = const(right)
    k = key(left)
    if not ok or k is None:
        ok, value = const(left)
        k = key(right)
        op = flip[op]
        if not ok or k is None:
            return None
    t = left.type
    if isinstance(t, T.EnumType) and t.name in B.ORDERED_ENUMS and value in B.ORDERED_ENUMS[t.name]:
        value = B.ORDERED_ENUMS[t.name].index(value)
    elif isinstance(t, T.EnumType) and op != "eq":
        return None
    return k, op, value


def never_fires(cond: ir.Node | None, params: dict[str, object]) -> str | None:
    """A reason the condition is always false (contradictory bounds), or None: the value two
    conditions ask different things of; `=` before it when they are two `=` (区域 = 城区 and
    区域 = 农村), which no direction of comparison explains."""
    if cond is None:
        return None
    parts = cond.args if isinstance(cond, ir.Apply) and cond.op == "and" else (cond,)
    if any(isinstance(p, ir.Const) and p.value is False for p in parts):
        return "false"
    bounds: dict[str, list] = {}
    for p in parts:
        c = _constraint(p, params)
        if c is None:
            continue
        k, op, v = c
        lo, lo_strict, hi, hi_strict, eq = bounds.get(k, [None, False, None, False, None])
        try:
            if op == "eq":
                if eq is not None and eq != v:
                    return "=" + k
                eq = v
            if op in ("ge", "gt", "eq") and (lo is None or v > lo or (v == lo and op == "gt")):
                lo, lo_strict = v, op == "gt"
            if op in ("le", "lt", "eq") and (hi is None or v < hi or (v == hi and op == "lt")):
                hi, hi_strict = v, op == "lt"
            if lo is not None and hi is not None and (lo > hi or (lo == hi and (lo_strict or hi_strict))):
                return k
        except TypeError:
            continue
        bounds[k] = [lo, lo_strict, hi, hi_strict, eq]
    return None


def check(merged: Merged) -> tuple[P.CheckedPolicy | None, list[Diagnostic]]:
    """Check merged declarations; return the policy (None if there are errors) and all diagnostics."""
    c = Checker(merged)
    c.check_parameters()
    for name in merged.defines:
        c.bind_definition(name)
    rule_ids = {i for i, (d, _) in merged.items.items() if isinstance(d, A.Rule)}
    rules, exemptions, prereqs, conseqs, quotas, provisions, priorities = [], [], [], [], [], [], []
    kinds: dict[str, str] = {}
    for ident, (decl, origin) in merged.items.items():
        if isinstance(decl, A.Rule):
            rules.append(c.rule(decl, origin)); kinds[ident] = "rule"
        elif isinstance(decl, A.Exemption):
            exemptions.append(c.exemption(decl, origin, rule_ids)); kinds[ident] = "exemption"
        elif isinstance(decl, A.Prerequisite):
            prereqs.append(c.prerequisite(decl, origin)); kinds[ident] = "prerequisite"
        elif isinstance(decl, A.Consequence):
            conseqs.append(c.consequence(decl, origin)); kinds[ident] = decl.kind
        elif isinstance(decl, A.Quota):
            quotas.append(c.quota(decl, origin)); kinds[ident] = "quota"
        elif isinstance(decl, A.Priority):
            priorities.append(c.priority(decl, origin)); kinds[ident] = "priority"
        elif isinstance(decl, A.Provision):
            c._require_cite(decl, origin)
            provisions.append(P.Provision(decl.id, decl.title, c.cites(decl.cites), decl.notes, origin, decl.span))
            kinds[ident] = "provision"
    conseqs = earlier_versions(c, merged, conseqs)
    ordered = c.order_exemptions(exemptions, rule_ids)
    c.check_samples()
    codes = {e.code for e in exemptions}
    c.effect_names = {}  # for `expect penalty P effect E`: of every version of P
    for x in conseqs:
        c.effect_names.setdefault(x.id, set()).update(e.name for e in x.effects)
    c.durations = {e.parameter for x in conseqs for e in x.effects if e.parameter}  # a test's `set` of one: whole
    wholes = _whole_parameters(c.definitions, rules, exemptions, prereqs, conseqs, quotas, priorities)
    ages = _age_parameters(c.definitions, rules, exemptions, prereqs, conseqs, quotas, priorities)
    for name in sorted(wholes):  # `parameter teacher_tenure = 5.5 years`, compared with completed years
        param = c.parameters.get(name)  # (none for a parameter whose declaration is an error already)
        if param is not None and isinstance(param.value, (int, float, Fraction)) and not isinstance(param.value, bool) \
                and Fraction(param.value).denominator != 1:
            c._warn("L313", param.span, f"parameter `{name}` is compared with a whole count (completed years, "
                                        f"schools): {value_text(param.value, param.type)} acts as a whole number next "
                                        f"to it: {value_text(int(param.value) + 1, param.type)} where it is a lower bound "
                                        f"(at least, more than), {value_text(int(param.value), param.type)} where an upper "
                                        f"one (at most, less than)",
                    f"参数 `{name}` 与整数（已满的年、月、天数，学校数等）比较，"
                    f"取 {value_text(param.value, param.type, 'zh')} 实际等于取与它相邻的整数：在“满、以上、超过”的比较中"
                    f"为 {value_text(int(param.value) + 1, param.type, 'zh')}，在“以下、不满”的比较中为 "
                    f"{value_text(int(param.value), param.type, 'zh')}",
                    help_en="to count in months, state it in months and compare it with `months_since(…)`",
                    help_zh="如需按月计，请以月为单位声明，并与 `months_since(…)` 比较")
    tests = [c.test(t, kinds, codes) for t in merged.tests]
    repealed = _repealed(c, merged)  # (before `_lint`: a source a repeal cites is cited)
    _lint(c, merged, rules, exemptions, prereqs)
    _lint_dates(c, merged)
    _lint_described_values(c, merged, ages)
    _lint_teacher_exemptions(c, merged, rules, exemptions)
    _what_it_declares(c, merged, rules)
    _lint_hidden_names(c, merged)
    diagnostics = limits.capped(merged.diagnostics + c.diagnostics, unshown=c.unshown)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    header = merged.header or A.Header(merged.entry)
    c.parameters = {n: attrs.evolve(p, age=n in ages or p.age, whole=n in wholes) for n, p in c.parameters.items()}
    policy = P.CheckedPolicy(
        title=header.title, jurisdiction=header.jurisdiction, effective=header.effective,
        as_of=header.as_of, path=merged.entry, chain=tuple(merged.chain), sources=dict(merged.sources),
        teachers=c.teachers, schools=c.schools, parameters=c.parameters, definitions=c.definitions,
        rules=tuple(rules), exemptions=ordered, prerequisites=tuple(prereqs), consequences=tuple(conseqs),
        quotas=tuple(quotas), provisions=tuple(provisions), priorities=tuple(priorities), tests=tuple(tests),
        diagnostics=tuple(diagnostics), texts=dict(merged.texts), repealed=repealed,
        overridden=_overridden(c, merged))
    return policy, diagnostics


def _overridden(c: Checker, merged: Merged) -> tuple[P.Overridden, ...]:
    """The bases' clauses an `override` rewrote (not parameters or definitions: those are values
    and names, which doc lists with the file that set them), with the override's citations: each
    version rewritten, the province's as well as a city's rewrite of it that the county rewrote again,
    whose paragraphs each encoded it."""
    out = []
    for (table, ident), versions in merged.replaced.items():
        if table != "items" or ident not in merged.items:
            continue
        now, by = merged.items[ident]
        by_cites = tuple(P.Citation.of(x, src) for x in getattr(now, "cites", ())
                         if (src := merged.sources.get(x.source)) is not None)
        for base, origin in versions:
            kind = base.kind if isinstance(base, A.Consequence) else type(base).__name__.lower()
            cites = tuple(P.Citation.of(x, src) for x in base.cites if (src := merged.sources.get(x.source)) is not None)
            out.append(P.Overridden(ident, kind, base.title, cites, origin, by, by_cites))
    return tuple(out)


def earlier_versions(c: Checker, merged: Merged, conseqs: list[P.Consequence]) -> list[P.Consequence]:
    """A file that takes effect later than the policy it extends judges by that earlier policy
    the events before its `effective` date (立法法 art. 104: the rule in force when the event
    happened): a penalty or benefit it changes (overrides, or reads a parameter or definition it
    overrides) counts from its date, and the earlier version, read as the earlier policy read
    it, is kept for the events before, under the same id. One it repeals is gone for every event
    (从轻: conduct no longer sanctioned). Earlier versions of the earlier policy carry over."""
    if merged.earlier is None or not any(isinstance(d, A.Consequence) and d.after is not None
                                         for d, _ in merged.earlier[0].items.values()):
        return conseqs  # nothing earlier follows a dated event
    snapshot, boundary = merged.earlier
    earlier_file = display_path(Path(snapshot.entry)) if not snapshot.entry.startswith("<") else snapshot.entry
    base, said = check(snapshot)
    if base is None:  # (a declaration this file overrides, say): its events before the date cannot be judged
        first = next(d for d in said if d.is_error)
        c.error("T227", merged.header.span if merged.header else NO_SPAN,
                f"`{earlier_file}`, the policy in force before this file's `effective` date ({boundary}), has "
                f"errors of its own ({first.code}: {first.en}): the penalties and benefits of events before that "
                "date cannot be judged by it",
                f"本文件生效日期（{boundary}）前适用的政策 `{earlier_file}` 本身有错误（{first.code}：{first.zh}），"
                "无法按它判断该日期前发生的事件的奖惩",
                help_en=f"run `policylang check {earlier_file}` and fix it there",
                help_zh=f"请运行 `policylang check {earlier_file}` 并在该文件中改正")
        return conseqs
    now = {x.id: i for i, x in enumerate(conseqs)}
    out = list(conseqs)
    for old in base.consequences:
        if old.after is None or not isinstance(old.after.type, T.DateType) or old.id not in now:
            continue  # no dated event; or repealed (or never declared anew)
        read = _as_read_now(old, base, c)
        if old.version:  # the earlier policy's own earlier version: its window closed already
            out.append(read)
            continue
        current = out[now[old.id]]
        if read == current:
            continue  # means the same: one version, counting from the earlier date
        if read.after != current.after:  # two events under one id: both versions could hold at once
            decl = merged.items[old.id][0]
            c.error("T226", decl.after.span if decl.after is not None else decl.span,
                    f"`{old.id}` follows `{expr_text(current.after)}` here but `{expr_text(read.after)}` in "
                    f"`{earlier_file}`, which judges the events before this file's `effective` date ({boundary})",
                    f"`{old.id}` 在本文件中由 `{expr_text(current.after, lang='zh')}` 触发，而在 `{earlier_file}` 中由 "
                    f"`{expr_text(read.after, lang='zh')}` 触发；本文件生效日期（{boundary}）前的事件仍按后者判断",
                    help_en=f"keep `after {expr_text(read.after)}`, or declare a penalty of its own (a new id) for the "
                            f"other event, and `repeal {old.id}` if it no longer applies",
                    help_zh=f"请保留 `after {expr_text(read.after, lang='zh')}`，或为另一事件另行声明（使用新编号），"
                            f"原条款不再适用的用 `repeal {old.id}` 废止")
            continue
        if (c.m.effective.get(current.origin) or boundary) < boundary:  # inherited, read otherwise now
            said = len(c.diagnostics)
            out[now[old.id]] = c.consequence(merged.items[old.id][0], current.origin, since=boundary)
            del c.diagnostics[said:]  # said once already
        before = ir.Apply(T.BOOL, ir.Op.LT, (read.after, ir.Const(T.DATE, boundary, span=read.after.span)),
                          span=read.after.span)
        when = before if read.when is None else ir.Apply(T.BOOL, ir.Op.AND, (read.when, before), span=read.when.span)
        out.append(attrs.evolve(read, when=when, version=earlier_file,
                                effects=_worded_as_now(c, read, out[now[old.id]], merged.items[old.id][0], earlier_file)))
    return out


def _worded_as_now(c: Checker, earlier: P.Consequence, now: P.Consequence, decl: A.Consequence,
                   earlier_file: str) -> tuple[P.Effect, ...]:
    """``earlier``'s effects, each worded as ``now`` words the effect of its name: a decision
    names an effect by its id and name alone (`P-1:no_awards`), so one wording is shown for both
    versions, alike in every output and evaluator. L311 when the wordings differ (a duration in
    the label, 五年内不得评优, would misstate the earlier version's three years)."""
    labels = {e.name: e.label for e in now.effects}
    out = []
    for effect in earlier.effects:
        if effect.name in labels and labels[effect.name] != effect.label:
            c.diagnostics.append(warning(
                "L311", decl.span, f"`{now.id}`'s effect `{effect.name}` is worded “{labels[effect.name]}” here and "
                f"“{effect.label}” in `{earlier_file}`, whose version judges earlier events: the decisions give this "
                "file's wording for both", f"`{now.id}` 的效果 `{effect.name}` 在本文件中写作“{labels[effect.name]}”，"
                f"在 `{earlier_file}`（判断此前事件的版本）中写作“{effect.label}”：决定中两者都显示本文件的写法",
                help_en="word the effect so that it fits both (leave the duration to `for`), or give it another name",
                help_zh="请使说明对两个版本都成立（期限交给 `for`，不写进说明），或给效果另起名称"))
            effect = attrs.evolve(effect, label=labels[effect.name])
        out.append(effect)
    return tuple(out)


def _as_read_now(item: P.Consequence, base: P.CheckedPolicy, c: Checker) -> P.Consequence:
    """``item`` of ``base``, meaning in this policy what it meant in ``base``: a parameter whose
    value differs here is its value in ``base``, a definition that reads otherwise here is
    written out as ``base`` had it."""
    def node(n: ir.Node) -> ir.Node:
        if isinstance(n, ir.ParamRef):
            then, here = base.parameters[n.name], c.parameters.get(n.name)
            same = here is not None and (here.type, here.value) == (then.type, then.value)
            return n if same else ir.Const(n.type, then.value, span=n.span)
        if isinstance(n, ir.DefRef) and n.name in base.definitions:
            then = node(base.definitions[n.name].expr)
            here = c.definitions.get(n.name)
            return n if here is not None and here.expr == then else then
        if isinstance(n, ir.Apply):
            args = tuple(node(a) for a in n.args)
            return n if args == n.args else attrs.evolve(n, args=args)
        return n

    def effect(e: P.Effect) -> P.Effect:
        if e.parameter is None:
            return e
        then, here = base.parameters[e.parameter], c.parameters.get(e.parameter)
        same = here is not None and (here.type, here.value) == (then.type, then.value)
        return e if same else attrs.evolve(e, parameter=None)  # its duration: the value then

    return attrs.evolve(item, after=item.after and node(item.after), when=item.when and node(item.when),
                        effects=tuple(effect(e) for e in item.effects))


_COMPARISONS = frozenset({ir.Op.EQ, ir.Op.NE, ir.Op.LT, ir.Op.LE, ir.Op.GT, ir.Op.GE})


def _age_parameters(definitions, *groups) -> frozenset[str]:
    """The parameters a person's age is compared with, directly or through definitions and
    if/else (`age at most age_cap`, `age_cap = if sex = F then age_cap_female else …`): numbers
    of years an official reads in 周岁."""
    return frozenset(p for other in _compared_with(is_age, definitions, groups)
                     for p in _parameters_in(other, definitions, set()))


def _whole_parameters(definitions, *groups) -> frozenset[str]:
    """The parameters compared with a count of completed years, months or days, directly or
    through definitions and if/else (`tenure at least teacher_tenure`), or giving a
    `within_last` window: a value of them that is no whole number would not mean what it says."""
    windows = (n.args[1] for root in _declared(definitions, groups) for n in ir.walk(root)
               if isinstance(n, ir.Apply) and n.op == ir.Op.WITHIN_LAST)
    counted = _compared_with(lambda n: _counted(n, definitions) is not None, definitions, groups)
    return frozenset(p for other in (*counted, *windows) for p in _parameters_in(other, definitions, set()))


def _declared(definitions, groups):
    """Every expression of the definitions and of the declarations in ``groups``."""
    yield from (d.expr for d in definitions.values())
    for group in groups:
        yield from _roots(list(group))


def _compared_with(measured, definitions, groups):
    """What each value ``measured`` picks out is compared with, anywhere in the policy."""
    for root in _declared(definitions, groups):
        for n in ir.walk(root):
            if isinstance(n, ir.Apply) and n.op in _COMPARISONS and len(n.args) == 2:
                for one, other in ((n.args[0], n.args[1]), (n.args[1], n.args[0])):
                    if measured(one):
                        yield other


def _parameters_in(node: ir.Node, definitions, seen: set[str]) -> set[str]:
    """The parameters a value is made of, through the definitions it names (not through a count)."""
    found = set()
    for n in ir.walk(node):
        if isinstance(n, ir.ParamRef):
            found.add(n.name)
        elif isinstance(n, ir.DefRef) and n.name in definitions and n.name not in seen \
                and _counted(n, definitions) is None and not is_age(n):
            seen.add(n.name)
            found |= _parameters_in(definitions[n.name].expr, definitions, seen)
    return found


def _roots(obj):
    """The expressions of a declaration, however deep (a quota's requirements' selections)."""
    if isinstance(obj, ir.Node):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            yield from _roots(x)
    elif attrs.has(type(obj)):
        for value in attrs.asdict(obj, recurse=False).values():
            yield from _roots(value)


def _counted_said(name: str, date: S.Field, value: A.Expr, as_of: dt.date | None) -> dict[str, str]:
    """The help for a record that gives a count of years (教龄: 10年) where a roster gives the
    date it is counted from (参加工作时间): the date, in the words the key was written in, with
    the one that makes the years written at the policy's reference date (2025-09-01 if none)."""
    shown = date.zh if not name.isascii() else date.name
    years = int(value.value) if isinstance(value, A.Quantity) and value.value.denominator == 1 and \
        value.unit in (None, "years", "year", "年") and 0 < value.value < 100 else 10
    day = as_of or dt.date(2025, 9, 1)
    start = day.replace(year=day.year - years) if not (day.month == 2 and day.day == 29) else \
        dt.date(day.year - years, 2, 28)
    return {"help_en": f"`{name}` is counted from `{shown}` (whole years completed at the reference date), not given: "
                       f"write `{shown}` (`{shown}: {start}` or earlier is {years} years on {day})",
            "help_zh": f"`{name}` 不是名册的列，而是按 `{shown}` 算到参考日期的已满整年数：请写 `{shown}`"
                       f"（参考日期为 {day} 时，`{shown}: {start}` 或更早即满{years}年）"}


def _short_slip(name: str, pool: list[str]) -> str | None:
    """For a short name (`JB`, `QX1`), where a difference of one letter is too much of it for a
    likeness by ratio (``did_you_mean``): the one candidate of its length it is one slip from,
    one letter typed for another (`JB` for `JA`) or two neighbours swapped (`AJ` for `JA`).
    None where two are one slip away (`JC`, with `JA` and `JB` declared): either could be meant."""
    if not 2 <= len(name) <= 3:
        return None

    def one_slip(c: str) -> bool:
        a, b = name.upper(), c.upper()
        if len(a) != len(b) or a == b:
            return False
        differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1
                                    and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]])

    slips = [c for c in pool if one_slip(c)]
    return slips[0] if len(slips) == 1 else None


def _repealed(c: Checker, merged: Merged) -> tuple[P.Repealed, ...]:
    """The clauses repealed, as their bases declared them (a repealed clause is not checked: a
    citation of a source no file declares is left out, not reported), each with the repeal's
    own citations, which are checked (R109) like any clause's. A repeal of the file checked that
    says neither why nor where is L319: it sets a rule of the law aside on no stated ground."""
    out = []
    for rid, r in merged.repealed.items():
        decl = r.decl
        kind = decl.kind if isinstance(decl, A.Consequence) else type(decl).__name__.lower()
        cites = tuple(P.Citation.of(x, src) for x in decl.cites if (src := merged.sources.get(x.source)) is not None)
        repeal = r.repeal
        if not (repeal.reason or "").strip() and not repeal.cites and repeal.span.source == merged.entry:
            own = next(iter(s for s, d in merged.sources.items() if d.span.source == merged.entry), None)
            c.diagnostics.append(warning(
                "L319", repeal.span, f"the repeal of `{rid}` gives neither a reason nor a citation",
                f"废止 `{rid}` 既没有写明理由，也没有注明出处",
                help_en=f"say why, and under which section of your document: `repeal {rid} \"reason\" cite "
                        f"{own or 'SOURCE'} \"section\"` (`policylang doc` and `policylang diff` show both)",
                help_zh=f"请写明为何废止、依据本地文件的哪一条：`repeal {rid} \"理由\" cite {own or '来源'} \"第X条\"`"
                        f"（`policylang doc` 和 `policylang diff` 都会列出）"))
        out.append(P.Repealed(rid, kind, decl.title, cites, r.origin, repeal.reason, repeal.span,
                              c.cites(repeal.cites), repeal.notes))
    return tuple(out)


# a number of years, months or days as a description writes it (50周岁, 6年, 18个月): the unit it is in.
# Not 9月 or 31日, which name a month or a day of the calendar (9月开始, 8月31日前), nor 2024年.
_DESCRIBED_UNITS = {word: unit for word, unit in UNITS.items() if not word.isascii() and unit != "percent"} | {"岁": "years"}
_DESCRIBED = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*(" + "|".join(sorted(_DESCRIBED_UNITS, key=len, reverse=True))
                        + ")(半)?")  # 4年半: four and a half


def _lint_described_values(c: Checker, merged: Merged, ages: frozenset[str]) -> None:
    """L315: a parameter of this file whose description states a number in its unit and not
    its value (`parameter 女教师年龄上限 = 45 周岁 "女50周岁以下"`): the value was changed and
    the words were not, or the other way round; a published text and its rule then disagree."""
    if any(d.is_error for d in c.diagnostics):
        return  # (a value in error is no value to compare)
    for name, param in c.parameters.items():
        unit = getattr(param.type, "unit", None)
        if param.origin != merged.entry or unit not in ("years", "months", "days") or not param.doc or "此" in param.doc:
            continue  # (满此年限: the value is named by 此, and a number beside it is another period)
        # an age's words (周岁, 岁) for an age, others' for others: 40周岁以下 in a count of years says whom it is for
        stated = list(dict.fromkeys((number, word, half) for number, word, half in _DESCRIBED.findall(param.doc)
                                    if _DESCRIBED_UNITS[word] == unit and (word in ("周岁", "岁")) == (name in ages)))
        # one number of its unit is the value described; several (满6年、且近3年…) are other periods too
        if len({(number, half) for number, _, half in stated}) != 1 or \
                float(stated[0][0]) + (0.5 if stated[0][2] else 0) == float(param.value):
            continue
        said = "、".join(f"{number}{word}{half}" for number, word, half in stated)
        value_en, value_zh = (value_text(param.value, param.type, lang, age=name in ages) for lang in ("en", "zh"))
        c.diagnostics.append(warning(
            "L315", param.span, f"parameter `{name}` is {value_en}, but its description says {said}",
            f"参数 `{name}` 的取值为{value_zh}，说明中却写着{said}",
            help_en="make the value and the description agree before publishing: one of them was changed alone",
            help_zh="发布前请使取值与说明一致：其中一处改了，另一处没改"))


def _lint_dates(c: Checker, merged: Merged) -> None:
    """L309: a reference date (``as of``, perhaps inherited from the file extended) before the
    policy's own ``effective`` date: ages and years at a school counted a year early, say. T214:
    one no evaluation can be made at (``REFERENCE_DATES``)."""
    header = merged.header
    if header is not None and header.as_of is not None and (outside := P.outside_reference_dates(header.as_of)):
        c.error("T214", header.span, *outside)
    if header is None or header.effective is None or header.as_of is None or header.as_of >= header.effective:
        return
    c.diagnostics.append(warning(
        "L309", header.span, f"the reference date {header.as_of} is before the policy takes effect "
        f"({header.effective}): ages and years are counted at {header.as_of}",
        f"参考日期 {header.as_of} 早于本政策的生效日期 {header.effective}：年龄、任教年限等按 {header.as_of} 计算",
        help_en=f"write `as of {header.effective}` under `policy` (an extending file inherits its base's `as of`), "
                "or give `--as-of` when deciding",
        help_zh=f"在 `policy` 下写 `as of {header.effective}`（扩展文件会沿用上级文件的 `as of`），或决定时用 `--as-of` 指定"))


def _lint(c: Checker, merged: Merged, rules, exemptions, prereqs) -> None:
    params = {n: p.value for n, p in c.parameters.items()}
    entry = merged.entry
    for item, cond in ([(r, r.when) for r in rules] + [(e, e.when) for e in exemptions]
                       + [(p, p.applies) for p in prereqs]):
        if item.origin != entry:
            continue
        why = never_fires(cond, params)
        if why is not None:
            equal, why = why.startswith("="), why.removeprefix("=")
            c.diagnostics.append(warning(
                "L301", item.span, f"`{item.id}` can never apply: its conditions on `{why}` contradict each other",
                f"`{item.id}` 永远不会适用：关于 `{name_text(why, 'zh')}` 的条件相互矛盾",
                help_en=f"`{why}` cannot be two values at once: for either, write `or`, or `in {{…}}`" if equal else
                "check the numbers and the direction of each comparison (以下 is `<=`, 不满 is `<`)",
                help_zh=f"`{name_text(why, 'zh')}` 不能同时取两个值：如指其中之一，请用 `or` 或 `in {{…}}`" if equal else
                "请检查数字及比较方向（“以下”为 `<=`，“不满”为 `<`）"))
    # Rules with the same condition, found by hashing it (comparing every pair was quadratic):
    # each rule is reported with the first rule before it that concludes otherwise.
    firsts: dict[frozenset, dict[tuple, tuple[int, P.Rule]]] = {}  # its conjuncts -> conclusion -> first rule
    for i, b in enumerate(rules):
        if b.when is None or b.outcome not in P.RULE_OUTCOMES or b.direction not in (None, *P.DIRECTIONS):
            continue  # (a wrong outcome or direction is an error already)
        seen = firsts.setdefault(_conjuncts(b.when), {})
        others = [(j, a) for (outcome, direction, in_entry), (j, a) in seen.items()
                  if (outcome, direction) != (b.outcome, b.direction) and (in_entry or b.origin == entry)]
        seen.setdefault((b.outcome, b.direction, b.origin == entry), (i, b))
        if not others:
            continue
        _, a = min(others, key=lambda pair: pair[0])
        # the stronger outcome decides; between equals, the first declared
        decider = b if (b.outcome == "must_rotate" and a.outcome != "must_rotate") else a
        c.diagnostics.append(warning(
            "L304", b.span, f"`{a.id}` and `{b.id}` have the same conditions but different outcomes",
            f"`{a.id}` 与 `{b.id}` 条件相同但结论不同",
            help_en=f"`{decider.id}` decides; merge them or make the conditions differ",
            help_zh=f"将以 `{decider.id}` 为准；请合并两条或区分其条件",
            labels=[Label(a.span, "the other rule", "另一条规则")]))
    inherited = {n: d.doc for n, (d, _) in merged.parameters.items() if n not in merged.entry_parameters}
    for name in sorted(merged.entry_parameters - c.used_parameters):
        decl, _ = merged.parameters[name]
        meant = described(name, inherited)  # a base's parameter named by what it means: to override, not add
        c.diagnostics.append(warning(
            "L302", decl.span, f"parameter `{name}` is never used", f"参数 `{name}` 未被使用",
            help_en=f"to change `{meant}` (\"{inherited[meant]}\") write `override parameter {meant} = …`; a new "
                    "name changes no rule" if meant else "remove it, or use it in a rule",
            help_zh=f"如要修改 `{meant}`（“{inherited[meant]}”），请写 `override parameter {meant} = …`；另起名称"
                    "不会改变任何规则" if meant else "请删除，或在规则中使用"))
    for ident, src in merged.sources.items():
        if ident not in c.used_sources and src.span.source == entry:
            c.diagnostics.append(warning("L305", src.span, f"source `{ident}` is never cited",
                                         f"来源 `{ident}` 未被引用"))


def _conjuncts(node: ir.Node) -> frozenset:
    """A condition's parts joined by `and`, however nested and in whatever order: two rules
    whose conditions differ only in that order have the same condition (L304)."""
    if isinstance(node, ir.Apply) and node.op == "and":
        return frozenset().union(*(_conjuncts(a) for a in node.args))
    return frozenset((node,))


# the declarations an exemption may name by mistake, by their kind (``i18n.DECLARATION_KINDS``)
_KINDS = {A.Exemption: "exemption", A.Prerequisite: "prerequisite", A.Quota: "quota", A.Priority: "priority",
          A.Provision: "provision"}
_SUM_OF_A_DATE = re.compile(r"(\d{4}) - (\d{1,2}) - (\d{1,2})")


def _date_read_as_a_sum(args) -> str | None:
    """The date a drafter meant by a number written `2019-9-1` (read as 2019 − 9 − 1), as ISO."""
    for a in args:
        m = _SUM_OF_A_DATE.fullmatch(expr_text(a)) if isinstance(a.type, T.NumberType) else None
        if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
            return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    return None


def _what_it_declares(c: Checker, merged: Merged, rules) -> None:
    """P009: a file declaring no policy (an empty file, comments alone) is no policy, though it
    would decide everyone not eligible. L307: a policy with no rule, its own or inherited,
    decides no one to move."""
    start = Span(merged.entry, 1, 1, 1, 1)
    if merged.header is None:
        c.diagnostics.append(error(
            "P009", start, "the file declares no policy", "该文件没有声明政策",
            help_en='begin it with `policy "TITLE"` (policylang init writes a policy to start from)',
            help_zh='请在文件开头写 `policy "标题"`（policylang init 可生成一份政策作为起点）'))
    elif not rules and not any(d.is_error for d in (*merged.diagnostics, *c.diagnostics)):
        # (an error, as an extended file that cannot be read, is why: said already)
        c.diagnostics.append(warning(
            "L307", start, "the policy has no rule: it decides no one to move, and everyone comes out not eligible",
            "该政策没有任何规则：不会确定任何人交流，所有人都将是“不在交流范围”",
            help_en="write a `rule`, or `extends` the policy whose rules this one adapts",
            help_zh="请写出规则（rule），或用 extends 扩展要调整的政策"))


def _lint_hidden_names(c: Checker, merged: Merged) -> None:
    """L308: a parameter or definition of the file named as a word the language gives (`年龄`,
    `性别`, `参考日期`): it wins, and every use of that word then reads it, not the person —
    `年龄 at most 50 周岁` would compare a constant, holding for everyone or no one."""
    builtin = {**{zh: (f"the person's `{en}`", f"此人的“{zh}”") for zh, en in PRELUDE_CHINESE_NAMES.items()},
               **{n: ("the reference date", "参考日期") for n in _AS_OF_NAMES}}
    for f in c.teachers.fields:
        builtin |= {n: (f"the person's `{f.name}`", f"此人的“{f.zh}”") for n in (f.name, f.zh, *f.aliases)}
    prelude = {n for n, (_, origin) in merged.defines.items() if origin == PRELUDE_NAME}
    for what, what_zh, declared in (("parameter", "参数", merged.parameters), ("definition", "定义", merged.defines)):
        for name, (decl, origin) in declared.items():
            if origin != merged.entry or name in prelude:
                continue
            if name in builtin:
                en, zh = builtin[name]
                c.diagnostics.append(warning(
                    "L308", decl.span, f"{what} `{name}` hides {en}: every `{name}` in the policy now reads this {what}",
                    f"{what_zh} `{name}` 与内置名称同名：政策中每处 `{name}` 读取的都将是这个{what_zh}，而不再是{zh}",
                    help_en=f"give the {what} a name of its own", help_zh=f"请给{what_zh}另起一个名称"))
            elif (code := _code_named(name)) is not None:  # `parameter 女 = 50周岁`: `性别 = 女` compares with it
                codes_en, codes_zh, example = code
                c.diagnostics.append(warning(
                    "L308", decl.span, f"{what} `{name}` has the name of the {codes_en} `{name}`: every `{name}` in "
                    f"the policy now reads this {what}, `{example}` included",
                    f"{what_zh} `{name}` 与{codes_zh}“{name}”同名：政策中每处 `{name}` 读取的都将是这个{what_zh}，"
                    f"包括 `{example}` 中的 `{name}`",
                    help_en=f"give the {what} a name saying what it is for, so that `{name}` is the code again",
                    help_zh=f"请给{what_zh}另起一个说明其用途的名称，`{name}` 才仍读作{codes_zh}"))


def _code_named(name: str) -> tuple[str, str, str] | None:
    """The codes a name is one of (女 of 性别代码, senior of 职称代码 and 学段代码), as (English, Chinese,
    a condition that writes it: `性别 = 女`), or None. A code or its label, not an alias read from a
    roster's cells (a parameter `m` of months is no `M`)."""
    enums = [e for e in S.ENUMS.values() if name in e.codes or name in e.labels.values()]
    if not enums:
        return None
    field = next((f for f in S.TEACHERS.fields + S.SCHOOLS.fields
                  if isinstance(f.type, T.EnumType) and f.type.name == enums[0].name), None)
    written = (f"{'学校.' if field in S.SCHOOLS.fields else ''}{field.zh or field.name}" if field else "…")
    return (" / ".join(e.type.describe() for e in enums), "、".join(e.type.describe("zh") for e in enums),
            f"{written} = {name}")


def _lint_teacher_exemptions(c: Checker, merged: Merged, rules, exemptions) -> None:
    """L306: an exemption whose title speaks of teachers (专任教师, 女教师) only, yet sets aside a
    rule about principals (`to all rules` reaches them too): a principal who does not teach
    would come out exempt under a clause about sending teachers."""
    by_id = {r.id: r for r in rules}
    for ex in exemptions:
        if ex.origin != merged.entry or not speaks_of_teachers_only(ex.title):
            continue
        reached = [t for t in ex.targets if t in by_id and concerns_principals(by_id[t].when, c.definitions)]
        if reached:
            names = ", ".join(reached)
            c.diagnostics.append(warning(
                "L306", ex.span, f"`{ex.id}` speaks of teachers but sets aside principal rules: {names}",
                f"`{ex.id}` 的条文针对教师，却豁免了关于校长的规则：{names}",
                help_en="name the teachers' rules in `to` (e.g. `to JA-1, JA-2`), or say in the title that it "
                        "covers principals too",
                help_zh="请在 `to` 中只列出关于教师的规则，或在标题中写明也适用于校长"))


def _cycle(start: str, above: dict[str, set[str]]) -> list[str]:
    """A shortest circle of precedence through ``start``: [start, …, start]."""
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop(0)
        for nxt in sorted(above.get(path[-1], ())):
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                paths.append(path + [nxt])
    return [start, start]


_ALL_RULES_WORDS = frozenset({"全部规则", "所有规则", "全部", "所有", "all", "全部条款"})


def _target_spans(decl: A.Exemption | A.Prerequisite) -> tuple[Span, ...]:
    """Where each of a declaration's targets is written; the declaration's span for each where
    the targets were not written out (a declaration made by other code than the parser)."""
    if len(decl.target_spans) == len(decl.targets):
        return decl.target_spans
    return (decl.span,) * len(decl.targets)
