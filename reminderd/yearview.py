"""A year at a glance: twelve month grids with events and task windows drawn in. Pure.

``year_grid(year, plan, workdays)`` turns a plan into data a template draws:
for every day, whether it is a working day (and the holiday's name if not),
the events on it, the task windows that cover it and the tasks due on it.
The year view colours both an event's dot and its tasks' window bars by the event's
first tag, so one legend of a handful of colours serves the whole grid. Colours are
stable per tag and per department (the agenda's rows), so the same tag or department
is the same colour on every page and every year: ``colour_map`` deals a
fixed palette of well-separated colours out in a stable order (the shipped tags in
catalog order, the departments in config order), so no two tags and no two departments
of the shipped catalog and config share a colour. Only keys beyond the palette, or
unknown to both lists, fall back to a hash.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .feeds.text import TAG_TITLES
from .model import Occurrence, PlannedTask
from .plan import Plan
from .workdays import WorkdayCalendar

UNTAGGED = "khac"


@dataclass
class Day:
    date: dt.date
    working: bool
    holiday: str | None  # the holiday's name; None for an ordinary weekend day or a working day
    events: list[Occurrence] = field(default_factory=list)
    windows: list[PlannedTask] = field(default_factory=list)  # tasks whose window covers this day
    due: list[PlannedTask] = field(default_factory=list)

    @property
    def marked(self) -> bool:
        """A day with an event on it: what the year view highlights."""
        return bool(self.events)

    @property
    def event_tags(self) -> list[str]:
        """The tags of the day's events, each once, in order: one dot per tag."""
        return list(dict.fromkeys(event_tag(o) for o in self.events))

    @property
    def window_tags(self) -> list[str]:
        """The tags of the events whose task windows cover the day, each once: one bar per tag
        (coloured like the event's dot, so one legend serves both)."""
        return list(dict.fromkeys(event_tag(t.occurrence) for t in self.windows))


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day | None]]  # Monday-first rows; None pads days of other months

    @property
    def days(self) -> list[Day]:
        return [d for w in self.weeks for d in w if d is not None]


@dataclass
class YearGrid:
    year: int
    months: list[Month]
    tags: list[str]  # legend: tags of the events drawn (and of the events of the windows drawn)
    departments: list[str]  # owners of the task windows drawn

    @property
    def marked_days(self) -> int:
        return sum(1 for m in self.months for d in m.days if d.marked)


# Twenty colours readable as a dot or a thin bar on white and on the grey of days off,
# ordered so that neighbours differ most. The first is Sở Ngoại vụ's colour since the
# first release (the first department of the shipped config), kept as it was.
PALETTE: tuple[str, ...] = (
    "hsl(150 65% 42%)",  # green
    "#1f4fd8",  # blue
    "#d7263d",  # red
    "#f08c00",  # orange
    "#8e24aa",  # purple
    "#00a5c8",  # cyan
    "#8d5524",  # brown
    "#e040a0",  # magenta
    "#000075",  # navy
    "#a4b000",  # lime olive
    "#7f7f7f",  # grey
    "#800000",  # maroon
    "#e6b800",  # gold
    "#2f6f6a",  # dark teal
    "#ff8a80",  # salmon
    "#7e8cf0",  # periwinkle
    "#1b1b1b",  # black
    "#c38de0",  # lavender
    "#5f7a00",  # dark olive
    "#ffb27a",  # apricot
)
TAG_OFFSET = 2  # tags start at red: "Ngày lễ Việt Nam" (the first shipped tag) is red


def _hashed(key: str) -> str:
    return PALETTE[int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % len(PALETTE)]


@lru_cache(maxsize=16)
def colour_map(departments: tuple[str, ...], tags: tuple[str, ...] = tuple(TAG_TITLES)) -> dict[str, str]:
    """Tag and department ids → colours: each list takes the palette in its own order.

    Departments come first (the page's bars and the overview's dots); a tag id that is
    also a department id keeps the department's colour."""
    out = {d: PALETTE[i % len(PALETTE)] for i, d in enumerate(departments)}
    for i, t in enumerate(tags):
        out.setdefault(t, PALETTE[(i + TAG_OFFSET) % len(PALETTE)])
    return out


def colour(key: str, departments: Sequence[str] = ()) -> str:
    """A stable, readable colour for a tag or department id (see ``colour_map``)."""
    return colour_map(tuple(departments)).get(key) or _hashed(key)


def event_tag(occ: Occurrence) -> str:
    return occ.event.tags[0] if occ.event.tags else UNTAGGED


def year_grid(year: int, plan: Plan, workdays: WorkdayCalendar,
              department: str | None = None) -> YearGrid:
    """The grid for ``year`` from a plan covering at least that year.

    With ``department``, only that department's tasks (as lead or support) and their
    events are drawn; the working days are everyone's.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days: dict[dt.date, Day] = {}
    d = first
    while d <= last:
        working = workdays.is_working_day(d)
        days[d] = Day(d, working, None if working else workdays.holiday_name(d))
        d += dt.timedelta(days=1)

    tasks = [t for t in plan.tasks
             if department is None or t.owner == department or department in t.support]
    wanted = {t.occurrence.key for t in tasks}
    tags: list[str] = []
    for occ in plan.occurrences:
        if occ.date.year != year or (department is not None and occ.key not in wanted):
            continue
        days[occ.date].events.append(occ)
        if event_tag(occ) not in tags:
            tags.append(event_tag(occ))
    departments: list[str] = []
    for t in tasks:
        day = max(t.window_start, first)
        while day <= min(t.due, last):
            days[day].windows.append(t)
            day += dt.timedelta(days=1)
        if first <= t.due <= last:
            days[t.due].due.append(t)
        if t.due >= first and t.window_start <= last:
            if t.owner not in departments:
                departments.append(t.owner)
            if event_tag(t.occurrence) not in tags:
                tags.append(event_tag(t.occurrence))

    months = []
    for m in range(1, 13):
        weeks = [[days[x] if x.month == m else None for x in week]
                 for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, m)]
        months.append(Month(year, m, weeks))
    return YearGrid(year, months, tags, departments)
