"""The plan: occurrences and their tasks over a date range. Pure; no I/O.

A task's window comes from its lead: ``"5-7wd"`` opens 7 working days
before the event and is due 5 working days before, "N working days before D"
being ``holidays``' ``get_nth_working_day(D, -N)``. Calendar-day leads
(``"10d"``) that land on a day off move back to the working day before it, so
that nothing is ever due on a Sunday or during Tết.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .catalog import NATIONAL_DAY_TAG, Catalog
from .config import Config
from .model import EventRule, Lead, Occurrence, PlannedTask, SkippedDay, TaskRule
from .occurrences import fill, occurrence_in_year, rule_years
from .workdays import WorkdayCalendar

# How far before its event a task can start: the longest lead in days, bounded.
_MAX_LEAD_DAYS = 800


@dataclass(frozen=True)
class Plan:
    start: dt.date
    end: dt.date
    occurrences: tuple[Occurrence, ...]
    tasks: tuple[PlannedTask, ...]

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


def _back(wd: WorkdayCalendar, d: dt.date, n: int, unit: str) -> dt.date:
    if unit == "wd":
        if n == 0:
            # "due on the day": the day itself, or the working day before it.
            return d if wd.is_working_day(d) else wd.add(d, -1)
        return wd.add(d, -n)
    target = d - dt.timedelta(days=n)
    return target if wd.is_working_day(target) else wd.add(target, -1)


def window(wd: WorkdayCalendar, event_date: dt.date, lead: Lead) -> tuple[dt.date, dt.date]:
    """(window start, due) for a lead before ``event_date``."""
    due = _back(wd, event_date, lead.near, lead.unit)
    start = due if lead.far == lead.near else _back(wd, event_date, lead.far, lead.unit)
    return start, due


def plan_task(rule: TaskRule, occ: Occurrence, wd: WorkdayCalendar,
              with_skipped: bool = False) -> PlannedTask:
    start, due = window(wd, occ.date, rule.lead)
    action = fill(rule.action, ordinal=occ.ordinal, year=occ.year, since=occ.event.since,
                  date=occ.date)
    skipped: tuple[SkippedDay, ...] = ()
    if with_skipped and start < occ.date:
        skipped = tuple(wd.non_working_days(start, occ.date - dt.timedelta(days=1)))
    # `provisional`: the working days counted are not official yet. A date that is itself not
    # official (not announced for that year) is the occurrence's own `provisional`.
    return PlannedTask(occurrence=occ, rule=rule, action=action, window_start=start, due=due,
                       provisional=wd.is_provisional(occ.date), skipped=skipped)


def build_plan(catalog: Catalog | Iterable[EventRule], cfg: Config, wd: WorkdayCalendar,
               start: dt.date, end: dt.date, *, with_skipped: bool = False) -> Plan:
    """Every occurrence whose date, and every task whose window start or due date,
    falls in [start, end]; sorted by date."""
    events = catalog.events if isinstance(catalog, Catalog) else tuple(catalog)
    occs: list[Occurrence] = []
    tasks: list[PlannedTask] = []
    # Tasks precede their event: look far enough ahead for the longest lead.
    horizon = end + dt.timedelta(days=_MAX_LEAD_DAYS)
    for ev in events:
        if not event_active(ev, cfg):
            continue
        longest = max((_lead_days(t.lead) for t in ev.tasks), default=0)
        look_to = min(horizon, end + dt.timedelta(days=longest))
        for y in rule_years(ev, start.year - 1, look_to.year + 1):
            occ = occurrence_in_year(ev, y)
            if occ is None or occ.date < start or occ.date > look_to:
                continue
            occ_in = occ.date <= end
            any_task = False
            for rule in ev.tasks:
                if not task_applies(rule, occ, cfg):
                    continue
                t = plan_task(rule, occ, wd, with_skipped)
                if start <= t.window_start <= end or start <= t.due <= end:
                    tasks.append(t)
                    any_task = True
            if occ_in or any_task:
                occs.append(occ)
    occs.sort(key=lambda o: (o.date, o.event.id))
    tasks.sort(key=lambda t: (t.due, t.window_start, t.event.id, t.rule.id))
    return Plan(start, end, tuple(occs), tuple(tasks))


def _lead_days(lead: Lead) -> int:
    # A generous bound in calendar days: Tết can add ~9 days off to a working-day lead.
    return lead.far if lead.unit == "d" else lead.far * 2 + 20


def upcoming_rows(plan: Plan) -> list[tuple[dt.date, Occurrence, PlannedTask | None]]:
    """The rows of ``reminderd upcoming``: one per event whose date is in range, one per task; by date.

    A task row sorts by its window start if that is in range, else its due date.
    """
    rows: list[tuple[dt.date, Occurrence, PlannedTask | None]] = []
    for o in plan.occurrences:
        if plan.start <= o.date <= plan.end:
            rows.append((o.date, o, None))
    for t in plan.tasks:
        key = t.window_start if plan.start <= t.window_start <= plan.end else t.due
        rows.append((key, t.occurrence, t))
    rows.sort(key=lambda r: (r[0], r[1].event.id, r[2].rule.id if r[2] else ""))
    return rows
