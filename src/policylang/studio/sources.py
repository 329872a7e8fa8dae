"""A source document beside the policy: its paragraphs, each with the clauses that cite it.

The language has no clause naming a source's file yet, so the drafter pastes the document's
text. A paragraph is cited by a clause whose ``cite`` names a section the paragraph starts
with (``第三条``, ``四、``, ``（1）``), as Chinese policy documents number their paragraphs;
a section written as a path (``四、1（1）``) is matched part by part, each paragraph opening
the next part under the one before and before the next of its own kind (a last part that is
no number, ``二、一是``, by the words the paragraph starts with; an item, 第五条第（二）项, inside
the article's paragraph where items run on; a 款 by its place); a section naming a phrase in quotes (``“硬杠杠”``) is
matched where the phrase is, at the paragraph saying the words after it (``“硬杠杠”：晋升高级教师``)
where one does (``_where_said``). Paragraphs no clause cites are marked, so the drafter sees
what is not encoded yet."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

import attrs

from policylang.io.safe_text import html_text
from policylang.core.i18n import declaration_kind, direction_label, exemption_label, promotion_heading, word
from policylang.lang import ir
from policylang.lang import types as T
from policylang.lang.numerals import chinese_number, periods_worded
from policylang.lang.pretty import expr_text, policy_display_names, value_text
from policylang.lang.policy import CheckedPolicy
from policylang.lang.reads import parameters_read

MAX_PARAGRAPHS = 5000
MAX_DOCUMENT = 8 * 1024 * 1024  # bytes of a source document read

# how a paragraph's number is written: 第三条, 第三章, 一、 (1) （1） 1. 1、 ①
_NUMBER = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇\d]+[条章节款项]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[.、．](?!\d)|[①-⑳])")
_PHRASE = re.compile(r"[“\"]([^”\"]+)[”\"]")
# a paragraph that heads those below it: a short line that is no sentence (“硬杠杠”撬动城乡统一)
_HEADING_LINE = re.compile(r"[^。，,；;：:！？!?]{1,30}")


@attrs.frozen
class Clause:
    id: str
    kind: str  # rule, exemption, prerequisite, penalty, benefit, quota, provision, priority
    title: str
    section: str | None
    line: int | None  # 0-based line of the clause in the file shown (None: in a base file)
    repealed: bool = False  # repealed by this policy: ``line`` is then the repeal's
    reason: str | None = None  # the repeal's
    # the repeal's own citations (``Citation.short``): where the repealing document sets it aside
    repeal_cites: tuple[str, ...] = attrs.field(default=(), eq=False)
    # the repeal itself, cited at a section of the repealing file's own document (``section`` is that one)
    by_repeal: bool = False
    # what it does, (English, Chinese): a rule's condition and outcome, an exemption's and whether it
    # exempts or may be invoked, a prerequisite's requirement; None for the rest
    content: tuple[str, str] | None = attrs.field(default=None, eq=False)
    # a base's clause this policy rewrites whole under its id (`override rule FJ-2 …`): the rewrite's
    # citations (``Citation.short``), beside the base's paragraph, which the clause no longer encodes as written
    overridden_by: tuple[str, ...] | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Paragraph:
    number: int
    text: str
    heading: str | None  # the number the paragraph starts with
    clauses: tuple[Clause, ...]
    below: tuple[Clause, ...] = ()  # clauses citing a paragraph under this heading (`四、` for `四、1（1）`)
    # clauses citing the title above this paragraph, which says nothing itself (二、“走校式”教师交流的实施):
    # they encode this paragraph, one of those below it up to the next numbered one
    above: tuple[Clause, ...] = ()

    @property
    def cited(self) -> bool:
        return bool(self.clauses or self.below or self.above)


def clauses(policy: CheckedPolicy, source: str, file: str,
            said: dict[tuple[str, str], tuple[str, str]] | None = None) -> list[Clause]:
    """Every clause citing ``source``, with the section it cites (and its line when it is
    written in ``file``, the file the editor shows); a clause of a base this policy repeals
    too, marked so: the paragraph it encoded was read, and set aside; and a repeal citing
    ``source`` (`repeal FJ-2 "…" cite JA "第八条"`) at the section that repeals it: that paragraph
    of the county's document is encoded, by the repeal."""
    def line_in_file(span) -> int | None:
        return span.line - 1 if span and span.source == file else None

    groups = [("rule", policy.rules), ("exemption", policy.all_exemptions()),
              ("prerequisite", policy.prerequisites), *((c.kind, (c,)) for c in policy.consequences),
              ("quota", policy.quotas), ("provision", policy.provisions), ("priority", policy.priorities)]
    # every clause that may cite: (id, kind, title, citations, span, the repeal or None, whether by the repeal)
    citing = [(item.id, kind, item.title, item.cites, item.span, None, False)
              for kind, items in groups for item in items]
    citing += [(p.name, "parameter", p.doc or p.name, p.cites, p.span, None, False)  # a number a clause sets
               for p in policy.parameters.values()]
    citing += [(d.name, "definition", d.doc or d.name, d.cites, d.span, None, False)  # whom a clause covers
               for d in policy.definitions.values()]
    citing += [(r.id, r.kind, r.title, r.cites, r.span, r, False) for r in policy.repealed]
    citing += [(r.id, r.kind, r.title, r.repeal_cites, r.span, r, True) for r in policy.repealed]
    said = said or {}  # (what each does: ``contents``, given by a page that shows it)
    out = [Clause(ident, kind, title, cite.section, line_in_file(span), r is not None, r and r.reason,
                  content=None if r is not None else said.get((kind, ident)),
                  repeal_cites=tuple(c.short() for c in r.repeal_cites) if r is not None else (), by_repeal=by_repeal)
           for ident, kind, title, cites, span, r, by_repeal in citing for cite in cites if cite.source == source]
    # a base's clause rewritten under its id: beside the base's paragraph, as the base cited it (not
    # where the rewrite cites that same section: the rewrite is listed there itself); once a section,
    # where a city's rewrite between kept the province's citation
    shown: set[tuple[str, str]] = set()
    for o in policy.overridden:
        for cite in o.cites:
            if cite.source == source and cite not in o.by_cites and (o.id, cite.section) not in shown:
                shown.add((o.id, cite.section))
                out.append(Clause(o.id, o.kind, o.title, cite.section, None,
                                  overridden_by=tuple(c.short() for c in o.by_cites)))
    return out


