"""Checked expressions back to readable policy text, and values to display text,
for explanations and diffs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

import attrs

from policylang.lang import ops as B
from policylang.lang import ir
from policylang.lang import schema as S
from policylang.lang import types as T

# The prelude's definitions by their Chinese names, so a drafter can write the whole condition
# in Chinese (`年龄 at most 55 years`; the checker reads them) and an explanation in Chinese shows
# them so (the first name of each is how it is shown).
PRELUDE_CHINESE_NAMES = {"年龄": "age", "本校任教年限": "tenure", "在本校任教年限": "tenure",
                         "教龄": "service_years", "任现职年限": "post_years", "取得现职称年限": "title_years",
                         "法定退休日期": "retirement_date", "义务教育学校": "compulsory_school",
                         "农村或山区学校": "rural_school", "城区或县城学校": "urban_school",
                         "校长或副校长": "is_principal"}
_CHINESE_NAME: dict[str, str] = {}
for _zh, _en in PRELUDE_CHINESE_NAMES.items():
    _CHINESE_NAME.setdefault(_en, _zh)
# Operators as a Chinese explanation writes them (the others as in the policy)
_SYMBOL_ZH = {"and": "且", "or": "或", "ne": "≠", "le": "≤", "ge": "≥", "is_set": "已填写", "is_empty": "为空",
              "mul": "×", "div": "÷"}
# The words a Chinese explanation (explain, doc, the studio) writes a condition in, beside _SYMBOL_ZH's:
# `职称 属于 {…}`, `非任课`, `如果 … 则 … 否则 …`.
_WORD_ZH = {"in": "属于", "not_in": "不属于", "not": "非", "if": "如果", "then": "则", "else": "否则"}
# Each of those words with the one the language writes, so that `check` says what to write for a
# condition copied from an explanation (the parser's SPELLINGS take them from here, not a copy).
NOT_ZH = _WORD_ZH["not"]
# A record's name before its field in Chinese (`学校.改革试点`); a school's yes/no field negated reads
# `学校非改革试点` (the school is not a reform pilot), not `非学校.改革试点` (not-the-school's pilot).
_TABLE_ZH = {"school": "学校", "teacher": "教师"}
SCHOOL_NOT_ZH = _TABLE_ZH["school"] + NOT_ZH
SHOWN_ZH_TO_WRITE = {**{_SYMBOL_ZH[op]: B.OPERATORS[op].symbol for op in _SYMBOL_ZH},
                     **{zh: word.replace("_", " ") for word, zh in _WORD_ZH.items()}}

_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "eq": 4, "ne": 4, "lt": 4, "le": 4, "gt": 4, "ge": 4,
               "in": 4, "is_set": 4, "is_empty": 4, "add": 5, "sub": 5, "mul": 6, "div": 6, "neg": 7}
_UNIT_TEXT = {"en": {"years": " years", "months": " months", "days": " days", "percent": "%"},
              "zh": {"years": "年", "months": "个月", "days": "天", "percent": "%"}}
_UNIT_ONE_EN = {"years": " year", "months": " month", "days": " day"}  # 1 year, 1 month, 1 day (the grammar's too)


def number_text(value) -> str:
    if isinstance(value, Fraction):
        value = int(value) if value.denominator == 1 else float(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


# Officials count ages in 周岁, not 年: `age` and what is compared with it are shown so in Chinese.
AGE = "age"
_COMPARISONS = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})


def ages_in(node: ir.Node, definitions: dict) -> frozenset[str]:
    """The names an expression reads as ages: `age` and the parameters and definitions compared
    with it, through definitions and the branches of an `if` (`define age_cap = if sex = F then
    age_cap_female else age_cap_male`). ``definitions`` are the checked policy's."""
    found: set[str] = set()

    def as_age(n: ir.Node) -> None:
        if isinstance(n, (ir.ParamRef, ir.DefRef)) and n.name not in found:
            found.add(n.name)
            if isinstance(n, ir.DefRef) and n.name in definitions:
                as_age(definitions[n.name].expr)
        elif isinstance(n, ir.Apply) and n.op == "if":
            as_age(n.args[1])
            as_age(n.args[2])

    for n in ir.walk(node):
        if isinstance(n, ir.Apply) and n.op in _COMPARISONS and any(is_age(a) for a in n.args):
            for a in n.args:
                as_age(a)
    return frozenset(found)


def is_age(node: ir.Node) -> bool:
    """Whether an expression is the prelude's `age` (年龄), which Chinese counts in 周岁."""
    return isinstance(node, ir.DefRef) and node.name == AGE


