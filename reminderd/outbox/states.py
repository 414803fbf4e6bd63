"""The outbox table and the words every part of the outbox shares: states and reasons."""

from __future__ import annotations

from ..store import schema

OB = schema.outbox
STATES = ("pending", "sending", "sent", "failed", "dead", "cancelled")
OPEN_STATES = ("pending", "failed")  # waiting for a dispatcher
FINAL_STATES = ("sent", "dead", "cancelled")
RETRYABLE_STATES = ("failed", "dead", "cancelled")

# Why a row was cancelled before it went (``last_error`` of a ``cancelled`` row). The first two
# are provisional: a planning pass whose rules make the same row again — the event put back
# (a reload, the other daemon of a pair not yet reloaded), the acknowledgement undone — revives
# it, same dedupe key and Message-ID. A row an editor cancelled stays cancelled.
GONE = "không còn trong danh mục / no longer in the catalog"
ACKED = "đã đánh dấu hoàn thành / acknowledged"
REVIVABLE = (GONE, ACKED)
