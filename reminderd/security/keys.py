"""The secret key, kept in a file and never in the database.

One random 256-bit key in ``[state] key_file`` (default ``<state dir>/reminderd.key``, mode
0600; under systemd it may be a credential) signs everything that must not be forgeable:
the "mark as done" links mailed (``signing``), the page's CSRF tokens and the private feed
links the subscribe page derives (``webauth``, ``web.subscribe``). Each use gets its own
key derived from it (HMAC-SHA256 of the purpose), so one use never verifies another's.
A copy of the database alone therefore forges nothing and opens nothing: it holds only
the key's fingerprint, with which every daemon sharing the database checks that it has
the same file (a pair with two different keys would refuse each other's links).

File format (TOML; a file with a single line of 64 hex digits is accepted too)::

    key = "<64 hex digits>"
    [previous]                # links mailed before the keys left the database
    ack = "<the old ack-link key>"
    ack_until = 2027-02-06T00:00:00Z

Moving an older install (its keys in ``daemon_state``: ``web.session_key``,
``ack.secret``): the first start after the upgrade writes a new key file, keeps the old
ack-link key under ``[previous]`` until the last link it signed expires (``ack_link_days``),
and deletes both rows. An old link is then accepted only as it was mailed — for the task,
year and recipient of a message actually sent before the upgrade (``signing``); sessions
start again (everyone logs in once), and the subscribe page shows new private links while
the ones it showed before keep working (their tokens are stored hashed; ``reminderd token
list`` shows them as "trang web: …" to revoke if an old backup may have leaked).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import stat
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..config import Config
from ..errors import ReminderdError
from ..logs import event
from ..store import Store, insert_ignore, schema

log = logging.getLogger("reminderd.keys")

KEY_NAME = "reminderd.key"
FINGERPRINT_STATE = "keys.fingerprint"
# Where older versions kept keys: both rows are deleted once the key file exists.
LEGACY_WEB_STATE = "web.session_key"
LEGACY_ACK_STATE = "ack.secret"
LEGACY_ACK_FILE = "ack-secret"  # <state dir>/ack-secret of the oldest installs
_HEX_RE = re.compile(r"^[0-9a-fA-F]{64,}$")


@dataclass(frozen=True)
class Keys:
    path: Path
    master: bytes
    previous_ack: bytes | None = None
    previous_ack_until: dt.datetime | None = None

    def derive(self, purpose: str) -> bytes:
        return hmac.new(self.master, f"reminderd/{purpose}".encode(), hashlib.sha256).digest()

    @property
    def web(self) -> bytes:
        """CSRF tokens and the subscribe page's derived feed links."""
        return self.derive("web")

    @property
    def ack(self) -> bytes:
        """The "mark as done" links in reminder e-mails."""
        return self.derive("ack-links")

    @property
    def fingerprint(self) -> str:
        """Names the key without revealing it (kept in the database to compare daemons)."""
        return self.derive("fingerprint").hex()[:16]


def key_path(cfg: Config) -> Path:
    configured = cfg.get("state", "key_file")
    return Path(configured) if configured else cfg.state_dir / KEY_NAME


# ---- reading and writing the file ----------------------------------------------------------


