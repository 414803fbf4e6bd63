"""Who is asking: server-side sessions, admin passwords, CSRF tokens, capability links.

Three kinds of visitor:

- anonymous: may read the overview and year view when ``[web] public_read`` is on;
- a department's staff, who opened a per-department access link (``/a/<secret>``,
  a revocable ``access`` token scoped ``department/<id>``): may mark that department's
  tasks done;
- an editor: logged in with the admin password (stored as an scrypt hash, in the
  ``users`` table or the config's ``[web] admin_password_hash``) or with an ``admin``
  token: may do everything, including ad-hoc items.

A session is a row of ``web_sessions``, named by a random id that only the browser's
cookie holds (the table stores its SHA-256), so both daemons of a pair accept each
other's sessions, a restart logs nobody out, and a copy of the database opens none.
Logout deletes the row; a password change (``admin set-password``, or a new
``admin_password_hash``) ends every session the old password opened; revoking the link
that opened a session ends it at the next request. The capability itself appears in one
URL only (``/a/…``), which answers with a redirect; nothing secret is put in any other URL.

Passwords: scrypt N=2^17, r=8, p=1 (128 MiB, ~0.4 s), at most ``SCRYPT_SLOTS`` at once so
that logins cannot exhaust memory; a hash made with other parameters is replaced at the
next successful login. Exactly one scrypt runs per login attempt, whether or not the user
exists. Failed logins are throttled (``security.throttle``) and logged with the address.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from . import tokens
from .errors import ReminderdError
from .logs import event
from .security.throttle import LoginThrottle
from .store import Store, schema
from .tokens import TokenRow

log = logging.getLogger("reminderd.webauth")

SESSION_COOKIE = "rd_session"
NONCE_COOKIE = "rd_nonce"  # per-browser random value the CSRF token is derived from
LANG_COOKIE = "rd_lang"
SESSION_DAYS = 30

# scrypt: OWASP's minimum (N=2^17, r=8, p=1): 128 MiB and ~0.4 s per check. Stored with
# the hash, so a hash made with other parameters still verifies (and is then replaced).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
# At most this many scrypt computations at once (2 × 128 MiB); a login that cannot get a
# slot within SLOT_WAIT seconds is answered 503 + Retry-After instead of queueing forever.
SCRYPT_SLOTS = 2
SLOT_WAIT = 15.0
_slots = threading.BoundedSemaphore(SCRYPT_SLOTS)
_DUMMY_SALT = b"reminderd-nobody"  # the salt of the scrypt spent on a user that does not exist


class LoginBusy(ReminderdError):
    """Every scrypt slot stayed taken for SLOT_WAIT seconds."""


# ---- passwords -----------------------------------------------------------------------------


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    # Bounds: a stored hash must not be able to ask for gigabytes (the config's is typed by people).
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and 16 <= dklen <= 64):
        raise ValueError("scrypt parameters out of range")
    if not _slots.acquire(timeout=SLOT_WAIT):
        raise LoginBusy("too many logins at once")
    try:
        return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=dklen,
                              maxmem=128 * r * (n + 2) + 128 * r * p + 1024 * 1024)
    finally:
        _slots.release()


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64); what ``admin set-password`` stores."""
    if not password:
        raise ValueError("mật khẩu không được để trống")
    salt = salt or secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, 32)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)])


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return None
        return int(n), int(r), int(p), _unb64(salt), _unb64(digest)
    except (ValueError, TypeError):
        return None


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; one scrypt (with the stored parameters)."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    n, r, p, salt, digest = parsed
    try:
        got = _scrypt(password, salt, n, r, p, len(digest))
    except ValueError:
        return False
    return hmac.compare_digest(got, digest)


def needs_rehash(stored: str) -> bool:
    parsed = _parse(stored)
    return parsed is None or parsed[:3] != (SCRYPT_N, SCRYPT_R, SCRYPT_P)


def _tag(stored_hash: str) -> str:
    """Names a password hash without revealing it: sessions remember which one they used."""
    return hashlib.sha256(stored_hash.encode()).hexdigest()[:32]


