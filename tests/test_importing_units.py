"""The importer's parts: times as clerks write them (table and property tests, the dates
checked with the plan's own window arithmetic) and department names (every variant)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reminderd.catalog import parse_lead
from reminderd.config import load_config
from reminderd.importing.columns import field_of
from reminderd.importing.departments import Departments
from reminderd.importing.timeexpr import NotUnderstood, When, parse

from .conftest import EXAMPLE_CONFIG, example_with_every_department


def every_department():  # type: ignore[no-untyped-def]
    """The example config with the other provinces' departments too (their plans name them)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "reminderd.toml"
        calendars = f'"{EXAMPLE_CONFIG.parent.parent}/calendars/'
        p.write_text(example_with_every_department().replace('"../calendars/', calendars), encoding="utf-8")
        return load_config(p)

TABLE = [
    # text, plan year → (date form, lead, start, until)
    ("15/03/2025", 2024, ("2025-03-15", "5-15wd", None, None)),
    ("ngày 15 tháng 3 năm 2025", 2024, ("2025-03-15", "5-15wd", None, None)),
    ("trước 30/11", 2025, ("2025-11-30", "1-10wd", None, None)),
    ("Trước ngày 30/11/2025", 2024, ("2025-11-30", "1-10wd", None, None)),
    ("tháng 3/2025", 2024, ("2025-03-31", "1-31d", None, None)),
    ("Tháng 2/2024", 2024, ("2024-02-29", "1-29d", None, None)),
    ("tháng 3", 2025, ("2025-03-31", "1-31d", None, None)),
    ("quý II", 2025, ("2025-06-30", "1-91d", None, None)),
    ("Quý IV/2022", 2025, ("2022-12-31", "1-92d", None, None)),
    ("quý 1 năm 2024", 2025, ("2024-03-31", "1-91d", None, None)),
    ("Quý IV/2022 và các năm tiếp theo", 2025, ("12-31", "1-92d", 2022, None)),
    ("6 tháng đầu năm", 2025, ("2025-06-30", "1-181d", None, None)),
    ("6 tháng cuối năm 2024", 2025, ("2024-12-31", "1-184d", None, None)),
    ("trước Tết Nguyên đán", 2025, ("lunar:01-01", "3-10wd", 2026, 2026)),
    ("Trước Tết Nguyên đán hằng năm", 2025, ("lunar:01-01", "3-10wd", 2025, None)),
    ("hằng năm", 2025, ("12-15", "5-15wd", 2025, None)),
    ("Hàng năm", 2025, ("12-15", "5-15wd", 2025, None)),
    ("Năm 2022, 2023 và các năm tiếp theo", 2025, ("12-15", "5-15wd", 2022, None)),
    ("Năm 2022, 2023", 2025, ("12-15", "5-15wd", 2022, 2023)),
    ("Năm 2021", 2025, ("2021-12-15", "5-15wd", None, None)),
    ("20/5 hằng năm", 2025, ("05-20", "5-15wd", 2025, None)),
]
NOT_UNDERSTOOD = [
    ("thường xuyên", "thường xuyên"), ("Thường xuyên", "thường xuyên"), ("", "trống"),
    ("Theo yêu cầu thực hiện nhiệm vụ cụ thể", "không có mốc thời gian cụ thể"),
    ("Theo Kế hoạch số 79/KH-UBND", "không có mốc thời gian cụ thể"),
    ("Sau khi MOU được ký kết", "không có mốc thời gian cụ thể"),
    ("30/02/2025", "không có ngày 30/2/2025"), ("tháng 13/2025", "không có ngày tháng 13"),
    ("tháng 3 và tháng 9", "nhiều mốc thời gian"), ("sớm", "không nhận ra mốc thời gian"),
]


@pytest.mark.parametrize(("text", "year", "expected"), TABLE)
def test_times_table(text, year, expected):
    w = parse(text, year)
    assert isinstance(w, When), w
    assert (w.date, w.lead, w.start, w.until) == expected
    assert w.vi and w.en
    parse_lead(w.lead)  # a lead the catalog accepts


@pytest.mark.parametrize(("text", "fragment"), NOT_UNDERSTOOD)
def test_times_not_understood_say_why(text, fragment):
    w = parse(text, 2025)
    assert isinstance(w, NotUnderstood) and fragment in w.vi and w.en


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)), st.sampled_from(["/", "-", "."]),
       st.booleans())
def test_any_written_date(d, sep, padded):
    text = f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}" if padded else f"{d.day}{sep}{d.month}{sep}{d.year}"
    w = parse(text, 2000)
    assert isinstance(w, When) and w.date == d.isoformat()
    w = parse("trước " + text, 2000)
    assert isinstance(w, When) and (w.date, w.lead) == (d.isoformat(), "1-10wd")


