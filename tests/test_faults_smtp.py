"""SMTP faults from a scripted server (aiosmtpd over a real socket, STARTTLS + AUTH): what
the outbox does with each (issue 7; docs/RELIABILITY.md, "SMTP faults").

- 421 / 451: retried, each gap longer than the one before (2 min · 2ⁿ⁻¹, capped at 6 h) and
  jittered (a random factor in [½, 1]); dead after MAX_ATTEMPTS;
- 550 (recipient or data refused): dead after exactly one attempt, never tried again;
- connection refused: every row kept (failed, with a retry time), sent once the server is back;
- a server that stops answering: every send ends within ``[smtp] timeout`` *overall* (not per
  step: a server answering each command just in time cannot hold a send for longer);
- an answer after the timeout: the row is retried, the second copy has the same Message-ID;
- a poison message (always 451, always 550, the server drops the connection on it, or the
  server goes silent on it, or it cannot be composed) never holds up the other messages of its batch or later batches.

Dispatch runs in this process (``outbox.dispatch``) against a SQLite file; the clock is
moved by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

from reminderd import acks, outbox
from reminderd.context import Context
from reminderd.outbox import sending
from reminderd.runtime import load_runtime
from reminderd.store import open_store
from reminderd.web.health import health_report, smtp_facts

from .mail_support import SmtpSink, config_text, sink_env

T0 = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)  # a Tuesday, 09:00 in Hà Nội
POISON = "poison@example.gov.vn"


class Clock:
    def __init__(self, t: dt.datetime):
        self.t = t

    def __call__(self) -> dt.datetime:
        return self.t


@pytest.fixture
def sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    yield from sink_env(tmp_path, monkeypatch)


@pytest.fixture(autouse=True)
def seeded_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sending, "_rng", random.Random(7))


def make_ctx(make_env: Callable[..., Path], sink: SmtpSink, *, timeout: int = 10) -> tuple[Context, Clock]:
    cfg = make_env(config=config_text(sink, timeout=timeout))
    rt = load_runtime(cfg)
    clock = Clock(T0)
    return Context(rt, open_store(rt.config.database_url), now=clock), clock


def add_rows(ctx: Context, recipients: list[str], tag: str) -> None:
    """One ``test`` message per recipient, due now (in list order)."""
    sender = ctx.config.get("smtp", "sender")
    now = ctx.now()
    with ctx.store.engine.begin() as conn:
        for i, to in enumerate(recipients):
            row = outbox.Row(f"test|{tag}|{i}|{to}", "test", to, "owner", "so-ngoai-vu",
                             now - dt.timedelta(minutes=1, seconds=-i), {"kind": "test"})
            acks.insert_new(conn, outbox.OB, row.values(sender, now))


def rows_by_recipient(ctx: Context) -> dict[str, dict[str, Any]]:
    return {r["recipient"]: r for r in outbox.list_rows(ctx.store, limit=1000)}


def dispatch(ctx: Context, **kw: Any) -> tuple[dict[str, Any], float]:
    t = time.monotonic()
    result = asyncio.run(outbox.dispatch(ctx, **kw))
    return result, time.monotonic() - t


def delivered(sink: SmtpSink) -> Counter[str]:
    return Counter(to for _, tos, _ in sink.handler.received for to in tos)


def others(n: int, tag: str) -> list[str]:
    return [f"{tag}{i}@example.gov.vn" for i in range(n)]


def test_421_and_451_are_retried_with_growing_jittered_gaps_then_dead(make_env, sink) -> None:
    ctx, clock = make_ctx(make_env, sink)
    busy_rcpt, busy_data = "greylist@example.gov.vn", "overloaded@example.gov.vn"
    sink.handler.rcpt_replies[busy_rcpt] = "451 4.7.1 greylisted, try again later"
    sink.handler.data_faults[busy_data] = "421 4.3.2 too busy, closing"
    add_rows(ctx, [busy_rcpt, busy_data, "ok@example.gov.vn"], "retry")
    gaps: dict[str, list[dt.timedelta]] = {busy_rcpt: [], busy_data: []}
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        result, _ = dispatch(ctx)
        assert result["claimed"] == 2 + (attempt == 1)
        rows = rows_by_recipient(ctx)
        for to in gaps:
            r = rows[to]
            assert r["attempts"] == attempt
            if attempt < outbox.MAX_ATTEMPTS:
                assert r["state"] == "failed" and ("451 4." if to == busy_rcpt else "421 4.") in r["last_error"]
                gaps[to].append(r["next_attempt_at"] - clock.t)
            else:
                assert r["state"] == "dead"
                assert r["last_error"].startswith(f"bỏ sau {attempt} lần thử / gave up after {attempt} attempts: ")
        if attempt < outbox.MAX_ATTEMPTS:
            # Not a second before its time...
            clock.t = min(r["next_attempt_at"] for to, r in rows.items() if to in gaps) - dt.timedelta(seconds=1)
            assert dispatch(ctx)[0]["claimed"] == 0
            clock.t = max(r["next_attempt_at"] for to, r in rows.items() if to in gaps)
    assert rows_by_recipient(ctx)["ok@example.gov.vn"]["state"] == "sent"
    # Dead means never again: a day later nothing is claimed, the server saw 12 tries each.
    clock.t += dt.timedelta(days=1)
    assert dispatch(ctx)[0]["claimed"] == 0
    assert len(sink.handler.tries(busy_rcpt)) == len(sink.handler.tries(busy_data)) == outbox.MAX_ATTEMPTS
    for to, g in gaps.items():
        bases = [min(outbox.BACKOFF_CAP, outbox.BACKOFF_BASE * 2 ** (n - 1)) for n in range(1, len(g) + 1)]
        factors = [gap / base for gap, base in zip(g, bases, strict=True)]
        assert all(0.5 <= f <= 1.0 for f in factors), (to, factors)
        # Jittered: not one fixed factor.
        assert len({round(f, 6) for f in factors}) == len(factors), (to, factors)
        # Growing: every gap before the cap is at least the one before it, and they double on
        # average (the cap is 6 h: from attempt 9 on, gaps stay between 3 h and 6 h).
        capped = next(i for i, b in enumerate(bases) if b == outbox.BACKOFF_CAP)
        assert all(a <= b for a, b in itertools.pairwise(g[:capped + 1])), (to, g)
        assert g[capped - 1] >= 2 ** (capped - 3) * g[0]
        assert all(outbox.BACKOFF_CAP / 2 <= x <= outbox.BACKOFF_CAP for x in g[capped:])
    # Two rows failing together are spread apart (the point of the jitter).
    assert all(a != b for a, b in zip(gaps[busy_rcpt], gaps[busy_data], strict=True))
    print("\n451 gaps (min):", [round(x.total_seconds() / 60, 1) for x in gaps[busy_rcpt]],
          "\n421 gaps (min):", [round(x.total_seconds() / 60, 1) for x in gaps[busy_data]])


def test_550_is_dead_after_exactly_one_attempt(make_env, sink) -> None:
    ctx, clock = make_ctx(make_env, sink)
    unknown, rejected = "unknown@example.gov.vn", "rejected@example.gov.vn"
    sink.handler.rcpt_replies[unknown] = "550 5.1.1 no such mailbox"
    sink.handler.data_faults[rejected] = "554 5.7.1 message refused"
    good = others(5, "ok")
    add_rows(ctx, [unknown, rejected, *good], "perm")
    result, _ = dispatch(ctx)
    assert result["dead"] == 2 and result["sent"] == 5 and result["failed"] == 0
    rows = rows_by_recipient(ctx)
    assert rows[unknown]["state"] == rows[rejected]["state"] == "dead"
    assert rows[unknown]["attempts"] == rows[rejected]["attempts"] == 1
    assert "550" in rows[unknown]["last_error"] and rows[rejected]["last_error"].startswith("554")
    for days in (1, 7, 30):
        clock.t = T0 + dt.timedelta(days=days)
        assert dispatch(ctx)[0]["claimed"] == 0
    assert len(sink.handler.tries(unknown)) == len(sink.handler.tries(rejected)) == 1
    assert delivered(sink) == Counter(good)


def test_connection_refused_keeps_every_row_and_sends_it_later(make_env, sink, tmp_path) -> None:
    ctx, clock = make_ctx(make_env, sink)
    sink.stop()  # nothing listens on the port: connection refused
    want = others(30, "r")
    add_rows(ctx, want, "refused")
    result, took = dispatch(ctx)
    assert result == result | {"claimed": 30, "failed": 30, "sent": 0, "dead": 0}
    assert took < 5, "a refused connection must fail fast, not once per message"
    rows = rows_by_recipient(ctx)
    assert set(rows) == set(want)
    for r in rows.values():
        assert r["state"] == "failed" and r["attempts"] == 1 and r["last_error"]
        assert clock.t + outbox.BACKOFF_BASE / 2 <= r["next_attempt_at"] <= clock.t + outbox.BACKOFF_BASE
    assert dispatch(ctx)[0]["claimed"] == 0  # not before their time
    back = SmtpSink(tmp_path, port=sink.port)  # the server is back (same port, new CA file)
    try:
        clock.t += outbox.BACKOFF_BASE
        result, _ = dispatch(ctx)
        assert result["sent"] == 30
        assert delivered(back) == Counter(want)
        assert {r["state"] for r in rows_by_recipient(ctx).values()} == {"sent"}
    finally:
        back.stop()


TIMEOUT = 2  # [smtp] timeout in the next tests, seconds


def test_a_server_silent_mid_data_costs_one_timeout(make_env, sink) -> None:
    """DATA is sent, the server never answers: the send ends after ``timeout`` (the
    connection is closed, not RSET — a hung session would not answer that either), the
    row is retried later, the other messages go."""
    ctx, _ = make_ctx(make_env, sink, timeout=TIMEOUT)
    sink.handler.data_faults[POISON] = "hang"
    good = others(10, "ok")
    add_rows(ctx, [POISON, *good], "silent")
    result, took = dispatch(ctx)
    assert result["sent"] == 10 and result["failed"] == 1
    assert took < TIMEOUT + 1.5, took
    r = rows_by_recipient(ctx)[POISON]
    assert r["state"] == "failed" and "thời gian" in r["last_error"]
    assert delivered(sink) == Counter(good)


def test_a_server_slow_on_every_step_is_bounded_overall(make_env, sink) -> None:
    """Each answer comes 0.75 × timeout late: no single step times out, but a send (MAIL,
    RCPT, DATA) would take 2.25 × timeout. It is cut at ``timeout``."""
    ctx, _ = make_ctx(make_env, sink, timeout=TIMEOUT)
    sink.handler.delay = 0.75 * TIMEOUT
    add_rows(ctx, ["slow@example.gov.vn"], "slow")
    result, took = dispatch(ctx)
    assert result["failed"] == 1 and result["sent"] == 0
    assert took < 1.75 * TIMEOUT, f"one send took {took:.1f}s with [smtp] timeout = {TIMEOUT}"
    r = rows_by_recipient(ctx)["slow@example.gov.vn"]
    assert r["state"] == "failed" and "thời gian" in r["last_error"]


def test_an_answer_after_the_timeout_means_a_second_copy_with_the_same_message_id(make_env, sink) -> None:
    """The other duplicate SMTP allows: the server accepts a message after the client gave
    up on it. The row is retried (the client cannot know), and the copy that arrives a
    second time carries the same Message-ID, so the mailbox can tell."""
    ctx, clock = make_ctx(make_env, sink, timeout=1)
    sink.handler.data_faults["late@example.gov.vn"] = "late"
    sink.handler.hang_seconds = 3
    add_rows(ctx, ["late@example.gov.vn"], "late")
    result, took = dispatch(ctx)
    assert result["failed"] == 1 and took < 2.5  # it gave up after 1 s, did not wait for the 250
    assert len(sink.handler.accepted) == 1  # the server has it; its 250 came too late
    del sink.handler.data_faults["late@example.gov.vn"]
    clock.t = rows_by_recipient(ctx)["late@example.gov.vn"]["next_attempt_at"]
    assert dispatch(ctx)[0]["sent"] == 1
    first, second = sink.handler.accepted
    assert first.message_id == second.message_id == rows_by_recipient(ctx)["late@example.gov.vn"]["message_id"]


POISON_ERRORS = {"451-rcpt": "451 4.3.0", "550-data": "550 5.6.0", "drop": "SMTPServerDisconnected",
                 "hang": "thời gian", "unrenderable": "soạn thư lỗi / compose failed"}


@pytest.mark.parametrize("poison", list(POISON_ERRORS))
def test_a_poison_message_does_not_block_its_batch_or_later_ones(make_env, sink, poison) -> None:
    ctx, clock = make_ctx(make_env, sink, timeout=TIMEOUT)
    h = sink.handler
    if poison == "451-rcpt":
        h.rcpt_replies[POISON] = "451 4.3.0 temporary failure"
    elif poison == "550-data":
        h.data_faults[POISON] = "550 5.6.0 content rejected"
    elif poison in ("drop", "hang"):
        h.data_faults[POISON] = poison
    permanent = poison in ("550-data", "unrenderable")
    want: Counter[str] = Counter()
    for round_ in range(3):
        fresh = others(12, f"round{round_}-")
        # The poison is first in line in the first round; later rounds bring new rows.
        add_rows(ctx, [POISON, *fresh] if round_ == 0 else fresh, f"p{round_}")
        if poison == "unrenderable" and round_ == 0:  # a task reminder whose payload lacks everything
            with ctx.store.engine.begin() as conn:
                conn.execute(outbox.OB.update().where(outbox.OB.c.recipient == POISON)
                             .values(kind="due", payload='{"kind": "due"}'))
        want.update(fresh)
        result, took = dispatch(ctx, batch=5)  # several batches in one dispatch
        assert delivered(sink) == want, (poison, round_)
        assert took < TIMEOUT + 3, (poison, round_, took)
        r = rows_by_recipient(ctx)[POISON]
        assert POISON_ERRORS[poison] in r["last_error"], r["last_error"]
        if permanent:
            assert r["state"] == "dead" and r["attempts"] == 1
        else:  # retried each round, in its turn, failing alone
            assert r["state"] == "failed" and r["attempts"] == round_ + 1, r
        assert result["sent"] == 12
        clock.t = max(clock.t + dt.timedelta(minutes=1), r["next_attempt_at"] or clock.t)
    tries = len(h.tries(POISON))
    assert tries == {"550-data": 1, "unrenderable": 0}.get(poison, 3)


# ---- faults of the server or of our settings, not of a message ---------------------------------


def healthz(ctx: Context, dead: outbox.Dead | None = None) -> tuple[int, dict[str, Any]]:
    """/healthz's report for this in-process context, as if its scheduler were running."""
    ctx.health.update(scheduler="running", last_plan={"at": ctx.now().isoformat(), "ok": True})
    return health_report(ctx, True, None, smtp_facts(ctx), dead=dead)


