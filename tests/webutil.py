"""A real reminderd HTTP server on a free port, for the web, API and browser tests."""

from __future__ import annotations

import datetime as dt
import functools
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import uvicorn

from reminderd.context import Context
from reminderd.runtime import Runtime, load_runtime
from reminderd.store import open_store
from reminderd.web.app import create_app

from .conftest import EXAMPLE_CONFIG

# Monday 10 Feb 2025, 09:00 in Hà Nội: just after Tết, with national days and reports ahead.
NOW = dt.datetime(2025, 2, 10, 2, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, now: dt.datetime = NOW):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Live:
    ctx: Context
    url: str
    clock: Clock
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@functools.cache
def example_runtime() -> Runtime:
    """The example config and shipped catalog, loaded once (Runtime is immutable)."""
    return load_runtime(EXAMPLE_CONFIG)


def make_context(db_url: str, runtime: Runtime | None = None,
                 clock: Callable[[], dt.datetime] | None = None) -> Context:
    rt = runtime or example_runtime()
    return Context(rt, open_store(db_url), now=clock or Clock())


def serve(ctx: Context) -> Live:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), log_level="warning", lifespan="off",
                                           access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    clock = ctx.now if isinstance(ctx.now, Clock) else Clock()
    return Live(ctx, f"http://127.0.0.1:{port}", clock, server, thread)
