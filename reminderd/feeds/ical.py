"""Entries to iCalendar bytes: a feed's envelope and each VEVENT made from shared parts, the
whole-feed ``render``, and the mail attachment ``task_ics`` with the registry of what the
running feeds publish."""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from email.utils import parseaddr

import icalendar

from ..countries import country_name
from ..model import PlannedTask
from ..runtime import Runtime
from .items import FeedItem, Stamped, task_item, task_uid
from .names import Entry, FeedName, Role, uid_domain
from .text import clean_text, t, tag_title

PRODID = "-//reminderd//reminderd feeds 1.0//VI"


@dataclass(frozen=True)
class FeedMeta:
    """Calendar-level properties."""

    name: str
    description: str
    timezone: str
    refresh_hours: int
    language: str = "vi"
    short_name: str = ""  # the URL's last segment and the WebDAV display name
    extra: dict[str, str] = field(default_factory=dict)


def feed_title(runtime: Runtime, feed: FeedName) -> str:
    """What people call the feed: the department's, the country's or the tag's own name."""
    cfg = runtime.config
    lang = cfg.language
    if feed.kind == "department":  # a replaced department's link: the one that does the work now
        return cfg.department_name(cfg.current_department(feed.value))
    if feed.kind == "country":
        return country_name(feed.value, lang)
    if feed.kind == "tag":
        return tag_title(feed.value, lang)
    return t(lang, "short.all")


def feed_meta(runtime: Runtime, feed: FeedName) -> FeedMeta:
    cfg = runtime.config
    lang = cfg.language
    name = feed_title(runtime, feed)
    values = {"org": cfg.org_name, "name": name, "value": feed.value}
    # Config names (organisation, department) are text like any other: control characters out.
    return FeedMeta(name=clean_text(t(lang, f"cal.{feed.kind}", **values)),
                    description=clean_text(t(lang, f"desc.{feed.kind}", **values)),
                    timezone=str(cfg.get("organization", "timezone")),
                    refresh_hours=max(1, int(cfg.get("feeds", "refresh_hours"))), language=lang,
                    short_name=clean_text(name))


class _Text(icalendar.vText):
    """RFC 5545 §3.3.11 TEXT, escaped exactly: backslash first, then ``;`` ``,`` and line breaks.

    icalendar 7 first rewrites a literal backslash-N into a newline, which corrupts text such
    as ``D:\\Ngoai-vu`` (found by the round-trip property test); this escapes what it is given.
    """

    def to_ical(self) -> bytes:
        return _esc(str(self)).encode("utf-8")


class _Categories(icalendar.vCategory):
    """CATEGORIES whose every category is ``_Text``: icalendar wraps each in its own ``vText``
    otherwise (a tag titled with a backslash-N read back as a line break; found by the property
    test against the fast writer)."""

    def __init__(self, categories: tuple[str, ...]) -> None:
        super().__init__([])
        self.cats = [_Text(c) for c in categories]


_TEXT = {"VALUE": "TEXT"}


def _vevent(s: Stamped, dtstamp: dt.datetime) -> icalendar.Event:
    it = s.item
    ev = icalendar.Event()
    ev.add("uid", it.uid)
    ev.add("dtstamp", dtstamp)
    ev.add("last-modified", s.last_modified)
    ev.add("sequence", s.sequence)
    ev.add("dtstart", it.start)
    ev.add("dtend", it.end)
    ev.add("summary", _Text(it.summary))
    if it.description:  # an empty DESCRIPTION is an error to libical
        ev.add("description", _Text(it.description))
    if it.categories:
        ev.add("categories", _Categories(it.categories))
    ev.add("status", it.status)
    # All-day reminders must not block anyone's free/busy time.
    ev.add("transp", "TRANSPARENT")
    ev.add("x-microsoft-cdo-busystatus", icalendar.vText("FREE"))
    if it.alarm is not None and it.alarm_at is not None and it.status != "CANCELLED":
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _Text(it.alarm))
        alarm.add("trigger", it.alarm_at.astimezone(dt.UTC), parameters={"VALUE": "DATE-TIME"})
        ev.add_component(alarm)
    return ev


