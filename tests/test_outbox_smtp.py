"""The outbox end to end: planning → dispatch → a real aiosmtpd over STARTTLS with AUTH.

Real SQLite (and PostgreSQL when REMINDERD_TEST_PG_URL is set): each reminder arrives
once with the expected headers and decoded Vietnamese; 421 then 250 is retried; 550 is
dead and listed; two dispatchers never send a row twice; an ack stops the overdue notice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reminderd import acks, outbox
from reminderd.context import Context
from reminderd.outbox import sending
from reminderd.runtime import load_runtime
from reminderd.store import open_store

from .mail_support import SmtpSink, config_text, sink_env

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, hh, 0, tzinfo=TZ).astimezone(dt.UTC)


@pytest.fixture
def sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    yield from sink_env(tmp_path, monkeypatch)


class Clock:
    def __init__(self, t: dt.datetime):
        self.t = t

    def __call__(self) -> dt.datetime:
        return self.t


def make_ctx(make_env: Callable[..., Path], sink: SmtpSink, when: dt.datetime,
             db_url: str | None = None, **kw: str) -> tuple[Context, Clock]:
    text = config_text(sink, **kw)
    if db_url:
        text = text.replace('url = "sqlite:///state/reminderd.db"', f'url = "{db_url}"')
    cfg = make_env(config=text)
    rt = load_runtime(cfg)
    clock = Clock(when)
    return Context(rt, open_store(rt.config.database_url), now=clock), clock


def cycle(ctx: Context) -> tuple[dict, dict]:
    return asyncio.run(outbox.planning_pass(ctx)), asyncio.run(outbox.dispatch(ctx))


def test_reminders_arrive_once_with_headers_and_vietnamese(make_env, sink, db_url):
    # 2025-02-13 (Thu): the JP national-day letter's window opens (5-7wd before 23/02).
    ctx, clock = make_ctx(make_env, sink, at(2025, 2, 13), db_url)
    planned, sent = cycle(ctx)
    assert planned["by_kind"] == {"window_open": 1, "digest": 2}
    assert sent["sent"] == 3 and sent["failed"] == sent["dead"] == 0
    msgs = {(m["To"], m["X-Reminderd-Kind"]): m for m in sink.handler.messages()}
    m = msgs[("songoaivu@example.gov.vn", "window_open")]
    assert m["Subject"] == ("[Nhắc việc] Bắt đầu thực hiện: Chủ tịch UBND tỉnh gửi thư chúc mừng "
                            "Đại sứ quán Nhật Bản (hạn Thứ Hai 17/02/2025)")
    raw_subject = next(raw for _, _, raw in sink.handler.received if b"window_open" in raw)
    assert b"=?utf-8?" in raw_subject.split(b"\r\n\r\n")[0].lower()  # RFC 2047 on the wire
    assert m["From"] == "Nhắc việc đối ngoại <reminderd@example.gov.vn>"
    assert m["Message-ID"].startswith("<") and m["Message-ID"].endswith("@example.gov.vn>")
    assert m["Auto-Submitted"] == "auto-generated"
    text = m.get_body(("plain",)).get_content()
    assert "Kính gửi: Sở Ngoại vụ" in text
    assert "từ Thứ Năm 13/02/2025 đến Thứ Hai 17/02/2025 (hạn)" in text
    assert "/ack/" in text
    html = m.get_body(("html",)).get_content()
    assert "Đánh dấu đã hoàn thành" in html
    ics = [p for p in m.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(ics) == 1 and b"BEGIN:VEVENT" in ics[0].get_content().encode() if isinstance(
        ics[0].get_content(), str) else b"BEGIN:VEVENT" in ics[0].get_content()
    digest = msgs[("vpubnd@example.gov.vn", "digest")]
    assert "Tổng hợp tuần" in digest["Subject"]
    assert "Bí thư Tỉnh ủy gửi thư chúc mừng lần thứ 70" in digest.get_body(("plain",)).get_content()

    # Running again, later the same day and the next day, sends nothing twice.
    clock.t = at(2025, 2, 13, 15)
    planned, sent = cycle(ctx)
    assert planned["created"] == 0 and sent["claimed"] == 0
    clock.t = at(2025, 2, 14)
    planned, sent = cycle(ctx)
    assert planned["created"] == 0 and sent["sent"] == 0
    ids = Counter(m["Message-ID"] for m in sink.handler.messages())
    assert len(ids) == 3 and set(ids.values()) == {1}
    assert sink.handler.auth_ok >= 1


def test_421_then_250_is_retried_with_backoff(make_env, sink):
    ctx, clock = make_ctx(make_env, sink, at(2025, 2, 17))  # due date of the JP letter (Monday)
    sink.handler.replies = ["421 4.3.0 thử lại sau"]
    planned = asyncio.run(outbox.planning_pass(ctx))
    first = asyncio.run(outbox.dispatch(ctx, limit=1))
    assert first["failed"] == 1 and first["sent"] == 0
    row = next(r for r in outbox.list_rows(ctx.store) if r["state"] == "failed")
    assert row["attempts"] == 1 and "421" in row["last_error"]
    assert clock.t + dt.timedelta(minutes=1) <= row["next_attempt_at"] <= clock.t + dt.timedelta(minutes=2)
    # Not before its next attempt time...
    rest = asyncio.run(outbox.dispatch(ctx))
    assert rest["sent"] == planned["created"] - 1
    assert all(r["state"] == "failed" for r in outbox.list_rows(ctx.store) if r["id"] == row["id"])
    # ...and then it goes, once.
    clock.t += dt.timedelta(minutes=3)
    again = asyncio.run(outbox.dispatch(ctx))
    assert again["sent"] == 1
    got = [m for m in sink.handler.messages() if m["Message-ID"] == row["message_id"]]
    assert len(got) == 1


def test_550_is_dead_and_listed(make_env, sink, capsys):
    ctx, _ = make_ctx(make_env, sink, at(2025, 2, 17))
    sink.handler.replies = ["550 5.1.1 hộp thư không tồn tại"]
    asyncio.run(outbox.planning_pass(ctx))
    result = asyncio.run(outbox.dispatch(ctx, limit=1))
    assert result["dead"] == 1
    dead = outbox.list_rows(ctx.store, states=["dead"])
    assert len(dead) == 1 and dead[0]["last_error"].startswith("550")
    from reminderd.cli import main
    assert main(["--config", str(ctx.config.path), "outbox", "list", "--state", "dead"]) == 0
    out = capsys.readouterr().out
    assert "dead" in out and "550" in out
    # An operator can put it back.
    assert main(["--config", str(ctx.config.path), "outbox", "retry", "--dead"]) == 0
    assert outbox.list_rows(ctx.store, states=["dead"]) == []


def test_wrong_password_is_temporary_not_dead(make_env, sink, monkeypatch):
    ctx, _ = make_ctx(make_env, sink, at(2025, 2, 17))
    monkeypatch.setenv("REMINDERD_TEST_SMTP_PASSWORD", "sai")
    asyncio.run(outbox.planning_pass(ctx))
    result = asyncio.run(outbox.dispatch(ctx))
    assert result["sent"] == 0 and result["dead"] == 0 and result["failed"] >= 1
    assert not sink.handler.received
    errors = {r["last_error"] for r in outbox.list_rows(ctx.store)}
    assert all("sai" not in (e or "") for e in errors)  # the password never shows


def test_ack_stops_the_overdue_notice(make_env, sink):
    ctx, clock = make_ctx(make_env, sink, at(2025, 2, 17))
    cycle(ctx)  # the due-date reminder goes out
    assert any(m["X-Reminderd-Kind"] == "due" for m in sink.handler.messages())
    assert acks.mark_done(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025, "Nguyễn Văn A", "cli", "",
                          clock.t)
    clock.t = at(2025, 2, 18)
    planned, sent = cycle(ctx)
    assert planned["by_kind"].get("overdue", 0) == 0 and sent["sent"] == 0
    assert not any(m["X-Reminderd-Kind"] == "overdue" for m in sink.handler.messages())


def test_overdue_goes_to_owner_and_escalation(make_env, sink):
    ctx, clock = make_ctx(make_env, sink, at(2025, 2, 17))
    cycle(ctx)
    clock.t = at(2025, 2, 18)
    cycle(ctx)
    overdue = [m for m in sink.handler.messages() if m["X-Reminderd-Kind"] == "overdue"]
    assert {m["To"] for m in overdue} == {"songoaivu@example.gov.vn", "vpubnd@example.gov.vn"}
    esc = next(m for m in overdue if m["To"] == "vpubnd@example.gov.vn")
    assert "được báo cáo lên Quý đơn vị" in esc.get_body(("plain",)).get_content()


def _ics_uid(m) -> str:
    import icalendar
    (part,) = [p for p in m.iter_attachments() if p.get_content_type() == "text/calendar"]
    body = part.get_content()
    cal = icalendar.Calendar.from_ical(body if isinstance(body, str) else body.decode())
    (ev,) = cal.walk("VEVENT")
    return str(ev["UID"])


def test_attachment_has_the_uid_of_the_recipient_department_feed(make_env, sink):
    """Staff subscribe to their department's feed: importing the attachment must update that
    event, not add a second one (the ``all`` feed's UID would)."""
    from reminderd.feeds import FeedName, feed_items, uid_domain
    ctx, clock = make_ctx(make_env, sink, at(2025, 2, 17))
    cycle(ctx)  # due: owner and support
    clock.t = at(2025, 2, 18)
    cycle(ctx)  # overdue: owner and escalation
    plan = ctx.runtime.plan(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    lao = next(t for t in plan.tasks if t.event.id == "dang-nd-cm-lao")
    clock.t = at(lao.due.year, lao.due.month, lao.due.day)
    cycle(ctx)  # due: owner and support
    rows = {r["message_id"]: r for r in outbox.list_rows(ctx.store, states=["sent"])}
    seen = set()
    for m in sink.handler.messages():
        r = rows[m["Message-ID"]]
        if r["kind"] not in outbox.TASK_KINDS:
            continue
        feed = FeedName("department", r["department"])
        uid = _ics_uid(m)
        # The task's due-day entry in that feed (docs/FEEDS.md).
        domain = uid_domain(ctx.runtime)
        assert uid == f"{r['event_id']}.{r['task_id']}.{r['occurrence_date']:%Y%m%d}.due.{feed.scope}@{domain}"
        if r["role"] != "escalation":  # the task is in the feed the department subscribes to
            assert uid in {i.uid for i in feed_items(plan, ctx.runtime, feed)}
        seen.add((r["kind"], r["role"]))
    assert seen == {("due", "owner"), ("due", "support"), ("overdue", "owner"), ("overdue", "escalation")}


def test_ack_after_planning_cancels_the_pending_row(make_env, sink):
    ctx, clock = make_ctx(make_env, sink, at(2025, 2, 18, 7))  # planned before send_at 08:00
    asyncio.run(outbox.planning_pass(ctx))
    acks.mark_done(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025, "x", "web", "", clock.t)
    clock.t = at(2025, 2, 18, 9)
    sent = asyncio.run(outbox.dispatch(ctx))
    assert sent["cancelled"] >= 1
    assert not any(m["X-Reminderd-Kind"] == "overdue" for m in sink.handler.messages())


def test_two_dispatchers_never_send_a_row_twice(make_env, sink, db_url):
    ctx1, clock = make_ctx(make_env, sink, at(2025, 3, 3), db_url)
    ctx2 = Context(ctx1.runtime, open_store(ctx1.config.database_url, migrate=False), now=clock)
    sender = ctx1.config.get("smtp", "sender")
    rows = [outbox.Row(f"test|{i}", "test", f"r{i}@example.gov.vn", "owner", "so-ngoai-vu",
                       clock.t - dt.timedelta(minutes=1), {"kind": "test"}) for i in range(80)]
    with ctx1.store.engine.begin() as conn:
        for r in rows:
            acks.insert_new(conn, outbox.OB, r.values(sender, clock.t))

    async def both() -> list[dict]:
        return list(await asyncio.gather(outbox.dispatch(ctx1, batch=7), outbox.dispatch(ctx2, batch=7)))

    a, b = asyncio.run(both())
    assert a["sent"] + b["sent"] == 80
    tos = Counter(to for _, tos, _ in sink.handler.received for to in tos)
    assert len(tos) == 80 and set(tos.values()) == {1}
    assert all(r["state"] == "sent" for r in outbox.list_rows(ctx1.store, limit=200))


def test_stale_claim_is_released(make_env, sink):
    ctx, clock = make_ctx(make_env, sink, at(2025, 2, 17))
    asyncio.run(outbox.planning_pass(ctx))
    taken = outbox.claim(ctx.store, "dead-process", clock.t, 100)
    assert taken
    assert asyncio.run(outbox.dispatch(ctx))["claimed"] == 0  # held by the other process
    clock.t += outbox.CLAIM_TIMEOUT + dt.timedelta(seconds=1)
    # /healthz says so until a dispatch releases them.
    from reminderd.web.health import health_report
    assert outbox.stale_claims(ctx.store, clock.t) == len(taken)
    ctx.health["scheduler"] = "running"
    _, body = health_report(ctx, True, None, {}, outbox.stale_claims(ctx.store, clock.t))
    assert any("dispatcher that stopped" in w for w in body["warnings"])
    result = asyncio.run(outbox.dispatch(ctx))
    assert result["released"] == len(taken) and result["sent"] == len(taken)


def test_smtp_down_keeps_rows_for_later(make_env, sink, tmp_path):
    ctx, clock = make_ctx(make_env, sink, at(2025, 2, 17))
    sink.stop()
    asyncio.run(outbox.planning_pass(ctx))
    result = asyncio.run(outbox.dispatch(ctx))
    assert result["failed"] >= 1 and result["sent"] == 0
    assert all(r["state"] == "failed" and r["last_error"] for r in outbox.list_rows(ctx.store))
    # /healthz on either daemon of a pair reads the failure from the shared store.
    from reminderd.web.health import smtp_facts
    facts = smtp_facts(ctx)
    assert facts["last_error"] and facts["error"] and "last_ok" not in facts
    # The daemon's STATUS line: how many wait, and when the next retry is.
    from reminderd.scheduling import outbox_status
    waiting, nxt = outbox_status(ctx)
    assert waiting == result["failed"] and nxt is not None and nxt > ctx.now()
    back = SmtpSink(tmp_path, port=sink.port)  # the server comes back (new CA file, same path)
    try:
        clock.t += dt.timedelta(hours=1)
        assert asyncio.run(outbox.dispatch(ctx))["sent"] == result["failed"]
        assert len(back.handler.received) == result["failed"]
        facts = smtp_facts(ctx)
        assert facts["last_ok"] > facts["last_error"]
    finally:
        back.stop()


@pytest.mark.parametrize("tls", ["implicit"])
def test_implicit_tls(make_env, tmp_path, monkeypatch, tls):
    for s in sink_env(tmp_path, monkeypatch, tls=tls):
        ctx, _ = make_ctx(make_env, s, at(2025, 2, 17))
        asyncio.run(outbox.planning_pass(ctx))
        assert asyncio.run(outbox.dispatch(ctx))["sent"] >= 1


def test_live_claims_are_renewed_while_sending(make_env, sink, monkeypatch):
    """A slow batch is never taken over: its claims are renewed while it is being sent."""
    ctx, clock = make_ctx(make_env, sink, at(2025, 2, 17))
    asyncio.run(outbox.planning_pass(ctx))
    taken = outbox.claim(ctx.store, "me", clock.t, 100)
    assert taken
    monkeypatch.setattr(sending, "CLAIM_RENEW_SECONDS", 0.05)

    async def run_for_a_while() -> None:
        task = asyncio.create_task(outbox._renew_while_sending(ctx, "me"))
        clock.t += outbox.CLAIM_TIMEOUT * 3  # a very slow server
        await asyncio.sleep(0.3)
        task.cancel()

    asyncio.run(run_for_a_while())
    # Renewed to "now": nothing is stale, so another dispatcher releases nothing.
    assert outbox.release_stale(ctx.store, clock.t) == 0
