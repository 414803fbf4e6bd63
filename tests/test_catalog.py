"""Catalog loading and validation: every problem reported, naming file, event and key."""

from __future__ import annotations

import pytest

from reminderd.catalog import load_catalog, parse_lead
from reminderd.config import load_config
from reminderd.errors import ValidationError

from .conftest import SMALL_CATALOG


def load(make_env, catalog, **kw):
    cfg = load_config(make_env(catalog, **kw))
    return load_catalog(cfg)


def problems(make_env, catalog, **kw) -> list[str]:
    with pytest.raises(ValidationError) as ei:
        load(make_env, catalog, **kw)
    return [str(p) for p in ei.value.problems]


def test_small_catalog_loads(make_env):
    cat = load(make_env, SMALL_CATALOG)
    assert [e.id for e in cat.events] == ["quoc-khanh-jp", "dang-nd-cm-lao", "tet", "quoc-khanh-fr"]
    jp = cat.event("quoc-khanh-jp")
    assert jp.tasks[0].lead.near == 5 and jp.tasks[0].lead.far == 7
    assert jp.source.line == 3


@pytest.mark.parametrize(
    ("lead", "near", "far", "unit"),
    [("5-7wd", 5, 7, "wd"), ("5wd", 5, 5, "wd"), ("10d", 10, 10, "d"), ("0wd", 0, 0, "wd"),
     ("3-10d", 3, 10, "d")],
)
def test_parse_lead(lead, near, far, unit):
    lo = parse_lead(lead)
    assert (lo.near, lo.far, lo.unit) == (near, far, unit)


@pytest.mark.parametrize("lead", ["7-5wd", "5-7", "wd", "-5wd", "5-7 wd", "5.5wd", 5])
def test_bad_leads(lead):
    with pytest.raises(ValueError):
        parse_lead(lead)


def test_reversed_lead_suggests_fix():
    with pytest.raises(ValueError, match='"5-7wd"'):
        parse_lead("7-5wd")


BAD_EVENT = """
[[event]]
id = "{id}"
title = "Sự kiện"
date = "{date}"

[[event.task]]
id = "viec"
action = "Làm việc"
lead = "{lead}"
owner = "{owner}"
"""


def one(**kw):
    values = {"id": "su-kien", "date": "05-01", "lead": "5-7wd", "owner": "so-ngoai-vu"} | kw
    return BAD_EVENT.format(**values)


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"date": "02-30"}, ["main.toml:3: event su-kien: date:", "02-30", "tối đa 29 ngày"]),
        ({"date": "13-01"}, ["event su-kien: date:", "tháng 13"]),
        ({"date": "lunar:13-01"}, ["event su-kien: date:", "01 đến 12"]),
        ({"date": "lunar:01-31"}, ["event su-kien: date:", "01 đến 30"]),
        ({"date": "2023-02-29"}, ["event su-kien: date:", "không phải ngày có thật"]),
        ({"date": "holiday:NL:Queen's Day"}, ["event su-kien: date:", "King's Day"]),
        ({"date": "tomorrow"}, ["event su-kien: date:", "dạng hợp lệ"]),
        ({"date": "rrule:FREQ=YEARLY;BYMONTH=13"}, ["event su-kien: date:", "không bao giờ"]),
        ({"date": "rrule:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, ["event su-kien: date:", "không bao giờ"]),
        ({"owner": "so-khong-co"}, ["event su-kien/viec: owner:", "'so-khong-co'", "so-ngoai-vu"]),
        ({"lead": "7-5wd"}, ["event su-kien/viec: lead:", '"5-7wd"']),
        ({"id": "Su Kien"}, ["id:", "[a-z0-9][a-z0-9-]*"]),
    ],
)
def test_bad_event_names_file_event_and_key(make_env, kw, expected):
    msgs = problems(make_env, one(**kw))
    text = "\n".join(msgs)
    for part in expected:
        assert part in text, text


def test_broken_toml(make_env):
    msgs = problems(make_env, "[[event]\nid = 'x'\n")
    assert len(msgs) == 1
    assert "main.toml" in msgs[0] and "TOML không hợp lệ" in msgs[0]


def test_duplicate_ids_across_files(make_env):
    msgs = problems(make_env, one(), files={"other.toml": one()})
    assert any("mã sự kiện bị trùng" in m and "main.toml:3" in m for m in msgs), msgs


def test_duplicate_task_ids(make_env):
    cat = one() + '\n[[event.task]]\nid = "viec"\naction = "x"\nlead = "1wd"\nowner = "vp-ubnd"\n'
    msgs = problems(make_env, cat)
    assert any("su-kien/viec: id: mã việc bị trùng" in m for m in msgs), msgs


