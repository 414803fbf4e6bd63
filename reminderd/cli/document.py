"""document: the plan appendix for a year, the results report for a period (.docx or .xlsx)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..errors import ReminderdError
from ..i18n import lookup
from ..runtime import Runtime
from ..store import Store
from .common import check_department, date_arg, runtime, today, year_arg

TEXT: dict[str, dict[str, str]] = {
    "wrote.plan": {"vi": "Đã ghi {path}: {tasks} nhiệm vụ trong {tables} bảng.",
                   "en": "Wrote {path}: {tasks} tasks in {tables} tables."},
    "wrote.report": {
        "vi": "Đã ghi {path}: {n} nhiệm vụ có hạn trong kỳ — {on_time} đúng hạn, {late} trễ hạn, "
              "{not_done} chưa hoàn thành ({overdue} quá hạn).",
        "en": "Wrote {path}: {n} tasks due in the period — {on_time} on time, {late} late, "
              "{not_done} not done ({overdue} overdue)."},
    "no_db": {"vi": "cảnh báo: chưa có CSDL ({url}); chưa có xác nhận hoàn thành nào, mọi nhiệm vụ được "
                    "tính là chưa hoàn thành",
              "en": "warning: no database yet ({url}); nothing has been marked done, every task counts as "
                    "not done"},
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "document", help="văn bản: phụ lục kế hoạch năm, báo cáo kết quả (.docx, .xlsx)",
        description="Viết văn bản theo thể thức hành chính (Nghị định 30/2020/NĐ-CP): phụ lục kế hoạch "
                    "của một năm, báo cáo kết quả thực hiện của một kỳ. Loại tệp theo đuôi của -o: "
                    ".docx (Word) hoặc .xlsx (Excel).")
    dsub = p.add_subparsers(dest="document_cmd", metavar="plan|report")
    dsub.required = True
    pl = dsub.add_parser(
        "plan", help="phụ lục kế hoạch: các ngày lễ, sự kiện trong năm và nhiệm vụ của từng dịp",
        description="Các ngày lễ, sự kiện có ngày trong năm YEAR và mọi nhiệm vụ của từng dịp (kể cả "
                    "nhiệm vụ bắt đầu từ cuối năm trước), chia bảng như phụ lục của kế hoạch: Quốc khánh "
                    "các nước; năm mới, Tết; ngày kỷ niệm; hội nghị, sự kiện; báo cáo định kỳ.")
    pl.add_argument("--year", type=year_arg, required=True, help="năm của kế hoạch, ví dụ 2027")
    pl.add_argument("--department", metavar="ID", help="chỉ nhiệm vụ đơn vị này chủ trì hoặc phối hợp")
    pl.add_argument("-o", "--output", metavar="FILE",
                    help="tệp .docx hoặc .xlsx (mặc định: \"Phụ lục kế hoạch năm YEAR.docx\" ở thư mục hiện tại)")
    pl.set_defaults(func=cmd_plan)
    rp = dsub.add_parser(
        "report", help="báo cáo kết quả: nhiệm vụ có hạn trong kỳ, đã hoàn thành hay chưa, khi nào, ai",
        description="Mọi nhiệm vụ có hạn trong [--from, --to]: đơn vị, hạn, kết quả (đúng hạn, trễ hạn, "
                    "chưa hoàn thành, quá hạn) theo các xác nhận hoàn thành trong CSDL, ngày và người xác "
                    "nhận, ghi chú; tổng hợp theo cơ quan chủ trì; danh sách quá hạn.")
    rp.add_argument("--from", dest="start", type=date_arg, help="từ ngày YYYY-MM-DD (mặc định: 1/1 năm nay)")
    rp.add_argument("--to", dest="end", type=date_arg, help="đến ngày YYYY-MM-DD (mặc định: hôm nay)")
    rp.add_argument("--department", metavar="ID", help="chỉ nhiệm vụ đơn vị này chủ trì hoặc phối hợp")
    rp.add_argument("-o", "--output", metavar="FILE",
                    help="tệp .docx hoặc .xlsx (mặc định: \"Báo cáo kết quả ….docx\" ở thư mục hiện tại)")
    rp.set_defaults(func=cmd_report)


def _target(output: str | None, default_name: str = "") -> tuple[Path, str]:
    """The file to write and its kind, from its extension (checked before any work is done)."""
    path = Path(output) if output else Path(f"{default_name}.docx")
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("docx", "xlsx"):
        raise ReminderdError(f"-o {str(path)!r}: cần tên tệp có đuôi .docx hoặc .xlsx")
    if not path.parent.is_dir():
        raise ReminderdError(f"-o {str(path)!r}: không có thư mục {str(path.parent)!r}")
    return path, fmt


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as e:
        raise ReminderdError(f"không ghi được {str(path)!r}: {e.strerror or e}") from None


def cmd_plan(args: argparse.Namespace) -> int:
    from ..documents import plan_appendix, render

    if args.output:
        _target(args.output)
    rt = runtime(args)
    check_department(rt.config, args.department)
    doc = plan_appendix.build(rt, args.year, department=args.department, today=today(rt.config))
    path, fmt = _target(args.output, doc.filename)
    _write(path, render(doc, fmt))  # type: ignore[arg-type]
    tasks = sum(len(s.table.rows) for s in doc.sections if s.table is not None)
    print(lookup(TEXT, rt.config.language, "wrote.plan", path=path, tasks=tasks, tables=len(doc.sections)))
    return 0


def _store(rt: Runtime) -> Store | None:
    """The database, read as it is; None if it was never created (nothing marked done yet)."""
    from ..store import open_store

    url = rt.config.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        print("reminderd: " + lookup(TEXT, rt.config.language, "no_db", url=url), file=sys.stderr)
        return None
    return open_store(url, migrate=False)


def cmd_report(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from ..documents import render, results_report

    if args.output:
        _target(args.output)
    rt = runtime(args)
    cfg = rt.config
    check_department(cfg, args.department)
    now = today(cfg)
    start = args.start or dt.date(now.year, 1, 1)
    end = args.end or now
    if end < start:
        raise ReminderdError(f"--to {end} trước --from {start}; khoảng ngày bị ngược")
    store = _store(rt)
    try:
        rows = results_report.gather(rt, store, start, end, now, args.department)
        doc = results_report.build(rt, rows, start, end, today=now, department=args.department, store=store,
                                   lang=cfg.language)
    except SQLAlchemyError as e:
        raise ReminderdError(f"không đọc được các xác nhận hoàn thành trong CSDL ({type(e).__name__}); "
                             "chạy `reminderd db upgrade` nếu CSDL chưa được tạo bảng") from None
    finally:
        if store is not None:
            store.dispose()
    path, fmt = _target(args.output, doc.filename)
    _write(path, render(doc, fmt))  # type: ignore[arg-type]
    counts = {s: sum(r.status == s for r in rows) for s in results_report.STATUSES}
    print(lookup(TEXT, cfg.language, "wrote.report", path=path, n=len(rows), on_time=counts["on_time"],
                 late=counts["late"], not_done=counts["overdue"] + counts["pending"], overdue=counts["overdue"]))
    return 0
