"""Tests for policylang.lang.legal_dates: Civil Code periods and the 2024 retirement decision."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylang.lang.legal_dates import (
    DateOutOfRange,
    add_months_clamped,
    latest_birth_retiring_by,
    lifts_on,
    original_age,
    period_in_force,
    period_last_day,
    retirement_delay_months,
    retires_within,
    statutory_retirement_date,
    window_first_day,
    within_last,
)

# ---------------------------------------------------------------- Civil Code periods


def test_three_year_ban_example():
    start = date(2023, 9, 1)
    assert period_last_day(start, years=3) == date(2026, 9, 1)
    assert period_in_force(start, date(2026, 9, 1), years=3)
    assert not period_in_force(start, date(2026, 9, 2), years=3)
    assert lifts_on(start, years=3) == date(2026, 9, 2)


def test_start_day_in_force_and_before_not():
    start = date(2023, 9, 1)
    assert period_in_force(start, start, years=3)
    assert not period_in_force(start, date(2023, 8, 31), years=3)


@pytest.mark.parametrize(
    "start, years, months, last",
    [
        (date(2024, 2, 29), 1, 0, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, 0, date(2028, 2, 29)),
        (date(2023, 1, 31), 0, 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 0, 1, date(2024, 2, 29)),
        (date(2023, 3, 31), 0, 1, date(2023, 4, 30)),
        (date(2023, 1, 31), 1, 1, date(2024, 2, 29)),  # combined, clamped once
        (date(2023, 12, 15), 0, 1, date(2024, 1, 15)),
    ],
)
def test_last_day(start, years, months, last):
    assert period_last_day(start, years, months) == last
    assert lifts_on(start, years, months) == last + timedelta(days=1)


def test_add_months_negative_and_clamped():
    assert add_months_clamped(date(2023, 3, 31), -1) == date(2023, 2, 28)
    assert add_months_clamped(date(2024, 1, 15), -13) == date(2022, 12, 15)
    assert add_months_clamped(date(2024, 5, 31), 0) == date(2024, 5, 31)


@pytest.mark.parametrize(
    "d, months",
    [(date(9999, 12, 1), 1), (date(1, 1, 1), -1), (date(9990, 1, 1), 12 * 10)],
)
def test_out_of_range(d, months):
    with pytest.raises(DateOutOfRange):
        add_months_clamped(d, months)
    assert issubclass(DateOutOfRange, ValueError)


def test_out_of_range_through_periods():
    with pytest.raises(DateOutOfRange):
        period_last_day(date(9999, 6, 1), years=1)
    with pytest.raises(DateOutOfRange):
        lifts_on(date(9999, 10, 31), months=2)  # last day 9999-12-31, no next day
    with pytest.raises(DateOutOfRange):
        statutory_retirement_date(date(9950, 1, 1), "M")


@pytest.mark.parametrize("years, months", [(0, 0), (-1, 0), (0, -1), (1, -1)])
def test_non_positive_period_rejected(years, months):
    with pytest.raises(ValueError):
        period_last_day(date(2024, 1, 1), years, months)


def test_within_last_examples():
    as_of = date(2025, 9, 1)
    assert within_last(date(2023, 9, 1), as_of, years=2)
    assert not within_last(date(2023, 8, 31), as_of, years=2)
    assert within_last(as_of, as_of, years=2)
    assert not within_last(date(2025, 9, 2), as_of, years=2)
    # no corresponding day one month before 2023-03-31: the window starts 2023-03-01
    assert not within_last(date(2023, 2, 28), date(2023, 3, 31), months=1)
    assert within_last(date(2023, 3, 1), date(2023, 3, 31), months=1)
    # 29 February events
    assert within_last(date(2024, 2, 29), date(2025, 2, 28), years=1)
    assert not within_last(date(2024, 2, 29), date(2025, 3, 1), years=1)


# ---------------------------------------------------------------- properties

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
lengths = st.integers(min_value=1, max_value=120)


@given(dates, lengths, lengths)
def test_last_day_monotone_in_months(start, m1, m2):
    lo, hi = sorted((m1, m2))
    assert period_last_day(start, months=lo) <= period_last_day(start, months=hi)
    if lo < hi:
        assert period_last_day(start, months=lo) < period_last_day(start, months=hi)


@given(dates, dates, lengths)
def test_in_force_matches_definition(start, as_of, months):
    last = period_last_day(start, months=months)
    assert period_in_force(start, as_of, months=months) == (start <= as_of <= last)
    assert lifts_on(start, months=months) == last + timedelta(days=1)


@given(dates, st.integers(min_value=0, max_value=10), st.integers(min_value=0, max_value=11))
def test_years_are_twelve_months(start, years, months):
    if years or months:
        assert period_last_day(start, years, months) == period_last_day(start, months=12 * years + months)


@given(dates, dates, lengths)
def test_within_last_window(event, as_of, months):
    """The documented window: from the corresponding day before as_of (or the
    1st of the next month when there is none) to as_of inclusive."""
    back = add_months_clamped(as_of, -months)
    first = back if back.day == as_of.day else back + timedelta(days=1)
    assert within_last(event, as_of, months=months) == (first <= event <= as_of)
    assert window_first_day(as_of, months=months) == first


def test_window_first_day_examples_and_the_calendar_start():
    assert window_first_day(date(2025, 9, 1), years=2) == date(2023, 9, 1)
    assert window_first_day(date(2025, 3, 31), months=1) == date(2025, 3, 1)
    assert window_first_day(date(2024, 2, 29), years=1) == date(2023, 3, 1)
    assert window_first_day(date(5, 6, 1), years=10) is None  # reaches before 0001-01-01


def test_a_period_ending_after_the_calendar_is_in_force_to_its_end():
    assert period_in_force(date(9999, 6, 1), date(9999, 12, 31), years=1)
    assert within_last(date(9999, 6, 1), date(9999, 12, 31), years=1)
    assert not period_in_force(date(9999, 6, 1), date(9999, 5, 31), years=1)


# ---------------------------------------------------------------- retirement tables

# (birth year, month, sex, category, delay months): first and last birth months of
# steps, the end of each transition and the first unaffected cohort.
TABLE = [
    # men, 附件1: one month per four months from 1965-01, up to 36
    (1964, 12, "M", None, 0),
    (1965, 1, "M", None, 1),
    (1965, 4, "M", None, 1),
    (1965, 5, "M", None, 2),
    (1965, 8, "M", None, 2),
    (1966, 1, "M", None, 4),
    (1976, 8, "M", None, 35),
    (1976, 9, "M", None, 36),
    (1976, 12, "M", None, 36),
    (1990, 6, "M", None, 36),
    # women with original age 55, 附件2: from 1970-01, up to 36
    (1969, 12, "F", 55, 0),
    (1970, 1, "F", 55, 1),
    (1970, 4, "F", 55, 1),
    (1970, 5, "F", 55, 2),
    (1981, 8, "F", 55, 35),
    (1981, 9, "F", 55, 36),
    (1981, 12, "F", 55, 36),
    (1990, 1, "F", 55, 36),
    # women with original age 50, 附件3: one month per two months from 1975-01, up to 60
    (1974, 12, "F", 50, 0),
    (1975, 1, "F", 50, 1),
    (1975, 2, "F", 50, 1),
    (1975, 3, "F", 50, 2),
    (1984, 10, "F", 50, 59),
    (1984, 11, "F", 50, 60),
    (1984, 12, "F", 50, 60),
    (1995, 1, "F", 50, 60),
]


@pytest.mark.parametrize("year, month, sex, category, delay", TABLE)
def test_delay_table(year, month, sex, category, delay):
    assert retirement_delay_months(year, month, sex, category) == delay


def test_women_default_category_is_55_and_men_ignore_category():
    assert retirement_delay_months(1975, 1, "F") == retirement_delay_months(1975, 1, "F", 55) == 16
    assert retirement_delay_months(1970, 1, "M", 50) == retirement_delay_months(1970, 1, "M") == 16


@pytest.mark.parametrize(
    "birth, sex, category, retires",
    [
        (date(1964, 12, 10), "M", None, date(2024, 12, 10)),  # unaffected: 60 exactly
        (date(1965, 1, 10), "M", None, date(2025, 2, 10)),  # 60y1m, 2025-02
        (date(1965, 4, 10), "M", None, date(2025, 5, 10)),  # 60y1m, 2025-05
        (date(1965, 1, 31), "M", None, date(2025, 2, 28)),  # clamped to month end
        (date(1976, 9, 1), "M", None, date(2039, 9, 1)),  # 63
        (date(1970, 1, 5), "F", None, date(2025, 2, 5)),  # 55y1m
        (date(1981, 9, 5), "F", 55, date(2039, 9, 5)),  # 58
        (date(1975, 1, 5), "F", 50, date(2025, 2, 5)),  # 50y1m
        (date(1975, 2, 28), "F", 50, date(2025, 3, 28)),  # 50y1m
        (date(1984, 12, 5), "F", 50, date(2039, 12, 5)),  # 55
    ],
)
def test_retirement_dates(birth, sex, category, retires):
    assert statutory_retirement_date(birth, sex, category) == retires


def test_before_decision_old_ages_apply():
    assert statutory_retirement_date(date(1970, 6, 1), "M", as_of=date(2024, 12, 31)) == date(2030, 6, 1)
    assert statutory_retirement_date(date(1970, 6, 1), "M", as_of=date(2025, 1, 1)) == date(2031, 11, 1)
    assert statutory_retirement_date(date(1980, 6, 1), "F", 50, as_of=date(2020, 1, 1)) == date(2030, 6, 1)


@pytest.mark.parametrize("sex, category", [("X", None), ("F", 60), ("m", None)])
def test_bad_sex_or_category(sex, category):
    with pytest.raises(ValueError):
        statutory_retirement_date(date(1970, 1, 1), sex, category)


def test_retires_within():
    birth = date(1970, 1, 5)  # woman (55): retires 2025-02-05
    # before 2025 the old age applies: 55 on 2025-01-05
    assert retires_within(birth, "F", None, date(2022, 1, 4), years=3) is False  # last day 2025-01-04
    assert retires_within(birth, "F", None, date(2022, 1, 5), years=3) is True  # last day 2025-01-05
    assert retires_within(birth, "F", None, date(2025, 1, 1), months=1) is False  # last day 2025-02-01
    assert retires_within(birth, "F", None, date(2025, 1, 5), months=1) is True  # last day 2025-02-05
    assert retires_within(birth, "F", None, date(2025, 3, 1), years=3) is True  # already retired
    man = date(1970, 6, 1)  # retires 2031-11-01 (60y + 17 months)
    assert not retires_within(man, "M", None, date(2028, 10, 31), years=3)  # last day 2031-10-31
    assert retires_within(man, "M", None, date(2028, 11, 1), years=3)


def test_original_age_and_whole_categories():
    assert original_age("M", 50) == 60
    assert original_age("F") == 55
    assert original_age("F", 50.0) == 50 and isinstance(original_age("F", 50.0), int)


@pytest.mark.parametrize("sex, category", [("M", None), ("F", 55), ("F", 50)])
@pytest.mark.parametrize("day", [date(2028, 9, 1), date(2025, 2, 28), date(2039, 12, 31), date(2042, 2, 28)])
@pytest.mark.parametrize("as_of", [date(2024, 12, 31), date(2025, 9, 1)])
def test_latest_birth_retiring_by_is_a_cut_off(sex, category, day, as_of):
    latest = latest_birth_retiring_by(day, sex, category, as_of)
    assert statutory_retirement_date(latest, sex, category, as_of) <= day
    assert statutory_retirement_date(latest + timedelta(days=1), sex, category, as_of) > day


@given(st.dates(min_value=date(1940, 1, 1), max_value=date(2000, 12, 31)),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
       st.sampled_from([("M", None), ("F", 55), ("F", 50)]), st.booleans())
def test_retiring_by_a_day_is_being_born_by_the_cut_off(birth, day, person, decided):
    as_of = date(2025, 9, 1) if decided else date(2024, 9, 1)
    sex, category = person
    latest = latest_birth_retiring_by(day, sex, category, as_of)
    retires_by = statutory_retirement_date(birth, sex, category, as_of) <= day
    assert retires_by == (latest is not None and birth <= latest)


def test_no_birth_retires_before_the_calendar_allows():
    assert latest_birth_retiring_by(date(50, 1, 1), "M") is None
    assert latest_birth_retiring_by(date.max, "M") == date(9936, 12, 31)  # 63 years later: 9999-12-31
