"""The page for people: today's work first, done in place (with undo), the year at a glance,
subscribing, ad-hoc items in a clerk's words, logging in, and one error page for every route.
Server-rendered HTML, no external assets; the small script only improves what works without it.

Reads are open when ``[web] public_read`` is on; when it is off, a department's access link
sees its own department's work only, on every page. Anonymous readers see what was done and
when, never who (names, notes, addresses). Every change needs a session (a department's
access link or an editor's login) and a CSRF token. GET handlers are plain functions
(Starlette runs them in its thread pool, so database work does not block the loop); POST
handlers read the form, then do the same.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup, escape
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from .. import acks, adhoc, webauth
from ..context import Context
from ..countries import country_name
from ..feeds import FeedName
from ..feeds.text import TAG_TITLES, tag_title
from ..security import throttle
from ..security.messages import throttle_message
from ..store import schema
from ..yearview import UNTAGGED, colour, event_tag, year_grid
from . import subscribe
from .adhoc_form import AdhocForm, country_choices, date_words, form_problems, lead_words
from .nav import NAV
from .strings import translator
from .views import (
    UNDO_MINUTES,
    KeyCache,
    TaskView,
    Visitor,
    confined_to,
    find_task,
    human_date,
    may_read,
    may_see_department,
    person,
    resolve,
    task_view,
    task_views,
    who_parts,
)

log = logging.getLogger("reminderd.web")
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
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
OVERDUE_SHOWN = 3  # the latest overdue tasks shown; the rest behind "Xem thêm"
FRAGMENT_HEADER = "x-reminderd-fragment"  # the page's script asks for one row, not a page


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PKG / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(event_tag=event_tag)
    return env


def safe_next(target: str, default: str = "/") -> str:
    """Only our own pages: no open redirect."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def with_query(path: str, **params: str) -> str:
    """``path`` with ``params`` set in its query (the old values of those names dropped)."""
    base, _, query = path.partition("?")
    kept = [(k, v) for k, v in _pairs(query) if k not in params]
    q = urlencode(kept + [(k, v) for k, v in params.items() if v])
    return f"{base}?{q}" if q else base


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)