class GreetingRefuser:
    """A server that answers every connection with ``554`` instead of a greeting (RFC 5321
    §3.1: "no SMTP service here") — a relay that blocks our address, or the wrong host."""

    REPLY = b"554 5.7.1 No SMTP service here for you\r\n"

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                conn.sendall(self.REPLY)
                conn.settimeout(2)
                try:  # answer QUIT, then close
                    if conn.recv(1024):
                        conn.sendall(b"221 2.0.0 bye\r\n")
                except OSError:
                    pass

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.mark.parametrize("fault", ["greeting-554", "mail-530"])
def test_a_session_refused_leaves_every_row_failed_and_healthz_degraded_with_the_reply(
        make_env, sink, fault) -> None:
    """A ``554`` greeting or ``530 Authentication required`` to MAIL is the server's (or our
    config's) fault, not a verdict on any message: every row stays ``failed`` with its retry
    time — never ``dead`` — the server is not hammered, /healthz says why; once the server is
    fixed, everything goes."""
    refuser = GreetingRefuser() if fault == "greeting-554" else None
    if refuser is not None:
        cfg = make_env(config=config_text(sink, timeout=5).replace(f"port = {sink.port}", f"port = {refuser.port}"))
        ctx = Context(load_runtime(cfg), open_store(load_runtime(cfg).config.database_url), now=Clock(T0))
        clock = ctx.now
    else:
        sink.handler.mail_reply = "530 5.7.0 Authentication required"
        ctx, clock = make_ctx(make_env, sink)
    try:
        want = others(19, "r")
        add_rows(ctx, want, "refused")
        result, took = dispatch(ctx)
        assert result["failed"] == 19 and result["dead"] == 0 and result["sent"] == 0, result
        assert took < 5
        for r in rows_by_recipient(ctx).values():
            assert r["state"] == "failed" and r["attempts"] == 1, r
            assert clock.t + outbox.BACKOFF_BASE / 2 <= r["next_attempt_at"] <= clock.t + outbox.BACKOFF_BASE
            assert ("554 5.7.1" if refuser else "530 5.7.0") in r["last_error"]
        # Not hammered: one try per connection (concurrency 2), not one per message.
        tried = refuser.connections if refuser else sink.handler.mails
        assert tried <= 2, tried
        code, body = healthz(ctx)
        assert code == 200 and body["status"] == "degraded", body
        reply = "554 5.7.1 No SMTP service here" if refuser else "530 5.7.0 Authentication required"
        assert any("refused the session" in w and reply in w for w in body["warnings"]), body["warnings"]
    finally:
        if refuser is not None:
            refuser.stop()
    # The server is fixed (the relay lets us in, the config gets its AUTH): the queue goes out.
    if refuser is not None:
        cfg = make_env(config=config_text(sink, timeout=5))
        ctx = Context(load_runtime(cfg), ctx.store, now=clock)
    sink.handler.mail_reply = None
    clock.t += outbox.BACKOFF_BASE
    assert dispatch(ctx)[0]["sent"] == 19
    assert delivered(sink) == Counter(want)
    assert "refused" not in smtp_facts(ctx)
    _, body = healthz(ctx)
    assert not any("refused" in w for w in body["warnings"]), body["warnings"]


