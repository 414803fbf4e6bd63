"""No ``[smtp] host``: messages are written to a local Maildir (``state/mail/``), not sent.

What a first run does (the example config has no host): the day's reminders become ``.eml``
files any mail client opens; the log, ``/healthz`` and ``reminderd send-test`` say plainly
that nothing was sent. Files are read back with the standard library's ``mailbox`` and
``email`` parsers, which did not write them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import mailbox
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import httpx

from reminderd import outbox
from reminderd.cli import main as cli_main
from reminderd.config import mail_transport, maildir_path
from reminderd.context import Context
from reminderd.runtime import load_runtime
from reminderd.store import open_store
from reminderd.web.health import health_report, smtp_facts

from .conftest import ROOT, SMALL_CONFIG

NO_HOST = SMALL_CONFIG.replace('[smtp]\nhost = "127.0.0.1"\nport = 8025\ntls = "none"\n', "[smtp]\n")
TZ_NOW = dt.datetime(2025, 2, 13, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội: the JP letter's window opens
HEADERS = ("From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "X-Reminderd-Kind")


def read_folder(folder: Path) -> list[EmailMessage]:
    """Every message of a Maildir, parsed by the email package (one .eml file each)."""
    files = sorted((folder / "new").glob("*.eml"))
    assert len(files) == len(mailbox.Maildir(folder, create=False)), "mailbox sees the same messages"
    return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]  # type: ignore[misc]


def test_without_a_host_messages_are_eml_files_in_a_maildir(make_env) -> None:
    cfg = make_env(config=NO_HOST)
    rt = load_runtime(cfg)
    assert mail_transport(rt.config) == "maildir"
    folder = maildir_path(rt.config)
    assert folder == rt.config.state_dir / "mail"
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: TZ_NOW)
    outbox.planning_pass_sync(ctx)
    result = asyncio.run(outbox.dispatch(ctx))
    rows = {r["message_id"]: r for r in outbox.list_rows(ctx.store, limit=100)}
    assert result["sent"] == len(rows) > 0 and {r["state"] for r in rows.values()} == {"sent"}
    msgs = read_folder(folder)
    assert len(msgs) == len(rows)
    for m in msgs:
        assert all(m[h] for h in HEADERS), {h: m[h] for h in HEADERS}
        r = rows[str(m["Message-ID"])]
        assert str(m["To"]) == r["recipient"]
        assert str(m["From"]) == "Nhắc việc đối ngoại <reminderd@example.gov.vn>"
        assert m.get_body(("plain",)) is not None and m.get_body(("html",)) is not None
    due = next(m for m in msgs if m["X-Reminderd-Kind"] == "window_open")
    assert "Quốc khánh Nhật Bản" in due.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert [a.get_filename() for a in due.iter_attachments()] == ["quoc-khanh-jp-thu-chuc-mung-2025.ics"]
    # Nothing left half-written, nothing in tmp/.
    assert not list((folder / "tmp").iterdir())
    # Planning and sending again write nothing more.
    outbox.planning_pass_sync(ctx)
    assert asyncio.run(outbox.dispatch(ctx))["claimed"] == 0
    assert len(read_folder(folder)) == len(rows)


def test_healthz_and_send_test_say_nothing_was_sent(make_env, capsys) -> None:
    cfg = make_env(config=NO_HOST)
    rt = load_runtime(cfg)
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: TZ_NOW)
    ctx.health.update(scheduler="running", last_plan={"at": TZ_NOW.isoformat(), "ok": True})
    code, body = health_report(ctx, True, None, smtp_facts(ctx))
    assert code == 200 and body["status"] == "degraded"
    assert body["mail"] == {"transport": "maildir", "folder": str(maildir_path(rt.config)),
                            "note": "delivered to a local folder, not sent"}
    assert any(w.startswith("mail: delivered to a local folder, not sent") for w in body["warnings"])
    assert cli_main(["--config", str(cfg), "send-test", "--to", "thu@example.gov.vn"]) == 0
    out = capsys.readouterr().out
    assert "không gửi đi" in out and str(maildir_path(rt.config) / "new") in out
    [m] = read_folder(maildir_path(rt.config))
    assert str(m["To"]) == "thu@example.gov.vn" and m["X-Reminderd-Kind"] == "test"
    # A host in the config (the "auto" default) sends for real; an explicit transport wins.
    with_host = load_runtime(make_env(config=SMALL_CONFIG))
    assert mail_transport(with_host.config) == "smtp"
    forced = load_runtime(make_env(config=SMALL_CONFIG.replace("[smtp]\n", '[smtp]\ntransport = "maildir"\n')))
    assert mail_transport(forced.config) == "maildir"


def test_the_readmes_first_command_on_a_fresh_clone_leaves_the_days_reminders_as_files(tmp_path: Path) -> None:
    """``reminderd run`` as the README says, in a copy of the repository's config and catalog
    (what a fresh clone has), the example config unchanged but for the HTTP port (another
    test may hold 8080) and ``--at`` (a day known to have reminders)."""
    clone = tmp_path / "clone"
    for part in ("config", "calendars"):
        shutil.copytree(ROOT / part, clone / part)
    example = clone / "config" / "reminderd.toml"
    text = example.read_text(encoding="utf-8")
    assert "\nhost =" not in text.split("[smtp]", 1)[1].split("\n[", 1)[0], "the example config must have no host"
    port = _free_port()
    example.write_text(text.replace("127.0.0.1:8080", f"127.0.0.1:{port}"), encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"\.venv/bin/reminderd run\n", readme), "the README's first command is `reminderd run`"
    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "REMINDERD_CONFIG")}
    log = tmp_path / "run.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "reminderd", "run", "--at", "2026-03-02T09:00"],
                                cwd=clone, env=env, stdout=subprocess.DEVNULL, stderr=err)
        try:
            folder = clone / "state" / "mail"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if "dispatch.done" in log.read_text(encoding="utf-8", errors="replace"):
                    break
                assert proc.poll() is None, log.read_text(encoding="utf-8")
                time.sleep(0.2)
            health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).json()
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(30) == 0
    text = log.read_text(encoding="utf-8")
    assert "event=mail.local_folder" in text and "KHÔNG gửi đi" in text, text
    msgs = read_folder(folder)
    assert len(msgs) >= 5, len(msgs)
    kinds = {str(m["X-Reminderd-Kind"]) for m in msgs}
    assert {"window_open", "digest"} <= kinds, kinds
    for m in msgs:
        assert all(m[h] for h in HEADERS)
        assert str(m["Subject"]).startswith(("[Nhắc việc]", "[Tổng hợp tuần]")), m["Subject"]
    assert health["mail"]["transport"] == "maildir"
    assert "mail: delivered to a local folder, not sent" in " ".join(health["warnings"])


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_composing_a_batch_leaves_the_event_loop_free(make_env, monkeypatch) -> None:
    """Messages are composed in a worker thread: the page and the feeds are served while a large
    catalog's catch-up batch is composed (seconds of work on the event loop before)."""
    from reminderd.outbox import sending

    cfg = make_env(config=NO_HOST)
    rt = load_runtime(cfg)
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: TZ_NOW)
    outbox.planning_pass_sync(ctx)
    real = sending.compose_row

    def slow(*args, **kwargs):  # a message that takes a while to compose
        time.sleep(0.05)
        return real(*args, **kwargs)
    monkeypatch.setattr(sending, "compose_row", slow)

    async def run() -> tuple[dict[str, int], int]:
        ticks = 0
        done = False

        async def ticker() -> None:
            nonlocal ticks
            while not done:
                ticks += 1
                await asyncio.sleep(0.01)
        task = asyncio.create_task(ticker())
        result = await outbox.dispatch(ctx)
        done = True
        await task
        return result, ticks
    result, ticks = asyncio.run(run())
    assert result["sent"] >= 2
    assert ticks >= result["sent"] * 2  # the loop ran on while each message was composed
