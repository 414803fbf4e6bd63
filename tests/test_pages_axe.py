"""Every page of the menu that the other browser tests do not check with axe-core, as its users
open it, in real Chromium: the editors' catalog pages (catalog, partners, an event, an import's
preview), the audit trail, the outbox and one message, the documents page, and the e-mail "done"
link's page. Each has no axe violation (every rule axe runs by default) and, on a phone, nothing
wider than the screen. Lean on purpose: one browser, one server, one load per page.

UPDATE_GOLDEN=1 also writes docs/screenshot-documents.png and docs/screenshot-ack.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reminderd import acks, outbox, tokens
from reminderd.signing import signer_for

from . import appendix
from .axe import assert_no_violations, axe_source
from .browser_support import (
    BROWSER_MARKS,
    DESKTOP,
    PHONE,
)
from .test_browser import fits, shot
from .webutil import NOW, Live, make_context, serve

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module", autouse=True)
def _axe_installed() -> None:
    axe_source()  # skip the module early, saying how to install it, if axe-core is missing




@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    db = tmp_path_factory.mktemp("axe") / "reminderd.db"
    srv = serve(make_context(f"sqlite:///{db}"))
    ctx = srv.ctx
    outbox.planning_pass_sync(ctx)  # the outbox has rows to show
    acks.mark_done(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025, "token 1: Phòng Lễ tân", "web",
                   "Đã trình ký", NOW)  # and the audit trail an entry
    yield srv
    srv.stop()


def visit(browser: Any, size: dict[str, int], secret: str | None, base: str) -> Any:
    phone = size["width"] < 600
    ctx = browser.new_context(viewport=size, locale="vi-VN", is_mobile=phone, has_touch=phone)
    page = ctx.new_page()
    if secret:
        page.goto(f"{base}/a/{secret}")
    return page


def check(page: Any, url: str, where: str) -> None:
    page.goto(url)
    assert page.locator("main h1").count() == 1, where
    assert_no_violations(page, where)
    fits(page)


@pytest.mark.parametrize("size", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_editors_pages(browser: Any, live: Live, tmp_path: Path, size: dict[str, int]) -> None:
    _, secret = tokens.create(live.ctx.store, "admin", "all", "Biên tập", NOW)
    page = visit(browser, size, secret, live.url)
    u = live.url
    check(page, f"{u}/catalog?q=nhat", "the catalog with search results")
    check(page, f"{u}/catalog/partners", "the partners page")
    check(page, f"{u}/catalog/event/quoc-khanh-jp", "an event page")
    check(page, f"{u}/audit", "the audit trail")
    check(page, f"{u}/outbox", "the outbox")
    row = outbox.list_rows(live.ctx.store)[0]
    check(page, f"{u}/outbox/{row['id']}", "one outbox message")
    check(page, f"{u}/documents", "the documents page")
    if size is DESKTOP:
        shot(page, tmp_path, "screenshot-documents.png")
    if size is DESKTOP:  # the import's preview: one upload is enough
        src = tmp_path / "phu-luc.xlsx"
        src.write_bytes(appendix.xlsx(appendix.BINH_DINH, title="PHỤ LỤC CÁC NHIỆM VỤ CỤ THỂ"))
        check(page, f"{u}/catalog/import", "the import page")
        page.set_input_files("input[name=file]", str(src))
        page.click("#upload button")
        page.wait_for_selector("#preview")
        assert_no_violations(page, "an import's preview")
    page.context.close()


@pytest.mark.parametrize("size", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_the_email_done_link_page(browser: Any, live: Live, tmp_path: Path, size: dict[str, int]) -> None:
    """A recipient opens the link from a reminder: no session, the same look and landmarks as
    the other pages; confirms; the page says so."""
    link = signer_for(live.ctx.config, live.ctx.store, NOW).sign(
        "quoc-khanh-th" if size is DESKTOP else "quoc-khanh-fr", "thu-chuc-mung", 2025, "songoaivu@example.gov.vn",
        NOW + dt.timedelta(days=30), f"n-{size['width']}")
    page = visit(browser, size, None, live.url)
    check(page, f"{live.url}/ack/{link}", "the e-mail link's page")
    assert page.locator("link[href='/static/page.css']").count() == 1
    assert page.locator("header.top .brand").inner_text().startswith("Lịch đối ngoại")
    if size is DESKTOP:
        shot(page, tmp_path, "screenshot-ack.png")
    page.click("main form button[type=submit]")
    page.locator("#result[data-state=done]").wait_for()
    assert_no_violations(page, "the e-mail link's page, confirmed")
    page.goto(f"{live.url}/ack/{link}?lang=en")
    assert page.locator("h1").inner_text() == "Already done" and page.locator("html").get_attribute("lang") == "en"
    page.context.close()
