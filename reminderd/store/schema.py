"""The database tables: our own durable state, and nothing else (APScheduler keeps none).

SQLAlchemy Core tables, portable between SQLite (the default) and PostgreSQL
(the shared store of a highly available pair). Changes go through alembic
revisions in ``reminderd/migrations/versions``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

metadata = MetaData()


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out — on SQLite too, which has no zones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


# One row per message to send: (occurrence, task, kind, recipient) is unique, so planning
# can run any number of times, on any number of daemons, and never makes a second row.
outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dedupe_key", String(512), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),  # window_open|due|overdue|digest|correction|test
    Column("event_id", String(128)),
    Column("task_id", String(128)),
    Column("occurrence_date", Date),
    Column("year", Integer),
    Column("department", String(128)),
    Column("recipient", String(320), nullable=False),
    Column("role", String(16), nullable=False, default="owner"),  # owner|support|escalation
    Column("window_start", Date),  # the dates the message announced, to detect changes
    Column("due", Date),
    Column("send_after", UTCDateTime(), nullable=False),
    Column("state", String(16), nullable=False, default="pending"),  # pending|sending|sent|failed|dead|cancelled
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime()),
    Column("last_error", Text),
    Column("claimed_by", String(128)),
    Column("claimed_at", UTCDateTime()),
    Column("message_id", String(256), nullable=False),
    Column("payload", Text),  # JSON: what the message needs to render (title, action, …)
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
)
Index("ix_outbox_due", outbox.c.state, outbox.c.next_attempt_at)
Index("ix_outbox_task", outbox.c.event_id, outbox.c.task_id, outbox.c.occurrence_date)

# "Done": stops further reminders for one task occurrence.
acks = Table(
    "acks", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(128), nullable=False),
    Column("task_id", String(128), nullable=False),
    Column("year", Integer, nullable=False),
    Column("done_at", UTCDateTime(), nullable=False),
    Column("done_by", String(256), nullable=False),
    Column("via", String(16), nullable=False),  # cli|web|email|api
    Column("note", Text, nullable=False, default=""),
    Column("nonce", String(64)),  # the signed link's nonce, so a replay is refused
    UniqueConstraint("event_id", "task_id", "year", name="uq_acks_task_year"),
)

# Secret capabilities: feed tokens, per-department page links, admin API tokens.
# Only a SHA-256 of the token is stored; lookups compare in constant time.
tokens = Table(
    "tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # feed|access|admin
    Column("scope", String(256), nullable=False),  # "all", "department/so-ngoai-vu", "tag/x", "country/JP"
    Column("label", String(256), nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
    Column("last_used_at", UTCDateTime()),
)

# What each feed item looked like when last published, so SEQUENCE and LAST-MODIFIED
# only move when the content does, across restarts and on both daemons of a pair.
feed_items = Table(
    "feed_items", metadata,
    Column("uid", String(512), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("sequence", Integer, nullable=False, default=0),
    Column("last_modified", UTCDateTime(), nullable=False),
    Column("removed_at", UTCDateTime()),
    Column("snapshot", Text),  # feeds.state.Snapshot.dump(): what a CANCELLED copy needs
    sqlite_with_rowid=False,  # migration 0010: rows in the UID's b-tree, no second index
)

# Ad-hoc items added from the page or the API: the same TOML-shaped data as a catalog
# event (JSON), validated by reminderd.catalog.parse_event exactly like catalog entries.
adhoc_events = Table(
    "adhoc_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(128), nullable=False, unique=True),
    Column("data", Text, nullable=False),
    Column("created_by", String(256), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("deleted_at", UTCDateTime()),
    # Where an imported item came from ("<file name>, dòng 7"); NULL for one added by hand.
    Column("origin", String(512)),
)

# Small shared facts: last planning pass, last SMTP success, per daemon instance.
daemon_state = Table(
    "daemon_state", metadata,
    Column("name", String(128), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Admin users of the web page (issue 6); password hashes only.
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(128), nullable=False, unique=True),
    Column("password_hash", String(256), nullable=False),
    Column("is_admin", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

# Web sessions (reminderd.webauth): the cookie holds a random id, only its SHA-256 is stored,
# so logout, a password change or revoking the link that opened a session ends it, and a
# copy of the database opens none. ``credential`` tags the password hash a login used.
web_sessions = Table(
    "web_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("who", String(256), nullable=False),
    Column("username", String(128)),  # a password login
    Column("admin", Boolean, nullable=False, default=False),
    Column("department", String(128)),
    Column("token_id", Integer),  # the access or admin link that opened it
    Column("credential", String(64)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)
Index("ix_web_sessions_username", web_sessions.c.username)
Index("ix_web_sessions_expires", web_sessions.c.expires_at)

# The audit trail (reminderd.audit): one row per change a person made, never updated or deleted.
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(256), nullable=False),
    Column("via", String(16), nullable=False),  # web|api|email|cli|import|system
    Column("action", String(64), nullable=False),  # reminderd.audit.ACTIONS
    Column("subject", String(512), nullable=False),
    Column("event_id", String(128)),
    Column("before", Text),  # JSON
    Column("after", Text),  # JSON
    Column("note", Text, nullable=False, default=""),
)
Index("ix_audit_at", audit_log.c.at)
Index("ix_audit_event", audit_log.c.event_id, audit_log.c.at)

# Editors' changes to the files' catalog, stored as overlays (reminderd.overlays): applied on top of
# the config and catalog files each time they are loaded, reversible one by one.
# [partners]: a country moved to another tier (``tier``) or out of the partners (``tier`` NULL).
catalog_partners = Table(
    "catalog_partners", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("country", String(8), nullable=False, unique=True),
    Column("tier", String(64)),
    Column("changed_by", String(256), nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
)

# One catalog event disabled (``task_id`` ""), one of its tasks changed, or a task added (JSON).
catalog_overrides = Table(
    "catalog_overrides", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(128), nullable=False),
    Column("task_id", String(128), nullable=False, default=""),
    Column("data", Text, nullable=False),
    Column("changed_by", String(256), nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
    UniqueConstraint("event_id", "task_id", name="uq_catalog_overrides_task"),
)
