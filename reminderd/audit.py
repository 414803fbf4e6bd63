"""The audit trail: who changed what, when, and what it was before and after.

Every change a person makes through reminderd — an acknowledgement recorded or
undone, an ad-hoc item added, edited or deleted, a partner moved, a catalog
override set or removed, a plan imported — is written here by :func:`record`, in
the same transaction as the change itself, so the trail can never say something
happened that did not (or miss something that did). Nothing here is deleted.

``actor`` is the person as reminderd knows them: an editor's user name, an access
link's label, the address an e-mail link was sent to, or the shell user for the CLI.
``subject`` names the thing changed in the terms of its own module (a task key
``event/task@year``, an event id, a country code); ``event_id`` is set whenever the
change concerns one catalog event, so an event's page can list its own history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .store import Store, schema

# What an entry's ``action`` may be; modules add theirs here (one place to read them all).
ACTIONS = {
    "ack.add": ("Đánh dấu đã hoàn thành", "Marked as done"),
    "ack.undo": ("Hoàn tác đánh dấu hoàn thành", "Undid 'done'"),
    "adhoc.add": ("Thêm mục bổ sung", "Added an ad-hoc item"),
    "adhoc.update": ("Sửa mục bổ sung", "Edited an ad-hoc item"),
    "adhoc.delete": ("Xóa mục bổ sung", "Deleted an ad-hoc item"),
    "partner.set": ("Đổi hạng đối tác", "Changed a partner's tier"),
    "partner.remove": ("Bỏ khỏi danh sách đối tác", "Removed a partner"),
    "override.set": ("Sửa sự kiện so với danh mục", "Changed an event from the catalog"),
    "override.remove": ("Bỏ thay đổi, trở lại danh mục", "Reverted an event to the catalog"),
    "import.apply": ("Nhập kế hoạch từ tệp", "Imported a plan"),
    "outbox.retry": ("Gửi lại thư", "Retried a message"),
    "outbox.cancel": ("Hủy thư", "Cancelled a message"),
}
VIAS = ("web", "api", "email", "cli", "import", "system")


@dataclass(frozen=True)
class Entry:
    id: int
    at: dt.datetime
    actor: str
    via: str
    action: str
    subject: str
    event_id: str | None
    before: Any
    after: Any
    note: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor, "via": self.via,
                "action": self.action, "subject": self.subject, "event_id": self.event_id,
                "before": self.before, "after": self.after, "note": self.note}


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"audit: cannot record a {type(value).__name__}")


def record(conn: Connection, *, at: dt.datetime, actor: str, via: str, action: str, subject: str,
           event_id: str | None = None, before: Any = None, after: Any = None, note: str = "") -> None:
    """Write one entry on ``conn`` — the connection of the transaction making the change."""
    if action not in ACTIONS:
        raise ValueError(f"audit: unknown action {action!r}")
    if via not in VIAS:
        raise ValueError(f"audit: unknown via {via!r}")
    conn.execute(schema.audit_log.insert().values(
        at=at, actor=actor[:256], via=via, action=action, subject=subject[:512], event_id=event_id,
        before=_dump(before), after=_dump(after), note=note))


def entries(store: Store, *, event_id: str | None = None, subject: str | None = None,
            action_prefix: str | None = None, since: dt.datetime | None = None,
            limit: int | None = 500) -> list[Entry]:
    """The newest entries first, optionally only those of one event, subject or kind."""
    t = schema.audit_log
    q = select(t).order_by(t.c.at.desc(), t.c.id.desc())
    if event_id is not None:
        q = q.where(t.c.event_id == event_id)
    if subject is not None:
        q = q.where(t.c.subject == subject)
    if action_prefix is not None:
        q = q.where(t.c.action.startswith(action_prefix, autoescape=True))
    if since is not None:
        q = q.where(t.c.at >= since)
    if limit is not None:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [_entry(dict(r._mapping)) for r in conn.execute(q)]


def action_label(action: str, lang: str) -> str:
    vi, en = ACTIONS.get(action, (action, action))
    return en if lang == "en" else vi


def _entry(r: Mapping[str, Any]) -> Entry:
    return Entry(r["id"], r["at"], r["actor"], r["via"], r["action"], r["subject"], r["event_id"],
                 json.loads(r["before"]) if r["before"] else None,
                 json.loads(r["after"]) if r["after"] else None, r["note"] or "")
