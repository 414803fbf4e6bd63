"""Event overrides: a catalog event disabled for this province, one of its tasks changed
(lead time, lead department, coordinating departments), or a task added.

Stored in ``catalog_overrides`` keyed by (event id, task id) — task id "" for the event
itself — as JSON: ``{"disabled": true}``, ``{"change": {"lead": "10-15wd", ...}}`` or
``{"add": {<a whole [[event.task]] table>}}``. :func:`apply` lays them over the event's
``[[event]]`` table as its file wrote it and validates the result with
:func:`reminderd.catalog.parse_event` — the files' own validator, with its messages. An
override that no longer fits its file (the task was removed, the result is invalid) is a
conflict: the event stays as the file says, and the conflict is reported.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .. import audit
from ..catalog import Catalog, parse_event
from ..config import Config
from ..errors import Problem
from ..model import EventRule
from ..store import schema

SOURCE = "catalog_overrides"
CHANGE_KEYS = ("lead", "owner", "support")
T = schema.catalog_overrides


@dataclass(frozen=True)
class OverrideRow:
    event_id: str
    task_id: str  # "" for the event itself
    data: Mapping[str, Any]
    changed_by: str
    changed_at: dt.datetime

    @property
    def kind(self) -> str:
        if self.data.get("disabled"):
            return "disable"
        return "add" if "add" in self.data else "change"


@dataclass(frozen=True)
class OverrideView:
    """One stored override and what it did: applied, redundant (warning) or a conflict."""

    row: OverrideRow
    before: Mapping[str, Any] | None  # the task (or event) as the file has it; None: not there
    after: Mapping[str, Any] | None  # as it applies now
    problems: tuple[Problem, ...] = ()

    @property
    def conflict(self) -> bool:
        return any(not p.warning for p in self.problems)


@dataclass
class Applied:
    catalog: Catalog
    views: list[OverrideView] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)


def read(conn: Connection) -> list[OverrideRow]:
    t = T
    rows = conn.execute(select(t).order_by(t.c.event_id, t.c.task_id)).all()
    return [OverrideRow(r.event_id, r.task_id, json.loads(r.data), r.changed_by, r.changed_at) for r in rows]


def _task_of(raw: Mapping[str, Any], task_id: str) -> dict[str, Any] | None:
    tasks = raw.get("task", [])
    if not isinstance(tasks, list):
        return None
    return next((t for t in tasks if isinstance(t, dict) and t.get("id") == task_id), None)


def lay(raw: Mapping[str, Any], row: OverrideRow) -> tuple[dict[str, Any] | None, list[Problem]]:
    """``raw`` (an [[event]] table) with one override laid over it; None: the event is disabled.
    Structural conflicts come back as problems (then the table is returned unchanged)."""
    where = f"event {row.event_id}" + (f"/{row.task_id}" if row.task_id else "")
    out = copy.deepcopy(dict(raw))
    if row.kind == "disable":
        return None, []
    tasks = out.get("task", [])
    if not isinstance(tasks, list):
        tasks = []
    current = _task_of(out, row.task_id)
    if row.kind == "add":
        added = dict(row.data["add"])
        if current is not None:
            if current == added:
                return out, [Problem(SOURCE, where, "id", "tệp danh mục nay đã có đúng việc này; có thể bỏ "
                                     "thay đổi đã lưu", warning=True)]
            return out, [Problem(SOURCE, where, "id", f"tệp danh mục nay đã có một việc mã {row.task_id!r}")]
        out["task"] = [*tasks, added]
        return out, []
    if current is None:
        return out, [Problem(SOURCE, where, "task", f"sự kiện {row.event_id} trong tệp danh mục không còn việc "
                             f"{row.task_id!r}")]
    change = dict(row.data.get("change", {}))
    if all(current.get(k) == v for k, v in change.items()):
        return out, [Problem(SOURCE, where, "", "tệp danh mục nay đã ghi đúng như thay đổi đã lưu; có thể bỏ "
                             "thay đổi này", warning=True)]
    out["task"] = [{**t, **change} if t is current else t for t in tasks]
    return out, []


def apply(catalog: Catalog, cfg: Config, rows: Iterable[OverrideRow]) -> Applied:
    """The catalog with every override applied that fits; a view of each override."""
    by_event: dict[str, list[OverrideRow]] = {}
    for row in rows:
        by_event.setdefault(row.event_id, []).append(row)
    if not by_event:
        return Applied(catalog)
    views: list[OverrideView] = []
    disabled: set[str] = set()
    replaced: dict[str, EventRule] = {}
    index = {ev.id: ev for ev in catalog.events}
    for event_id, erows in by_event.items():
        ev = index.get(event_id)
        if ev is None or ev.raw is None or ev.adhoc:
            for row in erows:
                views.append(OverrideView(row, None, None, (Problem(
                    SOURCE, f"event {event_id}", "id",
                    f"không còn sự kiện {event_id} trong các tệp danh mục"),)))
            continue
        raw: dict[str, Any] = dict(ev.raw)
        current = ev
        # The event-level row (disable) sorts first; tasks are changed in id order.
        for row in sorted(erows, key=lambda r: (r.task_id != "", r.task_id)):
            before = _task_of(raw, row.task_id) if row.task_id else {"id": event_id}
            laid, problems = lay(raw, row)
            if laid is None:
                disabled.add(event_id)
                views.append(OverrideView(row, before, None))
                continue
            if any(not p.warning for p in problems):
                views.append(OverrideView(row, before, before, tuple(problems)))
                continue
            parsed, found = parse_event(laid, ev.source, cfg)
            errors = [p for p in found if not p.warning]
            if parsed is None or errors:
                views.append(OverrideView(row, before, before, tuple(errors)))
                continue
            raw, current = laid, parsed
            views.append(OverrideView(row, before, _task_of(raw, row.task_id) if row.task_id else None,
                                      tuple(problems)))
        if current is not ev:
            replaced[event_id] = current
    if not replaced and not disabled:
        return Applied(catalog, views)
    events = tuple(replaced.get(e.id, e) for e in catalog.events if e.id not in disabled)
    return Applied(replace(catalog, events=events), views, disabled)


def write(conn: Connection, *, event_id: str, task_id: str, data: Mapping[str, Any] | None,
          before: Any, after: Any, by: str, via: str, now: dt.datetime) -> None:
    """Store (or with ``data`` None remove) one override; audited in the same transaction."""
    t = T
    conn.execute(t.delete().where(t.c.event_id == event_id, t.c.task_id == task_id))
    if data is not None:
        conn.execute(t.insert().values(event_id=event_id, task_id=task_id,
                                       data=json.dumps(dict(data), ensure_ascii=False, sort_keys=True),
                                       changed_by=by, changed_at=now))
    audit.record(conn, at=now, actor=by, via=via, action="override.set" if data is not None else "override.remove",
                 subject=f"{event_id}/{task_id}" if task_id else event_id, event_id=event_id,
                 before=before, after=after)
