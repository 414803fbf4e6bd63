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
from email.utils import parsedate_to_datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .. import tokens
from ..context import Context
from ..feed_cache import FeedCache, RenderedFeed, install
from ..feeds import FeedNameError, parse_feed_name

PUBLIC = "public"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _not_found() -> Response:
    return Response("Không tìm thấy / Not found\n", status_code=404, media_type="text/plain",
                    headers={"Cache-Control": "no-store"})


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


def respond(request: Request, feed: RenderedFeed, private: bool) -> Response:
    use_gzip = _accepts_gzip(request.headers.get("accept-encoding", ""))
    headers = {
        "ETag": feed.gzip_etag if use_gzip else feed.etag,
        "Last-Modified": feed.http_date,
        "Vary": "Accept-Encoding",
        # A private link must not be kept by shared caches; clients revalidate cheaply.
        "Cache-Control": "private, max-age=300" if private else "public, max-age=300",
        "Content-Disposition": f'inline; filename="{str(feed.name).replace("/", "-")}.ics"',
        "X-Content-Type-Options": "nosniff",
    }
    if private:
        headers["X-Robots-Tag"] = "noindex"
        headers["Referrer-Policy"] = "no-referrer"
    inm = request.headers.get("if-none-match")
    ims = request.headers.get("if-modified-since")
    if (_etag_matches(inm, feed) if inm is not None else ims is not None and _not_modified_since(ims, feed)):
        return Response(status_code=304, headers=headers)
    body = feed.gzip_body if use_gzip else feed.body
    if use_gzip:
        headers["Content-Encoding"] = "gzip"
    headers["Content-Length"] = str(len(body))
    if request.method == "HEAD":
        return Response(b"", headers=headers, media_type=CONTENT_TYPE)
    return Response(body, headers=headers, media_type=CONTENT_TYPE)


def routes(ctx: Context) -> list[BaseRoute]:
    cache = install(ctx)

    async def ensure_built() -> FeedCache:
        if not cache.built:
            await run_in_threadpool(cache.rebuild, ctx)
        return cache

    async def feed(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            name = str(parse_feed_name(request.path_params["feed"]))
        except FeedNameError:
            return _not_found()
        if not request.path_params["feed"].endswith(".ics"):
            return _not_found()
        built = await ensure_built()
        if token == PUBLIC:
            rendered = built.get(name)
            if rendered is None or not rendered.public:
                return _not_found()
            return respond(request, rendered, private=False)
        row = await run_in_threadpool(tokens.verify, ctx.store, "feed", token, ctx.now())
        if row is None or row.scope != name:
            return _not_found()
        rendered = built.get(name)
        if rendered is None:
            return _not_found()
        return respond(request, rendered, private=True)

    return [Route("/feeds/{token}/{feed:path}", feed, methods=["GET", "HEAD"], name="feed")]


def feed_url(base_url: str, token: str | None, feed: str) -> tuple[str, str]:
    """(http(s) URL, webcal URL) of a feed; ``token`` None for a public feed."""
    path = f"/feeds/{token or PUBLIC}/{parse_feed_name(feed).path}"
    http = base_url.rstrip("/") + path
    rest = http.split("://", 1)[1] if "://" in http else http
    return http, "webcal://" + rest
