"""A generated catalog for the planning benchmarks, and the same work as a Remind script.

``write_catalog(dir, n)`` writes ``n`` events (seeded, so every run plans the same thing):

- 40 % fixed annual dates (``"MM-DD"``),
- 25 % Vietnamese lunar dates (``"lunar:MM-DD"``),
- 25 % anniversaries (``"MM-DD"`` with ``since``; the title carries the ordinal),
- 10 % one-off dates (``"YYYY-MM-DD"``) spread over the first ten years,

each with one to three tasks whose windows are counted in working days (``"5-7wd"``,
``"10wd"``, ``"0wd"``) or in calendar days moved back off days off (``"10-20d"``).

``write_remind(path, runtime, first, last)`` writes the equivalent Remind script:

- every non-working day of ``first-2 .. last+1`` (weekends, the `holidays` package's
  Vietnamese holidays with the whole Tết break, make-up Saturdays *not* omitted) as one
  global ``OMIT YYYY-MM-DD``; Remind then counts working days exactly as reminderd does;
- per event, ``REM <date> MSG`` for the event itself; per task, ``REM <date> -N MSG``
  for the due date and, when the window is a range, another for the window start. A
  working-day lead ``Nwd`` is Remind's back ``-N`` (skips the omitted days); ``0wd`` is
  ``BEFORE`` (the day itself or the working day before); a calendar-day lead ``Nd`` is
  ``--N BEFORE`` (N days back regardless of OMITs, then moved back off an omitted day);
- Remind has no lunar calendar, so a lunar event becomes one fixed-date ``REM d Mon yyyy``
  per year (dates from reminderd's ``lunar`` module); the rest are Remind's own
  annual/one-off forms; an anniversary's ordinal is a Remind expression in the MSG.

Every MSG is ``E|event`` (the event), ``D|event|task`` (due) or ``S|event|task`` (window
start) so that ``remind -s`` output can be checked line for line against reminderd's plan.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reminderd.runtime import Runtime

SEED = 7
FIRST_YEAR = 2027
DEPARTMENTS = ("so-ngoai-vu", "vp-ubnd", "so-vhttdl", "so-tttt", "cong-an")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

CONFIG = """\
[organization]
name = "UBND tỉnh Thử nghiệm"
timezone = "Asia/Ho_Chi_Minh"
[catalog]
paths = ["calendars"]
[workdays]
country = "VN"
confirmed_through = 2026
[state]
directory = "state"
[database]
url = "sqlite:///state/reminderd.db"
"""

LEADS = ("5-7wd", "5-7wd", "10-15wd", "3wd", "10wd", "1-10wd", "0wd", "20-40wd", "10d", "10-20d")


def _department_block(dep: str) -> str:
    return f'[[department]]\nid = "{dep}"\nname = "{dep}"\nemail = ["{dep}@example.gov.vn"]\n'


def write_catalog(root: Path, n: int, seed: int = SEED, per_file: int = 50) -> Path:
    """``root/reminderd.toml`` and ``root/calendars/bench-*.toml``, ``n`` events in files of ``per_file``.

    Files of 50 events, like the shipped catalog's (269 events in 8 files): the loader's cost per
    event grows with the size of its file (docs/BENCHMARKS.md, "Planning against Remind").
    """
    rng = random.Random(seed)
    (root / "calendars").mkdir(parents=True, exist_ok=True)
    (root / "state").mkdir(exist_ok=True)
    parts: list[str] = []
    for i in range(n):
        kind = rng.random()
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        extra = ""
        if kind < 0.40:
            date, title = f"{month:02d}-{day:02d}", f"Sự kiện thường niên số {i} năm {{year}}"
        elif kind < 0.65:
            date, title = f"lunar:{month:02d}-{rng.randint(1, 29):02d}", f"Lễ hội âm lịch số {i} năm {{year}}"
        elif kind < 0.90:
            since = rng.randint(1950, 2015)
            date, title = f"{month:02d}-{day:02d}", f"Kỷ niệm {{ordinal}} năm quan hệ số {i}"
            extra = f'since = "{since}-{month:02d}-{day:02d}"\n'
        else:
            year = FIRST_YEAR + rng.randint(0, 9)
            date, title = f"{year}-{month:02d}-{day:02d}", f"Sự kiện một lần số {i}"
        tasks = []
        for j in range(rng.choice((1, 2, 2, 3))):
            tasks.append(f'[[event.task]]\nid = "viec-{j}"\naction = "Chuẩn bị việc {j} cho sự kiện {i}"\n'
                         f'lead = "{rng.choice(LEADS)}"\nowner = "{rng.choice(DEPARTMENTS)}"\n')
        parts.append(f'[[event]]\nid = "su-kien-{i:05d}"\ntitle = "{title}"\ndate = "{date}"\n{extra}'
                     'tags = ["bench"]\n' + "".join(tasks))
    for k in range(0, n, per_file):
        (root / "calendars" / f"bench-{k // per_file:04d}.toml").write_text("\n".join(parts[k:k + per_file]),
                                                                         encoding="utf-8")
    cfg = root / "reminderd.toml"
    cfg.write_text(CONFIG + "".join(_department_block(d) for d in DEPARTMENTS), encoding="utf-8")
    return cfg


def _rem_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _back(near: int, unit: str) -> str:
    """Remind's back for "``near`` units before": see the module docstring."""
    if unit == "wd":
        return f"-{near}" if near else "BEFORE"
    return f"--{near} BEFORE" if near else "BEFORE"


