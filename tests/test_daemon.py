"""``reminderd run`` as a real process: READY/STATUS/WATCHDOG/STOPPING over a notification
socket this test owns, real signals, real HTTP on a free port, a real SQLite file.

The harness here (config writer, notify socket, process wrapper, SMTP sink) is shared by the
other ``test_daemon_*.py`` files.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import httpx

from .conftest import ROOT, SMALL_CATALOG

SECRET = "hunter2-do-not-log"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(d: Path, *, db_url: str | None = None, smtp_port: int = 9, catalog: str = SMALL_CATALOG,
                 http_port: int | None = None, send_at: str = "08:00", extra: str = "",
                 log_format: str = "keyvalue", shutdown_timeout: int = 5,
                 dispatch_interval: int = 60) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "calendars").mkdir(exist_ok=True)
    (d / "calendars" / "main.toml").write_text(textwrap.dedent(catalog), encoding="utf-8")
    db_url = db_url or "sqlite:///state/reminderd.db"
    cfg = f"""
[organization]
name = "UBND tỉnh Thử"

[catalog]
paths = ["calendars"]

[workdays]
confirmed_through = 2030

[partners]
regular = ["JP", "US"]
local_cooperation = ["LA", "KR", "CN"]

[state]
directory = "state"
key_file = "{d.parent / 'reminderd.key'}"   # the hosts of a pair read one file (in production: a copy each)

[database]
url = "{db_url}"

[smtp]
host = "127.0.0.1"
port = {smtp_port}
tls = "none"
password_env = "REMINDERD_SMTP_PASSWORD"
timeout = 5

[http]
bind = "127.0.0.1:{http_port or free_port()}"

[reminders]
send_at = "{send_at}"

[feeds]
public = ["tag/ngay-le-viet-nam", "all"]

[daemon]
shutdown_timeout = {shutdown_timeout}
dispatch_interval = {dispatch_interval}

[logging]
format = "{log_format}"

[[department]]
id = "so-ngoai-vu"
name = "Sở Ngoại vụ"
email = ["songoaivu@example.gov.vn"]
escalate_to = "vp-ubnd"

