"""Dispatch: claim due rows, compose, send, record each outcome (``dispatch``).

Claims due rows (``send_after`` and ``next_attempt_at`` passed) by setting
``state='sending'`` and a unique ``claimed_by`` in one UPDATE — on PostgreSQL over
``SELECT … FOR UPDATE SKIP LOCKED``, on SQLite under its single-writer lock — so two
dispatchers never take the same row; composes, sends through :mod:`reminderd.mailer`,
and records each result. A claim older than ``CLAIM_TIMEOUT`` (its process died
mid-send) is released back to pending.
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Literal

from sqlalchemy import and_, func, or_, select, update

from .. import acks
from ..context import Context
from ..mailer import Result, Settings, send_batch, settings_from_config
from ..messages import TASK_KINDS, Mail, compose
from ..model import PlannedTask
from ..runtime import Runtime
from ..signing import Signer, signer_for
from ..store import Store
from .states import ACKED, OB, OPEN_STATES

log = logging.getLogger("reminderd.outbox")

CLAIM_TIMEOUT = dt.timedelta(minutes=5)
# While it sends, a dispatcher renews its claims this often, so only a dead one's claims age.
CLAIM_RENEW_SECONDS = 30.0
MAX_ATTEMPTS = 12
BACKOFF_BASE = dt.timedelta(minutes=2)
BACKOFF_CAP = dt.timedelta(hours=6)
# Rows claimed at a time; a claim is renewed while it is worked on (CLAIM_RENEW_SECONDS), so a
# slow server never makes a live claim look abandoned.
BATCH = 100
_rng = random.Random()


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
    at: dt.datetime | None = None  # when it became known (else the time it is written)
    unsent: bool = False  # never tried (the pass stopped first): waits again, no attempt counted


def outcome_values(row: dict[str, Any], o: Outcome, now: dt.datetime) -> dict[str, Any]:
    """The column updates that record one send's outcome, at ``o.at`` (or ``now``): each row's
    own moment, so a row failing late in a long pass is retried a full backoff after *its* failure."""
    now = o.at or now
    if o.unsent:
        return {"state": "failed" if int(row["attempts"]) else "pending", "claimed_by": None, "updated_at": now}
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
    """Store the outcomes in one transaction (only rows this worker still holds); count them by
    the state they went to (``left`` for rows never tried)."""
    counts: dict[str, int] = {}
    with store.engine.begin() as conn:
        for row, o in outcomes:
            values = outcome_values(row, o, now)
            n = conn.execute(update(OB).where(OB.c.id == row["id"], OB.c.claimed_by == worker)
                             .values(**values)).rowcount
            if n:  # a row released and re-claimed elsewhere is no longer ours to record
                label = "left" if o.unsent else values["state"]
                counts[label] = counts.get(label, 0) + 1
    return counts


def release_worker(store: Store, worker: str, now: dt.datetime) -> int:
    """Put back the rows ``worker`` still holds (its dispatch was cancelled mid-batch). A message
    that was on the wire may have been accepted: it goes again, with the same Message-ID."""
    with store.engine.begin() as conn:
        return int(conn.execute(update(OB).where(OB.c.claimed_by == worker, OB.c.state == "sending")
                                .values(state="pending", claimed_by=None, updated_at=now,
                                        last_error="trả lại khi lượt gửi bị dừng / released when the pass "
                                                   "was stopped")).rowcount)


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
    (tests/test_faults_kill.py). Three more commits per batch: nothing measurable.

    A dispatch that is cancelled (a daemon stopping past its ``shutdown_timeout``) calls
    :meth:`close`: writes already under way finish, the outcomes already known are written,
    and only the rows never answered go back to pending — the ones on the wire at the stop."""

    EVERY = 10

    def __init__(self, store: Store, worker: str, clock: Callable[[], dt.datetime], totals: dict[str, Any]):
        self.store, self.worker, self.clock, self.totals = store, worker, clock, totals
        self.pending: list[tuple[dict[str, Any], Outcome]] = []
        self.last_error = ""
        self.every = 1  # doubles after each write, up to EVERY
        self._lock = asyncio.Lock()
        self._writes: set[asyncio.Future[None]] = set()

    async def flush(self, *, force: bool = False) -> None:
        async with self._lock:
            if not self.pending or (not force and len(self.pending) < self.every):
                return
            self.every = min(self.EVERY, self.every * 2)
            batch, self.pending = self.pending, []
            self.last_error = next((o.error for _, o in reversed(batch)
                                    if not o.ok and not o.cancelled and not o.unsent), self.last_error)
            # Shielded: cancelling the dispatch must not lose a write already begun.
            write = asyncio.ensure_future(self._write(batch))
            self._writes.add(write)
            write.add_done_callback(self._writes.discard)
            await asyncio.shield(write)

    async def _write(self, batch: list[tuple[dict[str, Any], Outcome]]) -> None:
        counts = await asyncio.to_thread(record, self.store, self.worker, batch, self.clock())
        for state, k in counts.items():
            self.totals[state] = self.totals.get(state, 0) + k

    async def close(self) -> None:
        """After a cancellation: finish the writes under way, write what is known, release the rest."""
        if self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)
        batch, self.pending = self.pending, []
        if batch:
            await self._write(batch)
        released = await asyncio.to_thread(release_worker, self.store, self.worker, self.clock())
        if released:
            log.warning("outbox.released_on_stop rows=%d (on the wire or not yet tried; the ones on the "
                        "wire may arrive twice, same Message-ID)", released)


