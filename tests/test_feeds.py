"""Feeds: content, dates, UIDs, SEQUENCE across edits and restarts, cancellations, golden files.

Regenerate the golden files: ``UPDATE_GOLDEN=1 pytest tests/test_feeds.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reminderd.feeds import (
    FeedName,
    FeedNameError,
    Stamped,
    available_feeds,
    feed_items,
    feed_meta,
    parse_feed_name,
    render,
    short,
    task_ics,
    task_uid,
    with_layout,
)
from reminderd.feeds.cache import FeedCache, install
from reminderd.feeds.text import TAG_TITLES, tag_title
from reminderd.runtime import load_runtime
from tests.conftest import SMALL_CATALOG
from tests.feeds_support import FEEDS_CONFIG, Clock, cache, check_bytes, make_ctx, strict

GOLDEN = Path(__file__).resolve().parent / "golden" / "feeds"
GOLDEN_FEEDS = ["all", "department/vp-ubnd", "department/so-ngoai-vu", "country/LA", "tag/ngay-le-viet-nam"]
DOMAIN = "lich.example.gov.vn"  # the host of FEEDS_CONFIG's base_url


@pytest.fixture
def cfg_path(make_env: Callable[..., Path]) -> Path:
    return make_env(config=FEEDS_CONFIG)


def events_by_uid(body: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_feed_names() -> None:
    assert parse_feed_name("all") == FeedName("all")
    assert parse_feed_name("department/so-ngoai-vu.ics") == FeedName("department", "so-ngoai-vu")
    assert str(parse_feed_name("country/jp")) == "country/JP"
    assert parse_feed_name("tag/quoc-khanh").scope == "tag-quoc-khanh"
    for bad in ("", "everything", "department/", "department/Sở", "country/JPN", "tag/a b", "x/y"):
        with pytest.raises(FeedNameError) as e:
            parse_feed_name(bad)
        assert repr(bad) in str(e.value)
    bars = with_layout(parse_feed_name("country/JP"), "bars")
    assert str(bars) == "country/JP?layout=bars" and bars.scope == "country-jp.bars"
    assert bars.base == FeedName("country", "JP") and bars.path == "country/JP.ics"
    with pytest.raises(FeedNameError):
        with_layout(bars, "wide")


def test_every_feed_is_strict_valid_and_round_trips(cfg_path: Path) -> None:
    ctx = make_ctx(cfg_path)
    c = cache(ctx)
    c.rebuild(ctx)
    names = {str(f.name) for f in c.feeds()}
    assert names == {"all", "department/so-ngoai-vu", "department/vp-ubnd", "country/JP", "country/LA",
                     "tag/quoc-khanh", "tag/ngay-le-viet-nam"}
    for f in c.feeds():
        parsed = check_bytes(f.body)
        assert str(parsed["X-WR-CALNAME"]).startswith("UBND tỉnh Thử — ")
        for prop in ("NAME", "DESCRIPTION", "X-WR-CALDESC", "X-WR-TIMEZONE", "REFRESH-INTERVAL",
                     "X-PUBLISHED-TTL", "PRODID", "VERSION"):
            assert prop in parsed, (f.name, prop)
        assert parsed["X-WR-TIMEZONE"] == "Asia/Ho_Chi_Minh"
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in f.body
        assert b"X-PUBLISHED-TTL:PT6H\r\n" in f.body
        # Only all-day components, so no VTIMEZONE is needed.
        assert not parsed.walk("VTIMEZONE")
    assert c.get("tag/ngay-le-viet-nam").public and not c.get("all").public  # type: ignore[union-attr]
    assert ctx.health["feeds"]["ok"] and ctx.health["feeds"]["problems"] == []


def test_all_day_dates_are_the_plan_dates(cfg_path: Path) -> None:
    """Every task is a one-day entry on its due day, and one on the day its window opens when
    that is another day; every event is a one-day entry on its date."""
    ctx = make_ctx(cfg_path)
    cache(ctx).rebuild(ctx)
    rt = ctx.runtime
    plan = rt.plan(*rt.horizon(ctx.today()))
    assert plan.tasks and plan.occurrences
    cal = strict(cache(ctx).get("all").body)  # type: ignore[union-attr]
    by_uid = {e.uid: e for e in cal.events}
    feed = FeedName("all")
    windows = sum(1 for t in plan.tasks if t.window_start < t.due)
    assert windows and len(by_uid) == 2 * len(plan.tasks) - (len(plan.tasks) - windows) + len(plan.occurrences)
    for task in plan.tasks:
        ev = by_uid[task_uid(task, feed, DOMAIN)]
        assert (ev.dtstart, ev.dtend) == (task.due, task.due + dt.timedelta(days=1))
        assert ev.summary == f"Hạn: {short(task.action)}"
        assert "Chủ trì: Sở Ngoại vụ" in (ev.description or "") and not ev.alarm  # no alarms in `all`
        if task.window_start < task.due:
            op = by_uid[task_uid(task, feed, DOMAIN, "open")]
            assert (op.dtstart, op.dtend) == (task.window_start, task.window_start + dt.timedelta(days=1))
            assert op.summary == f"Bắt đầu: {short(task.action)} (hạn {task.due:%d/%m})"
        else:
            assert task_uid(task, feed, DOMAIN, "open") not in by_uid
    for occ in plan.occurrences:
        ev = by_uid[f"{occ.event.id}.{occ.date:%Y%m%d}.all@{DOMAIN}"]
        assert (ev.dtstart, ev.dtend) == (occ.date, occ.date + dt.timedelta(days=1))
        assert ev.summary == short(occ.title) and not ev.alarm
        assert len(ev.summary) <= 64 and (ev.summary == occ.title or (ev.description or "").startswith(occ.title))
    lao = [e for e in cal.events if e.uid.startswith("dang-nd-cm-lao.20240322")]
    assert lao[0].summary.startswith("Kỷ niệm 69 năm Ngày thành lập Đảng Nhân dân Cách mạng Lào")


def test_department_feed_marks_support_and_alarms_only_what_it_leads(cfg_path: Path) -> None:
    ctx = make_ctx(cfg_path)
    cache(ctx).rebuild(ctx)
    cal = strict(cache(ctx).get("department/vp-ubnd").body)  # type: ignore[union-attr]
    tasks = [e for e in cal.events if ".due." in e.uid or ".open." in e.uid]
    assert tasks and all(e.summary.startswith("[Phối hợp] ") for e in tasks)
    assert all("Vai trò của đơn vị: phối hợp" in (e.description or "") for e in tasks)
    assert not [e for e in cal.events if e.alarm]  # vp-ubnd leads nothing here
    assert all(e.uid.endswith(f".department-vp-ubnd@{DOMAIN}") for e in cal.events)
    # The Japanese national day has no vp-ubnd task, so it is not in vp-ubnd's feed.
    assert not [e for e in cal.events if e.uid.startswith("quoc-khanh-jp")]
    lead = strict(cache(ctx).get("department/so-ngoai-vu").body)  # type: ignore[union-attr]
    led = [e for e in lead.events if ".due." in e.uid or ".open." in e.uid]
    assert led and not [e for e in led if e.summary.startswith("[")]  # its own tasks carry no mark
    today = ctx.today()
    for e in led:
        if e.dtstart >= today:
            (alarm,) = e.alarm
            want = dt.datetime.combine(e.dtstart, dt.time(8, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
            assert alarm.trigger == want and alarm.action == "DISPLAY"
        else:
            assert not e.alarm  # a day already past: no burst of old reminders for a new subscriber


def test_country_and_tag_feeds_select_their_events(cfg_path: Path) -> None:
    ctx = make_ctx(cfg_path)
    cache(ctx).rebuild(ctx)
    la = strict(cache(ctx).get("country/LA").body)  # type: ignore[union-attr]
    assert la.events and all(e.uid.startswith("dang-nd-cm-lao.") for e in la.events)
    tet = strict(cache(ctx).get("tag/ngay-le-viet-nam").body)  # type: ignore[union-attr]
    assert {e.uid.split(".")[0] for e in tet.events} == {"tet"}
    # Tết 2024 is 10 February (Vietnamese lunar calendar).
    assert any(e.dtstart == dt.date(2024, 2, 10) and e.summary == "Tết Nguyên đán 2024" for e in tet.events)


def test_restart_changes_nothing(cfg_path: Path) -> None:
    clock = Clock()
    ctx = make_ctx(cfg_path, clock)
    cache(ctx).rebuild(ctx)
    before = {f.name: (f.body, f.etag, f.http_date) for f in cache(ctx).feeds()}
    clock.advance(hours=5)
    ctx2 = make_ctx(cfg_path, clock)  # a restarted daemon on the same database
    cache(ctx2).rebuild(ctx2)
    after = {f.name: (f.body, f.etag, f.http_date) for f in cache(ctx2).feeds()}
    assert before == after


def test_title_edit_keeps_uids_and_bumps_sequence(cfg_path: Path, make_env: Callable[..., Path]) -> None:
    clock = Clock()
    ctx = make_ctx(cfg_path, clock)
    cache(ctx).rebuild(ctx)
    old = events_by_uid(cache(ctx).get("all").body)  # type: ignore[union-attr]
    old_lm = cache(ctx).get("all").last_modified  # type: ignore[union-attr]
    # Within the same day: a day later, yesterday's entries lose their reminders in the
    # departments' feeds, and every copy of such an entry moves with them (one row per entry).
    clock.advance(hours=1)
    edited = SMALL_CATALOG.replace('title = "Quốc khánh Nhật Bản"', 'title = "Quốc khánh Nhật Bản (Thiên Hoàng)"')
    make_env(catalog=edited, config=FEEDS_CONFIG)
    ctx.set_runtime(load_runtime(cfg_path))  # the on_change listener rebuilds
    new = events_by_uid(cache(ctx).get("all").body)  # type: ignore[union-attr]
    assert set(new) == set(old)
    for uid, ev in new.items():
        changed = uid.startswith("quoc-khanh-jp.")  # the title is in the tasks' descriptions too
        assert int(ev["SEQUENCE"]) == (1 if changed else 0), uid
        assert (ev["LAST-MODIFIED"].dt == clock.now) == changed
        assert (ev["DTSTAMP"].dt == ev["LAST-MODIFIED"].dt)
    assert cache(ctx).get("all").last_modified > old_lm  # type: ignore[union-attr]
    # A feed that did not change keeps its ETag and Last-Modified.
    la_before = cache(ctx).get("country/LA")
    ctx.set_runtime(load_runtime(cfg_path))
    assert cache(ctx).get("country/LA").etag == la_before.etag  # type: ignore[union-attr]


def test_removed_occurrence_is_cancelled_then_dropped(cfg_path: Path, make_env: Callable[..., Path]) -> None:
    clock = Clock()
    ctx = make_ctx(cfg_path, clock)
    cache(ctx).rebuild(ctx)
    before = events_by_uid(cache(ctx).get("country/LA").body)  # type: ignore[union-attr]
    clock.advance(hours=1)
    catalog = SMALL_CATALOG.replace("country = \"LA\"", "country = \"LA\"\nuntil = 2023")
    make_env(catalog=catalog, config=FEEDS_CONFIG)
    ctx.set_runtime(load_runtime(cfg_path))
    after = events_by_uid(cache(ctx).get("country/LA").body)  # type: ignore[union-attr]
    check_bytes(cache(ctx).get("country/LA").body)  # type: ignore[union-attr]
    assert set(after) <= set(before)
    for uid, ev in after.items():
        if ev["DTEND"].dt > ctx.today() and not uid.split(".")[-2].startswith("2023"):
            assert ev["STATUS"] == "CANCELLED" and str(ev["SUMMARY"]).startswith("[Đã hủy] "), uid
            assert int(ev["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
            assert not ev.walk("VALARM")
    cancelled = [u for u, e in after.items() if e["STATUS"] == "CANCELLED"]
    assert cancelled
    # Items already past are not sent as cancelled: they are dropped.
    assert all(after[u]["DTEND"].dt > ctx.today() for u in cancelled)
    clock.advance(days=31)
    cache(ctx).rebuild(ctx)
    later = events_by_uid(cache(ctx).get("country/LA").body)  # type: ignore[union-attr]
    assert not [u for u, e in later.items() if e["STATUS"] == "CANCELLED"]
    # Restored: the item comes back with a SEQUENCE above the cancelled copy's.
    make_env(config=FEEDS_CONFIG)
    ctx.set_runtime(load_runtime(cfg_path))
    back = events_by_uid(cache(ctx).get("country/LA").body)  # type: ignore[union-attr]
    assert int(back[cancelled[0]]["SEQUENCE"]) == int(after[cancelled[0]]["SEQUENCE"]) + 1
    assert back[cancelled[0]]["STATUS"] == "CONFIRMED"


def test_two_daemons_on_one_database_agree(cfg_path: Path, db_url: str) -> None:
    clock = Clock()
    a = make_ctx(cfg_path, clock, db_url)
    b = make_ctx(cfg_path, clock, db_url)
    cache(a).rebuild(a)
    clock.advance(minutes=3)
    cache(b).rebuild(b)
    assert [(f.etag, f.http_date) for f in cache(a).feeds()] == [(f.etag, f.http_date) for f in cache(b).feeds()]


def test_task_ics_for_mail(cfg_path: Path) -> None:
    """One VEVENT (the task's due day), an RFC 5546 PUBLISH with an ORGANIZER, and no
    calendar-level name or refresh interval (a one-event file is no subscription)."""
    rt = load_runtime(cfg_path)
    task = rt.plan(dt.date(2024, 1, 1), dt.date(2024, 12, 31)).tasks[0]
    now = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    body = task_ics(task, rt, now=now, sequence=2, role="support")
    check_bytes(body)
    cal = strict(body)
    (ev,) = cal.events
    assert b"METHOD:PUBLISH\r\n" in body
    for prop in (b"X-WR-CALNAME", b"\r\nNAME", b"REFRESH-INTERVAL", b"X-PUBLISHED-TTL", b"X-WR-CALDESC"):
        assert prop not in body, prop
    assert ev.uid == task_uid(task, FeedName("all"), DOMAIN) and ev.sequence == 2
    assert ev.organizer is not None and ev.organizer.uri == "mailto:reminderd@example.gov.vn"
    assert ev.dtstart == task.due and ev.dtend == task.due + dt.timedelta(days=1)
    assert ev.summary.startswith("[Phối hợp] Hạn: ") and ev.dtstamp == now


def test_english_wording(cfg_path: Path, make_env: Callable[..., Path]) -> None:
    make_env(config=FEEDS_CONFIG.replace('name = "UBND tỉnh Thử"', 'name = "UBND tỉnh Thử"\nlanguage = "en"'))
    rt = load_runtime(cfg_path)
    plan = rt.plan(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    items = feed_items(plan, rt, FeedName("department", "vp-ubnd"))
    task = next(i for i in items if ".due." in i.uid)
    assert task.summary.startswith("[Support] Due: ")
    assert "Lead: Sở Ngoại vụ" in task.description and "working days before the event" in task.description
    opening = next(i for i in items if ".open." in i.uid)
    assert opening.summary.startswith("[Support] Starts: ") and "(due 02-" in opening.summary
    assert feed_meta(rt, FeedName("all")).name == "UBND tỉnh Thử — Foreign-affairs calendar"


def test_tag_feeds_have_human_titles(cfg_path: Path, make_env: Callable[..., Path]) -> None:
    """A tag feed's name is what people see in their calendar list: a title, not the slug."""
    rt = load_runtime(cfg_path)
    meta = feed_meta(rt, FeedName("tag", "ngay-le-viet-nam"))
    assert meta.name == "UBND tỉnh Thử — Ngày lễ Việt Nam"
    assert "Ngày lễ Việt Nam" in meta.description and "ngay-le-viet-nam" not in meta.description
    assert feed_meta(rt, FeedName("tag", "rieng-cua-tinh")).name == "UBND tỉnh Thử — rieng-cua-tinh"
    make_env(config=FEEDS_CONFIG.replace('name = "UBND tỉnh Thử"', 'name = "UBND tỉnh Thử"\nlanguage = "en"'))
    en = feed_meta(load_runtime(cfg_path), FeedName("tag", "quoc-khanh"))
    assert en.name == "UBND tỉnh Thử — National days" and "quoc-khanh" not in en.description


def test_every_shipped_tag_has_a_title() -> None:
    tags = {tag for path in (Path(__file__).resolve().parent.parent / "calendars").glob("*.toml")
            for ev in tomllib.loads(path.read_text("utf-8")).get("event", []) for tag in ev.get("tags", [])}
    assert tags and not tags - TAG_TITLES.keys(), sorted(tags - TAG_TITLES.keys())
    assert all(t["vi"] and t["en"] and t["vi"] != t["en"] for t in TAG_TITLES.values())
    assert tag_title("binh-dinh", "vi") == "Kế hoạch tỉnh Bình Định" and tag_title("x-y", "en") == "x-y"


def test_provisional_note(cfg_path: Path) -> None:
    rt = load_runtime(cfg_path)
    plan = rt.plan(dt.date(2026, 1, 1), dt.date(2026, 12, 31))  # confirmed_through = 2025
    items = [i for i in feed_items(plan, rt, FeedName("all")) if ".due." in i.uid]
    assert items and all("Ngày tạm tính: lịch nghỉ năm 2026 chưa được công bố" in i.description for i in items)
    assert not [i for i in items if "confirmed_through" in i.description]


def test_public_feed_problems_are_reported(cfg_path: Path, make_env: Callable[..., Path]) -> None:
    make_env(config=FEEDS_CONFIG.replace('public = ["tag/ngay-le-viet-nam"]', 'public = ["tag/khong-co", "bogus"]'))
    ctx = make_ctx(cfg_path)
    cache(ctx).rebuild(ctx)
    problems = ctx.health["feeds"]["problems"]
    assert any("bogus" in p for p in problems) and any("tag/khong-co" in p for p in problems)
    assert not cache(ctx).public()


def test_install_is_idempotent(cfg_path: Path) -> None:
    ctx = make_ctx(cfg_path)
    assert install(ctx) is ctx.feeds and ctx.on_change.count(ctx.feeds.rebuild) == 1
    assert ctx.on_acks_change.count(ctx.feeds.acks_changed) == 1
    assert isinstance(ctx.feeds, FeedCache) and not ctx.feeds.built


def test_available_feeds_follow_the_config(cfg_path: Path) -> None:
    rt = load_runtime(cfg_path)
    names = [str(f) for f in available_feeds(rt)]
    assert "country/FR" not in names  # FR is in no [partners] tier
    assert names[0] == "all"


@pytest.mark.parametrize("feed", GOLDEN_FEEDS)
def test_golden(cfg_path: Path, feed: str) -> None:
    rt = load_runtime(cfg_path)
    name = parse_feed_name(feed)
    plan = rt.plan(dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    items = [Stamped(i, 0, dt.datetime(2024, 3, 1, 2, 0, tzinfo=dt.UTC))
             for i in feed_items(plan, rt, name, today=dt.date(2024, 3, 1))]
    body = render(feed_meta(rt, name), items)
    check_bytes(body)
    path = GOLDEN / f"{str(name).replace('/', '-')}.ics"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    assert path.exists(), f"{path} missing: run UPDATE_GOLDEN=1 pytest tests/test_feeds.py"
    assert body == path.read_bytes(), f"{path} differs: review, then UPDATE_GOLDEN=1 pytest tests/test_feeds.py"


def test_feeds_md_thunderbird_step_needs_no_credentials() -> None:
    """A token link needs no username or password: the step ticks "doesn't require credentials"."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "FEEDS.md").read_text("utf-8")
    step = re.search(r"\*\*Thunderbird[^*]*\*\*:(.*?)\n\n", doc, re.S)
    assert step, "FEEDS.md has a Thunderbird step"
    text = " ".join(step[1].split())
    assert "*On the Network*" in text and "*Location*" in text and "*Find Calendars*" in text
    assert "tick *This location doesn't require credentials*" in text and "untick" not in text
    # Read-only, per app: Thunderbird's folder link (or its Read-only box), the others by nature.
    assert "**Thunderbird link** (the one ending in `/`)" in text and "tick *Read-only*" in text
    for app in ("Apple Calendar (macOS)", "Outlook desktop (Windows)", "Outlook on the web", "Google Calendar (web)"):
        para = doc.split(f"**{app}", 1)[1].split("\n\n", 1)[0]
        assert "read-only" in para.lower(), app


# The fast VEVENT writer against icalendar's own serialiser, which stays the reference.
_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=300, deadline=None)
@given(summary=_texts, description=_texts, alarm=st.none() | _texts,
       categories=st.lists(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20),
                           max_size=3),
       start=st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 30)), days=st.integers(1, 40),
       sequence=st.integers(0, 10_000), minutes=st.integers(-10_000, 10_000),
       status=st.sampled_from(["CONFIRMED", "CANCELLED", "TENTATIVE"]),
       uid=st.from_regex(r"[a-z0-9_][a-z0-9-]{0,80}\.[0-9]{8}\.[a-z0-9.-]{1,40}@[a-z0-9.-]{1,30}", fullmatch=True),
       stamp=st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2090, 1, 1)))  # noqa: DTZ001 (naive bounds: hypothesis)
# A category with a backslash-N: icalendar wrapped each category in its own vText and wrote a line break.
@example(summary="", description="", alarm=None, categories=["\\N"], start=dt.date(2000, 1, 1), days=1, sequence=0,
         minutes=0, status="CONFIRMED", uid="0.00000000.0@0", stamp=dt.datetime(2000, 1, 1))  # noqa: DTZ001
def test_fast_vevent_writer_is_byte_identical_to_icalendar(summary: str, description: str, alarm: str | None,
                                                           categories: list[str], start: dt.date, days: int,
                                                           sequence: int, minutes: int, status: str, uid: str,
                                                           stamp: dt.datetime) -> None:
    from reminderd.feeds import FeedItem, Stamped
    from reminderd.feeds.ical import _vevent, _vevent_ical
    alarm_at = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    item = FeedItem(uid=uid, feed="all", key="k", start=start, end=start + dt.timedelta(days=days),
                    summary=summary, description=description, categories=tuple(categories), alarm=alarm,
                    alarm_at=alarm_at if alarm is not None else None, status=status)
    s = Stamped(item, sequence, stamp.replace(tzinfo=dt.UTC))
    now = (stamp + dt.timedelta(seconds=7)).replace(tzinfo=dt.UTC)
    assert _vevent_ical(s, now) == bytes(_vevent(s, now).to_ical())
