"""The plan appendix and the results report, read back from the files (python-docx, openpyxl,
and once through LibreOffice's PDF): dates, windows, counts from the acknowledgements,
Vietnamese intact, the administrative form, the command line.

What this file assumes about the example config (config/reminderd.toml, checked first in
``example``): Bắc Giang's People's Committee; Japan and the Netherlands among the "regular"
partners (letters 5–7 working days before), Laos among "local_cooperation" (10–15 working
days before); working days confirmed through 2026, so 2027 is provisional. The report's
tests use a small config and catalog of their own and do not depend on the example.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from reminderd import acks, tokens
from reminderd.cli import main
from reminderd.countries import country_name
from reminderd.documents import plan_appendix, render, results_report
from reminderd.documents.words import forms, org_lines, place_date
from reminderd.occurrences import occurrence_in_year
from reminderd.plan import why_inactive, window
from reminderd.runtime import Runtime, load_runtime
from reminderd.store import open_store

from .conftest import ROOT, SMALL_CONFIG
from .docsupport import read_docx, read_xlsx, table_with, xlsx_table
from .webutil import example_runtime

TODAY = dt.date(2026, 12, 5)  # the day the 2027 appendix is written
GOLDEN = ROOT / "tests" / "golden" / "documents"


def dmy(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def day(cell: object) -> dt.date:
    assert isinstance(cell, dt.datetime) and cell.time() == dt.time(0), cell
    return cell.date()


@pytest.fixture(scope="module")
def example() -> Runtime:
    rt = example_runtime()
    cfg = rt.config
    # The assumptions above, said where a changed example config would break them.
    assert cfg.org_name == "UBND tỉnh Bắc Giang", "test assumes the example config is Bắc Giang's"
    assert cfg.tier_of("JP") == cfg.tier_of("NL") == "regular", "test assumes JP, NL are regular partners"
    assert cfg.tier_of("LA") == "local_cooperation", "test assumes LA is a local_cooperation partner"
    assert cfg.get("workdays", "confirmed_through") == 2026, "test assumes 2027 is provisional"
    return rt


@pytest.fixture(scope="module")
def plan_docx(example: Runtime) -> bytes:
    return render(plan_appendix.build(example, 2027, today=TODAY), "docx")


@pytest.fixture(scope="module")
def plan_xlsx(example: Runtime) -> bytes:
    return render(plan_appendix.build(example, 2027, today=TODAY), "xlsx")


# ---- the plan appendix ------------------------------------------------------------------------


# Worked by hand from the calendar (not from reminderd): the day, and the window counted back in
# working days, skipping weekends and the days off between.
HAND = {
    # Tue 23/2/2027; 5 wd back: 22, 19, 18, 17, 16 → due Tue 16/2; 7 wd: 15, 12 → Fri 12/2 (the Tết
    # break of 2027 ends before it).
    "JP": ("Nhật Bản", "23/02/2027", "12/02/2027 – 16/02/2027", "5–7 ngày làm việc trước"),
    # Tue 27/4/2027 (King's Day); 5 wd: 26, 23, 22, 21, 20 → 20/4; 7 wd: 19, then 16/4 is Giỗ Tổ Hùng
    # Vương (10/3 âm lịch), so 15/4.
    "NL": ("Hà Lan", "27/04/2027", "15/04/2027 – 20/04/2027", "5–7 ngày làm việc trước"),
    # Thu 2/12/2027; 10 wd: 1, 30, 29, 26, 25, (24/11 Ngày Văn hóa Việt Nam, a day off from 2026), 23, 22,
    # 19, 18, 17 → 17/11; 15 wd: 16, 15, 12, 11, 10 → 10/11.
    "LA": ("Lào", "02/12/2027", "10/11/2027 – 17/11/2027", "10–15 ngày làm việc trước"),
}


def test_plan_national_days_have_the_right_dates_and_windows(example: Runtime, plan_docx: bytes) -> None:
    read = read_docx(plan_docx)
    table = table_with(read, "STT", "Nước", "Ngày Quốc khánh", "Hình thức", "Thời gian thực hiện")
    rows = {r[1]: r for r in table[1:]}
    for code, (name, day, when, rule) in HAND.items():
        row = rows[name]
        assert row[2].split("\n")[0] == day, (code, row)
        assert row[4] == f"{when}\n{rule}", (code, row)
        assert row[3] == "Thư" and row[5] == "Sở Ngoại vụ" and row[-1] == "Tạm tính", row
    assert rows["Nhật Bản"][2] == "23/02/2027\n(Ngày sinh Nhà vua Nhật Bản)"  # as Phụ lục 01 writes it
    # Every partner country whose national day falls in 2027 has its row, with the date the
    # catalog gives and the window of its tier.
    cfg, wd = example.config, example.workdays
    expected = {}
    for ev in example.catalog.events:
        if "quoc-khanh" not in ev.tags or not cfg.tier_of(ev.country) or why_inactive(ev, cfg) is not None:
            continue  # not a partner, or an alternative national day the province did not choose
        occ = occurrence_in_year(ev, 2027)
        if occ is None or occ.date.year != 2027:
            continue
        rule = next(r for r in ev.tasks if r.tier == cfg.tier_of(ev.country))
        start, due = window(wd, occ.date, rule.lead)
        expected[country_name(ev.country or "")] = (occ.date, start, due, rule.lead)
    assert set(rows) == set(expected), "one row per partner country with a national day in 2027"
    for name, (day, start, due, lead) in expected.items():
        row = rows[name]
        assert row[2].split("\n")[0] == dmy(day)
        assert row[4].split("\n")[0] == f"{dmy(start)} – {dmy(due)}"
        assert row[4].split("\n")[1] == f"{lead.near}–{lead.far} ngày làm việc trước"
    dates = [dt.date(int(r[2][6:10]), int(r[2][3:5]), int(r[2][:2])) for r in table[1:]]
    assert dates == sorted(dates), "sorted by date"
    assert [r[0] for r in table[1:]] == [str(i) for i in range(1, len(table))]


def test_plan_groups_and_lao_party_anniversary(plan_docx: bytes) -> None:
    read = read_docx(plan_docx)
    headings = [p for p in read.paragraphs if re.match(r"^[IV]+\. ", p)]
    assert headings == ["I. NGÀY QUỐC KHÁNH CÁC NƯỚC", "II. NĂM MỚI, TẾT CỔ TRUYỀN", "III. NGÀY KỶ NIỆM",
                        "IV. HỘI NGHỊ, SỰ KIỆN ĐỐI NGOẠI", "V. BÁO CÁO, KẾ HOẠCH ĐỊNH KỲ"]
    anniversaries = read.tables[3]
    i = next(i for i, r in enumerate(anniversaries) if "Đảng Nhân dân Cách mạng Lào" in r[0])
    assert len(anniversaries[i]) == 1, "the occasion heads its tasks in a row of its own"
    assert anniversaries[i][0].startswith("Kỷ niệm 72 năm Ngày thành lập Đảng Nhân dân Cách mạng Lào")
    assert anniversaries[i][0].endswith("— 22/03/2027")
    task = anniversaries[i + 1]
    assert "Bí thư Tỉnh ủy" in task[1] and "72 năm" in task[1]
    assert task[2] == "Thư"  # "Bí thư" is not what makes it a letter; "thư chúc mừng" is
    assert task[3].endswith("\n10–15 ngày làm việc trước") and task[4] == "Sở Ngoại vụ"
    # New Year and Tết: the forms read from the tasks' words.
    tet = {r[1]: r[2] for r in read.tables[2] if len(r) > 1}
    assert any(f == "Thiếp" for f in tet.values()) and any(f == "Đoàn thăm" for f in tet.values())


def test_plan_xlsx_rows_are_typed_and_complete(example: Runtime, plan_xlsx: bytes) -> None:
    sheets = read_xlsx(plan_xlsx)
    assert list(sheets) == ["Quốc khánh", "Năm mới, Tết", "Kỷ niệm", "Hội nghị, sự kiện", "Báo cáo định kỳ"]
    national = {r["Nước"]: r for r in xlsx_table(sheets["Quốc khánh"])}
    jp = national["Nhật Bản"]
    # openpyxl reads a date cell back as a naive datetime at midnight
    assert day(jp["Ngày"]) == dt.date(2027, 2, 23) and day(jp["Hạn"]) == dt.date(2027, 2, 16)
    assert day(jp["Từ ngày"]) == dt.date(2027, 2, 12) and jp["Quy tắc"] == "5–7 ngày làm việc trước"
    assert jp["Sự kiện"] == "Ngày sinh Nhà vua Nhật Bản" and jp["Ghi chú"] == "Tạm tính"
    assert day(national["Lào"]["Ngày"]) == dt.date(2027, 12, 2)
    lao = next(r for r in xlsx_table(sheets["Kỷ niệm"]) if r["Mã sự kiện"] == "ky-niem-thanh-lap-dang-ndcm-lao")
    assert lao["Kỷ niệm"] == "Kỷ niệm 72 năm" and day(lao["Ngày"]) == dt.date(2027, 3, 22)
    # Every task of the year is in the workbook once, in the sheet of its group.
    tasks = plan_appendix.year_tasks(example, 2027)
    got = [(r["Mã sự kiện"], r["Mã việc"]) for name in sheets for r in xlsx_table(sheets[name])]
    assert sorted(got) == sorted((t.event.id, t.rule.id) for t in tasks)


def test_plan_vietnamese_and_administrative_form(plan_docx: bytes) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    read = read_docx(plan_docx)
    text = "\n".join(read.lines)
    assert unicodedata.normalize("NFC", text) == text
    assert "\ufffd" not in text and "?" not in text.replace("(?)", "")
    header = read.tables[0]
    assert header[0][0] == "ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\n"
    assert header[0][1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    assert header[1][1] == "Bắc Giang, ngày 05 tháng 12 năm 2026"
    for line in ("Phụ lục", "CÁC NGÀY LỄ, SỰ KIỆN ĐỐI NGOẠI VÀ NHIỆM VỤ NĂM 2027",
                 "(Kèm theo Kế hoạch số          /KH-UBND ngày      /     /2027 của UBND tỉnh Bắc Giang)"):
        assert line in read.paragraphs
    assert any("Lịch nghỉ lễ, Tết năm 2027 chưa được xác nhận chính thức" in p for p in read.paragraphs)
    d = read.document
    for s in d.sections:
        assert s.orientation == WD_ORIENT.LANDSCAPE
        assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (29.7, 21.0)
        assert [round(m.mm) for m in (s.left_margin, s.right_margin, s.top_margin, s.bottom_margin)] == [30, 15, 20, 20]
    normal = d.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(13)
    first = d.sections[0]
    assert first.different_first_page_header_footer, "no page number on the first page"
    assert not first.first_page_header.paragraphs[0].text
    assert "PAGE" in first.header._element.xml  # the page-number field
    national = d.tables[1]
    assert "w:tblHeader" in national.rows[0]._tr.xml, "the header row repeats on every page"


def test_plan_department_and_empty_year(example: Runtime, make_env) -> None:  # type: ignore[no-untyped-def]
    doc = plan_appendix.build(example, 2027, department="vp-ubnd", today=TODAY)
    read = read_docx(render(doc, "docx"))
    assert "Đơn vị: Văn phòng UBND tỉnh (các nhiệm vụ chủ trì hoặc phối hợp)" in read.paragraphs
    assert doc.filename == "Phụ lục kế hoạch năm 2027 - Văn phòng UBND tỉnh"
    n = 0
    for t in read.tables[1:]:
        owner, support = t[0].index("Cơ quan chủ trì"), t[0].index("Cơ quan phối hợp")
        for r in t[1:]:
            if len(r) > 1:  # a task row, not an occasion's heading
                n += 1
                assert r[owner] == "Văn phòng UBND tỉnh" or "Văn phòng UBND tỉnh" in r[support].split(", "), r
    mine = plan_appendix.year_tasks(example, 2027, "vp-ubnd")
    assert n == len(mine) and {t.owner for t in mine} > {"vp-ubnd"}, "led and coordinated"
    rt = load_runtime(make_env(catalog="", config=SMALL_CONFIG.replace(
        'paths = ["calendars"]', 'paths = ["calendars"]\nallow_empty = true')))
    empty = plan_appendix.build(rt, 2027, today=TODAY)
    assert "Không có nhiệm vụ nào trong năm 2027." in read_docx(render(empty, "docx")).paragraphs
    assert "Không có nhiệm vụ nào trong năm 2027." in str(read_xlsx(render(empty, "xlsx")))


def test_plan_in_english(make_env) -> None:  # type: ignore[no-untyped-def]
    cfg = make_env(config=SMALL_CONFIG.replace('name = "UBND tỉnh Thử"', 'name = "UBND tỉnh Thử"\nlanguage = "en"'))
    rt = load_runtime(cfg)
    read = read_docx(render(plan_appendix.build(rt, 2026, today=dt.date(2026, 2, 3)), "docx"))
    assert read.tables[0][0][1] == "SOCIALIST REPUBLIC OF VIET NAM\nIndependence - Freedom - Happiness\n"
    assert read.tables[0][1][1] == "Thử, 3 February 2026"
    assert "I. NATIONAL DAYS" in read.paragraphs and "Appendix" in read.paragraphs
    national = table_with(read, "No.", "Country", "National day", "Form", "When")
    assert national[1][1] == "Japan" and national[1][3] == "Letter"
    assert national[1][4].endswith("\n5–7 working days before") and national[1][-1] == "Provisional"


# ---- the results report -----------------------------------------------------------------------

REPORT_CATALOG = """
[[event]]
id = "quoc-khanh-jp"
title = "Quốc khánh Nhật Bản"
date = "02-23"
country = "JP"
tags = ["quoc-khanh"]

