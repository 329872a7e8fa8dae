"""Decisions and explanations: the output of every evaluator, and their flat
forms (JSON objects, CSV/XLSX rows) fixed by ``contract.md``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

import attrs

PROMOTION_COLUMNS = ("first", "senior", "full_senior", "principal")


class MonthDate(dt.date):
    """A date read from a year-month form (``1985-03``, ``1985年3月``, ``198503``): the first day
    of its month, standing for a day of it that is not known. A decision that would differ on
    another day of the month is marked ``uncertain`` (contract.md; ``uncertain_fields``)."""

    __slots__ = ()

    def __str__(self) -> str:  # as given: a day written here would be one the roster never gave
        return f"{self.year:04d}-{self.month:02d}"

    def last_day(self) -> dt.date:
        if self.month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.month + 1, 1) - dt.timedelta(days=1)


def month_dates(values: Mapping[str, object]) -> list[str]:
    """The fields of a person read from a year-month form, in order."""
    return [name for name, value in values.items() if isinstance(value, MonthDate)]


# a woman's retirement category the roster leaves empty is read as 55, the contract's default for
# teachers; a worker's is 50: where that would change her decision, it is uncertain
OPEN_CATEGORY = ("retirement_category", 50)


def open_values(values: Mapping[str, object], category: bool = True) -> list[tuple[str, dict[str, object]]]:
    """The values a person is decided again with, each with the field it tries, to find what a
    value the roster does not give could change: each year-month date at its month's last day
    (decided on its first), and, if ``category`` (the policy reads it), a woman's empty
    retirement category as 50 (decided as 55)."""
    out = [(name, {**values, name: values[name].last_day()}) for name in month_dates(values)]
    field, other = OPEN_CATEGORY
    if category and values.get("sex") == "F" and field in values and values[field] is None:
        out.append((field, {**values, field: other}))
    return out


def uncertain_fields(decide: Callable[[Mapping[str, object]], Decision], values: Mapping[str, object],
                     decided: Decision, category: bool = True) -> tuple[str, ...]:
    """Every field whose unknown value could change the decision: the empty ones the evaluator
    found (``decided.uncertain``, ``semantics.undecided``), then the year-month dates
    (``MonthDate``) whose unknown day could, and a woman's empty retirement category
    (``open_values``): each is tried in turn and the person decided again; a field is uncertain
    when the decision (``ROW_COLUMNS``: status, rule, exemption, direction, promotion, penalties,
    benefits, cite, may_decline) differs. The rule of ``contract.md``; the bulk evaluator's form
    of it is ``io.columnar.decided_with_uncertain``."""
    base = _decided_part(decided)
    return decided.uncertain + tuple(name for name, again in open_values(values, category)
                                     if _decided_part(decide(again)) != base)


def _decided_part(decision: Decision) -> tuple:
    row = decision.to_row(benefit_until=True)  # a benefit's last day is part of the decision
    return tuple(row[c] for c in ROW_COLUMNS)


@attrs.frozen
class Bar:
    """A penalty in force that holds a promotion back."""

    rule: str  # the penalty's id
    lifts: dt.date | None  # the first day it no longer bars; None: open-ended

    def text(self) -> str:
        """The flat form: `RULE:LIFTS` (`RULE:` when open-ended)."""
        return f"{self.rule}:{self.lifts.isoformat() if self.lifts else ''}"


@attrs.frozen
class PromotionCheck:
    target: str  # first, senior, full_senior or principal
    # ids of what is not met: the unmet prerequisites, then the penalties that bar it; empty means ok
    unmet: tuple[str, ...]
    barred: tuple[Bar, ...] = ()  # the penalties among ``unmet``, with the day each lifts

    @property
    def ok(self) -> bool:
        return not self.unmet

    def text(self) -> str:
        """The flat form: `ok`, or the unmet prerequisites' ids and the bars (`RULE:LIFTS`) joined by `;`."""
        if self.ok:
            return "ok"
        bars = {b.rule: b.text() for b in self.barred}
        return ";".join(bars.get(u, u) for u in self.unmet)

    @classmethod
    def from_text(cls, target: str, text: str) -> PromotionCheck:
        if text == "ok":
            return cls(target, ())
        unmet, barred = [], []
        for item in text.split(";"):
            rule, sep, lifts = item.partition(":")
            unmet.append(rule)
            if sep:
                barred.append(Bar(rule, dt.date.fromisoformat(lifts) if lifts else None))
        return cls(target, tuple(unmet), tuple(barred))


@attrs.frozen
class Consequence:
    """A penalty in force or a benefit earned."""

    rule: str
    effect: str
    label: str | None = None
    # the last day the effect is in force (民法典 arts. 201-202: the corresponding day of the
    # period counted from its event; it lifts the next day); None when open-ended
    until: dt.date | None = None


@attrs.frozen
class Fired:
    """A rule whose condition held, with the exemption that defeated it, if one did."""

    rule: str
    exemption: str | None = None  # the exemption's id

    def text(self) -> str:
        return self.rule if self.exemption is None else f"{self.rule}:{self.exemption}"


