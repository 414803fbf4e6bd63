"""ack, outbox list|retry|purge, send-test, tick: the mail side of the command line."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import getpass
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

from .. import acks, outbox
from ..config import mail_transport, maildir_path
from ..context import Context
from ..errors import ReminderdError
from ..i18n import lookup
from ..mailer import send_batch, settings_from_config
from ..messages import Mail, compose, make_message_id
from ..runtime import Runtime
from ..store import Store, open_store
from ..store.lock import dispatch_lock
from .common import date_arg, in_calendar_range, runtime, year_arg

_EN = {"done": "Marked as done: {what} ({year}).",
       "undone": "No longer marked as done: {what} ({year}); its reminders resume.",
       "not_done": "{what} ({year}) was not marked as done; nothing changed.",
       "already": "Already marked as done on {at} by {by} ({via}); nothing changed.",
       "sent": "Test message sent to {to} (Message-ID {mid}).",
       "written": "Test message for {to} written to {path} — not sent: [smtp] has no host "
                  "(Message-ID {mid}).",
       "cancel": "{n} rows cancelled.",
       "not_cancellable": "Row {id} cannot be cancelled (state: {state}).",
       "tick_maildir": "Mail goes to the folder {folder}, not sent ([smtp] has no host).",
       "failed": "Sending to {to} failed: {error}",
       "none": "The outbox is empty.",
       "retry": "{n} rows put back to pending.",
       "purge": "{n} rows deleted.",
       "no_such": "No outbox row with id {ids}.",
       "not_retryable": "Row {id} needs no retry (state: {state}).",
       "tick_head": "# {at}: {new} new, {queued} queued",
       "tick_new": "new", "tick_queued": "queued", "tick_now": "now",
       "next_try": "next try", "sent_at": "sent",
       "no_address": "department {dep} has no e-mail address in the config",
       "purge_clamped": "--before {asked} is too recent: rows that recent still stop a second reminder. "
                        "Only rows before {used} are deleted ({days} days before the latest planning pass)."}
_VI = {"done": "Đã đánh dấu hoàn thành: {what} (năm {year}).",
       "undone": "Đã hoàn tác: {what} (năm {year}) không còn được đánh dấu hoàn thành; nhắc việc tiếp tục.",
       "not_done": "{what} (năm {year}) chưa được đánh dấu hoàn thành; không thay đổi gì.",
       "already": "Đã được đánh dấu hoàn thành lúc {at} bởi {by} ({via}); không thay đổi gì.",
       "sent": "Đã gửi thư thử tới {to} (Message-ID {mid}).",
       "written": "Thư thử cho {to} đã được ghi vào {path} — không gửi đi: [smtp] chưa có host "
                  "(Message-ID {mid}).",
       "cancel": "Đã hủy {n} thư.",
       "not_cancellable": "Không hủy được thư số {id} (trạng thái: {state}).",
       "tick_maildir": "Thư được ghi vào thư mục {folder}, không gửi đi ([smtp] chưa có host).",
       "failed": "Gửi tới {to} không thành công: {error}",
       "none": "Hàng đợi thư trống.",
       "retry": "Đã đưa {n} thư về trạng thái chờ gửi.",
       "purge": "Đã xóa {n} thư.",
       "no_such": "Không có thư mang số {ids} trong hàng đợi.",
       "not_retryable": "Thư số {id} không cần gửi lại (trạng thái: {state}).",
       "tick_head": "# {at}: {new} thư mới, {queued} thư đang chờ gửi",
       "tick_new": "mới", "tick_queued": "chờ gửi", "tick_now": "ngay",
       "next_try": "thử lại lúc", "sent_at": "đã gửi lúc",
       "no_address": "đơn vị {dep} không có địa chỉ thư trong cấu hình",
       "purge_clamped": "Mốc --before {asked} quá gần: các thư gần đây còn dùng để không nhắc lại lần nữa. "
                        "Chỉ xóa thư trước ngày {used} ({days} ngày trước lần lập kế hoạch gần nhất)."}


_KINDS_VI = {"window_open": "bắt đầu", "due": "đến hạn", "overdue": "quá hạn", "correction": "đính chính",
             "digest": "tổng hợp tuần", "test": "thư thử"}
_STATES_VI = {"pending": "chờ gửi", "sending": "đang gửi", "sent": "đã gửi", "failed": "lỗi, chờ thử lại",
              "dead": "không gửi được", "cancelled": "đã hủy"}


_TEXT = {key: {"vi": vi, "en": _EN[key]} for key, vi in _VI.items()}


def _t(rt: Runtime, key: str, **kw: Any) -> str:
    return lookup(_TEXT, rt.config.language, key, **kw)


def _kind(rt: Runtime, kind: str) -> str:
    """A row's kind as a word of the config's language (English keeps the codes of outbox list)."""
    return kind if rt.config.language == "en" else _KINDS_VI.get(kind, kind)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ack", help="đánh dấu một việc đã hoàn thành (dừng nhắc việc)")
    p.add_argument("target", metavar="EVENT_ID/TASK_ID")
    p.add_argument("--year", type=year_arg, required=True, help="năm của lần sự kiện")
    p.add_argument("--note", default="", help="ghi chú")
    p.add_argument("--by", default=None, help="người xác nhận (mặc định: tên người dùng hệ thống)")
    p.add_argument("--undo", action="store_true",
                   help="hoàn tác: bỏ đánh dấu hoàn thành (nhắc việc tiếp tục; ghi vào nhật ký thay đổi)")
    p.set_defaults(func=cmd_ack)

    p = sub.add_parser("outbox", help="hàng đợi thư: list, retry, cancel, purge")
    osub = p.add_subparsers(dest="outbox_cmd", metavar="list|retry|cancel|purge")
    osub.required = True
    lp = osub.add_parser("list", help="liệt kê thư trong hàng đợi (mới nhất trước)")
    lp.add_argument("--state", action="append", choices=outbox.STATES, help="lọc theo trạng thái (lặp lại được)")
    lp.add_argument("--limit", type=int, default=50)
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(func=cmd_outbox_list)
    rp = osub.add_parser("retry", help="gửi lại thư lỗi/hỏng (về trạng thái chờ, đếm lại số lần thử)")
    rp.add_argument("ids", nargs="*", type=int, metavar="ID")
    rp.add_argument("--dead", action="store_true", help="mọi thư ở trạng thái dead")
    rp.add_argument("--failed", action="store_true", help="mọi thư ở trạng thái failed")
    rp.add_argument("--by", default=None, help="người yêu cầu (mặc định: tên người dùng hệ thống; ghi nhật ký)")
    rp.set_defaults(func=cmd_outbox_retry)
    cp = osub.add_parser("cancel", help="hủy thư chưa gửi (chờ, lỗi, hỏng): thư không được gửi nữa; ghi nhật ký")
    cp.add_argument("ids", nargs="+", type=int, metavar="ID")
    cp.add_argument("--by", default=None, help="người hủy (mặc định: tên người dùng hệ thống)")
    cp.set_defaults(func=cmd_outbox_cancel)
    pp = osub.add_parser(
        "purge", help="xóa thư đã xong từ lâu (những thư không thể bị nhắc lại)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=f"""\