def write_remind(path: Path, rt: Runtime, first: int, last: int, *, scan_to: int | None = None) -> int:
    """The Remind script equivalent to planning ``rt``'s catalog over ``first..last``; its REM count.

    Fixed-date REMs (lunar and one-off events) are written for dates from ``first`` through
    April of ``scan_to`` (default ``last + 1``), enough for every task window that starts in
    ``first..last``; the days off cover ``first - 2`` through ``scan_to``.
    """
    from reminderd import dateforms

    scan_to = last + 1 if scan_to is None else scan_to
    wd = rt.workdays
    lines = ["# generated by bench/gen_catalog.py: Vietnam's days off, then the catalog"]
    d, stop = dt.date(first - 2, 1, 1), dt.date(scan_to, 12, 31)
    worked_weekends: list[dt.date] = []
    while d <= stop:
        working = wd.is_working_day(d)
        if d.weekday() >= 5 and working:
            worked_weekends.append(d)
        elif d.weekday() < 5 and not working:
            lines.append(f"OMIT {d.isoformat()}")
        d += dt.timedelta(days=1)
    omitfunc = ""
    if worked_weekends:
        # Make-up working Saturdays cannot be un-omitted from a global "OMIT Sat Sun": every REM
        # then uses an OMITFUNC (which replaces the global OMIT context, so it consults it).
        keep = " || ".join(f"x == '{w.isoformat()}'" for w in worked_weekends)
        lines.append(f"FSET _off(x) isomitted(x) || (wkdaynum(x) % 6 == 0 && !({keep}))")
        omitfunc = " OMITFUNC _off"
    else:
        lines.append("OMIT Sat Sun")
    lo, hi = dt.date(first, 1, 1), dt.date(scan_to, 4, 30)
    rems = 0
    for ev in rt.catalog.events:
        form = dateforms.parse(ev.date)
        triggers: list[str] = []
        if form.kind == "lunar":
            # One fixed date per lunar year (Remind has no lunar calendar).
            for y in range(first - 1, scan_to + 1):
                res = dateforms.resolve(form, y)
                if res is not None and lo <= res.date <= hi:
                    triggers.append(_rem_date(res.date))
        elif form.kind == "once":
            if lo <= dt.date(form.year, form.month, form.day) <= hi:
                triggers.append(_rem_date(dt.date(form.year, form.month, form.day)))
        else:
            triggers.append(f"{form.day} {MONTHS[form.month - 1]}")
        for trig in triggers:
            msg_e = f"E|{ev.id}"
            if ev.since is not None:
                msg_e += f"|[year(trigdate())-{ev.since.year}]"
            lines.append(f"REM {trig}{omitfunc} MSG {msg_e}")
            rems += 1
            for task in ev.tasks:
                lead = task.lead
                lines.append(f"REM {trig} {_back(lead.near, lead.unit)}{omitfunc} MSG D|{ev.id}|{task.id}")
                rems += 1
                if lead.far != lead.near:
                    lines.append(f"REM {trig} {_back(lead.far, lead.unit)}{omitfunc} MSG S|{ev.id}|{task.id}")
                    rems += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rems
