"""The words in a feed: summaries, descriptions and calendar names, Vietnamese and English.

Kept beside the feed code (not in ``i18n.MESSAGES``) because only feeds and the
``.ics`` mail attachment use them; ``t(lang, key)`` falls back to Vietnamese.
``clean_text`` is the one gate every user-written string passes on its way into
iCalendar TEXT: the escaping itself is ``icalendar``'s job, but RFC 5545 TEXT may
not hold control characters at all, so they must be dealt with before.
"""

from __future__ import annotations

import re

from ..i18n import lookup

TEXTS: dict[str, dict[str, str]] = {
    "cal.all": {"vi": "{org} — Lịch đối ngoại", "en": "{org} — Foreign-affairs calendar"},
    "cal.department": {"vi": "{org} — {name}", "en": "{org} — {name}"},
    "cal.country": {"vi": "{org} — {name}", "en": "{org} — {name}"},
    "cal.tag": {"vi": "{org} — {name}", "en": "{org} — {name}"},
    # The short name in a feed's URL and in the read-only WebDAV answer: what Thunderbird lists.
    "short.all": {"vi": "Lịch đối ngoại - tất cả", "en": "Foreign affairs - all"},
    "desc.all": {"vi": "Mọi sự kiện đối ngoại và việc cần làm của {org}.",
                 "en": "All foreign-affairs events and tasks of {org}."},
    "desc.department": {"vi": "Các việc {name} chủ trì hoặc phối hợp, và sự kiện của chúng.",
                        "en": "Tasks {name} leads or supports, and their events."},
    "desc.country": {"vi": "Các sự kiện và việc liên quan đến {name}.",
                     "en": "Events and tasks concerning {name}."},
    "desc.tag": {"vi": "Các sự kiện thuộc nhóm “{name}” và các việc liên quan.",
                 "en": "Events in “{name}” and related tasks."},
    # One-day entries (the default layout): the due day and the day the window opens.
    "entry.due": {"vi": "Hạn: {action}", "en": "Due: {action}"},
    "entry.open": {"vi": "Bắt đầu: {action} (hạn {due})", "en": "Starts: {action} (due {due})"},
    # The long-bar layout (?layout=bars): one entry over the whole window.
    "task.summary": {"vi": "{action} (hạn {due})", "en": "{action} (due {due})"},
    "role.prefix.support": {"vi": "[Phối hợp] ", "en": "[Support] "},
    "done.prefix": {"vi": "✓ ", "en": "✓ "},
    "group.due": {"vi": "Hạn: {n} việc — {what}", "en": "Due: {n} tasks — {what}"},
    "group.open": {"vi": "Bắt đầu: {n} việc — {what}", "en": "Starting: {n} tasks — {what}"},
    "group.events": {"vi": "{n} sự kiện — {what}", "en": "{n} events — {what}"},
    "event.due": {"vi": "Hạn: {title} — {n} việc", "en": "Due: {title} — {n} tasks"},
    "event.open": {"vi": "Bắt đầu: {title} — {n} việc", "en": "Starting: {title} — {n} tasks"},
    "group.head.due": {"vi": "{n} việc đến hạn {date}:", "en": "{n} tasks due {date}:"},
    "group.head.open": {"vi": "{n} việc bắt đầu thực hiện {date}:", "en": "{n} tasks starting {date}:"},
    "group.head.event": {"vi": "{n} việc cho sự kiện {title} ({date}):", "en": "{n} tasks for {title} ({date}):"},
    "group.head.events": {"vi": "{n} sự kiện ngày {date}:", "en": "{n} events on {date}:"},
    "group.task": {"vi": "{mark} {role}{action} — chủ trì: {owner}, hạn {due}",
                   "en": "{mark} {role}{action} — lead: {owner}, due {due}"},
    "group.event.line": {"vi": "• {title}", "en": "• {title}"},
    "task.event": {"vi": "Sự kiện: {title} — {date}", "en": "Event: {title} — {date}"},
    "task.owner": {"vi": "Chủ trì: {name}", "en": "Lead: {name}"},
    "task.support": {"vi": "Phối hợp: {names}", "en": "Support: {names}"},
    "task.lead": {"vi": "Thời hạn: {words}", "en": "Lead time: {words}"},
    "lead.wd": {"vi": "{n} ngày làm việc trước ngày sự kiện ({date})",
                "en": "{n} working days before the event ({date})"},
    "lead.wd0": {"vi": "ngay ngày sự kiện ({date}), hoặc ngày làm việc liền trước nếu là ngày nghỉ",
                 "en": "on the day of the event ({date}), or the working day before if it is a day off"},
    "lead.d": {"vi": "{n} ngày trước ngày sự kiện ({date}); rơi vào ngày nghỉ thì lùi về ngày làm việc trước đó",
               "en": "{n} days before the event ({date}); moved back to a working day if it falls on a day off"},
    "task.window": {"vi": "Thực hiện từ {start} đến hạn {due}", "en": "Work from {start}, due {due}"},
    "task.window.one": {"vi": "Thực hiện trong ngày {due}", "en": "To do on {due}"},
    "task.role.owner": {"vi": "Vai trò của đơn vị: chủ trì", "en": "This department's role: lead"},
    "task.role.support": {"vi": "Vai trò của đơn vị: phối hợp", "en": "This department's role: support"},
    "task.provisional": {"vi": "Ngày tạm tính: lịch nghỉ năm {year} chưa được công bố, "
                               "ngày làm việc có thể thay đổi.",
                         "en": "Provisional: the {year} holiday schedule has not been published yet; "
                               "working days may change."},
    "task.note": {"vi": "Ghi chú: {note}", "en": "Note: {note}"},
    "done.when": {"vi": "✓ Đã hoàn thành lúc {when}", "en": "✓ Done at {when}"},
    "done.who": {"vi": "✓ Đã hoàn thành lúc {when} — {who} ({via})", "en": "✓ Done at {when} — {who} ({via})"},
    "done.note": {"vi": "Ghi chú khi hoàn thành: {note}", "en": "Note when done: {note}"},
    "via.cli": {"vi": "dòng lệnh", "en": "command line"},
    "via.web": {"vi": "trang web", "en": "web page"},
    "via.email": {"vi": "liên kết trong thư", "en": "e-mail link"},
    "via.api": {"vi": "API", "en": "API"},
    "event.country": {"vi": "Nước: {country}", "en": "Country: {country}"},
    "event.ordinal": {"vi": "Lần thứ {ordinal}{milestone}", "en": "Ordinal {ordinal}{milestone}"},
    "event.milestone": {"vi": " (năm tròn)", "en": " (milestone year)"},
}

