"""catalog (show, export, partner, override) and import: the editors' catalog from the shell.

The same changes the page makes, through the same code (:mod:`reminderd.overlays.edit`):
checked by the catalog's validator, written with their audit entry, and picked up by a
running daemon within ``[daemon] dispatch_interval`` seconds (its sync job).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from .. import countries
from ..config import config_path
from ..context import Context
from ..errors import Problem, ReminderdError
from ..i18n import lookup
from ..runtime import load_runtime
from ..store import open_store
from .common import today, year_arg

TEXT: dict[str, dict[str, str]] = {
    "none": {"vi": "Không có thay đổi nào được lưu: danh mục đúng như các tệp.",
             "en": "No stored changes: the catalog is exactly the files."},
    "partners": {"vi": "Đối tác đã đổi so với tệp cấu hình ({n}):",
                 "en": "Partners changed from the config file ({n}):"},
    "partner": {"vi": "  {code}  {name}: {before} → {after}  ({by}, {at})",
                "en": "  {code}  {name}: {before} → {after}  ({by}, {at})"},
    "not_partner": {"vi": "không phải đối tác", "en": "not a partner"},
    "overrides": {"vi": "Sự kiện đã đổi so với danh mục ({n}):", "en": "Events changed from the catalog ({n}):"},
    "disabled": {"vi": "  {what}: tắt ở tỉnh này  ({by}, {at})", "en": "  {what}: disabled here  ({by}, {at})"},
    "changed": {"vi": "  {what}: {changes}  ({by}, {at})", "en": "  {what}: {changes}  ({by}, {at})"},
    "added": {"vi": "  {what}: thêm việc \"{action}\" ({lead}; {owner})  ({by}, {at})",
              "en": "  {what}: added task \"{action}\" ({lead}; {owner})  ({by}, {at})"},
    "items": {"vi": "Mục bổ sung và mục nhập từ tệp: {n} (trong đó {imported} nhập từ tệp).",
              "en": "Ad-hoc and imported items: {n} ({imported} imported)."},
    "conflicts": {"vi": "{n} thay đổi đã lưu không còn khớp với các tệp (chưa được áp dụng):",
                  "en": "{n} stored changes no longer fit the files (not applied):"},
    "redundant": {"vi": "{n} thay đổi đã lưu nay trùng với các tệp (có thể bỏ):",
                  "en": "{n} stored changes now say what the files say (can be removed):"},
    "saved": {"vi": "Đã lưu: {what}.", "en": "Saved: {what}."},
    "reverted": {"vi": "Đã bỏ thay đổi: {what} trở lại như tệp.", "en": "Reverted: {what} is as the files say."},
    "exported": {"vi": "Đã ghi {n} tệp vào {dir}: danh mục trong {calendars} ([catalog] paths), bảng "
                       "[partners] trong {partners} (chép vào tệp cấu hình).",
                 "en": "Wrote {n} files to {dir}: the catalog in {calendars} ([catalog] paths), the [partners] "
                       "table in {partners} (copy it into the config)."},
    "import.head": {"vi": "{file}: năm kế hoạch {year} — {summary}.", "en": "{file}: plan year {year} — {summary}."},
    "import.new": {"vi": "Sẽ thêm ({n}):", "en": "To add ({n}):"},
    "import.exists": {"vi": "Đã có, không đổi ({n}):", "en": "Already there, unchanged ({n}):"},
    "import.error": {"vi": "Chưa hiểu được, không thêm ({n}):", "en": "Not understood, not added ({n}):"},
    "import.heading": {"vi": "Tiêu đề nhóm ({n}):", "en": "Section headings ({n}):"},
    "import.skipped": {"vi": "Bỏ qua ({n}):", "en": "Skipped ({n}):"},
    "import.ignored": {"vi": "Bảng bỏ qua:", "en": "Tables skipped:"},
    "import.dry": {"vi": "Chưa lưu gì. Xem lại rồi chạy lại với --apply để lưu.",
                   "en": "Nothing stored. Check, then run again with --apply to store."},
    "import.applied": {"vi": "Đã lưu: {events} sự kiện, {partners} đối tác.",
                       "en": "Stored: {events} events, {partners} partners."},
    "import.partner": {"vi": "đối tác, hạng {tier}", "en": "partner, tier {tier}"},
    "import.first": {"vi": "năm {year}: từ {start} đến hạn {due}", "en": "{year}: from {start}, due {due}"},
    "import.support": {"vi": "phối hợp", "en": "coordinating"},
    "picked_up": {"vi": "Dịch vụ đang chạy sẽ áp dụng trong vòng {s} giây.",
                  "en": "A running daemon applies it within {s} seconds."},
}


def _t(lang: str, key: str, **values: object) -> str:
    return lookup(TEXT, lang, key, **values)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "catalog", help="danh mục của tỉnh: thay đổi đã lưu (đối tác, sự kiện), xuất ra tệp",
        description="Các thay đổi biên tập viên lưu trong CSDL, áp lên tệp cấu hình và các tệp danh mục: "
                    "đối tác (hạng trong [partners]), sự kiện (tắt, đổi thời hạn/chủ trì/phối hợp, thêm việc). "
                    "Cũng làm được trên trang Danh mục.")
    csub = p.add_subparsers(dest="catalog_cmd", metavar="show|export|partner|override")
    csub.required = True

    s = csub.add_parser("show", help="các thay đổi đã lưu và những thay đổi không còn khớp với tệp; "
                                     "mã thoát 1 nếu có thay đổi không áp dụng được")
    s.add_argument("--json", action="store_true", help="in JSON")
    s.set_defaults(func=cmd_show)

    e = csub.add_parser(
        "export", help="ghi danh mục đang áp dụng (tệp + thay đổi đã lưu + mục bổ sung) ra TOML",
        description="Ghi danh mục đang áp dụng ra TOML mà `reminderd check` chấp nhận và lập kế hoạch y hệt. "
                    "Với --output THƯ_MỤC: THƯ_MỤC/calendars/ có một tệp cho mỗi tệp danh mục và bo-sung.toml cho "
                    "các mục bổ sung và mục nhập từ tệp; THƯ_MỤC/partners.toml là bảng [partners] đang áp dụng "
                    "(chép vào tệp cấu hình). "
                    "Không có --output: một tệp duy nhất ra màn hình, [partners] ở phần chú thích đầu tệp.")
    e.add_argument("--output", metavar="DIR", help="thư mục đích (tạo nếu chưa có; tệp trùng tên bị ghi đè)")
    e.set_defaults(func=cmd_export)

    pa = csub.add_parser("partner", help="đưa một nước vào một hạng đối tác, bỏ ra, hoặc trở lại như tệp cấu hình")
    pa.add_argument("country", metavar="COUNTRY", help="mã nước ISO hoặc tên tiếng Việt, ví dụ JP hoặc \"Nhật Bản\"")
    pa.add_argument("tier", metavar="TIER", nargs="?",
                    help="hạng, ví dụ regular hoặc local_cooperation; \"none\": không còn là đối tác")
    pa.add_argument("--revert", action="store_true", help="bỏ thay đổi đã lưu: như tệp cấu hình")
    pa.add_argument("--by", help="người thay đổi (mặc định: tên người dùng hệ thống)")
    pa.set_defaults(func=cmd_partner)

    o = csub.add_parser(
        "override", help="tắt một sự kiện, đổi một việc (thời hạn, chủ trì, phối hợp), thêm việc, hoặc bỏ thay đổi",
        description="EVENT_ID: cả sự kiện (--disable, --enable, --add-action). EVENT_ID/TASK_ID: một việc (--lead, "
                    "--owner, --support). --revert bỏ thay đổi đã lưu của sự kiện hoặc việc đó.")
    o.add_argument("target", metavar="EVENT_ID[/TASK_ID]")
    o.add_argument("--disable", action="store_true", help="tắt sự kiện ở tỉnh này")
    o.add_argument("--lead", help="thời hạn, ví dụ 10-15wd hoặc \"10-15 ngày làm việc\"; \"10 ngày\": ngày lịch")
    o.add_argument("--owner", metavar="DEPARTMENT", help="mã đơn vị chủ trì")
    o.add_argument("--support", metavar="DEPARTMENT", nargs="*", help="mã các đơn vị phối hợp (không có: bỏ hết)")
    o.add_argument("--add-action", metavar="TEXT", help="thêm một việc với nội dung này (cần --lead và --owner)")
    o.add_argument("--revert", action="store_true", help="bỏ thay đổi đã lưu: trở lại như tệp danh mục")
    o.add_argument("--by", help="người thay đổi (mặc định: tên người dùng hệ thống)")
    o.set_defaults(func=cmd_override)
    register_import(sub)


def register_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import", help="nhập bảng phụ lục kế hoạch (.xlsx, .csv, .docx): xem trước, --apply để lưu",
        description="Đọc bảng phụ lục của một kế hoạch (cột Nội dung/Nhiệm vụ, Thời gian, Đơn vị chủ trì, Đơn vị "
                    "phối hợp, Ghi chú; hoặc bảng Tên nước – Ngày Quốc khánh) và cho biết mỗi dòng thành sự kiện/việc "
                    "nào, với quy tắc ngày bằng lời, và dòng nào chưa hiểu được, vì sao. Không lưu gì nếu không có "
                    "--apply. Nhập lại cùng một tệp không thay đổi gì.")
    p.add_argument("file", metavar="FILE", help="tệp .xlsx, .csv hoặc .docx")
    p.add_argument("--year", type=year_arg, help="năm của kế hoạch (mặc định: năm trong tên tệp, năm các ô "
                                                 "thời gian ghi nhiều nhất, hoặc năm nay)")
    p.add_argument("--tier", default="regular", help="hạng đối tác cho bảng các nước (mặc định: regular)")
    p.add_argument("--apply", action="store_true", help="lưu các dòng mới (mặc định: chỉ xem trước)")
    p.add_argument("--json", action="store_true", help="in bản xem trước dạng JSON")
    p.add_argument("--by", help="người nhập (mặc định: tên người dùng hệ thống)")
    p.set_defaults(func=cmd_import)


def _context(args: argparse.Namespace) -> Context:
    """The files, the database and what is stored in it, like the daemon holds them."""
    from ..overlays import merge

    rt = load_runtime(config_path(args.config))
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: dt.datetime.now(dt.UTC))
    merge.refresh(ctx)
    return ctx


def _fail(problems: list[Problem]) -> int:
    for p in problems:
        print(f"reminderd: {p}", file=sys.stderr)
    return 1


def _local(ctx: Context, at: dt.datetime) -> str:
    return at.astimezone(ctx.config.tz).strftime("%d/%m/%Y %H:%M")


def describe(ctx: Context) -> tuple[list[str], dict[str, Any]]:
    """``catalog show``'s lines and JSON."""
    from ..overlays import edit

    lang = ctx.config.language
    m = edit.current(ctx)
    lines: list[str] = []
    data: dict[str, Any] = {"partners": [], "overrides": [], "items": len(m.stored.items),
                            "conflicts": [str(p) for p in m.conflicts], "redundant": [str(p) for p in m.redundant]}

    def tier_name(t: str | None) -> str:
        return t or _t(lang, "not_partner")

    if m.partners:
        lines.append(_t(lang, "partners", n=len(m.partners)))
    for c in m.partners:
        lines.append(_t(lang, "partner", code=c.country, name=countries.country_name(c.country, lang),
                        before=tier_name(c.file_tier), after=tier_name(c.tier), by=c.changed_by,
                        at=_local(ctx, c.changed_at)))
        data["partners"].append({"country": c.country, "file_tier": c.file_tier, "tier": c.tier,
                                 "changed_by": c.changed_by, "changed_at": c.changed_at.isoformat(),
                                 "problem": str(c.problem) if c.problem else None})
    if m.overrides:
        lines.append(_t(lang, "overrides", n=len(m.overrides)))
    for v in m.overrides:
        r = v.row
        what = f"{r.event_id}/{r.task_id}" if r.task_id else r.event_id
        common = {"what": what, "by": r.changed_by, "at": _local(ctx, r.changed_at)}
        if r.kind == "disable":
            lines.append(_t(lang, "disabled", **common))
        elif r.kind == "add":
            task = r.data["add"]
            lines.append(_t(lang, "added", action=task.get("action", ""), lead=task.get("lead", ""),
                            owner=ctx.config.department_name(task.get("owner", "")), **common))
        else:
            before = v.before or {}
            changes = "; ".join(f"{k}: {_show(before.get(k))} → {_show(x)}" for k, x in r.data["change"].items())
            lines.append(_t(lang, "changed", changes=changes, **common))
        data["overrides"].append({"event_id": r.event_id, "task_id": r.task_id, "kind": r.kind, "data": r.data,
                                  "changed_by": r.changed_by, "changed_at": r.changed_at.isoformat(),
                                  "problems": [str(p) for p in v.problems]})
    if m.stored.items:
        lines.append(_t(lang, "items", n=len(m.stored.items),
                        imported=sum(1 for i in m.stored.items if i.origin)))
    for key, problems in (("conflicts", m.conflicts), ("redundant", m.redundant)):
        if problems:
            lines.append(_t(lang, key, n=len(problems)))
            lines += [f"  {p}" for p in problems]
    if not lines:
        lines.append(_t(lang, "none"))
    return lines, data


