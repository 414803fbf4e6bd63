"""Importing plan appendices: the provinces' own tables (Bình Định's and Tuyên Quang's tasks,
Bắc Giang's Phụ lục 01) as .xlsx, .csv and .docx files built here — every row imported with
the right department and date rule, or listed as not understood with a reason; importing
again changes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from reminderd.cli import main

from . import appendix
from .conftest import ROOT, example_with_every_department

SO = "so-ngoai-vu"
# STT → (status, owners, supports, date form, lead, start, until), as a person reads the table.
BD_EXPECTED = [
    ("I", "heading"),
    ("1", "new", (SO,), (), "2022-12-31", "1-92d", None, None),
    ("2", "new", (SO, "so-khdt", "so-cong-thuong", "so-du-lich", "bql-kkt"), (), "12-15", "5-15wd", 2022, None),
    ("3", "new", (SO,), (), "12-15", "5-15wd", 2022, None),
    ("STT", "skipped"),
    ("4", "new", (SO,), (), "12-15", "5-15wd", 2022, None),
    ("5", "error"),
    ("II", "heading"),
    ("1", "new", (SO,), ("so-khdt", "so-cong-thuong"), "2022-12-31", "1-92d", None, None),
    ("2", "new", (SO,), ("so-khdt", "so-cong-thuong", "bql-kkt"), "2022-11-30", "1-30d", None, None),
    ("3", "new", ("so-khdt", "so-cong-thuong", "so-du-lich"), (SO,), "12-31", "1-92d", 2022, None),
    ("4", "error"),
    ("5", "new", (SO,), ("ubnd-huyen",), "12-15", "5-15wd", 2022, None),
    ("III", "heading"),
    ("1", "new", (SO, "so-tttt"), ("so-khdt", "so-cong-thuong", "so-du-lich", "bql-kkt"), "12-15", "5-15wd", 2022,
     None),
    ("2", "new", ("so-khdt", "bql-kkt"), (SO, "so-tttt"), "12-15", "5-15wd", 2022, None),
    ("STT", "skipped"),
    ("3", "new", (SO,), ("so-tttt",), "12-15", "5-15wd", 2022, None),
    ("4", "new", ("so-nnptnt", "ubnd-huyen"), ("bch-bdbp", "cong-an", SO), "12-15", "5-15wd", 2022, None),
    ("5", "new", (SO,), ("ubnd-huyen",), "12-15", "5-15wd", 2022, None),
    ("6", "new", (SO,), ("ban-tuyen-giao",), "12-15", "5-15wd", 2023, None),
    ("IV", "heading"),
    ("1", "error"),
    ("2", "error"),
    ("V", "heading"),
    ("1", "error"),
    ("2", "new", ("so-nnptnt",), ("bch-bdbp", "cong-an", SO, "ubnd-huyen"), "12-15", "5-15wd", 2022, None),
    ("VI", "heading"),
    ("1", "new", ("ub-mttq", "ubnd-huyen"), (SO, "cong-an", "lien-hiep-huu-nghi"), "12-15", "5-15wd", 2022, None),
    ("2", "error"),
    ("VII", "heading"),
    ("1", "new", (SO,), (), "12-15", "5-15wd", 2023, None),
    ("2", "new", (SO,), ("ubnd-huyen",), "12-15", "5-15wd", 2023, None),
    ("VIII", "heading"),
    ("", "new", (SO,), ("ubnd-huyen",), "12-15", "5-15wd", 2023, None),
]
TQ_EXPECTED = [
    ("1", "new", (SO,), ("so-khdt",), "2022-12-15", "5-15wd", None, None),
    ("2", "new", ("so-vhttdl",), (SO,), "2022-09-30", "1-30d", None, None),
    ("3", "new", ("ubnd-huyen",), (SO,), "2022-03-31", "1-10wd", None, None),
    ("4", "error"),
    ("5", "new", (SO,), ("vp-ubnd",), "2022-06-30", "1-91d", None, None),
    ("6", "new", (SO,), ("vp-ubnd",), "12-15", "5-15wd", 2022, None),
    ("7", "new", (SO,), ("vp-ubnd",), "lunar:01-01", "3-10wd", 2023, 2023),
    ("8", "error"),
    ("9", "new", (SO,), ("so-vhttdl",), "2022-10-15", "5-15wd", None, None),
    ("10", "error"),
    ("11", "error"),
]
# Why the rows above are not understood, in words a clerk reads (one fragment each, in order).
BD_REASONS = ["không có mốc thời gian cụ thể", "việc làm thường xuyên", "không nhận ra đơn vị chủ trì",
              "không có mốc thời gian cụ thể", "không có mốc thời gian cụ thể", "không nhận ra đơn vị chủ trì"]
TQ_REASONS = ["không nhận ra đơn vị chủ trì «Các sở, ban, ngành»", "việc làm thường xuyên",
              "không nhận ra đơn vị chủ trì «Sở Nội vụ»", "không có ngày tháng 13"]
PARTNERS_NEW = {"CU", "NL", "IT", "RU", "FR", "SG", "IN", "KP", "TH"}
PARTNERS_THERE = {"JP", "US", "KR", "CN", "LA"}


@pytest.fixture
def province(tmp_path: Path):
    """The example config (every department the plans name) with small [partners] and its own database."""
    def make(db_url: str | None = None) -> Path:
        text = example_with_every_department()
        text = text.replace('"../calendars/', f'"{(ROOT / "calendars").as_posix()}/')
        text = text.replace('directory = "../state"', 'directory = "state"')
        text = text.replace('url = "sqlite:///../state/reminderd.db"', f'url = "{db_url or "sqlite:///state/reminderd.db"}"')
        start = text.index("[partners]")
        end = text.index("[state]")
        partners = '[partners]\nregular = ["JP", "US"]\nlocal_cooperation = ["LA", "KR", "CN"]\n\n'
        text = text[:start] + partners + text[end:]
        cfg = tmp_path / "reminderd.toml"
        cfg.write_text(text, encoding="utf-8")
        return cfg
    return make


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def preview(capsys, cfg: Path, path: Path, *extra: str) -> dict:
    rc, out, err = run(capsys, "--config", str(cfg), "import", str(path), "--json", *extra)
    assert rc == 0, err
    return json.loads(out)


def check_tasks(p: dict, expected: list[tuple], reasons: list[str]) -> None:
    rows = [r for r in p["rows"] if r["status"] != "skipped" or r["stt"] == "STT"]
    assert [(r["stt"], r["status"]) for r in rows] == [e[:2] for e in expected]
    got_reasons = []
    for r, e in zip(rows, expected, strict=True):
        if e[1] == "error":
            assert r["reasons"] and r["event_id"] is None
            got_reasons.append(" | ".join(r["reasons"]))
        if e[1] != "new":
            continue
        _, _, owners, supports, date, lead, start, until = e
        assert (tuple(r["owners"]), tuple(r["supports"])) == (owners, supports), r["stt"]
        assert r["date_rule"] and r["first"], r
        ev = p["_events"][r["event_id"]]
        assert (ev["date"], ev.get("start"), ev.get("until")) == (date, start, until), r["stt"]
        assert {t["lead"] for t in ev["task"]} == {lead}
        assert [t["owner"] for t in ev["task"]] == list(owners)
    assert len(got_reasons) == len(reasons)
    for text, fragment in zip(got_reasons, reasons, strict=True):
        assert fragment in text, (fragment, text)


def events_of(cfg: Path, p: dict) -> dict:
    """The [[event]] tables the preview would store (the same builder, read back from the CLI's code)."""
    from reminderd.importing import preview as imp
    from reminderd.runtime import load_runtime

    rt = load_runtime(cfg)
    data = Path(p["_path"]).read_bytes()
    built = imp.build(Path(p["_path"]).name, data, rt, (), today=__import__("datetime").date(2025, 1, 1))
    return {r.event["id"]: r.event for r in built.rows if r.event}


WRITERS = {"xlsx": lambda rows: appendix.xlsx(rows, title="PHỤ LỤC"), "csv": appendix.csv_bytes,
           "docx": lambda rows: appendix.docx(rows, intro="Phụ lục kèm theo Kế hoạch")}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "docx"])
