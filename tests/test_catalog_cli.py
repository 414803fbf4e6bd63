"""``reminderd catalog`` as ops type it: partner and override changes (audited), ``show``,
``check`` and ``countries --partners`` reporting them, and ``catalog export`` round-tripping
to files that plan exactly like the files plus the stored changes."""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reminderd.cli import main
from reminderd.overlays.export import events_toml, partners_toml

from .conftest import EXAMPLE_CONFIG, ROOT, SMALL_CATALOG


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def upcoming(capsys, cfg: Path, start: str = "2025-01-01", end: str = "2026-12-31") -> list[str]:
    rc, out, err = run(capsys, "--config", str(cfg), "upcoming", "--from", start, "--to", end, "--json")
    assert rc == 0, err
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in json.loads(out))


def test_partner_and_override_commands(make_env, capsys):
    cfg = make_env()
    c = ("--config", str(cfg))
    rc, out, _ = run(capsys, *c, "catalog", "show")
    assert rc == 0 and "Không có thay đổi nào" in out
    rc, out, err = run(capsys, *c, "catalog", "partner", "jp", "local_cooperation", "--by", "Phòng Lễ tân")
    assert rc == 0, err
    assert "JP Nhật Bản: local_cooperation" in out
    rows = json.loads(run(capsys, *c, "countries", "--partners", "--json")[1])
    jp = next(r for r in rows if r["code"] == "JP")
    assert jp["tiers"] == ["local_cooperation"] and jp["stored_change"]["config_file_tier"] == "regular"
    assert "local_cooperation *" in run(capsys, *c, "countries", "--partners")[1]

    rc, _, err = run(capsys, *c, "catalog", "override", "tet/tham-chuc-tet", "--lead", "hai tuần")
    assert rc == 1 and "lead: 'hai tuần' không hợp lệ" in err  # the files' validator, its words
    rc, _, err = run(capsys, *c, "catalog", "override", "tet/tham-chuc-tet", "--owner", "vp-ubnd",
                     "--support", "--lead", "10-15wd")
    assert rc == 0, err
    rc, _, err = run(capsys, *c, "catalog", "override", "quoc-khanh-fr", "--disable")
    assert rc == 0, err
    rc, out, _ = run(capsys, *c, "catalog", "show")
    assert rc == 0
    assert "JP  Nhật Bản: regular → local_cooperation  (Phòng Lễ tân" in out
    assert "tet/tham-chuc-tet: lead: 3-10wd → 10-15wd; owner: so-ngoai-vu → vp-ubnd; support: vp-ubnd → —" in out
    assert "quoc-khanh-fr: tắt ở tỉnh này" in out
    rc, out, _ = run(capsys, *c, "check")
    assert rc == 0 and "Thay đổi lưu trong CSDL (áp lên các tệp): 1 đối tác, 2 sự kiện/việc, 0 mục bổ sung" in out

    rc, out, _ = run(capsys, *c, "audit", "--json")
    trail = [json.loads(line) for line in out.splitlines()]
    assert [(e["action"], e["via"]) for e in reversed(trail)] == [
        ("partner.set", "cli"), ("override.set", "cli"), ("override.set", "cli")]

    # Revert one by one.
    assert run(capsys, *c, "catalog", "override", "quoc-khanh-fr", "--revert")[0] == 0
    assert run(capsys, *c, "catalog", "partner", "JP", "--revert")[0] == 0
    rc, out, _ = run(capsys, *c, "catalog", "show", "--json")
    data = json.loads(out)
    assert data["partners"] == [] and [o["event_id"] for o in data["overrides"]] == ["tet"]


