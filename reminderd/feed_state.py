"""SEQUENCE and LAST-MODIFIED of feed items, kept in the ``feed_items`` table.

Calendar clients use SEQUENCE and LAST-MODIFIED to notice that an item changed; they
must move when (and only when) the content does — not on every restart, and the same
on both daemons of a pair sharing one PostgreSQL database. So each item's content hash
is remembered per UID: a new hash bumps SEQUENCE and sets LAST-MODIFIED to ``now``.

An item that vanishes from a feed (its occurrence removed from the catalog) is marked
removed and, if its date is today or later, published as a STATUS:CANCELLED copy for
``CANCELLED_DAYS`` so that clients that cache items drop it; items that merely slide out
of the horizon are dropped without a cancellation. If the item comes back, its SEQUENCE
keeps counting up from the cancelled one.

The steps are pure (``diff``, ``merge``, ``stamp``) with I/O at the edges (``load``,
``apply``), so ``reminderd export`` can compute the same stamps read-only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import bindparam, select

from .feeds import FeedItem, Stamped
from .store import Store, insert_ignore, insert_ignore_many, schema

CANCELLED_DAYS = 30
# An item replaced by another shape of the same thing (a new UID scheme, a task now shown as
# one-day entries, a busy day no longer folded) is published cancelled only long enough for
# every refreshing client to see it once: its successor is already in the feed, and a month of
# struck-through copies would clutter the calendar. The copy is one day long (its last day).
REPLACED_DAYS = 2
REMOVED = "removed"  # the content_hash of a removed item
CANCEL_PREFIX = {"vi": "[Đã hủy] ", "en": "[Cancelled] "}


@dataclass(frozen=True)
class ItemState:
    uid: str
    content_hash: str
    sequence: int
    last_modified: dt.datetime
    removed_at: dt.datetime | None
    snapshot: FeedItem | None  # the last published content (None only for foreign rows)


@dataclass(frozen=True)
class Write:
    new: ItemState
    old: ItemState | None  # None: insert; else compare-and-set on the old sequence


def load(store: Store, uids: Iterable[str] | None = None) -> dict[str, ItemState]:
    """Every row (or only those of ``uids``)."""
    t = schema.feed_items
    out: dict[str, ItemState] = {}
    wanted = None if uids is None else sorted(set(uids))
    with store.engine.connect() as conn:
        queries = ([select(t)] if wanted is None else
                   [select(t).where(t.c.uid.in_(wanted[i:i + 500])) for i in range(0, len(wanted), 500)])
        for q in queries:
            for r in conn.execute(q):
                out[r.uid] = _state(r)
    return out


def _state(r: Any) -> ItemState:
    snap: FeedItem | None = None
    if r.snapshot:
        try:
            snap = FeedItem.from_json(json.loads(r.snapshot))
        except (ValueError, KeyError, TypeError):
            snap = None  # written by an incompatible version; treated as unknown content
    return ItemState(r.uid, r.content_hash, r.sequence, r.last_modified, r.removed_at, snap)


def diff(current: Mapping[str, list[FeedItem]], states: Mapping[str, ItemState],
         now: dt.datetime) -> list[Write]:
    """What must change in the table so that it describes ``current`` (feed → items)."""
    writes: list[Write] = []
    seen: set[str] = set()
    for items in current.values():
        for it in items:
            seen.add(it.uid)
            h = it.content_hash()
            st = states.get(it.uid)
            if st is None:
                writes.append(Write(ItemState(it.uid, h, 0, now, None, it), None))
            elif st.content_hash != h or st.removed_at is not None:
                writes.append(Write(ItemState(it.uid, h, st.sequence + 1, now, None, it), st))
    for st in states.values():
        if st.uid in seen or st.removed_at is not None or st.snapshot is None:
            continue
        if st.snapshot.feed in current:  # only feeds that were rebuilt can lose items
            writes.append(Write(replace(st, content_hash=REMOVED, sequence=st.sequence + 1,
                                        last_modified=now, removed_at=now), st))
    return writes


def merge(states: Mapping[str, ItemState], writes: Iterable[Write]) -> dict[str, ItemState]:
    """The table after ``writes``, in memory (for a read-only export)."""
    out = dict(states)
    for w in writes:
        out[w.new.uid] = w.new
    return out


def apply(store: Store, writes: list[Write]) -> None:
    """Write changes; a row that another daemon changed meanwhile is left as it is.

    Batched (executemany): a first build of a large catalog writes hundreds of thousands of rows.
    """
    t = schema.feed_items
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for w in writes:
        values = {"content_hash": w.new.content_hash, "sequence": w.new.sequence,
                  "last_modified": w.new.last_modified, "removed_at": w.new.removed_at,
                  "snapshot": json.dumps(w.new.snapshot.to_json(), ensure_ascii=False)
                  if w.new.snapshot else None}
        if w.old is None:
            inserts.append({"uid": w.new.uid, **values})
        else:
            updates.append({"b_uid": w.new.uid, "b_old_sequence": w.old.sequence, **values})
    with store.engine.begin() as conn:
        insert_ignore_many(conn, t, inserts)
        if updates:
            conn.execute(t.update().where(t.c.uid == bindparam("b_uid"),
                                          t.c.sequence == bindparam("b_old_sequence"))
                         .values({c: bindparam(c) for c in ("content_hash", "sequence", "last_modified",
                                                             "removed_at", "snapshot")}), updates)


def stamp(current: Mapping[str, list[FeedItem]], states: Mapping[str, ItemState], today: dt.date,
          now: dt.datetime, language: str = "vi") -> dict[str, list[Stamped]]:
    """Each feed's items with their SEQUENCE/LAST-MODIFIED, plus cancelled copies."""
    out: dict[str, list[Stamped]] = {}
    for feed, items in current.items():
        stamped = []
        for it in items:
            st = states.get(it.uid)
            # Missing only if the table could not be written; fall back to a fresh item.
            stamped.append(Stamped(it, st.sequence, st.last_modified) if st else Stamped(it, 0, now))
        out[feed] = stamped
    cutoff = now - dt.timedelta(days=CANCELLED_DAYS)
    replaced_cutoff = now - dt.timedelta(days=REPLACED_DAYS)
    keys = {feed: {it.key for it in items} for feed, items in current.items()}
    prefix = CANCEL_PREFIX.get(language, CANCEL_PREFIX["vi"])
    for st in states.values():
        snap = st.snapshot
        if (snap is None or st.removed_at is None or snap.feed not in out or snap.hidden
                or st.removed_at < cutoff or snap.end <= today):
            continue  # hidden: folded into a busy day's entry, never published, nothing to cancel
        replaced = snap.key in keys[snap.feed] or snap.key.startswith("_day@")
        if replaced and st.removed_at < replaced_cutoff:
            continue
        start = max(snap.start, snap.end - dt.timedelta(days=1)) if replaced else snap.start
        gone = replace(snap, status="CANCELLED", summary=prefix + snap.summary.removeprefix(prefix), alarm=None,
                       alarm_at=None, start=start)
        out[snap.feed].append(Stamped(gone, st.sequence, st.last_modified))
    for lst in out.values():
        lst.sort(key=lambda s: (s.item.start, s.item.uid))
    return out


