"""The daemon's jobs and when they run. APScheduler is only the clock that ticks.

Jobs (all in the organisation's timezone, all coroutines on the daemon's loop):

========== ================================================ =====================================
job        when                                             does
========== ================================================ =====================================
plan       at start, daily at ``[daemon] plan_at`` (before   ``outbox.planning_pass``: one outbox
           ``send_at``), after every reload or ad-hoc edit   row per message due, idempotently
dispatch   every ``[daemon] dispatch_interval`` seconds,     ``outbox.dispatch``: send the rows whose
           and right after each planning pass                ``send_after`` has come
digest     weekly, ``digest_day`` at ``send_at``             the planning pass again: it makes the
                                                            digest rows on that day (idempotent)
adhoc      every ``dispatch_interval`` seconds               merge ad-hoc items that another daemon
                                                            (or the CLI) changed in the database
acks       every ``dispatch_interval`` seconds               acknowledgements another daemon (or
                                                            ``reminderd ack``) added or undid: the
                                                            ``on_acks_change`` listeners (feeds) follow
feeds      daily just after midnight (reloads rebuild        ``ctx.feeds.rebuild(ctx)``
           through feeds.cache's own change listener)
========== ================================================ =====================================

Misfire policy. Every job is ``coalesce=True``, ``max_instances=1``,
``misfire_grace_time=None``: a run that was late (loop busy, machine suspended,
clock jumped) runs once, as soon as it can, however late; several missed runs
collapse into one; a job never overlaps itself. That is safe because no job
carries state of its own — what is due lives in the outbox (``send_after``,
``state``), so a late or repeated pass does exactly what an on-time one would.

Catch-up after downtime follows from the same fact, not from APScheduler's memory
(which is empty at every start): at start the daemon runs a planning pass, the
first feed build and then a dispatch (held until the build is done, so that the two
large passes do not run side by side), and the dispatch sends every row whose
``send_after`` passed while it was down. Whether a late row still goes out as a reminder or as an
overdue notice (its due date passed) is the outbox's decision, made from dates.
Nothing is skipped because it is late, and nothing is sent twice, because the
outbox row's state changes from pending to sent exactly once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from . import metrics, outbox
from .context import Context
from .logs import event
from .overlays import merge
from .store import schema

log = logging.getLogger("reminderd.scheduling")

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
STATUS = {
    "vi": "{pending} thư chờ gửi, lần gửi tới {next}",
    "en": "{pending} pending, next send {next}",
}
STATUS_EMPTY = {"vi": "không có thư chờ gửi", "en": "nothing pending"}


def _summary(result: Any) -> dict[str, Any]:
    """Scalar facts from a job's result dict, for the log line and /healthz."""
    if not isinstance(result, dict):
        return {}
    return {k: v for k, v in result.items() if isinstance(v, (int, float, str, bool)) or v is None}


