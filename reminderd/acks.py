"""Acknowledgements: "this task occurrence is done", which stops its reminders.

A task occurrence is named by ``(event_id, task_id, year)`` (the rule year, as in
``reminderd ack EVENT/TASK --year Y``). The first acknowledgement wins and is
kept (who, when, how, note, the link's nonce); a second one changes nothing and
is reported as such, so a replayed link cannot rewrite history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from . import audit
from .store import Store, schema

VIAS = ("cli", "web", "email", "api")


@dataclass(frozen=True)
class Ack:
    event_id: str
    task_id: str
    year: int
    done_at: dt.datetime
    done_by: str
    via: str
    note: str
    nonce: str | None


def insert_new(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """INSERT unless the unique key exists; True if a row was inserted.

    Uses RETURNING rather than rowcount: with psycopg 3, ``ON CONFLICT DO NOTHING``
    reports rowcount -1, which would read as "inserted"."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        stmt: Any = pg_insert(table).values(**values).on_conflict_do_nothing()
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert
        stmt = sqlite_insert(table).values(**values).on_conflict_do_nothing()
    pk = next(iter(table.primary_key.columns))
    return conn.execute(stmt.returning(pk)).first() is not None


def mark_done(store: Store, event_id: str, task_id: str, year: int, by: str, via: str,
              note: str, now: dt.datetime, nonce: str | None = None) -> bool:
    """Record the task occurrence as done; False if it already was (nothing changes)."""
    if via not in VIAS:
        raise ValueError(f"via={via!r}: cần một trong {', '.join(VIAS)}")
    with store.engine.begin() as conn:
        inserted = insert_new(conn, schema.acks, {
            "event_id": event_id, "task_id": task_id, "year": year, "done_at": now,
            "done_by": by, "via": via, "note": note, "nonce": nonce})
        if inserted:
            audit.record(conn, at=now, actor=by, via=via, action="ack.add",
                         subject=subject(event_id, task_id, year), event_id=event_id,
                         after={"done_by": by, "via": via, "note": note})
    return bool(inserted)


def undo(store: Store, event_id: str, task_id: str, year: int, by: str, via: str,
         now: dt.datetime) -> Ack | None:
    """Remove the acknowledgement (reminders resume); the removed one is returned and kept in
    the audit trail with who undid it. None if the task was not marked done."""
    if via not in VIAS:
        raise ValueError(f"via={via!r}: cần một trong {', '.join(VIAS)}")
    a = schema.acks
    where = (a.c.event_id == event_id, a.c.task_id == task_id, a.c.year == year)
    with store.engine.begin() as conn:
        row = conn.execute(select(a).where(*where)).first()
        if row is None:
            return None
        old = _ack(row)
        conn.execute(a.delete().where(*where))
        audit.record(conn, at=now, actor=by, via=via, action="ack.undo",
                     subject=subject(event_id, task_id, year), event_id=event_id,
                     before={"done_by": old.done_by, "via": old.via, "note": old.note,
                             "done_at": old.done_at})
    return old


def subject(event_id: str, task_id: str, year: int) -> str:
    """How the audit trail names a task occurrence (as ``reminderd ack EVENT/TASK --year Y``)."""
    return f"{event_id}/{task_id}@{year}"


def get_ack(store: Store, event_id: str, task_id: str, year: int) -> Ack | None:
    a = schema.acks
    with store.engine.connect() as conn:
        row = conn.execute(select(a).where(a.c.event_id == event_id, a.c.task_id == task_id,
                                           a.c.year == year)).first()
    return _ack(row) if row else None


def is_done(store: Store, event_id: str, task_id: str, year: int) -> bool:
    return get_ack(store, event_id, task_id, year) is not None


def done_keys(store: Store, years: Iterable[int]) -> set[tuple[str, str, int]]:
    """Every acknowledged (event, task, year) among the given years."""
    a = schema.acks
    ys = sorted(set(years))
    if not ys:
        return set()
    with store.engine.connect() as conn:
        rows = conn.execute(select(a.c.event_id, a.c.task_id, a.c.year).where(a.c.year.in_(ys)))
        return {(r.event_id, r.task_id, r.year) for r in rows}


def list_acks(store: Store, year: int | None = None) -> list[Ack]:
    a = schema.acks
    q = select(a).order_by(a.c.done_at, a.c.id)
    if year is not None:
        q = q.where(a.c.year == year)
    with store.engine.connect() as conn:
        return [_ack(r) for r in conn.execute(q)]


def _ack(row: object) -> Ack:
    r = row._mapping  # type: ignore[attr-defined]
    return Ack(r["event_id"], r["task_id"], r["year"], r["done_at"], r["done_by"], r["via"],
               r["note"] or "", r["nonce"])