def test_conflict_reported_by_show_and_check(make_env, capsys, tmp_path):
    cfg = make_env()
    c = ("--config", str(cfg))
    assert run(capsys, *c, "catalog", "override", "tet/tham-chuc-tet", "--lead", "10-15wd")[0] == 0
    text = SMALL_CATALOG.replace('id = "tham-chuc-tet"', 'id = "chuc-tet"')
    (tmp_path / "calendars" / "main.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    rc, out, _ = run(capsys, *c, "catalog", "show")
    assert rc == 1
    assert "1 thay đổi đã lưu không còn khớp với các tệp" in out and "không còn việc 'tham-chuc-tet'" in out
    rc, out, _ = run(capsys, *c, "check")
    assert rc == 0  # the files are valid; the stored change is what no longer fits
    assert "tham-chuc-tet" in out and "chưa được áp dụng" in out


def _config_for(tmp: Path, export_dir: Path, source: Path) -> Path:
    """A copy of ``source`` reading the exported calendars and partners, with an empty database."""
    raw = source.read_text(encoding="utf-8")
    partners = (export_dir / "partners.toml").read_text(encoding="utf-8")
    lines, skipping = [], False
    for line in raw.splitlines():  # the config's own [partners] table out, the exported one in
        if line.startswith("["):
            skipping = line.strip() == "[partners]"
        if not skipping:
            lines.append(line)
    raw = "\n".join(lines) + "\n" + partners
    raw = re.sub(r"paths = \[[^\]]*\]", f'paths = ["{(export_dir / "calendars").as_posix()}"]', raw, count=1)
    raw = re.sub(r'directory = "[^"]*"', 'directory = "state2"', raw, count=1)
    raw = re.sub(r'url = "sqlite:///[^"]*"', 'url = "sqlite:///state2/reminderd.db"', raw, count=1)
    out = tmp / "exported.toml"
    out.write_text(raw, encoding="utf-8")
    return out


def test_export_round_trips_small(make_env, capsys, tmp_path):
    cfg = make_env()
    c = ("--config", str(cfg))
    for argv in (("partner", "JP", "local_cooperation"), ("partner", "DE", "regular"),
                 ("override", "tet/tham-chuc-tet", "--owner", "vp-ubnd", "--support", "so-ngoai-vu"),
                 ("override", "quoc-khanh-fr", "--disable"),
                 ("override", "tet", "--add-action", "Chuẩn bị quà \"Tết\"", "--lead", "15-20wd",
                  "--owner", "vp-ubnd")):
        assert run(capsys, *c, "catalog", *argv)[0] == 0
    before = upcoming(capsys, cfg)
    out_dir = tmp_path / "xuat"
    rc, _out, err = run(capsys, *c, "catalog", "export", "--output", str(out_dir))
    assert rc == 0, err
    assert sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*.toml")) == [
        "calendars/main.toml", "partners.toml"]
    cfg2 = _config_for(tmp_path, out_dir, cfg)
    rc, _, err = run(capsys, "--config", str(cfg2), "check")
    assert rc == 0, err
    assert upcoming(capsys, cfg2) == before
    # The one-document form is a valid catalog too.
    rc, doc, _ = run(capsys, *c, "catalog", "export")
    assert len(tomllib.loads(doc)["event"]) == 3 and "# [partners]" in doc


def test_export_round_trips_the_shipped_catalog_with_items(capsys, tmp_path):
    """The example config and every shipped calendar, with changes of every kind."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace('"../calendars/', f'"{(ROOT / "calendars").as_posix()}/')
    text = text.replace('directory = "../state"', 'directory = "state"')
    text = text.replace('url = "sqlite:///../state/reminderd.db"', 'url = "sqlite:///state/reminderd.db"')
    cfg = tmp_path / "reminderd.toml"
    cfg.write_text(text, encoding="utf-8")
    c = ("--config", str(cfg))
    for argv in (("partner", "KR", "regular"), ("partner", "CU", "none"), ("partner", "DE", "local_cooperation"),
                 ("override", "quoc-khanh-jp/thu-chuc-mung", "--lead", "6-9wd", "--support", "vp-ubnd"),
                 ("override", "bg-hoi-nghi-gap-mat-dai-su", "--disable")):
        rc, _, err = run(capsys, *c, "catalog", *argv)
        assert rc == 0, err
    from reminderd import adhoc
    from reminderd.context import Context
    from reminderd.runtime import load_runtime
    from reminderd.store import open_store

    ctx = Context(load_runtime(cfg), open_store(f"sqlite:///{tmp_path / 'state' / 'reminderd.db'}"))
    ev, problems = adhoc.add(ctx, {"id": "dai-su-moi", "title": "Tân Đại sứ Nhật Bản đến chào xã giao",
                                   "date": "2025-03-12", "since": "2024-03-12",
                                   "task": [{"id": "thu", "action": "Chuẩn bị nội dung tiếp", "lead": "2-5wd",
                                             "owner": "so-ngoai-vu", "support": ["vp-ubnd"]}]}, by="t")
    assert ev is not None, problems
    ctx.store.dispose()
    before = upcoming(capsys, cfg, "2025-01-01", "2027-12-31")
    out_dir = tmp_path / "xuat"
    assert run(capsys, *c, "catalog", "export", "--output", str(out_dir))[0] == 0
    assert (out_dir / "calendars" / "bo-sung.toml").exists() and (out_dir / "calendars" / "quoc-khanh.toml").exists()
    cfg2 = _config_for(tmp_path, out_dir, cfg)
    rc, _, err = run(capsys, "--config", str(cfg2), "check")
    assert rc == 0, err
    assert upcoming(capsys, cfg2, "2025-01-01", "2027-12-31") == before


# ---- the TOML writer: what it writes, tomllib reads back the same ---------------------------

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_scalar = st.one_of(_text, st.integers(-10**9, 10**9), st.booleans(), st.dates())
_key = st.one_of(st.from_regex(r"[a-z][a-z0-9_-]{0,10}", fullmatch=True), _text.filter(bool))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(_key, st.one_of(_scalar, st.lists(_scalar, max_size=4).filter(
    lambda xs: len({type(x) for x in xs}) <= 1)), max_size=6), max_size=4),
    st.lists(st.dictionaries(_key, _scalar, min_size=1, max_size=4), max_size=3))
def test_toml_writer_round_trips(events, tasks):
    events = [{**e, "task": tasks} if tasks else e for e in events if "task" not in e]
    assert tomllib.loads(events_toml(events, header="dòng 1\ndòng \"2\"")).get("event", []) == events


@pytest.mark.parametrize("tiers", [{"regular": ["JP", "US"], "local_cooperation": []}, {"a b": ["X"]}])
def test_partners_writer(tiers):
    assert tomllib.loads(partners_toml(tiers, "x"))["partners"] == tiers
