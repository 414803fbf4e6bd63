"""The page for people (issue 6): what is due, the year at a glance, subscribing,
marking done, ad-hoc items, logging in. Server-rendered HTML, no external assets.

Reads are open when ``[web] public_read`` is on; every change needs a session
(a department's access link or an editor's login) and a CSRF token. GET handlers
are plain functions (Starlette runs them in its thread pool, so database work
does not block the loop); POST handlers read the form, then do the same.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from .. import acks, adhoc, webauth
from ..context import Context
from ..countries import country_name
from ..errors import Problem
from ..feed_text import tag_title
from ..feeds import FeedName
from ..security import throttle
from ..security.messages import throttle_message
from ..yearview import colour, event_tag, year_grid
from . import subscribe
from .strings import translator
from .views import KeyCache, Visitor, find_task, human_date, may_read, person, resolve, task_views, who_parts

PKG = Path(__file__).resolve().parent.parent
SECURITY_HEADERS = {
    # Colours come in style="--c: …" attributes (per tag/department); attributes cannot run
    # script, so 'unsafe-inline' is allowed for them only, never for <style> or <script>.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "style-src-attr 'unsafe-inline'; script-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the capability link must not leak to other sites
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PKG / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(event_tag=event_tag)
    return env


class Pages:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.keys = KeyCache(ctx)
        self.env = _env()
        self.env.globals["colour"] = self.colour

    def colour(self, key: str) -> str:
        """A tag's or a department's colour: departments dealt the palette in config order."""
        return colour(key, tuple(d.id for d in self.ctx.config.departments))

    # ---- plumbing --------------------------------------------------------------------------

    def render(self, request: Request, v: Visitor, name: str, status: int = 200, **kw: Any) -> Response:
        ctx = self.ctx
        T = translator(v.lang)
        html = self.env.get_template(name).render(
            T=T, v=v, lang=v.lang, org=ctx.config.org_name, today=ctx.today(),
            departments=ctx.config.departments, dep=lambda d: ctx.config.department_name(d, v.lang),
            date=lambda d: human_date(v.lang, d), path=request.url.path,
            tag=lambda x: tag_title(x, v.lang), country=lambda c: country_name(c, v.lang),
            adhoc_errors=ctx.health.get("adhoc_errors", []), today_tz=ctx.config.tz,
            person=lambda who, via="web": person(ctx, who, via, v.lang),
            who_name=lambda who: who_parts(ctx, who)[0] if who else "", **kw)
        return self.finish(request, v, HTMLResponse(html, status))

    def finish(self, request: Request, v: Visitor, resp: Response) -> Response:
        secure = request.url.scheme == "https"
        if v.new_nonce:
            resp.set_cookie(webauth.NONCE_COOKIE, v.nonce, httponly=True, samesite="lax", secure=secure)
        if request.query_params.get("lang") in ("vi", "en"):
            resp.set_cookie(webauth.LANG_COOKIE, v.lang, max_age=365 * 86400, samesite="lax", secure=secure)
        resp.headers.update(SECURITY_HEADERS)
        return resp

    def error(self, request: Request, v: Visitor, status: int, key: str) -> Response:
        return self.render(request, v, "page_error.html", status, message=translator(v.lang)(key))

    def visitor(self, request: Request) -> Visitor:
        return resolve(self.ctx, self.keys, request)

    async def form(self, request: Request) -> tuple[Visitor, Any, bool]:
        """The visitor, the form, and whether its CSRF token is right."""
        form = await request.form()
        v = await run_in_threadpool(self.visitor, request)
        ok = webauth.csrf_ok(v.key, request.cookies.get(webauth.NONCE_COOKIE), str(form.get("csrf", "")))
        return v, form, ok

    # ---- reading ---------------------------------------------------------------------------

    def overview(self, request: Request) -> Response:
        v = self.visitor(request)
        if not may_read(self.ctx, v):
            return self.error(request, v, 401, "err.login")
        views = task_views(self.ctx, v.lang)
        counts: dict[str, int] = {}
        for tv in views:
            if tv.status in ("overdue", "week", "soon"):
                for d in {tv.task.owner, *tv.task.support}:
                    counts[d] = counts.get(d, 0) + 1
        return self.render(request, v, "page_overview.html", views=views, department=None, counts=counts)

    def department(self, request: Request) -> Response:
        v = self.visitor(request)
        dep_id = request.path_params["dep"]
        if dep_id not in self.ctx.config.department_ids:
            return self.error(request, v, 404, "err.notfound")
        if not may_read(self.ctx, v) and not v.session.may_see(dep_id):
            return self.error(request, v, 401 if v.session.anonymous else 403, "err.login")
        views = task_views(self.ctx, v.lang, dep_id)
        return self.render(request, v, "page_overview.html", views=views, department=dep_id, counts={})

    def year(self, request: Request) -> Response:
        v = self.visitor(request)
        if "year" not in request.path_params:
            return RedirectResponse(f"/year/{self.ctx.today().year}", 303)
        y = int(request.path_params["year"])
        dep_id = request.query_params.get("department") or None
        if dep_id is not None and dep_id not in self.ctx.config.department_ids:
            return self.error(request, v, 404, "err.notfound")
        if not may_read(self.ctx, v) and not (dep_id and v.session.may_see(dep_id)):
            return self.error(request, v, 401, "err.login")
        if not 1900 <= y <= 2100:
            return self.error(request, v, 404, "err.notfound")
        plan = self.ctx.runtime.plan(dt.date(y, 1, 1), dt.date(y, 12, 31))
        grid = year_grid(y, plan, self.ctx.runtime.workdays, dep_id)
        return self.render(request, v, "page_year.html", grid=grid, department=dep_id)

    def subscribe(self, request: Request) -> Response:
        v = self.visitor(request)
        base = subscribe.base_of(self.ctx, str(request.base_url))
        links = subscribe.feeds_for(self.ctx, v.session, v.key, str(request.base_url))
        groups = subscribe.grouped(links, v.session.department)
        for g in (groups.departments, groups.countries, groups.tags):
            g.sort(key=lambda f: sort_key(feed_title(f.feed, v.lang, self.ctx.config)))
        return self.render(request, v, "page_subscribe.html", groups=groups, base=base,
                           scheme=subscribe.scheme_of(base), reach=subscribe.reach_of(base),
                           webcal=any(f.webcal for f in links),
                           feed_title=lambda feed: feed_title(feed, v.lang, self.ctx.config))

    # ---- access and login ------------------------------------------------------------------

    def access(self, request: Request) -> Response:
        """``/a/<secret>``: a department's (or an editor's) capability link → a session."""
        v = self.visitor(request)
        row = webauth.verify_token(self.ctx.store, ("access", "admin"), request.path_params["secret"],
                                   self.ctx.now())
        session = webauth.session_from_token(row) if row else None
        if session is None:
            return self.error(request, v, 404, "err.link")
        target = f"/d/{session.department}" if session.department else "/"
        return self.login_response(request, v, session, target)

    def login_response(self, request: Request, v: Visitor, s: webauth.Session, target: str) -> Response:
        resp = RedirectResponse(target, 303)
        resp.set_cookie(webauth.SESSION_COOKIE, webauth.open_session(self.ctx.store, s, self.ctx.now()),
                        max_age=webauth.SESSION_DAYS * 86400, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
        return self.finish(request, v, resp)

    def login_page(self, request: Request) -> Response:
        return self.render(request, self.visitor(request), "page_login.html", failed=False)

    async def login(self, request: Request) -> Response:
        v, form, ok = await self.form(request)
        if not ok:
            return self.error(request, v, 403, "err.csrf")
        user, pw = str(form.get("username", "")).strip(), str(form.get("password", ""))
        res = await run_in_threadpool(
            webauth.login, self.ctx.store, str(self.ctx.config.get("web", "admin_password_hash")),
            throttle.of(self.ctx), user, pw, request.client.host if request.client else "", self.ctx.now())
        if res.retry_after:  # throttled (429) or every scrypt slot busy (503): password not checked
            resp = self.render(request, v, "page_error.html", res.status,
                               message=throttle_message(v.lang, res.status, res.retry_after))
            resp.headers["Retry-After"] = str(res.retry_after)
            return resp
        if res.session is None:
            return self.render(request, v, "page_login.html", 401, failed=True)
        return self.login_response(request, v, res.session, "/")

    async def logout(self, request: Request) -> Response:
        v, _, ok = await self.form(request)
        if not ok:
            return self.error(request, v, 403, "err.csrf")
        await run_in_threadpool(webauth.end_session, self.ctx.store, request.cookies.get(webauth.SESSION_COOKIE))
        resp = self.finish(request, v, RedirectResponse("/", 303))
        resp.delete_cookie(webauth.SESSION_COOKIE)
        return resp

    # ---- changing ----------------------------------------------------------------------------

    async def done(self, request: Request) -> Response:
        v, form, ok = await self.form(request)
        if not ok:
            return self.error(request, v, 403, "err.csrf")
        task = await run_in_threadpool(find_task, self.ctx, str(form.get("key", "")))
        if task is None:
            return self.error(request, v, 404, "err.notfound")
        if not v.session.may_ack(task.owner, task.support):
            return self.error(request, v, 401 if v.session.anonymous else 403, "err.forbidden")
        if await run_in_threadpool(acks.mark_done, self.ctx.store, task.event.id, task.rule.id,
                                   task.occurrence.year, v.session.who or "web", "web",
                                   str(form.get("note", ""))[:1000], self.ctx.now()):
            await run_in_threadpool(self.ctx.acks_changed)
        target = str(form.get("next", "/"))
        if not target.startswith("/") or target.startswith("//"):
            target = "/"  # only our own pages: no open redirect
        return self.finish(request, v, RedirectResponse(f"{target}#sec-done", 303))

    def adhoc_page(self, request: Request) -> Response:
        v = self.visitor(request)
        if not v.session.admin:
            return self.error(request, v, 401 if v.session.anonymous else 403, "err.forbidden")
        return self.render_adhoc(request, v)

    def render_adhoc(self, request: Request, v: Visitor, status: int = 200, **kw: Any) -> Response:
        kw.setdefault("problems", [])
        kw.setdefault("values", {})
        kw["errors"] = field_errors(kw["problems"], kw["values"].get("tasks", []))
        kw.setdefault("message", request.query_params.get("saved", ""))
        return self.render(request, v, "page_adhoc.html", status, items=adhoc.list_items(self.ctx.store),
                           ntasks=3, **kw)

    async def adhoc_save(self, request: Request) -> Response:
        v, form, ok = await self.form(request)
        if not ok:
            return self.error(request, v, 403, "err.csrf")
        if not v.session.admin:
            return self.error(request, v, 401 if v.session.anonymous else 403, "err.forbidden")
        fields = {k: str(form.get(k, "")) for k in ("id", "title", "date", "country", "tags", "description")}
        tasks: list[dict[str, Any]] = [
            {"id": str(form.get(f"task{i}_id", "")), "action": str(form.get(f"task{i}_action", "")),
                  "lead": str(form.get(f"task{i}_lead", "")), "owner": str(form.get(f"task{i}_owner", "")),
                  "support": [str(s) for s in form.getlist(f"task{i}_support")]} for i in range(1, 4)]
        raw = adhoc.from_form(fields, tasks)
        ev, problems = await run_in_threadpool(adhoc.add, self.ctx, raw, v.session.who or "web")
        if ev is None:
            return await run_in_threadpool(self.render_adhoc, request, v, 422,
                                           problems=[p for p in problems if not p.warning],
                                           values={**fields, "tasks": tasks})
        return self.finish(request, v, RedirectResponse(f"/adhoc?saved={ev.id}", 303))

    async def adhoc_delete(self, request: Request) -> Response:
        v, _, ok = await self.form(request)
        if not ok:
            return self.error(request, v, 403, "err.csrf")
        if not v.session.admin:
            return self.error(request, v, 401 if v.session.anonymous else 403, "err.forbidden")
        await run_in_threadpool(adhoc.delete, self.ctx, request.path_params["event_id"],
                                v.session.who or "web", "web")
        return self.finish(request, v, RedirectResponse("/adhoc", 303))


def field_errors(problems: list[Problem], tasks: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Problems by form field: ``title``, ``date`` … and ``task2.lead`` for the second task row.

    The validator names a task by its id (``event x/viec-2``) or, when the id itself is bad,
    by its position among the filled-in rows (``task #1``)."""
    filled = [i for i, tf in enumerate(tasks, 1)
              if str(tf.get("action", "")).strip() or str(tf.get("lead", "")).strip()]
    ids = {(str(tf.get("id", "")).strip() or f"viec-{i}"): i for i, tf in enumerate(tasks, 1)}
    out: dict[str, list[str]] = {}
    for p in problems:
        row = None
        if m := re.search(r"task #(\d+)", p.where):
            n = int(m[1])
            row = filled[n - 1] if 0 < n <= len(filled) else None
        elif "/" in p.where:
            row = ids.get(p.where.rsplit("/", 1)[1])
        name = f"task{row}.{p.key}" if row else (p.key or "title")
        out.setdefault(name, []).append(p.message)
    return out


