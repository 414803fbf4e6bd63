"""The outbox page for editors (``/outbox``): what reminderd mailed, to whom and when, what is
waiting, failing or dead (the error, the attempts, the next try), each message as its
recipient saw it — with *retry* and *cancel*, what ``reminderd outbox list|retry|cancel``
does, for people without a shell.

Editors only (a login or an editor link); every change is a POST with the page's CSRF token
and goes to the audit trail (``outbox.retry``, ``outbox.cancel``) in the same transaction.
A message is shown by composing its row again, exactly as the dispatcher does
(``outbox.preview``), dated when it was sent; its "done" link is made inert, so an editor
clicking it cannot mark a task done in the recipient's name. The message's HTML is served
on its own URL with a CSP that allows no script and no fetch, inside a sandboxed frame.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .. import audit, outbox
from ..config import mail_transport, maildir_path
from ..context import Context
from ..i18n import lookup
from .health import smtp_facts
from .pages import SECURITY_HEADERS, Pages
from .views import Visitor, human_date, who_parts

# The page's words (Vietnamese first). Looked up with i18n.lookup; templates call W(key).
TEXT: dict[str, dict[str, str]] = {
    "title": {"vi": "Hộp thư đi", "en": "Outbox"},
    "intro": {"vi": "Những thư nhắc việc hệ thống đã gửi, đang chờ gửi, đang lỗi hoặc không gửi được: gửi tới ai, "
                    "lúc nào, lỗi gì, khi nào thử lại. Bấm “Xem thư” để thấy thư đúng như người nhận thấy.",
              "en": "The reminders reminderd has sent, is waiting to send, is failing to send or has given up on: "
                    "to whom, when, what went wrong, when it tries again. “View” shows a message as its "
                    "recipient saw it."},
    "sec.dead": {"vi": "Không gửi được", "en": "Not sent (given up)"},
    "sec.failed": {"vi": "Lỗi, đang chờ thử lại", "en": "Failing, will be retried"},
    "sec.waiting": {"vi": "Chờ gửi", "en": "Waiting"},
    "sec.sent": {"vi": "Đã gửi gần đây", "en": "Recently sent"},
    "sec.cancelled": {"vi": "Đã hủy gần đây", "en": "Recently cancelled"},
    "dead.hint": {"vi": "Những thư này không tự gửi lại. Sửa nguyên nhân (địa chỉ thư, cấu hình máy chủ thư) rồi "
                        "bấm “Gửi lại”, hoặc “Hủy thư” nếu không cần gửi nữa.",
                  "en": "These will not be retried by themselves. Fix the cause (the address, the mail server "
                        "settings), then “Retry”, or “Cancel” if they are no longer needed."},
    "shown": {"vi": "{n} thư gần nhất", "en": "the latest {n}"},
    "none": {"vi": "Không có thư nào.", "en": "None."},
    "to": {"vi": "Gửi tới", "en": "To"},
    "no_address": {"vi": "(không có địa chỉ)", "en": "(no address)"},
    "send_after": {"vi": "Gửi từ", "en": "Due to go"},
    "sent_at": {"vi": "Đã gửi lúc", "en": "Sent"},
    "attempts": {"vi": "Số lần đã thử", "en": "Attempts"},
    "next_try": {"vi": "Thử lại lúc", "en": "Next try"},
    "error": {"vi": "Lỗi", "en": "Error"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "state": {"vi": "Trạng thái", "en": "State"},
    "task": {"vi": "Việc", "en": "Task"},
    "due": {"vi": "hạn", "en": "due"},
    "week_of": {"vi": "tuần từ {d}", "en": "week of {d}"},
    "retry": {"vi": "Gửi lại", "en": "Retry"},
    "cancel": {"vi": "Hủy thư", "en": "Cancel"},
    "view": {"vi": "Xem thư", "en": "View"},
    "msg.retried": {"vi": "Đã đưa thư số {id} về hàng chờ: thư được gửi ở lượt gửi tới (chậm nhất khoảng {s} giây).",
                    "en": "Message {id} is queued again: it goes at the next dispatch (within about {s} seconds)."},
    "msg.cancelled": {"vi": "Đã hủy thư số {id}: thư sẽ không được gửi.",
                      "en": "Message {id} is cancelled: it will not be sent."},
    "msg.unchanged": {"vi": "Thư số {id} không thay đổi (trạng thái hiện tại: {state}).",
                      "en": "Message {id} was not changed (its state now: {state})."},
    "maildir": {"vi": "Thư đang được ghi vào thư mục {folder} trên máy chủ, KHÔNG gửi đi (cấu hình [smtp] chưa có "
                      "host).",
                "en": "Mail is being written to the folder {folder} on the server, NOT sent ([smtp] has no host)."},
    "refused": {"vi": "Máy chủ thư từ chối phiên gửi: {error}. Thư được giữ lại và sẽ thử lại; hãy kiểm tra máy chủ "
                      "thư hoặc cấu hình [smtp].",
                "en": "The mail server refuses the session: {error}. Messages are kept and retried; check the mail "
                      "server or the [smtp] settings."},
    "counts": {"vi": "Tổng số", "en": "Totals"},
    "message": {"vi": "Thư số {id}", "en": "Message {id}"},
    "as_seen": {"vi": "Thư đúng như người nhận thấy (soạn lại từ hàng đợi như khi gửi). Trong bản xem này, nút "
                      "“Đánh dấu đã hoàn thành” không dùng được.",
                "en": "The message as its recipient saw it (composed again from the outbox, as when it was sent). "
                      "In this preview the “Mark as done” button does nothing."},
    "h.from": {"vi": "Từ", "en": "From"},
    "h.to": {"vi": "Đến", "en": "To"},
    "h.subject": {"vi": "Tiêu đề", "en": "Subject"},
    "h.date": {"vi": "Ngày", "en": "Date"},
    "h.message_id": {"vi": "Mã thư (Message-ID)", "en": "Message-ID"},
    "frame": {"vi": "Nội dung thư", "en": "Message body"},
    "text": {"vi": "Bản chữ thuần", "en": "Plain-text version"},
    "attachments": {"vi": "Tệp đính kèm", "en": "Attachments"},
    "download": {"vi": "Tải thư (.eml)", "en": "Download (.eml)"},
    "history": {"vi": "Lịch sử thao tác", "en": "History"},
    "unrenderable": {"vi": "Không soạn được thư này: {error}", "en": "This message cannot be composed: {error}"},
    "back": {"vi": "← Hộp thư đi", "en": "← Outbox"},
    "kind.window_open": {"vi": "Bắt đầu thực hiện", "en": "Window opens"},
    "kind.due": {"vi": "Đến hạn", "en": "Due"},
    "kind.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "kind.correction": {"vi": "Đính chính ngày", "en": "Date correction"},
    "kind.digest": {"vi": "Tổng hợp tuần", "en": "Weekly digest"},
    "kind.test": {"vi": "Thư thử", "en": "Test message"},
    "state.pending": {"vi": "chờ gửi", "en": "waiting"},
    "state.sending": {"vi": "đang gửi", "en": "being sent"},
    "state.sent": {"vi": "đã gửi", "en": "sent"},
    "state.failed": {"vi": "lỗi, chờ thử lại", "en": "failing"},
    "state.dead": {"vi": "không gửi được", "en": "given up"},
    "state.cancelled": {"vi": "đã hủy", "en": "cancelled"},
    "role.owner": {"vi": "chủ trì", "en": "lead"},
    "role.support": {"vi": "phối hợp", "en": "coordinating"},
    "role.escalation": {"vi": "nhận báo quá hạn", "en": "escalation"},
}

SECTIONS = ("dead", "failed", "waiting", "sent", "cancelled")
LIMITS = {"dead": 200, "failed": 200, "waiting": 200, "sent": 50, "cancelled": 20}
MESSAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
               "form-action 'none'; sandbox")


def strings(lang: str) -> Callable[..., str]:
    def W(key: str, **values: object) -> str:
        return lookup(TEXT, lang, key, **values)
    return W


def sections(store: Any) -> dict[str, list[dict[str, Any]]]:
    """The rows of each section: problems first, then what waits (soonest first), then history."""
    rows = outbox.list_rows
    return {
        "dead": rows(store, states=["dead"], limit=LIMITS["dead"], order="-updated_at"),
        "failed": rows(store, states=["failed"], limit=LIMITS["failed"], order="next_attempt_at"),
        "waiting": rows(store, states=["pending", "sending"], limit=LIMITS["waiting"], order="send_after"),
        "sent": rows(store, states=["sent"], limit=LIMITS["sent"], order="-sent_at"),
        "cancelled": rows(store, states=["cancelled"], limit=LIMITS["cancelled"], order="-updated_at"),
    }


def parts(msg: EmailMessage, tz: Any) -> dict[str, Any]:
    """What the detail page shows of a composed message (its date in local time, as the page
    writes times; the .eml download keeps the header as sent)."""
    html = msg.get_body(("html",))
    text = msg.get_body(("plain",))
    try:
        date = _local(email.utils.parsedate_to_datetime(str(msg["Date"])), tz)
    except (TypeError, ValueError):
        date = str(msg["Date"])
    return {
        "headers": [("h.from", str(msg["From"])), ("h.to", str(msg["To"])), ("h.subject", str(msg["Subject"])),
                    ("h.date", date), ("h.message_id", str(msg["Message-ID"]))],
        "text": text.get_content() if isinstance(text, EmailMessage) else "",
        "has_html": html is not None,
        "attachments": [(a.get_filename() or "", a.get_content_type()) for a in msg.iter_attachments()],
    }


class OutboxPage:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.pages = Pages(ctx)

    # ---- plumbing --------------------------------------------------------------------------

    def _editor(self, request: Request, v: Visitor) -> Response | None:
        """None for an editor; else the page saying who may see this."""
        if v.session.admin:
            return None
        return self.pages.denied(request, v)

    def _render(self, request: Request, v: Visitor, name: str, status: int = 200, **kw: Any) -> Response:
        tz = self.ctx.config.tz
        return self.pages.render(
            request, v, name, status, W=strings(v.lang), fmt_time=lambda t: _local(t, tz),
            state_word=lambda s: lookup(TEXT, v.lang, f"state.{s}"),
            kind_word=lambda k: lookup(TEXT, v.lang, f"kind.{k}") if f"kind.{k}" in TEXT else k,
            payload=_payload,
            day=lambda d: human_date(v.lang, d if isinstance(d, dt.date) else dt.date.fromisoformat(d)), **kw)

    def _notes(self) -> list[str]:
        """Facts above the lists: mail not really sent, the server refusing the session."""
        cfg = self.ctx.config
        notes: list[str] = []
        if mail_transport(cfg) == "maildir":
            notes.append("maildir:" + str(maildir_path(cfg) / "new"))
        smtp = smtp_facts(self.ctx)  # what /healthz reports, read the same way
        if smtp.get("refused"):
            notes.append("refused:" + str(smtp["refused"]))
        return notes

    # ---- reading ---------------------------------------------------------------------------

    def index(self, request: Request) -> Response:
        v = self.pages.visitor(request)
        if (denied := self._editor(request, v)) is not None:
            return denied
        flash = self._flash(request, v)
        return self._render(request, v, "page_outbox.html", sections=sections(self.ctx.store), order=SECTIONS,
                            limits=LIMITS, counts=outbox.counts(self.ctx.store), notes=self._notes(), flash=flash)

    def _flash(self, request: Request, v: Visitor) -> str | None:
        """The line saying what the last button did (``?msg=retried&id=12``)."""
        q = request.query_params
        if q.get("msg") not in ("retried", "cancelled", "unchanged") or not q.get("id", "").isdigit():
            return None
        row = outbox.get_row(self.ctx.store, int(q["id"]))
        state = lookup(TEXT, v.lang, f"state.{row['state']}") if row else "?"
        return lookup(TEXT, v.lang, f"msg.{q['msg']}", id=q["id"], state=state,
                      s=int(self.ctx.config.get("daemon", "dispatch_interval")))

    def _row_or_404(self, request: Request, v: Visitor) -> dict[str, Any] | Response:
        row = outbox.get_row(self.ctx.store, int(request.path_params["id"]))
        if row is None:
            return self.pages.error(request, v, 404, "err.notfound")
        return row

    def message(self, request: Request) -> Response:
        v = self.pages.visitor(request)
        if (denied := self._editor(request, v)) is not None:
            return denied
        row = self._row_or_404(request, v)
        if isinstance(row, Response):
            return row
        shown: dict[str, Any] | None = None
        error = None
        try:
            shown = parts(outbox.preview(self.ctx.runtime, row, self.ctx.now()), self.ctx.config.tz)
        except Exception as e:  # a row that cannot be composed says why, like the dispatcher does
            error = f"{type(e).__name__}: {e}"
        history = audit.entries(self.ctx.store, subject=f"outbox/{row['id']}", limit=50)
        return self._render(request, v, "page_outbox_message.html", row=row, shown=shown, error=error,
                            history=history, action_label=lambda a: audit.action_label(a, v.lang),
                            flash=self._flash(request, v))

    def _composed(self, request: Request) -> EmailMessage | Response:
        v = self.pages.visitor(request)
        if (denied := self._editor(request, v)) is not None:
            return denied
        row = self._row_or_404(request, v)
        if isinstance(row, Response):
            return row
        try:
            return outbox.preview(self.ctx.runtime, row, self.ctx.now())
        except Exception:
            return self.pages.error(request, v, 404, "err.notfound")

    def message_html(self, request: Request) -> Response:
        """The message's HTML part alone, for the sandboxed frame of the detail page."""
        got = self._composed(request)
        if isinstance(got, Response):
            return got
        body = got.get_body(("html",))
        html = body.get_content() if isinstance(body, EmailMessage) else ""
        headers = {**SECURITY_HEADERS, "Content-Security-Policy": MESSAGE_CSP, "X-Frame-Options": "SAMEORIGIN"}
        return Response(html, media_type="text/html; charset=utf-8", headers=headers)

    def message_eml(self, request: Request) -> Response:
        """The whole message as a ``.eml`` file a mail client opens."""
        got = self._composed(request)
        if isinstance(got, Response):
            return got
        rid = request.path_params["id"]
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="reminderd-{rid}.eml"'}
        return Response(got.as_bytes(), media_type="message/rfc822", headers=headers)

    # ---- changing ----------------------------------------------------------------------------

    async def act(self, request: Request) -> Response:
        """POST /outbox/{id}/retry|cancel (editors, CSRF), audited; back to the page."""
        v, form, ok = await self.pages.form(request)
        if not ok:
            return self.pages.error(request, v, 403, "err.csrf")
        if (denied := self._editor(request, v)) is not None:
            return denied
        rid = int(request.path_params["id"])
        action = request.path_params["action"]
        if action not in ("retry", "cancel"):
            return self.pages.error(request, v, 404, "err.notfound")
        who = v.session.who or "web"
        now = self.ctx.now()
        if action == "retry":
            n = await run_in_threadpool(outbox.retry, self.ctx.store, now, ids=[rid], actor=who, via="web")
        else:
            name = await run_in_threadpool(who_parts, self.ctx, who)
            n = await run_in_threadpool(outbox.cancel, self.ctx.store, now, [rid], actor=who, via="web",
                                        name=name[0])
        word = ("retried" if action == "retry" else "cancelled") if n else "unchanged"
        back = str(form.get("next", "/outbox"))
        if back not in ("/outbox", f"/outbox/{rid}"):
            back = "/outbox"  # only this page or the message's own: no open redirect
        return self.pages.finish(request, v, RedirectResponse(f"{back}?msg={word}&id={rid}", 303))



def _local(t: dt.datetime | None, tz: Any) -> str:
    return t.astimezone(tz).strftime("%H:%M %d/%m/%Y") if t else ""


def _payload(row: dict[str, Any]) -> dict[str, Any]:
    try:
        value = json.loads(row.get("payload") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def routes(ctx: Context) -> list[BaseRoute]:
    p = OutboxPage(ctx)
    return [
        Route("/outbox", p.index, methods=["GET"]),
        Route("/outbox/{id:int}", p.message, methods=["GET"]),
        Route("/outbox/{id:int}/message.html", p.message_html, methods=["GET"]),
        Route("/outbox/{id:int}/message.eml", p.message_eml, methods=["GET"]),
        Route("/outbox/{id:int}/{action:str}", p.act, methods=["POST"]),
    ]
