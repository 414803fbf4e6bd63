"""check, upcoming, explain, workdays, lunar."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from .. import dateforms, lunar
from ..agenda import row_json, select_rows
from ..catalog import NATIONAL_DAY_TAG
from ..config import Config, config_path, load_config
from ..errors import ReminderdError, ValidationError
from ..i18n import fmt_date, lookup, skipped_lines, t, weekday
from ..lunar import MAX_YEAR, MIN_YEAR
from ..model import EventRule, Occurrence, PlannedTask
from ..occurrences import occurrence_in_year, rule_years, vn_date
from ..plan import gc_paused, plan_task, task_applies, why_inactive
from ..runtime import Runtime, load_runtime, workdays_for
from ..workdays import WorkdayCalendar
from .common import check_department, date_arg, runtime, today, with_stored, year_arg

# Strings of check/explain that the shared table (i18n.MESSAGES) does not have.
_STRINGS: dict[str, dict[str, str]] = {
    "skipped.head": {"vi": "Không lập việc ({n} sự kiện, {m} việc; không phải lỗi):",
                     "en": "Not planned ({n} events, {m} tasks; not errors):"},
    "skipped.partner": {
        "vi": "{file}: {n} sự kiện có nước không thuộc hạng nào trong [partners] (all_countries = false){ids}",
        "en": "{file}: {n} events whose country is in no [partners] tier (all_countries = false){ids}"},
    "skipped.choice": {
        "vi": "{file}: {n} sự kiện Quốc khánh không dùng theo [national_days] (ngày thay thế không được chọn, "
              "hoặc ngày mặc định đã được thay){ids}",
        "en": "{file}: {n} national-day events not used under [national_days] (an alternative not chosen, or "
              "a default replaced by the choice){ids}"},
    "skipped.optional": {
        "vi": "{file}: {n} việc tùy chọn (optional) của đơn vị không có trong cấu hình: {deps}",
        "en": "{file}: {n} optional tasks of departments the config does not have: {deps}"},
    "why.partner": {
        "vi": "nước {country} không thuộc hạng nào trong [partners] của cấu hình, nên sự kiện không có trên "
              "lịch và không lập việc (thêm {country} vào một hạng của [partners], hoặc đặt [catalog] "
              "all_countries = true để hiện sự kiện)",
        "en": "country {country} is in no [partners] tier of the config, so the event is neither on the "
              "calendars nor planned (add {country} to a [partners] tier, or set [catalog] all_countries = "
              "true to show it)"},
    "why.not_chosen": {
        "vi": "cấu hình chọn sự kiện {chosen} làm Quốc khánh của {country} ([national_days] {country} = "
              "\"{chosen}\")",
        "en": "the config chooses event {chosen} as the national day of {country} ([national_days] {country} = "
              "\"{chosen}\")"},
    "why.alternative": {
        "vi": "đây là ngày Quốc khánh thay thế của {country}; chỉ dùng khi cấu hình đặt [national_days] "
              "{country} = \"{id}\" (mặc định: {default})",
        "en": "this is an alternative national day of {country}; used only where the config sets "
              "[national_days] {country} = \"{id}\" (default: {default})"},
    "why.first_year": {
        "vi": "năm {year} là năm của chính ngày gốc ({since}); lần kỷ niệm thứ nhất là năm {next}",
        "en": "{year} is the year of the origin itself ({since}); the first anniversary is in {next}"},
    "explain.would_be": {"vi": "  (Theo quy tắc, ngày năm {year} là: {how})",
                         "en": "  (By the rule, the {year} date would be: {how})"},
    "explain.sibling": {
        "vi": "  Quốc khánh {country} năm {year} theo sự kiện {id}: {title} — {date}; xem: reminderd explain {id} "
              "--year {year}",
        "en": "  The national day of {country} in {year} is event {id}: {title} — {date}; see: reminderd explain "
              "{id} --year {year}"},
    "explain.description": {"vi": "  Ghi chú: {text}", "en": "  Note: {text}"},
    "explain.announced": {
        "vi": "  Ngày đã công bố: {dates}; năm khác theo quy tắc {rule}, là ngày tạm tính",
        "en": "  Announced dates: {dates}; other years by the rule {rule}, provisional"},
    "explain.date_provisional": {
        "vi": "  Ngày tạm tính: chưa có ngày công bố cho năm {year}; kiểm tra lại khi có thông báo.",
        "en": "  Provisional date: no announced date for {year} yet; check again when it is announced."},
    "explain.replaced": {"vi": "    Đơn vị {old} đã được thay bằng {new} (replaced_by): việc chuyển sang {new}",
                         "en": "    Department {old} is replaced by {new} (replaced_by): the task goes to {new}"},
    "provisional.date": {"vi": "ngày chưa công bố", "en": "date not announced"},
    "explain.dropped": {
        "vi": "Việc {id} là việc tùy chọn (optional) của đơn vị {owner}; cấu hình không có đơn vị này nên "
              "việc không được lập.",
        "en": "Task {id} is optional, for department {owner}; the config has no such department, so it is "
              "not planned."},
}


def _t(lang: str, key: str, **values: object) -> str:
    return lookup(_STRINGS, lang, key, **values)


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
        rt = load_runtime(path, cache=False)  # every file read and validated, whatever is cached
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
    from .world import partner_warnings  # the country table only for `check` and `explain`

    _, feed_errors, feed_unmatched = public_feeds(rt)
    if feed_errors:
        print(t("vi", "errors", n=len(feed_errors)), file=sys.stderr)
        for msg in feed_errors:
            print(f"  {rt.config.path}: {msg}", file=sys.stderr)
        return 1
    # What editors stored in the database, laid over the files (cli/catalog.py; the page).
    effective, merged = with_stored(rt, quiet=True)
    stored = [] if merged is None else [str(p) for p in [*merged.conflicts, *merged.item_problems,
                                                         *merged.redundant]]
    warnings = ([str(w) for w in rt.catalog.warnings] + leap_month_gaps(rt, year - 1, year + 10)
                + [f"{rt.config.path}: {m}" for m in feed_unmatched]
                + partner_warnings(effective)  # a [partners] code without a national day (cli/world.py)
                + stored)
    if warnings:
        print(t(lang, "warnings", n=len(warnings)))
        for w in warnings:
            print(f"  {w}")
    skipped = skipped_lines_of(rt)
    if skipped:
        for line in skipped:
            print(line)
    ntasks = sum(len(e.tasks) for e in rt.catalog.events)
    print(t(lang, "ok", events=len(rt.catalog.events), tasks=ntasks,
            files=len(rt.catalog.files), departments=len(rt.config.departments)))
    if merged is not None and not merged.stored.empty:
        s = merged.stored
        print(lookup(CHECK_TEXT, lang, "stored", partners=len(s.partners), overrides=len(s.overrides),
                     items=len(s.items), conflicts=len(merged.conflicts)))
    return 0


def skipped_lines_of(rt: Runtime) -> list[str]:
    """What the catalog holds but this province's config plans nothing for, one line per file and
    reason (the shipped world data alone has ~200 countries outside any province's [partners]):
    events of countries in no tier, alternative national days not chosen, optional tasks of
    departments the config lacks. Not errors, but never silent."""
    lang = rt.config.language
    by: dict[tuple[str, str], list[EventRule]] = {}
    dropped: dict[str, list[tuple[str, str]]] = {}
    for ev in rt.catalog.events:
        why = why_inactive(ev, rt.config)
        if why is not None:
            by.setdefault((ev.source.file, "partner" if why == "partner" else "choice"), []).append(ev)
        if ev.dropped:
            dropped.setdefault(ev.source.file, []).extend(ev.dropped)
    lines = []
    for (file, why), evs in sorted(by.items()):
        ids = f": {', '.join(e.id for e in evs)}" if len(evs) <= 5 else ""
        lines.append("  " + _t(lang, f"skipped.{why}", file=file, n=len(evs), ids=ids))
    for file, items in sorted(dropped.items()):
        counts: dict[str, int] = {}
        for _, owner in items:
            counts[owner] = counts.get(owner, 0) + 1
        deps = ", ".join(f"{d} ({n})" for d, n in sorted(counts.items()))
        lines.append("  " + _t(lang, "skipped.optional", file=file, n=len(items), deps=deps))
    if not lines:
        return []
    n = sum(len(v) for v in by.values())
    m = sum(len(v) for v in dropped.values())
    return [_t(lang, "skipped.head", n=n, m=m), *lines]


CHECK_TEXT = {
    "stored": {"vi": "Thay đổi lưu trong CSDL (áp lên các tệp): {partners} đối tác, {overrides} sự kiện/việc, "
                     "{items} mục bổ sung; {conflicts} không còn khớp với tệp (xem `reminderd catalog show`).",
               "en": "Changes stored in the database (laid over the files): {partners} partners, {overrides} "
                     "events/tasks, {items} ad-hoc items; {conflicts} no longer fit the files "
                     "(see `reminderd catalog show`)."},
}


# ---- upcoming ----------------------------------------------------------------------------


def cmd_upcoming(args: argparse.Namespace) -> int:
    # Tens of thousands of rows, strings and dicts, none in a cycle (plan.gc_paused).
    with gc_paused():
        return _upcoming(args)


def _upcoming(args: argparse.Namespace) -> int:
    rt = runtime(args)
    cfg = rt.config
    check_department(cfg, args.department)
    start = args.start or today(cfg)
    end = args.end or start + dt.timedelta(days=30)
    if end < start:
        raise ReminderdError(f"--to {end} trước --from {start}; khoảng ngày bị ngược")
    rows = select_rows(rt, start, end, args.department)
    if args.json:
        import json

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
    # Every word looked up once, every date and department named once: a ten-year range is
    # 40,000 rows over a few thousand dates, and formatting each anew cost more than planning.
    kind_event, kind_task = t(lang, "kind.event"), t(lang, "kind.task")
    provisional = f" ({t(lang, 'provisional')})"
    date_provisional = f" ({t(lang, 'provisional')}: {_t(lang, 'provisional.date')})"
    support_label = f"; {t(lang, 'role.support')}: "
    long: dict[dt.date, str] = {}  # date → "Thứ Sáu 01/01/2027"
    short: dict[dt.date, str] = {}  # date → "01/01"
    long_get, short_get = long.get, short.get
    # First what sets the columns' widths, without making any text: each row's date, the lead
    # departments, whether a window says "provisional"; then each line made once, whole.
    keys: list[dt.date] = []
    owners: set[str] = set()
    nev = 0
    w2 = len(head[2])
    for occ, tk in rows:
        if tk is None:
            nev += 1
            keys.append(occ.date)
            continue
        ws, due = tk.window_start, tk.due
        keys.append(ws if start <= ws <= end else due)
        owners.add(tk.rule.owner)
        width = 14 + len(str(due.year)) + (len(provisional) if tk.provisional or occ.provisional else 0)
        if width > w2:
            w2 = width
    for d in set(keys):
        long[d] = fmt_date(lang, d)
    names = {dep: cfg.department_name(dep) for dep in owners}
    pad0 = _padded({head[0], *long.values()})
    pad1 = _padded({head[1], kind_event if nev else "", kind_task if nev < len(rows) else ""})
    pad3 = _padded({head[3], "", *names.values()})
    event_cells = f"{pad1[kind_event]}  {'':{w2}}  {pad3['']}" if nev else ""
    task_kind = pad1[kind_task] if nev < len(rows) else ""
    lines = [f"{pad0[head[0]]}  {pad1[head[1]]}  {head[2]:{w2}}  {pad3[head[3]]}  {head[4]}"]
    add = lines.append
    # Written in blocks of a few thousand lines: a print per row cost more than planning on a
    # 40,000-row range, and one string of them all held a gigabyte on a 50,000-event catalog.
    write = sys.stdout.write
    for n, ((occ, tk), key) in enumerate(zip(rows, keys, strict=True), 1):
        if not n % 8192:
            write("\n".join(lines) + "\n")
            lines.clear()
        d = occ.date
        occ_day = long_get(d) or long.setdefault(d, fmt_date(lang, d))
        if tk is None:
            country = occ.event.country
            what = f"{occ.title} ({country})" if country else occ.title
            if occ.provisional:
                what += date_provisional
            add(f"{pad0[occ_day]}  {event_cells}  {what}")
            continue
        due, ws = tk.due, tk.window_start
        window = (f"{short_get(ws) or short.setdefault(ws, f'{ws.day:02d}/{ws.month:02d}')} → "
                  f"{short_get(due) or short.setdefault(due, f'{due.day:02d}/{due.month:02d}')}/{due.year}")
        if tk.provisional or occ.provisional:
            window += provisional
        rule = tk.rule
        what = f"{tk.action} — {occ.title} ({occ_day})"
        if rule.support:
            what += support_label + ", ".join(names.get(s) or cfg.department_name(s) for s in rule.support)
        add(f"{pad0[long[key]]}  {task_kind}  {window:{w2}}  {pad3[names[rule.owner]]}  {what}")
    lines += ["", t(lang, "count", events=nev, tasks=len(rows) - nev)]
    write("\n".join(lines) + "\n")


def _padded(values: set[str]) -> dict[str, str]:
    width = max(map(len, values))
    return {v: v.ljust(width) for v in values}


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
    dropped = dict(ev.dropped)
    if task_id in dropped:  # an optional task of a department this province does not have
        print(_t(cfg.language, "explain.dropped", id=task_id, owner=dropped[task_id]))
        return 0
    if task_id and not tasks:
        print(f"reminderd: sự kiện {event_id} không có việc {task_id!r}; có: "
              + ", ".join(tr.id for tr in ev.tasks), file=sys.stderr)
        return 1
    year = args.year or today(cfg).year
    print(t(lang, "explain.event", id=ev.id, title=ev.title))
    print(t(lang, "explain.rule", date=ev.date, file=ev.source))
    if ev.reference:
        print(t(lang, "explain.source", source=ev.reference))
    if ev.announced:
        dates = ", ".join(vn_date(d) if lang != "en" else d.isoformat() for _, d in ev.announced)
        print(_t(lang, "explain.announced", dates=dates, rule=ev.date))
    if ev.description:
        print(_t(lang, "explain.description", text=ev.description))
    why = why_inactive(ev, cfg)
    if why is not None:
        print(t(lang, "explain.none", year=year, why=_inactive_text(lang, rt, ev, why)))
        occ = occurrence_in_year(ev, year)
        if occ is not None:
            print(_t(lang, "explain.would_be", year=year, how=occ.explain(lang)))
        return 0
    occ = occurrence_in_year(ev, year)
    if occ is None:
        if ev.since is not None and year == ev.since.year:
            reason = _t(lang, "why.first_year", year=year, since=vn_date(ev.since), next=year + 1)
        else:
            reason = t(lang, "why.norule")
        print(t(lang, "explain.none", year=year, why=reason))
        _explain_sibling(rt, ev, year)
        return 0
    print(t(lang, "explain.occ", year=year, how=occ.explain(lang)))
    print(f"  → {occ.title}: {fmt_date(lang, occ.date)}")
    if occ.provisional:
        print(_t(lang, "explain.date_provisional", year=year))
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
        for old_dep, new_dep in tr.replaced:
            print(_t(lang, "explain.replaced", old=cfg.department_name(old_dep), new=cfg.department_name(new_dep)))
        print(t(lang, "explain.skipped", n=len(tk.skipped), start=tk.window_start, date=occ.date))
        for line in skipped_lines(lang, tk.skipped, wd.holiday_name):
            print(line)
        if tk.provisional:
            print("    " + t(lang, "provisional.note", year=occ.date.year,
                             through=cfg.get("workdays", "confirmed_through")))
    return 0


def _inactive_text(lang: str, rt: Runtime, ev: EventRule, why: str) -> str:
    country = ev.country or ""
    if why == "not_chosen":
        return _t(lang, "why.not_chosen", country=country, chosen=rt.config.national_days.get(country, ""))
    if why == "alternative":
        default = ", ".join(e.id for e in rt.catalog.events if e.country == country
                            and NATIONAL_DAY_TAG in e.tags and not e.alternative) or "—"
        return _t(lang, "why.alternative", country=country, id=ev.id, default=default)
    return _t(lang, "why.partner", country=country)


def _explain_sibling(rt: Runtime, ev: EventRule, year: int) -> None:
    """A national day whose rule gives nothing in ``year`` because another rule of the same country
    covers that year (Japan 2019: the Enthronement, not an Emperor's birthday): name that rule."""
    if not ev.country or NATIONAL_DAY_TAG not in ev.tags:
        return
    from .world import national_day_in

    other, occ = national_day_in(rt.catalog, rt.config, ev.country, year)
    if other is None or occ is None or other.id == ev.id:
        return
    lang = rt.config.language
    print(_t(lang, "explain.sibling", country=ev.country, year=year, id=other.id, title=occ.title,
             date=fmt_date(lang, occ.date)))


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
