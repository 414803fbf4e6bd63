"""Rendered feeds in memory: gzip bytes per month, ETag and Last-Modified per feed.

Feeds are rendered when the runtime (catalog, config, ad-hoc items) changes or the
daemon replans — ``rebuild(ctx)`` — and every request is then a dictionary lookup.
``install(ctx)`` makes the cache ``ctx.feeds``, registers the rebuild as a change
listener and ``acks_changed`` as an acknowledgement listener. A rebuild swaps the whole
mapping at once, so a request served during one sees either the old feeds or the new
ones, never a mix; a failed rebuild keeps the old feeds and records the error in
``ctx.health["feeds"]``.

**Only what changed is made again.** A feed is kept as gzip segments, one per month
(``body``), and ``state`` keeps one row per entry whose hash covers the entry and its published
copies in every feed: so the entries of one month, made for every feed, are all that a change in
that month needs. An acknowledgement (added or undone, through this process or — noticed by the
daemon's ``acks`` job within ``[daemon] dispatch_interval`` — by the other daemon of a pair or
the CLI) re-makes the months of the task's entries; an ad-hoc item added, edited or deleted
re-plans that event alone and re-makes the months its old and new entries fall in. Anything
else (a reload, another day, a changed config) rebuilds everything.

The ``bars`` layout of a feed (``?layout=bars``) is rendered the first time someone asks
for it, and kept up to date from then on.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import gc
import logging
import os
import threading
import time
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.utils import format_datetime
from typing import Any

from sqlalchemy import func, select

from ..context import Context
from ..plan import Plan, build_plan
from ..runtime import Runtime
from ..store import Store, schema
from . import body as feed_body
from . import parallel
from . import state as feed_state
from .body import Segment
from .entries import (
    Carried,
    Copy,
    Logical,
    Month,
    carried,
    carries,
    feed_copies,
    logical_entries,
    month_of,
    shared_owners_all,
)
from .ical import Parts, _utc, envelope, feed_meta, register_published, vevent_bytes, vevent_parts
from .items import Done, FeedItem, Stamped, forget_caches, word
from .names import FeedName, available_feeds, public_feeds, uid_domain, with_layout

log = logging.getLogger(__name__)

INCREMENTAL_EVENTS = 50  # an edit touching more events than this rebuilds everything
_MEMO_MONTHS = 16  # months of feeds that ``published`` keeps made for the mail


@dataclass(frozen=True)
class RenderedFeed:
    name: FeedName
    title: str
    gzip_body: bytes
    etag: str  # quoted strong ETag of the identity body
    gzip_etag: str  # the gzip representation is a different entity: its own ETag
    last_modified: dt.datetime
    http_date: str  # Last-Modified, formatted once
    items: int
    public: bool
    short_name: str = ""  # what the URL's last segment and the WebDAV display name say
    identity: bytes | None = field(default=None, repr=False)  # kept for small feeds only

    @property
    def body(self) -> bytes:
        """The identity body: kept for small feeds, decompressed on request for large ones."""
        return self.identity if self.identity is not None else feed_body.identity(self.gzip_body)


@dataclass
class _Parts:
    """A feed's segments: the calendar's head and tail, and one per month that has entries."""

    head: Segment
    tail: Segment
    months: dict[Month, Segment] = field(default_factory=dict)
    counts: dict[Month, int] = field(default_factory=dict)

    def segments(self) -> list[Segment]:
        return [self.head, *(self.months[m] for m in sorted(self.months)), self.tail]


@dataclass
class _Built:
    """What the last build worked from, kept so that a change re-makes only what it touches."""

    runtime: Runtime
    today: dt.date
    plan: Plan
    public: set[str]
    done: dict[tuple[str, str, int], Done]
    names: dict[str, FeedName]  # the rendered feeds
    owners: dict[str, frozenset[str]]  # per feed of every layout made: feeds.shared_owners
    by_month: dict[Month, tuple[list[Any], list[Any]]]  # ``_subplan``'s index of ``plan``
    parts: dict[str, _Parts] = field(default_factory=dict)
    cancelled: dict[str, list[Stamped]] = field(default_factory=dict)  # per rendered feed
    ack_months: dict[tuple[str, str, int], tuple[Month, ...]] | None = None  # an ack key → its entries' months
    years: set[int] = field(default_factory=set)  # the rule years of the plan's tasks

    def layouts(self) -> list[str]:
        return sorted({n.layout for n in self.names.values()})


def load_done(store: Store, years: Iterable[int]) -> dict[tuple[str, str, int], Done]:
    """The acknowledgements of these rule years, as the feeds show them."""
    a = schema.acks
    ys = sorted(set(years))
    out: dict[tuple[str, str, int], Done] = {}
    if not ys:
        return out
    with store.engine.connect() as conn:
        for r in conn.execute(select(a.c.event_id, a.c.task_id, a.c.year, a.c.done_at, a.c.done_by, a.c.via,
                                     a.c.note).where(a.c.year.in_(ys))):
            out[(r.event_id, r.task_id, int(r.year))] = Done(r.done_at, r.done_by, r.via, r.note or "")
    return out


def acks_fingerprint(store: Store) -> str:
    """Changes whenever an acknowledgement is added or undone, by any process: the number of
    acknowledgements and the newest audit entry about one (the audit trail only grows)."""
    a, log_t = schema.acks, schema.audit_log
    with store.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(a)).scalar_one()
        newest = conn.execute(select(func.max(log_t.c.id)).where(log_t.c.action.like("ack.%"))).scalar_one()
    return f"{count}:{newest}"


def acks_changed_elsewhere(ctx: Context) -> bool:
    """True if acknowledgements changed since this process last looked (another daemon of the
    pair, or ``reminderd ack``). Reads the database: call in a thread."""
    return acks_fingerprint(ctx.store) != ctx.health.get("acks_fingerprint")


@dataclass(frozen=True)
class _Before:
    """What an edit changed from: the plan, acknowledgements, titles' owners and month index."""

    plan: Plan
    done: Mapping[tuple[str, str, int], Done]
    owners: Mapping[str, frozenset[str]]
    index: dict[Month, tuple[list[Any], list[Any]]]
    events: frozenset[str]  # the edited events