[[event.task]]
id = "thu-chuc-mung"
action = "Chủ tịch UBND tỉnh gửi thư chúc mừng Đại sứ quán Nhật Bản"
lead = "5-7wd"
owner = "so-ngoai-vu"
tier = "regular"

[[event]]
id = "hoi-nghi-xuc-tien"
title = "Hội nghị xúc tiến đầu tư Hàn Quốc"
date = "2026-03-20"
tags = ["su-kien-doi-ngoai"]

[[event.task]]
id = "chuan-bi"
action = "Văn phòng UBND tỉnh chuẩn bị hội trường, tài liệu"
lead = "5wd"
owner = "vp-ubnd"
support = ["so-ngoai-vu"]

[[event.task]]
id = "le-tan"
action = "Sở Ngoại vụ hướng dẫn lễ tân, biên phiên dịch"
lead = "3wd"
owner = "so-ngoai-vu"

[[event]]
id = "bao-cao-6-thang"
title = "Hạn báo cáo 6 tháng công tác đối ngoại (trước 25/5)"
date = "05-25"
tags = ["bao-cao-dinh-ky"]

[[event.task]]
id = "bao-cao-snv"
action = "Sở Ngoại vụ tổng hợp báo cáo 6 tháng năm {year}"
lead = "1-10wd"
owner = "so-ngoai-vu"

