"""Hardening, tried the way an attacker and an ops person would: over a real socket against the
real server. Limits at every door (body size, nesting, headers), cookies, sessions that end,
login throttling, one scrypt either way, monitoring bound to the loopback or editors."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
import socket
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from reminderd import acks, tokens, webauth
from reminderd.cli import main
from reminderd.errors import ValidationError
from reminderd.runtime import load_runtime
from reminderd.security import keys, throttle
from reminderd.security.throttle import LoginThrottle
from reminderd.signing import signer_for
from reminderd.store import Store, schema

from .conftest import SMALL_CONFIG
from .webutil import NOW, Live, make_context, serve


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


@pytest.fixture
def live_db(db_url: str) -> Iterator[Live]:
    """SQLite and (when configured) PostgreSQL: sessions and keys are shared through the database."""
    srv = serve(make_context(db_url))
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


# ---- S2: logout, a password change and revoking the link end a session -----------------------

PASSWORD = "mat-khau-dai-du-2025"


@pytest.fixture
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at N=2^14 for tests about sessions and throttling (each login then costs ~50 ms
    instead of ~0.4 s); the tests about scrypt itself keep the real parameters."""
    monkeypatch.setattr(webauth, "SCRYPT_N", 2**14)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m[1]


def log_in(c: httpx.Client, user: str = "admin", password: str = PASSWORD,
           headers: dict[str, str] | None = None) -> httpx.Response:
    token = csrf_of(c.get("/login").text)
    return c.post("/login", data={"username": user, "password": password, "csrf": token}, headers=headers)


def editor_can_write(live: Live, cookies: dict[str, str]) -> bool:
    """Open /adhoc and use the API with only these cookies (what a stolen cookie would do)."""
    with client(live, cookies=cookies) as c:
        page = c.get("/adhoc")
        if page.status_code != 200:
            return False
        r = c.post("/api/v1/adhoc", json={}, headers={"X-CSRF-Token": csrf_of(page.text)})
        return r.status_code == 422  # authorised: the (empty) item is then refused as invalid


def test_logout_ends_the_session_for_a_copied_cookie(live_db: Live, fast_scrypt: None) -> None:
    live = live_db
    webauth.set_admin_password(live.ctx.store, "admin", PASSWORD, NOW)
    with client(live) as c:
        assert log_in(c).status_code == 303
        jar = dict(c.cookies)
        assert editor_can_write(live, jar)
        r = c.post("/logout", data={"csrf": csrf_of(c.get("/").text)})
        assert r.status_code == 303
    assert not editor_can_write(live, jar)


def test_a_password_change_ends_every_session(live: Live, make_env, monkeypatch, fast_scrypt: None) -> None:
    """``reminderd admin set-password`` (the CLI, on the server's database) logs everyone out."""
    webauth.set_admin_password(live.ctx.store, "admin", PASSWORD, NOW)
    with client(live) as c1, client(live) as c2:
        assert log_in(c1).status_code == 303 and log_in(c2).status_code == 303
        jars = [dict(c1.cookies), dict(c2.cookies)]
    assert all(editor_can_write(live, j) for j in jars)
    cfg = make_env()  # its [database] url is the live server's file
    assert str(cfg.parent / "state" / "reminderd.db") in str(live.ctx.store.engine.url)
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-moi-hoan-toan\n"))
    assert main(["admin", "set-password", "--password-stdin", "--config", str(cfg)]) == 0
    assert not any(editor_can_write(live, j) for j in jars)
    with client(live) as c:
        assert log_in(c, password="mat-khau-moi-hoan-toan").status_code == 303
        assert editor_can_write(live, dict(c.cookies))


def test_revoking_an_editor_link_ends_its_sessions(live: Live, make_env, capsys) -> None:
    tid, secret = tokens.create(live.ctx.store, "admin", "all", "biên tập viên", NOW)
    with client(live) as c:
        assert c.get(f"/a/{secret}").status_code == 303
        jar = dict(c.cookies)
    assert editor_can_write(live, jar)
    assert main(["access", "revoke", str(tid), "--config", str(make_env())]) == 0
    assert "2 giây" in capsys.readouterr().out  # the feeds that went with it: within 2 s
    assert not editor_can_write(live, jar)


# ---- S3: throttled logins, 429 + Retry-After, failures logged with the address -------------