[[department]]
id = "vp-ubnd"
name = "Văn phòng UBND tỉnh"
email = ["vpubnd@example.gov.vn"]
{extra}
"""
    path = d / "reminderd.toml"
    path.write_text(cfg, encoding="utf-8")
    return path


def http_base(config: Path) -> str:
    m = re.search(r'bind = "([^"]+)"', config.read_text(encoding="utf-8"))
    assert m
    return f"http://{m.group(1)}"


class NotifySocket:
    """What systemd does for Type=notify: a datagram socket whose messages we collect."""

    def __init__(self, path: Path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.1)
        self.messages: list[str] = []

    def poll(self) -> None:
        while True:
            try:
                data = self.sock.recv(4096)
            except (TimeoutError, BlockingIOError):
                return
            self.messages.extend(data.decode().splitlines())

    def wait_for(self, line: str, timeout: float = 20, proc: subprocess.Popen[bytes] | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.poll()
            if any(m == line or m.startswith(line) for m in self.messages):
                return
            if proc is not None and proc.poll() is not None:
                raise AssertionError(f"daemon exited {proc.returncode} before {line!r}")
        raise AssertionError(f"no {line!r} within {timeout}s; got {self.messages}")

    def count(self, line: str) -> int:
        self.poll()
        return sum(1 for m in self.messages if m == line)

    def close(self) -> None:
        self.sock.close()


class DaemonProcess:
    def __init__(self, config: Path, tmp: Path, *, watchdog_usec: int | None = None, name: str = "d",
                 args: tuple[str, ...] = ()):
        self.config = config
        self.base = http_base(config)
        self.notify = NotifySocket(tmp / f"notify-{name}-{os.getpid()}.sock")
        self.stderr_path = tmp / f"daemon-{name}.log"
        env = {**os.environ, "NOTIFY_SOCKET": str(self.notify.path), "REMINDERD_SMTP_PASSWORD": SECRET,
               "PYTHONUNBUFFERED": "1"}
        env.pop("JOURNAL_STREAM", None)
        if watchdog_usec:
            env["WATCHDOG_USEC"] = str(watchdog_usec)
        self._err = open(self.stderr_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([sys.executable, "-m", "reminderd", "--config", str(config), "run", *args],
                                     env=env, stdout=subprocess.DEVNULL, stderr=self._err, cwd=str(tmp))

    @property
    def log(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 30) -> DaemonProcess:
        try:
            self.notify.wait_for("READY=1", timeout, self.proc)
        except AssertionError as e:
            raise AssertionError(f"{e}\n--- daemon log ---\n{self.log}") from None
        return self

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return httpx.get(self.base + path, timeout=10, **kw)

    def wait_log(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log:
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not logged within {timeout}s:\n{self.log}")

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._err.close()
            self.notify.poll()  # collect STOPPING=1 before the socket goes
            self.notify.close()
        return rc

    def kill9(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._err.close()
        self.notify.close()


@contextlib.contextmanager
def running(config: Path, tmp: Path, **kw: Any) -> Iterator[DaemonProcess]:
    d = DaemonProcess(config, tmp, **kw)
    try:
        yield d.wait_ready()
    finally:
        if d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait()


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a free port, keeping every message it accepts."""

    def __init__(self, delay: float = 0.0):
        from aiosmtpd.controller import Controller

        self.messages: list[Any] = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                if delay:
                    import asyncio
                    await asyncio.sleep(delay)
                msg = message_from_bytes(envelope.content)
                with sink.lock:
                    sink.messages.append(msg)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]

    def wait_count(self, n: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.message_ids()) >= n:
                return
            time.sleep(0.1)
        raise AssertionError(f"expected {n} messages, got {len(self.message_ids())}")

    def stop(self) -> None:
        self.controller.stop()


def kv(line: str) -> dict[str, str]:
    """Parse one key=value log line (values may be JSON-quoted)."""
    import json
    out: dict[str, str] = {}
    for m in re.finditer(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line):
        v = m.group(2)
        out[m.group(1)] = json.loads(v) if v.startswith('"') else v
    return out


# --- tests ----------------------------------------------------------------------------------

def test_ready_health_metrics_watchdog_and_clean_stop(tmp_path: Path) -> None:
    """READY once serving; WATCHDOG pings; /healthz and /metrics; SMTP absent is fine; SIGTERM → 0."""
    cfg = write_config(tmp_path / "env")  # SMTP port 9: nothing listens there
    d = DaemonProcess(cfg, tmp_path, watchdog_usec=400_000).wait_ready()
    try:
        assert any(m.startswith("STATUS=") for m in d.notify.messages)
        assert any(m.startswith("MAINPID=") for m in d.notify.messages)
        r = d.get("/healthz")
        body = r.json()
        assert r.status_code == 200, body
        assert body["status"] in ("ok", "degraded")
        assert body["database"] == {"ok": True, "dialect": "sqlite"}
        assert body["scheduler"] == "running"
        assert body["config_errors"] == []
        # Feeds are served although no SMTP server exists.
        assert d.get("/metrics").status_code == 200
        time.sleep(1.0)
        assert d.notify.count("WATCHDOG=1") >= 2, d.notify.messages
        m = d.get("/metrics").text
        assert "# TYPE reminderd_reminders gauge" in m
        assert 'reminderd_reminders{state="pending"}' in m
        assert "reminderd_scheduler_running 1" in m
        assert re.search(r'reminderd_http_requests_total\{area="healthz",code="2xx"\} 1', m), m
        pid_file = tmp_path / "env" / "state" / "reminderd.pid"
        assert pid_file.read_text().strip() == str(d.proc.pid)
        t0 = time.monotonic()
        rc = d.stop()
        assert rc == 0, d.log
        assert time.monotonic() - t0 < 5 + 5  # shutdown_timeout + server close
        assert any(m.startswith("STOPPING=1") for m in d.notify.messages)
        assert not pid_file.exists()
    finally:
        if d.proc.poll() is None:
            d.proc.kill()
    log = d.log
    assert SECRET not in log
    lines = [ln for ln in log.splitlines() if ln.strip()]
    assert lines and all(ln.startswith("ts=") for ln in lines), log  # one structured line per event
    events = [kv(ln).get("event") for ln in lines]
    assert "daemon.ready" in events and "daemon.stopped" in events
    ready = next(kv(ln) for ln in lines if "event=daemon.ready" in ln)
    assert ready["database"] == "sqlite"


