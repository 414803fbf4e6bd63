"""Planning a generated catalog over years, against Remind doing the same work, in the same run.

    .venv/bin/python bench/bench_remind.py [--runs 5] [--quick]

The catalog (``bench/gen_catalog.py``): N events — fixed dates, lunar dates, anniversaries,
one-off dates — with one to three tasks each whose windows are counted in working days
(Vietnam's weekends, public holidays and the whole Tết break skipped) or in calendar days
moved back off days off.

reminderd: ``reminderd upcoming --from FIRST-01-01 --to LAST-12-31`` as a whole
process (cold: interpreter start, imports, config and the compiled catalog loaded, planning,
the table out) — the figure compared with Remind; the same the first time after an edit (no
compiled catalog: every file read and validated); the same with ``--json``; where its time goes
(``--steps`` alone); and, in-process on a loaded runtime, the plan alone (warm). The run keeps
its compiled-catalog cache in its temporary directory.

Remind: the equivalent script (every non-working weekday of Vietnam as a global ``OMIT``,
``OMIT Sat Sun``, one ``REM`` per event and one per task date with back ``-N`` / ``--N
BEFORE``; lunar and one-off events as fixed-date REMs), run as ``remind -n FILE Y-01-01``
once per year Y (``-n``: each reminder's next trigger date; every per-year file holds that
year's fixed-date REMs), the triggers of year Y kept. The whole set of processes is timed.
Remind's calendar mode (``-s``) re-evaluates the whole script for every day of the range and
is far slower; one small case of it is measured for reference.

The dates are checked: every event date, due date and window start reminderd plans in the
range must be one that Remind prints, and the reverse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PY, Section, median, mmm, verdict, which
from bench.gen_catalog import write_catalog, write_remind

FIRST = 2027  # the package knows no make-up working Saturdays from 2027 on: Remind's "OMIT Sat Sun" is exact


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def own_cache(tmp: Path) -> None:
    """This run's compiled-catalog cache (reminderd.compiled) in its temporary directory, for
    this process and the commands it starts: not the user's, and gone after the run.

    The commands also keep their bytecode there (``PYTHONPYCACHEPREFIX``), as an installed
    package has its ``.pyc`` files: a development shell with ``PYTHONDONTWRITEBYTECODE=1`` and a
    source tree without ``__pycache__`` would compile every reminderd module in every command
    (measured separately: ``Case.reminderd_no_bytecode``)."""
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
    os.environ.pop("CACHE_DIRECTORY", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


class Case:
    """One catalog size over one number of years: the files for both programs."""

    def __init__(self, tmp: Path, events: int, years: int, cfg: Path | None = None) -> None:
        from reminderd.runtime import load_runtime

        self.events, self.years = events, years
        self.first, self.last = FIRST, FIRST + years - 1
        self.dir = tmp / f"e{events}-y{years}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.cfg = cfg or write_catalog(tmp / f"catalog-{events}", events)
        self.rt = load_runtime(self.cfg)
        self.rem_files = []
        self.rems = 0
        for y in range(self.first, self.last + 1):
            f = self.dir / f"{y}.rem"
            self.rems += write_remind(f, self.rt, y, y)
            self.rem_files.append((y, f))

    def reminderd_cold(self, as_json: bool = False, cache: Path | None = None) -> Path:
        """``reminderd upcoming`` over the range as a whole process, its output to a file; with
        ``cache``, that (empty) directory as its compiled-catalog cache instead of the run's."""
        out = self.dir / ("reminderd.json" if as_json else "reminderd.txt")
        env = None if cache is None else {**os.environ, "XDG_CACHE_HOME": str(cache)}
        with out.open("wb") as fh:
            subprocess.run([PY, "-m", "reminderd", "--config", str(self.cfg), "upcoming",
                            "--from", f"{self.first}-01-01", "--to", f"{self.last}-12-31",
                            *(["--json"] if as_json else [])],
                           stdout=fh, check=True, cwd=self.dir, env=env)
        return out

    def reminderd_no_bytecode(self) -> None:
        """The cold process with reminderd's modules compiled from source (no ``.pyc`` files and
        ``PYTHONDONTWRITEBYTECODE=1``, as in a source tree that never wrote its ``__pycache__``)."""
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
        with (self.dir / "reminderd.txt").open("wb") as fh:
            subprocess.run([PY, "-m", "reminderd", "--config", str(self.cfg), "upcoming",
                            "--from", f"{self.first}-01-01", "--to", f"{self.last}-12-31"],
                           stdout=fh, check=True, cwd=self.dir, env={**env, "PYTHONDONTWRITEBYTECODE": "1"})

    def reminderd_first(self) -> None:
        """The cold process the first time after the catalog or config changed: no compiled
        catalog, nor working days, to reuse (a fresh cache directory each time)."""
        self.reminderd_cold(cache=Path(tempfile.mkdtemp(dir=self.dir, prefix="cache-")))

    def remind(self) -> list[tuple[int, Path]]:
        outs = []
        for y, f in self.rem_files:
            out = self.dir / f"{y}.out"
            with out.open("wb") as fh:
                subprocess.run(["remind", "-n", str(f), f"{y}-01-01"], stdout=fh, check=True)
            outs.append((y, out))
        return outs

    def warm_plan(self) -> tuple[int, int]:
        plan = self.rt.plan(dt.date(self.first, 1, 1), dt.date(self.last, 12, 31))
        return len(plan.occurrences), len(plan.tasks)


