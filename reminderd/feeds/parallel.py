"""Part of a build worked out by a forked copy of this process, on the machine's other core.

A large build is pure Python over the plan (tens of thousands of tasks and a feed for every
department), so one process uses one core. A forked child starts with the parent's plan and
caches as they are (the pages are shared until written), works out its share, sends its result
back through a pipe (pickled) and exits; the parent works out the rest meanwhile.

The child touches nothing the parent holds open (database, sockets, log handlers): it computes,
writes to its pipe and leaves with ``os._exit``. If a child cannot be started, fails, or takes far
longer than the parent's own share, the parent is told (``Failed``) and works that share out
itself: the result is the same, only slower.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

PATIENCE_FLOOR = 60.0  # seconds a caller waits for a child at least, however quick its own part was


class Failed(Exception):
    """The child gave no result; the message says why."""


class Forked(Generic[T]):
    """A function's result, worked out in a forked child (``start``)."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self._fd = fd
        self._started = time.monotonic()

    def result(self, patience: float) -> T:
        """The child's result; waits at most ``patience`` seconds more for it, then gives up
        (the child is killed)."""
        chunks: list[bytes] = []
        deadline = time.monotonic() + patience
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._fd], [], [], left)[0]:
                    os.kill(self.pid, signal.SIGKILL)
                    raise Failed(f"no result after {time.monotonic() - self._started:.0f} s")
                data = os.read(self._fd, 1 << 20)
                if not data:
                    break
                chunks.append(data)
        finally:
            os.close(self._fd)
            _reap(self.pid)
        if not chunks:
            raise Failed("the child ended without a result")
        try:
            status, value = pickle.loads(b"".join(chunks))
        except Exception as e:  # a truncated pipe: the child died while writing
            raise Failed(f"unreadable result ({type(e).__name__})") from None
        if status != "ok":
            raise Failed(str(value))
        return value  # type: ignore[no-any-return]


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):  # (already reaped by someone else's SIGCHLD handling)
        os.waitpid(pid, 0)


def start(fn: Callable[[], T]) -> Forked[T] | None:
    """``fn()`` in a forked child; None if no child can be started here (then the caller
    works it out itself)."""
    if not hasattr(os, "fork"):
        return None
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError as e:  # out of processes or memory, or forbidden: do it in this process
        os.close(r)
        os.close(w)
        log.info("feeds: no second process (%s); building in one", e)
        return None
    if pid == 0:  # pragma: no cover  (the child: coverage does not follow it)
        _child(fn, r, w)
    os.close(w)
    return Forked(pid, r)


def _child(fn: Callable[[], Any], r: int, w: int) -> None:  # pragma: no cover
    code = 0
    try:
        os.close(r)
        # The parent's handlers are not the child's: a stop signal simply ends it.
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, signal.SIG_DFL)
        with contextlib.suppress(ValueError, OSError):
            signal.set_wakeup_fd(-1)  # (the parent's event loop's: not to be written by the child)
        try:
            payload = pickle.dumps(("ok", fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as e:  # (anything: the parent is told, and does it itself)
            payload = pickle.dumps(("error", f"{type(e).__name__}: {e}"))
        view = memoryview(payload)
        while view:
            n = os.write(w, view)
            view = view[n:]
    except BaseException:  # (a broken pipe: the parent gave up waiting)
        code = 1
    finally:
        os._exit(code)
