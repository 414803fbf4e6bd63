"""The page in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

UPDATE_GOLDEN=1 also writes the screenshots the README shows (docs/screenshot-*.png).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reminderd import acks, tokens

from .conftest import ROOT
from .webutil import NOW, Live, make_context, serve

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="/usr/bin/chromium is missing (apt-get install -y chromium; .ci/run does it)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


def shot(page: object, tmp_path: Path, name: str, full: bool = True) -> Path:
    out = tmp_path / name
    page.screenshot(path=str(out), full_page=full)  # type: ignore[attr-defined]
    assert out.stat().st_size > 10_000
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.copy(out, ROOT / "docs" / name)
    return out


def test_overview_department_done_and_language(browser: object, live: Live, tmp_path: Path) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    page.goto(live.url + "/")
    assert page.locator("h1").inner_text().startswith("Tổng quan")
    assert page.locator("#sec-week article.task, #sec-soon article.task").count() > 0
    shot(page, tmp_path, "screenshot-overview.png", full=False)

    # Follow a department link from the overview: only that department's work.
    page.click("aside.deplist a[href='/d/so-ngoai-vu']")
    page.wait_for_url("**/d/so-ngoai-vu")
    assert "Sở Ngoại vụ" in page.locator("h1").inner_text()
    assert page.locator("form.done-form").count() == 0  # read-only until the department's link is used

    _, secret = tokens.create(live.ctx.store, "access", "department/so-ngoai-vu", "Phòng Lễ tân", NOW)
    page.goto(f"{live.url}/a/{secret}")
    page.wait_for_url("**/d/so-ngoai-vu")
    assert "/a/" not in page.url  # the capability does not stay in the address bar
    first = page.locator("#sec-week article.task, #sec-soon article.task").first
    key = first.get_attribute("data-key")
    assert key
    first.locator("input[name=note]").fill("Đã trình ký")
    first.locator("button[type=submit]").click()
    page.wait_for_load_state()
    done = page.locator(f"#sec-done article.task[data-key='{key}']")
    assert done.count() == 1 and "Đã trình ký" in done.inner_text()
    still_open = f"#sec-week article.task[data-key='{key}'], #sec-soon article.task[data-key='{key}']"
    assert page.locator(still_open).count() == 0
    event_id = key.partition("/")[0]
    assert any(a.event_id == event_id and a.via == "web" for a in acks.list_acks(live.ctx.store))

    # Switch language; it sticks for the next page.
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.locator("#sec-overdue h2").inner_text().startswith("Overdue")
    page.goto(live.url + "/year/2025")
    assert "The year 2025" in page.locator("h1").inner_text()

    # Readable on a phone: nothing wider than the screen.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)  # type: ignore[attr-defined]
    p2 = phone.new_page()
    p2.goto(live.url + "/")
    assert p2.evaluate("document.documentElement.scrollWidth") <= 392
    # A compact header: name and menu in a couple of lines, not a 150 px column of links.
    box = p2.locator("header.top").bounding_box()
    assert box is not None and box["height"] < 100, box
    phone.close()
    ctx.close()


def test_year_view_draws_every_event_day(browser: object, live: Live, tmp_path: Path) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = ctx.new_page()
    page.goto(live.url + "/year/2025")
    plan = live.ctx.runtime.plan(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    event_days = {o.date.isoformat() for o in plan.occurrences if o.date.year == 2025}
    marked = page.locator("td.day.marked")
    assert marked.count() == len(event_days) > 20
    assert {marked.nth(i).get_attribute("data-date") for i in range(marked.count())} == event_days
    assert page.locator("section.month").count() == 12
    assert page.locator("td.day").count() == 365
    assert page.locator("td.day.hol[data-date='2025-01-29']").count() == 1  # Tết
    assert page.locator("td.day i.win").count() > 0  # task windows are drawn
    # Coloured: event dots carry their tag's colour.
    colour = page.locator("td.day.marked i.ev").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour.startswith("rgb") and colour != "rgba(0, 0, 0, 0)"
    shot(page, tmp_path, "screenshot-year.png")
    ctx.close()


def test_year_view_day_tap_on_a_phone(browser: object, live: Live) -> None:
    """Phones have no hover: a tap on a day lists its events and task windows under the month."""
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,  # type: ignore[attr-defined]
                                has_touch=True)
    page = phone.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live.url + "/year/2025")
    plan = live.ctx.runtime.plan(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    occ = next(o for o in plan.occurrences if o.date.year == 2025)
    day = page.locator(f"td.day[data-date='{occ.date.isoformat()}']")
    panel = page.locator(f"section.month[data-month='{occ.date.month}'] .daypanel")
    assert panel.is_hidden()
    day.tap()
    assert panel.is_visible()
    assert occ.title in panel.inner_text()
    day.tap()  # a second tap closes it
    assert panel.is_hidden()
    assert not errors, errors  # nothing blocked by the CSP, no missing favicon
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    phone.close()


def test_adhoc_item_lands_in_the_department_feed(browser: object, live: Live) -> None:
    _, secret = tokens.create(live.ctx.store, "admin", "all", "Biên tập Sở Ngoại vụ", NOW)
    ctx = browser.new_context()  # type: ignore[attr-defined]
    page = ctx.new_page()
    page.goto(f"{live.url}/a/{secret}")
    page.click("nav a[href='/adhoc']")
    page.fill("input[name=title]", "Đại sứ Nhật Bản mới đến chào xã giao")
    page.fill("input[name=date]", "2025-03-12")
    page.fill("input[name=task1_action]", "Chuẩn bị nội dung tiếp Đại sứ")
    page.fill("input[name=task1_lead]", "5-3wd")  # wrong way round: the form says which field
    page.select_option("select[name=task1_owner]", "so-ngoai-vu")
    page.click("form.adhoc-form button[type=submit]")
    page.wait_for_load_state()
    assert "lead" in page.locator("#form-errors").inner_text()
    assert page.locator("input[name=title]").input_value() == "Đại sứ Nhật Bản mới đến chào xã giao"
    page.fill("input[name=task1_lead]", "3-5wd")
    page.select_option("select[name=task1_support]", ["vp-ubnd"])
    page.click("form.adhoc-form button[type=submit]")
    page.wait_for_url("**/adhoc?saved=*")
    assert page.locator("ul.adhoc-items li.card").count() == 1

    page.goto(live.url + "/d/vp-ubnd")
    assert "Chuẩn bị nội dung tiếp Đại sứ" in page.content()
    page.goto(live.url + "/subscribe")
    link = page.locator("li.feed[data-feed='department/so-ngoai-vu'] input.https").input_value()
    page.locator("li.feed[data-feed='department/so-ngoai-vu'] button.copy").click()
    feed_url = live.url + link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    resp = page.request.get(feed_url)
    if resp.status == 404 and "feeds" not in {r.path.split("/")[1] for r in live.server.config.app.routes}:  # type: ignore[attr-defined]
        pytest.skip("the feed routes are not installed")
    assert resp.status == 200
    body = resp.text().replace("\r\n ", "")
    assert "Chuẩn bị nội dung tiếp Đại sứ" in body
    ctx.close()
