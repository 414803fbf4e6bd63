"""The outbox: what must be mailed, to whom, when — durable, idempotent, shared by daemons.

Two entry points, both safe to call at any time, any number of times, from any
number of processes sharing one database (docs/MAIL.md has the user-facing rules):

``await planning_pass(ctx)``
    Plan → rows. Computes from the plan, the acknowledgements and what was already
    sent which messages are due *today* (organisation's timezone), and inserts one
    row per (kind, task occurrence, announced date, recipient). The row's unique
    ``dedupe_key`` makes a second pass (or a second daemon) insert nothing. Rows whose
    task was acknowledged, whose dates changed, or which the rules no longer make (event,
    task or ad-hoc item removed, partner or tier changed) before they went out are cancelled.

``await dispatch(ctx, limit=None)``
    Claims due rows (``send_after`` and ``next_attempt_at`` passed) by setting
    ``state='sending'`` and a unique ``claimed_by`` in one UPDATE — on PostgreSQL
    over ``SELECT … FOR UPDATE SKIP LOCKED``, on SQLite under its single-writer
    lock — so two dispatchers never take the same row; composes, sends through
    :mod:`reminderd.mailer`, and records each result. A claim older than
    ``CLAIM_TIMEOUT`` (its process died mid-send) is released back to pending.

Rules (decided here, documented in docs/MAIL.md):

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
import os
import random
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Literal

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from . import acks
from .config import WEEKDAYS, Config
from .context import Context
from .mailer import Result, Settings, send_batch, settings_from_config
from .messages import TASK_KINDS, Mail, compose, make_message_id
from .model import EventRule, PlannedTask
from .plan import task_still_made
from .runtime import Runtime
from .signing import Signer, signer_for
from .store import Store, schema
from .workdays import WorkdayCalendar

log = logging.getLogger("reminderd.outbox")

OB = schema.outbox
LOOKBACK_DAYS = 45  # tasks due this long ago are still looked at (overdue, corrections)
OVERDUE_DAYS = 30  # the digest lists tasks overdue by up to this many days
OVERDUE_CATCHUP_WD = 5  # an overdue notice is not started later than this many working days after due
DIGEST_DAYS = 28  # the weekly digest covers the next four weeks
CLAIM_TIMEOUT = dt.timedelta(minutes=5)
# While it sends, a dispatcher renews its claims this often, so only a dead one's claims age.
CLAIM_RENEW_SECONDS = 30.0
MAX_ATTEMPTS = 12
BACKOFF_BASE = dt.timedelta(minutes=2)
BACKOFF_CAP = dt.timedelta(hours=6)
# Rows claimed at a time; a claim is renewed while it is worked on (CLAIM_RENEW_SECONDS), so a
# slow server never makes a live claim look abandoned.
BATCH = 100
# `outbox purge` never deletes a row touched in the last PURGE_MIN_AGE_DAYS, counted back from
# the latest planning pass; planning re-makes a task's rows only while its due date is within
# LOOKBACK_DAYS, a digest only during its week, so older rows can never come back.
PURGE_MIN_AGE_DAYS = 90
assert PURGE_MIN_AGE_DAYS >= LOOKBACK_DAYS + OVERDUE_DAYS
OPEN_STATES = ("pending", "failed")
FINAL_STATES = ("sent", "dead", "cancelled")
STATES = ("pending", "sending", "sent", "failed", "dead", "cancelled")
_rng = random.Random()


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
            out.stale.append((rid, "đã đánh dấu hoàn thành / acknowledged"))
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


# Why a row was cancelled when the rules stopped making its task. Such a cancellation is
# provisional: a pass whose rules make the task again revives the row (planning_pass_sync) —
# a reload that puts the event back, or the other daemon of a pair not yet reloaded.
GONE = "không còn trong danh mục / no longer in the catalog"


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


def _cancelled_as_gone(conn: Connection, keys: Sequence[str]) -> set[str]:
    """Those of ``keys`` whose row was cancelled because the rules had stopped making its task."""
    return existing_keys(conn, keys, OB.c.state == "cancelled", OB.c.last_error == GONE)


def planning_pass_sync(ctx: Context, *, dry_run: bool = False) -> dict[str, Any]:
    now = ctx.now()
    if not ctx.config.get("reminders", "enabled"):
        return {"disabled": True, "created": 0}
    result = compute(ctx)
    sender = str(ctx.config.get("smtp", "sender"))
    keys = [r.dedupe_key for r in result.rows]
    if dry_run:
        with ctx.store.engine.connect() as conn:
            have = existing_keys(conn, keys) - _cancelled_as_gone(conn, keys)
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
        gone = _cancelled_as_gone(conn, keys)
        for r in result.rows:
            values = r.values(sender, now)
            if acks.insert_new(conn, OB, values):
                created[r.kind] = created.get(r.kind, 0) + 1
                if r.error:
                    no_address += 1
                    log.warning("outbox.no_address key=%s error=%s", r.dedupe_key, r.error)
            elif r.dedupe_key in gone:
                revived += conn.execute(
                    update(OB).where(OB.c.dedupe_key == r.dedupe_key, OB.c.state == "cancelled",
                                     OB.c.last_error == GONE)
                    .values(state=values["state"], last_error=values["last_error"],
                            payload=values["payload"], department=values["department"],
                            role=values["role"], updated_at=now)).rowcount
    ctx.store.put_state("outbox.last_plan", {"created": sum(created.values())}, now)
    return {"created": sum(created.values()), "by_kind": created, "cancelled": cancelled,
            "revived": revived, "no_address": no_address}



async def planning_pass(ctx: Context) -> dict[str, Any]:
    """One planning pass at ``ctx.now()``; idempotent; see the module docstring."""
    return await asyncio.to_thread(planning_pass_sync, ctx)


def release_stale(store: Store, now: dt.datetime, timeout: dt.timedelta = CLAIM_TIMEOUT) -> int:
    """Claims older than ``timeout`` belong to a process that died mid-send: back to pending.

    The message may have left before the crash, so this can send it twice; the Message-ID
    is the same both times, which lets the receiving side tell."""
    with store.engine.begin() as conn:
        n = conn.execute(update(OB).where(OB.c.state == "sending", OB.c.claimed_at < now - timeout)
                         .values(state="pending", claimed_by=None,
                                 last_error="claim expired (process died?); released",
                                 updated_at=now)).rowcount
    if n:
        log.warning("outbox.released_stale_claims n=%d", n)
    return int(n)


def _due_clause(now: dt.datetime) -> Any:
    return and_(OB.c.state.in_(OPEN_STATES), OB.c.send_after <= now,
                or_(OB.c.next_attempt_at.is_(None), OB.c.next_attempt_at <= now))


def claim(store: Store, worker: str, now: dt.datetime, limit: int,
          claimed_at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Atomically take up to ``limit`` rows due at ``now`` for ``worker``; return them.

    ``claimed_at`` (default ``now``) starts the claim's lease: the moment of the claim, not
    of the dispatch pass, or a late batch of a long pass would look abandoned already."""
    claimed_at = claimed_at or now
    ids = (select(OB.c.id).where(_due_clause(now)).order_by(OB.c.send_after, OB.c.id).limit(limit))
    if store.is_postgres:
        ids = ids.with_for_update(skip_locked=True)
    with store.engine.begin() as conn:
        conn.execute(update(OB).where(OB.c.id.in_(ids.scalar_subquery()), OB.c.state.in_(OPEN_STATES))
                     .values(state="sending", claimed_by=worker, claimed_at=claimed_at, updated_at=now)
                     .execution_options(synchronize_session=False))
        rows = conn.execute(select(OB).where(OB.c.claimed_by == worker, OB.c.state == "sending")
                            .order_by(OB.c.send_after, OB.c.id))
        return [dict(r._mapping) for r in rows]


