"""The daemon sending mail for real: catch-up after downtime, kill -9 mid-dispatch, and a
highly available pair on one PostgreSQL database (1,000 reminders, no duplicate Message-ID).

Time is moved with ``reminderd run --at`` (the daemon's clock starts there and runs on);
everything else is real: subprocesses, signals, an aiosmtpd server on a socket, SQLite files
and the PostgreSQL server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from reminderd.errors import ReminderdError
from reminderd.runtime import load_runtime
from reminderd.store import schema
from reminderd.store.lock import dispatch_lock

from .test_daemon import DaemonProcess, SmtpSink, free_port, write_config

pytest.importorskip("reminderd.outbox", reason="the outbox (mail part) is not built yet")

RUN_DAY = dt.date(2026, 12, 1)  # a Tuesday with no holiday near it


def catalog(n: int, event_date: dt.date, lead: str, prefix: str = "viec") -> str:
    """n one-off events on ``event_date``, one task each, owned by so-ngoai-vu (one address)."""
    out = []
    for i in range(n):
        out.append(f"""
[[event]]
id = "{prefix}-{i:04d}"
title = "Sự kiện thử số {i}"
date = "{event_date.isoformat()}"

[[event.task]]
id = "gui-thu"
action = "Gửi thư chúc mừng số {i}"
lead = "{lead}"
owner = "so-ngoai-vu"
""")
    return "".join(out)


def event_date_opening_on(day: dt.date, far: int) -> dt.date:
    """The event date whose window ("N-{far}wd") opens exactly on ``day``."""
    from reminderd.workdays import WorkdayCalendar

    wd = WorkdayCalendar(country="VN", extra_days_off=[], extra_working_days=[], confirmed_through=2030)
    return wd.add(day, far)


def at(day: dt.date, hhmm: str) -> str:
    return f"{day.isoformat()}T{hhmm}:00+07:00"


def start(cfg: Path, tmp: Path, when: str, name: str) -> DaemonProcess:
    return DaemonProcess(cfg, tmp, name=name, args=("--at", when)).wait_ready()


def outbox_rows(db_url: str) -> list[dict[str, object]]:
    eng = create_engine(db_url)
    try:
        with eng.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(schema.outbox))]
    finally:
        eng.dispose()


def task_rows(db_url: str) -> list[dict[str, object]]:
    """Rows about tasks (the weekly digest, planned on its own, is left out)."""
    return [r for r in outbox_rows(db_url) if r["kind"] != "digest"]


def norm(mid: object) -> str:
    return str(mid).strip().strip("<>")


def wait_until(pred: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def dispatched(d: DaemonProcess) -> bool:
    return d.get("/healthz").json().get("last_dispatch") is not None


def test_stopped_over_the_send_time_catches_up_on_start_and_never_twice(tmp_path: Path) -> None:
    n = 5
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = SmtpSink()
    try:
        env = tmp_path / "env"
        cfg = write_config(env, smtp_port=sink.port, send_at="08:00", catalog=catalog(n, eday, "5-10wd"))
        rt = load_runtime(cfg)
        tasks = rt.plan(RUN_DAY, eday).tasks
        assert len(tasks) == n and all(t.window_start == RUN_DAY for t in tasks)
        db = f"sqlite:///{env / 'state' / 'reminderd.db'}"

        # 07:00: planned for 08:00, nothing sent yet.
        d = start(cfg, tmp_path, at(RUN_DAY, "07:00"), "before")
        wait_until(lambda: dispatched(d), 30, "the first dispatch")
        rows = task_rows(db)
        assert len(rows) == n and {r["state"] for r in rows} == {"pending"}
        assert not {norm(r["message_id"]) for r in rows} & {norm(m) for m in sink.message_ids()}
        assert "lần gửi tới 08:00" in d.get("/healthz").json()["status_line"]
        assert d.stop() == 0
        # The daemon is down over 08:00 … and comes back at 09:30: everything goes out at start.
        d = start(cfg, tmp_path, at(RUN_DAY, "09:30"), "after")
        wait_until(lambda: {r["state"] for r in task_rows(db)} == {"sent"}, 30, "rows marked sent")
        assert d.stop() == 0
        # Another restart the same day sends nothing more.
        d = start(cfg, tmp_path, at(RUN_DAY, "10:00"), "again")
        wait_until(lambda: dispatched(d), 30, "a dispatch")
        assert d.stop() == 0
        ids = [norm(m) for m in sink.message_ids()]
        assert len(ids) == len(set(ids)), "a message went out twice"
        assert set(ids) == {norm(r["message_id"]) for r in outbox_rows(db) if r["state"] == "sent"}
        assert {norm(r["message_id"]) for r in task_rows(db)} <= set(ids)
        subjects = [str(m["Subject"]) for m in sink.messages]
        assert all(subjects)
    finally:
        sink.stop()


def test_kill_9_during_dispatch_then_restart_delivers_every_reminder(tmp_path: Path) -> None:
    n = 300
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = SmtpSink(delay=0.01)
    try:
        env = tmp_path / "env"
        cfg = write_config(env, smtp_port=sink.port, catalog=catalog(n, eday, "5-10wd"))
        db = f"sqlite:///{env / 'state' / 'reminderd.db'}"
        d = start(cfg, tmp_path, at(RUN_DAY, "09:00"), "victim")
        wait_until(lambda: len(sink.message_ids()) >= 20, 60, "the first sends")
        d.kill9()
        got_before = len(sink.message_ids())
        assert got_before < n, "dispatch finished before the kill; make it slower"
        assert len(task_rows(db)) == n
        d = start(cfg, tmp_path, at(RUN_DAY, "09:05"), "heir")
        wait_until(lambda: {r["state"] for r in outbox_rows(db)} == {"sent"}, 120, "every row sent")
        assert d.stop() == 0
        delivered = {norm(m) for m in sink.message_ids()}
        expected = {norm(r["message_id"]) for r in outbox_rows(db)}
        assert expected <= delivered, f"lost: {len(expected - delivered)}"
        # At-least-once: only messages of the batch in flight at the kill may arrive twice.
        dupes = len(sink.message_ids()) - len(delivered)
        assert dupes <= 200, dupes
    finally:
        sink.stop()


@pytest.mark.postgres
def test_ha_pair_on_postgresql_sends_1000_reminders_once_each(tmp_path: Path, pg_url: str) -> None:
    n = 1000
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = SmtpSink()
    cat = catalog(n, eday, "5-10wd")
    daemons: list[DaemonProcess] = []
    try:
        cfgs = [write_config(tmp_path / f"host{i}", db_url=pg_url, smtp_port=sink.port, catalog=cat,
                             dispatch_interval=2) for i in (1, 2)]
        for i, cfg in enumerate(cfgs):
            daemons.append(start(cfg, tmp_path, at(RUN_DAY, "09:00"), f"host{i + 1}"))
        assert all(d.get("/healthz").json()["database"]["dialect"] == "postgresql" for d in daemons)
        sink.wait_count(n, 180)
        wait_until(lambda: {r["state"] for r in outbox_rows(pg_url)} == {"sent"}, 60, "every row sent")
        time.sleep(3)  # one more dispatch round on each: still nothing new
        rows = outbox_rows(pg_url)
        ids = [norm(m) for m in sink.message_ids()]
        assert len([r for r in rows if r["kind"] != "digest"]) == n
        assert len(ids) == len(set(ids)) == len(rows), f"{len(ids) - len(set(ids))} duplicates"
        assert set(ids) == {norm(r["message_id"]) for r in rows}
        for d in daemons:
            assert d.stop() == 0
        per_daemon = [re.findall(r"event=dispatch.done.*?sent=(\d+)", d.log) for d in daemons]
        print("sent per daemon:", [sum(map(int, s)) for s in per_daemon])
    finally:
        for d in daemons:
            if d.proc.poll() is None:
                d.proc.kill()
        sink.stop()


def test_sigterm_during_dispatch_exits_0_within_the_bound_and_loses_nothing(tmp_path: Path) -> None:
    n = 300
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = SmtpSink(delay=0.02)
    try:
        env = tmp_path / "env"
        cfg = write_config(env, smtp_port=sink.port, catalog=catalog(n, eday, "5-10wd"), shutdown_timeout=2)
        db = f"sqlite:///{env / 'state' / 'reminderd.db'}"
        d = start(cfg, tmp_path, at(RUN_DAY, "09:00"), "busy")
        wait_until(lambda: len(sink.message_ids()) >= 10, 60, "the first sends")
        t0 = time.monotonic()
        assert d.stop() == 0, d.log
        assert time.monotonic() - t0 < 2 + 5, "stop exceeded shutdown_timeout + HTTP close"
        assert len(sink.message_ids()) < n, "dispatch finished before the stop; make it slower"
        assert "sending" not in {r["state"] for r in task_rows(db)}  # released, not left claimed
        d = start(cfg, tmp_path, at(RUN_DAY, "09:05"), "next")
        wait_until(lambda: {r["state"] for r in task_rows(db)} == {"sent"}, 120, "every row sent")
        assert d.stop() == 0
        assert {norm(r["message_id"]) for r in task_rows(db)} <= {norm(m) for m in sink.message_ids()}
    finally:
        sink.stop()


# ---- a graceful stop resends nothing the server accepted ------------------------------------


class TimedSink:
    """aiosmtpd on a free port that notes when each message was accepted (monotonic clock)."""

    def __init__(self, delay: float = 0.0):
        from aiosmtpd.controller import Controller

        self.accepted: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
                if delay:
                    await asyncio.sleep(delay)
                msg = message_from_bytes(envelope.content)  # type: ignore[attr-defined]
                with sink.lock:
                    sink.accepted.append((time.monotonic(), norm(msg["Message-ID"])))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def ids(self) -> list[str]:
        with self.lock:
            return [m for _, m in self.accepted]

    def after(self, t: float) -> int:
        with self.lock:
            return sum(1 for at, _ in self.accepted if at > t)

    def stop(self) -> None:
        self.controller.stop()


CONCURRENCY = 2  # [smtp] concurrency, the default write_config leaves


def test_sigterm_during_dispatch_resends_at_most_the_messages_on_the_wire(tmp_path: Path) -> None:
    """SIGTERM four times while a daemon dispatches (``shutdown_timeout = 5``). Per stop: at
    most one message per SMTP connection arrives after the signal (no new claim, no new
    message), every message the server accepted before it is recorded ``sent`` (none of them
    goes again), and the next start sends the rest — each reminder exactly once overall,
    except at most the messages on the wire at a stop (same Message-ID)."""
    n, stops = 300, 4
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = TimedSink(delay=0.02)
    per_stop: list[tuple[int, int]] = []  # (accepted after the signal, accepted but not recorded)
    live: list[DaemonProcess] = []
    try:
        env = tmp_path / "env"
        cfg = write_config(env, smtp_port=sink.port, catalog=catalog(n, eday, "5-10wd"), shutdown_timeout=5)
        db = f"sqlite:///{env / 'state' / 'reminderd.db'}"
        for life in range(stops):
            before = len(sink.ids())
            d = start(cfg, tmp_path, at(RUN_DAY, f"09:0{life}"), f"life{life}")
            live.append(d)
            wait_until(lambda before=before: len(sink.ids()) >= before + 25, 60, "sends in this life")
            signalled = time.monotonic()
            assert d.stop() == 0, d.log
            late = sink.after(signalled)
            states = {norm(r["message_id"]): r["state"] for r in outbox_rows(db)}
            mine = set(sink.ids()[before:])
            unrecorded = sum(1 for m in mine if states.get(m) != "sent")
            per_stop.append((late, unrecorded))
            assert "sending" not in states.values()
            assert re.search(r"event=dispatch.done .*stopped=stop", d.log) or late == 0, d.log
        assert len(sink.ids()) < n, "dispatch finished before the last stop; make it slower"
        d = start(cfg, tmp_path, at(RUN_DAY, "09:30"), "last")
        live.append(d)
        wait_until(lambda: {r["state"] for r in task_rows(db)} == {"sent"}, 120, "every row sent")
        assert d.stop() == 0
        ids = sink.ids()
        copies = Counter(ids)
        assert set(copies) == {norm(r["message_id"]) for r in outbox_rows(db)}, "every reminder arrived"
        twice = sum(c - 1 for c in copies.values())
        print(f"\nSIGTERM x{stops}: (after the signal, accepted but unrecorded) per stop {per_stop}; "
              f"duplicates {twice} of {len(copies)}")
        for late, unrecorded in per_stop:
            # "late" counts from the moment the test sent the signal; the daemon handles it at its
            # event loop's next turn, so on a loaded machine one message may start in between.
            # What may arrive twice (accepted, unrecorded) stays within the connections' count.
            assert late <= CONCURRENCY + 1 and unrecorded <= CONCURRENCY, per_stop
        assert twice <= CONCURRENCY * stops, twice
    finally:
        for d in live:
            if d.proc.poll() is None:
                d.proc.kill()
                d.proc.wait()
        sink.stop()


# ---- tick and run: one dispatcher per SQLite file -----------------------------------------------


def tick(cfg: Path, when: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
    return subprocess.Popen([sys.executable, "-m", "reminderd", "--config", str(cfg), "tick", "--at", when],
                            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_tick_refuses_beside_a_daemon_and_a_daemon_waits_for_a_tick(tmp_path: Path) -> None:
    n = 200
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = TimedSink(delay=0.02)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        env = tmp_path / "env"
        cfg = write_config(env, smtp_port=sink.port, catalog=catalog(n, eday, "5-10wd"))
        db = f"sqlite:///{env / 'state' / 'reminderd.db'}"
        # A daemon runs: tick refuses, one line, no traceback, nothing sent by it.
        d = start(cfg, tmp_path, at(RUN_DAY, "07:00"), "first")  # before send_at: the tasks wait
        procs.append(d.proc)
        wait_until(lambda: dispatched(d), 30, "the first dispatch")  # (this week's digest goes)
        before = len(sink.ids())
        p = tick(cfg, at(RUN_DAY, "09:00"), tmp_path)
        out, err = p.communicate(timeout=60)
        lines = err.decode().strip().splitlines()
        assert p.returncode == 1 and len(lines) == 1, err.decode()
        assert "reminderd đang chạy (pid" in lines[0] and "Traceback" not in lines[0]
        assert not out and len(sink.ids()) == before
        assert d.stop() == 0
        # A tick dispatches: a daemon started meanwhile waits for it, then takes over, and no
        # claim of the tick is taken for a crash's orphan (the old code sent 65 of 619 twice).
        p = tick(cfg, at(RUN_DAY, "09:00"), tmp_path)
        procs.append(p)
        wait_until(lambda: len(sink.ids()) >= 20, 60, "the tick's first sends")
        d = DaemonProcess(cfg, tmp_path, name="second", args=("--at", at(RUN_DAY, "09:01")))
        procs.append(d.proc)
        d.wait_log("event=lock.waiting")
        assert p.poll() is None, "the tick must still be running while the daemon waits"
        assert not d.notify.count("READY=1")
        p.communicate(timeout=120)
        assert p.returncode == 0
        d.wait_ready(60)
        wait_until(lambda: {r["state"] for r in task_rows(db)} == {"sent"}, 60, "every row sent")
        assert d.stop() == 0
        ids = sink.ids()
        assert len(ids) == len(set(ids)) == len(outbox_rows(db)), f"{len(ids) - len(set(ids))} sent twice"
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        sink.stop()


def test_the_lock_holds_across_a_symlink_and_a_relative_path(tmp_path: Path, monkeypatch) -> None:
    """The lock is the database *file's*: a second config reaching it through a symlinked
    directory, or a relative path, finds it held."""
    env = tmp_path / "env"
    cfg = write_config(env)  # sqlite:///state/reminderd.db, resolved against the config's directory
    (tmp_path / "alias").symlink_to(env / "state", target_is_directory=True)
    other = write_config(tmp_path / "other", db_url=f"sqlite:///{tmp_path / 'alias' / 'reminderd.db'}")
    d = DaemonProcess(cfg, tmp_path, name="real").wait_ready()
    try:
        second = DaemonProcess(other, tmp_path, name="via-link")
        assert second.proc.wait(30) == 1
        log = second.log
        assert "đang dùng CSDL SQLite" in log and str(d.proc.pid) in log, log
        second.stop()
        # The same through a relative URL, as a script might hold it (cwd-relative path).
        monkeypatch.chdir(tmp_path / "alias")
        with pytest.raises(ReminderdError, match="đang chạy"), dispatch_lock("sqlite:///reminderd.db", "tick"):
            pass
    finally:
        assert d.stop() == 0


def test_an_acknowledgement_undone_from_the_shell_resumes_the_reminder(tmp_path: Path, monkeypatch) -> None:
    """A running daemon, a reminder failing (greylisted). ``reminderd ack`` from a shell cancels
    it, ``reminderd ack --undo`` brings the same row back, and it goes — within seconds, not at
    tomorrow's planning time: the daemon replans when the audit trail has a new entry."""
    from .mail_support import SmtpSink as TlsSink
    from .mail_support import config_text

    monkeypatch.setenv("REMINDERD_TEST_SMTP_PASSWORD", "mật-khẩu-bí-mật")
    sink = TlsSink(tmp_path)
    try:
        port = free_port()
        extra = f'[http]\nbind = "127.0.0.1:{port}"\n\n[daemon]\ndispatch_interval = 1\n\n'
        text = config_text(sink).replace("[[department]]", extra + "[[department]]", 1)
        (tmp_path / "calendars").mkdir()
        from .conftest import SMALL_CATALOG

        (tmp_path / "calendars" / "main.toml").write_text(SMALL_CATALOG, encoding="utf-8")
        cfg = tmp_path / "reminderd.toml"
        cfg.write_text(text, encoding="utf-8")
        db = f"sqlite:///{tmp_path / 'state' / 'reminderd.db'}"
        sink.handler.rcpt_replies["songoaivu@example.gov.vn"] = "451 4.7.1 greylisted"
        d = DaemonProcess(cfg, tmp_path, name="acks", args=("--at", "2025-02-13T09:00")).wait_ready()

        def reminder() -> dict[str, object]:
            return next((r for r in outbox_rows(db) if r["kind"] == "window_open"), {})

        def cli(*args: str) -> None:
            p = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), *args],
                               capture_output=True, text=True, timeout=60)
            assert p.returncode == 0, p.stderr

        try:
            wait_until(lambda: reminder().get("state") == "failed", 30, "the reminder to fail")
            first = reminder()
            cli("ack", "quoc-khanh-jp/thu-chuc-mung", "--year", "2025", "--by", "Chánh Văn phòng")
            wait_until(lambda: reminder().get("state") == "cancelled", 15, "the reminder to be cancelled")
            del sink.handler.rcpt_replies["songoaivu@example.gov.vn"]
            cli("ack", "quoc-khanh-jp/thu-chuc-mung", "--year", "2025", "--undo", "--by", "Chánh Văn phòng")
            wait_until(lambda: reminder().get("state") == "sent", 15, "the reminder to resume and go")
            back = reminder()
            assert (back["id"], back["message_id"]) == (first["id"], first["message_id"])
            assert [a.message_id for a in sink.handler.accepted if "Nhật Bản" in a.subject] == [first["message_id"]]
        finally:
            assert d.stop() == 0, d.log
    finally:
        sink.stop()
