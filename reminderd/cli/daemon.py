"""``reminderd run``, ``reminderd reload`` and ``reminderd db upgrade``."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import signal
import sys
from pathlib import Path

from ..config import Config, config_path, load_config
from ..errors import ReminderdError, ValidationError
from ..i18n import lookup, t
from .common import config, in_calendar_range

MESSAGES = {
    "no_pid": {"vi": "không thấy reminderd đang chạy: không có tệp PID {path} (dịch vụ chưa chạy, "
                     "hoặc chạy với cấu hình khác). Dưới systemd: systemctl reload reminderd",
               "en": "no running reminderd found: no PID file {path} (not running, or started with "
                     "another config). Under systemd: systemctl reload reminderd"},
    "stale": {"vi": "không thấy reminderd đang chạy: tệp PID {path} ghi pid {pid} nhưng tiến trình đó "
                    "không phải reminderd (tệp cũ sau một lần dừng đột ngột)",
              "en": "no running reminderd found: {path} names pid {pid}, which is not a running reminderd "
                    "(a stale file left by a crash)"},
    "invalid": {"vi": "cấu hình hoặc danh mục có lỗi; dịch vụ đang chạy vẫn giữ cấu hình cũ. Sửa các lỗi "
                      "trên rồi chạy lại.",
                "en": "config or catalog has errors; the running daemon keeps its configuration. Fix the "
                      "errors above and try again."},
    "told": {"vi": "đã báo dịch vụ (pid {pid}): nó giữ cấu hình cũ, ghi lỗi vào nhật ký và /healthz báo "
                   "\"degraded\" (config_errors) cho đến khi nạp lại thành công",
             "en": "the daemon (pid {pid}) was told too: it keeps its configuration, logs the errors, and "
                   "/healthz says \"degraded\" (config_errors) until a reload succeeds"},
    "sent": {"vi": "đã gửi SIGHUP tới reminderd (pid {pid}); kết quả xem ở nhật ký và /healthz",
             "en": "sent SIGHUP to reminderd (pid {pid}); see the log and /healthz for the result"},
    "upgraded": {"vi": "CSDL đã ở phiên bản mới nhất: {rev}", "en": "database schema is at the latest revision: {rev}"},
    "migrated": {"vi": "Đã nâng cấp CSDL: {old} → {rev}", "en": "database schema upgraded: {old} → {rev}"},
    "empty": {"vi": "(trống)", "en": "(empty)"},
}


def _t(cfg: Config | None, key: str, **values: object) -> str:
    return lookup(MESSAGES, cfg.language if cfg is not None else "vi", key, **values)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help="chạy dịch vụ: lịch, gửi thư, máy chủ HTTP, đến khi nhận SIGTERM; SIGHUP nạp lại")
    p.add_argument("--at", metavar="DATETIME", type=_datetime_arg,
                   help="chạy thử như thể đồng hồ bắt đầu lúc này (YYYY-MM-DDTHH:MM, giờ của tổ chức)")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("reload", help="yêu cầu dịch vụ đang chạy nạp lại cấu hình và danh mục (SIGHUP)")
    p.set_defaults(func=cmd_reload)
    p = sub.add_parser("db", help="cơ sở dữ liệu")
    dsub = p.add_subparsers(dest="db_command", metavar="ACTION")
    dsub.required = True
    u = dsub.add_parser("upgrade", help="chạy các bước chuyển đổi CSDL (alembic) đến bản mới nhất")
    u.set_defaults(func=cmd_db_upgrade)


def _datetime_arg(text: str) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: cần dạng YYYY-MM-DDTHH:MM, ví dụ 2026-12-01T08:30") from None
    return in_calendar_range(text, at)


def cmd_run(args: argparse.Namespace) -> int:
    from ..daemon import main

    at: dt.datetime | None = args.at
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=config(args).tz)  # a bare time means the organisation's
    return main(config_path(args.config), at)


def _is_reminderd(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, owned by another user (the service's); /proc tells us what it is
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: trust the pid file
    return b"reminderd" in cmdline


def cmd_reload(args: argparse.Namespace) -> int:
    from ..daemon import pid_file
    from ..runtime import load_runtime

    path = config_path(args.config)
    try:
        load_runtime(path)
    except ValidationError as e:
        cfg = None
        with contextlib.suppress(ReminderdError):
            cfg = load_config(path)
        print(t(cfg.language if cfg else "vi", "errors", n=len(e.problems)), file=sys.stderr)
        for p in e.problems:
            print(f"  {p}", file=sys.stderr)
        print(_t(cfg, "invalid"), file=sys.stderr)
        # Tell the daemon anyway (as systemctl reload would): it refuses the same errors and shows
        # them on /healthz, so monitoring sees what the terminal saw. Not running: nothing to tell.
        pid = _running_pid(cfg) if cfg is not None else None
        if pid is not None:
            os.kill(pid, signal.SIGHUP)
            print(_t(cfg, "told", pid=pid), file=sys.stderr)
        return 1
    cfg = load_config(path)
    pidf = pid_file(cfg)
    try:
        pid = int(pidf.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        raise ReminderdError(_t(cfg, "no_pid", path=pidf)) from None
    if not _is_reminderd(pid):
        raise ReminderdError(_t(cfg, "stale", path=pidf, pid=pid))
    os.kill(pid, signal.SIGHUP)
    print(_t(cfg, "sent", pid=pid))
    return 0


def _running_pid(cfg: Config) -> int | None:
    from ..daemon import pid_file

    try:
        pid = int(pid_file(cfg).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
    return pid if _is_reminderd(pid) else None


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from ..store import open_store

    cfg = config(args)
    store = open_store(cfg.database_url, migrate=False)
    try:
        before = store.current_revision()
        store.upgrade()
        after = store.current_revision()
    finally:
        store.dispose()
    if before == after:
        print(_t(cfg, "upgraded", rev=after))
    else:
        print(_t(cfg, "migrated", old=before or _t(cfg, "empty"), rev=after))
    return 0