def test_backoff_sent_at_and_date_are_each_rows_own_moment(make_env, sink) -> None:
    """One clock per message, not per pass: in a pass that takes (test) minutes, a row failing
    late is retried a full backoff after *its* failure, each row has its own ``sent_at``,
    and each message's Date: is when it left."""
    ctx, _ = make_ctx(make_env, sink)
    t_real = time.monotonic()

    def moving() -> dt.datetime:  # one real second = ten minutes
        return T0 + dt.timedelta(minutes=10 * (time.monotonic() - t_real))

    ctx.now = moving
    sink.handler.delay = 0.02
    late = others(3, "late")
    for to in late:
        sink.handler.rcpt_replies[to] = "451 4.7.1 try again later"
    add_rows(ctx, [*others(30, "ok"), *late], "clock")  # the failing ones come last
    result, _ = dispatch(ctx)
    assert result["sent"] == 30 and result["failed"] == 3
    rows = rows_by_recipient(ctx)
    for to in late:
        r = rows[to]
        failed_at = r["updated_at"]
        assert failed_at > T0 + dt.timedelta(minutes=5), "the pass must have taken test minutes"
        gap = r["next_attempt_at"] - failed_at
        assert outbox.BACKOFF_BASE / 2 <= gap <= outbox.BACKOFF_BASE, gap
    sent = [r for r in rows.values() if r["state"] == "sent"]
    assert len({r["sent_at"] for r in sent}) == len(sent), "every row its own sent_at"
    dates = [parsedate_to_datetime(str(m["Date"])) for m in sink.handler.messages()]
    assert len(set(dates)) > len(dates) // 2, "Date: set when each message leaves"
    by_mid = {r["message_id"]: r for r in sent}
    for m in sink.handler.messages():
        # Date: is stamped just before the message goes; sent_at right after the server's 250.
        assert parsedate_to_datetime(str(m["Date"])) <= by_mid[str(m["Message-ID"])]["sent_at"]
    at = [round((rows[t]["updated_at"] - T0).total_seconds() / 60, 1) for t in late]
    gaps = [round((rows[t]["next_attempt_at"] - rows[t]["updated_at"]).total_seconds()) for t in late]
    print(f"\nlate failures at +{at} min (test clock), retried {gaps} s after each")


