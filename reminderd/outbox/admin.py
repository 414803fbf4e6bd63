"""What an operator (``reminderd outbox …``) or an editor (the outbox page) does with rows:
list them, put them back, cancel them, purge old ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update

from ..messages import TASK_KINDS
from ..store import Store
from .planning import LOOKBACK_DAYS, OVERDUE_DAYS
from .states import FINAL_STATES, OB, RETRYABLE_STATES

# `outbox purge` never deletes a row touched in the last PURGE_MIN_AGE_DAYS, counted back from
# the latest planning pass; planning re-makes a task's rows only while its due date is within
# LOOKBACK_DAYS, a digest only during its week, so older rows can never come back.
PURGE_MIN_AGE_DAYS = 90
assert PURGE_MIN_AGE_DAYS >= LOOKBACK_DAYS + OVERDUE_DAYS


def list_rows(store: Store, *, states: Sequence[str] = (), limit: int = 50) -> list[dict[str, Any]]:
    q = select(OB).order_by(OB.c.send_after.desc(), OB.c.id.desc()).limit(limit)
    if states:
        q = q.where(OB.c.state.in_(list(states)))
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


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
