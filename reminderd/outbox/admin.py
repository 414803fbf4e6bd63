"""What an operator (``reminderd outbox …``) or an editor (the outbox page) does with rows:
list them, put them back, cancel them, purge old ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from .. import audit
from ..messages import TASK_KINDS
from ..runtime import Runtime
from ..signing import Signer
from ..store import Store
from .planning import LOOKBACK_DAYS, OVERDUE_DAYS
from .sending import compose_row
from .states import FINAL_STATES, OB, RETRYABLE_STATES

# `outbox purge` never deletes a row touched in the last PURGE_MIN_AGE_DAYS, counted back from
# the latest planning pass; planning re-makes a task's rows only while its due date is within
# LOOKBACK_DAYS, a digest only during its week, so older rows can never come back.
PURGE_MIN_AGE_DAYS = 90
assert PURGE_MIN_AGE_DAYS >= LOOKBACK_DAYS + OVERDUE_DAYS


ORDERS = ("id", "send_after", "updated_at", "sent_at", "next_attempt_at")


def list_rows(store: Store, *, states: Sequence[str] = (), limit: int = 50,
              order: str = "-send_after") -> list[dict[str, Any]]:
    """Rows in ``states`` (all if empty), ordered by one of ``ORDERS`` (``-`` first: newest first)."""
    name = order.lstrip("-")
    if name not in ORDERS:
        raise ValueError(f"order={order!r}: one of {', '.join(ORDERS)}")
    col = OB.c[name]
    q = select(OB).order_by(*((col.desc(), OB.c.id.desc()) if order.startswith("-") else (col, OB.c.id))).limit(limit)
    if states:
        q = q.where(OB.c.state.in_(list(states)))
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def get_row(store: Store, row_id: int) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        r = conn.execute(select(OB).where(OB.c.id == row_id)).first()
    return dict(r._mapping) if r else None


def counts(store: Store) -> dict[str, int]:
    """Rows by state (the whole database: both daemons of a pair)."""
    with store.engine.connect() as conn:
        return {str(state): int(n) for state, n in
                conn.execute(select(OB.c.state, func.count()).group_by(OB.c.state)).all()}


@dataclass(frozen=True)
class Dead:
    """Rows that will not be sent unless someone acts (retry, cancel or purge them)."""

    count: int
    latest_error: str | None = None
    latest_at: dt.datetime | None = None
    latest_id: int | None = None


def dead_rows(store: Store) -> Dead:
    with store.engine.connect() as conn:
        n = int(conn.execute(select(func.count()).select_from(OB).where(OB.c.state == "dead")).scalar_one())
        if not n:
            return Dead(0)
        r = conn.execute(select(OB.c.id, OB.c.last_error, OB.c.updated_at).where(OB.c.state == "dead")
                         .order_by(OB.c.updated_at.desc(), OB.c.id.desc()).limit(1)).one()
    return Dead(n, r.last_error, r.updated_at, int(r.id))


def states_of(store: Store, ids: Sequence[int]) -> dict[int, str]:
    """The state of each of ``ids`` that exists."""
    with store.engine.connect() as conn:
        return {int(r.id): r.state for r in conn.execute(select(OB.c.id, OB.c.state).where(OB.c.id.in_(list(ids))))}


def _audit(conn: Connection, rows: Sequence[Any], action: str, after: dict[str, Any], *, actor: str, via: str,
           now: dt.datetime) -> None:
    for r in rows:
        audit.record(conn, at=now, actor=actor, via=via, action=action, subject=f"outbox/{r.id}",
                     event_id=r.event_id,
                     before={"state": r.state, "attempts": r.attempts, "last_error": r.last_error,
                             "recipient": r.recipient, "kind": r.kind},
                     after=after)


def retry(store: Store, now: dt.datetime, *, ids: Sequence[int] = (), states: Sequence[str] = (),
          actor: str = "", via: str = "cli") -> int:
    """Put failed/dead/cancelled rows (by id, or all in ``states``) back to pending, attempts reset,
    due at once; each row changed is written to the audit trail (``outbox.retry``) in the same
    transaction."""
    cond = OB.c.id.in_(list(ids)) if ids else OB.c.state.in_(list(states))
    with store.engine.begin() as conn:
        rows = conn.execute(select(OB.c.id, OB.c.event_id, OB.c.state, OB.c.attempts, OB.c.last_error,
                                   OB.c.recipient, OB.c.kind)
                            .where(cond, OB.c.state.in_(RETRYABLE_STATES))).all()
        if not rows:
            return 0
        n = conn.execute(update(OB).where(OB.c.id.in_([r.id for r in rows]), OB.c.state.in_(RETRYABLE_STATES))
                         .values(state="pending", attempts=0, next_attempt_at=None, claimed_by=None,
                                 updated_at=now)).rowcount
        _audit(conn, rows, "outbox.retry", {"state": "pending", "attempts": 0}, actor=actor or "?", via=via,
               now=now)
    return int(n)


CANCELLABLE_STATES = ("pending", "failed", "dead")


def cancelled_by(actor: str) -> str:
    """The reason a person's cancellation leaves on the row (never revived by planning)."""
    return f"hủy bởi {actor} / cancelled by {actor}"


def cancel(store: Store, now: dt.datetime, ids: Sequence[int], *, actor: str, via: str,
           name: str | None = None) -> int:
    """Cancel rows not sent yet (pending, failed, dead — never one being sent): they will not go,
    and planning does not make them again. Audited (``outbox.cancel``, as ``actor``) in the same
    transaction; the row's reason names the person as people know them (``name``)."""
    with store.engine.begin() as conn:
        rows = conn.execute(select(OB.c.id, OB.c.event_id, OB.c.state, OB.c.attempts, OB.c.last_error,
                                   OB.c.recipient, OB.c.kind)
                            .where(OB.c.id.in_(list(ids)), OB.c.state.in_(CANCELLABLE_STATES))).all()
        if not rows:
            return 0
        why = cancelled_by(name or actor)
        n = conn.execute(update(OB).where(OB.c.id.in_([r.id for r in rows]), OB.c.state.in_(CANCELLABLE_STATES))
                         .values(state="cancelled", last_error=why, next_attempt_at=None, claimed_by=None,
                                 updated_at=now)).rowcount
        _audit(conn, rows, "outbox.cancel", {"state": "cancelled", "last_error": why}, actor=actor, via=via,
               now=now)
    return int(n)


class PreviewSigner(Signer):
    """Signs nothing: a preview's "done" link must not be a working capability of the recipient
    (an editor clicking it would mark the task done in the recipient's name)."""

    TOKEN = "xem-truoc-khong-dung-duoc"

    def __init__(self) -> None:
        super().__init__(b"preview")

    def sign(self, event_id: str, task_id: str, year: int, recipient: str, expires: dt.datetime,
             nonce: str) -> str:
        return self.TOKEN


def preview(rt: Runtime, row: dict[str, Any], now: dt.datetime) -> EmailMessage:
    """The message of ``row`` as its recipient got it (or will): composed as the dispatcher
    composes it, dated when it was sent (or ``now``); its "done" link inert (PreviewSigner)."""
    at = row.get("sent_at") or now
    msg = compose_row(rt, row, at, PreviewSigner())
    return msg


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
