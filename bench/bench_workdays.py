"""Benchmark WorkdayCalendar against the holidays package's day-by-day walk.

Run: /work/venv/bin/python bench/bench_workdays.py

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

from reminderd.workdays import WorkdayCalendar

N_QUERIES = 100_000
N_REF = N_QUERIES  # the package's walk takes ~10 s for these; lower it for a quick run
FIRST, LAST = 2020, 2030
SEED = 20250101


def per_call_us(seconds: float, calls: int) -> float:
    return seconds / calls * 1e6


def main() -> None:
    rng = random.Random(SEED)
    lo, hi = dt.date(FIRST, 1, 1).toordinal(), dt.date(LAST, 12, 31).toordinal()
    days = [dt.date.fromordinal(rng.randint(lo, hi)) for _ in range(N_QUERIES)]
    pairs = [
        (d, d + dt.timedelta(days=rng.randint(-60, 60)))
        for d in days  # planner-like spans: a window of a few weeks
    ]

    # Precompute: a fresh calendar, one year loaded at a time (includes the
    # package populating the year and its neighbours).
    cal = WorkdayCalendar()
    t0 = time.perf_counter()
    for y in range(FIRST, LAST + 1):
        cal.is_working_day(dt.date(y, 7, 1))
    precompute_ms = (time.perf_counter() - t0) / (LAST - FIRST + 1) * 1e3

    t0 = time.perf_counter()
    for d in days:
        cal.add(d, -15)
    ours_add = per_call_us(time.perf_counter() - t0, N_QUERIES)

    t0 = time.perf_counter()
    for a, b in pairs:
        cal.between(a, b)
    ours_between = per_call_us(time.perf_counter() - t0, N_QUERIES)

    ref = holidays.country_holidays("VN", language="vi", years=range(FIRST - 1, LAST + 2))
    t0 = time.perf_counter()
    for d in days[:N_REF]:
        ref.get_nth_working_day(d, -15)
    ref_add = per_call_us(time.perf_counter() - t0, N_REF)

    t0 = time.perf_counter()
    for a, b in pairs[:N_REF]:
        ref.get_working_days_count(a, b)
    ref_between = per_call_us(time.perf_counter() - t0, N_REF)

    # Sanity: the two agree on the sample we timed.
    for d in days[:N_REF]:
        assert cal.add(d, -15) == ref.get_nth_working_day(d, -15), d

    print(
        f"holidays {holidays.__version__}, Python {sys.version.split()[0]}, "
        f"{N_QUERIES:,} random queries over {FIRST}–{LAST} (package: {N_REF:,})\n"
    )
    print("| operation | WorkdayCalendar | holidays package | speed-up |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| precompute, per year | {precompute_ms:.2f} ms | — | — |")
    print(
        f"| `add(d, -15)` vs `get_nth_working_day(d, -15)` | {ours_add:.2f} µs "
        f"| {ref_add:.1f} µs | {ref_add / ours_add:.0f}× |"
    )
    print(
        f"| `between(a, b)`, \\|b − a\\| ≤ 60 d, vs `get_working_days_count` "
        f"| {ours_between:.2f} µs | {ref_between:.1f} µs | {ref_between / ours_between:.0f}× |"
    )


if __name__ == "__main__":
    main()