@settings(max_examples=200, deadline=None)
@given(st.integers(1950, 2090), st.integers(1, 12))
def test_a_month_opens_the_day_before_it_and_is_due_the_day_before_its_end(y, m):
    w = parse(f"tháng {m}/{y}", 2000)
    assert isinstance(w, When)
    last = dt.date(y, m, calendar.monthrange(y, m)[1])
    lead = parse_lead(w.lead)
    assert w.date == last.isoformat() and lead.unit == "d"
    assert last - dt.timedelta(days=lead.far) == dt.date(y, m, 1) - dt.timedelta(days=1)
    assert lead.near == 1


@settings(max_examples=100, deadline=None)
@given(st.integers(1950, 2090), st.integers(1, 4), st.sampled_from(["I", "II", "III", "IV"]))
def test_a_quarter_covers_its_three_months(y, q, _):
    roman = ["I", "II", "III", "IV"][q - 1]
    for text in (f"quý {roman}/{y}", f"Quý {q} năm {y}"):
        w = parse(text, 2000)
        assert isinstance(w, When)
        end = dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        lead = parse_lead(w.lead)
        assert w.date == end.isoformat()
        assert end - dt.timedelta(days=lead.far) == dt.date(y, 3 * q - 2, 1) - dt.timedelta(days=1)


DEPARTMENTS = [
    ("Sở Ngoại vụ", ("so-ngoai-vu",)), ("SỞ NGOẠI VỤ", ("so-ngoai-vu",)), ("so ngoai vu", ("so-ngoai-vu",)),
    ("Sở NV", ("so-ngoai-vu",)), ("Sở Ngoại vụ tỉnh", ("so-ngoai-vu",)),
    ("VP UBND tỉnh", ("vp-ubnd",)), ("Văn phòng Ủy ban nhân dân tỉnh", ("vp-ubnd",)),
    ("Sở KH&ĐT", ("so-khdt",)), ("Sở KH và ĐT", ("so-khdt",)), ("Sở TT&TT", ("so-tttt",)),
    ("Sở VHTTDL", ("so-vhttdl",)), ("Sở Văn hóa, Thể thao và Du lịch", ("so-vhttdl",)), ("Sở NN&PTNT", ("so-nnptnt",)),
    ("Công an", ("cong-an",)), ("Công an tỉnh", ("cong-an",)), ("BCH BĐBP tỉnh", ("bch-bdbp",)),
    ("UBND các huyện, thị xã, thành phố", ("ubnd-huyen",)), ("UBND huyện, thành phố", ("ubnd-huyen",)),
    ("Sở Kế hoạch và Đầu tư, Sở Công Thương, Sở Du lịch, Ban Quản lý Khu kinh tế tỉnh",
     ("so-khdt", "so-cong-thuong", "so-du-lich", "bql-kkt")),
    ("Sở Ngoại vụ; Sở Thông tin và Truyền thông", ("so-ngoai-vu", "so-tttt")),
    ("Sở Du lịch", ("so-du-lich",)), ("Ban Tuyên giáo Tỉnh ủy", ("ban-tuyen-giao",)),
    ("Các sở, ban, ngành liên quan", ()), ("Sở Nội vụ", ()), ("Cục Ngoại vụ", ()),
]


@pytest.mark.parametrize(("text", "ids"), DEPARTMENTS)
def test_department_names(text, ids):
    deps = Departments(every_department())
    assert deps.match(text).ids == ids


def test_leftovers_are_kept_and_generic_ones_told_apart():
    deps = Departments(every_department())
    m = deps.match("Sở Ngoại vụ, Cục Ngoại vụ, Học Viện Ngoại giao; các sở, ban, ngành liên quan")
    assert m.ids == ("so-ngoai-vu",)
    assert m.rest == ("Cục Ngoại vụ, Học Viện Ngoại giao", "các sở, ban, ngành liên quan")
    assert m.unknown == ("Cục Ngoại vụ, Học Viện Ngoại giao",)


@pytest.mark.parametrize(("header", "field"), [
    ("Nội dung", "content"), ("Tên hoạt động", "content"), ("Nhiệm vụ", "content"), ("Nội dung nhiệm vụ", "content"),
    ("Thời gian", "time"), ("Thời gian thực hiện", "time"), ("Ngày", "time"), ("Đơn vị chủ trì", "owner"),
    ("Chủ trì", "owner"), ("Cơ quan chủ trì\ntham mưu/thực hiện", "owner"), ("Đơn vị phối hợp", "support"),
    ("Phối hợp", "support"), ("Cơ quan phối hợp", "support"), ("Ghi chú", "note"), ("STT", "stt"), ("TT", "stt"),
    ("Tên nước", "country"), ("Ngày Quốc khánh", "national_day"), ("Kinh phí", None)])
def test_headers(header, field):
    assert field_of(header) == field
