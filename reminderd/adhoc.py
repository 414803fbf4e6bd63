"""Ad-hoc items: events the catalog cannot foresee ("a new ambassador arrives on 12/3").

They are stored in ``adhoc_events`` as the same TOML-shaped data as a catalog
``[[event]]`` (JSON), validated by :func:`reminderd.catalog.parse_event` exactly
like catalog entries, and merged into the runtime by :func:`refresh`, so the plan,
the feeds and the mail see them at once, without a restart.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from . import audit
from .catalog import load_events_from_mapping, parse_event
from .config import Config
from .context import Context
from .errors import Problem
from .model import EventRule, Source
from .store import Store, schema

SOURCE = "adhoc"


@dataclass(frozen=True)
class AdhocItem:
    event_id: str
    data: dict[str, Any]
    created_by: str
    created_at: dt.datetime
    origin: str | None = None  # an imported item: "<file name>, dòng N"; None: added by hand


def source_for(event_id: str) -> Source:
    return Source(f"{SOURCE}:{event_id}" if event_id else SOURCE, None)


def slug(text: str) -> str:
    """'Đại sứ Nhật Bản đến' → 'dai-su-nhat-ban-den' (ids are ASCII)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")


def validate(raw: Mapping[str, Any], cfg: Config, catalog_ids: set[str],
             replacing: str | None = None) -> tuple[EventRule | None, list[Problem]]:
    """Exactly the catalog's validation, plus: the id must not clash with another event."""
    eid = raw.get("id")
    src = source_for(eid if isinstance(eid, str) else "")
    others = catalog_ids - ({replacing} if replacing else set())
    ev, problems = load_events_from_mapping(raw, src, cfg, others)
    errors = [p for p in problems if not p.warning]
    return (ev if not errors else None), problems


def read(conn: Connection) -> list[AdhocItem]:
    t = schema.adhoc_events
    rows = conn.execute(select(t).where(t.c.deleted_at.is_(None)).order_by(t.c.id)).all()
    return [AdhocItem(r.event_id, json.loads(r.data), r.created_by, r.created_at, r.origin) for r in rows]


def list_items(store: Store) -> list[AdhocItem]:
    with store.engine.connect() as conn:
        return read(conn)


def get_item(store: Store, event_id: str) -> AdhocItem | None:
    return next((i for i in list_items(store) if i.event_id == event_id), None)


def catalog_ids(ctx: Context) -> set[str]:
    assert ctx.base_runtime is not None
    return {e.id for e in ctx.base_runtime.catalog.events}


def add(ctx: Context, raw: Mapping[str, Any], by: str, via: str = "web") -> tuple[EventRule | None, list[Problem]]:
    """Validate and store a new item; on success the runtime includes it on return."""
    with ctx.swap_lock:  # validated against the same config and catalog it is merged into
        return _add(ctx, raw, by, via)


def _add(ctx: Context, raw: Mapping[str, Any], by: str, via: str) -> tuple[EventRule | None, list[Problem]]:
    taken = catalog_ids(ctx) | {i.event_id for i in list_items(ctx.store)}
    ev, problems = validate(raw, ctx.config, taken)
    if ev is None:
        return None, problems
    t = schema.adhoc_events
    with ctx.store.engine.begin() as conn:
        # A deleted item's id may be reused: the old row makes way.
        conn.execute(t.delete().where(t.c.event_id == ev.id, t.c.deleted_at.is_not(None)))
        conn.execute(t.insert().values(event_id=ev.id, data=json.dumps(_jsonable(raw), ensure_ascii=False),
                                       created_by=by, created_at=ctx.now()))
        audit.record(conn, at=ctx.now(), actor=by, via=via, action="adhoc.add", subject=ev.id,
                     event_id=ev.id, after=_jsonable(raw))
    refresh(ctx)
    return ev, problems


def update(ctx: Context, event_id: str, raw: Mapping[str, Any], by: str = "",
           via: str = "web") -> tuple[EventRule | None, list[Problem]]:
    with ctx.swap_lock:
        return _update(ctx, event_id, raw, by, via)


def _update(ctx: Context, event_id: str, raw: Mapping[str, Any], by: str,
            via: str) -> tuple[EventRule | None, list[Problem]]:
    old = get_item(ctx.store, event_id)
    if old is None:
        raise KeyError(event_id)
    if raw.get("id", event_id) != event_id:
        return None, [Problem(SOURCE, f"event {event_id}", "id", "không đổi được mã của mục đã có")]
    raw = {**raw, "id": event_id}
    taken = catalog_ids(ctx) | {i.event_id for i in list_items(ctx.store)}
    ev, problems = validate(raw, ctx.config, taken, replacing=event_id)
    if ev is None:
        return None, problems
    t = schema.adhoc_events
    with ctx.store.engine.begin() as conn:
        conn.execute(t.update().where(t.c.event_id == event_id, t.c.deleted_at.is_(None))
                     .values(data=json.dumps(_jsonable(raw), ensure_ascii=False)))
        audit.record(conn, at=ctx.now(), actor=by, via=via, action="adhoc.update", subject=event_id,
                     event_id=event_id, before=old.data, after=_jsonable(raw))
    refresh(ctx)
    return ev, problems


def delete(ctx: Context, event_id: str, by: str = "", via: str = "web") -> bool:
    t = schema.adhoc_events
    old = get_item(ctx.store, event_id)
    with ctx.store.engine.begin() as conn:
        n = conn.execute(t.update().where(t.c.event_id == event_id, t.c.deleted_at.is_(None))
                         .values(deleted_at=ctx.now())).rowcount
        if n:
            audit.record(conn, at=ctx.now(), actor=by, via=via, action="adhoc.delete", subject=event_id,
                         event_id=event_id, before=old.data if old else None)
    if n:
        refresh(ctx)
    return bool(n)


def load_adhoc_events(store: Store, cfg: Config, catalog_ids: set[str]) -> tuple[list[EventRule], list[Problem]]:
    return events_from_items(list_items(store), cfg, catalog_ids)


def events_from_items(items: Iterable[AdhocItem], cfg: Config,
                      catalog_ids: set[str]) -> tuple[list[EventRule], list[Problem]]:
    """Every stored item that is still valid; the others come back as problems (a config
    change can remove a department an item names): reported, never dropped silently."""
    events: list[EventRule] = []
    problems: list[Problem] = []
    for item in items:
        ev, probs = parse_event(item.data, source_for(item.event_id), cfg, adhoc=True)
        if ev is not None and ev.id in catalog_ids:
            probs = [*probs, Problem(SOURCE, f"event {ev.id}", "id",
                                     "mã này nay đã có trong danh mục; mục bổ sung bị bỏ qua")]
            ev = None
        problems.extend(p for p in probs if not p.warning)
        if ev is not None:
            events.append(ev)
    return events, problems


def changed_elsewhere(ctx: Context) -> bool:
    """True if anything stored (items, partners, overrides) differs from what this process
    last merged. Reads the database: call in a thread."""
    from .overlays import merge  # the one merge of everything stored sits above this module

    return merge.changed_elsewhere(ctx)


def refresh(ctx: Context) -> list[Problem]:
    """Merge everything stored (partners, overrides, these items) over the base runtime and
    swap it in (listeners rebuild feeds): :func:`reminderd.overlays.merge.refresh`."""
    from .overlays import merge

    return merge.refresh(ctx)


def _jsonable(raw: Mapping[str, Any]) -> dict[str, Any]:
    def conv(v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, Mapping):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [conv(x) for x in v]
        return v
    return {k: conv(v) for k, v in raw.items()}
