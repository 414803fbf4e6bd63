"""The generated national-day and diplomatic-relations tables (tools/gen_national_days.py).

Internally consistent, one date per year wherever a rule is active, in step with the `holidays`
package wherever it knows the day, and the shipped files up to date with the generator.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import importlib.util
import re
import sys
import warnings
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import holidays
import pytest

from reminderd import countries
from reminderd.catalog import Catalog, load_catalog
from reminderd.config import load_config
from reminderd.model import EventRule
from reminderd.occurrences import occurrence_in_year

from .conftest import ROOT

YEARS = range(1950, 2101)
NATIONAL = ROOT / "calendars" / "quoc-khanh.toml"
RELATIONS = ROOT / "calendars" / "quan-he-ngoai-giao.toml"
GENERATOR = ROOT / "tools" / "gen_national_days.py"
_PKG_SOURCE = re.compile(r'gói holidays: ([A-Z]{2}) "([^"]+)"')


@functools.cache
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_national_days", GENERATOR)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@functools.cache
def catalog(path: Path) -> Catalog:
    # One file alone: the example's [national_days] choices may name events of another file.
    cfg = dataclasses.replace(load_config(ROOT / "config" / "reminderd.toml"), national_days={})
    return load_catalog(cfg, [path])


def national() -> tuple[EventRule, ...]:
    return catalog(NATIONAL).events


def relations() -> tuple[EventRule, ...]:
    return catalog(RELATIONS).events


def active_years(ev: EventRule) -> range:
    """The years in 1950–2100 in which the rule should give a date: start..until, from the first
    anniversary of since (the day itself is not an anniversary: no "0 năm")."""
    lo = max(YEARS.start, ev.start or YEARS.start, ev.since.year + 1 if ev.since else YEARS.start)
    hi = min(YEARS.stop - 1, ev.until or YEARS.stop - 1)
    return range(lo, hi + 1)


def the_date(event_id: str, year: int, path: Path = NATIONAL) -> dt.date:
    occ = occurrence_in_year(catalog(path).event(event_id), year)
    assert occ is not None, (event_id, year)
    return occ.date


def in_force(cc: str, year: int) -> EventRule:
    """The national-day rule of country ``cc`` active in ``year`` (exactly one)."""
    found = [e for e in national() if e.country == cc and year in active_years(e) and not e.alternative]
    assert len(found) == 1, (cc, year, [e.id for e in found])
    return found[0]


# --- the tables --------------------------------------------------------------------------------


def test_codes_are_iso_and_named_everywhere():
    iso = set(holidays.list_supported_countries()) | {"VN"}
    tables = {"VI": countries.VI, "EN": countries.EN, "OFFICIAL_VI": countries.OFFICIAL_VI,
              "OFFICIAL_EN": countries.OFFICIAL_EN}
    for name, table in tables.items():
        assert set(table) == set(countries.VI), name
        assert all(re.fullmatch(r"[A-Z]{2}", c) and c in iso for c in table), name
        assert all(v.strip() == v and v for v in table.values()), name
    used = {e.country for e in national() + relations()} | set(countries.RELATIONS) \
        | set(countries.NATIONAL_DAY_EVENT)
    assert None not in used and used <= set(countries.VI) - {"VN"}
    assert len(countries.VI) == 195  # 193 UN members, Palestine, the Holy See
    assert countries.OFFICIAL_VI["CN"] == "Cộng hòa Nhân dân Trung Hoa"
    assert countries.OFFICIAL_EN["CN"] == "People's Republic of China"
    assert countries.official_name("LA") == "Cộng hòa Dân chủ Nhân dân Lào"
    assert countries.official_name("KR", "en") == "Republic of Korea"
    assert countries.country_name("JP", "en") == "Japan" and countries.country_name("XX") == "XX"


def test_every_national_day_event_is_complete():
    ids = [e.id for e in national()]
    assert len(ids) == len(set(ids))
    assert {e.country for e in national()} == set(countries.VI) - {"VN"}
    for e in national():
        assert e.id.startswith(f"quoc-khanh-{e.country.lower()}"), e.id  # type: ignore[union-attr]
        assert e.title_en and e.reference and "quoc-khanh" in e.tags, e.id
        assert {t.tier for t in e.tasks} == {"regular", "local_cooperation"}, e.id
        for t in e.tasks:
            raw = t.action  # the catalog was loaded in Vietnamese; the English is checked in the file itself
            assert raw and "Chủ tịch UBND tỉnh" in raw, e.id
    text = NATIONAL.read_text(encoding="utf-8")
    assert text.count("action_en = ") == text.count("[[event.task]]") == 2 * len(ids)
    assert text.count("title_en = ") == text.count("source = ") == len(ids)
    # The events of the rules in force keep their historical ids, one per country.
    assert {c: f"quoc-khanh-{c.lower()}" for c in countries.VI if c != "VN"} == countries.NATIONAL_DAY_EVENT
    for cc, ids_of in countries.NATIONAL_DAY_EVENTS.items():
        assert ids_of[0] == countries.NATIONAL_DAY_EVENT[cc]
        assert {e.id for e in national() if e.country == cc} == set(ids_of)


# Years without a national day, and why: the Holy See's is the anniversary of the reigning Pope's
# election, and in a year a Pope is elected there is none yet (2005: John Paul II died before his
# anniversary, Benedict XVI was elected on 19/4; 2013: Benedict XVI resigned before his, Francis was
# elected on 13/3).
KNOWN_GAPS = {"VA": {2005, 2013}}


def test_splits_neither_overlap_nor_leave_gaps():
    by_country: dict[str, list[EventRule]] = defaultdict(list)
    for e in national():
        if not e.alternative:  # a province's choice instead of the default: not part of the sequence
            by_country[e.country].append(e)  # type: ignore[index]
    split = {cc for cc, evs in by_country.items() if len(evs) > 1}
    assert {"TH", "JP", "NL", "KZ", "HR"} <= split
    for cc, evs in by_country.items():
        years: list[int] = []
        for e in evs:
            years.extend(active_years(e))
        assert len(years) == len(set(years)), f"{cc}: rules overlap"
        assert years, cc
        gaps = set(range(min(years), YEARS.stop)) - set(years)
        assert gaps == KNOWN_GAPS.get(cc, set()), f"{cc}: gap between its rules: {sorted(gaps)}"
        current = next(e for e in evs if e.id == countries.NATIONAL_DAY_EVENT[cc])
        assert YEARS.stop - 1 in active_years(current) or cc == "NP", cc  # the rule in force reaches 2100


@pytest.mark.parametrize("path", [NATIONAL, RELATIONS], ids=["national", "relations"])
def test_exactly_one_date_in_every_active_year(path):
    for e in catalog(path).events:
        for y in active_years(e):
            occ = occurrence_in_year(e, y)
            assert occ is not None, f"{e.id}: no date in {y}"
            assert occ.date.year == y, (e.id, y, occ.date)
            if e.since is not None:
                assert occ.date >= e.since and occ.ordinal == y - e.since.year, (e.id, y)


def test_relations_table():
    evs = relations()
    ids = [e.id for e in evs]
    assert len(ids) == len(set(ids)) and len({e.country for e in evs}) == len(evs)
    assert {e.country: e.since.isoformat() for e in evs} == countries.RELATIONS  # type: ignore[union-attr]
    assert {e.country: e.id for e in evs} == countries.RELATIONS_EVENT
    assert set(countries.RELATIONS) >= countries.RELATIONS_UNVERIFIED
    assert len(evs) >= 140
    gen = generator()
    known, missing, none = set(countries.RELATIONS), set(gen.RELATIONS_MISSING), set(gen.NO_RELATIONS)
    assert not (known & missing) and not (known & none) and not (missing & none)
    assert known | missing | none == set(countries.VI) - {"VN"}  # every country accounted for
    for e in evs:
        assert e.id == f"ky-niem-quan-he-ngoai-giao-{e.country.lower()}"  # type: ignore[union-attr]
        assert e.tags == ("ky-niem-quan-he-ngoai-giao",) and e.since is not None and e.title_en and e.reference
        assert e.date == e.since.strftime("%m-%d")
        assert {(t.id, t.tier, t.lead.text) for t in e.tasks} == {
            ("thu-chuc-mung", "regular", "5-7wd"), ("thu-chuc-mung-dia-phuong", "local_cooperation", "10-15wd"),
            ("ke-hoach-hoat-dong", "local_cooperation", "40-60wd")}
        assert all(t.when == "milestone" for t in e.tasks)
        # never before the relations existed
        assert occurrence_in_year(e, e.since.year - 1) is None
        assert occurrence_in_year(e, e.since.year) is None  # the day itself is no anniversary
        assert occurrence_in_year(e, e.since.year + 1).ordinal == 1  # type: ignore[union-attr]


def test_hand_written_relations_ids_survive_the_move():
    """The 26 events that used to be written by hand in ky-niem.toml keep their ids (acks, feed UIDs)."""
    old = ("la", "cn", "ru", "kp", "cu", "id", "kh", "in", "au", "it", "my", "nl", "fr", "sg", "ca", "gb", "jp",
           "de", "mm", "nz", "ph", "th", "bn", "kr", "il", "us")
    ids = {e.id for e in relations()}
    assert {f"ky-niem-quan-he-ngoai-giao-{c}" for c in old} <= ids
    assert "quan-he-ngoai-giao" not in (ROOT / "calendars" / "ky-niem.toml").read_text(encoding="utf-8") \
        .split("[[event]]", 1)[1]


# --- known dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(("cc", "year", "expected"), [
    ("CN", 2025, "2025-10-01"), ("LA", 2025, "2025-12-02"), ("US", 2025, "2025-07-04"), ("FR", 2030, "2030-07-14"),
    ("JP", 2025, "2025-02-23"), ("JP", 2018, "2018-12-23"), ("JP", 1980, "1980-04-29"), ("JP", 2019, "2019-10-22"),
    # Thailand: Viet Nam's leaders greet Thailand's National Day on 5/12, also since King Vajiralongkorn (28/7)
    ("TH", 2025, "2025-12-05"), ("TH", 2015, "2015-12-05"), ("TH", 1955, "1955-06-24"),
    ("NL", 2025, "2025-04-26"), ("NL", 2024, "2024-04-27"), ("NL", 2013, "2013-04-30"), ("NL", 2006, "2006-04-29"),
    ("NL", 1978, "1978-05-01"),
    ("KZ", 2025, "2025-10-25"), ("KZ", 2021, "2021-12-16"),
    ("HR", 2025, "2025-05-30"), ("HR", 2019, "2019-06-25"), ("HR", 2001, "2001-05-30"),
    ("TM", 2017, "2017-10-27"), ("TM", 2018, "2018-09-27"),
    ("KR", 2025, "2025-10-03"), ("IN", 2025, "2025-01-26"),
    ("VA", 2025, "2025-03-13"), ("VA", 2026, "2026-05-08"), ("VA", 2020, "2020-03-13"),
])
def test_known_national_days(cc, year, expected):
    occ = occurrence_in_year(in_force(cc, year), year)
    assert occ is not None and occ.date.isoformat() == expected


def test_known_relations():
    cn = occurrence_in_year(catalog(RELATIONS).event("ky-niem-quan-he-ngoai-giao-cn"), 2025)
    assert cn is not None and cn.date == dt.date(2025, 1, 18) and cn.ordinal == 75 and cn.milestone
    assert "18/1/1950 - 18/1/2025" in cn.title
    for cc, iso in {"CN": "1950-01-18", "RU": "1950-01-30", "LA": "1962-09-05", "KH": "1967-06-24",
                    "JP": "1973-09-21", "FR": "1973-04-12", "IN": "1972-01-07", "US": "1995-07-12",
                    "KR": "1992-12-22", "CZ": "1950-02-02", "SK": "1950-02-02"}.items():
        assert countries.RELATIONS[cc] == iso, cc
    bn = occurrence_in_year(catalog(RELATIONS).event("ky-niem-quan-he-ngoai-giao-bn"), 2025)
    assert bn is not None and bn.date == dt.date(2025, 2, 28)  # 29/2 in a common year


# --- the holidays package ----------------------------------------------------------------------


@functools.cache
def package_days(cc: str, year: int) -> dict[str, list[dt.date]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = holidays.country_holidays(cc, years=year, language="en_US")
    out: dict[str, list[dt.date]] = defaultdict(list)
    for d, names in sorted(h.items()):
        for n in names.split("; "):
            out[n].append(d)
    return out


# Where we knowingly differ from the package: event id → (years, why).
DIFFERENCES = {
    # the package moves the day off; the anniversary stays
    "quoc-khanh-om": (range(2020, 2101), "Oman's day off is moved by decree most years; the national day is 20/11"),
    "quoc-khanh-ph": (range(2007, 2011), "2007–2010 the day off moved to the nearest Monday; the day is 12/6"),
    # the year a ruler changed has both rulers' days in the package
    "quoc-khanh-va": (range(2025, 2026), "Pope Francis died in April 2025; Leo XIV was elected on 8/5/2025"),
    "quoc-khanh-va-1978-2004": (range(1978, 1979), "Paul VI's anniversary (21/6) before John Paul II's election"),
    "quoc-khanh-ma": (range(2000, 2001), "Mohammed VI's first Throne Day was 30/7/2000; the package keeps 3/3"),
    # unverified data of the package
    "quoc-khanh-sn": (range(1964, 1975), "the package has 14/7 for 1964–1974; Senegal's independence day is 4/4"),
}


def test_agrees_with_the_holidays_package_wherever_it_knows_the_day():
    """Every source naming a holiday of the package: our date is the package's, in every year it has one."""
    checked = 0
    for e in national():
        for cc, name in _PKG_SOURCE.findall(e.reference):
            active = active_years(e)
            for y in sorted({*active[::6], active[0], active[-1]}):  # every sixth year and both ends: fast
                if y > 2099 or y in DIFFERENCES.get(e.id, ((), ""))[0]:
                    continue
                days = package_days(cc, y).get(name)
                if not days:
                    continue
                assert the_date(e.id, y) in days, (e.id, y, name, days)
                checked += 1
    assert checked > 2000


