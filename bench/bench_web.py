"""The page's speed and weight: server time and bytes on the wire for ``/`` and ``/year``.

Starts ``reminderd run`` on a copy of the example config and the shipped catalog (as
``bench_daemon.py`` does: fresh SQLite, a NOTIFY_SOCKET this script owns), waits until the
start-up planning pass and feed build are done, then asks each page ``--requests`` times in a
row over one keep-alive connection with ``Accept-Encoding: gzip``, as a browser would. On the
loopback, one request at a time, the time from sending the request to the last byte of the
answer is the server's time (the loopback adds well under a millisecond). Wire size is the
gzipped body; the HTML size is the same page uncompressed.

    /work/venv/bin/python bench/bench_web.py [--runs 3] [--requests 200]

Targets: server time p50 under 30 ms for ``/`` and ``/year``; ``/year`` under 60 KB on the wire.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_daemon import example_env, port_of, wait_settled
from bench.common import Section, median, mmm, verdict

# (label, path); {year} is this year (the daemon's today).
PAGES = (("overview `/`", "/"), ("department `/d/so-ngoai-vu`", "/d/so-ngoai-vu"),
         ("year `/year/{year}`", "/year/{year}"), ("subscribe `/subscribe`", "/subscribe"))
TARGETED = ("/", "/year/{year}")


@contextlib.contextmanager
def daemon(t: Path, cfg: Path) -> Iterator[int]:
    sock_path = t / "notify.sock"
    ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ns.bind(str(sock_path))
    ns.settimeout(120)
    proc = subprocess.Popen([sys.executable, "-m", "reminderd", "--config", str(cfg), "run"],
                            env={**os.environ, "NOTIFY_SOCKET": str(sock_path)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=t)
    try:
        while "READY=1" not in ns.recv(4096).decode().splitlines():
            pass
        port = port_of(cfg)
        wait_settled(proc, port)
        yield port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
        ns.close()


def fetch(conn: http.client.HTTPConnection, path: str, gz: bool = True) -> tuple[float, int, bytes]:
    """(seconds, status, body as sent) for one request on a kept-alive connection."""
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Encoding": "gzip" if gz else "identity",
                                       "Accept": "text/html"})
    r = conn.getresponse()
    body = r.read()
    return time.perf_counter() - t0, r.status, body


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def measure(port: int, year: int, requests: int) -> dict[str, tuple[list[float], int, int]]:
    """path → (times in ms, wire bytes gzipped, HTML bytes)."""
    out: dict[str, tuple[list[float], int, int]] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for _, tmpl in PAGES:
            path = tmpl.format(year=year)
            for _ in range(10):  # warm: templates compiled, plan cached
                fetch(conn, path)
            times = []
            wire = 0
            for _ in range(requests):
                s, status, body = fetch(conn, path)
                if status != 200:
                    raise RuntimeError(f"{path}: HTTP {status}")
                times.append(s * 1000)
                wire = len(body)
            _, _, plain = fetch(conn, path, gz=False)
            assert gzip.decompress(body) == plain or abs(len(gzip.decompress(body)) - len(plain)) < 200
            out[tmpl] = (times, wire, len(plain))
    finally:
        conn.close()
    return out


def run(runs: int = 3, requests: int = 200) -> Section:
    results: list[dict[str, tuple[list[float], int, int]]] = []
    year = time.localtime().tm_year
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        t = Path(tmp)
        cfg = example_env(t)
        with daemon(t, cfg) as port:
            for i in range(runs):
                results.append(measure(port, year, requests))
                print(f"run {i + 1}: " + "; ".join(
                    f"{tmpl.format(year=year)} p50 {median(r[0]):.1f} ms, {r[1] / 1024:.1f} KB"
                    for tmpl, r in results[-1].items()), flush=True)
    lines = [f"Example config and shipped catalog, an anonymous reader (`[web] public_read` on), {requests} requests "
             f"in a row per page and run over one keep-alive connection, `Accept-Encoding: gzip`; {runs} runs "
             "(min / median / max of the runs' figures):", "",
             "| page | server time p50 (ms) | p90 (ms) | on the wire, gzip (KB) | HTML (KB) |",
             "| --- | ---: | ---: | ---: | ---: |"]
    verdicts = []
    for label, tmpl in PAGES:
        p50 = [median(r[tmpl][0]) for r in results]
        p90 = [percentile(r[tmpl][0], 90) for r in results]
        wire = [r[tmpl][1] / 1024 for r in results]
        html = [r[tmpl][2] / 1024 for r in results]
        lines.append(f"| {label.format(year=year)} | {mmm(p50, '{:.1f}')} | {mmm(p90, '{:.1f}')} | "
                     f"{median(wire):.1f} | {median(html):.0f} |")
        if tmpl in TARGETED:
            ok = max(p50) < 30
            verdicts.append((f"web: {tmpl.format(year='Y')} server time p50 < 30 ms",
                             f"{median(p50):.1f} ms (worst run {max(p50):.1f})", ok))
        if tmpl == "/year/{year}":
            verdicts.append(("web: /year under 60 KB on the wire", f"{median(wire):.1f} KB gzip "
                             f"({median(html):.0f} KB of HTML)", max(wire) < 60))
    lines += ["", "Targets: " + "; ".join(f"{w} — {verdict(ok)} ({fig})" for w, fig, ok in verdicts) + "."]
    md = "\n".join(lines)
    print(md)
    return Section("web", md, verdicts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--requests", type=int, default=200, help="requests per page and run")
    args = ap.parse_args()
    run(args.runs, args.requests)


if __name__ == "__main__":
    main()