def test_a_pass_against_a_silent_server_ends_at_its_deadline(make_env, sink) -> None:
    """Every message hangs after DATA: each costs one ``timeout``. The pass stops starting
    messages at ``[daemon] dispatch_deadline`` (here 3 s, ``timeout`` 1 s): it ends within
    deadline + timeout; the rows it did not try wait for the next pass, untouched."""
    ctx, _ = make_ctx(make_env, sink, timeout=1)
    everyone = others(40, "silent")
    for to in everyone:
        sink.handler.data_faults[to] = "hang"
    sink.handler.hang_seconds = 5
    add_rows(ctx, everyone, "silent")
    result, took = dispatch(ctx, deadline=3)
    assert took < 3 + 1 + 1.5, took
    assert result["stopped"] == "deadline" and result["claimed"] == 40
    assert result["failed"] + result["left"] == 40 and 0 < result["failed"] <= 12, result
    rows = rows_by_recipient(ctx)
    assert "sending" not in {r["state"] for r in rows.values()}
    tried = {to for to, r in rows.items() if r["attempts"]}
    untried = set(everyone) - tried
    assert len(tried) == result["failed"]
    for to in untried:  # back in line as if never claimed: no attempt counted, no retry time
        assert rows[to]["state"] == "pending" and rows[to]["next_attempt_at"] is None
    # The next pass takes the rows not tried yet (the tried ones wait for their retry time).
    _, took2 = dispatch(ctx, deadline=3)
    assert took2 < 3 + 1 + 1.5
    rows = rows_by_recipient(ctx)
    assert {to for to, r in rows.items() if r["attempts"]} - tried, "the second pass tried new rows"
    assert all(rows[to]["attempts"] == 1 for to in tried)
    print(f"\nsilent server, timeout 1 s, deadline 3 s: pass 1 took {took:.1f} s "
          f"(tried {result['failed']}, left {result['left']}), pass 2 {took2:.1f} s")