def test_binh_dinh_task_appendix(province, capsys, tmp_path, fmt):
    cfg = province()
    path = tmp_path / f"binh-dinh-phu-luc.{fmt}"
    path.write_bytes(WRITERS[fmt](appendix.BINH_DINH))
    p = preview(capsys, cfg, path)
    assert p["year"] == 2022  # the year its time cells name most
    p["_path"] = str(path)
    p["_events"] = events_of(cfg, p)
    check_tasks(p, BD_EXPECTED, BD_REASONS)
    # A coordinating body that is not a configured department is kept in the note, and said so.
    germany = next(r for r in p["rows"] if "doanh nghiệp Đức" in r["content"])
    assert any("Phòng Thương mại và Công nghiệp Đức" in n for n in germany["notes"])
    ev = p["_events"][germany["event_id"]]
    assert "Phòng Thương mại và Công nghiệp Đức tại Việt Nam" in ev["task"][0]["note"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "docx"])
def test_tuyen_quang_task_appendix(province, capsys, tmp_path, fmt):
    cfg = province()
    path = tmp_path / f"tuyen-quang.{fmt}"
    path.write_bytes(WRITERS[fmt](appendix.TUYEN_QUANG))
    p = preview(capsys, cfg, path)
    assert p["year"] == 2022
    p["_path"] = str(path)
    p["_events"] = events_of(cfg, p)
    check_tasks(p, TQ_EXPECTED, TQ_REASONS)
    tet = next(r for r in p["rows"] if r["stt"] == "7")
    assert tet["first"][0] == "2023-01-22"  # Tết Quý Mão, the one closing the plan's year
    assert any("giả định" in n for n in tet["notes"])


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "docx"])
def test_bac_giang_national_days(province, capsys, tmp_path, fmt):
    cfg = province()
    path = tmp_path / f"phu-luc-01.{fmt}"
    path.write_bytes(WRITERS[fmt](appendix.BAC_GIANG_PL01))
    p = preview(capsys, cfg, path, "--year", "2025")
    rows = p["rows"]
    assert len(rows) == 14 and all(r["partner"] for r in rows)
    assert {r["partner"][0] for r in rows if r["status"] == "new"} == PARTNERS_NEW
    assert {r["partner"][0] for r in rows if r["status"] == "exists"} == PARTNERS_THERE
    assert all(r["partner"][1] == "regular" for r in rows if r["status"] == "new")
    notes = {r["partner"][0]: " ".join(r["notes"]) for r in rows}
    for code, table_day in (("NL", "30/4"), ("IN", "15/8"), ("KR", "15/8")):
        assert f"bảng ghi {table_day}" in notes[code]  # the table disagrees with the catalog: said
    assert "bảng ghi" not in notes["CU"] and "bảng ghi" not in notes["JP"]


