"""Changing the stored overlays: what the page and ``reminderd catalog`` call.

Each change is checked against the files as loaded (``ctx.base_runtime``) and the other
stored changes — by the very merge that will apply it, so "accepted" means "applies" —
then written with its audit entry in one transaction, and merged in at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..adhoc import slug
from ..context import Context
from ..errors import Problem
from ..model import EventRule
from . import merge
from . import overrides as ov
from . import partners as pt

_LEAD_WORDS = re.compile(r"^\s*(\d{1,3})\s*(?:(?:-|–|—|đến)\s*(\d{1,3})\s*)?ngày(\s+làm\s+việc)?\s*(?:trước)?\s*$",
                         re.IGNORECASE)


def lead_text(text: str) -> str:
    """A lead as a clerk types it → the catalog's form: "3-5 ngày làm việc" → "3-5wd", "10 ngày" →
    "10d". Anything else is left as typed, for the validator to explain."""
    m = _LEAD_WORDS.match(text)
    if m is None:
        return text.strip()
    span = f"{m[1]}-{m[2]}" if m[2] else m[1]
    return span + ("wd" if m[3] else "d")


def current(ctx: Context) -> merge.Merged:
    """What the stored changes do now (merged at start and after every change)."""
    if not isinstance(ctx.overlays, merge.Merged) or ctx.overlays.base is not ctx.base_runtime:
        merge.refresh(ctx)
    assert isinstance(ctx.overlays, merge.Merged)
    return ctx.overlays


# ---- partners ----------------------------------------------------------------------------


def tiers(ctx: Context) -> list[str]:
    assert ctx.base_runtime is not None
    return pt.known_tiers(ctx.base_runtime.config, ctx.base_runtime.catalog)


def set_partner(ctx: Context, country: str, tier: str | None, by: str, via: str = "web") -> list[Problem]:
    """Put ``country`` in ``tier`` (None: not a partner). Problems, or [] when done."""
    country = country.strip().upper()
    with ctx.swap_lock:
        assert ctx.base_runtime is not None
        problems = pt.check_change(country, tier, tiers(ctx))
        if problems:
            return problems
        file_tier = pt.tier_in(ctx.base_runtime.config.partners, country)
        before = pt.tier_in(ctx.config.partners, country)
        with ctx.store.engine.begin() as conn:
            changed = pt.write(conn, country=country, tier=tier, file_tier=file_tier, before=before,
                               by=by, via=via, now=ctx.now())
        if changed:
            merge.refresh(ctx)
    return []


def revert_partner(ctx: Context, country: str, by: str, via: str = "web") -> list[Problem]:
    """Back to what the config file says."""
    assert ctx.base_runtime is not None
    return set_partner(ctx, country, pt.tier_in(ctx.base_runtime.config.partners, country.strip().upper()),
                       by, via)


# ---- event overrides -----------------------------------------------------------------------


def file_event(ctx: Context, event_id: str) -> EventRule | None:
    """The event as its catalog file has it (None: not a file event)."""
    assert ctx.base_runtime is not None
    ev = next((e for e in ctx.base_runtime.catalog.events if e.id == event_id), None)
    return ev if ev is not None and not ev.adhoc and ev.raw is not None else None


def _file_task(ev: EventRule, task_id: str) -> dict[str, Any] | None:
    assert ev.raw is not None
    return ov._task_of(ev.raw, task_id)


def change_data(ev: EventRule, task_id: str, wanted: Mapping[str, Any]) -> dict[str, Any] | None:
    """The stored form of "task ``task_id`` should have these lead/owner/support", keeping only
    what differs from the file (None: nothing does — no override needed)."""
    task = _file_task(ev, task_id) or {}
    diff: dict[str, Any] = {}
    for key in ov.CHANGE_KEYS:
        if key not in wanted:
            continue
        value = wanted[key]
        file_value = task.get(key, [] if key == "support" else None)
        if key == "support" and isinstance(file_value, str):
            file_value = [file_value]
        if value != file_value:
            diff[key] = value
    return {"change": diff} if diff else None


def new_task_id(ev: EventRule, action: str, taken: Sequence[str]) -> str:
    base = slug(action)[:40].strip("-") or "viec-them"
    tid, n = base, 2
    while tid in taken:
        tid, n = f"{base}-{n}", n + 1
    return tid


def set_override(ctx: Context, event_id: str, task_id: str, data: Mapping[str, Any] | None, by: str,
                 via: str = "web") -> list[Problem]:
    """Store ``data`` for (event, task) — or remove the override with None — if the files and
    the validator accept the result; the validator's problems otherwise (nothing stored)."""
    with ctx.swap_lock:
        ev = file_event(ctx, event_id)
        if ev is None:
            return [Problem(ov.SOURCE, f"event {event_id}", "id",
                            f"không có sự kiện {event_id!r} trong các tệp danh mục (mục bổ sung thì sửa ở "
                            "trang Mục bổ sung)")]
        if task_id and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", task_id):
            return [Problem(ov.SOURCE, f"event {event_id}/{task_id}", "id", "mã việc không hợp lệ")]
        now = current(ctx)
        old = next((v for v in now.for_event(event_id) if v.row.task_id == task_id), None)
        if data is None and old is None:
            return []
        if data is not None:
            row = ov.OverrideRow(event_id, task_id, dict(data), by, ctx.now())
            trial = merge.Stored(now.stored.partners,
                                 (*[r for r in now.stored.overrides
                                    if (r.event_id, r.task_id) != (event_id, task_id)], row),
                                 now.stored.items)
            assert ctx.base_runtime is not None
            tried = merge.merge(ctx.base_runtime, trial)
            view = next(v for v in tried.for_event(event_id) if v.row.task_id == task_id)
            errors = [p for p in view.problems if not p.warning]
            if errors:
                # The validator's words; where they are is the stored change, not the file.
                return [replace(p, file=ov.SOURCE, line=None) for p in errors]
            after: Any = view.after if row.kind != "disable" else {"disabled": True}
        else:
            after = old.before if old is not None and old.row.kind != "disable" else {"disabled": False}
        before: Any = (old.after if old is not None and old.row.kind != "disable"
                       else ({"disabled": True} if old is not None else
                             (_file_task(ev, task_id) if task_id else {"disabled": False})))
        with ctx.store.engine.begin() as conn:
            ov.write(conn, event_id=event_id, task_id=task_id, data=data, before=before, after=after,
                     by=by, via=via, now=ctx.now())
        merge.refresh(ctx)
    return []


