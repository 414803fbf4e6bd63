"""Which feeds a visitor may subscribe to, with their https and webcal links.

Public feeds (``[feeds] public``) need no token. A department's staff get their
department's feed; an editor gets every feed. Their private links carry a
``feed`` token whose secret is derived (HMAC) from the session key, the session's
own capability and the feed name, so the page shows the same link on every visit
without storing secrets, and revoking the access link (``reminderd access revoke``)
revokes these feed tokens with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import select

from .. import webauth
from ..context import Context
from ..feeds import FeedName, available_feeds, parse_feed_name
from ..store import Store, insert_ignore, schema
from ..tokens import hash_secret
from .feeds import feed_url


@dataclass(frozen=True)
class FeedLink:
    feed: FeedName
    https: str
    webcal: str
    public: bool


def links(base: str, feed: FeedName, secret: str | None, public: bool) -> FeedLink:
    https, webcal = feed_url(base, secret, str(feed))
    return FeedLink(feed, https, webcal, public)


def owner_of(session: webauth.Session) -> str | None:
    """Whose derived feed tokens these are: the capability behind the session."""
    if session.token_id is not None:
        return f"token{session.token_id}"
    if session.admin:
        return f"user:{session.who}"
    return None


def derived_secret(key: bytes, owner: str, feed: FeedName) -> str:
    mac = hmac.new(key, f"feed|{owner}|{feed}".encode(), hashlib.sha256).digest()
    return webauth._b64(mac[:24])


def ensure_feed_token(ctx: Context, key: bytes, owner: str, feed: FeedName) -> str | None:
    """The derived secret, its ``tokens`` row made if missing; None if that row was revoked."""
    secret = derived_secret(key, owner, feed)
    h = hash_secret(secret)
    t = schema.tokens
    with ctx.store.engine.begin() as conn:
        insert_ignore(conn, t, {"token_hash": h, "kind": "feed", "scope": str(feed),
                                "label": f"trang web: {owner}", "created_at": ctx.now()})
        row = conn.execute(select(t.c.revoked_at).where(t.c.token_hash == h)).first()
    return secret if row is not None and row.revoked_at is None else None


def revoke_derived(store: Store, owner: str, now: dt.datetime) -> int:
    """Revoke every feed token made for ``owner`` (used when its access link is revoked)."""
    t = schema.tokens
    with store.engine.begin() as conn:
        return int(conn.execute(t.update().where(t.c.kind == "feed", t.c.label == f"trang web: {owner}",
                                                 t.c.revoked_at.is_(None)).values(revoked_at=now)).rowcount)


def base_of(ctx: Context, request_base: str) -> str:
    """What the links start with: ``[http] base_url``, else the address the page was asked at."""
    return str(ctx.config.get("http", "base_url")) or request_base


def scheme_of(base: str) -> str:
    """``http`` or ``https``: what the page calls the links people paste."""
    return "http" if base.lower().startswith("http:") else "https"


def feeds_for(ctx: Context, session: webauth.Session, key: bytes, base_url: str) -> list[FeedLink]:
    base = base_of(ctx, base_url)
    public = []
    for name in ctx.config.get("feeds", "public"):
        try:
            public.append(parse_feed_name(str(name)))
        except ValueError:
            continue  # `reminderd check` reports it; the page just leaves it out
    out = [links(base, f, None, True) for f in public]
    owner = owner_of(session)
    if owner is None:
        return out
    if session.admin:
        private = [f for f in available_feeds(ctx.runtime) if f not in public]
    elif session.department:
        private = [FeedName("department", session.department)]
    else:
        private = []
    for f in private:
        secret = ensure_feed_token(ctx, key, owner, f)
        if secret is not None:
            out.append(links(base, f, secret, False))
    return out