def _calendar(method: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def render(meta: FeedMeta, items: Iterable[Stamped], *, dtstamp: dt.datetime | None = None) -> bytes:
    """A VCALENDAR of the published items (``hidden`` ones left out). Without ``dtstamp``, each
    item's DTSTAMP is its LAST-MODIFIED (RFC 5545 §3.8.7.2 for objects without METHOD), so the
    bytes — and the ETag — only change when the content does."""
    head, tail = envelope(meta)
    # Serialising with icalendar dominates a rebuild: the VEVENTs are written directly, byte-
    # identical to cal.to_ical() with the events added (golden tests, a property test).
    stamp = _utc(dtstamp) if dtstamp else None
    events = b"".join(vevent_bytes(vevent_parts(s.item), s.item.uid, s.sequence, _utc(s.last_modified), stamp)
                      for s in items if not s.item.hidden)
    return head + events + tail


_END_VCALENDAR = b"END:VCALENDAR\r\n"


# icalendar's Component.to_ical costs about 1 ms per VEVENT (property objects, parameters,
# sorting); a 10,000-event catalog has ~350,000 feed items. `_vevent_ical` writes the same
# bytes directly — a property test and the golden files hold it byte-identical to
# `_vevent(...).to_ical()`, which stays the reference (and builds the e-mail attachment).


def _fold(line: str) -> bytes:
    """RFC 5545 §3.1 folding as icalendar 7 does it: each line at most 74 octets of content,
    never broken inside a UTF-8 sequence, a backslash (or ``^``) escape kept on one line."""
    b = line.encode("utf-8")
    if len(b) <= 74:
        return b  # most lines
    parts: list[bytes] = []
    i, n = 0, len(b)
    while n - i > 74:
        end = i + 74
        while b[end] & 0xC0 == 0x80:  # a continuation byte: break before its character
            end -= 1
        if end - 1 > i and b[end - 1] in b"\\^":
            end -= 1
        parts.append(b[i:end])
        i = end
    parts.append(b[i:])
    return b"\r\n ".join(parts)


def _esc(text: str) -> str:
    s = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _utc(d: dt.datetime) -> bytes:
    return d.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ").encode()


def _vevent_ical(s: Stamped, dtstamp: dt.datetime) -> bytes:
    return vevent_bytes(vevent_parts(s.item), s.item.uid, s.sequence, _utc(s.last_modified), _utc(dtstamp))


Parts = tuple[bytes, bytes, bytes]


def vevent_parts(it: FeedItem) -> Parts:
    """A VEVENT's bytes around what differs between feeds and versions (UID, SEQUENCE,
    DTSTAMP, LAST-MODIFIED): the same item in several feeds is escaped and folded once."""
    head = b"\r\n".join([b"BEGIN:VEVENT", _fold("SUMMARY:" + _esc(it.summary)),
                          f"DTSTART;VALUE=DATE:{it.start:%Y%m%d}".encode(),
                          f"DTEND;VALUE=DATE:{it.end:%Y%m%d}".encode(), b"DTSTAMP:"])
    mid = []
    if it.categories:
        mid.append(_fold("CATEGORIES:" + ",".join(_esc(c) for c in it.categories)))
    if it.description:
        mid.append(_fold("DESCRIPTION:" + _esc(it.description)))
    mid.append(b"LAST-MODIFIED:")
    tail = [b"", _fold("STATUS:" + _esc(it.status)), b"TRANSP:TRANSPARENT", b"X-MICROSOFT-CDO-BUSYSTATUS:FREE"]
    if it.alarm is not None and it.alarm_at is not None and it.status != "CANCELLED":
        tail += [b"BEGIN:VALARM", b"ACTION:DISPLAY", _fold("DESCRIPTION:" + _esc(it.alarm)),
                 b"TRIGGER;VALUE=DATE-TIME:" + _utc(it.alarm_at), b"END:VALARM"]
    tail.append(b"END:VEVENT\r\n")
    return head, b"\r\n".join(mid), b"\r\n".join(tail)


def uid_line(uid: str) -> bytes:
    return _fold("UID:" + _esc(uid))


def vevent_bytes(parts: Parts, uid: str, sequence: int, last_modified: bytes, dtstamp: bytes | None = None) -> bytes:
    """The VEVENT of ``parts`` with this UID and stamps (``_utc`` bytes; DTSTAMP defaults to
    LAST-MODIFIED, as ``render`` writes it)."""
    head, mid, tail = parts
    return b"".join((head, dtstamp or last_modified, b"\r\n", uid_line(uid), b"\r\nSEQUENCE:%d\r\n" % sequence,
                     mid, last_modified, tail))


def envelope(meta: FeedMeta) -> tuple[bytes, bytes]:
    """The calendar's bytes before and after its VEVENTs."""
    cal = _calendar()
    # VALUE=TEXT on the calendar's names: without it Mozilla's ical.js (Thunderbird's parser)
    # treats NAME and the X- properties as unknown and shows "Sở Văn hóa\, Thể thao" as escaped.
    cal.add("name", _Text(meta.name), parameters=_TEXT)
    cal.add("x-wr-calname", _Text(meta.name), parameters=_TEXT)
    cal.add("description", _Text(meta.description), parameters=_TEXT)
    cal.add("x-wr-caldesc", _Text(meta.description), parameters=_TEXT)
    cal.add("x-wr-timezone", meta.timezone)
    refresh = dt.timedelta(hours=meta.refresh_hours)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh))
    whole = bytes(cal.to_ical())
    assert whole.endswith(_END_VCALENDAR)
    return whole[: -len(_END_VCALENDAR)], _END_VCALENDAR


