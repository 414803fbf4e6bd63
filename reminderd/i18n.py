"""User-visible strings in Vietnamese (default) and English.

One table, keyed by message id; ``t(lang, key, **values)``. Vietnamese is the
source language, so every key must have a ``vi`` text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from .model import SkippedDay

MESSAGES: dict[str, dict[str, str]] = {
    "ok": {"vi": "Hợp lệ: {events} sự kiện, {tasks} việc trong {files} tệp; {departments} đơn vị.",
           "en": "Valid: {events} events, {tasks} tasks in {files} files; {departments} departments."},
    "errors": {"vi": "{n} lỗi:", "en": "{n} errors:"},
    "warnings": {"vi": "{n} cảnh báo:", "en": "{n} warnings:"},
    "col.date": {"vi": "Ngày", "en": "Date"},
    "col.kind": {"vi": "Loại", "en": "Kind"},
    "col.what": {"vi": "Nội dung", "en": "What"},
    "col.owner": {"vi": "Chủ trì", "en": "Lead"},
    "col.support": {"vi": "Phối hợp", "en": "Support"},
    "col.window": {"vi": "Thực hiện từ → hạn", "en": "Window → due"},
    "kind.event": {"vi": "Sự kiện", "en": "Event"},
    "kind.task": {"vi": "Việc", "en": "Task"},
    "provisional": {"vi": "tạm tính", "en": "provisional"},
    "provisional.note": {
        "vi": "Ngày tạm tính: lịch nghỉ năm {year} chưa được xác nhận trong cấu hình "
              "(confirmed_through = {through}).",
        "en": "Provisional: the {year} holiday schedule is not confirmed in the config "
              "(confirmed_through = {through})."},
    "none": {"vi": "Không có gì trong khoảng {start} – {end}.",
             "en": "Nothing between {start} and {end}."},
    "count": {"vi": "{events} sự kiện, {tasks} việc.", "en": "Events: {events}; tasks: {tasks}."},
    "explain.event": {"vi": "Sự kiện {id}: {title}", "en": "Event {id}: {title}"},
    "explain.rule": {"vi": "  Quy tắc ngày: {date} ({file})", "en": "  Date rule: {date} ({file})"},
    "explain.source": {"vi": "  Nguồn: {source}", "en": "  Source: {source}"},
    "explain.none": {"vi": "  Năm {year}: không có lần nào — {why}.",
                     "en": "  {year}: no occurrence — {why}."},
    "explain.occ": {"vi": "  Năm {year}: {how}", "en": "  {year}: {how}"},
    "explain.ordinal": {"vi": "  Lần thứ {ordinal}{milestone}", "en": "  Ordinal {ordinal}{milestone}"},
    "explain.milestone": {"vi": " — năm tròn", "en": " — milestone year"},
    "explain.task": {"vi": "  Việc {id}: {action}", "en": "  Task {id}: {action}"},
    "explain.lead": {"vi": "    Thời hạn: {rule} (quy tắc \"{lead}\")", "en": "    Lead: {rule} (rule \"{lead}\")"},
    "explain.window": {"vi": "    Bắt đầu {start} ({start_wd}), hạn {due} ({due_wd}); chủ trì: {owner}{support}",
                       "en": "    Opens {start} ({start_wd}), due {due} ({due_wd}); lead: {owner}{support}"},
    "explain.skipped": {"vi": "    Bỏ qua {n} ngày không làm việc từ {start} đến trước {date}:",
                        "en": "    Skipped {n} non-working days from {start} to before {date}:"},
    "explain.skip": {"vi": "      {date} ({weekday}): {reason}", "en": "      {date} ({weekday}): {reason}"},
    "explain.skip.weekends": {"vi": "      {n} ngày cuối tuần (Thứ Bảy, Chủ Nhật)",
                              "en": "      {n} weekend days (Saturday, Sunday)"},
    "explain.not_applicable": {"vi": "  Việc {id}: không áp dụng năm {year} ({why})",
                               "en": "  Task {id}: not planned in {year} ({why})"},
    "why.tier": {"vi": "nước {country} không thuộc hạng {tier} trong [partners]",
                 "en": "country {country} is not in partners tier {tier}"},
    "why.milestone": {"vi": "chỉ làm vào năm tròn (số năm chia hết cho 5)",
                      "en": "only in milestone years (ordinal a multiple of 5)"},
    "why.inactive": {"vi": "nước {country} không có trong [partners] của cấu hình",
                     "en": "country {country} is not in the config's [partners]"},
    "why.norule": {"vi": "quy tắc không cho ngày nào trong năm này: xem start, until, every "
                         "hoặc tháng nhuận",
                   "en": "the rule gives no date that year: see start, until, every or the leap month"},
    "rule.wd": {"vi": "bắt đầu {far} ngày làm việc trước, hạn {near} ngày làm việc trước ngày sự kiện",
                "en": "opens {far} working days before, due {near} working days before the event"},
    "rule.d": {"vi": "bắt đầu {far} ngày trước, hạn {near} ngày trước ngày sự kiện "
                     "(rơi vào ngày nghỉ thì lùi về ngày làm việc trước đó)",
               "en": "opens {far} days before, due {near} days before the event "
                     "(moved back to a working day if it falls on a day off)"},
    "role.owner": {"vi": "chủ trì", "en": "lead"},
    "role.support": {"vi": "phối hợp", "en": "support"},
}

WEEKDAYS = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def lookup(table: Mapping[str, Mapping[str, str]], lang: str, key: str, **values: object) -> str:
    """``table[key]`` in ``lang`` (Vietnamese when that language has no text), filled in.

    Each part keeps its own table (CLI, feeds, mail …); this is the one lookup rule.
    """
    texts = table[key]
    return texts.get(lang, texts["vi"]).format(**values)


def t(lang: str, key: str, **values: object) -> str:
    return lookup(MESSAGES, lang, key, **values)


def weekday(lang: str, d: dt.date) -> str:
    return WEEKDAYS.get(lang, WEEKDAYS["vi"])[d.weekday()]


def fmt_date(lang: str, d: dt.date) -> str:
    """Human date: 'Thứ Sáu 23/02/2024' or 'Fri 2024-02-23'."""
    if lang == "en":
        return d.strftime("%a %Y-%m-%d")
    return f"{weekday('vi', d)} {d.day:02d}/{d.month:02d}/{d.year}"


def skipped_lines(lang: str, skipped: Sequence[SkippedDay], holiday_name: Callable[[dt.date], str | None]
                  ) -> list[str]:
    """The days a window skipped, as ``explain`` shows them (CLI and page): each holiday or
    weekday off on its own line, ordinary weekends as one count."""
    named = [s for s in skipped if s.date.weekday() < 5 or holiday_name(s.date)]
    lines = [t(lang, "explain.skip", date=s.date, weekday=weekday(lang, s.date), reason=s.reason) for s in named]
    if len(skipped) > len(named):
        lines.append(t(lang, "explain.skip.weekends", n=len(skipped) - len(named)))
    return lines
