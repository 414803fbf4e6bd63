"""Serving the feeds: ``GET``/``HEAD`` of

- ``/feeds/{token}/all.ics``, ``/feeds/{token}/department/{id}.ics``, ``…/country/{CC}.ics``,
  ``…/tag/{tag}.ics`` — private; the token must be an active feed token whose scope is
  exactly that feed;
- ``/feeds/public/{feed}.ics`` — only feeds listed in the config's ``[feeds] public``.

Anything else under ``/feeds/`` — wrong token, revoked token, a token for another
feed, an unknown feed, a private feed asked for as public — is the same plain 404,
so a guess learns nothing about which feeds exist. Bodies come from the in-memory
``FeedCache`` (identity and gzip, each with its own strong ETag); conditional
requests get 304 (If-None-Match wins over If-Modified-Since, RFC 9110 §13.2.2).
"""

from __future__ import annotations

import datetime as dt
import time
from email.utils import parsedate_to_datetime

from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import tokens
from ..context import Context
from ..feed_cache import FeedCache, RenderedFeed, install
from ..feeds import FeedNameError, parse_feed_name

PUBLIC = "public"
CONTENT_TYPE = "text/calendar; charset=utf-8"


NOT_FOUND = b"Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y / Not found\n"
Headers = list[tuple[bytes, bytes]]


async def _send(send: Send, status: int, headers: Headers, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _not_found(send: Send) -> None:
    await _send(send, 404, [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store"),
                            (b"content-length", str(len(NOT_FOUND)).encode())], NOT_FOUND)


def _accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().lower()
            if q.startswith("q="):
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def _etag_matches(header: str, feed: RenderedFeed) -> bool:
    if header.strip() == "*":
        return True
    # Weak comparison (RFC 9110 §8.8.3.2): W/ prefixes are ignored for If-None-Match.
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return feed.etag in tags or feed.gzip_etag in tags


def _not_modified_since(header: str, feed: RenderedFeed) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False  # an unparseable date is ignored, as RFC 9110 says
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    return feed.last_modified <= since


def respond(method: str, headers: dict[str, str], feed: RenderedFeed, private: bool) -> tuple[int, Headers, bytes]:
    """(status, response headers, body) for a GET/HEAD of ``feed`` with these request headers
    (lower-case names). Pure, so the rules are testable without a server."""
    use_gzip = _accepts_gzip(headers.get("accept-encoding", ""))
    out: Headers = [
        (b"etag", (feed.gzip_etag if use_gzip else feed.etag).encode()),
        (b"last-modified", feed.http_date.encode()),
        (b"vary", b"Accept-Encoding"),
        # A private link must not be kept by shared caches; clients revalidate cheaply.
        (b"cache-control", b"private, max-age=300" if private else b"public, max-age=300"),
        (b"content-disposition", f'inline; filename="{str(feed.name).replace("/", "-")}.ics"'.encode()),
        (b"x-content-type-options", b"nosniff"),
    ]
    if private:
        out += [(b"x-robots-tag", b"noindex"), (b"referrer-policy", b"no-referrer")]
    inm = headers.get("if-none-match")
    ims = headers.get("if-modified-since")
    if (_etag_matches(inm, feed) if inm is not None else ims is not None and _not_modified_since(ims, feed)):
        return 304, out, b""
    body = feed.gzip_body if use_gzip else feed.body
    if use_gzip:
        out.append((b"content-encoding", b"gzip"))
    out += [(b"content-type", CONTENT_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    return 200, out, b"" if method == "HEAD" else body


class _ASGI:
    """Starlette wraps plain functions as request→response endpoints; an object is called as ASGI."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class _Verifier(tokens.VerifyCache):
    def verify_cached(self, secret: str) -> tokens.TokenRow | None:
        """A fresh cached hit without a thread hop, else None (then ``verify`` asks the database)."""
        if self._generation != tokens.generation:
            return None
        hit = self._hits.get(f"feed:{secret}")
        return hit[0] if hit is not None and time.monotonic() - hit[1] < self.ttl else None


def routes(ctx: Context) -> list[BaseRoute]:
    cache = install(ctx)
    verifier = _Verifier()

    async def ensure_built() -> FeedCache:
        if not cache.built:
            await run_in_threadpool(cache.rebuild, ctx)
        return cache

    async def feed(scope: Scope, receive: Receive, send: Send) -> None:
        # A bare ASGI endpoint: this is the hot path of every subscribed calendar client.
        params = scope["path_params"]
        token, path = params["token"], params["feed"]
        try:
            name = str(parse_feed_name(path))
        except FeedNameError:
            return await _not_found(send)
        if not path.endswith(".ics"):
            return await _not_found(send)
        built = await ensure_built()
        private = token != PUBLIC
        if private:
            # The cache is keyed by the secret itself: it lives only in this process's memory.
            row = verifier.verify_cached(token)
            if row is None:
                row = await run_in_threadpool(verifier.verify, ctx.store, "feed", token, ctx.now(), time.monotonic())
            if row is None or row.scope != name:
                return await _not_found(send)
        rendered = built.get(name)
        if rendered is None or not (private or rendered.public):
            return await _not_found(send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        await _send(send, *respond(scope["method"], headers, rendered, private))

    return [Route("/feeds/{token}/{feed:path}", _ASGI(feed), methods=["GET", "HEAD"], name="feed")]


def feed_url(base_url: str, token: str | None, feed: str) -> tuple[str, str]:
    """(http(s) URL, webcal URL) of a feed; ``token`` None for a public feed."""
    path = f"/feeds/{token or PUBLIC}/{parse_feed_name(feed).path}"
    http = base_url.rstrip("/") + path
    rest = http.split("://", 1)[1] if "://" in http else http
    return http, "webcal://" + rest
