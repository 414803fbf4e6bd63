"""Time to READY and idle RSS of ``reminderd run``: the example config, and a 10,000-event catalog.

Starts the daemon as systemd would (a NOTIFY_SOCKET this script owns), on a copy of
config/ and calendars/ in a temp directory (fresh SQLite, migrations included), measures
the wall time from exec to READY=1, then waits until ``/healthz`` reports the start-up
planning pass and the first feed build done, lets it idle ``--settle`` seconds, reads the
resident set size, then sends SIGTERM and times the exit. Each run starts twice on the same
state: a first start (the database is created, no compiled catalog yet) and a restart (both
kept; the compiled-catalog cache lives in the run's temp directory).

The second case is the same on a generated catalog of 10,000 events (``bench/gen_catalog.py``:
fixed, lunar, anniversary and one-off dates, 1–3 tasks each) instead of the shipped one.

A third start, of its own, times the first start's catch-up of mail on that catalog (the
messages written to the local folder) and how slowly ``/healthz`` answers meanwhile.

    .venv/bin/python bench/bench_daemon.py [--runs 3] [--big-runs 1]

Targets: READY under 2 s, idle RSS under 120 MB (example config).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Section, free_port, median, mmm, verdict
from bench.gen_catalog import write_catalog

ROOT = Path(__file__).resolve().parent.parent

Start = tuple[float, float, float, float]  # READY s, settled s (plan + feeds done), RSS MB, SIGTERM→exit s


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def example_env(t: Path) -> Path:
    shutil.copytree(ROOT / "config", t / "config")
    shutil.copytree(ROOT / "calendars", t / "calendars")
    cfg = t / "config" / "reminderd.toml"
    port = free_port()
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("127.0.0.1:8080", f"127.0.0.1:{port}"),
                   encoding="utf-8")
    return cfg


def big_env(t: Path, events: int) -> Path:
    cfg = write_catalog(t, events)
    port = free_port()
    with cfg.open("a", encoding="utf-8") as f:
        f.write(f'\n[http]\nbind = "127.0.0.1:{port}"\nbase_url = "http://127.0.0.1:{port}"\n')
    return cfg


def port_of(cfg: Path) -> int:
    for line in cfg.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("bind"):
            return int(line.split('"')[1].rsplit(":", 1)[1])
    raise RuntimeError("no [http] bind")


def settled(port: int) -> bool:
    """``/healthz`` says the planning pass ran and the feeds are built."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            body = json.loads(r.read())
    except urllib.error.HTTPError as e:
        body = json.loads(e.read())
    except OSError:
        return False
    feeds = (body.get("details") or {}).get("feeds") or {}
    return bool(body.get("last_planning_pass")) and bool(feeds.get("ok"))


