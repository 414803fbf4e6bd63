"""The editors' pages: the catalog (``/catalog``), partners (``/catalog/partners``), one event
with its overrides and history (``/catalog/event/{id}``), importing a plan appendix
(``/catalog/import``) and the site-wide audit trail (``/audit``). Editors only.

Every change goes through :mod:`reminderd.overlays.edit` or :mod:`reminderd.importing.preview`
— the same code as ``reminderd catalog`` and ``reminderd import`` — so it is validated by
the catalog's validator, audited, and applied at once. An import is previewed first; the
preview form carries the file (signed with the session key), so confirming it stores what
was shown, on whichever daemon of a pair answers.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import os
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .. import adhoc, audit, countries
from ..context import Context
from ..errors import Problem
from ..i18n import t
from ..importing import preview as imp
from ..importing import readers
from ..importing.text import fold
from ..model import EventRule
from ..occurrences import occurrence_in_year
from ..overlays import edit
from ..overlays import overrides as ov
from ..plan import event_active, plan_task, task_applies
from .adhoc_form import FormError, date_words, lead_words, parse_lead
from .audit_words import AuditWords
from .editing_text import TEXT, tier_name, translator
from .pages import Pages
from .views import Visitor, date_found, person

SEARCH_LIMIT = 60
AUDIT_LIMIT = 300
NATIONAL_DAY_TAG = "quoc-khanh"
RELATIONS_TAG = "ky-niem-quan-he-ngoai-giao"
UPLOAD_MAX = readers.MAX_BYTES


class Editing:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.p = Pages(ctx)

    # ---- plumbing --------------------------------------------------------------------------

    def render(self, request: Request, v: Visitor, name: str, status: int = 200, **kw: Any) -> Response:
        merged = edit.current(self.ctx)
        return self.p.render(request, v, name, status, E=translator(v.lang), conflicts=merged.conflicts,
                             tier_name=lambda t: tier_name(t, v.lang), lead=lambda text: lead_words(text, v.lang),
                             date_found=date_found, date_words=date_words,
                             when=lambda at: at.astimezone(self.ctx.config.tz).strftime("%H:%M %d/%m/%Y"),
                             day=lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}", **kw)

    def refuse(self, request: Request, v: Visitor) -> Response | None:
        if v.session.admin:
            return None
        return self.p.denied(request, v)

    async def form(self, request: Request, **limits: Any) -> tuple[Visitor, Any, Response | None]:
        form = await request.form(**limits)
        v = await run_in_threadpool(self.p.visitor, request)
        from .. import webauth
        if not webauth.csrf_ok(v.key, request.cookies.get(webauth.NONCE_COOKIE), str(form.get("csrf", ""))):
            return v, form, self.p.error(request, v, 403, "err.csrf")
        return v, form, self.refuse(request, v)

    def who(self, v: Visitor) -> str:
        return v.session.who or "web"

    def audit_words(self, v: Visitor) -> AuditWords:
        return AuditWords(self.ctx.config, v.lang, lambda who, via: person(self.ctx, who, via, v.lang))

    # ---- /catalog -------------------------------------------------------------------------------

    def index(self, request: Request) -> Response:
        v = self.p.visitor(request)
        if (no := self.refuse(request, v)) is not None:
            return no
        merged = edit.current(self.ctx)
        q = request.query_params.get("q", "").strip()
        found: list[EventRule] = []
        if q:
            key = fold(q)
            for ev in self._all_events():
                hay = fold(" ".join([ev.id, ev.title, ev.title_vi, countries.country_name(ev.country or "", "vi")
                                     if ev.country else "", ev.country or ""]))
                if key in hay:
                    found.append(ev)
        changed = sorted({r.event_id for r in merged.stored.overrides})
        titles = {e.id: e.title for e in self._all_events()}
        return self.render(request, v, "page_catalog.html", q=q, found=found[:SEARCH_LIMIT],
                           more=len(found) > SEARCH_LIMIT, limit=SEARCH_LIMIT, changed=changed, titles=titles,
                           merged=merged, badges=self._badges(merged),
                           imported=sum(1 for i in merged.stored.items if i.origin))

    def _all_events(self) -> list[EventRule]:
        """Every event: the files' (disabled ones too) and the stored items."""
        assert self.ctx.base_runtime is not None
        base = {e.id for e in self.ctx.base_runtime.catalog.events}
        effective = {e.id: e for e in self.ctx.runtime.catalog.events}
        out = [effective.get(e.id, e) for e in self.ctx.base_runtime.catalog.events]
        return out + [e for e in self.ctx.runtime.catalog.events if e.id not in base]

    def _badges(self, merged: Any) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for view in merged.overrides:
            key = "badge.conflict" if view.conflict else (
                "badge.disabled" if view.row.kind == "disable" else "badge.changed")
            out.setdefault(view.row.event_id, [])
            if key not in out[view.row.event_id]:
                out[view.row.event_id].append(key)
        for item in merged.stored.items:
            out.setdefault(item.event_id, []).append("badge.imported" if item.origin else "badge.adhoc")
        return out

    # ---- /catalog/partners ----------------------------------------------------------------------

    def partners_page(self, request: Request, status: int = 200, **kw: Any) -> Response:
        v = self.p.visitor(request)
        if (no := self.refuse(request, v)) is not None:
            return no
        return self._partners(request, v, status, **kw)

    def _partners(self, request: Request, v: Visitor, status: int = 200, **kw: Any) -> Response:
        ctx = self.ctx
        merged = edit.current(ctx)
        year = ctx.today().year
        national, relations = self._world(year)
        lang = v.lang
        tiers = edit.tiers(ctx)
        changes = {c.country: c for c in merged.partners}

        def row(code: str) -> dict[str, Any]:
            c = changes.get(code)
            return {"code": code, "name": countries.country_name(code, lang), "national_day": national.get(code),
                    "relations": relations.get(code), "change": c,
                    "file_tier": c.file_tier if c else ctx.config.tier_of(code)}

        by_tier = {tier: sorted((row(c) for c in ctx.config.partners.get(tier, ())), key=lambda r: fold(r["name"]))
                   for tier in tiers}
        removed = [row(c.country) for c in merged.partners if c.tier is None and c.problem is None]
        partners = {c for codes in ctx.config.partners.values() for c in codes}
        choices = sorted(((countries.country_name(c, lang), c) for c in countries.VI
                          if c != "VN" and c not in partners), key=lambda x: fold(x[0]))
        kw.setdefault("problems", [])
        kw.setdefault("message", request.query_params.get("saved", ""))
        return self.render(request, v, "page_partners.html", status, tiers=tiers, by_tier=by_tier, removed=removed,
                           choices=choices, year=year, tier_tasks=self._tier_tasks(lang), **kw)

    def _world(self, year: int) -> tuple[dict[str, dt.date], dict[str, dt.date]]:
        national: dict[str, dt.date] = {}
        relations: dict[str, dt.date] = {}
        for ev in self.ctx.runtime.catalog.events:
            if not ev.country:
                continue
            if NATIONAL_DAY_TAG in ev.tags and ev.country not in national:
                occ = occurrence_in_year(ev, year)
                if occ is not None:
                    national[ev.country] = occ.date
            if RELATIONS_TAG in ev.tags and ev.since and ev.country not in relations:
                relations[ev.country] = ev.since
        return national, relations

    def _tier_tasks(self, lang: str) -> dict[str, list[str]]:
        """What each tier brings, in words: "Quốc khánh các nước — bắt đầu 7 ngày làm việc trước, …"."""
        from ..feeds.text import tag_title

        seen: dict[str, list[str]] = {}
        for ev in self.ctx.runtime.catalog.events:
            for task in ev.tasks:
                if not task.tier:
                    continue
                kind = ", ".join(tag_title(x, lang) for x in ev.tags) or ev.id
                rule = t(lang, "rule." + task.lead.unit, near=task.lead.near, far=task.lead.far)
                line = f"{kind} — {rule}"
                if line not in seen.setdefault(task.tier, []):
                    seen[task.tier].append(line)
        return seen

    async def partners_save(self, request: Request) -> Response:
        v, form, no = await self.form(request)
        if no is not None:
            return no
        raw = str(form.get("country", "")).strip()
        code = imp.country_code(raw) if raw else None
        E = translator(v.lang)
        if code is None:
            return await run_in_threadpool(self._partners, request, v, 422,
                                           problems=[E("partners.unknown", name=raw)])
        if form.get("action") == "revert":
            problems = await run_in_threadpool(edit.revert_partner, self.ctx, code, self.who(v), "web")
        else:
            tier = str(form.get("tier", "")).strip() or None
            problems = await run_in_threadpool(edit.set_partner, self.ctx, code, tier, self.who(v), "web")
        if problems:
            return await run_in_threadpool(self._partners, request, v, 422, problems=[p.message for p in problems])
        tier_now = self.ctx.config.tier_of(code)
        tier_now = tier_name(tier_now, v.lang) if tier_now else E("not_partner")
        msg = E("partners.saved", name=countries.country_name(code, v.lang), tier=tier_now)
        return self.p.finish(request, v, RedirectResponse(
            f"/catalog/partners?saved={_q(msg)}#c-{code}", 303))

    # ---- /catalog/event/{id} --------------------------------------------------------------------

    def event_page(self, request: Request) -> Response:
        v = self.p.visitor(request)
        if (no := self.refuse(request, v)) is not None:
            return no
        return self._event(request, v, request.path_params["event_id"])

    def _event(self, request: Request, v: Visitor, event_id: str, status: int = 200, **kw: Any) -> Response:
        ctx = self.ctx
        merged = edit.current(ctx)
        file_ev = edit.file_event(ctx, event_id)
        effective = next((e for e in ctx.runtime.catalog.events if e.id == event_id), None)
        ev = effective or file_ev
        if ev is None:
            return self.p.error(request, v, 404, "err.notfound")
        views = {vw.row.task_id: vw for vw in merged.for_event(event_id)}
        disabled = views.get("") if views.get("") is not None and views[""].row.kind == "disable" else None
        item = adhoc.get_item(ctx.store, event_id) if file_ev is None else None
        today = ctx.today()
        occ = None
        for y in (today.year, today.year + 1):
            occ = occurrence_in_year(ev, y)
            if occ is not None and occ.date >= today - dt.timedelta(days=1):
                break
        tasks = []
        for rule in ev.tasks:
            view = views.get(rule.id)
            window = None
            if occ is not None and task_applies(rule, occ, ctx.config) and event_active(ev, ctx.config):
                pt = plan_task(rule, occ, ctx.runtime.workdays)
                window = (occ.year, pt.window_start, pt.due)
            tasks.append({"rule": rule, "view": view, "window": window,
                          "changed": self._changed_words(view, v.lang) if view and view.row.kind == "change" else ""})
        # Stored changes of tasks no longer in the effective event (conflicts) are shown too.
        orphans = [vw for tid, vw in views.items() if tid and tid not in {r.id for r in ev.tasks}]
        kw.setdefault("problems", [])
        kw.setdefault("values", {})
        kw.setdefault("message", request.query_params.get("saved", ""))
        history = audit.entries(ctx.store, event_id=event_id, limit=200)
        where = None
        if file_ev is not None:  # the file as ops know it: relative to the config file
            rel = os.path.relpath(file_ev.source.file, ctx.config.path.parent)
            where = f"{rel}:{file_ev.source.line}" if file_ev.source.line else rel
        return self.render(request, v, "page_event.html", status, ev=ev, file_ev=file_ev, disabled=disabled,
                           where=where,
                           item=item, occ=occ, tasks=tasks, orphans=orphans, history=history,
                           active=event_active(ev, ctx.config), label=audit.action_label,
                           show=self.audit_words(v).show, **kw)

    def _changed_words(self, view: ov.OverrideView, lang: str) -> str:
        names = {"lead": "thời hạn" if lang != "en" else "lead", "owner": "chủ trì" if lang != "en" else "lead dept.",
                 "support": "phối hợp" if lang != "en" else "coordinating"}
        before = view.before or {}
        parts = []
        for key, after in view.row.data.get("change", {}).items():
            parts.append(f"{names.get(key, key)} {self._val(key, before.get(key), lang)} → "
                         f"{self._val(key, after, lang)}")
        return "; ".join(parts)

    def _val(self, key: str, value: Any, lang: str) -> str:
        cfg = self.ctx.config
        if key == "owner":
            return cfg.department_name(value, lang) if value else "—"
        if key == "support":
            values = [value] if isinstance(value, str) else list(value or [])
            return ", ".join(cfg.department_name(s, lang) for s in values) or "—"
        if key == "lead" and value:
            return lead_words(str(value), lang)
        return str(value) if value not in (None, "") else "—"

    async def event_save(self, request: Request) -> Response:
        v, form, no = await self.form(request)
        if no is not None:
            return no
        event_id = request.path_params["event_id"]
        action = str(form.get("action", ""))
        task_id = str(form.get("task_id", "")).strip()
        by = self.who(v)
        values: dict[str, Any] = {}
        if action == "disable":
            problems = await run_in_threadpool(edit.disable_event, self.ctx, event_id, by, "web")
        elif action in ("enable", "revert"):
            problems = await run_in_threadpool(edit.revert, self.ctx, event_id, task_id if action == "revert" else "",
                                               by, "web")
        elif action == "change":
            wanted = {"lead": _lead(str(form.get("lead", ""))), "owner": str(form.get("owner", "")).strip(),
                      "support": [str(s) for s in form.getlist("support") if s]}
            values = {"task": task_id, **wanted}
            problems = await run_in_threadpool(edit.change_task, self.ctx, event_id, task_id, wanted, by, "web")
        elif action == "add":
            task = {"action": str(form.get("action_text", "")).strip(), "lead": _lead(str(form.get("lead", ""))),
                    "owner": str(form.get("owner", "")).strip(),
                    "support": [str(s) for s in form.getlist("support") if s]}
            values = {"task": "", **task}
            problems = await run_in_threadpool(edit.add_task, self.ctx, event_id, task, by, "web")
        else:
            problems = [Problem("", "", "action", "?")]
        if problems:
            return await run_in_threadpool(self._event, request, v, event_id, 422,
                                           problems=[p for p in problems if not p.warning], values=values)
        return self.p.finish(request, v, RedirectResponse(
            f"/catalog/event/{event_id}?saved=1" + (f"#t-{task_id}" if task_id else ""), 303))

    # ---- /catalog/import ------------------------------------------------------------------------

    def import_page(self, request: Request) -> Response:
        v = self.p.visitor(request)
        if (no := self.refuse(request, v)) is not None:
            return no
        done = None
        if request.query_params.get("done"):
            try:
                events, partners = (int(x) for x in request.query_params["done"].split(",", 1))
                done = {"events": events, "partners": partners, "file": request.query_params.get("file", "")}
            except ValueError:
                done = None
        return self.render(request, v, "page_import.html", tiers=edit.tiers(self.ctx), preview=None, done=done,
                           error="")

    def _sign(self, v: Visitor, name: str, year: int, tier: str, digest: str) -> str:
        msg = json.dumps(["import", name, year, tier, digest]).encode()
        return hmac.new(v.key, msg, hashlib.sha256).hexdigest()

    async def import_preview(self, request: Request) -> Response:
        v, form, no = await self.form(request, max_files=1)
        if no is not None:
            return no
        upload = form.get("file")
        E = translator(v.lang)
        tiers = edit.tiers(self.ctx)
        if not isinstance(upload, UploadFile) or not upload.filename:
            return self.render(request, v, "page_import.html", 422, tiers=tiers, preview=None, done=None,
                               error=E("import.nofile"))
        data = await upload.read(UPLOAD_MAX + 1)
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
        year_text = str(form.get("year", "")).strip()
        tier = str(form.get("tier", "regular")).strip()
        return await run_in_threadpool(self._preview, request, v, name, data, year_text, tier)

    def _preview(self, request: Request, v: Visitor, name: str, data: bytes, year_text: str,
                 tier: str) -> Response:
        tiers = edit.tiers(self.ctx)
        year = int(year_text) if year_text.isdigit() and 1900 <= int(year_text) <= 2100 else None
        if tier not in tiers:
            tier = tiers[0] if tiers else "regular"
        try:
            p = imp.build(name, data, self.ctx.runtime, imp.stored_ids(self.ctx), today=self.ctx.today(),
                          year=year, tier=tier)
        except readers.ReadError as e:
            return self.render(request, v, "page_import.html", 422, tiers=tiers, preview=None, done=None,
                               error=str(e))
        sig = self._sign(v, name, p.year, tier, p.digest)
        return self.render(request, v, "page_import.html", tiers=tiers, preview=p, done=None, error="",
                           groups=imp.rows_by_status(p), payload=base64.b64encode(data).decode(), sig=sig)

    async def import_apply(self, request: Request) -> Response:
        v, form, no = await self.form(request, max_part_size=2 * UPLOAD_MAX)
        if no is not None:
            return no
        E = translator(v.lang)
        name = str(form.get("name", ""))
        tier = str(form.get("tier", ""))
        try:
            year = int(str(form.get("year", "")))
            data = base64.b64decode(str(form.get("payload", "")), validate=True)
        except (ValueError, binascii.Error):
            data, year = b"", 0
        digest = hashlib.sha256(data).hexdigest()
        if not data or not hmac.compare_digest(self._sign(v, name, year, tier, digest), str(form.get("sig", ""))):
            return self.render(request, v, "page_import.html", 400, tiers=edit.tiers(self.ctx), preview=None,
                               done=None, error=E("import.stale"))
        chosen = {str(x) for x in form.getlist("row")}
        done = await run_in_threadpool(self._apply, name, data, year, tier, chosen, self.who(v))
        return self.p.finish(request, v, RedirectResponse(
            f"/catalog/import?done={done['events']},{done['partners']}&file={_q(name)}", 303))

    def _apply(self, name: str, data: bytes, year: int, tier: str, chosen: set[str], by: str) -> dict[str, int]:
        p = imp.build(name, data, self.ctx.runtime, imp.stored_ids(self.ctx), today=self.ctx.today(),
                      year=year, tier=tier)
        for row in p.rows:
            if row.status == "new" and f"{row.table}:{row.line}" not in chosen:
                row.status = "unchosen"  # left out by the editor: not stored
        return imp.apply(self.ctx, p, by, "import")

    # ---- /audit ---------------------------------------------------------------------------------

    def audit_page(self, request: Request) -> Response:
        v = self.p.visitor(request)
        if (no := self.refuse(request, v)) is not None:
            return no
        kind = request.query_params.get("action", "")
        kinds = sorted({a.split(".", 1)[0] for a in audit.ACTIONS})
        if kind not in kinds:
            kind = ""
        entries = audit.entries(self.ctx.store, action_prefix=kind + "." if kind else None, limit=AUDIT_LIMIT)
        E = translator(v.lang)
        return self.render(request, v, "page_audit.html", entries=entries, kind=kind, kinds=kinds,
                           limit=AUDIT_LIMIT, label=audit.action_label, show=self.audit_words(v).show,
                           kind_label=lambda k: E(f"kind.{k}") if f"kind.{k}" in TEXT else k)


def _lead(text: str) -> str:
    """A lead time typed as the ad-hoc form takes it (both languages, with or without diacritics:
    "7-10 working days", "2 tuần") → the catalog's form; else as typed, for the validator to explain."""
    try:
        return parse_lead(text)
    except FormError:
        return text.strip()


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def routes(ctx: Context) -> list[BaseRoute]:
    e = Editing(ctx)
    return [
        Route("/catalog", e.index, methods=["GET"]),
        Route("/catalog/partners", e.partners_page, methods=["GET"]),
        Route("/catalog/partners", e.partners_save, methods=["POST"]),
        Route("/catalog/event/{event_id}", e.event_page, methods=["GET"]),
        Route("/catalog/event/{event_id}", e.event_save, methods=["POST"]),
        Route("/catalog/import", e.import_page, methods=["GET"]),
        Route("/catalog/import", e.import_preview, methods=["POST"]),
        Route("/catalog/import/apply", e.import_apply, methods=["POST"]),
        Route("/audit", e.audit_page, methods=["GET"]),
    ]
