"""Which roster columns a policy reads, and what reads each: the ground for refusing a roster
that lacks one (never deciding as if the column were empty) and for naming the rules in the
refusal. Every expression is walked through the definitions it uses; beside the expressions,
a promotion target reads ``title`` (or ``post`` for principal), and a quota grouped by a
school field reads that field."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from policylang.lang import ir
from policylang.lang import policy as P
from policylang.lang import schema as S

# the school field each quota group but the county's is formed by
GROUP_FIELD = {"school": "school_id", "cluster": "cluster", "township": "township"}

Column = tuple[str, str]  # (table, field): ("teacher", "nursing"), ("school", "area")


def fields_in(policy: P.CheckedPolicy, nodes: Iterable[ir.Node | None]) -> set[Column]:
    """The fields the expressions read, through the definitions they use."""
    return {(node.table, node.name) for node in _reached(policy, nodes) if isinstance(node, ir.FieldRef)}


def _reached(policy: P.CheckedPolicy, nodes: Iterable[ir.Node | None]):
    """Every node of the expressions, and of each definition they use (once)."""
    seen: set[str] = set()
    todo = [n for n in nodes if n is not None]
    while todo:
        for node in ir.walk(todo.pop()):
            yield node
            if isinstance(node, ir.DefRef) and node.name not in seen:
                seen.add(node.name)
                todo.append(policy.definitions[node.name].expr)


def parameters_read(policy: P.CheckedPolicy) -> set[str]:
    """The parameters the policy's clauses read, through its definitions, and those stating an
    effect's duration: a value set for any other changes no decision (its reader repealed, say)."""
    nodes = [n for _, clause, _ in _clauses(policy) for n in clause]
    durations = {e.parameter for c in policy.consequences for e in c.effects if e.parameter}
    return durations | {node.name for node in _reached(policy, nodes) if isinstance(node, ir.ParamRef)}


def unknowing_fields_in(policy: P.CheckedPolicy, nodes: Iterable[ir.Node | None],
                        filled: frozenset[Column] = frozenset()) -> set[Column]:
    """The fields whose empty value can leave the expressions neither true nor false: those they
    read (``fields_in``) but one read only where it is known to be filled — inside `is set` or
    `is empty`, which an empty value answers, or beside `F is set` in an `and` (`support_end is
    set and support_end more than as_of`: empty, the `and` is false) or `F is empty` in an `or`."""
    found: set[Column] = set()
    done: set[tuple[str, frozenset]] = set()

    def visit(node: ir.Node, filled: frozenset[Column]) -> None:
        if isinstance(node, ir.FieldRef):
            if (node.table, node.name) not in filled:
                found.add((node.table, node.name))
        elif isinstance(node, ir.DefRef):
            if (node.name, filled) not in done:
                done.add((node.name, filled))
                visit(policy.definitions[node.name].expr, filled)
        elif isinstance(node, ir.Apply):
            if node.op in (ir.Op.IS_SET, ir.Op.IS_EMPTY):
                return
            guard = {ir.Op.AND: ir.Op.IS_SET, ir.Op.OR: ir.Op.IS_EMPTY}.get(node.op)
            if guard is not None:  # (`a and b and c` nests: the guard of any part holds for all)
                filled = filled | {(a.args[0].table, a.args[0].name) for a in _parts(node, node.op)
                                   if isinstance(a, ir.Apply) and a.op == guard and isinstance(a.args[0], ir.FieldRef)}
            for arg in node.args:
                visit(arg, filled)

    for node in nodes:
        if node is not None:
            visit(node, filled)
    return found


def _parts(node: ir.Node, op: ir.Op) -> list[ir.Node]:
    """The operands of a chain of one operator (`a and (b and c)`: a, b, c)."""
    if isinstance(node, ir.Apply) and node.op == op:
        return [part for arg in node.args for part in _parts(arg, op)]
    return [node]


def decision_reads(policy: P.CheckedPolicy) -> dict[str, frozenset[Column]]:
    """The fields each rule, exemption, prerequisite and consequence reads in its conditions
    whose empty value can leave it undecided (``unknowing_fields_in``): what a missing value
    names in a decision's ``uncertain`` (``semantics.missing_fields``). A consequence's `after`
    is not among them: an empty date of an event is an event that did not happen."""
    found = {rule.id: frozenset(unknowing_fields_in(policy, [rule.when])) for rule in policy.rules}
    found |= {ex.id: frozenset(unknowing_fields_in(policy, [ex.when])) for ex in policy.all_exemptions()}
    found |= {p.id: frozenset(unknowing_fields_in(policy, [p.applies, p.requires])) for p in policy.prerequisites}
    for c in policy.consequences:  # the versions of one (Consequence.version) under its id
        event = frozenset({(c.after.table, c.after.name)} if isinstance(c.after, ir.FieldRef) else ())
        # (the event's date is tested in `when` too, against the effective date: never unknown, as above)
        found[c.id] = found.get(c.id, frozenset()) | frozenset(unknowing_fields_in(policy, [c.when], event))
    return found


