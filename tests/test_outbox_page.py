"""The outbox page over a real socket: editors only, the lists, a message as its recipient saw
it, retry and cancel (CSRF, audited). The browser test is tests/test_outbox_browser.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest

from reminderd import audit, outbox, tokens
from reminderd.outbox import OB

from .webutil import NOW, Live, make_context, serve


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    ctx = make_context(sqlite_url)  # the example config: no [smtp] host, so mail goes to a Maildir
    outbox.planning_pass_sync(ctx)
    asyncio.run(outbox.dispatch(ctx))
    srv = serve(ctx)
    yield srv
    srv.stop()


def client(live: Live) -> httpx.Client:
    return httpx.Client(base_url=live.url, follow_redirects=False, timeout=60)


def editor(live: Live, c: httpx.Client) -> None:
    _, secret = tokens.create(live.ctx.store, "admin", "all", "Biên tập Sở Ngoại vụ", NOW)
    assert c.get(f"/a/{secret}").status_code == 303


def csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m
    return m[1]


def rows(live: Live) -> list[dict]:
    return outbox.list_rows(live.ctx.store, limit=500, order="id")


def make_trouble(live: Live) -> tuple[int, int, int]:
    """One dead row, one failing row, one waiting row (ids), from rows the fixture sent."""
    dead, failed, waiting = (r["id"] for r in rows(live)[:3])
    with live.ctx.store.engine.begin() as conn:
        conn.execute(OB.update().where(OB.c.id == dead).values(
            state="dead", attempts=1, last_error="550 5.1.1 <x@example.gov.vn>: hộp thư không tồn tại", sent_at=None))
        conn.execute(OB.update().where(OB.c.id == failed).values(
            state="failed", attempts=3, next_attempt_at=NOW + dt.timedelta(minutes=7), sent_at=None,
            last_error="451 4.7.1 greylisted"))
        conn.execute(OB.update().where(OB.c.id == waiting).values(
            state="pending", sent_at=None, send_after=NOW + dt.timedelta(days=1)))
    return dead, failed, waiting


def section(html: str, name: str) -> str:
    m = re.search(rf'<section id="ob-{name}".*?</section>', html, re.S)
    assert m, name
    return m[0]


def test_only_editors_see_the_outbox(live: Live) -> None:
    with client(live) as c:
        assert c.get("/outbox").status_code == 401
        assert c.get("/outbox/1").status_code == 401
        assert c.get("/outbox/1/message.eml").status_code == 401
        _, secret = tokens.create(live.ctx.store, "access", "department/so-ngoai-vu", "Phòng Lễ tân", NOW)
        c.get(f"/a/{secret}")
        assert c.get("/outbox").status_code == 403
        assert 'href="/outbox"' not in c.get("/").text  # no menu entry for them either
        assert c.get("/outbox/1/message.html").status_code == 403


def test_the_page_lists_dead_failing_waiting_and_sent_with_their_facts(live: Live) -> None:
    dead, failed, waiting = make_trouble(live)
    with client(live) as c:
        editor(live, c)
        r = c.get("/outbox")
        assert r.status_code == 200 and "default-src 'self'" in r.headers["content-security-policy"]
        html = unescape(r.text)
    assert 'href="/outbox" aria-current="page"' in html  # the menu entry
    assert f'id="row-{dead}"' in section(html, "dead") and "550 5.1.1" in section(html, "dead")
    fail = section(html, "failed")
    assert f'id="row-{failed}"' in fail and "451 4.7.1 greylisted" in fail
    assert "Thử lại lúc" in fail and "09:07 10/02/2025" in fail  # next try, local time
    assert "Số lần đã thử" in fail and ">3<" in fail
    assert f'id="row-{waiting}"' in section(html, "waiting") and "09:00 11/02/2025" in section(html, "waiting")
    sent = section(html, "sent")
    n_sent = sum(1 for r in rows(live) if r["state"] == "sent")
    assert sent.count('class="card obrow"') == min(n_sent, 50)
    assert "Đã gửi lúc" in sent and "Tổng hợp tuần" in sent
    # The mail is not really sent with the example config: the page says so.
    assert "KHÔNG gửi đi" in html
    # Buttons where they make sense: retry for dead and failed, cancel for anything not sent.
    assert f'action="/outbox/{dead}/retry"' in html and f'action="/outbox/{failed}/cancel"' in html
    assert f'action="/outbox/{waiting}/retry"' not in html and f'action="/outbox/{waiting}/cancel"' in html
    with client(live) as c:
        editor(live, c)
        en = unescape(c.get("/outbox?lang=en").text)
    assert "Failing, will be retried" in en and "Next try" in en and "NOT sent" in en


def test_a_message_as_its_recipient_saw_it(live: Live) -> None:
    row = next(r for r in rows(live) if r["state"] == "sent")
    with client(live) as c:
        editor(live, c)
        html = unescape(c.get(f"/outbox/{row['id']}").text)
        body = c.get(f"/outbox/{row['id']}/message.html")
        eml = c.get(f"/outbox/{row['id']}/message.eml")
        assert c.get("/outbox/999999").status_code == 404
    msg = email.message_from_bytes(eml.content, policy=email.policy.default)
    assert eml.headers["content-type"] == "message/rfc822"
    assert str(msg["Message-ID"]) == row["message_id"] and str(msg["To"]) == row["recipient"]
    assert str(msg["Subject"]) in html and row["message_id"] in html
    # Dated when it was sent, as the recipient got it.
    assert email.utils.parsedate_to_datetime(str(msg["Date"])) == row["sent_at"].replace(microsecond=0)
    # The page writes that date as it writes every time: local, hh:mm dd/mm/yyyy.
    local = row["sent_at"].astimezone(live.ctx.config.tz).strftime("%H:%M %d/%m/%Y")
    assert f"<dt>Ngày</dt><dd>{local}</dd>" in html and "+0000" not in html
    assert f'src="/outbox/{row["id"]}/message.html"' in html and "sandbox" in html
    # The HTML part on its own, with no script, no fetch, no form, in a sandbox.
    csp = body.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "form-action 'none'" in csp
    assert "<script" not in body.text.lower()
    assert "Kính gửi" in body.text


def test_the_preview_done_link_is_inert(sqlite_url: str) -> None:
    """A task reminder's preview has the "done" button, but its link is not the recipient's
    capability: following it does nothing."""
    ctx = make_context(sqlite_url, clock=lambda: dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))
    outbox.planning_pass_sync(ctx)
    row = next(r for r in outbox.list_rows(ctx.store, limit=100) if r["kind"] == "window_open" and r["role"] == "owner")
    live = serve(ctx)
    try:
        with client(live) as c:
            editor(live, c)
            body = c.get(f"/outbox/{row['id']}/message.html").text
            links = re.findall(r'href="([^"]*/ack/[^"]*)"', body)
            assert links == [f"{ctx.config.get('http', 'base_url')}/ack/{outbox.PreviewSigner.TOKEN}"]
            assert c.get(f"/ack/{outbox.PreviewSigner.TOKEN}").status_code == 400
    finally:
        live.stop()


def test_retry_and_cancel_need_an_editor_and_a_csrf_token_and_are_audited(live: Live) -> None:
    dead, failed, waiting = make_trouble(live)
    with client(live) as c:
        editor(live, c)
        token = csrf(c.get("/outbox").text)
        assert c.post(f"/outbox/{dead}/retry", data={"csrf": "wrong"}).status_code == 403
        assert outbox.get_row(live.ctx.store, dead)["state"] == "dead"  # type: ignore[index]
        r = c.post(f"/outbox/{dead}/retry", data={"csrf": token, "next": "/outbox"})
        assert r.status_code == 303 and r.headers["location"] == f"/outbox?msg=retried&id={dead}"
        back = outbox.get_row(live.ctx.store, dead)
        assert back is not None and (back["state"], back["attempts"], back["next_attempt_at"]) == ("pending", 0, None)
        assert "chờ gửi" in unescape(c.get(r.headers["location"]).text)
        r = c.post(f"/outbox/{waiting}/cancel", data={"csrf": token, "next": f"/outbox/{waiting}"})
        assert r.headers["location"] == f"/outbox/{waiting}?msg=cancelled&id={waiting}"
        page = unescape(c.get(r.headers["location"]).text)
        assert "Đã hủy thư số" in page and "hủy bởi Biên tập Sở Ngoại vụ" in page and "Hủy thư" in page  # history
        # Nothing to do: said, not an error. An unknown action or a foreign redirect: refused.
        r = c.post(f"/outbox/{waiting}/cancel", data={"csrf": token, "next": "https://evil.example/"})
        assert r.headers["location"] == f"/outbox?msg=unchanged&id={waiting}"
        assert c.post(f"/outbox/{failed}/explode", data={"csrf": token}).status_code == 404
    with client(live) as c:  # a department's link may not act, even with its own valid token
        _, secret = tokens.create(live.ctx.store, "access", "department/so-ngoai-vu", "Phòng Lễ tân", NOW)
        c.get(f"/a/{secret}")
        their = csrf(c.get("/").text)
        assert c.post(f"/outbox/{failed}/cancel", data={"csrf": their}).status_code == 403
    assert outbox.get_row(live.ctx.store, failed)["state"] == "failed"  # type: ignore[index]
    entries = audit.entries(live.ctx.store, action_prefix="outbox.")
    assert [(e.action, e.subject, e.via) for e in reversed(entries)] == [
        ("outbox.retry", f"outbox/{dead}", "web"), ("outbox.cancel", f"outbox/{waiting}", "web")]
    assert all(e.actor.endswith("Biên tập Sở Ngoại vụ") for e in entries)
    assert entries[-1].before["state"] == "dead" and entries[-1].after == {"state": "pending", "attempts": 0}
