"""The CLI as a user types it: check, upcoming (table and --json), explain, workdays, lunar."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from reminderd.cli import main

from .conftest import ROOT


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_check_ok(make_env, capsys):
    rc, out, _ = run(capsys, "--config", str(make_env()), "check")
    assert rc == 0
    assert "Hợp lệ: 4 sự kiện" in out


@pytest.mark.parametrize(
    ("catalog", "needle"),
    [
        ("[[event]\n", "TOML không hợp lệ"),
        ('[[event]]\nid="a"\ntitle="A"\ndate="05-01"\n[[event.task]]\nid="t"\naction="x"\n'
         'lead="1wd"\nowner="so-khong-co"\n', "event a/t: owner: 'so-khong-co'"),
        ('[[event]]\nid="a"\ntitle="A"\ndate="02-30"\n', "event a: date:"),
        ('[[event]]\nid="a"\ntitle="A"\ndate="lunar:13-01"\n', "event a: date:"),
        ('[[event]]\nid="a"\ntitle="A"\ndate="05-01"\n[[event]]\nid="a"\ntitle="B"\ndate="05-02"\n',
         "mã sự kiện bị trùng"),
        ('[[event]]\nid="a"\ntitle="A"\ndate="05-01"\n[[event.task]]\nid="t"\naction="x"\n'
         'lead="7-5wd"\nowner="so-ngoai-vu"\n', "event a/t: lead: '7-5wd'"),
    ],
    ids=["broken-toml", "unknown-department", "02-30", "lunar-13-01", "duplicate-ids", "7-5wd"],
)
def test_check_bad_catalog_exit_1(make_env, capsys, catalog, needle):
    rc, _, err = run(capsys, "--config", str(make_env(catalog)), "check")
    assert rc == 1
    assert "main.toml" in err and needle in err, err


def test_check_bad_config(make_env, capsys):
    cfg = make_env()
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('[smtp]', '[smtp]\nhots = "x"'),
                   encoding="utf-8")
    rc, _, err = run(capsys, "--config", str(cfg), "check")
    assert rc == 1 and "[smtp]: hots: khóa không hợp lệ" in err


def test_upcoming_json_fields(make_env, capsys):
    rc, out, _ = run(capsys, "--config", str(make_env()), "upcoming",
                     "--from", "2024-01-01", "--to", "2024-03-31", "--json")
    assert rc == 0
    rows = json.loads(out)
    required = {"event_id", "task_id", "title", "action", "event_date", "ordinal", "milestone",
                "country", "tags", "window_start", "due", "owner", "support", "provisional"}
    for r in rows:
        assert required <= set(r)
    ev = next(r for r in rows if r["event_id"] == "quoc-khanh-jp" and r["task_id"] is None)
    assert ev["action"] is None and ev["window_start"] is None and ev["support"] == []
    assert ev["owner"] is None and ev["event_date"] == "2024-02-23"
    task = next(r for r in rows if r["event_id"] == "quoc-khanh-jp" and r["task_id"])
    assert (task["window_start"], task["due"]) == ("2024-02-07", "2024-02-16")
    assert task["owner"] == "so-ngoai-vu" and task["provisional"] is False
    keys = [r["window_start"] if r["task_id"] and r["window_start"] >= "2024-01-01" else
            (r["due"] if r["task_id"] else r["event_date"]) for r in rows]
    assert keys == sorted(keys)


def test_upcoming_department_filter(make_env, capsys):
    _, out, _ = run(capsys, "--config", str(make_env()), "upcoming", "--from", "2024-01-01",
                     "--to", "2024-12-31", "--department", "vp-ubnd", "--json")
    rows = json.loads(out)
    assert rows and all(r["task_id"] is None or "vp-ubnd" in r["support"] or r["owner"] == "vp-ubnd"
                        for r in rows)
    assert not any(r["event_id"] == "quoc-khanh-jp" for r in rows)


def test_upcoming_unknown_department(make_env, capsys):
    rc, _, err = run(capsys, "--config", str(make_env()), "upcoming", "--department", "xyz")
    assert rc == 1 and "xyz" in err


def test_upcoming_table_is_vietnamese(make_env, capsys):
    rc, out, _ = run(capsys, "--config", str(make_env()), "upcoming",
                     "--from", "2024-02-01", "--to", "2024-02-29")
    assert rc == 0
    assert "Quốc khánh Nhật Bản" in out and "Thứ Sáu 23/02/2024" in out
    assert "Sở Ngoại vụ" in out and "07/02 → 16/02/2024" in out


def test_explain_lists_skipped_holidays(make_env, capsys):
    rc, out, _ = run(capsys, "--config", str(make_env()), "explain",
                     "quoc-khanh-jp/thu-chuc-mung", "--year", "2024")
    assert rc == 0
    assert "2024-02-07" in out and "2024-02-16" in out
    assert "Tết" in out  # the window skipped the Tết break
    assert "thu-dia-phuong" not in out  # filtered by TASK_ID


def test_explain_tier_not_applicable(make_env, capsys):
    _, out, _ = run(capsys, "--config", str(make_env()), "explain", "quoc-khanh-jp", "--year", "2024")
    assert "thu-dia-phuong" in out and "local_cooperation" in out


def test_explain_unknown_event(make_env, capsys):
    rc, _, err = run(capsys, "--config", str(make_env()), "explain", "quoc-khanh", "--year", "2024")
    assert rc == 1 and "quoc-khanh-jp" in err


def test_workdays_commands(make_env, capsys):
    cfg = str(make_env())
    assert run(capsys, "--config", cfg, "workdays", "add", "2024-02-23", "-7")[1].startswith("2024-02-07")
    assert run(capsys, "--config", cfg, "workdays", "between", "2024-02-07", "2024-02-23")[1].strip() == "7"


def test_lunar_commands(capsys):
    assert run(capsys, "lunar", "to-solar", "2024", "1", "1")[1].startswith("2024-02-10")
    assert run(capsys, "lunar", "from-solar", "2024-02-10")[1].strip() == \
        "2024-01-01  (mùng 1 tháng Giêng năm Giáp Thìn)"
    assert run(capsys, "lunar", "from-solar", "2025-08-20")[1].strip() == \
        "2025-06L-27  (ngày 27 tháng Sáu nhuận năm Ất Tỵ)"
    rc, _, err = run(capsys, "lunar", "to-solar", "2024", "5", "1", "--leap")
    assert rc == 1 and err


def test_console_script_runs_on_example_config():
    """The README's first command, minus the daemon: the shipped files pass `check`."""
    env = dict(os.environ, REMINDERD_CONFIG=str(ROOT / "config" / "reminderd.toml"))
    p = subprocess.run([sys.executable, "-m", "reminderd", "check"], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr


def test_check_conflicting_workday_overrides(make_env, capsys):
    cfg = make_env()
    text = cfg.read_text(encoding="utf-8").replace(
        "confirmed_through = 2025",
        'confirmed_through = 2025\nextra_days_off = ["2027-02-03"]\nextra_working_days = ["2027-02-03"]')
    cfg.write_text(text, encoding="utf-8")
    rc, _, err = run(capsys, "--config", str(cfg), "check")
    assert rc == 1 and "[workdays]: extra_working_days: 2027-02-03" in err, err


def test_config_overrides_change_windows(make_env, capsys):
    """A day off decided later by the government moves the window (and explain says why)."""
    cfg = make_env()
    text = cfg.read_text(encoding="utf-8").replace(
        "confirmed_through = 2025", 'confirmed_through = 2025\nextra_days_off = ["2024-02-16"]')
    cfg.write_text(text, encoding="utf-8")
    _, out, _ = run(capsys, "--config", str(cfg), "explain", "quoc-khanh-jp/thu-chuc-mung", "--year", "2024")
    assert "Bắt đầu 2024-02-06" in out and "hạn 2024-02-15" in out, out
    assert "2024-02-16" in out and "cấu hình" in out


def test_upcoming_includes_adhoc_items(make_env, capsys):
    """An item added on the page shows in `reminderd upcoming` too, without a restart."""
    import datetime as dt

    from reminderd import adhoc
    from reminderd.context import Context
    from reminderd.runtime import load_runtime
    from reminderd.store import open_store

    cfg = make_env()
    rt = load_runtime(cfg)
    store = open_store(rt.config.database_url)
    ctx = Context(rt, store, now=lambda: dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    ev, problems = adhoc.add(ctx, {
        "id": "dai-su-moi", "title": "Tân Đại sứ Nhật Bản đến nhận nhiệm vụ", "date": "2025-03-12",
        "task": [{"id": "thu-chao-mung", "action": "Gửi thư chào mừng", "lead": "2-4wd",
                  "owner": "so-ngoai-vu"}]}, by="test")
    assert ev is not None, problems
    store.dispose()
    _, out, _ = run(capsys, "--config", str(cfg), "upcoming", "--from", "2025-03-01",
                     "--to", "2025-03-31", "--json")
    rows = json.loads(out)
    assert any(r["event_id"] == "dai-su-moi" and r["task_id"] == "thu-chao-mung" for r in rows), rows


@pytest.mark.parametrize(("public", "rc", "needle"), [
    ('["tag/khong-co"]', 0, "'tag/khong-co': không có lịch này"),
    ('["department"]', 1, "[feeds] public:"),
])
def test_check_public_feed_names(make_env, capsys, public, rc, needle):
    cfg = make_env()
    cfg.write_text(cfg.read_text(encoding="utf-8") + f"\n[feeds]\npublic = {public}\n", encoding="utf-8")
    got, out, err = run(capsys, "--config", str(cfg), "check")
    assert got == rc and needle in out + err, out + err


def test_database_defaults_to_the_state_directory(make_env):
    from reminderd.config import load_config

    cfg_path = make_env()
    text = cfg_path.read_text(encoding="utf-8").replace('url = "sqlite:///state/reminderd.db"', "")
    text = text.replace('directory = "state"', 'directory = "var/lib"')
    cfg_path.write_text(text, encoding="utf-8")
    cfg = load_config(cfg_path)
    assert cfg.database_url == f"sqlite:///{cfg_path.parent / 'var' / 'lib' / 'reminderd.db'}"


@pytest.mark.parametrize(("argv", "needle"), [
    (["upcoming", "--from", "2025-13-01"], "không có ngày này"),
    (["upcoming", "--from", "1/2/2025"], "cần ngày dạng YYYY-MM-DD"),
    (["workdays", "add", "2025-02-30", "3"], "không có ngày này"),
    # Outside the calendars' years: a clear refusal, not a traceback from year 0 or 10000.
    (["upcoming", "--from", "0001-01-02"], "chỉ tính được các năm 1900–2100"),
    (["upcoming", "--to", "9999-12-31"], "chỉ tính được các năm 1900–2100"),
    (["explain", "tet-nguyen-dan", "--year", "1"], "chỉ tính được các năm 1900–2100"),
    (["explain", "tet-nguyen-dan", "--year", "năm"], "cần một năm"),
    (["countries", "--year", "3000"], "chỉ tính được các năm 1900–2100"),
    (["ack", "a/t", "--year", "99999"], "chỉ tính được các năm 1900–2100"),
    (["outbox", "purge", "--before", "0001-01-01"], "chỉ tính được các năm 1900–2100"),
])
def test_bad_dates_say_what_is_wrong(make_env, capsys, argv, needle):
    with pytest.raises(SystemExit) as e:
        main(["--config", str(make_env()), *argv])
    assert e.value.code == 2 and needle in capsys.readouterr().err


@pytest.mark.parametrize("n", ["100000", "-1000000"])
def test_workdays_add_beyond_the_calendar_years(make_env, capsys, n):
    rc, _, err = run(capsys, "--config", str(make_env()), "workdays", "add", "2100-12-01", n)
    assert rc == 1 and "ra ngoài các năm tính được (1900–2100)" in err, err


def test_tick_outside_calendar_years(make_env, capsys):
    rc, _, err = run(capsys, "--config", str(make_env()), "tick", "--at", "0001-01-01T00:00")
    assert rc == 1 and "chỉ tính được các năm 1900–2100" in err, err


def test_upcoming_reversed_range(make_env, capsys):
    rc, _, err = run(capsys, "--config", str(make_env()), "upcoming", "--from", "2025-02-01", "--to", "2025-01-01")
    assert rc == 1 and "ngược" in err


@pytest.mark.parametrize(("old", "new", "needle"), [
    ('local_cooperation = ["LA", "KR", "CN"]', 'local_cooperation = ["LA", "XX"]', "'XX': không phải mã nước"),
    ("confirmed_through = 2025", 'confirmed_through = 2025\nextra_days_off = ["2027-02-30"]', "không có ngày này"),
])
def test_config_values_that_cannot_be(make_env, capsys, old, new, needle):
    cfg = make_env()
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    rc, _, err = run(capsys, "--config", str(cfg), "check")
    assert rc == 1 and needle in err, err


def test_explain_in_english(make_env, capsys):
    cfg = make_env()
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        '[organization]\nname = "UBND tỉnh Thử"', '[organization]\nname = "UBND tỉnh Thử"\nlanguage = "en"'),
        encoding="utf-8")
    rc, out, _ = run(capsys, "--config", str(cfg), "explain", "tet", "--year", "2025")
    assert rc == 0
    assert "Vietnamese lunar calendar day 1 of month 1, lunar year 2025 → 2025-01-29" in out, out
    assert "âm lịch" not in out and "Thời hạn" not in out, out


def test_command_table_matches_what_the_groups_register():
    """cli.COMMANDS routes a command line to the one group that parses it."""
    import argparse
    import importlib

    from reminderd.cli import COMMANDS, GROUPS, _command_of

    registered = {}
    for group in GROUPS:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"reminderd.cli.{group}").register(sub)
        registered.update(dict.fromkeys(sub.choices, group))
    assert registered == COMMANDS
    assert _command_of(["--config", "x.toml", "upcoming", "--json"]) == "upcoming"
    assert _command_of(["--config=x.toml", "outbox", "list"]) == "outbox"
    assert _command_of(["-h"]) is None
    assert _command_of(["--conf", "run", "upcoming"]) == "upcoming"  # argparse's abbreviations


def test_a_command_imports_only_its_group():
    code = ("import sys; from reminderd.cli import build_parser; "
            "build_parser(['lunar', 'to-solar', '1-1', '--year', '2026']); "
            "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'aiosmtplib', 'starlette'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out