def worker_id(ctx: Context) -> str:
    return f"{ctx.instance}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:128]


def task_for(rt: Runtime, event_id: str, task_id: str, year: int) -> PlannedTask | None:
    """A task occurrence from the current runtime (None if it left the catalog)."""
    from ..occurrences import occurrence_in_year
    from ..plan import plan_task

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
    from ..feeds import FeedName, task_ics

    t = task_for(rt, row["event_id"], row["task_id"], row["year"])
    if t is None:
        return None
    # An escalation department neither leads nor supports the task: no role mark.
    role: Literal["owner", "support"] | None = (
        "owner" if row["role"] == "owner" else "support" if row["role"] == "support" else None)
    feed = FeedName("department", row["department"]) if row["department"] else None
    return task_ics(t, rt, now=now, sequence=1 if row["kind"] == "correction" else 0, role=role, feed=feed)


def compose_row(rt: Runtime, r: dict[str, Any], now: dt.datetime, signer: Signer | None,
                ics_cache: dict[tuple[Any, ...], bytes | None] | None = None) -> EmailMessage:
    """One outbox row as the message its recipient gets (raises if it cannot be rendered)."""
    mail = Mail(r["recipient"], r["message_id"], json.loads(r["payload"] or "{}"))
    ics = None
    if r["kind"] in TASK_KINDS:
        # One attachment per task and department: a department's addresses share it,
        # and rendering a calendar is the costliest step of composing.
        ck = (r["event_id"], r["task_id"], r["year"], r["department"], r["role"], r["kind"] == "correction")
        cache = ics_cache if ics_cache is not None else {}
        if ck not in cache:
            cache[ck] = _ics(rt, r, now)
        ics = cache[ck]
    return compose(mail, rt.config, signer, now, ics=ics)


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
            settled.append((r, Outcome(ok=False, cancelled=True, error=ACKED)))
            continue
        try:
            ready.append((r, compose_row(rt, r, now, signer, ics_cache)))
        except Exception as e:  # a row that cannot be rendered is dead and visible, never dropped
            log.exception("outbox.compose_failed id=%s", r["id"])
            settled.append((r, Outcome(ok=False, permanent=True, error=f"soạn thư lỗi / compose failed: {e}")))
    return ready, settled


def _stamp(clock: Callable[[], dt.datetime]) -> Callable[[EmailMessage], None]:
    """Set a message's Date: to the moment it leaves, not the moment its pass began."""
    def stamp(msg: EmailMessage) -> None:
        msg.replace_header("Date", format_datetime(clock().astimezone(dt.UTC)))
    return stamp