def backoff(attempts: int) -> dt.timedelta:
    """Exponential (2 min · 2ⁿ⁻¹, at most 6 h) with jitter in [½, 1] so a fleet spreads out."""
    base = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempts - 1)))
    jittered: dt.timedelta = base * _rng.uniform(0.5, 1.0)
    return jittered


@dataclass(frozen=True)
class Outcome:
    ok: bool
    permanent: bool = False
    error: str = ""
    cancelled: bool = False


def outcome_values(row: dict[str, Any], o: Outcome, now: dt.datetime) -> dict[str, Any]:
    """The column updates that record one send's outcome."""
    attempts = int(row["attempts"]) + (0 if o.cancelled else 1)
    values: dict[str, Any] = {"attempts": attempts, "claimed_by": None, "updated_at": now}
    if o.cancelled:
        values |= {"state": "cancelled", "last_error": o.error}
    elif o.ok:
        values |= {"state": "sent", "sent_at": now, "last_error": None, "next_attempt_at": None}
    elif o.permanent or attempts >= MAX_ATTEMPTS:
        why = o.error if o.permanent else f"bỏ sau {attempts} lần thử / gave up after {attempts} attempts: {o.error}"
        values |= {"state": "dead", "last_error": why, "next_attempt_at": None}
        log.error("outbox.dead id=%s key=%s to=%s error=%s", row["id"], row["dedupe_key"], row["recipient"], why)
    else:
        values |= {"state": "failed", "last_error": o.error, "next_attempt_at": now + backoff(attempts)}
    return values


