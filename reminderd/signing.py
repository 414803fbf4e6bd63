"""Signed acknowledgement links: ``/ack/<token>`` proves who may mark which task done.

A token is ``base64url(json payload) "." base64url(HMAC-SHA256(secret, payload))``.
The payload binds the task occurrence (event id, task id, rule year), the
recipient the link was mailed to, an expiry (Unix seconds) and a nonce (so the
acknowledgement records which message's link was used). Nothing in the token
is secret; it only must not be forgeable or alterable, and it expires.

The secret is derived from the key file (``security.keys``: ``[state] key_file``, shared by
both daemons of a pair), never kept in the database, so a copy of the database forges no
link. ``[reminders] secret_file``, when the config names one, is used as the secret instead
(as older versions did). Links signed before the key left the database are accepted until
they expire only as they were mailed: the task, year and recipient of a message the outbox
really sent, with that message's nonce. ``reminderd key new`` invalidates every link mailed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from .config import Config
from .errors import ReminderdError
from .security import keys
from .store import Store, schema

SECRET_NAME = "ack-secret"


class LinkError(ReminderdError):
    """A link that must be refused; ``reason`` is "tampered" or "expired"."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class AckClaim:
    event_id: str
    task_id: str
    year: int
    recipient: str
    expires: dt.datetime
    nonce: str


def secret_path(cfg: Config) -> Path:
    configured = cfg.get("reminders", "secret_file")
    return Path(configured) if configured else cfg.state_dir / SECRET_NAME


def load_secret(cfg: Config, *, create: bool = True) -> bytes:
    """The HMAC key; created (0600, 32 random bytes) on first use if allowed."""
    path = secret_path(cfg)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        if not create:
            raise ReminderdError(f"{path}: không có khóa ký liên kết xác nhận") from None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting together never write two different secrets.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return load_secret(cfg, create=False)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32) + "\n")
        text = path.read_text(encoding="ascii").strip()
    if len(text) < 32:
        raise ReminderdError(f"{path}: khóa ký quá ngắn (cần ít nhất 32 ký tự)")
    return text.encode("ascii")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """Signs with ``secret``; verifies with it, and with ``previous`` (the key of older links)
    only for links ``mailed(claim, now)`` confirms the outbox really sent."""

    def __init__(self, secret: bytes, previous: bytes | None = None,
                 mailed: Callable[[AckClaim, dt.datetime], bool] | None = None):
        self._secret = secret
        self._previous = previous
        self._mailed = mailed

    def _mac(self, body: str, secret: bytes | None = None) -> str:
        return _b64(hmac.new(secret or self._secret, body.encode("ascii"), hashlib.sha256).digest())

    def sign(self, event_id: str, task_id: str, year: int, recipient: str,
             expires: dt.datetime, nonce: str) -> str:
        payload = {"e": event_id, "t": task_id, "y": year, "r": recipient,
                   "x": int(expires.timestamp()), "n": nonce}
        body = _b64(json.dumps(payload, separators=(",", ":"), ensure_ascii=False,
                               sort_keys=True).encode("utf-8"))
        return f"{body}.{self._mac(body)}"

    def verify(self, token: str, now: dt.datetime) -> AckClaim:
        """The claim in ``token``; LinkError if it was altered, forged or has expired."""
        body, _, mac = token.partition(".")
        legacy = False
        if not body or not mac or not hmac.compare_digest(mac, self._mac(body)):
            legacy = bool(self._previous and self._mailed and body
                          and hmac.compare_digest(mac, self._mac(body, self._previous)))
            if not legacy:
                raise LinkError("tampered", "liên kết không hợp lệ (đã bị sửa hoặc không do hệ thống tạo)")
        try:
            p = json.loads(_unb64(body))
            claim = AckClaim(str(p["e"]), str(p["t"]), int(p["y"]), str(p["r"]),
                             dt.datetime.fromtimestamp(int(p["x"]), dt.UTC), str(p["n"]))
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise LinkError("tampered", "liên kết không hợp lệ (nội dung hỏng)") from None
        if now >= claim.expires:
            raise LinkError("expired", "liên kết đã hết hạn")
        if legacy and not (self._mailed and self._mailed(claim, now)):
            raise LinkError("tampered", "liên kết không hợp lệ (ký bằng khóa cũ nhưng không khớp thư nào đã gửi)")
        return claim


def was_mailed(store: Store, claim: AckClaim, now: dt.datetime, days: int) -> bool:
    """Whether the outbox sent this very link: a message to ``claim.recipient`` whose nonce is
    the claim's, about this task (or a digest listing it), sent in the last ``days`` days."""
    import hashlib as _h

    t = schema.outbox
    q = select(t.c.kind, t.c.event_id, t.c.task_id, t.c.year, t.c.message_id, t.c.payload).where(
        t.c.recipient == claim.recipient, t.c.state == "sent", t.c.sent_at >= now - dt.timedelta(days=days + 1))
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    for r in rows:
        if _h.sha256(str(r.message_id).encode("utf-8")).hexdigest()[:16] != claim.nonce:
            continue  # messages.nonce_for
        if (r.event_id, r.task_id, r.year) == (claim.event_id, claim.task_id, claim.year):
            return True
        if r.kind == "digest":
            try:
                items = json.loads(r.payload or "{}").get("items", [])
            except ValueError:
                continue
            if any((i.get("event_id"), i.get("task_id"), int(i.get("year", 0))) ==
                   (claim.event_id, claim.task_id, claim.year) for i in items if isinstance(i, dict)):
                return True
    return False


def signer_for(cfg: Config, store: Store, now: dt.datetime) -> Signer:
    """The signer for this installation: the key file's ack-link key (or ``secret_file``'s),
    plus the previous key for links mailed before the upgrade, while they can be valid."""
    if cfg.get("reminders", "secret_file"):
        return Signer(load_secret(cfg))
    k = keys.load(cfg, store, now)
    if k.previous_ack and k.previous_ack_until and now < k.previous_ack_until:
        days = int(cfg.get("reminders", "ack_link_days"))
        return Signer(k.ack, previous=k.previous_ack,
                      mailed=lambda claim, at: was_mailed(store, claim, at, days))
    return Signer(k.ack)
