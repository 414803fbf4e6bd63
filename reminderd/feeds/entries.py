"""A feed's entries: what each feed carries of a plan, which entries a busy day folds into one,
the copies a feed publishes (``feed_copies``) and the logical entries its rows stand for
(``logical_entries``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple, cast

from .. import i18n
from ..config import Config
from ..model import Occurrence, PlannedTask
from ..plan import Plan
from ..runtime import Runtime
from .items import (
    DoneMap,
    FeedItem,
    Pending,
    _categories,
    _day_uid,
    _short_date,
    alarm_time,
    occurrence_item,
    occurrence_summary,
    short,
    word,
)
from .names import Entry, FeedName, Role, uid_domain, with_layout
from .text import clean_text, t

BUSY_DAY = 3  # more entries than this of one kind on one day in one feed are folded into one


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


_Days = dict[dt.date, tuple[str, str]]  # a date → its texts in UIDs (YYYYMMDD) and keys (ISO)


def _day_texts(d: dt.date, days: _Days) -> tuple[str, str]:
    """A date's texts, made once per build (formatting a date is the dearest part of an id: a
    plan has a few hundred dates a year and tens of thousands of tasks)."""
    got = days.get(d)
    if got is None:
        got = days[d] = (f"{d:%Y%m%d}", d.isoformat())
    return got


def _task_key(task: PlannedTask, iso: str) -> str:
    """``PlannedTask.key``, from its occurrence date's ISO text made once."""
    return f"{task.occurrence.event.id}/{task.rule.id}@{iso}"


def _task_info(task: PlannedTask, domain: str, ranks: Mapping[int, int], days: _Days) -> _TaskInfo:
    occ = task.occurrence
    ymd, iso = _day_texts(occ.date, days)
    ev, rule_id = occ.event.id, task.rule.id
    ids = f"{ev}.{rule_id}.{ymd}"
    return _TaskInfo(_task_key(task, iso), (ev, rule_id, occ.year), ids, task.window_start == task.due,
                     f"{ids}.open@{domain}", f"{ids}.due@{domain}", f"{ids}.bars@{domain}", ranks[id(task)])


def _task_infos(plan: Plan, cache: dict[tuple[object, ...], object]
                ) -> tuple[dict[int, _TaskInfo], dict[int, int], _Days]:
    """The build's ``_TaskInfo`` by task (filled as tasks come), the tasks' places in a fold and
    the dates' texts (``_day_texts``)."""
    tinfo = cast(dict[int, _TaskInfo], cache.setdefault(("tinfo",), {}))
    days = cast(_Days, cache.setdefault(("days",), {}))
    ranks = cast(dict[int, int] | None, cache.get(("ranks",)))
    if ranks is None:
        ranks = cache[("ranks",)] = _ranks(plan, days)
    return tinfo, ranks, days


class _OccInfo:
    """What every feed's entry of an occurrence shares, made once per build: the id its UIDs start
    with, its logical entry, the title and categories a busy day's entry lists it by, and its
    item, made only for a feed that publishes it (most occurrences of a large catalog are
    listed in a busy day's entry, never published on their own)."""

    __slots__ = ("_domain", "_feed", "_item", "_runtime", "base", "categories", "logical", "occ", "summary")

    def __init__(self, occ: Occurrence, base: str, logical: str, runtime: Runtime, feed: FeedName,
                 domain: str) -> None:
        self.occ, self.base, self.logical = occ, base, logical
        self.summary = occurrence_summary(occ)
        self.categories = _categories(runtime, occ.event.tags, occ.event.country)
        self._item: FeedItem | None = None
        self._runtime, self._feed, self._domain = runtime, feed, domain

    def item(self) -> FeedItem:
        it = self._item
        if it is None:
            it = self._item = occurrence_item(self.occ, self._runtime, self._feed, self._domain)
        return it


def _occurrence_infos(layout: str, cache: dict[tuple[object, ...], object]) -> dict[int, _OccInfo]:
    return cast(dict[int, _OccInfo], cache.setdefault(("occ", layout), {}))


