"""The documents as downloads from the page, over a real socket: who may have which, the file's
name (RFC 5987), what is in it, what a bad form says. Runs on the example config and catalog
(tests/webutil.py: the clock is Monday 10/02/2025)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import unquote

import httpx
import pytest

from reminderd import acks, tokens
from reminderd.documents import results_report
from reminderd.web.documents import content_disposition, parse_day

from .docsupport import read_docx, read_xlsx, xlsx_table
from .webutil import NOW, Live, make_context, serve

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    db = tmp_path_factory.mktemp("docs-web") / "reminderd.db"
    srv = serve(make_context(f"sqlite:///{db}"))
    yield srv
    srv.stop()


@contextlib.contextmanager
def session(live: Live, kind: str, scope: str, label: str) -> Iterator[httpx.Client]:
    """A browser that opened a department's (``access``) or an editor's (``admin``) link."""
    with httpx.Client(base_url=live.url, follow_redirects=False, timeout=60) as c:
        _, secret = tokens.create(live.ctx.store, kind, scope, label, NOW)
        assert c.get(f"/a/{secret}").status_code == 303
        yield c


def filename(resp: httpx.Response) -> str:
    cd = resp.headers["content-disposition"]
    m = re.search(r"filename\*=UTF-8''([^;]+)", cd)
    assert m and cd.startswith("attachment; filename=\""), cd
    return unquote(m[1])


def test_anonymous_visitors_get_no_documents(live: Live) -> None:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        page = c.get("/documents")
        assert page.status_code == 401 and "đăng nhập hoặc mở liên kết của đơn vị" in page.text
        assert 'href="/documents"' not in page.text, "no link for people who cannot use it"
        r = c.get("/documents/plan", params={"year": "2026", "format": "docx"})
        assert r.status_code == 401 and "content-disposition" not in r.headers


def test_department_link_downloads_its_own_documents(live: Live) -> None:
    with session(live, "access", "department/vp-ubnd", "Phòng Tổng hợp") as c:
        page = c.get("/documents")
        assert page.status_code == 200
        assert '<a href="/documents" aria-current="page">Văn bản</a>' in page.text  # the one link, in the nav
        assert 'name="department" value="vp-ubnd"' in page.text and "<select" not in page.text
        r = c.get("/documents/plan", params={"year": "2026", "format": "docx"})
        assert r.status_code == 200 and r.headers["content-type"] == DOCX
        assert r.headers["cache-control"] == "no-store"
        assert filename(r) == "Phụ lục kế hoạch năm 2026 - Văn phòng UBND tỉnh.docx"
        assert 'filename="Phu luc ke hoach nam 2026 - Van phong UBND tinh.docx"' in r.headers["content-disposition"]
        read = read_docx(r.content)
        assert "Đơn vị: Văn phòng UBND tỉnh (các nhiệm vụ chủ trì hoặc phối hợp)" in read.paragraphs
        other = c.get("/documents/plan", params={"year": "2026", "format": "docx", "department": "so-ngoai-vu"})
        assert other.status_code == 403 and "chính đơn vị mình" in other.text
        # The report, as a clerk types the dates.
        r = c.get("/documents/report", params={"from": "01/01/2025", "to": "10/02/2025", "format": "xlsx"})
        assert r.status_code == 200 and r.headers["content-type"] == XLSX
        assert filename(r) == "Báo cáo kết quả 01-01-2025 đến 10-02-2025 - Văn phòng UBND tỉnh.xlsx"


def test_editor_report_counts_follow_acknowledgements(live: Live) -> None:
    ctx = live.ctx
    start, end = dt.date(2025, 1, 1), dt.date(2025, 2, 10)
    tasks = results_report.due_tasks(ctx.runtime, start, end)
    assert len(tasks) >= 3, "the example catalog has Tết and national-day work in January 2025"
    first, second = tasks[0], tasks[1]
    on_time = dt.datetime.combine(first.due, dt.time(3, 0), tzinfo=dt.UTC)
    late = dt.datetime.combine(second.due + dt.timedelta(days=7), dt.time(3, 0), tzinfo=dt.UTC)
    acks.mark_done(ctx.store, first.event.id, first.rule.id, first.occurrence.year, "biên tập", "web", "", on_time)
    acks.mark_done(ctx.store, second.event.id, second.rule.id, second.occurrence.year, "biên tập", "web", "", late)
    with session(live, "admin", "all", "Biên tập viên") as c:
        page = c.get("/documents")
        assert "<select" in page.text and "Tất cả đơn vị" in page.text
        r = c.get("/documents/report", params={"from": "2025-01-01", "to": "2025-02-10", "format": "xlsx"})
        assert r.status_code == 200 and filename(r) == "Báo cáo kết quả 01-01-2025 đến 10-02-2025.xlsx"
        sheets = read_xlsx(r.content)
        total = next(row for row in xlsx_table(sheets["Tổng hợp"]) if row["Cơ quan chủ trì"] == "Tổng cộng")
        recorded = {(a.event_id, a.task_id, a.year) for a in acks.list_acks(ctx.store)}
        done = [t for t in tasks if t.ack_key in recorded]
        assert total["Tổng số nhiệm vụ"] == len(tasks)
        assert total["Hoàn thành đúng hạn"] + total["Hoàn thành trễ hạn"] == len(done) == 2
        assert total["Hoàn thành trễ hạn"] == 1
        assert total["Chưa hoàn thành"] == len(tasks) - 2
        r = c.get("/documents/plan", params={"year": "2025", "department": "so-ngoai-vu", "format": "docx"})
        assert r.status_code == 200 and filename(r) == "Phụ lục kế hoạch năm 2025 - Sở Ngoại vụ.docx"


@pytest.mark.parametrize(("path", "params", "message"), [
    ("/documents/plan", {"year": "hai nghìn", "format": "docx"}, "Năm &#39;hai nghìn&#39; không hợp lệ"),
    ("/documents/plan", {"year": "2027", "format": "pdf"}, "Định dạng &#39;pdf&#39; không có"),
    ("/documents/plan", {"year": "2027", "department": "khong-co"}, "Không có đơn vị &#39;khong-co&#39;"),
    ("/documents/report", {"from": "31/02/2026", "to": "25/05/2026"}, "Từ ngày &#39;31/02/2026&#39; không hợp lệ"),
    ("/documents/report", {"from": "25/05/2026", "to": "01/01/2026"}, "trước &#34;Từ ngày&#34; 25/05/2026"),
])
def test_bad_requests_say_what_is_wrong(live: Live, path: str, params: dict[str, str], message: str) -> None:
    with session(live, "admin", "all", "Biên tập viên") as c:
        r = c.get(path, params=params)
    assert r.status_code == 422 and message in r.text, r.text[-2000:]
    assert 'id="doc-error"' in r.text and "content-disposition" not in r.headers


def test_filename_and_day_parsing() -> None:
    cd = content_disposition("Báo cáo kết quả Đợt 1.docx")
    assert cd == ("attachment; filename=\"Bao cao ket qua Dot 1.docx\"; "
                  "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20k%E1%BA%BFt%20qu%E1%BA%A3%20%C4%90%E1%BB%A3t%201.docx")
    assert content_disposition('a"b;c.docx').startswith('attachment; filename="a_b_c.docx"')
    assert parse_day("24/12/2026") == parse_day("2026-12-24") == parse_day("24-12-2026") == dt.date(2026, 12, 24)
    assert parse_day("1/2/2027") == dt.date(2027, 2, 1)
    for bad in ("31/02/2026", "2026/12/24", "24/12/26", "", "01/01/1800"):
        assert parse_day(bad) is None, bad
