"""Checked expressions back to readable policy text, and values to display text,
for explanations and diffs."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from policylang.lang import ops as B
from policylang.lang import ir
from policylang.lang import schema as S
from policylang.lang import types as T

_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "eq": 4, "ne": 4, "lt": 4, "le": 4, "gt": 4, "ge": 4,
               "in": 4, "is_set": 4, "is_empty": 4, "add": 5, "sub": 5, "mul": 6, "div": 6, "neg": 7}
_UNIT_TEXT = {"en": {"years": " years", "months": " months", "days": " days", "percent": "%"},
              "zh": {"years": "年", "months": "个月", "days": "天", "percent": "%"}}


def number_text(value) -> str:
    if isinstance(value, Fraction):
        value = int(value) if value.denominator == 1 else float(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def value_text(value, type_: T.Type | None = None, lang: str = "en") -> str:
    """A value as a reader would write it: `5 years`, `2019-09-01`, `urban (城区)`."""
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
        return number_text(value) + _UNIT_TEXT[lang].get(unit, "") if unit else number_text(value)
    return str(value)


def expr_text(node: ir.Node, parent: int = 0) -> str:
    """The expression in policy syntax (names as written by the policy's author)."""
    if isinstance(node, ir.Const):
        if isinstance(node.type, T.EnumType):
            return str(node.value)
        if isinstance(node.value, str):
            return f'"{node.value}"'
        return value_text(node.value, node.type)
    if isinstance(node, ir.FieldRef):
        return node.name if node.table == "teacher" else f"{node.table}.{node.name}"
    if isinstance(node, (ir.ParamRef, ir.DefRef)):
        return node.name
    if isinstance(node, ir.AsOf):
        return "as_of"
    assert isinstance(node, ir.Apply)
    op, args = node.op, node.args
    mine = _PRECEDENCE.get(op, 9)
    if op in ("and", "or"):
        text = f" {op} ".join(expr_text(a, mine) for a in args)
    elif op == "not":
        inner = args[0]
        if isinstance(inner, ir.Apply) and inner.op == "in":
            text = _in_text(inner, negated=True)
        else:
            text = f"not {expr_text(inner, mine)}"
    elif op == "in":
        text = _in_text(node)
    elif op in ("is_set", "is_empty"):
        text = f"{expr_text(args[0], mine)} {B.OPERATORS[op].symbol}"
    elif op == "neg":
        text = f"-{expr_text(args[0], mine)}"
    elif op == "if":
        text = f"if {expr_text(args[0])} then {expr_text(args[1])} else {expr_text(args[2])}"
        mine = 0
    elif op in _PRECEDENCE:
        text = f"{expr_text(args[0], mine)} {B.OPERATORS[op].symbol} {expr_text(args[1], mine + 1)}"
    else:
        text = _call_text(node)
        mine = 9
    return f"({text})" if mine < parent else text


def _in_text(node: ir.Apply, negated: bool = False) -> str:
    items = ", ".join(expr_text(a) for a in node.args[1:])
    return f"{expr_text(node.args[0], 4)} {'not in' if negated else 'in'} {{{items}}}"


def _call_text(node: ir.Apply) -> str:
    args = list(node.args)
    for name, (op, arity, ref) in B.FUNCTIONS.items():
        if op != node.op or ref is None:
            continue
        pos = -1 if ref == "end" else 0
        if isinstance(args[pos], ir.AsOf) and arity == len(args) - 1:
            rest = args[:-1] if ref == "end" else args[1:]
            return f"{name}({', '.join(expr_text(a) for a in rest)})"
    return f"{node.op}({', '.join(expr_text(a) for a in args)})"