def set_admin_password(store: Store, username: str, password: str, now: dt.datetime) -> None:
    """Store a new hash and end every session the user had (on every daemon)."""
    h = hash_password(password)
    t = schema.users
    with store.engine.begin() as conn:
        if not conn.execute(t.update().where(t.c.username == username).values(password_hash=h)).rowcount:
            conn.execute(t.insert().values(username=username, password_hash=h, is_admin=True,
                                           created_at=now))
        conn.execute(schema.web_sessions.delete().where(schema.web_sessions.c.username == username))


def _stored_hash(store: Store, config_hash: str, username: str) -> tuple[str | None, bool]:
    """(hash, from the users table): the table first; the config's hash stands for "admin"."""
    t = schema.users
    with store.engine.connect() as conn:
        row = conn.execute(select(t.c.password_hash).where(t.c.username == username)).first()
    if row is not None:
        return str(row.password_hash), True
    if username == "admin" and config_hash:
        return config_hash, False
    return None, False


def check_login(store: Store, config_hash: str, username: str, password: str) -> tuple[str | None, bool]:
    """(the stored hash the password matched, whether it came from the users table); None if
    it did not. Exactly one scrypt either way, so timing does not tell which users exist."""
    stored, in_db = _stored_hash(store, config_hash, username)
    if stored is None or _parse(stored) is None:
        _scrypt(password, _DUMMY_SALT, SCRYPT_N, SCRYPT_R, SCRYPT_P, 32)
        return None, False
    return (stored if check_password(password, stored) else None), in_db


def verify_login(store: Store, config_hash: str, username: str, password: str) -> bool:
    return check_login(store, config_hash, username, password)[0] is not None


@dataclass(frozen=True)
class LoginResult:
    """``session`` on success; else ``status`` 401 (wrong), 429 (throttled) or 503 (busy),
    the last two with ``retry_after`` seconds and the password left unchecked."""

    status: int
    session: Session | None = None
    retry_after: int = 0


def login(store: Store, config_hash: str, throttle: LoginThrottle, username: str, password: str,
          address: str, now: dt.datetime) -> LoginResult:
    """A password login from ``address``: throttled, logged, rehashed when the hash is old."""
    user = username[:128]
    wait = throttle.wait(user, address)
    if wait:
        event(log, "login.throttled", level=logging.WARNING, user=user, address=address, retry_after=wait)
        return LoginResult(429, retry_after=wait)
    try:
        stored, in_db = check_login(store, config_hash, user, password)
    except LoginBusy:
        event(log, "login.busy", level=logging.WARNING, user=user, address=address)
        return LoginResult(503, retry_after=5)
    if stored is None:
        n = throttle.failure(user, address)
        event(log, "login.failed", level=logging.WARNING, user=user, address=address, failures=n)
        return LoginResult(401)
    throttle.success(user, address)
    if needs_rehash(stored):
        stored = _rehash(store, user, password, stored, in_db)
    event(log, "login.ok", user=user, address=address)
    return LoginResult(200, Session(who=user, admin=True, username=user, credential=_tag(stored)))


def _rehash(store: Store, username: str, password: str, old: str, in_db: bool) -> str:
    """The hash under today's parameters, stored in place of ``old``; the user's open sessions
    keep working (their credential tag moves with it). The config's hash cannot be rewritten:
    say so in the log instead."""
    if not in_db:
        event(log, "login.old_hash", level=logging.WARNING, user=username,
              hint="[web] admin_password_hash uses older scrypt parameters: run `reminderd admin "
                   "set-password` and remove the key from the config")
        return old
    try:
        new = hash_password(password)
    except LoginBusy:
        return old  # next time
    u, ws = schema.users, schema.web_sessions
    with store.engine.begin() as conn:
        if conn.execute(u.update().where(u.c.username == username, u.c.password_hash == old)
                        .values(password_hash=new)).rowcount:
            conn.execute(ws.update().where(ws.c.username == username, ws.c.credential == _tag(old))
                         .values(credential=_tag(new)))
            event(log, "login.rehashed", user=username, n=SCRYPT_N)
            return new
    return old


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
    username: str | None = None  # a password login's user …
    credential: str | None = None  # … and the tag of the hash it matched

    @property
    def anonymous(self) -> bool:
        return not self.admin and self.department is None

    def may_see(self, department: str | None) -> bool:
        return self.admin or department is None or department == self.department

    def may_ack(self, owner: str, support: tuple[str, ...], current: Callable[[str], str]) -> bool:
        """Editors, and the task's own departments (lead or coordinating). ``current`` is
        ``Config.current_department``: a link of a department since replaced (``replaced_by``)
        acts for its successor, whose tasks it already sees."""
        if self.admin:
            return True
        if self.department is None:
            return False
        mine = current(self.department)
        return mine == owner or mine in support


