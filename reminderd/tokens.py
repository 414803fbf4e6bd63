"""Secret capability tokens: feed links (kind "feed"), page links ("access"), admin ("admin").

A token is 160 random bits from ``secrets`` (27 URL-safe characters). Only its SHA-256
is stored, so a copy of the database gives no working link; a fast hash is enough
because the secret is random, not a password. The row is found by its hash and the
hash compared with ``hmac.compare_digest``, so the comparison takes the same time
wherever the strings differ. Revocation is a timestamp, effective on the next request
of every daemon sharing the database (no cache).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from .store import Store, schema

TOKEN_BYTES = 20  # 160 bits; at least 128 are needed against guessing
KINDS = ("feed", "access", "admin")
# What token_urlsafe produces; anything else is refused before touching the database.
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
# last_used_at is a hint for "token list", not an audit log: write it at most hourly.
_TOUCH_EVERY = dt.timedelta(hours=1)


@dataclass(frozen=True)
class TokenRow:
    id: int
    kind: str
    scope: str
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"token kind {kind!r}: expected one of {', '.join(KINDS)}")


def create(store: Store, kind: str, scope: str, label: str, now: dt.datetime) -> tuple[int, str]:
    """A new token; returns (id, secret). The secret is shown once and never stored."""
    _check_kind(kind)
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    t = schema.tokens
    with store.engine.begin() as conn:
        res = conn.execute(t.insert().values(token_hash=hash_secret(secret), kind=kind, scope=scope,
                                             label=label, created_at=now))
        key = res.inserted_primary_key
        assert key is not None
        return int(key[0]), secret


def _row(r: object) -> TokenRow:
    return TokenRow(id=r.id, kind=r.kind, scope=r.scope, label=r.label,  # type: ignore[attr-defined]
                    created_at=r.created_at, revoked_at=r.revoked_at,  # type: ignore[attr-defined]
                    last_used_at=r.last_used_at)  # type: ignore[attr-defined]


def verify(store: Store, kind: str, secret: str, now: dt.datetime) -> TokenRow | None:
    """The active token of this kind with this secret, or None (wrong, revoked, other kind)."""
    if not _SECRET_RE.match(secret):
        return None
    digest = hash_secret(secret)
    t = schema.tokens
    with store.engine.connect() as conn:
        r = conn.execute(select(t).where(t.c.token_hash == digest)).first()
    if r is None or not hmac.compare_digest(r.token_hash, digest):
        return None
    if r.kind != kind or r.revoked_at is not None:
        return None
    row = _row(r)
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        with store.engine.begin() as conn:
            conn.execute(t.update().where(t.c.id == row.id).values(last_used_at=now))
    return row


def revoke(store: Store, token_id: int, now: dt.datetime, kind: str | None = None) -> bool:
    """Revoke by id; False if no such active token (of that kind, when given)."""
    global generation
    t = schema.tokens
    q = t.update().where(t.c.id == token_id, t.c.revoked_at.is_(None))
    if kind is not None:
        q = q.where(t.c.kind == kind)
    with store.engine.begin() as conn:
        done = bool(conn.execute(q.values(revoked_at=now)).rowcount)
    generation += 1  # in this process, VerifyCache forgets at once
    return done


# Bumped by every revoke() in this process; VerifyCache drops everything when it moves.
generation = 0


class VerifyCache:
    """Remembers successful verifications for ``ttl`` seconds, so that a calendar client
    polling a feed costs no database query per request.

    A revocation made in this process (web page, API, tests) takes effect at once; one
    made elsewhere (``reminderd token revoke``, the other daemon of a pair) within
    ``ttl`` seconds. Failures are never cached, so a new token works at once.
    ``monotonic`` is a clock in seconds, passed in like every clock here.
    """

    def __init__(self, ttl: float = 2.0, max_size: int = 10_000):
        self.ttl = ttl
        self.max_size = max_size
        self._hits: dict[str, tuple[TokenRow, float]] = {}
        self._generation = generation

    def verify(self, store: Store, kind: str, secret: str, now: dt.datetime, monotonic: float) -> TokenRow | None:
        if self._generation != generation:
            self._hits.clear()
            self._generation = generation
        key = f"{kind}:{secret}"
        hit = self._hits.get(key)
        if hit is not None and monotonic - hit[1] < self.ttl:
            return hit[0]
        row = verify(store, kind, secret, now)
        if row is None:
            self._hits.pop(key, None)
        else:
            if len(self._hits) >= self.max_size:
                self._hits.clear()
            self._hits[key] = (row, monotonic)
        return row


def get(store: Store, token_id: int) -> TokenRow | None:
    t = schema.tokens
    with store.engine.connect() as conn:
        r = conn.execute(select(t).where(t.c.id == token_id)).first()
    return _row(r) if r else None


def list_tokens(store: Store, kind: str | None = None, *, include_revoked: bool = False,
                scope: str | None = None) -> list[TokenRow]:
    """Tokens, oldest first; active ones only unless ``include_revoked``."""
    t = schema.tokens
    q = select(t).order_by(t.c.id)
    if kind is not None:
        q = q.where(t.c.kind == kind)
    if scope is not None:
        q = q.where(t.c.scope == scope)
    if not include_revoked:
        q = q.where(t.c.revoked_at.is_(None))
    with store.engine.connect() as conn:
        return [_row(r) for r in conn.execute(q)]
