"""Plan → iCalendar feeds. Pure: data in, bytes out; no clock, no database.

A feed is named ``all``, ``department/<id>``, ``country/<CC>`` or ``tag/<tag>``, in one of two
layouts. ``feed_items(plan, runtime, feed, done=…, today=…)`` selects and words its items;
``render`` turns items stamped with SEQUENCE/LAST-MODIFIED (see ``feed_state``) into a VCALENDAR.

**Layouts** (docs/FEEDS.md). ``days`` (the default): a task is a one-day entry on its due day
("Hạn: …") and, when its window is longer than a day, a one-day entry on the day it opens
("Bắt đầu: …"); a month view then shows what is due on each day instead of a wall of bars.
On a busy day (more than ``BUSY_DAY`` entries of one kind in one feed) those entries are
folded into one that lists them; the folded ones stay tracked (``hidden``) so that the mail
attachment of such a task still has a SEQUENCE, but are not published. ``bars`` (asked for
with ``?layout=bars``): one entry per task spanning its window, as before.

Every item is all-day (``DTSTART;VALUE=DATE`` with an exclusive ``DTEND``), so no
VTIMEZONE is needed; ``X-WR-TIMEZONE`` still tells clients the organisation's zone.

**UIDs** come from ids and the occurrence date only — never titles — and end in the
installation's domain (``uid_domain``: the host of ``[http] base_url``, or one made from the
organisation's name when that host is an address), so two provinces publishing the same
catalog never share a UID::

    <event>.<YYYYMMDD>.<scope>@<domain>                    an event
    <event>.<task>.<YYYYMMDD>.due.<scope>@<domain>         a task's due day
    <event>.<task>.<YYYYMMDD>.open.<scope>@<domain>        the day its window opens
    <event>.<task>.<YYYYMMDD>.<scope>.bars@<domain>        a task in the bars layout
    _day.<YYYYMMDD>.<due|open|event>[.support].<scope>@<domain>   a busy day's folded entry

``<scope>`` is the feed (``all``, ``department-so-ngoai-vu``, ``country-jp``,
``tag-quoc-khanh``; ``….bars`` in the bars layout): the same task is worded differently per
feed, and clients such as Google Calendar misbehave when two subscribed calendars share a UID.

**Alarms** only where they belong to the reader: in a department's feed, on the entries it
leads (``[feeds] support_alarms`` adds the ones it supports), at ``[reminders] send_at`` on the
entry's day as a DATE-TIME trigger (apps show the date and time, not "8 hours after the
start"), never on a done task, and never for a day already past (``today``), so that a new
subscriber gets no burst of old reminders.

**Done** (``done``: the acknowledgements) marks a task's entries "✓" with when, and who only in a
department's own feed (people's names are personal data; ``all``, country, tag and public feeds
say what and when).

``task_ics(task, runtime, now=…, feed=…)`` is the public entry point for the ``.ics``
attachment of a reminder e-mail: the task's due-day VEVENT as the recipient department's feed
publishes it (same UID, content and SEQUENCE), METHOD:PUBLISH with an ORGANIZER.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import json
import re
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from email.utils import parseaddr
from typing import Literal, NamedTuple, cast
from urllib.parse import urlsplit

import icalendar

from . import i18n
from .config import Config
from .countries import country_name
from .feed_text import clean_text, t, tag_title
from .model import Lead, Occurrence, PlannedTask
from .plan import Plan, event_active
from .runtime import Runtime

PRODID = "-//reminderd//reminderd feeds 1.0//VI"
FEED_KINDS = ("all", "department", "country", "tag")
LAYOUTS = ("days", "bars")
BUSY_DAY = 3  # more entries than this of one kind on one day in one feed are folded into one
_VALUE_RE = {"department": re.compile(r"^[a-z0-9][a-z0-9-]*$"),
             "tag": re.compile(r"^[a-z0-9][a-z0-9-]*$"),
             "country": re.compile(r"^[A-Z]{2}$")}
Role = Literal["owner", "support"]
Entry = Literal["due", "open"]


class FeedNameError(ValueError):
    """A feed name that is not ``all``, ``department/<id>``, ``country/<CC>`` or ``tag/<tag>``."""


@dataclass(frozen=True, order=True)
class FeedName:
    kind: str
    value: str = ""
    layout: str = "days"  # "bars": one entry per task over its whole window (``?layout=bars``)

    def __str__(self) -> str:
        base = self.kind if self.kind == "all" else f"{self.kind}/{self.value}"
        return base if self.layout == "days" else f"{base}?layout={self.layout}"

    @property
    def base(self) -> FeedName:
        """The feed in the default layout: what a token's scope names."""
        return self if self.layout == "days" else FeedName(self.kind, self.value)

    @property
    def scope(self) -> str:
        """The UID suffix: ``all``, ``department-so-ngoai-vu``, ``country-jp``, ``all.bars``."""
        base = "all" if self.kind == "all" else f"{self.kind}-{self.value.lower()}"
        return base if self.layout == "days" else f"{base}.{self.layout}"

    @property
    def path(self) -> str:
        """The short URL path below the token: ``all.ics``, ``department/so-ngoai-vu.ics``."""
        return f"{self.base}.ics"


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


def with_layout(name: FeedName, layout: str) -> FeedName:
    if layout not in LAYOUTS:
        raise FeedNameError(f"layout={layout!r}: cần một trong {', '.join(LAYOUTS)}")
    return FeedName(name.kind, name.value, layout)


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


# ---- the installation's UID domain ---------------------------------------------------------

def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "reminderd"


