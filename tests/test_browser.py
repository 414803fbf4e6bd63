"""The page in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright), used
as a clerk would, at 1366×768 and 390×844: land by a department's link, see today's work first,
mark done and undo in place; add an ad-hoc item typing what a clerk types, edit it, delete it;
the year view by keyboard and on a phone; subscribing; the error pages. axe-core checks every
page and state (tests/axe.py; skipped, saying how to install it, when it is missing).

UPDATE_GOLDEN=1 also writes the screenshots docs/ shows (docs/screenshot-*.png).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reminderd import acks, adhoc, audit, tokens

from .axe import assert_no_violations, axe_source
from .browser_support import (
    BROWSER_MARKS,
    DESKTOP,
    PHONE,
    save_shot,
)
from .webutil import NOW, Live, make_context, serve

SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module", autouse=True)
def _axe_installed() -> None:
    axe_source()  # skip the module early, saying how to install it, if axe-core is missing




@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


class Tab:
    """One browser context at one size, with console errors (CSP, script) collected."""

    def __init__(self, browser: Any, size: dict[str, int]):
        phone = size["width"] < 600
        self.ctx = browser.new_context(viewport=size, locale="vi-VN", is_mobile=phone, has_touch=phone)
        self.page = self.ctx.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.phone = phone

    def close(self) -> None:
        self.ctx.close()
        # A 401/403/404 page logs its status as a console error; anything else is a fault.
        real = [e for e in self.errors if "the server responded with a status of" not in e]
        assert not real, real


shot = save_shot


def fits(page: Any) -> None:
    """Nothing wider than the screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 2


def suffix(t: Tab) -> str:
    return "-phone" if t.phone else ""


@pytest.mark.parametrize("size", SIZES)
def test_a_clerks_day(browser: Any, live: Live, tmp_path: Path, size: dict[str, int]) -> None:
    """Land by the department's link, see what needs doing first, mark done with a note (in
    place: no reload), undo it, look at the overdue list, switch department and language."""
    t = Tab(browser, size)
    page = t.page
    _, secret = tokens.create(live.ctx.store, "access", "department/so-ngoai-vu", "Phòng Lễ tân", NOW)
    page.goto(f"{live.url}/a/{secret}")
    page.wait_for_url("**/d/so-ngoai-vu")
    assert "/a/" not in page.url  # the capability does not stay in the address bar
    assert page.locator("h1").inner_text() == "Sở Ngoại vụ"
    fits(page)
    # Today's work is the first thing on the page, in view without scrolling.
    first = page.locator("#sec-now article.task").first
    box = first.bounding_box()
    assert box is not None and box["y"] + 60 < size["height"], box
    assert first.locator(".rel").inner_text() == "Còn 7 ngày" and first.locator(".dd").inner_text() == "17/02"
    assert page.locator("section.sec").first.get_attribute("id") == "sec-now"
    # The header's tools are on screen and big enough to tap.
    for sel in ("#lang-switch", "button.logout"):
        b = page.locator(sel).bounding_box()
        assert b is not None and b["height"] >= 24 and b["x"] + b["width"] <= size["width"], (sel, b)
    assert_no_violations(page, "a department's page")
    shot(page, tmp_path, f"screenshot-overview{suffix(t)}.png")

    # Mark done with a note: the row changes where it is, the page says so and offers undo.
    key = first.get_attribute("data-key")
    assert key
    page.evaluate("window.stillHere = true")
    first.locator("details.notebox summary").click()
    first.locator("input[name=note]").fill("Đã trình ký")
    first.locator("button[type=submit]").click()
    row = page.locator(f"#sec-now article.task[data-key='{key}']")
    row.locator("form.undo-form").wait_for()
    assert page.evaluate("window.stillHere") is True  # no reload, no jump to the done section
    assert "Đã trình ký" in row.inner_text() and "Phòng Lễ tân" in row.inner_text()
    assert page.locator("#live").inner_text().startswith("Đã ghi nhận hoàn thành:")
    a = acks.get_ack(live.ctx.store, *key.partition("@")[0].split("/"), 2025)
    assert a is not None and a.via == "web" and a.note == "Đã trình ký"
    assert page.evaluate("document.activeElement.textContent") == "Hoàn tác"  # focus stays with the row
    assert_no_violations(page, "a row just marked done")
    if not t.phone:
        shot(page, tmp_path, "screenshot-done-undo.png")

    # Undo: the acknowledgement is gone (recorded in the audit trail), the button is back.
    row.locator("form.undo-form button").click()
    row.locator("form.done-form").wait_for()
    assert page.locator("#live").inner_text().startswith("Đã hoàn tác:")
    assert acks.get_ack(live.ctx.store, *key.partition("@")[0].split("/"), 2025) is None
    assert [e.action for e in audit.entries(live.ctx.store, action_prefix="ack.")] == ["ack.undo", "ack.add"]
    assert page.evaluate("window.stillHere") is True

    # Overdue: a count and the latest three; the rest a click away.
    overdue = page.locator("#sec-overdue")
    assert overdue.locator(":scope > .rows article.task").count() == 3
    more = overdue.locator("details.more")
    assert more.locator("article.task").first.is_hidden()
    more.locator(":scope > summary").click()
    assert more.locator("article.task").first.is_visible()
    assert_no_violations(page, "the overdue list opened")

    # Another department, then English: the same page, the address kept.
    page.select_option("#dep-switch", "vp-ubnd")
    page.click("form.switch button")
    page.wait_for_url("**/d/vp-ubnd")
    page.click("#lang-switch")
    page.wait_for_url("**/d/vp-ubnd?lang=en")
    assert page.locator("#sec-now h2").inner_text().startswith("To do in the next 7 days")
    assert_no_violations(page, "a department's page in English")
    t.close()


