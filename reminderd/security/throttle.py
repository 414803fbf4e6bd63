"""Login throttling: failed password logins slow down per address, per user, and per both.

Each key (``addr:…``, ``user:…``, ``pair:…|…``) counts its failures. The first ``free`` of
them cost nothing; each one after that must wait twice as long as the one before
(1 s, 2 s, 4 s … up to ``MAX_DELAY``) from the last failure. While a key must wait, a login
attempt is refused with its Retry-After without the password being checked (no scrypt
spent, nothing learnt). A success clears the pair and the address, not the user's count
of failures from other addresses. A key forgets its failures ``FORGET_AFTER`` seconds after
the last one. In memory, per daemon: the other daemon of a pair counts its own.

An editor who finds the login throttled by someone else's guessing can still use an
editor link (``reminderd access create --admin``): capability links are not throttled
(160 random bits cannot be guessed).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# (prefix, free failures): the user-wide budget is larger, so one address guessing cannot
# lock an editor out everywhere as quickly as it locks itself out.
FREE = {"pair": 5, "addr": 10, "user": 20}
FIRST_DELAY = 1.0
MAX_DELAY = 15 * 60.0
FORGET_AFTER = 60 * 60.0
MAX_KEYS = 20_000  # memory bound under a spray of usernames and addresses


@dataclass
class _Count:
    failures: int
    last: float


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._counts: dict[str, _Count] = {}

    @staticmethod
    def keys(user: str, address: str) -> dict[str, str]:
        u = user.strip().lower()
        return {"pair": f"pair:{u}|{address}", "addr": f"addr:{address}", "user": f"user:{u}"}

    def _delay(self, kind: str, c: _Count) -> float:
        over = c.failures - FREE[kind]
        if over < 0:
            return 0.0
        return float(min(MAX_DELAY, FIRST_DELAY * 2.0 ** min(over, 32)))

    def wait(self, user: str, address: str) -> int:
        """Seconds before a login for ``user`` from ``address`` may be tried; 0: now."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for kind, key in self.keys(user, address).items():
                c = self._counts.get(key)
                if c is None:
                    continue
                if now - c.last > FORGET_AFTER:
                    del self._counts[key]
                    continue
                longest = max(longest, c.last + self._delay(kind, c) - now)
        return math.ceil(longest) if longest > 0 else 0

    def failure(self, user: str, address: str) -> int:
        """Count a failed login; returns the failures from this address for this user."""
        now = self.clock()
        with self._lock:
            if len(self._counts) > MAX_KEYS:
                self._forget_oldest(now)
            for key in self.keys(user, address).values():
                c = self._counts.get(key)
                if c is None or now - c.last > FORGET_AFTER:
                    c = self._counts[key] = _Count(0, now)
                c.failures += 1
                c.last = now
            return self._counts[self.keys(user, address)["pair"]].failures

    def success(self, user: str, address: str) -> None:
        keys = self.keys(user, address)
        with self._lock:
            self._counts.pop(keys["pair"], None)
            self._counts.pop(keys["addr"], None)

    def _forget_oldest(self, now: float) -> None:
        for key in [k for k, c in self._counts.items() if now - c.last > FORGET_AFTER]:
            del self._counts[key]
        if len(self._counts) > MAX_KEYS:
            by_age = sorted(self._counts, key=lambda k: self._counts[k].last)
            for key in by_age[: len(by_age) // 2]:
                del self._counts[key]


def of(ctx: object) -> LoginThrottle:
    """The Context's throttle (made on first use; kept in ``ctx.health`` like the metrics)."""
    health: dict[str, object] = ctx.health  # type: ignore[attr-defined]
    t = health.get("_login_throttle")
    if not isinstance(t, LoginThrottle):
        t = health["_login_throttle"] = LoginThrottle()
    return t
