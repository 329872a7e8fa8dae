"""What a name under the cursor is, across the chain of `extends`: hover, go to definition
and find references. Names are read lexically (``text.tokens``), so they work while the
file being typed does not parse; the roster schema and the operators come from ``lang``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from policylang.core.i18n import DIRECTIONS, EXEMPTIONS, WORDS
from policylang.editing.chain import File, Files, policy_files
from policylang.editing.model import Hover, Location, Position, Range
from policylang.editing.text import Declaration, Token, dotted_at, token_at, tokens, unquote
from policylang.editing.words import KEYWORDS, colon, enum_name, kind, phrase, where
from policylang.lang import ops
from policylang.lang import schema as S
from policylang.lang.pretty import PRELUDE_CHINESE_NAMES

# Declarations whose name other text refers to.
NAMED = ("source", "field", "parameter", "define", "rule", "exemption", "prerequisite", "penalty",
         "benefit", "quota", "priority", "provision", "sample")
TABLES = {"teacher": S.TEACHERS, "教师": S.TEACHERS, "school": S.SCHOOLS, "学校": S.SCHOOLS}  # as the checker reads them
_MAX_LINES = 24  # of a declaration shown in a hover


def word_at(file: File, pos: Position) -> tuple[Token, str, Range] | None:
    """The word under the cursor, with the dotted name it belongs to."""
    toks = tokens(file.text)
    found = token_at(toks, pos)
    if found is None:
        return None
    i, tok = found
    if tok.kind == "word":
        name, rng = dotted_at(toks, i)
        return tok, name, rng
    if tok.kind == "string":
        return tok, tok.text, tok.range
    return None


def declared(chain: list[File], name: str) -> list[tuple[File, Declaration]]:
    """Every declaration of ``name`` along the chain, base first (a declaration, then its
    overrides and repeals). A field is found by its name with or without its table; a prelude
    definition by its Chinese name too (`年龄`), unless the policy declares that name itself,
    as the checker reads them."""
    out = []
    for f in chain:
        for d in f.decls:
            if d.keyword in NAMED and d.name and (d.name == name or (d.table and f"{d.table}.{d.name}" == name)):
                out.append((f, d))
            elif d.keyword == "repeal" and d.name == name:
                out.append((f, d))
    if not out and name in PRELUDE_CHINESE_NAMES:
        return declared(chain, PRELUDE_CHINESE_NAMES[name])
    return out


def chinese_names(chain: list[File], name: str) -> list[str]:
    """The Chinese names the checker reads as the prelude definition ``name`` (`年龄` for `age`),
    but for those the policy declares as names of its own."""
    return [zh for zh, english in PRELUDE_CHINESE_NAMES.items()
            if english == name and not any(d.name == zh for f in chain for d in f.decls if d.keyword in NAMED)]


def _named(chain: list[File], tok: Token, name: str) -> list[tuple[File, Declaration]]:
    """The declarations a word names, by its dotted name or else by itself; a sample only where
    one is named (`sample teacher 教师`, a test's `teacher 教师 with …`, `person 甲 教师 at 学校`):
    elsewhere `教师` is a code (`岗位 = 教师`), as the grammar reads it."""
    decls = declared(chain, name) or (declared(chain, tok.text) if tok.text != name else [])
    line = [t.text for t in tokens(chain[-1].text) if t.line == tok.line and t.offset < tok.offset][-2:]
    if line and line[-1] in ("teacher", "school", "at") or line[:1] == ["person"]:
        return decls
    return [(f, d) for f, d in decls if d.keyword != "sample"]


def _field(name: str) -> tuple[str, S.Field] | None:
    parts = name.split(".")
    if len(parts) == 2 and parts[0] in TABLES:
        table = TABLES[parts[0]]
        f = table.field(parts[1])
        return (table.name, f) if f else None
    if len(parts) == 1:
        f = S.TEACHERS.field(name)
        return ("teacher", f) if f else None
    return None


def _value(file: File, decl: Declaration) -> str:
    """A parameter's value as written: what follows `=` on its line, up to its description (for
    a file that does not check)."""
    toks = tokens(file.text.split("\n")[decl.range.start.line])
    after = next((i for i, t in enumerate(toks) if t.text == "="), len(toks))
    return " ".join(t.text for t in toks[after + 1:] if t.kind not in ("string", "comment"))


def _excerpt(file: File, decl: Declaration) -> str:
    lines = file.text.split("\n")[decl.range.start.line: decl.range.end.line + 1]
    if len(lines) > _MAX_LINES:
        lines = lines[:_MAX_LINES] + ["…"]
    return "```policylang\n" + "\n".join(lines) + "\n```"


def _decl_tokens(file: File, decl: Declaration) -> list[Token]:
    lines = "\n".join(file.text.split("\n")[decl.range.start.line: decl.range.end.line + 1])
    return [t for t in tokens(lines) if t.kind != "comment"]


def _cited(file: File, decl: Declaration) -> list[tuple[str, str]]:
    """The declaration's citations as written, (source, section or ""), on lines of their own or
    on the declaration's first line (`repeal FJ-2 "…" cite JA "第八条"`)."""
    toks = _decl_tokens(file, decl)
    return [(toks[i + 1].text, unquote(toks[i + 2].text) if i + 2 < len(toks) and toks[i + 2].kind == "string" else "")
            for i, t in enumerate(toks[:-1]) if t.kind == "word" and t.text == "cite" and toks[i + 1].kind == "word"]