class FakeMonotonic:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_wrong_passwords_are_throttled_and_logged(live: Live, caplog, fast_scrypt: None) -> None:
    webauth.set_admin_password(live.ctx.store, "admin", PASSWORD, NOW)
    clock = FakeMonotonic()
    live.ctx.health["_login_throttle"] = LoginThrottle(clock)
    statuses = []
    with client(live) as c, caplog.at_level(logging.WARNING, logger="reminderd.webauth"):
        for _ in range(8):
            r = log_in(c, password="sai-mat-khau")
            statuses.append(r.status_code)
        assert statuses == [401] * 5 + [429] * 3, statuses  # five free tries, then a wait
        assert int(r.headers["retry-after"]) >= 1
        assert "thử lại sau" in r.text
        # The right password is not even checked while the wait lasts …
        assert log_in(c).status_code == 429
        # … and is accepted once it has passed.
        clock.t += int(r.headers["retry-after"])
        assert log_in(c).status_code == 303
    failed = [rec for rec in caplog.records if getattr(rec, "event", "") == "login.failed"]
    assert len(failed) == 5
    assert all(rec.address == "127.0.0.1" and rec.user == "admin" for rec in failed)  # type: ignore[attr-defined]
    assert any(getattr(rec, "event", "") == "login.throttled" for rec in caplog.records)


def test_throttle_per_user_across_addresses_and_per_address_across_users(live: Live, monkeypatch,
                                                                         fast_scrypt: None) -> None:
    """Requests from the (trusted, loopback) proxy carry the client's address in X-Forwarded-For."""
    webauth.set_admin_password(live.ctx.store, "admin", PASSWORD, NOW)
    monkeypatch.setattr(throttle, "FREE", {"pair": 5, "addr": 3, "user": 4})
    live.ctx.health["_login_throttle"] = LoginThrottle(FakeMonotonic())
    with client(live) as c:
        codes = [log_in(c, password="sai", headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
                 for i in range(1, 7)]
        assert codes == [401, 401, 401, 401, 429, 429], codes  # "admin" from six addresses
        codes = [log_in(c, user=f"user{i}", password="sai", headers={"X-Forwarded-For": "10.9.9.9"}).status_code
                 for i in range(5)]
        assert codes == [401, 401, 401, 429, 429], codes  # one address, five names


# ---- S8 and S13: one scrypt either way; OWASP's parameters, old hashes replaced at login ----


def test_one_scrypt_whether_or_not_the_user_exists(live: Live, monkeypatch) -> None:
    webauth.set_admin_password(live.ctx.store, "admin", PASSWORD, NOW)
    calls: list[int] = []
    real = hashlib.scrypt

    def counting(*a: object, **kw: object) -> bytes:
        calls.append(int(kw["n"]))  # type: ignore[call-overload]
        return real(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(hashlib, "scrypt", counting)
    with client(live) as c:
        for user in ("admin", "khong-co-nguoi-nay", "admin"):
            calls.clear()
            assert log_in(c, user=user, password="sai").status_code == 401
            assert calls == [2**17], (user, calls)


def test_old_hashes_are_replaced_at_the_next_login(live: Live) -> None:
    salt = b"0123456789abcdef"
    old = "$".join(["scrypt", "16384", "8", "1", webauth._b64(salt),
                    webauth._b64(hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32))])
    with live.ctx.store.engine.begin() as conn:
        conn.execute(schema.users.insert().values(username="admin", password_hash=old, is_admin=True,
                                                  created_at=NOW))
    with client(live) as c:
        assert log_in(c).status_code == 303
        assert editor_can_write(live, dict(c.cookies))  # the session survives its own rehash
    with live.ctx.store.engine.connect() as conn:
        stored = conn.execute(select(schema.users.c.password_hash)).scalar_one()
    assert stored.split("$")[1:4] == ["131072", "8", "1"]
    assert webauth.check_password(PASSWORD, stored)
    fresh = webauth.hash_password("x" * 12)
    assert fresh.split("$")[1:4] == ["131072", "8", "1"]


# ---- S10: /metrics and the details of /healthz for the host itself or an editor -------------


def test_metrics_and_health_details_only_for_the_loopback_or_an_editor(live: Live, fast_scrypt: None) -> None:
    outside = {"X-Forwarded-For": "203.0.113.7"}  # through the (trusted, loopback) proxy
    with client(live) as c:
        assert c.get("/metrics", headers=outside).status_code == 403
        h = c.get("/healthz", headers=outside)
        assert h.json() == {"status": "unhealthy"}  # a test server runs no scheduler
        assert h.status_code == 503  # the code a load balancer reads is the same for everyone
        # From the host itself (curl, a local Prometheus): everything, as before.
        assert c.get("/metrics").status_code == 200
        assert {"instance", "database", "smtp", "config_errors"} <= c.get("/healthz").json().keys()
        # An editor, from anywhere: a bearer admin token (what a remote scraper uses) or a login.
        auth = {**outside, **admin_bearer(live)}
        assert "reminderd_" in c.get("/metrics", headers=auth).text
        assert "database" in c.get("/healthz", headers=auth).json()
        webauth.set_admin_password(live.ctx.store, "admin", PASSWORD, NOW)
        assert log_in(c, headers=outside).status_code == 303
        assert c.get("/metrics", headers=outside).status_code == 200
        # A department's link is not an editor.
        c.cookies.clear()
        _, secret = tokens.create(live.ctx.store, "access", "department/so-ngoai-vu", "x", NOW)
        assert c.get(f"/a/{secret}", headers=outside).status_code == 303
        assert c.get("/metrics", headers=outside).status_code == 403


def test_monitoring_addresses_from_the_config(tmp_path: Path) -> None:
    from .conftest import SMALL_CATALOG

    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "main.toml").write_text(textwrap.dedent(SMALL_CATALOG), encoding="utf-8")
    cfg = tmp_path / "reminderd.toml"
    cfg.write_text(textwrap.dedent(SMALL_CONFIG) + '\n[http]\nmonitoring_addresses = ["::1"]\n', encoding="utf-8")
    rt = load_runtime(cfg)
    srv = serve(make_context(rt.config.database_url, rt))
    try:
        with client(srv) as c:
            assert c.get("/metrics").status_code == 403  # 127.0.0.1 no longer listed
            assert c.get("/healthz").json().keys() == {"status"}
    finally:
        srv.stop()
    bad = cfg.read_text(encoding="utf-8").replace('["::1"]', '["quanly.local"]')
    cfg.write_text(bad, encoding="utf-8")
    with pytest.raises(ValidationError, match="monitoring_addresses"):
        load_runtime(cfg)