def test_unknown_keys_are_errors(make_env):
    cat = one().replace('title = "Sự kiện"', 'title = "Sự kiện"\ncolour = "red"')
    cat = cat.replace('lead = "5-7wd"', 'lead = "5-7wd"\ndeadline = "x"')
    msgs = problems(make_env, cat)
    assert any("event su-kien: colour: khóa không hợp lệ" in m for m in msgs), msgs
    assert any("event su-kien/viec: deadline: khóa không hợp lệ" in m for m in msgs), msgs


def test_every_problem_reported_at_once(make_env):
    cat = one(date="02-30") + one(id="khac", owner="nobody", lead="x")
    msgs = problems(make_env, cat)
    assert len(msgs) == 3, msgs


def test_ordinal_needs_since(make_env):
    cat = one().replace('title = "Sự kiện"', 'title = "Kỷ niệm {ordinal} năm"')
    msgs = problems(make_env, cat)
    assert any("{ordinal}" in m and "since" in m for m in msgs), msgs


def test_unknown_placeholder(make_env):
    cat = one().replace('title = "Sự kiện"', 'title = "Kỷ niệm {nam}"')
    msgs = problems(make_env, cat)
    assert any("{nam}" in m for m in msgs), msgs


def test_unknown_tier_is_a_warning(make_env):
    cat = one().replace('owner = "so-ngoai-vu"', 'owner = "so-ngoai-vu"\ntier = "vip"')
    cat = cat.replace('date = "05-01"', 'date = "05-01"\ncountry = "JP"')
    c = load(make_env, cat)
    assert any("vip" in str(w) for w in c.warnings)


def test_shipped_catalog_speaks_to_staff_not_developers():
    """Titles, actions, descriptions and notes reach feeds and emails: no internal jargon."""
    import re

    from .conftest import ROOT

    for f in sorted((ROOT / "calendars").glob("*.toml")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"^(title|action|description|note)\s*=", line):
                assert not re.search(r"\bseeds?\b|§", line, re.I), f"{f.name}:{n}: {line}"


def test_task_problems_point_at_the_task_and_duplicates_always_show(make_env):
    cat = one().replace('owner = "so-ngoai-vu"', 'owner = "nobody"')
    cat += '\n[[event.task]]\nid = "viec"\naction = "Làm lại"\nlead = "x"\nowner = "vp-ubnd"\n'
    msgs = problems(make_env, cat)
    text = "\n".join(msgs)
    assert "main.toml:8: event su-kien/viec: owner:" in text, text  # the task's id line
    assert "mã việc bị trùng" in text, text  # reported although both tasks have errors


BILINGUAL = """
[[event]]
id = "quoc-khanh-cn"
title = "Quốc khánh nước Cộng hòa Nhân dân Trung Hoa lần thứ {ordinal}"
title_en = "National Day of the People's Republic of China ({ordinal})"
source = "Luật ngày lễ của Trung Quốc (1949)"
date = "10-01"
country = "CN"
since = "1949-10-01"

[[event.task]]
id = "thu"
action = "Gửi thư chúc mừng"
action_en = "Send the letter of congratulations"
lead = "5-7wd"
owner = "so-ngoai-vu"
"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_english_titles_actions_and_source(make_env, language):
    from .conftest import SMALL_CONFIG
    config = SMALL_CONFIG.replace('name = "UBND tỉnh Thử"', f'name = "UBND tỉnh Thử"\nlanguage = "{language}"')
    cat = load(make_env, BILINGUAL, config=config)
    ev = cat.event("quoc-khanh-cn")
    assert ev.reference == "Luật ngày lễ của Trung Quốc (1949)"
    assert ev.title_vi.startswith("Quốc khánh") and ev.title_en.startswith("National Day")
    if language == "en":
        assert ev.title == ev.title_en and ev.tasks[0].action == "Send the letter of congratulations"
    else:
        assert ev.title == ev.title_vi and ev.tasks[0].action == "Gửi thư chúc mừng"


def test_bilingual_keys_are_checked(make_env):
    bad = BILINGUAL.replace('source = "Luật ngày lễ của Trung Quốc (1949)"', "source = 3").replace(
        "({ordinal})", "({bogus})")
    found = problems(make_env, bad)
    assert any("quoc-khanh-cn" in p and "source" in p for p in found)
    assert any("title_en" in p and "bogus" in p for p in found)


def test_an_id_with_a_quote_still_gets_its_line(make_env):
    msgs = problems(make_env, "\n\n" + one().replace('id = "su-kien"', "id = \"su-kien-o'x\""))
    assert any("main.toml:5" in m and "su-kien-o'x" in m for m in msgs), msgs
