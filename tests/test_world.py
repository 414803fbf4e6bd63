"""The shipped world (issue 8): national days by [partners] tier, partners' new years, `reminderd countries`.

The acceptance test of the issue: a province that sets its partners and tiers in the config gets the
right national-day letters for 2020–2035 without writing a single event, and `reminderd upcoming`
shows them with the right windows. Dates are cross-checked with the `holidays` package's own
working-day arithmetic and calendars (and lunardate), not only with reminderd's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import holidays
import pytest
from lunardate import LunarDate

from reminderd import countries, dateforms
from reminderd.cli import main
from reminderd.occurrences import occurrence_in_year
from reminderd.runtime import Runtime, load_runtime

from .conftest import EXAMPLE_CONFIG, ROOT

REGULAR = ["JP", "US", "FR", "SG", "IN"]
LOCAL = ["LA", "KR", "CN"]
PARTNERS = set(REGULAR) | set(LOCAL)
FIRST, LAST = 2020, 2035
LEADS = {"regular": (5, 7), "local_cooperation": (10, 15)}
# What every province loads; its own plan is a file of its own (tests/test_examples.py).
SHARED_FILES = ("quoc-khanh.toml", "quan-he-ngoai-giao.toml", "tet-nam-moi.toml", "ky-niem.toml",
                "ngay-le-viet-nam.toml", "bao-cao-dinh-ky.toml")


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def province_config(tmp_path: Path, partners: dict[str, list[str]], language: str = "vi") -> Path:
    """A province's config: the shared calendars, its departments, its [partners] — and no event."""
    example = tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    lines = [
        "[organization]", 'name = "UBND tỉnh Thử"', f"language = {_toml_str(language)}", "",
        "[catalog]", f"paths = [{', '.join(_toml_str(str(ROOT / 'calendars' / f)) for f in SHARED_FILES)}]", "",
        "[workdays]", "confirmed_through = 2026", "",
        "[state]", 'directory = "state"', "",
        "[database]", 'url = "sqlite:///state/reminderd.db"', "",
        "[smtp]", 'host = "127.0.0.1"', "port = 8025", 'tls = "none"', "",
        "[partners]",
    ]
    lines += [f"{tier} = [{', '.join(_toml_str(c) for c in codes)}]" for tier, codes in partners.items()]
    for dep in example["department"]:
        lines += ["", "[[department]]", f"id = {_toml_str(dep['id'])}", f"name = {_toml_str(dep['name'])}",
                  f"email = [{', '.join(_toml_str(e) for e in dep['email'])}]"]
    path = tmp_path / "reminderd.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Runtime]:
    cfg = province_config(tmp_path_factory.mktemp("province"),
                          {"regular": REGULAR, "local_cooperation": LOCAL})
    return cfg, load_runtime(cfg)


@pytest.fixture(scope="module")
def vn_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=range(FIRST - 1, LAST + 2))


# ---- the acceptance test ----------------------------------------------------------------


def test_partners_get_national_day_letters_2020_2035(province, vn_holidays):
    _, rt = province
    plan = rt.plan(dt.date(FIRST, 1, 1), dt.date(LAST, 12, 31))
    letters = [tk for tk in plan.tasks if "quoc-khanh" in tk.event.tags and FIRST <= tk.occurrence.date.year <= LAST]
    per = Counter((tk.event.country, tk.occurrence.date.year) for tk in letters)
    for code in PARTNERS:
        for year in range(FIRST, LAST + 1):
            assert per[(code, year)] == 1, (code, year, per[(code, year)])
    assert set(c for c, _ in per) == PARTNERS
    for tk in letters:
        tier = rt.config.tier_of(tk.event.country)
        assert tk.rule.tier == tier
        near, far = LEADS[tier]  # type: ignore[index]
        assert (tk.rule.lead.near, tk.rule.lead.far, tk.rule.lead.unit) == (near, far, "wd")
        d = tk.occurrence.date
        # "N working days before D" is the holidays package's get_nth_working_day(D, -N).
        assert tk.due == rt.workdays.add(d, -near) == vn_holidays.get_nth_working_day(d, -near), tk.key
        assert tk.window_start == rt.workdays.add(d, -far) == vn_holidays.get_nth_working_day(d, -far), tk.key
        assert rt.workdays.is_working_day(tk.due) and rt.workdays.is_working_day(tk.window_start)
        assert tk.provisional == (d.year > 2026)