class Pages:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.keys = KeyCache(ctx)
        self.env = _env()
        self.env.globals["colour"] = self.colour
        self._deps: tuple[Any, tuple[str, ...]] = (None, ())

    def colour(self, key: str) -> str:
        """A tag's or a department's colour: departments dealt the palette in config order."""
        cfg = self.ctx.config
        if self._deps[0] is not cfg:  # the department list, once per config (a reload swaps it)
            self._deps = (cfg, tuple(d.id for d in cfg.departments))
        return colour(key, self._deps[1])

    # ---- plumbing --------------------------------------------------------------------------

    def context(self, request: Request, v: Visitor, **kw: Any) -> dict[str, Any]:
        ctx = self.ctx
        query = request.url.query
        other = "vi" if v.lang == "en" else "en"
        return dict(
            T=translator(v.lang), v=v, lang=v.lang, org=ctx.config.org_name, today=ctx.today(),
            departments=ctx.config.departments, dep=lambda d: ctx.config.department_name(d, v.lang),
            date=lambda d: human_date(v.lang, d), path=request.url.path, nav=NAV,
            lang_href=with_query(request.url.path + (f"?{query}" if query else ""), lang=other),
            tag=lambda x: tag_title(x, v.lang), country=lambda c: country_name(c, v.lang),
            adhoc_errors=ctx.health.get("adhoc_errors", []), today_tz=ctx.config.tz,
            person=lambda who, via="web": person(ctx, who, via, v.lang),
            who_name=lambda who: who_parts(ctx, who)[0] if who else "",
            confined=confined_to(ctx, v), now=ctx.now(), undo_minutes=UNDO_MINUTES,
            may_undo=lambda tv: self.may_undo(v, tv), current_dep=ctx.config.current_department,
            may_ack=lambda tk: v.session.may_ack(tk.owner, tk.support, ctx.config.current_department), **kw)

    def render(self, request: Request, v: Visitor, name: str, status: int = 200, **kw: Any) -> Response:
        html = self.env.get_template(name).render(self.context(request, v, **kw))
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
        return self.render(request, v, "page_error.html", status, message=translator(v.lang)(key),
                           code=status)

    def denied(self, request: Request, v: Visitor, key: str | None = None) -> Response:
        """401 for a visitor who has not shown who they are, 403 for one who may not. A page
        refused (GET) is an editors' page; a change refused, one this visitor may not make."""
        if key is None:
            key = "err.editors" if request.method in ("GET", "HEAD") else "err.forbidden"
        return self.error(request, v, 401 if v.session.anonymous else 403, key)

    def visitor(self, request: Request) -> Visitor:
        return resolve(self.ctx, self.keys, request)

    async def form(self, request: Request) -> tuple[Visitor, Any, bool]:
        """The visitor, the form, and whether its CSRF token is right."""
        form = await request.form()
        v = await run_in_threadpool(self.visitor, request)
        ok = webauth.csrf_ok(v.key, request.cookies.get(webauth.NONCE_COOKIE), str(form.get("csrf", "")))
        return v, form, ok

    def may_undo(self, v: Visitor, tv: TaskView) -> bool:
        """The page offers "Hoàn tác" for a while after marking done; editors always."""
        if tv.ack is None or not v.session.may_ack(tv.task.owner, tv.task.support, self.ctx.config.current_department):
            return False
        return v.session.admin or self.ctx.now() - tv.ack.done_at <= dt.timedelta(minutes=UNDO_MINUTES)

    # ---- reading ---------------------------------------------------------------------------

    def overview(self, request: Request) -> Response:
        v = self.visitor(request)
        if not may_read(self.ctx, v):
            if v.session.department:
                return self.finish(request, v, RedirectResponse(f"/d/{v.session.department}", 303))
            return self.error(request, v, 401, "err.login")
        if (mine := confined_to(self.ctx, v)) is not None:
            return self.finish(request, v, RedirectResponse(f"/d/{mine}", 303))
        views = task_views(self.ctx, v.lang)
        counts: dict[str, int] = {}
        for tv in views:
            if tv.status in ("overdue", "now"):
                for d in {tv.task.owner, *tv.task.support}:
                    counts[d] = counts.get(d, 0) + 1
        return self.render_agenda(request, v, views, None, counts)

    def department(self, request: Request) -> Response:
        v = self.visitor(request)
        dep_id = request.path_params["dep"]
        if dep_id not in self.ctx.config.department_ids:
            return self.error(request, v, 404, "err.notfound")
        if not may_see_department(self.ctx, v, dep_id):
            if v.session.anonymous:
                return self.error(request, v, 401, "err.login")
            return self.error(request, v, 403, "err.other_dep")
        return self.render_agenda(request, v, task_views(self.ctx, v.lang, dep_id), dep_id, {})

    def switch(self, request: Request) -> Response:
        """``/d?department=ID``: the department switcher's answer (a form that works without script)."""
        dep_id = request.query_params.get("department", "")
        target = f"/d/{dep_id}" if dep_id in self.ctx.config.department_ids else "/"
        return RedirectResponse(target, 303)

    def render_agenda(self, request: Request, v: Visitor, views: list[TaskView], department: str | None,
                      counts: dict[str, int]) -> Response:
        by: dict[str, list[TaskView]] = {"now": [], "overdue": [], "soon": [], "done": []}
        for tv in views:
            if tv.status in by:
                by[tv.status].append(tv)
        by["now"].sort(key=lambda tv: (tv.task.due, tv.task.window_start))
        by["overdue"].sort(key=lambda tv: tv.task.due, reverse=True)  # the latest first
        by["soon"].sort(key=lambda tv: (tv.task.due, tv.task.window_start))
        by["done"].sort(key=lambda tv: tv.ack.done_at if tv.ack else EPOCH, reverse=True)
        flash = None
        q = request.query_params
        for what in ("done", "undone"):  # after a form posted without script: say what happened
            if key := q.get(what):
                said = next((x for x in views if x.key == key), None)
                if said is not None:
                    flash = (what, said)
        return self.render(request, v, "page_overview.html", by=by, department=department, counts=counts,
                           overdue_shown=OVERDUE_SHOWN, flash=flash, next_path=request.url.path)

    def year(self, request: Request) -> Response:
        v = self.visitor(request)
        y = request.path_params.get("year")
        dep_id = request.query_params.get("department") or None
        mine = confined_to(self.ctx, v)
        if dep_id is None and mine is not None:
            # A department that may see only its own work gets its own year, said in the address.
            return self.finish(request, v, RedirectResponse(
                f"/year/{y or self.ctx.today().year}?department={mine}", 303))
        if y is None:
            suffix = f"?department={dep_id}" if dep_id else ""
            return RedirectResponse(f"/year/{self.ctx.today().year}{suffix}", 303)
        if dep_id is not None and dep_id not in self.ctx.config.department_ids:
            return self.error(request, v, 404, "err.notfound")
        if not may_see_department(self.ctx, v, dep_id):
            if v.session.anonymous:
                return self.error(request, v, 401, "err.login")
            return self.error(request, v, 403, "err.other_dep")
        if not 1900 <= y <= 2100:
            return self.error(request, v, 404, "err.notfound")
        plan = self.ctx.runtime.plan(dt.date(y, 1, 1), dt.date(y, 12, 31))
        grid = year_grid(y, plan, self.ctx.runtime.workdays, dep_id)
        return self.render(request, v, "page_year.html", grid=grid, department=dep_id,
                           year_data=self.year_data(grid, v.lang), weeks=self.year_weeks(grid, v.lang))

    def year_weeks(self, grid: Any, lang: str) -> dict[int, Markup]:
        """Each month's table rows, written here rather than in the template: 365 cells are
        most of the year view's time when Jinja writes them one attribute at a time."""
        T = translator(lang)
        today = self.ctx.today()
        this_month = today.month if today.year == grid.year else 0
        out: dict[int, Markup] = {}
        for m in grid.months:
            rows = []
            for week in m.weeks:
                cells = []
                for d in week:
                    if d is None:
                        cells.append('<td class="pad"></td>')
                        continue
                    cls = "day" + ("" if d.working else " off") + (" hol" if d.holiday else "") + (
                        " marked" if d.events else "") + (" today" if d.date == today else "")
                    focus = d.date == today or (d.date.day == 1 and this_month != m.month)
                    label = human_date(lang, d.date) + (f" — {d.holiday}" if d.holiday else "")
                    if d.events:
                        label += "; " + T("year.day.events", n=len(d.events))
                    if d.due:
                        label += "; " + T("year.day.due", n=len(d.due))
                    if d.windows:
                        label += "; " + T("year.day.open", n=len(d.windows))
                    marks = ""
                    if d.events:
                        marks += '<span class="evs">' + "".join(
                            f'<i class="ev" style="--c: {self.colour(t)}"></i>' for t in d.event_tags[:3]) + "</span>"
                    if d.windows:
                        marks += '<span class="wins">' + "".join(
                            f'<i class="win" style="--c: {self.colour(t)}"></i>' for t in d.window_tags[:3]) + (
                            '<i class="win duemark"></i>' if d.due else "") + "</span>"
                    current = ' aria-current="date"' if d.date == today else ""
                    cells.append(
                        f'<td class="{cls}" data-date="{d.date.isoformat()}" data-events="{len(d.events)}">'
                        f'<button type="button" class="d" tabindex="{0 if focus else -1}"{current}>'
                        f'<span class="sr-only">{escape(label)}</span>'
                        f'<span class="n" aria-hidden="true">{d.date.day}</span>{marks}</button></td>')
                rows.append("<tr>" + "".join(cells) + "</tr>")
            out[m.month] = Markup("\n".join(rows))
        return out

    def year_data(self, grid: Any, lang: str) -> str:
        """The day panels' lines as compact JSON (the script groups them): events by day,
        tasks once each with their window — not 365 copies of the same lines."""
        cfg = self.ctx.config
        tasks: dict[str, int] = {}
        rows: list[list[Any]] = []
        events: dict[str, list[list[str]]] = {}
        for m in grid.months:
            for d in m.days:
                if d.events:
                    events[d.date.isoformat()] = [[o.title, event_tag(o)] for o in d.events]
                for t in d.windows:
                    if t.key not in tasks:
                        tasks[t.key] = len(rows)
                        rows.append([t.window_start.isoformat(), t.due.isoformat(), t.action,
                                     cfg.department_name(t.owner, lang), t.occurrence.title])
        hol = {d.date.isoformat(): d.holiday for m in grid.months for d in m.days if d.holiday}
        # Inside <script>, "</script>" or "<!--" in a title would end or confuse the element:
        # JSON may write every "<" as "\u003c".
        return json.dumps({"events": events, "tasks": rows, "holidays": hol},
                          ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")

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
                               message=throttle_message(v.lang, res.status, res.retry_after), code=res.status)
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

    # ---- done and undo -----------------------------------------------------------------------

    async def done(self, request: Request) -> Response:
        return await self.change(request, undo=False)

    async def undo(self, request: Request) -> Response:
        return await self.change(request, undo=True)

    async def change(self, request: Request, *, undo: bool) -> Response:
        """Mark a task done, or take that back. The page's script asks for the changed row
        (``X-Reminderd-Fragment``) and swaps it in place; without script, a redirect back to
        the page, which then says what happened (and offers the undo)."""
        v, form, ok = await self.form(request)
        if not ok:
            return self.error(request, v, 403, "err.csrf")
        task = await run_in_threadpool(find_task, self.ctx, str(form.get("key", "")), True)
        if task is None:
            return self.error(request, v, 404, "err.notfound")
        if not v.session.may_ack(task.owner, task.support, self.ctx.config.current_department):
            return self.denied(request, v)
        who = v.session.who or "web"
        if undo:
            changed = await run_in_threadpool(acks.undo, self.ctx.store, task.event.id, task.rule.id,
                                              task.occurrence.year, who, "web", self.ctx.now()) is not None
        else:
            changed = await run_in_threadpool(acks.mark_done, self.ctx.store, task.event.id, task.rule.id,
                                              task.occurrence.year, who, "web",
                                              str(form.get("note", ""))[:1000], self.ctx.now())
        if changed:
            await run_in_threadpool(self.ctx.acks_changed)
        if request.headers.get(FRAGMENT_HEADER):
            return await run_in_threadpool(self.row_fragment, request, v, task, undo)
        target = safe_next(str(form.get("next", "/")))
        return self.finish(request, v, RedirectResponse(
            with_query(target, **{("undone" if undo else "done"): task.key}), 303))

    def row_fragment(self, request: Request, v: Visitor, task: Any, undo: bool) -> Response:
        ack = acks.get_ack(self.ctx.store, task.event.id, task.rule.id, task.occurrence.year)
        tv = task_view(self.ctx, task, ack, v.lang, self.ctx.today())
        T = translator(v.lang)
        said = T("done.undone" if undo else "done.ok", what=task.action)
        path = safe_next(str(request.headers.get("x-reminderd-path", "/")))
        dep = path[3:] if path.startswith("/d/") and path[3:] in self.ctx.config.department_ids else None
        html = self.env.get_template("page_row.html").render(
            self.context(request, v, tv=tv, department=dep, next_path=path))
        resp = JSONResponse({"html": html, "said": said, "done": ack is not None})
        return self.finish(request, v, resp)

    # ---- ad-hoc items ------------------------------------------------------------------------

    def adhoc_page(self, request: Request) -> Response:
        v = self.visitor(request)
        if not v.session.admin:
            return self.denied(request, v)
        return self.render_adhoc(request, v)

    def adhoc_edit_page(self, request: Request) -> Response:
        v = self.visitor(request)
        if not v.session.admin:
            return self.denied(request, v)
        item = adhoc.get_item(self.ctx.store, request.path_params["event_id"])
        if item is None:
            return self.error(request, v, 404, "err.notfound")
        return self.render_adhoc(request, v, form=AdhocForm.from_item(item.data, v.lang), editing=item)

    def render_adhoc(self, request: Request, v: Visitor, status: int = 200, form: AdhocForm | None = None,
                     editing: adhoc.AdhocItem | None = None, errors: dict[str, list[str]] | None = None,
                     other: list[str] | None = None) -> Response:
        T = translator(v.lang)
        message = ""
        q = request.query_params
        if eid := q.get("saved") or q.get("updated"):
            item = adhoc.get_item(self.ctx.store, eid)
            if item is not None:
                message = T("adhoc.saved" if q.get("saved") else "adhoc.updated",
                            title=item.data.get("title", eid))
        elif eid := q.get("deleted"):
            message = T("adhoc.deleted", title=self.deleted_title(eid) or eid)
        form = form or AdhocForm()
        known_tags = [t for t in TAG_TITLES if t != UNTAGGED]
        return self.render(request, v, "page_adhoc.html", status, items=adhoc.list_items(self.ctx.store),
                           f=form, rows=form.padded(), editing=editing, errors=errors or {},
                           other=other or [], message=message, countries=country_choices(v.lang),
                           tags=known_tags + [t for t in form.tags if t not in known_tags],
                           when_of=lambda data: date_words(str(data.get("date", "")), v.lang),
                           lead_of=lambda lead: lead_words(str(lead), v.lang))

    def deleted_title(self, event_id: str) -> str | None:
        t = schema.adhoc_events
        with self.ctx.store.engine.connect() as conn:
            row = conn.execute(select(t.c.data).where(t.c.event_id == event_id)).first()
        return (str(json.loads(row.data).get("title", "")) or None) if row else None

    async def adhoc_save(self, request: Request) -> Response:
        v, form, ok = await self.form(request)
        if not ok:
            return self.error(request, v, 403, "err.csrf")
        if not v.session.admin:
            return self.denied(request, v)
        event_id: str | None = request.path_params.get("event_id")
        f = AdhocForm.from_post(lambda k: str(form.get(k, "")), lambda k: [str(x) for x in form.getlist(k)])
        old = None
        if event_id is not None:
            old = await run_in_threadpool(adhoc.get_item, self.ctx.store, event_id)
            if old is None:
                return self.error(request, v, 404, "err.notfound")
        raw, own = f.to_raw(self.ctx.config.department_ids, adhoc.slug, old.data if old else None)
        T = translator(v.lang)
        errors = {k: [T(e.key, **e.values)] for k, e in own.items()}
        if not errors:
            who = v.session.who or "web"
            if old is None:
                ev, problems = await run_in_threadpool(adhoc.add, self.ctx, raw, who)
            else:
                ev, problems = await run_in_threadpool(adhoc.update, self.ctx, old.event_id, raw, who)
            if ev is not None:
                what = "saved" if old is None else "updated"
                return self.finish(request, v, RedirectResponse(f"/adhoc?{what}={ev.id}", 303))
            errors, other = form_problems([p for p in problems if not p.warning], f.tasks)
            if "id" in errors and old is None:
                errors["id"] = [T("fe.id.taken", id=raw.get("id", ""))]
        else:
            other = []
        return await run_in_threadpool(self.render_adhoc, request, v, 422, f, old, errors, other)

    def adhoc_delete_page(self, request: Request) -> Response:
        """Deleting asks first: a page that says what will go, with the real button on it."""
        v = self.visitor(request)
        if not v.session.admin:
            return self.denied(request, v)
        item = adhoc.get_item(self.ctx.store, request.path_params["event_id"])
        if item is None:
            return self.error(request, v, 404, "err.notfound")
        return self.render(request, v, "page_adhoc_delete.html", item=item,
                           when_of=lambda data: date_words(str(data.get("date", "")), v.lang))

    async def adhoc_delete(self, request: Request) -> Response:
        v, _, ok = await self.form(request)
        if not ok:
            return self.error(request, v, 403, "err.csrf")
        if not v.session.admin:
            return self.denied(request, v)
        event_id = request.path_params["event_id"]
        gone = await run_in_threadpool(adhoc.delete, self.ctx, event_id, v.session.who or "web", "web")
        if not gone:
            return self.error(request, v, 404, "err.notfound")
        return self.finish(request, v, RedirectResponse(f"/adhoc?deleted={event_id}", 303))

    # ---- errors ------------------------------------------------------------------------------

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """Starlette's own 404/405 (no route, wrong method): the site's error page, not a bare
        "Not Found". The API answers in JSON and the feeds in plain text, as they always do."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        path = request.url.path
        if path.startswith("/api/"):
            return JSONResponse({"error": str(getattr(exc, "detail", "")) or "error"}, status)
        if path.startswith("/feeds/"):
            return PlainTextResponse("Không tìm thấy / Not found\n", status)
        key = {404: "err.notfound", 405: "err.method", 400: "err.bad", 403: "err.forbidden",
               401: "err.login"}.get(status, "err.server" if status >= 500 else "err.bad")
        v = await run_in_threadpool(self.visitor, request)
        resp = await run_in_threadpool(self.error, request, v, status, key)
        if status == 405 and isinstance(exc, HTTPException) and exc.headers:
            resp.headers.update(exc.headers)
        return resp

    async def server_error(self, request: Request, exc: Exception) -> Response:
        """An unexpected error: a plain page for the person. (Starlette raises the exception on
        after this answer, so the server logs its traceback once; here one line says which page.)"""
        log.error("page error: %s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "internal error; see the server log"}, 500)
        try:
            v = Visitor(webauth.ANONYMOUS, self.ctx.config.language, "", False, b"")
            html = self.env.get_template("page_error.html").render(self.context(
                request, v, message=translator(v.lang)("err.server"), code=500))
        except Exception:  # the error page itself failed: plain words still
            return PlainTextResponse("Lỗi máy chủ / Server error\n", 500)
        resp = HTMLResponse(html, 500)
        resp.headers.update(SECURITY_HEADERS)
        return resp


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


def exception_handlers(ctx: Context) -> dict[Any, Any]:
    p = Pages(ctx)
    return {HTTPException: p.http_error, Exception: p.server_error}


def routes(ctx: Context) -> list[BaseRoute]:
    if "adhoc_items" not in ctx.health:
        adhoc.refresh(ctx)  # ad-hoc items are part of the plan from the first request on
    p = Pages(ctx)
    return [
        Route("/", p.overview),
        Route("/d", p.switch),
        Route("/d/{dep}", p.department),
        Route("/year", p.year),
        Route("/year/{year:int}", p.year),
        Route("/subscribe", p.subscribe),
        Route("/a/{secret}", p.access),
        Route("/login", p.login_page, methods=["GET"]),
        Route("/login", p.login, methods=["POST"]),
        Route("/logout", p.logout, methods=["POST"]),
        Route("/done", p.done, methods=["POST"]),
        Route("/undo", p.undo, methods=["POST"]),
        Route("/adhoc", p.adhoc_page, methods=["GET"]),
        Route("/adhoc", p.adhoc_save, methods=["POST"]),
        Route("/adhoc/{event_id}/edit", p.adhoc_edit_page, methods=["GET"]),
        Route("/adhoc/{event_id}", p.adhoc_save, methods=["POST"]),
        Route("/adhoc/{event_id}/delete", p.adhoc_delete_page, methods=["GET"]),
        Route("/adhoc/{event_id}/delete", p.adhoc_delete, methods=["POST"]),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=PKG / "static"), name="static"),
    ]