def disable_event(ctx: Context, event_id: str, by: str, via: str = "web") -> list[Problem]:
    return set_override(ctx, event_id, "", {"disabled": True}, by, via)


def change_task(ctx: Context, event_id: str, task_id: str, wanted: Mapping[str, Any], by: str,
                via: str = "web") -> list[Problem]:
    """Give task ``task_id`` this lead time / lead department / coordinating departments."""
    if "lead" in wanted:
        wanted = {**wanted, "lead": lead_text(str(wanted["lead"]))}
    ev = file_event(ctx, event_id)
    if ev is None or _file_task(ev, task_id) is None:
        existing = current(ctx).for_event(event_id)
        added = next((v for v in existing if v.row.task_id == task_id and v.row.kind == "add"), None)
        if added is not None:  # a task added on the page: change the stored task itself
            task = {**added.row.data["add"], **{k: v for k, v in wanted.items() if k in ov.CHANGE_KEYS}}
            if not task.get("support"):
                task.pop("support", None)
            return set_override(ctx, event_id, task_id, {"add": task}, by, via)
        return [Problem(ov.SOURCE, f"event {event_id}/{task_id}", "task",
                        f"sự kiện {event_id!r} không có việc {task_id!r} trong tệp danh mục")]
    return set_override(ctx, event_id, task_id, change_data(ev, task_id, wanted), by, via)


def add_task(ctx: Context, event_id: str, task: Mapping[str, Any], by: str, via: str = "web") -> list[Problem]:
    """Add a task (a whole [[event.task]] table; its id made from the action when missing)."""
    ev = file_event(ctx, event_id)
    if ev is None:
        return [Problem(ov.SOURCE, f"event {event_id}", "id", f"không có sự kiện {event_id!r} trong các tệp danh mục")]
    task = {k: v for k, v in task.items() if v not in ("", None, [])}
    if "lead" in task:
        task["lead"] = lead_text(str(task["lead"]))
    if not task.get("id"):
        taken = [t.id for t in ev.tasks] + [v.row.task_id for v in current(ctx).for_event(event_id)]
        task["id"] = new_task_id(ev, str(task.get("action", "")), taken)
    return set_override(ctx, event_id, str(task["id"]), {"add": task}, by, via)


def revert(ctx: Context, event_id: str, task_id: str, by: str, via: str = "web") -> list[Problem]:
    return set_override(ctx, event_id, task_id, None, by, via)
