"""SEQUENCE and LAST-MODIFIED of feed entries, kept in the ``feed_items`` table.

Calendar clients use SEQUENCE and LAST-MODIFIED to notice that an item changed; they
must move when (and only when) the content does — not on every restart, and the same
on both daemons of a pair sharing one PostgreSQL database.

**One row per entry, not per feed.** The same task's due day is in ``all``, its tag's and
country's feeds and its departments' feeds, each copy under its own UID (the feed's scope in
it). The table keeps one row per *logical* entry — the UID without the scope
(``feeds.Copy.logical``) — and every copy is published with that row's SEQUENCE and
LAST-MODIFIED. The row's ``content_hash`` sums (modulo 2⁶⁴) a hash of what the entry is worded
from, once, and a hash of its words in each feed of the layout that publishes it, mixed with
that feed (``Collector``): a change to the entry or to any published copy moves the sum, while
the copies folded into busy days (most of a large catalog's) need not be made at all. The
entries of one month give the sum of each of their rows, so a change re-reads and re-writes
only the months it touches. A busy day's folded entry belongs to one feed; its row is its own
UID.

**A row only for an entry someone has seen**: one that a feed publishes (or did), or that a
reminder attached (``FeedCache.published`` makes its row then). An entry folded in every feed
and never attached has none (``diff`` passes it over): nobody has a SEQUENCE of it to move past,
and on a large catalog that is most entries.

An entry that vanishes (its occurrence removed from the catalog) is marked removed and, if its
date is today or later, published as a STATUS:CANCELLED copy for ``CANCELLED_DAYS`` in the
feeds that showed it (``Snapshot``), so that clients that cache items drop it; entries that
merely slide out of the horizon are dropped without a cancellation. If the entry comes back,
its SEQUENCE keeps counting up from the cancelled one.

Rows written by earlier versions (one per feed copy, a JSON snapshot of the whole item) are
read as the entries they stand for and replaced by one row each at the next write.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import bindparam, select

from ..model import PlannedTask
from ..runtime import Runtime
from ..store import Store, insert_ignore_many, schema
from .entries import Carried, Copy, Logical
from .items import FeedItem, Stamped, occurrence_item
from .names import FeedName, parse_feed_name, uid_domain, with_layout

CANCELLED_DAYS = 30
# An item replaced by another shape of the same thing (a new UID scheme, a task now shown as
# one-day entries, a busy day no longer folded) is published cancelled only long enough for
# every refreshing client to see it once: its successor is already in the feed, and a month of
# struck-through copies would clutter the calendar. The copy is one day long (its last day).
REPLACED_DAYS = 2
REMOVED = "removed"  # the content_hash of a removed item
CANCEL_PREFIX = {"vi": "[Đã hủy] ", "en": "[Cancelled] "}
_MASK = (1 << 64) - 1
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a cancelled copy needs: the entry's key, dates and title, and the feeds that
    published it (not those where it was folded away)."""

    key: str
    start: dt.date
    end: dt.date  # exclusive
    summary: str
    feeds: tuple[str, ...]
    left: tuple[str, ...] = ()  # feeds that published it and no longer have it (cancelled there)

    def dump(self) -> str:
        feeds = ",".join(self.feeds) + (";" + ",".join(self.left) if self.left else "")
        return f"2|{_compact(self.start)}|{_compact(self.end)}|{feeds}|{self.key}|{self.summary}"

    @classmethod
    def load(cls, text: str) -> Snapshot | None:
        try:
            _, start, end, feeds, key, summary = text.split("|", 5)
            shown, _, left = feeds.partition(";")
            return cls(key, _ymd(start), _ymd(end), summary, tuple(f for f in shown.split(",") if f),
                       tuple(f for f in left.split(",") if f))
        except ValueError:
            return None


@functools.lru_cache(maxsize=8192)
def _compact(d: dt.date) -> str:
    return f"{d:%Y%m%d}"


def forget_caches() -> None:
    """Drop what a build memoised (see ``feeds.forget_caches``)."""
    _compact.cache_clear()


def _ymd(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))


