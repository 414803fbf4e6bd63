"""The outbox table and the words every part of the outbox shares: states and reasons."""

from __future__ import annotations

from ..store import schema

OB = schema.outbox
STATES = ("pending", "sending", "sent", "failed", "dead", "cancelled")
OPEN_STATES = ("pending", "failed")  # waiting for a dispatcher
FINAL_STATES = ("sent", "dead", "cancelled")
RETRYABLE_STATES = ("failed", "dead", "cancelled")
