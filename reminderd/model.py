"""The data that flows through reminderd: rules in, occurrences and tasks out.

catalog (EventRule, TaskRule) → occurrences (Occurrence) → tasks (PlannedTask).
Everything here is immutable plain data; the functions that make it live in
``catalog``, ``occurrences`` and ``plan``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

LeadUnit = Literal["wd", "d"]


@dataclass(frozen=True)
class Source:
    """Where a rule came from, for error messages and ``explain``."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Lead:
    """How long before the event a task is due.

    ``"5-7wd"``: the window opens ``far`` = 7 working days before and is due
    ``near`` = 5 working days before. ``"5wd"``: near = far = 5. ``"10d"``:
    calendar days.
    """

    near: int
    far: int
    unit: LeadUnit
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class TaskRule:
    id: str
    action: str
    lead: Lead
    owner: str
    support: tuple[str, ...] = ()
    when: Literal["milestone"] | None = None
    tier: str | None = None
    note: str = ""
    optional: bool = False  # planned only where the config has the owner department
    # Departments the catalog named that the config marks replaced (old id, new id), resolved at
    # load time: owner and support above are the departments that do the work now.
    replaced: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EventRule:
    id: str
    title: str
    date: str  # the date form as written, e.g. "lunar:01-01"
    source: Source
    country: str | None = None
    tags: tuple[str, ...] = ()
    since: dt.date | None = None
    every: int = 1
    start: int | None = None
    until: int | None = None
    description: str = ""
    tasks: tuple[TaskRule, ...] = ()
    adhoc: bool = False  # added from the web page / API rather than a catalog file
    # `title` is what users see (English when the config is English and the catalog gives one);
    # the catalog's own texts are kept for exports and `explain`.
    title_vi: str = ""
    title_en: str = ""
    reference: str = ""  # the catalog's `source` key: where the date comes from
    # Dates a government announced, by rule year; the `date` rule serves only the other years,
    # and those occurrences are provisional (the UK's official birthday).
    announced: tuple[tuple[int, dt.date], ...] = ()
    # One of a country's alternative national days: planned only where the config's
    # [national_days] chooses it.
    alternative: bool = False
    # Optional tasks not planned because the config lacks their owner: (task id, owner), for `check`.
    dropped: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def announced_in(self, year: int) -> dt.date | None:
        for y, d in self.announced:
            if y == year:
                return d
        return None
    # The [[event]] table as written (file, ad-hoc item): stored overlays are applied to it and
    # validated again, and `reminderd catalog export` writes it back out.
    raw: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)


# Occurrences and planned tasks have slots: a ten-year plan makes tens of thousands of each, and
# with slots each is one object instead of an object and its __dict__ — half the objects for the
# garbage collector to walk, half the memory, a third faster to make.
@dataclass(frozen=True, slots=True)
class Occurrence:
    """One event on one date (at most one per event and year)."""

    event: EventRule
    date: dt.date
    year: int  # the rule year (the lunar year for lunisolar forms; usually date.year)
    ordinal: int | None
    milestone: bool
    title: str  # placeholders filled in
    # The date itself is not confirmed: the event has announced dates, and not yet this year's.
    provisional: bool = False
    # `how` and `how_en`, made when first read (below), not by the planner: a plan of 10,000
    # occurrences prints none of these sentences, and making them was a tenth of planning.
    _hows: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    def _how(self) -> tuple[str, str]:
        got = self._hows
        if got is None:
            from .occurrences import how

            got = how(self.event, self.year)
            object.__setattr__(self, "_hows", got)  # a cache: deterministic in (event, year)
        return got

    @property
    def how(self) -> str:
        """One line: how the date was found ("lunar 01-01 (vi) → 2024-02-10")."""
        return self._how()[0]

    @property
    def how_en(self) -> str:
        """The same in English."""
        return self._how()[1]

    def explain(self, language: str) -> str:
        return self.how_en if language == "en" and self.how_en else self.how

    @property
    def key(self) -> str:
        """Stable identity: event id and the occurrence's date."""
        return f"{self.event.id}@{self.date.isoformat()}"


@dataclass(frozen=True)
class SkippedDay:
    date: dt.date
    reason: str  # "Thứ Bảy", "Tết Nguyên đán", "extra day off (config)" …


@dataclass(frozen=True, slots=True)
class PlannedTask:
    occurrence: Occurrence
    rule: TaskRule
    action: str  # placeholders filled in
    window_start: dt.date
    due: dt.date
    provisional: bool
    skipped: tuple[SkippedDay, ...] = field(default=(), compare=False)

    @property
    def event(self) -> EventRule:
        return self.occurrence.event

    @property
    def owner(self) -> str:
        return self.rule.owner

    @property
    def support(self) -> tuple[str, ...]:
        return self.rule.support

    @property
    def key(self) -> str:
        """Stable identity: ``event/task@occurrence-date``."""
        return f"{self.event.id}/{self.rule.id}@{self.occurrence.date.isoformat()}"

    @property
    def ack_key(self) -> tuple[str, str, int]:
        """What ``reminderd ack EVENT/TASK --year Y`` names."""
        return (self.event.id, self.rule.id, self.occurrence.year)


# The planner makes occurrences and tasks by the ten thousand: these put the fields straight into
# their slots, without the frozen dataclass's __init__ (one object.__setattr__ by name per field,
# twice the time). Same objects, same equality; tests/test_plan_reference.py compares them with
# ones made by __init__.
_new = object.__new__
(_occ_event, _occ_date, _occ_year, _occ_ordinal, _occ_milestone, _occ_title, _occ_provisional,
 _occ_hows) = (Occurrence.__dict__[f].__set__ for f in ("event", "date", "year", "ordinal", "milestone",
                                                      "title", "provisional", "_hows"))
(_task_occurrence, _task_rule, _task_action, _task_window_start, _task_due, _task_provisional,
 _task_skipped) = (PlannedTask.__dict__[f].__set__ for f in ("occurrence", "rule", "action", "window_start",
                                                            "due", "provisional", "skipped"))


def new_occurrence(event: EventRule, date: dt.date, year: int, ordinal: int | None, milestone: bool,
                   title: str, provisional: bool) -> Occurrence:
    o: Occurrence = _new(Occurrence)
    _occ_event(o, event)
    _occ_date(o, date)
    _occ_year(o, year)
    _occ_ordinal(o, ordinal)
    _occ_milestone(o, milestone)
    _occ_title(o, title)
    _occ_provisional(o, provisional)
    _occ_hows(o, None)
    return o


def new_task(occurrence: Occurrence, rule: TaskRule, action: str, window_start: dt.date, due: dt.date,
             provisional: bool, skipped: tuple[SkippedDay, ...] = ()) -> PlannedTask:
    t: PlannedTask = _new(PlannedTask)
    _task_occurrence(t, occurrence)
    _task_rule(t, rule)
    _task_action(t, action)
    _task_window_start(t, window_start)
    _task_due(t, due)
    _task_provisional(t, provisional)
    _task_skipped(t, skipped)
    return t
