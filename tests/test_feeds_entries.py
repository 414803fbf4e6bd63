"""The feeds as a calendar app shows them, on the example config and the shipped catalog
(December 2026): every task entry is one day; alarms only in a department's feed, on what it
leads, never for a day already past; no two entries of a day share a title; words, not codes.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from reminderd.context import Context
from reminderd.countries import VI as COUNTRY_NAMES
from reminderd.feeds import BUSY_DAY, FeedName, feed_items, with_layout
from reminderd.feeds.cache import FeedCache, RenderedFeed, install

from .conftest import EXAMPLE_CONFIG, ROOT
from .feeds_support import check_bytes
from .webutil import Clock, example_runtime, make_context

# Saturday 5 December 2026, 09:00 in Hà Nội.
NOW = dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 5)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    db = tmp_path_factory.mktemp("entries") / "reminderd.db"
    c = make_context(f"sqlite:///{db}", clock=Clock(NOW))
    install(c)
    c.feeds.rebuild(c)
    yield c
    c.store.dispose()


def feeds(ctx: Context) -> FeedCache:
    assert isinstance(ctx.feeds, FeedCache)
    return ctx.feeds


_PARSED: dict[bytes, list[icalendar.Event]] = {}


def events(body: bytes) -> list[icalendar.Event]:
    """The VEVENTs as icalendar reads them (each feed parsed once for the module)."""
    if body not in _PARSED:
        _PARSED[body] = list(icalendar.Calendar.from_ical(body).walk("VEVENT"))
    return _PARSED[body]


def sample(ctx: Context) -> list[RenderedFeed]:
    """The feeds parsed here: all, every department, and the first few countries and tags (the
    others hold the same entries as ``all``, selected differently)."""
    out = []
    seen: Counter[str] = Counter()
    for f in feeds(ctx).feeds():
        seen[f.name.kind] += 1
        if f.name.kind in ("all", "department") or seen[f.name.kind] <= 4:
            out.append(f)
    return out


def is_task(ev: icalendar.Event) -> bool:
    uid = str(ev["UID"])
    return ".due." in uid or ".open." in uid or (uid.startswith("_day.") and ".event." not in uid)


def test_every_default_entry_is_one_day_and_strict_valid(ctx: Context) -> None:
    assert len(feeds(ctx).feeds()) >= 40  # every department, tag and partner country of the example
    for f in sample(ctx):
        if str(f.name) in ("all", "department/so-ngoai-vu", "country/JP"):
            check_bytes(f.body)  # strict parse and byte round trip: the other feeds are built the same way
        for ev in events(f.body):
            assert ev["DTEND"].dt - ev["DTSTART"].dt == dt.timedelta(days=1), (f.name, str(ev["UID"]))


def test_alarms_only_in_department_feeds_on_what_it_leads(ctx: Context) -> None:
    alarmed = 0
    for f in feeds(ctx).feeds():
        if f.name.kind != "department":
            assert b"BEGIN:VALARM" not in f.body, f.name
    for f in sample(ctx):
        if f.name.kind != "department":
            continue
        for ev in events(f.body):
            alarms = ev.walk("VALARM")
            supported = str(ev["SUMMARY"]).startswith("[Phối hợp]")
            led = is_task(ev) and not supported
            if not led or ev["DTSTART"].dt < TODAY:
                assert not alarms, (f.name, str(ev["SUMMARY"]))
                continue
            (alarm,) = alarms  # every led entry from today on rings once
            alarmed += 1
            trigger = alarm["TRIGGER"]
            assert trigger.params.get("VALUE") == "DATE-TIME"
            assert trigger.dt.astimezone(HANOI) == dt.datetime.combine(ev["DTSTART"].dt, dt.time(8, 0), tzinfo=HANOI)
            if not supported:
                assert "Vai trò của đơn vị: chủ trì" in str(ev["DESCRIPTION"]) or str(ev["UID"]).startswith("_day.")
    assert alarmed > 20


def test_no_two_entries_of_a_day_share_a_title(ctx: Context) -> None:
    for f in sample(ctx):
        titles = Counter((ev["DTSTART"].dt, str(ev["SUMMARY"])) for ev in events(f.body))
        assert [k for k, n in titles.items() if n > 1] == [], f.name


def _ids() -> set[str]:
    """Every id people should not see: event, task, tag and department ids of the catalog."""
    ids: set[str] = set()
    for path in (ROOT / "calendars").glob("*.toml"):
        for ev in tomllib.loads(path.read_text("utf-8")).get("event", []):
            ids.add(ev["id"])
            ids.update(ev.get("tags", []))
            ids.update(t["id"] for t in ev.get("task", []))
    config = tomllib.loads(EXAMPLE_CONFIG.read_text("utf-8"))
    ids.update(d["id"] for d in config["department"])
    return {i for i in ids if "-" in i}  # one-word ids ("tet") are ordinary words too


SLUG = re.compile(r"(?<![\w/.])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])")
LEAD_SYNTAX = re.compile(r"\b\d{1,3}(?:-\d{1,3})?(?:wd|d)\b")


def test_categories_and_descriptions_are_words_not_codes(ctx: Context) -> None:
    ids = _ids()
    names = set(COUNTRY_NAMES.values())
    checked = 0
    for f in sample(ctx):
        for ev in events(f.body):
            desc = str(ev.get("DESCRIPTION", ""))
            cats = [str(c) for c in ev["CATEGORIES"].cats] if "CATEGORIES" in ev else []
            for text in [desc, *cats]:
                assert not ids & set(SLUG.findall(text)), (f.name, ids & set(SLUG.findall(text)), text[:200])
                assert not LEAD_SYNTAX.search(text), (f.name, text[:200])
                assert "confirmed_through" not in text and "Mã:" not in text
            for c in cats:
                assert not re.fullmatch(r"[A-Z]{2}", c), c  # a country is its name
            assert all(c in names or not re.fullmatch(r"[a-z0-9-]+", c) for c in cats), cats
            checked += 1
    assert checked > 1000


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    """The example plus eleven reports Sở Ngoại vụ leads, all due on Tuesday 08/12/2026."""
    from reminderd.adhoc import source_for
    from reminderd.catalog import parse_event

    rt = example_runtime()
    extra = []
    for i in range(1, 12):
        raw = {"id": f"bao-cao-chuyen-de-{i}", "title": f"Báo cáo chuyên đề số {i}", "date": "2026-12-09",
               "task": [{"id": "gui", "action": f"Gửi báo cáo chuyên đề số {i} về Bộ Ngoại giao", "lead": "1wd",
                         "owner": "so-ngoai-vu"}]}
        ev, problems = parse_event(raw, source_for(raw["id"]), rt.config, adhoc=True)
        assert ev is not None, problems
        extra.append(ev)
    db = tmp_path_factory.mktemp("busy") / "reminderd.db"
    c = make_context(f"sqlite:///{db}", rt.with_events(extra), clock=Clock(NOW))
    install(c)
    c.feeds.rebuild(c)
    yield c
    c.store.dispose()


def test_a_busy_day_is_one_entry_that_lists_its_tasks(busy: Context) -> None:
    """08/12/2026: eleven reports Sở Ngoại vụ leads fall due; its month cell shows one entry."""
    ctx = busy
    body = feeds(ctx).get("department/so-ngoai-vu").body  # type: ignore[union-attr]
    day = [ev for ev in events(body) if ev["DTSTART"].dt == dt.date(2026, 12, 8)]
    assert len(day) <= 3
    led = next(ev for ev in day if str(ev["SUMMARY"]).startswith("Hạn: ") and "việc — " in str(ev["SUMMARY"]))
    n = int(str(led["SUMMARY"]).split()[1])
    assert n > BUSY_DAY and len(led.walk("VALARM")) == 1
    lines = str(led["DESCRIPTION"]).split("\n")
    assert lines[0] == f"{n} việc đến hạn Thứ Ba 08/12/2026:" and len(lines) == n + 1
    assert all(line.startswith("• ") and "chủ trì: " in line for line in lines[1:])
    # The folded entries are still tracked (the mail attachment of each has its SEQUENCE) but not published.
    rt = ctx.runtime
    items = feed_items(rt.plan(*rt.horizon(TODAY)), rt, FeedName("department", "so-ngoai-vu"), today=TODAY)
    hidden = [i for i in items if i.hidden and i.start == dt.date(2026, 12, 8)]
    assert len(hidden) >= n and not [h for h in hidden if h.uid.encode() in body.replace(b"\r\n ", b"")]


def test_long_bars_only_when_asked_for(ctx: Context) -> None:
    name = with_layout(FeedName("department", "so-ngoai-vu"), "bars")
    bars = feeds(ctx).variant(ctx, name)
    assert bars is not None and feeds(ctx).get(str(name)) is bars
    check_bytes(bars.body)
    rt = ctx.runtime
    plan = rt.plan(*rt.horizon(TODAY))
    by_uid = {str(ev["UID"]): ev for ev in events(bars.body)}
    mine = plan.tasks_for("so-ngoai-vu")
    assert mine
    for task in mine:
        ev = by_uid[f"{task.event.id}.{task.rule.id}.{task.occurrence.date:%Y%m%d}.department-so-ngoai-vu.bars@"
                    f"ubnd-tinh-bac-giang.reminderd"]
        assert (ev["DTSTART"].dt, ev["DTEND"].dt) == (task.window_start, task.due + dt.timedelta(days=1))
    # The default layout is unchanged, and listed once (the subscribe list shows default feeds).
    assert str(name) not in {str(f.name) for f in feeds(ctx).feeds()}


def test_names_for_people(ctx: Context) -> None:
    f = feeds(ctx).get("department/so-vhttdl")
    assert f is not None and f.short_name == "Sở Văn hóa, Thể thao và Du lịch"
    assert feeds(ctx).get("country/JP").short_name == "Nhật Bản"  # type: ignore[union-attr]
    assert feeds(ctx).get("tag/ngay-le-viet-nam").short_name == "Ngày lễ Việt Nam"  # type: ignore[union-attr]
    assert feeds(ctx).get("all").short_name == "Lịch đối ngoại - tất cả"  # type: ignore[union-attr]


def test_example_runtime_is_the_shipped_one() -> None:
    assert example_runtime().config.org_name == "UBND tỉnh Bắc Giang"
    assert Path(example_runtime().config.path) == EXAMPLE_CONFIG.resolve()