def wait_settled(proc: subprocess.Popen[bytes], port: int, limit: float = 600) -> None:
    """Until ``settled``; raises if the daemon exits or takes longer than ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while not settled(port):
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError("the daemon never finished its start-up planning pass and feed build")
        time.sleep(0.2)


def start_once(t: Path, cfg: Path, settle: float) -> Start:
    sock_path = t / "notify.sock"
    sock_path.unlink(missing_ok=True)
    ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ns.bind(str(sock_path))
    ns.settimeout(120)
    # The run's own compiled-catalog cache: empty at the first start (as after installing or
    # editing the catalog), kept for the restart.
    env = {**os.environ, "NOTIFY_SOCKET": str(sock_path), "XDG_CACHE_HOME": str(t / "cache")}
    env.pop("CACHE_DIRECTORY", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "reminderd", "--config", str(cfg), "run"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=t)
    try:
        while True:
            data = ns.recv(4096).decode()
            if "READY=1" in data.splitlines():
                ready = time.perf_counter() - t0
                break
        port = port_of(cfg)
        wait_settled(proc, port)
        done = time.perf_counter() - t0
        time.sleep(settle)
        rss = rss_mb(proc.pid)
        t1 = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(60)
        stop = time.perf_counter() - t1
        if rc != 0:
            raise RuntimeError(f"daemon exited {rc}")
    finally:
        if proc.poll() is None:
            proc.kill()
        ns.close()
    return ready, done, rss, stop


def catch_up(events: int) -> tuple[int, float, float, int]:
    """A first start on a large catalog: the catch-up of every reminder already due, timed from
    the feeds built to its last message written (the local mail folder: no ``[smtp] host``), with
    ``/healthz`` asked every 50 ms meanwhile. Returns (messages, seconds, slowest answer in s,
    answers)."""
    with tempfile.TemporaryDirectory(prefix="bench-catchup-") as tmp:
        t = Path(tmp)
        cfg = big_env(t, events)
        env = {**os.environ, "XDG_CACHE_HOME": str(t / "cache")}
        env.pop("NOTIFY_SOCKET", None)
        proc = subprocess.Popen([sys.executable, "-m", "reminderd", "--config", str(cfg), "run"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=t)
        try:
            port = port_of(cfg)
            wait_settled(proc, port)
            built = time.perf_counter()
            folder = t / "state" / "mail" / "new"
            count, last, slowest, answers = 0, built, 0.0, 0
            while time.perf_counter() - last < 3.0 and time.perf_counter() - built < 120:
                t0 = time.perf_counter()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as r:
                    r.read()
                slowest = max(slowest, time.perf_counter() - t0)
                answers += 1
                n = len(list(folder.glob("*.eml"))) if folder.is_dir() else 0
                if n > count:
                    count, last = n, time.perf_counter()
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
        finally:
            if proc.poll() is None:
                proc.kill()
    return count, last - built, slowest, answers


def one_run(settle: float, events: int | None, starts: int = 2) -> list[Start]:
    """A first start (empty state: the database is created) and (starts=2) a restart on that state."""
    with tempfile.TemporaryDirectory(prefix="bench-daemon-") as tmp:
        t = Path(tmp)
        cfg = example_env(t) if events is None else big_env(t, events)
        return [start_once(t, cfg, settle) for _ in range(starts)]


def table(runs: list[list[Start]]) -> list[str]:
    cols = len(runs[0])
    heads = ("first start", "restart")[:cols]
    out = ["| measure | " + " | ".join(heads) + " |", "| --- |" + " ---: |" * cols]
    labels = (("time to READY (s)", 0, "{:.2f}"), ("READY → planning pass and feeds done (s)", 1, "{:.1f}"),
              ("idle RSS (MB)", 2, "{:.0f}"), ("SIGTERM → exit 0 (s)", 3, "{:.2f}"))
    for label, i, fmt in labels:
        cells = []
        for which in range(cols):
            vals = [r[which][i] - (r[which][0] if i == 1 else 0) for r in runs]
            cells.append(mmm(vals, fmt))
        out.append(f"| {label} | {' | '.join(cells)} |")
    return out


def run(runs: int = 3, big_runs: int = 1, settle: float = 3.0, big_events: int = 10_000) -> Section:
    small = []
    for i in range(runs):
        small.append(one_run(settle, None))
        print(f"example config, run {i + 1}: " + "; ".join(
            f"READY {s[0]:.2f} s, settled {s[1]:.1f} s, RSS {s[2]:.0f} MB, stop {s[3]:.2f} s" for s in small[-1]))
    big = []
    for i in range(big_runs):
        big.append(one_run(settle, big_events))  # first start (with a catch-up of mail) and restart
        print(f"{big_events} events, run {i + 1}: " + "; ".join(
            f"READY {s[0]:.2f} s, settled {s[1]:.1f} s, RSS {s[2]:.0f} MB, stop {s[3]:.2f} s" for s in big[-1]))
    mail = catch_up(big_events) if big_runs else None
    if mail is not None:
        print(f"{big_events} events, catch-up: {mail[0]} messages in {mail[1]:.1f} s, /healthz slowest "
              f"{mail[2]:.2f} s of {mail[3]}")
    ready = [s[0] for r in small for s in r]
    rss = [s[2] for r in small for s in r]
    ok_ready = max(ready) < 2.0
    ok_rss = max(rss) < 120
    lines = [f"Example config (shipped catalog), {runs} runs, min / median / max:", "", *table(small), ""]
    if big:
        lines += [f"Generated catalog of {big_events:,} events (1–3 tasks each, `bench/gen_catalog.py`), same "
                  f"departments for every task, feeds over the default horizon (four years); {big_runs} run(s); "
                  "the first start also sends the catch-up of every reminder already due (several hundred):", "",
                  *table(big), ""]
    if mail is not None:
        lines += [f"The first start's catch-up on {big_events:,} events (a start of its own, the mail written to the "
                  f"local folder): {mail[0]} messages in {mail[1]:.1f} s after the feeds were built; `/healthz`, "
                  f"asked every 50 ms meanwhile, answered {mail[3]} times, the slowest in {mail[2]:.2f} s.", ""]
    lines.append(f"Targets (example config, every start): READY under 2 s — {verdict(ok_ready)} (worst "
                 f"{max(ready):.2f} s, median {median(ready):.2f} s); idle RSS under 120 MB — {verdict(ok_rss)} "
                 f"(worst {max(rss):.0f} MB).")
    md = "\n".join(lines)
    print(md)
    first = [r[0][0] for r in small]
    restart = [r[1][0] for r in small]
    big_note = f"; {big_events:,} events: {median([r[0][2] for r in big]):.0f} MB" if big else ""
    return Section("daemon", md, [
        ("daemon, example config: READY < 2 s", f"first start {median(first):.2f} s (worst {max(first):.2f}), "
         f"restart {median(restart):.2f} s (worst {max(restart):.2f})", ok_ready),
        ("daemon, example config: idle RSS < 120 MB", f"{median(rss):.0f} MB (worst {max(rss):.0f}){big_note}",
         ok_rss)])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big-runs", type=int, default=1, help="runs of the 10,000-event case (0: skip it)")
    ap.add_argument("--big-events", type=int, default=10_000)
    ap.add_argument("--settle", type=float, default=3.0, help="seconds idle after the feeds are built")
    args = ap.parse_args()
    run(args.runs, args.big_runs, args.settle, args.big_events)


if __name__ == "__main__":
    main()
