"""``policylang explain POLICY TEACHERS --schools SCHOOLS --id ID``: why, with citations."""

from __future__ import annotations

import sys
import warnings

import click
from rich.text import Text

from policylang.api import UnknownKeys, ValuesToCheck
from policylang.core.diagnostics import did_you_mean
from policylang.cli import bilingual
from policylang.present.explain import explanation_text
from policylang.io.id_column import IdsShown
from policylang.io.id_number import masked_in_text
from policylang.io.safe_text import terminal_text
from policylang.cli.common import (assuming_or_exit, exist_or_exit, load_policy_or_exit, parse_as_of, parse_sets,
                                   report_problems_or_exit, parameters_set_said, resolve_lang, with_roster_options)
from policylang.cli.ending import EXIT_OK, EXIT_ROSTER, EXIT_USAGE, fail, out_console


@bilingual.command("explain", help_zh="说明一个人的决定是如何得出的：逐条列出规则、读取的取值及其出处。")
@with_roster_options
@bilingual.option("--id", "ids", multiple=True,
                  help="The teacher's id (工号); repeat for several. Not needed for a roster of one teacher.",
                  help_zh="教师的工号；可多次给出。名册只有一位教师时可不写。")
def explain_command(policy, teachers, schools, as_of, sets, encoding, assume, strict, lang, ids):
    """Show the derivation of one person's decision: every rule, the values it read, its sources."""
    lang = resolve_lang(lang)
    loaded = assuming_or_exit(load_policy_or_exit(policy, lang), assume, strict, lang)
    params = parse_sets(loaded, sets, lang)
    reference = parse_as_of(as_of, loaded, lang=lang)
    loaded = loaded.reading_at(reference)  # a date of a teacher's life after it is refused (R029)
    exist_or_exit((teachers, schools), lang)
    ids = tuple(ident.strip() for ident in ids)  # as the roster's cells are read: ` B001` is B001
    roster = loaded.read_roster(teachers, schools, encoding=encoding)
    by_id: dict[str, list] = {}
    for r in roster.teachers:
        by_id.setdefault(str(r.values.get("id")), []).append(r)
    shown = _shown_ids(by_id)
    if not ids and len(roster.teachers) == 1:  # the one teacher there is
        ids = tuple(by_id)
    elif not ids and roster.teachers:
        fail(f"请用 --id 指明要说明的教师（名册中有 {len(roster.teachers)} 位）" if lang == "zh" else
             f"name the teacher to explain with --id (the roster has {len(roster.teachers)} teachers)", EXIT_USAGE)
    ids = tuple(_unmasked(ident, by_id, shown, lang) for ident in ids)
    # the problems of the rows explained, and of no row (a file, a column): another teacher's bad
    # cell is not this explanation's business (it listed the whole roster's, and "skipped N of M")
    for ident in ids:
        if len(rows := by_id.get(ident, ())) > 1:  # which row is the person is not known: eval decides none (R004)
            lines = "、".join(str(r.line) for r in rows) if lang == "zh" else ", ".join(str(r.line) for r in rows)
            ident = shown.get(ident, ident)
            fail(f"工号 {ident} 在名册中出现 {len(rows)} 次（第{lines}行）：不知哪一行正确，eval 均不作决定，"
                 "也无法说明；请先在名册中更正工号" if lang == "zh" else
                 f"id {ident} is in the roster {len(rows)} times (rows {lines}): which is the person is not known, "
                 "eval decides none of them and none can be explained; correct the id in the roster first", EXIT_ROSTER)
    asked = [r for ident in ids for r in by_id.get(ident, ())]
    lines = {r.line for r in asked}
    relevant = [p for p in roster.problems if p.row is None or p.file != str(teachers) or p.row in lines]
    report_problems_or_exit(relevant, sum(not r.valid for r in asked), len(asked), True, lang, roster.warnings,
                            ("nothing explained", "无法说明"), of_roster=not ids)  # (no id: a roster of nobody, said)
    out = out_console()
    if (given := parameters_set_said(loaded, params, lang)) is not None:
        out.print(Text(terminal_text(given)))
        out.print()
    for i, ident in enumerate(ids):
        rows = by_id.get(ident)
        if rows is None:
            named = [shown.get(i, i) for i, rs in by_id.items() if any(r.values.get("name") == ident for r in rs)]
            if named:  # an official types the name: say whose id it is (--id takes ids: names repeat)
                one = len(named) == 1
                full = next(i for i, rs in by_id.items() if any(r.values.get("name") == ident for r in rs))
                theirs = next(r for r in by_id[full] if r.values.get("name") == ident)
                first = by_id[full][0]
                if one and theirs is not first:  # the id is another's first: --id would explain that person
                    other = first.values.get("name") or ""
                    fail(f"--id 应为工号：名册中名为 {ident} 的教师（第{theirs.line}行）工号为 {named[0]}，但第{first.line}行"
                         f"{other and ' ' + other}的工号也是 {named[0]}（工号重复，两行都不作决定）；"
                         "请先在名册中更正工号" if lang == "zh" else
                         f"--id takes an id: the roster's teacher named {ident} (row {theirs.line}) has id {named[0]}, "
                         f"but so has row {first.line}{other and f' ({other})'} (a repeated id: neither row is "
                         "decided); correct the id in the roster first", EXIT_ROSTER)
                fail((f"--id 应为工号：名册中名为 {ident} 的教师工号为 {named[0]}，请写 --id {named[0]}" if one else
                      f"--id 应为工号：名册中名为 {ident} 的教师有 {len(named)} 位，工号为 {'、'.join(named)}，请写其中一个")
                     if lang == "zh" else
                     (f"--id takes an id: the roster's teacher named {ident} has id {named[0]}; write --id {named[0]}"
                      if one else f"--id takes an id: the roster has {len(named)} teachers named {ident}, ids "
                                  f"{', '.join(named)}; write one of them"), EXIT_ROSTER)
            meant = _id_meant(ident, by_id)
            meant, ident = meant and shown.get(meant, meant), masked_in_text(ident)
            fail((f"名册中没有工号为 {ident} 的教师" + (f"；是否应为“{meant}”？" if meant else "")) if lang == "zh" else
                 f"no teacher with id {ident} in {teachers}" + (f" (did you mean `{meant}`?)" if meant else ""),
                 EXIT_ROSTER)
        row = rows[0]
        if not row.valid:
            ident = shown.get(ident, ident)
            fail(f"工号 {ident} 的记录有误（见上），无法说明" if lang == "zh"
                 else f"the record of {ident} has problems (listed above); cannot explain it", EXIT_ROSTER)
        school = roster.schools.get(row.values.get("school_id"), {})
        with warnings.catch_warnings():  # a column no rule reads, a start before work: said already, as the roster's
            warnings.simplefilter("ignore", UnknownKeys)  # R012 and R050
            warnings.simplefilter("ignore", ValuesToCheck)
            explanation = loaded.explain(row.values, school, as_of=reference, params=params)
        if i:
            out.print()
        out.print(Text(explanation_text(explanation, lang, row.values.get("name"), row.blank,
                                        shown.get(ident))))  # escaped, never markup
    sys.exit(EXIT_OK)


