"""``token create|list|revoke`` (private feed links) and ``export`` (an .ics file)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from .. import tokens
from ..errors import ReminderdError
from ..feeds import (
    LAYOUTS,
    FeedName,
    FeedNameError,
    available_feeds,
    feed_meta,
    feed_title,
    parse_feed_name,
    render,
    with_layout,
)
from ..feeds.cache import load_done, stamped_feed
from ..i18n import lookup
from ..runtime import Runtime
from ..store import Store, open_store
from ..web.feeds import feed_links
from .common import check_department, date_arg, runtime, today

TEXT: dict[str, dict[str, Any]] = {
    "created": {"vi": "Đã tạo mã #{id} cho lịch {feed} ({label}).\n"
                      "Liên kết (giữ bí mật; ai có liên kết đều xem được lịch):",
                "en": "Created token #{id} for feed {feed} ({label}).\n"
                      "Links (keep them secret; anyone with the link can read the feed):"},
    "links": {"vi": ("Apple Calendar, Outlook, Google Calendar:",
                     "webcal (mở hộp thoại đăng ký của Apple, Outlook):",
                     "Thunderbird (chỉ đọc, đúng tên lịch):"),
              "en": ("Apple Calendar, Outlook, Google Calendar:",
                     "webcal (opens the subscribe dialog of Apple, Outlook):",
                     "Thunderbird (read-only, named):")},
    "once": {"vi": "Mã chỉ hiện một lần; mất thì thu hồi và tạo mã mới.",
             "en": "The token is shown only once; if lost, revoke it and create a new one."},
    "head": {"vi": ("#", "trạng thái", "lịch", "tạo lúc", "dùng gần nhất", "nhãn"),
             "en": ("#", "state", "feed", "created", "last used", "label")},
    "active": {"vi": "hiệu lực", "en": "active"},
    "revoked": {"vi": "đã thu hồi", "en": "revoked"},
    "never": {"vi": "chưa dùng", "en": "never"},
    "none": {"vi": "Chưa có mã lịch nào.", "en": "No feed tokens."},
    "revoked.ok": {"vi": "Đã thu hồi mã #{id} ({feed}); liên kết ngừng hoạt động trong vòng 2 giây "
                         "(dịch vụ nhớ mã đã kiểm tra tối đa 2 giây).",
                   "en": "Revoked token #{id} ({feed}); its link stops working within 2 seconds "
                         "(the daemon remembers a checked token for up to 2 seconds)."},
    "wrote": {"vi": "Đã ghi {n} mục ({feed}, {start} – {end}) vào {path}.",
              "en": "Wrote {n} items ({feed}, {start} – {end}) to {path}."},
}


def _t(lang: str, key: str, **values: object) -> str:
    return lookup(TEXT, lang, key, **values)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("token", help="liên kết riêng (có mã bí mật) tới các lịch iCalendar")
    tsub = p.add_subparsers(dest="token_cmd", metavar="create|list|revoke")
    tsub.required = True
    c = tsub.add_parser("create", help="tạo liên kết riêng tới một lịch; in URL https và webcal")
    c.add_argument("--feed", required=True,
                   help="all, department/<mã đơn vị>, country/<mã nước> hoặc tag/<nhãn>")
    c.add_argument("--label", default="", help="ghi chú: liên kết này cấp cho ai")
    c.set_defaults(func=cmd_create)
    ls = tsub.add_parser("list", help="các mã lịch (mặc định: còn hiệu lực)")
    ls.add_argument("--all", action="store_true", help="cả mã đã thu hồi")
    ls.set_defaults(func=cmd_list)
    r = tsub.add_parser("revoke", help="thu hồi mã theo số thứ tự (xem token list)")
    r.add_argument("id", type=int)
    r.set_defaults(func=cmd_revoke)

    e = sub.add_parser("export", help="ghi lịch iCalendar (.ics) ra tệp")
    e.add_argument("--department", help="chỉ lịch của đơn vị này (chủ trì hoặc phối hợp)")
    e.add_argument("--feed", help="hoặc một lịch bất kỳ: all, department/…, country/…, tag/…")
    e.add_argument("--from", dest="start", type=date_arg, help="từ ngày (mặc định: đầu năm ngoái)")
    e.add_argument("--to", dest="end", type=date_arg, help="đến ngày (mặc định: hết 2 năm tới)")
    e.add_argument("--layout", choices=LAYOUTS, default="days",
                   help="days (mặc định: mỗi việc là mục một ngày vào ngày hạn và ngày bắt đầu) "
                        "hoặc bars (mỗi việc là một thanh dài suốt thời gian thực hiện)")
    e.add_argument("-o", "--output", help="tệp .ics (mặc định: in ra màn hình)")
    e.set_defaults(func=cmd_export)


def _store(rt: Runtime) -> Store:
    return open_store(rt.config.database_url)


def _now() -> dt.datetime:
    # The CLI is a top level: it may read the clock.
    return dt.datetime.now(dt.UTC)


def check_feed(rt: Runtime, text: str) -> FeedName:
    """A feed name this config and catalog serve, or a clear error listing what exists."""
    try:
        name = parse_feed_name(text)
    except FeedNameError as e:
        raise ReminderdError(f"--feed {e}") from None
    feeds = available_feeds(rt)
    if name not in feeds:
        same = ", ".join(str(f) for f in feeds if f.kind == name.kind) or "—"
        raise ReminderdError(f"--feed {text!r}: không có lịch này; các lịch {name.kind} có: {same}")
    return name


def cmd_create(args: argparse.Namespace) -> int:
    rt = runtime(args)
    name = check_feed(rt, args.feed)
    store = _store(rt)
    token_id, secret = tokens.create(store, "feed", str(name), args.label, _now())
    lang = rt.config.language
    links = feed_links(str(rt.config.get("http", "base_url")), secret, name, feed_title(rt, name))
    print(_t(lang, "created", id=token_id, feed=name, label=args.label or "—"))
    heads = TEXT["links"].get(lang, TEXT["links"]["vi"])
    for head, link in zip(heads, (links.https, links.webcal, links.folder), strict=True):
        print(f"  {head}\n    {link}")
    print(_t(lang, "once"))
    return 0


def _fmt(d: dt.datetime | None, tz: dt.tzinfo) -> str:
    return d.astimezone(tz).strftime("%Y-%m-%d %H:%M") if d else ""


def cmd_list(args: argparse.Namespace) -> int:
    rt = runtime(args)
    cfg = rt.config
    lang = cfg.language
    rows = tokens.list_tokens(_store(rt), "feed", include_revoked=args.all)
    if not rows:
        print(_t(lang, "none"))
        return 0
    head = TEXT["head"].get(lang, TEXT["head"]["vi"])
    print(f"{head[0]:>4}  {head[1]:<10}  {head[2]:<32}  {head[3]:<16}  {head[4]:<16}  {head[5]}")
    for r in rows:
        state = _t(lang, "active" if r.active else "revoked")
        used = _fmt(r.last_used_at, cfg.tz) or _t(lang, "never")
        print(f"{r.id:>4}  {state:<10}  {r.scope:<32}  {_fmt(r.created_at, cfg.tz):<16}  {used:<16}  {r.label}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    rt = runtime(args)
    store = _store(rt)
    row = tokens.get(store, args.id)
    if row is None or row.kind != "feed":
        raise ReminderdError(f"không có mã lịch #{args.id} (xem: reminderd token list --all)")
    if not tokens.revoke(store, args.id, _now(), kind="feed"):
        raise ReminderdError(f"mã #{args.id} đã bị thu hồi từ trước")
    print(_t(rt.config.language, "revoked.ok", id=args.id, feed=row.scope))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    rt = runtime(args)
    cfg = rt.config
    if args.department and args.feed:
        raise ReminderdError("chỉ dùng một trong --department và --feed")
    check_department(cfg, args.department)
    name = check_feed(rt, f"department/{args.department}" if args.department else args.feed or "all")
    day = today(cfg)
    h_start, h_end = rt.horizon(day)
    start, end = args.start or h_start, args.end or h_end
    if start > end:
        raise ReminderdError(f"--from {start} sau --to {end}")
    name = with_layout(name, args.layout)
    plan = rt.plan(start, end)
    # The same content (done marks included) and SEQUENCE/LAST-MODIFIED as the daemon's feeds,
    # read-only: export never writes.
    try:
        store = _store(rt)
        done = load_done(store, {t.occurrence.year for t in plan.tasks})
        stamped = stamped_feed(store, rt, plan, name, done, day, _now())
    except (SQLAlchemyError, OSError) as e:  # the file is still useful without the database
        print(f"reminderd: cảnh báo: không đọc được CSDL ({e}); SEQUENCE = 0, không đánh dấu việc đã xong",
              file=sys.stderr)
        stamped = stamped_feed(None, rt, plan, name, {}, day, _now())
    if args.start or args.end:  # what falls in the range asked for (without one: the served feed)
        stamped = [s for s in stamped if s.item.start <= end and s.item.end > start]
    else:
        stamped = [s for s in stamped if s.item.status != "CANCELLED" or (s.item.start <= end and s.item.end > start)]
    body = render(feed_meta(rt, name), stamped)
    if args.output and args.output != "-":
        Path(args.output).write_bytes(body)
        n = sum(1 for x in stamped if not x.item.hidden)
        print(_t(cfg.language, "wrote", n=n, feed=name, start=start, end=end, path=args.output))
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    return 0
