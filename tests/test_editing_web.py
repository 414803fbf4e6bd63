"""The editors' pages over a real socket: who may use them, CSRF, the validator's words on a
refused change, an import's preview and its signed confirmation, conflicts on the page and in
/healthz, and the audit pages."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest

from reminderd import audit, tokens
from reminderd.context import Context
from reminderd.overlays import edit
from reminderd.reload import reload
from reminderd.runtime import load_runtime
from reminderd.store import open_store

from . import appendix
from .conftest import SMALL_CATALOG
from .webutil import NOW, Clock, Live, make_context, serve

PAGES = ["/catalog", "/catalog/partners", "/catalog/event/quoc-khanh-jp", "/catalog/import", "/audit"]


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


def client(live: Live) -> httpx.Client:
    return httpx.Client(base_url=live.url, follow_redirects=False, timeout=60)


def csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m
    return m[1]


def editor(live: Live, c: httpx.Client, label: str = "Phòng Lễ tân") -> None:
    _, secret = tokens.create(live.ctx.store, "admin", "all", label, NOW)
    assert c.get(f"/a/{secret}").status_code == 303


def test_only_editors(live: Live) -> None:
    with client(live) as c:
        for path in PAGES:
            assert c.get(path).status_code == 401, path
        assert c.post("/catalog/partners", data={"csrf": "x", "country": "JP", "tier": ""}).status_code == 403
        _, secret = tokens.create(live.ctx.store, "access", "department/so-ngoai-vu", "Phòng", NOW)
        c.get(f"/a/{secret}")
        for path in PAGES:
            r = c.get(path)
            assert r.status_code == 403 and "Trang này dành cho biên tập viên" in r.text, path
        page = c.get("/d/so-ngoai-vu").text
        r = c.post("/catalog/partners", data={"csrf": csrf(page), "country": "JP", "tier": ""})
        assert r.status_code == 403 and "Bạn không có quyền làm việc này" in r.text
        assert 'href="/catalog"' not in page  # no link to what one may not use
    assert live.ctx.overlays is None or live.ctx.overlays.stored.partners == ()


def test_partner_page_flow_and_csrf(live: Live) -> None:
    with client(live) as c:
        editor(live, c)
        page = c.get("/catalog/partners").text
        assert 'id="c-JP"' in page and "Quốc khánh" in page
        # Tiers and lead times in words, as an editor reads them (the config's ids stay the values).
        assert "<h2>Quan hệ hợp tác thường xuyên" in page and "<h2>Có địa phương hợp tác với tỉnh" in page
        assert "wd" not in re.sub(r"<[^>]+>", "", page.split("<main", 1)[1])
        assert '<option value="regular" selected>Quan hệ hợp tác thường xuyên</option>' in page
        assert c.post("/catalog/partners", data={"csrf": "sai", "country": "JP", "tier": ""}).status_code == 403
        r = c.post("/catalog/partners", data={"csrf": csrf(page), "country": "Liên bang Nga", "tier": "vip"})
        assert r.status_code == 422 and "'vip' không phải hạng nào" in unescape(r.text)
        r = c.post("/catalog/partners", data={"csrf": csrf(page), "country": "Xứ Sở Thần Tiên", "tier": "regular"})
        assert r.status_code == 422 and "Không nhận ra nước «Xứ Sở Thần Tiên»" in unescape(r.text)
        r = c.post("/catalog/partners", data={"csrf": csrf(page), "country": "Đức", "tier": "local_cooperation"})
        assert r.status_code == 303 and r.headers["location"].endswith("#c-DE")
        page = unescape(c.get(r.headers["location"]).text)
        assert "Đã lưu: Đức — Có địa phương hợp tác với tỉnh." in page
        assert re.search(r'<tr id="c-DE" data-country="DE" class="changed">', page)
        assert live.ctx.config.tier_of("DE") == "local_cooperation"
        r = c.post("/catalog/partners", data={"csrf": csrf(page), "country": "DE", "action": "revert"})
        assert r.status_code == 303 and live.ctx.config.tier_of("DE") is None
    assert [e.actor for e in audit.entries(live.ctx.store, action_prefix="partner")] == ["token 1: Phòng Lễ tân"] * 2


def test_event_page_override_with_the_validators_words(live: Live) -> None:
    with client(live) as c:
        editor(live, c)
        page = c.get("/catalog/event/quoc-khanh-jp").text
        # The form asks as the ad-hoc form does, with the lead time in words and ticks for coordination.
        assert 'value="5-7 ngày làm việc"' in page and "Làm trước bao lâu" in page
        assert 'type="checkbox" name="support" value="vp-ubnd"' in page and "<select name=\"support\"" not in page
        assert "hằng năm ngày 23/02" in page and "→ 20" not in page
        data = {"csrf": csrf(page), "action": "change", "task_id": "thu-chuc-mung", "lead": "một tuần",
                "owner": "so-ngoai-vu"}
        r = c.post("/catalog/event/quoc-khanh-jp", data=data)
        text = unescape(r.text)
        assert r.status_code == 422
        assert "event quoc-khanh-jp/thu-chuc-mung · lead" in text and "'một tuần' không hợp lệ" in text
        assert 'value="một tuần"' in text  # what was typed is kept
        r = c.post("/catalog/event/quoc-khanh-jp", data={**data, "lead": "3-5 ngày làm việc", "support": ["vp-ubnd"]})
        assert r.status_code == 303
        page = unescape(c.get("/catalog/event/quoc-khanh-jp").text)
        assert ("Đã sửa so với danh mục: thời hạn 5-7 ngày làm việc → 3-5 ngày làm việc; "
                "phối hợp — → Văn phòng UBND tỉnh") in page
        assert "Lịch sử thay đổi" in page and "Sửa sự kiện so với danh mục" in page
        # The catalog page lists it as changed; the audit page has it, linked to the event.
        assert 'href="/catalog/event/quoc-khanh-jp"' in c.get("/catalog").text
        trail = unescape(c.get("/audit?action=override").text)
        assert "quoc-khanh-jp/thu-chuc-mung" in trail
        # Before and after in words, not the stored keys and ids.
        assert "thời hạn: 5-7 ngày làm việc" in trail and "thời hạn: 3-5 ngày làm việc" in trail
        assert "phối hợp: Văn phòng UBND tỉnh" in trail and "lead:" not in trail and "vp-ubnd" not in trail
        assert c.get("/catalog/event/khong-co").status_code == 404
        # The English page shows "3-5 working days" in the field; saved as it stands, it is the same lead.
        en = unescape(c.get("/catalog/event/quoc-khanh-jp?lang=en").text)
        assert 'value="3-5 working days"' in en
        r = c.post("/catalog/event/quoc-khanh-jp", data={**data, "lead": "3-5 working days", "support": ["vp-ubnd"]})
        assert r.status_code == 303
        task = next(t for t in live.ctx.runtime.catalog.event("quoc-khanh-jp").tasks if t.id == "thu-chuc-mung")
        assert task.lead.text == "3-5wd"


def test_import_preview_then_confirm_and_tampering(live: Live, tmp_path: Path) -> None:
    with client(live) as c:
        editor(live, c)
        page = c.get("/catalog/import").text
        data = appendix.docx(appendix.TUYEN_QUANG)
        r = c.post("/catalog/import", data={"csrf": csrf(page), "year": "", "tier": "regular"},
                   files={"file": ("tuyen-quang-2022.docx", data)})
        text = unescape(r.text)
        assert r.status_code == 200
        assert "tuyen-quang-2022.docx — năm kế hoạch 2022: 7 mới, 0 đã có, 4 chưa hiểu được" in text
        assert "không nhận ra đơn vị chủ trì «Sở Nội vụ»" in text
        assert audit.entries(live.ctx.store) == []  # a preview stores nothing
        form = {k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', r.text)}
        rows = re.findall(r'name="row" value="([^"]+)"', r.text)
        assert len(rows) == 7
        bad = c.post("/catalog/import/apply", data={**form, "year": "2023", "row": rows})
        assert bad.status_code == 400 and "hết hạn" in unescape(bad.text)
        r = c.post("/catalog/import/apply", data={**form, "row": rows[1:]})  # the editor unticked one row
        assert r.status_code == 303
        assert "Đã lưu 6 sự kiện và 0 đối tác" in unescape(c.get(r.headers["location"]).text)
        assert len(audit.entries(live.ctx.store, action_prefix="import")) == 6
        imported = [e for e in live.ctx.runtime.catalog.events if e.id.startswith("nk-2022-")]
        assert len(imported) == 6
        # Again: the six are there, the unticked one is new.
        r = c.post("/catalog/import", data={"csrf": csrf(page), "year": "", "tier": "regular"},
                   files={"file": ("tuyen-quang-2022.docx", data)})
        assert "1 mới, 6 đã có" in unescape(r.text)
        r = c.post("/catalog/import", data={"csrf": csrf(page)}, files={"file": ("ke-hoach.pdf", b"%PDF-1.4")})
        assert r.status_code == 422 and "chỉ nhập được tệp .xlsx, .csv hoặc .docx" in unescape(r.text)


def test_conflict_on_the_page_and_in_healthz(make_env, sqlite_url: str, tmp_path: Path) -> None:
    cfg = make_env()
    ctx = Context(load_runtime(cfg), open_store(sqlite_url), now=Clock())
    srv = serve(ctx)
    try:
        assert edit.change_task(ctx, "tet", "tham-chuc-tet", {"lead": "10-15wd"}, by="bt") == []
        text = SMALL_CATALOG.replace('id = "tham-chuc-tet"', 'id = "chuc-tet"')
        (tmp_path / "calendars" / "main.toml").write_text(textwrap.dedent(text), encoding="utf-8")
        assert reload(ctx, cfg).ok
        health = httpx.get(srv.url + "/healthz", timeout=30).json()
        assert len(health["catalog_conflicts"]) == 1 and "tham-chuc-tet" in health["catalog_conflicts"][0]
        assert any("no longer apply" in w for w in health["warnings"])
        with client(srv) as c:
            editor(srv, c)
            page = unescape(c.get("/catalog").text)
            assert 'id="conflicts"' in page and "không còn việc 'tham-chuc-tet'" in page
            page = unescape(c.get("/catalog/event/tet").text)
            assert "không khớp tệp" in page and "Trở lại như danh mục" in page
            r = c.post("/catalog/event/tet", data={"csrf": csrf(page), "action": "revert", "task_id": "tham-chuc-tet"})
            assert r.status_code == 303
            assert 'id="conflicts"' not in c.get("/catalog").text
    finally:
        srv.stop()
        ctx.store.dispose()