def record(store: Store, worker: str, outcomes: Sequence[tuple[dict[str, Any], Outcome]],
           now: dt.datetime) -> dict[str, int]:
    """Store the outcomes in one transaction (only rows this worker still holds); count states."""
    counts: dict[str, int] = {}
    with store.engine.begin() as conn:
        for row, o in outcomes:
            values = outcome_values(row, o, now)
            n = conn.execute(update(OB).where(OB.c.id == row["id"], OB.c.claimed_by == worker)
                             .values(**values)).rowcount
            if n:  # a row released and re-claimed elsewhere is no longer ours to record
                counts[values["state"]] = counts.get(values["state"], 0) + 1
    return counts


def stale_claims(store: Store, now: dt.datetime, timeout: dt.timedelta = CLAIM_TIMEOUT) -> int:
    """Rows held in ``sending`` by a dispatcher that stopped renewing them (it died)."""
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(OB).where(
            OB.c.state == "sending", OB.c.claimed_at < now - timeout)).scalar_one())


def renew_claims(store: Store, worker: str, at: dt.datetime) -> int:
    with store.engine.begin() as conn:
        return int(conn.execute(update(OB).where(OB.c.claimed_by == worker, OB.c.state == "sending")
                                .values(claimed_at=at)).rowcount)


async def _renew_while_sending(ctx: Context, worker: str) -> None:
    while True:
        await asyncio.sleep(CLAIM_RENEW_SECONDS)
        await asyncio.to_thread(renew_claims, ctx.store, worker, ctx.now())


class _Recorder:
    """Writes send outcomes as they arrive, a few at a time (EVERY), so that a crash repeats
    at most those few and the messages in flight, never a batch. (Writing each one alone costs
    about a fifth of the dispatch rate: docs/BENCHMARKS.md.)

    The first outcomes of a batch are written sooner — after 1, then 2, 4, 8, then every
    EVERY — so that a daemon killed again and again early in its batch (a crash loop) still
    records progress, instead of sending the same first messages again after every restart
    (tests/test_faults_kill.py). Three more commits per batch: nothing measurable."""

    EVERY = 10

    def __init__(self, store: Store, worker: str, now: dt.datetime, totals: dict[str, Any]):
        self.store, self.worker, self.now, self.totals = store, worker, now, totals
        self.pending: list[tuple[dict[str, Any], Outcome]] = []
        self.last_error = ""
        self.every = 1  # doubles after each write, up to EVERY
        self._lock = asyncio.Lock()

    async def flush(self, *, force: bool = False) -> None:
        async with self._lock:
            if not self.pending or (not force and len(self.pending) < self.every):
                return
            self.every = min(self.EVERY, self.every * 2)
            batch, self.pending = self.pending, []
            self.last_error = next((o.error for _, o in reversed(batch) if not o.ok and not o.cancelled),
                                   self.last_error)
            counts = await asyncio.to_thread(record, self.store, self.worker, batch, self.now)
            for state, k in counts.items():
                self.totals[state] = self.totals.get(state, 0) + k


def worker_id(ctx: Context) -> str:
    return f"{ctx.instance}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:128]


def task_for(rt: Runtime, event_id: str, task_id: str, year: int) -> PlannedTask | None:
    """A task occurrence from the current runtime (None if it left the catalog)."""
    from .occurrences import occurrence_in_year
    from .plan import plan_task

    try:
        ev = rt.catalog.event(event_id)
    except KeyError:
        return None
    occ = occurrence_in_year(ev, int(year))
    rule = next((r for r in ev.tasks if r.id == task_id), None)
    return plan_task(rule, occ, rt.workdays) if occ is not None and rule is not None else None