# ---- S5: the keys live in a file, not in the database ----------------------------------------


def db_text(store: Store) -> str:
    """Every row of every table, as text: what a copy of the database gives away."""
    out = []
    with store.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            out += [repr(tuple(r)) for r in conn.execute(select(table))]
    return "\n".join(out)


def test_a_copy_of_the_database_forges_nothing(live: Live, fast_scrypt: None) -> None:
    """After logins, the subscribe page and mailed links, the database holds no key and no
    session id: nothing in it computes a cookie, a CSRF token, a feed link or an ack link."""
    webauth.set_admin_password(live.ctx.store, "admin", PASSWORD, NOW)
    with client(live) as c:
        assert log_in(c).status_code == 303
        cookie = c.cookies[webauth.SESSION_COOKIE]
        feed = re.search(r'value="http://[^"]+/feeds/([A-Za-z0-9_-]+)/all[./]', c.get("/subscribe").text)
        assert feed, "an editor's subscribe page shows a private link"
    link = signer_for(live.ctx.config, live.ctx.store, NOW).sign("e", "t", 2025, "a@b.vn",
                                                                  NOW + dt.timedelta(days=1), "n")
    text = db_text(live.ctx.store)
    k = keys.of(live.ctx)
    for secret in (cookie, feed[1], link.split(".")[1], k.master.hex(), k.web.hex(), k.ack.hex()):
        assert secret not in text
    with live.ctx.store.engine.connect() as conn:
        names = {r.name for r in conn.execute(select(schema.daemon_state.c.name))}
    assert not names & {"web.session_key", "ack.secret"}
    assert keys.key_path(live.ctx.config).stat().st_mode & 0o777 == 0o600


