"""A large build made by two processes (``reminderd.feeds.parallel``) serves exactly what one
process makes: the same bytes, ETags and ``feed_items`` rows; and when the second process fails
or dies, the first makes its part itself.

The threshold is lowered so that the example config and a small generated catalog are built
both ways on the same clock.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from reminderd import acks
from reminderd.context import Context
from reminderd.feeds import cache as feed_cache
from reminderd.feeds import parallel
from reminderd.runtime import load_runtime
from reminderd.store import schema

from .webutil import Clock, make_context

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.gen_catalog import write_catalog

NOW = dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)


def build(tmp: Path, name: str, runtime: Any = None) -> tuple[Context, dict[str, tuple[bytes, str]], list[Any]]:
    ctx = make_context(f"sqlite:///{tmp}/{name}.db", runtime, clock=Clock(NOW))
    cache = feed_cache.install(ctx)
    cache.rebuild(ctx)
    feeds = {str(f.name): (f.body, f.etag) for f in cache.feeds()}
    return ctx, feeds, rows(ctx)


def rows(ctx: Context) -> list[Any]:
    t = schema.feed_items
    with ctx.store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(t).order_by(t.c.uid))]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("gen")
    cwd = os.getcwd()
    os.chdir(root)  # (the generated config's paths are relative to where it runs)
    try:
        return load_runtime(write_catalog(root, 150))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("which", ["example", "generated"])
def test_two_processes_serve_what_one_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, generated: Any,
                                            which: str) -> None:
    runtime = generated if which == "generated" else None
    one_ctx, one, one_rows = build(tmp_path, "one", runtime)
    forks: list[int] = []
    real = parallel.start

    def counted(fn: Callable[[], Any]) -> Any:
        got = real(fn)
        forks.append(1 if got is not None else 0)
        return got
    monkeypatch.setattr(feed_cache, "PARALLEL_TASKS", 0)
    monkeypatch.setattr(parallel, "start", counted)
    two_ctx, two, two_rows = build(tmp_path, "two", runtime)
    assert sum(forks) >= 2  # the entries and the rendering each had a second process
    assert two == one
    assert two_rows == one_rows
    assert len(one_rows) > 100

    # What an acknowledgement re-makes after such a build is what one process makes.
    cache = two_ctx.feeds
    assert isinstance(cache, feed_cache.FeedCache)
    assert cache._built is not None
    task = cache._built.plan.tasks[len(cache._built.plan.tasks) // 2]
    for ctx in (one_ctx, two_ctx):
        acks.mark_done(ctx.store, task.event.id, task.rule.id, task.occurrence.year, "test", "cli", "", NOW)
        ctx.acks_changed()
    assert {str(f.name): (f.body, f.etag) for f in cache.feeds()} == \
        {str(f.name): (f.body, f.etag) for f in one_ctx.feeds.feeds()}
    for ctx in (one_ctx, two_ctx):
        ctx.store.dispose()


@pytest.mark.parametrize("failure", ["raises", "dies", "never answers"])
def test_when_the_second_process_fails_the_first_does_its_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               generated: Any, failure: str) -> None:
    _, one, one_rows = build(tmp_path, "one", generated)
    real = parallel.start

    def bad() -> Any:
        if failure == "raises":
            raise RuntimeError("boom")
        if failure == "dies":
            os._exit(3)
        time.sleep(30)

    monkeypatch.setattr(feed_cache, "PARALLEL_TASKS", 0)
    monkeypatch.setattr(parallel, "start", lambda fn: real(bad))
    monkeypatch.setattr(parallel, "PATIENCE_FLOOR", 0.5)
    _, two, two_rows = build(tmp_path, "two", generated)
    assert two == one
    assert two_rows == one_rows


def test_a_forked_result_and_its_failures() -> None:
    job = parallel.start(lambda: {"n": sum(range(1000))})
    assert job is not None and job.result(10) == {"n": 499500}
    failing = parallel.start(lambda: 1 // 0)
    assert failing is not None
    with pytest.raises(parallel.Failed, match="ZeroDivisionError"):
        failing.result(10)
    stuck = parallel.start(lambda: time.sleep(30))
    assert stuck is not None
    began = time.monotonic()
    with pytest.raises(parallel.Failed, match="no result"):
        stuck.result(0.3)
    assert time.monotonic() - began < 10
    with pytest.raises(ChildProcessError):  # the child was killed and reaped: nothing left behind
        os.waitpid(stuck.pid, os.WNOHANG)


def test_when_another_daemon_wrote_first_the_table_is_read_and_rendered_here(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch,
                                                                             generated: Any) -> None:
    """The child renders with the rows as they will be once written; if the writes do not all
    take (another daemon of a pair got there first), its work is dropped (the child killed) and
    this process renders with the table's rows: the same feeds as one process makes."""
    from reminderd.feeds import state as feed_state

    _, one, one_rows = build(tmp_path, "one", generated)
    real = feed_state.Sync.apply
    conflicts: list[int] = []

    def lost(self: feed_state.Sync) -> bool:
        real(self)
        conflicts.append(1)
        return False
    monkeypatch.setattr(feed_cache, "PARALLEL_TASKS", 0)
    monkeypatch.setattr(feed_state.Sync, "apply", lost)
    _, two, two_rows = build(tmp_path, "two", generated)
    assert conflicts
    assert two == one
    assert two_rows == one_rows