def _ics(rt: Runtime, row: dict[str, Any], now: dt.datetime) -> bytes | None:
    """The attachment from the feeds module, with the UID of the feed the recipient department
    subscribes to (its department feed), so that importing it does not duplicate the event."""
    from .feeds import FeedName, task_ics

    t = task_for(rt, row["event_id"], row["task_id"], row["year"])
    if t is None:
        return None
    # An escalation department neither leads nor supports the task: no role mark.
    role: Literal["owner", "support"] | None = (
        "owner" if row["role"] == "owner" else "support" if row["role"] == "support" else None)
    feed = FeedName("department", row["department"]) if row["department"] else None
    return task_ics(t, rt, now=now, sequence=1 if row["kind"] == "correction" else 0, role=role, feed=feed)


def build_messages(ctx: Context, rows: Sequence[dict[str, Any]], now: dt.datetime,
                   signer: Signer) -> tuple[list[tuple[dict[str, Any], EmailMessage]],
                                            list[tuple[dict[str, Any], Outcome]]]:
    """Compose each claimed row; rows that must not go (acknowledged, unrenderable) get an Outcome."""
    rt = ctx.runtime
    years = {int(r["year"]) for r in rows if r["year"] is not None}
    done = acks.done_keys(ctx.store, years)
    ready: list[tuple[dict[str, Any], EmailMessage]] = []
    settled: list[tuple[dict[str, Any], Outcome]] = []
    ics_cache: dict[tuple[Any, ...], bytes | None] = {}
    for r in rows:
        if r["kind"] in TASK_KINDS and (r["event_id"], r["task_id"], r["year"]) in done:
            settled.append((r, Outcome(ok=False, cancelled=True, error="đã đánh dấu hoàn thành / acknowledged")))
            continue
        try:
            mail = Mail(r["recipient"], r["message_id"], json.loads(r["payload"] or "{}"))
            ics = None
            if r["kind"] in TASK_KINDS:
                # One attachment per task and department: a department's addresses share it,
                # and rendering a calendar is the costliest step of composing.
                ck = (r["event_id"], r["task_id"], r["year"], r["department"], r["role"],
                      r["kind"] == "correction")
                if ck not in ics_cache:
                    ics_cache[ck] = _ics(rt, r, now)
                ics = ics_cache[ck]
            ready.append((r, compose(mail, rt.config, signer, now, ics=ics)))
        except Exception as e:  # a row that cannot be rendered is dead and visible, never dropped
            log.exception("outbox.compose_failed id=%s", r["id"])
            settled.append((r, Outcome(ok=False, permanent=True, error=f"soạn thư lỗi / compose failed: {e}")))
    return ready, settled


async def dispatch(ctx: Context, *, limit: int | None = None, batch: int = BATCH) -> dict[str, Any]:
    """Send every due row (at most ``limit``), at ``ctx.now()``; safe to run concurrently.

    Returns counts: ``claimed``, ``sent``, ``failed`` (will retry), ``dead``, ``cancelled``,
    ``released`` (stale claims put back). SMTP trouble is recorded on the rows, never raised."""
    now = ctx.now()
    cfg = ctx.config
    totals = {"claimed": 0, "sent": 0, "failed": 0, "dead": 0, "cancelled": 0, "released": 0}
    if not cfg.get("reminders", "enabled"):
        return totals | {"disabled": True}
    store = ctx.store
    me = worker_id(ctx)
    totals["released"] = await asyncio.to_thread(release_stale, store, now)
    settings: Settings | None = None
    signer = signer_for(cfg, store, now)
    last_error = ""
    while limit is None or totals["claimed"] < limit:
        n = batch if limit is None else min(batch, limit - totals["claimed"])
        rows = await asyncio.to_thread(claim, store, me, now, n, ctx.now())
        if not rows:
            break
        totals["claimed"] += len(rows)
        ready, settled = build_messages(ctx, rows, now, signer)
        recorder = _Recorder(store, me, now, totals)
        recorder.pending.extend(settled)
        if ready:
            try:
                settings = settings or settings_from_config(cfg)
            except OSError as e:  # e.g. the password file is unreadable: retry later, say why
                log.warning("smtp config error=%r rows=%d", str(e), len(ready))
                recorder.pending += [(r, Outcome(False, False, f"cấu hình SMTP / SMTP config: {e}"))
                                     for r, _ in ready]
            else:
                async def on_result(i: int, res: Result, ready: list[Any] = ready,
                                    recorder: _Recorder = recorder) -> None:
                    recorder.pending.append((ready[i][0], Outcome(res.ok, res.permanent, res.error)))
                    await recorder.flush()

                keepalive = asyncio.create_task(_renew_while_sending(ctx, me))
                try:
                    await send_batch(settings, [m for _, m in ready], on_result=on_result)
                finally:
                    keepalive.cancel()
        await recorder.flush(force=True)
        last_error = recorder.last_error or last_error
    # Shared facts for /healthz on every daemon of a pair.
    if totals["sent"]:
        await asyncio.to_thread(store.put_state, "outbox.last_sent", {"sent": totals["sent"]}, now)
    if last_error:
        await asyncio.to_thread(store.put_state, "outbox.last_error", {"error": last_error[:500]}, now)
    return totals


