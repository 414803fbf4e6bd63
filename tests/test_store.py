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
