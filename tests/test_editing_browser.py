"""The editors' pages in real headless Chromium: the partner page, an override, an import with
its preview. UPDATE_GOLDEN=1 also writes the screenshots docs/EDITING.md shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reminderd import audit, tokens

from . import appendix
from .browser_support import (
    BROWSER_MARKS,
    save_shot,
)
from .webutil import NOW, Live, make_context, serve

pytestmark = BROWSER_MARKS




@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


shot = save_shot


def editor_page(browser: object, live: Live, width: int = 1366, height: int = 768) -> object:
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    _, secret = tokens.create(live.ctx.store, "admin", "all", "Phòng Lễ tân", NOW)
    page.goto(f"{live.url}/a/{secret}")
    return page


def test_partner_page(browser: object, live: Live, tmp_path: Path) -> None:
    page = editor_page(browser, live)
    page.click("nav >> text=Danh mục")
    page.click(".subnav >> text=Đối tác")
    page.wait_for_url("**/catalog/partners")
    row = page.locator("#c-JP")
    assert "Nhật Bản" in row.inner_text() and "23/02/2025" in row.inner_text()
    row.locator("select[name=tier]").select_option("local_cooperation")
    row.locator("button:not([name])").click()
    page.wait_for_url("**/catalog/partners?saved=*")
    row = page.locator("#tier-local_cooperation #c-JP")
    assert "đã đổi (tệp: Quan hệ hợp tác thường xuyên)" in row.inner_text()
    # Add a country by typing its name as a clerk would.
    page.fill("#add-partner input[name=country]", "Ô-xtrây-li-a")
    page.select_option("#add-partner select[name=tier]", "regular")
    page.click("#add-partner button")
    page.wait_for_url("**/catalog/partners?saved=*")
    assert page.locator("#tier-regular #c-AU").count() == 1
    page.goto(f"{live.url}/catalog/partners#tier-local_cooperation")
    shot(page, tmp_path, "screenshot-partners.png")
    phone = editor_page(browser, live, 390, 844)
    phone.goto(f"{live.url}/catalog/partners#c-JP")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert live.ctx.config.tier_of("JP") == "local_cooperation" and live.ctx.config.tier_of("AU") == "regular"
    assert not page.errors and not phone.errors


def test_override_on_the_event_page(browser: object, live: Live, tmp_path: Path) -> None:
    page = editor_page(browser, live)
    page.goto(f"{live.url}/catalog")
    page.fill("#q", "nhat ban")  # without diacritics, as people type in a hurry
    page.press("#q", "Enter")
    page.click("a[href='/catalog/event/quoc-khanh-jp']")
    task = page.locator("#t-thu-chuc-mung")
    task.locator("input[name=lead]").fill("hai tuần")
    task.locator("button[value=change]").click()
    assert "'hai tuần' không hợp lệ" in page.locator("#form-errors").inner_text()
    page.errors.clear()  # the browser logs the refused form's 422 itself
    task = page.locator("#t-thu-chuc-mung")
    task.locator("input[name=lead]").fill("7-10 ngày làm việc")
    task.locator("select[name=owner]").select_option("vp-ubnd")
    task.locator("button[value=change]").click()
    page.wait_for_url("**/catalog/event/quoc-khanh-jp?saved=1*")
    note = page.locator("#t-thu-chuc-mung .changed-note").inner_text()
    assert "thời hạn 5-7 ngày làm việc → 7-10 ngày làm việc" in note
    assert "chủ trì Sở Ngoại vụ → Văn phòng UBND tỉnh" in note
    assert "Năm 2025: từ" in page.locator("#t-thu-chuc-mung .window").inner_text()
    assert page.locator("table.history tbody tr").count() == 1
    shot(page, tmp_path, "screenshot-event.png", full=True)
    # Reversible: back to the catalog.
    page.locator("#t-thu-chuc-mung button[value=revert]").click()
    page.wait_for_url("**/catalog/event/quoc-khanh-jp?saved=1*")
    assert page.locator("#t-thu-chuc-mung .changed-note").count() == 0
    assert page.locator("table.history tbody tr").count() == 2
    assert not page.errors


def test_import_with_its_preview(browser: object, live: Live, tmp_path: Path) -> None:
    src = tmp_path / "phu-luc-nhiem-vu-2022.xlsx"
    src.write_bytes(appendix.xlsx(appendix.BINH_DINH, title="PHỤ LỤC CÁC NHIỆM VỤ CỤ THỂ"))
    page = editor_page(browser, live)
    page.goto(f"{live.url}/catalog/import")
    page.set_input_files("input[name=file]", str(src))
    page.click("#upload button")
    page.wait_for_selector("#preview")
    summary = page.locator("#preview .summary").inner_text()
    assert "19 mới, 0 đã có, 6 chưa hiểu được, 8 tiêu đề nhóm, 2 bỏ qua" in summary
    assert page.locator("li.row[data-status=new]").count() == 19
    assert any("việc làm thường xuyên" in x for x in page.locator("li.row[data-status=error]").all_inner_texts())
    first = page.locator("li.row[data-status=new]").first.inner_text()
    assert "Sở Ngoại vụ" in first and "trong quý IV/2022" in first and "30/12/2022" in first
    assert audit.entries(live.ctx.store) == []  # nothing stored yet
    shot(page, tmp_path, "screenshot-import.png")
    page.click("#apply")
    page.wait_for_url("**/catalog/import?done=19,0*")
    assert "Đã lưu 19 sự kiện" in page.locator("#import-done").inner_text()
    page.click("#import-done a")
    page.wait_for_url("**/audit?action=import")
    assert page.locator("tr[data-action='import.apply']").count() == 19
    # The same file again: nothing new.
    page.goto(f"{live.url}/catalog/import")
    page.set_input_files("input[name=file]", str(src))
    page.click("#upload button")
    page.wait_for_selector("#preview")
    assert "0 mới, 19 đã có" in page.locator("#preview .summary").inner_text()
    assert page.locator("#apply").count() == 0
    assert not page.errors
