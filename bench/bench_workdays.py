"""Benchmark WorkdayCalendar against the holidays package's day-by-day walk.

Run: .venv/bin/python bench/bench_workdays.py [--runs 5] [--ref 100000]

Measures the per-year precomputation, then ``add(d, -15)`` and ``between`` per
call over random dates in 2020–2030, against the package's
``get_nth_working_day`` / ``get_working_days_count`` on a preloaded instance.
Prints a Markdown table. (``get_working_days_count`` counts the closed interval
[a, b], ``between`` the half-open one; the cost comparison is what matters.)
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

import holidays

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Section, median, mmm
from reminderd.workdays import WorkdayCalendar

N_QUERIES = 100_000
N_REF = N_QUERIES  # the package's walk takes ~10 s for these; lower it for a quick run
FIRST, LAST = 2020, 2030
SEED = 20250101


def per_call_us(seconds: float, calls: int) -> float:
    return seconds / calls * 1e6


def ours(runs: int) -> tuple[list[float], list[float], list[float]]:
    """Per-year precompute (ms), add and between (µs per call) on fresh calendars, ``runs`` times."""
    rng = random.Random(SEED)
    lo, hi = dt.date(FIRST, 1, 1).toordinal(), dt.date(LAST, 12, 31).toordinal()
    days = [dt.date.fromordinal(rng.randint(lo, hi)) for _ in range(N_QUERIES)]
    pairs = [(d, d + dt.timedelta(days=rng.randint(-60, 60))) for d in days]
    pre, add, btw = [], [], []
    for _ in range(runs):
        cal = WorkdayCalendar()
        t0 = time.perf_counter()
        for y in range(FIRST, LAST + 1):
            cal.is_working_day(dt.date(y, 7, 1))
        pre.append((time.perf_counter() - t0) / (LAST - FIRST + 1) * 1e3)
        t0 = time.perf_counter()
        for d in days:
            cal.add(d, -15)
        add.append(per_call_us(time.perf_counter() - t0, N_QUERIES))
        t0 = time.perf_counter()
        for a, b in pairs:
            cal.between(a, b)
        btw.append(per_call_us(time.perf_counter() - t0, N_QUERIES))
    return pre, add, btw


def reference(n_ref: int) -> tuple[float, float]:
    """The package's walk, once (it is slow): µs per call for add and between; checks agreement."""
    rng = random.Random(SEED)
    lo, hi = dt.date(FIRST, 1, 1).toordinal(), dt.date(LAST, 12, 31).toordinal()
    days = [dt.date.fromordinal(rng.randint(lo, hi)) for _ in range(N_QUERIES)][:n_ref]
    pairs = [(d, d + dt.timedelta(days=rng.randint(-60, 60))) for d in days]
    ref = holidays.country_holidays("VN", language="vi", years=range(FIRST - 1, LAST + 2))
    t0 = time.perf_counter()
    for d in days:
        ref.get_nth_working_day(d, -15)
    ref_add = per_call_us(time.perf_counter() - t0, n_ref)
    t0 = time.perf_counter()
    for a, b in pairs:
        ref.get_working_days_count(a, b)
    ref_between = per_call_us(time.perf_counter() - t0, n_ref)
    cal = WorkdayCalendar()
    for d in days:  # the two agree on the sample timed
        assert cal.add(d, -15) == ref.get_nth_working_day(d, -15), d
    return ref_add, ref_between


def run(runs: int = 5, n_ref: int = N_REF) -> Section:
    pre, add, btw = ours(runs)
    ref_add, ref_between = reference(n_ref)
    md = "\n".join([
        f"holidays {holidays.__version__}, {N_QUERIES:,} random queries over {FIRST}–{LAST} per run, "
        f"{runs} runs of ours (min / median / max); the package's walk once over {n_ref:,} of them",
        "",
        "| operation | WorkdayCalendar | holidays package | speed-up (median) |",
        "| --- | ---: | ---: | ---: |",
        f"| precompute, per year | {mmm(pre)} ms | — | — |",
        f"| `add(d, -15)` vs `get_nth_working_day(d, -15)` | {mmm(add)} µs | {ref_add:.1f} µs "
        f"| {ref_add / median(add):.0f}× |",
        f"| `between(a, b)`, \\|b − a\\| ≤ 60 d, vs `get_working_days_count` | {mmm(btw)} µs "
        f"| {ref_between:.1f} µs | {ref_between / median(btw):.0f}× |",
    ])
    print(md)
    return Section("workdays", md)


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--ref", type=int, default=N_REF, help="queries for the package's slow walk")
    a = ap.parse_args()
    run(a.runs, a.ref)


if __name__ == "__main__":
    main()