def _occurrence_info(o: Occurrence, runtime: Runtime, feed: FeedName, domain: str, layout: str,
                     infos: dict[int, _OccInfo], days: _Days) -> _OccInfo:
    """An occurrence's ``_OccInfo``, made once per build (``infos``: ``_occurrence_infos``;
    ``days``: the dates' texts, ``_task_infos``)."""
    base = f"{o.event.id}.{_day_texts(o.date, days)[0]}"
    lsuffix = ".bars" if layout == "bars" else ""
    info = infos[id(o)] = _OccInfo(o, base, f"{base}{lsuffix}@{domain}", runtime, feed, domain)
    return info


class Logical(NamedTuple):
    """A logical entry of a layout (``state`` keeps a row for each that someone has seen): an
    occurrence's (``occurrence``; its item is made when its hash is) or a task's (``task``, its
    ``kind`` of entry and acknowledgement key)."""

    logical: str
    start: dt.date
    kind: Entry
    task: PlannedTask | None
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
    tinfo, ranks, days = _task_infos(plan, cache)
    out: list[Logical] = []
    add = out.append
    bars = layout == "bars"
    infos = _occurrence_infos(layout, cache)
    for o in plan.occurrences:
        if months is None or (o.date.year, o.date.month) in months:
            oi = infos.get(id(o)) or _occurrence_info(o, runtime, everyone, domain, layout, infos, days)
            add(Logical(oi.logical, o.date, "due", None, o.key, None, o))
    for task in plan.tasks:
        info = tinfo.get(id(task))
        if info is None:
            info = tinfo[id(task)] = _task_info(task, domain, ranks, days)
        if bars or not info.one_day:
            start = task.window_start
            if months is None or (start.year, start.month) in months:
                add(Logical(info.l_bars if bars else info.l_open, start, "due" if bars else "open", task,
                            info.key, info.ack, None))
        if not bars:
            start = task.due
            if months is None or (start.year, start.month) in months:
                add(Logical(info.l_due, start, "due", task, info.key, info.ack, None))
    return out