Key = tuple[str, str, str, dt.date]  # (kind E/D/S, event, task, date)


def reminderd_dates(json_path: Path, first: dt.date, last: dt.date) -> set[Key]:
    from reminderd.catalog import parse_lead

    rows = json.loads(json_path.read_text(encoding="utf-8"))
    out: set[Key] = set()
    for r in rows:
        if r["task_id"] is None:
            out.add(("E", r["event_id"], "", dt.date.fromisoformat(r["event_date"])))
            continue
        due, start = dt.date.fromisoformat(r["due"]), dt.date.fromisoformat(r["window_start"])
        if first <= due <= last:
            out.add(("D", r["event_id"], r["task_id"], due))
        lead = parse_lead(r["lead"])
        if lead.far != lead.near and first <= start <= last:
            out.add(("S", r["event_id"], r["task_id"], start))
    return out


def remind_dates(outs: list[tuple[int, Path]]) -> set[Key]:
    out: set[Key] = set()
    for y, path in outs:
        for line in path.read_text(encoding="utf-8").splitlines():
            day, _, msg = line.partition(" ")
            d = dt.date(*map(int, day.split("/")))
            if d.year != y:
                continue  # a later year's trigger: that year's run prints it
            parts = msg.split("|")
            out.add((parts[0], parts[1], parts[2] if parts[0] != "E" else "", d))
    return out


def agreement(case: Case) -> tuple[int, int, list[Key], list[Key], int]:
    """(reminderd dates, Remind dates, only reminderd, only Remind, explained) for the case."""
    first, last = dt.date(case.first, 1, 1), dt.date(case.last, 12, 31)
    ours = reminderd_dates(case.reminderd_cold(as_json=True), first, last)
    theirs = remind_dates(case.remind())
    only_ours = sorted(ours - theirs)
    only_theirs = sorted(theirs - ours)
    # `remind -n` prints one trigger per reminder and run: a reminder that triggers twice in one
    # calendar year (a 0wd task on 2 January in a year whose next 2 January is a Saturday) shows
    # only the first. Those are counted, not hidden.
    seen = {(k, e, t, d.year) for k, e, t, d in theirs}
    explained = sum(1 for k, e, t, d in only_ours if (k, e, t, d.year) in seen)
    return len(ours), len(theirs), only_ours, only_theirs, explained