class _Renderer:
    """VEVENT bytes of copies, each item's parts made once (shared by every feed)."""

    def __init__(self) -> None:
        self._parts: dict[int, tuple[Parts, object]] = {}
        self._lm: dict[dt.datetime, bytes] = {}

    def event(self, item: FeedItem, uid: str, sequence: int, last_modified: dt.datetime) -> bytes:
        got = self._parts.get(id(item))
        if got is None:
            got = self._parts[id(item)] = (vevent_parts(item), item)
        lm = self._lm.get(last_modified)
        if lm is None:
            lm = self._lm[last_modified] = _utc(last_modified)
        return vevent_bytes(got[0], uid, sequence, lm)


def _index(plan: Plan) -> dict[Month, tuple[list[Any], list[Any]]]:
    """Month → the occurrences on it and the tasks with an entry or an occurrence in it."""
    out: dict[Month, tuple[list[Any], list[Any]]] = {}
    for o in plan.occurrences:
        out.setdefault(month_of(o.date), ([], []))[0].append(o)
    for t in plan.tasks:
        for m in {month_of(t.window_start), month_of(t.due), month_of(t.occurrence.date)}:
            out.setdefault(m, ([], []))[1].append(t)
    return out


def _ack_months(plan: Plan) -> dict[tuple[str, str, int], tuple[Month, ...]]:
    """An acknowledgement key → the months its task's entries fall in (tuples: a set each would
    cost four times the memory on a large plan)."""
    out: dict[tuple[str, str, int], tuple[Month, ...]] = {}
    for t in plan.tasks:
        k = t.ack_key
        here = (month_of(t.window_start), month_of(t.due))
        got = out.get(k)
        out[k] = tuple(sorted({*here, *got})) if got else (here[:1] if here[0] == here[1] else here)
    return out


def _subplan(plan: Plan, months: set[Month], index: dict[Month, tuple[list[Any], list[Any]]] | None = None) -> Plan:
    """The part of ``plan`` that the entries of ``months`` come from (every feed's, whole feeds'
    titles aside: ``shared_owners`` is computed on the whole plan)."""
    index = _index(plan) if index is None else index
    occs: dict[int, Any] = {}
    tasks: dict[int, Any] = {}
    for m in months:
        got = index.get(m)
        if got is not None:
            occs.update((id(o), o) for o in got[0])
            tasks.update((id(t), t) for t in got[1])
    return Plan(plan.start, plan.end, tuple(occs.values()), tuple(tasks.values()))


def render_months(copies: Sequence[Copy], cancelled: Iterable[Stamped], rows: Mapping[str, feed_state.Row],
                  renderer: _Renderer, now: dt.datetime,
                  months: set[Month] | None = None) -> dict[Month, tuple[bytes, int]]:
    """Each month's VEVENT bytes and number of published entries (``months``: only these)."""
    events: dict[Month, list[tuple[dt.date, str, bytes]]] = {}
    for c in copies:
        if c.hidden:
            continue
        it = c.item
        assert isinstance(it, FeedItem)
        r = rows.get(c.logical)
        seq, lm = (r.sequence, r.last_modified) if r is not None else (0, now)  # the table could not be written
        events.setdefault(month_of(c.start), []).append((c.start, c.uid, renderer.event(it, c.uid, seq, lm)))
    late: set[Month] = set()
    for s in cancelled:
        m = month_of(s.item.start)
        if months is not None and m not in months:
            continue
        events.setdefault(m, []).append((s.item.start, s.item.uid,
                                         renderer.event(s.item, s.item.uid, s.sequence, s.last_modified)))
        late.add(m)
    for m in late:
        events[m].sort(key=lambda e: (e[0], e[1]))
    return {m: (b"".join(e[2] for e in lst), len(lst)) for m, lst in events.items()}


