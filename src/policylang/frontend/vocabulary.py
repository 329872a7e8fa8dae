"""Every name a checked policy lets its drafter write, with its Chinese name, type and unit:
what ``policylang fields`` lists and what an editor can offer to complete.

Fields (the roster's and those the policy declares), the codes of each coded field, the
parameters with their values and the file that set them, the definitions (the prelude's
and the policy's own), and the words of rules: outcomes, exemption codes, directions and
promotion targets. Chinese names are those the checker accepts in a policy."""

from __future__ import annotations

import attrs

from policylang.core.i18n import EXEMPTIONS, direction_label, exemption_label, word
from policylang.frontend.check import PRELUDE_CHINESE_NAMES
from policylang.lang import policy as P
from policylang.lang import schema as S
from policylang.lang import types as T

KINDS = ("field", "school_field", "parameter", "definition", "outcome", "exemption", "direction", "promotion")


@attrs.frozen
class Term:
    """One name: ``kind`` is one of ``KINDS``; ``zh`` its Chinese name or label; ``type``
    its type (None for the words of rules); ``codes`` the codes of a coded field with their
    Chinese labels; ``value`` a parameter's value; ``doc`` its description; ``origin`` the
    file that declared or set it; ``read`` whether the policy reads it (fields)."""

    kind: str
    name: str
    zh: str | None = None
    type: T.Type | None = None
    codes: tuple[tuple[str, str], ...] = ()
    value: object = None
    doc: str | None = None
    origin: str | None = None
    read: bool = False
    age: bool = False  # a parameter compared with an age (its value in 周岁)

    @property
    def written(self) -> str:
        """How a policy writes it: ``school.area`` for a school field."""
        return f"school.{self.name}" if self.kind == "school_field" else self.name


def terms(policy: P.CheckedPolicy) -> tuple[Term, ...]:
    out: list[Term] = []
    for kind, table in (("field", policy.teachers), ("school_field", policy.schools)):
        reads = dict(table.reads)
        for field in table.fields:
            enum = field.enum
            out.append(Term(kind, field.name, field.zh if field.zh != field.name else None, field.type,
                            tuple(enum.labels.items()) if enum else (), doc=field.doc or None,
                            read=field.name in reads))
    for name, param in policy.parameters.items():
        out.append(Term("parameter", name, type=param.type, value=param.value, doc=param.doc, origin=param.origin,
                        age=param.age))
    chinese = {english: zh for zh, english in PRELUDE_CHINESE_NAMES.items()}
    for name, definition in policy.definitions.items():
        out.append(Term("definition", name, chinese.get(name), definition.expr.type, doc=definition.doc,
                        origin=definition.span.source))
    out += [Term("outcome", status, word(status, "zh")) for status in P.STATUSES]
    exemption_codes = dict.fromkeys([e.code for e in policy.all_exemptions()] + list(EXEMPTIONS))
    out += [Term("exemption", code, _label(exemption_label(code, "zh"), code)) for code in exemption_codes]
    directions = dict.fromkeys([r.direction for r in policy.rules if r.direction] + list(P.DIRECTIONS))
    out += [Term("direction", code, _label(direction_label(code, "zh"), code)) for code in directions]
    out += [Term("promotion", target, word(target, "zh")) for target in S.PROMOTION_TARGETS]
    return tuple(out)


def _label(label: str, code: str) -> str | None:
    return label if label != code else None