Xóa khỏi hàng đợi những thư ở trạng thái được chọn (mặc định: sent, cancelled),
cập nhật lần cuối trước ngày --before, mà việc lập kế hoạch không bao giờ tạo lại:
  - thư nhắc việc (window_open, due, overdue, correction) có hạn hoàn thành
    trước ngày đó;
  - thư tổng hợp tuần (digest) có thời điểm gửi trước ngày đó.
Thư cập nhật trong vòng {outbox.PURGE_MIN_AGE_DAYS} ngày tính đến lần lập kế hoạch gần nhất
không bao giờ bị xóa: thư đã gửi là căn cứ để hệ thống không nhắc lại lần nữa.
Nếu --before gần hơn mốc đó, hệ thống lùi về mốc đó và báo rõ.
Thư đang chờ, đang gửi hoặc lỗi (pending, sending, failed) không bao giờ bị xóa.""")
    pp.add_argument("--before", required=True, type=date_arg, metavar="YYYY-MM-DD",
                    help="xóa thư trước ngày này (giờ của tổ chức)")
    pp.add_argument("--state", action="append", choices=outbox.FINAL_STATES,
                    help="trạng thái cần xóa, lặp lại được (mặc định: sent, cancelled)")
    pp.set_defaults(func=cmd_outbox_purge)

    p = sub.add_parser("send-test", help="gửi một thư thử qua cấu hình SMTP")
    p.add_argument("--to", required=True, metavar="ADDRESS")
    p.set_defaults(func=cmd_send_test)

    p = sub.add_parser("tick", help="một lượt lập kế hoạch và một lượt gửi, như tại thời điểm đó")
    p.add_argument("--at", metavar="DATETIME", help="thời điểm ISO (không có múi giờ: giờ của tổ chức)")
    p.add_argument("--dry-run", action="store_true", help="chỉ in những gì sẽ gửi; không ghi, không gửi")
    p.set_defaults(func=cmd_tick)


def _store(rt: Runtime) -> Store:
    return open_store(rt.config.database_url)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # the CLI is a top level: it may read the clock


def cmd_ack(args: argparse.Namespace) -> int:
    rt = runtime(args)
    event_id, _, task_id = args.target.partition("/")
    if not task_id:
        raise ReminderdError(f"{args.target!r}: cần dạng EVENT_ID/TASK_ID, ví dụ quoc-khanh-jp/thu-chuc-mung")
    try:
        ev = rt.catalog.event(event_id)
    except KeyError:
        raise ReminderdError(f"{event_id!r}: không có sự kiện này trong danh mục") from None
    if task_id not in {t.id for t in ev.tasks}:
        raise ReminderdError(f"{event_id}/{task_id}: sự kiện không có việc này; có: "
                             + ", ".join(t.id for t in ev.tasks))
    store = _store(rt)
    by = args.by or getpass.getuser()
    if args.undo:
        old = acks.undo(store, event_id, task_id, args.year, by, "cli", _now())
        print(_t(rt, "undone" if old else "not_done", what=f"{event_id}/{task_id}", year=args.year))
        return 0
    if acks.mark_done(store, event_id, task_id, args.year, by, "cli", args.note, _now()):
        print(_t(rt, "done", what=f"{event_id}/{task_id}", year=args.year))
    else:
        a = acks.get_ack(store, event_id, task_id, args.year)
        assert a is not None
        at = a.done_at.astimezone(rt.config.tz).strftime("%Y-%m-%d %H:%M")
        print(_t(rt, "already", at=at, by=a.done_by, via=a.via))
    return 0


def _local(rt: Runtime, t: dt.datetime | None) -> str:
    return t.astimezone(rt.config.tz).strftime("%Y-%m-%d %H:%M") if t else ""


def cmd_outbox_list(args: argparse.Namespace) -> int:
    rt = runtime(args)
    rows = outbox.list_rows(_store(rt), states=args.state or (), limit=args.limit)
    if args.json:
        out = [{k: (v.isoformat() if isinstance(v, dt.date | dt.datetime) else v)
                for k, v in r.items() if k != "payload"} for r in rows]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not rows:
        print(_t(rt, "none"))
        return 0
    for r in rows:
        what = f"{r['event_id']}/{r['task_id']} {r['year']}" if r["event_id"] else r["department"] or ""
        line = (f"{r['id']:>6}  {r['state']:<9} {r['kind']:<11} {_local(rt, r['send_after'])}  "
                f"{r['recipient'] or '-':<28} {what}  [{r['attempts']}]")
        if r["state"] == "failed" and r["next_attempt_at"]:
            line += f"  {_t(rt, 'next_try')} {_local(rt, r['next_attempt_at'])}"
        elif r["state"] == "sent" and r["sent_at"]:
            line += f"  {_t(rt, 'sent_at')} {_local(rt, r['sent_at'])}"
        if r["last_error"]:
            line += f"  {r['last_error']}"
        print(line)
    return 0


def cmd_outbox_retry(args: argparse.Namespace) -> int:
    rt = runtime(args)
    states = [s for s, on in (("dead", args.dead), ("failed", args.failed)) if on]
    if not args.ids and not states:
        raise ReminderdError("cần ID hoặc --dead / --failed")
    store = _store(rt)
    found = outbox.states_of(store, args.ids) if args.ids else {}
    missing = [i for i in args.ids if i not in found]
    for i, state in sorted(found.items()):
        if state not in outbox.RETRYABLE_STATES:
            word = state if rt.config.language == "en" else _STATES_VI.get(state, state)
            print(_t(rt, "not_retryable", id=i, state=word), file=sys.stderr)
    if missing:
        print(_t(rt, "no_such", ids=", ".join(map(str, missing))), file=sys.stderr)
    by = args.by or getpass.getuser()
    n = outbox.retry(store, _now(), ids=args.ids, states=states, actor=by, via="cli") if found or states else 0
    # Explicit ids that are not all there, or that put nothing back, are a mistake: exit 1.
    if n or not args.ids:
        print(_t(rt, "retry", n=n))
    return 1 if missing or (args.ids and not n) else 0


def cmd_outbox_cancel(args: argparse.Namespace) -> int:
    rt = runtime(args)
    store = _store(rt)
    found = outbox.states_of(store, args.ids)
    missing = [i for i in args.ids if i not in found]
    for i, state in sorted(found.items()):
        if state not in outbox.CANCELLABLE_STATES:
            word = state if rt.config.language == "en" else _STATES_VI.get(state, state)
            print(_t(rt, "not_cancellable", id=i, state=word), file=sys.stderr)
    if missing:
        print(_t(rt, "no_such", ids=", ".join(map(str, missing))), file=sys.stderr)
    n = outbox.cancel(store, _now(), args.ids, actor=args.by or getpass.getuser(), via="cli") if found else 0
    print(_t(rt, "cancel", n=n))
    return 1 if missing or n < len(args.ids) else 0


def cmd_outbox_purge(args: argparse.Namespace) -> int:
    rt = runtime(args)
    before = dt.datetime.combine(args.before, dt.time(0), tzinfo=rt.config.tz)
    res = outbox.purge(_store(rt), before, args.state or ("sent", "cancelled"), now=_now())
    if res.clamped:
        used = res.before.astimezone(rt.config.tz).date()
        print(_t(rt, "purge_clamped", asked=args.before, used=used, days=outbox.PURGE_MIN_AGE_DAYS),
              file=sys.stderr)
    print(_t(rt, "purge", n=res.deleted))
    return 0


def cmd_send_test(args: argparse.Namespace) -> int:
    rt = runtime(args)
    cfg = rt.config
    now = _now()
    mid = make_message_id(f"test|{args.to}|{now.isoformat()}", str(cfg.get("smtp", "sender")))
    msg = compose(Mail(args.to, mid, {"kind": "test"}), cfg, None, now)
    settings = settings_from_config(cfg)
    res = asyncio.run(send_batch(settings, [msg]))[0]
    if res.ok:
        if settings.transport == "maildir":
            print(_t(rt, "written", to=args.to, path=Path(settings.maildir or "") / "new", mid=mid))
        else:
            print(_t(rt, "sent", to=args.to, mid=mid))
        return 0
    print(_t(rt, "failed", to=args.to, error=res.error), file=sys.stderr)
    return 1


def parse_at(text: str | None, rt: Runtime) -> dt.datetime:
    if not text:
        return _now()
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ReminderdError(f"--at {text!r}: cần thời điểm ISO, ví dụ 2025-02-13T09:00") from None
    try:
        in_calendar_range(text, t)
    except argparse.ArgumentTypeError as e:
        raise ReminderdError(f"--at {e}") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=rt.config.tz)
    return t.astimezone(dt.UTC)


def cmd_tick(args: argparse.Namespace) -> int:
    rt = runtime(args)
    at = parse_at(args.at, rt)
    if args.dry_run:  # reads only: no lock needed
        return _tick_dry_run(rt, Context(rt, _store(rt), now=lambda: at), at)
    # On SQLite a daemon starting now would put this tick's live claims back as a crash's
    # orphans and send them again: the two exclude each other (store/lock.py).
    with dispatch_lock(rt.config.database_url, "tick", rt.config.language,
                       say=lambda text: print(text, file=sys.stderr)):
        # Named like a daemon (host:pid) so that, should this tick die mid-send, a daemon
        # starting on this host puts its claims back at once.
        ctx = Context(rt, _store(rt), now=lambda: at, instance=f"{socket.gethostname()}:{os.getpid()}")
        if mail_transport(rt.config) == "maildir":
            print(_t(rt, "tick_maildir", folder=maildir_path(rt.config) / "new"), file=sys.stderr)
        planned = outbox.planning_pass_sync(ctx)
        sent = asyncio.run(outbox.dispatch(ctx))
    print(json.dumps({"at": at.isoformat(), "plan": planned, "dispatch": sent}, ensure_ascii=False))
    return 0 if not sent.get("failed") and not sent.get("dead") else 2


def _tick_dry_run(rt: Runtime, ctx: Context, at: dt.datetime) -> int:
    """What a tick at ``at`` would plan and send, written nowhere."""
    plan = outbox.planning_pass_sync(ctx, dry_run=True)
    due = [r for r in outbox.list_rows(ctx.store, states=outbox.OPEN_STATES, limit=10000)
           if r["send_after"] <= at and (r["next_attempt_at"] is None or r["next_attempt_at"] <= at)]
    print(_t(rt, "tick_head", at=_local(rt, at), new=plan["created"], queued=len(due)))
    new, queued = _t(rt, "tick_new"), _t(rt, "tick_queued")
    width = max(len(new), len(queued)) + 2
    for row in plan.get("rows", []):
        when = _t(rt, "tick_now") if row.send_after <= at else _local(rt, row.send_after)
        what = f"{row.event_id}/{row.task_id} {row.year}" if row.event_id else row.department
        print(f"{new:<{width}}{_kind(rt, row.kind):<14} {when:<16} {row.recipient or '-':<28} {what}"
              + (f"  ({_t(rt, 'no_address', dep=row.department)})" if row.error else ""))
    for r in due:
        print(f"{queued:<{width}}{_kind(rt, r['kind']):<14} {_local(rt, r['send_after']):<16} "
              f"{r['recipient'] or '-':<28} {r['event_id'] or r['department']}")
    return 0
