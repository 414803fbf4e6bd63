"""The planner against a plain reference planner: same occurrences, same tasks, same order.

The planner is written for speed (one bisect per window, dates resolved before anything is
built, integer sort keys, the garbage collector paused). The
reference here is the plain algorithm it replaced — every rule year, every occurrence built,
each window from ``add`` and ``is_working_day``, sorted by tuples — and hypothesis draws
catalogs and ranges until they disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reminderd import dateforms
from reminderd.config import parse_config
from reminderd.model import EventRule, Lead, Occurrence, PlannedTask, Source, TaskRule
from reminderd.occurrences import fill, occurrence_in_year, rule_years
from reminderd.plan import build_plan, event_active, task_applies, upcoming_rows
from reminderd.workdays import WorkdayCalendar

D = dt.date
CFG = parse_config({
    "organization": {"name": "UBND tỉnh Thử"},
    "workdays": {"confirmed_through": 2030},
    "partners": {"regular": ["JP", "US"], "local_cooperation": ["LA"]},
    "department": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
}, Path("/nonexistent/reminderd.toml"))
WD = WorkdayCalendar(confirmed_through=2030)
# Few working days (every Wednesday off as well, and most of 2031): the planner's shortcut
# assumes 200 working days a year and must take the long way when there are fewer.
SPARSE = WorkdayCalendar(extra_days_off=[D(2031, 1, 1) + dt.timedelta(days=i) for i in range(330)]
                         + [D(2029, 1, 3) + dt.timedelta(weeks=i) for i in range(52 * 4)])


# Almost no working days in 2021–2025 (Mondays of 2025 only): the planner's list of working days
# starts too late for most windows, which must then be found the long way.
def barren() -> WorkdayCalendar:
    return WorkdayCalendar(extra_days_off=[d for d in (D(2021, 1, 1) + dt.timedelta(days=i) for i in range(5 * 365))
                                           if d.year < 2025 or d.weekday() != 0])


BARREN = barren()


def ref_back(wd: WorkdayCalendar, d: dt.date, n: int, unit: str) -> dt.date:
    """The reference rule, in the words of docs/CATALOG.md."""
    if unit == "wd":
        if n == 0:
            return d if wd.is_working_day(d) else wd.add(d, -1)
        return wd.add(d, -n)
    target = d - dt.timedelta(days=n)
    return target if wd.is_working_day(target) else wd.add(target, -1)


def ref_plan(events: list[EventRule], wd: WorkdayCalendar, start: dt.date, end: dt.date
             ) -> tuple[list[Occurrence], list[PlannedTask]]:
    occs, tasks = [], []
    for ev in events:
        if not event_active(ev, CFG):
            continue
        longest = max(((t.lead.far if t.lead.unit == "d" else t.lead.far * 2 + 20) for t in ev.tasks), default=0)
        look_to = min(end + dt.timedelta(days=800), end + dt.timedelta(days=longest))
        for y in rule_years(ev, start.year - 1, look_to.year + 1):
            occ = occurrence_in_year(ev, y)
            if occ is None or not start <= occ.date <= look_to:
                continue
            any_task = False
            for rule in ev.tasks:
                if not task_applies(rule, occ, CFG):
                    continue
                due = ref_back(wd, occ.date, rule.lead.near, rule.lead.unit)
                first = ref_back(wd, occ.date, rule.lead.far, rule.lead.unit)
                if start <= first <= end or start <= due <= end:
                    action = fill(rule.action, ordinal=occ.ordinal, year=occ.year, since=ev.since, date=occ.date)
                    tasks.append(PlannedTask(occ, rule, action, first, due, wd.is_provisional(occ.date)))
                    any_task = True
            if any_task or occ.date <= end:
                occs.append(occ)
    occs.sort(key=lambda o: (o.date, o.event.id))
    tasks.sort(key=lambda t: (t.due, t.window_start, t.event.id, t.rule.id))
    return occs, tasks


leads = st.builds(lambda near, extra, unit: Lead(near, near + extra, unit, f"{near}-{near + extra}{unit}"),
                  st.integers(0, 60), st.sampled_from([0, 0, 2, 15, 400]), st.sampled_from(["wd", "d"]))
date_forms = st.one_of(
    st.builds(lambda m, d: f"{m:02d}-{d:02d}", st.integers(1, 12), st.integers(1, 28)),
    st.just("02-29"), st.just("12-31"), st.just("01-01"),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(2024, 2034), st.integers(1, 12),
              st.integers(1, 28)),
    st.builds(lambda m, leap, d: f"lunar:{m:02d}{'L' if leap else ''}-{d:02d}", st.integers(1, 12),
              st.booleans(), st.integers(1, 30)),
    st.just("chinese:08-15"), st.just("holiday:NL:King's Day"),
)


@st.composite
def events(draw: st.DrawFn, i: int) -> EventRule:
    form = draw(date_forms)
    since = draw(st.one_of(st.none(), st.dates(D(1945, 1, 1), D(2032, 12, 31))))
    every = draw(st.sampled_from([1, 1, 2, 3]))
    start = draw(st.one_of(st.none(), st.integers(2020, 2030))) if every == 1 else draw(st.integers(2020, 2030))
    until = draw(st.one_of(st.none(), st.integers(2025, 2040)))
    tasks = tuple(
        TaskRule(id=tid, action=draw(st.sampled_from(["Gửi thư", "Thư {ordinal} năm {year} ({date})", "{since}"])),
                 lead=draw(leads), owner=draw(st.sampled_from(["a", "b"])),
                 when=draw(st.sampled_from([None, "milestone"])) if since else None,
                 tier=draw(st.sampled_from([None, "regular"])))
        for tid in draw(st.lists(st.sampled_from(["z", "thu", "a-1", "b"]), unique=True, max_size=3)))
    # Ids drawn so that id order and catalog order differ.
    return EventRule(id=f"e-{draw(st.integers(0, 999)):03d}-{i}", title=draw(st.sampled_from(
        ["Sự kiện", "Kỷ niệm {ordinal} năm", "Lễ {year} ngày {date}"])), date=form, source=Source("t.toml"),
        country=draw(st.sampled_from([None, None, "JP", "LA", "FR"])), since=since, every=every, start=start,
        until=until, tasks=tasks)


catalogs = st.integers(1, 12).flatmap(lambda n: st.tuples(*[events(i) for i in range(n)]))


@settings(max_examples=150, deadline=None)
@given(evs=catalogs, first=st.dates(D(2024, 1, 1), D(2034, 12, 31)), days=st.integers(0, 1200),
       calendar=st.sampled_from(["usual", "sparse", "barren"]))
def test_planner_matches_the_reference(evs: tuple[EventRule, ...], first: dt.date, days: int,
                                       calendar: str) -> None:
    wd = {"usual": WD, "sparse": SPARSE, "barren": BARREN}[calendar]
    if calendar == "barren":
        first = D(2025, 1, 1) + dt.timedelta(days=days % 365)
    last = first + dt.timedelta(days=days)
    plan = build_plan(list(evs), CFG, wd, first, last)
    occs, tasks = ref_plan(list(evs), wd, first, last)
    assert [(o.event.id, o.date, o.year, o.title, o.ordinal, o.milestone, o.provisional) for o in plan.occurrences] \
        == [(o.event.id, o.date, o.year, o.title, o.ordinal, o.milestone, o.provisional) for o in occs]
    assert list(plan.tasks) == tasks
    assert [t.action for t in plan.tasks] == [t.action for t in tasks]
    # `how` is made when first read: the same sentence as the date form's own.
    for o in plan.occurrences:
        res = dateforms.resolve(dateforms.parse(o.event.date), o.year)
        assert res is not None and o.how == res.how
    # The agenda's order: by key date, event id, events before their tasks, then task id; the
    # same from the keys build_plan made as from a plan without them.
    rows = upcoming_rows(plan)
    assert [(k, o.event.id, t.rule.id if t else "") for k, o, t in rows] == sorted(
        (k, o.event.id, t.rule.id if t else "") for k, o, t in rows)
    assert rows == upcoming_rows(dataclasses.replace(plan, row_keys=None))
    assert len(rows) == len(plan.tasks) + sum(first <= o.date <= last for o in plan.occurrences)


@settings(max_examples=400, deadline=None)
@given(d=st.dates(D(1995, 1, 1), D(2040, 12, 31)), n=st.one_of(st.integers(0, 30), st.integers(0, 999)),
       unit=st.sampled_from(["wd", "d"]), calendar=st.sampled_from([WD, SPARSE, BARREN]))
def test_before_is_the_rule(d: dt.date, n: int, unit: str, calendar: WorkdayCalendar) -> None:
    wd = calendar
    assert wd.before(d, n, unit == "d") == ref_back(wd, d, n, unit)


@settings(max_examples=300, deadline=None)
@given(form=date_forms, year=st.integers(1900, 2100))
def test_date_in_is_resolve_without_the_words(form: str, year: int) -> None:
    f = dateforms.parse(form)
    res = dateforms.resolve(f, year)
    assert dateforms.date_in(f, year) == (res.date if res else None)


def test_windows_reaching_past_the_planners_list() -> None:
    """Mondays of 2025 the only working days since 2021: a window of five working days before
    Monday 13/1/2025 reaches back into 2020, past the list of working days the planner bisects
    into when it plans from 2025 (and the task is then out of range: due in 2020)."""
    for lead in (Lead(5, 5, "wd", "5wd"), Lead(0, 3, "wd", "0-3wd"), Lead(1, 40, "d", "1-40d")):
        ev = EventRule(id="x", title="X", date="01-13", source=Source("t.toml"),
                       tasks=(TaskRule(id="t", action="A", lead=lead, owner="a"),))
        for first in (D(2020, 1, 1), D(2025, 1, 1)):
            wd = barren()  # a calendar that has computed no year yet: its list starts where the plan asks
            plan = build_plan([ev], CFG, wd, first, D(2025, 12, 31))
            _, tasks = ref_plan([ev], barren(), first, D(2025, 12, 31))
            assert list(plan.tasks) == tasks


def test_made_into_their_slots_like_init() -> None:
    """model.new_occurrence / new_task (the planner's) set every slot __init__ sets."""
    from reminderd.model import SkippedDay, new_occurrence, new_task

    ev = EventRule(id="x", title="X", date="01-13", source=Source("t.toml"))
    rule = TaskRule(id="t", action="A", lead=Lead(1, 2, "wd", "1-2wd"), owner="a")
    args = (ev, D(2025, 1, 13), 2025, 7, False, "X", True)
    a, b = new_occurrence(*args), Occurrence(*args)
    slots = [f.name for f in dataclasses.fields(Occurrence)]
    assert [getattr(a, n) for n in slots] == [getattr(b, n) for n in slots] and a == b and hash(a) == hash(b)
    skipped = (SkippedDay(D(2025, 1, 11), "Thứ Bảy"),)
    args2 = (a, rule, "A", D(2025, 1, 9), D(2025, 1, 10), True, skipped)
    c, d = new_task(*args2), PlannedTask(*args2)
    slots = [f.name for f in dataclasses.fields(PlannedTask)]
    assert [getattr(c, n) for n in slots] == [getattr(d, n) for n in slots] and c == d and hash(c) == hash(d)
    assert new_task(*args2[:6]).skipped == ()
