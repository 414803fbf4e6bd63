"""The JSON API (``/api/v1``): the page's data and actions for scripts and other systems.

- ``GET /api/v1/upcoming?from=&to=&department=``: the rows of ``reminderd upcoming --json``,
  plus ``key``, ``done``, ``done_at``, ``done_by`` on task rows (``done_by`` only for a
  visitor who has shown who they are: anonymous readers see what was done and when, not who);
- ``POST /api/v1/ack``: mark a task occurrence done (same effect as the e-mail link);
  ``DELETE /api/v1/ack/{key}``: undo that (editors and the task's own departments);
- ``/api/v1/adhoc`` and ``/api/v1/adhoc/{event_id}``: ad-hoc items (list, create, read,
  replace, delete), validated exactly like catalog entries;
- ``GET /api/v1/openapi.json``: this, as OpenAPI 3.1 (``openapi.py``); ``GET /api/v1/``: an index
  of the endpoints, with a link to it.

Authorisation is the page's: ``Authorization: Bearer <access or admin token>``, or the
page's session cookie plus an ``X-CSRF-Token`` header for changes. Without it a change
gets 401 and nothing happens; reads follow ``[web] public_read``.

Request bodies are JSON of at most ``MAX_DEPTH`` levels (deeper: 400, before anything
recurses over them); their size is capped before they are read (``app.BODY_LIMITS``, 413).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .. import acks, adhoc, lunar, webauth
from ..agenda import row_json, select_rows
from ..context import Context
from ..errors import Problem
from .openapi import api_index, openapi_document
from .views import KeyCache, Visitor, find_task, may_read, resolve

MAX_RANGE_DAYS = 3 * 366
MAX_DEPTH = 32  # an ad-hoc item is 4 levels deep; nothing legitimate comes near this
MIN_DATE, MAX_DATE = dt.date(lunar.MIN_YEAR, 1, 1), dt.date(lunar.MAX_YEAR, 12, 31)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="reminderd"'} if status == 401 else None
    return JSONResponse({"error": message, **extra}, status, headers=headers)


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"where": p.where, "key": p.key, "message": p.message, "warning": p.warning} for p in problems]


class Api:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.keys = KeyCache(ctx)

    def visitor(self, request: Request) -> Visitor:
        return resolve(self.ctx, self.keys, request)

    def denied(self, request: Request, v: Visitor, *, write: bool) -> JSONResponse | None:
        """None if the visitor may go on; else the 401/403 answer."""
        if v.via_bearer and v.session.anonymous:
            return _error(401, "invalid or revoked token")
        if write and v.session.anonymous:
            return _error(401, "authentication required: Authorization: Bearer <token>")
        if write and not v.via_bearer and not webauth.csrf_ok(
                v.key, request.cookies.get(webauth.NONCE_COOKIE), request.headers.get("x-csrf-token")):
            return _error(403, "X-CSRF-Token header missing or wrong (needed with a session cookie)")
        if not write and not may_read(self.ctx, v):
            return _error(401, "authentication required")
        return None

    async def body(self, request: Request) -> Any:
        try:
            value = json.loads(await request.body() or b"null")
        except (ValueError, UnicodeDecodeError) as e:
            raise ValueError(f"request body is not JSON: {e}") from None
        except RecursionError:
            raise ValueError(f"request body is nested too deeply (at most {MAX_DEPTH} levels)") from None
        if _depth_over(value, MAX_DEPTH):
            raise ValueError(f"request body is nested too deeply (at most {MAX_DEPTH} levels)")
        return value

    # ---- upcoming --------------------------------------------------------------------------

    def upcoming(self, request: Request) -> Response:
        v = self.visitor(request)
        if (no := self.denied(request, v, write=False)) is not None:
            return no
        q = request.query_params
        today = self.ctx.today()
        try:
            start = dt.date.fromisoformat(q["from"]) if q.get("from") else today
        except ValueError:
            return _error(400, f"from={q['from']!r}: expected a date YYYY-MM-DD")
        try:
            end = dt.date.fromisoformat(q["to"]) if q.get("to") else start + dt.timedelta(days=30)
        except ValueError:
            return _error(400, f"to={q['to']!r}: expected a date YYYY-MM-DD")
        if end < start or (end - start).days > MAX_RANGE_DAYS:
            return _error(400, f"from..to must be increasing and at most {MAX_RANGE_DAYS} days long")
        if start < MIN_DATE or end > MAX_DATE:  # the calendars' range; year 1 crashed the plan
            return _error(400, f"from..to must lie within {MIN_DATE}..{MAX_DATE}")
        dep = q.get("department") or None
        cfg = self.ctx.config
        if dep is not None and dep not in cfg.department_ids:
            return _error(400, f"department={dep!r}: unknown; known: {', '.join(sorted(cfg.department_ids))}")
        if not cfg.get("web", "public_read") and not v.session.admin:
            dep = v.session.department  # without public reads, a department's link reads its own work only
        rows = select_rows(self.ctx.runtime, start, end, dep)
        done = {(a.event_id, a.task_id, a.year): a
                for y in {o.year for o, _ in rows} for a in acks.list_acks(self.ctx.store, y)}
        out = []
        who = not v.session.anonymous  # anonymous readers get what and when, not who (as on the pages)
        for occ, tk in rows:
            row = row_json(occ, tk)
            if tk is not None:
                ack = done.get(tk.ack_key)
                row.update(key=tk.key, done=ack is not None, done_at=ack.done_at.isoformat() if ack else None,
                           done_by=ack.done_by if ack and who else None)
            out.append(row)
        return JSONResponse(out)

    # ---- acknowledge -----------------------------------------------------------------------

    async def ack(self, request: Request) -> Response:
        v = await run_in_threadpool(self.visitor, request)
        if (no := self.denied(request, v, write=True)) is not None:
            return no
        try:
            body = await self.body(request)
        except ValueError as e:
            return _error(400, str(e))
        if not isinstance(body, dict) or not isinstance(body.get("key"), str):
            return _error(400, 'expected {"key": "event/task@YYYY-MM-DD", "note": "…"}')
        task = await run_in_threadpool(find_task, self.ctx, body["key"])
        if task is None:
            return _error(404, f"no task {body['key']!r} in the plan")
        if not v.session.may_ack(task.owner, task.support, self.ctx.config.current_department):
            return _error(403, "this token may not acknowledge that department's task")
        note = body.get("note", "")
        if not isinstance(note, str):
            return _error(400, "note: expected a string")
        changed = await run_in_threadpool(acks.mark_done, self.ctx.store, task.event.id, task.rule.id,
                                          task.occurrence.year, v.session.who or "api", "api", note[:1000],
                                          self.ctx.now())
        if changed:
            await run_in_threadpool(self.ctx.acks_changed)
        return JSONResponse({"key": task.key, "done": True, "changed": changed})

    async def undo(self, request: Request) -> Response:
        """``DELETE /api/v1/ack/{key}``: take an acknowledgement back (reminders resume)."""
        v = await run_in_threadpool(self.visitor, request)
        if (no := self.denied(request, v, write=True)) is not None:
            return no
        key = request.path_params["key"]
        task = await run_in_threadpool(find_task, self.ctx, key)
        if task is None:
            return _error(404, f"no task {key!r} in the plan")
        if not v.session.may_ack(task.owner, task.support, self.ctx.config.current_department):
            return _error(403, "this token may not undo that department's task")
        old = await run_in_threadpool(acks.undo, self.ctx.store, task.event.id, task.rule.id,
                                      task.occurrence.year, v.session.who or "api", "api", self.ctx.now())
        if old is not None:
            await run_in_threadpool(self.ctx.acks_changed)
        return JSONResponse({"key": task.key, "done": False, "changed": old is not None})

    # ---- ad-hoc items ----------------------------------------------------------------------

    def adhoc_list(self, request: Request) -> Response:
        v = self.visitor(request)
        if (no := self.denied(request, v, write=False)) is not None:
            return no
        return JSONResponse([_item_json(i) for i in adhoc.list_items(self.ctx.store)])

    def adhoc_get(self, request: Request) -> Response:
        v = self.visitor(request)
        if (no := self.denied(request, v, write=False)) is not None:
            return no
        item = adhoc.get_item(self.ctx.store, request.path_params["event_id"])
        return JSONResponse(_item_json(item)) if item else _error(404, "no such ad-hoc item")

    async def adhoc_write(self, request: Request) -> Response:
        v = await run_in_threadpool(self.visitor, request)
        if (no := self.denied(request, v, write=True)) is not None:
            return no
        if not v.session.admin:
            return _error(403, "ad-hoc items need an editor (admin token or login)")
        event_id: str | None = request.path_params.get("event_id")
        if request.method == "DELETE" and event_id is not None:
            gone = await run_in_threadpool(adhoc.delete, self.ctx, event_id, v.session.who or "api", "api")
            return Response(status_code=204) if gone else _error(404, "no such ad-hoc item")
        try:
            body = await self.body(request)
        except ValueError as e:
            return _error(400, str(e))
        if not isinstance(body, dict):
            return _error(422, "expected a JSON object shaped like a catalog [[event]]")
        if event_id is None:
            ev, problems = await run_in_threadpool(adhoc.add, self.ctx, body, v.session.who or "api", "api")
        else:
            try:
                ev, problems = await run_in_threadpool(adhoc.update, self.ctx, event_id, body,
                                                        v.session.who or "api", "api")
            except KeyError:
                return _error(404, "no such ad-hoc item")
        if ev is None:
            return _error(422, "invalid ad-hoc item", problems=_problems(problems))
        item = adhoc.get_item(self.ctx.store, ev.id)
        assert item is not None
        return JSONResponse({**_item_json(item), "warnings": _problems(problems)},
                            201 if event_id is None else 200)

    def openapi(self, request: Request) -> Response:
        return JSONResponse(openapi_document(str(self.ctx.config.get("http", "base_url"))))

    def index(self, request: Request) -> Response:
        return JSONResponse(api_index(str(self.ctx.config.get("http", "base_url"))))


def _depth_over(value: Any, limit: int) -> bool:
    """Whether JSON ``value`` nests deeper than ``limit`` (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict | list):
            if depth > limit:
                return True
            stack.extend((c, depth + 1) for c in (v.values() if isinstance(v, dict) else v))
    return False


def _item_json(item: adhoc.AdhocItem) -> dict[str, Any]:
    return {"event_id": item.event_id, "event": item.data, "created_by": item.created_by,
            "created_at": item.created_at.isoformat(), "origin": item.origin}


def routes(ctx: Context) -> list[BaseRoute]:
    a = Api(ctx)
    return [
        Route("/api/v1/", a.index, methods=["GET"]),
        Route("/api/v1/openapi.json", a.openapi, methods=["GET"]),
        Route("/api/v1/upcoming", a.upcoming, methods=["GET"]),
        Route("/api/v1/ack", a.ack, methods=["POST"]),
        Route("/api/v1/ack/{key:path}", a.undo, methods=["DELETE"]),
        Route("/api/v1/adhoc", a.adhoc_list, methods=["GET"]),
        Route("/api/v1/adhoc", a.adhoc_write, methods=["POST"]),
        Route("/api/v1/adhoc/{event_id}", a.adhoc_get, methods=["GET"]),
        Route("/api/v1/adhoc/{event_id}", a.adhoc_write, methods=["PUT", "DELETE"]),
    ]