def test_a_stop_claims_nothing_more_and_records_every_answer(make_env, sink) -> None:
    """``should_stop`` (the daemon's SIGTERM): no new message is started, no new batch
    claimed; each message the server accepted is recorded ``sent``; the rest wait, with no
    attempt counted. At most one message per connection arrives after the stop."""
    ctx, _ = make_ctx(make_env, sink)
    sink.handler.delay = 0.03
    everyone = others(60, "s")
    add_rows(ctx, everyone, "stop")
    stop = threading.Event()

    async def run() -> tuple[dict[str, Any], int]:
        task = asyncio.create_task(outbox.dispatch(ctx, batch=10, should_stop=stop.is_set))
        while len(sink.handler.accepted) < 15:
            await asyncio.sleep(0.01)
        stop.set()
        at_stop = len(sink.handler.accepted)
        return await task, at_stop

    result, at_stop = asyncio.run(run())
    after = len(sink.handler.accepted) - at_stop
    assert after <= 2, f"{after} messages accepted after the stop (concurrency 2)"
    assert result["stopped"] == "stop" and result["claimed"] < 60
    rows = rows_by_recipient(ctx)
    accepted = {a.message_id for a in sink.handler.accepted}
    assert {r["message_id"] for r in rows.values() if r["state"] == "sent"} == accepted
    assert {r["state"] for r in rows.values()} <= {"sent", "pending"}
    assert all(r["attempts"] == 0 for r in rows.values() if r["state"] == "pending")
    # The next pass sends the rest, each once.
    assert dispatch(ctx)[0]["sent"] == 60 - len(accepted)
    assert delivered(sink) == Counter(everyone)


