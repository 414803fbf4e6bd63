"""Who is asking: signed session cookies, admin passwords, CSRF tokens, capability links.

Three kinds of visitor:

- anonymous: may read the overview and year view when ``[web] public_read`` is on;
- a department's staff, who opened a per-department access link (``/a/<secret>``,
  a revocable ``access`` token scoped ``department/<id>``): may mark that department's
  tasks done;
- an editor: logged in with the admin password (stored as an scrypt hash, in the
  ``users`` table or the config's ``[web] admin_password_hash``) or with an ``admin``
  token: may do everything, including ad-hoc items.

The session is a cookie signed with HMAC-SHA256 under a key kept in the database
(``daemon_state``), so both daemons of a pair accept each other's sessions and a
restart logs nobody out. The capability itself appears in one URL only (``/a/…``),
which answers with a redirect; nothing secret is put in any other URL.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from . import tokens
from .store import Store, insert_ignore, schema
from .tokens import TokenRow

SESSION_COOKIE = "rd_session"
NONCE_COOKIE = "rd_nonce"  # per-browser random value the CSRF token is derived from
LANG_COOKIE = "rd_lang"
SESSION_DAYS = 30
_KEY_STATE = "web.session_key"

# scrypt parameters: ~16 MiB and ~50 ms per check; stored with the hash so they can grow.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


# ---- passwords -----------------------------------------------------------------------------


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64); what ``admin set-password`` stores."""
    if not password:
        raise ValueError("mật khẩu không được để trống")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P,
                            dklen=32)
    return "$".join(["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P),
                     _b64(salt), _b64(digest)])


def check_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(_unb64(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, _unb64(digest))


def set_admin_password(store: Store, username: str, password: str, now: dt.datetime) -> None:
    h = hash_password(password)
    t = schema.users
    with store.engine.begin() as conn:
        if not conn.execute(t.update().where(t.c.username == username).values(password_hash=h)).rowcount:
            conn.execute(t.insert().values(username=username, password_hash=h, is_admin=True,
                                           created_at=now))


def verify_login(store: Store, config_hash: str, username: str, password: str) -> bool:
    """The users table first; the config's ``admin_password_hash`` stands for user "admin"."""
    t = schema.users
    with store.engine.connect() as conn:
        row = conn.execute(select(t.c.password_hash).where(t.c.username == username)).first()
    if row is not None:
        return check_password(password, row.password_hash)
    if username == "admin" and config_hash:
        return check_password(password, config_hash)
    # Spend the same time on unknown users, so timing does not tell which names exist.
    check_password(password, hash_password("x", b"0" * 16))
    return False


# ---- capability tokens (reminderd.tokens: kind "access" for page links, "admin" for editors) --


def create_token(store: Store, kind: str, scope: str, label: str, now: dt.datetime) -> tuple[int, str]:
    return tokens.create(store, kind, scope, label, now)


def verify_token(store: Store, kinds: tuple[str, ...], secret: str, now: dt.datetime) -> TokenRow | None:
    """The live token of one of ``kinds`` with this secret, or None."""
    for kind in kinds:
        row = tokens.verify(store, kind, secret, now)
        if row is not None:
            return row
    return None


def token_alive(store: Store, token_id: int) -> bool:
    row = tokens.get(store, token_id)
    return row is not None and row.active


# ---- sessions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """Who the visitor is. ``department`` is set for staff, ``admin`` for editors."""

    who: str = ""  # label for the record ("admin", "token 3: Sở Ngoại vụ")
    department: str | None = None
    admin: bool = False
    token_id: int | None = None
    expires: int = 0

    @property
    def anonymous(self) -> bool:
        return not self.admin and self.department is None

    def may_see(self, department: str | None) -> bool:
        return self.admin or department is None or department == self.department

    def may_ack(self, owner: str, support: tuple[str, ...]) -> bool:
        return self.admin or (self.department is not None
                              and (self.department == owner or self.department in support))


ANONYMOUS = Session()


def session_key(store: Store, now: dt.datetime) -> bytes:
    """The HMAC key, created once and shared through the database."""
    got = store.get_state(_KEY_STATE)
    if got is None:
        with store.engine.begin() as conn:
            insert_ignore(conn, schema.daemon_state, {
                "name": _KEY_STATE, "value": json.dumps(secrets.token_hex(32)), "updated_at": now})
        got = store.get_state(_KEY_STATE)
    assert got is not None
    return bytes.fromhex(str(got[0]))


def sign_session(key: bytes, s: Session, now: dt.datetime) -> str:
    payload = {"w": s.who, "d": s.department, "a": s.admin, "t": s.token_id,
               "e": int(now.timestamp()) + SESSION_DAYS * 86400}
    body = _b64(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{body}.{_b64(_mac(key, 'session', body))}"


def read_session(key: bytes, cookie: str | None, now: dt.datetime) -> Session | None:
    """The session in a cookie, or None if absent, forged or expired."""
    if not cookie or "." not in cookie:
        return None
    body, _, mac = cookie.partition(".")
    try:
        if not hmac.compare_digest(_unb64(mac), _mac(key, "session", body)):
            return None
        p = json.loads(_unb64(body))
    except (ValueError, TypeError):
        return None
    if int(p.get("e", 0)) < now.timestamp():
        return None
    return Session(who=str(p.get("w", "")), department=p.get("d"), admin=bool(p.get("a")),
                   token_id=p.get("t"), expires=int(p["e"]))


def session_from_token(row: TokenRow) -> Session | None:
    """The session a capability link or bearer token grants."""
    if row.kind == "admin":
        return Session(who=f"token {row.id}: {row.label}", admin=True, token_id=row.id)
    if row.kind == "access" and row.scope.startswith("department/"):
        return Session(who=f"token {row.id}: {row.label}", department=row.scope.split("/", 1)[1],
                       token_id=row.id)
    return None


# ---- CSRF ----------------------------------------------------------------------------------


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def csrf_token(key: bytes, nonce: str) -> str:
    """Double-submit token: an HMAC of the browser's nonce cookie, so a page on another
    site can neither read nor forge it."""
    return _b64(_mac(key, "csrf", nonce))


def csrf_ok(key: bytes, nonce: str | None, token: str | None) -> bool:
    if not nonce or not token:
        return False
    return hmac.compare_digest(csrf_token(key, nonce), token)


def _mac(key: bytes, purpose: str, text: str) -> bytes:
    return hmac.new(key, f"{purpose}|{text}".encode(), hashlib.sha256).digest()


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
