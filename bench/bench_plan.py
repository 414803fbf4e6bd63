"""Benchmark: building the plan for the shipped catalog and example config.

Run: .venv/bin/python bench/bench_plan.py [--runs 5]

Each run is a fresh process (so "first plan" really has cold caches): load config and
catalog (every file read and validated; then from the compiled catalog), the first plan
over the feeds' default horizon (three years), the mean of ten warm
plans, and the peak memory of a plan with skipped days. Prints a Markdown table with
min / median / max over the runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Section, mmm  # noqa: E402


def measure() -> dict[str, float | int | str]:
    """One run, in this (fresh) process."""
    from reminderd import catalog
    from reminderd.runtime import load_runtime

    # How much of loading is finding each event's and task's line for error messages.
    spent = [0.0]

    def timed_call(fn: Callable[..., int | None]) -> Callable[..., int | None]:
        def wrapper(*args: object) -> int | None:
            t = time.perf_counter()
            try:
                return fn(*args)
            finally:
                spent[0] += time.perf_counter() - t
        return wrapper

    for name in ("__init__", "event", "task"):  # the per-file line index and its lookups
        setattr(catalog._IdLines, name, timed_call(getattr(catalog._IdLines, name)))
    path = ROOT / "config" / "reminderd.toml"
    t0 = time.perf_counter()
    rt = load_runtime(path, cache=False)  # every file read and validated
    t_load = time.perf_counter() - t0
    t_lines = spent[0]
    load_runtime(path)  # the compiled catalog made (the run's own cache directory)
    t0 = time.perf_counter()
    load_runtime(path)
    t_compiled = time.perf_counter() - t0

    start, end = dt.date(2025, 1, 1), dt.date(2027, 12, 31)  # the feeds' default horizon
    t0 = time.perf_counter()
    plan = rt.plan(start, end)
    t_cold = time.perf_counter() - t0

    n = 10
    t0 = time.perf_counter()
    for _ in range(n):
        rt.plan(start, end)
    t_warm = (time.perf_counter() - t0) / n

    tracemalloc.start()
    rt.plan(start, end, with_skipped=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    first, again, feeds, items = feed_rebuilds()
    return {"load": t_load, "lines": t_lines, "compiled": t_compiled, "cold": t_cold, "warm": t_warm,
            "peak": peak / 1e6, "feeds_first": first,
            "feeds_again": again, "feeds": feeds, "items": items,
            "events": len(rt.catalog.events), "rules": sum(len(e.tasks) for e in rt.catalog.events),
            "occurrences": len(plan.occurrences), "tasks": len(plan.tasks), "range": f"{start}..{end}"}


def feed_rebuilds() -> tuple[float, float, int, int]:
    """Every feed of the example config rendered (the daemon's FeedCache), twice, on a copy in a temp dir."""
    from reminderd.context import Context
    from reminderd.feeds.cache import install
    from reminderd.runtime import load_runtime
    from reminderd.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-plan-") as tmp:
        t = Path(tmp)
        shutil.copytree(ROOT / "config", t / "config")
        shutil.copytree(ROOT / "calendars", t / "calendars")
        rt = load_runtime(t / "config" / "reminderd.toml")
        store = open_store(rt.config.database_url)
        now = dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC)
        ctx = Context(rt, store, now=lambda: now)
        cache = install(ctx)
        t0 = time.perf_counter()
        cache.rebuild(ctx)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        cache.rebuild(ctx)
        again = time.perf_counter() - t0
        n_feeds = len(cache._feeds)
        n_items = sum(f.items for f in cache._feeds.values())
        store.dispose()
    return first, again, n_feeds, n_items


def run(runs: int = 5) -> Section:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-plan-cache-") as cache:  # not the user's ~/.cache
            env = {**os.environ, "XDG_CACHE_HOME": cache}
            env.pop("CACHE_DIRECTORY", None)
            out = subprocess.run([sys.executable, __file__, "--one"], capture_output=True, text=True, check=True,
                                 cwd=ROOT, env=env).stdout
        results.append(json.loads(out))
    r0 = results[0]
    col = {k: [float(r[k]) for r in results] for k in ("load", "lines", "compiled", "cold", "warm", "peak",
                                                          "feeds_first",
                                                          "feeds_again")}
    md = "\n".join([
        f"catalog: {r0['events']} events, {r0['rules']} task rules; plan {r0['range']}: {r0['occurrences']} "
        f"occurrences, {r0['tasks']} tasks; {runs} runs, each a fresh process (min / median / max)",
        "",
        "| step | time |",
        "| --- | ---: |",
        f"| load config + catalog, every file read and validated "
        f"| {mmm([v * 1e3 for v in col['load']], '{:.0f}')} ms |",
        f"| of which the line index for error messages (`catalog._IdLines`, one pass per file) "
        f"| {mmm([v * 1e3 for v in col['lines']], '{:.0f}')} ms |",
        f"| load config + catalog from the compiled catalog (files unchanged) "
        f"| {mmm([v * 1e3 for v in col['compiled']], '{:.0f}')} ms |",
        f"| first plan, 3 years (cold caches: holidays, lunar) | {mmm([v * 1e3 for v in col['cold']], '{:.0f}')} ms |",
        f"| plan, 3 years, warm (mean of 10) | {mmm([v * 1e3 for v in col['warm']], '{:.1f}')} ms |",
        f"| peak memory of a plan with skipped days | {mmm(col['peak'], '{:.1f}')} MB |",
        f"| every feed rendered ({r0['feeds']} feeds, {r0['items']:,} items), first time "
        f"| {mmm(col['feeds_first'])} s |",
        f"| the same again (unchanged VEVENTs reused) | {mmm(col['feeds_again'])} s |",
    ])
    print(md)
    return Section("plan", md)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(measure()))
        return
    run(a.runs)


if __name__ == "__main__":
    main()
