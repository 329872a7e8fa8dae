"""What-if: two policy variants on one workforce. Who changes, why, and where.

Causes. The differences between the two policies are listed first: parameters,
definitions, rules, exemptions, precedence, prerequisites, penalties, benefits.
A changed person's cause is the smallest set of differences that, applied to the
base policy alone, already gives that person the draft's decision: first single
differences (when several each suffice, all are named: "any of"), then pairs,
and otherwise the changes each of which is needed: the draft less that one change
does not give the decision ("all": every change that can reach that part is; "needed":
these are, and others may be needed beside them). The hybrid policies are variants in the
bulk evaluator's plan, decided once per class of people the plan cannot tell apart.

Privacy. Aggregates never show a sensitive attribute (pregnancy, maternity,
nursing, illness, investigation, sanction, and any exemption category a policy names
itself) for fewer than ``MIN_CELL`` people: such cells are suppressed (primary suppression),
and so are as many others of the same column as it takes that none of them can be worked
out from the column's total, taken as published, less the cells shown (complementary
suppression, ``suppressed_cells``); the report says so.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import polars as pl

from policylang.core.i18n import declaration_kind, direction_label, exemption_label, word
from policylang.lang import ir
from policylang.lang import schema as S
from policylang.lang import policy as P
from policylang.backends.polars import Keys, Plan, frame_from_records
from policylang.lang.decisions import Decision, decision_from_row
from policylang.lang import types as T
from policylang.lang.pretty import DisplayNames, expr_text, parameter_text, policy_display_names, value_text
from policylang.lang.reads import exemptions_reading

MIN_CELL = 5
# pairs of differences are tried as causes up to this many differences (276 pairs at most; a
# county's redraft of a provincial file has some 10 to 20): past it, "all together" is said untried
MAX_PAIR_CHANGES = 24
SENSITIVE_EXEMPTIONS = frozenset({"pregnancy", "maternity", "nursing", "illness", "investigation", "sanction"})
# the contract's exemption codes that tell nothing of a person's health, family or discipline;
# any other category, a county's own (`as 病假`) too, is taken as sensitive: privacy by default
NON_SENSITIVE_EXEMPTIONS = frozenset({"recent_support", "support_selected", "new_teacher", "near_retirement"})
DIMENSIONS = ("school", "cluster", "area", "sex", "age_band", "title", "backbone")
DECISION_FIELDS = ("status", "rule", "exemption", "direction", "promotion", "penalties", "benefits", "cite",
                   "may_decline")
# Parts of a decision whose causes are found separately: a draft may move someone for
# one reason and change their promotion prospects for another.
GROUPS = {
    "status": ("status", "rule", "exemption", "direction", "cite", "may_decline"),
    "promotion": ("promotion_first", "promotion_senior", "promotion_full_senior", "promotion_principal"),
    "consequences": ("penalties", "benefits"),
}
# The parts of a decision each kind of difference can change: an expression reads fields,
# parameters, definitions and the date, never another declaration's outcome.
REACHES = {"rule": {"status"}, "exemption": {"status"}, "precedence": {"status"}, "prerequisite": {"promotion"},
           "penalty": {"consequences", "promotion"},  # a penalty's effect may bar promotion
           "benefit": {"consequences"}, "parameter": set(GROUPS),
           "definition": set(GROUPS),
           "quota": set(), "priority": set(), "provision": set()}  # (said beside the decisions: said_changes)


@attrs.frozen
class PolicyChange:
    key: str  # "parameter:age_cap_female", "rule:JA-1", ...
    kind: str
    id: str
    change: str  # added, removed, changed; since: only the day a penalty's events count from
    before: str | None
    after: str | None
    before_zh: str | None = None  # parameter values as a Chinese reader writes them
    after_zh: str | None = None
    about: str = ""  # a parameter's description, as its file writes it: an official reads it, not the name
    # a clause changed: what of it changed, before → after (条件：年龄 ≤ 年龄上限 → 年龄 < 年龄上限)
    what_en: str = ""
    what_zh: str = ""
    # a clause the draft repeals: the repeal's reason and citations (``P.Citation.short``), said where
    # the differences are listed (a repeal is an act of the draft's document: on what ground, under which section)
    repealed: bool = False
    repeal_reason: str | None = None
    repeal_cites: tuple[str, ...] = ()

    def listed(self, lang: str = "en") -> str:
        """The change as the list of differences gives it: ``describe``, and for a clause the draft
        repeals, the repeal's citation and reason (删除规则 FJ-2“…”（废止依据：JA 第八条；理由：…））."""
        said = self.describe(lang)
        if not self.repealed:
            return said
        reason = (self.repeal_reason or "").strip()
        if lang == "zh":
            parts = [*([f"废止依据：{'、'.join(self.repeal_cites)}"] if self.repeal_cites else []),
                     *([f"{'' if self.repeal_cites else '废止'}理由：{reason}"] if reason else [])]
            return said + (f"（{'；'.join(parts)}）" if parts else "（废止，未写明理由和依据）")
        under = f" under {'; '.join(self.repeal_cites)}" if self.repeal_cites else ""
        return said + (f" (repealed{under}" + (f": {reason})" if reason else ")") if under or reason
                       else " (repealed, with no reason or citation given)")

    def named(self, lang: str = "en") -> str:
        """The change in a few words, for a text that has already listed it in full (``listed``):
        the terminal report's causes and people (删除规则 ZX-1; 修改参数 age_cap_female：40周岁 → 45周岁)."""
        zh = lang == "zh"
        if self.kind == "effective":
            return "生效日期" if zh else "effective date"
        ident, _, version = self.id.partition("@")
        if version:
            ident += (f"（{P.version_file(version)} 的版本）" if zh else f" (the version of {P.version_file(version)})")
        words = {"added": ("added", "新增"), "removed": ("removed", "删除"), "changed": ("changed", "修改"),
                 "since": ("changed", "修改")}[self.change]
        value = (f"{self.before_zh or self.before} → {self.after_zh or self.after}" if zh else f"{self.before} → {self.after}"
                 ) if self.change == "changed" and self.kind in ("parameter", "definition") else ""
        if zh:
            return f"{words[1]}{declaration_kind(self.kind, 'zh')} {ident}" + (f"（{value}）" if value else "")
        return f"{self.kind} {ident} {words[0]}" + (f" ({value})" if value else "")

    def describe(self, lang: str = "en") -> str:
        if self.kind == "effective":
            return (f"生效日期：{self.before} → {self.after}" if lang == "zh"
                    else f"effective date: {self.before} → {self.after}")
        if self.change == "since":  # only the day its events count from, with the file's effective date
            return (f"修改{declaration_kind(self.kind, 'zh')} {self.id}：只计 {self.after} 起发生的事件（原为 {self.before} 起）"
                    if lang == "zh" else
                    f"{self.kind} {self.id} counts events from {self.after} (was from {self.before})")
        # 修改参数 teacher_tenure“教师在同一所学校任教满此年限…”; a description with quotes of its own in
        # brackets, not in quotes around quotes (新增参数 年轻教师年龄（“年轻教师”指…）)
        quoted = "“" in self.about or "”" in self.about
        about = "" if not self.about else (f"（{self.about}）" if lang == "zh" else f"({self.about})") if quoted \
            else f"“{self.about}”"
        words = {"added": ("added", "新增"), "removed": ("removed", "删除"), "changed": ("changed", "修改")}[self.change]
        ident, _, version = self.id.partition("@")  # a penalty's earlier version (Consequence.key)
        # a clause by its title too (删除规则 FJ-2「…」): an id alone says nothing to an official
        title = (self.after or self.before) if self.kind not in ("parameter", "definition", "precedence") else None
        if lang == "zh":
            detail = (f"{about}：{self.before_zh or self.before} → {self.after_zh or self.after}"
                      if self.change == "changed" and self.kind in ("parameter", "definition") else
                      f"{about} = {self.after_zh}" if self.change == "added" and self.kind == "parameter" else
                      f"{about}（原为 {self.before_zh}）" if self.change == "removed" and self.kind == "parameter" else
                      f"“{title}”" if title else "")
            shown = f"{ident}（{P.version_file(version)} 的版本，用于本文件生效前的事件）" if version else ident
            return f"{words[1]}{declaration_kind(self.kind, 'zh')} {shown}{detail}" + (
                f"：{self.what_zh}" if self.what_zh else "")
        detail = (f": {self.before} → {self.after}" if self.change == "changed" and self.kind in ("parameter",
                                                                                                  "definition")
                  else f" = {self.after}" if self.change == "added" and self.kind == "parameter"
                  else f" (was {self.before})" if self.change == "removed" and self.kind == "parameter"
                  else f" “{title}”" if title else "")
        shown = (f"{ident} (the version of {P.version_file(version)}, for events before the file took effect)" if version
                 else ident + (f" {about}" if self.kind == "parameter" else ""))
        return f"{self.kind} {shown} {words[0]}{detail}" + (f": {self.what_en}" if self.what_en else "")