class Copy(NamedTuple):
    """One feed's entry: a worded ``item`` shared by every feed that shows it the same way (its
    own ``uid`` and ``feed`` may be another feed's), this feed's UID, and whether it is folded.

    ``logical`` is the entry's identity across feeds (``state`` keeps one row per logical
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

    tinfo, ranks, days = _task_infos(plan, cache)
    entries: list[_Entry] = []
    add = entries.append
    if carry is None:
        carry = carried(plan, runtime, [feed])[str(feed)]
    open_sfx, due_sfx, bars_sfx = f".open.{scope}@{domain}", f".due.{scope}@{domain}", f".{scope}@{domain}"
    for task, role in carry[0]:  # (one loop, no call per task: it runs for every task of every feed)
        info = tinfo.get(id(task))
        if info is None:
            info = tinfo[id(task)] = _task_info(task, domain, ranks, days)
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

    # The roles whose entries ring in this feed: a department's own (and those it supports, by config).
    ring_role: set[Role | None] = (({"owner", "support"} if support_alarms else {"owner"})
                                   if feed.kind == "department" else set())

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
    busy: dict[dt.date, list[_OccInfo]] = defaultdict(list)
    infos = _occurrence_infos(layout, cache)
    uid_sfx = f".{scope}@{domain}"
    for o in occs:
        oi = infos.get(id(o)) or _occurrence_info(o, runtime, feed, domain, layout, infos, days)
        if per_day[o.date] > BUSY_DAY:
            busy[o.date].append(oi)
            if folded:
                copies.append(Copy(o.date, oi.base + uid_sfx, oi.item(), True, oi.logical))
        else:
            copies.append(Copy(o.date, oi.base + uid_sfx, oi.item(), False, oi.logical))
    if bars:
        copies.extend(finish(entries))
    else:
        folds = _folds(entries)
        copies.extend(finish(entries))
        lines = cast(dict[int, str], cache.setdefault(("lines",), {}))
        ev_cats = cast(dict[int, tuple[str, ...]], cache.setdefault(("evcats",), {}))
        dep = feed.kind == "department"
        for f in folds:
            # The same fold in another feed (all and a tag every event has) is worded once.
            fk = ("fold", f.kind, f.day, f.event.key if f.event else None, dep,
                  tuple([(e.rank, e.ack in done) for e in f.members]) if done else tuple([e.rank for e in f.members]))
            fitem = cast(FeedItem | None, cache.get(fk))
            if fitem is None:
                fitem = cache[fk] = _fold_item(f, runtime, feed, domain, done, today, ring_role, lines, ev_cats)
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


def _ranks(plan: Plan, days: _Days) -> dict[int, int]:
    """Where each task is listed in a fold, as a number (sorting numbers is cheaper than tuples
    of strings): by action, lead department and key; a supporting part after the lead ones."""
    def order(t: PlannedTask) -> tuple[str, str, str]:
        return (t.action, t.rule.owner, _task_key(t, _day_texts(t.occurrence.date, days)[1]))
    return {id(t): i for i, t in enumerate(sorted(plan.tasks, key=order))}


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
               today: dt.date | None, ring_role: Set[Role | None],
               lines_cache: dict[int, str] | None = None,
               cats_cache: dict[int, tuple[str, ...]] | None = None) -> FeedItem:
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
    # The members' events' categories, each event's once (the same tuple for most of them).
    ev_cats: dict[int, tuple[str, ...]] = {} if cats_cache is None else cats_cache
    uniq: dict[tuple[str, ...], None] = {}
    for e in members:
        ev = e.task.occurrence.event
        got = ev_cats.get(id(ev))
        if got is None:
            got = ev_cats[id(ev)] = _categories(runtime, ev.tags, ev.country)
        uniq[got] = None
    cats = tuple(dict.fromkeys(c for cs in uniq for c in cs))
    uid = _fold_uid(fold, feed, domain)
    if fold.event is None:
        key = f"_day@{day.isoformat()}/{fold.kind}"
    else:
        key = f"_day@{day.isoformat()}/{fold.kind}/{fold.event.key}"
    item = FeedItem(uid=uid, feed=str(feed), key=key, start=day, end=day + dt.timedelta(days=1),
                    summary=clean_text(summary), description=clean_text("\n".join(lines)), categories=cats)
    if ring_role and (today is None or day >= today) and any(e.role in ring_role for e in open_ones):
        item = replace(item, alarm=item.summary, alarm_at=alarm_time(runtime, day))
    return item


def _folded_events(busy: Mapping[dt.date, list[_OccInfo]], runtime: Runtime, feed: FeedName,
                   domain: str, cache: dict[tuple[object, ...], object] | None = None) -> list[Copy]:
    """A busy day's events are one entry too (``busy``: each such day's events). The same day in
    another feed is worded once (``cache``)."""
    lang = runtime.config.language
    cache = {} if cache is None else cache
    out = []
    for day, evs in busy.items():
        uid = _day_uid(day, "event", feed, domain)
        fk = ("events", day, tuple(sorted(oi.logical for oi in evs)))
        item = cast(FeedItem | None, cache.get(fk))
        if item is None:
            titles = sorted(oi.summary for oi in evs)
            what = _what(titles)
            lines = [t(lang, "group.head.events", n=len(evs), date=i18n.fmt_date(lang, day))]
            lines += [t(lang, "group.event.line", title=x) for x in titles]
            cats = tuple(dict.fromkeys(c for oi in evs for c in oi.categories))
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


def items_for_feeds(plan: Plan, runtime: Runtime, feeds: Sequence[FeedName], *, done: DoneMap | None = None,
                    today: dt.date | None = None) -> dict[str, list[FeedItem]]:
    shared: dict[tuple[object, ...], object] = {}
    domain = uid_domain(runtime)
    return {str(f): feed_items(plan, runtime, f, done=done, today=today, domain=domain, _shared=shared)
            for f in feeds}
