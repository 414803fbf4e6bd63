"""Serving the feeds.

``GET``/``HEAD`` of a feed file, private (``{token}`` an active feed token whose scope is
exactly that feed) or public (``public`` instead of a token; only feeds listed in
``[feeds] public``)::

    /feeds/{token}/department/so-ngoai-vu/Sở Ngoại vụ.ics     the current form: the last segment
    /feeds/{token}/all/Lịch đối ngoại - tất cả.ics             is the feed's name (ignored when read)
    /feeds/{token}/department/so-ngoai-vu.ics                  the short form (older links)
    /feeds/{token}/all.ics

``?layout=bars`` asks for one entry per task over its whole window (docs/FEEDS.md).

A feed's folder (``/feeds/{token}/department/so-ngoai-vu/``) answers WebDAV ``PROPFIND``
read-only: the folder holds one calendar file with a display name and only the ``read``
privilege. Thunderbird's "On the Network" dialog, given the folder, finds the calendar
through it, names it and subscribes read-only (so reminders can be dismissed without
Thunderbird trying to write the feed back). ``PROPFIND`` of the file itself answers the
same way. ``GET`` of the folder is a short plain-text note.

Anything else under ``/feeds/`` — wrong token, revoked token, a token for another
feed, an unknown feed, a private feed asked for as public — is the same plain 404,
so a guess learns nothing about which feeds exist. Bodies come from the in-memory
``FeedCache`` (identity and gzip, each with its own strong ETag); conditional
requests get 304 (If-None-Match wins over If-Modified-Since, RFC 9110 §13.2.2; an
If-Modified-Since later than the server's clock is ignored, §13.1.3).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, quote, urlsplit
from xml.sax.saxutils import escape

from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import tokens
from ..context import Context
from ..feeds import LAYOUTS, FeedName, FeedNameError, parse_feed_name, with_layout
from ..feeds.cache import FeedCache, RenderedFeed, install

PUBLIC = "public"
CONTENT_TYPE = "text/calendar; charset=utf-8"
DAV_METHODS = ("PROPFIND",)


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


def _not_modified_since(header: str, feed: RenderedFeed, now: dt.datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False  # an unparseable date is ignored, as RFC 9110 says
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    if since > now:
        return False  # RFC 9110 §13.1.3: a date later than the server's clock is invalid
    return feed.last_modified <= since


def respond(method: str, headers: dict[str, str], feed: RenderedFeed, private: bool, *,
            now: dt.datetime) -> tuple[int, Headers, bytes]:
    """(status, response headers, body) for a GET/HEAD of ``feed`` with these request headers
    (lower-case names) at ``now``. Pure, so the rules are testable without a server."""
    use_gzip = _accepts_gzip(headers.get("accept-encoding", ""))
    out: Headers = [
        (b"etag", (feed.gzip_etag if use_gzip else feed.etag).encode()),
        (b"last-modified", feed.http_date.encode()),
        (b"vary", b"Accept-Encoding"),
        # A private link must not be kept by shared caches; clients revalidate cheaply.
        (b"cache-control", b"private, max-age=300" if private else b"public, max-age=300"),
        (b"content-disposition", f'inline; filename="{str(feed.name.base).replace("/", "-")}.ics"'.encode()),
        (b"x-content-type-options", b"nosniff"),
    ]
    if private:
        out += [(b"x-robots-tag", b"noindex"), (b"referrer-policy", b"no-referrer")]
    inm = headers.get("if-none-match")
    ims = headers.get("if-modified-since")
    if (_etag_matches(inm, feed) if inm is not None else ims is not None and _not_modified_since(ims, feed, now)):
        return 304, out, b""
    body = feed.gzip_body if use_gzip else feed.body
    if use_gzip:
        out.append((b"content-encoding", b"gzip"))
    out += [(b"content-type", CONTENT_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    return 200, out, b"" if method == "HEAD" else body


# ---- URLs -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """What a path under ``/feeds/{token}/`` asks for."""

    feed: FeedName
    folder: bool  # the feed's folder (``…/department/x/``), not its file


def parse_path(path: str, query: str = "") -> Target | None:
    """``department/x/<name>.ics``, ``department/x.ics``, ``department/x/`` (and ``all…``);
    ``?layout=bars``. None for anything else."""
    folder = path.endswith("/")
    if not folder and not path.endswith(".ics"):
        return None
    parts = path.removesuffix(".ics").rstrip("/").split("/") if not folder else path.rstrip("/").split("/")
    if not parts or not parts[0]:
        return None
    n = 1 if parts[0] == "all" else 2
    if len(parts) < n or (folder and len(parts) != n):
        return None
    try:
        name = parse_feed_name("/".join(parts[:n]))
        layouts = parse_qs(query).get("layout", [])
        if layouts:
            if len(layouts) > 1 or layouts[0] not in LAYOUTS:
                return None
            name = with_layout(name, layouts[0])
    except FeedNameError:
        return None
    return Target(name, folder)


# Characters Thunderbird's decodeURI would leave encoded in a calendar's name (reserved in URIs)
# or that would end the path segment: replaced, so the name it shows reads as written.
_UNSAFE = re.compile(r"[/\\?#%;:@&=+$\x00-\x1f\x7f]+")


def url_name(title: str) -> str:
    """The feed's name as its URL's last segment: percent-encoded UTF-8, commas kept."""
    clean = " ".join(_UNSAFE.sub(" ", title).split()) or "lich"
    return quote(clean, safe=",()!*'-._~")


def folder_path(token: str | None, feed: FeedName | str) -> str:
    name = parse_feed_name(feed) if isinstance(feed, str) else feed
    return f"/feeds/{token or PUBLIC}/{name.base}/"


def file_path(token: str | None, feed: FeedName | str, title: str) -> str:
    name = parse_feed_name(feed) if isinstance(feed, str) else feed
    query = "" if name.layout == "days" else f"?layout={name.layout}"
    return f"{folder_path(token, name)}{url_name(title)}.ics{query}"


@dataclass(frozen=True)
class FeedLinks:
    https: str  # the calendar file, named: Apple Calendar, Outlook, Google, Thunderbird (writable)
    webcal: str  # the same for the webcal:// scheme (opens the subscribe dialog of Apple/Outlook)
    folder: str  # Thunderbird: the folder finds the calendar read-only, under its name


def feed_links(base_url: str, token: str | None, feed: FeedName | str, title: str) -> FeedLinks:
    """Every link of a feed. ``title``: ``reminderd.feeds.feed_title(runtime, feed)``."""
    base = base_url.rstrip("/")
    https = base + file_path(token, feed, title)
    return FeedLinks(https=https, webcal=_webcal(https), folder=base + folder_path(token, feed))


def feed_url(base_url: str, token: str | None, feed: str) -> tuple[str, str]:
    """(http(s) URL, webcal URL) of a feed in the short form (``…/department/x.ics``), which
    keeps working; ``token`` None for a public feed. ``feed_links`` gives the named form."""
    path = f"/feeds/{token or PUBLIC}/{parse_feed_name(feed).path}"
    http = base_url.rstrip("/") + path
    return http, _webcal(http)


def _webcal(http: str) -> str:
    rest = http.split("://", 1)[1] if "://" in http else http
    return "webcal://" + rest


# ---- WebDAV, read-only -----------------------------------------------------------------------

_PRIVS = "<D:current-user-privilege-set><D:privilege><D:read/></D:privilege></D:current-user-privilege-set>"


def propfind_body(folder_href: str, file_href: str, feed: RenderedFeed, depth: str, folder: bool) -> bytes:
    """A WebDAV multistatus (RFC 4918) for the folder (Depth 0 or 1) or the file: a display name
    and only the ``read`` privilege (RFC 3744), which Thunderbird reads as "read-only"."""
    name = escape(feed.short_name or feed.title)

    def response(href: str, collection: bool) -> str:
        props = [f"<D:displayname>{name}</D:displayname>", _PRIVS]
        if collection:
            props.append("<D:resourcetype><D:collection/></D:resourcetype>")
        else:
            props += ["<D:resourcetype/>", "<D:getcontenttype>text/calendar</D:getcontenttype>",
                      f"<D:getetag>{escape(feed.etag)}</D:getetag>",
                      f"<D:getlastmodified>{feed.http_date}</D:getlastmodified>"]
        return (f"<D:response><D:href>{escape(href)}</D:href><D:propstat><D:prop>{''.join(props)}</D:prop>"
                "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>")

    parts = [response(folder_href, True)] if folder else []
    if not folder or depth != "0":
        parts.append(response(file_href, False))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">'
            + "".join(parts) + "</D:multistatus>\n").encode("utf-8")


FOLDER_NOTE = ("Đây là thư mục lịch (dùng cho Thunderbird: Lịch → Lịch mới → Trên mạng).\n"
               "Lịch: {file}\n\n"
               "This is a calendar folder (for Thunderbird: Calendar → New Calendar → On the Network).\n"
               "Calendar: {file}\n")


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
        token = params["token"]
        target = parse_path(params["feed"], scope.get("query_string", b"").decode("latin-1"))
        if target is None:
            return await _not_found(send)
        name = target.feed
        built = await ensure_built()
        private = token != PUBLIC
        if private:
            # The cache is keyed by the secret itself: it lives only in this process's memory.
            row = verifier.verify_cached(token)
            if row is None:
                row = await run_in_threadpool(verifier.verify, ctx.store, "feed", token, ctx.now(), time.monotonic())
            if row is None or row.scope != str(name.base):
                return await _not_found(send)
        base = built.get(str(name.base))
        if base is None or not (private or base.public):
            return await _not_found(send)
        rendered = base if name.layout == "days" else (
            built.get(str(name)) or await run_in_threadpool(built.variant, ctx, name))
        if rendered is None:
            return await _not_found(send)
        method = scope["method"]
        if method in DAV_METHODS or target.folder:
            return await _folder_or_dav(scope, send, token, name, rendered, target.folder)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        await _send(send, *respond(method, headers, rendered, private, now=ctx.now()))

    async def _folder_or_dav(scope: Scope, send: Send, token: str, name: FeedName, rendered: RenderedFeed,
                             folder: bool) -> None:
        prefix = urlsplit(str(ctx.config.get("http", "base_url"))).path.rstrip("/")
        title = rendered.short_name or rendered.title
        folder_href = prefix + folder_path(None if token == PUBLIC else token, name)
        file_href = prefix + file_path(None if token == PUBLIC else token, name, title)
        no_store = (b"cache-control", b"private, no-store")
        if scope["method"] == "PROPFIND":
            depth = next((v.decode("latin-1").strip() for k, v in scope["headers"] if k.lower() == b"depth"), "1")
            body = propfind_body(folder_href, file_href, rendered, depth, folder)
            return await _send(send, 207, [(b"content-type", b"application/xml; charset=utf-8"), no_store,
                                           (b"dav", b"1"), (b"content-length", str(len(body)).encode())], body)
        body = FOLDER_NOTE.format(file=file_href).encode("utf-8")
        await _send(send, 200, [(b"content-type", b"text/plain; charset=utf-8"), no_store,
                                (b"x-content-type-options", b"nosniff"),
                                (b"content-length", str(len(body)).encode())],
                    b"" if scope["method"] == "HEAD" else body)

    return [Route("/feeds/{token}/{feed:path}", _ASGI(feed), methods=["GET", "HEAD", *DAV_METHODS], name="feed")]