@attrs.frozen
class Cause:
    group: str  # status, promotion or consequences
    keys: tuple[str, ...]  # PolicyChange keys
    # single: this one; any_of: each alone suffices; together: these two jointly; all: all of those that can
    # reach the part, each needed; needed: each of these is needed (others may be too; none is one or two alone)
    kind: str


@attrs.frozen
class PersonChange:
    index: int
    id: str
    before: Decision
    after: Decision
    fields: tuple[str, ...]
    causes: tuple[Cause, ...]



@attrs.frozen
class DiffReport:
    """The result of a diff. People are kept as classes (rows both policies and every
    hybrid of the cause search decide alike, ``compile.Plan.classes``): a decision per
    class and a class per row. Decisions per person, as tables or ``PersonChange``
    objects, are made only when asked for."""

    base: str
    draft: str
    as_of: dt.date
    total: int
    changes: tuple[PolicyChange, ...]
    transitions: Mapping[tuple[str, str], int]
    changed: np.ndarray  # row numbers of the changed people
    cause_table: tuple[Cause, ...]  # the distinct causes
    cause_ids: np.ndarray  # per changed person and part of the decision (GROUPS): index into cause_table, or -1
    frame: pl.DataFrame  # the evaluated table (teacher columns and `school.*`), for breakdowns
    classes: np.ndarray  # per row of the table: its class
    class_before: pl.DataFrame  # per class: the flat decision under the base policy (no id)
    class_after: pl.DataFrame  # the same under the draft
    sensitive_changes: frozenset[str] = frozenset()  # keys of exemption changes on a sensitive reason
    # (consequence id, effect) -> its label, in the draft's and in the base's words (a draft may
    # reword an effect: the decision before is labelled as the base has it)
    labels: Mapping[tuple[str, str], str | None] = attrs.field(factory=dict)
    # row -> the year-month dates leaving its decision uncertain under the base and under the draft
    # (another day of the month could change it), for the rows where either is: every row is
    # compared on the month's first day, these are to be checked
    uncertain: Mapping[int, tuple[tuple[str, ...], tuple[str, ...]]] = attrs.field(factory=dict)
    base_labels: Mapping[tuple[str, str], str | None] = attrs.field(factory=dict)
    sensitive_codes: frozenset[str] = SENSITIVE_EXEMPTIONS  # ``sensitive_codes`` of both policies
    pairs_tried: bool = True  # False: too many differences to try them in pairs (MAX_PAIR_CHANGES)

    @property
    def status_changed(self) -> int:
        """How many people's status changed (the transition matrix off its diagonal); ``changed``
        also counts those whose rule, exemption, direction, promotion or consequences changed."""
        return sum(n for (before, after), n in self.transitions.items() if before != after)

    @property
    def uncertain_changed(self) -> int:
        """Of the people whose decision is uncertain under either policy, those listed as changed."""
        return int(np.isin(np.fromiter(self.uncertain, dtype=np.int64, count=len(self.uncertain)), self.changed).sum())

    @functools.cached_property
    def statuses(self) -> pl.DataFrame:
        """Every person's status under each policy: columns ``before`` and ``after``."""
        index = pl.Series(self.classes)
        return pl.DataFrame({"before": self.class_before["status"].gather(index),
                             "after": self.class_after["status"].gather(index)})

    @functools.cached_property
    def before(self) -> pl.DataFrame:
        """The changed people's flat decisions under the base policy, id first."""
        return self._decisions(self.class_before, self.changed)

    @functools.cached_property
    def after(self) -> pl.DataFrame:
        return self._decisions(self.class_after, self.changed)

    def _decisions(self, per_class: pl.DataFrame, rows: np.ndarray) -> pl.DataFrame:
        ids = self.frame["id"].cast(pl.Utf8).gather(rows)
        return per_class[self.classes[rows]].insert_column(0, ids.alias("id"))

    def changed_classes(self) -> np.ndarray:
        """Per changed person: their class."""
        return self.classes[self.changed]

    def is_sensitive(self, cause: Cause) -> bool:
        return any(k in self.sensitive_changes for k in cause.keys)

    def sensitive_causes(self) -> np.ndarray:
        """Per changed person: is any of their causes a change on a sensitive reason? Not a
        cause of every change at once (``all``: no fewer explain it), which names the sensitive
        change among the rest without its having mattered to the person (a count of 敏感事由 then
        held people no sensitive reason touched); its text still hides the change (``cause_text``)."""
        sensitive = np.array([self.is_sensitive(c) and c.kind != "all" for c in self.cause_table] + [False])  # -1: none
        return sensitive[self.cause_ids].any(axis=1)

    @functools.cached_property
    def persons(self) -> tuple[PersonChange, ...]:
        return self.people()

    def people(self, limit: int | None = None) -> tuple[PersonChange, ...]:
        """The changed people as objects, the first ``limit`` of them (all without one)."""
        rows = self.changed if limit is None else self.changed[:limit]
        before, after = self._decisions(self.class_before, rows), self._decisions(self.class_after, rows)
        columns = [c for c in before.columns if c != "id"]
        flags = {f: _any_differs(before, after, [c for c in columns if c == f or c.startswith(f + "_")]).to_list()
                 for f in DECISION_FIELDS}
        unsure = self.uncertain
        return tuple(
            PersonChange(i, str(a["id"]),
                         attrs.evolve(decision_from_row(a, self.as_of, self.base_labels),
                                      uncertain=unsure.get(i, ((), ()))[0]),
                         attrs.evolve(decision_from_row(b, self.as_of, self.labels), uncertain=unsure.get(i, ((), ()))[1]),
                         tuple(f for f in DECISION_FIELDS if flags[f][k]), causes)
            for k, (i, a, b, causes) in enumerate(zip(rows.tolist(), before.iter_rows(named=True),
                                                      after.iter_rows(named=True), self._causes(limit))))

    def _causes(self, limit: int | None):
        table = self.cause_table
        ids = self.cause_ids if limit is None else self.cause_ids[:limit]
        return (tuple(table[i] for i in row if i >= 0) for row in ids.tolist())

    def cause_counts(self) -> Counter:
        """How many people each cause explains, per decision part."""
        counts: Counter = Counter()
        ids = self.cause_ids[self.cause_ids >= 0]
        for i, n in enumerate(np.bincount(ids, minlength=len(self.cause_table)).tolist()):
            if n:
                counts[self.cause_table[i]] = n
        return counts


