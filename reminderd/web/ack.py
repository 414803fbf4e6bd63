"""``/ack/<token>``: the "Đánh dấu đã hoàn thành" link in reminder emails.

GET only shows what would be confirmed and one button (mail scanners and link
previews fetch GETs, so a GET must never change anything); POST marks the task
occurrence done, recording the recipient the link was mailed to. A link that was
altered or forged (400), has expired (410), or whose task is already done (409 on
POST) gets a clear page saying so and what to do instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from .. import acks, webauth
from ..context import Context
from ..outbox import task_for
from ..signing import AckClaim, LinkError, signer_for
from .strings import translator
from .views import human_date, person

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HEADERS = {
    # The pages' own style sheet and icon; nothing else, and no script.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the token is a capability: never leak it in a Referer
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
NOTE_MAX = 2000


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


class AckPages:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.env = _env()

    def _page(self, request: Request, state: str, status: int, claim: AckClaim | None = None,
              **kw: Any) -> Response:
        cfg = self.ctx.config
        # The mail's language unless the reader chose the other one (here or on the other pages).
        lang = request.query_params.get("lang") or request.cookies.get(webauth.LANG_COOKIE) or cfg.language
        if lang not in ("vi", "en"):
            lang = cfg.language
        T = translator(lang)
        task = None
        if claim is not None:
            t = task_for(self.ctx.runtime, claim.event_id, claim.task_id, claim.year)
            if t is not None:
                task = {"title": t.occurrence.title, "action": t.action,
                        "event_date": human_date(lang, t.occurrence.date),
                        "window_start": human_date(lang, t.window_start), "due": human_date(lang, t.due),
                        "owner": cfg.department_name(t.owner, lang)}
        ack = kw.pop("ack", None)
        html = self.env.get_template("ack_page.html").render(
            lang=lang, org=cfg.org_name, app=T("app"), overview=T("overview"),
            today_label=T("today"), today=human_date(lang, self.ctx.today()), state=state, claim=claim, task=task,
            done_at=ack.done_at.astimezone(cfg.tz).strftime("%H:%M %d/%m/%Y") if ack else "",
            done_by=person(self.ctx, ack.done_by, ack.via, lang) if ack else "", **kw)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def _verify(self, token: str) -> AckClaim:
        now = self.ctx.now()
        return signer_for(self.ctx.config, self.ctx.store, now).verify(token, now)

    def get(self, request: Request) -> Response:
        try:
            claim = self._verify(request.path_params["token"])
        except LinkError as e:
            return self._page(request, e.reason, 410 if e.reason == "expired" else 400)
        ack = acks.get_ack(self.ctx.store, claim.event_id, claim.task_id, claim.year)
        if ack is not None:
            return self._page(request, "already", 200, claim, ack=ack)
        return self._page(request, "confirm", 200, claim)

    async def post(self, request: Request) -> Response:
        form = await request.form()
        note = str(form.get("note") or "")[:NOTE_MAX]
        return await run_in_threadpool(self._post, request, request.path_params["token"], note)

    def _post(self, request: Request, token: str, note: str) -> Response:
        try:
            claim = self._verify(token)
        except LinkError as e:
            return self._page(request, e.reason, 410 if e.reason == "expired" else 400)
        store = self.ctx.store
        if acks.mark_done(store, claim.event_id, claim.task_id, claim.year, claim.recipient, "email",
                          note, self.ctx.now(), nonce=claim.nonce):
            self.ctx.acks_changed()  # already in a worker thread
            return self._page(request, "done", 200, claim)
        ack = acks.get_ack(store, claim.event_id, claim.task_id, claim.year)
        return self._page(request, "replay", 409, claim, ack=ack)


def routes(ctx: Context) -> list[BaseRoute]:
    pages = AckPages(ctx)
    return [Route("/ack/{token}", pages.get, methods=["GET", "HEAD"]),
            Route("/ack/{token}", pages.post, methods=["POST"])]
