"""Rendered feeds in memory: bytes, gzip bytes, ETag and Last-Modified per feed.

Feeds are rendered when the runtime (catalog, config, ad-hoc items) changes or the
daemon replans — ``rebuild(ctx)`` — and every request is then a dictionary lookup.
``install(ctx)`` makes the cache ``ctx.feeds`` and registers the rebuild as a change
listener. A rebuild swaps the whole mapping at once, so a request served during one
sees either the old feeds or the new ones, never a mix; a failed rebuild keeps the
old feeds and records the error in ``ctx.health["feeds"]``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import gzip
import hashlib
import logging
import threading
from dataclasses import dataclass
from email.utils import format_datetime

from . import feed_state
from .context import Context
from .feeds import FeedName, available_feeds, feed_meta, items_for_feeds, public_feeds, render

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


def _etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


class FeedCache:
    def __init__(self) -> None:
        self._feeds: dict[str, RenderedFeed] = {}
        self._lock = threading.Lock()  # one rebuild at a time
        self.built_at: dt.datetime | None = None
        self.problems: list[str] = []

    @property
    def built(self) -> bool:
        return self.built_at is not None

    def get(self, name: str) -> RenderedFeed | None:
        return self._feeds.get(name)

    def feeds(self) -> list[RenderedFeed]:
        """Every rendered feed, sorted by name (for the page's subscribe list)."""
        return [self._feeds[k] for k in sorted(self._feeds)]

    def public(self) -> list[RenderedFeed]:
        return [f for f in self.feeds() if f.public]

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
        start, end = runtime.horizon(today)
        plan = runtime.plan(start, end)
        current = items_for_feeds(plan, runtime, names)
        stamped = feed_state.reconcile(ctx.store, current, today, now, cfg.language)
        bodies: dict[str, tuple[FeedName, str, bytes, int]] = {}
        for name in names:
            meta = feed_meta(runtime, name)
            items = stamped[str(name)]
            bodies[str(name)] = (name, meta.name, render(meta, items), len(items))
        etags = {k: _etag(v[2]) for k, v in bodies.items()}
        versions = feed_state.feed_versions(ctx.store, etags, now)
        new: dict[str, RenderedFeed] = {}
        for key, (name, title, body, count) in bodies.items():
            lm = versions[key].astimezone(dt.UTC).replace(microsecond=0)
            new[key] = RenderedFeed(name=name, title=title, body=body,
                                    gzip_body=gzip.compress(body, compresslevel=6, mtime=0),
                                    etag=f'"{etags[key]}"', gzip_etag=f'"{etags[key]}-gz"',
                                    last_modified=lm, http_date=format_datetime(lm, usegmt=True),
                                    items=count, public=key in public)
        self._feeds = new
        self.built_at = now
        self.problems = problems
        for p in problems:
            log.warning("feeds: %s", p)
        ctx.health["feeds"] = {"ok": True, "built_at": now.isoformat(), "feeds": len(new),
                               "items": sum(f.items for f in new.values()),
                               "horizon": [start.isoformat(), end.isoformat()], "problems": problems}


def _trim_heap() -> None:
    """Give the rebuild's freed scratch memory back to the OS (glibc keeps it otherwise):
    a long-running daemon's resident size then reflects the feeds it holds, not its peak."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def install(ctx: Context) -> FeedCache:
    """Make ``ctx.feeds`` a FeedCache (once) and rebuild it whenever the runtime changes."""
    if isinstance(ctx.feeds, FeedCache):
        return ctx.feeds
    cache = FeedCache()
    ctx.feeds = cache
    ctx.on_change.append(cache.rebuild)
    return cache
