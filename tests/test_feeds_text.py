"""Property: any text in a title or description comes back out of the feed unchanged
(after the documented newline/control normalisation) and never injects a property or component."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reminderd.feeds import FeedItem, FeedMeta, Stamped, render
from reminderd.feeds.text import REPLACEMENT, clean_text
from tests.feeds_support import check_bytes, strict

NASTY = st.sampled_from(["\r\n", "\r", "\n", ",", ";", "\\", ":", "\\n", "\\,", '"', "\t", " ",
                         "BEGIN:VEVENT", "END:VCALENDAR", "\r\nUID:x", "\nSTATUS:CANCELLED",
                         "\u2028", "\x85", "\x0b", "\x00", "ạ", "Đ", "ờ", "😀", "\u0301"])
TEXT = st.lists(st.one_of(st.text(), NASTY), max_size=12).map("".join)

PROPS = {"UID", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION",
         "CATEGORIES", "STATUS", "TRANSP", "X-MICROSOFT-CDO-BUSYSTATUS"}
NOW = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def unescape(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT unescaping, written independently of both parsers."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def feed_with(title: str, description: str, name: str) -> bytes:
    item = FeedItem(uid="e.t.20240301.all@reminderd", feed="all", key="e/t@2024-03-01",
                    start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 2), summary=clean_text(title),
                    description=clean_text(description), categories=("quoc-khanh",),
                    alarm=clean_text(title), alarm_at=NOW + dt.timedelta(hours=1))
    meta = FeedMeta(name=clean_text(name), description=clean_text(description), timezone="Asia/Ho_Chi_Minh",
                    refresh_hours=6)
    return render(meta, [Stamped(item, 0, NOW)])


def test_clean_text_contract() -> None:
    assert clean_text("a\r\nb\rc\nd\u2028e\x85f") == "a\nb\nc\nd\ne\nf"
    assert clean_text("x\x00y\x7fz\tw") == f"x{REPLACEMENT}y{REPLACEMENT}z\tw"  # TAB is allowed
    assert clean_text("Đại sứ quán, Lào; \\ ok") == "Đại sứ quán, Lào; \\ ok"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, description=TEXT)
@example(title="a\r\nUID:evil\r\nBEGIN:VEVENT", description="x;y,z\\n\\")
@example(title="Kỷ niệm 69 năm Ngày thành lập Đảng Nhân dân Cách mạng Lào " * 4, description="Tết")
@example(title="Hồ sơ tại D:\\Ngoai-vu\\Nam 2025", description="\\N không phải xuống dòng")  # icalendar 7 bug
def test_text_round_trips_and_cannot_inject(title: str, description: str) -> None:
    body = feed_with(title, description, title)
    parsed = check_bytes(body)  # folding, UTF-8 per line, strict parse, icalendar byte round trip
    events = parsed.walk("VEVENT")
    assert len(events) == 1 and len(parsed.subcomponents) == 1
    (ev,) = events
    assert set(ev.keys()) == (PROPS if description else PROPS - {"DESCRIPTION"})  # empty: left out (libical)
    assert [c.name for c in ev.subcomponents] == ["VALARM"]
    assert str(ev["SUMMARY"]) == clean_text(title)
    assert str(ev.get("DESCRIPTION", "")) == clean_text(description)
    assert str(ev.subcomponents[0]["DESCRIPTION"]) == clean_text(title)
    assert str(ev["UID"]) == "e.t.20240301.all@reminderd" and ev["STATUS"] == "CONFIRMED"
    # And the strict parser, which is not the writer, reads the same text.
    (sev,) = strict(body).events
    assert sev.summary == clean_text(title)
    assert (sev.description or "") == clean_text(description)
    assert sev.uid == "e.t.20240301.all@reminderd"
    cal = icalendar.Calendar.from_ical(body)
    # VALUE=TEXT: parsers that do not know RFC 7986 NAME or the X- properties still read them
    # as TEXT (unescaped); without it icalendar and ical.js show the escapes.
    assert str(cal["NAME"]) == clean_text(title)
    assert str(cal["X-WR-CALNAME"]) == clean_text(title)
    assert unescape(_raw(body, b"X-WR-CALNAME;VALUE=TEXT:")) == clean_text(title)
    assert len(body.split(b"\r\nNAME;VALUE=TEXT:")) == 2


def _raw(body: bytes, prefix: bytes) -> str:
    unfolded = body.replace(b"\r\n ", b"")
    line = next(ln for ln in unfolded.split(b"\r\n") if ln.startswith(prefix))
    return line[len(prefix):].decode("utf-8")


@given(st.text(alphabet=st.sampled_from(["a", "ệ", " ", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "\x85", "\u2028",
                                         "\u2029", "\x0b"]), max_size=40))
def test_clean_text_skips_only_what_needs_no_change(text: str) -> None:
    """The fast path (no substitution when nothing needs one) gives what the two always did."""
    full = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", REPLACEMENT, re.sub(r"\r\n|\r|\n|\u2028|\u2029|\x85", "\n", text))
    assert clean_text(text) == full