@pytest.mark.parametrize(("cc", "name", "years"), [
    ("TH", "National Day", range(1950, 2101)),
    ("JP", "Emperor's Birthday", range(1950, 2100)),
    ("NL", "King's Day", range(2014, 2101)),
    ("NL", "Queen's Day", range(1966, 2014)),
    ("KZ", "Republic Day", range(2022, 2101)),
    ("KZ", "Independence Day", range(1992, 2022)),
    ("HR", "Statehood Day", range(1996, 2101)),
    ("TM", "Independence Day", range(1992, 2101)),
    ("US", "Independence Day", range(1950, 2101, 7)),
    ("FR", "National Day", range(1950, 2101, 7)),
    ("KR", "National Foundation Day", range(1950, 2101, 7)),
    ("CN", "National Day", range(1950, 2101, 7)),
])
def test_spot_checks_against_the_holidays_package(cc, name, years):
    seen = 0
    for y in years:
        days = package_days(cc, y).get(name)
        if not days:
            continue
        occ = occurrence_in_year(in_force(cc, y), y)
        assert occ is not None and occ.date in days, (cc, y, occ, days)
        seen += 1
    assert seen >= 5


# --- the generator -----------------------------------------------------------------------------


def test_shipped_files_are_up_to_date_with_the_generator(tmp_path, capsys):
    assert generator().main(["--out-dir", str(tmp_path)]) == 0  # in-process: the holidays data is warm
    assert str(tmp_path) in capsys.readouterr().out
    for rel in ("calendars/quoc-khanh.toml", "calendars/quan-he-ngoai-giao.toml", "reminderd/countries.py"):
        fresh = (tmp_path / rel).read_text(encoding="utf-8")
        assert (ROOT / rel).read_text(encoding="utf-8") == fresh, \
            f"{rel} is out of date: run /work/venv/bin/python tools/gen_national_days.py"


