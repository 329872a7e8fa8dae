"""The checked policy: what every evaluator reads.

It holds declarations with inheritance applied and every expression bound and
typed (``ir``). It says what the policy means, never how to evaluate it fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction

import attrs

from policylang.lang import ast as A
from policylang.lang import ir
from policylang.lang import types as T
from policylang.core.diagnostics import Diagnostic, PolicyError, error
from policylang.lang.pretty import value_text
from policylang.lang.schema import Table
from policylang.core.source import Source, Span

STATUSES = ("must_rotate", "eligible", "exempt", "not_eligible")
RULE_OUTCOMES = ("must_rotate", "eligible")
DIRECTIONS = ("to_rural", "to_weak", "to_mountain", "to_town", "to_plain_or_mountain",
              "within_cluster", "to_understaffed")
QUOTA_GROUPS = ("school", "cluster", "township", "county")
QUOTA_GROUPS_ZH = {"school": "学校", "cluster": "片区", "township": "乡镇", "county": "全县"}


def quota_group_text(per: str, group: str, lang: str) -> str:
    """A quota group as a reader names it: `学校 S01`, `片区 东片`; the whole county once (`全县`,
    its one group's key, `county`, being no name)."""
    kind = QUOTA_GROUPS_ZH.get(per, per) if lang == "zh" else per
    return kind if per == "county" else f"{kind} {group}"
QUOTA_SETS = ("movers", "targets", "eligible", "teachers")
DURATION_UNITS = ("years", "months", "days")


@attrs.frozen
class Citation:
    source: str  # source id
    section: str | None
    title: str  # the source's title
    document: str | None

    @classmethod
    def of(cls, cite: A.Cite, source: A.SourceDecl) -> Citation:
        """``cite`` of ``source``, as a decision gives it."""
        return cls(cite.source, cite.section, source.title, source.document)

    def short(self) -> str:
        return f"{self.source} {self.section}" if self.section else self.source


@attrs.frozen
class Repealed:
    """A clause of a base policy that this policy repeals: what it was, and why it is gone."""

    id: str
    kind: str  # rule, exemption, prerequisite, penalty, benefit, quota, provision, priority
    title: str
    cites: tuple[Citation, ...]  # as the base cites it
    origin: str  # the file that declared it
    reason: str | None
    span: Span = attrs.field(eq=False)  # the repeal's
    # the repeal's own citations: the sections of the repealing file's document that set the clause aside
    repeal_cites: tuple[Citation, ...] = ()
    notes: tuple[str, ...] = ()  # the repeal's `note "…"` clauses


@attrs.frozen
class Overridden:
    """A clause of a base policy that this policy rewrites whole under the same id (`override rule
    FJ-2 …`): the base's title and citations, for the base's paragraph to say it no longer stands
    as written there, and where the rewrite cites."""

    id: str
    kind: str  # rule, exemption, prerequisite, penalty, benefit, quota, provision, priority
    title: str  # as the base wrote it
    cites: tuple[Citation, ...]  # as the base cites it
    origin: str  # the file that declared it
    by: str  # the file that overrides it
    by_cites: tuple[Citation, ...] = ()  # the override's own citations


@attrs.frozen
class Parameter:
    name: str
    type: T.Type
    value: object
    doc: str | None
    origin: str  # file that set the value
    span: Span = attrs.field(eq=False)
    cites: tuple[Citation, ...] = ()
    age: bool = False  # compared with a person's age: a number of years Chinese writes in 周岁 (55周岁, not 55年)
    whole: bool = False  # compared with a count of completed years, months or days, or a `within_last` length


@attrs.frozen
class Definition:
    name: str
    doc: str | None
    expr: ir.Node
    span: Span = attrs.field(eq=False)
    cites: tuple[Citation, ...] = ()


@attrs.frozen
class Rule:
    id: str
    title: str
    cites: tuple[Citation, ...]
    when: ir.Node | None
    outcome: str
    direction: str | None
    origin: str
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Exemption:
    id: str
    title: str
    code: str
    targets: tuple[str, ...]
    cites: tuple[Citation, ...]
    when: ir.Node | None
    origin: str
    span: Span = attrs.field(eq=False)
    all_rules: bool = False  # written `to all rules`: targets every rule of whichever policy holds it
    # `may decline` (可不参加、本人申请可以暂缓): the person stays a target and may invoke it;
    # otherwise the exemption takes them out (原则上不作为交流对象)
    may_decline: bool = False


@attrs.frozen
class Prerequisite:
    id: str
    title: str
    targets: tuple[str, ...]
    cites: tuple[Citation, ...]
    applies: ir.Node | None
    requires: ir.Node | None
    origin: str
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Effect:
    name: str
    label: str | None
    duration: tuple[object, str] | None  # (amount, unit)
    # the promotion targets it holds back while in force (`bars promotion`); empty: none
    bars: tuple[str, ...] = ()
    # the parameter that states the duration (`for refusal_years`): its value at evaluation
    # (`--set`) replaces the amount of ``duration``, which holds the declared value and its unit
    parameter: str | None = None


@attrs.frozen
class Consequence:
    kind: str  # "penalty" or "benefit"
    id: str
    title: str
    cites: tuple[Citation, ...]
    after: ir.Node | None  # the dated event that triggers it
    when: ir.Node | None
    effects: tuple[Effect, ...]
    origin: str
    span: Span = attrs.field(eq=False)
    # the `effective` date its event counts from, which ``when`` tests first (check.consequence): said by a diff
    since: dt.date | None = attrs.field(default=None, eq=False)
    # "" for the version in force now; for an earlier one, the file (as loaded) whose policy it was: it judges
    # the events before a later file took effect (check.earlier_versions), under the same id
    version: str = ""

    @property
    def key(self) -> str:
        """Unique among a policy's penalties and benefits (the id names every version)."""
        return f"{self.id}@{self.version}" if self.version else self.id


def version_file(version: str) -> str:
    """The file name an earlier version (``Consequence.version``) is shown by."""
    return version.replace("\\", "/").rsplit("/", 1)[-1]


def version_said(version: str, lang: str) -> str:
    """An earlier version as a clause's id is followed by it (`P-1（province.pol 的版本）`); "" for none."""
    if not version:
        return ""
    return f"（{version_file(version)} 的版本）" if lang == "zh" else f" (the version of {version_file(version)})"


@attrs.frozen
class Selection:
    group: str  # one of QUOTA_SETS
    where: ir.Node | None


@attrs.frozen
class Requirement:
    count: Selection
    share: object  # Fraction: 0.1 for 10%, 1/3
    base: Selection | str  # a selection, or the name of a numeric school field
    rounding: str  # up, down, nearest


@attrs.frozen
class Quota:
    id: str
    title: str
    cites: tuple[Citation, ...]
    per: str
    requirements: tuple[Requirement, ...]
    origin: str
    span: Span = attrs.field(eq=False)
    # `at schools where (…)`: the quota applies to the people of these schools only (城镇学校、
    # 优质学校); a group with none of them has no requirement from it. None: every school
    scope: ir.Node | None = None


@attrs.frozen
class Provision:
    id: str
    title: str
    cites: tuple[Citation, ...]
    notes: tuple[str, ...]
    origin: str
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Test:
    title: str
    as_of: dt.date | None
    params: Mapping[str, object]
    teacher: Mapping[str, object]
    school: Mapping[str, object]
    expectations: tuple[A.Expectation, ...]
    span: Span = attrs.field(eq=False)
    # more people of the test's small roster (id, teacher values, school values), after its teacher
    people: tuple[tuple[str, Mapping[str, object], Mapping[str, object]], ...] = ()


@attrs.frozen
class OrderKey:
    expr: ir.Node
    descending: bool


@attrs.frozen
class Priority:
    """How a policy ranks people when only some of the pool must move (quota selection)."""

    id: str
    title: str
    cites: tuple[Citation, ...]
    keys: tuple[OrderKey, ...]
    origin: str
    span: Span = attrs.field(eq=False)


@attrs.frozen
class CheckedPolicy:
    title: str
    jurisdiction: str | None
    effective: dt.date | None
    as_of: dt.date | None
    path: str
    chain: tuple[str, ...]  # the files, base first
    sources: Mapping[str, A.SourceDecl]
    teachers: Table
    schools: Table
    parameters: Mapping[str, Parameter]
    definitions: Mapping[str, Definition]  # in dependency order
    rules: tuple[Rule, ...]
    exemptions: Mapping[str, tuple[Exemption, ...]]  # rule id -> exemptions, in precedence order
    prerequisites: tuple[Prerequisite, ...]
    consequences: tuple[Consequence, ...]
    quotas: tuple[Quota, ...]
    provisions: tuple[Provision, ...]
    priorities: tuple[Priority, ...]
    tests: tuple[Test, ...]
    diagnostics: tuple[Diagnostic, ...]  # warnings
    texts: Mapping[str, Source]  # every file's text, for rendering diagnostics
    repealed: tuple[Repealed, ...] = ()  # the bases' clauses this policy repeals, in the order repealed
    overridden: tuple[Overridden, ...] = ()  # the bases' clauses this policy (or a file between) rewrites whole

    @property
    def penalties(self) -> tuple[Consequence, ...]:
        return tuple(c for c in self.consequences if c.kind == "penalty")

    @property
    def benefits(self) -> tuple[Consequence, ...]:
        return tuple(c for c in self.consequences if c.kind == "benefit")

    def effect_labels(self) -> dict[tuple[str, str], str | None]:
        """(consequence id, effect name) -> the effect's label: what a flat decision row omits."""
        return {(c.id, e.name): e.label for c in self.consequences for e in c.effects}  # (versions: one wording)

    def all_exemptions(self) -> tuple[Exemption, ...]:
        seen: dict[str, Exemption] = {}
        for group in self.exemptions.values():
            for e in group:
                seen.setdefault(e.id, e)
        return tuple(seen.values())

    def exemption_titles(self) -> dict[str, str]:
        """Each exemption code the policy reports by the title of its clause (a policy's own
        codes read so in an output: not_teaching as 目前未任课的人员…)."""
        return {e.code: e.title for e in self.all_exemptions()}

    def rule_ids(self) -> set[str]:
        ids = {r.id for r in self.rules} | {e.id for e in self.all_exemptions()}
        ids |= {p.id for p in self.prerequisites} | {c.id for c in self.consequences}
        ids |= {q.id for q in self.quotas} | {p.id for p in self.provisions} | {p.id for p in self.priorities}
        return ids

    def checked_override(self, name: str, value: object) -> object:
        """``value`` for parameter ``name`` where it may be one: a number is not negative (T223),
        as no policy can write one; a parameter that states a duration (`for refusal_years`) is a
        whole number of its unit, as the checker requires of the stated value (T202); else
        ``PolicyError``, before anything is decided."""
        param = self.parameters.get(name)
        if param is not None and isinstance(param.type, T.NumberType) and not isinstance(value, bool) \
                and isinstance(value, (int, float, Fraction)) and value < 0:
            raise PolicyError([negative_parameter(name, value, param.type)])
        if any(e.parameter == name for c in self.consequences for e in c.effects):
            if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)) or value != value \
                    or value in (float("inf"), float("-inf")) or Fraction(value).denominator != 1 or value < 0:
                shown = f"{float(value):g}" if isinstance(value, Fraction) else value
                raise PolicyError([error("T202", None, f"parameter `{name}` is a duration: a whole number, not `{shown}`",
                                         f"参数 `{name}` 是期限，应为整数，不能取 `{shown}`")])
        return value

    def parameter_values(self, overrides: Mapping[str, object] | None = None) -> dict[str, object]:
        values = {name: p.value for name, p in self.parameters.items()}
        values.update(overrides or {})
        for name, value in (overrides or {}).items():
            self.checked_override(name, value)
        return values