# Where a cold `reminderd upcoming` spends its time: each step a whole process that stops after
# it (the command's own code, cut short), so each row is cumulative and includes the interpreter.
# The command runs with the garbage collector paused (plan.gc_paused); so do these steps, in the
# versions that have it.
_STEP_SETUP = """
import sys, datetime as dt
argv = ["--config", CFG, "upcoming", "--from", FIRST, "--to", LAST]
from reminderd.cli import build_parser
args = build_parser(argv).parse_args(argv)
try:
    from reminderd.plan import gc_paused
except ImportError:
    from contextlib import nullcontext as gc_paused
"""
STEPS: list[tuple[str, str]] = [
    ("`python -c pass`", "pass"),
    ("+ imports and the command line parsed", _STEP_SETUP),
    ("+ config and catalog loaded (`cli.common.runtime`)",
     _STEP_SETUP + "from reminderd.cli.common import runtime\nwith gc_paused():\n    rt = runtime(args)\n"),
    ("+ planned and the rows selected (`agenda.select_rows`)",
     _STEP_SETUP + "from reminderd.cli.common import runtime\nfrom reminderd.agenda import select_rows\n"
     "with gc_paused():\n    rt = runtime(args)\n    rows = select_rows(rt, args.start, args.end, None)\n"),
    ("+ the table written (`reminderd upcoming`, the whole command)",
     "import sys\nfrom reminderd.cli import main\n"
     "sys.exit(main(['--config', CFG, 'upcoming', '--from', FIRST, '--to', LAST]))\n"),
]


def steps(case: Case, runs: int) -> list[tuple[str, list[float]]]:
    """Each of STEPS as a whole process, ``runs`` times (interleaved), output to a file."""
    out: list[tuple[str, list[float]]] = [(name, []) for name, _ in STEPS]
    sink = case.dir / "steps.out"
    for _ in range(runs):
        for i, (_, code) in enumerate(STEPS):
            code = (f"CFG, FIRST, LAST = {str(case.cfg)!r}, '{case.first}-01-01', '{case.last}-12-31'\n"
                    + code)
            with sink.open("wb") as fh:
                t0 = time.perf_counter()
                subprocess.run([PY, "-c", code], stdout=fh, check=True, cwd=case.dir)
                out[i][1].append(time.perf_counter() - t0)
    return out


def warm_in_child(case: Case, runs: int) -> list[float]:
    """The plan alone, warm, timed in a child process (so that ``PYTHONPATH`` can point it at
    another version of reminderd): ``runs`` plans after a first one."""
    code = ("import datetime as dt, json, time\nfrom reminderd.runtime import load_runtime\n"
            f"rt = load_runtime({str(case.cfg)!r})\n"
            f"a, b = dt.date({case.first}, 1, 1), dt.date({case.last}, 12, 31)\nrt.plan(a, b)\nout = []\n"
            f"for _ in range({runs}):\n"
            "    t = time.perf_counter(); rt.plan(a, b); out.append(time.perf_counter() - t)\n"
            "print(json.dumps(out))\n")
    got = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True, cwd=case.dir).stdout
    return [float(x) for x in json.loads(got)]


def steps_table(case: Case, runs: int) -> list[str]:
    rows = steps(case, runs)
    lines = ["| step (each a whole process) | cumulative (s), min / median / max | this step (median) |",
             "| --- | ---: | ---: |"]
    prev = 0.0
    for name, times in rows:
        lines.append(f"| {name} | {mmm(times)} | {median(times) - prev:+.2f} |")
        prev = median(times)
    return lines


def calendar_mode(tmp: Path, runs: int) -> tuple[list[float], list[float], int]:
    """Remind's calendar mode (-s12) vs reminderd cold, 100 events over one year."""
    case = Case(tmp, 100, 1)
    single = case.dir / "calendar.rem"
    write_remind(single, case.rt, case.first, case.last)

    def run() -> None:
        subprocess.run(["remind", "-s12", str(single), f"{case.first}-01-01"], stdout=subprocess.DEVNULL,
                       check=True)

    return timed(run, runs), timed(case.reminderd_cold, runs), case.rems