class FeedCache:
    def __init__(self) -> None:
        self._feeds: dict[str, RenderedFeed] = {}
        self._lock = threading.RLock()  # one rebuild or update at a time
        self.built_at: dt.datetime | None = None
        self.problems: list[str] = []
        self._built: _Built | None = None
        self.variants: set[str] = set()  # feeds in another layout that someone asked for
        self.timings: dict[str, float] = {}  # seconds per step of the last build or update
        self._store: Store | None = None  # the database of the last build (the mail lookup reads it)
        self._month_memo: dict[Any, Any] = {}  # ``published``: months of feeds made, and what they were made of

    @property
    def built(self) -> bool:
        return self.built_at is not None

    def get(self, name: str) -> RenderedFeed | None:
        return self._feeds.get(name)

    def feeds(self) -> list[RenderedFeed]:
        """Every rendered feed in the default layout, sorted by name (for the subscribe list)."""
        return [self._feeds[k] for k in sorted(self._feeds) if self._feeds[k].name.layout == "days"]

    def public(self) -> list[RenderedFeed]:
        return [f for f in self.feeds() if f.public]

    def published(self, uid: str, day: dt.date | None = None) -> Stamped | None:
        """The entry of this UID as its feed publishes it (a folded one too), with its SEQUENCE:
        the mail attachment's. ``day``: the entry's date (its month is made again to find it)."""
        built = self._built
        if built is None or day is None:
            return None
        scope = uid.rpartition("@")[0].rpartition(".")[2]
        feed = next((n for n in built.names.values() if n.layout == "days" and n.scope == scope), None)
        if feed is None:
            return None
        domain = uid_domain(built.runtime)
        month = month_of(day)
        # A day's reminders are mailed together, dozens of a month at once: a month of a feed
        # is made once for them (until the feeds change).
        of = (built, built.plan, built.done, self._feeds)
        memo = self._month_memo
        if memo.get("of") is None or any(a is not b for a, b in zip(memo["of"], of, strict=True)):
            memo.clear()
            memo["of"] = of
        key = (str(feed), month)
        got = memo.pop(key, None)
        if got is None:
            cache: dict[tuple[object, ...], object] = {}
            copies = feed_copies(_subplan(built.plan, {month}, built.by_month), built.runtime, feed,
                                 done=built.done, today=built.today, domain=domain, shared=cache, months={month},
                                 owners=built.owners.get(str(feed)))
            got = ({c.uid: c for c in copies}, cache)
        memo[key] = got  # (the most recently used last)
        while len(memo) > 2 * _MEMO_MONTHS + 1:
            del memo[next(k for k in memo if k != "of")]
        by_uid, cache = got
        c = by_uid.get(uid)
        if c is None:
            return None
        r = feed_state.load(self._store, [c.logical]).get(c.logical) if self._store is not None else None
        if r is None and self._store is not None and self.built_at is not None:
            r = self._first_seen(built, c.logical, month, self._store, self.built_at)
        it = c.item if isinstance(c.item, FeedItem) else word(c.item, built.runtime, feed, domain, cache)
        item = replace(it, uid=uid, feed=str(feed), hidden=c.hidden)
        return Stamped(item, r.sequence, r.last_modified) if r else None

    def _first_seen(self, built: _Built, logical: str, month: Month, store: Store,
                    at: dt.datetime) -> feed_state.Row | None:
        """The row of an entry that no feed publishes, made when a message is about to show it
        (folded in every feed, it had none): from now on its SEQUENCE moves up when it changes,
        as a published entry's does. Its hash is the one the next build gives it."""
        memo = self._month_memo  # (``published`` made it for this build)
        got = memo.get(("logical", month))
        if got is None:
            sub = _subplan(built.plan, {month}, built.by_month)
            got = memo[("logical", month)] = (
                {e.logical: e for e in logical_entries(sub, built.runtime, "days", months={month})},
                feed_state.Collector(built.runtime, layout="days", done=built.done, today=built.today,
                                     shared=built.owners.get("all", frozenset())))
        entries, collector = got
        entry = entries.get(logical)
        if entry is None:
            return None
        row = feed_state.Row(logical, f"{collector.entry_hashes([entry])[0]:016x}", 0, at, None, None)
        feed_state.apply(store, [feed_state.Write(row, None)])  # (another daemon's, if it was first: kept)
        return feed_state.load(store, [logical]).get(logical)

    # ---- full rebuild -------------------------------------------------------------------
    def rebuild(self, ctx: Context) -> None:
        """Render every feed of ``ctx.runtime`` over its horizon (or, after an ad-hoc edit,
        only what the edit touches). Safe to call from a listener."""
        with self._lock:
            try:
                with _gc_paused():
                    full = not self._edit(ctx)
                    if full:
                        self._rebuild(ctx)
                _trim_heap(collect=full)
            except Exception as e:
                log.exception("feeds: rebuild failed; keeping the previous feeds")
                ctx.health["feeds"] = {**ctx.health.get("feeds", {}), "ok": False, "error": str(e)}
                if not self.built:
                    raise

    def _rebuild(self, ctx: Context) -> None:
        self._store = ctx.store
        self.timings = {}
        clock = _Stopwatch(self.timings)
        runtime = ctx.runtime
        now = ctx.now()
        today = ctx.today()
        names = available_feeds(runtime)
        public, errors, unmatched = public_feeds(runtime, names)
        problems = errors + unmatched
        known = {str(n) for n in names}
        for v in sorted(self.variants):
            name = _variant(v)
            if name is not None and str(name.base) in known:
                names.append(name)
        start, end = runtime.horizon(today)
        plan = runtime.plan(start, end)
        clock.lap("plan")
        # The fingerprint first: an acknowledgement made while this runs is caught by the next poll.
        fingerprint = acks_fingerprint(ctx.store)
        years = {t.occurrence.year for t in plan.tasks}
        done = load_done(ctx.store, years)
        # What a later acknowledgement or edit looks up (the indexes) is made now rather than on
        # its clock, and before the build's scratch objects: kept objects made among them would
        # pin the memory those leave behind.
        built = _Built(runtime=runtime, today=today, plan=plan, public=public, done=done,
                       names={str(n): n for n in names}, owners={}, by_month=_index(plan), years=years,
                       ack_months=_ack_months(plan))
        clock.lap("index")
        for layout in built.layouts():
            self._make(ctx, built, layout, now, months=None)
        clock = _Stopwatch(self.timings)
        self._feeds = self._compose(ctx, built, list(built.names), now, {})
        clock.lap("compose")
        self._built = built
        self.built_at = now
        self.problems = problems
        ctx.health["acks_fingerprint"] = fingerprint
        for p in problems:
            log.warning("feeds: %s", p)
        self._health(ctx, now)

    def _health(self, ctx: Context, now: dt.datetime) -> None:
        built = self._built
        assert built is not None
        days = [f for f in self._feeds.values() if f.name.layout == "days"]
        ctx.health["feeds"] = {"ok": True, "built_at": now.isoformat(), "feeds": len(days),
                               "items": sum(f.items for f in days),
                               "horizon": [built.plan.start.isoformat(), built.plan.end.isoformat()],
                               "problems": self.problems,
                               "seconds": {k: round(v, 3) for k, v in self.timings.items()}}

    def _every(self, built: _Built, layout: str) -> list[FeedName]:
        base = [n for n in built.names.values() if n.layout == "days"]
        return base if layout == "days" else [with_layout(n, layout) for n in base]

    def _make(self, ctx: Context, built: _Built, layout: str, now: dt.datetime, months: set[Month] | None,
              old: _Before | None = None) -> set[str]:
        """Make the entries of every feed of ``layout`` (``months``: only those), bring their rows
        up to date and render the months of the rendered feeds. Returns the feeds whose
        segments changed. ``old``: the plan and acknowledgements before an edit (to find the
        entries it removed)."""
        runtime = built.runtime
        domain = uid_domain(runtime)
        every = self._every(built, layout)
        clock = _Stopwatch(self.timings)
        plan = built.plan if months is None else _subplan(built.plan, months, built.by_month)
        carry = carried(plan, runtime, every)
        missing = [f for f in every if str(f) not in built.owners]
        if missing:  # (over the whole plan: what it carries is known already when that is built)
            built.owners.update(shared_owners_all(built.plan, runtime, missing, carry if months is None else None))
        clock.lap("owners")
        # A full build reads the rows first: only the entries that have one, or that a feed
        # publishes now, need their hash.
        stored = feed_state.load(ctx.store, layout=layout) if months is None else None
        collector, copies = _collect(plan, runtime, every, carry, built.owners, done=built.done, today=built.today,
                                     domain=domain, months=months, keep=set(built.names), index=built.by_month,
                                     stored=stored, clock=clock)
        gone: set[str] = set()
        if old is not None:
            # What the edit may have taken away: the edited events' own entries (every one is in
            # ``all``) and the busy days' folds of these months (read back from the table).
            ev = old.events
            before_plan = Plan(old.plan.start, old.plan.end,
                               tuple(o for o in old.plan.occurrences if o.event.id in ev),
                               tuple(t for t in old.plan.tasks if t.event.id in ev))
            everyone = next(f for f in every if f.kind == "all")
            gone.update(c.logical for c in feed_copies(before_plan, runtime, everyone, done=old.done,
                                                       today=built.today, domain=domain, months=months,
                                                       owners=old.owners.get(str(everyone))))
            if months is not None and layout == "days":  # (the bars layout folds nothing)
                gone.update(feed_state.folds_in(ctx.store, months))
            gone.difference_update(collector.entries)
        clock.lap("entries")
        pending = feed_state.begin(ctx.store, collector.hashes(), collector.snapshot, now, layout=layout,
                                   full=months is None, gone=gone, present=collector.present, stored=stored)
        rendered = {k: built.names[k] for k in copies}
        large = months is None and len(plan.tasks) > PARALLEL_TASKS
        theirs = _render_share(copies, len(pending.writes)) if large else []
        if not theirs:
            rows, removed = pending.result(pending.apply())
            clock.lap("database")
            made = self._render(built, rendered, copies, rows, removed, now, months, clock)
        else:
            # A large build: the rows as they will be once written; a forked child renders some
            # feeds with them while this process writes them, then renders the rest.
            rows, removed = pending.result(True)
            child = parallel.start(lambda: self._render(built, {k: rendered[k] for k in theirs}, copies, rows,
                                                        removed, now, months, None))
            took = pending.apply()
            clock.lap("database")
            if not took:  # another daemon wrote some rows first: render with the table's
                if child is not None:
                    _discard(child)
                rows, removed = pending.result(False)
                made = self._render(built, rendered, copies, rows, removed, now, months, clock)
            else:
                mine = {k: n for k, n in rendered.items() if child is None or k not in theirs}
                made = self._render(built, mine, copies, rows, removed, now, months, clock)
                if child is not None:
                    try:
                        made.update(child.result(patience=parallel.PATIENCE_FLOOR))
                    except parallel.Failed as e:
                        log.warning("feeds: the second process failed (%s); rendering its part here", e)
                        made.update(self._render(built, {k: rendered[k] for k in theirs}, copies, rows, removed,
                                                 now, months, None))
                clock.lap("gzip")
        changed: set[str] = set()
        touched = set(months) if months is not None else None
        for k in rendered:
            parts = built.parts.get(k)
            if parts is None or months is None:
                head, tail = envelope(feed_meta(runtime, built.names[k]))
                parts = built.parts[k] = _Parts(feed_body.segment(head), feed_body.segment(tail))
            segs, cancelled_k, months_k = made[k]
            built.cancelled[k] = cancelled_k
            for m in (months_k if touched is not None else set(segs)):
                got = segs.get(m)
                old_seg = parts.months.get(m)
                if got is None:
                    if old_seg is not None:
                        del parts.months[m], parts.counts[m]
                        changed.add(k)
                    continue
                seg, count = got
                if old_seg is None or old_seg.digest != seg.digest:
                    parts.months[m] = seg
                    parts.counts[m] = count
                    changed.add(k)
        return changed if months is not None else set(rendered)

    def _render(self, built: _Built, rendered: Mapping[str, FeedName], copies: Mapping[str, list[Copy]],
                rows: Mapping[str, feed_state.Row], removed: list[feed_state.Row], now: dt.datetime,
                months: set[Month] | None, clock: _Stopwatch | None
                ) -> dict[str, tuple[dict[Month, tuple[Segment, int]], list[Stamped], set[Month]]]:
        """The months of these feeds as gzip segments with their number of entries, each feed's
        cancelled copies and the months to replace (``months`` and those of newly cancelled
        copies; every month: a full build). Reads ``built``, changes nothing (a forked child may
        run it)."""
        fresh: dict[str, list[Stamped]] = {}
        if removed:
            keys = {k: {c.item.key for c in copies[k]} for k in rendered}
            fresh = feed_state.cancelled(removed, rendered, keys, built.today, now, built.runtime.config.language)
        renderer = _Renderer()
        out: dict[str, tuple[dict[Month, tuple[Segment, int]], list[Stamped], set[Month]]] = {}
        for k in rendered:
            lst = built.cancelled.get(k, []) if months is not None else []
            # An entry that is back is no longer cancelled; a newly removed one is.
            lst = [s for s in lst if feed_state.logical_uid(s.item.uid, rendered[k]) not in rows]
            lst += fresh.get(k, [])
            lst.sort(key=lambda s: (s.item.start, s.item.uid))
            touched = set(months) if months is not None else set()
            touched.update(month_of(s.item.start) for s in fresh.get(k, []))
            made = render_months(copies[k], lst, rows, renderer, now, touched if months is not None else None)
            if clock is not None:
                clock.lap("render")
            out[k] = ({m: (feed_body.segment(b), n) for m, (b, n) in made.items()}, lst, touched)
            if clock is not None:
                clock.lap("gzip")
        return out

    def _compose(self, ctx: Context, built: _Built, keys: list[str], now: dt.datetime,
                 current: dict[str, RenderedFeed]) -> dict[str, RenderedFeed]:
        """The served feeds: ``keys`` made from their segments, the others kept from ``current``."""
        etags = {k: feed_body.etag_of(built.parts[k].segments()) for k in keys}
        versions = feed_state.feed_versions(ctx.store, etags, now)
        out = dict(current) if set(keys) != set(built.names) else {}
        for k in keys:
            name = built.names[k]
            parts = built.parts[k]
            meta = feed_meta(built.runtime, name)
            gz = feed_body.gzip_of(parts.segments())
            size = sum(s.size for s in parts.segments())
            lm = versions[k].astimezone(dt.UTC).replace(microsecond=0)
            out[k] = RenderedFeed(name=name, title=meta.name, gzip_body=gz,
                                  etag=f'"{etags[k]}"', gzip_etag=f'"{etags[k]}-gz"',
                                  last_modified=lm, http_date=format_datetime(lm, usegmt=True),
                                  items=sum(parts.counts.values()), public=str(name.base) in built.public,
                                  short_name=meta.short_name,
                                  identity=feed_body.identity(gz) if size <= feed_body.KEEP_IDENTITY else None)
        return out

    def _update(self, ctx: Context, built: _Built, months: set[Month], now: dt.datetime,
                old: _Before | None = None) -> list[str]:
        self.timings = {}
        changed: set[str] = set()
        for layout in built.layouts():
            changed |= self._make(ctx, built, layout, now, months, old)
        keys = sorted(changed)
        if keys:
            clock = _Stopwatch(self.timings)
            self._feeds = self._compose(ctx, built, keys, now, self._feeds)
            clock.lap("compose")
        return keys

    # ---- ad-hoc edits -------------------------------------------------------------------
    def _edit(self, ctx: Context) -> bool:
        """Re-make only what an edit of a few events touches; False if a full rebuild is needed."""
        built = self._built
        runtime = ctx.runtime
        if (built is None or built.today != ctx.today() or runtime.config is not built.runtime.config
                or runtime is built.runtime):
            return False
        old_events = {e.id: e for e in built.runtime.catalog.events}
        new_events = {e.id: e for e in runtime.catalog.events}
        ids = {i for i in old_events.keys() | new_events.keys()
               if old_events.get(i) is not new_events.get(i) and old_events.get(i) != new_events.get(i)}
        if not ids or len(ids) > INCREMENTAL_EVENTS:
            if not ids:
                built.runtime = runtime
            return not ids
        names = {str(n) for n in available_feeds(runtime)}
        if names != {k for k, n in built.names.items() if n.layout == "days"}:
            return False
        now = ctx.now()
        old_plan = built.plan
        fresh = build_plan([new_events[i] for i in ids if i in new_events], runtime.config, runtime.workdays,
                           old_plan.start, old_plan.end)
        plan = Plan(old_plan.start, old_plan.end,
                    tuple(o for o in old_plan.occurrences if o.event.id not in ids) + fresh.occurrences,
                    tuple(t for t in old_plan.tasks if t.event.id not in ids) + fresh.tasks)
        months = {month_of(d) for p in (old_plan, fresh) for d in _dates(p, ids)}
        before = _Before(old_plan, built.done, built.owners, built.by_month, frozenset(ids))
        built.runtime, built.plan = runtime, plan
        built.owners = _owners_after(plan, runtime, before.owners, old_plan, fresh, ids)
        # The month index of the new plan: the old one with the edited events' months made again.
        index = dict(before.index)
        fresh_index = _index(fresh)
        for m in months:
            occs, tasks = before.index.get(m, ([], []))
            new_occs, new_tasks = fresh_index.get(m, ([], []))
            index[m] = ([o for o in occs if o.event.id not in ids] + new_occs,
                        [t for t in tasks if t.event.id not in ids] + new_tasks)
        built.by_month = index
        built.years |= {t.occurrence.year for t in fresh.tasks}
        built.ack_months = None
        built.done = {**built.done, **load_done(ctx.store, {t.occurrence.year for t in fresh.tasks})}
        keys = self._update(ctx, built, months, now, old=before)
        self.built_at = now
        self._health(ctx, now)
        log.info("feeds: %d event(s) edited; re-made %d month(s) of %s", len(ids), len(months),
                 ", ".join(keys) or "no feed")
        return True

    # ---- acknowledgements ---------------------------------------------------------------
    def acks_changed(self, ctx: Context) -> None:
        """Re-render the months of the tasks whose acknowledgement was added or undone."""
        with self._lock:
            built = self._built
            if built is None or built.runtime is not ctx.runtime or built.today != ctx.today():
                self.rebuild(ctx)  # nothing kept to update from, or the day moved on
                return
            try:
                with _gc_paused():
                    self._update_acks(ctx, built)
            except Exception as e:
                log.exception("feeds: re-rendering after an acknowledgement failed; keeping the previous feeds")
                ctx.health["feeds"] = {**ctx.health.get("feeds", {}), "ok": False, "error": str(e)}

    def _update_acks(self, ctx: Context, built: _Built) -> None:
        now = ctx.now()
        fingerprint = acks_fingerprint(ctx.store)
        done = load_done(ctx.store, built.years)
        changed = {k for k in done.keys() | built.done.keys() if done.get(k) != built.done.get(k)}
        months: set[Month] = set()
        if changed:
            if built.ack_months is None:
                built.ack_months = _ack_months(built.plan)
            for k in changed:
                months.update(built.ack_months.get(k, ()))
        built.done = done
        keys = self._update(ctx, built, months, now) if months else []
        ctx.health["acks_fingerprint"] = fingerprint
        if keys:
            _trim_heap()
            log.info("feeds: %d acknowledgement(s) changed; re-rendered %s", len(changed), ", ".join(keys))

    # ---- other layouts ------------------------------------------------------------------
    def variant(self, ctx: Context, name: FeedName) -> RenderedFeed | None:
        """A feed in another layout, rendered on first request and kept up to date from then on."""
        key = str(name)
        found = self._feeds.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._feeds.get(key)
            built = self._built
            if found is not None or built is None or str(name.base) not in built.names:
                return found
            self.variants.add(key)
            now = ctx.now()
            built.names[key] = name
            with _gc_paused():
                self._make(ctx, built, name.layout, now, months=None)
            # Only this feed's segments are new; the others of its layout keep theirs.
            self._feeds = self._compose(ctx, built, [k for k, n in built.names.items() if n.layout == name.layout],
                                        now, self._feeds)
            return self._feeds.get(key)