@dataclass(slots=True)  # (not frozen: a build makes a hundred thousand; none is changed)
class Row:
    uid: str  # the logical entry
    content_hash: str
    sequence: int
    last_modified: dt.datetime
    removed_at: dt.datetime | None
    stored: Snapshot | str | None  # the snapshot, or its text (read when needed)
    legacy: tuple[str, ...] = ()  # rows of an earlier version this entry replaces

    @property
    def snapshot(self) -> Snapshot | None:
        s = self.stored
        if isinstance(s, str):
            return Snapshot.load(s) if s.startswith("2|") else None
        return s

    @property
    def has_left(self) -> bool:
        """Published cancelled in feeds it left (a task moved to another department)."""
        s = self.stored
        if isinstance(s, str):
            return ";" in s.split("|", 4)[3] if s.startswith("2|") else False
        return bool(s and s.left)


# ---- logical entries ---------------------------------------------------------------------

def layout_of(logical: str) -> str:
    return "bars" if ".bars@" in logical else "days"


def logical_uid(uid: str, feed: FeedName) -> str:
    """The entry a copy's UID stands for (``feeds.Copy.logical``)."""
    if uid.startswith("_day."):
        return uid
    head, sep, domain = uid.rpartition("@")
    scope = "." + feed.scope
    if not sep or not head.endswith(scope):
        return uid
    base = head[: -len(scope)]
    return f"{base}.bars@{domain}" if feed.layout == "bars" else f"{base}@{domain}"


def copy_uid(logical: str, feed: FeedName) -> str:
    """A logical entry's UID in ``feed`` (the inverse of ``logical_uid``)."""
    if logical.startswith("_day."):
        return logical
    head, _, domain = logical.rpartition("@")
    if feed.layout == "bars":
        head = head.removesuffix(".bars")
    return f"{head}.{feed.scope}@{domain}"


def _h64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def item_hash(it: FeedItem) -> int:
    """The content of a worded entry, whatever feed and UID it is published under."""
    return _h64(repr((it.key, it.start, it.end, it.summary, it.description, it.categories, it.alarm,
                      it.alarm_at, it.status)).encode("utf-8"))


