"""The durable store: SQLite by default, PostgreSQL for a highly available pair.

``open_store(url)`` returns a :class:`Store` whose schema is migrated to the
newest alembic revision. Feature modules (outbox, tokens, acks, ad-hoc items)
run their own queries against ``store.engine`` and the tables in ``schema``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import Connection, make_url

from . import schema

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# The newest alembic revision; tests/test_store.py checks it against the migration scripts.
SCHEMA_HEAD = "0010"


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()

    def upgrade(self) -> None:
        """Run alembic migrations up to head (idempotent; safe on both daemons of a pair).

        A database already at ``SCHEMA_HEAD`` is left alone without importing alembic:
        that keeps a routine start fast and the daemon's memory small.
        """
        if self.current_revision() == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            if self.is_postgres:
                # Two daemons starting at once must not both create the tables.
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727274)")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    # Small shared facts (last planning pass, last SMTP success …).
    def put_state(self, name: str, value: Any, now: dt.datetime) -> None:
        text = json.dumps(value, ensure_ascii=False, default=str)
        t = schema.daemon_state
        with self.engine.begin() as conn:
            updated = conn.execute(t.update().where(t.c.name == name)
                                   .values(value=text, updated_at=now)).rowcount
            if not updated:
                _insert_ignore(conn, t, {"name": name, "value": text, "updated_at": now})

    def get_state(self, name: str) -> tuple[Any, dt.datetime] | None:
        t = schema.daemon_state
        with self.engine.connect() as conn:
            row = conn.execute(select(t.c.value, t.c.updated_at).where(t.c.name == name)).first()
        return (json.loads(row.value), row.updated_at) if row else None

    def dispose(self) -> None:
        self.engine.dispose()


def _insert_ignore(conn: Connection, table: Any, values: dict[str, Any]) -> int:
    """INSERT that silently does nothing on a unique-key conflict; returns rows inserted (0 or 1).

    Counted with RETURNING: psycopg reports rowcount -1 for ON CONFLICT DO NOTHING.
    """
    key = next(iter(table.primary_key.columns))
    stmt = _dialect_insert(conn, table).values(**values).on_conflict_do_nothing().returning(key)
    return len(conn.execute(stmt).all())


def _dialect_insert(conn: Connection, table: Any) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return sqlite_insert(table)


def insert_ignore_many(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> int:
    """Many INSERTs in one executemany, each doing nothing on a unique-key conflict; how many
    rows were inserted (as the driver counts them)."""
    if not rows:
        return 0
    return int(conn.execute(_dialect_insert(conn, table).on_conflict_do_nothing(), rows).rowcount)


insert_ignore = _insert_ignore


def _private_sqlite_file(path: Path) -> None:
    """Create a new database file 0600 in a directory created 0700 (it holds password and
    token hashes, acknowledgements, people's addresses); SQLite gives its -wal and -shm
    files the database file's mode. Existing files keep theirs (the daemon tightens them)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process created it a moment ago
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            _private_sqlite_file(Path(path))
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _rec: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers never block the dispatcher
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    connect_args: dict[str, Any] = {}
    if url.startswith("postgresql"):
        # A database host that drops packets must not hold a thread for the kernel's TCP
        # timeouts — two minutes to connect, ~15 minutes for an answer that never comes on an
        # open connection (a partition: nothing closes the socket), while the scheduler skips
        # every pass behind the stuck one. Fail within seconds; the next pass retries.
        options = {"connect_timeout": CONNECT_TIMEOUT, **PG_SOCKET_OPTIONS}
        given = make_url(url).query  # the URL's own ?key=value settings win
        connect_args.update({k: v for k, v in options.items() if k not in given})
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


CONNECT_TIMEOUT = 10  # seconds; a URL's own ?connect_timeout= wins
# libpq's settings for an established connection (a URL's own ?keepalives_idle= etc. win):
# keepalive probes find a peer gone silent while we wait for an answer (10 + 3×5 s), and
# tcp_user_timeout (ms) ends a connection whose sent data stays unacknowledged for 30 s.
PG_SOCKET_OPTIONS: dict[str, int] = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                                     "keepalives_count": 3, "tcp_user_timeout": 30000}


class MigrationError(RuntimeError):
    """The migrations failed in the child process; the message is its error output."""


def open_store(url: str, *, migrate: bool = True, isolated: bool = False) -> Store:
    """A store at the newest schema. ``isolated=True`` (the daemon) migrates, when there is
    anything to do, in a child process, keeping alembic out of the long-running one."""
    store = Store(make_engine(url))
    if migrate and isolated:
        if store.current_revision() != SCHEMA_HEAD:
            p = subprocess.run([sys.executable, "-m", "reminderd.store.migrate"], input=url, text=True,
                               capture_output=True, timeout=600)
            if p.returncode != 0:
                store.dispose()
                lines = (p.stderr or p.stdout).strip().splitlines()
                raise MigrationError(lines[-1] if lines else f"exit status {p.returncode}")
    elif migrate:
        store.upgrade()
    return store
