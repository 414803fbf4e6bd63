"""Planning: plan → outbox rows, idempotently (``planning_pass``).

Computes from the plan, the acknowledgements and what was already sent which
messages are due *today* (organisation's timezone), and inserts one row per (kind,
task occurrence, announced date, recipient). The row's unique ``dedupe_key`` makes a
second pass (or a second daemon) insert nothing. Rows whose task was acknowledged,
whose dates changed, or which the rules no longer make (event, task or ad-hoc item
removed, partner or tier changed) before they went out are cancelled.

Rules (documented in docs/MAIL.md):

- Send day: the first working day on or after the date (a window opening on a
  Saturday or during Tết is announced on the next working day), at ``send_at``.
- Catch-up: of the window-opening and due-date reminders only the latest one whose
  send day has come is made, and only while the due date has not passed; after it,
  only the overdue notice (from the next working day on, for ``OVERDUE_CATCHUP_WD``
  working days).
- Correction: a task whose current window/due differ from the dates last sent to a
  recipient gets one correction per (recipient, new dates); no new window-opening
  reminder is then sent to that recipient.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from .. import acks
from ..config import WEEKDAYS, Config
from ..context import Context
from ..messages import TASK_KINDS, make_message_id
from ..model import EventRule, PlannedTask
from ..plan import task_still_made
from ..runtime import Runtime
from ..store import Store, schema
from ..workdays import WorkdayCalendar
from .states import ACKED, GONE, OB, OPEN_STATES, REVIVABLE

log = logging.getLogger("reminderd.outbox")

LOOKBACK_DAYS = 45  # tasks due this long ago are still looked at (overdue, corrections)
OVERDUE_DAYS = 30  # the digest lists tasks overdue by up to this many days
OVERDUE_CATCHUP_WD = 5  # an overdue notice is not started later than this many working days after due
DIGEST_DAYS = 28  # the weekly digest covers the next four weeks

@dataclass(frozen=True)
class Row:
    """A row planning wants to exist."""

    dedupe_key: str
    kind: str
    recipient: str
    role: str
    department: str
    send_after: dt.datetime
    payload: dict[str, Any]
    event_id: str | None = None
    task_id: str | None = None
    occurrence_date: dt.date | None = None
    year: int | None = None
    window_start: dt.date | None = None
    due: dt.date | None = None
    error: str | None = None  # set: the row is born dead (no address) so it shows in `outbox list`

    def values(self, sender: str, now: dt.datetime) -> dict[str, Any]:
        return {
            "dedupe_key": self.dedupe_key, "kind": self.kind, "event_id": self.event_id,
            "task_id": self.task_id, "occurrence_date": self.occurrence_date, "year": self.year,
            "department": self.department, "recipient": self.recipient, "role": self.role,
            "window_start": self.window_start, "due": self.due, "send_after": self.send_after,
            "state": "dead" if self.error else "pending", "attempts": 0,
            "next_attempt_at": None, "last_error": self.error,
            "message_id": make_message_id(self.dedupe_key, sender),
            "payload": json.dumps(self.payload, ensure_ascii=False, sort_keys=True),
            "created_at": now, "updated_at": now,
        }


@dataclass(frozen=True)
class Sent:
    """The dates last announced to one recipient for one task occurrence."""

    event_id: str
    task_id: str
    year: int
    recipient: str
    kind: str
    role: str
    department: str
    window_start: dt.date
    due: dt.date


@dataclass
class PlanResult:
    rows: list[Row] = field(default_factory=list)
    stale: list[tuple[int, str]] = field(default_factory=list)  # (row id, why) to cancel


# ---- pure planning ------------------------------------------------------------------------


def send_day(wd: WorkdayCalendar, d: dt.date) -> dt.date:
    """The first working day on or after ``d``."""
    return d if wd.is_working_day(d) else wd.add(d, 1)


def send_moment(day: dt.date, cfg: Config) -> dt.datetime:
    at: dt.time = cfg.get("reminders", "send_at")
    return dt.datetime.combine(day, at, tzinfo=cfg.tz).astimezone(dt.UTC)


def task_payload(t: PlannedTask, kind: str, role: str, department: str) -> dict[str, Any]:
    return {
        "kind": kind, "event_id": t.event.id, "task_id": t.rule.id, "year": t.occurrence.year,
        "title": t.occurrence.title, "action": t.action, "event_date": t.occurrence.date.isoformat(),
        "window_start": t.window_start.isoformat(), "due": t.due.isoformat(),
        "provisional": t.provisional, "country": t.event.country, "owner": t.owner,
        "support": list(t.support), "department": department, "role": role,
    }


def recipients(cfg: Config, t: PlannedTask, kind: str) -> list[tuple[str, str, str]]:
    """(department, role, address) for a task's message; the owner first, so an address
    in two roles keeps the stronger one. A department without addresses yields ''."""
    deps: list[tuple[str, str]] = [(t.owner, "owner")] + [(s, "support") for s in t.support]
    if kind == "overdue":
        try:
            esc = cfg.department(t.owner).escalate_to
        except KeyError:
            esc = None
        if esc and esc != t.owner:
            deps.append((esc, "escalation"))
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for dep, role in deps:
        try:
            emails = cfg.department(dep).email
        except KeyError:
            emails = ()
        for addr in emails or ("",):
            if addr and addr.lower() in seen:
                continue
            seen.add(addr.lower())
            out.append((dep, role, addr))
    return out


def _task_row(cfg: Config, t: PlannedTask, kind: str, dep: str, role: str, addr: str,
              send_after: dt.datetime, extra: dict[str, Any] | None = None) -> Row:
    announced = t.window_start if kind == "window_open" else t.due
    key = f"{kind}|{t.event.id}/{t.rule.id}|{t.occurrence.year}|{addr or '-' + dep}|{announced}"
    if kind == "correction":
        key += f"|{t.window_start}"
    payload = task_payload(t, kind, role, dep) | (extra or {})
    return Row(key, kind, addr, role, dep, send_after, payload, t.event.id, t.rule.id,
               t.occurrence.date, t.occurrence.year, t.window_start, t.due,
               error=None if addr else f"đơn vị {dep} không có địa chỉ thư trong cấu hình")


def task_kind_today(wd: WorkdayCalendar, t: PlannedTask, today: dt.date) -> tuple[str, dt.date] | None:
    """Which reminder of this task is due today (if any), and its send day (catch-up rule)."""
    if today <= t.due:
        due_day = send_day(wd, t.due)
        if due_day <= today:
            return "due", due_day
        open_day = send_day(wd, t.window_start)
        if t.window_start < t.due and open_day <= today:
            return "window_open", open_day
        return None
    overdue_day = wd.add(t.due, 1)
    # A daemon down for a week still sends it; a fresh install does not unearth last month.
    if overdue_day <= today <= wd.add(t.due, OVERDUE_CATCHUP_WD):
        return "overdue", overdue_day
    return None


def plan_rows(rt: Runtime, now: dt.datetime, done: set[tuple[str, str, int]],
              sent: Iterable[Sent], open_rows: Iterable[tuple[int, str, str, str, int, dt.date | None,
                                                              dt.date | None]] = (),
              stored_adhoc: set[str] | None = None) -> PlanResult:
    """Pure: the rows that should exist by the end of ``now``'s day, and stale open rows.

    ``sent``: the latest dates announced per (task occurrence, recipient).
    ``open_rows``: (id, kind, event, task, year, window_start, due[, department, role]) of
    pending/failed rows.
    ``stored_adhoc``: ids of the ad-hoc items the database holds now; None when unknown (then
    no row is cancelled for a vanished event).
    """
    cfg, wd = rt.config, rt.workdays
    today = now.astimezone(cfg.tz).date()
    plan = rt.plan(today - dt.timedelta(days=LOOKBACK_DAYS), today + dt.timedelta(days=DIGEST_DAYS))
    by_ack = {t.ack_key: t for t in plan.tasks}
    last_sent: dict[tuple[str, str, int, str], Sent] = {}
    sent_kinds: set[tuple[str, str, int, str, str]] = set()
    for s in sent:
        last_sent[(s.event_id, s.task_id, s.year, s.recipient)] = s
        sent_kinds.add((s.event_id, s.task_id, s.year, s.recipient, s.kind))
    out = PlanResult()
    events = {ev.id: ev for ev in rt.catalog.events}

    for t in plan.tasks:
        if t.ack_key in done:
            continue
        which = task_kind_today(wd, t, today)
        if which is not None:
            kind, day = which
            for dep, role, addr in recipients(cfg, t, kind):
                if kind == "window_open" and (*t.ack_key, addr, "window_open") in sent_kinds:
                    continue  # announced already (then corrected): no second opening notice
                out.rows.append(_task_row(cfg, t, kind, dep, role, addr, send_moment(day, cfg)))
    # Corrections: the dates someone was told are no longer the plan's.
    for (e, tk, y, addr), s in sorted(last_sent.items()):
        now_t = by_ack.get((e, tk, y))
        if now_t is None or (e, tk, y) in done or now_t.due < today:
            continue
        if (s.window_start, s.due) != (now_t.window_start, now_t.due):
            extra = {"old_window_start": s.window_start.isoformat(), "old_due": s.due.isoformat()}
            out.rows.append(_task_row(cfg, now_t, "correction", s.department, s.role, addr,
                                      send_moment(send_day(wd, today), cfg), extra))
    # Rows not yet sent whose task was acknowledged or whose dates moved.
    for open_row in open_rows:
        rid, kind, e, tk, y, ws, due = open_row[:7]
        if kind not in TASK_KINDS:
            continue
        if (e, tk, y) in done:
            out.stale.append((rid, ACKED))
            continue
        cur = by_ack.get((e, tk, y))
        if cur is not None and (ws, due) != (cur.window_start, cur.due):
            out.stale.append((rid, f"ngày đã thay đổi / dates changed: {cur.window_start}…{cur.due}"))
        elif cur is not None and len(open_row) > 8 and kind != "correction" and \
                (open_row[7], open_row[8]) not in {(d, r) for d, r, _ in recipients(cfg, cur, kind)}:
            # The task was given to another department (an override, a catalog edit): this one is
            # no longer told. Revived like GONE if the task comes back to it.
            out.stale.append((rid, GONE))
        elif cur is None and stored_adhoc is not None and _gone(rt, events, stored_adhoc, e, tk, y):
            out.stale.append((rid, GONE))
    out.rows.extend(digest_rows(rt, plan.tasks, today, done))
    return out


def _gone(rt: Runtime, events: dict[str, EventRule], stored_adhoc: set[str], e: str, tk: str, y: int) -> bool:
    """An open row's task that the rules no longer make: its event or task was taken out of the
    catalog or its ad-hoc item, the item deleted, its country dropped from [partners], its tier
    changed. An ad-hoc item still stored but not (yet) merged into this runtime (the database
    was away at start) keeps its rows."""
    ev = events.get(e)
    if ev is None:
        return e not in stored_adhoc
    return not task_still_made(ev, tk, y, rt.config)


def digest_rows(rt: Runtime, tasks: Sequence[PlannedTask], today: dt.date,
                done: set[tuple[str, str, int]]) -> list[Row]:
    """This week's digest per department, once its send day has come (this week only)."""
    cfg, wd = rt.config, rt.workdays
    monday = today - dt.timedelta(days=today.weekday())
    dday = monday + dt.timedelta(days=WEEKDAYS.index(cfg.get("reminders", "digest_day")))
    day = send_day(wd, dday)
    if not (day <= today < dday + dt.timedelta(days=7)):
        return []
    rows: list[Row] = []
    for dep in cfg.departments:
        items = []
        for t in tasks:
            role = "owner" if t.owner == dep.id else "support" if dep.id in t.support else None
            if role is None or t.ack_key in done:
                continue
            overdue = today - dt.timedelta(days=OVERDUE_DAYS) <= t.due < today
            if not overdue and not (today <= t.due <= today + dt.timedelta(days=DIGEST_DAYS)):
                continue
            item = task_payload(t, "digest", role, dep.id)
            item["overdue"] = overdue
            items.append(item)
        if not items:
            continue  # an empty digest is noise; docs/MAIL.md says so
        items.sort(key=lambda i: (i["due"], i["event_id"], i["task_id"]))
        payload = {"kind": "digest", "department": dep.id, "week_of": dday.isoformat(), "items": items}
        for addr in dep.email or ("",):
            rows.append(Row(f"digest|{dep.id}|{dday}|{addr or '-'}", "digest", addr, "owner", dep.id,
                            send_moment(day, cfg), payload,
                            error=None if addr else f"đơn vị {dep.id} không có địa chỉ thư trong cấu hình"))
    return rows