class Collector:
    """Sums the hash of each logical entry of one layout: a part for the entry itself, whether it
    is published or folded (``entry_hashes``, ``add_hashed``: what it is worded from, once), and
    a part for each feed that publishes it (``add``: its words there). A folded copy adds nothing of its own:
    the folded copies are most of a large catalog's, and are never made one by one."""

    def __init__(self, runtime: Runtime, *, layout: str = "days", done: Mapping[Any, Any] | None = None,
                 today: dt.date | None = None, shared: frozenset[str] = frozenset(),
                 carry: Mapping[str, Carried] | None = None) -> None:
        self.runtime = runtime
        self.layout = layout
        self.done = done or {}
        self.today = today
        self.shared = shared  # the actions that more than one department leads (titles name it)
        self._carry = carry or {}  # what each feed carries: the feeds an entry is in (``present``)
        self._where: dict[int, list[str]] | None = None
        # logical → [hash sum, a published copy or None, its publishing feeds, its task or occurrence]
        self.entries: dict[str, list[Any]] = {}
        self._items: dict[int, tuple[int, object]] = {}  # id(item) → (hash, item kept alive)
        self._tasks: dict[str, int] = {}
        self._ways: dict[tuple[object, ...], int] = {}
        self._mix: dict[str, tuple[int, int]] = {}
        self._parts: dict[int, int] = {}  # id(rule or event) → the hash of what it gives a task's words
        cfg = runtime.config
        self._domain = uid_domain(runtime)
        self._words = _h64(repr((cfg.language, cfg.sections.get("reminders", {}).get("send_at"))).encode())

    def _item_hash(self, it: FeedItem) -> int:
        got = self._items.get(id(it))
        if got is None:
            h = item_hash(it)
            self._items[id(it)] = (h, it)
            return h
        return got[0]

    def _task_hash(self, task: PlannedTask, key: str) -> int:
        """What every entry of a task is worded from: its own fields, its rule's (lead, note, the
        departments' names) and its event's (tags, country), each hashed once."""
        cfg, parts = self.runtime.config, self._parts
        rule, occ = task.rule, task.occurrence
        event = occ.event
        r = parts.get(id(rule))
        if r is None:
            r = parts[id(rule)] = _h64(repr((rule.lead, rule.note, cfg.department_name(rule.owner),
                                             [cfg.department_name(x) for x in rule.support])).encode()) | 1
        e = parts.get(id(event))
        if e is None:
            e = parts[id(event)] = _h64(repr((event.tags, event.country)).encode())
        own = _h64(f"{key}\x1f{task.action}\x1f{occ.title}\x1f{task.window_start.toordinal()}\x1f"
                   f"{task.due.toordinal()}\x1f{task.provisional:d}{occ.provisional:d}".encode())
        return (own * r + e * 0x9E3779B97F4A7C15 + self._words) & _MASK

    def entry_hashes(self, entries: Iterable[Logical]) -> list[int]:
        """Each logical entry's own part of its hash. A task's: what it is worded from (the
        task's, hashed once for its entries) and how it reads (the kind of entry, done or not,
        its alarm day passed or not, whether titles name its lead department). No row is added:
        a build may work this out in another process (``parallel``)."""
        tasks, ways, done, today = self._tasks, self._ways, self.done, self.today
        layout, shared = self.layout, self.shared
        out: list[int] = []
        add = out.append
        for e in entries:
            task = e.task
            if task is None:
                assert e.occurrence is not None
                add(self._item_hash(occurrence_item(e.occurrence, self.runtime, FeedName("all"), self._domain)))
                continue
            base = tasks.get(e.key)
            if base is None:
                base = tasks[e.key] = self._task_hash(task, e.key)
            way = (e.kind, layout, done.get(e.ack), today is None or e.start >= today, task.action in shared)
            code = ways.get(way)
            if code is None:
                code = ways[way] = _h64(repr(way).encode()) | 1
            add((base * code) & _MASK)
        return out

    def add_hashed(self, entries: Sequence[Logical], hashes: Sequence[int]) -> None:
        """The logical entries with their own parts (``entry_hashes``, in the same order)."""
        rows = self.entries
        for e, h in zip(entries, hashes, strict=True):
            source: object = e.occurrence if e.task is None else e.task
            rec = rows.get(e.logical)
            if rec is None:
                rows[e.logical] = [h, None, [], source]
            else:
                rec[0] = (rec[0] + h) & _MASK
                rec[3] = source

    def add(self, feed: str, copies: Iterable[Copy]) -> None:
        """One feed's published copies (folded ones, if given, are passed over)."""
        mix = self._mix.get(feed)
        if mix is None:
            f = _h64(feed.encode())
            mix = self._mix[feed] = (f | 1, _h64(b"+" + feed.encode()))
        mult, add = mix
        entries = self.entries
        for c in copies:
            if c.hidden:
                continue
            h = self._item_hash(cast(FeedItem, c.item))
            rec = entries.get(c.logical)
            if rec is None:
                entries[c.logical] = [(h * mult + add) & _MASK, c, [feed], None]
                continue
            rec[0] = (rec[0] + h * mult + add) & _MASK
            rec[2].append(feed)
            if rec[1] is None:
                rec[1] = c

    def snapshot(self, logical: str) -> Snapshot | None:
        """What a cancelled copy of the entry would need; None if no feed publishes it (folded
        everywhere: there is nothing to cancel, and most rows of a large catalog are such)."""
        _, c, feeds, _ = self.entries[logical]
        if c is None:
            return None
        it = c.item
        return Snapshot(it.key, it.start, it.end, it.summary, tuple(feeds))

    def hashes(self) -> dict[str, str]:
        return {k: f"{v[0]:016x}" for k, v in self.entries.items()}

    def present(self, logical: str) -> list[str]:
        """Every feed that has the entry now, folded or not: those that carry its task or
        occurrence (a busy day's own entry: the feed that publishes it)."""
        rec = self.entries.get(logical)
        if rec is None:
            return []
        if rec[3] is None:
            return list(rec[2])
        if self._where is None:
            where: dict[int, list[str]] = {}
            for feed, (tasks, occs) in self._carry.items():
                for t, _ in tasks:
                    where.setdefault(id(t), []).append(feed)
                for o in occs:
                    where.setdefault(id(o), []).append(feed)
            self._where = where
        return self._where.get(id(rec[3]), list(rec[2]))


# ---- the table -----------------------------------------------------------------------------

def _row(r: Any) -> Row:
    return Row(r.uid, r.content_hash, r.sequence, r.last_modified, r.removed_at, r.snapshot)


def _legacy(r: Any) -> tuple[str, Snapshot] | None:
    """A row of an earlier version (one per feed copy, a JSON item): its logical entry and
    snapshot, or None if it is not one."""
    text = r.snapshot or ""
    if not text.startswith("{"):
        return None
    try:
        d = json.loads(text)
        base, _, layout = str(d["feed"]).partition("?layout=")
        feed = with_layout(parse_feed_name(base), layout or "days")
        snap = Snapshot(str(d["key"]), dt.date.fromisoformat(str(d["start"])), dt.date.fromisoformat(str(d["end"])),
                        str(d["summary"]), () if d.get("hidden") else (str(feed),))
    except (ValueError, KeyError, TypeError):
        return None
    return logical_uid(r.uid, feed), snap