@pytest.mark.parametrize("size", SIZES)
def test_an_ad_hoc_item_in_a_clerks_words(browser: Any, live: Live, tmp_path: Path, size: dict[str, int]) -> None:
    """Type 24/12/2026, Nhật Bản, 3-5 ngày làm việc; forget the lead department and be told so
    next to the field; save; edit (a lunar date, 10 ngày); delete, confirming first."""
    t = Tab(browser, size)
    page = t.page
    _, secret = tokens.create(live.ctx.store, "admin", "all", "Biên tập Sở Ngoại vụ", NOW)
    page.goto(f"{live.url}/a/{secret}")
    page.click("nav a[href='/adhoc']")
    page.wait_for_url("**/adhoc")
    assert_no_violations(page, "the empty ad-hoc form")
    page.fill("#f-title", "Đại sứ Nhật Bản mới đến chào xã giao")
    page.fill("#f-date", "24/12/2026")
    page.fill("#f-country", "Nhật Bản")
    page.check("input[name=tags][value=su-kien-doi-ngoai]")
    page.fill("#task1-action", "Chuẩn bị nội dung tiếp Đại sứ")
    page.fill("#task1-lead", "3-5 ngày làm việc")
    page.click("#adhoc-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#e-task1-owner").inner_text() == "Chọn đơn vị chủ trì."
    assert page.locator("#task1-owner").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-date").input_value() == "24/12/2026"  # what was typed stays
    assert page.locator("#task1-lead").input_value() == "3-5 ngày làm việc"
    assert adhoc.list_items(live.ctx.store) == []
    fits(page)
    assert_no_violations(page, "the ad-hoc form with an error")
    shot(page, tmp_path, f"screenshot-adhoc{suffix(t)}.png", full=True)
    page.select_option("#task1-owner", "so-ngoai-vu")
    page.locator("fieldset.taskrow").first.locator("details.support summary").click()
    page.check("input[name=task1_support][value=vp-ubnd]")
    page.click("#adhoc-form button[type=submit]")
    page.wait_for_url("**/adhoc?saved=*")
    assert page.locator("#adhoc-message").inner_text() == "Đã lưu “Đại sứ Nhật Bản mới đến chào xã giao”."
    item = page.locator("ul.adhoc-items li.card")
    assert item.count() == 1
    assert "24/12/2026 · Nhật Bản" in item.inner_text() and "3-5 ngày làm việc" in item.inner_text()
    (stored,) = adhoc.list_items(live.ctx.store)
    assert stored.data["date"] == "2026-12-24" and stored.data["country"] == "JP"
    assert stored.data["task"] == [{"id": "viec-1", "action": "Chuẩn bị nội dung tiếp Đại sứ", "lead": "3-5wd",
                                    "owner": "so-ngoai-vu", "support": ["vp-ubnd"]}]
    assert_no_violations(page, "the ad-hoc page after saving")

    # In the department's feed at once (the link the subscribe page gives).
    if not t.phone:
        page.goto(live.url + "/subscribe")
        link = page.locator("li.feed[data-feed='department/so-ngoai-vu'] input.https").input_value()
        body = page.request.get(live.url + "/" + link.split("://", 1)[1].split("/", 1)[1]).text()
        assert "Chuẩn bị nội dung tiếp Đại sứ" in body.replace("\r\n ", "")
        page.goto(live.url + "/adhoc")

    # Edit: the form speaks the clerk's words back; a lunar date and "10 ngày" this time.
    page.click(f"a[href='/adhoc/{stored.event_id}/edit']")
    page.wait_for_url("**/edit")
    assert page.locator("#f-date").input_value() == "24/12/2026"
    assert page.locator("#f-country").input_value() == "Nhật Bản"
    assert page.locator("#task1-lead").input_value() == "3-5 ngày làm việc"
    assert page.locator("#f-lunar").is_checked() is False and page.locator(".lunarbox").is_hidden()
    # The date picker fills the typed field the clerk's way.
    page.locator("#f-date-pick").fill("2026-12-25")
    page.locator("#f-date-pick").dispatch_event("change")
    assert page.locator("#f-date").input_value() == "25/12/2026"
    page.check("#f-lunar")
    assert page.locator(".lunarbox").is_visible() and page.locator("#f-date").is_hidden()
    page.select_option("select[name=lunar_day]", "15")
    page.select_option("select[name=lunar_month]", "8")
    page.fill("#task1-lead", "10 ngày")
    assert_no_violations(page, "the edit form")
    page.click("#adhoc-form button[type=submit]")
    page.wait_for_url("**/adhoc?updated=*")
    assert page.locator("#adhoc-message").inner_text().startswith("Đã sửa")
    (stored,) = adhoc.list_items(live.ctx.store)
    assert stored.data["date"] == "lunar:08-15" and stored.data["task"][0]["lead"] == "10d"
    assert "âm lịch ngày 15 tháng 8" in page.locator("ul.adhoc-items li.card").inner_text()

    # Delete: asked first, then told what happened.
    page.click(f"a[href='/adhoc/{stored.event_id}/delete']")
    page.wait_for_url("**/delete")
    assert page.locator("h1").inner_text() == "Xóa mục “Đại sứ Nhật Bản mới đến chào xã giao”?"
    assert adhoc.list_items(live.ctx.store)  # nothing deleted by looking
    assert_no_violations(page, "the delete confirmation")
    page.click("#confirm-delete button")
    page.wait_for_url("**/adhoc?deleted=*")
    assert page.locator("#adhoc-message").inner_text().startswith("Đã xóa “Đại sứ Nhật Bản mới đến chào xã giao”")
    assert page.locator("ul.adhoc-items li.card").count() == 0
    assert adhoc.list_items(live.ctx.store) == []
    assert_no_violations(page, "the ad-hoc page after deleting")
    t.close()


