"""Time faults: planning passes run twice (one after the other, and two at once), and the clock
moved back and forth over send times, with ``reminderd tick --at`` (a real process, a real SMTP
sink) and ``reminderd run --at``. Nothing is sent twice; what is due goes out once.

(A daemon stopped over a send time and started after it: tests/test_daemon_mail.py,
``test_stopped_over_the_send_time_catches_up_on_start_and_never_twice``.)

Reproduce: ``/work/venv/bin/python -m pytest -q tests/test_faults_clock.py`` (docs/RELIABILITY.md).
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import func, select

from reminderd import outbox
from reminderd.context import Context
from reminderd.runtime import load_runtime
from reminderd.store import open_store, schema
from reminderd.workdays import WorkdayCalendar

from .conftest import ROOT
from .test_daemon import SECRET, DaemonProcess, SmtpSink, write_config
from .test_daemon_mail import RUN_DAY, at, catalog, event_date_opening_on, norm, outbox_rows, wait_until

N = 4
WD = WorkdayCalendar(country="VN", extra_days_off=[], extra_working_days=[], confirmed_through=2030)


def tick(cfg: Path, when: str) -> str:
    env = {**os.environ, "REMINDERD_SMTP_PASSWORD": SECRET}
    p = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "tick", "--at", when],
                       capture_output=True, text=True, timeout=120, env=env, cwd=str(ROOT))
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


def sent_by_kind(db: str) -> collections.Counter[str]:
    return collections.Counter(str(r["kind"]) for r in outbox_rows(db) if r["state"] == "sent")


def test_ticks_back_and_forth_over_send_times_send_each_reminder_once(tmp_path: Path) -> None:
    eday = event_date_opening_on(RUN_DAY, 10)
    due = WD.add(eday, -5)  # "5-10wd": the window opens on RUN_DAY, is due 5 working days before
    overdue = WD.add(due, 1)
    sink = SmtpSink()
    try:
        cfg = write_config(tmp_path / "env", smtp_port=sink.port, catalog=catalog(N, eday, "5-10wd"))
        db = f"sqlite:///{tmp_path / 'env' / 'state' / 'reminderd.db'}"
        # (moment, reminders of tasks that must have gone out by then, in total)
        steps = [
            (at(RUN_DAY, "07:00"), {}),  # before send_at: nothing yet
            (at(RUN_DAY, "09:00"), {"window_open": N}),
            (at(RUN_DAY, "09:00"), {"window_open": N}),  # the same pass again
            (at(RUN_DAY, "07:00"), {"window_open": N}),  # clock back before send_at
            (at(RUN_DAY - dt.timedelta(days=1), "09:00"), {"window_open": N}),  # back a whole day
            (at(due, "09:00"), {"window_open": N, "due": N}),
            (at(RUN_DAY, "09:00"), {"window_open": N, "due": N}),  # back to the opening day
            (at(due, "10:00"), {"window_open": N, "due": N}),
            # overdue: the owner and the department it escalates to
            (at(overdue, "09:00"), {"window_open": N, "due": N, "overdue": 2 * N}),
            (at(due, "09:00"), {"window_open": N, "due": N, "overdue": 2 * N}),
            (at(overdue, "09:00"), {"window_open": N, "due": N, "overdue": 2 * N}),
        ]
        for when, expected in steps:
            tick(cfg, when)
            got = sent_by_kind(db)
            got.pop("digest", None)
            assert dict(got) == expected, (when, got)
        ids = [norm(m) for m in sink.message_ids()]
        assert len(ids) == len(set(ids)), "a Message-ID went out twice"
        rows = outbox_rows(db)
        assert set(ids) == {norm(r["message_id"]) for r in rows if r["state"] == "sent"}
        assert {r["state"] for r in rows} <= {"sent"}
        # One weekly digest per department and week, however often the week was visited.
        digests = collections.Counter(str(r["dedupe_key"]).rsplit("|", 1)[0] for r in rows if r["kind"] == "digest")
        assert digests and set(digests.values()) == {1}
    finally:
        sink.stop()


def test_four_planning_passes_at_once_make_each_row_once(tmp_path: Path, db_url: str) -> None:
    """Passes racing (both daemons of a pair waking at plan_at together): the unique key holds."""
    cfg_path = write_config(tmp_path / "env", db_url=db_url,
                            catalog=catalog(30, event_date_opening_on(RUN_DAY, 10), "5-10wd"))
    rt = load_runtime(cfg_path)
    store = open_store(db_url)
    moment = dt.datetime.fromisoformat(at(RUN_DAY, "09:00"))
    try:
        results: list[dict[str, object]] = []
        errors: list[BaseException] = []
        barrier = threading.Barrier(4)

        def run() -> None:
            ctx = Context(rt, store, now=lambda: moment)
            barrier.wait()
            try:
                results.append(outbox.planning_pass_sync(ctx))
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        with store.engine.connect() as conn:
            n_rows = conn.execute(select(func.count()).select_from(schema.outbox)).scalar_one()
            keys = conn.execute(select(func.count(func.distinct(schema.outbox.c.dedupe_key)))).scalar_one()
        created = sum(int(r["created"]) for r in results)  # type: ignore[call-overload]
        assert n_rows == keys == created, (n_rows, keys, created)
        assert n_rows >= 30
        # And a fifth pass, later that day, adds nothing.
        later = Context(rt, store, now=lambda: moment + dt.timedelta(hours=3))
        assert outbox.planning_pass_sync(later)["created"] == 0
    finally:
        store.dispose()


def test_daemon_replanning_and_restarting_earlier_sends_nothing_twice(tmp_path: Path) -> None:
    """A running daemon asked to replan (SIGHUP) twice, then restarted with its clock set back
    before the send time: the messages already sent stay sent, once."""
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = SmtpSink()
    try:
        cfg = write_config(tmp_path / "env", smtp_port=sink.port, catalog=catalog(N, eday, "5-10wd"),
                           dispatch_interval=1)
        db = f"sqlite:///{tmp_path / 'env' / 'state' / 'reminderd.db'}"
        d = DaemonProcess(cfg, tmp_path, name="first", args=("--at", at(RUN_DAY, "09:00"))).wait_ready()
        wait_until(lambda: sent_by_kind(db)["window_open"] == N, 30, "the window-opening reminders")
        for _ in range(2):
            d.signal(signal.SIGHUP)
            d.wait_log("event=reload.done", 10)
        wait_until(lambda: d.log.count("event=plan.done") >= 3, 30, "the replans")
        assert d.stop() == 0
        d = DaemonProcess(cfg, tmp_path, name="earlier", args=("--at", at(RUN_DAY, "07:30"))).wait_ready()
        wait_until(lambda: "event=plan.done" in d.log, 30, "a planning pass")
        wait_until(lambda: d.get("/healthz").json().get("last_dispatch") is not None, 30, "a dispatch")
        assert d.stop() == 0
        ids = [norm(m) for m in sink.message_ids()]
        assert len(ids) == len(set(ids)) and len([r for r in outbox_rows(db) if r["kind"] != "digest"]) == N
        assert sent_by_kind(db)["window_open"] == N
    finally:
        sink.stop()