def contents(policy: CheckedPolicy) -> dict[tuple[str, str], tuple[str, str]]:
    """What each rule, exemption and prerequisite does, as a reviewer reads it beside the text it
    encodes: its condition in words (the policy's definitions by their Chinese names) and its effect."""
    names = policy_display_names(policy, policy.parameter_values())  # parameters by their values: the numbers the text writes

    def cond(node, lang: str) -> str:
        if node is None:
            return "everyone" if lang == "en" else "所有人"
        return expr_text(node, lang=lang, names=names if lang == "zh" else None)

    out: dict[tuple[str, str], tuple[str, str]] = {}
    for r in policy.rules:
        way = (f", {r.direction}" if r.direction else "", f"，{direction_label(r.direction, 'zh')}" if r.direction else "")
        out[("rule", r.id)] = (f"when {cond(r.when, 'en')} → {r.outcome}{way[0]}",
                               f"条件：{cond(r.when, 'zh')} → {word(r.outcome, 'zh')}{way[1]}")
    for x in policy.all_exemptions():
        to_en = "every rule" if x.all_rules else ", ".join(x.targets)
        to_zh = "全部规则" if x.all_rules else "、".join(x.targets)
        effect = (("may decline (stays a target)", "本人可申请不参加（仍为交流对象）") if x.may_decline else
                  (f"exempt ({x.code})", f"免于交流（{exemption_label(x.code, 'zh')}）"))
        out[("exemption", x.id)] = (f"when {cond(x.when, 'en')} → {effect[0]}; of {to_en}",
                                    f"条件：{cond(x.when, 'zh')} → {effect[1]}；针对 {to_zh}")
    for p in policy.prerequisites:
        targets_zh = "、".join(promotion_heading(t, "zh") for t in p.targets)
        out[("prerequisite", p.id)] = (
            f"for {', '.join(p.targets)}: where {cond(p.applies, 'en')}, requires {cond(p.requires, 'en')}",
            f"{targets_zh}：适用于 {cond(p.applies, 'zh')}，须具备 {cond(p.requires, 'zh')}")
    for d in policy.definitions.values():  # a definition a clause says (三、对象和范围), as it reads
        if d.cites:
            out[("definition", d.name)] = (f"{d.name} = {cond(d.expr, 'en')}", f"{d.name}：{cond(d.expr, 'zh')}")
    for c in policy.consequences:  # what happens, for how long, and which promotions it holds back
        out[(c.kind, c.id)] = tuple(_consequence_text(c, lang, cond) for lang in ("en", "zh"))
    return out


