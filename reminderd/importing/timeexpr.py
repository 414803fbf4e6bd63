"""Times as a clerk writes them in a plan's table → the catalog's date forms and a lead.

``parse(text, year)``: ``year`` is the plan's year (the file's), used where the text gives
none. The result is a :class:`When` (a date form, a lead, the years it applies, the rule
in words) or a :class:`NotUnderstood` saying why. The conventions are those the shipped
catalog uses for the same tables (calendars/binh-dinh-2022.toml):

- ``dd/mm/yyyy`` — an activity on that day: a preparation task ``5-15wd`` before it;
  ``trước dd/mm/yyyy`` — a deadline: due the working day before, from 10 working days.
- ``tháng 3/2025`` — the whole month: due the day before its last day, the window opening
  the day before it starts (``1-31d`` before 31/03). ``quý II`` (of the plan's year, or
  ``quý II/2025``) and ``6 tháng đầu năm`` / ``6 tháng cuối năm`` alike.
- ``trước Tết Nguyên đán`` — ``lunar:01-01``, the Tết at the end of the plan's year (the
  lunar new year that falls in January/February of the next), ``3-10wd``.
- ``hằng năm``, ``năm 2022 và các năm tiếp theo`` — every year from then on; with no day in
  the text, 15/12 is assumed (a year's review before the annual report) and said so.
- ``năm 2023`` — that year, 15/12 assumed.
- ``thường xuyên``, ``theo yêu cầu …``, ``theo Kế hoạch số …`` — not understood: there is no
  date to remind of, and the reason says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .text import fold

EVENT_LEAD = "5-15wd"  # preparing an activity held on a given day
DEADLINE_LEAD = "1-10wd"  # "trước 30/11": due the working day before
TET_LEAD = "3-10wd"  # as the shipped Tết visits
YEARLY_LEAD = "5-15wd"
YEARLY_DAY = (12, 15)  # assumed when only "every year" or "in year Y" is written

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class When:
    date: str  # a catalog date form: "2025-03-31", "12-15", "lunar:01-01"
    lead: str  # a catalog lead: "1-31d", "5-15wd"
    start: int | None = None
    until: int | None = None
    vi: str = ""  # the rule in words
    en: str = ""
    assumed_vi: str = ""  # what was assumed beyond the text ("" when nothing)
    assumed_en: str = ""

    def fields(self) -> dict[str, object]:
        """The [[event]] keys this sets."""
        out: dict[str, object] = {"date": self.date}
        if self.start is not None:
            out["start"] = self.start
        if self.until is not None:
            out["until"] = self.until
        return out

    def words(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class NotUnderstood:
    text: str
    vi: str
    en: str

    def words(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


def _d(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _dm(month: int, day: int) -> str:
    return f"{day:02d}/{month:02d}"


def _period(first: dt.date, last: dt.date) -> str:
    """The lead of "during [first, last]": due the day before ``last``, open the day before ``first``."""
    return f"1-{(last - first).days + 1}d"


def _years(f: str) -> list[int]:
    return [int(y) for y in re.findall(r"\b(1[9]\d\d|20\d\d|2100)\b", f)]


def parse(text: str, year: int) -> When | NotUnderstood:
    f = fold(text).rstrip(".;, ")
    if not f:
        return NotUnderstood(text, "ô thời gian trống", "the time cell is empty")
    if "thuong xuyen" in f or "lien tuc" in f:
        return NotUnderstood(text, "việc làm thường xuyên, không có hạn để nhắc; muốn được nhắc thì ghi một hạn "
                             "(ví dụ \"hằng năm\", \"trước 30/11\")",
                             "ongoing work with no deadline to remind of; write one to be reminded "
                             "(e.g. \"hằng năm\", \"trước 30/11\")")
    if re.match(r"(theo|khi|sau khi|tuy|dot xuat|khi co)\b", f):
        return NotUnderstood(text, f"không có mốc thời gian cụ thể («{text.strip()}»)",
                             f"no definite time («{text.strip()}»)")
    every = bool(re.search(r"hang nam|moi nam|tiep theo|hang ky|dinh ky", f))
    years = _years(f)
    first = min(years) if years else year

    # Before Tết.
    if re.search(r"\btet\b", f):
        if every:
            return When("lunar:01-01", TET_LEAD, start=first,
                        vi=f"trước Tết Nguyên đán hằng năm (từ năm {first})",
                        en=f"before Tết every year (from {first})")
        lunar_year = (years[0] if years else year + 1)
        return When("lunar:01-01", TET_LEAD, start=lunar_year, until=lunar_year,
                    vi=f"trước Tết Nguyên đán năm {lunar_year}", en=f"before Tết {lunar_year}",
                    assumed_vi="" if years else f"Tết cuối năm kế hoạch {year} (Tết năm {lunar_year})",
                    assumed_en="" if years else f"the Tết closing the plan's year {year} ({lunar_year})")
    deadline = bool(re.search(r"\b(truoc|han|cham nhat|khong muon hon|den het)\b", f))

    # A full date: dd/mm/yyyy or "ngày dd tháng mm năm yyyy".
    full = [(int(d), int(m), int(y)) for d, m, y in
            re.findall(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b", f)]
    full += [(int(d), int(m), int(y)) for d, m, y in
             re.findall(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})", f)]
    if len(set(full)) > 1:
        return _several(text)
    if full:
        day, month, y = full[0]
        try:
            date = dt.date(y, month, day)
        except ValueError:
            return _no_such_day(text, f"{day}/{month}/{y}")
        if every:
            return When(f"{month:02d}-{day:02d}", DEADLINE_LEAD if deadline else EVENT_LEAD, start=y,
                        vi=("hạn " if deadline else "ngày ") + f"{_dm(month, day)} hằng năm, từ năm {y}",
                        en=("due " if deadline else "on ") + f"{_dm(month, day)} every year from {y}")
        if deadline:
            return When(date.isoformat(), DEADLINE_LEAD, vi=f"trước ngày {_d(date)}", en=f"before {_d(date)}")
        return When(date.isoformat(), EVENT_LEAD, vi=f"ngày {_d(date)}", en=f"on {_d(date)}")

    # Half a year (before "tháng", which it contains).
    if m := re.search(r"\b6 thang (dau|cuoi) nam\b", f):
        y = first
        a, b = (dt.date(y, 1, 1), dt.date(y, 6, 30)) if m[1] == "dau" else (dt.date(y, 7, 1), dt.date(y, 12, 31))
        half_vi, half_en = ("6 tháng đầu năm", "first half") if m[1] == "dau" else ("6 tháng cuối năm", "second half")
        return _span(a, b, every, first, f"{half_vi} {y}", f"the {half_en} of {y}",
                     f"{half_vi} hằng năm", f"the {half_en} of every year")

    # A day and month without a year: the plan's year.
    dm = [(int(d), int(m)) for d, m in re.findall(r"\b(\d{1,2})\s*/\s*(\d{1,2})\b(?!\s*/)", f)]
    if len(set(dm)) > 1:
        return _several(text)
    if dm:
        day, month = dm[0]
        try:
            date = dt.date(first, month, day)
        except ValueError:
            return _no_such_day(text, f"{day}/{month}")
        lead = DEADLINE_LEAD if deadline else EVENT_LEAD
        if every:
            return When(f"{month:02d}-{day:02d}", lead, start=first,
                        vi=("hạn " if deadline else "ngày ") + f"{_dm(month, day)} hằng năm, từ năm {first}",
                        en=("due " if deadline else "on ") + f"{_dm(month, day)} every year from {first}")
        return When(date.isoformat(), lead, vi=("trước ngày " if deadline else "ngày ") + _d(date),
                    en=("before " if deadline else "on ") + _d(date),
                    assumed_vi="" if years else f"năm của kế hoạch ({first})",
                    assumed_en="" if years else f"the plan's year ({first})")

    # A month: "tháng 3/2025", "tháng 3 năm 2025", "tháng 3".
    months = [(int(mo), int(y1 or y2 or first)) for mo, y1, y2 in
              re.findall(r"\bthang (\d{1,2})\b(?:\s*[/.-]\s*(\d{4})|\s+nam (\d{4}))?", f)]
    if len(set(months)) > 1:
        return _several(text)
    if months:
        month, y = months[0]
        if not 1 <= month <= 12:
            return _no_such_day(text, f"tháng {month}")
        a, b = dt.date(y, month, 1), dt.date(y, month, calendar.monthrange(y, month)[1])
        return _span(a, b, every, y, f"trong tháng {month}/{y}", f"during {calendar.month_name[month]} {y}",
                     f"trong tháng {month} hằng năm", f"during {calendar.month_name[month]} every year")

    # A quarter: "quý II", "Quý IV/2022", "quý 2 năm 2025".
    quarters = [(_ROMAN[q], int(y1 or y2 or first)) for q, y1, y2 in
                re.findall(r"\bquy (iv|iii|ii|i|[1-4])\b(?:\s*[/.-]\s*(\d{4})|\s+nam (\d{4}))?", f)]
    if len(set(quarters)) > 1:
        return _several(text)
    if quarters:
        q, y = quarters[0]
        a = dt.date(y, 3 * q - 2, 1)
        b = dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        name = _QUARTER_ROMAN[q - 1]
        return _span(a, b, every, y, f"trong quý {name}/{y}", f"during Q{q} {y}",
                     f"trong quý {name} hằng năm", f"during Q{q} every year")

    # Years only: "năm 2023", "Năm 2022, 2023 và các năm tiếp theo", "hằng năm".
    if years or every:
        month, day = YEARLY_DAY
        assumed_vi = f"không ghi ngày: lấy {_dm(month, day)} (rà soát trước báo cáo năm)"
        assumed_en = f"no day given: {_dm(month, day)} (a review before the annual report)"
        if every:
            return When(f"{month:02d}-{day:02d}", YEARLY_LEAD, start=first,
                        vi=f"hằng năm từ năm {first}, hạn {_dm(month, day)}",
                        en=f"every year from {first}, due {_dm(month, day)}", assumed_vi=assumed_vi,
                        assumed_en=assumed_en)
        last = max(years)
        if last != first:
            return When(f"{month:02d}-{day:02d}", YEARLY_LEAD, start=first, until=last,
                        vi=f"các năm {first}–{last}, hạn {_dm(month, day)}",
                        en=f"{first}–{last}, due {_dm(month, day)} each year", assumed_vi=assumed_vi,
                        assumed_en=assumed_en)
        date = dt.date(first, month, day)
        return When(date.isoformat(), YEARLY_LEAD, vi=f"trong năm {first}, hạn {_d(date)}",
                    en=f"during {first}, due {_d(date)}", assumed_vi=assumed_vi, assumed_en=assumed_en)
    return NotUnderstood(text, f"không nhận ra mốc thời gian trong «{text.strip()}»; ghi ví dụ \"15/03/2025\", "
                         "\"tháng 3/2025\", \"quý II\", \"trước 30/11\", \"hằng năm\"",
                         f"no time recognised in «{text.strip()}»; write e.g. \"15/03/2025\", \"tháng 3/2025\", "
                         "\"quý II\", \"trước 30/11\", \"hằng năm\"")


def _span(a: dt.date, b: dt.date, every: bool, y: int, once_vi: str, once_en: str,
          every_vi: str, every_en: str) -> When:
    lead = _period(a, b)
    if every:
        return When(f"{b.month:02d}-{b.day:02d}", lead, start=y, vi=f"{every_vi} (từ năm {y})",
                    en=f"{every_en} (from {y})")
    return When(b.isoformat(), lead, vi=f"{once_vi} (từ {_d(a)} đến {_d(b)})",
                en=f"{once_en} ({_d(a)} to {_d(b)})")


def _several(text: str) -> NotUnderstood:
    return NotUnderstood(text, f"nhiều mốc thời gian trong một ô («{text.strip()}»); tách thành từng dòng",
                         f"several times in one cell («{text.strip()}»); give each its own row")


def _no_such_day(text: str, what: str) -> NotUnderstood:
    return NotUnderstood(text, f"không có ngày {what} («{text.strip()}»)", f"there is no day {what} («{text.strip()}»)")