# ---- operator commands (reminderd outbox …) -----------------------------------------------


def list_rows(store: Store, *, states: Sequence[str] = (), limit: int = 50) -> list[dict[str, Any]]:
    q = select(OB).order_by(OB.c.send_after.desc(), OB.c.id.desc()).limit(limit)
    if states:
        q = q.where(OB.c.state.in_(list(states)))
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


RETRYABLE_STATES = ("failed", "dead", "cancelled")


def states_of(store: Store, ids: Sequence[int]) -> dict[int, str]:
    """The state of each of ``ids`` that exists."""
    with store.engine.connect() as conn:
        return {int(r.id): r.state for r in conn.execute(select(OB.c.id, OB.c.state).where(OB.c.id.in_(list(ids))))}


def retry(store: Store, now: dt.datetime, *, ids: Sequence[int] = (), states: Sequence[str] = ()) -> int:
    """Put dead/failed rows (by id, or all in ``states``) back to pending, attempts reset."""
    cond = OB.c.id.in_(list(ids)) if ids else OB.c.state.in_(list(states))
    with store.engine.begin() as conn:
        return int(conn.execute(update(OB).where(cond, OB.c.state.in_(RETRYABLE_STATES))
                                .values(state="pending", attempts=0, next_attempt_at=None, claimed_by=None,
                                        updated_at=now)).rowcount)


@dataclass(frozen=True)
class Purged:
    deleted: int
    before: dt.datetime  # the cutoff actually used
    clamped: bool  # the cutoff asked for was too recent and was moved back to ``before``


def purge_limit(store: Store, now: dt.datetime) -> dt.datetime:
    """The most recent cutoff :func:`purge` accepts: ``PURGE_MIN_AGE_DAYS`` before the newest
    row planning made (its ``created_at``), or before ``now`` if that is earlier. The
    database's own dates are the reference, not the wall clock: ``tick --at`` plans in the
    past, and a daemon that was stopped for months resumes where it left off."""
    with store.engine.connect() as conn:
        latest = conn.execute(select(func.max(OB.c.created_at))).scalar()
    ref = min(now, latest) if latest is not None else now
    return ref - dt.timedelta(days=PURGE_MIN_AGE_DAYS)


def purge(store: Store, before: dt.datetime, states: Sequence[str] = ("sent", "cancelled"), *,
          now: dt.datetime) -> Purged:
    """Delete finished rows that planning can never make again, last touched before ``before``.

    Sent rows are what stops a second reminder, so only these go: task rows (window_open,
    due, overdue, correction) whose due date is before the cutoff, digest rows sent before
    it. The cutoff is never more recent than :func:`purge_limit`; a later ``before`` is
    clamped to it (``Purged.clamped``)."""
    bad = [s for s in states if s not in FINAL_STATES]
    if bad:
        raise ValueError(f"chỉ xóa được các trạng thái {', '.join(FINAL_STATES)}; không được: {', '.join(bad)}")
    limit = purge_limit(store, now)
    cutoff = min(before, limit)
    settled = or_(and_(OB.c.kind.in_(TASK_KINDS), OB.c.due.is_not(None), OB.c.due < cutoff.date()),
                      and_(OB.c.kind == "digest", OB.c.send_after < cutoff))
    with store.engine.begin() as conn:
        n = conn.execute(delete(OB).where(OB.c.state.in_(list(states)), OB.c.updated_at < cutoff,
                                          settled)).rowcount
    return Purged(int(n), cutoff, before > limit)
