"""Dates a government announces each year, alternative national days a province chooses, optional
tasks, and what `check` and `explain` say about events a province plans nothing for."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from reminderd.catalog import load_catalog
from reminderd.cli import main
from reminderd.config import load_config
from reminderd.errors import ValidationError
from reminderd.occurrences import occurrence_in_year
from reminderd.runtime import load_runtime

from .conftest import SMALL_CONFIG

D = dt.date

ANNOUNCED = """
[[event]]
id = "quoc-khanh-gb"
title = "Quốc khánh Vương quốc Anh"
date = "rrule:FREQ=YEARLY;BYMONTH=6;BYDAY=SA;BYMONTHDAY=8,9,10,11,12,13,14"
country = "GB"
tags = ["quoc-khanh"]
source = "Chính phủ Anh công bố hằng năm"
announced = { 2023 = 2023-06-17, 2024 = 2024-06-15, 2025 = "2025-06-14" }

[[event.task]]
id = "thu-chuc-mung"
action = "Gửi thư chúc mừng"
lead = "5-7wd"
owner = "so-ngoai-vu"
tier = "regular"
"""

GB_CONFIG = SMALL_CONFIG.replace('regular = ["JP", "US"]', 'regular = ["JP", "US", "GB"]')


def test_announced_dates_win_and_other_years_are_provisional(make_env):
    cat = load_catalog(load_config(make_env(ANNOUNCED, config=GB_CONFIG)))
    gb = cat.event("quoc-khanh-gb")
    got = {y: occurrence_in_year(gb, y) for y in (2022, 2023, 2024, 2025, 2026)}
    assert {y: o.date for y, o in got.items() if o} == {
        2022: D(2022, 6, 11), 2023: D(2023, 6, 17), 2024: D(2024, 6, 15), 2025: D(2025, 6, 14),
        2026: D(2026, 6, 13)}
    assert [y for y, o in got.items() if o and o.provisional] == [2022, 2026]
    assert "ngày công bố cho năm 2024" in got[2024].how  # type: ignore[union-attr]
    assert "tạm tính" in got[2026].how and "2025" in got[2026].how  # type: ignore[union-attr]
    assert "provisional" in got[2026].how_en  # type: ignore[union-attr]


def test_announced_date_marks_upcoming_and_explain(make_env, capsys):
    cfg = make_env(ANNOUNCED, config=GB_CONFIG)
    assert main(["--config", str(cfg), "upcoming", "--from", "2026-06-01", "--to", "2026-06-30", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    gb = [r for r in rows if r["event_id"] == "quoc-khanh-gb"]
    assert gb and all(r["date_provisional"] and r["provisional"] for r in gb)
    assert main(["--config", str(cfg), "explain", "quoc-khanh-gb", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "ngày công bố cho năm 2024: 15/6/2024" in out and "Ngày đã công bố: 17/6/2023, 15/6/2024, 14/6/2025" in out
    assert "tạm tính" not in out.split("Năm 2024")[1]
    assert main(["--config", str(cfg), "explain", "quoc-khanh-gb", "--year", "2027"]) == 0
    out = capsys.readouterr().out
    assert "chưa có ngày công bố cho năm 2027" in out and "Ngày tạm tính" in out


@pytest.mark.parametrize(("announced", "message"), [
    ('{ 2024 = 2025-06-15 }', "không thuộc năm 2024"),
    ('{ x = 2024-06-15 }', "khóa phải là năm"),
    ('{ 2024 = "15/06/2024" }', "YYYY-MM-DD"),
    ('[2024]', "cần một bảng năm → ngày"),
])
def test_bad_announced_dates_are_errors(make_env, announced, message):
    text = ANNOUNCED.replace('announced = { 2023 = 2023-06-17, 2024 = 2024-06-15, 2025 = "2025-06-14" }',
                             f"announced = {announced}")
    with pytest.raises(ValidationError) as ei:
        load_catalog(load_config(make_env(text, config=GB_CONFIG)))
    msgs = [str(p) for p in ei.value.problems]
    assert any("quoc-khanh-gb" in m and "announced" in m and message in m for m in msgs), msgs


KOREA = """
[[event]]
id = "quoc-khanh-kr"
title = "Quốc khánh Hàn Quốc (Ngày Lập quốc)"
date = "10-03"
country = "KR"
tags = ["quoc-khanh"]

