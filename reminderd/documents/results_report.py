"""The results report for a period: every task due in it, done or not, when and by whom — the
figures come from the acknowledgements in the database, nowhere else.

A task is done on time when its acknowledgement's day (in the organisation's timezone) is on
or before its due date, done late when after; not done otherwise, and overdue when its due
date is before the report's day. Totals are by lead department.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .. import acks, tokens
from ..model import PlannedTask
from ..runtime import Runtime
from ..store import Store
from .model import Column, OfficeDoc, Run, Section, Table, Value
from .text import tr
from .words import dmy, doc_code, place_of

Status = Literal["on_time", "late", "overdue", "pending"]
STATUSES: tuple[Status, ...] = ("on_time", "late", "overdue", "pending")


@dataclass(frozen=True)
class ResultRow:
    task: PlannedTask
    ack: acks.Ack | None
    status: Status
    done_on: dt.date | None  # the acknowledgement's day in the organisation's timezone
    days_late: int  # working days past the due date (done late, or overdue by the report's day)


@dataclass(frozen=True)
class Totals:
    total: int = 0
    on_time: int = 0
    late: int = 0
    not_done: int = 0
    overdue: int = 0

    def add(self, status: Status) -> Totals:
        return Totals(self.total + 1, self.on_time + (status == "on_time"), self.late + (status == "late"),
                      self.not_done + (status in ("overdue", "pending")), self.overdue + (status == "overdue"))


def due_tasks(rt: Runtime, start: dt.date, end: dt.date, department: str | None = None) -> list[PlannedTask]:
    """The tasks due in [start, end] (a department's: those it leads or coordinates), by due date."""
    plan = rt.plan(start, end)
    return [t for t in plan.tasks if start <= t.due <= end
            and (department is None or t.owner == department or department in t.support)]


def _late(rt: Runtime, due: dt.date, day: dt.date) -> int:
    # A day off after the due date counts as the working day after it: done on the Saturday
    # after a Friday deadline is one working day late, as done on the Monday would be.
    return max(0, rt.workdays.between(due, rt.workdays.add(day, 0)))


def classify(rt: Runtime, tasks: list[PlannedTask], done: Mapping[tuple[str, str, int], acks.Ack],
             today: dt.date) -> list[ResultRow]:
    tz = rt.config.tz
    rows = []
    for t in tasks:
        ack = done.get(t.ack_key)
        if ack is not None:
            day = ack.done_at.astimezone(tz).date()
            late = _late(rt, t.due, day) if day > t.due else 0
            rows.append(ResultRow(t, ack, "on_time" if day <= t.due else "late", day, late))
        elif t.due < today:
            rows.append(ResultRow(t, None, "overdue", None, _late(rt, t.due, today)))
        else:
            rows.append(ResultRow(t, None, "pending", None, 0))
    return rows


def gather(rt: Runtime, store: Store | None, start: dt.date, end: dt.date, today: dt.date,
           department: str | None = None) -> list[ResultRow]:
    """The report's rows: the tasks due in the period and their acknowledgements (acks table;
    no store: a database not created yet, where nothing has been marked done)."""
    tasks = due_tasks(rt, start, end, department)
    done = {(a.event_id, a.task_id, a.year): a
            for y in sorted({t.occurrence.year for t in tasks})
            for a in (acks.list_acks(store, y) if store is not None else ())}
    return classify(rt, tasks, done, today)


def totals_by_department(rt: Runtime, rows: list[ResultRow]) -> dict[str, Totals]:
    """Lead department → totals, in the config's order of departments (then any others)."""
    order = {d.id: i for i, d in enumerate(rt.config.departments)}
    out: dict[str, Totals] = {}
    for r in rows:
        out[r.task.owner] = out.get(r.task.owner, Totals()).add(r.status)
    return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


_TOKEN_WHO = re.compile(r"^token (\d+): (.*)$", re.S)


def done_by(store: Store | None, ack: acks.Ack, lang: str) -> str:
    """Who marked it done, for people: the access link's label or the user, and how."""
    m = _TOKEN_WHO.match(ack.done_by)
    how: str | None = ack.via if ack.via in ("email", "cli", "api") else None
    name = ack.done_by
    if m:
        row = tokens.get(store, int(m[1])) if store is not None else None
        name = m[2].strip() or (row.label if row else ack.done_by)
        how = row.kind if row else how
    elif ack.via == "web" and ack.done_by not in ("", "web"):
        how = "admin"  # an editor's user name
    return f"{name} ({tr(lang, 'via.' + how)})" if how in ("access", "admin", "email", "cli", "api") else name


def _event_cell(t: PlannedTask) -> tuple[Run, ...]:
    return ((t.occurrence.title, ""), ("\n" + dmy(t.occurrence.date), "i"))


def _result(r: ResultRow, lang: str) -> str:
    if r.status in ("late", "overdue") and r.days_late:
        return tr(lang, f"status.{r.status}.n", n=r.days_late)
    return tr(lang, "status." + r.status)


def build(rt: Runtime, rows: list[ResultRow], start: dt.date, end: dt.date, *, today: dt.date,
          department: str | None = None, store: Store | None = None, lang: str | None = None) -> OfficeDoc:
    """The report over ``rows`` (from :func:`gather`), dated ``today``."""
    cfg = rt.config
    lang = lang or cfg.language

    def dep(d: str) -> str:
        return cfg.department_name(d, lang)

    def col(key: str, title_key: str, width: float, **kw: object) -> Column:
        return Column(key, tr(lang, title_key), width, **kw)  # type: ignore[arg-type]

    by_dep = totals_by_department(rt, rows)
    grand = Totals()
    for r in rows:
        grand = grand.add(r.status)

    def counts(x: Totals) -> dict[str, Value]:
        return {"total": x.total, "on_time": x.on_time, "late": x.late, "not_done": x.not_done,
                "overdue": x.overdue}

    summary = Table(
        (col("stt", "col.stt", 1.4, align="center"), col("department", "col.department", 5.6),
         *(col(k, "col." + k, 1.8, align="center") for k in ("total", "on_time", "late", "not_done", "overdue"))),
        tuple({"stt": i, "department": dep(d), **counts(x)} for i, (d, x) in enumerate(by_dep.items(), 1)),
        total={"stt": "", "department": tr(lang, "total"), **counts(grand)})

    detail = Table(
        (col("stt", "col.stt", 1.4, align="center"), col("content", "col.content", 5.8),
         col("event", "col.event", 3.6, show="docx"), col("event_title", "col.event", 4.0, show="xlsx"),
         col("event_date", "col.date", 2.6, show="xlsx"),
         col("owner", "col.owner", 2.7), col("support", "col.support", 3.0, show="xlsx"),
         col("due", "col.due", 2.5, align="center"), col("result", "col.result", 2.9),
         col("done_on", "col.done_at", 2.5, align="center"), col("done_by", "col.done_by", 3.8),
         col("note", "col.note", 2.6, optional=True),
         col("event_id", "col.event_id", 5.0, show="xlsx"), col("task_id", "col.task_id", 4.0, show="xlsx")),
        tuple({"stt": i, "content": r.task.action, "event": _event_cell(r.task),
               "event_title": r.task.occurrence.title, "event_date": r.task.occurrence.date,
               "owner": dep(r.task.owner), "support": ", ".join(dep(s) for s in r.task.support),
               "due": r.task.due, "result": _result(r, lang), "done_on": r.done_on,
               "done_by": done_by(store, r.ack, lang) if r.ack else "", "note": r.ack.note if r.ack else "",
               "event_id": r.task.event.id, "task_id": r.task.rule.id}
              for i, r in enumerate(rows, 1)))

    overdue_rows = [r for r in rows if r.status == "overdue"]
    overdue = Table(
        (col("stt", "col.stt", 1.4, align="center"), col("content", "col.content", 9.0),
         col("event", "col.event", 4.5, show="docx"), col("event_title", "col.event", 4.0, show="xlsx"),
         col("owner", "col.owner", 3.0), col("support", "col.support", 3.0, optional=True),
         col("due", "col.due", 2.5, align="center"), col("days_late", "col.days_late", 2.5, align="center"),
         col("event_id", "col.event_id", 5.0, show="xlsx"), col("task_id", "col.task_id", 4.0, show="xlsx")),
        tuple({"stt": i, "content": r.task.action, "event": _event_cell(r.task),
               "event_title": r.task.occurrence.title, "owner": dep(r.task.owner),
               "support": ", ".join(dep(s) for s in r.task.support), "due": r.task.due,
               "days_late": r.days_late, "event_id": r.task.event.id, "task_id": r.task.rule.id}
              for i, r in enumerate(overdue_rows, 1)))

    s, e = dmy(start), dmy(end)
    sections = (
        Section(f"I. {tr(lang, 'report.summary.heading')}", tr(lang, "report.sheet.summary"), summary,
                landscape=False, empty=tr(lang, "report.detail.none")),
        Section(f"II. {tr(lang, 'report.detail.heading')}", tr(lang, "report.sheet.detail"), detail,
                empty=tr(lang, "report.detail.none")),
        Section(f"III. {tr(lang, 'report.overdue.heading')}", tr(lang, "report.sheet.overdue"), overdue,
                empty=tr(lang, "report.overdue.none")),
    )
    paragraphs = (
        tr(lang, "report.intro", org=cfg.org_name, start=s, end=e),
        tr(lang, "report.summary", n=grand.total, on_time=grand.on_time, late=grand.late,
           not_done=grand.not_done, overdue=grand.overdue),
        tr(lang, "report.source", today=dmy(today)),
    )
    subtitle = (tr(lang, "report.department", name=dep(department)),) if department else ()
    name = tr(lang, "file.report", start=start.strftime("%d-%m-%Y"), end=end.strftime("%d-%m-%Y"))
    return OfficeDoc(
        lang=lang, org=cfg.org_name, place=place_of(cfg.org_name), date=today,
        number=tr(lang, "number", number=doc_code("BC", cfg.org_name)), kind=tr(lang, "report.kind"),
        title=tr(lang, "report.title", start=s, end=e), subtitle=subtitle, paragraphs=paragraphs,
        sections=sections, filename=name + (f" - {dep(department)}" if department else ""),
        appendix=False, landscape=False)