def _consequence_text(c, lang: str, cond) -> str:
    """A penalty or benefit in words: `拒绝交流日期之后：待聘，3年，期间不得任校长、晋升高级教师`."""
    zh = lang == "zh"
    effects = []
    for e in c.effects:
        parts = [e.label or e.name if zh else e.name]
        # the period, once: not after a label that says it (三年内不得评优, not 三年内不得评优，3年)
        if e.duration is not None and not (zh and e.label and _says_period(e.label, e.duration)):
            parts.append(value_text(e.duration[0], T.NumberType(e.duration[1]), lang))
        if e.bars:
            barred = [promotion_heading(t, lang) for t in e.bars]
            parts.append(f"期间不得{'、'.join(barred)}" if zh else f"barring {', '.join(barred)}")
        effects.append(("，" if zh else ", ").join(parts))
    condition = c.when
    if c.since is not None and c.after is not None:  # not retroactive: said by its date, not as a condition
        first = condition.args[0] if isinstance(condition, ir.Apply) and condition.op == ir.Op.AND else condition
        if isinstance(first, ir.Apply) and first.op == ir.Op.GE and first.args[0] == c.after:
            condition = condition.args[1] if first is not condition else None
    when = "" if condition is None else (f"，且 {cond(condition, 'zh')}" if zh else f" and {cond(condition, 'en')}")
    if c.after is None:
        head = f"条件：{cond(condition, 'zh')}" if zh else f"when {cond(condition, 'en')}"
    else:
        event = expr_text(c.after, lang=lang)
        since = "" if c.since is None else (f"（{c.since.isoformat()} 起）" if zh else f" (on or after {c.since.isoformat()})")
        head = f"{event}之后{since}{when}" if zh else f"after {event}{since}{when}"
    return f"{head} → {'；'.join(effects)}" if zh else f"{head} → {'; '.join(effects)}"


def _says_period(label: str, duration: tuple[object, str]) -> bool:
    amount, unit = duration
    return (float(amount), unit.removesuffix("s") + "s") in periods_worded(label)


# one number of a section's path: 第五条, 第（二）项, 四、, （1）, 1., ①
_SECTION_NUMBER = re.compile(r"^(第[一二三四五六七八九十百零〇\d]+[条章节款项目]|第[（(][一二三四五六七八九十\d]+[）)][项目]"
                             r"|[一二三四五六七八九十]+、|[一二三四五六七八九十]+(?=\s*[（(])|[（(][一二三四五六七八九十\d]+[）)]"
                             r"|\d+(?=[（(.、．]|$)[.、．]?|[①-⑳])")


def _parts(section: str) -> list[str]:
    """A section as its path of numbers: ``四、1（1）`` → ``四、``, ``1``, ``（1）`` (and ``三（二）`` →
    ``三、``, ``（二）``); words after the numbers are a last part, looked for as a paragraph's first words."""
    parts, rest = [], section.strip()
    while rest:
        m = _SECTION_NUMBER.match(rest)
        if not m:
            return parts + [rest] if parts else []
        part = m.group(1)
        # 三（二）, as a citation shortens 三、……（二）: the part is 三、
        parts.append(part + "、" if part[-1] in _CHINESE_DIGITS and not part.startswith("第") else part)
        rest = rest[m.end():].strip()
    return parts


_CHINESE_DIGITS = "一二三四五六七八九十"


