"""Feed serving: requests per second and latency (p50/p99) for a 500-event feed, full and 304.

    .venv/bin/python bench/bench_feeds.py [--seconds 5] [--runs 3] [--connections 16]

Builds a synthetic catalog (250 one-off events with one task each → 500 VEVENTs in the
``all`` feed), starts the real app under uvicorn (one process, as ``reminderd run``
does) on a free port, makes a feed token and hammers the private URL with ``wrk``
(else ``ab``): full body (identity and gzip) and ``If-None-Match`` → 304. Then, for
comparison in the same run, nginx serves the same bytes as a static file (one worker
like our one process, and ``worker_processes auto``; ``gzip_static`` serves the same gzip
bytes) — the target is ≥ ¼ of nginx; and Radicale (from PyPI, its own server process) serves
the same calendar PUT into a collection — the target is ≥ 5× Radicale.

Installs nothing. For the load generator and the comparisons:
    apt-get install wrk nginx-light        # or apache2-utils for ab
    .venv/bin/pip install -r bench/requirements.txt     # Radicale
Without nginx or Radicale that comparison is skipped; without wrk and ab the benchmark stops.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Section, free_port, median, mmm, verdict, which  # noqa: E402

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


def serve(cfg: str, port: int) -> None:
    """Child process: the real app under uvicorn, clock fixed at NOW."""
    import uvicorn

    from reminderd.context import Context
    from reminderd.feeds.cache import install
    from reminderd.runtime import load_runtime
    from reminderd.store import open_store
    from reminderd.web.app import create_app

    rt = load_runtime(cfg)
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: NOW)
    install(ctx).rebuild(ctx)
    from reminderd.daemon import loop_factory

    # The event loop the daemon would pick (uvloop when installed), so the figure is the daemon's.
    uvicorn.run(create_app(ctx), host="127.0.0.1", port=port, log_level="warning", access_log=False,
                loop="uvloop" if loop_factory() else "asyncio")


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


Measure = tuple[float, float, float]  # requests/s, p50 ms, p99 ms


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not m:
        raise ValueError(text)
    return float(m[1]) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m[2]]


def load(url: str, headers: dict[str, str], seconds: float, conns: int) -> Measure:
    """Requests per second (2xx/3xx) and latency p50/p99 in ms, from wrk, else ab."""
    if shutil.which("wrk"):
        cmd = ["wrk", "-t1", f"-c{conns}", f"-d{seconds:g}s", "--latency", "--timeout", "30s"]
        for k, v in headers.items():
            cmd += ["-H", f"{k}: {v}"]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
        if "Non-2xx or 3xx responses" in out:
            raise SystemExit(f"errors under load:\n{out}")
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
        p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
        p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
        return rps, p50, p99
    if shutil.which("ab"):
        cmd = ["ab", "-q", "-k", "-t", str(int(seconds)), "-n", "10000000", "-c", str(conns)]
        for k, v in headers.items():
            cmd += ["-H", f"{k}: {v}"]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
        rps = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
        p50 = float(re.search(r"\s50%\s+(\d+)", out).group(1))  # type: ignore[union-attr]
        p99 = float(re.search(r"\s99%\s+(\d+)", out).group(1))  # type: ignore[union-attr]
        return rps, p50, p99
    raise SystemExit("neither wrk nor ab found: apt-get install wrk (or apache2-utils)")


def repeat(url: str, headers: dict[str, str], seconds: float, conns: int, runs: int) -> list[Measure]:
    return [load(url, headers, seconds, conns) for _ in range(runs)]


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read(), {k.lower(): v for k, v in r.headers.items()}


ROWS = ("full", "full, gzip", "304")
HEADERS = {"full": {}, "full, gzip": {"Accept-Encoding": "gzip"}}


def nginx_run(root: Path, body: bytes, gz: bytes, workers: str, a: argparse.Namespace) -> dict[str, list[Measure]]:
    """nginx serving the same bytes (and, with gzip_static, the same gzip bytes) as static files."""
    nginx = which("nginx")
    if not nginx:
        return {}
    port = free_port()
    d = root / f"nginx-{workers}"
    (d / "www").mkdir(parents=True)
    (d / "www" / "feed.ics").write_bytes(body)
    (d / "www" / "feed.ics.gz").write_bytes(gz)
    for p in (root, d, d / "www", d / "www" / "feed.ics", d / "www" / "feed.ics.gz"):  # workers may be another user
        p.chmod(0o755)
    conf = d / "nginx.conf"
    conf.write_text(f"""