[[event.task]]
id = "thu"
action = "Gửi thư"
lead = "10-15wd"
owner = "so-ngoai-vu"

[[event]]
id = "quoc-khanh-kr-giai-phong"
title = "Ngày Giải phóng Hàn Quốc"
date = "08-15"
country = "KR"
tags = ["quoc-khanh"]
alternative = true

[[event.task]]
id = "thu"
action = "Gửi thư"
lead = "10-15wd"
owner = "so-ngoai-vu"
"""


def _korea_dates(make_env, config: str) -> list[dt.date]:
    rt = load_runtime(make_env(KOREA, config=config))
    plan = rt.plan(D(2025, 1, 1), D(2025, 12, 31))
    return sorted(o.date for o in plan.occurrences if o.event.country == "KR")


def test_alternative_national_day_only_when_chosen(make_env):
    assert _korea_dates(make_env, SMALL_CONFIG) == [D(2025, 10, 3)]
    chosen = SMALL_CONFIG + '\n[national_days]\nKR = "quoc-khanh-kr-giai-phong"\n'
    assert _korea_dates(make_env, chosen) == [D(2025, 8, 15)]
    back = SMALL_CONFIG + '\n[national_days]\nKR = "quoc-khanh-kr"\n'
    assert _korea_dates(make_env, back) == [D(2025, 10, 3)]


def test_choosing_what_is_not_a_national_day_of_that_country_is_an_error(make_env):
    for value, expect in (('KR = "quoc-khanh-jp"', "không phải Quốc khánh của KR"),
                          ('KR = "khong-co"', "không có sự kiện này"),
                          ('KR = 3', "cần mã sự kiện"), ('XX = "quoc-khanh-kr"', "mã nước")):
        with pytest.raises(ValidationError) as ei:
            load_runtime(make_env(KOREA + ANNOUNCED.replace("gb", "jp").replace('"GB"', '"JP"'),
                                  config=SMALL_CONFIG + f"\n[national_days]\n{value}\n"))
        msgs = [str(p) for p in ei.value.problems]
        assert any("[national_days]" in m and expect in m for m in msgs), (value, msgs)
    ok = [str(p) for p in ei.value.problems]
    assert ok  # the messages list the choices
    with pytest.raises(ValidationError) as ei:
        load_runtime(make_env(KOREA, config=SMALL_CONFIG + '\n[national_days]\nKR = "quoc-khanh-jp"\n'))
    assert any("quoc-khanh-kr, quoc-khanh-kr-giai-phong" in str(p) for p in ei.value.problems)


def test_alternative_needs_a_national_day(make_env):
    text = KOREA.replace('tags = ["quoc-khanh"]\nalternative = true', 'alternative = true')
    with pytest.raises(ValidationError) as ei:
        load_runtime(make_env(text))
    assert any("alternative" in str(p) and "quoc-khanh" in str(p) for p in ei.value.problems)


def test_explain_and_countries_name_the_choice(make_env, capsys):
    cfg = make_env(KOREA, config=SMALL_CONFIG + '\n[national_days]\nKR = "quoc-khanh-kr-giai-phong"\n')
    assert main(["--config", str(cfg), "explain", "quoc-khanh-kr", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert 'cấu hình chọn sự kiện quoc-khanh-kr-giai-phong làm Quốc khánh của KR' in out
    assert "2025-10-03" in out  # what the rule would give, for reference
    assert main(["--config", str(cfg), "countries", "--year", "2025", "--json"]) == 0
    kr = next(r for r in json.loads(capsys.readouterr().out) if r["code"] == "KR")
    assert kr["national_day"] == "2025-08-15" and kr["national_day_event"] == "quoc-khanh-kr-giai-phong"
    assert main(["--config", str(cfg), "countries", "--alternatives"]) == 0
    out = capsys.readouterr().out
    assert "quoc-khanh-kr-giai-phong" in out and "← tỉnh chọn" in out
    cfg = make_env(KOREA)  # no choice: the alternative makes nothing, and explain says how to choose it
    assert main(["--config", str(cfg), "explain", "quoc-khanh-kr-giai-phong", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert 'ngày Quốc khánh thay thế của KR' in out and '[national_days] KR = "quoc-khanh-kr-giai-phong"' in out


OWN_NL = """
[[event]]
id = "hoi-thao-ha-lan"
title = "Hội thảo với Hà Lan"
date = "05-20"
country = "NL"

