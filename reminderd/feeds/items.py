"""An entry in words: an occurrence's or a task's ``FeedItem`` as one feed shows it (its title,
description, categories, alarm, done marks), and a folded entry left unworded (``Pending``)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple, cast

from .. import i18n
from ..countries import country_name
from ..model import Lead, Occurrence, PlannedTask
from ..runtime import Runtime
from .names import Entry, FeedName, Role, uid_domain
from .text import clean_text, t, tag_title

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
    """A FeedItem with the SEQUENCE and LAST-MODIFIED that ``state`` tracks."""

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


def occurrence_summary(occ: Occurrence) -> str:
    """An occurrence's title as its entry's SUMMARY (and a busy day's entry lists it)."""
    return clean_text(short(occ.title))


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
    """A task's entry that is folded into a busy day's: tracked (``state`` keeps its
    SEQUENCE for the mail attachment) but not published, so worded only when someone asks
    (``word``). A build makes none (``feed_copies(..., folded=False)``): its row's hash comes
    from the task (``state.Collector.entry_hashes``); the mail attachment and ``feed_items`` make
    them."""

    task: PlannedTask
    role: Role | None
    kind: Entry
    layout: str
    sfx: bool
    done: Done | None
    who: bool
    ring: bool
    key: str


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