def _same_number(heading: str, part: str) -> bool:
    """Whether a paragraph's heading is the part's number, of the same kind: （2） is not the
    number 2. of the level above it (四、2（2） in a text whose 四、 has only 1. was placed at 1.'s （2））."""
    def plain(text: str) -> str:
        return re.sub(r"[\s、.．()（）]", "", text)
    if plain(heading) == plain(part) and _level(heading) == _level(part):
        return True
    item = _ITEM.fullmatch(part.strip())  # 第（二）项 or 第二项 for a paragraph headed （二）
    return (item is not None and item.group(2) in ("项", "目") and heading.strip()[:1] in "（("
            and plain(heading) == item.group(1))


def _level(number: str) -> str:
    """The kind of number a heading or a part is (第…条, 一、, （一）, 1., ①): siblings share it."""
    text = number.strip()
    if text.startswith("第") and text[-1:] in "条章节款项目":
        return text[-1]
    if text[:1] in "（(":
        return "（）"
    if text[-1:] == "、" and not text[0].isdigit():
        return "一、"
    return "1." if text[:1].isdigit() else text[:1]


_ITEM = re.compile(r"第?[（(]?([一二三四五六七八九十\d]+)[）)]?([款项目])?")


def _within(part: str, article: int, start: int, end: int, blocks: list[str],
            headings: list[str | None]) -> int | None:
    """The paragraph of a sub-division of an article that has no heading of its own, or None:
    an item (第（二）项, 第二项, （二）) run on inside the article's paragraph, or inside an
    unnumbered paragraph just below its heading (1、交流范围及对象, then 全区…：(1)…(2)…), found by
    its number in brackets; a 款 by its place, the article's own paragraph its first 款, each
    paragraph after it without a number the next (立法技术规范: 款 are not numbered)."""
    m = _ITEM.fullmatch(part.strip())
    if m is None:
        return None
    if m.group(2) == "款" and part.startswith("第"):
        ordinal = _ordinal(m.group(1))
        unnumbered = [article] + list(itertools.takewhile(lambda k: headings[k] is None, range(start, end)))
        return unnumbered[ordinal - 1] if ordinal is not None and 0 < ordinal <= len(unnumbered) else None
    number = m.group(1)  # in the article's paragraph, or in an unnumbered one below it (1、交流范围及对象 / 全区…：(1)…)
    runs_on = [article] + list(itertools.takewhile(lambda k: headings[k] is None, range(start, end)))
    return next((k for k in runs_on if f"（{number}）" in blocks[k] or f"({number})" in blocks[k]), None)


def _holds_item(text: str, part: str) -> bool:
    """Whether a paragraph's text holds the item a part of a section numbers (（二）, 第（二）项)."""
    m = _ITEM.fullmatch(part.strip())
    return m is not None and m.group(2) != "款" and (f"（{m.group(1)}）" in text or f"({m.group(1)})" in text)


def _ordinal(number: str) -> int | None:
    """A 款's number as a statute writes it (二, 十二) or in digits, as a number."""
    return int(number) if number.isdigit() else chinese_number(number)


# a line that ends a sentence: a paragraph of its own, not a line a text was wrapped at
_ENDS_SENTENCE = re.compile(r"[。；！？：…”’）)]\s*$")


