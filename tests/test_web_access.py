"""Access that means what it says, over a real socket: what each kind of visitor may see on
the pages, and the subscribe page's links (a revoked link can be replaced; no webcal:// that
would send an https feed over plain http)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from reminderd import tokens, webauth
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
    assert '"Chỉ đọc" (Read-only)' in vi and "Subscribe from web" in vi and "New Calendar Subscription" in vi
    assert "From URL" in vi