@pytest.mark.parametrize("on_the_wire", ["late", "hang"])
def test_a_dispatch_cancelled_mid_send_keeps_what_it_knows(make_env, sink, on_the_wire) -> None:
    """A stop past ``shutdown_timeout`` cancels the dispatch while a message is on the wire.
    The answers already received are still written (a cancelled dispatch used to drop them
    and release their rows: all sent again); only the message on the wire goes back to
    pending. ``late``: the server accepts it after all — the one duplicate SMTP allows,
    same Message-ID. ``hang``: it never does — no duplicate at all."""
    ctx, _ = make_ctx(make_env, sink, timeout=10)
    sink.handler.hang_seconds = 3
    stuck = "stuck@example.gov.vn"
    sink.handler.data_faults[stuck] = on_the_wire
    everyone = [*others(12, "c"), stuck, *others(12, "d")]
    add_rows(ctx, everyone, "cancel")
    stop = threading.Event()

    async def run() -> None:
        task = asyncio.create_task(outbox.dispatch(ctx, should_stop=stop.is_set))
        while not sink.handler.tries(stuck):
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.sleep(0.5)  # the other connection finishes its message and stops
        task.cancel()  # the drain's timeout: the stuck message is still on the wire
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(run())
    rows = rows_by_recipient(ctx)
    accepted = {a.message_id for a in sink.handler.accepted if a.message_id != rows[stuck]["message_id"]}
    assert {r["message_id"] for r in rows.values() if r["state"] == "sent"} == accepted, \
        "every answer received before the cancel is recorded"
    assert rows[stuck]["state"] == "pending" and rows[stuck]["attempts"] == 0
    assert "sending" not in {r["state"] for r in rows.values()}
    time.sleep(3)  # let the server answer the stuck one (or give up on it)
    del sink.handler.data_faults[stuck]
    dispatch(ctx)
    copies = Counter(a.message_id for a in sink.handler.accepted)
    assert set(copies) == {r["message_id"] for r in rows_by_recipient(ctx).values()}
    twice = [m for m, n in copies.items() if n > 1]
    assert twice == ([rows[stuck]["message_id"]] if on_the_wire == "late" else []), twice