def test_countries_not_in_partners_get_nothing(province):
    _, rt = province
    plan = rt.plan(dt.date(FIRST, 1, 1), dt.date(LAST, 12, 31))
    assert {o.event.country for o in plan.occurrences if o.event.country} <= PARTNERS
    assert {tk.event.country for tk in plan.tasks if tk.event.country} <= PARTNERS
    # … and the shipped catalog does have their national days: the tiers are what picks.
    assert {e.country for e in rt.catalog.events if "quoc-khanh" in e.tags} >= {"DE", "TH", "CU", "RU"}


@pytest.mark.parametrize(("event_id", "task_id", "day", "window_start", "due"), [
    # Japan, Sunday 23/2/2025: due 5 working days before (Mon 17/2), opens 7 before (Thu 13/2).
    ("quoc-khanh-jp", "thu-chuc-mung", "2025-02-23", "2025-02-13", "2025-02-17"),
    # China, Wednesday 1/10/2025, local cooperation: 10–15 working days before.
    ("quoc-khanh-cn", "thu-chuc-mung-dia-phuong", "2025-10-01", "2025-09-10", "2025-09-17"),
    # Korea, Friday 3/10/2025 (National Foundation Day), local cooperation.
    ("quoc-khanh-kr", "thu-chuc-mung-dia-phuong", "2025-10-03", "2025-09-12", "2025-09-19"),
    # Japan 2020: the first year of the national day on 23/2 (the new emperor's birthday), a Sunday.
    ("quoc-khanh-jp", "thu-chuc-mung", "2020-02-23", "2020-02-13", "2020-02-17"),
    # Laos, 2/12/2026, local cooperation: the window skips 24/11, Vietnam Cultural Day (a day off from 2026).
    ("quoc-khanh-la", "thu-chuc-mung-dia-phuong", "2026-12-02", "2026-11-10", "2026-11-17"),
])
def test_upcoming_json_shows_the_letters(province, event_id, task_id, day, window_start, due):
    """The real command line, as a province would run it."""
    cfg, _ = province
    year = int(day[:4])
    p = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "upcoming",
                        "--from", f"{year}-01-01", "--to", f"{year}-12-31", "--json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120,
                       env={**os.environ, "REMINDERD_CONFIG": ""})
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    mine = [r for r in rows if r["event_id"] == event_id and r["task_id"] == task_id]
    assert len(mine) == 1, mine
    r = mine[0]
    assert (r["event_date"], r["window_start"], r["due"]) == (day, window_start, due)
    assert r["owner"] == "so-ngoai-vu"
    assert r["country"] == event_id[-2:].upper()
    # The other tier's letter for the same day is not planned.
    others = [x for x in rows if x["event_id"] == event_id and x["task_id"] not in (None, task_id)]
    assert others == []
    # Nothing for a country the province does not deal with.
    assert {x["country"] for x in rows if x["country"]} <= PARTNERS


def test_upcoming_table_in_english(tmp_path):
    cfg = province_config(tmp_path, {"regular": ["JP"]}, language="en")
    rc = main(["--config", str(cfg), "upcoming", "--from", "2025-02-10", "--to", "2025-02-28"])
    assert rc == 0


# ---- partners' traditional new years ------------------------------------------------------


def _new_years(rt: Runtime) -> dict[str, object]:
    return {e.country: e for e in rt.catalog.events if "tet-doi-tac" in e.tags}  # type: ignore[misc]


# Years with no date, and why: Cambodia postponed its 2020 new-year holidays (COVID-19), so the
# holidays package has no Khmer New Year's Day that year.
KNOWN_GAPS = {"KH": {2020}}


def test_partner_new_years_are_shipped(province):
    _, rt = province
    ny = _new_years(rt)
    assert {"CN", "KR", "LA", "TH", "KH", "MM", "MN", "JP"} <= set(ny)
    ids = {e.id for e in rt.catalog.events}
    for old in ("tet-co-truyen-trung-quoc", "tet-co-truyen-han-quoc", "tet-co-truyen-lao",
                "tet-co-truyen-thai-lan", "tet-co-truyen-cam-pu-chia", "tet-co-truyen-nhat-ban"):
        assert old in ids  # ids are stable: acknowledgements and feed UIDs hang on them
    for code, ev in ny.items():
        assert ev.title_en and ev.source, code  # type: ignore[attr-defined]
        (task,) = ev.tasks  # type: ignore[attr-defined]
        assert (task.id, task.tier, task.lead.text, task.owner) == (
            "thu-chuc-tet-dia-phuong", "local_cooperation", "10-15wd", "so-ngoai-vu")
        form = dateforms.parse(ev.date)  # type: ignore[attr-defined]
        if form.kind == "holiday":
            assert form.country == code