def value_text(value, type_: T.Type | None = None, lang: str = "en", age: bool = False) -> str:
    """A value as a reader would write it: `5 years`, `2019-09-01`, `urban (城区)`; an ``age``
    in Chinese as `45周岁`."""
    if value is None:
        return "（空）" if lang == "zh" else "(empty)"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(type_, T.EnumType):
        label = S.ENUMS[type_.name].labels.get(value)
        return f"{value} ({label})" if label and lang == "en" else (label or str(value))
    if isinstance(value, (int, float, Fraction)):
        unit = type_.unit if isinstance(type_, T.NumberType) else None
        if age and unit == "years" and lang == "zh":
            return number_text(value) + "周岁"
        if not unit:
            return number_text(value)
        one = lang == "en" and abs(value) == 1 and unit in _UNIT_ONE_EN
        return number_text(value) + (_UNIT_ONE_EN[unit] if one else _UNIT_TEXT[lang].get(unit, ""))
    return str(value)


def name_text(name: str, lang: str = "en") -> str:
    """A name an expression reads (a field, `school.FIELD`, a definition, a parameter) as the
    language shows it: in Chinese, a roster field or a prelude definition by its Chinese name."""
    if lang != "zh":
        return name
    table, _, field_name = name.rpartition(".")
    if table in ("school", "teacher"):
        field = (S.SCHOOLS if table == "school" else S.TEACHERS).field(field_name)
        return f"{_TABLE_ZH[table]}.{field.zh}" if field is not None and field.zh else name
    field = S.TEACHERS.field(name)
    if field is not None and field.zh:
        return field.zh
    return _CHINESE_NAME.get(name, name)


_NOT_A_NAME = re.compile(r"[，、：；。,:;此]|ASSUMPTION")  # a sentence, or what a number is for (此年限)
_NOTE = re.compile(r"[（(][^（()）]*[)）]$")  # a trailing note: （FJ-3）, （55周岁以下，含55）
_LONGEST_NAME = 18  # 具有中级以上职务或县级以上骨干教师 (17) is a name; a longer text is most often a sentence


def display_name(name: str, doc: str | None) -> str | None:
    """The Chinese name a definition named in English (``age_cap``) goes by in a Chinese
    explanation: its description when that is a name (本人适用的交流年龄上限; 近三年无支教经历
    （正在支教的不算无） without its note; JA-1 的交流对象 of JA-1 的交流对象：55周岁以下…, the name
    before what it is), not a sentence; else None
    (the name as written is shown). A definition's description says what it is (``define NAME
    "description"``); a parameter's says what its number is for (满此年限须交流), so a parameter
    goes by its value (``policy_display_names``)."""
    if not doc or not name.isascii():
        return None
    called = _NOTE.sub("", doc.strip()).strip()
    head, colon, _ = called.partition("：")  # a name, then what it is: JA-1 的交流对象：55周岁以下…
    if colon and head.strip() and not _NOT_A_NAME.search(head) and len(head) <= _LONGEST_NAME and not head.isascii():
        return head.strip()
    if not called or len(called) > _LONGEST_NAME or _NOT_A_NAME.search(called) or called.isascii():
        return None
    return called


@attrs.frozen
class DisplayNames:
    """``policy_display_names``: a Chinese name for each name it holds, and ``parameters`` (each
    parameter with its value) for a sum or product of parameters to be shown by its value. Not a
    dict: it was one, and a copy of it (``dict(names)``, ``names | more``) was a plain dict that
    showed arithmetic as written without a word; nothing changes it once made."""
    _names: Mapping[str, str] = attrs.field(converter=lambda names: MappingProxyType(dict(names)))
    parameters: Mapping[str, tuple] = attrs.field(factory=dict, converter=lambda p: MappingProxyType(dict(p)))

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __getitem__(self, name: str) -> str:
        return self._names[name]

    def as_written(self) -> DisplayNames:
        """The same names, each sum or product of parameters shown as written (3年 × 2, not 6年)."""
        return DisplayNames(self._names)

    def key(self) -> tuple:
        """What the text of a condition shown with these names depends on, for a cache's key."""
        return tuple(self._names.items()), tuple(self.parameters)