[[event.task]]
id = "chuan-bi"
action = "Chuẩn bị hội thảo"
lead = "10-15wd"
owner = "so-ngoai-vu"

[[event]]
id = "bao-cao"
title = "Báo cáo"
date = "05-25"

[[event.task]]
id = "bao-cao-so-ngoai-vu"
action = "Sở Ngoại vụ báo cáo"
lead = "1-10wd"
owner = "so-ngoai-vu"
optional = true

[[event.task]]
id = "bao-cao-bql-kkt"
action = "Ban Quản lý Khu kinh tế báo cáo"
lead = "1-10wd"
owner = "bql-kkt"
optional = true

[[event.task]]
id = "bao-cao-bdbp"
action = "Bộ đội Biên phòng báo cáo"
lead = "1-10wd"
owner = "bch-bdbp"
optional = true
"""


def test_check_says_what_it_skips_and_why(make_env, capsys):
    """A province's own event with a country in no [partners] tier makes nothing: `check` says so
    (one line per file), `explain` says why; optional tasks of absent departments are counted."""
    cfg = make_env(OWN_NL)
    assert main(["--config", str(cfg), "check"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "main.toml" in line]
    assert len(lines) == 2, out
    assert "1 sự kiện có nước không thuộc hạng nào trong [partners]" in lines[0] and "hoi-thao-ha-lan" in lines[0]
    assert "2 việc tùy chọn" in lines[1] and "bch-bdbp (1)" in lines[1] and "bql-kkt (1)" in lines[1]
    assert "Hợp lệ" in out
    rt = load_runtime(cfg)
    assert [tr.id for tr in rt.catalog.event("bao-cao").tasks] == ["bao-cao-so-ngoai-vu"]
    assert main(["--config", str(cfg), "explain", "bao-cao/bao-cao-bql-kkt", "--year", "2025"]) == 0
    assert "việc tùy chọn (optional) của đơn vị bql-kkt" in capsys.readouterr().out
    assert main(["--config", str(cfg), "explain", "hoi-thao-ha-lan", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "nước NL không thuộc hạng nào trong [partners]" in out and "all_countries" in out
    assert "2025-05-20" in out


def test_optional_does_not_excuse_a_malformed_owner(make_env):
    text = OWN_NL.replace('owner = "bql-kkt"', 'owner = "BQL KKT"')
    with pytest.raises(ValidationError) as ei:
        load_runtime(make_env(text))
    assert any("bao-cao-bql-kkt" in str(p) and "owner" in str(p) for p in ei.value.problems)


def test_feeds_say_a_date_is_not_announced(make_env):
    from reminderd.feeds import FeedName, feed_items

    rt = load_runtime(make_env(ANNOUNCED, config=GB_CONFIG))
    plan = rt.plan(D(2025, 1, 1), D(2026, 12, 31))
    items = {(i.key, i.start.year): i for i in feed_items(plan, rt, FeedName("country", "GB"))}
    firm = items[("quoc-khanh-gb@2025-06-14", 2025)]
    guess = items[("quoc-khanh-gb@2026-06-13", 2026)]
    assert "tạm tính" not in firm.description
    assert "chưa có ngày công bố cho năm 2026" in guess.description and "tạm tính" in guess.description
    task = next(i for k, i in items.items() if k[0].startswith("quoc-khanh-gb/thu-chuc-mung@2026"))
    assert "chưa có ngày công bố cho năm 2026" in task.description