def _noted(file: File, decl: Declaration) -> list[str]:
    """The declaration's notes as written (`note "…"`), unquoted."""
    toks = _decl_tokens(file, decl)
    return [unquote(toks[i + 1].text) for i, t in enumerate(toks[:-1])
            if t.kind == "word" and t.text == "note" and toks[i + 1].kind == "string"]


def _cites(chain: list[File], file: File, decl: Declaration, lang: str) -> list[str]:
    """The declaration's citations with the title of each source."""
    sources = {d.name: (f, d) for f in chain for d in f.decls if d.keyword == "source"}
    out = []
    for source, section in _cited(file, decl):
        src = sources.get(source)
        title = src[1].title if src else "?"
        out.append(f"- **{source}** {'《' + title + '》' if lang == 'zh' else '“' + title + '”'}"
                   + (f" {section}" if section else ""))
    return out


def _repeal_said(file: File, decl: Declaration, lang: str) -> str:
    """What a repeal says of itself, after where it is: its reason, the sections it cites and its
    notes (`：由 QX-1 取代（依据 QX 第八条）（注：…）`)."""
    cited = ("、" if lang == "zh" else "; ").join(f"{s} {section}".strip() for s, section in _cited(file, decl))
    under = (f"（依据 {cited}）" if lang == "zh" else f" (under {cited})") if cited else ""
    notes = ("；" if lang == "zh" else "; ").join(_noted(file, decl))
    noted = (f"（注：{notes}）" if lang == "zh" else f" (note: {notes})") if notes else ""
    reason = decl.title
    if reason:
        return f"{colon(lang)}{reason}{under}{noted}"
    if cited:
        return (f"{colon(lang)}依据 {cited}" if lang == "zh" else f"{colon(lang)}under {cited}") + noted
    return (f"{colon(lang)}注：{notes}" if lang == "zh" else f"{colon(lang)}note: {notes}") if notes else ""


def hover(files: Files, chain: list[File], root: Path, pos: Position, lang: str,
          value_of: Callable[[Path, str], str | None] = lambda path, name: None) -> Hover | None:
    """``value_of(file, parameter)``: the parameter's value as that file sets it, in ``lang``
    (`6年`), or None to show it as written."""
    me = chain[-1]
    found = word_at(me, pos)
    if found is None:
        return None
    tok, name, rng = found
    if tok.kind == "string":
        return None
    parts: list[str] = []
    decls = _named(chain, tok, name)
    if decls:
        live = [(f, d) for f, d in decls if d.keyword != "repeal"]
        head_file, head = live[-1] if live else decls[-1]
        title = f"**{kind(head.keyword, lang)}** `{head.name}`" + (f" — {head.title}" if head.title else "")
        parts.append(title)
        parts.append(_excerpt(head_file, head))
        cites = _cites(chain, head_file, head, lang)
        if cites:
            parts.append(f"{phrase('cites', lang)}{colon(lang).rstrip()}\n" + "\n".join(cites))
        history = []
        for f, d in decls:
            what = "repealed_in" if d.keyword == "repeal" else "overridden_in" if d.override else "declared_in"
            line = f"- {phrase(what, lang)} {where(f.shown(root), d.name_range.start.line, lang)}"
            if head.keyword == "parameter" and d.keyword == "parameter":
                line += f"{colon(lang)}`{value_of(f.path, d.name) or _value(f, d)}`"
            elif d.keyword == "repeal":
                line += _repeal_said(f, d, lang)
            history.append(line)
        parts.append("\n".join(history))
        later = _changed_further(files, chain, root, head.name, lambda f, d: value_of(f.path, d.name) or _value(f, d)
                                 if head.keyword == "parameter" and d.keyword == "parameter" else None, lang)
        if later:  # a provincial file's reader sees what the county files in the folder make of it
            parts.append(f"{phrase('changed_further', lang)}{colon(lang).rstrip()}\n" + "\n".join(later))
        return Hover("\n\n".join(parts), rng)
    field = _field(name)
    if field is not None:
        table, f = field
        label = phrase("teacher_field" if table == "teacher" else "school_field", lang)
        parts.append(f"**{label}** `{f.name}` {f.zh}")
        parts.append(f"{phrase('type', lang)}{colon(lang)}{f.type.describe(lang)}")
        if f.enum is not None:
            parts.append(f"{phrase('codes', lang)}{colon(lang)}" + ("、" if lang == "zh" else ", ").join(
                f"`{c}` {z}" for c, z in f.enum.labels.items()))
        return Hover("\n\n".join(parts), rng)
    if tok.text in ops.FUNCTIONS:
        _op, arity, _ref = ops.FUNCTIONS[tok.text]
        zh = ops.FUNCTION_NAMES_ZH.get(tok.text, "")
        count = ("任意个参数" if lang == "zh" else "any number of arguments") if arity is None else \
            (f"{arity} 个参数" if lang == "zh" else f"{arity} argument{'s' if arity > 1 else ''}")
        return Hover(f"**{kind('function', lang)}** `{tok.text}(…)` {zh} — {count}", tok.range)
    codes = [(e.name, c, label) for e in S.ENUMS.values() for c, label in e.labels.items()
             if tok.text in (c, label) or e.aliases.get(tok.text) == c]
    if codes:
        lines = [f"**{kind('code', lang)}** `{c}` {label}" + (f"（{enum_name(e, lang)}）" if lang == "zh" else f" ({enum_name(e, lang)})")
                 for e, c, label in codes]
        return Hover("\n\n".join(lines), tok.range)
    keyword = _keyword_at(me, tok)
    if keyword is not None:
        en, zh = KEYWORDS[keyword[0]]
        return Hover(f"`{keyword[0]}`{colon(lang)}{zh if lang == 'zh' else en}", keyword[1])
    for table in (EXEMPTIONS, DIRECTIONS, {k: v for k, v in WORDS.items() if k in ("must_rotate", "eligible")}):
        if tok.text in table:
            return Hover(f"`{tok.text}`{colon(lang)}{table[tok.text][lang]}", tok.range)
    return None