def run(runs: int, quick: bool) -> Section:
    if not which("remind"):
        md = "Not measured: `remind` is not installed (`apt-get install remind`)."
        print(md)
        return Section("remind", md, [("`reminderd upcoming` against Remind", "—", None)])
    event_sizes = [100, 1000] if quick else [100, 1000, 10_000, 50_000]
    year_sizes = [1, 10] if quick else [1, 5, 10, 25, 50]
    scale_runs = max(1, min(runs, 2))
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-remind-") as t:
        tmp = Path(t)
        own_cache(tmp)
        main = Case(tmp, 1000, 10)
        n_occ, n_tasks = main.warm_plan()
        n_ours, n_theirs, only_ours, only_theirs, explained = agreement(main)  # also fills the cache
        ok_dates = not only_theirs and explained == len(only_ours)
        cold = timed(main.reminderd_cold, runs)
        first = timed(main.reminderd_first, runs)
        no_pyc = timed(main.reminderd_no_bytecode, runs)
        cold_json = timed(lambda: main.reminderd_cold(as_json=True), runs)
        rem = timed(main.remind, runs)
        from reminderd.runtime import load_runtime

        load = timed(lambda: load_runtime(main.cfg), runs)
        load_files = timed(lambda: load_runtime(main.cfg, cache=False), runs)
        warm = timed(main.warm_plan, runs)
        met_cold = median(cold) <= 2 * median(rem)
        met_warm = median(warm) <= 0.5 * median(rem)
        lines += [
            f"Generated catalog: 1,000 events (seed fixed) over {main.first}–{main.last}: "
            f"{n_occ:,} occurrences and {n_tasks:,} tasks planned; the Remind side is {main.rems:,} REMs "
            f"in {len(main.rem_files)} per-year files. {runs} runs each, min / median / max:",
            "",
            "| what | time (s) | vs Remind -n (median) |",
            "| --- | ---: | ---: |",
            f"| **reminderd, cold process** (`reminderd upcoming`, whole process, table out) | {mmm(cold)} "
            f"| {median(cold) / median(rem):.2f}× |",
            f"| reminderd, cold process, the first after an edit (no compiled catalog yet) | {mmm(first)} "
            f"| {median(first) / median(rem):.2f}× |",
            f"| reminderd, cold process, reminderd's modules compiled from source (no `.pyc`) | {mmm(no_pyc)} "
            f"| {median(no_pyc) / median(rem):.2f}× |",
            f"| reminderd, cold process, `--json` out | {mmm(cold_json)} "
            f"| {median(cold_json) / median(rem):.2f}× |",
            f"| **Remind, `remind -n` once per year** (10 processes) | {mmm(rem)} | 1.00× |",
            f"| reminderd in-process: config and catalog, from the compiled catalog | {mmm(load, '{:.3f}')} | — |",
            f"| reminderd in-process: config and catalog, read and validated from the files "
            f"| {mmm(load_files, '{:.3f}')} | — |",
            f"| **reminderd in-process: plan only, warm** | {mmm(warm, '{:.3f}')} "
            f"| {median(warm) / median(rem):.2f}× |",
            "",
            f"Targets: the cold process at most 2× Remind — {verdict(met_cold)}; the plan alone at most "
            f"0.5× Remind — {verdict(met_warm)}.",
            "",
            f"Dates checked: reminderd planned {n_ours:,} dates in the range (event dates, due dates, window "
            f"starts), Remind printed {n_theirs:,}; {len(only_theirs)} only in Remind's, {len(only_ours)} only "
            f"in reminderd's"
            + (f" (all {explained} a second trigger of one REM in one calendar year, which `-n` "
               "does not print)" if only_ours and explained == len(only_ours) else "")
            + ((" — **the two disagree**: " + ", ".join(map(str, (only_theirs + only_ours)[:5])))
               if not ok_dates else "") + ".",
        ]
        where = ["", f"Where the cold process's time goes ({runs} runs; each step a whole process running the "
                 "command's own code cut short after it, so each row includes the ones above; the compiled "
                 "catalog present):", "", *steps_table(main, runs)]
        lines += where
        print("\n".join(lines))

        # Growth with the catalog (10 years) and with the years (1,000 events).
        growth = ["", f"Growth ({scale_runs} runs each, medians; per-unit columns show linearity):", "",
                  "| events | years | reminderd cold (s) | plan warm (s) | warm per event·year (µs) "
                  "| Remind -n (s) | Remind per event·year (µs) |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        print("\n".join(growth))
        cases = [(1000, y) for y in year_sizes] + [(e, 10) for e in event_sizes if e != 1000]
        for events, years in cases:
            c = main if (events, years) == (1000, 10) else Case(
                tmp, events, years, main.cfg if events == 1000 else None)
            c.reminderd_cold()  # the compiled catalog made, as after any first run
            c.warm_plan()  # and this process's working days for these years
            c_cold = timed(c.reminderd_cold, scale_runs)
            c_warm = timed(c.warm_plan, scale_runs)
            c_rem = timed(c.remind, scale_runs)
            ey = events * years
            row = (f"| {events:,} | {years} | {median(c_cold):.2f} | {median(c_warm):.3f} "
                   f"| {median(c_warm) / ey * 1e6:.1f} | {median(c_rem):.2f} | {median(c_rem) / ey * 1e6:.1f} |")
            growth.append(row)
            print(row)
        lines += growth

        cal_runs = max(1, min(runs, 3))
        cal, cal_ours, cal_rems = calendar_mode(tmp, cal_runs)
        cal_lines = ["", f"Remind's calendar mode for reference (`remind -s12`, 100 events, one year, {cal_rems} REMs, "
                     f"{cal_runs} runs): {mmm(cal)} s, against {mmm(cal_ours)} s for reminderd's cold process "
                     "on the same catalog."]
        print("\n".join(cal_lines))
        lines += cal_lines
    return Section("remind", "\n".join(lines), [
        ("`reminderd upcoming` (1,000 events × 10 years), cold process: at most 2× Remind -n",
         f"{median(cold):.2f} s vs Remind {median(rem):.2f} s ({median(cold) / median(rem):.2f}×; "
         f"the first run after an edit {median(first) / median(rem):.2f}×)", met_cold),
        ("plan alone (1,000 events × 10 years, warm process): at most 0.5× Remind -n",
         f"{median(warm):.3f} s ({median(warm) / median(rem):.2f}×)", met_warm),
        ("plan: the same dates as Remind", f"{n_ours - len(only_ours):,} of {n_ours:,} "
         f"({len(only_ours)} not printable by `-n`, {len(only_theirs)} only in Remind's)", ok_dates)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="fewer sizes, for a short run")
    ap.add_argument("--steps", action="store_true",
                    help="only where a cold `reminderd upcoming` spends its time (1,000 events, 10 years), "
                         "next to Remind in the same run")
    a = ap.parse_args()
    if a.steps:
        with tempfile.TemporaryDirectory(prefix="bench-remind-") as t:
            own_cache(Path(t))
            case = Case(Path(t), 1000, 10)
            case.reminderd_cold()  # the compiled catalog made, as after any first run
            print("\n".join(steps_table(case, a.runs)))
            warm = warm_in_child(case, a.runs)
            rem = timed(case.remind, a.runs)
            print(f"\nPlan alone, warm (in a child process, as the commands import reminderd): {mmm(warm, '{:.3f}')} s")
            print(f"Remind, `remind -n` once per year (10 processes), same run: {mmm(rem)} s")
        return
    run(a.runs, a.quick)


if __name__ == "__main__":
    main()