PARALLEL_TASKS = 20_000  # a plan with more tasks than this is built by two processes (``parallel``)


def _collect(plan: Plan, runtime: Runtime, every: Sequence[FeedName], carry: Mapping[str, Carried],
             owners: Mapping[str, frozenset[str]], *, done: Mapping[tuple[str, str, int], Done], today: dt.date,
             domain: str, months: set[Month] | None = None, keep: set[str], folded: bool = False,
             shared: dict[tuple[object, ...], object] | None = None,
             index: dict[Month, tuple[list[Any], list[Any]]] | None = None,
             stored: Mapping[str, Any] | None = None,
             clock: _Stopwatch | None = None) -> tuple[feed_state.Collector, dict[str, list[Copy]]]:
    """The entries of every feed of a layout (``every``; ``months``: only those) summed into their
    rows' hashes, and the copies of the feeds in ``keep`` (with their folded copies if
    ``folded``; a build needs the published ones only: ``logical_entries`` stands for the rest).

    A large build (more than ``PARALLEL_TASKS`` tasks, published copies only) is made by two
    processes: a forked child makes every feed's entries of the later months, this process those
    of the earlier ones (a month's entries are the same made alone: busy days fold within it).
    Either way the result is the same."""
    shared = {} if shared is None else shared
    everyone = next(f for f in every if f.kind == "all")
    collector = feed_state.Collector(runtime, layout=everyone.layout, done=done, today=today,
                                     shared=owners[str(everyone)], carry=carry)

    def entries_into(into: feed_state.Collector, p: Plan, part: Mapping[str, Carried], ms: set[Month] | None,
                     cache: dict[tuple[object, ...], object], lap: _Stopwatch | None) -> dict[str, list[Copy]]:
        """Every feed's entries of ``p`` (``ms``: of those months), summed into ``into``'s rows
        (those of other months are other rows: each entry starts in one month)."""
        # First, as every feed's entries need them: each task's and occurrence's ids and words.
        logicals = logical_entries(p, runtime, everyone.layout, domain=domain, months=ms, shared=cache)
        made: dict[str, list[Copy]] = {}
        for f in every:
            k = str(f)
            made[k] = feed_copies(p, runtime, f, done=done, today=today, domain=domain, shared=cache, months=ms,
                                  owners=owners[k], carry=part[k], folded=folded and k in keep)
            if lap is not None:
                lap.lap("entries")
            into.add(k, made[k])
            if lap is not None:
                lap.lap("hashes")
        need = _seen(logicals, stored, into)
        into.add_hashed(need, into.entry_hashes(need))
        if lap is not None:
            lap.lap("hashes")
        return made

    halves = _halves(plan, index) if months is None and not folded and len(plan.tasks) > PARALLEL_TASKS else None
    if halves is None:
        made = entries_into(collector, plan, carry, months, shared, clock)
        return collector, {k: cs for k, cs in made.items() if k in keep}

    assert index is not None

    def share(ms: set[Month], into: feed_state.Collector) -> dict[str, list[Copy]]:
        """``entries_into`` the part of the plan that the months ``ms`` come from."""
        sub = _subplan(plan, ms, index)
        return entries_into(into, sub, carried(sub, runtime, every), ms, {}, None)  # (a cache of this part's)

    sources: list[Any] = [*plan.tasks, *plan.occurrences]

    def later() -> tuple[dict[str, list[Copy]], list[str], array[int], array[int], list[tuple[int, Copy, list[str]]]]:
        """The child's part: the later months' copies and rows, in columns (pickled by the
        hundred thousand, a list per row would cost more than the rows): the logical entries,
        their hashes, their task's or occurrence's place in ``sources`` (objects do not cross
        processes), and the published ones' first copy and feeds."""
        mine = feed_state.Collector(runtime, layout=everyone.layout, done=done, today=today,
                                    shared=owners[str(everyone)], carry=carry)
        made = share(late, mine)
        number = {id(x): i for i, x in enumerate(sources)}
        recs = mine.entries
        return (made, list(recs), array("Q", [r[0] for r in recs.values()]),
                array("q", [number.get(id(r[3]), -1) for r in recs.values()]),
                [(i, r[1], r[2]) for i, r in enumerate(recs.values()) if r[1] is not None])

    early, late = halves
    child = parallel.start(later)
    began = time.perf_counter()
    made = share(early, collector)
    theirs: dict[str, list[Copy]] | None = None
    if child is not None:
        try:
            theirs, lgs, hs, at, pubs = child.result(
                patience=max(parallel.PATIENCE_FLOOR, 3 * (time.perf_counter() - began)))
            recs: list[list[Any]] = [[h, None, [], sources[i] if i >= 0 else None] for h, i in zip(hs, at, strict=True)]
            for i, c, feeds in pubs:
                recs[i][1], recs[i][2] = c, feeds
            collector.entries.update(zip(lgs, recs, strict=True))
        except parallel.Failed as e:
            log.warning("feeds: the second process failed (%s); building its part here", e)
    if theirs is None:
        theirs = share(late, collector)
    if clock is not None:
        clock.lap("entries")
    copies = {k: made[k] + theirs[k] for k in map(str, every) if k in keep}  # (the earlier months first)
    if clock is not None:
        clock.lap("hashes")
    return collector, copies


