"""Rules of the decision every evaluator applies alike, written once: which promotion a
person could apply for next, how long a consequence's effect is in force, and which penalties
in force hold a promotion back and until when. (The reference
interpreter, the closures and the bulk evaluator each build their own form of these from here.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from policylang.lang import decisions as D
from policylang.lang import ops as B
from policylang.lang import policy as P
from policylang.lang import schema as S


def _next_title_target() -> dict[str, str | None]:
    order, targets = S.TITLE_ORDER, S.PROMOTION_TARGETS
    return {title: next((t for t in order[i + 1:] if t in targets), None) for i, title in enumerate(order)}


# Each title's next promotion target: the first title above it that is one (none for the highest).
NEXT_TITLE_TARGET: dict[str, str | None] = _next_title_target()


def has_principal_rules(policy: P.CheckedPolicy) -> bool:
    """Appointment as principal is a target only where some prerequisite is about it."""
    return any("principal" in p.targets for p in policy.prerequisites)


def next_targets(policy: P.CheckedPolicy, teacher: Mapping) -> tuple[str, ...]:
    """The promotion targets a person could apply for next: the next title (a missing title
    reads as none), and principal for anyone not one already where the policy has rules for it."""
    targets = []
    title = NEXT_TITLE_TARGET.get(teacher.get("title") or "none")
    if title:
        targets.append(title)
    if has_principal_rules(policy) and teacher.get("post") != "principal":
        targets.append("principal")
    return tuple(targets)


def effect_until(event: dt.date, effect: P.Effect) -> dt.date | None:
    """The last day an effect ``for N years`` (months, days) is in force, counted from its
    event as the Civil Code counts periods (arts. 201-202, ``ops.period_last_day``): the
    event's day is not counted and the corresponding day is the last, so a ban "三年内" after
    a refusal on 2023-09-01 is in force through 2026-09-01 and lifts on 2026-09-02. This is
    the ``until`` every decision reports. None for an effect without a duration (open-ended)."""
    if effect.duration is None:
        return None
    return B.period_last_day(event, *effect.duration)


def effect_in_force(until: dt.date | None, as_of: dt.date) -> bool:
    """Whether a triggered effect (its event on or before ``as_of``) is still in force: through
    its last day, inclusive; an open-ended one always."""
    return until is None or as_of <= until


def promotion_bars(policy: P.CheckedPolicy, target: str) -> tuple[tuple[P.Consequence, tuple[P.Effect, ...]], ...]:
    """The penalties that can hold back promotion to ``target``, in declaration order, each with
    its effects that bar it (`effect … bars promotion`). A barred promotion is unmet: the
    penalty's id follows the unmet prerequisites' ids (declaration order) in the decision."""
    found = []
    for item in policy.penalties:
        effects = tuple(e for e in item.effects if target in e.bars)
        if effects:
            found.append((item, effects))
    return tuple(found)


def bar_lifts(untils: list[dt.date | None]) -> dt.date | None:
    """The day a penalty stops barring a promotion, from the last days of its barring effects
    in force: the day after the latest (art. 203: a period ends at the end of its last day);
    None (not before some other act) when one of them is open-ended."""
    if not untils or any(u is None for u in untils):
        return None
    last = max(untils)
    return None if last >= dt.date.max else last + dt.timedelta(days=1)


def promotion_check(policy: P.CheckedPolicy, target: str, unmet: list[str],
                    penalties: list[D.Consequence]) -> D.PromotionCheck:
    """A promotion target's entry from its unmet prerequisites (ids, declaration order) and the
    penalties in force: each penalty with an effect in force that bars ``target`` is unmet too,
    after the prerequisites, with the day it lifts (``bar_lifts``)."""
    in_force = {(c.rule, c.effect): c.until for c in penalties}
    bars = []
    for item, effects in promotion_bars(policy, target):
        untils = [in_force[(item.id, e.name)] for e in effects if (item.id, e.name) in in_force]
        if untils:
            bars.append(D.Bar(item.id, bar_lifts(untils)))
    return D.PromotionCheck(target, (*unmet, *(b.rule for b in bars)), tuple(bars))
