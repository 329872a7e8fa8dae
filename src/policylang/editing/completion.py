"""What may be written at the cursor: the keywords of a declaration or clause, the fields, codes
and prelude definitions (English and Chinese names), parameters, definitions, functions, sources
and ids the policy and its bases declare. The context is read from the words before the cursor."""

from __future__ import annotations

from policylang.core.i18n import DIRECTIONS, EXEMPTIONS
from policylang.editing.chain import File
from policylang.editing.model import Completion, Position
from policylang.editing.text import offset_of, tokens
from policylang.editing.symbols import TABLES, chinese_names
from policylang.editing.words import enum_name, kind
from policylang.frontend.parser import DECLARATION_KEYWORDS
from policylang.lang import ops
from policylang.lang import policy as P
from policylang.lang import schema as S

# The words that begin a clause inside a declaration (the grammar's, docs/language.md).
CLAUSE_KEYWORDS = ("cite", "when", "then", "direction", "note", "to", "for", "applies when", "requires",
                   "after", "effect", "per", "require", "order by", "as of", "jurisdiction", "effective",
                   "document", "set", "teacher", "school", "expect")
EXPRESSION_KEYWORDS = ("and", "or", "not", "in", "not in", "is set", "is empty", "at least", "at most",
                       "less than", "more than", "if", "then", "else", "true", "false", "as_of")
EXPECTATIONS = ("status", "rule", "no rule", "exemption", "may decline", "no may decline", "direction", "no direction", "promotion",
                "penalty", "no penalty", "benefit", "no benefit", "quota", "selection", "no selection",
                "uncertain", "no uncertain")
UNITS = ("years", "months", "days", "%", "周岁", "年", "个月", "天")
TYPE_NAMES = ("bool", "date", "text", "number", "years", "months", "days", "percent", *S.ENUMS)
_IDS = ("rule", "exemption", "prerequisite", "penalty", "benefit", "quota", "priority", "provision")


def _declared(chain: list[File], *keywords: str) -> list[tuple[str, str, str]]:
    """(name, keyword, title) of every declaration of these kinds along the chain, once each."""
    seen: dict[str, tuple[str, str, str]] = {}
    for f in chain:
        for d in f.decls:
            if d.keyword in keywords and d.name:
                seen[d.name] = (d.name, d.keyword, d.title)
            elif d.keyword == "repeal":
                seen.pop(d.name, None)
    return list(seen.values())


def _fields(table: S.Table, chain: list[File], lang: str) -> list[Completion]:
    out = []
    for f in table.fields:
        type_ = f.type.describe(lang)
        out.append(Completion(f.name, "field", f"{f.zh if lang == 'en' else f.name} · {type_}"))
        out.append(Completion(f.zh, "field", f"{f.name} · {type_}"))
    for f in chain:
        for d in f.decls:
            if d.keyword == "field" and d.table == table.name and d.name:
                out.append(Completion(d.name, "field", d.title))
    return out


def _codes(lang: str, only: S.Enum | None = None) -> list[Completion]:
    out = []
    for e in ([only] if only else S.ENUMS.values()):
        for code, label in e.labels.items():
            out.append(Completion(code, "code", f"{label} ({enum_name(e.name, lang)})"))
            out.append(Completion(label, "code", f"{code} ({enum_name(e.name, lang)})"))
    return out


def complete(chain: list[File], pos: Position, lang: str, after_space: bool = False) -> list[Completion]:
    """What may be written at ``pos``. ``after_space``: asked because a space was just typed
    (an editor's trigger): then only a list the words before call for (`cite ` its sources,
    `post = ` its codes, `6 ` the units), never the whole vocabulary at every space."""
    me = chain[-1]
    offset = offset_of(me.text, pos)
    line_start = me.text.rfind("\n", 0, offset) + 1
    before = me.text[line_start:offset]
    toks = [t for t in tokens(before) if t.kind != "comment"]
    if toks and toks[-1].kind == "string" and not (toks[-1].text.endswith('"') and len(toks[-1].text) > 1
                                                   or toks[-1].text.endswith("”")):
        return []  # inside quoted text
    if toks and toks[-1].kind == "word" and before.endswith(toks[-1].text):
        toks = toks[:-1]  # the word being typed: complete it
    words = [t.text for t in toks]
    if not words:
        if after_space:  # indenting
            return []
        if before and before[0].isspace():
            return [Completion(k, "keyword", kind("keyword", lang)) for k in CLAUSE_KEYWORDS]
        return [Completion(k, "keyword", kind(k, lang)) for k in (*DECLARATION_KEYWORDS, "override")]
    found = _called_for(chain, words, toks[-1].kind if toks else "", lang)
    if found is not None:
        return found
    enum = _compared_enum(words)
    if enum is not None:  # `post = `, `school.area in {urban, `: that field's codes first
        return _codes(lang, enum) + ([] if after_space else _expression(chain, lang))
    if _is_rule_then(words):
        outcomes = [Completion(o, "code", kind("code", lang)) for o in P.RULE_OUTCOMES]
        return outcomes + ([] if after_space else _expression(chain, lang))
    return [] if after_space else _expression(chain, lang)


def _is_rule_then(words: list[str]) -> bool:
    """`then` of a rule, where an outcome follows (not an `if … then` inside an expression)."""
    return words[-1] == "then" and words[:1] != ["when"]


