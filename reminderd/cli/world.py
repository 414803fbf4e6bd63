"""countries: the shipped world — each country's national day, diplomatic relations, [partners] tier.

Everything is read from the loaded catalog, not from a table of its own: a country has a
national day when some event with a ``country`` carries the tag ``quoc-khanh``, and a
diplomatic-relations date when some event carries the tag ``ky-niem-quan-he-ngoai-giao``
(the date is that event's ``since``). So a province that adds its own events sees them here,
and ``--missing`` says what the catalog still lacks. The reference list of countries is
``countries.VI`` (the UN member states, the Holy See and Palestine) without Viet Nam itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import countries
from ..catalog import NATIONAL_DAY_TAG, Catalog
from ..config import Config, config_path
from ..i18n import lookup, t
from ..model import EventRule, Occurrence
from ..occurrences import occurrence_in_year
from ..plan import why_inactive
from ..runtime import Runtime, load_runtime
from .common import today, with_stored, year_arg

STORED_NOTE = {"note": {
    "vi": "* hạng đã đổi trên trang Danh mục (lưu trong CSDL, áp lên [partners] của tệp cấu hình); "
          "xem `reminderd catalog show`.",
    "en": "* tier changed on the Catalog page (stored in the database, laid over the config's "
          "[partners]); see `reminderd catalog show`."}}
RELATIONS_TAG = "ky-niem-quan-he-ngoai-giao"
HOME = "VN"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "countries", help="các nước trong danh mục: Quốc khánh, quan hệ ngoại giao, hạng đối tác",
        description="Liệt kê từng nước: mã, tên, ngày Quốc khánh năm nay, ngày thiết lập quan hệ ngoại giao "
                    "với Việt Nam và hạng trong [partners] của cấu hình. Dữ liệu lấy từ danh mục đã nạp: sự kiện "
                    "có country và nhãn \"quoc-khanh\" hoặc \"ky-niem-quan-he-ngoai-giao\". Với --missing: "
                    "các nước còn thiếu; mã thoát 1 nếu một mã nước trong [partners] không có Quốc khánh.")
    p.add_argument("--year", type=year_arg, help="năm để tính ngày Quốc khánh (mặc định: năm nay)")
    p.add_argument("--partners", action="store_true", help="chỉ các nước có trong [partners] của cấu hình")
    p.add_argument("--missing", action="store_true",
                   help="liệt kê nước chưa có Quốc khánh, chưa có ngày quan hệ ngoại giao trong danh mục, "
                        "và mã nước trong [partners] không có Quốc khánh (khi đó mã thoát 1)")
    p.add_argument("--alternatives", action="store_true",
                   help="các nước có nhiều ngày Quốc khánh để chọn: ngày mặc định, các ngày thay thế và ngày "
                        "tỉnh chọn trong [national_days] của cấu hình")
    p.add_argument("--json", action="store_true", help="in JSON")
    p.set_defaults(func=cmd_countries)


# Strings of this command that the shared table does not have.
_STRINGS: dict[str, dict[str, str]] = {
    "alt.head": {"vi": "Nước có nhiều ngày Quốc khánh để chọn ({n}); chọn trong [national_days] của cấu hình, "
                       "ví dụ KR = \"quoc-khanh-kr-giai-phong\":",
                 "en": "Countries with more than one national day to choose from ({n}); choose in the config's "
                       "[national_days], e.g. KR = \"quoc-khanh-kr-giai-phong\":"},
    "alt.default": {"vi": "mặc định", "en": "default"},
    "alt.alternative": {"vi": "thay thế", "en": "alternative"},
    "alt.chosen": {"vi": "← tỉnh chọn", "en": "← chosen"},
    "alt.in_use": {"vi": "← đang dùng", "en": "← in use"},
}


def _t(lang: str, key: str, **values: object) -> str:
    return lookup(_STRINGS, lang, key, **values)


# ---- the world as the catalog knows it ---------------------------------------------------


@dataclass(frozen=True)
class CountryRow:
    code: str
    name: str
    national_day_event: str | None
    national_day: dt.date | None
    relations_event: str | None
    relations: dt.date | None
    tiers: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "national_day": self.national_day.isoformat() if self.national_day else None,
            "national_day_event": self.national_day_event,
            "relations": self.relations.isoformat() if self.relations else None,
            "relations_event": self.relations_event,
            "tiers": list(self.tiers),
        }


def reference_codes() -> list[str]:
    """The countries every province may deal with: UN members, the Holy See, Palestine (not VN)."""
    return sorted(c for c in countries.VI if c != HOME)


def events_by_country(catalog: Catalog, tag: str) -> dict[str, EventRule]:
    """The first event (in catalog order) with ``tag`` for each country."""
    out: dict[str, EventRule] = {}
    for ev in catalog.events:
        if ev.country and tag in ev.tags and ev.country not in out:
            out[ev.country] = ev
    return out


def national_day_in(catalog: Catalog, cfg: Config, code: str, year: int
                    ) -> tuple[EventRule | None, Occurrence | None]:
    """The national-day event of country ``code`` in force in ``year`` for this province, and its
    occurrence: of the events with that country and tag ``quoc-khanh`` that the province uses (its
    [national_days] choice, else the catalog's defaults — whatever its [partners]), the one with a date
    that year (Japan 2018: the Emperor Akihito's birthday; 2019: the Enthronement). With no date that
    year: the rule in force now (the first in catalog order), and None."""
    mine = [e for e in catalog.events if e.country == code and NATIONAL_DAY_TAG in e.tags
            and why_inactive(e, cfg) not in ("not_chosen", "alternative")]
    for ev in mine:
        occ = occurrence_in_year(ev, year)
        if occ is not None:
            return ev, occ
    return (mine[0] if mine else None), None


def relations_date(ev: EventRule | None, code: str) -> dt.date | None:
    """The day relations were established: the event's ``since``; else countries.RELATIONS if any."""
    if ev is not None and ev.since is not None:
        return ev.since
    table: dict[str, str] = getattr(countries, "RELATIONS", {})
    text = table.get(code)
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def partner_tiers(cfg: Config) -> dict[str, tuple[str, ...]]:
    """Country code → the [partners] tiers it is in (the config allows one; shown as a list)."""
    out: dict[str, list[str]] = {}
    for tier, codes in cfg.partners.items():
        for c in codes:
            out.setdefault(c, []).append(tier)
    return {c: tuple(tiers) for c, tiers in out.items()}


def partners_without_national_day(cfg: Config, catalog: Catalog) -> list[tuple[str, str]]:
    """(tier, code) for each [partners] code that no national-day event names, in config order."""
    have = events_by_country(catalog, NATIONAL_DAY_TAG)
    return [(tier, c) for tier, codes in cfg.partners.items() for c in codes if c not in have]


def partner_warnings(rt: Runtime) -> list[str]:
    """``check``'s warnings: a partner without a national day gets no national-day letter."""
    lang = rt.config.language
    return [f"{rt.config.path}: " + t(lang, "world.partner_without_national_day", tier=tier, code=code,
                                        name=countries.country_name(code, lang))
            for tier, code in partners_without_national_day(rt.config, rt.catalog)]


def world_rows(rt: Runtime, year: int, only_partners: bool = False) -> list[CountryRow]:
    cfg, lang = rt.config, rt.config.language
    national = events_by_country(rt.catalog, NATIONAL_DAY_TAG)
    relations = events_by_country(rt.catalog, RELATIONS_TAG)
    tiers = partner_tiers(cfg)
    codes: Iterable[str] = (tiers if only_partners
                            else set(reference_codes()) | set(national) | set(relations) | set(tiers))
    rows = []
    for code in sorted(codes):
        nev, occ = national_day_in(rt.catalog, cfg, code, year) if code in national else (None, None)
        rev = relations.get(code)
        rows.append(CountryRow(code=code, name=countries.country_name(code, lang),
                               national_day_event=nev.id if nev else None,
                               national_day=occ.date if occ else None,
                               relations_event=rev.id if rev else None,
                               relations=relations_date(rev, code), tiers=tiers.get(code, ())))
    return rows


@dataclass(frozen=True)
class Missing:
    national_day: list[str]      # reference countries without a national-day event
    relations: list[str]         # reference countries without a relations anniversary
    partners: list[tuple[str, str]]  # (tier, code) in [partners] without a national-day event


def find_missing(rt: Runtime) -> Missing:
    national = events_by_country(rt.catalog, NATIONAL_DAY_TAG)
    relations = events_by_country(rt.catalog, RELATIONS_TAG)
    ref = reference_codes()
    # A country Viet Nam has no relations with (the Holy See) is not a gap.
    no_relations: dict[str, str] = getattr(countries, "NO_RELATIONS", {})
    return Missing(national_day=[c for c in ref if c not in national],
                   relations=[c for c in ref if c not in relations and c not in no_relations],
                   partners=partners_without_national_day(rt.config, rt.catalog))


# ---- output ------------------------------------------------------------------------------


def _date(lang: str, d: dt.date | None) -> str:
    if d is None:
        return "—"
    return d.isoformat() if lang == "en" else f"{d.day:02d}/{d.month:02d}/{d.year}"


def cmd_countries(args: argparse.Namespace) -> int:
    rt, merged = with_stored(load_runtime(config_path(args.config)))
    lang = rt.config.language
    if args.missing:
        return _print_missing(rt, find_missing(rt), args.json)
    if args.alternatives:
        return _print_alternatives(rt, args.year or today(rt.config).year, args.json)
    year = args.year or today(rt.config).year
    rows = world_rows(rt, year, only_partners=args.partners)
    # Tiers changed on the page (stored in the database) are marked, with what the config file says.
    changed = {c.country: c for c in (merged.partners if merged is not None else ()) if c.problem is None}
    if args.json:
        json.dump([r.as_json() | {"stored_change": {"config_file_tier": changed[r.code].file_tier,
                                                   "changed_by": changed[r.code].changed_by,
                                                   "changed_at": changed[r.code].changed_at.isoformat()}
                                  if r.code in changed else None} for r in rows],
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    head = (t(lang, "world.col.code"), t(lang, "world.col.country"),
            t(lang, "world.col.national_day", year=year), t(lang, "world.col.relations"),
            t(lang, "world.col.tiers"))
    table = [(r.code, r.name, _date(lang, r.national_day), _date(lang, r.relations),
              ", ".join(r.tiers) + (" *" if r.code in changed else "")) for r in rows]
    widths = [max(len(r[i]) for r in [head, *table]) for i in range(4)]
    for r in [head, *table]:
        print(("  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]).rstrip())
    print()
    print(t(lang, "world.count", n=len(rows), national=sum(1 for r in rows if r.national_day_event),
            relations=sum(1 for r in rows if r.relations is not None),
            partners=sum(1 for r in rows if r.tiers)))
    if any(r.code in changed for r in rows):
        print(lookup(STORED_NOTE, lang, "note"))
    return 0


def _print_missing(rt: Runtime, missing: Missing, as_json: bool) -> int:
    lang = rt.config.language
    rc = 1 if missing.partners else 0

    def named(code: str) -> dict[str, str]:
        return {"code": code, "name": countries.country_name(code, lang)}

    if as_json:
        json.dump({"national_day": [named(c) for c in missing.national_day],
                   "relations": [named(c) for c in missing.relations],
                   "partners_without_national_day": [{**named(c), "tier": tier} for tier, c in missing.partners]},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
        return rc
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        ("world.missing.national_day", [(c, "") for c in missing.national_day]),
        ("world.missing.relations", [(c, "") for c in missing.relations]),
        ("world.missing.partners", [(c, tier) for tier, c in missing.partners]),
    ]
    for i, (key, items) in enumerate(sections):
        if i:
            print()
        print(t(lang, key, n=len(items)))
        if not items:
            print(t(lang, "world.missing.none"))
        unknown: dict[str, str] = getattr(countries, "RELATIONS_UNKNOWN", {}) if key.endswith("relations") else {}
        for code, tier in items:
            note = f"  — {unknown[code]}" if code in unknown and lang != "en" else ""
            print(f"  {code}  {countries.country_name(code, lang)}" + (f"  [partners] {tier}" if tier else "") + note)
    return rc


def alternatives(rt: Runtime, year: int) -> dict[str, list[tuple[EventRule, Occurrence | None, str]]]:
    """Country → its national-day choices: (event, its date in ``year``, "default"/"alternative"),
    for the countries whose catalog offers an alternative."""
    out: dict[str, list[tuple[EventRule, Occurrence | None, str]]] = {}
    offered = {e.country for e in rt.catalog.events if e.alternative and e.country}
    for ev in rt.catalog.events:
        if ev.country in offered and NATIONAL_DAY_TAG in ev.tags:
            kind = "alternative" if ev.alternative else "default"
            out.setdefault(ev.country, []).append((ev, occurrence_in_year(ev, year), kind))
    return dict(sorted(out.items()))


def _print_alternatives(rt: Runtime, year: int, as_json: bool) -> int:
    cfg, lang = rt.config, rt.config.language
    alts = alternatives(rt, year)
    in_use = {code: national_day_in(rt.catalog, cfg, code, year)[0] for code in alts}
    if as_json:
        json.dump([{"code": code, "name": countries.country_name(code, lang),
                    "chosen": cfg.national_days.get(code),
                    "choices": [{"event": ev.id, "kind": kind, "title": ev.title,
                                 "date": occ.date.isoformat() if occ else None,
                                 "in_use": in_use[code] is ev} for ev, occ, kind in items]}
                   for code, items in alts.items()], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(_t(lang, "alt.head", n=len(alts)))
    for code, items in alts.items():
        print(f"  {code}  {countries.country_name(code, lang)}")
        for ev, occ, kind in items:
            mark = ""
            if in_use[code] is ev:
                mark = "  " + _t(lang, "alt.chosen" if cfg.national_days.get(code) == ev.id else "alt.in_use")
            print(f"      {ev.id}  {_date(lang, occ.date if occ else None)}  ({_t(lang, 'alt.' + kind)}) "
                  f"{ev.title}{mark}")
    return 0