def load(store: Store, uids: Iterable[str] | None = None, *, layout: str | None = None) -> dict[str, Row]:
    """Rows by logical entry: every row (of one layout), or only those of ``uids``. Rows of an
    earlier version (read only with every row) are folded into the entries they stand for:
    the highest SEQUENCE, ``content_hash`` "legacy" so that the next write replaces them,
    their UIDs in ``Row.legacy`` to be deleted then."""
    t = schema.feed_items
    cols = (t.c.uid, t.c.content_hash, t.c.sequence, t.c.last_modified, t.c.removed_at, t.c.snapshot)
    out: dict[str, Row] = {}
    legacy: dict[str, list[tuple[Any, Snapshot]]] = {}
    wanted = None if uids is None else sorted(set(uids))
    with store.engine.connect() as conn:
        queries = ([select(*cols)] if wanted is None else
                   [select(*cols).where(t.c.uid.in_(wanted[i:i + _CHUNK])) for i in range(0, len(wanted), _CHUNK)])
        for q in queries:
            for r in conn.execute(q):
                if r.snapshot and r.snapshot.startswith("{"):
                    got = _legacy(r) if wanted is None else None
                    if got is not None and (layout is None or layout_of(got[0]) == layout):
                        legacy.setdefault(got[0], []).append((r, got[1]))
                elif layout is None or layout_of(r.uid) == layout:
                    out[r.uid] = _row(r)
    for lg, lst in legacy.items():
        uids_of = tuple(r.uid for r, _ in lst)
        have = out.get(lg)
        if have is not None:  # already converted: only the old rows to delete
            out[lg] = replace(have, legacy=uids_of)
            continue
        removed = [r.removed_at for r, _ in lst]
        feeds = tuple(dict.fromkeys(f for _, snap in lst for f in snap.feeds))
        out[lg] = Row(lg, "legacy", max(r.sequence for r, _ in lst), max(r.last_modified for r, _ in lst),
                      max(removed) if all(removed) else None, replace(lst[0][1], feeds=feeds), uids_of)
    return out


@dataclass(slots=True)
class Write:
    new: Row
    old: Row | None  # None: insert; else compare-and-set on the old sequence


def diff(hashes: Mapping[str, str], snapshot: Any, rows: Mapping[str, Row], now: dt.datetime,
         gone: Iterable[str], present: Callable[[str], Iterable[str]] | None = None) -> list[Write]:
    """What must change so that the table describes ``hashes`` (logical → content hash), and
    marks the ``gone`` entries removed. ``snapshot(logical)`` gives a new row's snapshot;
    ``present``: the feeds that have each entry now, folded or not (an entry that a feed
    published and no longer has is cancelled there: ``Snapshot.left``)."""
    writes: list[Write] = []
    cutoff = now - dt.timedelta(days=CANCELLED_DAYS)
    for lg, h in hashes.items():
        r = rows.get(lg)
        if r is None:
            snap = snapshot(lg)
            if snap is None:  # no feed publishes it, none did, no mail showed it: nobody has seen it
                continue
            writes.append(Write(Row(lg, h, 0, now, None, snap), None))
        elif r.content_hash != h or r.removed_at is not None:
            snap = snapshot(lg)
            old = r.snapshot if present is not None and r.removed_at is None else None
            if old is not None and present is not None:
                left = set(old.feeds) | (set(old.left) if r.last_modified >= cutoff else set())
                left.difference_update(present(lg))
                if left:  # (now folded everywhere else: the old snapshot says what it was)
                    snap = replace(snap or replace(old, feeds=()), left=tuple(sorted(left)))
            writes.append(Write(Row(lg, h, r.sequence + 1, now, None, snap), r))
    for lg in gone:
        r = rows.get(lg)
        if r is not None and r.removed_at is None and lg not in hashes:
            writes.append(Write(replace(r, content_hash=REMOVED, sequence=r.sequence + 1, last_modified=now,
                                        removed_at=now, stored=r.snapshot), r))
    return writes