def negative_parameter(name: str, value: object, type_: T.Type) -> Diagnostic:
    """A parameter given a negative number (T223): a duration or a count below zero means nothing."""
    return error("T223", None, f"parameter `{name}` cannot be negative ({value_text(value, type_)})",
                 f"参数 `{name}` 不能为负数（{value_text(value, type_, 'zh')}）")


# The reference dates a decision can be made at: policies in force, and periods and
# retirement dates counted from them, stay inside the calendar.
REFERENCE_DATES = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))


def outside_reference_dates(date: dt.date) -> tuple[str, str] | None:
    """T214's words, English and Chinese, for a date no evaluation can be made at; else None.
    One rule for a caller's date and for a policy's or a test's own ``as of`` (the checker's)."""
    low, high = REFERENCE_DATES
    if low <= date <= high:
        return None
    return (f"the reference date {date} is not between {low} and {high}: periods and retirement dates counted "
            "from it would leave the calendar", f"参考日期 {date} 不在 {low} 至 {high} 之间：由它起算的期限和退休日期会超出日历范围")


def not_yet_in_force(date: dt.date, *policies: CheckedPolicy) -> list[tuple[str, str]]:
    """A note, English and Chinese, for each policy ``date`` is before the ``effective`` date of:
    its decisions are then those of a day it was not yet in force (L309 says it of a file's own
    dates). One wording for ``--as-of`` and the studio's reference date; each says how to give
    another date."""
    return [(f"the reference date {date} is before “{p.title}” takes effect ({p.effective}); ages and years "
             f"are counted at {date}", f"参考日期 {date} 早于“{p.title}”的生效日期 {p.effective}；年龄、任教年限等按 {date} 计算")
            for p in policies if p.effective is not None and date < p.effective]


def reference_date(requested: dt.date | None, *policies: CheckedPolicy) -> dt.date:
    """The date an evaluation is made at, settled once where a command or API call enters:
    the caller's date, else the first policy's own ``as of`` (a diff passes the draft first),
    else today. Everything below takes the settled date and never applies a default again.
    Raises ``PolicyError`` (T214) for a date outside ``REFERENCE_DATES``."""
    if requested is not None:
        outside = outside_reference_dates(requested)
        if outside is not None:
            raise PolicyError([error("T214", None, *outside)])
        return requested
    for policy in policies:
        if policy.as_of is not None:  # (within the range: the checker refuses another, T214)
            return policy.as_of
    return dt.date.today()
