"""The checked expression form shared by every evaluator.

The checker turns AST expressions into these nodes: every name is bound (to a
field, a parameter, a definition or a code), every operator is an entry of the
table in ``builtins.py``, and every node carries its type. Evaluators never see
an unresolved name.
"""

from __future__ import annotations

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


@attrs.frozen
class Apply(Node):
    """An operator of ``builtins.OPERATORS`` applied to arguments."""

    op: str
    args: tuple[Node, ...]
    span: Span = _span()


def walk(node: Node):
    """Every node of an expression, depth first."""
    yield node
    if isinstance(node, Apply):
        for arg in node.args:
            yield from walk(arg)