def apply(store: Store, writes: list[Write], drop: Iterable[str] = ()) -> bool:
    """Write changes; a row that another daemon changed meanwhile is left as it is.

    Batched (executemany): a first build of a large catalog writes a hundred thousand rows.
    True if every write took (no other daemon got there first).
    """
    t = schema.feed_items
    updates: list[dict[str, Any]] = []
    legacy: list[str] = list(drop)
    new_rows: list[Row] = []
    for w in writes:
        if w.old is None or w.old.content_hash == "legacy":
            new_rows.append(w.new)
            continue
        snap = w.new.snapshot
        updates.append({"b_uid": w.new.uid, "b_old_sequence": w.old.sequence, "content_hash": w.new.content_hash,
                        "sequence": w.new.sequence, "last_modified": w.new.last_modified,
                        "removed_at": w.new.removed_at, "snapshot": snap.dump() if snap else None})
    with store.engine.begin() as conn:
        for i in range(0, len(legacy), _CHUNK):
            conn.execute(t.delete().where(t.c.uid.in_(legacy[i:i + _CHUNK])))
        if conn.dialect.name == "sqlite":
            took = _insert_sqlite(conn, new_rows) == len(new_rows) if new_rows else True
        else:
            inserts = [{"uid": r.uid, "content_hash": r.content_hash, "sequence": r.sequence,
                        "last_modified": r.last_modified, "removed_at": r.removed_at,
                        "snapshot": _dump(r)} for r in new_rows]
            took = insert_ignore_many(conn, t, inserts) == len(inserts)
        if updates:
            res = conn.execute(t.update().where(t.c.uid == bindparam("b_uid"),
                                                t.c.sequence == bindparam("b_old_sequence"))
                               .values({c: bindparam(c) for c in ("content_hash", "sequence", "last_modified",
                                                                   "removed_at", "snapshot")}), updates)
            took = took and res.rowcount == len(updates)
    return took


def folds_in(store: Store, months: Iterable[tuple[int, int]]) -> set[str]:
    """The busy days' folded entries of these months that the table holds as live (their UIDs
    begin ``_day.YYYYMMDD``: a range of the primary key per month)."""
    t = schema.feed_items
    out: set[str] = set()
    with store.engine.connect() as conn:
        for y, m in sorted(set(months)):
            lo = f"_day.{y:04d}{m:02d}"
            hi = f"_day.{y + (m == 12):04d}{m % 12 + 1:02d}"
            out.update(conn.execute(select(t.c.uid).where(t.c.uid >= lo, t.c.uid < hi,
                                                          t.c.removed_at.is_(None))).scalars())
    return out


def _dump(r: Row) -> str | None:
    snap = r.snapshot
    return snap.dump() if snap else None


def _insert_sqlite(conn: Any, new_rows: list[Row]) -> int:
    """A first build's hundred thousand rows straight to the driver: the same values as the
    table's types write them (each time converted once), without a conversion per row."""
    col = schema.feed_items.c.last_modified
    convert = col.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    done: dict[Any, Any] = {None: None}

    def value(d: dt.datetime | None) -> Any:
        got = done.get(d, done)
        if got is done:
            got = done[d] = convert(d) if convert else d
        return got

    rows = [(r.uid, r.content_hash, r.sequence, value(r.last_modified), value(r.removed_at), _dump(r))
            for r in new_rows]
    rows.sort()  # in key order: each page of the table's B-tree is then filled once, not split over and over
    res = conn.exec_driver_sql("INSERT OR IGNORE INTO feed_items (uid, content_hash, sequence, last_modified, "
                               "removed_at, snapshot) VALUES (?, ?, ?, ?, ?, ?)", rows)
    return int(res.rowcount)


@dataclass
class Sync:
    """A sync worked out and not yet written (``begin``): the rows it will write, and what the
    table holds after it."""

    store: Store
    hashes: Mapping[str, str]
    rows: dict[str, Row]  # the table's rows as they were read
    writes: list[Write]
    drop: list[str]  # rows of an earlier version, to delete
    full: bool
    gone: list[str]

    def apply(self) -> bool:
        """Write; True if every write took (or there was nothing to write)."""
        return apply(self.store, self.writes, self.drop) if self.writes or self.drop else True

    def result(self, took: bool | None) -> tuple[dict[str, Row], list[Row]]:
        """The rows of ``hashes`` and the removed ones (``sync``) once the writes took
        (``took`` True), did not all take (False: the table is read again) or were not made
        (None: read-only)."""
        rows = self.rows
        if took:
            rows = {**rows, **{w.new.uid: w.new for w in self.writes}}
        elif took is False:  # another daemon wrote some of these meanwhile: the table is the truth
            rows = {**rows, **load(self.store, [w.new.uid for w in self.writes])}
        elif self.writes:
            # Read-only: new and changed entries get the stamps the daemon would give them, but
            # nothing counts as removed.
            rows = {**rows, **{w.new.uid: w.new for w in self.writes if w.new.removed_at is None}}
        hashes = self.hashes
        current = {lg: rows[lg] for lg in hashes if lg in rows}
        gone_set = set(self.gone)
        removed = [r for lg, r in rows.items() if r.removed_at is not None and lg not in hashes
                   and (self.full or lg in gone_set)]
        removed += [r for r in current.values() if r.has_left]
        return current, removed


