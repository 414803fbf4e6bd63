"""The plan: occurrences and their tasks over a date range. Pure; no I/O.

A task's window comes from its lead: ``"5-7wd"`` opens 7 working days
before the event and is due 5 working days before, "N working days before D"
being ``holidays``' ``get_nth_working_day(D, -N)``. Calendar-day leads
(``"10d"``) that land on a day off move back to the working day before it, so
that nothing is ever due on a Sunday or during Tết.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter

from .catalog import NATIONAL_DAY_TAG, Catalog
from .config import Config
from .model import EventRule, Lead, Occurrence, PlannedTask, SkippedDay, TaskRule, new_task
from .occurrences import fill, has_placeholders, occurrence_in_year, rule_years
from .workdays import WorkdayCalendar

# How far before its event a task can start: the longest lead in days, bounded.
_MAX_LEAD_DAYS = 800


@dataclass(frozen=True)
class Plan:
    start: dt.date
    end: dt.date
    occurrences: tuple[Occurrence, ...]
    tasks: tuple[PlannedTask, ...]
    # Where each occurrence and task goes among the agenda rows (upcoming_rows), aligned with the
    # two tuples above, and the bits below a day's ordinal in those keys: made by build_plan
    # while each object is at hand (reading them back later, in date order, strayed all over
    # memory and cost as much as planning on a large catalog).
    row_keys: tuple[tuple[int, ...], tuple[int, ...], int] | None = field(default=None, compare=False,
                                                                          repr=False)

    def tasks_for(self, department: str, *, support: bool = True) -> list[PlannedTask]:
        return [t for t in self.tasks
                if t.owner == department or (support and department in t.support)]

    def task(self, key: str) -> PlannedTask | None:
        for t in self.tasks:
            if t.key == key:
                return t
        return None


def why_inactive(event: EventRule, cfg: Config) -> str | None:
    """Why an event makes nothing for this province, or None if it counts:

    - ``"not_chosen"``: the config's ``[national_days]`` chose another national day for its country;
    - ``"alternative"``: an alternative national day the config does not choose;
    - ``"partner"``: its country is in no ``[partners]`` tier (and ``all_countries`` is off).
    """
    if event.country is None or event.adhoc:
        return None
    if NATIONAL_DAY_TAG in event.tags:
        chosen = cfg.national_days.get(event.country)
        if chosen is not None and chosen != event.id:
            return "not_chosen"
        if chosen is None and event.alternative:
            return "alternative"
    if bool(cfg.get("catalog", "all_countries")) or cfg.tier_of(event.country) is not None:
        return None
    return "partner"


def event_active(event: EventRule, cfg: Config) -> bool:
    """An event with a country counts only where the province deals with it, and a national day
    only if it is the one the province uses for that country."""
    return why_inactive(event, cfg) is None


def task_applies(rule: TaskRule, occ: Occurrence, cfg: Config) -> bool:
    if rule.when == "milestone" and not occ.milestone:
        return False
    return not (rule.tier is not None and cfg.tier_of(occ.event.country) != rule.tier)


def task_still_made(event: EventRule | None, task_id: str, year: int, cfg: Config) -> bool:
    """Whether the rules still make task ``task_id`` of ``event`` for rule year ``year``: the
    event and task exist, the country is still a partner, the year and tier still apply."""
    if event is None or not event_active(event, cfg):
        return False
    rule = next((r for r in event.tasks if r.id == task_id), None)
    if rule is None:
        return False
    occ = occurrence_in_year(event, year)
    return occ is not None and task_applies(rule, occ, cfg)


def window(wd: WorkdayCalendar, event_date: dt.date, lead: Lead) -> tuple[dt.date, dt.date]:
    """(window start, due) for a lead before ``event_date``: working days counted back
    (``"0wd"``: the day, or the working day before it), or calendar days moved back off a day off."""
    calendar_days = lead.unit == "d"
    due = wd.before(event_date, lead.near, calendar_days)
    start = due if lead.far == lead.near else wd.before(event_date, lead.far, calendar_days)
    return start, due


def plan_task(rule: TaskRule, occ: Occurrence, wd: WorkdayCalendar,
              with_skipped: bool = False) -> PlannedTask:
    start, due = window(wd, occ.date, rule.lead)
    action = fill(rule.action, ordinal=occ.ordinal, year=occ.year, since=occ.event.since, date=occ.date)
    return _task(rule, occ, wd, start, due, action, wd.is_provisional(occ.date), with_skipped)


def _task(rule: TaskRule, occ: Occurrence, wd: WorkdayCalendar, start: dt.date, due: dt.date,
          action: str, provisional: bool, with_skipped: bool) -> PlannedTask:
    skipped: tuple[SkippedDay, ...] = ()
    if with_skipped and start < occ.date:
        skipped = tuple(wd.non_working_days(start, occ.date - dt.timedelta(days=1)))
    # `provisional`: the working days counted are not official yet. A date that is itself not
    # official (not announced for that year) is the occurrence's own `provisional`.
    return new_task(occ, rule, action, start, due, provisional, skipped)


def build_plan(catalog: Catalog | Iterable[EventRule], cfg: Config, wd: WorkdayCalendar,
               start: dt.date, end: dt.date, *, with_skipped: bool = False) -> Plan:
    """Every occurrence whose date, and every task whose window start or due date,
    falls in [start, end]; sorted by date."""
    with gc_paused():
        return _build_plan(catalog, cfg, wd, start, end, with_skipped)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused (if it ran) for the block.

    For code that allocates tens of thousands of objects, none in a cycle — a plan, its agenda
    rows, their table: each few hundred allocations triggered a collection, and the ones that
    walked every object of the process (the catalog's too) again and again were a third of
    planning a long range. Nothing is lost: there are no cycles to collect, and the collector
    runs again after the block.

    On the way out the young objects are moved to the oldest generation (``freeze`` then
    ``unfreeze``, which splices lists and scans nothing): left young, the first allocation after
    the block would walk all of them at once (a tenth of a warm plan). They are still freed as
    soon as they are dropped, and any cycle among them is found by the next full collection.
    (reminderd freezes nothing for good, so ``unfreeze`` undoes nothing of anyone's.)"""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _build_plan(catalog: Catalog | Iterable[EventRule], cfg: Config, wd: WorkdayCalendar,
                start: dt.date, end: dt.date, with_skipped: bool) -> Plan:
    events = [ev for ev in (catalog.events if isinstance(catalog, Catalog) else catalog)
              if event_active(ev, cfg)]
    # Sorted by (date, event id) and tasks by (due, window start, event id, task id), each through
    # one integer made here: the event's and the task's places in id order below the dates'
    # ordinals (comparing tuples of dates and strings was a sixth of planning a long range).
    ev_rank = {eid: i for i, eid in enumerate(sorted({ev.id for ev in events}))}
    most_tasks = max((len(ev.tasks) for ev in events), default=0) + 1
    rank_bits = (len(ev_rank) * most_tasks).bit_length()
    occs: list[Occurrence] = []
    occ_keys: list[int] = []
    tasks: list[PlannedTask] = []
    task_keys: list[int] = []
    task_rows: list[int] = []
    # Tasks precede their event: look far enough ahead for the longest lead.
    horizon = end + dt.timedelta(days=_MAX_LEAD_DAYS)
    provisional_from = wd.confirmed_through
    # The working days of every year a window can reach, as ordinals: each window is then found
    # by index arithmetic around one bisect per occurrence (what WorkdayCalendar.before does per
    # window; the planner falls back to it when an index leaves the list).
    back = max((lead.far // 200 + 1 if lead.unit == "wd" else lead.far // 365 + 2
                for ev in events for lead in (t.lead for t in ev.tasks)), default=0)
    ords = wd.working_ordinals(start.year - 1 - back, horizon.year + 1)
    n_ords = len(ords)
    first_day, last_day = start.toordinal(), end.toordinal()
    fromordinal = dt.date.fromordinal
    for ev in events:
        longest = max((_lead_days(t.lead) for t in ev.tasks), default=0)
        look_to = min(horizon, end + dt.timedelta(days=longest))
        within = (start, look_to)
        base = ev_rank[ev.id] * most_tasks
        # Per task: its place among the event's by id, whether its action has placeholders, its lead.
        by_id = sorted(ev.tasks, key=_rule_id)
        rules = [(rule, base + 1 + by_id.index(rule), not has_placeholders(rule.action), rule.lead.near,
                  rule.lead.far, rule.lead.unit == "d") for rule in ev.tasks]
        for y in rule_years(ev, start.year - 1, look_to.year + 1):
            occ = occurrence_in_year(ev, y, within)
            if occ is None:
                continue
            d = occ.date
            o = d.toordinal()
            i = bisect_left(ords, o)  # working days before d: ords[:i]
            working = i < n_ords and ords[i] == o
            provisional = provisional_from is not None and d.year > provisional_from
            any_task = False
            for rule, rank, plain, near, far, calendar_days in rules:
                if (rule.when is not None or rule.tier is not None) and not task_applies(rule, occ, cfg):
                    continue
                if calendar_days:  # n days back, then back to a working day if that is a day off
                    due_o = _on_or_before(ords, o - near, n_ords)
                    first_o = due_o if far == near else _on_or_before(ords, o - far, n_ords)
                else:  # n working days back; 0: the day itself or the working day before
                    if near:
                        due_o = ords[i - near] if i >= near else -1
                    else:
                        due_o = o if working else ords[i - 1] if i else -1
                    first_o = due_o if far == near else ords[i - far] if i >= far else -1
                if due_o < 0 or first_o < 0:  # the list is too short for this one: the long way
                    due_o = wd.before(d, near, calendar_days).toordinal()
                    first_o = wd.before(d, far, calendar_days).toordinal()
                # Only the tasks in range are made (their window opens or falls due in it).
                if first_day <= first_o <= last_day or first_day <= due_o <= last_day:
                    action = rule.action if plain else fill(rule.action, ordinal=occ.ordinal, year=y,
                                                            since=ev.since, date=d)
                    due = fromordinal(due_o)
                    first = due if first_o == due_o else fromordinal(first_o)
                    task = (_task(rule, occ, wd, first, due, action, provisional, with_skipped) if with_skipped
                            else new_task(occ, rule, action, first, due, provisional))
                    tasks.append(task)
                    task_keys.append(((due_o << 22 | first_o) << rank_bits) | rank)
                    # Its agenda row: by window start if that is in range, else by due date.
                    task_rows.append(((first_o if first_o >= first_day else due_o) << rank_bits) | rank)
                    any_task = True
            if any_task or d <= end:
                occs.append(occ)
                occ_keys.append((o << rank_bits) | base)
    occ_order = sorted(range(len(occs)), key=occ_keys.__getitem__)
    task_order = sorted(range(len(tasks)), key=task_keys.__getitem__)
    return Plan(start, end, tuple([occs[i] for i in occ_order]), tuple([tasks[i] for i in task_order]),
                (tuple([occ_keys[i] for i in occ_order]), tuple([task_rows[i] for i in task_order]), rank_bits))