@pytest.mark.parametrize(("rows", "name", "expect"), [
    (appendix.BINH_DINH, "binh-dinh.xlsx", 19), (appendix.TUYEN_QUANG, "tuyen-quang.docx", 7),
    (appendix.BAC_GIANG_PL01, "phu-luc-01.csv", 9)])
def test_apply_then_import_again_changes_nothing(province, capsys, tmp_path, db_url, rows, name, expect):
    cfg = province(db_url)
    path = tmp_path / name
    path.write_bytes(WRITERS[name.rsplit(".", 1)[1]](rows))
    c = ("--config", str(cfg))
    rc, out, err = run(capsys, *c, "import", str(path))
    assert rc == 0, err
    assert "Chưa lưu gì" in out
    rc, out, _ = run(capsys, *c, "audit", "--json")
    assert out.strip() == ""  # a preview stores nothing
    rc, out, err = run(capsys, *c, "import", str(path), "--apply", "--by", "Phòng Tổng hợp")
    assert rc == 0, err
    kind = "đối tác" if "phu-luc" in name else "sự kiện"
    assert f"Đã lưu: {expect} sự kiện" in out if kind == "sự kiện" else f"{expect} đối tác" in out
    trail = run(capsys, *c, "audit", "--json", "--limit", "0")[1].splitlines()
    assert len(trail) == expect
    assert all(json.loads(e)["actor"] == "Phòng Tổng hợp" and json.loads(e)["via"] == "import" for e in trail)
    p = preview(capsys, cfg, path)
    assert p["counts"]["new"] == 0 and p["counts"]["exists"] == expect + (5 if "phu-luc" in name else 0)
    rc, out, _ = run(capsys, *c, "import", str(path), "--apply")
    assert "Đã lưu: 0 sự kiện, 0 đối tác" in out
    assert len(run(capsys, *c, "audit", "--json", "--limit", "0")[1].splitlines()) == expect
    rc, out, err = run(capsys, *c, "check")
    assert rc == 0, err
    if "phu-luc" not in name:
        # The imported tasks are in the plan, as the CLI shows it.
        rc, out, _ = run(capsys, *c, "upcoming", "--from", "2022-01-01", "--to", "2023-12-31", "--json")
        assert sum(1 for r in json.loads(out) if r["event_id"].startswith("nk-")) >= expect
    else:
        rows_ = json.loads(run(capsys, *c, "countries", "--partners", "--json")[1])
        assert {r["code"] for r in rows_} == PARTNERS_NEW | PARTNERS_THERE


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_files_written_by_libreoffice(province, capsys, tmp_path):
    """Tables our writers did not make: LibreOffice turns an HTML table into .docx, a CSV into .xlsx."""
    cfg = province()
    (tmp_path / "tq.html").write_text(appendix.html(appendix.TUYEN_QUANG), encoding="utf-8")
    (tmp_path / "bd.csv").write_bytes(appendix.csv_bytes(appendix.BINH_DINH))
    profile = tmp_path / "lo-profile"
    for extra, src in ((["--convert-to", "docx:MS Word 2007 XML"], "tq.html"),
                       (["--infilter=CSV:44,34,76,1", "--convert-to", "xlsx:Calc MS Excel 2007 XML"], "bd.csv")):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *extra,
                        "--outdir", str(tmp_path), str(tmp_path / src)],
                       check=True, capture_output=True, timeout=180)
    tq = preview(capsys, cfg, tmp_path / "tq.docx")
    assert [r["status"] for r in tq["rows"]] == [e[1] for e in TQ_EXPECTED]
    bd = preview(capsys, cfg, tmp_path / "bd.xlsx")
    assert [r["status"] for r in bd["rows"]] == [e[1] for e in BD_EXPECTED]


def test_unreadable_files_say_why(province, capsys, tmp_path):
    cfg = province()
    for name, data, needle in (("a.xls", b"\xd0\xcf\x11\xe0", "lưu lại thành .xlsx"),
                               ("a.pdf", b"%PDF", "chỉ nhập được tệp .xlsx, .csv hoặc .docx"),
                               ("a.xlsx", b"not a zip", "không đọc được tệp như một bảng tính Excel"),
                               ("a.csv", "Tên,Tuổi\nA,1\n".encode(), "không thấy dòng tiêu đề")):
        path = tmp_path / name
        path.write_bytes(data)
        rc, out, err = run(capsys, "--config", str(cfg), "import", str(path))
        assert rc == 1 and needle in err, (name, out, err)
        assert "Traceback" not in out + err
