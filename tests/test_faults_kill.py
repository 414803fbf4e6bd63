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
  plus one per SMTP connection (``outbox._Recorder.EVERY - 1 + [smtp] concurrency``).

A second test cuts a dispatch in this process right after its 5th message, five times in a
row (a crash loop): every round records progress and no message goes more than twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import random
import signal
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reminderd import outbox
from reminderd.context import Context
from reminderd.outbox import sending
from reminderd.runtime import load_runtime
from reminderd.store import open_store

from .mail_support import SmtpSink, config_text, sink_env
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


def kill_and_restart(tmp_path: Path, env: Path, db: str, kills_wanted: int, seed: int) -> None:
    rng = random.Random(seed)
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = SmtpSink(tmp_path, tls="none")
    handler = sink.handler
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
                k = rng.randint(CONCURRENCY + 1, 40)
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
            time.sleep(0.1)  # bytes already in the server's socket buffer are processed
            rows = outbox_rows(db)
            sent_ids = {norm(r["message_id"]) for r in rows if r["state"] == "sent"}
            mine = [norm(a.message_id) for a in handler.accepted[before:]]
            assert d.proc.returncode == -signal.SIGKILL
            assert len(rows) in (0, N + 1), "planning is one transaction: all rows or none"
            assert {r["state"] for r in rows} <= {"pending", "sending", "sent"}
            assert sent_ids != {norm(r["message_id"]) for r in rows}, \
                f"life {life}: dispatch finished before the kill; slow the server down"
            if how == "after-250":
                # Progress even when every life dies early: the first outcome of a batch is
                # written before a third message can go (both connections wait for it).
                assert len(sent_ids) > (kills[-1].rows_sent if kills else 0), f"life {life}: no progress"
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


@pytest.fixture
def tls_sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    yield from sink_env(tmp_path, monkeypatch)


def test_a_crash_loop_early_in_the_batch_still_makes_progress(make_env: Callable[..., Path],
                                                              tls_sink: SmtpSink,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A daemon that dies again and again a few messages into its batch (killed by the OOM
    killer, a watchdog, a bad deploy) must not send the same first messages after every
    restart without ever recording them: the first outcomes of a batch are written at once
    (after 1, 2, 4, 8, then every 10). Here the dispatch is cut (its task cancelled: nothing
    more is written, as after kill -9) right after the server accepted its 5th message."""
    cfg = make_env(config=config_text(tls_sink, extra_smtp="concurrency = 1"))
    # A cancelled dispatch writes what it knows and puts its other rows back (a graceful stop);
    # a killed process cannot: that clean-up is switched off here to play kill -9.
    async def killed(self: object) -> None:
        return None

    monkeypatch.setattr(sending._Recorder, "close", killed)
    rt = load_runtime(cfg)
    now = [dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)]
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: now[0])
    sender = ctx.config.get("smtp", "sender")
    with ctx.store.engine.begin() as conn:
        for i in range(30):
            row = outbox.Row(f"test|loop|{i:02d}", "test", f"r{i:02d}@example.gov.vn", "owner", "so-ngoai-vu",
                             now[0] - dt.timedelta(minutes=1), {"kind": "test"})
            conn.execute(outbox.OB.insert().values(**row.values(sender, now[0])))
    handler = tls_sink.handler

    async def cut_after(k: int) -> None:
        loop = asyncio.get_running_loop()
        task = asyncio.create_task(outbox.dispatch(ctx))
        target = len(handler.accepted) + k

        def cut(n: int) -> None:
            if n == target:
                loop.call_soon_threadsafe(task.cancel)

        handler.after_accept = cut
        with contextlib.suppress(asyncio.CancelledError):
            await task
        handler.after_accept = None

    recorded = [0]
    for _ in range(5):
        before = len(handler.accepted)
        asyncio.run(cut_after(5))
        time.sleep(0.1)
        # Cut means cut: at most the message on the wire got through after the 5th.
        assert len(handler.accepted) - before <= 5 + 1, len(handler.accepted) - before
        sent = len(outbox.list_rows(ctx.store, states=["sent"], limit=100))
        assert sent > recorded[-1], f"no progress: {recorded} then {sent}"
        recorded.append(sent)
        now[0] += outbox.CLAIM_TIMEOUT + dt.timedelta(seconds=1)  # "restart": the claims are released
    assert asyncio.run(outbox.dispatch(ctx))["released"] > 0
    rows = outbox.list_rows(ctx.store, limit=100)
    assert {r["state"] for r in rows} == {"sent"}
    copies = Counter(a.message_id for a in handler.accepted)
    assert set(copies) == {r["message_id"] for r in rows}
    assert max(copies.values()) <= 2, copies.most_common(3)
    print(f"\ncrash loop (cut after 5 messages, 5 times): recorded after each {recorded[1:]}, "
          f"{sum(copies.values()) - len(copies)} duplicates for {len(copies)} messages")
