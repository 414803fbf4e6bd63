"""The documents on the page: the plan appendix and the results report, as downloads.

``/documents`` is a small form; ``/documents/plan`` and ``/documents/report`` answer with the
file (``?format=docx`` or ``xlsx``), named in Vietnamese through RFC 6266/5987
``filename*`` with a plain-ASCII ``filename`` for old clients. Editors get any department's
document or the whole province's; a department's own link gets its own department's only.
Nobody else: the report says who did what.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .. import documents
from ..context import Context
from ..documents import plan_appendix, results_report
from ..documents.model import OfficeDoc
from ..i18n import lookup
from .pages import Pages
from .views import Visitor

TEXT: dict[str, dict[str, str]] = {
    "title": {"vi": "Văn bản", "en": "Documents"},
    "intro": {"vi": "Phụ lục kế hoạch và báo cáo kết quả, theo thể thức văn bản hành chính, viết từ lịch và "
                    "các xác nhận hoàn thành. Tải về dạng Word (.docx) để trình ký hoặc Excel (.xlsx) để lọc, "
                    "sắp xếp.",
              "en": "The plan appendix and the results report in administrative form, written from the "
                    "calendar and the acknowledgements. Download as Word (.docx) to sign, or Excel (.xlsx) to "
                    "sort and filter."},
    "plan": {"vi": "Phụ lục kế hoạch năm", "en": "Plan appendix for a year"},
    "plan.help": {"vi": "Các ngày lễ, sự kiện trong năm và nhiệm vụ của từng dịp: hình thức, thời gian thực "
                        "hiện, cơ quan chủ trì, phối hợp.",
                  "en": "The year's occasions and the tasks for each: form, when, lead and coordinating "
                        "departments."},
    "report": {"vi": "Báo cáo kết quả thực hiện", "en": "Results report"},
    "report.help": {"vi": "Các nhiệm vụ có hạn trong kỳ: đúng hạn, trễ hạn, chưa hoàn thành; tổng hợp theo "
                          "đơn vị; danh sách quá hạn. Báo cáo 6 tháng: 01/01 đến 25/5; báo cáo năm: đến 1/11.",
                    "en": "The tasks due in the period: on time, late, not done; totals by department; the "
                          "overdue list. Half-year report: 1 January to 25 May; year report: to 1 November."},
    "year": {"vi": "Năm", "en": "Year"},
    "from": {"vi": "Từ ngày", "en": "From"},
    "to": {"vi": "Đến ngày", "en": "To"},
    "department": {"vi": "Đơn vị", "en": "Department"},
    "all": {"vi": "Tất cả đơn vị", "en": "All departments"},
    "docx": {"vi": "Tải Word (.docx)", "en": "Download Word (.docx)"},
    "xlsx": {"vi": "Tải Excel (.xlsx)", "en": "Download Excel (.xlsx)"},
    "err.year": {"vi": "Năm {value!r} không hợp lệ: cần một năm từ 1900 đến 2100, ví dụ 2027.",
                 "en": "Year {value!r} is not valid: a year from 1900 to 2100, e.g. 2027."},
    "err.date": {"vi": "{field} {value!r} không hợp lệ: cần ngày dạng 24/12/2026 hoặc 2026-12-24.",
                 "en": "{field} {value!r} is not valid: a date such as 24/12/2026 or 2026-12-24."},
    "err.range": {"vi": "\"Đến ngày\" {end} trước \"Từ ngày\" {start}.",
                  "en": "\"To\" {end} is before \"From\" {start}."},
    "err.format": {"vi": "Định dạng {value!r} không có: chọn docx hoặc xlsx.",
                   "en": "No format {value!r}: choose docx or xlsx."},
    "err.department": {"vi": "Không có đơn vị {value!r}.", "en": "No department {value!r}."},
    "err.other": {"vi": "Liên kết của đơn vị chỉ tải được văn bản của chính đơn vị mình.",
                  "en": "A department's link downloads its own department's documents only."},
    "err.login": {"vi": "Văn bản dành cho biên tập viên và các đơn vị: đăng nhập hoặc mở liên kết của đơn vị.",
                  "en": "Documents are for editors and departments: log in or open your department's link."},
}

DOWNLOAD_HEADERS = {
    "Cache-Control": "no-store",  # who did what: not for shared caches
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def content_disposition(filename: str) -> str:
    """``attachment`` with the Vietnamese name in ``filename*`` (RFC 5987, UTF-8) and an ASCII
    ``filename`` for clients that do not read it ("Phụ lục" → "Phu luc")."""
    plain = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = re.sub(r"[^A-Za-z0-9 ._()-]", "_", plain)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def parse_day(text: str) -> dt.date | None:
    """A day as a clerk types it (24/12/2026, 24-12-2026) or as a date field sends it (2026-12-24)."""
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
            d = dt.date(int(m[3]), int(m[2]), int(m[1]))
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            d = dt.date.fromisoformat(text)
        else:
            return None
    except ValueError:
        return None
    return d if 1900 <= d.year <= 2100 else None


def _shown(text: str | None, default: dt.date) -> str:
    """What a date field shows: what was typed (to be corrected, if wrong), else the default as
    a clerk writes it. Text fields, not date pickers: a picker follows the browser's locale and
    would read 02/10 as the 10th of February on an English-language system."""
    return text if text else default.strftime("%d/%m/%Y")


class Documents:
    def __init__(self, ctx: Context, pages: Pages):
        self.ctx = ctx
        self.pages = pages

    def _t(self, v: Visitor, key: str, **kw: object) -> str:
        return lookup(TEXT, v.lang, key, **kw)

    def _page(self, request: Request, v: Visitor, status: int = 200, error: str = "") -> Response:
        today = self.ctx.today()
        q = request.query_params
        return self.pages.render(
            request, v, "page_documents.html", status, D=lambda key, **kw: self._t(v, key, **kw), error=error,
            year=q.get("year") or str(today.year + 1), start=_shown(q.get("from"), dt.date(today.year, 1, 1)),
            end=_shown(q.get("to"), today), chosen=q.get("department", ""))

    def _department(self, request: Request, v: Visitor) -> tuple[str | None, str | None]:
        """(the department the document is for, or None for all; an error, or None)."""
        wanted = request.query_params.get("department") or None
        if wanted is not None and wanted not in self.ctx.config.department_ids:
            return None, self._t(v, "err.department", value=wanted)
        if v.session.admin:
            return wanted, None
        own = v.session.department
        if wanted is not None and wanted != own:
            return None, self._t(v, "err.other")
        return own, None

    def _allowed(self, request: Request, v: Visitor) -> Response | None:
        if v.session.anonymous:
            return self._page(request, v, 401, self._t(v, "err.login"))
        return None

    def page(self, request: Request) -> Response:
        v = self.pages.visitor(request)
        return self._allowed(request, v) or self._page(request, v)

    def _format(self, request: Request, v: Visitor) -> tuple[documents.Format | None, str | None]:
        fmt = request.query_params.get("format", "docx")
        if fmt not in documents.FORMATS:
            return None, self._t(v, "err.format", value=fmt)
        return fmt, None  # type: ignore[return-value, unused-ignore]

    def _send(self, request: Request, v: Visitor, doc: OfficeDoc, fmt: documents.Format) -> Response:
        body = documents.render(doc, fmt)
        headers = {**DOWNLOAD_HEADERS, "Content-Disposition": content_disposition(f"{doc.filename}.{fmt}")}
        return self.pages.finish(request, v, Response(body, 200, headers=headers,
                                                      media_type=documents.MEDIA_TYPES[fmt]))

    def plan(self, request: Request) -> Response:
        v = self.pages.visitor(request)
        if (denied := self._allowed(request, v)) is not None:
            return denied
        department, err = self._department(request, v)
        fmt, ferr = self._format(request, v)
        raw = request.query_params.get("year", "")
        year = int(raw) if raw.strip().isdigit() else 0
        if not 1900 <= year <= 2100:
            err = err or self._t(v, "err.year", value=raw)
        if err or ferr or fmt is None:
            return self._page(request, v, 403 if err == self._t(v, "err.other") else 422, err or ferr or "")
        doc = plan_appendix.build(self.ctx.runtime, year, department=department, today=self.ctx.today())
        return self._send(request, v, doc, fmt)

    def report(self, request: Request) -> Response:
        v = self.pages.visitor(request)
        if (denied := self._allowed(request, v)) is not None:
            return denied
        department, err = self._department(request, v)
        fmt, ferr = self._format(request, v)
        q = request.query_params
        days: dict[str, dt.date | None] = {}
        for key in ("from", "to"):
            days[key] = parse_day(q.get(key, ""))
            if days[key] is None:
                err = err or self._t(v, "err.date", field=self._t(v, key), value=q.get(key, ""))
        start, end = days["from"], days["to"]
        if start is not None and end is not None and end < start:
            err = err or self._t(v, "err.range", start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"))
        if err or ferr or fmt is None or start is None or end is None:
            return self._page(request, v, 403 if err == self._t(v, "err.other") else 422, err or ferr or "")
        rt, today = self.ctx.runtime, self.ctx.today()
        rows = results_report.gather(rt, self.ctx.store, start, end, today, department)
        doc = results_report.build(rt, rows, start, end, today=today, department=department, store=self.ctx.store)
        return self._send(request, v, doc, fmt)


def routes(ctx: Context) -> list[BaseRoute]:
    d = Documents(ctx, Pages(ctx))
    return [
        Route("/documents", d.page, methods=["GET"]),
        Route("/documents/plan", d.plan, methods=["GET"]),
        Route("/documents/report", d.report, methods=["GET"]),
    ]