# The tags of the shipped catalog (calendars/*.toml) as people read them: feed names, the
# subscribe page, the year view's legend. A tag not listed here (a province's own) shows as is.
TAG_TITLES: dict[str, dict[str, str]] = {
    "ngay-le-viet-nam": {"vi": "Ngày lễ Việt Nam", "en": "Vietnamese public holidays"},
    "quoc-khanh": {"vi": "Quốc khánh các nước", "en": "National days"},
    "ky-niem-quan-he-ngoai-giao": {"vi": "Kỷ niệm quan hệ ngoại giao",
                                   "en": "Anniversaries of diplomatic relations"},
    "ky-niem": {"vi": "Ngày kỷ niệm", "en": "Anniversaries"},
    "chuc-mung": {"vi": "Thăm hỏi, chúc mừng", "en": "Greetings and visits"},
    "tet": {"vi": "Tết và năm mới", "en": "Tết and New Year"},
    "tet-doi-tac": {"vi": "Tết cổ truyền của các nước đối tác", "en": "Partner countries' New Year"},
    "bao-cao-dinh-ky": {"vi": "Báo cáo định kỳ", "en": "Periodic reports"},
    "ke-hoach-dinh-ky": {"vi": "Kế hoạch định kỳ", "en": "Periodic plans"},
    "su-kien-doi-ngoai": {"vi": "Sự kiện đối ngoại", "en": "Foreign-affairs events"},
    "bac-giang": {"vi": "Kế hoạch tỉnh Bắc Giang", "en": "Bắc Giang province plan"},
    "binh-dinh": {"vi": "Kế hoạch tỉnh Bình Định", "en": "Bình Định province plan"},
    "tuyen-quang": {"vi": "Kế hoạch tỉnh Tuyên Quang", "en": "Tuyên Quang province plan"},
    "khac": {"vi": "Khác", "en": "Other"},  # yearview.UNTAGGED: events without a tag
}


def tag_title(tag: str, lang: str) -> str:
    """A tag's human title in ``lang`` (Vietnamese if there is no English); the tag itself if unknown."""
    titles = TAG_TITLES.get(tag)
    if titles is None:
        return tag
    return titles.get(lang) or titles["vi"]


# RFC 5545 §3.3.11: TEXT excludes CONTROL (%x00-08 / %x0A-1F / %x7F) except as the
# escaped newline. Line breaks of every flavour become "\n" (escaped as "\n" by the
# writer); any other control character is replaced visibly rather than dropped.
_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
REPLACEMENT = "\ufffd"


_UNCLEAN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]")  # what either of those changes ("\n" aside)


def clean_text(text: str) -> str:
    """Text as it may appear in an iCalendar TEXT value, before escaping."""
    if _UNCLEAN.search(text) is None:  # (nearly always: one scan instead of two substitutions)
        return text
    return _CONTROLS.sub(REPLACEMENT, _NEWLINES.sub("\n", text))


def t(lang: str, key: str, **values: object) -> str:
    return lookup(TEXTS, lang, key, **values)