def _shown_ids(by_id: dict) -> dict[str, str]:
    """Each id of the roster as a decisions file shows it (``id_column``: an ID number masked), where
    that is not the id itself: an explanation is copied as a decisions file is."""
    ids = list(by_id)
    return {i: s for i, s in zip(ids, IdsShown().texts(ids)) if s != i}


def _unmasked(ident: str, by_id: dict, shown: dict[str, str], lang: str) -> str:
    """The id ``--id`` names: as typed; or, typed as a decisions file shows it (an ID number masked,
    110105********0028), the one id shown so; several people whose ids are shown alike are listed,
    by row and name, to be told apart by the full number."""
    if ident in by_id or "*" not in ident:
        return ident
    alike = [i for i, s in shown.items() if s.upper() == ident.upper()]
    if len(alike) == 1:
        return alike[0]
    if alike:
        who = [(r.line, r.values.get("name") or "") for i in alike for r in by_id[i]]
        fail(f"脱敏的工号 {ident} 对应名册中的 {len(who)} 位教师（"
             + "、".join(f"第{line}行{(' ' + name) if name else ''}" for line, name in who)
             + "），无法区分：请用完整的身份证号（--id 完整号码）" if lang == "zh" else
             f"the masked id {ident} is {len(who)} teachers' of the roster ("
             + ", ".join(f"row {line}{(' ' + name) if name else ''}" for line, name in who)
             + "), which it cannot tell apart: give the full ID number (--id NUMBER)", EXIT_ROSTER)
    return ident


_IDS_COMPARED = 20_000  # ids compared by spelling for a suggestion, at most (on the error path)
_DIGITS_PADDED = 12  # leading zeros looked for up to this many digits (5 for 000000000005)
# what may be typed for, or left out of, an id's character, besides the id's own characters
_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def _id_meant(ident: str, known) -> str | None:
    """The roster's id that ``ident`` likely means: the one of the same number (5 or T001 for
    00005 or T0001, as a spreadsheet drops an id's leading zeros; t0001 for T0001), else the one
    a character away (a character typed wrong, left out or typed extra), else the one spelt
    nearest. ``known`` is a mapping or set of ids: the first two are looked up in it, a few
    hundred lookups however large the roster; only the last compares spellings, on a roster of
    at most ``_IDS_COMPARED``."""
    same = _same_number(ident, known)
    if len(same) == 1:
        return same[0]
    near = _one_edit_away(ident, known)
    if len(near) == 1:
        return near[0]
    return did_you_mean(ident, known) if len(known) <= _IDS_COMPARED else None


def _same_number(ident: str, known) -> list[str]:
    """The ids of ``known`` that are ``ident`` with another count of leading zeros in its number
    (its trailing digits), its letters in either case."""
    head = ident.rstrip("0123456789")
    number = ident[len(head):].lstrip("0")
    if not number:
        return []
    found = []
    for prefix in dict.fromkeys((head, head.upper(), head.lower())):
        for width in range(len(number), max(_DIGITS_PADDED, len(ident) - len(head)) + 1):
            candidate = prefix + number.rjust(width, "0")
            if candidate != ident and candidate in known and candidate not in found:
                found.append(candidate)
    return found


def _one_edit_away(ident: str, known, enough: int = 2) -> list[str]:
    """Ids of ``known`` one character from ``ident`` (one typed extra, left out or typed wrong),
    found by looking each such spelling up, ``enough`` of them at most (two: more than one is no
    guess)."""
    found: list[str] = []
    if len(ident) > 64:  # no id: not worth the lookups
        return found
    for candidate in _spellings_one_away(ident, sorted(set(_ID_ALPHABET) | set(ident))):
        if candidate in known and candidate not in found:
            found.append(candidate)
            if len(found) >= enough:
                break
    return found


def _spellings_one_away(ident: str, alphabet: list[str]):
    for i in range(len(ident)):
        yield ident[:i] + ident[i + 1:]  # a character typed extra
    for i in range(len(ident) + 1):
        for ch in alphabet:
            yield ident[:i] + ch + ident[i:]  # one left out
            if i < len(ident) and ch != ident[i]:
                yield ident[:i] + ch + ident[i + 1:]  # one typed wrong
