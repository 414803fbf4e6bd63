"""Feed serving throughput: requests per second for a 500-event feed, full and 304.

    /work/venv/bin/python bench/bench_feeds.py [--seconds 5] [--connections 16]

Builds a synthetic catalog (250 one-off events with one task each → 500 VEVENTs in the
``all`` feed), starts the real app under uvicorn (one process, as ``reminderd run``
does) on a free port, makes a feed token and hammers the private URL with ``wrk``
(else ``ab``): full body (identity and gzip) and ``If-None-Match`` → 304. Then, for
comparison in the same run, nginx serves the same bytes as a static file (one worker
like our one process, and ``worker_processes auto``) — the target is ≥ ¼ of nginx.

Installs nothing. For the load generator and the comparison:
    apt-get install wrk nginx-light        # or apache2-utils for ab
Without nginx the comparison is skipped; without wrk and ab the benchmark stops.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.UTC)
CONFIG = """
[organization]
name = "UBND tỉnh Thử nghiệm"
[catalog]
paths = ["calendars"]
[state]
directory = "state"
[database]
url = "sqlite:///state/reminderd.db"
[[department]]
id = "so-ngoai-vu"
name = "Sở Ngoại vụ"
[[department]]
id = "vp-ubnd"
name = "Văn phòng UBND tỉnh"
"""


def write_env(d: Path, events: int) -> Path:
    (d / "calendars").mkdir(parents=True, exist_ok=True)
    parts = []
    for i in range(events):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=(i * 3) % 700)
        parts.append(textwrap.dedent(f"""
            [[event]]
            id = "su-kien-{i:04d}"
            title = "Kỷ niệm ngày thiết lập quan hệ ngoại giao số {i}, Việt Nam – đối tác"
            date = "{day.isoformat()}"
            tags = ["ky-niem"]
            [[event.task]]
            id = "gui-thu"
            action = "Chủ tịch UBND tỉnh gửi thư chúc mừng; chuẩn bị nội dung, lễ tân, hoa"
            lead = "5-7wd"
            owner = "so-ngoai-vu"
            support = ["vp-ubnd"]
            """))
    (d / "calendars" / "bench.toml").write_text("".join(parts), encoding="utf-8")
    cfg = d / "reminderd.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    return cfg


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(cfg: str, port: int) -> None:
    """Child process: the real app under uvicorn, clock fixed at NOW."""
    import uvicorn

    from reminderd.context import Context
    from reminderd.feed_cache import install
    from reminderd.runtime import load_runtime
    from reminderd.store import open_store
    from reminderd.web.app import create_app

    rt = load_runtime(cfg)
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: NOW)
    install(ctx).rebuild(ctx)
    uvicorn.run(create_app(ctx), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def load(url: str, headers: dict[str, str], seconds: int, conns: int) -> float:
    """Requests per second (2xx/3xx) from wrk, else ab."""
    if shutil.which("wrk"):
        cmd = ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s"]
        for k, v in headers.items():
            cmd += ["-H", f"{k}: {v}"]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
        if "Non-2xx or 3xx responses" in out:
            raise SystemExit(f"errors under load:\n{out}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    if shutil.which("ab"):
        cmd = ["ab", "-q", "-k", "-t", str(seconds), "-n", "10000000", "-c", str(conns)]
        for k, v in headers.items():
            cmd += ["-H", f"{k}: {v}"]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
        return float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    raise SystemExit("neither wrk nor ab found: apt-get install wrk (or apache2-utils)")


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read(), {k.lower(): v for k, v in r.headers.items()}


def nginx_run(root: Path, body: bytes, workers: str, seconds: int, conns: int) -> tuple[float, float] | None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        return None
    port = free_port()
    d = root / f"nginx-{workers}"
    (d / "www").mkdir(parents=True)
    (d / "www" / "feed.ics").write_bytes(body)
    for p in (root, d, d / "www", d / "www" / "feed.ics"):  # nginx workers may run as another user
        p.chmod(0o755)
    conf = d / "nginx.conf"
    conf.write_text(f"""
daemon off; worker_processes {workers}; pid {d}/nginx.pid; error_log {d}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  types {{ text/calendar ics; }}
  client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};
  server {{ listen 127.0.0.1:{port}; root {d}/www; }}
}}
""")
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(d)])
    try:
        url = f"http://127.0.0.1:{port}/feed.ics"
        wait_up(url)
        _, h = fetch(url)
        full = load(url, {}, seconds, conns)
        not_modified = load(url, {"If-None-Match": h["etag"]}, seconds, conns)
        return full, not_modified
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--events", type=int, default=250, help="one-off events (each adds a task: ×2 VEVENTs)")
    ap.add_argument("--serve", nargs=2, metavar=("CONFIG", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0
    from reminderd import tokens
    from reminderd.runtime import load_runtime
    from reminderd.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as tmp:
        root = Path(tmp)
        cfg = write_env(root / "env", args.events)
        rt = load_runtime(cfg)
        store = open_store(rt.config.database_url)
        _, secret = tokens.create(store, "feed", "all", "bench", NOW)
        port = free_port()
        proc = subprocess.Popen([sys.executable, __file__, "--serve", str(cfg), str(port)],
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            url = f"http://127.0.0.1:{port}/feeds/{secret}/all.ics"
            wait_up(url)
            body, h = fetch(url)
            gz, _ = fetch(url, {"Accept-Encoding": "gzip"})
            n = body.count(b"BEGIN:VEVENT")
            t0 = time.perf_counter()
            ours = {"full": load(url, {}, args.seconds, args.connections),
                    "full, gzip": load(url, {"Accept-Encoding": "gzip"}, args.seconds, args.connections),
                    "304": load(url, {"If-None-Match": h["etag"]}, args.seconds, args.connections)}
            elapsed = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(10)
        nginx1 = nginx_run(root, body, "1", args.seconds, args.connections)
        nginx_auto = nginx_run(root, body, "auto", args.seconds, args.connections)

    tool = "wrk" if shutil.which("wrk") else "ab"
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"{tool} -c{args.connections} for {args.seconds}s per row ({elapsed:.0f}s for ours)")
    print(f"feed: {n} VEVENTs, {len(body):,} bytes ({len(gz):,} gzip)")
    print("| what | reminderd req/s | nginx 1 worker | nginx auto | reminderd / nginx auto |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for key, idx in (("full", 0), ("full, gzip", 0), ("304", 1)):
        n1 = f"{nginx1[idx]:,.0f}" if nginx1 else "—"
        na = f"{nginx_auto[idx]:,.0f}" if nginx_auto else "—"
        ratio = f"{ours[key] / nginx_auto[idx]:.2f}" if nginx_auto else "—"
        print(f"| {key} | {ours[key]:,.0f} | {n1} | {na} | {ratio} |")
    if not nginx1:
        print("nginx not found: comparison skipped (apt-get install nginx-light)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
