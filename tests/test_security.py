"""Hardening, tried the way an attacker and an ops person would: over a real socket against the
real server. Limits at every door (body size, nesting, headers), cookies, sessions that end,
login throttling, one scrypt either way, monitoring bound to the loopback or editors."""

from __future__ import annotations

import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reminderd import tokens
from reminderd.runtime import load_runtime

from .conftest import SMALL_CONFIG
from .webutil import NOW, Live, make_context, serve


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


def client(live: Live, **kw: object) -> httpx.Client:
    return httpx.Client(base_url=live.url, follow_redirects=False, timeout=30, **kw)  # type: ignore[arg-type]


def admin_bearer(live: Live) -> dict[str, str]:
    _, secret = tokens.create(live.ctx.store, "admin", "all", "test editor", NOW)
    return {"Authorization": f"Bearer {secret}"}


def raw_request(live: Live, head: bytes, timeout: float = 5.0) -> bytes:
    """Send ``head`` (request line and headers, no body) and read what comes back."""
    host, port = live.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(head)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except TimeoutError:
            pass
    return data


# ---- S4: request bodies are capped before they are read --------------------------------------


@pytest.mark.parametrize("path", ["/login", "/ack/x.y", "/api/v1/ack", "/done"])
def test_an_oversized_body_is_refused_before_it_is_sent(live: Live, path: str) -> None:
    """Content-Length of 100 MB and no body at all: the answer must come without waiting for it."""
    head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 100000000\r\n\r\n").encode()
    got = raw_request(live, head)
    assert got.startswith(b"HTTP/1.1 413"), got[:200]


def test_a_streamed_body_is_cut_off_at_the_cap(live: Live) -> None:
    """No Content-Length (chunked): counted as it arrives, 413 once past the cap, nothing done."""
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"note=" + b"x" * 65536

    with client(live) as c:
        r = c.post("/login", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413
        r = c.post("/api/v1/adhoc", content=iter([b"[" * 40000, b"]" * 40000]), headers=admin_bearer(live))
        assert r.status_code == 413 and "65536" in r.json()["error"]
        # Under the cap, everything is as before.
        assert c.post("/login", data={"username": "a", "password": "b", "csrf": "x"}).status_code == 403


# ---- S7: JSON nested too deeply is a 400, not a 500 ------------------------------------------


def test_deeply_nested_json_is_a_400(live: Live) -> None:
    auth = admin_bearer(live)
    with client(live) as c:
        for path, depth in (("/api/v1/ack", 200_000), ("/api/v1/adhoc", 30_000), ("/api/v1/adhoc", 40)):
            r = c.post(path, content=b"[" * depth + b"]" * depth, headers=auth)
            assert r.status_code == 400, (path, depth, r.status_code, r.text[:200])
            assert "nested too deeply" in r.json()["error"]
        deep = {"id": "x", "title": "x", "date": "2025-03-01", "description": {}}
        inner = deep["description"]
        for _ in range(40):
            inner["a"] = {}
            inner = inner["a"]
        assert c.post("/api/v1/adhoc", json=deep, headers=auth).status_code == 400


# ---- S12: API answers carry nosniff and no-store ---------------------------------------------


def test_api_json_has_nosniff_and_no_store(live: Live) -> None:
    with client(live) as c:
        for r in (c.get("/api/v1/upcoming"), c.get("/api/v1/openapi.json"), c.get("/api/v1/"),
                  c.post("/api/v1/ack", json={"key": "x"}), c.get("/api/v1/adhoc/nope")):
            assert r.headers["content-type"].startswith("application/json"), r.url
            assert r.headers["x-content-type-options"] == "nosniff", r.url
            assert r.headers["cache-control"] == "no-store", r.url


# ---- S6: the cookie's Secure flag follows base_url, not the request's scheme -----------------


@pytest.fixture
def live_https(tmp_path: Path) -> Iterator[Live]:
    """An https deployment behind a proxy that sends no X-Forwarded-Proto (plain http inside)."""
    from .conftest import SMALL_CATALOG

    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "main.toml").write_text(textwrap.dedent(SMALL_CATALOG), encoding="utf-8")
    cfg = tmp_path / "reminderd.toml"
    cfg.write_text(textwrap.dedent(SMALL_CONFIG) + '\n[http]\nbase_url = "https://lich.example.gov.vn"\n',
                   encoding="utf-8")
    rt = load_runtime(cfg)
    srv = serve(make_context(rt.config.database_url, rt))
    yield srv
    srv.stop()


def test_cookies_are_secure_when_base_url_is_https(live_https: Live) -> None:
    _, secret = tokens.create(live_https.ctx.store, "access", "department/so-ngoai-vu", "x", NOW)
    with client(live_https) as c:
        r = c.get(f"/a/{secret}")
        assert r.status_code == 303
        cookies = r.headers.get_list("set-cookie")
        assert any(v.startswith("rd_session=") for v in cookies)
        for v in cookies:
            assert "secure" in [a.strip().lower() for a in v.split(";")[1:]], v
        for v in c.get("/?lang=en").headers.get_list("set-cookie"):
            assert "; Secure" in v, v