[[event.task]]
id = "bao-cao-vp"
action = "Văn phòng UBND tỉnh gửi báo cáo 6 tháng năm {year}"
lead = "1-10wd"
owner = "vp-ubnd"
"""

START, END, REPORT_DAY = dt.date(2026, 1, 1), dt.date(2026, 5, 25), dt.date(2026, 5, 22)
HANOI = dt.timezone(dt.timedelta(hours=7))


def _report_env(make_env, db_url: str):  # type: ignore[no-untyped-def]
    """Five tasks due in the period and their acknowledgements: two done on time, one late,
    one overdue, one not yet due on the report's day."""
    cfg = make_env(catalog=REPORT_CATALOG, config=SMALL_CONFIG.replace(
        'url = "sqlite:///state/reminderd.db"', f'url = "{db_url}"'))
    rt = load_runtime(cfg)
    store = open_store(db_url)
    due = {t.rule.id: t for t in results_report.due_tasks(rt, START, END)}
    assert set(due) == {"thu-chuc-mung", "chuan-bi", "le-tan", "bao-cao-snv", "bao-cao-vp"}
    assert due["chuan-bi"].due == dt.date(2026, 3, 13) and due["bao-cao-vp"].due == REPORT_DAY
    tid, _ = tokens.create(store, "access", "department/so-ngoai-vu", "Phòng Hợp tác quốc tế",
                           dt.datetime(2026, 1, 2, tzinfo=dt.UTC))

    def ack(task_id: str, at: dt.datetime, by: str, via: str, note: str = "") -> None:
        t = due[task_id]
        assert acks.mark_done(store, t.event.id, task_id, t.occurrence.year, by, via, note, at)

    jp = due["thu-chuc-mung"].due
    ack("thu-chuc-mung", dt.datetime(jp.year, jp.month, jp.day, 21, 30, tzinfo=HANOI),  # late evening: on time
        "songoaivu@example.gov.vn", "email")
    ack("chuan-bi", dt.datetime(2026, 3, 17, 9, 0, tzinfo=HANOI), "nguyen.van.a", "cli")  # Tue after a Fri
    ack("bao-cao-snv", dt.datetime(2026, 5, 20, 8, 0, tzinfo=HANOI), f"token {tid}: Phòng Hợp tác quốc tế", "web",
        "Đã gửi Báo cáo số 12/BC-SNgV")
    return rt, store, due