def _changed_further(files: Files, chain: list[File], root: Path, name: str,
                     value: Callable[[File, Declaration], str | None], lang: str) -> list[str]:
    """Where the policies under ``root`` that extend the file at the cursor override or repeal
    ``name``, each with the value it sets (``value``), or none."""
    me = chain[-1]
    out = []
    for path in _extending(files, root, me.path, {f.path for f in chain}):
        f = files.file(path)
        for d in f.decls:
            if d.name == name and (d.override or d.keyword == "repeal"):
                what = "repealed_in" if d.keyword == "repeal" else "overridden_in"
                shown = value(f, d)
                out.append(f"- {phrase(what, lang)} {where(f.shown(root), d.name_range.start.line, lang)}"
                           + (f"{colon(lang)}`{shown}`" if shown else _repeal_said(f, d, lang) if d.keyword == "repeal"
                              else ""))
    return out


def _extending(files: Files, root: Path, owner: Path, skip: set[Path]) -> list[Path]:
    """The policies under ``root``, but those in ``skip``, whose chain of `extends` goes through ``owner``."""
    return [candidate for candidate in policy_files(root)
            if candidate not in skip and any(f.path == owner for f in files.chain(candidate))]


def _keyword_at(file: File, tok: Token) -> tuple[str, Range] | None:
    """The keyword (of one or two words: `at least`) the word under the cursor belongs to."""
    toks = [t for t in tokens(file.text) if t.line == tok.line and t.kind == "word"]
    i = next(i for i, t in enumerate(toks) if t.offset == tok.offset)
    for a, b in ((i - 1, i), (i, i + 1)):
        if 0 <= a and b < len(toks) and f"{toks[a].text} {toks[b].text}" in KEYWORDS:
            return f"{toks[a].text} {toks[b].text}", Range(toks[a].range.start, toks[b].range.end)
    return (tok.text, tok.range) if tok.text in KEYWORDS else None


def definition(chain: list[File], pos: Position) -> list[Location]:
    me = chain[-1]
    found = word_at(me, pos)
    if found is None:
        return []
    tok, name, _rng = found
    if tok.kind == "string":  # `extends "fujian.pol"` goes to the file
        line = me.text.split("\n")[tok.line]
        if line.lstrip().startswith("extends"):
            target = (me.path.parent / unquote(tok.text)).resolve()
            if target.is_file():
                return [Location(target, Range(Position(0, 0), Position(0, 0)))]
        return []
    return [Location(f.path, d.name_range) for f, d in reversed(_named(chain, tok, name))]


def references(files: Files, chain: list[File], root: Path, pos: Position) -> list[Location]:
    """Every use of the name under the cursor, its declarations included, in the files of the
    chain and in every policy under ``root`` that extends the file declaring it."""
    me = chain[-1]
    found = word_at(me, pos)
    if found is None or found[0].kind != "word":
        return []
    tok = found[0]
    decls = _named(chain, tok, tok.text)
    if not decls:
        return []
    owner, name = decls[0][0].path, decls[0][1].name
    spellings = {name, *chinese_names(chain, name)}  # `age` is used as `年龄` too
    paths = {f.path for f in chain if not f.is_prelude or owner == f.path}
    paths.update(_extending(files, root, owner, paths))
    out = []
    for path in sorted(paths):
        f = files.file(path)
        toks = tokens(f.text)
        for i, t in enumerate(toks):
            after_dot = i > 1 and toks[i - 1].text == "." and toks[i - 1].offset + 1 == t.offset \
                and toks[i - 2].text not in TABLES  # `school.area` is no use of `area`
            if t.kind == "word" and t.text in spellings and not after_dot:
                out.append(Location(f.path, t.range))
    return out
