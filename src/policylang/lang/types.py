"""The value types of the policy language.

A type is a frozen attrs value. Numbers carry a unit (``years``, ``months``,
``days``, ``percent`` or none); the checker refuses to compare or add numbers of
different units, which is how ``age <= 55`` (a bare number against years) is caught.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

UNITS = ("years", "months", "days", "percent")


def number_value(value: Fraction | int | float) -> int | float:
    """A number as policies and rosters hold it, an int or a float, so every evaluator compares
    alike (the bulk plan has no literal of a Fraction)."""
    exact = Fraction(value)
    return int(exact) if exact.denominator == 1 else float(value)


@attrs.frozen
class Type:
    """Base of all types. ``describe`` names it in a message, in English or Chinese."""

    def describe(self, lang: str = "en") -> str:  # pragma: no cover - overridden
        raise NotImplementedError


@attrs.frozen
class BoolType(Type):
    def describe(self, lang: str = "en") -> str:
        return "是/否值" if lang == "zh" else "bool"


@attrs.frozen
class NumberType(Type):
    unit: str | None = None

    def describe(self, lang: str = "en") -> str:
        if lang == "zh":
            return {"years": "以年计的数", "months": "以月计的数", "days": "以天计的数",
                    "percent": "百分数"}.get(self.unit, "数字")
        return f"number in {self.unit}" if self.unit else "number"


@attrs.frozen
class DateType(Type):
    def describe(self, lang: str = "en") -> str:
        return "日期" if lang == "zh" else "date"


@attrs.frozen
class TextType(Type):
    def describe(self, lang: str = "en") -> str:
        return "文字" if lang == "zh" else "text"


@attrs.frozen
class EnumType(Type):
    """A closed set of codes; ``name`` is the enum's name (``area``, ``title``...)."""

    name: str
    codes: tuple[str, ...]

    def describe(self, lang: str = "en") -> str:
        return f"{ENUM_ZH.get(self.name, self.name)}代码" if lang == "zh" else f"{self.name} code"


# each enum's Chinese name (area: 区域), that of the roster column holding it: filled by lang/schema.py,
# which knows the columns (it imports this module, not the other way round)
ENUM_ZH: dict[str, str] = {}


@attrs.frozen
class ErrorType(Type):
    """The type of an expression that already produced a diagnostic."""

    def describe(self, lang: str = "en") -> str:
        return "<错误>" if lang == "zh" else "<error>"


BOOL = BoolType()
NUMBER = NumberType()
YEARS = NumberType("years")
MONTHS = NumberType("months")
DAYS = NumberType("days")
PERCENT = NumberType("percent")
DATE = DateType()
TEXT = TextType()
ERROR = ErrorType()


def whole_as_int(number):
    """A whole float as int, as the reader gives numbers: 3.0 years and 3 years then compare
    and print alike. Anything else as it is."""
    return int(number) if isinstance(number, float) and number.is_integer() else number
