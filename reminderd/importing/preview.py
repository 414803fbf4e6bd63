"""A plan appendix → what it would add, row by row; stored only by :func:`apply`.

Each row of a task table becomes an event (stored like an ad-hoc item, with its origin)
with one task per lead department, or is listed with the reason it was not understood;
section headings, repeated headers and empty rows are listed as skipped, with why. Each
row of a country table (Phụ lục 01: *Tên nước*, *Ngày Quốc khánh*) puts that country in
the chosen ``[partners]`` tier unless it is a partner already.

An imported event's id comes from the row's content and the plan's year, so importing
the same file again finds every row already there and changes nothing.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import audit, countries
from ..adhoc import slug, source_for
from ..catalog import load_events_from_mapping
from ..context import Context
from ..model import EventRule
from ..occurrences import occurrence_in_year
from ..overlays import merge
from ..overlays import partners as pt
from ..plan import plan_task
from ..runtime import Runtime
from ..store import schema
from . import columns, readers
from .departments import Departments
from .text import fold, squash
from .timeexpr import NotUnderstood, When
from .timeexpr import parse as parse_time

Msg = tuple[str, str]  # (Vietnamese, English)
TITLE_MAX = 110
NATIONAL_DAY_TAG = "quoc-khanh"
_ROMAN = re.compile(r"^[IVXLC]+\.?$")


@dataclass
class Row:
    table: str
    line: int
    stt: str = ""
    content: str = ""
    time: str = ""
    owner: str = ""
    support: str = ""
    note: str = ""
    # new | exists | error (not understood) | heading | skipped (repeated header, empty)
    status: str = "error"
    event: dict[str, Any] | None = None  # the [[event]] table to store
    partner: tuple[str, str] | None = None  # (country, tier) to add to [partners]
    when: When | None = None
    first: tuple[dt.date, dt.date, dt.date] | None = None  # (event date, window start, due) first year
    owners: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()
    reasons: list[Msg] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.table}, dòng {self.line}" + (f" (STT {self.stt})" if self.stt else "")

    @property
    def where_en(self) -> str:
        return f"{self.table}, row {self.line}" + (f" (no. {self.stt})" if self.stt else "")


@dataclass
class Preview:
    filename: str
    year: int
    tier: str
    digest: str
    rows: list[Row] = field(default_factory=list)
    ignored: list[Msg] = field(default_factory=list)  # tables without a header, with why

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in ("new", "exists", "error", "heading", "skipped")}

    def to_json(self) -> dict[str, Any]:
        return {"file": self.filename, "year": self.year, "tier": self.tier, "sha256": self.digest,
                "counts": self.counts, "ignored": [m[0] for m in self.ignored],
                "rows": [{"table": r.table, "line": r.line, "stt": r.stt, "status": r.status,
                          "content": r.content, "time": r.time, "owner": r.owner, "support": r.support,
                          "event_id": r.event["id"] if r.event else None,
                          "partner": list(r.partner) if r.partner else None,
                          "date_rule": r.when.vi if r.when else None,
                          "date_rule_en": r.when.en if r.when else None,
                          "first": [d.isoformat() for d in r.first] if r.first else None,
                          "owners": list(r.owners), "supports": list(r.supports),
                          "reasons": [m[0] for m in r.reasons], "reasons_en": [m[1] for m in r.reasons],
                          "notes": [m[0] for m in r.notes], "notes_en": [m[1] for m in r.notes]}
                         for r in self.rows]}


def guess_year(filename: str, tables: Iterable[readers.Table], default: int) -> int:
    """The plan's year: from the file's name, else the year its time cells name most, else ``default``."""
    if m := re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", filename):
        return int(m[1])
    years: collections.Counter[int] = collections.Counter()
    for t in tables:
        for _, cells in t.rows:
            for c in cells:
                years.update(int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", c))
    return years.most_common(1)[0][0] if years else default


def build(filename: str, data: bytes, rt: Runtime, stored_ids: Iterable[str], *, today: dt.date,
          year: int | None = None, tier: str = "regular") -> Preview:
    """The preview of importing ``data`` (the file's bytes) into ``rt`` (files + stored changes).
    ``stored_ids``: the ad-hoc and imported items already stored. ReadError if unreadable."""
    tables = readers.read(filename, data)
    plan_year = year or guess_year(filename, tables, today.year)
    p = Preview(filename, plan_year, tier, hashlib.sha256(data).hexdigest())
    deps = Departments(rt.config)
    taken = {e.id for e in rt.catalog.events if not e.adhoc}
    stored = set(stored_ids)
    seen_ids: dict[str, Row] = {}
    for t in tables:
        found = None
        for i, (_, cells) in enumerate(t.rows[:20]):
            cols = columns.header(cells)
            if cols is not None:
                found = (i, cols)
                break
        if found is None:
            p.ignored.append((f"{t.name}: không thấy dòng tiêu đề (cần cột Nội dung/Nhiệm vụ cùng cột Thời gian "
                              "hoặc Chủ trì; hoặc cột Tên nước và Ngày Quốc khánh); bảng bị bỏ qua",
                              f"{t.name}: no header row (a Nội dung/Nhiệm vụ column with Thời gian or Chủ trì; "
                              "or Tên nước and Ngày Quốc khánh); table skipped"))
            continue
        start, cols = found
        head = t.rows[start][1]
        kind = columns.kind(cols)
        for line, cells in t.rows[start + 1:]:
            def get(name: str, cells: list[str] = cells, cols: dict[str, int] = cols) -> str:
                i = cols.get(name)
                return cells[i].strip() if i is not None and i < len(cells) else ""

            row = Row(t.name, line, stt=get("stt"))
            p.rows.append(row)
            if not any(c.strip() for c in cells):
                row.status = "skipped"
                row.reasons.append(("dòng trống", "empty row"))
                continue
            if columns.same_header(cells, head):
                row.status = "skipped"
                row.reasons.append(("dòng tiêu đề lặp lại (bảng sang trang mới)", "the header repeated (a new page)"))
                continue
            if kind == "countries":
                _country_row(row, get("country"), get("national_day"), rt, plan_year, tier)
                continue
            row.content, row.time = get("content"), get("time")
            row.owner, row.support, row.note = get("owner"), get("support"), get("note")
            _task_row(row, rt, deps, plan_year, filename, taken)
            if row.event is not None:
                eid = row.event["id"]
                if eid in seen_ids:
                    row.status = "skipped"
                    row.event = None
                    row.reasons.append((f"trùng với {seen_ids[eid].where}", f"the same as {seen_ids[eid].where_en}"))
                    continue
                seen_ids[eid] = row
                row.status = "exists" if eid in stored else "new"
    if not p.rows and p.ignored:
        raise readers.ReadError(f"{filename}: " + "; ".join(m[0] for m in p.ignored))
    return p


def _task_row(row: Row, rt: Runtime, deps: Departments, year: int, filename: str, taken: set[str]) -> None:
    cfg = rt.config
    if not row.content:
        row.reasons.append(("không có nội dung nhiệm vụ", "no task text"))
        return
    if not row.owner and not row.time and (_ROMAN.match(row.stt) or row.content.upper() == row.content):
        row.status = "heading"
        row.reasons.append((f"tiêu đề nhóm «{row.content}», không phải nhiệm vụ",
                            f"a section heading «{row.content}», not a task"))
        return
    when = parse_time(row.time, year)
    if isinstance(when, NotUnderstood):
        row.reasons.append((when.vi, when.en))
    else:
        row.when = when
        if when.assumed_vi:
            row.notes.append((f"giả định: {when.assumed_vi}", f"assumed: {when.assumed_en}"))
    owners = deps.match(row.owner) if row.owner else None
    names = ", ".join(d.name for d in cfg.departments)
    if owners is None or not owners.ids:
        row.reasons.append((f"không nhận ra đơn vị chủ trì «{row.owner}» trong cấu hình (có: {names})"
                            if row.owner else "không có đơn vị chủ trì",
                            f"no configured department found in «{row.owner}»" if row.owner else "no lead department"))
    else:
        row.owners = owners.ids
    support = deps.match(row.support) if row.support else None
    if support is not None:
        row.supports = tuple(s for s in support.ids if s not in row.owners)
    if row.reasons:
        return
    assert isinstance(when, When) and owners is not None
    extra_owners = list(owners.unknown)
    extra_support = list(support.unknown) if support is not None else []
    generic_support = [r for r in support.rest if r not in extra_support] if support is not None else []
    note_parts = []
    if extra_owners:
        note_parts.append("Chủ trì cùng (ngoài danh sách đơn vị): " + "; ".join(extra_owners))
        row.notes.append(("chủ trì cùng, không phải đơn vị trong cấu hình (ghi vào ghi chú): "
                          + "; ".join(extra_owners),
                          "also leading, not configured departments (kept in the note): " + "; ".join(extra_owners)))
    if extra_support or generic_support:
        note_parts.append("Phối hợp: " + "; ".join(extra_support + generic_support))
    if extra_support:
        row.notes.append(("phối hợp, không phải đơn vị trong cấu hình (ghi vào ghi chú): " + "; ".join(extra_support),
                          "coordinating, not configured departments (kept in the note): " + "; ".join(extra_support)))
    if row.note:
        note_parts.append(f"Ghi chú: {row.note}")
    h = hashlib.sha256(json.dumps([fold(row.content), fold(row.time), fold(row.owner), fold(row.support), year],
                                  ensure_ascii=False).encode()).hexdigest()[:6]
    event_id = f"nk-{year}-{slug(row.content)[:32].strip('-')}-{h}"
    title = row.content.replace("\n", " ")
    if len(title) > TITLE_MAX:
        title = title[:TITLE_MAX].rsplit(" ", 1)[0] + " …"
    origin = f"{filename}, {row.where}"
    raw: dict[str, Any] = {
        "id": event_id, "title": title, **when.fields(), "tags": [f"ke-hoach-{year}"],
        "description": f"Nhập từ {origin}. Thời gian ghi trong bảng: «{row.time}» → {when.vi}.",
        "source": origin,
        "task": [{"id": "thuc-hien" if len(row.owners) == 1 else f"chu-tri-{o}",
                  "action": row.content.replace("\n", " "), "lead": when.lead, "owner": o,
                  **({"support": list(row.supports)} if row.supports else {}),
                  **({"note": ". ".join(note_parts)} if note_parts else {})} for o in row.owners],
    }
    ev, problems = load_events_from_mapping(raw, source_for(event_id), cfg, taken)
    errors = [p for p in problems if not p.warning]
    if ev is None or errors:
        row.reasons += [(f"{p.key}: {p.message}", f"{p.key}: {p.message}") for p in errors]
        return
    row.event = raw
    row.first = _first(ev, rt, year)


def _first(ev: EventRule, rt: Runtime, year: int) -> tuple[dt.date, dt.date, dt.date] | None:
    """The first occurrence from the plan's year on: (event date, window start, due of the first task)."""
    for y in range(year, year + 3):
        occ = occurrence_in_year(ev, y)
        if occ is not None and ev.tasks:
            t = plan_task(ev.tasks[0], occ, rt.workdays)
            return occ.date, t.window_start, t.due
    return None


def country_code(name: str) -> str | None:
    """'Nhật Bản', 'Cu Ba', 'Italia', 'Hoa Kỳ', 'Liên bang Nga' → their ISO code."""
    key = squash(re.sub(r"\(.*?\)", "", name))
    if not key:
        return None
    if re.fullmatch(r"[a-z]{2}", key) and key.upper() in countries.VI:
        return key.upper()
    for table in (countries.VI, countries.OFFICIAL_VI, countries.EN, countries.OFFICIAL_EN):
        for code, n in table.items():
            if squash(n) == key:
                return code
    return None


def _national_day(rt: Runtime, code: str, year: int) -> dt.date | None:
    for ev in rt.catalog.events:
        if ev.country == code and NATIONAL_DAY_TAG in ev.tags:
            occ = occurrence_in_year(ev, year)
            if occ is not None:
                return occ.date
    return None


def _country_row(row: Row, name: str, day: str, rt: Runtime, year: int, tier: str) -> None:
    row.content, row.time = name, day
    if not name:
        row.reasons.append(("không có tên nước", "no country name"))
        return
    code = country_code(name)
    if code is None or code == "VN":
        row.reasons.append((f"không nhận ra nước «{name}» (tên tiếng Việt như trong danh mục, ví dụ "
                            "\"Nhật Bản\", \"Hàn Quốc\"; hoặc mã ISO như \"JP\")",
                            f"country «{name}» not recognised (its Vietnamese name as in the catalog, e.g. "
                            "\"Nhật Bản\"; or its ISO code such as \"JP\")"))
        return
    row.owners = ()
    current = rt.config.tier_of(code)
    ours = _national_day(rt, code, year)
    m = re.match(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})", day)
    if ours is not None and m and (int(m[1]), int(m[2])) != (ours.day, ours.month):
        row.notes.append((f"bảng ghi {m[1]}/{m[2]}, danh mục ghi Quốc khánh {countries.country_name(code)} năm {year} "
                          f"là {ours.day:02d}/{ours.month:02d}; lịch theo danh mục — kiểm tra lại nếu cần",
                          f"the table says {m[1]}/{m[2]}, the catalog has {countries.country_name(code, 'en')}'s "
                          f"national day {year} on {ours.day:02d}/{ours.month:02d}; the catalog's date is used"))
    elif ours is None:
        row.notes.append(("danh mục chưa có Quốc khánh của nước này: sẽ không có thư chúc mừng",
                          "the catalog has no national day for this country: no letter will be planned"))
    row.partner = (code, current or tier)
    if current is not None:
        row.status = "exists"
        row.notes.append((f"đã là đối tác (hạng {current}); không đổi", f"already a partner ({current}); unchanged"))
    else:
        row.status = "new"


