"""Assemble the Starlette application from the route modules that exist.

Each module under ``reminderd.web`` that serves URLs exposes
``routes(ctx) -> list[BaseRoute]``; this file puts them together, so the
feeds, acknowledgement, health and page parts can grow independently, and wraps
them in what every door needs (``Guard``): a request-body cap checked before the
body is read (413), ``X-Content-Type-Options: nosniff`` on every answer and
``Cache-Control: no-store`` on the API's, and the ``Secure`` flag on every cookie
when ``[http] base_url`` is https (a proxy that does not say the request came over
https must not make a session cookie travel over http).
"""

from __future__ import annotations

import contextlib
import importlib
import json
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..context import Context

# Route modules, in matching order.
ROUTE_MODULES = ["health", "feeds", "ack", "api", "editing", "pages", "outbox_page", "documents"]


def create_app(ctx: Context) -> ASGIApp:
    routes: list[BaseRoute] = []
    handlers: dict[Any, Any] = {}
    for name in ROUTE_MODULES:
        try:
            mod = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"{__package__}.{name}":
                continue  # that part is not built yet
            raise
        routes.extend(mod.routes(ctx))
        if hasattr(mod, "exception_handlers"):  # the error pages (404, 405, 500 …)
            handlers.update(mod.exception_handlers(ctx))
    # gzip for pages, JSON, CSS and JS; feeds carry their own gzip bodies (and most take the
    # fast path below, outside this stack): never compressed twice.
    gzip = Middleware(GZipMiddleware, minimum_size=500, compresslevel=6,
                      exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "text/calendar"))
    app = Starlette(routes=routes, middleware=[gzip], exception_handlers=handlers)
    app.state.ctx = ctx
    fast: ASGIApp = Guard(app, ctx)
    for route in routes:
        if isinstance(route, Route) and route.name in FAST_PATHS:
            fast = _FastPath(fast, FAST_PATHS[route.name], route)
    return fast


# Routes that calendar clients hit all day long, by name → the path prefix they own. They are
# matched before Starlette's middleware and router stack (same matching rules, same endpoint):
# that roughly doubles the requests per second a subscribed feed's 304 revalidation gets.
FAST_PATHS = {"feed": "/feeds/"}


class _FastPath:
    def __init__(self, app: ASGIApp, prefix: str, route: Route):
        self.app, self.prefix, self.route = app, prefix, route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            match, child = self.route.matches(scope)
            if match == Match.FULL:
                scope.update(child)
                await self.route.app(scope, receive, send)
                return
        await self.app(scope, receive, send)


# Request bodies, in bytes: the largest any door accepts, by path prefix (first match), else
# DEFAULT. Checked from Content-Length before anything is read, and counted while a body
# without one streams in. The forms (login, mark done, the e-mail link's note) are a few
# hundred bytes; an ad-hoc item is one catalog [[event]] as JSON or a form.
DEFAULT_BODY_LIMIT = 1024 * 1024
BODY_LIMITS = (("/api/v1/adhoc", 64 * 1024), ("/adhoc", 64 * 1024))


def body_limit(path: str) -> int:
    for prefix, limit in BODY_LIMITS:
        if path.startswith(prefix):
            return limit
    return DEFAULT_BODY_LIMIT


class _TooLarge(Exception):
    pass


class Guard:
    """Body cap, headers and cookie flags for every request but the feeds' fast path (feeds
    take no body, set their own headers and no cookie: their throughput is left alone)."""

    def __init__(self, app: ASGIApp, ctx: Any):
        self.app, self.ctx = app, ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = body_limit(path)
        length = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _refuse(send, path, 400, "Content-Length is not a number")
                return
            if declared > limit:
                await _refuse(send, path, 413, _too_large(limit))
                return
        api = path.startswith("/api/")
        secure = str(self.ctx.config.get("http", "base_url")).lower().startswith("https:")
        state = {"received": 0, "too_large": False, "started": False}

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["too_large"] = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state["too_large"]:
                return  # whatever the app answers after the cap, the client gets the 413
            if message["type"] == "http.response.start":
                state["started"] = True
                message["headers"] = _with_headers(list(message.get("headers", [])), api, secure)
            await send(message)

        with contextlib.suppress(_TooLarge):  # raised in limited_receive, through the app
            await self.app(scope, limited_receive, guarded_send)
        if state["too_large"] and not state["started"]:
            await _refuse(send, path, 413, _too_large(limit))


def _too_large(limit: int) -> str:
    return f"request body too large: at most {limit} bytes here"


def _with_headers(headers: list[tuple[bytes, bytes]], api: bool, secure: bool) -> list[tuple[bytes, bytes]]:
    names = {k.lower() for k, _ in headers}
    if b"x-content-type-options" not in names:
        headers.append((b"x-content-type-options", b"nosniff"))
    if api and b"cache-control" not in names:
        headers.append((b"cache-control", b"no-store"))
    if secure:
        headers = [(k, v + b"; Secure") if k.lower() == b"set-cookie" and not _has_secure(v) else (k, v)
                   for k, v in headers]
    return headers


def _has_secure(cookie: bytes) -> bool:
    return any(part.strip().lower() == b"secure" for part in cookie.split(b";")[1:])


async def _refuse(send: Send, path: str, status: int, message: str) -> None:
    if path.startswith("/api/"):
        body, ctype = json.dumps({"error": message}).encode(), b"application/json"
    else:
        vi = {413: "Nội dung gửi lên quá lớn", 400: "Yêu cầu không hợp lệ"}[status]
        body, ctype = f"{vi} / {message}\n".encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", ctype), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), (b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})