# ---- the mail attachment ----------------------------------------------------------------------

# Where task_ics finds what the feeds publish: each running FeedCache registers its lookup
# (uid → Stamped), so an attachment carries the subscribed feed's content and SEQUENCE for the
# same UID. Without one (export, tests) the entry is built afresh with the given sequence.
_published: list[weakref.WeakMethod[Callable[[str, dt.date], Stamped | None]]] = []


def register_published(lookup: Callable[[str, dt.date], Stamped | None]) -> None:
    """Register a bound method (held weakly: a cache that is gone is forgotten)."""
    _published[:] = [w for w in _published if w() is not None]
    _published.append(weakref.WeakMethod(lookup))


def published(uid: str, day: dt.date) -> Stamped | None:
    """The entry of ``uid`` (on ``day``) as a running feed cache publishes it, if any."""
    for ref in reversed(_published):
        lookup = ref()
        found = lookup(uid, day) if lookup is not None else None
        if found is not None:
            return found
    return None


def organizer(runtime: Runtime) -> tuple[str, str] | None:
    """(display name, address) of ``[smtp] sender``: the ORGANIZER of a PUBLISH attachment."""
    name, addr = parseaddr(str(runtime.config.get("smtp", "sender") or ""))
    return (name, addr) if "@" in addr else None


def task_ics(task: PlannedTask, runtime: Runtime, *, now: dt.datetime, sequence: int = 0,
             role: Role | None = None, feed: FeedName | None = None, entry: Entry = "due") -> bytes:
    """The ``.ics`` attachment for one task (stable API for the mailer).

    One VEVENT: the task's due-day entry (``entry="open"``: the day its window opens) with the
    UID it has in ``feed`` (default ``all``) — for a mail to a department, that department's
    feed, the one its staff subscribe to. When a running feed cache publishes that UID, its
    content and SEQUENCE are used as they are (the feed and the attachment never disagree);
    otherwise the entry is worded afresh and ``sequence`` is its SEQUENCE. ``role`` words it for
    a department ("[Phối hợp]"). RFC 5546 PUBLISH: METHOD, and an ORGANIZER (``[smtp] sender``);
    no calendar-level name or refresh interval, which do not belong in a one-event file.
    """
    feed = (feed or FeedName("all")).base
    if entry == "open" and task.window_start == task.due:
        entry = "due"
    stamped = published(task_uid(task, feed, uid_domain(runtime), entry),
                        task.window_start if entry == "open" else task.due)
    if stamped is None:
        item = task_item(task, runtime, feed, role, entry)
        stamped = Stamped(item, sequence, now.astimezone(dt.UTC))
    cal = _calendar("PUBLISH")
    ev = _vevent(replace(stamped, item=replace(stamped.item, hidden=False)), now.astimezone(dt.UTC))
    org = organizer(runtime)
    if org is not None:
        params = {"CN": org[0]} if org[0] else {}
        ev.add("organizer", f"mailto:{org[1]}", parameters=params)
    cal.add_component(ev)
    return bytes(cal.to_ical())
