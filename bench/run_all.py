"""Run every benchmark and write the figures into docs/BENCHMARKS.md.

    .venv/bin/python bench/run_all.py            # full run (9–16 min on 2 cores), writes the doc
    .venv/bin/python bench/run_all.py --quick    # short run (a few minutes), prints only (add --write)
    .venv/bin/python bench/run_all.py --only feeds,mail

Installs nothing: it says what is missing (``apt-get install remind wrk nginx-light``,
``pip install -r bench/requirements.txt``) and skips the comparisons that need it.

The doc's hand-written prose stays; what lies between ``<!-- bench:KEY -->`` and
``<!-- /bench:KEY -->`` is replaced by the new figures (KEY: summary, workdays, plan,
remind, feeds, mail, daemon, scale, web).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Section, load_average, machine, verdict, which

DOC = ROOT / "docs" / "BENCHMARKS.md"
ORDER = ("workdays", "plan", "remind", "feeds", "mail", "daemon", "scale", "web")


def missing() -> list[str]:
    out = []
    apt = [t for t, name in (("remind", "remind"), ("wrk", "wrk"), ("nginx", "nginx-light")) if not which(t)]
    if apt:
        out.append("apt-get install -y " + " ".join(
            {"remind": "remind", "wrk": "wrk", "nginx": "nginx-light"}[t] for t in apt))
    try:
        import radicale  # noqa: F401
    except ImportError:
        out.append(f"{sys.executable} -m pip install -r bench/requirements.txt")
    return out


def git_state() -> str:
    """The commit measured, and whether the working tree differed from it (and where)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT).stdout.rstrip("\n")

    head = git("log", "-1", "--format=%h %ad", "--date=format:%Y-%m-%d %H:%M")
    dirty = [line[3:] for line in git("status", "--porcelain", "--", "reminderd").splitlines()]
    return f"commit {head}" + (f", with uncommitted changes in {', '.join(dirty)}" if dirty else "")


def benches(quick: bool, runs: int | None) -> dict[str, Callable[[], Section]]:
    from bench import (
        bench_daemon,
        bench_feeds,
        bench_mail,
        bench_plan,
        bench_remind,
        bench_scale,
        bench_web,
        bench_workdays,
    )

    r = runs or (2 if quick else 5)
    return {
        "workdays": lambda: bench_workdays.run(runs=r, n_ref=5_000 if quick else 100_000),
        "plan": lambda: bench_plan.run(runs=r),
        "remind": lambda: bench_remind.run(runs=r, quick=quick),
        "feeds": lambda: bench_feeds.run(seconds=2 if quick else 4, runs=1 if quick else min(r, 3)),
        "mail": lambda: bench_mail.run(n=300 if quick else 1000, runs=1 if quick else min(r, 3)),
        "daemon": lambda: bench_daemon.run(runs=1 if quick else min(r, 3), big_runs=0 if quick else 1),
        "scale": lambda: bench_scale.run(sizes=(1_000,) if quick else (100, 1_000, 10_000),
                                         big=None if quick else 50_000),
        "web": lambda: bench_web.run(runs=1 if quick else min(r, 3), requests=50 if quick else 200),
    }


def replace_block(text: str, key: str, body: str) -> str:
    pat = re.compile(rf"(<!-- bench:{key} -->\n).*?(\n<!-- /bench:{key} -->)", re.S)
    if not pat.search(text):
        print(f"docs/BENCHMARKS.md has no <!-- bench:{key} --> block: {key} not written", file=sys.stderr)
        return text
    return pat.sub(lambda m: m[1] + body + m[2], text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer runs and sizes; prints, does not write the doc")
    ap.add_argument("--runs", type=int, help="runs per measurement (default 5, quick 2)")
    ap.add_argument("--only", help="comma-separated: " + ",".join(ORDER))
    ap.add_argument("--write", action="store_true", help="write docs/BENCHMARKS.md even with --quick/--only")
    ap.add_argument("--no-write", action="store_true", help="print only")
    a = ap.parse_args()
    todo = [k for k in ORDER if not a.only or k in a.only.split(",")]
    gaps = missing()
    if gaps:
        print("Missing (comparisons that need them are skipped; nothing is installed for you):")
        for g in gaps:
            print(f"  {g}")
    table = benches(a.quick, a.runs)
    started = dt.datetime.now(dt.UTC)
    load_before = load_average()
    code_before = git_state()
    t0 = time.perf_counter()
    results: dict[str, Section] = {}
    for key in todo:
        print(f"\n=== {key} ===", flush=True)
        t1 = time.perf_counter()
        try:
            results[key] = table[key]()
        except Exception as e:  # one broken benchmark (or a package mid-edit) must not lose the others
            traceback.print_exc()
            results[key] = Section(key, f"**Not measured: the benchmark failed** ({type(e).__name__}: {e}).",
                                   [(f"{key}: benchmark ran", "failed", False)])
        print(f"({key}: {time.perf_counter() - t1:.0f} s)", flush=True)
    elapsed = time.perf_counter() - t0
    cmd = ".venv/bin/python bench/run_all.py" + (" --quick" if a.quick else "") + (
        f" --runs {a.runs}" if a.runs else "") + (f" --only {a.only}" if a.only else "")
    rows = [f"| {what} | {fig} | {verdict(ok)} |" for s in results.values() for what, fig, ok in s.verdicts]
    summary = "\n".join([
        f"Command: `{cmd}` — {started:%Y-%m-%d %H:%M} UTC, {elapsed / 60:.1f} min.",
        "",
        f"Code: {code_before}"
        + ("." if git_state() == code_before else f"; by the end of the run: {git_state()} (other engineers "
           "work in the same tree: sections after the change measured the new code)."),
        "",
        f"Machine: {machine()}.",
        "",
        f"Load average (1/5/15 min) before the run: {load_before}; after: {load_average()}. "
        "Other work on the machine during the run moves every figure; the comparisons that matter are "
        "made in the same run, one right after the other.",
        "",
        "| target | measured (median) | verdict |",
        "| --- | --- | --- |",
        *rows,
    ])
    print("\n" + summary)
    if a.no_write or ((a.quick or a.only) and not a.write):
        return 0
    text = DOC.read_text(encoding="utf-8")
    if not a.only:
        text = replace_block(text, "summary", summary)
    for key, sec in results.items():
        text = replace_block(text, key, sec.markdown)
    DOC.write_text(text, encoding="utf-8")
    print(f"\nwrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