@pytest.mark.parametrize("size", SIZES)
def test_year_view(browser: Any, live: Live, tmp_path: Path, size: dict[str, int]) -> None:
    """Every event day drawn; days reachable by Tab and the arrow keys; a day's panel grouped;
    on a phone the year opens at the current month."""
    t = Tab(browser, size)
    page = t.page
    page.goto(live.url + "/year/2025")
    plan = live.ctx.runtime.plan(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    event_days = {o.date.isoformat() for o in plan.occurrences if o.date.year == 2025}
    marked = page.locator("td.day.marked")
    assert marked.count() == len(event_days) > 20
    assert set(page.eval_on_selector_all("td.day.marked", "els => els.map(e => e.dataset.date)")) == event_days
    assert page.locator("td.day button.d").count() == 365
    assert page.locator("td.day.hol[data-date='2025-01-29']").count() == 1  # Tết
    assert page.locator("td.day i.win").count() > 0  # task windows are drawn
    fits(page)
    if t.phone:
        # Today is 10/02/2025: February is at the top of the screen, not January.
        top = page.locator("#m-2").bounding_box()
        assert top is not None and -5 <= top["y"] <= 100, top
        page.locator("td.day[data-date='2025-02-23'] button.d").tap()
        shot(page, tmp_path, "screenshot-year-phone.png")
    else:
        shot(page, tmp_path, "screenshot-year.png", full=True)
        # Keyboard: Tab reaches the days (one stop per month), the arrows move, Enter opens.
        page.locator("#year-dep").focus()
        for _ in range(8):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('d')"):
                break
        assert page.evaluate("document.activeElement.closest('td').dataset.date") == "2025-01-01"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.closest('td').dataset.date") == "2025-01-09"
        page.locator("td.day[data-date='2025-02-23'] button.d").focus()
        page.keyboard.press("Enter")
    panel = page.locator("section.month[data-month='2'] .daypanel")
    assert panel.is_visible()
    text = panel.inner_text()
    assert text.startswith("Chủ Nhật 23/02/2025") and "Sự kiện (1)" in text and "Quốc khánh Nhật Bản" in text
    assert_no_violations(page, "the year view with a day open")
    if not t.phone:
        page.keyboard.press("Escape")
        assert panel.is_hidden()
    # The busiest day's panel groups its lines by department instead of one long list.
    busiest = max((d for d in page.eval_on_selector_all("td.day", "els => els.map(e => e.dataset.date)")),
                  key=lambda d: sum(1 for tk in plan.tasks if tk.window_start.isoformat() <= d <= tk.due.isoformat()))
    page.locator(f"td.day[data-date='{busiest}'] button.d").click()
    month = int(busiest[5:7])
    open_tasks = page.locator(f"section.month[data-month='{month}'] .daypanel details.open-tasks")
    assert open_tasks.count() == 1 and open_tasks.locator("ul").count() >= 2  # grouped, collapsed
    assert_no_violations(page, "the year view's busiest day")
    t.close()


@pytest.mark.parametrize("size", SIZES)
def test_subscribe_login_and_error_pages(browser: Any, live: Live, tmp_path: Path, size: dict[str, int],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The overview for anyone, the subscribe page (grouped, copy, the intranet note), the login
    page, and the error pages: a page each, with the header, and no accessibility violations."""
    t = Tab(browser, size)
    page = t.page
    page.goto(live.url + "/")
    assert page.locator("aside.deplist li").count() == len(live.ctx.config.departments)
    fits(page)
    assert_no_violations(page, "the overview, anonymous")
    page.goto(live.url + "/subscribe")
    assert page.locator("#reach-note").is_visible()
    page.locator("li.feed button.copy").first.click()
    assert page.locator("li.feed button.copy").first.inner_text() == "Đã sao chép"
    assert_no_violations(page, "the subscribe page")
    _, secret = tokens.create(live.ctx.store, "admin", "all", "Biên tập", NOW)
    page.goto(f"{live.url}/a/{secret}")
    page.goto(live.url + "/subscribe")
    assert page.locator("details.fgroup").count() == 4  # everything, kinds of event, departments, countries
    fits(page)
    assert_no_violations(page, "the subscribe page for an editor")
    shot(page, tmp_path, f"screenshot-subscribe{suffix(t)}.png")
    page.click("button.logout")
    page.wait_for_url(live.url + "/")
    page.goto(live.url + "/login")
    page.fill("input[name=password]", "sai mật khẩu")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "Sai tên đăng nhập" in page.locator(".alert").inner_text()
    assert_no_violations(page, "the login page after a wrong password")
    for path, status in (("/khong-ton-tai", 404), ("/year/abc", 404), ("/adhoc", 401)):
        r = page.goto(live.url + path)
        assert r is not None and r.status == status
        assert page.locator("h1").inner_text() == f"Lỗi {status}"
        assert page.locator("a", has_text="Về trang chủ").count() == 1
        assert_no_violations(page, f"the {status} page")
    _, dep = tokens.create(live.ctx.store, "access", "department/so-khdt", "x", NOW)
    page.goto(f"{live.url}/a/{dep}")
    r = page.goto(live.url + "/adhoc")
    assert r is not None and r.status == 403
    assert_no_violations(page, "the 403 page")

    def broken(*a: object, **k: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr("reminderd.web.pages.task_views", broken)
    r = page.goto(live.url + "/d/so-khdt")
    assert r is not None and r.status == 500 and page.locator("h1").inner_text() == "Lỗi 500"
    assert_no_violations(page, "the 500 page")
    t.close()


def test_pages_have_no_iso_dates_or_raw_ids_for_people(browser: Any, live: Live) -> None:
    """What people read says 10/02/2025 and "3-5 ngày làm việc", not 2025-02-10 or 3-5wd."""
    t = Tab(browser, DESKTOP)
    page = t.page
    page.goto(live.url + "/")
    for d in page.locator("details.how >> visible=true").all()[:8]:
        d.locator("summary").click()
    text = page.locator("main").inner_text()
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), re.findall(r".{30}\d{4}-\d{2}-\d{2}.{10}", text)[:3]
    assert not re.search(r"\b\d+(-\d+)?wd\b", text)
    t.close()