def test_partner_new_years_one_date_a_year(province):
    _, rt = province
    for code, ev in _new_years(rt).items():
        for year in range(2000, 2061):
            active = (ev.start is None or year >= ev.start) and (ev.until is None or year <= ev.until)  # type: ignore[attr-defined]
            occ = occurrence_in_year(ev, year)  # type: ignore[arg-type]
            if not active or year in KNOWN_GAPS.get(code, set()):
                assert occ is None, (code, year)
                continue
            assert occ is not None, (code, year)
            # The date belongs to the year (a lunar new year never spills over).
            assert occ.date.year == year, (code, year, occ.date)


def _first_day(cc: str, name: str, year: int) -> dt.date | None:
    h = holidays.country_holidays(cc, years=year, language="en_US")
    days = sorted(d for d, n in h.items() if name in n.split("; "))
    return days[0] if days else None


def _date(rt: Runtime, code: str, year: int) -> dt.date:
    occ = occurrence_in_year(_new_years(rt)[code], year)  # type: ignore[arg-type]
    assert occ is not None
    return occ.date


@pytest.mark.parametrize(("code", "year", "want"), [
    ("CN", 2024, "2024-02-10"), ("CN", 2025, "2025-01-29"),
    ("KR", 2024, "2024-02-10"), ("KR", 2025, "2025-01-29"),
    ("MN", 2023, "2023-02-21"), ("MN", 2024, "2024-02-10"), ("MN", 2025, "2025-03-01"),
    ("TH", 2024, "2024-04-13"), ("TH", 2025, "2025-04-13"),
    ("LA", 2024, "2024-04-13"), ("LA", 2025, "2025-04-14"),
    ("KH", 2024, "2024-04-13"), ("KH", 2025, "2025-04-14"),
    ("MM", 2024, "2024-04-13"), ("MM", 2025, "2025-04-13"),
    ("IR", 2024, "2024-03-20"), ("IR", 2025, "2025-03-21"),
    ("BD", 2025, "2025-04-14"),
    ("JP", 2025, "2025-01-01"),
])
def test_partner_new_year_dates(province, code, year, want):
    _, rt = province
    assert _date(rt, code, year).isoformat() == want


def test_lunar_new_years_agree_with_holidays_and_lunardate(province):
    """Spring Festival and Seollal against two sources that do not use reminderd/lunar.py."""
    _, rt = province
    for year in range(2000, 2061):
        cn = _date(rt, "CN", year)
        assert cn == LunarDate(year, 1, 1).to_solar_date(), year
        assert cn == _first_day("CN", "Chinese New Year (Spring Festival)", year), year
        assert _date(rt, "KR", year) == _first_day("KR", "Korean New Year", year), year


def test_tsagaan_sar_is_the_mongolian_calendar_not_the_chinese(province):
    _, rt = province
    differ = []
    for year in range(2004, 2061):
        mn = _date(rt, "MN", year)
        assert mn == _first_day("MN", "Lunar New Year", year), year
        if mn != _date(rt, "CN", year):
            differ.append(year)
    assert 2025 in differ and 2023 in differ and 2024 not in differ
    assert len(differ) > 20


def test_thingyan_follows_the_myanmar_calendar(province):
    """Since 2024 the holiday starts on Akyo, the day before Akya (holidays' Myanmar calendar)."""
    from holidays.calendars.burmese import _BurmeseLunisolar

    _, rt = province
    cal = _BurmeseLunisolar()
    for year in range(2024, 2061):
        akya, _ = cal.thingyan_dates(year)
        assert _date(rt, "MM", year) == akya - dt.timedelta(days=1), year
    for year in range(2000, 2061):
        assert _date(rt, "MM", year) == _first_day("MM", "Myanmar New Year", year), year


def test_april_new_years_against_holidays(province):
    _, rt = province
    for year in range(2000, 2061):
        assert _date(rt, "TH", year).isoformat() == f"{year}-04-13"
        if (th := _first_day("TH", "Songkran Festival", year)) is not None:
            assert th == _date(rt, "TH", year), year
        assert _date(rt, "BD", year) == _first_day("BD", "Bengali New Year's Day", year), year
        assert _date(rt, "LA", year) == _first_day("LA", "Lao New Year's Day", year), year
        if year != 2020:
            assert _date(rt, "KH", year) == _first_day("KH", "Khmer New Year's Day", year), year
        # Fixed 14/4 where the package knows only some years: never more than a day off.
        for code, name in (("LK", "Sinhala and Tamil New Year"), ("NP", "Nepali New Year")):
            if (known := _first_day(code, name, year)) is not None:
                assert abs((_date(rt, code, year) - known).days) <= 1, (code, year)
        assert _date(rt, "IR", year) == _first_day("IR", "Nowruz", year), year