# ---- the database side --------------------------------------------------------------------


def _years(today: dt.date) -> list[int]:
    # Rule years of tasks due in the planning range: lunar rule years can lag a year behind.
    return [today.year - 2, today.year - 1, today.year, today.year + 1]


def _load_state(store: Store, years: list[int]) -> tuple[list[Sent], list[tuple[Any, ...]], set[str]]:
    with store.engine.connect() as conn:
        q = (select(OB.c.event_id, OB.c.task_id, OB.c.year, OB.c.recipient, OB.c.kind, OB.c.role,
                    OB.c.department, OB.c.window_start, OB.c.due)
             .where(OB.c.state == "sent", OB.c.kind.in_(TASK_KINDS), OB.c.year.in_(years))
             .order_by(OB.c.sent_at, OB.c.id))
        sent = [Sent(r.event_id, r.task_id, r.year, r.recipient, r.kind, r.role, r.department or "",
                     r.window_start, r.due) for r in conn.execute(q) if r.window_start and r.due]
        q2 = (select(OB.c.id, OB.c.kind, OB.c.event_id, OB.c.task_id, OB.c.year, OB.c.window_start, OB.c.due,
                     OB.c.department, OB.c.role)
              .where(OB.c.state.in_(OPEN_STATES), OB.c.kind.in_(TASK_KINDS), OB.c.year.in_(years)))
        open_rows = [tuple(r) for r in conn.execute(q2)]
        ad = schema.adhoc_events
        stored_adhoc = set(conn.execute(select(ad.c.event_id).where(ad.c.deleted_at.is_(None))).scalars())
    return sent, open_rows, stored_adhoc


