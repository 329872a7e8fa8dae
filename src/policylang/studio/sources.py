"""A source document beside the policy: its paragraphs, each with the clauses that cite it.

The language has no clause naming a source's file yet, so the drafter pastes the document's
text. A paragraph is cited by a clause whose ``cite`` names a section the paragraph starts
with (``第三条``, ``四、``, ``（1）``), as Chinese policy documents number their paragraphs;
a section written as a path (``四、1（1）``) is matched part by part, each paragraph opening
the next part under the one before; a section naming a phrase in quotes (``“硬杠杠”``) is
matched where the phrase is. Paragraphs no clause cites are marked, so the drafter sees
what is not encoded yet."""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from policylang.lang.policy import CheckedPolicy

MAX_PARAGRAPHS = 5000

# how a paragraph's number is written: 第三条, 第三章, 一、 (1) （1） 1. 1、 ①
_NUMBER = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇\d]+[条章节款项]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[.、．](?!\d)|[①-⑳])")
_PHRASE = re.compile(r"[“\"]([^”\"]+)[”\"]")


@attrs.frozen
class Clause:
    id: str
    kind: str  # rule, exemption, prerequisite, penalty, benefit, quota, provision, priority
    title: str
    section: str | None
    line: int | None  # 0-based line of the clause in the file shown (None: in a base file)


@attrs.frozen
class Paragraph:
    number: int
    text: str
    heading: str | None  # the number the paragraph starts with
    clauses: tuple[Clause, ...]
    below: tuple[Clause, ...] = ()  # clauses citing a paragraph under this heading (`四、` for `四、1（1）`)

    @property
    def cited(self) -> bool:
        return bool(self.clauses or self.below)


def clauses(policy: CheckedPolicy, source: str, file: str) -> list[Clause]:
    """Every clause citing ``source``, with the section it cites (and its line when it is
    written in ``file``, the file the editor shows)."""
    found = []
    groups = [("rule", policy.rules), ("exemption", policy.all_exemptions()),
              ("prerequisite", policy.prerequisites), *((c.kind, (c,)) for c in policy.consequences),
              ("quota", policy.quotas), ("provision", policy.provisions), ("priority", policy.priorities)]
    for kind, items in groups:
        for item in items:
            for cite in item.cites:
                if cite.source == source:
                    line = item.span.line - 1 if item.span and item.span.source == file else None
                    found.append(Clause(item.id, kind, item.title, cite.section, line))
    return found


def _parts(section: str) -> list[str]:
    """A section as its path of numbers: ``四、1（1）`` → ``四、``, ``1``, ``（1）``."""
    parts, rest = [], section.strip()
    pattern = re.compile(r"^(第[一二三四五六七八九十百零〇\d]+[条章节款项]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
                         r"|\d+(?=[（(.、．]|$)[.、．]?|[①-⑳])")
    while rest:
        m = pattern.match(rest)
        if not m:
            return parts + [rest] if parts else []
        parts.append(m.group(1))
        rest = rest[m.end():].strip()
    return parts


def _same_number(heading: str, part: str) -> bool:
    def plain(text: str) -> str:
        return re.sub(r"[\s、.．()（）]", "", text)
    return plain(heading) == plain(part)


def split(text: str) -> list[str]:
    """Paragraphs: blocks separated by blank lines, or single lines when a document puts each
    paragraph on a line of its own (as a copied web page or Word file does)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) <= 1 or all("\n" not in b for b in blocks):
        blocks = [line.strip() for line in text.split("\n") if line.strip()]
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
    return [Paragraph(k + 1, b, headings[k], tuple(hits[k]), tuple(below[k])) for k, b in enumerate(blocks)]


def _match(section: str, blocks: list[str], headings: list[str | None]) -> tuple[list[int], list[int]]:
    """The paragraphs a section names, and the headings on its way there."""
    parts = _parts(section)
    if parts:
        start, path = 0, []
        for part in parts:  # each part is looked for after the one before
            found = next((k for k in range(start, len(blocks)) if headings[k] and _same_number(headings[k], part)),
                         None)
            if found is None:
                break
            path.append(found)
            start = found + 1
        else:
            return [path[-1]], path[:-1]
    phrases = _PHRASE.findall(section) or ([section.strip()] if len(section.strip()) >= 4 else [])
    return [k for k, b in enumerate(blocks) if any(p in b for p in phrases)], []
