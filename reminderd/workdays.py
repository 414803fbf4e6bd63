"""Vietnamese public-sector working days, with O(log n) arithmetic.

A working day is Monday–Friday, minus the public holidays of the
``holidays`` package (the whole Tết break included), plus its make-up working
Saturdays (``weekend_workdays``), plus the config's overrides.

The package answers one date at a time and its ``get_nth_working_day`` walks day
by day; the planner asks tens of thousands of questions, so we precompute, per
year, the sorted ordinals of the working days into one contiguous array and
answer every question with ``bisect``. The array is extended lazily, a year at a
time, whenever a query leaves it.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reminderd.errors import ReminderdError
from reminderd.model import SkippedDay

__all__ = ["WorkdayCalendar"]

# The package's language codes; "en" is what our config says.
_PACKAGE_LANGUAGE = {"vi": "vi", "en": "en_US"}

_WEEKDAY_NAMES = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_CONFIG_DAY_OFF = {
    "vi": "Ngày nghỉ bổ sung (cấu hình)",
    "en": "Extra day off (config)",
}

# A year has at least 52 weeks × 5 days − ~15 holidays working days; a smaller
# per-year estimate only means we extend by more years than strictly needed.
_MIN_WORKING_DAYS_PER_YEAR = 200


@dataclass(frozen=True)
class _Span:
    """Working-day ordinals for the years ``first..last`` (inclusive), sorted.

    Immutable and swapped as a whole, so a reader never sees a half-extended span.
    """

    first: int
    last: int
    ords: list[int]


class WorkdayCalendar:
    """Working days of one country (Vietnam by default) with config overrides.

    A date listed in both ``extra_days_off`` and ``extra_working_days`` is a
    working day (config validation should flag the conflict; we do not raise,
    so a typo cannot stop the daemon).

    ``add`` and ``between`` are O(log n) after a one-off precomputation per year
    (a few milliseconds) that happens on first use of that year.
    """

    def __init__(
        self,
        country: str = "VN",
        extra_days_off: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
        confirmed_through: int | None = None,
        language: str = "vi",
    ) -> None:
        if language not in _PACKAGE_LANGUAGE:
            raise ValueError(f"unsupported language {language!r}; expected 'vi' or 'en'")
        self.country = country
        self.language = language
        self.confirmed_through = confirmed_through
        self.extra_days_off: frozenset[dt.date] = frozenset(extra_days_off)
        self.extra_working_days: frozenset[dt.date] = frozenset(extra_working_days)
        self._package: Any = None  # the `holidays` package's calendar, made when first needed
        self._package_lock = threading.Lock()
        self._package_years: set[int] = set()
        self._lock = threading.Lock()
        self._span: _Span | None = None

    @property
    def _hol(self) -> Any:
        """The package's calendar of ``country``. Made on first use, not in ``__init__``: with the
        working days of the years asked for already known (``seed``, from the compiled-catalog
        cache), ``reminderd upcoming`` never imports the package (a tenth of its time)."""
        hol = self._package
        if hol is None:
            with self._package_lock:
                if self._package is None:
                    import holidays

                    # expand=True so that lookups populate years on demand; we still load
                    # years explicitly (see _load_package_years) because make-up Saturdays
                    # are registered when a *neighbouring* year is populated.
                    try:
                        self._package = holidays.country_holidays(
                            self.country, language=_PACKAGE_LANGUAGE[self.language], expand=True)
                    except NotImplementedError:
                        raise ReminderdError(f"[workdays] country: {unknown_country(self.country)}") from None
                hol = self._package
        return hol

    def _populated(self, year: int) -> Any:
        """The package's calendar with ``year`` and its neighbours populated (a seeded span was
        computed by another process: this one's package has populated nothing yet)."""
        if not (year - 1 in self._package_years and year in self._package_years
                and year + 1 in self._package_years):
            with self._lock:
                self._load_package_years(year - 1, year + 1)
        return self._hol

    def check_country(self) -> None:
        """Raise ReminderdError now if the package has no calendar for ``country``."""
        _ = self._hol

    def known_span(self) -> tuple[int, int, list[int]] | None:
        """(first year, last year, working-day ordinals) computed so far, for ``seed``."""
        span = self._span
        return None if span is None else (span.first, span.last, span.ords)

    def seed(self, first: int, last: int, ords: list[int]) -> None:
        """Take the working days of ``first..last`` computed by an earlier process with the same
        country, overrides and package version (the caller's cache key says so)."""
        with self._lock:
            if self._span is None:
                self._span = _Span(first, last, ords)

    # -- precomputation ---------------------------------------------------

    def _load_package_years(self, first: int, last: int) -> None:
        """Populate the package for ``first..last``.

        A substituted day off may be registered under the following year (e.g.
        the 2015 data marks Sat 2014-12-27 as worked), and the package only
        fills ``weekend_workdays`` when the registering year is populated, so
        callers load one year either side of the years they precompute.
        """
        for year in range(max(first, dt.MINYEAR), min(last, dt.MAXYEAR) + 1):
            if year not in self._package_years:
                _ = dt.date(year, 1, 1) in self._hol  # expand=True populates the year
                self._package_years.add(year)

    def _year_ordinals(self, year: int) -> list[int]:
        """Sorted ordinals of the working days of ``year`` (neighbours must be loaded)."""
        start = dt.date(year, 1, 1).toordinal()
        end = dt.date(year, 12, 31).toordinal()
        out: list[int] = []
        is_working = self._hol.is_working_day  # the package's own rule, then our overrides
        for o in range(start, end + 1):
            d = dt.date.fromordinal(o)
            if d in self.extra_working_days or (d not in self.extra_days_off and is_working(d)):
                out.append(o)
        return out

    def _ensure(self, first: int, last: int) -> _Span:
        """Return a span covering at least the years ``first..last``."""
        span = self._span
        if span is not None and span.first <= first and last <= span.last:
            return span
        if first < dt.MINYEAR or last > dt.MAXYEAR:
            raise OverflowError("date value out of range")
        with self._lock:
            span = self._span
            if span is None:
                self._load_package_years(first - 1, last + 1)
                ords: list[int] = []
                for y in range(first, last + 1):
                    ords.extend(self._year_ordinals(y))
                span = _Span(first, last, ords)
            else:
                # Keep the span contiguous so a single bisect answers any query.
                new_first, new_last = min(first, span.first), max(last, span.last)
                self._load_package_years(new_first - 1, new_last + 1)
                before: list[int] = []
                for y in range(new_first, span.first):
                    before.extend(self._year_ordinals(y))
                after: list[int] = []
                for y in range(span.last + 1, new_last + 1):
                    after.extend(self._year_ordinals(y))
                span = _Span(new_first, new_last, before + span.ords + after)
            self._span = span
            return span

    # -- queries ------------------------------------------------------------

    def is_working_day(self, d: dt.date) -> bool:
        span = self._ensure(d.year, d.year)
        o = d.toordinal()
        i = bisect_left(span.ords, o)
        return i < len(span.ords) and span.ords[i] == o

    def add(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day from ``d``, ``d`` itself not counted.

        Same semantics as the package's ``get_nth_working_day(d, n)``: n > 0
        moves forward, n < 0 backward; n == 0 gives ``d`` if it is a working day,
        else the next working day. "N working days before D" is
        ``add(D, -N)``.
        """
        o = d.toordinal()
        span = self._ensure(d.year, d.year)
        if n >= 0:
            while True:
                # n > 0: first working day after d is index i; n == 0: d or the next one.
                i = bisect_right(span.ords, o) if n > 0 else bisect_left(span.ords, o)
                target = i + max(n - 1, 0)
                if target < len(span.ords):
                    return dt.date.fromordinal(span.ords[target])
                missing = target - len(span.ords) + 1
                span = self._ensure(
                    span.first, span.last + 1 + missing // _MIN_WORKING_DAYS_PER_YEAR
                )
        else:
            while True:
                # Working days strictly before d are indices < i.
                target = bisect_left(span.ords, o) + n
                if target >= 0:
                    return dt.date.fromordinal(span.ords[target])
                span = self._ensure(
                    span.first - 1 - (-target) // _MIN_WORKING_DAYS_PER_YEAR, span.last
                )

    def working_ordinals(self, first: int, last: int) -> list[int]:
        """The sorted ordinals of the working days of at least the years ``first..last`` (the list
        may begin earlier and end later; callers bisect into it). Not to be modified."""
        span = self._span
        if span is None or first < span.first or last > span.last:
            span = self._ensure(first, last)
        return span.ords

    def before(self, d: dt.date, n: int, calendar_days: bool = False) -> dt.date:
        """The day a lead of ``n`` before ``d`` lands on (the planner's one question, in one
        ``bisect``): working days — ``add(d, -n)``, or for n = 0 ``d`` itself when it is a working
        day and the working day before it when not; calendar days — ``n`` days back, moved back
        to the working day before when that is a day off."""
        if calendar_days:
            o, back = d.toordinal() - n, 0
            first = d.year - 2 - n // 365  # the year before the day n days back
        else:
            o, back = d.toordinal(), n
            # Enough years before d for n working days (a year has at least 200 of them).
            first = d.year - 1 - n // _MIN_WORKING_DAYS_PER_YEAR
        span = self._span
        if span is None or first < span.first or d.year > span.last:
            span = self._ensure(first, d.year)
        ords = span.ords
        i = bisect_left(ords, o)
        if back == 0 and i < len(ords) and ords[i] == o:
            return dt.date.fromordinal(o)
        target = i - max(back, 1)
        if target < 0:  # fewer working days in those years than assumed: the long way
            return self._before_slow(d, n, calendar_days)
        return dt.date.fromordinal(ords[target])

    def _before_slow(self, d: dt.date, n: int, calendar_days: bool) -> dt.date:
        if calendar_days:
            target = d - dt.timedelta(days=n)
            return target if self.is_working_day(target) else self.add(target, -1)
        if n == 0:
            return d if self.is_working_day(d) else self.add(d, -1)
        return self.add(d, -n)

    def between(self, d1: dt.date, d2: dt.date) -> int:
        """Signed count of working days from ``d1`` to ``d2``, ``d1`` not counted.

        If ``d2 >= d1``: the working days in ``(d1, d2]``. If ``d2 < d1``: minus
        the working days in ``[d2, d1)``. Either way the start is excluded and
        the end included, as in ``add``, which is what makes
        ``between(d, add(d, n)) == n`` hold for every ``d`` and every n != 0,
        including a non-working ``d``. (Counting ``(d2, d1]`` backwards instead
        would make ``between`` antisymmetric but break that identity whenever
        ``d`` is not a working day; antisymmetry still holds when both ends
        are working days.) The count is non-decreasing in ``d2``.
        """
        lo, hi = (d1, d2) if d1 <= d2 else (d2, d1)
        span = self._ensure(lo.year, hi.year)
        o1, o2 = d1.toordinal(), d2.toordinal()
        if o2 >= o1:
            return bisect_right(span.ords, o2) - bisect_right(span.ords, o1)
        return bisect_left(span.ords, o2) - bisect_left(span.ords, o1)

    def non_working_days(self, d1: dt.date, d2: dt.date) -> list[SkippedDay]:
        """Every non-working day in ``[d1, d2]`` with its reason (empty if d2 < d1)."""
        if d2 < d1:
            return []
        span = self._ensure(d1.year, d2.year)
        o1, o2 = d1.toordinal(), d2.toordinal()
        # Walk the gaps between consecutive working days instead of every day.
        i = bisect_left(span.ords, o1)
        out: list[SkippedDay] = []
        o = o1
        while o <= o2:
            next_working = span.ords[i] if i < len(span.ords) else o2 + 1
            for gap in range(o, min(next_working, o2 + 1)):
                d = dt.date.fromordinal(gap)
                out.append(SkippedDay(d, self._reason_non_working(d)))
            o = next_working + 1
            i += 1
        return out

    def reason(self, d: dt.date) -> str | None:
        """Why ``d`` is not a working day, in the calendar's language; None if it is one."""
        if self.is_working_day(d):
            return None
        return self._reason_non_working(d)

    def _reason_non_working(self, d: dt.date) -> str:
        name = self.holiday_name(d)
        if name:
            return name
        # A weekday, or a make-up Saturday the package says is worked, can only
        # be off because the config says so; otherwise the weekend is the reason.
        hol = self._populated(d.year)
        if hol.is_weekend(d) and d not in hol.weekend_workdays:
            return _WEEKDAY_NAMES[self.language][d.weekday()]
        return _CONFIG_DAY_OFF[self.language]

    def is_provisional(self, d: dt.date) -> bool:
        """True if ``d``'s year is later than the last year the config confirmed."""
        return self.confirmed_through is not None and d.year > self.confirmed_through

    def holiday_name(self, d: dt.date) -> str | None:
        """The package's holiday name for ``d`` (names joined by "; "), or None.

        Days of the Vietnamese Tết break are named by their lunar date instead: the package
        calls the day before the eve "29 Tết" even in years whose 12th month has 29 days
        (27/1/2025 was 28 tháng Chạp; the eve itself was the 29th). Vietnamese names are
        written as the government writes them ("Tết Nguyên đán", not the package's "Nguyên Đán").
        """
        self._ensure(d.year, d.year)
        name: str | None = self._populated(d.year).get(d)
        if name and self.country == "VN":
            return _tet_name(d, self.language) or name.replace("Nguyên Đán", "Nguyên đán")
        return name


def unknown_country(country: str) -> str:
    return (f"{country!r}: gói holidays không có lịch ngày nghỉ của nước này "
            "(mã ISO 3166-1 alpha-2 viết hoa; mặc định \"VN\")")


def _tet_name(d: dt.date, language: str) -> str | None:
    """A Tết-break holiday named by its Vietnamese lunar date, or None if ``d`` is not one."""
    from . import lunar

    try:
        ld = lunar.from_solar(d, "vi")
    except lunar.LunarError:
        return None
    if ld.leap or not ((ld.month == 12 and ld.day >= 20) or (ld.month == 1 and ld.day <= 10)):
        return None
    if language == "en":
        if ld.month == 12:
            eve = ld.day == lunar.month_length(ld.year, 12, False, "vi")
            return ("Lunar New Year's Eve" if eve else "Tết holiday") + f" (day {ld.day} of the 12th lunar month)"
        return "Lunar New Year" if ld.day == 1 else f"Tết holiday (day {ld.day} of the 1st lunar month)"
    if ld.month == 12:
        if ld.day == lunar.month_length(ld.year, 12, False, "vi"):
            return f"Giao thừa Tết Nguyên đán ({ld.day} tháng Chạp)"
        return f"Nghỉ Tết Nguyên đán ({ld.day} tháng Chạp)"
    return "Tết Nguyên đán (mùng 1 tháng Giêng)" if ld.day == 1 else f"Mùng {ld.day} Tết Nguyên đán"
