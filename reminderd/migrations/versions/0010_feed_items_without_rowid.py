"""feed_items: one row per entry, kept in its primary key's b-tree on SQLite

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 04:00:00

Since 0010 the table holds one row per logical entry rather than per feed copy
(reminderd/feeds/state.py; rows of the old shape are converted on the first feed build). On
SQLite the table is rebuilt WITHOUT ROWID: its rows live in the b-tree of their UID, with no
second copy of each UID in a separate index (a third of the table's size). PostgreSQL is left
as it is.
"""

from __future__ import annotations

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_COLUMNS = ("uid VARCHAR(512) NOT NULL PRIMARY KEY, content_hash VARCHAR(64) NOT NULL, sequence INTEGER NOT NULL, "
            "last_modified DATETIME NOT NULL, removed_at DATETIME, snapshot TEXT")
_NAMES = "uid, content_hash, sequence, last_modified, removed_at, snapshot"


def _rebuild(suffix: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE TABLE feed_items_new ({_COLUMNS}){suffix}")
    op.execute(f"INSERT INTO feed_items_new ({_NAMES}) SELECT {_NAMES} FROM feed_items")
    op.execute("DROP TABLE feed_items")
    op.execute("ALTER TABLE feed_items_new RENAME TO feed_items")


def upgrade() -> None:
    _rebuild(" WITHOUT ROWID")


def downgrade() -> None:
    _rebuild("")