daemon off; worker_processes {workers}; pid {d}/nginx.pid; error_log {d}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000; gzip_static on;
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
        return {row: repeat(url, HEADERS.get(row, {"If-None-Match": h["etag"]}), a.seconds, a.connections, a.runs)
                for row in ROWS}
    finally:
        proc.terminate()
        proc.wait(10)


RADICALE_CONFIG = """
[server]
hosts = 127.0.0.1:{port}
[auth]
type = none
[rights]
type = authenticated
[storage]
filesystem_folder = {store}
[web]
type = none
[logging]
level = error
"""


def radicale_run(root: Path, body: bytes, a: argparse.Namespace) -> tuple[dict[str, list[Measure]], int, str]:
    """Radicale (its own server, one process) with the same calendar PUT into a collection.

    Returns the measures, the size of what Radicale serves and how it answered If-None-Match.
    """
    try:
        import radicale  # noqa: F401
    except ImportError:
        return {}, 0, ""
    port = free_port()
    d = root / "radicale"
    d.mkdir()
    (d / "config").write_text(RADICALE_CONFIG.format(port=port, store=d / "store"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(d / "config")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    auth = {"Authorization": "Basic " + base64.b64encode(b"bench:bench").decode()}
    url = f"http://127.0.0.1:{port}/bench/feed/"
    try:
        wait_up(f"http://127.0.0.1:{port}/.web")
        put = urllib.request.Request(url, data=body, method="PUT",
                                     headers={**auth, "Content-Type": "text/calendar; charset=utf-8"})
        with urllib.request.urlopen(put, timeout=60) as r:
            assert r.status in (200, 201), r.status
        served, h = fetch(url, auth)
        assert served.count(b"BEGIN:VEVENT") == body.count(b"BEGIN:VEVENT")
        req = urllib.request.Request(url, headers={**auth, "If-None-Match": h["etag"]})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                cond = f"{r.status} with the full body"
        except urllib.error.HTTPError as e:
            cond = str(e.code)
        # A request takes Radicale about a second: measure longer to count more than a handful.
        res = {row: repeat(url, {**auth, **HEADERS.get(row, {"If-None-Match": h["etag"]})}, max(a.seconds, 10),
                           a.connections, a.runs) for row in ROWS}
        return res, len(served), cond
    finally:
        proc.terminate()
        proc.wait(10)


def rps(ms: list[Measure]) -> list[float]:
    return [m[0] for m in ms]


def lat(ms: list[Measure]) -> str:
    return f"{median([m[1] for m in ms]):.2f} / {median([m[2] for m in ms]):.1f}"


def run(seconds: float, runs: int, connections: int = 16, events: int = 250) -> Section:
    a = argparse.Namespace(seconds=seconds, runs=runs, connections=connections)
    if not (shutil.which("wrk") or shutil.which("ab")):
        md = "Not measured: neither `wrk` nor `ab` is installed (`apt-get install wrk`)."
        print(md)
        return Section("feeds", md, [("feeds: ≥ 0.25× nginx", "—", None), ("feeds: ≥ 5× Radicale", "—", None)])
    from reminderd import tokens
    from reminderd.runtime import load_runtime
    from reminderd.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as tmp:
        root = Path(tmp)
        cfg = write_env(root / "env", events)
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
            gz, gh = fetch(url, {"Accept-Encoding": "gzip"})
            assert gh.get("content-encoding") == "gzip"
            n = body.count(b"BEGIN:VEVENT")
            ours = {row: repeat(url, HEADERS.get(row, {"If-None-Match": h["etag"]}), seconds, connections, runs)
                    for row in ROWS}
        finally:
            proc.terminate()
            proc.wait(10)
        nginx1 = nginx_run(root, body, gz, "1", a)
        nginx_auto = nginx_run(root, body, gz, "auto", a)
        rad, rad_size, rad_cond = radicale_run(root, body, a)

    tool = "wrk" if shutil.which("wrk") else "ab"
    lines = [f"Feed: {n} VEVENTs, {len(body):,} bytes ({len(gz):,} gzipped); `{tool} -t1 -c{connections}`, "
             f"{seconds:g} s per measurement (Radicale: {max(seconds, 10):g} s), {runs} measurements per cell; "
             "load generator and servers share the machine's cores. Requests/s as min / median / max; "
             "latency as median p50 / p99 in ms."]
    if rad:
        lines.append(f"Radicale serves the same 500 events re-serialised ({rad_size:,} bytes); it answers an "
                     f"`If-None-Match` with the current ETag with {rad_cond}, so its \"304\" row is that.")
    lines += ["", "| request | server | req/s | p50 / p99 ms | reminderd ÷ this (median) |",
              "| --- | --- | ---: | ---: | ---: |"]
    ratios_nginx: list[float] = []
    ratios_rad: list[float] = []
    for row in ROWS:
        ours_med = median(rps(ours[row]))
        lines.append(f"| {row} | **reminderd** (uvicorn, 1 process) | {mmm(rps(ours[row]), '{:,.0f}')} "
                     f"| {lat(ours[row])} | — |")
        for name, res in (("nginx, 1 worker", nginx1), ("nginx, auto workers", nginx_auto), ("Radicale", rad)):
            if not res:
                continue
            r = ours_med / median(rps(res[row]))
            if name == "nginx, auto workers":
                ratios_nginx.append(r)
            if name == "Radicale":
                ratios_rad.append(r)
            lines.append(f"| {row} | {name} | {mmm(rps(res[row]), '{:,.0f}')} | {lat(res[row])} | {r:.2f}× |")
    ok_nginx = min(ratios_nginx) >= 0.25 if ratios_nginx else None
    ok_rad = min(ratios_rad) >= 5 if ratios_rad else None
    lines += ["", f"Targets: at least 0.25× nginx (auto workers) on every row — {verdict(ok_nginx)}"
              + (f" (lowest {min(ratios_nginx):.2f}×)" if ratios_nginx else " (nginx absent: apt-get install nginx)")
              + f"; at least 5× Radicale on every row — {verdict(ok_rad)}"
              + (f" (lowest {min(ratios_rad):.0f}×)." if ratios_rad
                 else " (Radicale absent: pip install -r bench/requirements.txt).")]
    md = "\n".join(lines)
    print(md)
    def fig(ratios: list[float], fmt: str) -> str:
        return ", ".join(f"{row} {fmt.format(r)}×" for row, r in zip(ROWS, ratios, strict=True)) if ratios else "—"

    return Section("feeds", md, [("feeds: ≥ 0.25× nginx (auto workers), every row", fig(ratios_nginx, "{:.2f}"),
                                  ok_nginx),
                                 ("feeds: ≥ 5× Radicale, every row", fig(ratios_rad, "{:.0f}"), ok_rad)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--runs", type=int, default=3, help="measurements per cell (min/median/max)")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--events", type=int, default=250, help="one-off events (each adds a task: ×2 VEVENTs)")
    ap.add_argument("--serve", nargs=2, metavar=("CONFIG", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0
    run(args.seconds, args.runs, args.connections, args.events)
    return 0


if __name__ == "__main__":
    sys.exit(main())