@functools.lru_cache(maxsize=64)
def _uid_domain(base_url: str, org: str) -> str:
    host = (urlsplit(base_url).hostname or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        is_address = True
    except ValueError:
        is_address = False
    if host and "." in host and not is_address and not host.endswith((".localhost", ".local")):
        return host
    # An address or localhost is no name for the installation: two provinces can both run on
    # 10.0.0.5. The organisation's name is theirs alone.
    return f"{_slug(org)}.reminderd"


def uid_domain(runtime: Runtime | Config) -> str:
    """What every UID of this installation ends in (after ``@``): the host of ``[http]
    base_url`` when it is a DNS name, else ``<organisation-name-slug>.reminderd``."""
    cfg = runtime if isinstance(runtime, Config) else runtime.config
    return _uid_domain(str(cfg.get("http", "base_url")), cfg.org_name)


# ---- items -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedItem:
    """One VEVENT, before SEQUENCE/LAST-MODIFIED are assigned. Pure content."""

    uid: str
    feed: str
    key: str  # the plan key ("event@date" or "event/task@date"); a folded day's "_day@date/kind"
    start: dt.date
    end: dt.date  # exclusive
    summary: str
    description: str
    categories: tuple[str, ...] = ()
    alarm: str | None = None  # DISPLAY alarm text
    alarm_at: dt.datetime | None = None  # aware UTC: when the alarm rings (with ``alarm``)
    status: str = "CONFIRMED"
    hidden: bool = False  # folded into a busy day's entry: tracked, not published

    def content_hash(self) -> str:
        data = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, object]:
        # Spelled out: dataclasses.asdict deep-copies and dominated a large rebuild.
        return {"uid": self.uid, "feed": self.feed, "key": self.key, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "summary": self.summary, "description": self.description,
                "categories": list(self.categories), "alarm": self.alarm,
                "alarm_at": self.alarm_at.isoformat() if self.alarm_at else None, "status": self.status,
                "hidden": self.hidden}

    @classmethod
    def from_json(cls, d: dict[str, object]) -> FeedItem:
        # Rows written before alarms were DATE-TIMEs carry "alarm_offset_minutes": such a row is
        # only ever read back to publish its cancellation, which has no alarm.
        at = d.get("alarm_at")
        return cls(uid=str(d["uid"]), feed=str(d["feed"]), key=str(d["key"]),
                   start=dt.date.fromisoformat(str(d["start"])), end=dt.date.fromisoformat(str(d["end"])),
                   summary=str(d["summary"]), description=str(d["description"]),
                   categories=tuple(str(c) for c in d.get("categories") or ()),  # type: ignore[attr-defined]
                   alarm=None if d.get("alarm") is None or not at else str(d["alarm"]),
                   alarm_at=dt.datetime.fromisoformat(str(at)) if at else None,
                   status=str(d.get("status", "CONFIRMED")), hidden=bool(d.get("hidden", False)))


@dataclass(frozen=True)
class Stamped:
    """A FeedItem with the SEQUENCE and LAST-MODIFIED that ``feed_state`` tracks."""

    item: FeedItem
    sequence: int
    last_modified: dt.datetime  # aware UTC


@dataclass(frozen=True)
class Done:
    """An acknowledgement as the feeds show it (``acks.Ack`` without the link's nonce)."""

    at: dt.datetime  # aware
    by: str
    via: str
    note: str = ""


DoneMap = Mapping[tuple[str, str, int], Done]  # PlannedTask.ack_key → Done


def occurrence_uid(occ: Occurrence, feed: FeedName, domain: str) -> str:
    return f"{occ.event.id}.{occ.date:%Y%m%d}.{feed.scope}@{domain}"


def task_uid(task: PlannedTask, feed: FeedName, domain: str, entry: Entry = "due") -> str:
    """The UID of a task's entry: its due day or the day it opens (``bars``: the one bar)."""
    base = f"{task.event.id}.{task.rule.id}.{task.occurrence.date:%Y%m%d}"
    return f"{base}.{feed.scope}@{domain}" if feed.layout == "bars" else f"{base}.{entry}.{feed.scope}@{domain}"


def _day_uid(day: dt.date, what: str, feed: FeedName, domain: str) -> str:
    """A folded entry's UID: ``what`` is due, open or event (a busy day), or due.<event id>."""
    return f"_day.{day:%Y%m%d}.{what}.{feed.scope}@{domain}"


def _date(lang: str, d: dt.date) -> str:
    return d.isoformat() if lang == "en" else f"{d.day:02d}/{d.month:02d}/{d.year}"


def _short_date(lang: str, d: dt.date) -> str:
    return f"{d:%m-%d}" if lang == "en" else f"{d.day:02d}/{d.month:02d}"


def _send_at(runtime: Runtime) -> dt.time:
    send_at = runtime.config.sections.get("reminders", {}).get("send_at")
    return send_at if isinstance(send_at, dt.time) else dt.time(8, 0)


def alarm_time(runtime: Runtime, day: dt.date) -> dt.datetime:
    """When an entry on ``day`` rings: ``[reminders] send_at`` that day (as the e-mail), in UTC."""
    local = dt.datetime.combine(day, _send_at(runtime), tzinfo=runtime.config.tz)
    return local.astimezone(dt.UTC)


def lead_words(lang: str, lead: Lead, event_date: dt.date) -> str:
    """"5–7 ngày làm việc trước ngày sự kiện (Thứ Năm 24/12/2026)" — the lead in words."""
    n = str(lead.near) if lead.near == lead.far else f"{lead.near}–{lead.far}"
    date = i18n.fmt_date(lang, event_date)
    if lead.unit == "wd" and lead.far == 0:
        return t(lang, "lead.wd0", date=date)
    return t(lang, f"lead.{lead.unit}", n=n, date=date)


SUMMARY_WORDS = 64  # characters of an action or event title in a SUMMARY; the DESCRIPTION has it all


