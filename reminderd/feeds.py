"""Plan → iCalendar feeds. Pure: data in, bytes out; no clock, no database.

A feed is named ``all``, ``department/<id>``, ``country/<CC>`` or ``tag/<tag>``.
``feed_items(plan, runtime, feed)`` selects and words its items; ``render`` turns
items stamped with SEQUENCE/LAST-MODIFIED (see ``feed_state``) into a VCALENDAR.

Every item is all-day (``DTSTART;VALUE=DATE`` with an exclusive ``DTEND``), so no
VTIMEZONE is needed; ``X-WR-TIMEZONE`` still tells clients the organisation's zone.

UIDs (docs/FEEDS.md): ``<event>.<YYYYMMDD>.<scope>@reminderd`` for an occurrence and
``<event>.<task>.<YYYYMMDD>.<scope>@reminderd`` for a task, from ids and the occurrence
date only — never titles. ``<scope>`` is the feed (``all``, ``department-so-ngoai-vu``,
``country-jp``, ``tag-quoc-khanh``): the same task is worded differently per feed
(lead/support marks), and clients such as Google Calendar misbehave when two
subscribed calendars share a UID.

``task_ics(task, runtime, now=…, feed=…)`` is the public entry point for the ``.ics``
attachment of a reminder e-mail: one VEVENT with the UID of the recipient department's
feed (``all`` by default), METHOD:PUBLISH.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import icalendar

from . import i18n
from .countries import country_name
from .feed_text import clean_text, t, tag_title
from .model import Occurrence, PlannedTask
from .plan import Plan, event_active
from .runtime import Runtime

PRODID = "-//reminderd//reminderd feeds 1.0//VI"
UID_DOMAIN = "reminderd"
FEED_KINDS = ("all", "department", "country", "tag")
_VALUE_RE = {"department": re.compile(r"^[a-z0-9][a-z0-9-]*$"),
             "tag": re.compile(r"^[a-z0-9][a-z0-9-]*$"),
             "country": re.compile(r"^[A-Z]{2}$")}
Role = Literal["owner", "support"]


class FeedNameError(ValueError):
    """A feed name that is not ``all``, ``department/<id>``, ``country/<CC>`` or ``tag/<tag>``."""


@dataclass(frozen=True, order=True)
class FeedName:
    kind: str
    value: str = ""

    def __str__(self) -> str:
        return self.kind if self.kind == "all" else f"{self.kind}/{self.value}"

    @property
    def scope(self) -> str:
        """The UID suffix: ``all``, ``department-so-ngoai-vu``, ``country-jp``."""
        return "all" if self.kind == "all" else f"{self.kind}-{self.value.lower()}"

    @property
    def path(self) -> str:
        """The URL path below the token: ``all.ics``, ``department/so-ngoai-vu.ics``."""
        return f"{self}.ics"


def parse_feed_name(text: str) -> FeedName:
    """``"department/so-ngoai-vu"`` → FeedName; a clear FeedNameError otherwise."""
    name = text.strip().removesuffix(".ics")
    if name == "all":
        return FeedName("all")
    kind, sep, value = name.partition("/")
    if not sep or kind not in _VALUE_RE:
        raise FeedNameError(f"{text!r}: tên lịch phải là all, department/<mã đơn vị>, "
                            "country/<mã nước>, hoặc tag/<nhãn>, ví dụ \"department/so-ngoai-vu\"")
    if kind == "country":
        value = value.upper()
    if not _VALUE_RE[kind].match(value):
        want = "mã ISO 3166-1 hai chữ cái, ví dụ JP" if kind == "country" else "dạng [a-z0-9][a-z0-9-]*"
        raise FeedNameError(f"{text!r}: {kind} cần {want}")
    return FeedName(kind, value)


def available_feeds(runtime: Runtime) -> list[FeedName]:
    """Every feed this config and catalog can serve: all, each department, country and tag."""
    cfg = runtime.config
    events = [e for e in runtime.catalog.events if event_active(e, cfg)]
    names = {FeedName("all")}
    names.update(FeedName("department", d.id) for d in cfg.departments)
    names.update(FeedName("country", e.country) for e in events if e.country)
    names.update(FeedName("tag", tag) for e in events for tag in e.tags)
    return sorted(names)


def public_feeds(runtime: Runtime, names: Sequence[FeedName] | None = None
                 ) -> tuple[set[str], list[str], list[str]]:
    """The config's ``[feeds] public`` names: (valid names, malformed entries, entries that
    match no department, country or tag of this catalog). ``check`` reports both lists."""
    known = {str(n) for n in (available_feeds(runtime) if names is None else names)}
    public: set[str] = set()
    errors: list[str] = []
    for text in runtime.config.get("feeds", "public"):
        try:
            public.add(str(parse_feed_name(text)))
        except ValueError as e:
            errors.append(f"[feeds] public: {e}")
    unmatched = [f"[feeds] public: {p!r}: không có lịch này (không đơn vị, nước hay nhãn nào khớp)"
                 for p in sorted(public - known)]
    return public, errors, unmatched


@dataclass(frozen=True)
class FeedItem:
    """One VEVENT, before SEQUENCE/LAST-MODIFIED are assigned. Pure content."""

    uid: str
    feed: str
    key: str  # the plan key: "event@date" or "event/task@date"
    start: dt.date
    end: dt.date  # exclusive
    summary: str
    description: str
    categories: tuple[str, ...] = ()
    alarm: str | None = None  # DISPLAY alarm text (tasks only)
    alarm_offset_minutes: int = 0  # after the start of the window start day
    status: str = "CONFIRMED"

    def content_hash(self) -> str:
        data = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, object]:
        # Spelled out: dataclasses.asdict deep-copies and dominated a large rebuild.
        return {"uid": self.uid, "feed": self.feed, "key": self.key, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "summary": self.summary, "description": self.description,
                "categories": list(self.categories), "alarm": self.alarm,
                "alarm_offset_minutes": self.alarm_offset_minutes, "status": self.status}

    @classmethod
    def from_json(cls, d: dict[str, object]) -> FeedItem:
        return cls(uid=str(d["uid"]), feed=str(d["feed"]), key=str(d["key"]),
                   start=dt.date.fromisoformat(str(d["start"])), end=dt.date.fromisoformat(str(d["end"])),
                   summary=str(d["summary"]), description=str(d["description"]),
                   categories=tuple(str(c) for c in d.get("categories") or ()),  # type: ignore[attr-defined]
                   alarm=None if d.get("alarm") is None else str(d["alarm"]),
                   alarm_offset_minutes=int(str(d.get("alarm_offset_minutes", 0))),
                   status=str(d.get("status", "CONFIRMED")))


@dataclass(frozen=True)
class Stamped:
    """A FeedItem with the SEQUENCE and LAST-MODIFIED that ``feed_state`` tracks."""

    item: FeedItem
    sequence: int
    last_modified: dt.datetime  # aware UTC


def occurrence_uid(occ: Occurrence, feed: FeedName) -> str:
    return f"{occ.event.id}.{occ.date:%Y%m%d}.{feed.scope}@{UID_DOMAIN}"


def task_uid(task: PlannedTask, feed: FeedName) -> str:
    return f"{task.event.id}.{task.rule.id}.{task.occurrence.date:%Y%m%d}.{feed.scope}@{UID_DOMAIN}"


def _date(lang: str, d: dt.date) -> str:
    return d.isoformat() if lang == "en" else f"{d.day:02d}/{d.month:02d}/{d.year}"


def _alarm_minutes(runtime: Runtime) -> int:
    """Alarms ring at the configured send time on the day the window opens."""
    send_at = runtime.config.sections.get("reminders", {}).get("send_at")
    return send_at.hour * 60 + send_at.minute if isinstance(send_at, dt.time) else 8 * 60


def occurrence_item(occ: Occurrence, runtime: Runtime, feed: FeedName) -> FeedItem:
    lang = runtime.config.language
    lines = []
    if occ.event.description:
        lines.append(occ.event.description)
    if occ.event.country:
        lines.append(t(lang, "event.country", country=occ.event.country))
    if occ.ordinal is not None:
        lines.append(t(lang, "event.ordinal", ordinal=occ.ordinal,
                       milestone=t(lang, "event.milestone") if occ.milestone else ""))
    if occ.provisional:  # a day not yet announced: the line says so and how it was estimated
        lines.append(occ.explain(lang))
    lines.append(t(lang, "ref", ref=occ.key))
    cats = (*occ.event.tags, *((occ.event.country,) if occ.event.country else ()))
    return FeedItem(uid=occurrence_uid(occ, feed), feed=str(feed), key=occ.key, start=occ.date,
                    end=occ.date + dt.timedelta(days=1), summary=clean_text(occ.title),
                    description=clean_text("\n".join(lines)), categories=tuple(clean_text(c) for c in cats))


def task_item(task: PlannedTask, runtime: Runtime, feed: FeedName, role: Role | None = None) -> FeedItem:
    cfg = runtime.config
    lang = cfg.language
    summary = t(lang, "task.summary", action=task.action, due=_date(lang, task.due))
    if role:
        summary = t(lang, f"role.prefix.{role}") + summary
    lead = task.rule.lead
    rule = i18n.t(lang, f"rule.{lead.unit}", far=lead.far, near=lead.near)
    lines = [task.action,
             t(lang, "task.event", title=task.occurrence.title, date=i18n.fmt_date(lang, task.occurrence.date)),
             t(lang, "task.owner", name=runtime.config.department_name(task.owner))]
    if task.support:
        lines.append(t(lang, "task.support", names=", ".join(runtime.config.department_name(s) for s in task.support)))
    lines.append(t(lang, "task.lead", lead=lead.text, rule=rule))
    lines.append(t(lang, "task.window", start=i18n.fmt_date(lang, task.window_start),
                   due=i18n.fmt_date(lang, task.due)))
    if role:
        lines.append(t(lang, f"task.role.{role}"))
    if task.provisional:
        lines.append(i18n.t(lang, "provisional.note", year=task.occurrence.date.year,
                            through=cfg.get("workdays", "confirmed_through")))
    if task.occurrence.provisional:
        lines.append(task.occurrence.explain(lang))
    if task.rule.note:
        lines.append(t(lang, "task.note", note=task.rule.note))
    lines.append(t(lang, "ref", ref=task.key))
    cats = (*task.event.tags, *((task.event.country,) if task.event.country else ()))
    summary = clean_text(summary)
    return FeedItem(uid=task_uid(task, feed), feed=str(feed), key=task.key, start=task.window_start,
                    end=task.due + dt.timedelta(days=1), summary=summary,
                    description=clean_text("\n".join(lines)), categories=tuple(clean_text(c) for c in cats),
                    alarm=t(lang, "task.alarm", summary=summary), alarm_offset_minutes=_alarm_minutes(runtime))


def feed_items(plan: Plan, runtime: Runtime, feed: FeedName,
               _shared: dict[tuple[str, str], FeedItem] | None = None) -> list[FeedItem]:
    """The items of one feed, sorted by start date and UID.

    ``_shared`` (from ``items_for_feeds``) lets feeds reuse an item worded once: the same task
    reads the same in ``all``, ``country/…`` and ``tag/…``, and only its UID differs.
    """
    shared = {} if _shared is None else _shared

    def occ_item(o: Occurrence) -> FeedItem:
        base = shared.get((o.key, ""))
        if base is None:
            base = shared[(o.key, "")] = occurrence_item(o, runtime, feed)
        return replace(base, uid=occurrence_uid(o, feed), feed=str(feed))

    def tk_item(task: PlannedTask, role: Role | None) -> FeedItem:
        base = shared.get((task.key, role or ""))
        if base is None:
            base = shared[(task.key, role or "")] = task_item(task, runtime, feed, role)
        return replace(base, uid=task_uid(task, feed), feed=str(feed))

    items: list[FeedItem] = []
    if feed.kind == "department":
        # A department replaced by another (config `replaced_by`): its old link shows the work
        # of the department that does it now.
        dep = runtime.config.current_department(feed.value)
        occs: dict[str, Occurrence] = {}
        for task in plan.tasks:
            role: Role | None = ("owner" if task.owner == dep
                                 else "support" if dep in task.support else None)
            if role:
                items.append(tk_item(task, role))
                occs[task.occurrence.key] = task.occurrence
        items.extend(occ_item(o) for o in occs.values())
    else:
        def wanted(o: Occurrence) -> bool:
            if feed.kind == "country":
                return o.event.country == feed.value
            return feed.kind == "all" or feed.value in o.event.tags
        items.extend(occ_item(o) for o in plan.occurrences if wanted(o))
        items.extend(tk_item(task, None) for task in plan.tasks if wanted(task.occurrence))
    items.sort(key=lambda i: (i.start, i.uid))
    return items


@dataclass(frozen=True)
class FeedMeta:
    """Calendar-level properties."""

    name: str
    description: str
    timezone: str
    refresh_hours: int
    language: str = "vi"
    extra: dict[str, str] = field(default_factory=dict)


def feed_meta(runtime: Runtime, feed: FeedName) -> FeedMeta:
    cfg = runtime.config
    lang = cfg.language
    if feed.kind == "department":
        name = runtime.config.department_name(runtime.config.current_department(feed.value))
    elif feed.kind == "country":
        name = country_name(feed.value, lang)
    elif feed.kind == "tag":
        name = tag_title(feed.value, lang)
    else:
        name = feed.value
    values = {"org": cfg.org_name, "name": name, "value": feed.value}
    # Config names (organisation, department) are text like any other: control characters out.
    return FeedMeta(name=clean_text(t(lang, f"cal.{feed.kind}", **values)),
                    description=clean_text(t(lang, f"desc.{feed.kind}", **values)),
                    timezone=str(cfg.get("organization", "timezone")),
                    refresh_hours=max(1, int(cfg.get("feeds", "refresh_hours"))), language=lang)


class _Text(icalendar.vText):
    """RFC 5545 §3.3.11 TEXT, escaped exactly: backslash first, then ``;`` ``,`` and line breaks.

    icalendar 7 first rewrites a literal backslash-N into a newline, which corrupts text such
    as ``D:\\Ngoai-vu`` (found by the round-trip property test); this escapes what it is given.
    """

    def to_ical(self) -> bytes:
        return _esc(str(self)).encode("utf-8")


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
    ev.add("description", _Text(it.description))
    if it.categories:
        ev.add("categories", [_Text(c) for c in it.categories])
    ev.add("status", it.status)
    # All-day reminders must not block anyone's free/busy time.
    ev.add("transp", "TRANSPARENT")
    ev.add("x-microsoft-cdo-busystatus", icalendar.vText("FREE"))
    if it.alarm is not None and it.status != "CANCELLED":
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _Text(it.alarm))
        alarm.add("trigger", dt.timedelta(minutes=it.alarm_offset_minutes))
        ev.add_component(alarm)
    return ev


def render(meta: FeedMeta, items: Iterable[Stamped], *, method: str | None = None,
           dtstamp: dt.datetime | None = None) -> bytes:
    """A VCALENDAR. Without ``dtstamp``, each item's DTSTAMP is its LAST-MODIFIED (RFC 5545
    §3.8.7.2 for objects without METHOD), so the bytes — and the ETag — only change when
    the content does."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("name", _Text(meta.name))
    cal.add("x-wr-calname", _Text(meta.name))
    cal.add("description", _Text(meta.description))
    cal.add("x-wr-caldesc", _Text(meta.description))
    cal.add("x-wr-timezone", meta.timezone)
    refresh = dt.timedelta(hours=meta.refresh_hours)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh))
    # Serialising with icalendar dominates a rebuild, and between rebuilds almost every
    # VEVENT is unchanged: splice cached per-event bytes into the calendar's envelope.
    # The result is byte-identical to cal.to_ical() with the events added (golden tests).
    envelope = bytes(cal.to_ical())
    assert envelope.endswith(_END_VCALENDAR)
    events = b"".join(_vevent_bytes(s, dtstamp or s.last_modified) for s in items)
    return envelope[: -len(_END_VCALENDAR)] + events + _END_VCALENDAR