# ---- policy differences -------------------------------------------------------


def _fields(item, *names):
    return tuple(getattr(item, n) for n in names)


_COMPARED = {
    "rule": ("title", "cites", "when", "outcome", "direction"),
    "exemption": ("title", "code", "cites", "when", "all_rules"),
    "prerequisite": ("title", "targets", "cites", "applies", "requires"),
    "penalty": ("title", "cites", "after", "when", "effects"),
    "benefit": ("title", "cites", "after", "when", "effects"),
}


def _items(policy: P.CheckedPolicy) -> dict[str, dict[str, object]]:
    return {
        "rule": {r.id: r for r in policy.rules},
        "exemption": {e.id: e for e in policy.all_exemptions()},
        "prerequisite": {p.id: p for p in policy.prerequisites},
        "penalty": {c.key: c for c in policy.penalties},
        "benefit": {c.key: c for c in policy.benefits},
    }


def _exemption_same(a: P.Exemption, b: P.Exemption) -> bool:
    same = _fields(a, *_COMPARED["exemption"]) == _fields(b, *_COMPARED["exemption"])
    return same and (a.all_rules or a.targets == b.targets)


def _since_apart(c: P.Consequence) -> tuple:
    """A penalty's or benefit's compared parts but the day its event counts from (``since``,
    the test ``when`` starts with): what is left the same when only that day moved."""
    return (c.title, c.cites, c.after, _own_when(c), c.effects)


def _own_when(c: P.Consequence) -> ir.Node | None:
    """A penalty's or benefit's condition as its file writes it, without the test of the day its
    event counts from (``since``) that the checker puts first."""
    when = c.when
    if c.since is not None and isinstance(when, ir.Apply):
        when = None if when.op == ir.Op.GE else when.args[1] if when.op == ir.Op.AND else when
    return when


def _effect_text(effects: tuple, lang: str) -> str:
    """A penalty's or benefit's effects as a reader compares them: each by its label and how long."""
    def one(e) -> str:
        if not e.duration:
            return e.label or e.name
        amount = value_text(e.duration[0], T.NumberType(e.duration[1]), lang)
        return f"{e.label or e.name}（{amount}）" if lang == "zh" else f"{e.label or e.name} ({amount})"
    return ("；" if lang == "zh" else "; ").join(one(e) for e in effects)


# the parts of a clause a reader is shown changing, by name (the others are said as "its other terms")
_PART_NAMES = {"title": ("title", "标题"), "when": ("condition", "条件"), "applies": ("applies to", "适用条件"),
               "requires": ("requires", "须具备"), "outcome": ("outcome", "结论"), "direction": ("direction", "交流方向"),
               "code": ("category", "豁免类别"), "cites": ("cites", "出处"), "effects": ("effects", "效果")}


def _conditions_zh(before: ir.Node | None, after: ir.Node | None, names: tuple[DisplayNames, DisplayNames]
                   ) -> tuple[str, str]:
    """Two versions of a condition as explain, doc and the studio show it to an official: each
    policy's definitions by their Chinese names and its parameters by their values (``names``:
    ``policy_display_names`` of the base and of the draft). Where that shows both alike (`年龄 ≤
    cap` → `年龄 ≤ cap2`, both 50周岁), the names as written: a change is never shown as none."""
    def text(node, called) -> str:
        return "（无）" if node is None else expr_text(node, lang="zh", names=called)
    shown = text(before, names[0]), text(after, names[1])
    return shown if shown[0] != shown[1] else (text(before, None), text(after, None))


def _what_changed(a, b, parts: Sequence[str], names: tuple[DisplayNames, DisplayNames]) -> dict[str, str]:
    """What of a clause changed, before → after, in English and Chinese (``PolicyChange.what_*``):
    an official sees that 以下 became 不满, not only that the clause changed; a condition in Chinese
    as explain shows it (``_conditions_zh``)."""
    def shown(value, lang: str, part: str = "") -> str:
        if value is None:
            return "（无）" if lang == "zh" else "(none)"
        if isinstance(value, ir.Node):
            return expr_text(value, lang=lang)
        if isinstance(value, tuple):  # citations
            return ("；" if lang == "zh" else "; ").join(c.short() for c in value)
        # a direction, category or outcome by the label eval and explain give it (到农村学校, not to_rural)
        labelled = {"direction": direction_label, "code": exemption_label, "outcome": word}.get(part)
        return labelled(str(value), lang) if labelled is not None and lang == "zh" else str(value)
    en, zh, other = [], [], False
    for part in parts:
        x, y = getattr(a, part), getattr(b, part)
        if part == "when" and isinstance(a, P.Consequence):  # as written: the day counted from is said apart
            x, y = _own_when(a), _own_when(b)
        if x == y:
            continue
        if part not in _PART_NAMES:
            other = True
            continue
        name_en, name_zh = _PART_NAMES[part]
        if part == "effects":
            en.append(f"{name_en} {_effect_text(x, 'en')} → {_effect_text(y, 'en')}")
            zh.append(f"{name_zh} {_effect_text(x, 'zh')} → {_effect_text(y, 'zh')}")
        elif isinstance(x, ir.Node) or isinstance(y, ir.Node):
            en.append(f"{name_en} {shown(x, 'en', part)} → {shown(y, 'en', part)}")
            zh.append("{} {} → {}".format(name_zh, *_conditions_zh(x, y, names)))
        else:
            en.append(f"{name_en} {shown(x, 'en', part)} → {shown(y, 'en', part)}")
            zh.append(f"{name_zh} {shown(x, 'zh', part)} → {shown(y, 'zh', part)}")
    if other:
        en.append("its other terms")
        zh.append("其他内容")
    return {"what_en": "; ".join(en), "what_zh": "；".join(zh)}


