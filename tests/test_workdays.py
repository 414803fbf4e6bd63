"""Tests for reminderd.workdays: properties, agreement with the package, known dates."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reminderd.model import SkippedDay
from reminderd.workdays import WorkdayCalendar

D = dt.date

# One shared calendar: queries arrive in random order, so the lazy span
# extension (backwards and forwards) is exercised along the way.
CAL = WorkdayCalendar()

# The reference: the package's own instance, with the years preloaded. A lazy
# instance only learns a same-year make-up Saturday (e.g. 2024-05-04) once that
# year has been populated, and `is_working_day` on a weekend date does not
# populate it, so its answers would depend on the order of the questions.
REF = holidays.country_holidays("VN", years=range(1988, 2033))

wide_dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))
ref_dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31))
steps = st.integers(min_value=-600, max_value=600)
nonzero_steps = steps.filter(lambda n: n != 0)

FAST = settings(max_examples=300, deadline=None)
SLOW = settings(max_examples=40, deadline=None)


def naive_between(is_working: object, d1: dt.date, d2: dt.date) -> int:
    """Day-by-day count with the documented convention: start out, end in."""
    assert callable(is_working)
    if d2 >= d1:
        days = range(1, (d2 - d1).days + 1)
        return sum(1 for k in days if is_working(d1 + dt.timedelta(days=k)))
    days = range((d1 - d2).days)
    return -sum(1 for k in days if is_working(d2 + dt.timedelta(days=k)))


# -- properties ---------------------------------------------------------------


@FAST
@given(wide_dates, steps)
def test_add_lands_on_a_working_day(d: dt.date, n: int) -> None:
    assert CAL.is_working_day(CAL.add(d, n))


@FAST
@given(wide_dates, nonzero_steps)
def test_add_moves_in_the_right_direction(d: dt.date, n: int) -> None:
    r = CAL.add(d, n)
    assert (r > d) if n > 0 else (r < d)


@FAST
@given(wide_dates, steps)
def test_add_round_trips_from_a_working_day(d: dt.date, n: int) -> None:
    w = CAL.add(d, 0)  # a working day
    assert CAL.add(CAL.add(w, n), -n) == w


@FAST
@given(wide_dates, nonzero_steps)
def test_between_inverts_add(d: dt.date, n: int) -> None:
    assert CAL.between(d, CAL.add(d, n)) == n


@FAST
@given(wide_dates, st.integers(-800, 800), st.integers(0, 30))
def test_between_is_monotonic_in_the_end_date(d1: dt.date, off: int, more: int) -> None:
    d2 = d1 + dt.timedelta(days=off)
    d3 = d2 + dt.timedelta(days=more)
    assert CAL.between(d1, d2) <= CAL.between(d1, d3)
    assert CAL.between(d1, d1) == 0


@FAST
@given(wide_dates, wide_dates)
def test_between_is_antisymmetric_between_working_days(a: dt.date, b: dt.date) -> None:
    a, b = CAL.add(a, 0), CAL.add(b, 0)
    assert CAL.between(a, b) == -CAL.between(b, a)


@FAST
@given(ref_dates, st.integers(-40, 40))
def test_add_agrees_with_the_package(d: dt.date, n: int) -> None:
    assert CAL.add(d, n) == REF.get_nth_working_day(d, n)


@FAST
@given(ref_dates)
def test_is_working_day_agrees_with_the_package(d: dt.date) -> None:
    assert CAL.is_working_day(d) == REF.is_working_day(d)


@SLOW
@given(ref_dates, st.integers(-400, 400))
def test_between_agrees_with_a_naive_count(d1: dt.date, off: int) -> None:
    d2 = d1 + dt.timedelta(days=off)
    assert CAL.between(d1, d2) == naive_between(REF.is_working_day, d1, d2)


@SLOW
@given(ref_dates, st.integers(0, 60))
def test_non_working_days_are_the_complement(d1: dt.date, length: int) -> None:
    d2 = d1 + dt.timedelta(days=length)
    skipped = CAL.non_working_days(d1, d2)
    expected = [
        d1 + dt.timedelta(days=k)
        for k in range(length + 1)
        if not REF.is_working_day(d1 + dt.timedelta(days=k))
    ]
    assert [s.date for s in skipped] == expected
    assert all(s.reason == CAL.reason(s.date) and s.reason for s in skipped)


@SLOW
@given(
    st.sets(st.dates(D(2024, 11, 1), D(2026, 2, 28)), max_size=12),
    st.sets(st.dates(D(2024, 11, 1), D(2026, 2, 28)), max_size=12),
    st.dates(D(2024, 12, 1), D(2026, 1, 31)),
    st.integers(-60, 60),
)
def test_overrides_agree_with_a_naive_rule(
    off: set[dt.date], work: set[dt.date], d: dt.date, n: int
) -> None:

    def naive(x: dt.date) -> bool:
        return x in work or (x not in off and REF.is_working_day(x))  # work wins

    cal = WorkdayCalendar(extra_days_off=off, extra_working_days=work)
    r = cal.add(d, n)
    assert naive(r)
    if n:
        assert cal.between(d, r) == n
    assert cal.between(d, r) == naive_between(naive, d, r)
    step = 1 if n >= 0 else -1
    x = d
    for _ in range(abs(n) or 1):  # the package's walk, on the naive rule
        if n:
            x += dt.timedelta(days=step)
        while not naive(x):
            x += dt.timedelta(days=step)
    assert r == x


# -- edges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "n"),
    [
        (D(1900, 1, 1), -5),
        (D(1900, 1, 3), -300),
        (D(2100, 12, 31), 5),
        (D(2100, 6, 1), 1000),
        (D(2024, 12, 31), 1),
        (D(2025, 1, 2), -1),
        (D(2000, 7, 1), 3000),
        (D(2000, 7, 1), -3000),
    ],
)
def test_year_boundaries_and_long_steps(d: dt.date, n: int) -> None:
    cal = WorkdayCalendar()  # fresh: the first query must extend the span itself
    r = cal.add(d, n)
    assert cal.is_working_day(r)
    assert cal.between(d, r) == n
    w = cal.add(d, 0)
    assert cal.add(cal.add(w, n), -n) == w


def test_extension_order_does_not_matter() -> None:
    up, down = WorkdayCalendar(), WorkdayCalendar()
    years = range(2010, 2031)
    for y in years:
        up.is_working_day(D(y, 6, 1))
    for y in reversed(years):
        down.is_working_day(D(y, 6, 1))
    start, end = D(2010, 1, 1), D(2030, 12, 31)
    assert up.non_working_days(start, end) == down.non_working_days(start, end)


def test_a_lazy_first_query_still_sees_make_up_saturdays() -> None:
    # The package's own lazy walk misses these on a fresh instance.
    assert WorkdayCalendar().add(D(2024, 5, 3), 1) == D(2024, 5, 4)
    assert WorkdayCalendar().is_working_day(D(2014, 12, 27))
    assert WorkdayCalendar().is_working_day(D(2019, 1, 5))


def test_conflicting_overrides_mean_working() -> None:
    both = [D(2025, 3, 10), D(2025, 3, 8)]
    cal = WorkdayCalendar(extra_days_off=both, extra_working_days=both)
    assert all(cal.is_working_day(d) for d in both)


# -- known facts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "working"),
    [
        # Tết 2025: Sat 25/1 to Sun 2/2/2025.
        (D(2025, 1, 24), True),
        *[(D(2025, 1, 25) + dt.timedelta(days=k), False) for k in range(9)],
        (D(2025, 2, 3), True),
        # 2024: Mon 29/4 off in exchange for Sat 4/5 worked.
        (D(2024, 4, 26), True),
        (D(2024, 4, 27), False),
        (D(2024, 4, 29), False),
        (D(2024, 4, 30), False),
        (D(2024, 5, 1), False),
        (D(2024, 5, 2), True),
        (D(2024, 5, 4), True),
        (D(2024, 5, 5), False),
        # National Day 2024: Mon 2/9 and Tue 3/9.
        (D(2024, 8, 30), True),
        (D(2024, 9, 2), False),
        (D(2024, 9, 3), False),
        (D(2024, 9, 4), True),
    ],
)
def test_known_days(d: dt.date, working: bool) -> None:
    assert CAL.is_working_day(d) is working
    assert (CAL.reason(d) is None) is working


@pytest.mark.parametrize(
    ("d", "n", "expected"),
    [
        (D(2025, 2, 3), -1, D(2025, 1, 24)),  # straight over the Tết break
        (D(2025, 1, 24), 1, D(2025, 2, 3)),
        (D(2025, 1, 27), 0, D(2025, 2, 3)),
        (D(2025, 2, 10), -5, D(2025, 2, 3)),
        (D(2025, 2, 10), -6, D(2025, 1, 24)),
        (D(2024, 5, 6), -1, D(2024, 5, 4)),  # the make-up Saturday counts
        (D(2024, 5, 6), -2, D(2024, 5, 3)),
        (D(2024, 4, 26), 1, D(2024, 5, 2)),
        (D(2024, 9, 4), -1, D(2024, 8, 30)),
        (D(2024, 8, 30), 1, D(2024, 9, 4)),
    ],
)
def test_known_arithmetic(d: dt.date, n: int, expected: dt.date) -> None:
    assert CAL.add(d, n) == expected


def test_known_counts() -> None:
    assert CAL.between(D(2025, 1, 24), D(2025, 2, 3)) == 1
    assert CAL.between(D(2025, 2, 3), D(2025, 1, 24)) == -1
    # 2024-04-26 (Fri) .. 2024-05-06 (Mon): 2/5, 3/5, 4/5 (Sat), 6/5.
    assert CAL.between(D(2024, 4, 26), D(2024, 5, 6)) == 4
    assert CAL.between(D(2024, 8, 30), D(2024, 9, 6)) == 3


def test_extra_day_off_is_skipped() -> None:
    cal = WorkdayCalendar(extra_days_off=[D(2025, 3, 10)])  # a Monday
    assert not cal.is_working_day(D(2025, 3, 10))
    assert cal.add(D(2025, 3, 7), 1) == D(2025, 3, 11)
    assert cal.add(D(2025, 3, 11), -1) == D(2025, 3, 7)
    assert cal.between(D(2025, 3, 7), D(2025, 3, 14)) == 4
    assert cal.reason(D(2025, 3, 10)) == "Ngày nghỉ bổ sung (cấu hình)"


def test_extra_working_saturday_counts() -> None:
    cal = WorkdayCalendar(extra_working_days=[D(2025, 3, 8)])
    assert cal.is_working_day(D(2025, 3, 8))
    assert cal.reason(D(2025, 3, 8)) is None
    assert cal.add(D(2025, 3, 7), 1) == D(2025, 3, 8)
    assert cal.add(D(2025, 3, 10), -1) == D(2025, 3, 8)
    assert cal.between(D(2025, 3, 7), D(2025, 3, 10)) == 2


def test_extra_working_day_on_a_holiday_and_cancelled_make_up_saturday() -> None:
    cal = WorkdayCalendar(extra_working_days=[D(2024, 9, 3)], extra_days_off=[D(2024, 5, 4)])
    assert cal.is_working_day(D(2024, 9, 3))
    assert cal.holiday_name(D(2024, 9, 3)) == "Quốc khánh"  # still a named holiday
    assert not cal.is_working_day(D(2024, 5, 4))
    assert cal.reason(D(2024, 5, 4)) == "Ngày nghỉ bổ sung (cấu hình)"
    assert cal.add(D(2024, 5, 3), 1) == D(2024, 5, 6)


def test_is_provisional() -> None:
    cal = WorkdayCalendar(confirmed_through=2025)
    assert not cal.is_provisional(D(2025, 12, 31))
    assert cal.is_provisional(D(2026, 1, 1))
    assert not cal.is_provisional(D(1990, 1, 1))
    assert not WorkdayCalendar().is_provisional(D(2100, 1, 1))


def test_non_working_days_reasons_vi() -> None:
    got = CAL.non_working_days(D(2025, 1, 24), D(2025, 2, 3))
    assert got == [
        SkippedDay(D(2025, 1, 25), "Thứ Bảy"),
        SkippedDay(D(2025, 1, 26), "Chủ Nhật"),
        # Tết days are named by their lunar date: month 12 of Giáp Thìn had 29 days, so
        # 27/1/2025 was the 28th and the eve the 29th (the package says "29 Tết" for 27/1).
        SkippedDay(D(2025, 1, 27), "Nghỉ Tết Nguyên đán (28 tháng Chạp)"),
        SkippedDay(D(2025, 1, 28), "Giao thừa Tết Nguyên đán (29 tháng Chạp)"),
        SkippedDay(D(2025, 1, 29), "Tết Nguyên đán (mùng 1 tháng Giêng)"),
        SkippedDay(D(2025, 1, 30), "Mùng 2 Tết Nguyên đán"),
        SkippedDay(D(2025, 1, 31), "Mùng 3 Tết Nguyên đán"),
        SkippedDay(D(2025, 2, 1), "Mùng 4 Tết Nguyên đán"),
        SkippedDay(D(2025, 2, 2), "Chủ Nhật"),
    ]
    assert CAL.reason(D(2024, 4, 29)) == "Ngày nghỉ (thay cho ngày 04/05/2024)"
    assert CAL.reason(D(2024, 9, 2)) == "Quốc khánh"
    assert CAL.reason(D(2024, 2, 8)) == "Nghỉ Tết Nguyên đán (29 tháng Chạp)"  # Quý Mão had a 30th
    assert CAL.reason(D(2024, 2, 9)) == "Giao thừa Tết Nguyên đán (30 tháng Chạp)"
    assert CAL.holiday_name(D(2024, 9, 3)) == "Quốc khánh"
    assert CAL.holiday_name(D(2024, 9, 4)) is None
    assert CAL.non_working_days(D(2025, 2, 3), D(2025, 1, 24)) == []
    assert CAL.non_working_days(D(2025, 2, 3), D(2025, 2, 7)) == []


def test_non_working_days_reasons_en() -> None:
    cal = WorkdayCalendar(language="en", extra_days_off=[D(2025, 2, 3)])
    got = {s.date: s.reason for s in cal.non_working_days(D(2025, 1, 25), D(2025, 2, 3))}
    assert got[D(2025, 1, 25)] == "Saturday"
    assert got[D(2025, 1, 26)] == "Sunday"
    assert got[D(2025, 1, 29)] == "Lunar New Year"
    assert got[D(2025, 2, 3)] == "Extra day off (config)"
    assert len(got) == 10


def test_before_the_package_data_is_just_weekends() -> None:
    # 1900 predates the package's VN data: 1 Jan 1900 was a Monday.
    assert CAL.is_working_day(D(1900, 1, 1))
    assert CAL.holiday_name(D(1900, 1, 1)) is None
    assert CAL.reason(D(1900, 1, 6)) == "Thứ Bảy"


def test_unknown_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="language"):
        WorkdayCalendar(language="fr")


def test_holiday_names_write_tet_nguyen_dan_as_the_government_does():
    """"Tết Nguyên đán" (lowercase đán) on every day off of ten years, the package's own names too."""
    names = {CAL.holiday_name(d) for y in range(2020, 2031) for d in (D(y, 1, 1) + dt.timedelta(n) for n in range(365))}
    tet = {n for n in names if n and "Nguyên" in n}
    assert tet and all("Nguyên đán" in n and "Nguyên Đán" not in n for n in tet), tet
