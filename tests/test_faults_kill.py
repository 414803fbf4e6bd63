"""kill -9 of a real ``reminderd run`` process during dispatch, ten times, then restarts
until everything is delivered (issue 7; docs/RELIABILITY.md, "Process kills during dispatch").

500 reminders are due at once. The daemon is killed with SIGKILL at points chosen by a
seeded random generator, of two sorts:

- ``after-250``: the SMTP server (aiosmtpd, a real socket) kills the daemon right after it
  has written "250" to DATA for the k-th message of that daemon's life: the message has
  left, the database does not know yet — the window SMTP cannot close;
- ``random-time``: the test kills it a random time after its first message went out.

After each kill the database is read (the process is dead: nothing moves) and the
messages the server accepted from that life but the outbox does not record as ``sent``
are the ones *in flight at the kill*. The assertions:

- no reminder is lost: every row ends ``sent`` and its Message-ID reached the server;
- the only duplicates are messages in flight at a kill, and every one of those does go
  again (at-least-once), with the same Message-ID as its first copy (messages are told
  apart by their subject, which is unique per reminder);
- per kill, the messages in flight are at most what the recorder may hold unwritten
  plus one per SMTP connection (``outbox._Recorder.EVERY + [smtp] concurrency``).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from reminderd import outbox

from .mail_support import SmtpSink
from .test_daemon import DaemonProcess, write_config
from .test_daemon_mail import RUN_DAY, at, catalog, event_date_opening_on, norm, outbox_rows, wait_until

SEED = 20261201
N = 500
KILLS = 10
CONCURRENCY = 2  # [smtp] concurrency in the daemon's config
# What may be in flight at a kill (docs/MAIL.md, "A dead process"): the outcomes the
# recorder holds unwritten (fewer than EVERY; a batch of EVERY being committed blocks the
# connection that filled it) plus the message each connection has on the wire.
IN_FLIGHT_BOUND = outbox._Recorder.EVERY - 1 + CONCURRENCY


@dataclass
class Kill:
    life: int
    how: str  # after-250 | random-time
    k: int | float  # the message number (after-250) or the delay in seconds (random-time)
    accepted: int  # messages the server accepted from this life
    rows_sent: int  # rows recorded sent when the process was dead
    in_flight: set[str]  # Message-IDs accepted in this life but not recorded sent


def _life_time(life: int) -> str:
    return f"09:{life:02d}"  # each life starts a minute after the one before


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_ten_kill_9_during_dispatch_lose_nothing_and_duplicate_only_in_flight(tmp_path: Path) -> None:
    env = tmp_path / "env"
    kill_and_restart(tmp_path, env, f"sqlite:///{env / 'state' / 'reminderd.db'}", KILLS, SEED)


@pytest.mark.slow
@pytest.mark.postgres
def test_kill_9_during_dispatch_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    """The same on PostgreSQL, where a restarted daemon releases only its own host's dead
    claims (the other daemon of a pair may be alive): fewer kills, the same guarantees."""
    kill_and_restart(tmp_path, tmp_path / "env", pg_url, 2, SEED + 1)


def kill_and_restart(tmp_path: Path, env: Path, db: str, kills_wanted: int, seed: int) -> None:
    rng = random.Random(seed)
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = SmtpSink(tmp_path, tls="none")
    handler = sink.handler
    handler.delay = 0.002  # a little server work per command, so dispatch spans the kills
    cfg = write_config(env, db_url=None if db.startswith("sqlite") else db, smtp_port=sink.port,
                       catalog=catalog(N, eday, "5-10wd"))
    plan = ["after-250"] * (kills_wanted // 2) + ["random-time"] * (kills_wanted - kills_wanted // 2)
    rng.shuffle(plan)
    kills: list[Kill] = []
    daemons: list[DaemonProcess] = []
    t0 = time.monotonic()
    try:
        for life, how in enumerate(plan, start=1):
            handler.life = life
            before = len(handler.accepted)
            d = DaemonProcess(cfg, tmp_path, name=f"life{life}", args=("--at", at(RUN_DAY, _life_time(life))))
            daemons.append(d)
            k: int | float
            if how == "after-250":
                k = rng.randint(1, 40)
                target = before + k
                pid = d.proc.pid

                def trigger(n: int, target: int = target, pid: int = pid) -> None:
                    if n == target:
                        _kill(pid)

                handler.after_accept = trigger
                try:
                    d.proc.wait(60)
                except Exception:
                    raise AssertionError(f"life {life}: no kill after message {k}\n{d.log}") from None
                handler.after_accept = None
            else:
                k = round(rng.uniform(0.0, 0.3), 3)
                d.wait_ready()
                wait_until(lambda before=before: len(handler.accepted) > before, 30,
                           f"life {life}: the first send")
                time.sleep(k)
            d.kill9()
            time.sleep(0.2)  # bytes already in the server's socket buffer are processed
            rows = outbox_rows(db)
            sent_ids = {norm(r["message_id"]) for r in rows if r["state"] == "sent"}
            mine = [norm(a.message_id) for a in handler.accepted[before:]]
            assert d.proc.returncode == -signal.SIGKILL
            assert len(rows) in (0, N + 1), "planning is one transaction: all rows or none"
            assert {r["state"] for r in rows} <= {"pending", "sending", "sent"}
            assert sent_ids != {norm(r["message_id"]) for r in rows}, \
                f"life {life}: dispatch finished before the kill; slow the server down"
            kills.append(Kill(life, how, k, len(mine), len(sent_ids), set(mine) - sent_ids))

        # The last life: runs until everything is delivered, stops cleanly.
        handler.life = len(plan) + 1
        d = DaemonProcess(cfg, tmp_path, name="last", args=("--at", at(RUN_DAY, _life_time(len(plan) + 1))))
        daemons.append(d)
        d.wait_ready()
        wait_until(lambda: {r["state"] for r in outbox_rows(db)} == {"sent"}, 60, "every row sent")
        assert d.stop() == 0, d.log
        elapsed = time.monotonic() - t0

        rows = outbox_rows(db)
        assert len([r for r in rows if r["kind"] != "digest"]) == N
        expected = {norm(r["message_id"]) for r in rows}
        copies: dict[str, list[int]] = defaultdict(list)  # Message-ID → lives of its copies
        by_subject: dict[str, set[str]] = defaultdict(set)
        for a in handler.accepted:
            copies[norm(a.message_id)].append(a.life)
            by_subject[a.subject].add(norm(a.message_id))
        # Nothing lost, nothing unknown.
        assert set(copies) == expected, f"lost: {len(expected - set(copies))}, unknown: {len(set(copies) - expected)}"
        # A repeated reminder always carries its first copy's Message-ID: one ID per subject
        # (subjects are unique per reminder), one subject per ID.
        assert len(by_subject) == len(expected) and all(len(ids) == 1 for ids in by_subject.values())
        # Every copy but the last was in flight at the kill of its life; every message in
        # flight at a kill went again later; the last copy is the one recorded.
        in_flight = {kl.life: kl.in_flight for kl in kills}
        for mid, lives in copies.items():
            assert lives == sorted(lives) and len(set(lives)) == len(lives), (mid, lives)
            for life in lives[:-1]:
                assert mid in in_flight[life], f"{mid} repeated but was recorded sent in life {life}"
            assert mid not in in_flight.get(lives[-1], set())
        for kl in kills:
            for mid in kl.in_flight:
                assert kl.life in copies[mid][:-1], (kl.life, mid, copies[mid])
            assert len(kl.in_flight) <= IN_FLIGHT_BOUND, (kl.life, len(kl.in_flight))
        dupes = len(handler.accepted) - len(expected)
        assert dupes == sum(len(kl.in_flight) for kl in kills)
        per_kill = [len(kl.in_flight) for kl in kills]
        report = "\n".join(
            f"  life {kl.life:2d} {kl.how:11s} k={kl.k!s:6s} accepted={kl.accepted:3d} "
            f"recorded={kl.rows_sent:3d} in_flight={len(kl.in_flight)}" for kl in kills)
        print(f"\nkill -9 x{len(kills)} during dispatch of {N} reminders (+1 digest), {db.split(':')[0]}, "
              f"seed {seed}:\n{report}\n"
              f"  delivered {len(handler.accepted)} messages for {len(expected)} rows: {dupes} duplicates "
              f"(per kill {per_kill}, max {max(per_kill)}, bound {IN_FLIGHT_BOUND}); "
              f"copies per message {dict(Counter(len(v) for v in copies.values()))}; {elapsed:.1f}s")
    finally:
        for d in daemons:
            if d.proc.poll() is None:
                d.proc.kill()
                d.proc.wait()
        sink.stop()