def policy_changes(base: P.CheckedPolicy, draft: P.CheckedPolicy, base_params: Mapping, draft_params: Mapping
                   ) -> list[PolicyChange]:
    changes = []
    names = policy_display_names(base, base_params), policy_display_names(draft, draft_params)
    for name in sorted(set(base_params) | set(draft_params)):
        if name in base_params and name in draft_params and base_params[name] != draft_params[name]:
            p = draft.parameters.get(name) or base.parameters.get(name)
            changes.append(PolicyChange(f"parameter:{name}", "parameter", name, "changed",
                                        *(parameter_text(p, v, lang) for lang in ("en", "zh")
                                          for v in (base_params[name], draft_params[name])), about=p.doc or ""))
    for name in sorted(set(base.definitions) & set(draft.definitions)):
        if base.definitions[name].expr != draft.definitions[name].expr:
            a, b = base.definitions[name].expr, draft.definitions[name].expr
            changes.append(PolicyChange(f"definition:{name}", "definition", name, "changed", expr_text(a),
                                        expr_text(b), *_conditions_zh(a, b, names),
                                        about=draft.definitions[name].doc or ""))
    before, after = _items(base), _items(draft)
    for kind in before:
        for ident in list(before[kind]) + [i for i in after[kind] if i not in before[kind]]:
            a, b = before[kind].get(ident), after[kind].get(ident)
            if a is None:
                changes.append(PolicyChange(f"{kind}:{ident}", kind, ident, "added", None, b.title))
            elif b is None:
                changes.append(PolicyChange(f"{kind}:{ident}", kind, ident, "removed", a.title, None))
            elif kind in ("penalty", "benefit") and a.since != b.since and _since_apart(a) == _since_apart(b):
                changes.append(PolicyChange(f"{kind}:{ident}", kind, ident, "since", str(a.since), str(b.since)))
            elif (not _exemption_same(a, b)) if kind == "exemption" else (
                    _fields(a, *_COMPARED[kind]) != _fields(b, *_COMPARED[kind])):
                changes.append(PolicyChange(f"{kind}:{ident}", kind, ident, "changed", a.title, b.title,
                                            **_what_changed(a, b, _COMPARED[kind], names)))
    for rule_id in sorted(set(base.exemptions) & set(draft.exemptions)):
        shared = {e.id for e in base.exemptions[rule_id]} & {e.id for e in draft.exemptions[rule_id]}
        order_a = [e.id for e in base.exemptions[rule_id] if e.id in shared]
        order_b = [e.id for e in draft.exemptions[rule_id] if e.id in shared]
        if order_a != order_b:
            changes.append(PolicyChange(f"precedence:{rule_id}", "precedence", rule_id, "changed",
                                        " > ".join(order_a), " > ".join(order_b)))
    return changes


def said_changes(base: P.CheckedPolicy, draft: P.CheckedPolicy, base_params: Mapping, draft_params: Mapping
                 ) -> list[PolicyChange]:
    """The differences that decide no one's case by themselves, said so that the list of
    differences is the whole of what the draft changes: a parameter only one policy has (a new
    age cap: the new rule reading it is the cause), and the quotas, selection priorities and
    provisions added, removed or changed (a quota changes how many must move, which the report's
    quota changes count)."""
    changes = []
    for name in [*(n for n in base_params if n not in draft_params), *(n for n in draft_params if n not in base_params)]:
        p = draft.parameters.get(name) or base.parameters.get(name)
        value = draft_params.get(name, base_params.get(name))
        texts = [parameter_text(p, value, lang) for lang in ("en", "zh")]
        added = name in draft_params
        changes.append(PolicyChange(f"parameter:{name}", "parameter", name, "added" if added else "removed",
                                    None if added else texts[0], texts[0] if added else None,
                                    None if added else texts[1], texts[1] if added else None, about=p.doc or ""))
    for kind, of in (("quota", lambda p: p.quotas), ("priority", lambda p: p.priorities),
                     ("provision", lambda p: p.provisions)):
        before, after = ({i.id: i for i in of(p)} for p in (base, draft))
        for ident in [*before, *(i for i in after if i not in before)]:
            a, b = before.get(ident), after.get(ident)
            if a is None or b is None:
                changes.append(PolicyChange(f"{kind}:{ident}", kind, ident, "added" if a is None else "removed",
                                            a and a.title, b and b.title))
            elif _said_parts(a) != _said_parts(b):
                changes.append(PolicyChange(f"{kind}:{ident}", kind, ident, "changed", a.title, b.title))
    return changes


def _with_repeals(changes: Sequence[PolicyChange], draft: P.CheckedPolicy) -> list[PolicyChange]:
    """The changes, each clause the draft removes by a repeal with the repeal's reason and citations."""
    repeals = {(r.kind, r.id): r for r in draft.repealed}
    return [attrs.evolve(c, repealed=True, repeal_reason=r.reason, repeal_cites=tuple(x.short() for x in r.repeal_cites))
            if c.change == "removed" and (r := repeals.get((c.kind, c.id))) is not None else c for c in changes]


def _said_parts(item) -> tuple:
    """A quota's, priority's or provision's content: all but the file that declared it and where."""
    return tuple(v for k, v in attrs.asdict(item, recurse=False).items() if k not in ("origin", "span"))