def test_dead_rows_show_on_healthz_until_someone_acts(make_env, sink) -> None:
    ctx, clock = make_ctx(make_env, sink)
    sink.handler.rcpt_replies["gone@example.gov.vn"] = "550 5.1.1 no such mailbox"
    add_rows(ctx, ["gone@example.gov.vn", "ok@example.gov.vn"], "dead")
    dispatch(ctx)
    dead = outbox.dead_rows(ctx.store)
    assert dead.count == 1 and "550 5.1.1" in (dead.latest_error or "")
    _, body = healthz(ctx, dead)
    assert body["status"] == "degraded" and body["dead"]["count"] == 1
    assert any("1 reminders will not be sent (dead)" in w and "550 5.1.1" in w for w in body["warnings"])
    # Days later, still there: nobody acted.
    clock.t += dt.timedelta(days=3)
    assert outbox.dead_rows(ctx.store).count == 1
    # Someone acts (retry here; cancel and purge do the same): the warning goes.
    rid = rows_by_recipient(ctx)["gone@example.gov.vn"]["id"]
    assert outbox.retry(ctx.store, clock.t, ids=[rid], actor="test", via="cli") == 1
    assert outbox.dead_rows(ctx.store).count == 0
    _, body = healthz(ctx, outbox.dead_rows(ctx.store))
    assert not any("dead" in w for w in body["warnings"])