def _seen(logicals: list[Logical], stored: Mapping[str, Any] | None,
          collector: feed_state.Collector) -> list[Logical]:
    """The logical entries whose hash is needed: with ``stored`` (a full build's rows), those that
    have a row or that a feed publishes (added to ``collector`` already); else all. An entry no
    one has seen gets no row (``state.diff``), so the rest would be hashed for nothing: on a
    large catalog, most of them, folded into busy days."""
    if stored is None:
        return logicals
    have = collector.entries
    return [e for e in logicals if e.logical in have or e.logical in stored]


def _halves(plan: Plan, index: dict[Month, tuple[list[Any], list[Any]]] | None) -> tuple[set[Month], set[Month]] | None:
    """The plan's months in two runs, earlier and later, with about as many tasks each (None: one
    process is enough)."""
    if index is None or len(index) < 2 or not hasattr(os, "fork"):
        return None
    ms = sorted(index)
    total = sum(len(index[m][1]) for m in ms)
    run = 0
    for i, m in enumerate(ms):
        run += len(index[m][1])
        if run * 2 >= total:
            cut = max(1, min(i + 1, len(ms) - 1))
            return set(ms[:cut]), set(ms[cut:])
    return None


# Seconds per published copy rendered and compressed, and per row written (the generated
# 10,000-event catalog's figures, bench/bench_scale.py): how a large build's rendering is shared.
_RENDER_COPY, _WRITE_ROW = 45e-6, 4e-6
_RENDER_HERE = 0.4  # of the rendering, what this process does when it has nothing to write (best measured)


