"""Diagnostics as data: a stable code, a message in English and Chinese, a span,
optional help and extra labelled spans. Rendering (text with a caret, or JSON)
lives in ``render.py``; this module only describes problems.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from policylang.core.source import Span

ERROR = "error"
WARNING = "warning"

# Every code the front end can emit, with a one-line title. Codes are stable:
# other systems and the bad-policy corpus refer to them.
CODES: dict[str, str] = {
    "P001": "syntax error",
    "P002": "unexpected end of file",
    "P003": "invalid literal",
    "P004": "clause given twice",
    "R101": "cannot read extended policy",
    "R102": "extended policy outside the policy root",
    "R103": "circular extends",
    "R104": "duplicate declaration",
    "R105": "override of something that does not exist",
    "R106": "repeal of a rule that does not exist",
    "R107": "unknown name",
    "R108": "unknown rule",
    "R109": "unknown source",
    "R110": "cyclic definition",
    "R111": "unknown sample",
    "R112": "declaration already in the base policy",
    "T201": "type mismatch",
    "T202": "unit mismatch",
    "T203": "condition is not a yes/no value",
    "T204": "unknown code",
    "T205": "wrong number of arguments",
    "T206": "not an ordered value",
    "T207": "unknown field",
    "T208": "invalid outcome",
    "T209": "invalid expectation",
    "T210": "ambiguous precedence",
    "T211": "cyclic precedence",
    "T213": "roster column declared again",
    "L301": "rule can never fire",
    "L302": "unused parameter",
    "L303": "rule without citation",
    "L304": "conflicting rules",
    "L305": "unused source",
}


@attrs.frozen
class Label:
    span: Span
    en: str
    zh: str


@attrs.frozen
class Diagnostic:
    code: str
    severity: str
    en: str
    zh: str
    span: Span | None
    help_en: str | None = None
    help_zh: str | None = None
    labels: tuple[Label, ...] = ()

    def message(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def help(self, lang: str = "en") -> str | None:
        return self.help_zh if lang == "zh" else self.help_en

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def error(code: str, span: Span | None, en: str, zh: str, *, help_en: str | None = None,
          help_zh: str | None = None, labels: Iterable[Label] = ()) -> Diagnostic:
    return Diagnostic(code, ERROR, en, zh, span, help_en, help_zh, tuple(labels))


def warning(code: str, span: Span | None, en: str, zh: str, *, help_en: str | None = None,
            help_zh: str | None = None, labels: Iterable[Label] = ()) -> Diagnostic:
    return Diagnostic(code, WARNING, en, zh, span, help_en, help_zh, tuple(labels))


class PolicyError(Exception):
    """Raised when a policy has errors; carries every diagnostic found (warnings too)."""

    def __init__(self, diagnostics: Iterable[Diagnostic], sources: dict | None = None):
        self.diagnostics = tuple(diagnostics)
        self.sources = sources or {}
        first = next((d for d in self.diagnostics if d.is_error), None)
        count = sum(d.is_error for d in self.diagnostics)
        summary = (f"{first.span}: {first.en}" if first.span else first.en) if first else "policy error"
        super().__init__(f"{count} error(s); first: {summary}")

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to ``name``, if one is close enough to suggest."""
    import difflib

    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        matches = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
        matches = [lowered[m] for m in matches]
    return matches[0] if matches else None


def suggestion(hint: str | None) -> dict[str, str | None]:
    """The help of a diagnostic that suggests ``hint`` (keyword arguments for ``error``)."""
    if hint is None:
        return {"help_en": None, "help_zh": None}
    return {"help_en": f"did you mean `{hint}`?", "help_zh": f"是否应为 `{hint}`？"}
