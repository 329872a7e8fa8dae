"""Diagnostics as text (with the source line and a caret) or as JSON. The text is safe on a
terminal: a control character of the source or of a message shows as its escape (``\\x1b``,
``safe_text``), and the caret counts the line as shown."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from policylang.core.diagnostics import CODES, Diagnostic
from policylang.core.i18n import word
from policylang.core.source import Source
from policylang.core.text_width import display_width
from policylang.io.safe_text import terminal_text




def sort_key(d: Diagnostic):
    s = d.span
    return (s.source, s.line, s.column) if s else ("", 0, 0)


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def diagnostic_text(d: Diagnostic, sources: Mapping[str, Source], lang: str = "en") -> str:
    head = f"{word(d.severity, lang)}[{d.code}]{_colon(lang)}{d.message(lang)}"
    lines = [head]
    span = d.span
    if span is not None and span.line > 0:
        lines.append(f"  --> {span.source}:{span.line}:{span.column}")
        source = sources.get(span.source)
        if source is not None:
            text = source.line_text(span.line)
            gutter = len(str(span.line))
            start = display_width(terminal_text(text[: span.column - 1]))
            end_col = span.end_column if span.end_line == span.line else len(text) + 1
            width = max(1, display_width(terminal_text(text[span.column - 1: end_col - 1])))
            lines.append(f"{' ' * gutter} |")
            lines.append(f"{span.line} | {terminal_text(text)}")
            lines.append(f"{' ' * gutter} | {' ' * start}{'^' * width}")
        for label in d.labels:
            if label.span.line > 0 and label.span != span:
                msg = label.zh if lang == "zh" else label.en
                same_line = (label.span.source, label.span.line) == (span.source, span.line)
                where = "" if same_line else f" ({label.span.source}:{label.span.line}:{label.span.column})"
                lines.append(f"  = {word('note', lang)}{_colon(lang)}{msg}{where}")
    help_text = d.help(lang)
    if help_text:
        lines.append(f"  = {word('help', lang)}{_colon(lang)}{help_text}")
    return terminal_text("\n".join(lines), newlines=True)


def diagnostics_text(diagnostics: Iterable[Diagnostic], sources: Mapping[str, Source], lang: str = "en") -> str:
    return "\n\n".join(diagnostic_text(d, sources, lang) for d in sorted(diagnostics, key=sort_key))


def diagnostic_json(d: Diagnostic) -> dict:
    span = None
    if d.span is not None:
        s = d.span
        span = {"file": s.source, "line": s.line, "column": s.column, "end_line": s.end_line,
                "end_column": s.end_column}
    return {
        "code": d.code, "severity": d.severity, "title": CODES.get(d.code, ""),
        "message": {"en": d.en, "zh": d.zh}, "span": span,
        "help": {"en": d.help_en, "zh": d.help_zh} if d.help_en or d.help_zh else None,
        "labels": [{"message": {"en": l.en, "zh": l.zh}, "file": l.span.source, "line": l.span.line,
                    "column": l.span.column} for l in d.labels],
    }


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([diagnostic_json(d) for d in sorted(diagnostics, key=sort_key)], ensure_ascii=False, indent=2)


def mismatch_text(m, lang: str) -> str:
    """What a failed test's expectation wanted and what the decision was (``testing.Mismatch``):
    `status: expected exempt, got must_rotate`, in Chinese `结论：期望 exempt（免于交流），实际 …`."""
    if lang == "zh":
        return f"{_what_zh(m.what)}：期望 {_value_zh(m.expected)}，实际 {_value_zh(m.actual)}"
    return f"{m.what}: expected {m.expected}, got {m.actual}"


_WHAT_ZH = {"until": "的最后一天", "effect": "效果"}


def _what_zh(what: str) -> str:
    """A mismatch's subject in Chinese: `penalty PEN-1 effect E until` → `惩处 PEN-1 效果 E 的最后一天`."""
    first, *rest = what.split(" ")
    return " ".join([word(first, "zh"), *(_WHAT_ZH.get(part, part) for part in rest)]).replace(" 的", "的")


def _value_zh(value: str) -> str:
    """An expected or actual value in Chinese where it is a word of the interface (a status, none)."""
    shown = {"(none)": "（无）", "ok": "已满足", "not a promotion target for this person": "此人不以此为晋升目标"}
    if value in shown:
        return shown[value]
    translated = word(value, "zh")
    return f"{value}（{translated}）" if translated != value else value.replace(" effect ", " 效果 ").replace(
        " until ", " 至 ")