# ---- storing ------------------------------------------------------------------------------


def apply(ctx: Context, p: Preview, by: str, via: str = "import") -> dict[str, int]:
    """Store the preview's new rows (events like ad-hoc items, partners), each with its audit
    entry, in one transaction; then merge them in. Rows stored meanwhile are left alone."""
    now = ctx.now()
    added = partners = 0
    t = schema.adhoc_events
    with ctx.swap_lock:
        with ctx.store.engine.begin() as conn:
            alive = {r.event_id for r in conn.execute(t.select().where(t.c.deleted_at.is_(None)))}
            for row in p.rows:
                if row.status != "new":
                    continue
                if row.event is not None and row.event["id"] not in alive:
                    eid = row.event["id"]
                    origin = f"{p.filename}, {row.where}"
                    conn.execute(t.delete().where(t.c.event_id == eid, t.c.deleted_at.is_not(None)))
                    conn.execute(t.insert().values(event_id=eid, data=json.dumps(row.event, ensure_ascii=False),
                                                   created_by=by, created_at=now, origin=origin[:512]))
                    audit.record(conn, at=now, actor=by, via=via, action="import.apply", subject=origin,
                                 event_id=eid, after=row.event, note=f"sha256 {p.digest[:16]}")
                    alive.add(eid)
                    added += 1
                elif row.partner is not None:
                    code, tier = row.partner
                    assert ctx.base_runtime is not None
                    file_tier = pt.tier_in(ctx.base_runtime.config.partners, code)
                    before = pt.tier_in(ctx.config.partners, code)
                    if before is None and pt.write(conn, country=code, tier=tier, file_tier=file_tier,
                                                   before=before, by=by, via=via, now=now):
                        partners += 1
        if added or partners:
            merge.refresh(ctx)
    return {"events": added, "partners": partners}


def stored_ids(ctx: Context) -> set[str]:
    from ..adhoc import list_items

    return {i.event_id for i in list_items(ctx.store)}


def summary(p: Preview, lang: str) -> str:
    c = p.counts
    if lang == "en":
        return (f"{c['new']} new, {c['exists']} already there, {c['error']} not understood, "
                f"{c['heading']} headings, {c['skipped']} skipped")
    return (f"{c['new']} mới, {c['exists']} đã có, {c['error']} chưa hiểu được, {c['heading']} tiêu đề nhóm, "
            f"{c['skipped']} bỏ qua")


def tiers_for(rt: Runtime) -> list[str]:
    return pt.known_tiers(rt.config, rt.catalog)


def rows_by_status(p: Preview) -> Mapping[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for r in p.rows:
        out.setdefault(r.status, []).append(r)
    return out