def split(text: str) -> list[str]:
    """Paragraphs: blocks separated by blank lines, or single lines when a document puts each
    paragraph on a line of its own (as a copied web page or Word file does); in a block whose
    every line ends a sentence, each line (an article's second 款 on the line below its first)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) <= 1 or all("\n" not in b for b in blocks):
        blocks = [line.strip() for line in text.split("\n") if line.strip()]
    else:
        blocks = [part for b in blocks for part in (
            [line.strip() for line in b.split("\n") if line.strip()]
            if all(_ENDS_SENTENCE.search(line) for line in b.split("\n") if line.strip()) else [b])]
    return blocks[:MAX_PARAGRAPHS]


def paragraphs(text: str, cited: Iterable[Clause]) -> list[Paragraph]:
    """The document's paragraphs, each with the clauses citing it."""
    blocks = split(text)
    headings = [(_NUMBER.match(b).group(1) if _NUMBER.match(b) else None) for b in blocks]
    hits: list[list[Clause]] = [[] for _ in blocks]
    below: list[list[Clause]] = [[] for _ in blocks]
    for clause in cited:
        found, path = _match(clause.section or "", blocks, headings)
        for k in found:
            hits[k].append(clause)
        for k in path:
            below[k].append(clause)
    above: list[list[Clause]] = [[] for _ in blocks]
    for k in (k for k, b in enumerate(blocks) if hits[k] and headings[k] and _HEADING_LINE.fullmatch(b)):
        for j in itertools.takewhile(lambda j: headings[j] is None, range(k + 1, len(blocks))):
            above[j] += hits[k]
    return [Paragraph(k + 1, b, headings[k], tuple(hits[k]), tuple(below[k]), tuple(above[k]))
            for k, b in enumerate(blocks)]


# how a page says `unplaced`: shown by `policylang doc` and the studio alike
UNPLACED = ("Clauses citing this source at no paragraph of it (no section given, or one the text lacks)",
            "引用该来源、但未对应到原文段落的条款（未写明条款号，或原文中找不到所写的条款号）")


def unplaced(paras: Iterable[Paragraph], cited: Iterable[Clause]) -> list[Clause]:
    """The citations of a source placed at no paragraph of its text: no section given, or one
    the text lacks (a typo, or a section the matcher does not find). They still use the source,
    and left unsaid the drafter would take the text as fully matched. A clause is placed by
    each citation: one citing two sections, one of them lacking, is listed for that one."""
    placed = {c for p in paras for c in p.clauses}
    return [c for c in cited if c not in placed]


def _match(section: str, blocks: list[str], headings: list[str | None]) -> tuple[list[int], list[int]]:
    """The paragraphs a section names, and the headings on its way there."""
    parts = _parts(section)
    if parts:
        start, path, end = 0, [], len(blocks)
        for i, part in enumerate(parts):  # each part is looked for after the one before, up to its parent's next sibling
            words = _SECTION_NUMBER.fullmatch(part) is None  # (a number is found by headings alone: `2` is no 2019年…)
            found = next((k for k in range(start, end)  # by its number, or by the words it starts with
                          if (headings[k] and _same_number(headings[k], part)) or (words and blocks[k].startswith(part))),
                         None)
            if found is None:
                inside = _within(part, path[-1], start, end, blocks, headings) if path else None
                # 第五条第（二）项 inside the article's paragraph; 第五条第二款; the parts after it, items that
                # paragraph holds too (四、1（9） is not the paragraph holding （1） but no （9））
                if inside is not None and all(_holds_item(blocks[inside], rest) for rest in parts[i + 1:]):
                    return [inside], path[:-1] if inside == path[-1] else path
                break
            path.append(found)
            start = found + 1
            level = _level(part)  # 第四条's items end where 第五条 begins
            end = next((k for k in range(start, end) if headings[k] and _level(headings[k]) == level), end)
        else:
            return [path[-1]], path[:-1]
    quoted = _PHRASE.findall(section)
    phrases = quoted or ([section.strip()] if len(section.strip()) >= 4 else [])
    found = [k for k, b in enumerate(blocks) if any(p in b for p in phrases)]
    listed = [p.strip() for p in section.split("、")]  # 交通补贴、农村教师补贴: each said, in one paragraph
    if not found and not quoted and len(listed) > 1 and all(len(p) >= 3 for p in listed):
        found = [k for k, b in enumerate(blocks) if all(p in b for p in listed)]
    if not found and not quoted and phrases:  # 退休后管理和服务 for 退休后的管理和服务: all but a word of it
        found = _nearly_said(phrases[0], blocks)
    words = _PHRASE.sub("", section).strip(" ：:，,")  # “硬杠杠”：晋升高级教师: the point said after the phrase
    return _where_said(words, found, blocks) if quoted and words and found else (found, [])


_ENOUGH_SAID = 0.5  # of the words' pairs of characters, in the paragraph that says them