def test_an_older_install_moves_its_keys_out_and_mailed_links_keep_working(make_env) -> None:
    """A database an older version used: both keys in daemon_state, a reminder mailed with a
    link signed by the old key. After the upgrade the rows are gone, the mailed link still
    works (as mailed), and the old key signs nothing else."""
    from reminderd.messages import nonce_for
    from reminderd.signing import Signer
    from reminderd.store import open_store

    cfg = make_env()
    rt = load_runtime(cfg)
    store = open_store(rt.config.database_url)
    old_ack, old_web = "ab" * 32, "cd" * 32
    for name, value in (("ack.secret", old_ack), ("web.session_key", old_web)):
        store.put_state(name, value, NOW)
    mid = "<m1@example.gov.vn>"
    with store.engine.begin() as conn:
        conn.execute(schema.outbox.insert().values(
            dedupe_key="k1", kind="due", event_id="quoc-khanh-jp", task_id="thu-chuc-mung", year=2025,
            recipient="songoaivu@example.gov.vn", send_after=NOW, state="sent", message_id=mid,
            created_at=NOW, updated_at=NOW, sent_at=NOW - dt.timedelta(days=2)))
    old = Signer(old_ack.encode("ascii"))
    mailed = old.sign("quoc-khanh-jp", "thu-chuc-mung", 2025, "songoaivu@example.gov.vn",
                      NOW + dt.timedelta(days=58), nonce_for(mid))
    forged = [old.sign("quoc-khanh-jp", "thu-dia-phuong", 2025, "songoaivu@example.gov.vn",
                       NOW + dt.timedelta(days=58), nonce_for(mid)),
              old.sign("quoc-khanh-jp", "thu-chuc-mung", 2025, "ke-gian@example.com",
                       NOW + dt.timedelta(days=58), nonce_for(mid)),
              old.sign("quoc-khanh-jp", "thu-chuc-mung", 2025, "songoaivu@example.gov.vn",
                       NOW + dt.timedelta(days=58), "khac")]
    srv = serve(make_context(rt.config.database_url, rt))
    try:
        with client(srv) as c:
            for tok in forged:
                assert c.get(f"/ack/{tok}").status_code == 400
            assert c.get(f"/ack/{mailed}").status_code == 200
            assert c.post(f"/ack/{mailed}").status_code == 200
    finally:
        srv.stop()
    assert acks.is_done(store, "quoc-khanh-jp", "thu-chuc-mung", 2025)
    assert old_ack not in db_text(store) and old_web not in db_text(store)
    path = keys.key_path(rt.config)
    assert path.stat().st_mode & 0o777 == 0o600 and old_ack in path.read_text(encoding="utf-8")
    status = keys.status(rt.config, store)
    assert status["keys_in_database"] == [] and status["fingerprint"] == status["database_fingerprint"]
    store.dispose()


def test_state_directory_and_database_are_private_outside_systemd(make_env) -> None:
    cfg = make_env()
    assert main(["db", "upgrade", "--config", str(cfg)]) == 0
    state = cfg.parent / "state"
    assert state.stat().st_mode & 0o777 == 0o700
    assert (state / "reminderd.db").stat().st_mode & 0o777 == 0o600


def test_the_second_daemon_of_a_pair_needs_the_same_key_file(tmp_path: Path) -> None:
    """Two hosts, one database: B starts only with A's key file, and only if it is private."""
    import shutil
    import subprocess
    import sys

    from reminderd.store import open_store

    from .test_daemon import write_config

    db = f"sqlite:///{tmp_path / 'shared.db'}"
    cfg_a = write_config(tmp_path / "a", db_url=db)
    cfg_b = write_config(tmp_path / "b", db_url=db)
    for cfg in (cfg_a, cfg_b):  # each host its own key file, in its state directory (the default)
        cfg.write_text(re.sub(r"(?m)^key_file = .*$", "", cfg.read_text(encoding="utf-8")), encoding="utf-8")
    rt_a = load_runtime(cfg_a)
    store = open_store(db)
    keys.load(rt_a.config, store, NOW)  # host A's first start made the key
    store.dispose()

    def start_b() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "reminderd", "run", "--config", str(cfg_b)],
                              capture_output=True, text=True, timeout=60)

    b_key = tmp_path / "b" / "state" / "reminderd.key"
    p = start_b()
    assert p.returncode == 1 and str(b_key) in p.stderr and "chép tệp khóa" in p.stderr, p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and not b_key.exists()
    shutil.copy(keys.key_path(rt_a.config), b_key)
    b_key.chmod(0o644)
    p = start_b()
    assert p.returncode == 1 and f"chmod 600 {b_key}" in p.stderr, p.stderr
    (tmp_path / "b" / "state" / "reminderd.key").write_text("key = \"" + "00" * 32 + "\"\n", encoding="utf-8")
    b_key.chmod(0o600)
    p = start_b()
    assert p.returncode == 1 and "không phải khóa mà CSDL này đang dùng" in p.stderr, p.stderr
    shutil.copy(keys.key_path(rt_a.config), b_key)  # the right one, private: B serves
    from .test_daemon import http_base

    proc = subprocess.Popen([sys.executable, "-m", "reminderd", "run", "--config", str(cfg_b)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(http_base(cfg_b) + "/healthz", timeout=2).status_code in (200, 503):
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    finally:
        proc.terminate()
        proc.wait(30)
