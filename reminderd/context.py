"""What a running reminderd holds: the current runtime, the store, the clock.

The daemon creates one Context; the HTTP handlers, the scheduler jobs and the
CLI commands that need the database all receive it. ``runtime`` is swapped
atomically on reload (a broken config keeps the old one); ``now`` is the only
clock, so tests and ``tick --at`` can move time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .runtime import Runtime
from .store import Store


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Context:
    runtime: Runtime
    store: Store
    now: Callable[[], dt.datetime] = system_clock
    # Filled in by the parts that exist: the feed cache, the mailer, health facts.
    feeds: Any = None
    health: dict[str, Any] = field(default_factory=dict)
    config_errors: list[str] = field(default_factory=list)
    instance: str = "reminderd"

    @property
    def config(self) -> Any:
        return self.runtime.config

    def local_now(self) -> dt.datetime:
        return self.now().astimezone(self.runtime.config.tz)

    def today(self) -> dt.date:
        return self.local_now().date()