def reconcile(store: Store, current: Mapping[str, list[FeedItem]], today: dt.date, now: dt.datetime,
              language: str = "vi", *, write: bool = True) -> dict[str, list[Stamped]]:
    """Load, diff, write (unless ``write`` is False) and stamp, in one call."""
    states = load(store)
    writes = diff(current, states, now)
    if writes and write:
        apply(store, writes)
        states = load(store)  # the table is the truth when two daemons race
    elif writes:
        # Read-only (export, perhaps of a narrower range): new and changed items get the
        # stamps the daemon would give them, but nothing counts as removed.
        states = merge(states, [w for w in writes if w.new.removed_at is None])
    return stamp(current, states, today, now, language)


# ---- feed-level versions: Last-Modified of a whole feed -----------------------------------

FEED_STATE_PREFIX = "feed:"


def feed_versions(store: Store, etags: Mapping[str, str], now: dt.datetime) -> dict[str, dt.datetime]:
    """Last-Modified per feed: when its ETag last changed (kept in ``daemon_state``).

    Item times alone are not enough: dropping an item changes the feed but no item's time.
    """
    t = schema.daemon_state
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.name, t.c.value, t.c.updated_at)
                            .where(t.c.name.like(FEED_STATE_PREFIX + "%"))).all()
    known = {r.name[len(FEED_STATE_PREFIX):]: (json.loads(r.value), r.updated_at) for r in rows}
    out: dict[str, dt.datetime] = {}
    changed = []
    for feed, etag in etags.items():
        old = known.get(feed)
        if old and old[0] == etag:
            out[feed] = old[1]
        else:
            out[feed] = now
            changed.append(feed)
    if changed:
        with store.engine.begin() as conn:
            for feed in changed:
                name = FEED_STATE_PREFIX + feed
                values = {"value": json.dumps(etags[feed]), "updated_at": now}
                if not conn.execute(t.update().where(t.c.name == name).values(**values)).rowcount:
                    insert_ignore(conn, t, {"name": name, **values})
    return out