def hybrid(base: P.CheckedPolicy, draft: P.CheckedPolicy, base_params: Mapping, draft_params: Mapping,
           applied: set[str]) -> tuple[P.CheckedPolicy, dict]:
    """The base policy with the draft's version of the differences in ``applied``."""
    params = dict(draft_params) | dict(base_params)  # names only in the draft are inert unless used
    for key in applied:
        kind, _, name = key.partition(":")
        if kind == "parameter":
            params[name] = draft_params[name]
    definitions = dict(draft.definitions) | dict(base.definitions)
    for key in applied:
        kind, _, name = key.partition(":")
        if kind == "definition":
            definitions[name] = draft.definitions[name]
    before, after = _items(base), _items(draft)
    chosen: dict[str, dict] = {}
    for kind in before:
        ids = _merged_order(list(before[kind]), list(after[kind]))
        picked = {}
        for ident in ids:
            source = after if f"{kind}:{ident}" in applied else before
            if ident in source[kind]:
                picked[ident] = source[kind][ident]
        chosen[kind] = picked
    rules = tuple(chosen["rule"].values())
    rule_ids = [r.id for r in rules]
    exemptions = {}
    for rule_id in rule_ids:
        group = [e for e in chosen["exemption"].values() if e.all_rules or rule_id in e.targets]
        order_source = draft if f"precedence:{rule_id}" in applied or rule_id not in base.exemptions else base
        reference = [e.id for e in order_source.exemptions.get(rule_id, ())]
        other = [e.id for e in (base if order_source is draft else draft).exemptions.get(rule_id, ())]
        rank = {i: k for k, i in enumerate(reference + [i for i in other if i not in reference])}
        exemptions[rule_id] = tuple(sorted(group, key=lambda e: rank.get(e.id, len(rank))))
    consequences = tuple(chosen["penalty"].values()) + tuple(chosen["benefit"].values())
    parameters = dict(draft.parameters) | dict(base.parameters)
    policy = attrs.evolve(base, parameters=parameters, definitions=definitions, rules=rules, exemptions=exemptions,
                          prerequisites=tuple(chosen["prerequisite"].values()), consequences=consequences)
    return policy, params


def _merged_order(base_ids: list[str], draft_ids: list[str]) -> list[str]:
    """The ids of a hybrid in declaration order (which names the deciding rule among rules of one
    strength): the draft's order, each id only the base has kept where the base declares it,
    right after the id both have before it, and so before what the draft adds there (a base's
    rules come before an extending file's). Placed after the draft's additions, a rule the draft
    repeals would lose to a rule it adds, and that addition alone would seem to decide."""
    drafted = set(draft_ids)
    after: dict[str | None, list[str]] = {}
    shared = None
    for ident in base_ids:
        if ident in drafted:
            shared = ident
        else:
            after.setdefault(shared, []).append(ident)
    order = list(after.get(None, ()))
    for ident in draft_ids:
        order += [ident, *after.get(ident, ())]
    return order


# ---- evaluation ----------------------------------------------------------------
#
# Both policies, and every hybrid the cause search tries, are variants in one
# compiled plan: what they have in common is computed once, and each part of a
# decision is compared as a small integer key (or not at all, when two variants
# decide it with the same column).


def _any_differs(a: pl.DataFrame, b: pl.DataFrame, columns) -> pl.Series:
    out = pl.Series([False] * a.height, dtype=pl.Boolean)  # typed: no rows must still be a mask
    for c in columns:
        out = out | a[c].ne_missing(b[c])
    return out


def diff(base: P.CheckedPolicy, draft: P.CheckedPolicy, rows: Sequence[Mapping], schools: Mapping[str, Mapping], *,
         as_of: dt.date, base_params: Mapping | None = None, draft_params: Mapping | None = None,
         max_pair_changes: int = MAX_PAIR_CHANGES) -> DiffReport:
    """Compare two policies on records (as the roster reader gives them)."""
    frame = frame_from_records(widest(base, draft), list(rows), schools)
    return diff_frame(base, draft, frame, as_of=as_of, base_params=base_params, draft_params=draft_params,
                      max_pair_changes=max_pair_changes)


def diff_frame(base: P.CheckedPolicy, draft: P.CheckedPolicy, frame: pl.DataFrame, *, as_of: dt.date,
               base_params: Mapping | None = None, draft_params: Mapping | None = None,
               max_pair_changes: int = MAX_PAIR_CHANGES,
               uncertain: Mapping[int, tuple[tuple[str, ...], tuple[str, ...]]] | None = None) -> DiffReport:
    """Compare two policies on a table (teacher columns plus ``school.*``). One pass over
    the table sorts its rows into classes that every variant (base, draft, the hybrids of
    the cause search) decides alike; the variants are then decided, compared and their
    differences explained once per class. ``uncertain``: the rows whose decision a year-month
    date leaves uncertain, with the dates, under each policy (``DiffReport.uncertain``)."""
    bp, dp = base.parameter_values(base_params), draft.parameter_values(draft_params)
    changes = policy_changes(base, draft, bp, dp)
    keys = [c.key for c in changes]
    plan = Plan()
    vb, vd = plan.variant(base, as_of, bp), plan.variant(draft, as_of, dp)
    differs = plan.differs(vb, vd)
    # every hybrid is in the plan before the rows are classed: its conditions count too
    singles = _explaining(plan, base, draft, bp, dp, as_of, vd, [{key} for key in keys], "single")
    pairs = _pairs(changes, max_pair_changes)
    paired = _explaining(plan, base, draft, bp, dp, as_of, vd, [{keys[a], keys[b]} for a, b in pairs], "pair")
    # the draft less one change: does it still give the decision? (which changes a larger cause needs)
    dropped = _explaining(plan, base, draft, bp, dp, as_of, vd, [set(keys) - {key} for key in keys], "drop") \
        if pairs else []
    classes, representatives = plan.classes(frame)
    table = frame[representatives]  # one row per class
    decided = plan.rows(table, [*plan.keys(vb, "b:"), *plan.keys(vd, "d:"),
                                *(e.alias(f"differs:{g}") for g, e in differs.items()), *singles])
    parts = {g: decided[f"differs:{g}"].to_numpy() for g in GROUPS}
    single_hits = {g: _matrix(decided, "single", len(keys), g) & parts[g][:, None] for g in GROUPS}

    def try_pairs(open_classes: np.ndarray) -> dict[str, np.ndarray]:
        got = plan.rows(table[open_classes], paired)
        return {g: _matrix(got, "pair", len(pairs), g) for g in GROUPS}

    def try_drops(open_classes: np.ndarray) -> dict[str, np.ndarray] | None:
        if not dropped:
            return None
        got = plan.rows(table[open_classes], dropped)
        return {g: _matrix(got, "drop", len(keys), g) for g in GROUPS}

    cause_table, class_causes = _attribute(changes, parts, single_hits, pairs, try_pairs, try_drops)
    class_before, class_after = decided.select(plan.decisions("b:")), decided.select(plan.decisions("d:"))
    changed = np.flatnonzero(np.take(np.logical_or.reduce([parts[g] for g in GROUPS]), classes))
    people_per_class = np.bincount(classes, minlength=table.height).tolist()
    transitions: Counter = Counter()
    for before, after, n in zip(class_before["status"], class_after["status"], people_per_class):
        transitions[(before, after)] += n
    labels = base.effect_labels() | draft.effect_labels()  # a penalty the draft drops keeps its words
    sensitive_codes = exemption_codes_telling(base, draft)
    codes = {e.id: e.code for p in (base, draft) for e in p.all_exemptions() if e.code in sensitive_codes}
    sensitive = frozenset(c.key for c in changes if c.kind == "exemption" and c.id in codes)
    person_causes = np.take(class_causes, classes[changed], axis=0)  # np.take: several times faster on 2-D rows
    changes = [*changes, *said_changes(base, draft, bp, dp)]  # what the draft adds beside the decisions' grounds
    changes = _with_repeals(changes, draft)
    if base.effective != draft.effective:  # said, not a cause: what it moves is each penalty's day (``since``)
        changes = [PolicyChange("effective", "effective", "", "changed", str(base.effective), str(draft.effective)),
                   *changes]
    return DiffReport(base.title, draft.title, as_of, frame.height, tuple(changes), +transitions, changed,
                      cause_table, person_causes, frame, classes, class_before, class_after, sensitive, labels,
                      dict(uncertain or {}), draft.effect_labels() | base.effect_labels(),
                      sensitive_codes=sensitive_codes, pairs_tried=len(keys) <= max_pair_changes)


