"""Time to READY and idle RSS of ``reminderd run`` on the example config.

Starts the daemon as systemd would (a NOTIFY_SOCKET this script owns), on a copy of
config/ and calendars/ in a temp directory (fresh SQLite, migrations included), measures
the wall time from exec to READY=1, then the resident set size after it has settled
(planning pass and feed build done, idle), then SIGTERM and the time to exit.

    /work/venv/bin/python bench/bench_daemon.py [--runs 5]

Targets (issue 5): READY under 2 s, idle RSS under 120 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def one_run(settle: float) -> list[tuple[float, float, float]]:
    """A first start (empty state: the database is created) and a restart on that state."""
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        shutil.copytree(ROOT / "config", t / "config")
        shutil.copytree(ROOT / "calendars", t / "calendars")
        cfg = t / "config" / "reminderd.toml"
        port = free_port()
        cfg.write_text(cfg.read_text(encoding="utf-8").replace("127.0.0.1:8080", f"127.0.0.1:{port}"),
                       encoding="utf-8")
        return [start_once(t, cfg, settle) for _ in range(2)]


def start_once(t: Path, cfg: Path, settle: float) -> tuple[float, float, float]:
    tmp = str(t)
    sock_path = t / "notify.sock"
    sock_path.unlink(missing_ok=True)
    ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ns.bind(str(sock_path))
    ns.settimeout(30)
    env = {**os.environ, "NOTIFY_SOCKET": str(sock_path)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "reminderd", "--config", str(cfg), "run"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp)
    try:
        while True:
            data = ns.recv(4096).decode()
            if "READY=1" in data.splitlines():
                ready = time.perf_counter() - t0
                break
        time.sleep(settle)
        rss = rss_mb(proc.pid)
        t1 = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(30)
        stop = time.perf_counter() - t1
        if rc != 0:
            raise RuntimeError(f"daemon exited {rc}")
    finally:
        if proc.poll() is None:
            proc.kill()
        ns.close()
    return ready, rss, stop


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--settle", type=float, default=5.0, help="seconds idle before reading RSS")
    args = ap.parse_args()
    runs = [one_run(args.settle) for _ in range(args.runs)]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs, example config")
    for i, label in enumerate(("first start (creates the database)", "restart (existing database)")):
        ready = [r[i][0] for r in runs]
        rss = [r[i][1] for r in runs]
        stop = [r[i][2] for r in runs]
        print(f"{label}:")
        print(f"  time to READY: median {statistics.median(ready):.2f} s, max {max(ready):.2f} s (target < 2 s)")
        print(f"  idle RSS:      median {statistics.median(rss):.0f} MB, max {max(rss):.0f} MB (target < 120 MB)")
        print(f"  SIGTERM→exit:  median {statistics.median(stop):.2f} s, max {max(stop):.2f} s")


if __name__ == "__main__":
    main()