def _where_said(words: str, found: list[int], blocks: list[str]) -> tuple[list[int], list[int]]:
    """The paragraphs of a phrase's section that say the words a citation adds after it
    (`“硬杠杠”：晋升高级教师`), and the heading on the way: a news report states its “硬杠杠” under a
    heading that quotes the phrase, each in its own paragraph, and every clause citing the phrase
    sat on the heading. The paragraphs looked in are those holding the phrase and those under a
    heading that holds it; the words need not be verbatim (同校任教达到6年 for 同一所学校任教达到6年),
    so each paragraph is scored by how many of the words' pairs of characters it has; the best,
    if it has half of them, else where the phrase is (``found``), as before."""
    pairs = _pairs(words)
    if not pairs:
        return found, []
    heading_of: dict[int, int] = {k: k for k in found}
    for k in found:
        if _HEADING_LINE.fullmatch(blocks[k]):
            for j in itertools.takewhile(lambda j: not _HEADING_LINE.fullmatch(blocks[j]), range(k + 1, len(blocks))):
                heading_of.setdefault(j, k)
    scores = {k: len(pairs & _pairs(blocks[k])) / len(pairs) for k in heading_of}
    best = max(scores.values())
    if best < _ENOUGH_SAID:
        return found, []
    said = [k for k in sorted(scores) if scores[k] == best]
    return said, sorted({heading_of[k] for k in said} - set(said))


_NEARLY_SAID = 0.8  # of the words' pairs of characters, in the one paragraph that says them but for a word or a blank


def _nearly_said(words: str, blocks: list[str]) -> list[int]:
    """The paragraph that says a section's words all but verbatim, if one does: the drafter writes
    what the text says with a 的 left out or a bracket of another width (退休后管理和服务, 县（市、区）域内
    for 退休后的管理和服务, 县 (市、区) 域内), and the citation was placed nowhere. Scored as ``_where_said``
    scores (pairs of neighbouring characters), but stricter and of one paragraph only: a topic's name the
    text never says (交流范围: 交流 is in every paragraph, 范围 in one about subsidies) is placed nowhere,
    and listed as such, rather than beside a paragraph that happens to share its characters."""
    pairs = _pairs(words)
    if len(pairs) < 3:
        return []
    scores = [len(pairs & _pairs(b)) / len(pairs) for b in blocks]
    best = max(scores, default=0)
    said = [k for k, score in enumerate(scores) if score == best]
    return said if best >= _NEARLY_SAID and len(said) == 1 else []


def _pairs(text: str) -> set[str]:
    """The pairs of neighbouring characters of a text, blanks and punctuation left out."""
    plain = re.sub(r"[\s\W_]", "", text)
    return {plain[k:k + 2] for k in range(len(plain) - 1)}


# ---- the same view as one static page (`policylang doc`) ------------------------------------



def _repeals_html(policy: CheckedPolicy, t, note, lang: str) -> list[str]:
    """The clauses of the bases this policy repeals, each with the file that declared it and the
    repeal's reason and notes: what a county sets aside of its province's rules, said in one place."""
    from pathlib import Path

    if not policy.repealed:
        return []
    e = html_text  # escaped, control characters shown (a title is the drafter's text)

    def noted(text: str) -> str:  # a `note "…"` of the repeal, under its reason
        return f"<span class='what'>{e(t('note: ', '注：') + text)}</span>"

    rows = []
    for r in policy.repealed:
        cites = "；".join(c.short() for c in r.cites)
        under = "；".join(c.short() for c in r.repeal_cites) or t("none given", "未注明")
        rows.append(f"<tr><td class='id'><s>{e(r.id)}</s></td><td class='kind id'>{e(declaration_kind(r.kind, lang))}"
                    f"</td><td>{e(r.title)}</td><td>{e(Path(r.origin).name)}</td><td>{e(cites)}</td>"
                    f"<td class='repeal'>{e(note(r.reason))}{''.join(noted(n) for n in r.notes)}</td>"
                    f"<td class='repeal-cites'>{e(under)}</td></tr>")
    head = "".join(f"<th>{e(h)}</th>" for h in (t("clause", "条款"), t("kind", "类别"), t("title", "标题"),
                                                  t("declared in", "原声明文件"), t("cites", "出处"),
                                                  t("repeal", "废止"), t("repealed under", "废止依据")))
    return [f"<h2 id='repealed'>{e(t('Repealed clauses', '废止的条款'))}</h2>",
            f"<p class='note'>{e(t(f'This policy repeals {len(policy.repealed)} clause(s) of the files it extends: they decide nothing here.', f'本政策废止了所继承文件的 {len(policy.repealed)} 条条款，这些条款在此不作任何决定。'))}</p>",
            f"<table class='parameters'><tr>{head}</tr>{''.join(rows)}</table>"]


