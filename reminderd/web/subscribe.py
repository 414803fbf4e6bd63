"""Which feeds a visitor may subscribe to, with their links, grouped for the page.

Public feeds (``[feeds] public``) need no token. A department's staff get their
department's feed; an editor gets every feed. Their private links carry a
``feed`` token whose secret is derived (HMAC) from the key file's key, the session's
own capability, the feed name and a generation, so the page shows the same link on
every visit without storing secrets. Revoking one such feed token (a leaked link:
``reminderd token revoke ID``) moves that feed to the next generation: the page then
shows a new link, and the old one stays dead. Revoking the access link
(``reminderd access revoke``) revokes its feed tokens with it.

Every URL the page shows is made by :func:`feed_link`, and only there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select

from .. import webauth
from ..context import Context
from ..feeds import FeedName, available_feeds, feed_title, parse_feed_name
from ..store import Store, insert_ignore, schema
from ..tokens import hash_secret
from .feeds import feed_links

# A feed whose derived links were revoked this many times in a row is not offered again
# (a guard against a loop, not a limit anyone meets: each step is one revocation by hand).
MAX_GENERATIONS = 1000


@dataclass(frozen=True)
class FeedLink:
    feed: FeedName
    https: str  # the link people paste (http:// when base_url is http)
    webcal: str | None  # None when it would send an https feed over plain http
    public: bool
    folder: str  # for Thunderbird: a read-only WebDAV folder it subscribes to read-only, by name


def feed_link(base: str, feed: FeedName, secret: str | None, public: bool, title: str) -> FeedLink:
    """The one place the page turns a feed into URLs: the file link ends in the feed's name
    (``title``, what Thunderbird and others name a subscription after), and the folder link
    is the one Thunderbird subscribes to read-only.

    ``webcal://`` means "fetch this over http" to most calendar apps (Google Calendar and
    Outlook do; only some try https first), so for an https base it would send the feed's
    token in clear: the page then offers the https link only."""
    links = feed_links(base, secret, feed, title)
    return FeedLink(feed, links.https, links.webcal if scheme_of(base) == "http" else None, public, links.folder)


def owner_of(session: webauth.Session) -> str | None:
    """Whose derived feed tokens these are: the capability behind the session."""
    if session.token_id is not None:
        return f"token{session.token_id}"
    if session.admin:
        return f"user:{session.who}"
    return None


def derived_secret(key: bytes, owner: str, feed: FeedName, generation: int = 0) -> str:
    # Generation 0 is the derivation of the first release: links already handed out keep working.
    text = f"feed|{owner}|{feed}" + (f"|{generation}" if generation else "")
    mac = hmac.new(key, text.encode(), hashlib.sha256).digest()
    return webauth._b64(mac[:24])


def ensure_feed_token(ctx: Context, key: bytes, owner: str, feed: FeedName) -> str | None:
    """The secret of the first generation whose token is not revoked, its ``tokens`` row
    made if missing; None only after MAX_GENERATIONS revocations."""
    t = schema.tokens
    with ctx.store.engine.begin() as conn:
        for generation in range(MAX_GENERATIONS):
            secret = derived_secret(key, owner, feed, generation)
            h = hash_secret(secret)
            row = conn.execute(select(t.c.revoked_at).where(t.c.token_hash == h)).first()
            if row is None:
                insert_ignore(conn, t, {"token_hash": h, "kind": "feed", "scope": str(feed),
                                        "label": f"trang web: {owner}", "created_at": ctx.now()})
                row = conn.execute(select(t.c.revoked_at).where(t.c.token_hash == h)).first()
            if row is not None and row.revoked_at is None:
                return secret
    return None


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


_INTRANET_SUFFIXES = (".local", ".lan", ".internal", ".intranet", ".home.arpa", ".corp", ".localdomain")


def reach_of(base: str) -> str:
    """``intranet`` when the base URL's host cannot be reached from the internet (a private,
    loopback or link-local address, a name without a dot, a reserved local suffix);
    ``unknown`` otherwise (a public name may still resolve only inside the agency)."""
    host = (urlsplit(base).hostname or "").lower().rstrip(".")
    if not host:
        return "unknown"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or "." not in host or host.endswith(_INTRANET_SUFFIXES):
            return "intranet"
        return "unknown"
    return "intranet" if (ip.is_private or ip.is_loopback or ip.is_link_local) else "unknown"


@dataclass
class FeedGroups:
    """The page's groups, in the order shown; empty groups are left out by the template."""

    mine: list[FeedLink]  # the visitor's department
    everything: list[FeedLink]  # the "all" feed
    departments: list[FeedLink]
    countries: list[FeedLink]
    tags: list[FeedLink]

    @property
    def count(self) -> int:
        return sum(len(g) for g in (self.mine, self.everything, self.departments, self.countries, self.tags))


def feeds_for(ctx: Context, session: webauth.Session, key: bytes, base_url: str) -> list[FeedLink]:
    base = base_of(ctx, base_url)
    public = []
    for name in ctx.config.get("feeds", "public"):
        try:
            public.append(parse_feed_name(str(name)))
        except ValueError:
            continue  # `reminderd check` reports it; the page just leaves it out
    rt = ctx.runtime
    out = [feed_link(base, f, None, True, feed_title(rt, f)) for f in public]
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
            out.append(feed_link(base, f, secret, False, feed_title(rt, f)))
    return out


def grouped(links: list[FeedLink], department: str | None) -> FeedGroups:
    g = FeedGroups([], [], [], [], [])
    for f in links:
        if f.feed.kind == "department" and f.feed.value == department:
            g.mine.append(f)
        elif f.feed.kind == "all":
            g.everything.append(f)
        elif f.feed.kind == "department":
            g.departments.append(f)
        elif f.feed.kind == "country":
            g.countries.append(f)
        else:
            g.tags.append(f)
    return g