def exemption_codes_telling(*policies: P.CheckedPolicy) -> frozenset[str]:
    """The exemption codes whose decision may tell of a person's health, family or discipline: the
    sensitive categories; every category that is none of the contract's ``NON_SENSITIVE_EXEMPTIONS``
    (a county's `as 病假` for 病假超过3个月 has no standard code, and nothing says it is harmless:
    named beside a count of one, it would tell it); and the code of every exemption that reads a
    sensitive column, whatever its category (a drafter's `as 近期支教` reading `nursing`)."""
    own = {e.code for p in policies for e in p.all_exemptions() if e.code not in NON_SENSITIVE_EXEMPTIONS}
    return SENSITIVE_EXEMPTIONS | own | {e.code for p in policies for e in exemptions_reading(p, S.SENSITIVE_FIELDS)}


def widest(base: P.CheckedPolicy, draft: P.CheckedPolicy) -> P.CheckedPolicy:
    """A policy whose tables hold every field either variant declares, reading every column
    either reads (for building the frame): a value the base states for an absent column wins."""
    def merged(a, b):
        reads = dict(a.reads)
        for name, ids in b.reads:
            reads[name] = tuple(dict.fromkeys(reads.get(name, ()) + ids))
        assumed = a.assumed + tuple(x for x in b.assumed if a.assumption(x.field) is None)
        extra = tuple(f for f in b.fields if a.field(f.name) is None)
        return a.with_extra(extra).reading(reads, assumed, a.strict or b.strict)
    return attrs.evolve(base, teachers=merged(base.teachers, draft.teachers),
                        schools=merged(base.schools, draft.schools))


def _explaining(plan: Plan, base, draft, bp, dp, as_of, target, applied_sets: list[set[str]],
                label: str) -> list[pl.Expr]:
    """Columns ``{label}{k}:{part}``: does the base policy with the changes ``applied_sets[k]``
    decide that part as the draft (the plan's variant ``target``) does?"""
    columns = []
    for k, applied in enumerate(applied_sets):
        policy, params = hybrid(base, draft, bp, dp, applied)
        columns += [(~e).alias(f"{label}{k}:{g}") for g, e in plan.differs(plan.variant(policy, as_of, params),
                                                                             target).items()]
    return columns


def _matrix(table: pl.DataFrame, label: str, count: int, part: str) -> np.ndarray:
    """The columns ``_explaining`` named, for one part of the decision, as a boolean matrix."""
    if not count:
        return np.zeros((table.height, 0), dtype=bool)
    return np.column_stack([table[f"{label}{k}:{part}"].to_numpy() for k in range(count)])


def _pairs(changes: Sequence[PolicyChange], max_pair_changes: int) -> list[tuple[int, int]]:
    """The pairs of differences worth trying: not too many differences to pair, and both
    halves able to reach a common part of the decision (otherwise one half explains nothing
    there that the other does not)."""
    if not 2 <= len(changes) <= max_pair_changes:
        return []
    return [(a, b) for a, b in itertools.combinations(range(len(changes)), 2)
            if REACHES[changes[a].kind] & REACHES[changes[b].kind]]


def _attribute(changes: Sequence[PolicyChange], parts: Mapping[str, np.ndarray], singles: Mapping[str, np.ndarray],
               pairs: Sequence[tuple[int, int]], try_pairs, try_drops=lambda classes: None
               ) -> tuple[tuple[Cause, ...], np.ndarray]:
    """Per class k and per changed part of the decision (``parts``: a mask per part), the
    smallest sufficient set of changes: the distinct causes, and per class and part the
    index of theirs (-1 where the part did not change). ``singles[part][k, j]`` says whether
    change j alone explains it; ``try_pairs(classes)`` says the same of each of ``pairs``,
    and is asked only about the classes no single change explains; ``try_drops(classes)``
    whether the draft less change j still does (None: not tried), asked only about the classes
    no pair explains either: the changes it does not are each needed."""
    n = len(parts["status"])
    keys = [c.key for c in changes]
    unexplained = {g: parts[g] & ~singles[g].any(axis=1) for g in GROUPS}
    first_pair = {g: np.full(n, -1) for g in GROUPS}
    open_classes = np.flatnonzero(np.logical_or.reduce([unexplained[g] for g in GROUPS]))
    if pairs and len(open_classes):
        for g, hits in try_pairs(open_classes).items():
            hits = hits & unexplained[g][open_classes][:, None]
            found = hits.any(axis=1)
            first_pair[g][open_classes[found]] = hits[found].argmax(axis=1)  # the first pair that explains
    # of the classes neither one change nor two explain: which changes each needs
    needed = {g: np.zeros((n, len(changes)), dtype=bool) for g in GROUPS}
    larger = np.flatnonzero(np.logical_or.reduce([unexplained[g] & (first_pair[g] < 0) for g in GROUPS]))
    if len(larger) and (drops := try_drops(larger)) is not None:
        for g, still in drops.items():
            needed[g][larger] = ~still

    distinct = Keys()  # classes share causes: one object per distinct cause
    ids = np.full((n, len(GROUPS)), -1)

    def assign(column: int, rows: np.ndarray, signature: np.ndarray, cause_of) -> None:
        """Give ``rows`` the cause of their signature: rows with equal signatures share one."""
        if len(rows):
            _, first, inverse = np.unique(signature, return_index=True, return_inverse=True)
            ids[rows, column] = np.array([distinct.key(cause_of(rows[i])) for i in first])[inverse]

    for column, g in enumerate(GROUPS):
        hits, paired = singles[g], first_pair[g]
        rows = np.flatnonzero(parts[g] & ~unexplained[g])
        assign(column, rows, _row_codes(hits[rows]), lambda k, g=g, hits=hits: Cause(
            g, tuple(keys[j] for j in np.flatnonzero(hits[k])), "single" if hits[k].sum() == 1 else "any_of"))
        rows = np.flatnonzero(unexplained[g] & (paired >= 0))
        assign(column, rows, paired[rows], lambda k, g=g, paired=paired: Cause(
            g, tuple(keys[j] for j in pairs[paired[k]]), "together"))
        rows = np.flatnonzero(unexplained[g] & (paired < 0))
        reach = np.array([g in REACHES[c.kind] for c in changes], dtype=bool)  # the others cannot change this part
        need = needed[g] & reach

        def larger_cause(k, g=g, need=need, reach=reach):
            # every change that can reach the part, unless some are known not to be needed
            if not need[k].any() or need[k].sum() == reach.sum():
                return Cause(g, tuple(keys[j] for j in np.flatnonzero(reach)), "all")
            return Cause(g, tuple(keys[j] for j in np.flatnonzero(need[k])), "needed")
        assign(column, rows, _row_codes(need[rows]), larger_cause)
    return tuple(distinct.values), ids