def compute(ctx: Context) -> PlanResult:
    """The planning decision for ``ctx.now()`` (reads the database, writes nothing)."""
    now = ctx.now()
    today = now.astimezone(ctx.config.tz).date()
    years = _years(today)
    done = acks.done_keys(ctx.store, years)
    sent, open_rows, stored_adhoc = _load_state(ctx.store, years)
    return plan_rows(ctx.runtime, now, done, sent, open_rows, stored_adhoc)


def existing_keys(conn: Connection, keys: Sequence[str], *where: Any) -> set[str]:
    """Those of ``keys`` that have a row (meeting ``where``, if given)."""
    out: set[str] = set()
    for i in range(0, len(keys), 500):
        out.update(conn.execute(select(OB.c.dedupe_key).where(OB.c.dedupe_key.in_(keys[i:i + 500]), *where))
                   .scalars())
    return out


def _revivable(conn: Connection, keys: Sequence[str]) -> set[str]:
    """Those of ``keys`` whose row was cancelled only because the rules had stopped making its
    task or the task was acknowledged (states.REVIVABLE): planning makes them again."""
    return existing_keys(conn, keys, OB.c.state == "cancelled", OB.c.last_error.in_(REVIVABLE))


def planning_pass_sync(ctx: Context, *, dry_run: bool = False) -> dict[str, Any]:
    now = ctx.now()
    if not ctx.config.get("reminders", "enabled"):
        return {"disabled": True, "created": 0}
    result = compute(ctx)
    sender = str(ctx.config.get("smtp", "sender"))
    keys = [r.dedupe_key for r in result.rows]
    if dry_run:
        with ctx.store.engine.connect() as conn:
            have = existing_keys(conn, keys) - _revivable(conn, keys)
        new = [r for r in result.rows if r.dedupe_key not in have]
        return {"created": len(new), "rows": new, "cancelled": len(result.stale), "dry_run": True}
    created: dict[str, int] = {}
    no_address = 0
    revived = 0
    with ctx.store.engine.begin() as conn:
        # Cancel first: a row the rules stopped making for one department or role (the task was
        # reassigned) may be the very row they now make for another, and is then revived below.
        cancelled = 0
        for rid, why in result.stale:
            cancelled += conn.execute(update(OB).where(OB.c.id == rid, OB.c.state.in_(OPEN_STATES))
                                      .values(state="cancelled", last_error=why, updated_at=now)).rowcount
        revivable = _revivable(conn, keys)
        for r in result.rows:
            values = r.values(sender, now)
            if acks.insert_new(conn, OB, values):
                created[r.kind] = created.get(r.kind, 0) + 1
                if r.error:
                    no_address += 1
                    log.warning("outbox.no_address key=%s error=%s", r.dedupe_key, r.error)
            elif r.dedupe_key in revivable:
                # The same row comes back (same dedupe key, same Message-ID), due at once.
                revived += conn.execute(
                    update(OB).where(OB.c.dedupe_key == r.dedupe_key, OB.c.state == "cancelled",
                                     OB.c.last_error.in_(REVIVABLE))
                    .values(state=values["state"], last_error=values["last_error"], next_attempt_at=None,
                            payload=values["payload"], department=values["department"],
                            role=values["role"], updated_at=now)).rowcount
    ctx.store.put_state("outbox.last_plan", {"created": sum(created.values())}, now)
    return {"created": sum(created.values()), "by_kind": created, "cancelled": cancelled,
            "revived": revived, "no_address": no_address}


async def planning_pass(ctx: Context) -> dict[str, Any]:
    """One planning pass at ``ctx.now()``; idempotent; see the module docstring."""
    return await asyncio.to_thread(planning_pass_sync, ctx)

