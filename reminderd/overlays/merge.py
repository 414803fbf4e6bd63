"""One merge of everything stored over the files: partners, event overrides, ad-hoc and
imported items — and one fingerprint of it, so a pair's other daemon notices a change.

``refresh(ctx)`` reads the stored changes, lays them over ``ctx.base_runtime`` (what the
files say) and swaps the result in; the listeners (feeds, replanning) follow. Writers
(the page, the API, the CLI, an import) call it after their transaction commits. The
daemon's sync job calls :func:`changed_elsewhere` every ``dispatch_interval`` seconds and
refreshes when another process changed something.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace

from .. import adhoc
from ..context import Context
from ..errors import Problem
from ..runtime import Runtime
from ..store import Store
from . import overrides as ov
from . import partners as pt


@dataclass(frozen=True)
class Stored:
    """Everything editors stored, read in one transaction."""

    partners: tuple[pt.PartnerRow, ...] = ()
    overrides: tuple[ov.OverrideRow, ...] = ()
    items: tuple[adhoc.AdhocItem, ...] = ()

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for p in self.partners:
            h.update(json.dumps(["p", p.country, p.tier], ensure_ascii=False).encode())
        for o in self.overrides:
            h.update(json.dumps(["o", o.event_id, o.task_id, o.data], ensure_ascii=False, sort_keys=True).encode())
        for i in self.items:
            h.update(json.dumps(["i", i.event_id, i.data], ensure_ascii=False, sort_keys=True).encode())
        return h.hexdigest()

    @property
    def empty(self) -> bool:
        return not (self.partners or self.overrides or self.items)


def read(store: Store) -> Stored:
    with store.engine.connect() as conn:
        return Stored(tuple(pt.read(conn)), tuple(ov.read(conn)), tuple(adhoc.read(conn)))


NOT_APPLIED = "thay đổi đã lưu chưa được áp dụng (sửa tệp hoặc bỏ thay đổi trên trang Danh mục)"


@dataclass(frozen=True)
class Merged:
    """The files' runtime with the stored changes laid over it, and what each change did."""

    base: Runtime
    runtime: Runtime
    stored: Stored
    partners: tuple[pt.PartnerChange, ...] = ()
    overrides: tuple[ov.OverrideView, ...] = ()
    disabled: frozenset[str] = frozenset()
    item_problems: tuple[Problem, ...] = ()
    items: int = 0
    fingerprint: str = field(default="", compare=False)

    @property
    def conflicts(self) -> list[Problem]:
        """Stored changes that are not applied: the files (or config) no longer allow them."""
        out = [c.problem for c in self.partners if c.problem is not None and not c.problem.warning]
        out += [Problem(ov.SOURCE, p.where, p.key, f"{p.message} — {NOT_APPLIED}")
                for v in self.overrides for p in v.problems if not p.warning]
        return out

    @property
    def redundant(self) -> list[Problem]:
        """Stored changes the files now say themselves (harmless; they can be removed)."""
        out = [c.problem for c in self.partners if c.problem is not None and c.problem.warning]
        out += [p for v in self.overrides for p in v.problems if p.warning]
        return out

    def for_event(self, event_id: str) -> list[ov.OverrideView]:
        return [v for v in self.overrides if v.row.event_id == event_id]

    def partner(self, country: str) -> pt.PartnerChange | None:
        return next((c for c in self.partners if c.country == country), None)


def merge(base: Runtime, stored: Stored) -> Merged:
    """files → partners → event overrides → ad-hoc and imported items. Pure."""
    cfg, pchanges = pt.apply(base.config, base.catalog, stored.partners)
    applied = ov.apply(base.catalog, cfg, stored.overrides)
    file_ids = {e.id for e in base.catalog.events}
    events, item_problems = adhoc.events_from_items(stored.items, cfg, file_ids)
    runtime = base
    if cfg is not base.config or applied.catalog is not base.catalog or events:
        runtime = replace(base, config=cfg, catalog=applied.catalog.with_events(events))
    return Merged(base, runtime, stored, tuple(pchanges), tuple(applied.views), frozenset(applied.disabled),
                  tuple(item_problems), len(events), stored.fingerprint())


def refresh(ctx: Context) -> list[Problem]:
    """Read the stored changes, merge them over the base runtime and swap it in (listeners
    rebuild feeds and replan). Returns the problems: invalid items, then conflicts."""
    with ctx.swap_lock:
        return install(ctx, merge_stored(ctx))


def merge_stored(ctx: Context) -> Merged:
    assert ctx.base_runtime is not None
    return merge(ctx.base_runtime, read(ctx.store))


def install(ctx: Context, merged: Merged) -> list[Problem]:
    """Make ``merged`` the running state (under ``ctx.swap_lock``)."""
    ctx.overlays = merged
    ctx.health["stored_fingerprint"] = merged.fingerprint
    ctx.health["adhoc_items"] = merged.items
    ctx.health["adhoc_errors"] = [str(p) for p in merged.item_problems]
    ctx.health["catalog_conflicts"] = [str(p) for p in merged.conflicts]
    ctx.health["stored_changes"] = {"partners": len(merged.stored.partners),
                                    "overrides": len(merged.stored.overrides),
                                    "items": len(merged.stored.items)}
    problems = [*merged.item_problems, *merged.conflicts]
    if merged.runtime is ctx.base_runtime and ctx.runtime is ctx.base_runtime:
        return problems  # nothing to lay over and nothing to take off: spare the listeners a rebuild
    ctx.set_runtime(merged.runtime)
    return problems


def install_without_database(ctx: Context) -> None:
    """The database is away (a reload during an outage): lay the stored changes this process
    last read over the new files, and forget the fingerprint so that the sync job reads them
    again as soon as the database answers."""
    assert ctx.base_runtime is not None
    last = ctx.overlays.stored if isinstance(ctx.overlays, Merged) else Stored()
    install(ctx, merge(ctx.base_runtime, last))
    ctx.health.pop("stored_fingerprint", None)


def changed_elsewhere(ctx: Context) -> bool:
    """True if the stored changes differ from those this process last merged (another daemon
    or a CLI command changed them). Reads the database: call in a thread."""
    return read(ctx.store).fingerprint() != ctx.health.get("stored_fingerprint")


def with_stored(rt: Runtime, store: Store) -> tuple[Runtime, Merged]:
    """For the CLI: the files' runtime with what the database holds laid over it."""
    merged = merge(rt, read(store))
    return merged.runtime, merged