def test_sighup_broken_catalog_keeps_serving_old_plan_then_reload_applies(tmp_path: Path) -> None:
    env = tmp_path / "env"
    cfg = write_config(env, log_format="json")
    with running(cfg, tmp_path) as d:
        before = d.get("/feeds/public/all.ics")
        assert before.status_code == 200 and "Quốc khánh Nhật Bản" in before.text
        health = d.get("/healthz").json()
        assert health["config_errors"] == []

        main = env / "calendars" / "main.toml"
        good = main.read_text(encoding="utf-8")
        main.write_text(good + '\n[[event]]\nid = "Bad Id"\ndate = "13-45"\n', encoding="utf-8")
        # `reminderd reload` shows the errors on the terminal and tells the daemon too, so
        # /healthz shows them as well (the same as `systemctl reload`, which only signals).
        out = subprocess.run([sys.executable, "-m", "reminderd", "reload", "--config", str(cfg)],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 1 and "Bad Id" in out.stderr and f"pid {d.proc.pid}" in out.stderr, out.stderr
        d.wait_log('"reload.refused"')
        health = d.get("/healthz")
        body = health.json()
        assert health.status_code == 200 and body["status"] == "degraded", body
        assert body["config_errors"] and any("Bad Id" in e or "13-45" in e for e in body["config_errors"])
        assert "main.toml" in body["config_errors"][0]
        assert "reminderd_config_errors " in d.get("/metrics").text
        after = d.get("/feeds/public/all.ics")
        assert after.status_code == 200 and after.content == before.content  # old plan still served

        # Fix it, adding an event, and reload through the CLI (pid file → SIGHUP).
        main.write_text(good + textwrap.dedent("""
            [[event]]
            id = "su-kien-moi"
            title = "Sự kiện mới thêm"
            date = "12-05"
            tags = ["ngay-le-viet-nam"]
            """), encoding="utf-8")
        out = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "reload"],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert f"pid {d.proc.pid}" in out.stdout
        d.wait_log('"reload.done"')
        body = d.get("/healthz").json()
        assert body["status"] in ("ok", "degraded"), body
        assert body["config_errors"] == []
        assert "Sự kiện mới thêm" in d.get("/feeds/public/all.ics").text
        lines = [ln for ln in d.log.splitlines() if ln.strip()]
        import json
        assert all(isinstance(json.loads(ln), dict) for ln in lines)  # [logging] format = "json"
        assert d.stop() == 0


def test_reload_cli_refuses_invalid_config_and_finds_no_daemon(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "env")
    run = [sys.executable, "-m", "reminderd", "--config", str(cfg), "reload"]
    out = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "reminderd.pid" in out.stderr and "không thấy reminderd đang chạy" in out.stderr
    (tmp_path / "env" / "state").mkdir(exist_ok=True)
    (tmp_path / "env" / "state" / "reminderd.pid").write_text("999999\n")
    out = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "999999" in out.stderr
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\n[bogus]\nx = 1\n", encoding="utf-8")
    out = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "[bogus]" in out.stderr and "vẫn giữ cấu hình cũ" in out.stderr