def _show(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v) or "—"
    return str(v)


def cmd_show(args: argparse.Namespace) -> int:
    ctx = _context(args)
    try:
        lines, data = describe(ctx)
    finally:
        ctx.store.dispose()
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(lines) + "\n")
    return 1 if data["conflicts"] else 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..overlays import export
    from .common import with_stored

    rt = load_runtime(config_path(args.config))
    _, merged = with_stored(rt)
    if merged is None:
        from ..overlays import merge
        merged = merge.merge(rt, merge.Stored())
    day = today(rt.config)
    if not args.output:
        sys.stdout.write(export.one_document(merged, day))
        return 0
    out = Path(args.output)
    written = export.files(merged, day)
    try:
        for name, text in written.items():
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    except OSError as e:
        raise ReminderdError(f"{out}: không ghi được ({e.strerror or e})") from None
    print(_t(rt.config.language, "exported", n=len(written), dir=out, calendars=out / export.CALENDARS_DIR,
             partners=out / export.PARTNERS_FILE))
    return 0


def cmd_partner(args: argparse.Namespace) -> int:
    from ..importing.preview import country_code
    from ..overlays import edit

    ctx = _context(args)
    by = args.by or getpass.getuser()
    code = country_code(args.country) or args.country.strip().upper()  # "Nhật Bản" as well as "JP"
    try:
        if args.revert:
            problems = edit.revert_partner(ctx, code, by, "cli")
        elif args.tier is None:
            raise ReminderdError("cần TIER (ví dụ regular, local_cooperation, hoặc none) hoặc --revert")
        else:
            tier = None if args.tier.strip().lower() in ("none", "-", "") else args.tier.strip()
            problems = edit.set_partner(ctx, code, tier, by, "cli")
        if problems:
            return _fail(problems)
        lang = ctx.config.language
        what = f"{code} {countries.country_name(code, lang)}: {ctx.config.tier_of(code) or _t(lang, 'not_partner')}"
        print(_t(lang, "reverted" if args.revert else "saved", what=what))
        print(_t(lang, "picked_up", s=ctx.config.get("daemon", "dispatch_interval")))
    finally:
        ctx.store.dispose()
    return 0