def _read(path: Path) -> Keys:
    """The keys in ``path``; ReminderdError (one line naming the file) if unusable."""
    try:
        st = path.stat()
        text = path.read_text(encoding="utf-8")
    except PermissionError:
        raise ReminderdError(f"{path}: không có quyền đọc tệp khóa ([state] key_file); tệp phải thuộc "
                             "người dùng của dịch vụ, quyền 0600") from None
    except IsADirectoryError:
        raise ReminderdError(f"{path}: là thư mục, không phải tệp khóa ([state] key_file)") from None
    except UnicodeDecodeError:
        raise ReminderdError(f"{path}: tệp khóa ([state] key_file) không phải văn bản UTF-8") from None
    if st.st_mode & 0o077 and not str(path).startswith("/run/credentials/"):
        raise ReminderdError(f"{path}: tệp khóa ([state] key_file) để người khác đọc được (quyền "
                             f"{stat.S_IMODE(st.st_mode):04o}); chạy: chmod 600 {path}")
    stripped = text.strip()
    if _HEX_RE.match(stripped):  # `openssl rand -hex 32 > reminderd.key`
        return Keys(path, bytes.fromhex(stripped[: len(stripped) // 2 * 2]))
    try:
        raw = tomllib.loads(text)
        master = bytes.fromhex(str(raw["key"]))
    except (tomllib.TOMLDecodeError, KeyError, ValueError):
        raise ReminderdError(f"{path}: tệp khóa ([state] key_file) không hợp lệ: cần key = \"<64 chữ số hex>\" "
                             "(hoặc một dòng 64 chữ số hex)") from None
    if len(master) < 32:
        raise ReminderdError(f"{path}: key: khóa quá ngắn (cần ít nhất 64 chữ số hex)")
    prev = raw.get("previous", {})
    until = prev.get("ack_until")
    if isinstance(until, dt.datetime) and until.tzinfo is None:
        until = until.replace(tzinfo=dt.UTC)
    return Keys(path, master,
                str(prev["ack"]).encode("ascii") if isinstance(prev, dict) and prev.get("ack") else None,
                until if isinstance(until, dt.datetime) else None)


def _render(k: Keys) -> str:
    lines = ["# reminderd: khóa bí mật / secret key. Giữ kín (0600); hai dịch vụ dùng chung CSDL phải có",
             "# cùng tệp này. Keep private (0600); both daemons sharing a database need this same file.",
             f'key = "{k.master.hex()}"', ""]
    if k.previous_ack and k.previous_ack_until:
        lines += ["# Links mailed before the keys left the database: accepted until ack_until, as mailed.",
                  "[previous]", f'ack = "{k.previous_ack.decode("ascii")}"',
                  f"ack_until = {k.previous_ack_until.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}", ""]
    return "\n".join(lines)


def _write_new(k: Keys) -> bool:
    """Create the file, 0600, complete or not at all (written aside, then hard-linked into
    place: two processes starting together never write two keys, nor read half of one);
    False if it already exists. As root, the file goes to the state directory's owner (a
    command run as root must not leave a key the service cannot read)."""
    parent = k.path.parent
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = parent / f".{k.path.name}.{os.getpid()}.{secrets.token_hex(4)}.new"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(_render(k))
            f.flush()
            os.fsync(f.fileno())
        _give_to_owner_of(parent, tmp)
        try:
            os.link(tmp, k.path)
        except FileExistsError:
            return False
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _replace(k: Keys) -> bool:
    """Rewrite the file in place (atomic rename); False if it cannot be written (a credential)."""
    tmp = k.path.with_name(f".{k.path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(_render(k))
            f.flush()
            os.fsync(f.fileno())
        _give_to_owner_of(k.path.parent, tmp)
        os.replace(tmp, k.path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True


def _give_to_owner_of(directory: Path, path: Path) -> None:
    if os.geteuid() != 0:
        return
    try:
        st = directory.stat()
        if st.st_uid != 0:
            os.chown(path, st.st_uid, st.st_gid)
    except OSError:
        pass


# ---- the database's side: fingerprint, and the keys older versions kept there ---------------


def _state(store: Store, name: str) -> Any:
    got = store.get_state(name)
    return None if got is None else got[0]


def _settle(store: Store, k: Keys, now: dt.datetime, *, replace: bool = False) -> None:
    """Record the fingerprint (refusing a different one unless ``replace``) and delete the
    keys older versions kept in the database, in one transaction."""
    t = schema.daemon_state
    with store.engine.begin() as conn:
        row = conn.execute(select(t.c.value).where(t.c.name == FINGERPRINT_STATE)).first()
        theirs = json.loads(row.value) if row else None
        if theirs is not None and theirs != k.fingerprint and not replace:
            raise ReminderdError(
                f"{k.path}: tệp khóa ([state] key_file, dấu vân tay {k.fingerprint}) không phải khóa mà CSDL "
                f"này đang dùng (dấu vân tay {theirs}): chép tệp khóa từ dịch vụ kia (hoặc bản sao lưu) về "
                f"{k.path}; nếu khóa cũ đã mất hẳn: reminderd key new --replace")
        if row is None:
            insert_ignore(conn, t, {"name": FINGERPRINT_STATE, "value": json.dumps(k.fingerprint), "updated_at": now})
        elif theirs != k.fingerprint:
            conn.execute(t.update().where(t.c.name == FINGERPRINT_STATE)
                         .values(value=json.dumps(k.fingerprint), updated_at=now))
        gone = conn.execute(t.delete().where(t.c.name.in_([LEGACY_WEB_STATE, LEGACY_ACK_STATE]))).rowcount
    if gone:
        feeds = _derived_feed_tokens(store)
        event(log, "keys.moved_out_of_database", level=logging.WARNING, key_file=str(k.path),
              previous_ack_until=k.previous_ack_until.isoformat() if k.previous_ack_until else "",
              subscribe_page_feed_links=feeds,
              hint="web sessions start again; feed links the subscribe page showed before keep working "
                   "(reminderd token list: 'trang web: …'; revoke them if an old backup may have leaked)")


def _derived_feed_tokens(store: Store) -> int:
    t = schema.tokens
    with store.engine.connect() as conn:
        return len(conn.execute(select(t.c.id).where(t.c.kind == "feed", t.c.label.like("trang web: %"),
                                                     t.c.revoked_at.is_(None))).all())


def _previous_ack(cfg: Config, store: Store, now: dt.datetime) -> tuple[bytes | None, dt.datetime | None]:
    """The ack-link key an older version signed with (database row, else the oldest installs'
    file), and until when the links it signed can still be valid."""
    old = _state(store, LEGACY_ACK_STATE)
    if old is None:
        legacy = cfg.state_dir / LEGACY_ACK_FILE
        try:
            old = legacy.read_text(encoding="ascii").strip() or None
        except OSError:
            old = None
    if not old:
        return None, None
    return str(old).encode("ascii"), now + dt.timedelta(days=int(cfg.get("reminders", "ack_link_days")))


def load(cfg: Config, store: Store, now: dt.datetime) -> Keys:
    """The keys for this config and database: read, created on first use, moved out of the
    database on the first start after an upgrade, and checked against the database's
    fingerprint. ReminderdError (one line, naming the file) when they cannot be used."""
    path = key_path(cfg)
    cache_key = (str(path), str(store.engine.url))
    with _lock:
        hit = _cache.get(cache_key)
        if hit is not None:
            return hit
        k = _load(cfg, store, path, now)
        _cache[cache_key] = k
        return k


def _load(cfg: Config, store: Store, path: Path, now: dt.datetime) -> Keys:
    if path.exists():
        k = _read(path)
        if k.previous_ack is None and _state(store, LEGACY_ACK_STATE) is not None:
            # A key file made before this database was upgraded (a credential set up first):
            # keep the old links' key in it if the file can be written; else they end.
            ack, until = _previous_ack(cfg, store, now)
            k2 = Keys(path, k.master, ack, until)
            if _replace(k2):
                k = k2
            else:
                event(log, "keys.previous_not_kept", level=logging.WARNING, key_file=str(path),
                      hint="the key file is read-only: links mailed before the upgrade will be refused")
        _settle(store, k, now)
        return k
    theirs = _state(store, FINGERPRINT_STATE)
    if theirs is not None:
        raise ReminderdError(
            f"{path}: không có tệp khóa ([state] key_file), mà CSDL này đã dùng một khóa (dấu vân tay "
            f"{theirs}): chép tệp khóa từ dịch vụ kia (hoặc bản sao lưu) về {path} (quyền 0600, thuộc "
            "người dùng của dịch vụ); nếu khóa đã mất hẳn: reminderd key new")
    ack, until = _previous_ack(cfg, store, now)
    _write_new(Keys(path, secrets.token_bytes(32), ack, until))  # False: another process just did
    k = _read(path)
    _settle(store, k, now)
    event(log, "keys.created", key_file=str(path), fingerprint=k.fingerprint)
    return k


def new_key(cfg: Config, store: Store, now: dt.datetime, *, replace: bool) -> Keys:
    """``reminderd key new``: a new key file, made this database's key. Every session ends,
    links already mailed and the subscribe page's links stop working."""
    path = key_path(cfg)
    k = Keys(path, secrets.token_bytes(32))
    if path.exists():
        if not replace:
            raise ReminderdError(f"{path}: đã có tệp khóa; thêm --replace để thay bằng khóa mới "
                                 "(mọi liên kết đã gửi và liên kết lịch trên trang đăng ký sẽ hết hiệu lực)")
        if not _replace(k):
            raise ReminderdError(f"{path}: không ghi được tệp khóa (tệp chỉ đọc, vd. credential của systemd?)")
    elif not _write_new(k):
        raise ReminderdError(f"{path}: tệp khóa vừa được tạo bởi tiến trình khác")
    _settle(store, k, now, replace=True)
    with _lock:
        _cache.clear()
    return k


def status(cfg: Config, store: Store) -> dict[str, Any]:
    """What ``reminderd key show`` prints: never the key itself."""
    path = key_path(cfg)
    out: dict[str, Any] = {"path": str(path), "exists": path.exists(),
                           "database_fingerprint": _state(store, FINGERPRINT_STATE),
                           "keys_in_database": [n for n in (LEGACY_WEB_STATE, LEGACY_ACK_STATE)
                                                if _state(store, n) is not None]}
    if path.exists():
        k = _read(path)
        out.update(fingerprint=k.fingerprint, mode=f"{stat.S_IMODE(path.stat().st_mode):04o}",
                   previous_ack_until=k.previous_ack_until.isoformat() if k.previous_ack_until else None)
    return out


_lock = threading.Lock()
_cache: dict[tuple[str, str], Keys] = {}


def of(ctx: Any) -> Keys:
    """The running daemon's keys (loaded once per Context)."""
    k = ctx.health.get("_keys")
    if not isinstance(k, Keys):
        k = ctx.health["_keys"] = load(ctx.config, ctx.store, ctx.now())
    return k