def policy_display_names(policy, values: Mapping[str, object] | None = None) -> DisplayNames:
    """``display_name`` of each of a checked policy's definitions that has one (the prelude's
    keep their own Chinese names: 本校任教年限); with the parameters' ``values``, each parameter
    named in English by its value (`本校任教年限 ≥ 6年`, as the document writes it, not `≥ teacher_tenure`:
    its description says what the number is for, no name). A parameter named in Chinese keeps its name."""
    names = {n: called for n, d in policy.definitions.items()
             if name_text(n, "zh") == n and (called := display_name(n, d.doc))}
    if values is None:
        return DisplayNames(names)
    names |= {n: parameter_text(p, values.get(n, p.value), "zh") for n, p in policy.parameters.items()
              if n.isascii()}
    return DisplayNames(names, {n: (p, values.get(n, p.value)) for n, p in policy.parameters.items()})


_ARITHMETIC = frozenset({"add", "sub", "mul", "div"})


def _worked_out(node: ir.Node, parameters: Mapping[str, tuple]) -> tuple[object, T.Type, bool] | None:
    """(value, type, whether an age) of arithmetic on parameters and numbers alone (`principal_term *
    principal_terms`), which an official reads as the number it makes; None where it reads anything
    else, a percentage (its value is no plain number), a division by zero, or a value with more than two
    decimals (10年 / 3 is no number an official reads: the expression as written says it better)."""
    def number(value) -> bool:
        return isinstance(value, (int, float, Fraction)) and not isinstance(value, bool)
    if isinstance(node, ir.Const):
        return (node.value, node.type, False) if number(node.value) else None
    if isinstance(node, ir.ParamRef) and node.name in parameters:
        parameter, value = parameters[node.name]
        return (value, parameter.type, parameter.age) if number(value) else None
    if not (isinstance(node, ir.Apply) and node.op in _ARITHMETIC and len(node.args) == 2):
        return None
    left, right = (_worked_out(a, parameters) for a in node.args)
    if left is None or right is None:
        return None
    types = [left[1], right[1]]
    if any(not isinstance(t, T.NumberType) or t.unit == "percent" for t in types):
        return None
    type_ = B.OPERATORS[node.op].type_rule(types)
    value = B.OPERATORS[node.op].row(left[0], right[0])
    if not isinstance(type_, T.NumberType) or value is None:
        return None
    shown = round(float(value), 2)
    if abs(float(value) - shown) > 1e-9:  # (0.1 × 3 is 0.30000000000000004 in binary: shown 0.3)
        return None
    value = int(shown) if shown.is_integer() and not isinstance(value, int) else shown if isinstance(value, float) else value
    return value, type_, left[2] or right[2]


def parameter_text(parameter, value: object, lang: str) -> str:
    """A value of ``parameter`` (a ``policy.Parameter``; None: unknown) as a reader writes it:
    in 周岁 where it is compared with an age."""
    if parameter is None:
        return value_text(value, None, lang)
    return value_text(value, parameter.type, lang, age=parameter.age)