def short(text: str, limit: int = SUMMARY_WORDS) -> str:
    """``text`` in at most ``limit`` characters, cut at a word and marked "…": a calendar
    shows a title in a box (a week view wraps it line after line); the description has it all."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    head, sep, _ = cut.rpartition(" ")
    if sep and len(head) >= limit // 2:
        cut = head
    return cut.rstrip(" ,;:.-–—(") + "…"


def _categories(runtime: Runtime, tags: Iterable[str], country: str | None) -> tuple[str, ...]:
    return _cats(runtime.config.language, tuple(tags), country)


@functools.lru_cache(maxsize=4096)
def _cats(lang: str, tags: tuple[str, ...], country: str | None) -> tuple[str, ...]:
    cats = [tag_title(tag, lang) for tag in tags]
    if country:
        cats.append(country_name(country, lang))
    return tuple(clean_text(c) for c in cats)


def occurrence_item(occ: Occurrence, runtime: Runtime, feed: FeedName, domain: str | None = None) -> FeedItem:
    lang = runtime.config.language
    summary = short(occ.title)
    lines = [occ.title] if summary != " ".join(occ.title.split()) else []
    if occ.event.description:
        lines.append(occ.event.description)
    if occ.event.country:
        lines.append(t(lang, "event.country", country=country_name(occ.event.country, lang)))
    if occ.ordinal is not None:
        lines.append(t(lang, "event.ordinal", ordinal=occ.ordinal,
                       milestone=t(lang, "event.milestone") if occ.milestone else ""))
    if occ.provisional:  # a day not yet announced: the line says so and how it was estimated
        lines.append(occ.explain(lang))
    return FeedItem(uid=occurrence_uid(occ, feed, domain or uid_domain(runtime)), feed=str(feed), key=occ.key,
                    start=occ.date, end=occ.date + dt.timedelta(days=1), summary=clean_text(summary),
                    description=clean_text("\n".join(lines)),
                    categories=_categories(runtime, occ.event.tags, occ.event.country))


def _task_parts(task: PlannedTask, runtime: Runtime) -> tuple[list[str], list[str]]:
    """The lines of a task's description before and after the reader's role."""
    cfg = runtime.config
    lang = cfg.language
    lines = [task.action,
             t(lang, "task.event", title=task.occurrence.title, date=_fmt_date(lang, task.occurrence.date)),
             t(lang, "task.owner", name=cfg.department_name(task.owner))]
    if task.support:
        lines.append(t(lang, "task.support", names=", ".join(cfg.department_name(s) for s in task.support)))
    lines.append(t(lang, "task.lead", words=lead_words(lang, task.rule.lead, task.occurrence.date)))
    if task.window_start < task.due:
        lines.append(t(lang, "task.window", start=_fmt_date(lang, task.window_start),
                       due=_fmt_date(lang, task.due)))
    else:
        lines.append(t(lang, "task.window.one", due=_fmt_date(lang, task.due)))
    tail = []
    if task.provisional:
        tail.append(t(lang, "task.provisional", year=task.occurrence.date.year))
    if task.occurrence.provisional:
        tail.append(task.occurrence.explain(lang))
    if task.rule.note:
        tail.append(t(lang, "task.note", note=task.rule.note))
    return lines, tail


_fmt_date = functools.lru_cache(maxsize=8192)(i18n.fmt_date)


def forget_caches() -> None:
    """Drop what a build memoised. Its entries are made among the build's scratch objects and
    would keep the memory those leave behind from going back to the OS (~60 MB of a 10,000-event
    catalog's resident size)."""
    _fmt_date.cache_clear()
    _cats.cache_clear()


def task_item(task: PlannedTask, runtime: Runtime, feed: FeedName, role: Role | None = None,
              entry: Entry = "due", domain: str | None = None,
              _words: dict[tuple[object, ...], object] | None = None) -> FeedItem:
    """One entry of a task, before the per-feed passes (owner names, busy days, done, alarms).

    ``_words`` (a build's cache) keeps what every entry of a task shares: its description's
    lines, its short title and its categories, worded once for all its entries and roles.
    """
    lang = runtime.config.language
    words: dict[tuple[object, ...], object] = {} if _words is None else _words
    k = ("w", task.key)
    got = words.get(k)
    if got is None:
        cat_key = ("c", task.event.tags, task.event.country)
        cats = words.get(cat_key)
        if cats is None:
            cats = words[cat_key] = _categories(runtime, task.event.tags, task.event.country)
        got = words[k] = (*_task_parts(task, runtime), short(task.action), cats)
    head, tail, action, categories = cast(tuple[list[str], list[str], str, tuple[str, ...]], got)
    if feed.layout == "bars":
        summary = t(lang, "task.summary", action=action, due=_date(lang, task.due))
        start, end = task.window_start, task.due + dt.timedelta(days=1)
    elif entry == "open":
        summary = t(lang, "entry.open", action=action, due=_short_date(lang, task.due))
        start, end = task.window_start, task.window_start + dt.timedelta(days=1)
    else:
        summary = t(lang, "entry.due", action=action)
        start, end = task.due, task.due + dt.timedelta(days=1)
    if role == "support":
        summary = t(lang, "role.prefix.support") + summary
    lines = [*head, t(lang, f"task.role.{role}"), *tail] if role else [*head, *tail]
    return FeedItem(uid=task_uid(task, feed, domain or uid_domain(runtime), entry), feed=str(feed), key=task.key,
                    start=start, end=end, summary=clean_text(summary),
                    description=clean_text("\n".join(lines)), categories=categories)


class Pending(NamedTuple):
    """A task's entry that is folded into a busy day's: tracked (``feed_state`` keeps its
    SEQUENCE for the mail attachment) but not published, so worded only when someone asks
    (``word``). Its content is stood for by ``task_fingerprint`` (what the task's wording is
    made of) and the fields that say how it reads (``feed_state.Collector``)."""

    task: PlannedTask
    role: Role | None
    kind: Entry
    layout: str
    sfx: bool
    done: Done | None
    who: bool
    ring: bool
    key: str

    def task_fingerprint(self, runtime: Runtime, memo: dict[object, str] | None = None) -> str:
        return task_fingerprint(self.task, self.key, runtime, memo)


def task_fingerprint(task: PlannedTask, key: str, runtime: Runtime, memo: dict[object, str] | None = None) -> str:
    """What every entry of the task is worded from: the repr of a tuple of it, made from the reprs
    of its parts (``memo``: those of rules, events and dates, shared over a build)."""
    cfg = runtime.config
    occ, rule, event = task.occurrence, task.rule, task.event
    memo = {} if memo is None else memo
    r = memo.get(id(rule))
    if r is None:
        r = memo[id(rule)] = ", ".join(map(repr, (rule.lead, rule.note, cfg.department_name(task.owner),
                                                   [cfg.department_name(x) for x in task.support])))
    e = memo.get(id(event))
    if e is None:
        e = memo[id(event)] = f"{event.tags!r}, {event.country!r}, {_send_at(runtime)!r})"
    ws = memo.get(task.window_start)
    if ws is None:
        ws = memo[task.window_start] = repr(task.window_start)
    due = memo.get(task.due)
    if due is None:
        due = memo[task.due] = repr(task.due)
    return (f"({cfg.language!r}, {key!r}, {task.action!r}, {occ.title!r}, {ws}, {due}, "
            f"{task.provisional!r}, {occ.provisional!r}, {r}, {e}")


def word(p: Pending, runtime: Runtime, feed: FeedName, domain: str,
         cache: dict[tuple[object, ...], object] | None = None) -> FeedItem:
    """A task entry in words, as ``feed`` publishes it (its uid and feed may be another feed's:
    the item is shared by every feed that words it the same)."""
    cache = {} if cache is None else cache
    cfg = runtime.config
    lang = cfg.language
    task = p.task
    k = ("t", p.key, p.role, p.kind, p.layout, p.sfx)
    it = cache.get(k)
    if it is None:
        it = task_item(task, runtime, feed, p.role, p.kind, domain, _words=cache)
        if p.sfx:
            it = replace(it, summary=f"{it.summary} — {cfg.department_name(task.owner)}")
        cache[k] = it
    assert isinstance(it, FeedItem)
    if p.done is None and not p.ring:
        return it
    fk = ("f", p.key, p.role, p.kind, p.layout, p.sfx, p.done, p.who, p.ring)
    got = cache.get(fk)
    if got is None:
        if p.done is not None:
            lines = [*_done_lines(lang, p.done, p.who, cfg.tz), it.description]
            got = replace(it, summary=t(lang, "done.prefix") + it.summary, description=clean_text("\n".join(lines)))
        else:
            got = replace(it, alarm=it.summary, alarm_at=alarm_time(runtime, it.start))
        cache[fk] = got
    assert isinstance(got, FeedItem)
    return got


@dataclass(slots=True)
class _Entry:
    """A task entry on its way through the per-feed passes (worded only if it is published)."""

    task: PlannedTask
    role: Role | None
    entry: Entry
    hidden: bool = False
    uid: str = ""
    logical: str = ""
    key: str = ""  # task.key, task.ack_key: made once per task (properties that format)
    ack: tuple[str, str, int] = ("", "", 0)
    start: dt.date = dt.date.min
    sfx: bool = False  # the title names the lead department (``shared_owners``)
    rank: int = 0  # where it is listed in a fold (``_ranks``)


def _done_lines(lang: str, done: Done, who: bool, tz: dt.tzinfo) -> list[str]:
    when = done.at.astimezone(tz)
    when_text = f"{_date(lang, when.date())} {when:%H:%M}"
    if not who:
        return [t(lang, "done.when", when=when_text)]
    via = t(lang, f"via.{done.via}") if f"via.{done.via}" in _VIAS else done.via
    lines = [t(lang, "done.who", when=when_text, who=done.by, via=via)]
    if done.note:
        lines.append(t(lang, "done.note", note=done.note))
    return lines


_VIAS = {"via.cli", "via.web", "via.email", "via.api"}


def _common_prefix(texts: Sequence[str]) -> str:
    """The words every text starts with (at least a few), without trailing punctuation."""
    if not texts:
        return ""
    first = texts[0]
    # What all share is what the first and last in sorted order share.
    lo, hi = min(texts), max(texts)
    n = min(len(lo), len(hi))
    for i in range(n):
        if lo[i] != hi[i]:
            n = i
            break
    prefix = first[:n]
    if n < len(first) and not first[n].isspace() and not prefix.endswith((" ", ":", ",", ";")):
        prefix = prefix.rsplit(" ", 1)[0] if " " in prefix else ""
    prefix = prefix.rstrip(" :,;-–—")
    return prefix if len(prefix) >= 12 else ""


def _listing(texts: Sequence[str], limit: int = 90) -> str:
    """A few of ``texts``, each cut short, within ``limit`` characters."""
    out = ""
    for text in texts:
        text = text if len(text) <= 40 else text[:39].rsplit(" ", 1)[0] + "…"
        nxt = f"{out}; {text}" if out else text
        if len(nxt) > limit and out:
            return out + "; …"
        out = nxt
    return out


def _what(texts: Sequence[str]) -> str:
    """How a folded entry's title sums up its entries: the words they all (or most) start with,
    else a few of them."""
    common = _common_prefix(texts)
    if common:
        return common
    heads: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        heads[text[:16]].append(text)
    most = max(heads.values(), key=len)
    common = _common_prefix(most) if len(most) > 1 else ""
    return f"{common}, …" if common else _listing(texts)


class _TaskInfo(NamedTuple):
    """What every feed's entries of a task share, made once per build: its key,
    acknowledgement key, the ids its UIDs start with, its logical entries and its place in a
    fold (formatting dates is not free)."""

    key: str
    ack: tuple[str, str, int]
    ids: str
    one_day: bool  # the window is the due day alone: one entry
    l_open: str
    l_due: str
    l_bars: str
    rank: int


def _task_info(task: PlannedTask, domain: str, ranks: Mapping[int, int]) -> _TaskInfo:
    ids = f"{task.event.id}.{task.rule.id}.{task.occurrence.date:%Y%m%d}"
    return _TaskInfo(task.key, task.ack_key, ids, task.window_start == task.due, f"{ids}.open@{domain}",
                     f"{ids}.due@{domain}", f"{ids}.bars@{domain}", ranks[id(task)])


def _task_infos(plan: Plan, cache: dict[tuple[object, ...], object]) -> tuple[dict[int, _TaskInfo], dict[int, int]]:
    """The build's ``_TaskInfo`` by task (filled as tasks come) and the tasks' places in a fold."""
    tinfo = cast(dict[int, _TaskInfo], cache.setdefault(("tinfo",), {}))
    ranks = cast(dict[int, int] | None, cache.get(("ranks",)))
    if ranks is None:
        ranks = cache[("ranks",)] = _ranks(plan)
    return tinfo, ranks


_OccInfo = tuple[FeedItem, str, str, Occurrence]  # item, the id its UIDs start with, logical entry (kept alive)


def _occurrence_infos(layout: str, cache: dict[tuple[object, ...], object]) -> dict[int, _OccInfo]:
    return cast(dict[int, _OccInfo], cache.setdefault(("occ", layout), {}))


def _occurrence_info(o: Occurrence, runtime: Runtime, feed: FeedName, domain: str, layout: str,
                     infos: dict[int, _OccInfo]) -> _OccInfo:
    """An occurrence's item (the same in every feed), the id its UIDs start with and its logical
    entry, made once per build (``infos``: ``_occurrence_infos``)."""
    base = f"{o.event.id}.{o.date:%Y%m%d}"
    lsuffix = ".bars" if layout == "bars" else ""
    got = infos[id(o)] = (occurrence_item(o, runtime, feed, domain), base, f"{base}{lsuffix}@{domain}", o)
    return got


class Logical(NamedTuple):
    """A logical entry of a layout (``feed_state`` keeps one row for each): an occurrence's
    (``item``) or a task's (``task``, its ``kind`` of entry and acknowledgement key)."""

    logical: str
    start: dt.date
    kind: Entry
    task: PlannedTask | None
    item: FeedItem | None  # an occurrence's
    key: str  # the task's or occurrence's key
    ack: tuple[str, str, int] | None
    occurrence: Occurrence | None


def logical_entries(plan: Plan, runtime: Runtime, layout: str, *, domain: str | None = None,
                    months: Set[Month] | None = None,
                    shared: dict[tuple[object, ...], object] | None = None) -> list[Logical]:
    """Every logical entry of ``plan`` in ``layout`` (``months``: those that start in them),
    folded or not: what ``all`` has (every feed's entries are some of them, a busy day's own
    entries aside)."""
    domain = domain or uid_domain(runtime)
    cache: dict[tuple[object, ...], object] = {} if shared is None else shared
    everyone = with_layout(FeedName("all"), layout)
    tinfo, ranks = _task_infos(plan, cache)
    out: list[Logical] = []
    add = out.append
    bars = layout == "bars"
    infos = _occurrence_infos(layout, cache)
    for o in plan.occurrences:
        if months is None or (o.date.year, o.date.month) in months:
            item, _, logical, _ = infos.get(id(o)) or _occurrence_info(o, runtime, everyone, domain, layout, infos)
            add(Logical(logical, o.date, "due", None, item, item.key, None, o))
    for task in plan.tasks:
        info = tinfo.get(id(task))
        if info is None:
            info = tinfo[id(task)] = _task_info(task, domain, ranks)
        if bars or not info.one_day:
            start = task.window_start
            if months is None or (start.year, start.month) in months:
                add(Logical(info.l_bars if bars else info.l_open, start, "due" if bars else "open", task, None,
                            info.key, info.ack, None))
        if not bars:
            start = task.due
            if months is None or (start.year, start.month) in months:
                add(Logical(info.l_due, start, "due", task, None, info.key, info.ack, None))
    return out


class Copy(NamedTuple):
    """One feed's entry: a worded ``item`` shared by every feed that shows it the same way (its
    own ``uid`` and ``feed`` may be another feed's), this feed's UID, and whether it is folded.

    ``logical`` is the entry's identity across feeds (``feed_state`` keeps one row per logical
    entry): the UID without the feed's scope; a busy day's folded entry, which belongs to one
    feed, keeps its UID."""

    start: dt.date
    uid: str
    item: FeedItem | Pending
    hidden: bool
    logical: str


Month = tuple[int, int]


def month_of(d: dt.date) -> Month:
    return (d.year, d.month)


def carries(runtime: Runtime, feed: FeedName) -> Callable[[PlannedTask], Role | Literal[False] | None]:
    """Whether a feed carries a task, and in which role: False (not at all), None (carried, no
    role: all, country and tag feeds), "owner" or "support" (a department's own feed)."""
    if feed.kind == "department":
        # A department replaced by another (config `replaced_by`): its old link shows the work
        # of the department that does it now.
        dep = runtime.config.current_department(feed.value)

        def role(task: PlannedTask) -> Role | Literal[False] | None:
            return "owner" if task.owner == dep else "support" if dep in task.support else False
        return role
    if feed.kind == "country":
        return lambda task: None if task.event.country == feed.value else False
    if feed.kind == "tag":
        return lambda task: None if feed.value in task.event.tags else False
    return lambda task: None


def shared_owners(plan: Plan, runtime: Runtime, feed: FeedName) -> frozenset[str]:
    """The actions that more than one department leads among this feed's tasks: their entries'
    titles name the lead department. Over the whole feed, so that a month re-rendered alone
    words its entries as the whole feed does."""
    return shared_owners_all(plan, runtime, [feed])[str(feed)]


def shared_owners_all(plan: Plan, runtime: Runtime, feeds: Iterable[FeedName],
                      carry: Mapping[str, Carried] | None = None) -> dict[str, frozenset[str]]:
    """``shared_owners`` of several feeds in one pass over the plan (``carry``: what they carry
    of the whole plan, if it is known)."""
    feeds = list(feeds)
    owners: dict[str, dict[str, set[str]]] = {str(f): defaultdict(set) for f in feeds}
    if carry is None:
        carry = carried(plan, runtime, feeds, occurrences=False)
    for k, (tasks, _) in ((str(f), carry[str(f)]) for f in feeds):
        o = owners[k]
        for task, _role in tasks:
            o[task.action].add(task.rule.owner)
    return {k: frozenset(a for a, o in v.items() if len(o) > 1) for k, v in owners.items()}


Carried = tuple[list[tuple[PlannedTask, "Role | None"]], list[Occurrence]]


def carried(plan: Plan, runtime: Runtime, feeds: Iterable[FeedName], *,
            occurrences: bool = True) -> dict[str, Carried]:
    """What each feed carries, in one pass over the plan (``carries`` asked of every task by
    every feed would cost a call per task and feed): its tasks with their role, in the plan's
    order, and its occurrences (a department's: those of its tasks, in their order; the
    others': the plan's that the feed is about)."""
    cfg = runtime.config
    feeds = list(feeds)
    out: dict[str, Carried] = {str(f): ([], []) for f in feeds}
    every: list[Carried] = []
    by_dep: dict[str, list[Carried]] = defaultdict(list)
    by_tag: dict[str, list[Carried]] = defaultdict(list)
    by_country: dict[str, list[Carried]] = defaultdict(list)
    for f in feeds:
        got = out[str(f)]
        if f.kind == "department":
            by_dep[cfg.current_department(f.value)].append(got)
        elif f.kind == "tag":
            by_tag[f.value].append(got)
        elif f.kind == "country":
            by_country[f.value].append(got)
        else:
            every.append(got)
    for task in plan.tasks:
        owner, event = task.rule.owner, task.occurrence.event
        for c in every:
            c[0].append((task, None))
        for tag in event.tags if len(event.tags) < 2 else dict.fromkeys(event.tags):
            for c in by_tag.get(tag, ()):
                c[0].append((task, None))
        if event.country:
            for c in by_country.get(event.country, ()):
                c[0].append((task, None))
        for c in by_dep.get(owner, ()):
            c[0].append((task, "owner"))
        for s in task.rule.support:
            if s != owner:
                for c in by_dep.get(s, ()):
                    c[0].append((task, "support"))
    if not occurrences:
        return out
    for o in plan.occurrences:
        event = o.event
        for c in every:
            c[1].append(o)
        for tag in event.tags if len(event.tags) < 2 else dict.fromkeys(event.tags):
            for c in by_tag.get(tag, ()):
                c[1].append(o)
        if event.country:
            for c in by_country.get(event.country, ()):
                c[1].append(o)
    for cs in by_dep.values():
        for c in cs:
            c[1].extend({t.occurrence.key: t.occurrence for t, _ in c[0]}.values())
    return out


def feed_items(plan: Plan, runtime: Runtime, feed: FeedName, *, done: DoneMap | None = None,
               today: dt.date | None = None, domain: str | None = None,
               _shared: dict[tuple[object, ...], object] | None = None) -> list[FeedItem]:
    """The items of one feed (folded ones included, ``hidden``), sorted by start date and UID.

    ``done``: acknowledged tasks; ``today``: alarms for earlier days are left out (None: keep
    all). The same entries as ``feed_copies``, each as a FeedItem of its own.
    """
    fs = str(feed)
    cache = {} if _shared is None else _shared
    domain = domain or uid_domain(runtime)
    return [replace(c.item if isinstance(c.item, FeedItem) else word(c.item, runtime, feed, domain, cache),
                    uid=c.uid, feed=fs, hidden=c.hidden)
            for c in feed_copies(plan, runtime, feed, done=done, today=today, domain=domain, shared=cache)]


def feed_copies(plan: Plan, runtime: Runtime, feed: FeedName, *, done: DoneMap | None = None,
                today: dt.date | None = None, domain: str | None = None,
                shared: dict[tuple[object, ...], object] | None = None, months: Set[Month] | None = None,
                owners: frozenset[str] | None = None, carry: Carried | None = None,
                folded: bool = True) -> list[Copy]:
    """The entries of one feed (folded ones included), sorted by start date and UID
    (``folded=False``: only the published ones; the folded ones are not made, which is most of
    the work on a large catalog: ``logical_entries`` stands for them).

    ``shared`` lets feeds reuse an entry worded once: the same task reads the same in ``all``,
    ``country/…`` and ``tag/…``, and only its UID differs. ``months``: only the entries that
    start in these months (a busy day is folded within its month, so a month's entries are the
    same whether the feed is made whole or a month at a time); ``owners`` then comes from
    ``shared_owners`` (computed here otherwise); ``carry``: what the feed carries of ``plan``
    (``carried``, computed here otherwise).
    """
    cfg = runtime.config
    domain = domain or uid_domain(runtime)
    done = done or {}
    cache: dict[tuple[object, ...], object] = {} if shared is None else shared
    scope = feed.scope
    layout = feed.layout
    bars = layout == "bars"
    if owners is None:
        owners = shared_owners(plan, runtime, feed)

    tinfo, ranks = _task_infos(plan, cache)
    entries: list[_Entry] = []
    add = entries.append
    if carry is None:
        carry = carried(plan, runtime, [feed])[str(feed)]
    open_sfx, due_sfx, bars_sfx = f".open.{scope}@{domain}", f".due.{scope}@{domain}", f".{scope}@{domain}"
    for task, role in carry[0]:  # (one loop, no call per task: it runs for every task of every feed)
        info = tinfo.get(id(task))
        if info is None:
            info = tinfo[id(task)] = _task_info(task, domain, ranks)
        tkey, ack, ids, one, l_open, l_due, l_bars, rank = info
        sfx = role != "owner" and task.action in owners
        if role == "support":
            rank += _SUPPORT_RANK
        if bars:
            start = task.window_start
            if months is None or (start.year, start.month) in months:
                add(_Entry(task, role, "due", False, ids + bars_sfx, l_bars, tkey, ack, start, sfx, rank))
            continue
        if not one:
            start = task.window_start
            if months is None or (start.year, start.month) in months:
                add(_Entry(task, role, "open", False, ids + open_sfx, l_open, tkey, ack, start, sfx, rank))
        start = task.due
        if months is None or (start.year, start.month) in months:
            add(_Entry(task, role, "due", False, ids + due_sfx, l_due, tkey, ack, start, sfx, rank))
    occs = carry[1]
    if months is not None:
        occs = [o for o in occs if (o.date.year, o.date.month) in months]

    show_who = feed.kind == "department" and str(feed.base) not in set(cfg.get("feeds", "public"))
    support_alarms = bool(cfg.get("feeds", "support_alarms"))

    def alarmed(role: Role | None) -> bool:
        return feed.kind == "department" and (role == "owner" or (role == "support" and support_alarms))

    ring_role = {"owner"} | ({"support"} if support_alarms else set()) if feed.kind == "department" else set()

    def finish(entries: list[_Entry]) -> list[Copy]:
        """Done marks and the alarm: the last, per-item step (an acknowledgement changes only this).
        A folded entry is not worded (nobody sees it): it stays Pending until someone asks."""
        out: list[Copy] = []
        add = out.append
        for e in entries:
            if e.hidden and not folded:
                continue
            d = done.get(e.ack) if done else None
            ring = d is None and e.role in ring_role and (today is None or e.start >= today)
            pending = Pending(e.task, e.role, e.entry, layout, e.sfx, d, show_who and d is not None, ring, e.key)
            if e.hidden:
                add(Copy(e.start, e.uid, pending, True, e.logical))
            else:
                add(Copy(e.start, e.uid, word(pending, runtime, feed, domain, cache), False, e.logical))
        return out

    # A busy day's events are one entry (``_folded_events``): known before their copies are made.
    per_day: dict[dt.date, int] = defaultdict(int)
    if not bars:
        for o in occs:
            per_day[o.date] += 1
    copies: list[Copy] = []
    busy: dict[dt.date, list[tuple[FeedItem, str]]] = defaultdict(list)
    infos = _occurrence_infos(layout, cache)
    uid_sfx = f".{scope}@{domain}"
    for o in occs:
        item, base, logical, _ = infos.get(id(o)) or _occurrence_info(o, runtime, feed, domain, layout, infos)
        if per_day[o.date] > BUSY_DAY:
            busy[o.date].append((item, logical))
            if folded:
                copies.append(Copy(o.date, base + uid_sfx, item, True, logical))
        else:
            copies.append(Copy(o.date, base + uid_sfx, item, False, logical))
    if bars:
        copies.extend(finish(entries))
    else:
        folds = _folds(entries)
        copies.extend(finish(entries))
        lines = cast(dict[int, str], cache.setdefault(("lines",), {}))
        dep = feed.kind == "department"
        for f in folds:
            # The same fold in another feed (all and a tag every event has) is worded once.
            fk = ("fold", f.kind, f.day, f.event.key if f.event else None, dep,
                  tuple([(e.rank, e.ack in done) for e in f.members]) if done else tuple([e.rank for e in f.members]))
            fitem = cast(FeedItem | None, cache.get(fk))
            if fitem is None:
                fitem = cache[fk] = _fold_item(f, runtime, feed, domain, done, today, alarmed, lines)
            uid = _fold_uid(f, feed, domain)
            copies.append(Copy(fitem.start, uid, fitem, False, uid))
        copies.extend(_folded_events(busy, runtime, feed, domain, cache))
        _unique_titles(copies)
    if folded:
        copies.sort()  # by start, then UID (unique in a feed: the items are never compared)
        return copies
    shown = [c for c in copies if not c.hidden]
    shown.sort()
    return shown


@dataclass
class _Fold:
    """Entries shown as one: one event's tasks on one day (``event``), or a busy day's (None)."""

    day: dt.date
    kind: Entry
    event: Occurrence | None
    members: list[_Entry]


_SUPPORT_RANK = 1 << 40  # a supporting department's part is listed after the lead ones


def _ranks(plan: Plan) -> dict[int, int]:
    """Where each task is listed in a fold, as a number (sorting numbers is cheaper than tuples
    of strings): by action, lead department and key; a supporting part after the lead ones."""
    order = sorted(plan.tasks, key=lambda t: (t.action, t.rule.owner, t.key))
    return {id(t): i for i, t in enumerate(order)}


def _folds(entries: list[_Entry]) -> list[_Fold]:
    """Which entries are shown folded (they are marked hidden, in place).

    First, two or more entries of one event on one day and of one kind become one entry named
    after the event ("Hạn: Chúc mừng năm mới 2027 … — 3 việc": the departments' parts of one
    thing). Then a day with still more than BUSY_DAY entries of a kind shows one entry listing
    them all. A month view's cell then holds what is due or opens that day.
    """
    units: dict[tuple[dt.date, str], list[_Entry]] = defaultdict(list)
    for e in entries:
        units[(e.start, e.entry)].append(e)
    folds: list[_Fold] = []
    for (day, kind), lst in units.items():
        if len(lst) < 2:
            continue
        entry_kind: Entry = "open" if kind == "open" else "due"
        if len(lst) > BUSY_DAY and len({id(e.task.occurrence) for e in lst}) > BUSY_DAY:
            folds.append(_Fold(day, entry_kind, None, lst))
            continue
        by_event: dict[int, list[_Entry]] = defaultdict(list)
        for e in lst:
            by_event[id(e.task.occurrence)].append(e)
        folds.extend(_Fold(day, entry_kind, g[0].task.occurrence, g) for g in by_event.values() if len(g) > 1)
    for f in folds:
        f.members.sort(key=_rank)
        for e in f.members:
            e.hidden = True
    return folds


def _rank(e: _Entry) -> int:
    return e.rank


def _member_line(lang: str, cfg: Config, e: _Entry, done: bool) -> str:
    """A folded entry's line for one of its tasks (the same in every feed that folds it)."""
    task = e.task
    role = t(lang, "role.prefix.support") if e.role == "support" else ""
    return t(lang, "group.task", mark="✓" if done else "•", role=role, action=task.action,
             owner=cfg.department_name(task.owner), due=_short_date(lang, task.due))


def _fold_uid(fold: _Fold, feed: FeedName, domain: str) -> str:
    what = fold.kind if fold.event is None else f"{fold.kind}.{fold.event.event.id}"
    return _day_uid(fold.day, what, feed, domain)


def _fold_item(fold: _Fold, runtime: Runtime, feed: FeedName, domain: str, done: DoneMap,
               today: dt.date | None, alarmed: Callable[[Role | None], bool],
               lines_cache: dict[int, str] | None = None) -> FeedItem:
    """The entry that stands for a fold: a title that sums it up, its tasks listed one a line
    (✓ for the done ones), an alarm if the department leads one that is not done."""
    cfg = runtime.config
    lang = cfg.language
    members, day, n = fold.members, fold.day, len(fold.members)
    if fold.event is not None:
        summary = t(lang, f"event.{fold.kind}", title=short(fold.event.title), n=n)
        head = t(lang, "group.head.event", n=n, title=fold.event.title,
                 date=i18n.fmt_date(lang, fold.event.date))
    else:
        summary = t(lang, f"group.{fold.kind}", n=n, what=_what([e.task.action for e in members]))
        head = t(lang, f"group.head.{fold.kind}", n=n, date=i18n.fmt_date(lang, day))
    if all(e.role == "support" for e in members):
        summary = t(lang, "role.prefix.support") + summary
    lines = [head]
    add = lines.append
    # A member's line by its place in a fold (a task's, a supporting part's apart), the same in
    # every feed: a done one's under the place's complement.
    cache: dict[int, str] = {} if lines_cache is None else lines_cache
    for e in members:
        d = bool(done) and e.ack in done
        k = ~e.rank if d else e.rank
        line = cache.get(k)
        if line is None:
            line = cache[k] = _member_line(lang, cfg, e, d)
        add(line)
    open_ones = [e for e in members if e.ack not in done] if done else members
    if not open_ones:
        summary = t(lang, "done.prefix") + summary
    about = {id(ev): ev for ev in (e.task.occurrence.event for e in members)}
    if len(about) == 1:
        ev = next(iter(about.values()))
        cats = _categories(runtime, ev.tags, ev.country)
    else:
        cats = tuple(dict.fromkeys(c for ev in about.values() for c in _cats(lang, ev.tags, ev.country)))
    uid = _fold_uid(fold, feed, domain)
    if fold.event is None:
        key = f"_day@{day.isoformat()}/{fold.kind}"
    else:
        key = f"_day@{day.isoformat()}/{fold.kind}/{fold.event.key}"
    item = FeedItem(uid=uid, feed=str(feed), key=key, start=day, end=day + dt.timedelta(days=1),
                    summary=clean_text(summary), description=clean_text("\n".join(lines)), categories=cats)
    if (feed.kind == "department" and (today is None or day >= today)
            and any(alarmed(e.role) for e in open_ones)):
        item = replace(item, alarm=item.summary, alarm_at=alarm_time(runtime, day))
    return item


def _folded_events(busy: Mapping[dt.date, list[tuple[FeedItem, str]]], runtime: Runtime, feed: FeedName,
                   domain: str, cache: dict[tuple[object, ...], object] | None = None) -> list[Copy]:
    """A busy day's events are one entry too (``busy``: each such day's events, their item and
    logical entry). The same day in another feed is worded once (``cache``)."""
    lang = runtime.config.language
    cache = {} if cache is None else cache
    out = []
    for day, evs in busy.items():
        uid = _day_uid(day, "event", feed, domain)
        fk = ("events", day, tuple(sorted(lg for _, lg in evs)))
        item = cast(FeedItem | None, cache.get(fk))
        if item is None:
            titles = sorted(it.summary for it, _ in evs)
            what = _what(titles)
            lines = [t(lang, "group.head.events", n=len(evs), date=i18n.fmt_date(lang, day))]
            lines += [t(lang, "group.event.line", title=x) for x in titles]
            cats = tuple(dict.fromkeys(c for it, _ in evs for c in it.categories))
            item = cache[fk] = FeedItem(uid=uid, feed=str(feed), key=f"_day@{day.isoformat()}/event", start=day,
                                        end=day + dt.timedelta(days=1),
                                        summary=clean_text(t(lang, "group.events", n=len(evs), what=what)),
                                        description=clean_text("\n".join(lines)), categories=cats)
        out.append(Copy(day, uid, item, False, uid))
    return out


def _worded(c: Copy) -> FeedItem:
    """The item of an event's or a published entry's copy (only folded task entries are Pending)."""
    assert isinstance(c.item, FeedItem)
    return c.item


def _unique_titles(copies: list[Copy]) -> None:
    """The last guarantee that no two published entries of one day share a title: a number."""
    seen: set[tuple[dt.date, str]] = set()
    shown = [j for j, c in enumerate(copies) if not c.hidden]
    for j in sorted(shown, key=lambda j: copies[j].uid):
        cur = copies[j]
        it = _worded(cur)
        title, n = it.summary, 1
        while (cur.start, title) in seen:
            n += 1
            title = f"{it.summary} ({n})"
        seen.add((cur.start, title))
        if n > 1:
            copies[j] = cur._replace(item=replace(it, summary=title, alarm=title if it.alarm is not None else None))


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
        ev.add("categories", [_Text(c) for c in it.categories])
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


def items_for_feeds(plan: Plan, runtime: Runtime, feeds: Sequence[FeedName], *, done: DoneMap | None = None,
                    today: dt.date | None = None) -> dict[str, list[FeedItem]]:
    shared: dict[tuple[object, ...], object] = {}
    domain = uid_domain(runtime)
    return {str(f): feed_items(plan, runtime, f, done=done, today=today, domain=domain, _shared=shared)
            for f in feeds}