def test_report_counts_match_the_acknowledgements(make_env, db_url: str) -> None:  # type: ignore[no-untyped-def]
    rt, store, due = _report_env(make_env, db_url)
    rows = results_report.gather(rt, store, START, END, REPORT_DAY)
    doc = results_report.build(rt, rows, START, END, today=REPORT_DAY, store=store)
    read = read_docx(render(doc, "docx"))

    # What the acks table says, classified here on its own.
    recorded = {(a.event_id, a.task_id, a.year): a for a in acks.list_acks(store, 2026)}
    want: dict[str, list[int]] = {}
    for t in due.values():
        a = recorded.get(t.ack_key)
        done_on = a.done_at.astimezone(HANOI).date() if a else None
        c = want.setdefault(rt.config.department_name(t.owner), [0, 0, 0, 0, 0])
        c[0] += 1
        c[1] += bool(done_on and done_on <= t.due)
        c[2] += bool(done_on and done_on > t.due)
        c[3] += done_on is None
        c[4] += done_on is None and t.due < REPORT_DAY
    assert want == {"Sở Ngoại vụ": [3, 2, 0, 1, 1], "Văn phòng UBND tỉnh": [2, 0, 1, 1, 0]}

    summary = table_with(read, "STT", "Cơ quan chủ trì", "Tổng số nhiệm vụ")
    assert summary[0][2:] == ["Tổng số nhiệm vụ", "Hoàn thành đúng hạn", "Hoàn thành trễ hạn", "Chưa hoàn thành",
                              "Trong đó quá hạn"]
    got = {r[1]: [int(x) for x in r[2:]] for r in summary[1:-1]}
    assert got == want
    assert summary[-1][1:] == ["Tổng cộng", "5", "2", "1", "2", "1"]
    assert ("Tổng số 5 nhiệm vụ: 2 hoàn thành đúng hạn, 1 hoàn thành trễ hạn, 2 chưa hoàn thành "
            "(trong đó 1 đã quá hạn).") in read.paragraphs

    detail = {r[1]: r for r in table_with(read, "STT", "Nội dung nhiệm vụ", "Sự kiện")[1:]}
    jp = detail["Chủ tịch UBND tỉnh gửi thư chúc mừng Đại sứ quán Nhật Bản"]
    assert jp[4:8] == [dmy(due["thu-chuc-mung"].due), "Hoàn thành đúng hạn", dmy(due["thu-chuc-mung"].due),
                       "songoaivu@example.gov.vn (liên kết trong thư)"]
    late = detail["Văn phòng UBND tỉnh chuẩn bị hội trường, tài liệu"]
    assert late[3:8] == ["Văn phòng UBND tỉnh", "13/03/2026", "Hoàn thành trễ hạn 2 ngày làm việc", "17/03/2026",
                         "nguyen.van.a (dòng lệnh)"]
    snv = detail["Sở Ngoại vụ tổng hợp báo cáo 6 tháng năm 2026"]
    assert snv[5:] == ["Hoàn thành đúng hạn", "20/05/2026", "Phòng Hợp tác quốc tế (liên kết đơn vị)",
                       "Đã gửi Báo cáo số 12/BC-SNgV"]
    assert detail["Văn phòng UBND tỉnh gửi báo cáo 6 tháng năm 2026"][5] == "Chưa đến hạn"
    overdue = table_with(read, "STT", "Nội dung nhiệm vụ", "Sự kiện", "Cơ quan chủ trì", "Hạn")
    overdue = next(t for t in read.tables if t[0][-1] == "Số ngày làm việc quá hạn")
    assert [r[1] for r in overdue[1:]] == ["Sở Ngoại vụ hướng dẫn lễ tân, biên phiên dịch"]
    le_tan = due["le-tan"]
    assert overdue[1][-2:] == [dmy(le_tan.due), str(rt.workdays.between(le_tan.due, REPORT_DAY))]

    # The workbook says the same, in numbers.
    sheets = read_xlsx(render(doc, "xlsx"))
    assert list(sheets) == ["Tổng hợp", "Chi tiết", "Quá hạn"]
    totals = {r["Cơ quan chủ trì"]: [r[k] for k in ("Tổng số nhiệm vụ", "Hoàn thành đúng hạn", "Hoàn thành trễ hạn",
                                                     "Chưa hoàn thành", "Trong đó quá hạn")]
              for r in xlsx_table(sheets["Tổng hợp"])}
    assert totals == {**want, "Tổng cộng": [5, 2, 1, 2, 1]}
    rows_x = {r["Mã việc"]: r for r in xlsx_table(sheets["Chi tiết"])}
    assert day(rows_x["chuan-bi"]["Ngày hoàn thành"]) == dt.date(2026, 3, 17)
    assert rows_x["chuan-bi"]["Cơ quan phối hợp"] == "Sở Ngoại vụ"
    store.dispose()


