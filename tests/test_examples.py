"""The example configs: one per province whose plan the catalog carries, each loading the shared
world data and its own plan only, with its own departments, runnable unchanged (`check`,
`upcoming`) — and Bắc Giang's the default."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reminderd.runtime import load_runtime

from .conftest import EXAMPLE_CONFIG, ROOT

SHARED = {"quoc-khanh.toml", "quan-he-ngoai-giao.toml", "tet-nam-moi.toml", "ky-niem.toml",
          "ngay-le-viet-nam.toml", "bao-cao-dinh-ky.toml"}
PLANS = {
    "reminderd.toml": ({"bac-giang-su-kien-2022-2030.toml", "bac-giang-chuc-mung-2024.toml"}, "bac-giang", "bg-"),
    "binh-dinh.toml": ({"binh-dinh-2022.toml"}, "binh-dinh", "bd-"),
    "tuyen-quang.toml": ({"tuyen-quang-2022.toml"}, "tuyen-quang", "tq-"),
}
ALL_PLAN_FILES = set().union(*(files for files, _, _ in PLANS.values()))


def cli(config: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The real command line from the repository root, as the README runs it."""
    args = [sys.executable, "-m", "reminderd", *(["--config", str(config)] if config != EXAMPLE_CONFIG else []), *argv]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "REMINDERD_CONFIG": ""})


def test_every_calendar_file_is_shared_or_one_provinces_plan():
    on_disk = {p.name for p in (ROOT / "calendars").glob("*.toml")}
    assert on_disk == SHARED | ALL_PLAN_FILES


@pytest.mark.parametrize("name", sorted(PLANS))
def test_each_example_loads_the_shared_data_and_only_its_own_plan(name):
    own, tag, prefix = PLANS[name]
    path = ROOT / "config" / name
    rt = load_runtime(path)
    files = {Path(f).name for f in rt.catalog.files}
    assert files == SHARED | own, files
    others = ALL_PLAN_FILES - own
    assert not any(Path(e.source.file).name in others for e in rt.catalog.events)
    # Its own plan's events are there; nobody else's (tag or id prefix of another province).
    assert any(e.id.startswith(prefix) for e in rt.catalog.events)
    other_tags = {t for _, t, _ in PLANS.values()} - {tag}
    assert not any(set(e.tags) & other_tags for e in rt.catalog.events)
    # Its own departments: every department is named by some task it plans (no other province's units).
    named = {d for e in rt.catalog.events for t in e.tasks for d in (t.owner, *t.support)}
    escalation = {d.escalate_to for d in rt.config.departments if d.escalate_to}
    assert {d.id for d in rt.config.departments} <= named | escalation, name
    # The organisation the example shows is stated, with the year.
    text = path.read_text(encoding="utf-8")
    assert "Tổ chức bộ máy thể hiện ở đây là của năm" in text and "replaced_by" in text
    # [smtp] is the same in every example (one local test mailbox).
    smtp = tomllib.loads(text)["smtp"]
    assert smtp == tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))["smtp"]
    assert "host" not in smtp, "the examples write mail to their state directory's Maildir"


@pytest.mark.parametrize("name", sorted(PLANS))
def test_each_example_runs_unchanged(name):
    path = ROOT / "config" / name
    p = cli(path, "check")
    assert p.returncode == 0, p.stderr
    assert "Hợp lệ" in p.stdout and "Không lập việc" in p.stdout
    p = cli(path, "upcoming", "--from", "2025-01-01", "--to", "2025-12-31", "--json")
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert rows and all(r["event_id"] for r in rows)
    own_prefix = PLANS[name][2]
    other_prefixes = tuple(pfx for _, _, pfx in PLANS.values() if pfx != own_prefix)
    assert not any(r["event_id"].startswith(other_prefixes) for r in rows)


def test_bac_giang_2025_follows_its_own_plan():
    """Seed 001 greets Korea and India on 15/8: letters before 15/8/2025, nothing from the other plans
    (the KOTRA agreement is Bình Định's), and the README's first command's config is Bắc Giang's."""
    p = cli(EXAMPLE_CONFIG, "upcoming", "--from", "2025-01-01", "--to", "2025-12-31", "--json")
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    letters = {r["country"]: r for r in rows if r["task_id"] and "quoc-khanh" in r["tags"]
               and r["event_date"] == "2025-08-15"}
    assert set(letters) == {"KR", "IN"}
    kr, india = letters["KR"], letters["IN"]
    assert (kr["event_id"], kr["lead"], kr["window_start"], kr["due"]) == (
        "quoc-khanh-kr-giai-phong", "10-15wd", "2025-07-25", "2025-08-01")  # local cooperation
    assert (india["event_id"], india["lead"], india["window_start"], india["due"]) == (
        "quoc-khanh-in-doc-lap", "5-7wd", "2025-08-06", "2025-08-08")   # regular
    assert not any(r["event_id"] in ("quoc-khanh-kr", "quoc-khanh-in") for r in rows)
    assert not any(r["event_id"].startswith(("bd-", "tq-")) or "KOTRA" in r["title"] for r in rows)
    assert not any(r["event_id"] == "ke-hoach-doan-ra-doan-vao" for r in rows)
    cfg = tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    assert cfg["organization"]["name"] == "UBND tỉnh Bắc Giang"