def _parameters_html(policy: CheckedPolicy, file: str, t, lang: str) -> list[str]:
    """The numbers the clauses' titles speak of, as this file sets them: a county that changes
    only a parameter (an age cap of 48, not the province's 50) shows it here, beside where the
    value comes from."""
    from pathlib import Path

    from policylang.lang.pretty import parameter_text

    if not policy.parameters:
        return []
    e, mine = html_text, Path(file).name
    read = parameters_read(policy)  # one no clause in force reads (its clause repealed) changes nothing: said apart
    rows = []
    for p in (p for p in policy.parameters.values() if p.name in read):
        origin = Path(p.origin).name
        whose = t("set here", "本文件设定") if origin == mine else t(f"from {origin}", f"沿用 {origin}")
        rows.append(f"<tr><td>{e(p.name)}</td><td><b>{e(parameter_text(p, p.value, lang))}</b></td>"
                    f"<td>{e(p.doc or '')}</td><td class='kind'>{e(whose)}</td></tr>")
    head = "".join(f"<th>{e(h)}</th>" for h in (t("parameter", "参数"), t("value", "取值"), t("meaning", "含义"),
                                                  t("set by", "来源")))
    unread = [n for n in policy.parameters if n not in read]
    return [f"<h2 id='parameters'>{e(t('Parameters', '参数'))}</h2>",
            f"<p class='note'>{e(t('The numbers the clauses use, as this policy sets them.', '条款所用的数值，以本政策的设定为准。'))}</p>",
            f"<table class='parameters'><tr>{head}</tr>{''.join(rows)}</table>",
            *([f"<p class='note'>{e(t('Read by no clause in force (their clauses repealed): ', '以下参数已无条款读取（所读条款已废止）：'))}"
               f"{e(('、' if lang == 'zh' else ', ').join(unread))}</p>"] if unread else [])]