def test_new_year_letters_for_local_partners_only(province, vn_holidays):
    _, rt = province
    plan = rt.plan(dt.date(FIRST, 1, 1), dt.date(LAST, 12, 31))
    letters = [tk for tk in plan.tasks if "tet-doi-tac" in tk.event.tags and FIRST <= tk.occurrence.date.year <= LAST]
    per = Counter((tk.event.country, tk.occurrence.date.year) for tk in letters)
    assert {c for c, _ in per} == set(LOCAL)  # JP is "regular": no new-year letter to its localities
    assert all(per[(c, y)] == 1 for c in LOCAL for y in range(FIRST, LAST + 1))
    for tk in letters:
        assert tk.due == vn_holidays.get_nth_working_day(tk.occurrence.date, -10)
        assert tk.window_start == vn_holidays.get_nth_working_day(tk.occurrence.date, -15)


# ---- `reminderd countries` and `check` -----------------------------------------------------


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_countries_missing_on_the_example_config(capsys):
    rc, out, _ = run(capsys, "--config", str(EXAMPLE_CONFIG), "countries", "--missing", "--json")
    assert rc == 0
    missing = json.loads(out)
    assert missing["partners_without_national_day"] == []
    assert missing["national_day"] == []  # every country of the reference list has its national day
    assert {m["code"] for m in missing["relations"]} <= set(countries.VI) - {"VN"}
    rc, out, _ = run(capsys, "--config", str(EXAMPLE_CONFIG), "countries", "--missing")
    assert rc == 0
    assert "Mã nước trong [partners] của cấu hình không có sự kiện Quốc khánh trong danh mục (0)" in out


def test_countries_missing_names_a_partner_without_national_day(tmp_path, capsys):
    # Hong Kong is a code the config accepts (the holidays package knows it) but no national day names it.
    cfg = province_config(tmp_path, {"regular": ["JP", "HK"], "local_cooperation": ["LA"]})
    rc, out, _ = run(capsys, "--config", str(cfg), "countries", "--missing")
    assert rc == 1
    part = out.split("Mã nước trong [partners]")[1]
    assert "HK" in part and "[partners] regular" in part and "JP" not in part
    rc, out, _ = run(capsys, "--config", str(cfg), "countries", "--missing", "--json")
    assert rc == 1
    assert json.loads(out)["partners_without_national_day"] == [
        {"code": "HK", "name": countries.country_name("HK"), "tier": "regular"}]
    # `check` warns but does not fail.
    rc, out, _ = run(capsys, "--config", str(cfg), "check")
    assert rc == 0
    assert "cảnh báo" in out and "nước HK" in out and "Quốc khánh" in out


def test_countries_listing(province, capsys):
    cfg, _ = province
    rc, out, _ = run(capsys, "--config", str(cfg), "countries", "--year", "2025", "--json")
    assert rc == 0
    rows = {r["code"]: r for r in json.loads(out)}
    assert set(rows) >= set(countries.VI) - {"VN"}
    assert rows["JP"]["national_day"] == "2025-02-23" and rows["JP"]["tiers"] == ["regular"]
    assert rows["CN"]["national_day"] == "2025-10-01" and rows["CN"]["tiers"] == ["local_cooperation"]
    assert rows["KR"]["national_day"] == "2025-10-03"
    assert rows["DE"]["tiers"] == [] and rows["DE"]["national_day"] == "2025-10-03"
    # Relations dates come from the catalog's anniversaries (their `since`).
    for code in ("CN", "LA"):
        ev = next(e for e in load_runtime(cfg).catalog.events
                  if e.country == code and "ky-niem-quan-he-ngoai-giao" in e.tags)
        assert rows[code]["relations"] == ev.since.isoformat()
        assert rows[code]["relations_event"] == ev.id
    rc, out, _ = run(capsys, "--config", str(cfg), "countries", "--year", "2025", "--partners")
    assert rc == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Mã", "Nước", "Quốc"]
    assert any(line.startswith("JP  Nhật Bản") and "23/02/2025" in line and line.endswith("regular")
               for line in lines)
    assert sum(1 for line in lines if line[:2] in PARTNERS and line[2:4] == "  ") == len(PARTNERS)


def test_countries_in_english(tmp_path, capsys):
    cfg = province_config(tmp_path, {"regular": ["JP"]}, language="en")
    rc, out, _ = run(capsys, "--config", str(cfg), "countries", "--partners", "--year", "2025")
    assert rc == 0
    assert "National day 2025" in out and "Japan" in out and "2025-02-23" in out
    rc, out, _ = run(capsys, "--config", str(cfg), "countries", "--missing")
    assert "Codes in the config's [partners] with no national-day event in the catalog (0)" in out