def test_report_for_one_department(make_env, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    rt, store, _ = _report_env(make_env, sqlite_url)
    rows = results_report.gather(rt, store, START, END, REPORT_DAY, department="vp-ubnd")
    assert {r.task.rule.id for r in rows} == {"chuan-bi", "bao-cao-vp"}
    rows = results_report.gather(rt, store, START, END, REPORT_DAY, department="so-ngoai-vu")
    assert {r.task.rule.id for r in rows} == {"thu-chuc-mung", "chuan-bi", "le-tan", "bao-cao-snv"}  # + support
    doc = results_report.build(rt, rows, START, END, today=REPORT_DAY, department="so-ngoai-vu", store=store)
    read = read_docx(render(doc, "docx"))
    assert "Đơn vị: Sở Ngoại vụ (các nhiệm vụ chủ trì hoặc phối hợp)" in read.paragraphs
    assert read.tables[0][0][0].startswith("ỦY BAN NHÂN DÂN") and read.tables[0][1][0] == "Số:          /BC-UBND"
    store.dispose()


# ---- words -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "want"), [
    ("Chủ tịch UBND tỉnh gửi thư chúc mừng Đại sứ quán Lào", ("letter",)),
    ("Tham mưu thư chúc mừng của Bí thư Tỉnh ủy gửi Bí thư, Tỉnh trưởng", ("letter",)),
    ("Bí thư Tỉnh ủy tiếp Đại sứ", ()),
    ("Gửi điện mừng Quốc khánh", ("telegram",)),
    ("Sở Ngoại vụ gửi thiếp chúc mừng năm mới", ("card",)),
    ("Không can thiệp vào công việc nội bộ", ()),
    ("Đoàn lãnh đạo UBND tỉnh thăm, chúc Tết Đại sứ quán", ("visit",)),
    ("The Chairman sends a letter of congratulations", ("letter",)),
    ("Provincial leaders' delegation visits embassies for Tết", ("visit",)),
    ("Văn phòng UBND tỉnh gửi Sở Ngoại vụ báo cáo 6 tháng", ()),
])
def test_form_of_a_greeting_from_the_task_words(action: str, want: tuple[str, ...]) -> None:
    assert forms(action) == want


