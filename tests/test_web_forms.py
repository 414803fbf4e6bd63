"""The ad-hoc form's words → the catalog's format: property tests for dates and leads, and
the form ↔ item round trip (reminderd/web/adhoc_form.py is pure: no server needed)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reminderd.adhoc import slug
from reminderd.catalog import parse_lead as catalog_lead
from reminderd.countries import EN, VI
from reminderd.web.adhoc_form import (
    AdhocForm,
    FormError,
    TaskFields,
    country_code,
    date_form,
    lead_words,
    parse_date,
    parse_lead,
)

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
spaces = st.sampled_from(["", " ", "  "])
DEPS = ["so-ngoai-vu", "vp-ubnd", "so-khdt"]


@given(dates, st.sampled_from(["/", "-", "."]), st.booleans(), spaces)
def test_any_date_typed_day_first_is_that_date(d: dt.date, sep: str, pad: bool, sp: str) -> None:
    day, month = (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))
    assert parse_date(f"{sp}{day}{sep}{month}{sep}{d.year}{sp}") == d
    assert parse_date(d.isoformat()) == d  # what a date picker sends
    assert parse_date(f"ngày {d.day} tháng {d.month} năm {d.year}") == d
    assert date_form(f"{day}/{month}/{d.year}") == d.isoformat()


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1900, 2100))
def test_impossible_dates_are_refused_by_name(day: int, month: int, year: int) -> None:
    text = f"{day}/{month}/{year}"
    try:
        want = dt.date(year, month, day)
    except ValueError:
        with pytest.raises(FormError) as e:
            parse_date(text)
        assert e.value.key == "fe.date.none" and e.value.values == {"text": text}
    else:
        assert parse_date(text) == want


@pytest.mark.parametrize("text,key", [("24/12/26", "fe.date"), ("12/3", "fe.date"), ("tuần sau", "fe.date"),
                                      ("24/12/1899", "fe.date.range"), ("1/1/2101", "fe.date.range"),
                                      ("", "fe.date"), ("31/04/2026", "fe.date.none")])
def test_dates_the_form_refuses(text: str, key: str) -> None:
    with pytest.raises(FormError) as e:
        date_form(text)
    assert e.value.key == key


@given(st.integers(1, 31), st.integers(1, 12))
def test_yearly_and_lunar_dates(day: int, month: int) -> None:
    try:
        dt.date(2024, month, day)
    except ValueError:
        with pytest.raises(FormError):
            date_form(f"{day}/{month}", yearly=True)
    else:
        assert date_form(f"{day}/{month}", yearly=True) == f"{month:02d}-{day:02d}"
        assert date_form(f"{day}/{month}/2026", yearly=True) == f"{month:02d}-{day:02d}"
    if day <= 30:
        assert date_form("", lunar=True, lunar_day=str(day), lunar_month=str(month)) == f"lunar:{month:02d}-{day:02d}"
        assert date_form("", lunar=True, lunar_day=str(day), lunar_month=str(month),
                         lunar_leap=True) == f"lunar:{month:02d}L-{day:02d}"


def test_catalog_forms_pass_through_and_day_month_is_never_read_month_first() -> None:
    assert date_form("holiday:NL:King's Day") == "holiday:NL:King's Day"
    assert date_form("lunar:01-15") == "lunar:01-15"
    with pytest.raises(FormError):
        date_form("12-03")  # a clerk's 12 March, not the catalog's 3 December


WORKING = ["ngày làm việc", "Ngày làm việc", "ngay lam viec", "ngày LV", "wd", "working days"]
CALENDAR = ["ngày", "Ngày", "ngay", "ngày lịch", "d", "days"]


@given(st.integers(0, 999), st.integers(0, 999), st.booleans(), st.sampled_from(WORKING + CALENDAR), spaces,
       st.sampled_from(["-", "–", " - ", " đến ", "-"]), st.sampled_from(["", " trước"]))
def test_leads_in_a_clerks_words_are_the_catalogs_leads(a: int, b: int, single: bool, unit: str, sp: str,
                                                         dash: str, before: str) -> None:
    span = str(a) if single else f"{a}{dash}{b}"
    got = parse_lead(f"{span}{sp or ' '}{unit}{before}" if unit not in ("wd", "d") else f"{span}{unit}")
    near, far = (a, a) if single else (min(a, b), max(a, b))
    suffix = "wd" if unit in WORKING else "d"
    assert got == (f"{near}{suffix}" if near == far else f"{near}-{far}{suffix}")
    lead = catalog_lead(got)  # the catalog accepts what the form writes
    assert (lead.near, lead.far, lead.unit) == (near, far, suffix)
    assert parse_lead(lead_words(got)) == got  # and the edit form shows it back in words
    assert parse_lead(lead_words(got, "en")) == got


@pytest.mark.parametrize("text,want", [("3-5 ngày làm việc", "3-5wd"), ("10 ngày", "10d"), ("3-5wd", "3-5wd"),
                                       ("5-3 ngày làm việc", "3-5wd"), ("2 tuần", "14d"),
                                       ("từ 3 đến 5 ngày làm việc", "3-5wd"), ("7 working days", "7wd")])
def test_leads_as_clerks_write_them(text: str, want: str) -> None:
    assert parse_lead(text) == want


@pytest.mark.parametrize("text", ["", "sớm", "3-5", "3-5 tháng", "1000 ngày", "ngày làm việc"])
def test_leads_the_form_refuses(text: str) -> None:
    with pytest.raises(FormError):
        parse_lead(text)


def test_every_country_by_its_vietnamese_or_english_name_or_code() -> None:
    for code, name in VI.items():
        assert country_code(name) == code, name
        assert country_code(name.upper()) == code
        assert country_code(code.lower()) == code
    for code, name in EN.items():
        assert country_code(name) == code, name
    assert country_code("nhat ban") == "JP" and country_code("  Nhật   Bản ") == "JP"
    assert country_code("") is None
    with pytest.raises(FormError) as e:
        country_code("Nhật Bổn")
    assert e.value.values == {"text": "Nhật Bổn"}


def test_form_to_item_and_back() -> None:
    f = AdhocForm(title="Đại sứ Nhật Bản đến", date="24/12/2026", country="Nhật Bản", tags=["su-kien-doi-ngoai"],
                  tasks=[TaskFields(action="Chuẩn bị", lead="3-5 ngày làm việc", owner="so-ngoai-vu",
                                    support=["vp-ubnd", "so-ngoai-vu"]), TaskFields()])
    raw, errors = f.to_raw(DEPS, slug)
    assert errors == {}
    assert raw == {"title": "Đại sứ Nhật Bản đến", "date": "2026-12-24", "id": "dai-su-nhat-ban-den-2026-12-24",
                   "country": "JP", "tags": ["su-kien-doi-ngoai"],
                   "task": [{"id": "viec-1", "action": "Chuẩn bị", "lead": "3-5wd", "owner": "so-ngoai-vu",
                             "support": ["vp-ubnd"]}]}
    back = AdhocForm.from_item(raw)
    assert (back.date, back.country, back.tasks[0].lead) == ("24/12/2026", "Nhật Bản", "3-5 ngày làm việc")
    again, errors = back.to_raw(DEPS, slug, old=raw)
    assert errors == {} and again == raw


def test_editing_keeps_what_the_form_does_not_show() -> None:
    old = {"id": "x", "title": "X", "date": "2026-12-24", "since": "2000-12-24", "source": "công văn 12",
           "task": [{"id": "a", "action": "A", "lead": "5wd", "owner": "so-ngoai-vu", "tier": "regular"}]}
    f = AdhocForm.from_item(old)
    f.tasks[0].lead = "10 ngày"
    raw, errors = f.to_raw(DEPS, slug, old=old)
    assert errors == {}
    assert raw["since"] == "2000-12-24" and raw["source"] == "công văn 12" and raw["id"] == "x"
    assert raw["task"] == [{"id": "a", "action": "A", "lead": "10d", "owner": "so-ngoai-vu", "tier": "regular"}]


def test_each_problem_names_its_field_in_plain_words() -> None:
    f = AdhocForm(title=" ", date="12/3", country="Xứ Sở", tasks=[
        TaskFields(action="Chuẩn bị", lead="sớm"), TaskFields(action="", lead="3 ngày", owner="vp-ubnd")])
    _, errors = f.to_raw(DEPS, slug)
    assert {k: e.key for k, e in errors.items()} == {
        "title": "fe.title", "date": "fe.date", "country": "fe.country", "task1.lead": "fe.lead",
        "task1.owner": "fe.owner", "task2.action": "fe.action"}