_END_VCALENDAR = b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=200_000)
def _vevent_bytes(s: Stamped, dtstamp: dt.datetime) -> bytes:
    return _vevent_ical(s, dtstamp)


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


@functools.lru_cache(maxsize=64)
def _duration(minutes: int) -> bytes:
    return bytes(icalendar.vDuration(dt.timedelta(minutes=minutes)).to_ical())  # type: ignore[no-untyped-call]


def _vevent_ical(s: Stamped, dtstamp: dt.datetime) -> bytes:
    it = s.item
    lines = [b"BEGIN:VEVENT",
             _fold("SUMMARY:" + _esc(it.summary)),
             f"DTSTART;VALUE=DATE:{it.start:%Y%m%d}".encode(),
             f"DTEND;VALUE=DATE:{it.end:%Y%m%d}".encode(),
             b"DTSTAMP:" + _utc(dtstamp),
             _fold("UID:" + _esc(it.uid)),
             b"SEQUENCE:%d" % s.sequence]
    if it.categories:
        lines.append(_fold("CATEGORIES:" + ",".join(_esc(c) for c in it.categories)))
    lines += [_fold("DESCRIPTION:" + _esc(it.description)),
              b"LAST-MODIFIED:" + _utc(s.last_modified),
              _fold("STATUS:" + _esc(it.status)),
              b"TRANSP:TRANSPARENT",
              b"X-MICROSOFT-CDO-BUSYSTATUS:FREE"]
    if it.alarm is not None and it.status != "CANCELLED":
        lines += [b"BEGIN:VALARM", b"ACTION:DISPLAY", _fold("DESCRIPTION:" + _esc(it.alarm)),
                  b"TRIGGER:" + _duration(it.alarm_offset_minutes), b"END:VALARM"]
    lines.append(b"END:VEVENT\r\n")
    return b"\r\n".join(lines)


def task_ics(task: PlannedTask, runtime: Runtime, *, now: dt.datetime, sequence: int = 0,
             role: Role | None = None, feed: FeedName | None = None) -> bytes:
    """The ``.ics`` attachment for one task (stable API for the mailer).

    ``now`` (aware) is the DTSTAMP and LAST-MODIFIED; the UID is the task's UID in ``feed``
    (default ``all``) — for a mail to a department, that department's feed, the one its
    staff subscribe to, so importing the attachment updates the subscribed event instead
    of duplicating it. ``role`` words it for a department ("[Chủ trì]"/"[Phối hợp]");
    ``sequence`` lets a correction mail supersede an earlier attachment.
    """
    feed = feed or FeedName("all")
    item = task_item(task, runtime, feed, role)
    meta = feed_meta(runtime, feed)
    return render(meta, [Stamped(item, sequence, now.astimezone(dt.UTC))], method="PUBLISH",
                  dtstamp=now.astimezone(dt.UTC))


def items_for_feeds(plan: Plan, runtime: Runtime, feeds: Sequence[FeedName]) -> dict[str, list[FeedItem]]:
    shared: dict[tuple[str, str], FeedItem] = {}
    return {str(f): feed_items(plan, runtime, f, shared) for f in feeds}
