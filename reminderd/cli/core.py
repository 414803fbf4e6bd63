"""check, upcoming, explain, workdays, lunar."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from .. import dateforms, lunar
from ..agenda import row_json, select_rows
from ..config import Config, config_path, load_config
from ..errors import ReminderdError, ValidationError
from ..i18n import fmt_date, skipped_lines, t, weekday
from ..lunar import MAX_YEAR, MIN_YEAR
from ..model import Occurrence, PlannedTask
from ..occurrences import occurrence_in_year, rule_years
from ..plan import event_active, plan_task, task_applies
from ..runtime import Runtime, load_runtime, workdays_for
from ..workdays import WorkdayCalendar
from .common import check_department, date_arg, runtime, today, year_arg
from .world import partner_warnings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="kiểm tra cấu hình và danh mục; mã thoát 0 hoặc 1")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "upcoming", help="các việc và sự kiện trong một khoảng ngày",
        description="Liệt kê sự kiện có ngày trong khoảng, và việc có ngày bắt đầu hoặc hạn trong khoảng. "
                    "Thứ tự: theo ngày bắt đầu của việc nếu ngày đó nằm trong khoảng, nếu không thì theo hạn; "
                    "sự kiện theo ngày của sự kiện.")
    p.add_argument("--from", dest="start", type=date_arg, help="từ ngày (mặc định: hôm nay)")
    p.add_argument("--to", dest="end", type=date_arg, help="đến ngày (mặc định: 30 ngày tới)")
    p.add_argument("--department", help="chỉ việc của đơn vị này (chủ trì hoặc phối hợp)")
    p.add_argument("--json", action="store_true", help="in một mảng JSON")
    p.set_defaults(func=cmd_upcoming)

    p = sub.add_parser("explain", help="ngày được tính thế nào, bỏ qua những ngày nào")
    p.add_argument("target", metavar="EVENT_ID[/TASK_ID]")
    p.add_argument("--year", type=year_arg, help="năm (mặc định: năm nay)")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("workdays", help="tính ngày làm việc")
    wsub = p.add_subparsers(dest="workdays_cmd", metavar="add|between")
    wsub.required = True
    a = wsub.add_parser(
        "add", help="DATE cộng N ngày làm việc (N âm: lùi lại)",
        description="Ngày làm việc thứ N sau DATE (N âm: trước DATE), không tính chính DATE — "
                    "\"N ngày làm việc trước D\" là `workdays add D -N`. N = 0: DATE nếu là ngày làm việc, "
                    "nếu không thì ngày làm việc kế tiếp (như get_nth_working_day của gói holidays).")
    a.add_argument("date", type=date_arg, help="ngày gốc, YYYY-MM-DD")
    a.add_argument("n", type=int, help="số ngày làm việc; âm để lùi lại")
    a.set_defaults(func=cmd_workdays_add)
    b = wsub.add_parser(
        "between", help="số ngày làm việc sau D1 đến hết D2",
        description="Số ngày làm việc trong (D1, D2]: không tính D1, tính D2. Âm nếu D2 trước D1; "
                    "luôn có `workdays between D (workdays add D N)` = N.")
    b.add_argument("d1", type=date_arg, help="ngày đầu (không tính), YYYY-MM-DD")
    b.add_argument("d2", type=date_arg, help="ngày cuối (có tính), YYYY-MM-DD")
    b.set_defaults(func=cmd_workdays_between)

    p = sub.add_parser("lunar", help="đổi ngày âm lịch ↔ dương lịch")
    lsub = p.add_subparsers(dest="lunar_cmd", metavar="to-solar|from-solar")
    lsub.required = True
    ts = lsub.add_parser("to-solar", help="âm lịch → dương lịch")
    ts.add_argument("year", type=int)
    ts.add_argument("month", type=int)
    ts.add_argument("day", type=int)
    ts.add_argument("--leap", action="store_true", help="tháng nhuận")
    ts.add_argument("--calendar", choices=lunar.CALENDARS, default="vi")
    ts.set_defaults(func=cmd_lunar_to_solar)
    fs = lsub.add_parser("from-solar", help="dương lịch → âm lịch")
    fs.add_argument("date", type=date_arg)
    fs.add_argument("--calendar", choices=lunar.CALENDARS, default="vi")
    fs.set_defaults(func=cmd_lunar_from_solar)


# ---- check -------------------------------------------------------------------------------


def leap_month_gaps(rt: Runtime, first: int, last: int) -> list[str]:
    """Events on a leap lunar month: the years in [first, last] that have no such month."""
    out = []
    for ev in rt.catalog.events:
        form = dateforms.parse(ev.date)
        if form.kind != "lunar" or not form.leap:
            continue
        missing = [y for y in rule_years(ev, first, last) if occurrence_in_year(ev, y) is None]
        if missing:
            out.append(f"{ev.source}: event {ev.id}: date: {form.text} — không có tháng "
                       f"{form.month} nhuận trong các năm {', '.join(map(str, missing))}; "
                       "những năm đó không có lần nào")
    return out


def cmd_check(args: argparse.Namespace) -> int:
    path = config_path(args.config)
    try:
        rt = load_runtime(path)
    except ValidationError as e:
        print(t("vi", "errors", n=len(e.problems)), file=sys.stderr)
        for p in e.problems:
            print(f"  {p}", file=sys.stderr)
        if e.warnings:
            print(t("vi", "warnings", n=len(e.warnings)), file=sys.stderr)
            for p in e.warnings:
                print(f"  {p}", file=sys.stderr)
        return 1
    lang = rt.config.language
    year = today(rt.config).year
    from ..feeds import public_feeds  # the feed writer (and icalendar) only for `check`

    _, feed_errors, feed_unmatched = public_feeds(rt)
    if feed_errors:
        print(t("vi", "errors", n=len(feed_errors)), file=sys.stderr)
        for msg in feed_errors:
            print(f"  {rt.config.path}: {msg}", file=sys.stderr)
        return 1
    warnings = ([str(w) for w in rt.catalog.warnings] + leap_month_gaps(rt, year - 1, year + 10)
                + [f"{rt.config.path}: {m}" for m in feed_unmatched]
                + partner_warnings(rt))  # a [partners] code without a national day (cli/world.py)
    if warnings:
        print(t(lang, "warnings", n=len(warnings)))
        for w in warnings:
            print(f"  {w}")
    ntasks = sum(len(e.tasks) for e in rt.catalog.events)
    print(t(lang, "ok", events=len(rt.catalog.events), tasks=ntasks,
            files=len(rt.catalog.files), departments=len(rt.config.departments)))
    return 0


# ---- upcoming ----------------------------------------------------------------------------


def cmd_upcoming(args: argparse.Namespace) -> int:
    rt = runtime(args)
    cfg = rt.config
    check_department(cfg, args.department)
    start = args.start or today(cfg)
    end = args.end or start + dt.timedelta(days=30)
    if end < start:
        raise ReminderdError(f"--to {end} trước --from {start}; khoảng ngày bị ngược")
    rows = select_rows(rt, start, end, args.department)
    if args.json:
        # One write: json.dump to a text stream makes a write call per token (seconds on 40,000 rows).
        sys.stdout.write(json.dumps([row_json(o, tk) for o, tk in rows], ensure_ascii=False, indent=2) + "\n")
        return 0
    print_table(cfg, rows, start, end)
    return 0


def print_table(cfg: Config, rows: list[tuple[Occurrence, PlannedTask | None]],
                start: dt.date, end: dt.date) -> None:
    lang = cfg.language
    if not rows:
        print(t(lang, "none", start=start, end=end))
        return
    head = (t(lang, "col.date"), t(lang, "col.kind"), t(lang, "col.window"),
            t(lang, "col.owner"), t(lang, "col.what"))
    table: list[tuple[str, ...]] = []
    for occ, tk in rows:
        if tk is None:
            what = occ.title + (f" ({occ.event.country})" if occ.event.country else "")
            table.append((fmt_date(lang, occ.date), t(lang, "kind.event"), "", "", what))
            continue
        window = f"{tk.window_start:%d/%m} → {tk.due:%d/%m/%Y}"
        if tk.provisional:
            window += f" ({t(lang, 'provisional')})"
        what = f"{tk.action} — {occ.title} ({fmt_date(lang, occ.date)})"
        if tk.support:
            names = ", ".join(cfg.department_name(s) for s in tk.support)
            what += f"; {t(lang, 'role.support')}: {names}"
        key_date = tk.window_start if start <= tk.window_start <= end else tk.due
        table.append((fmt_date(lang, key_date), t(lang, "kind.task"), window,
                      cfg.department_name(tk.owner), what))
    widths = [max(len(r[i]) for r in [head, *table]) for i in range(4)]
    w0, w1, w2, w3 = widths
    # Built whole and written once: a print per row costs more than planning on a 40,000-row range.
    lines = [f"{r[0].ljust(w0)}  {r[1].ljust(w1)}  {r[2].ljust(w2)}  {r[3].ljust(w3)}  {r[4]}"
             for r in [head, *table]]
    nev = sum(1 for _, tk in rows if tk is None)
    lines += ["", t(lang, "count", events=nev, tasks=len(rows) - nev)]
    sys.stdout.write("\n".join(lines) + "\n")


# ---- explain -----------------------------------------------------------------------------


def cmd_explain(args: argparse.Namespace) -> int:
    rt = runtime(args)
    cfg, lang = rt.config, rt.config.language
    event_id, _, task_id = args.target.partition("/")
    try:
        ev = rt.catalog.event(event_id)
    except KeyError:
        ids = sorted(e.id for e in rt.catalog.events)
        close = [i for i in ids if event_id in i or i in event_id][:8]
        hint = f"; gần giống: {', '.join(close)}" if close else ""
        print(f"reminderd: không có sự kiện {event_id!r} trong danh mục{hint}", file=sys.stderr)
        return 1
    tasks = [tr for tr in ev.tasks if not task_id or tr.id == task_id]
    if task_id and not tasks:
        print(f"reminderd: sự kiện {event_id} không có việc {task_id!r}; có: "
              + ", ".join(tr.id for tr in ev.tasks), file=sys.stderr)
        return 1
    year = args.year or today(cfg).year
    print(t(lang, "explain.event", id=ev.id, title=ev.title))
    print(t(lang, "explain.rule", date=ev.date, file=ev.source))
    if ev.reference:
        print(t(lang, "explain.source", source=ev.reference))
    if not event_active(ev, cfg):
        print(t(lang, "explain.none", year=year, why=t(lang, "why.inactive", country=ev.country)))
        return 0
    occ = occurrence_in_year(ev, year)
    if occ is None:
        print(t(lang, "explain.none", year=year, why=t(lang, "why.norule")))
        return 0
    print(t(lang, "explain.occ", year=year, how=occ.explain(lang)))
    print(f"  → {occ.title}: {fmt_date(lang, occ.date)}")
    if occ.ordinal is not None:
        ms = t(lang, "explain.milestone") if occ.milestone else ""
        print(t(lang, "explain.ordinal", ordinal=occ.ordinal, milestone=ms))
    wd = rt.workdays
    for tr in tasks:
        if not task_applies(tr, occ, cfg):
            why = (t(lang, "why.milestone") if tr.when == "milestone" and not occ.milestone
                   else t(lang, "why.tier", country=ev.country, tier=tr.tier))
            print(t(lang, "explain.not_applicable", id=tr.id, year=year, why=why))
            continue
        tk = plan_task(tr, occ, wd, with_skipped=True)
        print(t(lang, "explain.task", id=tr.id, action=tk.action))
        rule = t(lang, "rule." + tr.lead.unit, near=tr.lead.near, far=tr.lead.far)
        print(t(lang, "explain.lead", lead=tr.lead.text, rule=rule))
        sup = ""
        if tk.support:
            sup = f"; {t(lang, 'role.support')}: " + ", ".join(cfg.department_name(s) for s in tk.support)
        print(t(lang, "explain.window", start=tk.window_start, start_wd=weekday(lang, tk.window_start),
                due=tk.due, due_wd=weekday(lang, tk.due), owner=cfg.department_name(tk.owner),
                support=sup))
        print(t(lang, "explain.skipped", n=len(tk.skipped), start=tk.window_start, date=occ.date))
        for line in skipped_lines(lang, tk.skipped, wd.holiday_name):
            print(line)
        if tk.provisional:
            print("    " + t(lang, "provisional.note", year=occ.date.year,
                             through=cfg.get("workdays", "confirmed_through")))
    return 0


# ---- workdays, lunar ---------------------------------------------------------------------


def _wd(args: argparse.Namespace) -> tuple[WorkdayCalendar, str]:
    """Working days honour the config's overrides when the config can be read."""
    try:
        cfg = load_config(config_path(args.config))
    except ValidationError:
        print("reminderd: không đọc được cấu hình; dùng lịch làm việc mặc định (VN, không ngoại lệ)",
              file=sys.stderr)
        return WorkdayCalendar(), "vi"
    return workdays_for(cfg), cfg.language