class Jobs:
    """The daemon's jobs on one AsyncIOScheduler, with in-flight tracking for a clean stop."""

    def __init__(self, ctx: Context, scheduler: AsyncIOScheduler,
                 on_status: Callable[[str], object] | None = None,
                 wall: Callable[[], dt.datetime] | None = None):
        self.ctx = ctx
        # APScheduler's triggers run on the wall clock; ctx.now may be shifted (run --at).
        self.wall = wall or ctx.now
        self.scheduler = scheduler
        self.on_status = on_status
        self.metrics = metrics.of(ctx)
        self.inflight: set[asyncio.Task[Any]] = set()
        self.stopping = False
        # Jobs to start once the next planning pass ends (the start-up chain: plan → feeds),
        # so two heavy passes do not run side by side and inflate the resident memory.
        self.after_plan: list[str] = []
        # At start-up the first dispatch waits for the first feed build (``hold_dispatch``):
        # a catch-up's hundreds of messages composed while a large catalog's feeds are built
        # would double the resident memory (the two interleave in the heap), and the messages'
        # .ics attachments then carry the SEQUENCE the feeds publish.
        self.hold_dispatch = False
        # A pass that failed (the database went away under it) is made good at the next
        # dispatch tick: its claims are released and a failed planning pass is run again,
        # instead of waiting for the claims' lease or for tomorrow's planning time.
        self.dispatch_failed = False
        self.plan_failed = False
        # The newest audit-trail entry seen: a new one (an acknowledgement added or undone by
        # the CLI or by the other daemon of a pair) means a replan, so that an undone
        # acknowledgement's reminders resume within one dispatch interval.
        self.audit_seen: int | None = None

    # --- wiring -----------------------------------------------------------------------
    def install(self) -> None:
        """(Re)create every job from the current config; called at start and after reloads."""
        cfg = self.ctx.config
        tz = cfg.tz
        plan_at: dt.time = cfg.get("daemon", "plan_at")
        send_at: dt.time = cfg.get("reminders", "send_at")
        interval = int(cfg.get("daemon", "dispatch_interval"))
        add = self.scheduler.add_job
        add(self._wrap("plan", self.plan), CronTrigger(hour=plan_at.hour, minute=plan_at.minute, timezone=tz),
            id="plan", replace_existing=True, **JOB_DEFAULTS)
        add(self._wrap("dispatch", self.dispatch), IntervalTrigger(seconds=interval, timezone=tz),
            id="dispatch", replace_existing=True, **JOB_DEFAULTS)
        add(self._wrap("adhoc", self.sync_adhoc), IntervalTrigger(seconds=interval, timezone=tz),
            id="adhoc", replace_existing=True, **JOB_DEFAULTS)
        add(self._wrap("acks", self.sync_acks), IntervalTrigger(seconds=interval, timezone=tz),
            id="acks", replace_existing=True, **JOB_DEFAULTS)
        add(self._wrap("feeds", self.rebuild_feeds), CronTrigger(hour=0, minute=1, timezone=tz),
            id="feeds", replace_existing=True, **JOB_DEFAULTS)
        day = str(cfg.get("reminders", "digest_day"))[:3]
        add(self._wrap("digest", self.digest),
            CronTrigger(day_of_week=day, hour=send_at.hour, minute=send_at.minute, timezone=tz),
            id="digest", replace_existing=True, **JOB_DEFAULTS)

    def run_soon(self, job_id: str) -> None:
        """Run a job now (at start, after a reload) without waiting for its trigger."""
        if self.stopping:
            return
        job = self.scheduler.get_job(job_id)
        if job is not None:
            job.modify(next_run_time=self.wall())

    def _wrap(self, name: str, fn: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        async def job() -> None:
            if self.stopping:
                return
            task = asyncio.current_task()
            if task is not None:
                self.inflight.add(task)
            try:
                await fn()
            except asyncio.CancelledError:
                event(log, f"{name}.cancelled", level=logging.WARNING)
                raise
            except Exception as e:  # a failed pass is logged and retried next tick, never fatal
                event(log, f"{name}.failed", level=logging.ERROR, error=f"{type(e).__name__}: {e}",
                      exc_info=True)
                self.ctx.health[f"last_{name}_error"] = {"at": self.ctx.now().isoformat(),
                                                        "error": f"{type(e).__name__}: {e}"}
            finally:
                if task is not None:
                    self.inflight.discard(task)
                if name == "plan":
                    while self.after_plan:
                        self.run_soon(self.after_plan.pop(0))
        job.__name__ = f"reminderd_{name}"
        return job

    # --- the jobs ---------------------------------------------------------------------
    async def plan(self) -> None:
        t0 = time.perf_counter()
        try:
            result = await outbox.planning_pass(self.ctx)
        except Exception:
            self.plan_failed = True
            self.metrics.plan_runs.inc(result="error")
            self.ctx.health["last_plan"] = {"at": self.ctx.now().isoformat(), "ok": False}
            raise
        seconds = time.perf_counter() - t0
        now = self.ctx.now()
        self.plan_failed = False
        self.metrics.plan_runs.inc(result="ok")
        self.metrics.plan_seconds.set(seconds)
        self.metrics.plan_seconds_sum.inc(seconds)
        self.metrics.plan_last.set(now.timestamp())
        facts = {"at": now.isoformat(), "ok": True, "seconds": round(seconds, 3), **_summary(result)}
        self.ctx.health["last_plan"] = facts
        event(log, "plan.done", **{k: v for k, v in facts.items() if k not in ("at", "ok")})
        # Rows whose time has already come (catch-up, a reload that moved a date) go out now
        # (at start-up: once the first feed build is done).
        if not self.hold_dispatch:
            self.run_soon("dispatch")

    async def dispatch(self) -> None:
        if self.hold_dispatch:
            return  # the start-up feed build is running; it starts the dispatch when done
        try:
            latest: int | None = await asyncio.to_thread(latest_audit_id, self.ctx)
        except Exception:  # the database is away: the dispatch below says so
            latest = self.audit_seen
        if self.audit_seen is not None and latest != self.audit_seen:
            self.run_soon("plan")  # someone changed something elsewhere (an acknowledgement …)
        self.audit_seen = latest
        if self.plan_failed:
            self.run_soon("plan")  # e.g. the database was down at plan_at: today's rows still come
        if self.dispatch_failed:
            # Rows our failed pass had claimed: no pass of ours runs now (max_instances=1), so
            # they are orphans; back to pending at once rather than after the five-minute lease.
            released = await asyncio.to_thread(release_claims, self.ctx, mine_only=True)
            self.dispatch_failed = False
            if released:
                event(log, "dispatch.recovered", released=released)
        try:
            # A stop (SIGTERM) ends the pass early: no new batch is claimed, no new message
            # started; what was sent is recorded and the rest waits (``drain``).
            result = await outbox.dispatch(self.ctx, should_stop=lambda: self.stopping)
        except Exception:
            self.dispatch_failed = True
            raise
        facts = _summary(result)
        sent = int(facts.get("sent", 0) or 0)
        failed = int(facts.get("failed", 0) or 0) + int(facts.get("dead", 0) or 0)
        self.metrics.sends.inc(sent)
        self.metrics.send_failures.inc(failed)
        self.metrics.dispatch_runs.inc(result="ok")
        now_iso = self.ctx.now().isoformat()
        self.ctx.health["last_dispatch"] = {"at": now_iso, **facts}
        # SMTP facts for /healthz: a pass that sent something had a good session; one where
        # everything it tried failed (server down, auth refused) had a bad one.
        if sent:
            self.ctx.health["smtp_last_ok"] = now_iso
        elif int(facts.get("failed", 0) or 0):
            self.ctx.health["smtp_last_error"] = now_iso
        if sent or failed:
            event(log, "dispatch.done", **facts)
        await self.publish_status()

    async def digest(self) -> None:
        # The planning pass makes the digest rows on the configured day (idempotently); this
        # job makes sure that happens at the send hour even if the daily pass ran earlier.
        await self.plan()

    async def sync_adhoc(self) -> None:
        """Pick up stored changes (ad-hoc items, partners, overrides, imports) made by the other
        daemon of a pair or by a command."""
        if await asyncio.to_thread(merge.changed_elsewhere, self.ctx):
            # In a thread, like an edit through the API: the listeners re-render the feeds.
            problems = await asyncio.to_thread(merge.refresh, self.ctx)
            stored = self.ctx.health.get("stored_changes", {})
            event(log, "adhoc.synced", items=self.ctx.health.get("adhoc_items"), problems=len(problems),
                  partners=stored.get("partners"), overrides=stored.get("overrides"))

    async def sync_acks(self) -> None:
        """Pick up acknowledgements added or undone by the other daemon of a pair or the CLI."""
        from .feeds.cache import acks_changed_elsewhere

        if "acks_fingerprint" not in self.ctx.health:
            return  # the feeds are not built yet: they will read the acknowledgements when they are
        if await asyncio.to_thread(acks_changed_elsewhere, self.ctx):
            await asyncio.to_thread(self.ctx.acks_changed)
            event(log, "acks.synced")

    async def rebuild_feeds(self) -> None:
        try:
            rebuild = getattr(self.ctx.feeds, "rebuild", None)
            if rebuild is None:
                return
            t0 = time.perf_counter()
            # The daily rebuild (dates move past "today") runs in a thread: the loop keeps serving.
            result = await asyncio.to_thread(rebuild, self.ctx)
            if inspect.isawaitable(result):
                await result
            event(log, "feeds.rebuilt", seconds=round(time.perf_counter() - t0, 3))
        finally:
            if self.hold_dispatch:  # built or not, the start-up's held dispatch goes now
                self.hold_dispatch = False
                self.run_soon("dispatch")

    # --- status -----------------------------------------------------------------------
    async def publish_status(self) -> None:
        pending, nxt = await asyncio.to_thread(outbox_status, self.ctx)
        cfg = self.ctx.config
        lang = cfg.language if cfg.language in STATUS else "vi"
        if pending == 0 or nxt is None:
            text = STATUS_EMPTY[lang]
        else:
            local = nxt.astimezone(cfg.tz)
            same_day = local.date() == self.ctx.local_now().date()
            when = local.strftime("%H:%M") if same_day else local.strftime("%H:%M %d/%m/%Y")
            text = STATUS[lang].format(pending=pending, next=when)
        self.ctx.health["status"] = text
        if self.on_status is not None:
            self.on_status(text)

    async def drain(self, timeout: float) -> bool:
        """Stop starting jobs; wait up to ``timeout`` for running ones, then cancel them.

        Returns True if everything finished by itself. A running dispatch sees ``stopping``
        and starts no further message; one still cancelled (a message on the wire longer
        than ``timeout``) records the outcomes it knows and puts its other rows back
        (``outbox.sending._Recorder.close``), so only the messages on the wire may go twice.
        """
        self.stopping = True
        tasks = [t for t in self.inflight if not t.done()]
        if not tasks:
            return True
        _done, pending = await asyncio.wait(tasks, timeout=timeout)
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.wait(pending, timeout=2)
            event(log, "stop.cancelled_jobs", level=logging.WARNING, jobs=len(pending))
        return not pending


def outbox_status(ctx: Context) -> tuple[int, dt.datetime | None]:
    """(messages waiting to be sent, when the next one is due) from the shared outbox."""
    t = schema.outbox
    waiting = t.c.state.in_(("pending", "failed"))
    with ctx.store.engine.connect() as conn:
        pending = conn.execute(select(func.count()).select_from(t).where(waiting)).scalar_one()
        # A failed row waits for its retry time; a pending one for its send time.
        nxt = conn.execute(select(func.min(func.coalesce(t.c.next_attempt_at, t.c.send_after)))
                           .where(waiting)).scalar_one()
    if isinstance(nxt, dt.datetime) and nxt.tzinfo is None:
        nxt = nxt.replace(tzinfo=dt.UTC)  # aggregate results skip the column's type on SQLite
    elif isinstance(nxt, str):
        nxt = dt.datetime.fromisoformat(nxt).replace(tzinfo=dt.UTC)
    if isinstance(nxt, dt.datetime):
        nxt = max(nxt, ctx.now())  # already due: it goes at the next dispatch
    return int(pending), nxt


def latest_audit_id(ctx: Context) -> int:
    """The id of the newest audit-trail entry (0 for none): a cheap "did anyone change anything"."""
    t = schema.audit_log
    with ctx.store.engine.connect() as conn:
        return int(conn.execute(select(func.max(t.c.id))).scalar() or 0)


def outbox_counts(ctx: Context) -> dict[str, int]:
    """Rows in the outbox by state (the whole database: both daemons of a pair)."""
    t = schema.outbox
    with ctx.store.engine.connect() as conn:
        rows = conn.execute(select(t.c.state, func.count()).group_by(t.c.state)).all()
    return {str(state): int(n) for state, n in rows}


def release_claims(ctx: Context, *, everything: bool = False, mine_only: bool = False) -> int:
    """Put rows this daemon (or a dead earlier process on this host) left in ``sending`` back.

    ``everything=True`` is for SQLite, where the single-instance lock proves no other
    process is dispatching, so every ``sending`` row is an orphan of a crash. On
    PostgreSQL only claims of this host whose process no longer exists are released;
    the other host's claims are the outbox's to expire (``outbox.CLAIM_TIMEOUT``).
    ``mine_only=True``: only this process's own claims (after its dispatch failed).
    The same transition as ``outbox.release_stale``: the message may have left just
    before the crash, so it can go twice, with the same Message-ID (at-least-once).
    """
    t = schema.outbox
    host = ctx.instance.rsplit(":", 1)[0]
    now = ctx.now()
    with ctx.store.engine.begin() as conn:
        rows = conn.execute(select(t.c.id, t.c.claimed_by).where(t.c.state == "sending")).all()
        ids = [r.id for r in rows
               if (str(r.claimed_by or "").startswith(ctx.instance + ":") if mine_only
                   else everything or _orphaned(str(r.claimed_by or ""), host, ctx.instance))]
        if not ids:
            return 0
        conn.execute(t.update().where(t.c.id.in_(ids), t.c.state == "sending")
                     .values(state="pending", claimed_by=None, updated_at=now,
                             last_error="released at start/stop (process ended mid-send)"))
    event(log, "outbox.released", rows=len(ids))
    return len(ids)


def _orphaned(claimed_by: str, host: str, me: str) -> bool:
    """A claim ``<host>:<pid>:…`` from this host whose pid is gone (or is this very process)."""
    if claimed_by.startswith(me + ":"):
        return True
    if not claimed_by.startswith(host + ":"):
        return False
    pid_text = claimed_by[len(host) + 1:].split(":", 1)[0]
    if not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
