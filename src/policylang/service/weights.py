"""The weight of an item of an ``Accept-…`` header (RFC 9110, 12.4.2: ``zh-CN;q=0.8``,
``gzip;q=0``), read one way for each header the service weighs: ``Accept-Language``
(``body.accepted_language``) and ``Accept-Encoding`` (``coding.accept_gzip``). A module of its own:
``body`` reads a gzip'd body with ``coding``, so neither can hold it for the other."""

from __future__ import annotations


def q_value(params: str) -> float | None:
    """An item's weight from its parameters (`q=0.8`; 1 when none is given), None when malformed."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            return q if 0 <= q <= 1 else None
    return 1.0
