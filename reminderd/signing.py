"""Signed acknowledgement links: ``/ack/<token>`` proves who may mark which task done.

A token is ``base64url(json payload) "." base64url(HMAC-SHA256(secret, payload))``.
The payload binds the task occurrence (event id, task id, rule year), the
recipient the link was mailed to, an expiry (Unix seconds) and a nonce (so the
acknowledgement records which message's link was used). Nothing in the token
is secret; it only must not be forgeable or alterable, and it expires.

The secret comes from ``[reminders] secret_file`` when the config names one; otherwise it
lives in the database (``daemon_state`` row ``ack.secret``), so that both daemons of a pair
verify each other's links. An older install's ``<state dir>/ack-secret`` seeds that row, so
links already mailed keep working. Rotating the secret (deleting the row or the file)
invalidates every link already mailed, which is the intended way to revoke them all.
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
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import ReminderdError
from .store import Store, insert_ignore, schema

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
    def __init__(self, secret: bytes):
        self._secret = secret

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self._secret, body.encode("ascii"), hashlib.sha256).digest())

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
        if not body or not mac or not hmac.compare_digest(mac, self._mac(body)):
            raise LinkError("tampered", "liên kết không hợp lệ (đã bị sửa hoặc không do hệ thống tạo)")
        try:
            p = json.loads(_unb64(body))
            claim = AckClaim(str(p["e"]), str(p["t"]), int(p["y"]), str(p["r"]),
                             dt.datetime.fromtimestamp(int(p["x"]), dt.UTC), str(p["n"]))
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise LinkError("tampered", "liên kết không hợp lệ (nội dung hỏng)") from None
        if now >= claim.expires:
            raise LinkError("expired", "liên kết đã hết hạn")
        return claim


STATE_NAME = "ack.secret"


def shared_secret(cfg: Config, store: Store, now: dt.datetime) -> bytes:
    """The configured secret file's key, else the one in the database (created once)."""
    if cfg.get("reminders", "secret_file"):
        return load_secret(cfg)
    got = store.get_state(STATE_NAME)
    if got is None:
        legacy = cfg.state_dir / SECRET_NAME
        value = legacy.read_text(encoding="ascii").strip() if legacy.exists() else secrets.token_hex(32)
        with store.engine.begin() as conn:
            insert_ignore(conn, schema.daemon_state,
                          {"name": STATE_NAME, "value": json.dumps(value), "updated_at": now})
        got = store.get_state(STATE_NAME)
    assert got is not None
    return str(got[0]).encode("ascii")


def signer_for(cfg: Config, store: Store, now: dt.datetime) -> Signer:
    return Signer(shared_secret(cfg, store, now))