def feed_title(feed: FeedName, lang: str, config: Any) -> str:
    """A feed as people name it: "Sở Ngoại vụ", "Nhật Bản", "Quốc khánh các nước"."""
    if feed.kind == "all":
        return translator(lang)("feed.all")
    if feed.kind == "department":
        return str(config.department_name(feed.value, lang))
    if feed.kind == "country":
        return country_name(feed.value, lang)
    return tag_title(feed.value, lang)


def sort_key(text: str) -> str:
    """Vietnamese names in dictionary order, near enough: compared without their marks."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def favicon(request: Request) -> Response:
    """``/favicon.ico``: browsers ask for it even for pages that link the SVG icon (and for the
    feeds and the API); a 404 there is a console error on every visit. The SVG, as a redirect."""
    return RedirectResponse("/static/favicon.svg", 301, headers={"Cache-Control": "max-age=86400"})


def routes(ctx: Context) -> list[BaseRoute]:
    if "adhoc_items" not in ctx.health:
        adhoc.refresh(ctx)  # ad-hoc items are part of the plan from the first request on
    p = Pages(ctx)
    return [
        Route("/", p.overview),
        Route("/d/{dep}", p.department),
        Route("/year", p.year),
        Route("/year/{year:int}", p.year),
        Route("/subscribe", p.subscribe),
        Route("/a/{secret}", p.access),
        Route("/login", p.login_page, methods=["GET"]),
        Route("/login", p.login, methods=["POST"]),
        Route("/logout", p.logout, methods=["POST"]),
        Route("/done", p.done, methods=["POST"]),
        Route("/adhoc", p.adhoc_page, methods=["GET"]),
        Route("/adhoc", p.adhoc_save, methods=["POST"]),
        Route("/adhoc/{event_id}/delete", p.adhoc_delete, methods=["POST"]),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=PKG / "static"), name="static"),
    ]
