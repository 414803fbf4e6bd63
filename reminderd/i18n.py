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
    # `reminderd countries` (cli/world.py) and its warning in `check`
    "world.col.code": {"vi": "Mã", "en": "Code"},
    "world.col.country": {"vi": "Nước", "en": "Country"},
    "world.col.national_day": {"vi": "Quốc khánh {year}", "en": "National day {year}"},
    "world.col.relations": {"vi": "Thiết lập quan hệ ngoại giao", "en": "Diplomatic relations since"},
    "world.col.tiers": {"vi": "Hạng đối tác", "en": "Partner tier"},
    "world.count": {
        "vi": "{n} nước: {national} có Quốc khánh trong danh mục, {relations} có ngày thiết lập quan hệ "
              "ngoại giao, {partners} nằm trong [partners] của cấu hình.",
        "en": "{n} countries: {national} with a national day in the catalog, {relations} with a "
              "diplomatic-relations date, {partners} in the config's [partners]."},
    "world.missing.national_day": {
        "vi": "Nước trong danh sách tham chiếu chưa có Quốc khánh trong danh mục ({n}):",
        "en": "Countries of the reference list without a national day in the catalog ({n}):"},
    "world.missing.relations": {
        "vi": "Nước trong danh sách tham chiếu chưa có ngày kỷ niệm thiết lập quan hệ ngoại giao ({n}):",
        "en": "Countries of the reference list without a diplomatic-relations anniversary ({n}):"},
    "world.missing.partners": {
        "vi": "Mã nước trong [partners] của cấu hình không có sự kiện Quốc khánh trong danh mục ({n}); "
              "các nước này sẽ không có thư chúc mừng Quốc khánh:",
        "en": "Codes in the config's [partners] with no national-day event in the catalog ({n}); "
              "no national-day letter will be planned for them:"},
    "world.missing.none": {"vi": "  (không có)", "en": "  (none)"},
    "world.partner_without_national_day": {
        "vi": "[partners] {tier}: nước {code} ({name}) không có sự kiện Quốc khánh (nhãn \"quoc-khanh\") "
              "trong danh mục; sẽ không có thư chúc mừng Quốc khánh cho nước này",
        "en": "[partners] {tier}: country {code} ({name}) has no national-day event (tag \"quoc-khanh\") "
              "in the catalog; no national-day letter will be planned for it"},
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