def test_unverified_entries_are_listed_in_the_headers():
    header = RELATIONS.read_text(encoding="utf-8").split("[[event]]", 1)[0]
    for cc in countries.RELATIONS_UNVERIFIED:
        assert re.search(rf"^#   {cc} ", header, re.M), cc
    nheader = NATIONAL.read_text(encoding="utf-8").split("[[event]]", 1)[0]
    for cc in ("KZ", "DK"):
        assert re.search(rf"^#   {cc} .*quoc-khanh-{cc.lower()}", nheader, re.M), cc


# --- days a government announces, alternatives -------------------------------------------------


@pytest.mark.parametrize(("year", "day", "provisional"), [
    (2017, "2017-06-17", False),  # the third Saturday: a rule of "the second Saturday" gave 10/6
    (2018, "2018-06-09", False),
    (2022, "2022-06-02", False),  # a Thursday: the Platinum Jubilee
    (2023, "2023-06-17", False),
    (2024, "2024-06-15", False),  # the event's own description says 15/6/2024; the old rule gave 8/6
    (2025, "2025-06-14", False),
    (2026, "2026-06-13", True),   # not announced (in the data): the rule, provisional
    (2030, "2030-06-15", True),
    (2010, "2010-06-12", False),  # 1979–2016: the Saturday 11–17 June, a rule that held every year
])
def test_the_united_kingdoms_day(year, day, provisional):
    occ = occurrence_in_year(in_force("GB", year), year)
    assert occ is not None and occ.date.isoformat() == day and occ.provisional == provisional
    assert occ.date.weekday() == (3 if year == 2022 else 5)


def test_alternatives_are_offered_not_planned():
    alts = {e.id: e for e in national() if e.alternative}
    assert set(alts) == {"quoc-khanh-kr-giai-phong", "quoc-khanh-in-doc-lap"}
    for e in alts.values():
        assert e.reference and "Bắc Giang" in e.reference and e.country in ("KR", "IN")
        for y in (1990, 2025, 2100):
            occ = occurrence_in_year(e, y)
            assert occ is not None and occ.date == dt.date(y, 8, 15)
