"""Benchmark: building the plan for the shipped catalog and example config.

Run: .venv/bin/python bench/bench_plan.py   (or /work/venv/bin/python …)
Prints a Markdown table: catalog load, first plan (cold caches), warm plans.
"""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from reminderd.runtime import load_runtime

    t0 = time.perf_counter()
    rt = load_runtime(ROOT / "config" / "reminderd.toml")
    t_load = time.perf_counter() - t0

    start, end = dt.date(2025, 1, 1), dt.date(2027, 12, 31)  # the feeds' default horizon
    t0 = time.perf_counter()
    plan = rt.plan(start, end)
    t_cold = time.perf_counter() - t0

    runs = 10
    t0 = time.perf_counter()
    for _ in range(runs):
        rt.plan(start, end)
    t_warm = (time.perf_counter() - t0) / runs

    tracemalloc.start()
    rt.plan(start, end, with_skipped=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    events = len(rt.catalog.events)
    print(f"catalog: {events} events, {sum(len(e.tasks) for e in rt.catalog.events)} task rules; "
          f"plan {start}..{end}: {len(plan.occurrences)} occurrences, {len(plan.tasks)} tasks\n")
    print("| step | time |")
    print("| --- | ---: |")
    print(f"| load config + catalog | {t_load * 1000:.0f} ms |")
    print(f"| first plan, 3 years (cold caches: holidays, lunar) | {t_cold * 1000:.0f} ms |")
    print(f"| plan, 3 years, warm (mean of {runs}) | {t_warm * 1000:.1f} ms |")
    print(f"| peak memory of a plan with skipped days | {peak / 1e6:.1f} MB |")


if __name__ == "__main__":
    main()
