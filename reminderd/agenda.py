"""The agenda rows: what ``reminderd upcoming`` prints and ``GET /api/v1/upcoming`` returns.

Below both ``cli/`` and ``web/`` (imports only go down): one selection of rows for a range
and a department, and one JSON shape per row (the fields of ``upcoming --json``; extend,
never rename).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import Occurrence, PlannedTask
from .plan import upcoming_rows
from .runtime import Runtime


def row_json(occ: Occurrence, task: PlannedTask | None) -> dict[str, Any]:
    """One row of ``upcoming --json`` (a few extra fields have been added; none renamed)."""
    ev = occ.event
    return {
        "event_id": ev.id,
        "task_id": task.rule.id if task else None,
        "title": occ.title,
        "action": task.action if task else None,
        "event_date": occ.date.isoformat(),
        "ordinal": occ.ordinal,
        "milestone": occ.milestone,
        "country": ev.country,
        "tags": list(ev.tags),
        "window_start": task.window_start.isoformat() if task else None,
        "due": task.due.isoformat() if task else None,
        "owner": task.owner if task else None,
        "support": list(task.support) if task else [],
        # Not firm yet: the working days counted (a task's year after confirmed_through) or the date
        # itself (a government's day not announced for that year: date_provisional).
        "provisional": (task.provisional if task else False) or occ.provisional,
        "date_provisional": occ.provisional,
        "lead": task.rule.lead.text if task else None,
        "year": occ.year,
        "date_rule": ev.date,
    }


def select_rows(rt: Runtime, start: dt.date, end: dt.date,
                department: str | None) -> list[tuple[Occurrence, PlannedTask | None]]:
    """Events in the range and tasks whose window opens or that fall due in it; with a
    department, its tasks (as lead or coordinating) and the events they belong to."""
    plan = rt.plan(start, end)
    rows = upcoming_rows(plan)
    if department is None:
        return [(o, tk) for _, o, tk in rows]
    department = rt.config.current_department(department)  # a replaced department: its successor's work
    mine = {tk.occurrence.key for _, _, tk in rows
            if tk is not None and (tk.owner == department or department in tk.support)}
    return [(o, tk) for _, o, tk in rows
            if (tk is None and o.key in mine)
            or (tk is not None and (tk.owner == department or department in tk.support))]
