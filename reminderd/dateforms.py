"""Date forms of the catalog (docs/CATALOG.md): parse once, resolve in any year.

Each form yields at most one date per *rule year*. For Gregorian forms the rule
year is the calendar year; for lunisolar forms it is the lunar year that begins
with that year's Tết, so ``lunar:12-23`` of 2024 falls in January 2025 — which
is what people mean by "ông Công ông Táo năm Giáp Thìn".

Edge rules: Feb 29 falls on Feb 28 in a common year; lunar day 30 in a
29-day month falls on day 29; a leap month a year lacks gives no date.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

from . import lunar
from .errors import DateFormError

Kind = Literal["annual", "once", "lunar", "holiday", "rrule"]
CAL_PREFIX = {"lunar": "vi", "chinese": "zh", "korean": "ko"}
CAL_NAME = {"vi": "âm lịch Việt Nam", "zh": "âm lịch Trung Quốc", "ko": "âm lịch Hàn Quốc"}
CAL_NAME_EN = {"vi": "Vietnamese lunar calendar", "zh": "Chinese lunar calendar", "ko": "Korean lunar calendar"}


@dataclass(frozen=True)
class DateForm:
    text: str
    kind: Kind
    month: int = 0
    day: int = 0
    year: int = 0  # "once"
    leap: bool = False
    calendar: str = "vi"
    country: str = ""
    name: str = ""
    rule: str = ""


@dataclass(frozen=True)
class Resolved:
    date: dt.date
    how: str  # one line for `explain`, Vietnamese
    how_en: str = ""  # the same in English


_MMDD = re.compile(r"(\d{2})-(\d{2})")
_LUNAR = re.compile(r"(\d{2})(L?)-(\d{2})")

HINT = ('dạng hợp lệ: "MM-DD", "YYYY-MM-DD", "lunar:MM-DD", "lunar:MML-DD", '
        '"chinese:MM-DD", "korean:MM-DD", "holiday:CC:Tên", "rrule:FREQ=YEARLY;…"')


def parse(text: str) -> DateForm:
    """Parse a date form; DateFormError says what would be right."""
    if not isinstance(text, str):
        raise DateFormError(f"cần một chuỗi; {HINT}")
    t = text.strip()
    if m := _MMDD.fullmatch(t):
        month, day = int(m[1]), int(m[2])
        _check_md(month, day, leap_year_ok=True)
        return DateForm(t, "annual", month=month, day=day)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        try:
            d = dt.date.fromisoformat(t)
        except ValueError:
            raise DateFormError(f"{t!r} không phải ngày có thật; cần \"YYYY-MM-DD\"") from None
        return DateForm(t, "once", month=d.month, day=d.day, year=d.year)
    prefix, _, rest = t.partition(":")
    if prefix in CAL_PREFIX:
        m = _LUNAR.fullmatch(rest)
        if not m:
            raise DateFormError(f"{t!r}: cần \"{prefix}:MM-DD\" hoặc \"{prefix}:MML-DD\" (L: tháng nhuận)")
        month, leap, day = int(m[1]), m[2] == "L", int(m[3])
        if not 1 <= month <= 12:
            raise DateFormError(f"{t!r}: tháng âm lịch phải từ 01 đến 12")
        if not 1 <= day <= 30:
            raise DateFormError(f"{t!r}: ngày âm lịch phải từ 01 đến 30")
        return DateForm(t, "lunar", month=month, day=day, leap=leap, calendar=CAL_PREFIX[prefix])
    if prefix == "holiday":
        import holidays  # here, not at the top: most catalogs load from the cache without it

        country, sep, name = rest.partition(":")
        if not sep or not re.fullmatch(r"[A-Z]{2}", country) or not name:
            raise DateFormError(f"{t!r}: cần \"holiday:CC:Tên ngày lễ\", ví dụ \"holiday:NL:King's Day\"")
        if country not in holidays.list_supported_countries():
            raise DateFormError(f"{t!r}: gói holidays không có nước {country}")
        if not _holiday_name_exists(country, name):
            names = ", ".join(sorted(_holiday_names(country)))
            raise DateFormError(f"{t!r}: {country} không có ngày lễ tên {name!r}; có: {names}")
        return DateForm(t, "holiday", country=country, name=name)
    if prefix == "rrule":
        from dateutil.rrule import YEARLY, rrulestr

        try:
            rule = rrulestr(rest, dtstart=dt.datetime(2000, 1, 1))  # noqa: DTZ001 - dates only
        except (ValueError, TypeError) as e:
            raise DateFormError(f"{t!r}: RRULE không hợp lệ ({e}); "
                                'ví dụ "rrule:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH"') from None
        if getattr(rule, "_freq", YEARLY) != YEARLY:
            raise DateFormError(f"{t!r}: chỉ nhận FREQ=YEARLY (mỗi năm lấy một ngày)")
        if getattr(rule, "_interval", 1) < 1:  # (dateutil would look for the next date forever)
            raise DateFormError(f"{t!r}: INTERVAL phải là số nguyên dương (1 = mỗi năm, 2 = hai năm một lần)")
        try:
            ever = _rrule_ever_occurs(rest)
        except (ValueError, IndexError, OverflowError):  # e.g. BYMONTH=13 with BYDAY: dateutil fails iterating
            ever = False
        if not ever:
            raise DateFormError(f"{t!r}: quy tắc này không bao giờ cho ngày nào (ví dụ BYMONTH=13, "
                                "hay ngày 30 tháng 2); kiểm tra BYMONTH, BYMONTHDAY, BYDAY")
        return DateForm(t, "rrule", rule=rest)
    raise DateFormError(f"{t!r} không phải dạng ngày hợp lệ; {HINT}")


@functools.lru_cache(maxsize=256)
def _rrule_ever_occurs(rule: str) -> bool:
    from dateutil.rrule import rrulestr

    start = dt.datetime(1900, 1, 1)  # noqa: DTZ001 - dates only
    return rrulestr(rule, dtstart=start).after(start, inc=True) is not None


def _check_md(month: int, day: int, leap_year_ok: bool) -> None:
    if not 1 <= month <= 12:
        raise DateFormError(f"tháng {month:02d} không tồn tại; tháng phải từ 01 đến 12")
    longest = _gregorian.monthrange(2000 if leap_year_ok else 2001, month)[1]
    if not 1 <= day <= longest:
        raise DateFormError(f"ngày {month:02d}-{day:02d} không tồn tại; tháng {month:02d} có tối đa {longest} ngày")


@functools.lru_cache(maxsize=64)
def _holiday_names(country: str) -> frozenset[str]:
    import holidays

    h = holidays.country_holidays(country, years=range(2015, 2036), language="en_US")
    return frozenset(n for names in h.values() for n in names.split("; "))


def _holiday_name_exists(country: str, name: str) -> bool:
    return name in _holiday_names(country)


@functools.lru_cache(maxsize=4096)
def _holiday_in_year(country: str, name: str, year: int) -> dt.date | None:
    """The first day named ``name`` that year; failing that, its "(observed)" day.

    Some countries move a holiday and the package then names only the moved day
    "… (observed)" (Israel's Independence Day in 2024, say): that is the day the
    country celebrates, so it is the one we want.
    """
    import holidays

    h = holidays.country_holidays(country, years=year, language="en_US")
    for wanted in (name, f"{name} (observed)"):
        days = sorted(d for d, names in h.items() if wanted in names.split("; "))
        if days:
            return days[0]
    return None


def date_in(form: DateForm, year: int) -> dt.date | None:
    """The form's date in rule year ``year``, or None: what :func:`resolve` finds, without the
    sentences that say how (the planner asks this tens of thousands of times and prints none)."""
    kind = form.kind
    if kind == "annual":
        if form.month == 2 and form.day == 29 and not _gregorian.isleap(year):
            return dt.date(year, 2, 28)
        return dt.date(year, form.month, form.day)
    if kind == "once":
        return dt.date(year, form.month, form.day) if year == form.year else None
    if kind == "lunar":
        return _lunar_date(form.month, form.day, form.leap, form.calendar, year)
    res = resolve(form, year)
    return None if res is None else res.date


@functools.lru_cache(maxsize=65536)
def _lunar_date(month: int, day: int, leap: bool, cal: str, year: int) -> dt.date | None:
    """A lunar month and day in lunar year ``year`` (day 30 of a 29-day month: day 29; a leap
    month the year lacks: None)."""
    if not lunar.MIN_YEAR <= year <= lunar.MAX_YEAR:
        return None
    try:
        length = lunar.month_length(year, month, leap, cal)  # type: ignore[arg-type]
    except lunar.LunarError:
        return None
    return lunar.to_solar(year, month, min(day, length), leap, cal)  # type: ignore[arg-type]


def resolve(form: DateForm, year: int) -> Resolved | None:
    """The form's date in rule year ``year``, or None if it has none that year."""
    if form.kind == "annual":
        month, day = form.month, form.day
        if month == 2 and day == 29 and not _gregorian.isleap(year):
            return Resolved(dt.date(year, 2, 28), f"{form.text}: năm {year} không nhuận → 28/02",
                            f"{form.text}: {year} is not a leap year → 28 Feb")
        d = dt.date(year, month, day)
        return Resolved(d, f"{form.text} → {d}", f"{form.text} → {d}")
    if form.kind == "once":
        if year != form.year:
            return None
        return Resolved(dt.date(form.year, form.month, form.day), f"ngày cố định {form.text}",
                        f"fixed date {form.text}")
    if form.kind == "lunar":
        return _resolve_lunar(form, year)
    if form.kind == "holiday":
        hd = _holiday_in_year(form.country, form.name, year)
        if hd is None:
            return None
        return Resolved(hd, f"gói holidays: {form.country} «{form.name}» năm {year} → {hd}",
                        f"holidays package: {form.country} “{form.name}” in {year} → {hd}")
    if form.kind == "rrule":
        from dateutil.rrule import rrulestr

        rule = rrulestr(form.rule, dtstart=dt.datetime(year, 1, 1))  # noqa: DTZ001 - dates only
        nxt = rule.after(dt.datetime(year, 1, 1), inc=True)  # noqa: DTZ001
        if nxt is None or nxt.year != year:
            return None
        return Resolved(nxt.date(), f"RRULE {form.rule} năm {year} → {nxt.date()}",
                        f"RRULE {form.rule} in {year} → {nxt.date()}")
    raise AssertionError(form.kind)


def _resolve_lunar(form: DateForm, year: int) -> Resolved | None:
    if not lunar.MIN_YEAR <= year <= lunar.MAX_YEAR:
        return None
    cal = form.calendar
    leap_text = " nhuận" if form.leap else ""
    try:
        length = lunar.month_length(year, form.month, form.leap, cal)  # type: ignore[arg-type]
    except lunar.LunarError:
        return None  # a leap month the year lacks: no occurrence (check warns)
    day, note, note_en = form.day, "", ""
    if day > length:
        day = length
        note = f" (tháng {form.month}{leap_text} năm {year} chỉ có {length} ngày → ngày {length})"
        note_en = f" (month {form.month}{' (leap)' if form.leap else ''} of {year} has {length} days → day {length})"
    d = lunar.to_solar(year, form.month, day, form.leap, cal)  # type: ignore[arg-type]
    how = (f"{CAL_NAME[cal]} ngày {form.day:02d} tháng {form.month:02d}{leap_text} "
           f"năm {year}{note} → {d}")
    how_en = (f"{CAL_NAME_EN[cal]} day {form.day} of month {form.month}{' (leap)' if form.leap else ''}, "
              f"lunar year {year}{note_en} → {d}")
    return Resolved(d, how, how_en)
