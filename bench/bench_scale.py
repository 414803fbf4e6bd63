"""The feeds of a large catalog: first build, memory, database, and what one change costs.

For each size (generated catalogs, ``bench/gen_catalog.py``: 1–3 tasks per event, five
departments, every event tagged), in a fresh process of its own so that its resident size is
its own: load the runtime, run the outbox's planning pass, build every feed over the default
horizon on a new SQLite database (``FeedCache.rebuild``, its steps from ``FeedCache.timings``),
read the resident set size after the heap is trimmed, the database's size after a
checkpoint, and the bytes the feeds hold; then, as the daemon would, mark three tasks done
one after the other (``ctx.acks_changed``) and add then delete one ad-hoc item through
``reminderd.adhoc`` (the listener re-makes what it touches), each timed from the call to
the new ETags being served.

    .venv/bin/python bench/bench_scale.py [--sizes 1000,10000] [--big 50000]

Targets (10,000 events): every feed built ≤ 5 s after the planning pass; idle RSS ≤ 300 MB;
database ≤ 50 MB; one acknowledgement or one ad-hoc change ≤ 0.5 s to the new ETag; 50,000
events within 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PY, Section, verdict

CHILD = r'''
import asyncio, gc, json, os, sqlite3, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench.gen_catalog import write_catalog
from reminderd import acks, adhoc, outbox, reload
from reminderd.feeds import cache as feed_cache
from reminderd.context import Context
from reminderd.runtime import load_runtime
from reminderd.store import open_store

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024

n, root = int(sys.argv[1]), Path(sys.argv[2])
cfg = write_catalog(root, n)
os.chdir(root)
T = time.perf_counter
out = {"events": n}
t0 = T(); rt = load_runtime(cfg); out["load"] = T() - t0
store = open_store(rt.config.database_url)
ctx = Context(runtime=rt, store=store)
reload.install(ctx, rt)
t0 = T(); asyncio.run(outbox.planning_pass(ctx)); out["planning_pass"] = T() - t0
cache = feed_cache.install(ctx)
t0 = T(); cache.rebuild(ctx); out["feeds"] = T() - t0
out["steps"] = dict(cache.timings)
gc.collect(); feed_cache._trim_heap(); time.sleep(1)
out["rss"] = rss()
out["entries"] = sum(f.items for f in cache.feeds())
out["gzip_mb"] = sum(len(f.gzip_body) for f in cache.feeds()) / 1e6
out["identity_mb"] = sum(sum(s.size for s in p.segments()) for p in cache._built.parts.values()) / 1e6
with sqlite3.connect(root / "state" / "reminderd.db") as c:
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
out["db_mb"] = (root / "state" / "reminderd.db").stat().st_size / 1e6
plan = cache._built.plan
picks = [plan.tasks[len(plan.tasks) * k // 4] for k in (1, 2, 3)]
out["ack"] = []
for task in picks:
    before = {k: f.etag for k, f in cache._feeds.items()}
    t0 = T()
    acks.mark_done(store, task.event.id, task.rule.id, task.occurrence.year, "bench", "cli", "", ctx.now())
    ctx.acks_changed()
    out["ack"].append([T() - t0, sum(1 for k, f in cache._feeds.items() if f.etag != before[k])])
item = {"id": "dai-su-moi", "title": "Tân Đại sứ đến chào xã giao", "date": f"{plan.start.year + 2}-03-12",
        "task": [{"id": "don", "action": "Chuẩn bị đón", "lead": "3-5wd", "owner": "so-ngoai-vu"}]}
out["edit"] = []
for step in ("add", "delete"):
    before = {k: f.etag for k, f in cache._feeds.items()}
    t0 = T()
    if step == "add":
        ev, problems = adhoc.add(ctx, item, by="bench")
        assert ev is not None, problems
    else:
        assert adhoc.delete(ctx, item["id"], by="bench")
    out["edit"].append([step, T() - t0, sum(1 for k, f in cache._feeds.items() if f.etag != before[k])])
out["rss_after"] = rss()
print(json.dumps(out))
'''


def measure(n: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        res = subprocess.run([PY, "-c", CHILD, str(n), tmp, str(Path(__file__).resolve().parent.parent)],
                             capture_output=True, text=True, timeout=3600)
    if res.returncode != 0:
        last = res.stderr.strip().splitlines()[-1] if res.stderr.strip() else str(res.returncode)
        raise RuntimeError(f"{n} events: {last}")
    data: dict[str, object] = json.loads(res.stdout.strip().splitlines()[-1])
    return data


def run(sizes: tuple[int, ...] = (1_000, 10_000), big: int | None = None) -> Section:
    results = []
    for n in (*sizes, *((big,) if big else ())):
        r = measure(n)
        results.append(r)
        print(f"{n} events: feeds {r['feeds']:.2f} s, RSS {r['rss']:.0f} MB, database {r['db_mb']:.1f} MB, "
              f"acks {[round(a[0], 3) for a in r['ack']]} s, edits {[round(e[1], 3) for e in r['edit']]} s",  # type: ignore[index, union-attr]
              flush=True)
    steps = sorted({k for r in results for k in r["steps"]})  # type: ignore[attr-defined]
    lines = ["Generated catalogs (`bench/gen_catalog.py`), every feed over the default horizon, a new SQLite "
             "database; one process per size:", "",
             "| events | entries published | first build (s) | idle RSS (MB) | database (MB) | gzip bodies (MB) "
             "| one ack → new ETag (s) | ad-hoc add / delete → new ETag (s) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in results:
        acks = " / ".join(f"{a[0]:.2f}" for a in r["ack"])  # type: ignore[attr-defined]
        edits = " / ".join(f"{e[1]:.2f}" for e in r["edit"])  # type: ignore[attr-defined]
        lines.append(f"| {r['events']:,} | {r['entries']:,} | {r['feeds']:.1f} | {r['rss']:.0f} | {r['db_mb']:.1f} "
                     f"| {r['gzip_mb']:.1f} | {acks} | {edits} |")
    lines += ["", "Where a first build's time goes (s, `FeedCache.timings`):", "",
              "| events | " + " | ".join(steps) + " |", "| ---: |" + " ---: |" * len(steps)]
    for r in results:
        st = r["steps"]
        lines.append(f"| {r['events']:,} | " + " | ".join(f"{st.get(k, 0):.2f}" for k in steps) + " |")  # type: ignore[attr-defined]
    ten = next((r for r in results if r["events"] == 10_000), None)
    verdicts: list[tuple[str, str, bool | None]] = []
    if ten is not None:
        worst_ack = max(a[0] for a in ten["ack"])  # type: ignore[attr-defined]
        worst_edit = max(e[1] for e in ten["edit"])  # type: ignore[attr-defined]
        verdicts += [
            ("10,000 events: every feed built ≤ 5 s", f"{ten['feeds']:.1f} s", ten["feeds"] <= 5),  # type: ignore[operator]
            ("10,000 events: idle RSS ≤ 300 MB", f"{ten['rss']:.0f} MB", ten["rss"] <= 300),  # type: ignore[operator]
            ("10,000 events: database ≤ 50 MB", f"{ten['db_mb']:.1f} MB", ten["db_mb"] <= 50),  # type: ignore[operator]
            ("10,000 events: one ack or ad-hoc change ≤ 0.5 s to the new ETag",
             f"acks ≤ {worst_ack:.2f} s, ad-hoc ≤ {worst_edit:.2f} s", max(worst_ack, worst_edit) <= 0.5)]
    if big:
        b = results[-1]
        verdicts.append((f"{big:,} events within 1.5 GB", f"{b['rss']:.0f} MB", b["rss"] <= 1536))  # type: ignore[operator]
    lines += ["", "Targets (10,000 events): " + "; ".join(f"{t} — {verdict(ok)} ({m})" for t, m, ok in verdicts) + "."]
    md = "\n".join(lines)
    print(md)
    return Section("scale", md, verdicts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--big", type=int, default=0, help="also this many events (e.g. 50000); 0: no")
    a = ap.parse_args()
    run(tuple(int(x) for x in a.sizes.split(",")), a.big or None)


if __name__ == "__main__":
    main()