def _render_share(copies: Mapping[str, list[Copy]], writes: int) -> list[str]:
    """The feeds a forked child renders while this process writes ``writes`` rows: the largest
    first, until what is left here is about ``_RENDER_HERE`` of the work, less the writing (this
    process renders more slowly while a child shares its memory: each page it writes to is
    copied first)."""
    size = {k: len(cs) for k, cs in copies.items()}
    total = sum(size.values()) * _RENDER_COPY
    here = max(0.0, _RENDER_HERE * total - writes * _WRITE_ROW)  # what this process renders
    left = total
    theirs: list[str] = []
    for k in sorted(size, key=lambda k: (-size[k], k)):
        if left - size[k] * _RENDER_COPY >= here or not theirs:
            theirs.append(k)
            left -= size[k] * _RENDER_COPY
    return theirs


def _discard(child: parallel.Forked[Any]) -> None:
    """A child whose result is not wanted: killed now and reaped (not waited for)."""
    with contextlib.suppress(parallel.Failed):
        child.result(patience=0.0)


def _owners_after(plan: Plan, runtime: Runtime, before: Mapping[str, frozenset[str]], old_plan: Plan, fresh: Plan,
                  ids: set[str]) -> dict[str, frozenset[str]]:
    """``shared_owners`` of every feed after an edit of the events ``ids``: only the actions of
    their tasks (before and after) can have gained or lost a second lead department."""
    acts = {t.action for p in (old_plan, fresh) for t in p.tasks if t.event.id in ids}
    by_action: dict[str, list[Any]] = {}
    for t in plan.tasks:
        if t.action in acts:
            by_action.setdefault(t.action, []).append(t)
    out: dict[str, frozenset[str]] = {}
    for key, owners in before.items():
        name = _variant(key)
        if name is None:
            continue
        role = carries(runtime, name)
        kept = set(owners) - acts
        for a in acts:
            if len({t.owner for t in by_action.get(a, ()) if role(t) is not False}) > 1:
                kept.add(a)
        out[key] = frozenset(kept)
    return out