def cmd_workdays_add(args: argparse.Namespace) -> int:
    wd, lang = _wd(args)
    try:
        d = wd.add(args.date, args.n)
    except OverflowError:
        d = dt.date.max
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise ReminderdError(f"{args.date} {args.n:+d} ngày làm việc ra ngoài các năm tính được "
                             f"({MIN_YEAR}–{MAX_YEAR})")
    note = f" ({t(lang, 'provisional')})" if wd.is_provisional(d) or wd.is_provisional(args.date) else ""
    print(f"{d.isoformat()}  {weekday(lang, d)}{note}")
    return 0


def cmd_workdays_between(args: argparse.Namespace) -> int:
    wd, _ = _wd(args)
    print(wd.between(args.d1, args.d2))
    return 0


def cmd_lunar_to_solar(args: argparse.Namespace) -> int:
    try:
        d = lunar.to_solar(args.year, args.month, args.day, args.leap, args.calendar)
    except lunar.LunarError as e:
        print(f"reminderd: {e}", file=sys.stderr)
        return 1
    print(f"{d.isoformat()}  {weekday('vi', d)}")
    return 0


def cmd_lunar_from_solar(args: argparse.Namespace) -> int:
    try:
        ld = lunar.from_solar(args.date, args.calendar)
    except lunar.LunarError as e:
        print(f"reminderd: {e}", file=sys.stderr)
        return 1
    leap = "L" if ld.leap else ""
    # The machine-readable form first (the catalog's lunar:MM[L]-DD), then words, so that
    # nobody reads 2025-01-01 as the first of January.
    print(f"{ld.year}-{ld.month:02d}{leap}-{ld.day:02d}  ({lunar_words(ld)})")
    return 0


_MONTHS = ("Giêng", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mười Một", "Chạp")
_CAN = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_CHI = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")


def lunar_words(ld: lunar.LunarDate) -> str:
    """'mùng 1 tháng Giêng năm Ất Tỵ', 'ngày 27 tháng Sáu nhuận năm Ất Tỵ'."""
    day = f"mùng {ld.day}" if ld.day <= 10 else f"ngày {ld.day}"
    month = _MONTHS[ld.month - 1] + (" nhuận" if ld.leap else "")
    year = f"{_CAN[(ld.year + 6) % 10]} {_CHI[(ld.year + 8) % 12]}"
    return f"{day} tháng {month} năm {year}"