@attrs.frozen
class Decision:
    id: str
    status: str
    rule: str | None
    exemption: str | None
    direction: str | None
    promotion: tuple[PromotionCheck, ...]
    penalties: tuple[Consequence, ...]
    benefits: tuple[Consequence, ...]
    cite: tuple[str, ...]
    as_of: dt.date
    # for a must_rotate person whom the policy lets decline (可不参加、可暂缓): the exemption codes
    # they may invoke (semantics.may_decline); empty otherwise
    may_decline: tuple[str, ...] = ()
    # every rule that fired, in declaration order; None where an evaluation did not ask
    fired: tuple[Fired, ...] | None = None
    # the values stated for columns the roster lacks (``nursing=false``), as the reader applied them
    assumptions: tuple[str, ...] = ()
    # the fields whose unknown value could change this decision: empty ones a declaration reads
    # (semantics.undecided, open_prerequisite, open_grounds; a penalty or benefit's `when`), then
    # year-month dates whose day is unknown (``uncertain_fields``)
    uncertain: tuple[str, ...] = ()

    def promotion_for(self, target: str) -> PromotionCheck | None:
        return next((p for p in self.promotion if p.target == target), None)

    def to_json(self) -> dict:
        fired = {} if self.fired is None else {"fired": [{"rule": f.rule, "exemption": f.exemption}
                                                         for f in self.fired]}
        return {
            "id": self.id,
            "status": self.status,
            "rule": self.rule,
            "exemption": self.exemption,
            "may_decline": list(self.may_decline),
            "direction": self.direction,
            "promotion": {p.target: {"ok": p.ok, "unmet": list(p.unmet),
                                     "barred": [{"rule": b.rule, "lifts": b.lifts.isoformat() if b.lifts else None}
                                                for b in p.barred]} for p in self.promotion},
            "penalties": [_consequence_json(c) for c in self.penalties],
            "benefits": [_consequence_json(c) for c in self.benefits],
            "cite": list(self.cite),
            "uncertain": list(self.uncertain),
            "assumptions": list(self.assumptions),
            "as_of": self.as_of.isoformat(),
        } | fired

    def to_row(self, fired: bool = False, benefit_until: bool = False) -> dict[str, str]:
        """The flat CSV/XLSX form, columns ``flat_columns(fired)``: `promotion_senior` is `ok` or
        the unmet ids joined by `;` (a penalty that bars it as `RULE:LIFTS`, the first day it no
        longer bars); penalties `RULE:effect:until`, benefits `RULE:effect` (with
        ``benefit_until``, as the evaluators' own frames have them, `RULE:effect:until` too);
        `uncertain` and `assumptions` joined by `;`; with ``fired``, also the rules that fired
        (`RULE` or `RULE:EXEMPTION` joined by `;`)."""
        row = {"id": self.id, "status": self.status, "rule": self.rule or "",
               "exemption": self.exemption or "", "direction": self.direction or ""}
        for target in PROMOTION_COLUMNS:
            check = self.promotion_for(target)
            row[f"promotion_{target}"] = "" if check is None else check.text()
        row["penalties"] = ";".join(map(_item, self.penalties))
        row["benefits"] = ";".join(map(_item, self.benefits))
        if not benefit_until:
            row["benefits"] = contract_benefits(row["benefits"])
        row["cite"] = ";".join(self.cite)
        row[MAY_DECLINE_COLUMN] = ";".join(self.may_decline)
        row[UNCERTAIN_COLUMN] = ";".join(self.uncertain)
        row[ASSUMPTIONS_COLUMN] = ";".join(self.assumptions)
        if fired:
            row[FIRED_COLUMN] = ";".join(f.text() for f in self.fired or ())
        return row


def _item(c: Consequence) -> str:
    """A penalty's or benefit's flat form: `RULE:effect:until`, `until` empty when open-ended."""
    return f"{c.rule}:{c.effect}:{c.until.isoformat() if c.until else ''}"


# a benefit's last day in the flat form, which the decisions file leaves out: the contract's
# benefits are `RULE:effect`; replaced by the second group (polars reads `$2`, ``re`` `\2`)
CONTRACT_BENEFIT = r":(\d{4}-\d{2}-\d{2})?(;|$)"


def contract_benefits(text: str) -> str:
    """Benefits `RULE:effect:until` joined by `;` as the decisions file has them: `RULE:effect`."""
    return re.sub(CONTRACT_BENEFIT, r"\2", text)


def consequences(text: str | None, labels: Mapping[tuple[str, str], str | None]) -> tuple[Consequence, ...]:
    """The items of a flat penalties or benefits column, `RULE:effect:until` (a decisions file's
    benefits, `RULE:effect`, have no last day to tell)."""
    out = []
    for item in split_joined(text):
        rule, effect, *until = item.split(":")
        last = until[0] if until else ""
        out.append(Consequence(rule, effect, labels.get((rule, effect)), dt.date.fromisoformat(last) if last else None))
    return tuple(out)


def split_joined(text: str | None) -> tuple[str, ...]:
    """The items of a flat column ``Decision.to_row`` joins by `;` (an empty or missing cell: none)."""
    return tuple(filter(None, (text or "").split(";")))