def expr_text(node: ir.Node, parent: int = 0, lang: str = "en", names: DisplayNames | None = None,
              age: bool = False) -> str:
    """The expression in policy syntax (names as written by the policy's author); in Chinese
    (``lang="zh"``) as an explanation shows it to an official: names, values, `and`/`or` in Chinese,
    and a policy's definitions by their ``names`` (``policy_display_names``). ``age``: compared
    with an age, its years are 周岁 (`年龄 ≤ 55周岁`, `年龄 ≤ 53周岁（50周岁 + 3周岁）`)."""
    def text(n, p=0):
        return expr_text(n, p, lang, names)

    zh = lang == "zh"
    if isinstance(node, ir.Const):
        if isinstance(node.type, T.EnumType):
            return value_text(node.value, node.type, lang) if zh else str(node.value)
        if isinstance(node.value, str):
            return f"“{node.value}”" if zh else f'"{node.value}"'
        return value_text(node.value, node.type, lang, age=age)
    if isinstance(node, ir.FieldRef):
        name = node.name if node.table == "teacher" else f"{node.table}.{node.name}"
        return name_text(name, lang)
    if isinstance(node, ir.DefRef) and zh and names is not None and node.name in names:
        return names[node.name]
    if isinstance(node, ir.DefRef):
        return name_text(node.name, lang)
    if isinstance(node, ir.ParamRef):
        return names[node.name] if zh and names is not None and node.name in names else node.name
    if isinstance(node, ir.AsOf):
        return "参考日期" if zh else "as_of"
    assert isinstance(node, ir.Apply)
    op, args = node.op, node.args
    mine = _PRECEDENCE.get(op, 9)
    symbol = (_SYMBOL_ZH.get(op) if zh else None) or B.OPERATORS[op].symbol
    if op in ("and", "or"):
        out = f" {symbol} ".join(text(a, mine) for a in args)
    elif op == "not":
        inner = args[0]
        if isinstance(inner, ir.Apply) and inner.op == "in":
            out = _in_text(inner, negated=True, lang=lang, names=names)
        elif zh and isinstance(inner, ir.FieldRef) and (shown := text(inner)).startswith(_TABLE_ZH["school"] + "."):
            out = SCHOOL_NOT_ZH + shown.partition(".")[2]  # 学校非改革试点
        else:
            out = f"{_WORD_ZH['not'] if zh else 'not '}{text(inner, mine)}"
    elif op == "in":
        out = _in_text(node, lang=lang, names=names)
    elif op in ("is_set", "is_empty"):
        out = f"{text(args[0], mine)} {symbol}"
    elif op == "neg":
        out = f"-{text(args[0], mine)}"
    elif op == "if":
        out = (f"{_WORD_ZH['if']} {text(args[0])} {_WORD_ZH['then']} {text(args[1])} "
               f"{_WORD_ZH['else']} {text(args[2])}" if zh
               else f"if {text(args[0])} then {text(args[1])} else {text(args[2])}")
        mine = 0
    elif op in _COMPARISONS and zh and any(is_age(a) for a in args):  # `年龄 ≥ 55周岁`
        out = _binary_text(node, symbol, mine, lang, names, age=True)
    elif op in _ARITHMETIC:  # an age's sum in 周岁 throughout
        out = _binary_text(node, symbol, mine, lang, names, age)
        if zh and names is not None and (worked := _worked_out(node, names.parameters)) is not None:
            # its parts as written: 9年（3年 × 2 + 3年）, not 9年（6年（3年 × 2） + 3年）
            written = _binary_text(node, symbol, mine, lang, names.as_written(), age)
            out = f"{value_text(worked[0], worked[1], lang, age=age or worked[2])}（{written}）"  # 6年（3年 × 2）
            mine = 9
    elif op in _PRECEDENCE:
        out = f"{text(args[0], mine)} {symbol} {text(args[1], mine + 1)}"
    else:
        out = _call_text(node, lang, names)
        mine = 9
    return f"({out})" if mine < parent else out


def _binary_text(node: ir.Apply, symbol: str, mine: int, lang: str, names, age: bool) -> str:
    left, right = node.args
    return f"{expr_text(left, mine, lang, names, age)} {symbol} {expr_text(right, mine + 1, lang, names, age)}"


def _in_text(node: ir.Apply, negated: bool = False, lang: str = "en", names: DisplayNames | None = None) -> str:
    items = ("、" if lang == "zh" else ", ").join(expr_text(a, 0, lang, names) for a in node.args[1:])
    words = (_WORD_ZH["not_in"], _WORD_ZH["in"]) if lang == "zh" else ("not in", "in")
    return f"{expr_text(node.args[0], 4, lang, names)} {words[0] if negated else words[1]} {{{items}}}"


# a call as a Chinese explanation reads it, by the function's name as written (``B.FUNCTIONS``):
# `within_last(援派结束时间, 2年)` is 援派结束时间在近2年内
_CALLS_ZH = {
    "within_last": "{0}在近{1}内", "years_since": "{0}至今整年数", "months_since": "{0}至今整月数",
    "days_since": "{0}至今天数", "years_until": "距{0}整年数", "months_until": "距{0}整月数",
    "years_between": "{0}至{1}整年数", "months_between": "{0}至{1}整月数", "days_between": "{0}至{1}天数",
    "statutory_retirement_date": "法定退休日期（按{0}、{1}、{2}）",
}


def _call_text(node: ir.Apply, lang: str = "en", names: DisplayNames | None = None) -> str:
    args = list(node.args)
    name = node.op
    for function, (op, arity, ref) in B.FUNCTIONS.items():
        if op != node.op or ref is None:
            continue
        pos = -1 if ref == "end" else 0
        if isinstance(args[pos], ir.AsOf) and arity == len(args) - 1:
            name, args = function, args[:-1] if ref == "end" else args[1:]
            break
    shown = [expr_text(a, 0, lang, names) for a in args]
    if lang == "zh" and name in _CALLS_ZH and len(shown) == _CALLS_ZH[name].count("{"):
        return _CALLS_ZH[name].format(*shown)
    if lang == "zh" and name in ("min", "max"):
        return f"{'较小值' if name == 'min' else '较大值'}（{'、'.join(shown)}）"
    return f"{name}({', '.join(shown)})"