ANONYMOUS = Session()
_SID_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


def _sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("ascii")).hexdigest()


def open_session(store: Store, s: Session, now: dt.datetime) -> str:
    """Store a new session; returns the cookie value (shown to the browser only)."""
    sid = secrets.token_urlsafe(32)
    t = schema.web_sessions
    with store.engine.begin() as conn:
        conn.execute(t.delete().where(t.c.expires_at < now))  # a few rows at most: keep it tidy
        conn.execute(t.insert().values(
            id_hash=_sid_hash(sid), who=s.who[:256], username=s.username, admin=s.admin,
            department=s.department, token_id=s.token_id, credential=s.credential, created_at=now,
            expires_at=now + dt.timedelta(days=SESSION_DAYS)))
    return sid


def read_session(store: Store, cookie: str | None, now: dt.datetime, config_hash: str = "") -> Session | None:
    """The live session a cookie names, or None: absent, unknown, expired, logged out, its
    link revoked, or its password changed since."""
    if not cookie or not _SID_RE.match(cookie):
        return None
    t, u, k = schema.web_sessions, schema.users, schema.tokens
    q = (select(t, u.c.password_hash, k.c.id.label("live_token"), k.c.revoked_at)
         .select_from(t.outerjoin(u, u.c.username == t.c.username).outerjoin(k, k.c.id == t.c.token_id))
         .where(t.c.id_hash == _sid_hash(cookie)))
    with store.engine.connect() as conn:
        row = conn.execute(q).first()
    if row is None or row.expires_at <= now:
        return None
    if row.token_id is not None and (row.live_token is None or row.revoked_at is not None):
        return None
    if row.username is not None:
        current = row.password_hash if row.password_hash is not None else (
            config_hash if row.username == "admin" and config_hash else None)
        if current is None or not hmac.compare_digest(_tag(current), row.credential or ""):
            return None
    return Session(who=row.who, department=row.department, admin=bool(row.admin), token_id=row.token_id,
                   expires=int(row.expires_at.timestamp()), username=row.username, credential=row.credential)


def end_session(store: Store, cookie: str | None) -> None:
    """Logout: the session is gone for every daemon."""
    if cookie and _SID_RE.match(cookie):
        t = schema.web_sessions
        with store.engine.begin() as conn:
            conn.execute(t.delete().where(t.c.id_hash == _sid_hash(cookie)))


def end_sessions(store: Store, *, token_id: int) -> int:
    """End every session a link opened (``access revoke``; the join in read_session would
    refuse them anyway: this only removes the rows)."""
    t = schema.web_sessions
    with store.engine.begin() as conn:
        return int(conn.execute(t.delete().where(t.c.token_id == token_id)).rowcount)


def is_editor(store: Store, cookie: str | None, authorization: str, now: dt.datetime,
              config_hash: str = "") -> bool:
    """An editor's session cookie, or ``Authorization: Bearer <admin token>`` (for scrapers)."""
    if authorization.lower().startswith("bearer "):
        return tokens.verify(store, "admin", authorization[7:].strip(), now) is not None
    s = read_session(store, cookie, now, config_hash)
    return s is not None and s.admin


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