async def dispatch(ctx: Context, *, limit: int | None = None, batch: int = BATCH,
                   should_stop: Callable[[], bool] | None = None,
                   deadline: float | None = None) -> dict[str, Any]:
    """Send every due row (at most ``limit``); safe to run concurrently.

    Stops starting new messages — and claiming new batches — once ``should_stop()`` is true
    (a daemon stopping) or ``deadline`` seconds (default ``[daemon] dispatch_deadline``) have
    passed; rows claimed but not tried go back to waiting, not counted as an attempt, for
    the next pass. Every outcome is recorded at its own moment (``ctx.now()`` when it came).

    Returns counts: ``claimed``, ``sent``, ``failed`` (will retry), ``dead``, ``cancelled``,
    ``left`` (claimed, not tried), ``released`` (stale claims put back), and ``stopped``
    (``"stop"`` or ``"deadline"``) when the pass ended early. SMTP trouble is recorded on the
    rows, never raised."""
    started = ctx.now()
    cfg = ctx.config
    totals: dict[str, Any] = {"claimed": 0, "sent": 0, "failed": 0, "dead": 0, "cancelled": 0, "left": 0,
                              "released": 0}
    if not cfg.get("reminders", "enabled"):
        return totals | {"disabled": True}
    loop = asyncio.get_running_loop()
    ends = loop.time() + (float(cfg.get("daemon", "dispatch_deadline")) if deadline is None else deadline)

    def stop() -> bool:
        if should_stop is not None and should_stop():
            totals["stopped"] = "stop"
            return True
        if loop.time() >= ends:
            totals["stopped"] = "deadline"
            return True
        return False

    store = ctx.store
    me = worker_id(ctx)
    totals["released"] = await asyncio.to_thread(release_stale, store, started)
    settings: Settings | None = None
    signer = signer_for(cfg, store, started)
    last_error = ""
    faults: list[Result] = []
    while (limit is None or totals["claimed"] < limit) and not stop():
        n = batch if limit is None else min(batch, limit - totals["claimed"])
        now = ctx.now()
        rows = await asyncio.to_thread(claim, store, me, now, n)
        if not rows:
            break
        totals["claimed"] += len(rows)
        # (In a thread: composing a catch-up batch of a large catalog takes seconds, and the
        # page and the feeds are served meanwhile.)
        ready, settled = await asyncio.to_thread(build_messages, ctx, rows, now, signer)
        recorder = _Recorder(store, me, ctx.now, totals)
        recorder.pending.extend(settled)
        try:
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
                        if res.server_fault:
                            faults.append(res)
                        recorder.pending.append((ready[i][0], Outcome(res.ok, res.permanent, res.error,
                                                                      at=ctx.now())))
                        await recorder.flush()

                    keepalive = asyncio.create_task(_renew_while_sending(ctx, me))
                    try:
                        results = await send_batch(settings, [m for _, m in ready], on_result=on_result,
                                                   should_stop=stop, before_send=_stamp(ctx.now))
                    finally:
                        keepalive.cancel()
                    recorder.pending += [(ready[i][0], Outcome(False, unsent=True))
                                         for i, res in enumerate(results) if not res.attempted]
            await recorder.flush(force=True)
        except BaseException:
            # Cancelled (a stop past shutdown_timeout) or the database failed: keep what is known.
            try:
                await asyncio.shield(asyncio.ensure_future(recorder.close()))
            except Exception as e:
                log.error("outbox.record_on_stop_failed error=%s", e)
            raise
        last_error = recorder.last_error or last_error
    # Shared facts for /healthz on every daemon of a pair.
    if totals["sent"]:
        await asyncio.to_thread(store.put_state, "outbox.last_sent", {"sent": totals["sent"]}, ctx.now())
    if last_error:
        await asyncio.to_thread(store.put_state, "outbox.last_error", {"error": last_error[:500]}, ctx.now())
    if faults:
        await _server_fault(ctx, settings, faults)
    if totals.get("stopped") == "deadline":
        log.warning("outbox.deadline_reached seconds=%s claimed=%d left=%d: the rest waits for the next pass",
                    cfg.get("daemon", "dispatch_deadline") if deadline is None else deadline,
                    totals["claimed"], totals["left"])
    return totals


async def _server_fault(ctx: Context, settings: Settings | None, faults: list[Result]) -> None:
    """The server (or our settings) refused the session: loud, and on /healthz until a send works."""
    where = settings.where if settings is not None else "?"
    first = faults[0]
    log.error("smtp.refused where=%s rows=%d reply=%r: the mail server or the [smtp] settings refuse every "
              "message; nothing is given up, the rows are retried", where, len(faults), first.error)
    await asyncio.to_thread(ctx.store.put_state, "outbox.server_fault",
                            {"error": first.error[:500], "where": where, "rows": len(faults)}, ctx.now())
