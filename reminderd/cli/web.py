"""access create|list|revoke, admin set-password, key show|new: who may use the page and the
API, and the secret key that signs links (kept in a file, never in the database)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from .. import tokens, webauth
from ..config import Config
from ..errors import ReminderdError
from ..i18n import lookup
from ..store import Store, open_store
from ..web.subscribe import revoke_derived
from .common import check_department, config

TEXT: dict[str, dict[str, str]] = {
    "no_tty": {"vi": "không có terminal để gõ mật khẩu; hãy dùng --password-stdin "
                     "(vd. reminderd admin set-password --password-stdin < tep-mat-khau)",
               "en": "no terminal to type the password on; use --password-stdin "
                     "(e.g. reminderd admin set-password --password-stdin < password-file)"},
    "kind.access": {"vi": "đơn vị", "en": "department"},
    "kind.admin": {"vi": "biên tập", "en": "editor"},
    "active": {"vi": "hiệu lực", "en": "active"},
    "revoked_on": {"vi": "thu hồi {date}", "en": "revoked {date}"},
    "used": {"vi": "dùng", "en": "used"},
    "none": {"vi": "(không có liên kết nào)", "en": "(no links)"},
    "already": {"vi": "liên kết #{id} đã bị thu hồi từ trước", "en": "link #{id} was already revoked"},
    "revoked": {"vi": "đã thu hồi liên kết {id} và {feeds} lịch đi kèm; các phiên mở bằng liên kết này kết thúc "
                      "ngay, các lịch đi kèm ngừng hoạt động trong vòng 2 giây (dịch vụ nhớ mã đã kiểm tra "
                      "tối đa 2 giây)",
                "en": "revoked link {id} and {feeds} feeds that went with it; sessions opened with the link end "
                      "now, the feeds stop working within 2 seconds (the daemon remembers a checked token for "
                      "up to 2 seconds)"},
    "key.path": {"vi": "tệp khóa:        {path} ({state})", "en": "key file:        {path} ({state})"},
    "key.missing": {"vi": "chưa có", "en": "missing"},
    "key.mode": {"vi": "quyền {mode}", "en": "mode {mode}"},
    "key.fp": {"vi": "dấu vân tay:     {fp}", "en": "fingerprint:     {fp}"},
    "key.db": {"vi": "CSDL đang dùng:  {fp}", "en": "database uses:   {fp}"},
    "key.match": {"vi": "khớp: tệp khóa này là khóa của CSDL", "en": "match: this key file is the database's"},
    "key.mismatch": {"vi": "KHÔNG KHỚP: chép tệp khóa từ dịch vụ kia, hoặc reminderd key new --replace",
                     "en": "MISMATCH: copy the key file from the other daemon, or reminderd key new --replace"},
    "key.previous": {"vi": "liên kết gửi trước khi nâng cấp còn nhận đến: {until}",
                     "en": "links mailed before the upgrade accepted until: {until}"},
    "key.in_db": {"vi": "CSDL còn giữ khóa cũ ({names}): lần chạy dịch vụ tới sẽ chuyển ra tệp",
                  "en": "the database still holds old keys ({names}): the next daemon start moves them out"},
    "key.new": {"vi": "đã tạo khóa mới {path} (dấu vân tay {fp}). Chép tệp này sang dịch vụ kia nếu có, rồi "
                      "khởi động lại dịch vụ. Mọi phiên đăng nhập, liên kết xác nhận đã gửi và liên kết lịch trên "
                      "trang đăng ký đã hết hiệu lực; liên kết lịch tạo bằng reminderd token vẫn dùng được.",
                "en": "new key {path} (fingerprint {fp}). Copy it to the other daemon if any, then restart the "
                      "service. Every session, every link already mailed and the subscribe page's links have "
                      "stopped working; feed links made with reminderd token still work."},
    "password_set": {"vi": "đã đặt mật khẩu cho {user}; mọi phiên đăng nhập cũ của {user} đã kết thúc. "
                           "Đăng nhập tại {url}/login",
                     "en": "password set for {user}; every earlier session of {user} has ended. "
                           "Log in at {url}/login"},
}


def _t(lang: str, key: str, **values: object) -> str:
    return lookup(TEXT, lang, key, **values)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("access", help="liên kết riêng của từng đơn vị tới trang web (và mã cho API)")
    asub = p.add_subparsers(dest="access_cmd", metavar="create|list|revoke")
    asub.required = True
    c = asub.add_parser("create", help="tạo liên kết cho một đơn vị (hoặc --admin: cho người biên tập)")
    who = c.add_mutually_exclusive_group(required=True)
    who.add_argument("--department", metavar="ID", help="mã đơn vị; liên kết chỉ xem và xác nhận việc của đơn vị đó")
    who.add_argument("--admin", action="store_true", help="mã biên tập: mọi đơn vị, thêm mục bổ sung")
    c.add_argument("--label", required=True, help="ghi chú: liên kết này đưa cho ai")
    c.set_defaults(func=cmd_create)
    ls = asub.add_parser("list", help="các liên kết (mặc định: còn hiệu lực)")
    ls.add_argument("--all", action="store_true", help="cả các liên kết đã thu hồi")
    ls.set_defaults(func=cmd_list)
    r = asub.add_parser("revoke", help="thu hồi một liên kết theo số (xem access list); lịch đi kèm cũng bị thu hồi")
    r.add_argument("id", type=int)
    r.set_defaults(func=cmd_revoke)

    p = sub.add_parser("key", help="tệp khóa bí mật ([state] key_file): xem, hoặc tạo khóa mới")
    ksub = p.add_subparsers(dest="key_cmd", metavar="show|new")
    ksub.required = True
    k = ksub.add_parser("show", help="đường dẫn, quyền, dấu vân tay của tệp khóa và của CSDL (không in khóa)")
    k.set_defaults(func=cmd_key_show)
    k = ksub.add_parser("new", help="tạo khóa mới khi khóa cũ đã mất hoặc bị lộ: mọi phiên đăng nhập, liên kết "
                                    "xác nhận đã gửi và liên kết lịch trên trang đăng ký hết hiệu lực")
    k.add_argument("--replace", action="store_true", help="thay tệp khóa đang có")
    k.set_defaults(func=cmd_key_new)

    p = sub.add_parser("admin", help="tài khoản quản trị của trang web")
    dsub = p.add_subparsers(dest="admin_cmd", metavar="set-password")
    dsub.required = True
    s = dsub.add_parser("set-password", help="đặt mật khẩu (lưu dạng băm scrypt trong CSDL)")
    s.add_argument("--user", default="admin", help="tên đăng nhập (mặc định: admin)")
    s.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin (cho script)")
    s.set_defaults(func=cmd_set_password)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # the CLI is a top level: it may read the clock


def _store(cfg: Config) -> Store:
    return open_store(cfg.database_url)


def cmd_create(args: argparse.Namespace) -> int:
    cfg = config(args)
    if args.department:
        check_department(cfg, args.department)
        kind, scope = "access", f"department/{args.department}"
    else:
        kind, scope = "admin", "all"
    tid, secret = tokens.create(_store(cfg), kind, scope, args.label, _now())
    base = str(cfg.get("http", "base_url")).rstrip("/")
    lang = cfg.language
    what = cfg.department_name(args.department) if args.department else ("editor" if lang == "en" else "biên tập")
    print(f"#{tid} {what} — {args.label}")
    print(f"{base}/a/{secret}")
    if lang == "en":
        print("Send this link to the people concerned; it is shown only once. API: Authorization: Bearer "
              f"{secret}")
    else:
        print(f"Gửi liên kết này cho người cần dùng; nó chỉ hiện một lần. Dùng cho API: Authorization: Bearer {secret}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    cfg = config(args)
    store = _store(cfg)
    rows = [r for k in ("access", "admin") for r in tokens.list_tokens(store, k, include_revoked=args.all)]
    rows.sort(key=lambda r: r.id)
    tz = cfg.tz
    lang = cfg.language
    for r in rows:
        scope = cfg.department_name(r.scope.split("/", 1)[1]) if r.scope.startswith("department/") else r.scope
        state = (_t(lang, "revoked_on", date=f"{r.revoked_at.astimezone(tz):%Y-%m-%d}") if r.revoked_at
                 else _t(lang, "active"))
        used = f"{r.last_used_at.astimezone(tz):%Y-%m-%d %H:%M}" if r.last_used_at else "-"
        kind = _t(lang, f"kind.{r.kind}")
        print(f"{r.id:>4}  {kind:<10}  {scope:<40}  {state:<20}  {_t(lang, 'used')}: {used:<16}  {r.label}")
    if not rows:
        print(_t(lang, "none"))
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    cfg = config(args)
    store = _store(cfg)
    row = tokens.get(store, args.id)
    if row is None or row.kind not in ("access", "admin"):
        raise ReminderdError(f"không có liên kết số {args.id} (xem: reminderd access list --all)")
    now = _now()
    if not tokens.revoke(store, args.id, now):
        raise ReminderdError(_t(cfg.language, "already", id=args.id))  # exit 1, as `token revoke`
    feeds = revoke_derived(store, f"token{args.id}", now)
    webauth.end_sessions(store, token_id=args.id)
    print(_t(cfg.language, "revoked", id=args.id, feeds=feeds))
    return 0


def cmd_set_password(args: argparse.Namespace) -> int:
    cfg = config(args)
    if args.password_stdin:
        pw = sys.stdin.readline().rstrip("\n")
    else:
        try:
            if not sys.stdin.isatty():
                raise EOFError  # getpass would fall back to reading stdin, echoing, and hit its end
            pw = getpass.getpass("Mật khẩu mới: ")
            again = getpass.getpass("Nhập lại: ")
        except EOFError:
            raise ReminderdError(_t(cfg.language, "no_tty")) from None
        if again != pw:
            raise ReminderdError("hai lần nhập không khớp")
    if len(pw) < 10:
        raise ReminderdError("mật khẩu cần ít nhất 10 ký tự")
    webauth.set_admin_password(_store(cfg), args.user, pw, _now())
    print(_t(cfg.language, "password_set", user=args.user, url=str(cfg.get("http", "base_url")).rstrip("/")))
    return 0


def cmd_key_show(args: argparse.Namespace) -> int:
    from ..security import keys

    cfg = config(args)
    lang = cfg.language
    st = keys.status(cfg, _store(cfg))
    state = _t(lang, "key.mode", mode=st["mode"]) if st["exists"] else _t(lang, "key.missing")
    print(_t(lang, "key.path", path=st["path"], state=state))
    if st.get("fingerprint"):
        print(_t(lang, "key.fp", fp=st["fingerprint"]))
    print(_t(lang, "key.db", fp=st["database_fingerprint"] or "-"))
    if st.get("fingerprint") and st["database_fingerprint"]:
        print(_t(lang, "key.match" if st["fingerprint"] == st["database_fingerprint"] else "key.mismatch"))
    if st.get("previous_ack_until"):
        print(_t(lang, "key.previous", until=st["previous_ack_until"]))
    if st["keys_in_database"]:
        print(_t(lang, "key.in_db", names=", ".join(st["keys_in_database"])))
    return 0


def cmd_key_new(args: argparse.Namespace) -> int:
    from ..security import keys

    cfg = config(args)
    k = keys.new_key(cfg, _store(cfg), _now(), replace=args.replace)
    print(_t(cfg.language, "key.new", path=k.path, fp=k.fingerprint))
    return 0