def _called_for(chain: list[File], words: list[str], last_kind: str, lang: str) -> list[Completion] | None:
    """The list the words before the cursor call for, or None where any expression may follow."""
    last = words[-1]
    if last == "." and len(words) >= 2 and words[-2] in TABLES:
        return _fields(TABLES[words[-2]], chain, lang)
    if words == ["override"]:
        return [Completion(k, "keyword", kind(k, lang)) for k in ("parameter", "define", *_IDS)]
    if last == "cite" or words[:1] == ["source"] and len(words) == 1:
        return [Completion(n, "source", t) for n, _k, t in _declared(chain, "source")]
    if last == "repeal" or words[:1] == ["expect"] and last in ("rule", "penalty", "benefit", "unmet"):
        return [Completion(n, "rule", f"{kind(k, lang)} · {t}") for n, k, t in _declared(chain, *_IDS)]
    if words[:1] == ["to"]:  # an exemption's rules
        return [Completion(n, "rule", t) for n, _k, t in _declared(chain, "rule")] + \
            ([Completion("all rules", "keyword", "")] if words == ["to"] else [])
    if words[:1] == ["precedence"]:
        return [Completion(n, "rule", t) for n, _k, t in _declared(chain, "exemption")]
    if last == "direction" and words[:1] in (["direction"], ["expect"]):
        return [Completion(d, "code", DIRECTIONS[d][lang] if d in DIRECTIONS else "") for d in P.DIRECTIONS]
    if last == "status":
        return [Completion(s, "code", "") for s in P.STATUSES]
    if last == "as" and words[:1] != ["as"] or words[:1] == ["expect"] and last == "exemption":
        return _exemption_codes(chain, lang)
    if words[:1] == ["for"] and all(w in (*S.PROMOTION_TARGETS, ",", "for") for w in words) or last == "promotion":
        return [Completion(t, "code", "") for t in S.PROMOTION_TARGETS]
    if last == "expect":
        return [Completion(e, "keyword", "") for e in EXPECTATIONS]
    if words[:2] == ["expect", "uncertain"] and last in ("uncertain", ","):  # the fields an empty value leaves open
        return [c for c in _expression(chain, lang) if c.kind == "field"]
    if last == "per":
        return [Completion(g, "code", P.QUOTA_GROUPS_ZH[g]) for g in P.QUOTA_GROUPS]
    if last == ":" and words[:1] in (["field"], ["parameter"]):
        return [Completion(t, "keyword", kind("keyword", lang)) for t in TYPE_NAMES]
    if last == "sample" or words[:1] == ["field"] and len(words) == 1:
        return [Completion("teacher", "keyword", ""), Completion("school", "keyword", "")]
    if words[:1] in (["teacher"], ["school"]) and len(words) == 1:
        return [Completion(n, "sample", "") for n, _k, _t in _declared(chain, "sample")]
    if last_kind == "number":
        return [Completion(u, "unit", "") for u in UNITS]
    return None


_COMPARING = {"=", "!=", "<", ">", "<=", ">=", "least", "most", "than", "{", ","}


def _compared_enum(words: list[str]) -> S.Enum | None:
    """The code list of the field a comparison or set at the cursor compares with:
    `post =`, `title at least`, `school.area in {urban,`."""
    i = len(words) - 1
    if i < 0 or words[i] not in _COMPARING:
        return None
    while i >= 0 and words[i] not in ("=", "!=", "<", ">", "<=", ">=", "at", "less", "more", "in"):
        if words[i] in ("and", "or", "not", "when", "(", ")", "}"):
            return None
        i -= 1
    i -= 2 if i >= 1 and words[i] == "in" and words[i - 1] == "not" else 1
    if i < 0:
        return None
    field = None
    if i >= 2 and words[i - 1] == "." and words[i - 2] in TABLES:
        field = TABLES[words[i - 2]].field(words[i])
    elif words[i] not in (".",):
        field = S.TEACHERS.field(words[i])
    return field.enum if field is not None else None


def _exemption_codes(chain: list[File], lang: str) -> list[Completion]:
    """The policy's own exemption codes (`as CODE`), then the contract's standard ones."""
    own: dict[str, str] = {}
    for f in chain:
        for line in f.text.split("\n"):
            toks = [t for t in tokens(line) if t.kind != "comment"]
            if toks and toks[0].text in ("exemption", "override"):
                at = next((i for i, t in enumerate(toks) if t.text == "as"), None)
                if at is not None and at + 1 < len(toks) and toks[at + 1].kind == "word":
                    own[toks[at + 1].text] = EXEMPTIONS.get(toks[at + 1].text, {}).get(lang, "")
    standard = {c: v[lang] for c, v in EXEMPTIONS.items() if c not in own}
    return [Completion(c, "code", label) for c, label in {**own, **standard}.items()]


def _expression(chain: list[File], lang: str) -> list[Completion]:
    out = [Completion(n, "parameter", t) for n, _k, t in _declared(chain, "parameter")]
    for n, _k, t in _declared(chain, "define"):
        out.append(Completion(n, "definition", t))
        out += [Completion(zh, "definition", f"{n} · {t}" if t else n) for zh in chinese_names(chain, n)]
    out += _fields(S.TEACHERS, chain, lang)
    out += [Completion(f"school.{f.name}", "field", f"{f.zh} · {f.type.describe(lang)}") for f in S.SCHOOLS.fields]
    out += [Completion(f"学校.{f.zh}", "field", f"school.{f.name} · {f.type.describe(lang)}") for f in S.SCHOOLS.fields]
    out += [Completion(name, "function", ops.FUNCTION_NAMES_ZH.get(name, ""), f"{name}(") for name in ops.FUNCTIONS]
    out += _codes(lang)
    out += [Completion(k, "keyword", kind("keyword", lang)) for k in EXPRESSION_KEYWORDS]
    return out
