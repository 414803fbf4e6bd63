"""The ack link over real HTTP (uvicorn on a free port): GET confirms, POST marks done,
tamper/expiry/replay are refused with a clear page; plus signing and the ack CLI."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from reminderd import acks
from reminderd.cli import main
from reminderd.context import Context
from reminderd.runtime import load_runtime
from reminderd.signing import LinkError, Signer, load_secret, secret_path, signer_for
from reminderd.store import open_store
from reminderd.web.app import create_app

from .mail_support import free_port

NOW = dt.datetime(2025, 2, 13, 2, 0, tzinfo=dt.UTC)


class Clock:
    t = NOW

    def __call__(self) -> dt.datetime:
        return self.t


@pytest.fixture
def served(make_env) -> Iterator[tuple[str, Context, Clock]]:
    rt = load_runtime(make_env())
    clock = Clock()
    ctx = Context(rt, open_store(rt.config.database_url), now=clock)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", ctx, clock
    finally:
        server.should_exit = True
        th.join(5)


def _token(ctx: Context, days: int = 60) -> str:
    s = signer_for(ctx.config, ctx.store, NOW)
    return s.sign("quoc-khanh-jp", "thu-chuc-mung", 2025, "songoaivu@example.gov.vn",
                  NOW + dt.timedelta(days=days), "abc123")


def test_get_confirms_without_changing_state_then_post_marks_done(served):
    url, ctx, clock = served
    tok = _token(ctx)
    r = httpx.get(f"{url}/ack/{tok}")
    assert r.status_code == 200
    assert "Đánh dấu đã hoàn thành" in r.text and "Quốc khánh Nhật Bản" in r.text
    assert "Chủ tịch UBND tỉnh gửi thư chúc mừng Đại sứ quán Nhật Bản" in r.text
    assert r.headers["referrer-policy"] == "no-referrer"
    # Nothing is confirmed yet: the page says whom the link was sent to, under the site's header.
    assert "Liên kết gửi tới" in r.text and "Người xác nhận" not in r.text and 'id="sent-to"' in r.text
    assert '<a class="brand" href="/">Lịch đối ngoại<small>' in r.text and "<main" in r.text
    assert not acks.is_done(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025)  # GET changed nothing
    r = httpx.post(f"{url}/ack/{tok}", data={"note": "Đã gửi thư ngày 14/02"})
    assert r.status_code == 200 and 'data-state="done"' in r.text
    assert "Người xác nhận" in r.text and "songoaivu@example.gov.vn" in r.text
    a = acks.get_ack(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025)
    assert a is not None and a.done_by == "songoaivu@example.gov.vn" and a.via == "email"
    assert a.note == "Đã gửi thư ngày 14/02" and a.nonce == "abc123" and a.done_at == NOW
    # Replaying the link is refused and changes nothing.
    clock.t = NOW + dt.timedelta(days=1)
    r = httpx.post(f"{url}/ack/{tok}", data={"note": "khác"})
    assert r.status_code == 409 and "Liên kết đã được sử dụng" in r.text
    assert acks.get_ack(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025).note == "Đã gửi thư ngày 14/02"
    r = httpx.get(f"{url}/ack/{tok}")
    assert r.status_code == 200 and 'data-state="already"' in r.text
    assert "bởi songoaivu@example.gov.vn (liên kết trong thư)." in r.text


def test_tampered_and_expired_links_are_refused(served):
    url, ctx, clock = served
    tok = _token(ctx, days=1)
    body, mac = tok.split(".")
    other = _token(ctx).split(".")[0]
    for bad in (f"{other}.{mac}", f"{body}.{mac[:-2]}xx", "rác", f"{body}."):
        for method in ("GET", "POST"):
            r = httpx.request(method, f"{url}/ack/{bad}")
            assert r.status_code == 400 and "Liên kết không hợp lệ" in r.text, (bad, method)
    clock.t = NOW + dt.timedelta(days=2)
    r = httpx.post(f"{url}/ack/{tok}")
    assert r.status_code == 410 and "Liên kết đã hết hạn" in r.text
    assert not acks.is_done(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025)


def test_signer_binds_every_field(make_env):
    rt = load_runtime(make_env())
    s = Signer(load_secret(rt.config))  # the [reminders] secret_file form
    tok = s.sign("e", "t", 2025, "a@b.vn", NOW + dt.timedelta(days=1), "n")
    c = s.verify(tok, NOW)
    assert (c.event_id, c.task_id, c.year, c.recipient, c.nonce) == ("e", "t", 2025, "a@b.vn", "n")
    with pytest.raises(LinkError):
        Signer(b"x" * 64).verify(tok, NOW)
    assert secret_path(rt.config).stat().st_mode & 0o777 == 0o600


def test_ack_cli(make_env, capsys):
    cfg = make_env()
    assert main(["--config", str(cfg), "ack", "quoc-khanh-jp/thu-chuc-mung", "--year", "2025",
                 "--note", "xong", "--by", "Trần Thị B"]) == 0
    assert "Đã đánh dấu hoàn thành" in capsys.readouterr().out
    assert main(["--config", str(cfg), "ack", "quoc-khanh-jp/thu-chuc-mung", "--year", "2025"]) == 0
    assert "Trần Thị B" in capsys.readouterr().out
    assert main(["--config", str(cfg), "ack", "quoc-khanh-jp/khong-co", "--year", "2025"]) == 1
    assert "thu-chuc-mung" in capsys.readouterr().err
    assert main(["--config", str(cfg), "ack", "khong-co/x", "--year", "2025"]) == 1


def test_both_daemons_of_a_pair_verify_each_others_links(make_env, db_url, tmp_path):
    """The key lives in the key file both hosts share (never in the database): host B without
    it refuses with a clear line; with a copy of A's it verifies A's links."""
    import shutil

    from reminderd.errors import ReminderdError
    from reminderd.security import keys
    from reminderd.store import open_store

    cfg_a = make_env()
    rt_a = load_runtime(cfg_a)
    # Host B: same database, its own state directory.
    cfg_b = cfg_a.with_name("b.toml")
    cfg_b.write_text(cfg_a.read_text(encoding="utf-8").replace('directory = "state"', 'directory = "state-b"'),
                     encoding="utf-8")
    rt_b = load_runtime(cfg_b)
    a, b = open_store(db_url), open_store(db_url)
    tok = signer_for(rt_a.config, a, NOW).sign("e", "t", 2025, "x@y.vn", NOW + dt.timedelta(days=1), "n")
    with pytest.raises(ReminderdError, match="chép tệp khóa từ dịch vụ kia"):
        signer_for(rt_b.config, b, NOW)
    (tmp_path / "state-b").mkdir(mode=0o700)
    shutil.copy2(keys.key_path(rt_a.config), keys.key_path(rt_b.config))
    assert signer_for(rt_b.config, b, NOW).verify(tok, NOW).event_id == "e"
    a.dispose()
    b.dispose()
