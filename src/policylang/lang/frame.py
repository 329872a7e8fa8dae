"""How a roster is laid out as one table of typed columns, as the bulk evaluator takes it and
the streamed reader makes it: a teacher's fields under their own names, their school's under
``school.`` (``school.area``). Written once, here, for both sides."""

from __future__ import annotations

SCHOOL_PREFIX = "school."
MONTH = "__month_"  # a flag column per date field: the cell was a year-month form (``roster.MonthDate``)
BLANK = "__blank_"  # a flag column per field read from an empty cell as its empty value (``roster.RosterRow.blank``)


def column_name(table: str, field: str) -> str:
    """The column of ``table``'s (``teacher`` or ``school``) ``field``."""
    return field if table == "teacher" else SCHOOL_PREFIX + field