def test_second_daemon_on_one_sqlite_file_refuses(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "env")
    with running(cfg, tmp_path, name="first") as first:
        out = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "run"],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 1
        assert f"pid {first.proc.pid}" in out.stderr and "SQLite" in out.stderr, out.stderr
        assert first.get("/healthz").status_code == 200  # the first one is untouched
        assert first.stop() == 0
    # The lock goes with the process: after kill -9 a new daemon starts at once.
    d = DaemonProcess(cfg, tmp_path, name="second").wait_ready()
    d.kill9()
    with running(cfg, tmp_path, name="third") as third:
        assert third.stop() == 0


def test_invalid_config_refuses_to_start_with_every_error(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "env", extra='\n[[department]]\nid = "x"\nname = "X"\nescalate_to = "nope"\n')
    out = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "run"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "escalate_to" in out.stderr and "nope" in out.stderr


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        cfg = write_config(tmp_path / "env", http_port=port)
        out = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "run"],
                             capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "[http] bind" in out.stderr and str(port) in out.stderr


def test_db_upgrade_command(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "env")
    out = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "db", "upgrade"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert re.search(r"\(trống\) → 0\d{3}\b", out.stdout), out.stdout  # says it created the schema
    assert (tmp_path / "env" / "state" / "reminderd.db").exists()
    again = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "db", "upgrade"],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "mới nhất" in again.stdout, again.stdout


def test_example_config_runs_unchanged(tmp_path: Path) -> None:
    """The README's first command: the shipped config, SQLite in ./state, serves feeds and /healthz."""
    import shutil
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "calendars", tmp_path / "calendars")
    cfg = tmp_path / "config" / "reminderd.toml"
    port = free_port()
    text = cfg.read_text(encoding="utf-8").replace("127.0.0.1:8080", f"127.0.0.1:{port}")
    cfg.write_text(text, encoding="utf-8")
    with running(cfg, tmp_path, name="example") as d:
        assert d.get("/healthz").status_code == 200
        r = d.get("/feeds/public/tag/ngay-le-viet-nam.ics")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
        assert "BEGIN:VCALENDAR" in r.text
        assert d.stop() == 0
    assert (tmp_path / "state" / "reminderd.db").exists()


def _many_events(n: int) -> str:
    """A catalog big enough that rendering its feeds takes seconds (each event: a tag feed, a task)."""
    parts = []
    for i in range(n):
        parts.append(f"""
[[event]]
id = "su-kien-{i}"
title = "Sự kiện thử số {i}"
date = "{1 + i % 12:02d}-{1 + i % 28:02d}"
tags = ["nhom-{i % 40}"]

[[event.task]]
id = "viec"
action = "Chuẩn bị cho sự kiện {i}"
lead = "5-7wd"
owner = "so-ngoai-vu"
""")
    return "".join(parts)


def test_reload_renders_feeds_off_the_event_loop(tmp_path: Path) -> None:
    """While a reload re-renders the feeds (seconds on a large catalog), the daemon keeps
    answering: /healthz is served between reload.start and reload.done. It used to render
    on the event loop, so every request waited for the whole rebuild."""
    env = tmp_path / "env"
    cfg = write_config(env, catalog=SMALL_CATALOG + _many_events(2500))
    with running(cfg, tmp_path) as d:
        deadline = time.monotonic() + 120
        while not ((d.get("/healthz").json().get("details") or {}).get("feeds") or {}).get("ok"):
            # the first build runs in a thread after READY
            assert time.monotonic() < deadline, d.log
            time.sleep(0.2)
        d.signal(signal.SIGHUP)
        d.wait_log("event=reload.start")
        answered_during = 0
        while "event=reload.done" not in d.log:
            assert time.monotonic() < deadline, d.log
            r = httpx.get(d.base + "/healthz", timeout=120)
            if "event=reload.done" not in d.log:
                assert r.status_code in (200, 503)
                answered_during += 1
            time.sleep(0.05)
        assert answered_during >= 3, (answered_during, d.log[-2000:])
        assert d.stop() == 0