def decision_from_row(row: dict[str, str], as_of: dt.date, labels: dict[tuple[str, str], str | None]) -> Decision:
    """A decision from its flat form (as the bulk evaluator produces it); ``labels``
    maps (rule id, effect name) to the effect's label, which the flat form omits."""
    promotion = tuple(PromotionCheck.from_text(t, row[f"promotion_{t}"]) for t in PROMOTION_COLUMNS
                      if row[f"promotion_{t}"])
    fired = None
    if FIRED_COLUMN in row:
        fired = tuple(Fired(*item.split(":")) for item in split_joined(row[FIRED_COLUMN]))
    return Decision(id=row["id"], may_decline=split_joined(row[MAY_DECLINE_COLUMN]),
                    status=row["status"], rule=row["rule"] or None,
                    exemption=row["exemption"] or None, direction=row["direction"] or None,
                    promotion=promotion, penalties=consequences(row["penalties"], labels),
                    benefits=consequences(row["benefits"], labels),
                    cite=split_joined(row["cite"]), as_of=as_of, fired=fired,
                    uncertain=split_joined(row.get(UNCERTAIN_COLUMN)),
                    assumptions=split_joined(row.get(ASSUMPTIONS_COLUMN)))


ROW_COLUMNS = ("id", "status", "rule", "exemption", "direction",
               *(f"promotion_{t}" for t in PROMOTION_COLUMNS), "penalties", "benefits", "cite", "may_decline")
MAY_DECLINE_COLUMN = "may_decline"  # the exemption codes a must_rotate person may invoke, joined by `;`
FIRED_COLUMN = "fired"  # an extra column, on request: the rules that fired
# the column the writers of a roster's decisions add: the values stated for columns it lacks
ASSUMPTIONS_COLUMN = "assumptions"
# the column the writers add for the year-month dates a decision depends on (``uncertain_fields``)
UNCERTAIN_COLUMN = "uncertain"


def flat_columns(fired: bool = False) -> tuple[str, ...]:
    """The columns of a decision's flat form (``Decision.to_row``, a decisions file, a table of
    decisions): the decision, the year-month dates it depends on, the assumptions applied, and
    with ``fired`` the rules that fired."""
    return ROW_COLUMNS + (UNCERTAIN_COLUMN, ASSUMPTIONS_COLUMN) + ((FIRED_COLUMN,) if fired else ())


def _consequence_json(c: Consequence) -> dict:
    return {"rule": c.rule, "effect": c.effect, "label": c.label,
            "until": c.until.isoformat() if c.until else None}


@attrs.frozen
class Read:
    """A value an evaluation read: a field, parameter or definition."""

    name: str
    value: object
    type: object  # types.Type
    doc: str | None = None
    kind: str = "field"  # field, parameter or definition


@attrs.frozen
class ConditionTrace:
    text: str  # the condition in policy syntax
    value: bool | None  # None: unknown because a value was missing
    reads: tuple[Read, ...]
    text_zh: str | None = None  # as a Chinese explanation shows it (pretty.expr_text, lang="zh")
    ages: frozenset[str] = frozenset()  # the reads that are ages (pretty.ages_in): 周岁 in Chinese
    shown_zh: frozenset[str] = frozenset()  # the parameters ``text_zh`` shows by their values (6年, not teacher_tenure)

    def shown(self, lang: str = "en") -> str:
        return self.text_zh if lang == "zh" and self.text_zh else self.text

    def to_json(self, lang: str = "en") -> dict:
        """The condition as data: its text, its value (a dated event's as text: `after
        refused_exchange` traces the date itself) and what it read, as ``lang`` shows values."""
        from policylang.lang.pretty import value_text  # (pretty renders values; it reads no decision)

        yes_no = self.value is None or isinstance(self.value, bool)
        return {"text": self.text, "value": self.value if yes_no else value_text(self.value, None, lang),
                "reads": [{"name": r.name, "value": value_text(r.value, r.type, lang, age=r.name in self.ages)}
                          for r in self.reads]}


@attrs.frozen
class Step:
    """What one declaration did for this person."""

    kind: str  # rule, exemption, prerequisite, penalty, benefit
    id: str
    title: str
    outcome: str  # fired, not_fired, unknown, exempted (a must_rotate rule), set_aside (another), applies, met, unmet, not_applicable, in_force, expired, not_triggered, before_effective (the detail: the `effective` date)
    conditions: tuple[ConditionTrace, ...]
    cites: tuple[str, ...]
    detail: str | None = None  # e.g. the exemption that defeated a rule, or an until-date
    version: str = ""  # a penalty's or benefit's earlier version: the file whose it was (Consequence.version)


@attrs.frozen
class Explanation:
    decision: Decision
    as_of: dt.date
    policy: str
    steps: tuple[Step, ...]
    # the declarations a missing value left undecided that could change the decision (the
    # reference interpreter's ``decide``), and the empty fields they read: those of the decision's
    # ``uncertain`` (the others are year-month dates), and any a reader would have refused
    undecided: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
