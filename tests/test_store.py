"""The store migrates from nothing on SQLite and PostgreSQL, twice without harm."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect

from reminderd.store import open_store


def test_migrate_and_state_roundtrip(db_url):
    store = open_store(db_url)
    store.upgrade()  # idempotent
    names = set(inspect(store.engine).get_table_names())
    assert {"outbox", "acks", "tokens", "feed_items", "adhoc_events", "daemon_state"} <= names
    now = dt.datetime(2024, 2, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    store.put_state("last_plan", {"tasks": 3, "ghi chú": "Tết"}, now)
    value, at = store.get_state("last_plan")
    assert value == {"tasks": 3, "ghi chú": "Tết"}
    assert at == now and at.tzinfo is not None
    store.dispose()


def test_insert_ignore_counts_rows(db_url):
    from reminderd.store import insert_ignore, schema

    store = open_store(db_url)
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with store.engine.begin() as conn:
        row = {"name": "x", "value": "1", "updated_at": now}
        assert insert_ignore(conn, schema.daemon_state, row) == 1
        assert insert_ignore(conn, schema.daemon_state, row) == 0
    store.dispose()


def test_schema_head_constant_matches_migrations(sqlite_url):
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    from reminderd.store import MIGRATIONS, SCHEMA_HEAD

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD
    store = open_store(sqlite_url)
    assert store.current_revision() == SCHEMA_HEAD
    store.dispose()


def test_isolated_migration_runs_in_a_child(sqlite_url, tmp_path):
    from reminderd.store import SCHEMA_HEAD, MigrationError

    store = open_store(sqlite_url, isolated=True)
    assert store.current_revision() == SCHEMA_HEAD
    store.dispose()
    # A database that cannot be migrated: the child's error comes back, one line.
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not a database file" * 100)
    try:
        open_store(f"sqlite:///{bad}", isolated=True)
    except MigrationError as e:
        assert "database" in str(e).lower()
    except Exception as e:  # the parent may notice first, reading the revision
        assert "database" in str(e).lower()
    else:
        raise AssertionError("a broken database file must not open")
