"""Rendered feeds in memory: bytes, gzip bytes, ETag and Last-Modified per feed.

Feeds are rendered when the runtime (catalog, config, ad-hoc items) changes or the
daemon replans — ``rebuild(ctx)`` — and every request is then a dictionary lookup.
``install(ctx)`` makes the cache ``ctx.feeds``, registers the rebuild as a change
listener and ``acks_changed`` as an acknowledgement listener. A rebuild swaps the whole
mapping at once, so a request served during one sees either the old feeds or the new
ones, never a mix; a failed rebuild keeps the old feeds and records the error in
``ctx.health["feeds"]``.

An acknowledgement (added or undone, through this process or — noticed by the daemon's
``acks`` job within ``[daemon] dispatch_interval`` — by the other daemon of a pair or the
CLI) re-renders only the feeds that carry the task: their entries are worded again from
the kept plan and wordings, and only the items whose content changed are written to
``feed_items``.

The ``bars`` layout of a feed (``?layout=bars``) is rendered the first time someone asks
for it, and kept up to date from then on.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import gzip
import hashlib
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import format_datetime

from sqlalchemy import func, select

from . import feed_state
from .context import Context
from .feeds import (
    Done,
    FeedItem,
    FeedName,
    Stamped,
    available_feeds,
    feed_items,
    feed_meta,
    public_feeds,
    register_published,
    render,
    uid_domain,
)
from .plan import Plan
from .runtime import Runtime
from .store import Store, schema

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedFeed:
    name: FeedName
    title: str
    body: bytes
    gzip_body: bytes
    etag: str  # quoted strong ETag of the identity body
    gzip_etag: str  # the gzip representation is a different entity: its own ETag
    last_modified: dt.datetime
    http_date: str  # Last-Modified, formatted once
    items: int
    public: bool
    short_name: str = ""  # what the URL's last segment and the WebDAV display name say


def _etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


@dataclass
class _Built:
    """What the last rebuild worked from, kept so that an acknowledgement re-renders only the
    feeds it touches without planning again."""

    runtime: Runtime
    today: dt.date
    plan: Plan
    public: set[str]
    done: dict[tuple[str, str, int], Done]
    stamped: dict[str, list[Stamped]]
    names: dict[str, FeedName]
    feeds_of: dict[tuple[str, str, int], set[str]]  # a task's ack key → the feeds that carry it
    shared: dict[tuple[str, ...], FeedItem] = field(default_factory=dict)  # worded entries
    by_uid: dict[str, dict[str, Stamped]] = field(default_factory=dict)  # feed → uid → item, lazily


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


class FeedCache:
    def __init__(self) -> None:
        self._feeds: dict[str, RenderedFeed] = {}
        self._lock = threading.RLock()  # one rebuild or update at a time
        self.built_at: dt.datetime | None = None
        self.problems: list[str] = []
        self._built: _Built | None = None
        self.variants: set[str] = set()  # feeds in another layout that someone asked for

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

    def published(self, uid: str) -> Stamped | None:
        """The item of this UID as the feeds publish it (hidden ones too): the mail attachment's."""
        built = self._built
        if built is None:
            return None
        scope = uid.rpartition("@")[0].rpartition(".")[2]
        for name, feed in built.names.items():
            if feed.layout == "days" and feed.scope == scope:
                table = built.by_uid.get(name)
                if table is None:
                    table = built.by_uid[name] = {s.item.uid: s for s in built.stamped.get(name, [])}
                return table.get(uid)
        return None

    # ---- full rebuild -------------------------------------------------------------------
    def rebuild(self, ctx: Context) -> None:
        """Render every feed of ``ctx.runtime`` over its horizon. Safe to call from a listener."""
        with self._lock:
            try:
                self._rebuild(ctx)
                _trim_heap()
            except Exception as e:
                log.exception("feeds: rebuild failed; keeping the previous feeds")
                ctx.health["feeds"] = {**ctx.health.get("feeds", {}), "ok": False, "error": str(e)}
                if not self.built:
                    raise

    def _rebuild(self, ctx: Context) -> None:
        runtime = ctx.runtime
        cfg = runtime.config
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
        # The fingerprint first: an acknowledgement made while this runs is caught by the next poll.
        fingerprint = acks_fingerprint(ctx.store)
        done = load_done(ctx.store, {t.occurrence.year for t in plan.tasks})
        built = _Built(runtime=runtime, today=today, plan=plan, public=public, done=done, stamped={},
                       names={str(n): n for n in names}, feeds_of=defaultdict(set))
        domain = uid_domain(runtime)
        current = {str(f): feed_items(plan, runtime, f, done=done, today=today, domain=domain,
                                      _shared=built.shared) for f in names}
        built.stamped = feed_state.reconcile(ctx.store, current, today, now, cfg.language)
        _index(built, current)
        rendered = self._render(ctx, built, list(current), now)
        self._feeds = rendered
        self._built = built
        self.built_at = now
        self.problems = problems
        ctx.health["acks_fingerprint"] = fingerprint
        for p in problems:
            log.warning("feeds: %s", p)
        ctx.health["feeds"] = {"ok": True, "built_at": now.isoformat(),
                               "feeds": sum(1 for f in rendered.values() if f.name.layout == "days"),
                               "items": sum(f.items for f in rendered.values() if f.name.layout == "days"),
                               "horizon": [start.isoformat(), end.isoformat()], "problems": problems}

    def _render(self, ctx: Context, built: _Built, keys: list[str], now: dt.datetime) -> dict[str, RenderedFeed]:
        """Render ``keys`` from ``built`` into a copy of the current mapping (the others kept)."""
        bodies: dict[str, tuple[FeedName, str, str, bytes, int]] = {}
        for key in keys:
            name = built.names[key]
            meta = feed_meta(built.runtime, name)
            items = built.stamped[key]
            body = render(meta, items)
            bodies[key] = (name, meta.name, meta.short_name, body, sum(1 for s in items if not s.item.hidden))
        etags = {k: _etag(v[3]) for k, v in bodies.items()}
        versions = feed_state.feed_versions(ctx.store, etags, now)
        out = dict(self._feeds) if set(keys) != set(built.names) else {}
        for key, (name, title, short, body, count) in bodies.items():
            lm = versions[key].astimezone(dt.UTC).replace(microsecond=0)
            out[key] = RenderedFeed(name=name, title=title, body=body,
                                    gzip_body=gzip.compress(body, compresslevel=6, mtime=0),
                                    etag=f'"{etags[key]}"', gzip_etag=f'"{etags[key]}-gz"',
                                    last_modified=lm, http_date=format_datetime(lm, usegmt=True),
                                    items=count, public=str(name.base) in built.public, short_name=short)
        return out

    # ---- acknowledgements ---------------------------------------------------------------
    def acks_changed(self, ctx: Context) -> None:
        """Re-render the feeds that carry a task whose acknowledgement was added or undone."""
        with self._lock:
            built = self._built
            if built is None or built.runtime is not ctx.runtime or built.today != ctx.today():
                self.rebuild(ctx)  # nothing kept to update from, or the day moved on
                return
            try:
                self._update_acks(ctx, built)
            except Exception as e:
                log.exception("feeds: re-rendering after an acknowledgement failed; keeping the previous feeds")
                ctx.health["feeds"] = {**ctx.health.get("feeds", {}), "ok": False, "error": str(e)}

    def _update_acks(self, ctx: Context, built: _Built) -> None:
        now = ctx.now()
        fingerprint = acks_fingerprint(ctx.store)
        done = load_done(ctx.store, {t.occurrence.year for t in built.plan.tasks})
        changed = {k for k in done.keys() | built.done.keys() if done.get(k) != built.done.get(k)}
        keys = sorted({f for k in changed for f in built.feeds_of.get(k, ())})
        if keys:
            current = {k: feed_items(built.plan, built.runtime, built.names[k], done=done, today=built.today,
                                     _shared=built.shared) for k in keys}
            self._restamp(ctx, built, current, now)
            built.done = done
            self._feeds = self._render(ctx, built, keys, now)
            _trim_heap()
        else:
            built.done = done
        ctx.health["acks_fingerprint"] = fingerprint
        if keys:
            log.info("feeds: %d acknowledgement(s) changed; re-rendered %s", len(changed), ", ".join(keys))

    def _restamp(self, ctx: Context, built: _Built, current: Mapping[str, list[FeedItem]], now: dt.datetime) -> None:
        """New stamps for the items of ``current`` whose content changed; cancelled copies kept."""
        writes: list[feed_state.Write] = []
        for key, items in current.items():
            old = {s.item.uid: s for s in built.stamped[key]}
            for it in items:
                prev = old.get(it.uid)
                if prev is None:
                    writes.append(feed_state.Write(feed_state.ItemState(it.uid, it.content_hash(), 0, now, None, it),
                                                   None))
                elif prev.item != it:
                    before = feed_state.ItemState(it.uid, prev.item.content_hash(), prev.sequence,
                                                  prev.last_modified, None, prev.item)
                    writes.append(feed_state.Write(feed_state.ItemState(it.uid, it.content_hash(), prev.sequence + 1,
                                                                        now, None, it), before))
        if writes:
            feed_state.apply(ctx.store, writes)
        # The table is the truth when two daemons race: read back what was written.
        states = feed_state.load(ctx.store, [w.new.uid for w in writes])
        for key, items in current.items():
            old = {s.item.uid: s for s in built.stamped[key]}
            stamped = []
            for it in items:
                st = states.get(it.uid)
                prev = old.get(it.uid)
                if st is not None:
                    stamped.append(Stamped(it, st.sequence, st.last_modified))
                elif prev is not None:
                    stamped.append(Stamped(it, prev.sequence, prev.last_modified))
                else:
                    stamped.append(Stamped(it, 0, now))
            uids = {it.uid for it in items}
            stamped += [s for s in built.stamped[key] if s.item.status == "CANCELLED" and s.item.uid not in uids]
            stamped.sort(key=lambda s: (s.item.start, s.item.uid))
            built.stamped[key] = stamped
            built.by_uid.pop(key, None)

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
            items = feed_items(built.plan, built.runtime, name, done=built.done, today=built.today,
                               _shared=built.shared)
            current = {key: items}
            built.names[key] = name
            built.stamped[key] = feed_state.reconcile(ctx.store, current, built.today, now,
                                                      built.runtime.config.language)[key]
            _index(built, current)
            self._feeds = self._render(ctx, built, [key], now)
            return self._feeds.get(key)


def _variant(text: str) -> FeedName | None:
    from .feeds import parse_feed_name, with_layout

    base, _, layout = text.partition("?layout=")
    try:
        return with_layout(parse_feed_name(base), layout)
    except ValueError:
        return None


def _index(built: _Built, current: Mapping[str, list[FeedItem]]) -> None:
    """Which feeds carry each task (by acknowledgement key)."""
    ack_key = {t.key: t.ack_key for t in built.plan.tasks}
    for feed, items in current.items():
        for it in items:
            k = ack_key.get(it.key)
            if k is not None:
                built.feeds_of[k].add(feed)
        # A busy day's entry lists its tasks: its folded entries (hidden) carry the same keys.


def _trim_heap() -> None:
    """Give the rebuild's freed scratch memory back to the OS (glibc keeps it otherwise):
    a long-running daemon's resident size then reflects the feeds it holds, not its peak."""
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