def test_countries_help_is_vietnamese(capsys):
    with pytest.raises(SystemExit):
        main(["countries", "--help"])
    out = capsys.readouterr().out
    assert "cách dùng: reminderd countries" in out and "Quốc khánh" in out


# ---- docs/CATALOG.md -----------------------------------------------------------------------


def test_catalog_doc_is_current():
    """docs/CATALOG.md documents every catalog key, every date form, every shipped file and new year."""
    from reminderd.catalog import EVENT_KEYS, TASK_KEYS

    doc = (ROOT / "docs" / "CATALOG.md").read_text(encoding="utf-8")
    for key in (*EVENT_KEYS, *TASK_KEYS):
        if key == "task":
            continue
        row = "| `start`, `until` |" if key in ("start", "until") else f"| `{key}` |"
        assert row in doc, key
    for form in ('"MM-DD"', '"YYYY-MM-DD"', '"lunar:MM-DD"', '"chinese:MM-DD"', '"korean:MM-DD"',
                 '"holiday:CC:Name"', '"rrule:…"'):
        assert form in doc, form
    for f in sorted((ROOT / "calendars").glob("*.toml")):
        assert f"`{f.name}`" in doc, f"docs/CATALOG.md does not describe calendars/{f.name}"
    cfg = load_runtime(EXAMPLE_CONFIG)
    for ev in cfg.catalog.events:
        if "tet-doi-tac" in ev.tags:
            assert f"| {ev.country} | `{ev.id}` | `{ev.date}`" in doc, ev.id
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/CATALOG.md" in readme


@pytest.mark.parametrize(("year", "code", "day", "event"), [
    (2018, "JP", "2018-12-23", "quoc-khanh-jp-1989-2018"),   # the Emperor Akihito's birthday
    (2019, "JP", "2019-10-22", "quoc-khanh-jp-2019"),        # no Emperor's birthday: the Enthronement
    (2025, "JP", "2025-02-23", "quoc-khanh-jp"),
    (2013, "NL", "2013-04-30", "quoc-khanh-nl-1980-2013"),   # Queen's Day
    (2014, "NL", "2014-04-26", "quoc-khanh-nl"),             # King's Day, 27/4 a Sunday
    (2015, "TH", "2015-12-05", "quoc-khanh-th"),
])
def test_countries_gives_the_day_in_force_that_year(province, capsys, year, code, day, event):
    """`countries --year Y` reads the rule in force in Y, as `upcoming` and `explain` do."""
    cfg, rt = province
    rc, out, _ = run(capsys, "--config", str(cfg), "countries", "--year", str(year), "--json")
    assert rc == 0
    row = next(r for r in json.loads(out) if r["code"] == code)
    assert (row["national_day"], row["national_day_event"]) == (day, event)
    occ = occurrence_in_year(rt.catalog.event(event), year)
    assert occ is not None and occ.date.isoformat() == day
    rc, out, _ = run(capsys, "--config", str(cfg), "countries", "--year", str(year))
    line = next(line for line in out.splitlines() if line.startswith(f"{code}  "))
    assert f"{day[8:10]}/{day[5:7]}/{year}" in line and "—" not in line.split()[3]


def test_missing_relations_are_only_the_unsourced(capsys):
    """`countries --missing` lists exactly the countries whose relations date no source gave yet (each
    with what is known), not the Holy See (no relations), and none of the dates added since."""
    rc, out, _ = run(capsys, "--config", str(EXAMPLE_CONFIG), "countries", "--missing", "--json")
    assert rc == 0
    gaps = {m["code"] for m in json.loads(out)["relations"]}
    assert gaps == set(countries.RELATIONS_UNKNOWN) and "VA" not in gaps and "VA" in countries.NO_RELATIONS
    assert len(gaps) <= 23
    for code, day in {"BB": "1995-08-25", "LR": "2016-06-28", "HN": "2005-05-17", "HT": "1997-09-26"}.items():
        assert countries.RELATIONS[code] == day and code not in countries.RELATIONS_UNVERIFIED, code
    assert "LC" in countries.RELATIONS_UNVERIFIED  # the year is inferred: said so in the event
    rc, out, _ = run(capsys, "--config", str(EXAMPLE_CONFIG), "countries", "--missing")
    assert "BA  Bô-xni-a Héc-dê-gô-vi-na  — năm 1996" in out and "VA  Tòa Thánh" not in out
