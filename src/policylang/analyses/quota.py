"""Quotas: per school, cluster, township or county, how many must move under each
quota of the policy, whether the pool can meet it, and a proposed selection.

Reading of a quota requirement ``require COUNT at least SHARE of BASE rounded R``:
- ``movers at least 10% of targets``: the group must send at least that many
  people (the plan's size is the largest such number over the group's quotas);
- ``movers where C at least 20% of movers``: of the plan, at least that share
  must satisfy C (a base ``movers where D`` is the plan's size, or the pool meeting D
  if that is smaller);
- ``movers where C at least 10% of targets where C``: at least that many of the plan satisfy
  C, and the plan is at least that big (the movers counted toward a share of JA-1's targets
  are JA-1's targets, not a principal who must move under another rule);
- ``teachers|targets|eligible [where C] at least SHARE of BASE``: a head-count
  condition the group must already meet (e.g. a staffing floor).
A quota written ``at schools where (C)`` (城镇学校、优质学校) applies to the people of the
schools where C holds: its counts and school totals are taken over them alone, and a group
with none of them gets no requirement from it (a group no quota applies to is not planned).
The pool is everyone whose status is ``must_rotate`` or ``eligible``. A target whom the
policy lets decline (``may_decline``: 可不参加、可暂缓) is still a target: counted in
``targets`` and in the pool, ranked with the targets, and reported (``GroupPlan.may_decline``,
and in the reasons of a selected person) so that whoever fills the plan knows it may shrink.

Selection ranks the pool: exchange targets before volunteers, then the policy's
``priority`` declarations in order, then the documented tie-break: longest at the
school first (earliest ``school_start``), then the older first (earliest
``birth_date``), then by id. It fills each composition requirement with the best
ranked people who satisfy it, then the rest of the plan by rank.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

import attrs
import numpy as np
import polars as pl

from policylang.lang import ops as B
from policylang.lang import policy as P
from policylang.lang.schema import unknown_values_text
from policylang.backends.polars import Compiler, frame_from_records
from policylang.lang.pretty import DisplayNames, expr_text, policy_display_names, value_text
from policylang.core.i18n import exemption_label
from policylang.lang import schema as S
from policylang.lang.decisions import split_joined
from policylang.lang.frame import MONTH, column_name
from policylang.lang.reads import GROUP_FIELD, decision_reads, unknowing_fields_in
from policylang.lang.semantics import empty_fields, open_here
from policylang.lang.types import whole_as_int

_STATUSES = {"targets": ("must_rotate",), "eligible": ("must_rotate", "eligible"),
             "movers": ("must_rotate", "eligible"), "teachers": None}  # who a selection can hold


@attrs.frozen
class RequirementResult:
    quota: str
    title: str
    text: str  # the requirement as written
    text_zh: str  # the same in Chinese, as an official reads it
    kind: str  # movers, composition or headcount
    base: int | float | None  # the size the share is taken of; None: a school's value of it is empty
    required: int | None  # None: not known (``base`` is not)
    available: int  # the pool (movers, composition) or the head count (headcount)
    feasible: bool  # false when not known either
    lacking: tuple[str, ...] = ()  # the schools whose value of a school column base is empty
    base_column: str | None = None  # the school column the share is taken of (编制数), if it is one

    @property
    def known(self) -> bool:
        return self.required is not None


@attrs.frozen
class Selected:
    id: str
    rank: int
    of: int
    status: str
    reasons: tuple[tuple[str, str], ...]  # (English, Chinese): what put the person at this rank

    def reason_text(self, lang: str = "en") -> str:
        return ("；" if lang == "zh" else "; ").join(zh if lang == "zh" else en for en, zh in self.reasons)


@attrs.frozen
class GroupPlan:
    per: str
    group: str
    teachers: int
    targets: int
    eligible: int
    movers: int  # the plan's size
    requirements: tuple[RequirementResult, ...]
    selection: tuple[Selected, ...]
    may_decline: int = 0  # of the targets, those the policy lets decline (still counted as targets)
    # of the group's people, those whose decision an empty cell or a year-month date leaves
    # uncertain, or whose empty cell leaves a quota's condition unknown: counted as decided (a
    # year-month date on its month's first day; an unknown condition as not holding), to be checked
    uncertain: int = 0
    # the targets no requirement counts (each counts movers `where` its rules' targets: JA-1's, not a
    # principal under FJ-3b): the plan's size says nothing of them; their own rule says when they move
    outside: tuple[str, ...] = ()

    @property
    def feasible(self) -> bool:
        return all(r.feasible for r in self.requirements)

    @property
    def known(self) -> bool:
        """Every requirement could be worked out (no school's base value is empty)."""
        return all(r.known for r in self.requirements)


def apply_share(share: Fraction, base: int | float, rounding: str) -> int:
    exact = Fraction(share) * Fraction(base)
    if rounding == "down":
        return math.floor(exact)
    if rounding == "nearest":
        return math.floor(exact + Fraction(1, 2))
    return math.ceil(exact)


_GROUPS_ZH = {"teachers": "教师", "targets": "交流对象", "eligible": "须交流或可交流者", "movers": "交流人数"}
_ROUNDING_ZH = {"up": "向上取整", "down": "向下取整", "nearest": "四舍五入"}


# the same text for each group a requirement applies to: by identity (hashing the expressions costs
# more than writing them), kept with the requirement, and bounded for a server that loads policy after policy
_TEXTS: dict[tuple, tuple[P.Requirement, str]] = {}
_TEXTS_KEPT = 1024


def _requirement_text(req: P.Requirement, lang: str = "en", names: DisplayNames | None = None) -> str:
    """The requirement as the policy writes it, or (``zh``) in Chinese: 交流人数不少于交流对象的10%，向上取整,
    the policy's definitions by their Chinese ``names`` (``pretty.policy_display_names``)."""
    key = (id(req), lang, names.key() if names is not None and lang == "zh" else ())
    known = _TEXTS.get(key)
    if known is not None and known[0] is req:
        return known[1]
    if len(_TEXTS) >= _TEXTS_KEPT:
        _TEXTS.clear()
    text = _written_requirement(req, lang, names)
    _TEXTS[key] = (req, text)
    return text


def _written_requirement(req: P.Requirement, lang: str, names: DisplayNames | None = None) -> str:
    zh = lang == "zh"

    def sel(s):
        group = _GROUPS_ZH.get(s.group, s.group) if zh else s.group
        if s.where is None:
            return group
        return f"{group}（{expr_text(s.where, lang='zh', names=names)}）" if zh else f"{group} where ({expr_text(s.where)})"

    share = req.share
    shown = f"{float(share * 100):g}%" if (share * 100).denominator == 1 else f"{share.numerator}/{share.denominator}"
    if isinstance(req.base, P.Selection):
        base = sel(req.base)
    else:
        base = f"学校{S.SCHOOLS.label(req.base, 'zh')}" if zh else f"school.{req.base}"  # 学校编制数
    if zh:
        return f"{sel(req.count)}不少于{base}的{shown}，{_ROUNDING_ZH.get(req.rounding, req.rounding)}"
    return f"{sel(req.count)} at least {shown} of {base}, rounded {req.rounding}"


class _People:
    """Everyone planned, as columns: their statuses, the conditions the quotas read evaluated
    for each, their place in the ranking (``rank``), and what a selected person's reasons show."""

    def __init__(self, policy: P.CheckedPolicy, frame: pl.DataFrame, statuses: pl.Series, as_of: dt.date,
                 params: Mapping[str, object] | None, declines: pl.Series | None, uncertain: pl.Series | None):
        in_force = policy.parameter_values(params)
        compiler = Compiler(policy, as_of, in_force)
        self.policy, self.frame = policy, frame
        # its definitions' Chinese names and its parameters' values, for the requirements' text
        self.names = policy_display_names(policy, in_force)
        # statuses as their numbers in P.STATUSES (so tests on a million of them are fast)
        self.status_codes = statuses.cast(pl.Enum(P.STATUSES)).to_physical().cast(pl.Int8).to_numpy()
        conditions = {id(s.where): s.where for q in policy.quotas for s in _conditioned(q)}
        conditions |= {id(q.scope): q.scope for q in policy.quotas if q.scope is not None}
        # with_columns: a condition that is the same for everyone still gives a value per person;
        # true, false, or null where an empty cell leaves it neither (counted as not holding)
        values = frame.with_columns(compiler.expr(c).alias(f"held{k}") for k, c in conditions.items())
        self._held = {k: values[f"held{k}"].fill_null(False).to_numpy() for k in conditions}
        self._admitted = {group: np.ones(frame.height, dtype=bool) if ok is None else
                          np.isin(self.status_codes, [P.STATUSES.index(s) for s in ok])
                          for group, ok in _STATUSES.items()}
        self._unknown = {k: values[f"held{k}"].is_null().to_numpy() for k in conditions}
        # (as a decision's uncertain fields: those an empty cell of which can leave it unknown, ``reads``)
        self._open_fields = {k: [(*f, column_name(*f)) for f in empty_fields(policy, unknowing_fields_in(policy, [c]))]
                             for k, c in conditions.items()}
        self._policy = policy
        self._open_at_columns = sorted({(f.open_at[0], f"school.{f.open_at[0]}") for t in (policy.teachers, policy.schools)
                                        for f in t.fields if f.open_at is not None} & {
                                           (c.removeprefix("school."), c) for c in frame.columns})
        self._masks: dict[tuple, np.ndarray] = {}
        self.must = self.status_codes == P.STATUSES.index("must_rotate")
        self.eligible = self.status_codes == P.STATUSES.index("eligible")
        # of a decision's uncertain fields, those a rule or exemption reads: a quota counts statuses
        # and grounds to decline, which a field only a prerequisite or a benefit reads cannot change
        deciding = {r.id for r in policy.rules} | {e.id for e in policy.all_exemptions()}
        self._status_fields = {column_name(*c) for item, read in decision_reads(policy).items() if item in deciding
                               for c in read}
        if uncertain is not None:  # each distinct text once: nearly every one is empty
            texts = uncertain.unique().drop_nulls().to_list()
            kept = [";".join(f for f in split_joined(t) if f in self._status_fields) for t in texts]
            if kept != texts:
                uncertain = uncertain.replace_strict(texts, kept, default="", return_dtype=pl.Utf8)
        self._declines, self._uncertain = declines, uncertain
        self.may_decline, self.unsure = _listing(declines, frame.height), _listing(uncertain, frame.height)
        self.keys = [k for priority in policy.priorities for k in priority.keys]
        self.key_values = frame.select(compiler.expr(k.expr).alias(f"key{n}") for n, k in enumerate(self.keys)) \
            if self.keys else None
        # for the reasons; in Chinese a definition by its title (具有中级以上职务…, not cd_core)
        self.key_texts = [(expr_text(k.expr), expr_text(k.expr, lang="zh", names=self.names)) for k in self.keys]
        self.rank = _ranks(frame, self.must, self._admitted["movers"], self.keys, self.key_values)
        self.school_codes = _sorted_codes(frame["school_id"].cast(pl.Utf8))

    def status(self, i: int) -> str:
        return P.STATUSES[self.status_codes[i]]

    def declines(self, i: int) -> tuple[str, ...]:
        """The exemption codes a person may invoke to decline (the decision's ``may_decline``)."""
        return split_joined(self._declines[i]) if self._declines is not None else ()

    def uncertain(self, i: int) -> tuple[str, ...]:
        """The fields that leave a person's status uncertain (of the decision's ``uncertain``), then
        the empty ones that leave a quota's condition unknown for them."""
        found = list(split_joined(self._uncertain[i])) if self._uncertain is not None else []
        for k, unknown in self._unknown.items():
            if unknown[i]:
                found += [f for t, name, f in self._open_fields[k] if self.frame[f][i] is None and f not in found
                          and open_here(self._policy, t, name, self._school(i))]
        return tuple(found)

    def _school(self, i: int) -> dict:
        """Person ``i``'s school as ``semantics.open_here`` reads it: the columns a field's
        ``open_at`` names (a 完中's stage), by field name; a person's reasons only, so no more."""
        return {name: self.frame[column][i] for name, column in self._open_at_columns}

    def unknown(self, condition) -> np.ndarray:
        """Whether an empty cell leaves ``condition`` neither true nor false, per person."""
        return self._unknown[id(condition)]

    def admitted(self, group: str) -> np.ndarray:
        return self._admitted[group]

    def holds(self, condition) -> np.ndarray:
        return self._held[id(condition)]

    def members(self, indexes: np.ndarray, selection: P.Selection) -> np.ndarray:
        key = (selection.group, id(selection.where))
        mask = self._masks.get(key)
        if mask is None:  # made once per selection, not once per group
            mask = self._admitted[selection.group]
            if selection.where is not None:
                mask = mask & self.holds(selection.where)
            self._masks[key] = mask
        return indexes[mask[indexes]]


def _conditioned(quota: P.Quota) -> list[P.Selection]:
    """A quota's selections with a condition (``movers where (…)``)."""
    return [s for r in quota.requirements for s in (r.count, r.base) if isinstance(s, P.Selection) and s.where]


def _listing(joined: pl.Series | None, height: int) -> np.ndarray:
    """Per person, whether a decision column joined by `;` (``may_decline``, ``uncertain``) lists anything."""
    if joined is None:
        return np.zeros(height, dtype=bool)
    return joined.fill_null("").str.len_bytes().gt(0).to_numpy()


_DIGITS = re.compile(r"(\d+)")


def code_order(code: object) -> tuple:
    """A group's code as a reader orders them: its numbers by value (S2 before S10), the rest as text."""
    parts = _DIGITS.split(str(code))
    return tuple((0, int(p), p) if k % 2 else (1, 0, p) for k, p in enumerate(parts))


def _sorted_codes(values: pl.Series) -> np.ndarray:
    """Each value's place among the distinct values in ``code_order``: groups of a million rows
    are found and ordered by sorting numbers, not text."""
    distinct = sorted(values.unique().drop_nulls().to_list(), key=code_order)
    return values.cast(pl.Enum(distinct)).to_physical().cast(pl.Int64).fill_null(-1).to_numpy()


def _ranks(frame: pl.DataFrame, must: np.ndarray, pool: np.ndarray, keys,
           key_values: pl.DataFrame | None) -> np.ndarray:
    """Each person's place in the ranking of the pool, 0 first: exchange targets before the
    rest, then each priority key in order (a missing value last; ordered codes by their order,
    dates by day, yes before no when descending), then the earliest at the school, the
    earliest born, and the id. Only the pool is ranked; the others come after it."""
    columns = [pl.Series(~must).cast(pl.Int8).alias("target")]
    for n, k in enumerate(keys):
        value = key_values[f"key{n}"]
        t = k.expr.type
        if getattr(t, "name", None) in B.ORDERED_ENUMS:
            order = B.ORDERED_ENUMS[t.name]
            value = value.replace_strict(list(order), list(range(len(order))), default=None, return_dtype=pl.Float64)
        elif value.dtype == pl.Date:
            value = value.cast(pl.Int32)
        value = value.cast(pl.Float64)
        columns += [value.is_null().alias(f"missing{n}"), (-value if k.descending else value).alias(f"value{n}")]
    for field in ("school_start", "birth_date"):  # missing last
        columns += [frame[field].is_null().alias(f"missing_{field}"), frame[field].alias(field)]
    columns.append(frame["id"].cast(pl.Utf8).alias("id"))
    table = pl.DataFrame(columns).with_row_index("row").filter(pl.Series(pool))
    order = table.sort(pl.exclude("row"), nulls_last=True)["row"].to_numpy()
    rank = np.full(frame.height, frame.height, dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _reasons(people: _People, i: int) -> list[tuple[str, str]]:
    target = bool(people.must[i])
    reasons = [("exchange target", "交流对象") if target else ("eligible (may be selected)", "可交流人员")]
    declines = people.declines(i)
    if declines:
        codes = ", ".join(declines)
        zh = "、".join(exemption_label(c, "zh") for c in declines)
        reasons.append((f"may decline ({codes}); counted as a target", f"本人可申请不参加（{zh}），仍计入交流对象"))
    unsure = people.uncertain(i)
    if unsure:
        reasons.append((f"to be checked: {unknown_values_text(unsure, 'en')}; given in full, it could change the "
                        f"decision", f"待核实：{unknown_values_text(unsure, 'zh')}，数据补全后结论可能不同"))
    n = 0
    for priority in people.policy.priorities:
        values = []  # (the key's text in English and Chinese, its type, this person's value)
        for k in priority.keys:
            values.append((people.key_texts[n], k.expr.type, people.key_values[f"key{n}"][i]))
            n += 1
        shown = ", ".join(f"{en} = {value_text(v, t)}" for (en, _), t, v in values)
        shown_zh = "，".join(f"{zh} = {value_text(v, t, 'zh')}" for (_, zh), t, v in values)
        reasons.append((f"{priority.id} {priority.title}: {shown}", f"{priority.id} {priority.title}：{shown_zh}"))
    frame = people.frame
    start = frame["school_start"][i]
    if _month_only(frame, "school_start", i):  # the roster gives the month: never a day it did not write
        reasons.append((f"at the school since {start:%Y-%m} (the month only: among those who came that month, "
                        f"the order is taken as if on its first day)",
                        f"{start:%Y-%m} 起在本校（只有年月：与同月到校者的先后按该月1日排）"))
    else:
        reasons.append((f"at the school since {start}", f"{start} 起在本校"))
    if _month_only(frame, "birth_date", i):
        reasons.append((f"born {frame['birth_date'][i]:%Y-%m} (the month only: the order among those otherwise "
                        f"equal is taken as if on its first day)",
                        f"出生于 {frame['birth_date'][i]:%Y-%m}（只有年月：其他条件相同时按该月1日排先后）"))
    return reasons


def _month_only(frame: pl.DataFrame, field: str, i: int) -> bool:
    """Whether the roster gave ``field`` of row ``i`` as a year and month only (its flag)."""
    flag = MONTH + field
    return flag in frame.columns and bool(frame[flag][i]) and frame[field][i] is not None


def plan_quotas(policy: P.CheckedPolicy, rows: Sequence[Mapping], schools: Mapping[str, Mapping],
                statuses: Sequence[str], *, as_of: dt.date,
                params: Mapping[str, object] | None = None,
                declines: Sequence[tuple[str, ...]] | None = None,
                uncertain: Sequence[tuple[str, ...]] | None = None) -> list[GroupPlan]:
    """Every quota group of the policy with its requirements and a proposed selection;
    ``statuses`` are the people's decided statuses, in the order of ``rows`` (and ``declines``
    their decisions' ``may_decline``): ``plan_quotas_frame`` of their table."""
    frame = frame_from_records(policy, list(rows), schools)
    codes = None if declines is None else pl.Series([";".join(d) for d in declines], dtype=pl.Utf8)
    unsure = None if uncertain is None else pl.Series([";".join(u) for u in uncertain], dtype=pl.Utf8)
    return plan_quotas_frame(policy, frame, pl.Series(list(statuses), dtype=pl.Utf8), as_of=as_of, params=params,
                             declines=codes, uncertain=unsure)


def plan_quotas_frame(policy: P.CheckedPolicy, frame: pl.DataFrame, statuses: pl.Series, *,
                      as_of: dt.date, params: Mapping[str, object] | None = None,
                      declines: pl.Series | None = None, uncertain: pl.Series | None = None) -> list[GroupPlan]:
    """Every quota group of the policy with its requirements and a proposed selection, for a
    table (teacher columns plus ``school.*``; ``statuses``, and ``declines`` and ``uncertain``
    the decisions' ``may_decline`` and ``uncertain`` joined by `;`, in its row order):
    conditions and the ranking are computed on columns, each group's counts on arrays of its
    people."""
    people = _People(policy, frame, statuses, as_of, params, declines, uncertain)
    fields = sorted({r.base for q in policy.quotas for r in q.requirements if isinstance(r.base, str)})
    school_rows = frame.select(pl.Series("code", people.school_codes), pl.col("school_id").cast(pl.Utf8),
                               *(f"school.{f}" for f in fields)).unique("code", keep="first")
    schools = {row["code"]: row for row in school_rows.iter_rows(named=True)}
    plans, outside = [], []  # (a plan's place, the rows of its targets no quota counts)
    for per in sorted({q.per for q in policy.quotas}, key=P.QUOTA_GROUPS.index):
        quotas = [q for q in policy.quotas if q.per == per]
        # with_columns: a group that is a constant (`per county`) is everyone's, a value a row
        names = frame.with_columns(_group_key(per).alias("__group"))["__group"]
        codes = people.school_codes if per == "school" else _sorted_codes(names)
        order = np.argsort(codes, kind="stable")  # each group's people in row order, the groups by name
        starts = [0, *(np.flatnonzero(np.diff(codes[order])) + 1).tolist()] if len(order) else []  # no one: no group
        for start, end in zip(starts, [*starts[1:], len(order)]):
            group = names[int(order[start])]
            planned = _plan_group(people, schools, per, group, order[start:end], quotas)
            if planned is not None:
                if len(planned[1]):
                    outside.append((len(plans), planned[1]))
                plans.append(planned[0])
    if outside:  # their ids, read at once (not a read of the id column per group)
        ids = iter(frame["id"].gather(np.concatenate([rows for _, rows in outside])).cast(pl.Utf8).to_list())
        for at, rows in outside:
            plans[at] = attrs.evolve(plans[at], outside=tuple(next(ids) for _ in rows))
    return plans


def _sizes_plan(req: P.Requirement) -> bool:
    """Whether a requirement sets the plan's size: a number of movers (`movers [where C] at least
    …`) of a base other than the plan itself (a share of the movers is the plan's make-up)."""
    return req.count.group == "movers" and not (isinstance(req.base, P.Selection) and req.base.group == "movers")


def _sizes(quotas: Sequence[P.Quota], count: Callable[[P.Quota, P.Selection], int],
           school_total: Callable[[P.Quota, str], tuple[float | None, tuple[str, ...]]],
           names: DisplayNames | None = None
           ) -> tuple[int, list[RequirementResult], list[tuple[P.Requirement, int, P.Quota]]]:
    """One group's plan size, every requirement's result, and the composition requirements
    the selection must fill, from ``count`` (how many of the group's people in a quota's
    schools a selection holds) and ``school_total`` (a numeric school field summed over the
    group's schools in the quota's scope, None when a school's value is empty, with those
    schools). A requirement on a base not known is not known, and not met: an empty 编制数 is
    no establishment of 0."""

    def base_size(q: P.Quota, req: P.Requirement, planned: int) -> tuple[int | float | None, tuple[str, ...]]:
        """The base, and the schools whose value of a school column base is empty (then None)."""
        if isinstance(req.base, str):
            total, lacking = school_total(q, req.base)
            return (None if total is None else whole_as_int(total)), lacking  # summed as floats; 120.0 is 120
        if req.base.group == "movers":
            # the plan's size; with a condition, no more than the pool that meets it (a school-level
            # condition such as `not school.pilot` gives all of the plan or none of it)
            return (planned if req.base.where is None else min(planned, count(q, req.base))), ()
        return count(q, req.base), ()

    # the plan's size: the largest number any `movers [where C] at least ...` requirement asks for (not a
    # share of the plan itself): 10% of JA-1's targets, counted among JA-1's targets, is that many movers
    planned = 0
    for q in quotas:
        for req in q.requirements:
            if _sizes_plan(req):
                base, _ = base_size(q, req, 0)
                if base is not None:
                    planned = max(planned, apply_share(req.share, base, req.rounding))
    results, compositions = [], []
    for q in quotas:
        for req in q.requirements:
            base, lacking = base_size(q, req, planned)
            required = None if base is None else apply_share(req.share, base, req.rounding)
            composition = isinstance(req.base, P.Selection) and req.base.group == "movers"
            if req.count.group == "movers":  # of the pool: the pool is the movers
                kind = "composition" if composition or req.count.where is not None else "movers"
                if kind == "composition" and required is not None:
                    compositions.append((req, required, q))
            else:
                kind = "headcount"
            available = count(q, req.count)
            results.append(RequirementResult(q.id, q.title, _requirement_text(req), _requirement_text(req, "zh", names),
                                             kind,
                                             base, required, available,
                                             required is not None and available >= required, lacking,
                                             req.base if isinstance(req.base, str) else None))
    return planned, results, compositions


def _plan_group(people: _People, schools: Mapping[str, Mapping], per: str, group: str, indexes: np.ndarray,
                quotas) -> tuple[GroupPlan, np.ndarray] | None:
    """One group's plan, and the rows of its targets no quota counts (``GroupPlan.outside``'s)."""
    # each quota's people: those of the group at the schools it applies to
    scoped = {id(q): indexes if q.scope is None else indexes[people.holds(q.scope)[indexes]] for q in quotas}
    all_quotas, quotas = quotas, [q for q in quotas if len(scoped[id(q)])]
    if not quotas:
        return None  # no quota applies to any school of the group
    covered = scoped[id(quotas[0])] if len(quotas) == 1 else np.unique(np.concatenate([scoped[id(q)] for q in quotas]))
    # the pool ranked for the quotas: not the targets no quota counts (listed beside the plan), whose
    # places would leave the ranks of those proposed starting at 3 with nobody at 1 and 2
    outside = _outside(people, scoped, quotas, covered)
    pool = people.members(covered, P.Selection("movers", None))
    pool = pool[~np.isin(pool, outside)] if len(outside) else pool
    targets = int(people.must[covered].sum())
    eligible = int(people.eligible[covered].sum())
    schools_in: dict[int, list[int]] = {}  # a quota's schools, found once per set of people

    def school_total(q: P.Quota, field: str) -> tuple[float | None, tuple[str, ...]]:
        people_of = scoped[id(q)]
        if id(people_of) not in schools_in:
            schools_in[id(people_of)] = np.unique(people.school_codes[people_of]).tolist()
        values = [schools[s] for s in schools_in[id(people_of)]]
        return (_total(v[f"school.{field}"] for v in values),
                tuple(v["school_id"] for v in values if v[f"school.{field}"] is None))

    planned, results, compositions = _sizes(
        quotas, lambda q, selection: len(people.members(scoped[id(q)], selection)), school_total, people.names)
    ranked = pool[np.argsort(people.rank[pool], kind="stable")]
    chosen: list[int] = []
    taken: set[int] = set()
    why: dict[int, list[str]] = {}
    for req, required, q in compositions:
        meets = people.holds(req.count.where) if req.count.where is not None else None
        have = sum(1 for i in chosen if meets is None or meets[i])
        for i in ranked.tolist():
            if have >= required or len(chosen) >= max(planned, required):
                break
            if i in taken or (meets is not None and not meets[i]):
                continue
            chosen.append(i)
            taken.add(i)
            have += 1
            why.setdefault(i, []).append((f"counts toward {q.id}: {_requirement_text(req)}",
                                          f"计入 {q.id}：{q.title}"))
    # beyond the compositions, the plan is made up of people a requirement sizing it counts (a volunteer
    # for another form of exchange fills none of `movers where (zx_target) at least 10% of teachers`)
    counted = _counted(people, scoped, quotas, covered, sizing=True)
    fills = None
    if counted is not None:
        fills = np.zeros(len(people.must), dtype=bool)
        fills[covered] = counted
    for i in ranked.tolist():
        if len(chosen) >= planned:
            break
        if i not in taken and (fills is None or fills[i]):
            chosen.append(i)
            taken.add(i)
    ranks = people.rank[ranked]
    rank_of = {i: int(np.searchsorted(ranks, people.rank[i])) + 1 for i in chosen}
    chosen.sort(key=rank_of.__getitem__)
    ids = people.frame["id"]
    selection = tuple(Selected(str(ids[i]), rank_of[i], len(ranked), people.status(i),
                               tuple(_reasons(people, i) + why.get(i, []))) for i in chosen)
    declining = int((people.must[covered] & people.may_decline[covered]).sum())
    return (GroupPlan(per, group, len(covered), targets, eligible, planned, tuple(results), selection, declining,
                      _to_check(people, indexes, all_quotas)), outside)


def _counted(people: _People, scoped: Mapping[int, np.ndarray], quotas, covered: np.ndarray,
             sizing: bool = False) -> np.ndarray | None:
    """Of the group's people (``covered``), those a movers requirement counts at its quota's
    schools (the `where` they meet); None where one counts every mover. ``sizing``: of the
    requirements that set the plan's size only (``_sizes_plan``)."""
    counted = np.zeros(len(covered), dtype=bool)
    order = np.argsort(covered, kind="stable")
    for q in quotas:
        in_scope = scoped[id(q)]
        at = order[np.searchsorted(covered[order], in_scope)]  # each of in_scope's place in covered
        for req in q.requirements:
            if req.count.group != "movers" or (sizing and not _sizes_plan(req)):
                continue
            if req.count.where is None:
                return None
            counted[at] |= people.holds(req.count.where)[in_scope]
    return counted


def _outside(people: _People, scoped: Mapping[int, np.ndarray], quotas, covered: np.ndarray) -> np.ndarray:
    """The rows of the targets of a quota's schools that none of its movers requirements counts
    (each counts movers `where` a condition they do not meet): none where one counts every mover.
    On the group's people only (``covered``): a county of 2,000 schools plans each apart."""
    counted = _counted(people, scoped, quotas, covered)
    return covered[:0] if counted is None else covered[people.must[covered] & ~counted]


def _to_check(people: _People, indexes: np.ndarray, quotas) -> int:
    """Of a group's people, those counted on a value to check: a status an empty cell or a
    year-month date leaves uncertain (of the people the quotas cover); an empty cell leaving a
    quota's schools condition unknown (they are not covered); or a selection's `where` unknown
    for one of the selection's people at the quota's schools (not counted as meeting it)."""
    covered = np.zeros(len(indexes), dtype=bool)
    flagged = np.zeros(len(indexes), dtype=bool)
    for q in quotas:
        in_scope = np.ones(len(indexes), dtype=bool)
        if q.scope is not None:
            flagged |= people.unknown(q.scope)[indexes]
            in_scope = people.holds(q.scope)[indexes]
        covered |= in_scope
        for s in _conditioned(q):
            flagged |= in_scope & people.admitted(s.group)[indexes] & people.unknown(s.where)[indexes]
    return int((flagged | covered & people.unsure[indexes]).sum())


def group_sizes(policy: P.CheckedPolicy, frame: pl.DataFrame, statuses: pl.Series, *,
                as_of: dt.date, params: Mapping[str, object] | None = None
                ) -> dict[tuple[str, str], tuple[int, bool]]:
    """Per quota group (``per``, group): the plan's size and whether every requirement can be
    met, as ``plan_quotas`` finds them, but from counts over the table's columns (teacher
    columns plus ``school.*``; ``statuses`` in its row order), so a roster of millions takes
    a group-by, not a walk through its people. No selection is made."""
    compiler = Compiler(policy, as_of, policy.parameter_values(params))
    table = frame.lazy().with_columns(statuses.alias("__status"))
    sizes = {}
    for per in sorted({q.per for q in policy.quotas}, key=P.QUOTA_GROUPS.index):
        quotas = [q for q in policy.quotas if q.per == per]
        selections = {(id(q), id(s)): (q, s) for q in quotas for r in q.requirements for s in (r.count, r.base)
                      if isinstance(s, P.Selection)}
        column = {key: f"selection{k}" for k, key in enumerate(selections)}
        in_scope = {id(q): f"scope{k}" for k, q in enumerate(quotas)}
        grouped = table.with_columns(_group_key(per).alias("__group"),
                                     *(compiler.holds(q.scope).alias(in_scope[id(q)]) for q in quotas))
        # with_columns, not agg: a condition that is the same for everyone must still count everyone
        counts = grouped.with_columns(
            (_member(compiler, s) & pl.col(in_scope[id(q)])).alias(column[key]) for key, (q, s) in selections.items()) \
            .group_by("__group").agg(*(pl.col(c).sum() for c in column.values()),
                                     *(pl.col(c).any() for c in in_scope.values())).collect()
        fields = sorted({r.base for q in quotas for r in q.requirements if isinstance(r.base, str)})
        values: dict[tuple[str, int, str], list] = {}  # (group, quota, field) -> the field of each school in its scope
        for row in grouped.select("__group", "school_id", *in_scope.values(), *(f"school.{f}" for f in fields)) \
                .unique(["__group", "school_id"]).collect().iter_rows(named=True):
            for q in quotas:
                if row[in_scope[id(q)]]:
                    for field in fields:
                        values.setdefault((row["__group"], id(q), field), []).append(row[f"school.{field}"])
        for row in counts.iter_rows(named=True):
            group = row["__group"]
            applying = [q for q in quotas if row[in_scope[id(q)]]]
            if not applying:
                continue  # no quota applies to any school of the group
            planned, results, _ = _sizes(applying, lambda q, selection: row[column[(id(q), id(selection))]],
                                         lambda q, field: (_total(values.get((group, id(q), field), ())), ()))
            sizes[(per, group)] = (planned, all(r.feasible for r in results))
    return sizes


def _total(values) -> float | None:
    """A school field summed over a group's schools, rounded once, so the order of the schools
    does not matter; None when a school's value is empty (not known: no 0)."""
    values = list(values)
    return None if any(v is None for v in values) else math.fsum(values)


def _group_key(per: str) -> pl.Expr:
    """The quota group of each row, as ``plan_quotas`` names it."""
    if per == "county":
        return pl.lit("county")
    if per == "school":
        return pl.col("school_id").cast(pl.Utf8)
    value = pl.col(f"school.{GROUP_FIELD[per]}").cast(pl.Utf8)
    return pl.when(value.is_null() | (value == "")).then(pl.lit("—")).otherwise(value)


def _member(compiler: Compiler, selection: P.Selection) -> pl.Expr:
    """Whether each row is in the selection: a status it admits, and its condition holds."""
    statuses = _STATUSES[selection.group]
    admitted = pl.lit(True) if statuses is None else pl.col("__status").is_in(list(statuses))
    return admitted & compiler.holds(selection.where)


def quota_changes(base: P.CheckedPolicy, draft: P.CheckedPolicy, frame: pl.DataFrame, before: pl.Series,
                  after: pl.Series, *, as_of: dt.date, base_params: Mapping | None = None,
                  draft_params: Mapping | None = None) -> list[dict]:
    """Per quota group: how many must move this year, and whether the pool can meet every
    requirement, under each policy (``before``, ``after``: each row's status under each);
    only the groups where something differs."""
    school_names = roster_names(frame)[1]
    sizes_before = group_sizes(base, frame, before, as_of=as_of, params=base_params)
    sizes_after = group_sizes(draft, frame, after, as_of=as_of, params=draft_params)
    out = []
    for key in sorted(set(sizes_before) | set(sizes_after), key=lambda k: (k[0], code_order(k[1]))):
        (movers_before, feasible_before), (movers_after, feasible_after) = (
            sizes.get(key, (None, None)) for sizes in (sizes_before, sizes_after))
        if (movers_before, feasible_before) != (movers_after, feasible_after):
            out.append({"per": key[0], "group": key[1],
                        "group_name": school_names.get(key[1]) if key[0] == "school" else None,
                        "movers_before": movers_before, "movers_after": movers_after,
                        "feasible_before": feasible_before, "feasible_after": feasible_after})
    return out


def roster_names(frame: pl.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """The roster's names of people (id -> name) and of schools (school id -> name), from a
    frame as ``Policy.roster_frame`` and the readers make it, where it has those columns."""
    return _names(frame, "id", "name"), _names(frame, "school_id", "school.name")


def _names(frame: pl.DataFrame, key: str, column: str) -> dict[str, str]:
    if column not in frame.columns:
        return {}
    return {k: v for k, v in zip(frame[key].to_list(), frame[column].to_list()) if k is not None and v}
