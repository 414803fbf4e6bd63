"""Access that means what it says, over a real socket: what each kind of visitor may see on
the pages, and the subscribe page's links (a revoked link can be replaced; no webcal:// that
would send an https feed over plain http)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from reminderd import acks, tokens, webauth
from reminderd.runtime import Runtime
from reminderd.store import schema
from reminderd.tokens import hash_secret

from .webutil import NOW, Live, example_runtime, make_context, serve


def with_config(rt: Runtime, **sections: dict[str, Any]) -> Runtime:
    merged = {**rt.config.sections}
    for name, values in sections.items():
        merged[name] = {**merged.get(name, {}), **values}
    return replace(rt, config=replace(rt.config, sections=merged))


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


def client(live: Live) -> httpx.Client:
    return httpx.Client(base_url=live.url, follow_redirects=False, timeout=60)


def feed_links(html: str) -> dict[str, str]:
    """feed name → the link the subscribe page shows for it."""
    return dict(re.findall(r'<li class="feed" data-feed="([^"]+)">.*?<input readonly value="([^"]+)"', html, re.S))


def local(live: Live, url: str) -> str:
    """A link made from base_url, pointed at the test server."""
    return live.url + "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_revoked_subscribe_link_is_replaced_by_a_new_one(live: Live) -> None:
    """A leaked editor feed link is revoked; the page then offers a new link that works,
    and the old one stays dead."""
    webauth.set_admin_password(live.ctx.store, "admin", "mat-khau-dai-du", NOW)
    with client(live) as c:
        page = c.get("/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        r = c.post("/login", data={"username": "admin", "password": "mat-khau-dai-du", "csrf": token[1]})
        assert r.status_code == 303
        first = feed_links(c.get("/subscribe").text)
        old = first["department/so-ngoai-vu"]
        assert c.get(local(live, old)).status_code == 200
        secret = old.split("/feeds/", 1)[1].split("/", 1)[0]
        assert tokens.revoke(live.ctx.store, token_id(live, secret), NOW)
        assert c.get(local(live, old)).status_code == 404
        second = feed_links(c.get("/subscribe").text)
        assert "department/so-ngoai-vu" in second, "the feed must stay subscribable"
        new = second["department/so-ngoai-vu"]
        assert new != old
        assert c.get(local(live, new)).status_code == 200
        assert c.get(local(live, old)).status_code == 404
        assert feed_links(c.get("/subscribe").text)["department/so-ngoai-vu"] == new  # stable again
        # The other feeds kept their links.
        assert {k: v for k, v in second.items() if k != "department/so-ngoai-vu"} == \
               {k: v for k, v in first.items() if k != "department/so-ngoai-vu"}


def token_id(live: Live, secret: str) -> int:
    t = schema.tokens
    with live.ctx.store.engine.connect() as conn:
        return int(conn.execute(select(t.c.id).where(t.c.token_hash == hash_secret(secret))).scalar_one())


def test_no_webcal_link_for_an_https_base(sqlite_url: str) -> None:
    """webcal:// is fetched over plain http by most apps: for an https base_url the page offers
    only the https link (and its Apple step says to paste it); for an http base it offers both."""
    rt = example_runtime()
    https_rt = with_config(rt, http={"base_url": "https://lich.example.vn"})
    for runtime, want_webcal in ((https_rt, False), (rt, True)):
        srv = serve(make_context(sqlite_url, runtime))
        try:
            _, secret = tokens.create(srv.ctx.store, "access", "department/so-khdt", "x", NOW)
            with client(srv) as c:
                c.get(f"/a/{secret}")
                # An https base_url makes the session cookie Secure; this test client speaks plain
                # http to the server behind the (absent) proxy, so it hands the cookie over itself.
                cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
                html = c.get("/subscribe", headers={"Cookie": cookie}).text
        finally:
            srv.stop()
        links = feed_links(html)
        assert "department/so-khdt" in links and "tag/ngay-le-viet-nam" in links
        assert ("webcal://" in html) is want_webcal, html
        if not want_webcal:
            assert all(u.startswith("https://") for u in links.values())
            assert "Mở trong ứng dụng lịch" not in html


def test_intranet_base_gets_a_plain_note_about_google(live: Live) -> None:
    """The example's base_url is 127.0.0.1: Google Calendar cannot fetch it, the others can."""
    with client(live) as c:
        vi = unescape(c.get("/subscribe").text)
        en = unescape(c.get("/subscribe?lang=en").text)
    assert "chỉ truy cập được trong mạng nội bộ" in vi and "Google Calendar (lấy lịch từ máy chủ của Google)" in vi
    assert "Thunderbird lấy lịch từ chính máy của bạn" in vi
    assert "Google Calendar (which fetches from Google's servers) cannot read" in en
    for app in ("Thunderbird", "Outlook", "Apple Calendar", "Google Calendar"):
        assert f"<h3>{app}" in vi
    assert '“Chỉ đọc” (Read-only)' in vi and "Subscribe from web" in vi and "New Calendar Subscription" in vi
    assert "From URL" in vi


def csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m[1]


def keys(html: str) -> set[str]:
    return set(re.findall(r'<article class="task[^"]*" data-key="([^"]+)"', html))


def enter(live: Live, c: httpx.Client, kind: str, scope: str, label: str = "x") -> None:
    _, secret = tokens.create(live.ctx.store, kind, scope, label, NOW)
    assert c.get(f"/a/{secret}").status_code == 303


def test_private_reads_confine_a_department_link_to_its_own_work(sqlite_url: str) -> None:
    """``[web] public_read = false``: a department's link sees its own department's work on
    every page (``/``, ``/d/<other>``, ``/year``), as the API already does; an editor sees all."""
    rt = with_config(example_runtime(), web={"public_read": False})
    srv = serve(make_context(sqlite_url, rt))
    try:
        today = srv.ctx.today()
        plan = srv.ctx.runtime.plan(today - dt.timedelta(days=60), today + dt.timedelta(days=30))
        mine = {t.key for t in plan.tasks if t.owner == "so-khdt" or "so-khdt" in t.support}
        assert mine and len(mine) < len(plan.tasks)
        with client(srv) as anon:
            for path in ("/", "/d/so-khdt", "/year/2025", "/year/2025?department=so-khdt"):
                assert anon.get(path).status_code == 401, path
        with client(srv) as c:
            enter(srv, c, "access", "department/so-khdt")
            r = c.get("/")
            assert r.status_code == 303 and r.headers["location"] == "/d/so-khdt"
            page = c.get("/d/so-khdt").text
            assert keys(page) == mine
            assert 'href="/d/so-ngoai-vu"' not in page and 'action="/d"' not in page  # no way to the others
            for other in ("/d/so-ngoai-vu", "/d/vp-ubnd", "/year/2025?department=so-ngoai-vu"):
                r = c.get(other)
                assert r.status_code == 403 and "chỉ xem được việc của đơn vị mình" in r.text, other
            r = c.get("/year/2025")
            assert r.status_code == 303 and r.headers["location"] == "/year/2025?department=so-khdt"
            assert c.get("/year").headers["location"] == f"/year/{today.year}?department=so-khdt"
            year = c.get("/year/2025?department=so-khdt").text
            assert 'name="department"' not in year  # no filter to other departments
            y = srv.ctx.runtime.plan(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
            own = {t.action for t in y.tasks if t.owner == "so-khdt" or "so-khdt" in t.support}
            others = [t.action for t in y.tasks if t.owner != "so-khdt" and "so-khdt" not in t.support
                      and t.action not in own]
            assert not any(json_text(a) in year for a in others)
        with client(srv) as ed:
            enter(srv, ed, "admin", "all")
            assert keys(ed.get("/").text) == {t.key for t in plan.tasks}
            assert ed.get("/d/so-ngoai-vu").status_code == 200
    finally:
        srv.stop()


def json_text(s: str) -> str:
    """How a string appears inside the page's JSON data."""
    import json

    return json.dumps(s, ensure_ascii=False)[1:-1].replace("<", "\\u003c")


def test_anonymous_readers_see_what_and_when_not_who(live: Live) -> None:
    """With public reads on, an anonymous visitor sees that a task was done and when; not the
    person's name (an access link's label), their note, or the address an e-mail link went to."""
    plan = live.ctx.runtime.plan(NOW.date(), NOW.date() + dt.timedelta(days=30)).tasks
    first, second = plan[0], next(t for t in plan if t.owner == plan[0].owner and t.key != plan[0].key)
    with client(live) as c:
        enter(live, c, "access", f"department/{first.owner}", "Nguyễn Văn An")
        page = c.get(f"/d/{first.owner}").text
        c.post("/done", data={"key": first.key, "csrf": csrf(page), "note": "Đã gọi Đại sứ quán lúc 9 giờ"})
        acks.mark_done(live.ctx.store, second.event.id, second.rule.id, second.occurrence.year,
                       "le.thi.binh@songoaivu.example.gov.vn", "email", "thư đã ký", NOW)
        staff = unescape(c.get(f"/d/{first.owner}").text)
    assert "Nguyễn Văn An" in staff and "Đã gọi Đại sứ quán" in staff and "le.thi.binh@" in staff
    with client(live) as anon:
        for path in ("/", f"/d/{first.owner}"):
            html = unescape(anon.get(path).text)
            assert {first.key, second.key} <= keys(html)
            assert html.count("Đã hoàn thành lúc") >= 2
            for secret in ("Nguyễn Văn An", "Đã gọi Đại sứ quán", "le.thi.binh", "thư đã ký", "token "):
                assert secret not in html, (path, secret)
        # The API too: what and when, not who.
        span = {"from": NOW.date().isoformat(), "to": (NOW.date() + dt.timedelta(days=30)).isoformat()}
        rows = {r["key"]: r for r in anon.get("/api/v1/upcoming", params=span).json() if r.get("key")}
        assert rows[first.key]["done"] and rows[first.key]["done_at"] and rows[second.key]["done"]
        assert rows[first.key]["done_by"] is None and rows[second.key]["done_by"] is None
        text = anon.get("/api/v1/upcoming", params=span).text
        for secret in ("Nguyễn Văn An", "le.thi.binh", "token "):
            assert secret not in text, secret
    with client(live) as c:
        enter(live, c, "access", f"department/{first.owner}", "Trần Văn Bình")
        rows = {r["key"]: r for r in c.get("/api/v1/upcoming", params=span).json() if r.get("key")}
        assert "Nguyễn Văn An" in rows[first.key]["done_by"] and rows[second.key]["done_by"].startswith("le.thi")


def test_every_error_is_a_page(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    """404, 405, 403, 500 on any route: the site's header, a title, lang, a link home; the API
    still answers in JSON and the feeds in plain text."""
    with client(live) as c:
        for path, status in (("/khong-ton-tai", 404), ("/year/abc", 404), ("/d/khong-co", 404),
                             ("/adhoc/khong-co/edit", 401)):
            r = c.get(path)
            assert r.status_code == status, path
            html = r.text
            assert r.headers["content-type"].startswith("text/html")
            assert '<html lang="vi">' in html and f"<title>Lỗi {status} — " in html and f"<h1>Lỗi {status}</h1>" in html
            assert '<header class="top">' in html and 'href="/">Về trang chủ</a>' in html
            assert r.headers["content-security-policy"].startswith("default-src 'self'")
        r = c.post("/year/2025")
        assert r.status_code == 405 and "<h1>Lỗi 405</h1>" in r.text and "GET" in r.headers["allow"]
        en = c.get("/khong-ton-tai?lang=en")
        assert '<html lang="en">' in en.text and "This page does not exist." in en.text
        api = c.get("/api/v1/khong-co")
        assert api.status_code == 404 and api.headers["content-type"] == "application/json"
        feed = c.get("/feeds/khong/co.txt")
        assert feed.status_code == 404 and feed.headers["content-type"].startswith("text/plain")

        def broken(*a: object, **k: object) -> None:
            raise RuntimeError("the database went away")

        monkeypatch.setattr("reminderd.web.pages.task_views", broken)
        r = c.get("/")
        assert r.status_code == 500 and "<h1>Lỗi 500</h1>" in r.text and "Máy chủ gặp lỗi" in r.text
        assert "RuntimeError" not in r.text and "Traceback" not in r.text