def test_header_wordings() -> None:
    assert org_lines("UBND tỉnh Bắc Giang") == (("ỦY BAN NHÂN DÂN", True), ("TỈNH BẮC GIANG", True))
    assert org_lines("Sở Ngoại vụ tỉnh Tuyên Quang") == (("UBND TỈNH TUYÊN QUANG", False), ("SỞ NGOẠI VỤ", True))
    assert org_lines("Ban Đối ngoại") == (("BAN ĐỐI NGOẠI", True),)
    # Nghị định 30/2020/NĐ-CP: days below 10 and months 1, 2 with a leading zero.
    assert place_date("Bình Định", dt.date(2027, 2, 5), "vi") == "Bình Định, ngày 05 tháng 02 năm 2027"
    assert place_date("Bình Định", dt.date(2027, 3, 15), "vi") == "Bình Định, ngày 15 tháng 3 năm 2027"
    assert place_date("", dt.date(2027, 11, 1), "vi") == "Ngày 01 tháng 11 năm 2027"


# ---- golden text: the small config's documents, as read back -----------------------------------


def test_documents_golden_text(make_env, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    """The documents' whole text, read back, against tests/golden/documents (UPDATE_GOLDEN=1 rewrites)."""
    rt, store, _ = _report_env(make_env, sqlite_url)
    docs = {
        "plan_2026.txt": plan_appendix.build(rt, 2026, today=dt.date(2025, 12, 1)),
        "report_2026_h1.txt": results_report.build(
            rt, results_report.gather(rt, store, START, END, REPORT_DAY), START, END, today=REPORT_DAY, store=store),
    }
    for name, doc in docs.items():
        text = "\n".join(read_docx(render(doc, "docx")).lines) + "\n"
        path = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), f"{name} changed; UPDATE_GOLDEN=1 to accept"
    store.dispose()


