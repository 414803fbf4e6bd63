"""What a running reminderd holds: the current runtime, the store, the clock.

The daemon creates one Context; the HTTP handlers, the scheduler jobs and the
CLI commands that need the database all receive it. ``runtime`` is swapped
atomically on reload (a broken config keeps the old one); ``now`` is the only
clock, so tests and ``tick --at`` can move time.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .runtime import Runtime
from .store import Store

log = logging.getLogger("reminderd.context")


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Context:
    runtime: Runtime  # base_runtime plus the ad-hoc items from the database
    store: Store
    now: Callable[[], dt.datetime] = system_clock
    # Filled in by the parts that exist: the feed cache, the mailer, health facts.
    feeds: Any = None
    health: dict[str, Any] = field(default_factory=dict)
    config_errors: list[str] = field(default_factory=list)
    instance: str = "reminderd"
    # The runtime loaded from the files, before ad-hoc items are merged in.
    base_runtime: Runtime | None = None
    # What the stored changes did (reminderd.overlays.merge.Merged): set by every merge.
    overlays: Any = None
    # Called (synchronously, in order) after the runtime changes: feed rebuilds, replanning.
    on_change: list[Callable[[Context], None]] = field(default_factory=list)
    # Held for a whole "read the base runtime, merge the ad-hoc items, swap, tell the listeners"
    # (reload, ad-hoc refresh and edits all run in worker threads): two interleaved could
    # swap in a merge of the old files after the new ones. Re-entrant: a reload refreshes.
    swap_lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    # Called after an acknowledgement is recorded or undone through this process (web, API,
    # e-mail link): the feeds mark done tasks, the page and the outbox follow.
    on_acks_change: list[Callable[[Context], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.base_runtime is None:
            self.base_runtime = self.runtime

    def set_runtime(self, runtime: Runtime, *, base: bool = False) -> None:
        """Swap in a new runtime (after reload or an ad-hoc edit) and tell the listeners."""
        if base:
            self.base_runtime = runtime
        self.runtime = runtime
        for callback in list(self.on_change):
            # One listener failing (a feed rebuild while the database is away) must neither
            # skip the others (the replan) nor undo a change that has already been made.
            try:
                callback(self)
            except Exception:
                log.exception("runtime change: listener %s failed", getattr(callback, "__qualname__", callback))

    def acks_changed(self) -> None:
        """Tell the listeners that an acknowledgement was added or removed (in order; one
        failing does not stop the others: the acknowledgement itself is already stored)."""
        for callback in list(self.on_acks_change):
            try:
                callback(self)
            except Exception:
                log.exception("acks change: listener %s failed", getattr(callback, "__qualname__", callback))

    @property
    def config(self) -> Any:
        return self.runtime.config

    def local_now(self) -> dt.datetime:
        return self.now().astimezone(self.runtime.config.tz)

    def today(self) -> dt.date:
        return self.local_now().date()
