"""The outbox page in real headless Chromium, against a real ``reminderd run`` and a real SMTP
server (aiosmtpd, STARTTLS + AUTH): a row that failed is retried from the page and arrives.
axe-core (npm) checks the page for accessibility violations when it is installed.

UPDATE_GOLDEN=1 also writes docs/screenshot-outbox.png.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from reminderd import tokens
from reminderd.store import schema

from .axe import AXE_JS
from .browser_support import (
    BROWSER_MARKS,
)
from .conftest import ROOT
from .mail_support import SmtpSink, config_text, sink_env
from .test_daemon import DaemonProcess, free_port

pytestmark = BROWSER_MARKS

# axe-core from npm, where tests/axe.py finds it (.ci/run installs it in tests/js).
AXE = next((p for p in (AXE_JS, ROOT / "node_modules" / "axe-core" / "axe.min.js") if p.exists()), None)
AT = "2025-02-13T09:00"  # the JP letter's window opens: a reminder to so-ngoai-vu goes now
GREYLISTED = "songoaivu@example.gov.vn"




@pytest.fixture
def sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    yield from sink_env(tmp_path, monkeypatch)


def outbox_rows(db: str) -> list[dict[str, Any]]:
    eng = create_engine(db)
    try:
        with eng.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(schema.outbox))]
    finally:
        eng.dispose()


def wait_for(pred: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def axe_violations(browser: Any, url: str, cookies: list[Any]) -> list[dict[str, Any]]:
    """axe-core's WCAG 2 A/AA violations on ``url`` (the page's CSP set aside to inject it)."""
    assert AXE is not None
    ctx = browser.new_context(bypass_csp=True)
    ctx.add_cookies(cookies)
    page = ctx.new_page()
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})")
    ctx.close()
    assert len(result["passes"]) > 10, "axe-core did not run its rules"
    return [{"id": v["id"], "help": v["help"], "nodes": [n["html"][:120] for n in v["nodes"]]}
            for v in result["violations"]]


def test_a_failed_row_retried_from_the_page_is_sent(browser: Any, sink: SmtpSink, make_env: Any,
                                                   tmp_path: Path) -> None:
    port = free_port()
    extra = textwrap.dedent(f"""
        [http]
        bind = "127.0.0.1:{port}"
        base_url = "http://127.0.0.1:{port}"

        [daemon]
        dispatch_interval = 1

        """)
    text = config_text(sink)
    cfg = make_env(config=text.replace("[[department]]", extra + "[[department]]", 1))
    db = f"sqlite:///{tmp_path / 'state' / 'reminderd.db'}"
    sink.handler.rcpt_replies[GREYLISTED] = "451 4.7.1 greylisted, try again later"
    d = DaemonProcess(cfg, tmp_path, name="outbox", args=("--at", AT)).wait_ready()
    try:
        def reminder() -> dict[str, Any] | None:
            return next((r for r in outbox_rows(db) if r["kind"] == "window_open"), None)

        wait_for(lambda: (reminder() or {}).get("state") == "failed", 30, "the reminder to fail")
        row = reminder()
        assert row is not None and row["recipient"] == GREYLISTED and row["attempts"] == 1
        # Its own retry is a minute or more away; the server is fixed now.
        assert row["next_attempt_at"] - dt.datetime.fromisoformat(AT + ":00+07:00") >= dt.timedelta(minutes=1)
        del sink.handler.rcpt_replies[GREYLISTED]
        assert row["message_id"] not in {a.message_id for a in sink.handler.accepted}

        # An editor opens the page with the editor link an administrator gave them.
        from reminderd.store import open_store

        store = open_store(db)
        _, secret = tokens.create(store, "admin", "all", "Biên tập Sở Ngoại vụ", dt.datetime.now(dt.UTC))
        store.dispose()
        ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{d.base}/a/{secret}")
        page.click("nav a[href='/outbox']")
        page.wait_for_url("**/outbox")
        card = page.locator(f"#ob-failed article#row-{row['id']}")
        assert card.count() == 1
        text = card.inner_text()
        assert "451 4.7.1 greylisted" in text and "Thử lại lúc" in text and GREYLISTED in text
        shot = tmp_path / "screenshot-outbox.png"
        card.scroll_into_view_if_needed()
        page.screenshot(path=str(shot))
        card.locator("button.obretry").click()
        page.wait_for_url(f"**/outbox?msg=retried&id={row['id']}")
        assert "Đã đưa thư số" in page.locator("#flash").inner_text()
        wait_for(lambda: row["message_id"] in {a.message_id for a in sink.handler.accepted}, 20,
                 "the retried message at the SMTP server")
        wait_for(lambda: (reminder() or {}).get("state") == "sent", 10, "the row to be recorded sent")
        page.reload()
        assert page.locator(f"#ob-sent article#row-{row['id']}").count() == 1
        # Its message, as the recipient saw it, is what the server received.
        page.click(f"#ob-sent article#row-{row['id']} a[href='/outbox/{row['id']}']")
        page.wait_for_url(f"**/outbox/{row['id']}")
        received = next(m for m in sink.handler.messages() if str(m["Message-ID"]) == row["message_id"])
        assert str(received["Subject"]) in page.locator("dl.obheaders").inner_text()
        frame = page.frame_locator("iframe.obmail")
        assert "Quốc khánh Nhật Bản" in frame.locator("body").inner_text()
        assert not errors, errors
        # On a phone: nothing wider than the screen.
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        phone.add_cookies(ctx.cookies())
        p2 = phone.new_page()
        p2.goto(f"{d.base}/outbox")
        assert p2.evaluate("document.documentElement.scrollWidth") <= 392
        p2.screenshot(path=str(tmp_path / "screenshot-outbox-phone.png"))
        phone.close()
        if os.environ.get("UPDATE_GOLDEN"):
            shutil.copy(shot, ROOT / "docs" / "screenshot-outbox.png")
        if AXE is not None:
            for url in (f"{d.base}/outbox", f"{d.base}/outbox/{row['id']}"):
                found = axe_violations(browser, url, ctx.cookies())
                assert not found, json.dumps(found, ensure_ascii=False, indent=1)
        ctx.close()
    finally:
        assert d.stop() == 0, d.log
    if AXE is None:
        pytest.skip("axe-core is not installed (npm install --no-save axe-core@4): accessibility not checked")
