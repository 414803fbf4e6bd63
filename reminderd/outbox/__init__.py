"""The outbox: what must be mailed, to whom, when — durable, idempotent, shared by daemons.

Three parts, each its own module (docs/MAIL.md has the user-facing rules):

- :mod:`.planning` — ``await planning_pass(ctx)``: plan → rows. One row per (kind, task
  occurrence, announced date, recipient), made idempotently under a unique ``dedupe_key``;
  rows the rules no longer want are cancelled (and come back if the rules want them again).
- :mod:`.sending` — ``await dispatch(ctx, limit=None)``: claim due rows, compose, send
  through :mod:`reminderd.mailer`, record each outcome as it is known.
- :mod:`.admin` — what people do with rows: list, retry, cancel, purge.

Both entry points are safe to call at any time, any number of times, from any number of
processes sharing one database. This package re-exports what the rest of reminderd uses.
"""

from __future__ import annotations

from ..messages import TASK_KINDS
from .admin import PURGE_MIN_AGE_DAYS, Purged, list_rows, purge, purge_limit, retry, states_of
from .planning import (
    DIGEST_DAYS,
    LOOKBACK_DAYS,
    OVERDUE_CATCHUP_WD,
    OVERDUE_DAYS,
    PlanResult,
    Row,
    Sent,
    compute,
    digest_rows,
    existing_keys,
    plan_rows,
    planning_pass,
    planning_pass_sync,
    recipients,
    send_day,
    send_moment,
    task_kind_today,
    task_payload,
)
from .sending import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    BATCH,
    CLAIM_RENEW_SECONDS,
    CLAIM_TIMEOUT,
    MAX_ATTEMPTS,
    Outcome,
    _ics,
    _Recorder,
    _renew_while_sending,
    backoff,
    build_messages,
    claim,
    dispatch,
    outcome_values,
    record,
    release_stale,
    release_worker,
    renew_claims,
    stale_claims,
    task_for,
    worker_id,
)
from .states import ACKED, FINAL_STATES, GONE, OB, OPEN_STATES, RETRYABLE_STATES, REVIVABLE, STATES

__all__ = [
    "ACKED",
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "BATCH",
    "CLAIM_RENEW_SECONDS",
    "CLAIM_TIMEOUT",
    "DIGEST_DAYS",
    "FINAL_STATES",
    "GONE",
    "LOOKBACK_DAYS",
    "MAX_ATTEMPTS",
    "OB",
    "OPEN_STATES",
    "OVERDUE_CATCHUP_WD",
    "OVERDUE_DAYS",
    "PURGE_MIN_AGE_DAYS",
    "RETRYABLE_STATES",
    "REVIVABLE",
    "STATES",
    "TASK_KINDS",
    "Outcome",
    "PlanResult",
    "Purged",
    "Row",
    "Sent",
    "_Recorder",
    "_ics",
    "_renew_while_sending",
    "backoff",
    "build_messages",
    "claim",
    "compute",
    "digest_rows",
    "dispatch",
    "existing_keys",
    "list_rows",
    "outcome_values",
    "plan_rows",
    "planning_pass",
    "planning_pass_sync",
    "purge",
    "purge_limit",
    "recipients",
    "record",
    "release_stale",
    "release_worker",
    "renew_claims",
    "retry",
    "send_day",
    "send_moment",
    "stale_claims",
    "states_of",
    "task_for",
    "task_kind_today",
    "task_payload",
    "worker_id",
]