def decisions_read(policy: P.CheckedPolicy, table: str, name: str) -> bool:
    """Whether any decision of the policy reads the field (``decision_reads``)."""
    return any((table, name) in read for read in decision_reads(policy).values())


PROMOTION_ENTRY = "promotion"  # what reads `title` in every policy: each decision's entry for the next title


def _items(policy: P.CheckedPolicy):
    """(id, the fields it reads) for every part of a policy that decides or counts; last, the
    promotion entry every decision has, for the title next above the person's."""
    for item_id, nodes, more in _clauses(policy):
        yield item_id, fields_in(policy, nodes) | more
    yield PROMOTION_ENTRY, {("teacher", "title")}


def _clauses(policy: P.CheckedPolicy):
    """(id, its expressions, the fields it reads besides them) for every part of a policy that
    decides or counts: what ``_items`` and ``parameters_read`` read."""
    for rule in policy.rules:
        yield rule.id, [rule.when], set()
    for exemptions in policy.exemptions.values():
        for ex in exemptions:
            yield ex.id, [ex.when], set()
    for p in policy.prerequisites:
        yield p.id, [p.applies, p.requires], _promotion_reads(p.targets)
    for c in policy.consequences:  # a penalty barring a promotion reads, as a prerequisite, what is next
        barred = {t for e in c.effects for t in e.bars} if c.kind == "penalty" else set()
        yield c.id, [c.after, c.when], _promotion_reads(barred)
    for q in policy.quotas:
        grouped = {("school", GROUP_FIELD[q.per])} if q.per in GROUP_FIELD else set()
        nodes, based_on = [q.scope], set()
        for r in q.requirements:
            for selection in (r.count, r.base):
                if isinstance(selection, P.Selection):
                    nodes.append(selection.where)
                else:
                    based_on.add(("school", selection))
        yield q.id, nodes, grouped | based_on
    for p in policy.priorities:
        yield p.id, [k.expr for k in p.keys], set()


def _promotion_reads(targets) -> set[Column]:
    """What a clause about promotion ``targets`` reads to know whom it concerns: the title (the
    next one above it is the target), and the post for appointment as principal."""
    targets = set(targets)
    return ({("teacher", "title")} if targets - {"principal"} else set()) | \
        ({("teacher", "post")} if "principal" in targets else set())


def columns_read(policy: P.CheckedPolicy) -> dict[Column, tuple[str, ...]]:
    """Every roster column the policy reads, with the ids of the rules, exemptions,
    prerequisites, consequences, quotas and priorities that read it, in declaration order."""
    readers: dict[Column, list[str]] = {}
    for item_id, fields in _items(policy):
        for column in sorted(fields):
            ids = readers.setdefault(column, [])
            if item_id not in ids:
                ids.append(item_id)
    return {column: tuple(ids) for column, ids in sorted(readers.items())}


def read_deciding_one(policy: P.CheckedPolicy) -> set[Column]:
    """The columns read in deciding one person: every part's but a quota's and a priority's, which
    count and order a school's movers (a school's code is read to group them, never to decide)."""
    groups = {q.id for q in policy.quotas} | {p.id for p in policy.priorities}
    return {column for column, ids in columns_read(policy).items() if set(ids) - groups}


# A roster without 职称, for a policy no clause of which reads it: each promotion entry is then that
# of 未定级 (the next title 一级), stated as every assumption is, never taken without a word.
UNTITLED = ("ASSUMPTION: 名册无“职称”列，本政策也没有条款读取职称：按未定级计，结论的晋升一栏只看晋升一级"
            "（名册有职称的，请补充此列）")


def with_reads(policy: P.CheckedPolicy) -> P.CheckedPolicy:
    """The policy whose tables know what it reads of them: every reader of a roster for it
    then refuses a roster that lacks such a column (unless a value for it is stated). The title
    the promotion entries read alone has a value stated (``UNTITLED``)."""
    reads = columns_read(policy)

    def of(table):
        assumed = table.assumed
        if table.name == "teacher" and reads.get(("teacher", "title")) == (PROMOTION_ENTRY,) \
                and table.assumption("title") is None:
            assumed = (*assumed, S.Assumption("title", "none", "policy", UNTITLED))
        return table.reading({name: ids for (t, name), ids in reads.items() if t == table.name}, assumed,
                             table.strict)
    return attrs.evolve(policy, teachers=of(policy.teachers), schools=of(policy.schools))


def exemptions_reading(policy: P.CheckedPolicy, fields: Iterable[str]) -> tuple[P.Exemption, ...]:
    """The exemptions whose condition reads one of the teachers' ``fields`` (through the
    definitions it uses): of ``schema.SENSITIVE_FIELDS``, those whose decision tells a person's
    health, family or discipline, whatever their category is called."""
    wanted = set(fields)
    readers = {i for name, ids in policy.teachers.reads if name in wanted for i in ids}
    return tuple(e for e in policy.all_exemptions() if e.id in readers)
