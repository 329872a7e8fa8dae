"""The checked expression form shared by every evaluator.

The checker turns AST expressions into these nodes: every name is bound (to a
field, a parameter, a definition or a code), every operator is a member of ``Op``
(with its entry in the table of ``ops.py``), and every node carries its type.
Evaluators never see an unresolved name.
"""

from __future__ import annotations

import enum

import attrs

from policylang.lang import types as T
from policylang.core.source import NO_SPAN, Span


def _span() -> Span:
    return attrs.field(default=NO_SPAN, eq=False, kw_only=True, repr=False)


@attrs.frozen
class Node:
    type: T.Type


@attrs.frozen
class Const(Node):
    """A constant: int/Fraction (numbers, in their unit), date, str, bool or an enum code."""

    value: object
    span: Span = _span()


@attrs.frozen
class FieldRef(Node):
    table: str  # "teacher" or "school"
    name: str
    span: Span = _span()


@attrs.frozen
class ParamRef(Node):
    name: str
    span: Span = _span()


@attrs.frozen
class DefRef(Node):
    name: str
    span: Span = _span()


@attrs.frozen
class AsOf(Node):
    """The reference date of the evaluation."""

    span: Span = _span()


class Op(enum.StrEnum):
    """Every operator an expression may apply: a closed set, so that each back end can be held
    to implementing every one (tests/test_conformance.py runs each through all of them). A
    member is its name as a string (``Op.ADD == "add"``)."""

    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    AND = "and"
    OR = "or"
    NOT = "not"
    ADD = "add"
    SUB = "sub"
    MUL = "mul"
    DIV = "div"
    NEG = "neg"
    YEARS_BETWEEN = "years_between"
    MONTHS_BETWEEN = "months_between"
    DAYS_BETWEEN = "days_between"
    MIN = "min"
    MAX = "max"
    IS_SET = "is_set"
    IS_EMPTY = "is_empty"
    WITHIN_LAST = "within_last"
    RETIREMENT_DATE = "retirement_date"
    IF = "if"
    IN = "in"


@attrs.frozen
class Apply(Node):
    """An operator (``Op``, its rules in ``ops.OPERATORS``) applied to arguments."""

    op: Op = attrs.field(converter=Op)
    args: tuple[Node, ...]
    span: Span = _span()


def walk(node: Node):
    """Every node of an expression, depth first."""
    yield node
    if isinstance(node, Apply):
        for arg in node.args:
            yield from walk(arg)
