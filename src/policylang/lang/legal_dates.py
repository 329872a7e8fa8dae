"""Calendar rules of Chinese law: periods (期间) and statutory retirement dates.

Periods -- Civil Code of the PRC (中华人民共和国民法典), arts. 200-204:

* art. 200: periods are counted by the Gregorian calendar (公历) in years, months,
  days and hours;
* art. 201: for a period counted in years, months or days, the starting day is not
  counted (开始的当日不计入); counting begins the next day;
* art. 202: for a period counted in years or months, the corresponding day of the
  final month (到期月的对应日) is the period's last day; when that month has no
  corresponding day, its last day (月末日) is;
* art. 203: the last day ends at 24:00.  Its extension past a statutory holiday
  (法定休假日) is NOT applied here: that needs a holiday calendar, and it serves
  deadlines for acting, not bans and windows such as 三年内不得评优;
* art. 204: these rules yield to a different rule in law or agreement.

So a ban "三年内不得评优" after a refusal on 2023-09-01 runs until 2026-09-01
inclusive and lifts on 2026-09-02.  The day of the event itself is also treated as
in force (the penalty applies from the event), see `period_in_force`.

Ages in 周岁 follow a different rule: an age is reached on the birthday (completed
years; 周岁 is counted from the birth date, so a person born 2000-03-15 is 25 周岁 on
2025-03-15), not on the day after a period's last day.

Retirement -- 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定
(NPC Standing Committee decision of 2024-09-13, in force 2025-01-01) and its
annexed tables (附件1-3): over fifteen years the statutory retirement age
(法定退休年龄) rises

* men (男职工): 60 -> 63, one month of delay for every four months of birth date,
  from births in January 1965;
* women whose original age is 55 (原法定退休年龄五十五周岁的女职工, cadres and
  professional-technical staff 干部/专业技术人员 -- the default for teachers):
  55 -> 58, one month per four months, from births in January 1970;
* women whose original age is 50 (原法定退休年龄五十周岁的女职工, workers 工人):
  50 -> 55, one month per two months, from births in January 1975.

Standard library only; no imports from policylang.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from policylang.core.diagnostics import BilingualError

__all__ = [
    "DateOutOfRange",
    "add_months_clamped",
    "period_last_day",
    "period_in_force",
    "within_last",
    "window_first_day",
    "lifts_on",
    "RETIREMENT_SCHEDULE",
    "original_age",
    "retirement_delay_months",
    "statutory_retirement_date",
    "retires_within",
    "latest_birth_retiring_by",
    "DECISION_IN_FORCE",
]

#: The retirement decision took effect on this day.
DECISION_IN_FORCE = date(2025, 1, 1)


class DateOutOfRange(BilingualError):
    """A computed date would fall outside years 1..9999 (datetime's range), said in English and
    Chinese (``message(lang)``)."""


def add_months_clamped(d: date, months: int) -> date:
    """The day corresponding to `d` `months` months later (earlier if negative).

    When the target month has no such day (31 January + 1 month, 29 February
    + 12 months), the month's last day is used (民法典 art. 202 月末日).
    Raises DateOutOfRange when the year leaves 1..9999.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise DateOutOfRange(f"{d.isoformat()} + {months} months is outside years 1..9999",
                             f"{d.isoformat()} 加 {months} 个月超出 1—9999 年")
    month = month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _total_months(years: int, months: int) -> int:
    total = 12 * years + months
    if years < 0 or months < 0 or total == 0:
        raise ValueError(f"a period needs non-negative parts and a positive length, got {years}y{months}m")
    return total


def period_last_day(start: date, years: int = 0, months: int = 0) -> date:
    """The last day of a period of `years` years and `months` months from `start`.

    `start` is the day of the triggering event; it is not counted (art. 201).  The
    last day is the corresponding day of the final month, or that month's last day
    when it has none (art. 202): 2023-09-01 + 3 years -> 2026-09-01;
    2024-02-29 + 1 year -> 2025-02-28; 2023-01-31 + 1 month -> 2023-02-28.
    Years and months are combined first (1 year 1 month = 13 months) and clamped
    once.  The period must be positive; raises ValueError otherwise.
    """
    return add_months_clamped(start, _total_months(years, months))


def period_in_force(start: date, as_of: date, years: int = 0, months: int = 0) -> bool:
    """Whether the period from `start` is running on `as_of`.

    True when start <= as_of <= period_last_day(start, ...).  The start day itself
    counts as in force: the event happened that day and the consequence (a ban, a
    penalty) applies from the event, although art. 201 leaves that day out of the
    *length* of the period.  Days before `start` are not in force.  A period whose
    last day would fall after 9999-12-31 is in force on every calendar day from
    `start` on.
    """
    if as_of < start:
        return False
    try:
        return as_of <= period_last_day(start, years, months)
    except DateOutOfRange:
        return True


def within_last(event: date, as_of: date, years: int = 0, months: int = 0) -> bool:
    """Whether `event` lies in the window "近N年内" / "近N个月内" ending at `as_of`.

    Reading: an event is within the last N years exactly when the N-year period
    counted from the event (arts. 201-202, event day not counted) is still running
    on `as_of`; i.e. within_last(e, a, ...) == period_in_force(e, a, ...).  The
    window is therefore [first, as_of] where `first` is the corresponding day N
    years/months before `as_of`, or, when that month has no corresponding day, the
    1st of the following month (e.g. 1 month before 2023-03-31 -> 2023-03-01, since
    an event on 2023-02-28 has its last day on 2023-03-28).  Events after `as_of`
    are not within the window.
    """
    return period_in_force(event, as_of, years, months)


def window_first_day(as_of: date, years: int = 0, months: int = 0) -> date | None:
    """The earliest event day within the last N years/months at `as_of` (see
    `within_last`), so that within_last(e, as_of, ...) == (first <= e <= as_of): the
    corresponding day N years/months before `as_of`, or the 1st of the following month
    when that month has none.  None when the window reaches back before 0001-01-01:
    every event day up to `as_of` is then within it.
    """
    try:
        back = add_months_clamped(as_of, -_total_months(years, months))
    except DateOutOfRange:
        return None
    return back if back.day == as_of.day else back + timedelta(days=1)


def lifts_on(start: date, years: int = 0, months: int = 0) -> date:
    """The first day the period is no longer running: period_last_day + 1 day."""
    last = period_last_day(start, years, months)
    if last == date.max:
        raise DateOutOfRange(f"the day after {last.isoformat()} is outside years 1..9999",
                             f"{last.isoformat()} 的次日超出 1—9999 年")
    return last + timedelta(days=1)


# Delay schedule from the decision's annexed tables, keyed by the original age:
# (first affected birth (year, month), birth months per month of delay, maximum delay).
# Cohort k (k = 1..cap) is born in the `step` months starting at first + step*(k-1)
# and retires at original age + k months.  Checked against the tables:
#   men 60:    1965-01..1965-04 -> 60y1m (retire 2025-02..2025-05);
#              last step 1976-09..1976-12 -> 63y (retire 2039-09..2039-12).
#   women 55:  1970-01..1970-04 -> 55y1m; last step 1981-09..1981-12 -> 58y.
#   women 50:  1975-01..1975-02 -> 50y1m; last step 1984-11..1984-12 -> 55y
#              (so 1984-12 and later are at 55, as the brief's data point says;
#              the first cohort at 55 is 1984-11: 1975-01 + 2*59 months).
RETIREMENT_SCHEDULE: dict[int, tuple[tuple[int, int], int, int]] = {
    60: ((1965, 1), 4, 36),
    55: ((1970, 1), 4, 36),
    50: ((1975, 1), 2, 60),
}


def original_age(sex: str, category: int | None = None) -> int:
    """The statutory retirement age before the decision (原法定退休年龄): 60 for men;
    for women `category`, 55 (the default: 干部和专业技术人员, as teachers are) or 50.
    Raises ValueError for any other sex or category."""
    if sex == "M":
        return 60
    if sex == "F":
        category = 55 if category is None else category
        if category not in (55, 50):
            raise ValueError(f"women's category must be 55 or 50 (原法定退休年龄), got {category!r}")
        return int(category)
    raise ValueError(f'sex must be "M" or "F", got {sex!r}')


def retirement_delay_months(birth_year: int, birth_month: int, sex: str, category: int | None = None) -> int:
    """Months by which the decision delays retirement for this birth month.

    0 before the first affected cohort; then 1 more month for every 4 birth months
    (men; women 55) or every 2 birth months (women 50), capped at 36 / 36 / 60.
    `category` is the woman's original statutory age, 55 (default) or 50; men
    ignore it.
    """
    if not 1 <= birth_month <= 12:
        raise ValueError(f"birth_month must be 1..12, got {birth_month}")
    (first_year, first_month), step, cap = RETIREMENT_SCHEDULE[original_age(sex, category)]
    offset = (birth_year - first_year) * 12 + (birth_month - first_month)
    return 0 if offset < 0 else min(cap, offset // step + 1)


def statutory_retirement_date(
    birth: date, sex: str, category: int | None = None, as_of: date | None = None
) -> date:
    """The day the person reaches the statutory retirement age.

    Age = original age (60 men; 55 or 50 women, `category`, default 55) plus
    `retirement_delay_months`.  The result is the birth date plus those years and
    months, clamped to the month's end (add_months_clamped): the day the age is
    reached, which lies in the retirement month of the annexed tables.
    When `as_of` is given and is before 2025-01-01, the law before the decision
    applies: the original age, no delay.  None means the decision applies.
    """
    age = original_age(sex, category)
    delay = 0
    if as_of is None or as_of >= DECISION_IN_FORCE:
        delay = retirement_delay_months(birth.year, birth.month, sex, category)
    return add_months_clamped(birth, 12 * age + delay)


def retires_within(
    birth: date, sex: str, category: int | None, as_of: date, years: int = 0, months: int = 0
) -> bool:
    """Whether the person reaches retirement age within the period starting at `as_of`.

    "三年内即将退休": True when statutory_retirement_date(birth, sex, category, as_of)
    <= period_last_day(as_of, years, months), the period counted per arts. 201-202
    (as_of not counted; last day = corresponding day).  A person whose retirement
    date is on or before `as_of` (already retired) also gives True; callers who
    need "not yet retired" must test that separately.
    """
    return statutory_retirement_date(birth, sex, category, as_of) <= period_last_day(as_of, years, months)


def latest_birth_retiring_by(
    day: date, sex: str, category: int | None = None, as_of: date | None = None
) -> date | None:
    """The latest birth date whose statutory retirement date (as `statutory_retirement_date`
    gives it at `as_of`) is on or before `day`; None when no birth date from 0001-01-01 has.

    For one sex and category the retirement date never falls as the birth date rises (a later
    birth month has the same or a longer delay, and within a month the day moves with the
    birth), so the births retiring by `day` are exactly those up to this one: a comparison of
    retirement dates with a fixed day is a comparison of birth dates with a cut-off.  Births
    whose retirement date would fall after 9999-12-31 never count as retiring by `day`.
    """
    def retires_by(ordinal: int) -> bool:
        try:
            return statutory_retirement_date(date.fromordinal(ordinal), sex, category, as_of) <= day
        except DateOutOfRange:
            return False

    low, high = date.min.toordinal(), date.max.toordinal()
    if not retires_by(low):
        return None
    while low < high:  # retires_by(low) holds; find the last ordinal where it does
        middle = (low + high + 1) // 2
        if retires_by(middle):
            low = middle
        else:
            high = middle - 1
    return date.fromordinal(low)