def begin(store: Store, hashes: Mapping[str, str], snapshot: Any, now: dt.datetime, *, layout: str,
          full: bool, gone: Iterable[str] = (), present: Callable[[str], Iterable[str]] | None = None,
          stored: dict[str, Row] | None = None) -> Sync:
    """``sync`` worked out, nothing written yet (``stored``: the layout's rows, if a full build
    read them already)."""
    gone = list(gone)
    if stored is not None and full:
        rows = stored
    else:
        rows = load(store, layout=layout) if full else load(store, [*hashes, *gone])
    if full:
        gone = [lg for lg in rows if lg not in hashes]
    writes = diff(hashes, snapshot, rows, now, gone, present)
    drop = [u for r in rows.values() for u in r.legacy]
    return Sync(store, hashes, rows, writes, drop, full, gone)


def sync(store: Store, hashes: Mapping[str, str], snapshot: Any, now: dt.datetime, *, layout: str,
         full: bool, gone: Iterable[str] = (), write: bool = True,
         present: Callable[[str], Iterable[str]] | None = None) -> tuple[dict[str, Row], list[Row]]:
    """Bring the rows of ``hashes`` up to date (``full``: every row of the layout, and the
    rows not in ``hashes`` are gone; else only ``hashes`` and ``gone``).

    Returns the rows of ``hashes`` as the table now holds them (the table is the truth when
    two daemons race), and the rows whose cancelled copies may still be published: removed
    ones, and live ones that left some feeds.
    ``write=False`` (a read-only export): the stamps the daemon would give, nothing written.
    """
    s = begin(store, hashes, snapshot, now, layout=layout, full=full, gone=gone, present=present)
    return s.result(s.apply() if write else None)


def cancelled(removed: Iterable[Row], feeds: Mapping[str, FeedName], keys: Mapping[str, set[str]],
              today: dt.date, now: dt.datetime, language: str = "vi") -> dict[str, list[Stamped]]:
    """The STATUS:CANCELLED copies the removed rows still publish, by feed (only ``feeds``).
    ``keys``: each feed's current entry keys (an entry whose key is still there was replaced
    by another shape of itself: its cancelled copy is shown briefly, one day long)."""
    out: dict[str, list[Stamped]] = {}
    cutoff = now - dt.timedelta(days=CANCELLED_DAYS)
    replaced_cutoff = now - dt.timedelta(days=REPLACED_DAYS)
    prefix = CANCEL_PREFIX.get(language, CANCEL_PREFIX["vi"])
    for r in removed:
        snap = r.snapshot
        when = r.removed_at or r.last_modified
        if snap is None or when < cutoff or snap.end <= today:
            continue
        for fs in snap.feeds if r.removed_at is not None else snap.left:
            feed = feeds.get(fs)
            if feed is None:
                continue
            replaced = snap.key in keys.get(fs, ()) or snap.key.startswith("_day@")
            if replaced and when < replaced_cutoff:
                continue
            start = max(snap.start, snap.end - dt.timedelta(days=1)) if replaced else snap.start
            item = FeedItem(uid=copy_uid(r.uid, feed), feed=fs, key=snap.key, start=start, end=snap.end,
                            summary=prefix + snap.summary.removeprefix(prefix), description="",
                            status="CANCELLED")
            out.setdefault(fs, []).append(Stamped(item, r.sequence, r.last_modified))
    for lst in out.values():
        lst.sort(key=lambda s: (s.item.start, s.item.uid))
    return out


# ---- feed-level versions: Last-Modified of a whole feed -----------------------------------

FEED_STATE_PREFIX = "feed:"


def feed_versions(store: Store, etags: Mapping[str, str], now: dt.datetime) -> dict[str, dt.datetime]:
    """Last-Modified per feed: when its ETag last changed (kept in ``daemon_state``).

    Item times alone are not enough: dropping an item changes the feed but no item's time.
    """
    from ..store import insert_ignore

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
