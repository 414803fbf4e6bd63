"""Helpers for the feed tests: a context on the small catalog, a clock, a strict parse, a server."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import icalendar
import uvicorn
from ical.calendar import Calendar as StrictCalendar
from ical.calendar_stream import IcsCalendarStream

from reminderd.context import Context
from reminderd.feeds.cache import FeedCache, install
from reminderd.runtime import load_runtime
from reminderd.store import open_store
from reminderd.web.app import create_app
from tests.conftest import SMALL_CONFIG

FEEDS_CONFIG = SMALL_CONFIG + """
[feeds]
public = ["tag/ngay-le-viet-nam"]

[http]
base_url = "https://lich.example.gov.vn"
"""

# The tests' "now": 1 March 2024, 09:00 in Hà Nội.
T0 = dt.datetime(2024, 3, 1, 2, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, now: dt.datetime = T0):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)


def make_ctx(config_path: Path, clock: Clock | None = None, db_url: str | None = None) -> Context:
    rt = load_runtime(config_path)
    store = open_store(db_url or rt.config.database_url)
    ctx = Context(rt, store, now=clock or Clock())
    install(ctx)
    return ctx


def cache(ctx: Context) -> FeedCache:
    assert isinstance(ctx.feeds, FeedCache)
    return ctx.feeds


def strict(body: bytes) -> StrictCalendar:
    """Parse with the strict parser that is not the writer (the ``ical`` package)."""
    return IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))


def check_bytes(body: bytes) -> icalendar.Calendar:
    """Wire-level checks, then the strict parse and an ``icalendar`` round trip."""
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character
        assert b"\n" not in line and b"\r" not in line
    strict(body)
    parsed = icalendar.Calendar.from_ical(body)
    if b"\\\\N" not in body.replace(b"\r\n ", b""):  # unfolded
        assert parsed.to_ical() == body  # byte-exact round trip through icalendar
    # else: icalendar 7 re-serialises a literal backslash-N as a line break (its
    # escape_char turns "\\N" into "\\n" first), so bytes cannot match; what it parsed
    # must still be exactly what we wrote, which the text tests check property by property.
    return parsed


@contextmanager
def serve(ctx: Context) -> Iterator[str]:
    """The real app under uvicorn on a free port of 127.0.0.1; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(ctx), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
