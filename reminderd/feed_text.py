"""The words in a feed: summaries, descriptions and calendar names, Vietnamese and English.

Kept beside the feed code (not in ``i18n.MESSAGES``) because only feeds and the
``.ics`` mail attachment use them; ``t(lang, key)`` falls back to Vietnamese.
``clean_text`` is the one gate every user-written string passes on its way into
iCalendar TEXT: the escaping itself is ``icalendar``'s job, but RFC 5545 TEXT may
not hold control characters at all, so they must be dealt with before.
"""

from __future__ import annotations

import re

from .i18n import lookup

TEXTS: dict[str, dict[str, str]] = {
    "cal.all": {"vi": "{org} — Lịch đối ngoại", "en": "{org} — Foreign-affairs calendar"},
    "cal.department": {"vi": "{org} — {name}", "en": "{org} — {name}"},
    "cal.country": {"vi": "{org} — {name}", "en": "{org} — {name}"},
    "cal.tag": {"vi": "{org} — {name}", "en": "{org} — {name}"},
    "desc.all": {"vi": "Mọi sự kiện đối ngoại và việc cần làm của {org}.",
                 "en": "All foreign-affairs events and tasks of {org}."},
    "desc.department": {"vi": "Các việc {name} chủ trì hoặc phối hợp, và sự kiện của chúng.",
                        "en": "Tasks {name} leads or supports, and their events."},
    "desc.country": {"vi": "Các sự kiện và việc liên quan đến {name} ({value}).",
                     "en": "Events and tasks concerning {name} ({value})."},
    "desc.tag": {"vi": "Các sự kiện thuộc nhóm “{name}” và các việc liên quan.",
                 "en": "Events in “{name}” and related tasks."},
    "task.summary": {"vi": "{action} (hạn {due})", "en": "{action} (due {due})"},
    "role.prefix.owner": {"vi": "[Chủ trì] ", "en": "[Lead] "},
    "role.prefix.support": {"vi": "[Phối hợp] ", "en": "[Support] "},
    "task.event": {"vi": "Sự kiện: {title} — {date}", "en": "Event: {title} — {date}"},
    "task.owner": {"vi": "Chủ trì: {name}", "en": "Lead: {name}"},
    "task.support": {"vi": "Phối hợp: {names}", "en": "Support: {names}"},
    "task.lead": {"vi": "Thời hạn {lead}: {rule}", "en": "Lead time {lead}: {rule}"},
    "task.window": {"vi": "Thực hiện từ {start}, hạn {due}", "en": "Window opens {start}, due {due}"},
    "task.role.owner": {"vi": "Vai trò của đơn vị: chủ trì", "en": "This department's role: lead"},
    "task.role.support": {"vi": "Vai trò của đơn vị: phối hợp", "en": "This department's role: support"},
    "task.note": {"vi": "Ghi chú: {note}", "en": "Note: {note}"},
    "task.alarm": {"vi": "Bắt đầu thực hiện: {summary}", "en": "Window opens: {summary}"},
    "event.country": {"vi": "Nước: {country}", "en": "Country: {country}"},
    "event.ordinal": {"vi": "Lần thứ {ordinal}{milestone}", "en": "Ordinal {ordinal}{milestone}"},
    "event.milestone": {"vi": " (năm tròn)", "en": " (milestone year)"},
    "ref": {"vi": "Mã: {ref}", "en": "Key: {ref}"},
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


def clean_text(text: str) -> str:
    """Text as it may appear in an iCalendar TEXT value, before escaping."""
    return _CONTROLS.sub(REPLACEMENT, _NEWLINES.sub("\n", text))


def t(lang: str, key: str, **values: object) -> str:
    return lookup(TEXTS, lang, key, **values)