def cmd_override(args: argparse.Namespace) -> int:
    from ..overlays import edit

    event_id, _, task_id = args.target.partition("/")
    ctx = _context(args)
    by = args.by or getpass.getuser()
    try:
        if args.revert:
            problems = edit.revert(ctx, event_id, task_id, by, "cli")
        elif args.disable:
            if task_id:
                raise ReminderdError("--disable tắt cả sự kiện: dùng EVENT_ID, không có /TASK_ID")
            problems = edit.disable_event(ctx, event_id, by, "cli")
        elif args.add_action:
            task: dict[str, Any] = {"id": task_id, "action": args.add_action, "lead": args.lead or "",
                                    "owner": args.owner or "", "support": args.support or []}
            problems = edit.add_task(ctx, event_id, task, by, "cli")
        else:
            if not task_id:
                raise ReminderdError(f"{args.target!r}: cần EVENT_ID/TASK_ID để đổi một việc "
                                     "(hoặc --disable, --add-action, --revert)")
            wanted: dict[str, Any] = {}
            if args.lead is not None:
                wanted["lead"] = args.lead
            if args.owner is not None:
                wanted["owner"] = args.owner
            if args.support is not None:
                wanted["support"] = list(args.support)
            if not wanted:
                raise ReminderdError("không có gì để đổi: cần --lead, --owner hoặc --support")
            problems = edit.change_task(ctx, event_id, task_id, wanted, by, "cli")
        if problems:
            return _fail(problems)
        lang = ctx.config.language
        print(_t(lang, "reverted" if args.revert else "saved", what=args.target))
        print(_t(lang, "picked_up", s=ctx.config.get("daemon", "dispatch_interval")))
    finally:
        ctx.store.dispose()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..importing import preview as imp
    from ..overlays import edit

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReminderdError(f"{path}: không đọc được tệp ({e.strerror or e})") from None
    ctx = _context(args)
    try:
        lang = ctx.config.language
        tiers = edit.tiers(ctx)
        if args.tier not in tiers:
            raise ReminderdError(f"--tier {args.tier!r}: không phải hạng nào; có: {', '.join(tiers)}")
        p = imp.build(path.name, data, ctx.runtime, imp.stored_ids(ctx), today=today(ctx.config),
                      year=args.year, tier=args.tier)
        if args.json:
            sys.stdout.write(json.dumps(p.to_json(), ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write("\n".join(import_lines(ctx, p, lang)) + "\n")
        if args.apply:
            done = imp.apply(ctx, p, args.by or getpass.getuser(), "import")
            print(_t(lang, "import.applied", **done), file=sys.stderr if args.json else sys.stdout)
            if done["events"] or done["partners"]:
                print(_t(lang, "picked_up", s=ctx.config.get("daemon", "dispatch_interval")),
                      file=sys.stderr if args.json else sys.stdout)
        elif not args.json:
            print(_t(lang, "import.dry"))
    finally:
        ctx.store.dispose()
    return 0


def import_lines(ctx: Context, p: Any, lang: str) -> list[str]:
    """The preview as text: what each row becomes, grouped; every row accounted for."""
    from ..importing import preview as imp

    cfg = ctx.config
    out = [_t(lang, "import.head", file=p.filename, year=p.year, summary=imp.summary(p, lang))]
    groups = imp.rows_by_status(p)
    for status in ("new", "exists", "error", "heading", "skipped"):
        rows = groups.get(status, [])
        if not rows:
            continue
        out += ["", _t(lang, f"import.{status}", n=len(rows))]
        for r in rows:
            where = r.where_en if lang == "en" else r.where
            text = (r.content or "").replace("\n", " ")
            if len(text) > 90:
                text = text[:90].rsplit(" ", 1)[0] + " …"
            if r.partner is not None and status in ("new", "exists"):
                code, tier = r.partner
                out.append(f"  {where}: {text} → {code} {countries.country_name(code, lang)}, "
                           + _t(lang, "import.partner", tier=tier))
            elif status in ("new", "exists") and r.event is not None:
                deps = ", ".join(cfg.department_name(o, lang) for o in r.owners)
                if r.supports:
                    deps += f"; {_t(lang, 'import.support')}: " + ", ".join(cfg.department_name(s, lang)
                                                                           for s in r.supports)
                out.append(f"  {where}: «{text}» → {r.event['id']}")
                out.append(f"      {deps}; {r.when.words(lang) if r.when else ''}")
                if r.first:
                    d, start, due = r.first
                    out.append("      " + _t(lang, "import.first", year=d.year, start=_day(start), due=_day(due)))
            else:
                out.append(f"  {where}: «{text}»" if text else f"  {where}")
            for m in r.reasons:
                out.append(f"      {m[1] if lang == 'en' else m[0]}")
            for m in r.notes:
                out.append(f"      {m[1] if lang == 'en' else m[0]}")
    if p.ignored:
        out += ["", _t(lang, "import.ignored")] + [f"  {m[1] if lang == 'en' else m[0]}" for m in p.ignored]
    return out


def _day(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"