def html_page(policy: CheckedPolicy, file: str, documents: dict[str, str], lang: str = "zh") -> str:
    """The policy's sources as one self-contained HTML page (no script, nothing fetched): for a
    source whose document is given, its paragraphs beside the clauses citing them, the
    paragraphs no clause cites marked; for every source, the clauses citing it. Every text
    is escaped."""
    zh = lang == "zh"
    e = html_text  # escaped, control characters shown (a title is the drafter's text)

    def t(en: str, cn: str) -> str:
        return cn if zh else en

    def clause_text(c: Clause) -> str:
        kind = declaration_kind(c.kind, "zh" if zh else "en")
        section = f" <span class='section'>{e(c.section)}</span>" if c.section else ""
        if c.overridden_by is not None:
            return (f"<div class='clause repealed'><b><s>{e(c.id)}</s></b> <span class='kind'>{e(kind)}</span> "
                    f"<s>{e(c.title)}</s>{section} <span class='repeal'>{e(override_note(c.overridden_by))}</span></div>")
        if not c.repealed:
            what = f"<span class='what'>{e(c.content[1 if zh else 0])}</span>" if c.content else ""
            return (f"<div class='clause'><b>{e(c.id)}</b> <span class='kind'>{e(kind)}</span> {e(c.title)}{section}"
                    f"{what}</div>")
        # beside the base's paragraph, the repeal's citation too; beside the repealing document's, it is that paragraph
        note = (t(f"({c.reason})", f"（{c.reason}）") if c.reason else "") if c.by_repeal else \
            repeal_note(c.reason, c.repeal_cites)
        act = f"<span class='kind'>{e(t('repeals', '废止'))}</span> " if c.by_repeal else ""
        return (f"<div class='clause repealed'>{act}<b><s>{e(c.id)}</s></b> <span class='kind'>{e(kind)}</span> "
                f"<s>{e(c.title)}</s>{section} <span class='repeal'>{e(note)}</span></div>")

    def override_note(cites: tuple[str, ...]) -> str:
        return t("rewritten by this policy", "已由本政策改写") + (t(f" (now under {'; '.join(cites)})",
                                                                 f"（现依据 {'；'.join(cites)}）") if cites else "")

    def repeal_note(reason: str | None, cites: tuple[str, ...] = ()) -> str:
        said = [*([reason] if reason else []), *([t("under ", "依据 ") + "、".join(cites)] if cites else [])]
        return t("repealed", "已废止") + (t(f" ({'; '.join(said)})", f"（{'；'.join(said)}）") if said else "")

    parts = [f"<!doctype html><html lang='{'zh-CN' if zh else 'en'}'><head><meta charset='utf-8'>",
             f"<title>{e(policy.title)}</title><style>body{{font-family:'Noto Sans CJK SC','Microsoft YaHei',"
             "sans-serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.5}"
             ".para{display:grid;grid-template-columns:1fr 22em;gap:12px;border-bottom:1px solid #eee;padding:6px 0}"
             ".uncited .text{background:#fff4e5}.uncited .cites{color:#c60}.below{color:#888;font-size:90%}"
             ".kind,.section{color:#666;font-size:90%}.what{display:block;color:#444;font-size:90%;margin:2px 0 4px 1em}.note{color:#666}.repealed{color:#888}.repeal{color:#a11}td.id{white-space:nowrap}"
             "table.parameters{border-collapse:collapse}table.parameters td,table.parameters th{border:1px solid #ddd;"
             "padding:3px 8px;text-align:left}</style></head><body>",
             f"<h1>{e(policy.title)}</h1>"]
    if policy.jurisdiction:
        parts.append(f"<p class='note'>{e(policy.jurisdiction)}</p>")
    said = contents(policy)  # once for every source
    for source_id, source in policy.sources.items():
        cited = clauses(policy, source_id, file, said)
        parts.append(f"<h2 id='source-{e(source_id)}'>{e(source_id)} {e(source.title)}</h2>")
        if source.document:  # the 文号 or publication a reviewer looks the document up by
            parts.append(f"<p class='document'>{e(t('Document: ', '文号或出处：'))}{e(source.document)}</p>")
        document = documents.get(source_id)
        if document is None:
            parts.append(f"<p class='note'>{e(t('Clauses citing this source', '引用该来源的条款'))}"
                         f"（{len(cited)}）</p>" + "".join(clause_text(c) for c in cited))
            continue
        paras = paragraphs(document, cited)
        uncited = sum(not p.cited for p in paras)
        parts.append(f"<p class='note'>{e(t(f'{len(paras)} paragraphs, {uncited} cited by no clause', f'{len(paras)} 段，其中 {uncited} 段未被任何条款引用'))}</p>")
        for p in paras:
            if p.clauses:
                right = "".join(clause_text(c) for c in p.clauses)
            elif p.below or p.above:
                where = t('cited below: ', '下文条款引用：') if p.below else t('cited above: ', '上文条款引用：')
                right = f"<span class='below'>{e(where)}" \
                        f"{e('、'.join(sorted({c.id for c in p.below or p.above})))}</span>"
            else:
                right = e(t("not cited", "未被引用"))
            parts.append(f"<div class='para {'cited' if p.cited else 'uncited'}'><div class='text'>{e(p.text)}</div>"
                         f"<div class='cites'>{right}</div></div>")
        if lacking := unplaced(paras, cited):
            parts.append(f"<p class='note'>{e(t(*UNPLACED))}"
                         f"（{len(lacking)}）</p>" + "".join(clause_text(c) for c in lacking))
    parts += _repeals_html(policy, t, repeal_note, lang)
    parts += _parameters_html(policy, file, t, lang)
    parts.append("</body></html>")
    return "".join(parts)