# ---- the command line ---------------------------------------------------------------------------


def test_cli_plan_and_report(make_env, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    cfg = str(make_env(catalog=REPORT_CATALOG))
    out = tmp_path / "phụ lục.xlsx"
    assert main(["--config", cfg, "document", "plan", "--year", "2026", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert said == f"Đã ghi {out}: 5 nhiệm vụ trong 3 bảng.\n"
    assert set(read_xlsx(out.read_bytes())) == {"Quốc khánh", "Hội nghị, sự kiện", "Báo cáo định kỳ"}
    # No database yet: said on stderr, and every task counts as not done.
    rep = tmp_path / "bc.docx"
    assert main(["--config", cfg, "document", "report", "--from", "2026-01-01", "--to", "2026-05-25",
                 "-o", str(rep)]) == 0
    o, e = capsys.readouterr()
    assert "chưa có CSDL" in e and "0 đúng hạn, 0 trễ hạn, 5 chưa hoàn thành" in o
    assert "Báo cáo kết quả" not in o and rep.exists()
    for argv, msg in (
        (["plan", "--year", "2026", "-o", str(tmp_path / "x.pdf")], "cần tên tệp có đuôi .docx hoặc .xlsx"),
        (["plan", "--year", "2026", "--department", "so-khong-co"], "--department 'so-khong-co'"),
        (["plan", "--year", "2026", "-o", str(tmp_path / "khong-co" / "x.docx")], "không có thư mục"),
        (["report", "--from", "2026-05-25", "--to", "2026-01-01", "-o", str(rep)], "khoảng ngày bị ngược"),
    ):
        assert main(["--config", cfg, "document", *argv]) == 1, argv
        err = capsys.readouterr().err
        assert msg in err and "Traceback" not in err and err.count("\n") == 1, err
    with pytest.raises(SystemExit):
        main(["--config", cfg, "document", "plan", "--year", "3000"])
    assert "1900–2100" in capsys.readouterr().err


# ---- rendering: LibreOffice reads the .docx, once ---------------------------------------------------


def test_docx_renders_in_libreoffice(example: Runtime, plan_docx: bytes, make_env, sqlite_url: str,  # type: ignore[no-untyped-def]
                                     tmp_path: Path) -> None:
    """Both documents through one LibreOffice conversion to PDF: LibreOffice is the reader that
    did not write them. Pages, orientation, page numbers, and the text as it reads it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed; .ci/run installs "
                    "libreoffice-writer-nogui and poppler-utils when it can")
    rt, store, _ = _report_env(make_env, sqlite_url)
    report = results_report.build(rt, results_report.gather(rt, store, START, END, REPORT_DAY), START, END,
                                  today=REPORT_DAY, store=store)
    store.dispose()
    (tmp_path / "plan.docx").write_bytes(plan_docx)
    (tmp_path / "report.docx").write_bytes(render(report, "docx"))
    env = {**os.environ, "HOME": str(tmp_path)}  # its own profile: no clash with another soffice
    subprocess.run([soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "plan.docx"), str(tmp_path / "report.docx")],
                   check=True, capture_output=True, timeout=240, env=env)

    def pages(pdf: Path) -> list[str]:
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")

    def sizes(pdf: Path) -> list[tuple[float, float]]:
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True, capture_output=True,
                              text=True).stdout
        return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]

    plan = pages(tmp_path / "plan.pdf")
    plan_sizes = sizes(tmp_path / "plan.pdf")
    n_tasks = len(plan_appendix.year_tasks(example, 2027))
    # Rows never split and are 3–10 lines each: 107 tasks fill roughly 12–25 landscape pages.
    assert n_tasks // 9 <= len(plan) <= n_tasks // 4, (len(plan), n_tasks)
    assert all(round(w) == 842 and round(h) == 595 for w, h in plan_sizes), "A4 landscape"
    assert not re.match(r"\s*1\s*\n", plan[0]), "no number on the first page"
    for k, page in enumerate(plan[1:], 2):
        assert page.strip().split("\n")[0].strip() == str(k), f"page {k} is numbered at the top"
    whole = " ".join(" ".join(p.split()) for p in plan)
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN",
                 "Bắc Giang, ngày 05 tháng 12 năm 2026", "Nhật Bản", "23/02/2027", "Hà Lan", "27/04/2027",
                 "02/12/2027", "Kỷ niệm 72 năm Ngày thành lập Đảng Nhân dân Cách mạng Lào",
                 "10–15 ngày làm việc", "Tạm tính"):
        assert text in whole, text
    assert whole.count("Tạm tính") >= n_tasks, "every task's row made it to the PDF"

    rep = pages(tmp_path / "report.pdf")
    rep_sizes = sizes(tmp_path / "report.pdf")
    assert rep_sizes[0] == pytest.approx((595.3, 841.9), abs=1), "the report opens in portrait"
    assert all(round(w) == 842 for w, _ in rep_sizes[1:]), "its wide tables are landscape"
    assert 2 <= len(rep) <= 4
    rwhole = " ".join(" ".join(p.split()) for p in rep)
    for text in ("BÁO CÁO", "Tổng cộng", "Hoàn thành trễ hạn 2 ngày làm việc",
                 "Phòng Hợp tác quốc tế (liên kết đơn vị)", "CÁC NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH"):
        assert text in rwhole, text


def test_on_time_is_judged_by_the_day_in_the_organisations_timezone(make_env, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    rt, store, due = _report_env(make_env, sqlite_url)
    store.dispose()
    t = due["bao-cao-vp"]  # due Friday 22/05/2026

    def ack_at(at: dt.datetime) -> acks.Ack:
        return acks.Ack(t.event.id, t.rule.id, t.occurrence.year, at, "vp", "web", "", None)

    before_midnight = dt.datetime(2026, 5, 22, 16, 59, tzinfo=dt.UTC)  # 23:59 in Hà Nội
    after_midnight = dt.datetime(2026, 5, 22, 17, 30, tzinfo=dt.UTC)  # 00:30 on Saturday in Hà Nội
    [on_time] = results_report.classify(rt, [t], {t.ack_key: ack_at(before_midnight)}, REPORT_DAY)
    [late] = results_report.classify(rt, [t], {t.ack_key: ack_at(after_midnight)}, REPORT_DAY)
    assert (on_time.status, on_time.done_on) == ("on_time", dt.date(2026, 5, 22))
    # Done on the Saturday after a Friday deadline: late by one working day, as on the Monday.
    assert (late.status, late.done_on, late.days_late) == ("late", dt.date(2026, 5, 23), 1)