def _on_or_before(ords: list[int], day: int, n: int) -> int:
    """``day`` if it is a working day, else the working day before it; -1 if ``ords`` (sorted
    working-day ordinals) does not reach back that far."""
    j = bisect_left(ords, day)
    if j < n and ords[j] == day:
        return day
    return ords[j - 1] if j else -1


_rule_id = attrgetter("id")


def _lead_days(lead: Lead) -> int:
    # A generous bound in calendar days: Tết can add ~9 days off to a working-day lead.
    return lead.far if lead.unit == "d" else lead.far * 2 + 20


def upcoming_rows(plan: Plan) -> list[tuple[dt.date, Occurrence, PlannedTask | None]]:
    """The rows of ``reminderd upcoming``: one per event whose date is in range, one per task; by date.

    A task row sorts by its window start if that is in range, else its due date; then by event
    id, the event before its tasks, the tasks by id.
    """
    with gc_paused():
        return _upcoming_rows(plan)


def _upcoming_rows(plan: Plan) -> list[tuple[dt.date, Occurrence, PlannedTask | None]]:
    # One integer per row: the key date's ordinal above the event's place in id order and the
    # task's place among its event's by id (0 for the event's own row); the rows' indices sorted
    # by it (stable: only integers compared), the rows read back.
    start, end = plan.start, plan.end
    rows: list[tuple[dt.date, Occurrence, PlannedTask | None]] = []
    if plan.row_keys is not None:  # made by build_plan
        occ_keys, task_keys, bits = plan.row_keys
        first_day = start.toordinal() << bits
        last_day = (end.toordinal() + 1) << bits
        keys = [k for k in occ_keys if first_day <= k < last_day]
        rows = [(o.date, o, None) for o, k in zip(plan.occurrences, occ_keys, strict=True)
                if first_day <= k < last_day]
        keys += task_keys
        rows += [(t.window_start if t.window_start >= start else t.due, t.occurrence, t) for t in plan.tasks]
    else:
        keys = []
        ids = {o.event.id for o in plan.occurrences}
        ids.update(t.occurrence.event.id for t in plan.tasks)
        rank = {eid: i for i, eid in enumerate(sorted(ids))}
        rule_rank: dict[int, int] = {}  # id(rule) → 1 + its place among its event's tasks by id
        most_tasks = 1 + max((len(o.event.tasks) for o in plan.occurrences), default=0)
        for o in plan.occurrences:
            d = o.date
            if start <= d <= end:
                keys.append((d.toordinal() * len(rank) + rank[o.event.id]) * most_tasks)
                rows.append((d, o, None))
        for t in plan.tasks:
            d = t.window_start if start <= t.window_start <= end else t.due
            o, rule = t.occurrence, t.rule
            r = rule_rank.get(id(rule))
            if r is None:
                r = rule_rank[id(rule)] = 1 + sorted(o.event.tasks, key=_rule_id).index(rule)
            keys.append((d.toordinal() * len(rank) + rank[o.event.id]) * most_tasks + r)
            rows.append((d, o, t))
    return [rows[i] for i in sorted(range(len(rows)), key=keys.__getitem__)]
