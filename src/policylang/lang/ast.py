"""The abstract syntax tree: frozen attrs nodes, each with a span kept out of equality.

Lowering (``lower.py``) builds these from the Lark tree without resolving any
name; everything semantic happens in later passes.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs

from policylang.core.source import NO_SPAN, Span


def _span() -> Span:
    return attrs.field(default=NO_SPAN, eq=False, kw_only=True, repr=False)


# ---- expressions ---------------------------------------------------------------


@attrs.frozen
class Expr:
    pass


@attrs.frozen
class Quantity(Expr):
    """A number with an optional unit: ``6 years``, ``10%``, ``3``."""

    value: Fraction
    unit: str | None
    span: Span = _span()


@attrs.frozen
class DateLit(Expr):
    value: dt.date
    span: Span = _span()


@attrs.frozen
class StringLit(Expr):
    value: str
    span: Span = _span()


@attrs.frozen
class BoolLit(Expr):
    value: bool
    span: Span = _span()


@attrs.frozen
class Code(Expr):
    """A bare code in a value position (a parameter, sample or test): ``urban``, ``女``."""

    value: str
    span: Span = _span()


@attrs.frozen
class Name(Expr):
    """A reference: a parameter, definition, field, or enum code (decided by the checker)."""

    parts: tuple[str, ...]
    span: Span = _span()

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@attrs.frozen
class Call(Expr):
    func: str
    args: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen
class Binary(Expr):
    """``op`` is canonical: ``= != < <= > >= + - * / and or``."""

    op: str
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Not(Expr):
    operand: Expr
    span: Span = _span()


@attrs.frozen
class Neg(Expr):
    operand: Expr
    span: Span = _span()


@attrs.frozen
class InSet(Expr):
    operand: Expr
    items: tuple[Expr, ...]
    negated: bool = False
    span: Span = _span()


@attrs.frozen
class IsSet(Expr):
    """``x is set`` (``negated=False``) or ``x is empty`` (``negated=True``)."""

    operand: Expr
    negated: bool = False
    span: Span = _span()


@attrs.frozen
class If(Expr):
    cond: Expr
    then: Expr
    otherwise: Expr
    span: Span = _span()


# ---- declarations ----------------------------------------------------------------


@attrs.frozen
class Cite:
    source: str
    section: str | None
    span: Span = _span()


@attrs.frozen
class Header:
    title: str
    jurisdiction: str | None = None
    effective: dt.date | None = None
    as_of: dt.date | None = None
    span: Span = _span()


@attrs.frozen
class Extends:
    path: str
    span: Span = _span()


@attrs.frozen
class Decl:
    """Base of every top-level declaration."""


@attrs.frozen
class SourceDecl(Decl):
    id: str
    title: str
    document: str | None = None
    note: str | None = None
    span: Span = _span()


@attrs.frozen
class FieldDecl(Decl):
    table: str
    name: str
    type_name: str
    doc: str | None = None
    span: Span = _span()
    default: Expr | None = None  # the value an absent column reads as, stated with the reason in ``doc``


@attrs.frozen
class Parameter(Decl):
    name: str
    type_name: str | None
    value: Expr
    doc: str | None = None
    span: Span = _span()
    cites: tuple[Cite, ...] = ()  # the clause that sets the number (a county's `override parameter` cites its own)
    notes: tuple[str, ...] = ()  # remarks kept in the file (an ASSUMPTION behind the number)


@attrs.frozen
class Define(Decl):
    name: str
    doc: str | None
    expr: Expr
    span: Span = _span()
    cites: tuple[Cite, ...] = ()  # the clause that says it (whom a county's plan covers: 三、对象和范围)
    notes: tuple[str, ...] = ()  # remarks kept in the file (why it is read so)


@attrs.frozen
class Rule(Decl):
    id: str
    title: str
    cites: tuple[Cite, ...] = ()
    when: Expr | None = None
    outcome: str | None = None
    direction: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    outcome_span: Span = _span()
    direction_span: Span = _span()


@attrs.frozen
class Exemption(Decl):
    id: str
    title: str
    code: str
    targets: tuple[str, ...] = ()
    cites: tuple[Cite, ...] = ()
    when: Expr | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    may_decline: bool = False  # `may decline`: the person may invoke it (可不参加), not out of scope
    target_spans: tuple[Span, ...] = ()  # each target's name in the text, for its diagnostics


@attrs.frozen
class Precedence(Decl):
    """``precedence A > B > C``: A is checked before B, B before C."""

    order: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class Prerequisite(Decl):
    id: str
    title: str
    targets: tuple[str, ...] = ()
    cites: tuple[Cite, ...] = ()
    applies: Expr | None = None
    requires: Expr | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    target_spans: tuple[Span, ...] = ()  # each target's name in the text, for its diagnostics


@attrs.frozen
class Effect:
    name: str
    label: str | None
    duration: Quantity | None
    span: Span = _span()
    # `bars promotion [TARGET, …]`: None when the effect bars nothing, () when it bars every target
    bars: tuple[str, ...] | None = None


@attrs.frozen
class Consequence(Decl):
    """A penalty or a benefit: ``kind`` is ``penalty`` or ``benefit``."""

    kind: str
    id: str
    title: str
    cites: tuple[Cite, ...] = ()
    after: Expr | None = None
    when: Expr | None = None
    effects: tuple[Effect, ...] = ()
    notes: tuple[str, ...] = ()
    span: Span = _span()


@attrs.frozen
class Selection:
    """A group of people in a quota (``movers``, ``targets``...), optionally filtered."""

    group: str
    where: Expr | None = None
    span: Span = _span()


@attrs.frozen
class FieldBase:
    """A quota base read from a school field, e.g. ``school.establishment``."""

    table: str
    field: str
    span: Span = _span()


@attrs.frozen
class Amount:
    """A share: a quantity (``10%``) or an exact fraction (``1/3``)."""

    value: Fraction
    unit: str | None
    span: Span = _span()


@attrs.frozen
class Requirement:
    count: Selection
    amount: Amount
    base: Selection | FieldBase
    rounding: str | None
    span: Span = _span()


@attrs.frozen
class Quota(Decl):
    id: str
    title: str
    cites: tuple[Cite, ...] = ()
    per: str | None = None
    requirements: tuple[Requirement, ...] = ()
    notes: tuple[str, ...] = ()
    span: Span = _span()
    per_span: Span = _span()
    scope: Expr | None = None  # `at schools where (…)`: the schools the quota applies to


@attrs.frozen
class OrderKey:
    expr: Expr
    descending: bool
    span: Span = _span()


@attrs.frozen
class Priority(Decl):
    """``priority ID "title" order by backbone descending, tenure descending``."""

    id: str
    title: str
    cites: tuple[Cite, ...] = ()
    keys: tuple[OrderKey, ...] = ()
    notes: tuple[str, ...] = ()
    span: Span = _span()


@attrs.frozen
class Provision(Decl):
    """A documented provision that cannot be evaluated on a roster."""

    id: str
    title: str
    cites: tuple[Cite, ...] = ()
    notes: tuple[str, ...] = ()
    span: Span = _span()


@attrs.frozen
class Repeal(Decl):
    """``repeal FJ-2 "由 JA-1 取代" cite JA "第八条"``: the reason, the sections of the file's
    own document that repeal it, and its notes (`note "…"`, as any clause has)."""

    id: str
    reason: str | None
    cites: tuple[Cite, ...] = ()
    notes: tuple[str, ...] = ()
    span: Span = _span()


@attrs.frozen
class Override(Decl):
    decl: Decl
    span: Span = _span()


@attrs.frozen
class Entry:
    key: str
    value: Expr
    span: Span = _span()


@attrs.frozen
class RecordRef:
    """A record in a test: a sample by name, possibly changed, or an inline record."""

    sample: str | None
    entries: tuple[Entry, ...]
    span: Span = _span()


@attrs.frozen
class Sample(Decl):
    table: str
    name: str
    entries: tuple[Entry, ...]
    span: Span = _span()


@attrs.frozen
class Expectation:
    """``kind`` is one of status, rule, no_rule, exemption, may_decline, no_may_decline, direction, no_direction,
    promotion_ok, promotion_unmet, penalty, no_penalty, benefit, no_benefit, quota, selection,
    no_selection, uncertain, no_uncertain."""

    kind: str
    args: tuple[object, ...]
    span: Span = _span()


@attrs.frozen
class SetParam:
    name: str
    value: Expr
    span: Span = _span()


@attrs.frozen
class Test(Decl):
    title: str
    as_of: dt.date | None = None
    sets: tuple[SetParam, ...] = ()
    teacher: RecordRef | None = None
    school: RecordRef | None = None
    expectations: tuple[Expectation, ...] = ()
    span: Span = _span()
    # `person ID TEACHER [at SCHOOL]`: more people of a small roster, for quota expectations
    people: tuple[tuple[str, RecordRef, RecordRef | None], ...] = ()


@attrs.frozen
class Module:
    """One parsed policy file."""

    source: str
    header: Header | None
    extends: Extends | None
    decls: tuple[Decl, ...]
    span: Span = _span()
