"""The value types of the policy language.

A type is a frozen attrs value. Numbers carry a unit (``years``, ``months``,
``days``, ``percent`` or none); the checker refuses to compare or add numbers of
different units, which is how ``age <= 55`` (a bare number against years) is caught.
"""

from __future__ import annotations

import attrs

UNITS = ("years", "months", "days", "percent")


@attrs.frozen
class Type:
    """Base of all types."""

    def describe(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


@attrs.frozen
class BoolType(Type):
    def describe(self) -> str:
        return "bool"


@attrs.frozen
class NumberType(Type):
    unit: str | None = None

    def describe(self) -> str:
        return f"number in {self.unit}" if self.unit else "number"


@attrs.frozen
class DateType(Type):
    def describe(self) -> str:
        return "date"


@attrs.frozen
class TextType(Type):
    def describe(self) -> str:
        return "text"


@attrs.frozen
class EnumType(Type):
    """A closed set of codes; ``name`` is the enum's name (``area``, ``title``...)."""

    name: str
    codes: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.name} code"


@attrs.frozen
class ErrorType(Type):
    """The type of an expression that already produced a diagnostic."""

    def describe(self) -> str:
        return "<error>"


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