def _dates(plan: Plan, ids: set[str]) -> Iterable[dt.date]:
    for o in plan.occurrences:
        if o.event.id in ids:
            yield o.date
    for t in plan.tasks:
        if t.event.id in ids:
            yield t.window_start
            yield t.due


def _variant(text: str) -> FeedName | None:
    from .names import parse_feed_name

    base, _, layout = text.partition("?layout=")
    try:
        return with_layout(parse_feed_name(base), layout or "days")
    except ValueError:
        return None


class _Stopwatch:
    """Adds the seconds since the last lap to ``into[step]``."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into = into
        self.t = time.perf_counter()

    def lap(self, step: str) -> None:
        t = time.perf_counter()
        self.into[step] = self.into.get(step, 0.0) + t - self.t
        self.t = t


class _gc_paused:
    """The cyclic collector paused while a build allocates its hundreds of thousands of
    objects, none in a cycle (it would otherwise walk them again and again)."""

    def __enter__(self) -> None:
        self._was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: Any) -> None:
        if self._was:
            gc.enable()


def _trim_heap(collect: bool = False) -> None:
    """Give the rebuild's freed scratch memory back to the OS (glibc keeps it otherwise):
    a long-running daemon's resident size then reflects the feeds it holds, not its peak.
    ``collect``: run the cyclic collector first (a full build; not worth its time after an
    acknowledgement)."""
    forget_caches()
    feed_state.forget_caches()
    if collect:
        gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def install(ctx: Context) -> FeedCache:
    """Make ``ctx.feeds`` a FeedCache (once); rebuild it whenever the runtime changes and
    re-render what an acknowledgement touches whenever one is added or undone."""
    if isinstance(ctx.feeds, FeedCache):
        return ctx.feeds
    cache = FeedCache()
    ctx.feeds = cache
    ctx.on_change.append(cache.rebuild)
    ctx.on_acks_change.append(cache.acks_changed)
    register_published(cache.published)
    return cache




def stamped_feed(store: Store | None, runtime: Runtime, plan: Plan, feed: FeedName,
                 done: Mapping[tuple[str, str, int], Done], today: dt.date, now: dt.datetime) -> list[Stamped]:
    """One feed's entries (folded ones ``hidden``) with the SEQUENCE and LAST-MODIFIED the daemon
    publishes, and its cancelled copies, read-only: ``reminderd export``. Without a store,
    every entry is new (SEQUENCE 0). The rows' hashes sum over every feed of the layout, so
    every feed's entries are made."""
    domain = uid_domain(runtime)
    every = [with_layout(n, feed.layout) for n in available_feeds(runtime)]
    shared: dict[tuple[object, ...], object] = {}
    carry = carried(plan, runtime, every)
    owners = shared_owners_all(plan, runtime, every, carry)
    collector, kept = _collect(plan, runtime, every, carry, owners, done=done, today=today, domain=domain,
                               keep={str(feed)}, folded=True, shared=shared)
    mine = kept.get(str(feed), [])
    if store is not None:
        rows, removed = feed_state.sync(store, collector.hashes(), collector.snapshot, now, layout=feed.layout,
                                        full=True, write=False)
    else:
        rows, removed = {}, []
    keys = {str(feed): {c.item.key for c in mine}}
    out = []
    for c in mine:
        it = c.item if isinstance(c.item, FeedItem) else word(c.item, runtime, feed, domain, shared)
        r = rows.get(c.logical)
        item = replace(it, uid=c.uid, feed=str(feed), hidden=c.hidden)
        out.append(Stamped(item, r.sequence, r.last_modified) if r else Stamped(item, 0, now))
    lang = runtime.config.language
    out += feed_state.cancelled(removed, {str(feed): feed}, keys, today, now, lang).get(str(feed), [])
    out.sort(key=lambda s: (s.item.start, s.item.uid))
    return out