def _row_codes(matrix: np.ndarray) -> np.ndarray:
    """The rows of a boolean matrix as one integer each: equal rows, equal integers."""
    width = matrix.shape[1]
    if width <= 62:  # as bits of one integer: no sort of whole rows
        return matrix.astype(np.int64) @ (np.int64(1) << np.arange(width, dtype=np.int64))
    return np.unique(matrix, axis=0, return_inverse=True)[1].ravel()


# ---- breakdowns -------------------------------------------------------------------


def _dimension(dimension: str, as_of: dt.date) -> pl.Expr:
    """A dimension's value for every row, as text."""
    if dimension == "school":
        col = pl.col("school_id")
    elif dimension in ("cluster", "area"):
        col = pl.col(f"school.{dimension}")
    elif dimension == "age_band":
        birth = pl.col("birth_date")
        before = (as_of.month * 100 + as_of.day) < (birth.dt.month().cast(pl.Int32) * 100
                                                     + birth.dt.day().cast(pl.Int32))
        age = as_of.year - birth.dt.year() - before.cast(pl.Int32)
        low = (age // 5) * 5
        col = (pl.when(age < 30).then(pl.lit("<30"))
               .otherwise(pl.concat_str([low.cast(pl.Utf8), pl.lit("-"), (low + 4).cast(pl.Utf8)])))
    else:
        col = pl.col(dimension)
    return col.cast(pl.Utf8).fill_null("—")


def _band_start(band: str) -> int:
    """Where an age band starts: `<30` before `30-34`; a band without a birth date (—) last."""
    if band.startswith("<"):
        return -1
    head = band.split("-")[0]
    return int(head) if head.isdigit() else 10**6


def school_names(report: DiffReport) -> dict[str, str]:
    """Each school id of the roster with its name, where the schools file gives one."""
    if "school.name" not in report.frame.columns:
        return {}
    pairs = report.frame.select(pl.col("school_id").cast(pl.Utf8), pl.col("school.name").cast(pl.Utf8)).unique("school_id")
    return {i: n for i, n in pairs.iter_rows() if i is not None and n}


def breakdown(report: DiffReport, dimension: str) -> list[dict]:
    """Per value of a dimension: people, changed, newly must_rotate, no longer must_rotate,
    and changes involving a sensitive reason; the values whose counts would tell a sensitive
    reason of fewer than MIN_CELL people (``_merged_rows``) last, in one row of no value that
    says how many ``others`` it holds, not their people (its sensitive count suppressed below MIN_CELL)."""
    values = report.frame.select(_dimension(dimension, report.as_of).alias("v"))["v"]
    totals = dict(values.value_counts().iter_rows())
    before, after = report.class_before, report.class_after
    to_must = (after["status"] == "must_rotate") & (before["status"] != "must_rotate")
    from_must = (before["status"] == "must_rotate") & (after["status"] != "must_rotate")
    sensitive = (before["exemption"].is_in(list(report.sensitive_codes))
                 | after["exemption"].is_in(list(report.sensitive_codes))).fill_null(False)
    of = report.changed_classes()  # per class above, per changed person below
    changed = pl.DataFrame({
        "value": values.gather(report.changed),
        "to": to_must.to_numpy()[of],
        "from": from_must.to_numpy()[of],
        "protected": sensitive.to_numpy()[of] | report.sensitive_causes(),
    })
    grouped = changed.group_by("value").agg(pl.len().alias("changed"), pl.col("to").sum().alias("to_must_rotate"),
                                            pl.col("from").sum().alias("from_must_rotate"),
                                            pl.col("protected").sum().alias("protected"),
                                            # of each count, the people a sensitive reason touches (``_merged_rows``)
                                            (pl.col("to") & pl.col("protected")).sum().alias("to_protected"),
                                            (pl.col("from") & pl.col("protected")).sum().alias("from_protected"))
    rows = grouped.to_dicts()
    merged = _merged_rows(rows)
    out = []
    # most changed first; age bands in the order of age, as a reader scans them
    order = (lambda r: _band_start(r["value"])) if dimension == "age_band" else (lambda r: (-r["changed"], r["value"]))
    for row in sorted((r for r in rows if r["value"] not in merged), key=order):
        out.append({"value": row["value"], "people": totals[row["value"]], **{k: row[k] for k in _COUNTS}})
    if merged:
        # no count of their people: a school's size would say which schools they are
        out.append({"value": None, "others": len(merged), "people": None,
                    **{k: sum(r[k] for r in rows if r["value"] in merged) for k in _COUNTS}})
    # the protected column, the merged row one of its cells: 1 to MIN_CELL - 1 withheld (a shown row's
    # among enough others that its counts do not tell it), and beside them whatever else it takes that
    # the county's total less the cells shown gives none of them; a cell holds no more than its row's changed
    withheld = suppressed_cells([r["protected"] for r in out], caps=[r["changed"] for r in out])
    for row, suppressed in zip(out, withheld):
        row["protected"] = None if suppressed else row["protected"]
        row["suppressed"] = suppressed
    return out


_COUNTS = ("changed", "to_must_rotate", "from_must_rotate", "protected")


def _merged_rows(rows: list[dict]) -> set:
    """The values of a breakdown said together in one row, by no name: each whose changed, newly
    or no longer must-rotate count holds people a sensitive reason touches (1 to ``MIN_CELL`` - 1
    of them in the group) beside fewer than ``MIN_CELL`` others, so that the count all but says them (a
    draft that only repeals the pregnancy exemption: 有变化 2 at a named school is two pregnant
    teachers there; 18 changes of which 2 are is no such count); and, where that is one value
    alone, the value of fewest changes besides it, or the county's totals less the rows shown
    would give it (complementary suppression)."""
    def tells(row: dict) -> bool:
        if not 0 < row["protected"] < MIN_CELL:
            return False
        return any(0 < row[touched] and row[count] - row[touched] < MIN_CELL for count, touched in
                   (("changed", "protected"), ("to_must_rotate", "to_protected"), ("from_must_rotate", "from_protected")))

    merged = {r["value"] for r in rows if tells(r)}
    if len(merged) == 1:
        others = sorted((r["changed"], str(r["value"]), r["value"]) for r in rows if r["value"] not in merged)
        merged |= {others[0][2]} if others else set()
    return merged


def suppressed_cells(counts: Sequence[int], primary: Sequence[bool] | None = None,
                     caps: Sequence[int | None] | None = None, min_cell: int = MIN_CELL) -> tuple[bool, ...]:
    """Which cells of one column of counts are withheld, the column's total taken as published (the
    headline, or another breakdown of the same people, gives it). Primary: each count ``primary`` marks
    (without it, each of 1 to ``min_cell`` - 1). Complementary: while a withheld cell can be worked out
    from the total less the cells shown (``exposed``: one withheld alone is that difference; all of them
    1, each is; or a cell's ``caps``, the most the reader knows it can hold, pin one), the smallest
    non-zero count shown beside them (of equal ones the first), and, none being left, the first zero
    shown, so that a withheld cell is not known to be non-zero. A column of one cell, or one withheld
    whole, can still be exposed: its total is what gives it away, and this table cannot hide that.
    Every withheld cell is shown alike: a mark of its own for the complementary ones would say the
    others are 1 to ``min_cell`` - 1 and these ``min_cell`` or more, and the difference would again
    say both (a total of 6 shown less: 1 and 5)."""
    withheld = [bool(p) for p in primary] if primary is not None else [0 < n < min_cell for n in counts]
    caps = list(caps) if caps is not None else [None] * len(counts)
    while any(withheld) and exposed(counts, withheld, caps):
        shown = [(n == 0, n, k) for k, n in enumerate(counts) if not withheld[k]]
        if not shown:
            break
        withheld[min(shown)[2]] = True
    return tuple(withheld)


def exposed(counts: Sequence[int], withheld: Sequence[bool], caps: Sequence[int | None] | None = None) -> bool:
    """Whether a reader who knows the column's total, the cells shown and which are withheld can tell
    a withheld cell's count: the withheld cells add up to the total less the cells shown; each is at
    least 0 (or, a reader may take it, at least 1: a zero has nothing to hide) and at most its cap (its
    row's changed people; None: no cap). A count is told where, under either floor, the one value
    the cell can take is its own."""
    cells = [k for k, w in enumerate(withheld) if w]
    rest = sum(counts[k] for k in cells)
    top = [rest if caps is None or caps[k] is None else min(caps[k], rest) for k in range(len(counts))]
    for floor in (0, 1):
        if floor * len(cells) > rest or any(top[k] < floor for k in cells):
            continue  # no count of the withheld cells fits this floor: the reader learns it is wrong
        room = sum(top[k] for k in cells)
        for k in cells:
            low = max(floor, rest - (room - top[k]))
            high = min(top[k], rest - floor * (len(cells) - 1))
            if low == high == counts[k]:
                return True
    return False


def exemption_summary(report: DiffReport) -> list[dict]:
    """Changed people per exemption reason after the change; sensitive reasons under
    MIN_CELL are merged into one suppressed cell, and where it is withheld alone, the smallest
    count beside it too (``suppressed_cells``): the changed people with an exemption, less the
    counts shown, would give it."""
    people = np.bincount(report.changed_classes(), minlength=report.class_after.height).tolist()
    counts: Counter = Counter()
    for code, n in zip(report.class_after["exemption"].to_list(), people):
        if code and n:
            counts[code] += n
    out, merged = [], 0
    for code, n in sorted(counts.items()):
        if code in report.sensitive_codes and n < MIN_CELL:
            merged += n
        else:
            out.append({"exemption": code, "count": n})
    if merged:
        out.append({"exemption": "protected (merged)", "count": merged})
    withheld = suppressed_cells([r["count"] for r in out],
                                primary=[bool(merged) and k == len(out) - 1 and merged < MIN_CELL for k in range(len(out))])
    for row, suppressed in zip(out, withheld):
        if suppressed:
            row.update(count=None, suppressed=True)
    return out


def sweep(base: P.CheckedPolicy, draft: P.CheckedPolicy, rows: Sequence[Mapping], schools: Mapping[str, Mapping],
          name: str, values: Sequence[object], *, as_of: dt.date, base_params: Mapping | None = None,
          draft_params: Mapping | None = None) -> list[tuple[object, int, int]]:
    """For each value of the draft's parameter ``name``: how many people's decisions differ from
    the base, and how many of them in their status."""
    frame = frame_from_records(widest(base, draft), list(rows), schools)
    return sweep_frame(base, draft, frame, name, values, as_of=as_of, base_params=base_params,
                       draft_params=draft_params)


def sweep_frame(base: P.CheckedPolicy, draft: P.CheckedPolicy, frame: pl.DataFrame, name: str,
                values: Sequence[object], *, as_of: dt.date, base_params: Mapping | None = None,
                draft_params: Mapping | None = None) -> list[tuple[object, int, int]]:
    """``sweep`` on a table (teacher columns plus ``school.*``): every point is a variant of
    one plan, decided once per class of rows (``Plan.classes``). Each point counts the people
    whose decision differs and those whose status does: a county draft citing its own document
    for a provincial rule changes the decision of everyone that rule decides, whatever the value,
    and a curve of decisions alone would lie flat where the statuses move."""
    plan = Plan()
    before = plan.variant(base, as_of, base.parameter_values(base_params))
    afters = [plan.variant(draft, as_of, draft.parameter_values({**(draft_params or {}), name: value}))
              for value in values]
    if not afters:
        return []
    statuses = [o.status for o in plan.outcomes.values]  # (every outcome is keyed once the variants are)

    def status(variant) -> pl.Expr:
        return variant.outcome.replace_strict(list(range(len(statuses))), statuses, return_dtype=pl.String)

    points = []
    for k, after in enumerate(afters):
        points.append(pl.any_horizontal(list(plan.differs(before, after).values())).alias(f"point{k}"))
        points.append(status(before).ne_missing(status(after)).alias(f"status{k}"))
    classes, representatives = plan.classes(frame)
    differs = plan.rows(frame[representatives], points)
    people = np.bincount(classes, minlength=len(representatives))
    return [(value, int(people[differs[f"point{k}"].to_numpy()].sum()), int(people[differs[f"status{k}"].to_numpy()].sum()))
            for k, value in enumerate(values)]
