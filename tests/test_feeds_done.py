"""Done in the feeds, and subscribers moved to new UIDs without duplicates.

An acknowledgement (web, API, e-mail link, CLI) marks the task's entries "✓" with SEQUENCE
bumped in every feed that carries it — who did it only in the department's own feed — and
re-renders only those feeds; the other daemon of a pair and ``reminderd ack`` are caught up
by the daemon's ``acks`` job. Old UIDs are published cancelled once, then dropped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import icalendar
import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import insert

from reminderd import acks, tokens
from reminderd.cli import main
from reminderd.context import Context
from reminderd.feeds import FeedName, task_uid
from reminderd.feeds.cache import acks_changed_elsewhere
from reminderd.model import PlannedTask
from reminderd.scheduling import Jobs
from reminderd.store import schema
from tests.feeds_support import FEEDS_CONFIG, Clock, cache, check_bytes, make_ctx, serve

DOMAIN = "lich.example.gov.vn"
WHO = "Nguyễn Thị Lan (phòng Lễ tân)"


@pytest.fixture
def cfg_path(make_env: Callable[..., Path]) -> Path:
    return make_env(config=FEEDS_CONFIG)


def by_uid(ctx: Context, feed: str) -> dict[str, icalendar.Event]:
    body = cache(ctx).get(feed).body  # type: ignore[union-attr]
    check_bytes(body)
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def lao_task(ctx: Context) -> PlannedTask:
    """The letter for the Lao party's anniversary (led by so-ngoai-vu, supported by vp-ubnd), 2024."""
    plan = ctx.runtime.plan(*ctx.runtime.horizon(ctx.today()))
    return next(t for t in plan.tasks if t.event.id == "dang-nd-cm-lao" and t.occurrence.date.year == 2024)


def test_done_is_marked_in_every_feed_that_carries_the_task(cfg_path: Path) -> None:
    clock = Clock()
    ctx = make_ctx(cfg_path, clock)
    cache(ctx).rebuild(ctx)
    task = lao_task(ctx)
    assert task.due >= ctx.today()  # its due day has an alarm in the leading department's feed
    touched = ("all", "department/so-ngoai-vu", "department/vp-ubnd", "country/LA")
    before = {f: by_uid(ctx, f) for f in touched}
    untouched = {f: cache(ctx).get(f) for f in ("country/JP", "tag/quoc-khanh", "tag/ngay-le-viet-nam")}
    mine = task_uid(task, FeedName("department", "so-ngoai-vu"), DOMAIN)
    assert before["department/so-ngoai-vu"][mine].walk("VALARM")

    clock.advance(hours=2)
    assert acks.mark_done(ctx.store, *task.ack_key, WHO, "web", "đã gửi qua bưu điện", clock.now)
    ctx.acks_changed()  # what the web page, the API and the e-mail link call

    for feed in touched:
        after = by_uid(ctx, feed)
        for entry in ("due", "open"):
            uid = task_uid(task, parse(feed), DOMAIN, entry)
            old, new = before[feed][uid], after[uid]
            assert str(new["SUMMARY"]) == "✓ " + str(old["SUMMARY"]), feed
            assert int(new["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
            assert new["LAST-MODIFIED"].dt == clock.now
            assert not new.walk("VALARM")  # nothing to remind of
            desc = str(new["DESCRIPTION"])
            assert desc.startswith("✓ Đã hoàn thành lúc 01/03/2024 11:00")
            # Who did it: only in the department's own feeds, never in all/country feeds.
            assert (WHO in desc) == feed.startswith("department/"), feed
            assert ("đã gửi qua bưu điện" in desc) == feed.startswith("department/")
        others = {u for u in after if not u.startswith("dang-nd-cm-lao.thu-chuc-mung.20240322")}
        assert all(after[u] == before[feed][u] for u in others), feed  # nothing else moved
    for feed, rendered in untouched.items():
        assert cache(ctx).get(feed) is rendered, feed  # not re-rendered at all

    clock.advance(hours=1)
    assert acks.undo(ctx.store, *task.ack_key, "editor", "web", clock.now)
    ctx.acks_changed()
    again = by_uid(ctx, "department/so-ngoai-vu")[mine]
    assert str(again["SUMMARY"]) == str(before["department/so-ngoai-vu"][mine]["SUMMARY"])
    assert int(again["SEQUENCE"]) == int(before["department/so-ngoai-vu"][mine]["SEQUENCE"]) + 2
    assert again.walk("VALARM")  # the reminder is back


def parse(feed: str) -> FeedName:
    from reminderd.feeds import parse_feed_name

    return parse_feed_name(feed)


def test_public_feeds_say_what_and_when_not_who(cfg_path: Path, make_env: Callable[..., Path]) -> None:
    make_env(config=FEEDS_CONFIG.replace('public = ["tag/ngay-le-viet-nam"]', 'public = ["department/vp-ubnd"]'))
    ctx = make_ctx(cfg_path)
    cache(ctx).rebuild(ctx)
    task = lao_task(ctx)
    acks.mark_done(ctx.store, *task.ack_key, WHO, "email", "", ctx.now())
    ctx.acks_changed()
    public = by_uid(ctx, "department/vp-ubnd")[task_uid(task, FeedName("department", "vp-ubnd"), DOMAIN)]
    assert str(public["SUMMARY"]).startswith("✓ ") and WHO not in str(public["DESCRIPTION"])
    private = by_uid(ctx, "department/so-ngoai-vu")[task_uid(task, FeedName("department", "so-ngoai-vu"), DOMAIN)]
    assert f"{WHO} (liên kết trong thư)" in str(private["DESCRIPTION"])


def test_the_other_daemon_and_the_cli_catch_up(cfg_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reminderd ack` (another process) and the other daemon of a pair write the database only;
    each daemon's `acks` job notices within a dispatch interval and re-renders."""
    a = make_ctx(cfg_path, Clock())
    b = make_ctx(cfg_path, Clock())  # the same database (the config's SQLite file)
    for c in (a, b):
        cache(c).rebuild(c)
    task = lao_task(a)
    uid = task_uid(task, FeedName("all"), DOMAIN)
    assert not acks_changed_elsewhere(b)
    assert main(["--config", str(cfg_path), "ack", "dang-nd-cm-lao/thu-chuc-mung", "--year", "2024",
                 "--by", WHO]) == 0
    capsys.readouterr()
    assert acks_changed_elsewhere(a) and acks_changed_elsewhere(b)
    assert not str(by_uid(b, "all")[uid]["SUMMARY"]).startswith("✓")

    async def tick(ctx: Context) -> None:  # the daemon's job, as the scheduler runs it
        await Jobs(ctx, AsyncIOScheduler()).sync_acks()

    asyncio.run(tick(b))
    assert str(by_uid(b, "all")[uid]["SUMMARY"]).startswith("✓ Hạn: ")
    assert not acks_changed_elsewhere(b)
    asyncio.run(tick(a))
    assert by_uid(a, "all")[uid] == by_uid(b, "all")[uid]  # both daemons serve the same entry
    assert cache(a).get("all").etag == cache(b).get("all").etag  # type: ignore[union-attr]
    # An undo from the CLI travels the same way.
    assert main(["--config", str(cfg_path), "ack", "dang-nd-cm-lao/thu-chuc-mung", "--year", "2024", "--undo"]) == 0
    asyncio.run(tick(b))
    assert not str(by_uid(b, "all")[uid]["SUMMARY"]).startswith("✓")


def test_acknowledged_through_the_api_the_feed_shows_it(cfg_path: Path) -> None:
    """Over a real socket: the department marks the task done through the JSON API; its feed
    (fetched as a subscribed app does, with the old ETag) comes back changed, the task ✓."""
    ctx = make_ctx(cfg_path)
    cache(ctx).rebuild(ctx)
    task = lao_task(ctx)
    _, access = tokens.create(ctx.store, "access", "department/so-ngoai-vu", "staff", ctx.now())
    _, feed = tokens.create(ctx.store, "feed", "department/so-ngoai-vu", "staff", ctx.now())
    path = f"/feeds/{feed}/department/so-ngoai-vu/Sở Ngoại vụ.ics"
    with serve(ctx) as base, httpx.Client(base_url=base, timeout=30) as c:
        first = c.get(path)
        assert first.status_code == 200
        r = c.post("/api/v1/ack", json={"key": task.key}, headers={"Authorization": f"Bearer {access}"})
        assert r.status_code == 200 and r.json()["changed"] is True
        second = c.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert second.status_code == 200 and second.headers["etag"] != first.headers["etag"]
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(second.content).walk("VEVENT")}
    ev = events[task_uid(task, FeedName("department", "so-ngoai-vu"), DOMAIN)]
    assert str(ev["SUMMARY"]).startswith("✓ Hạn: ") and "qua API" not in str(ev["DESCRIPTION"])
    assert "(API)" in str(ev["DESCRIPTION"])


def _old_rows(ctx: Context, now: dt.datetime) -> dict[str, dict[str, object]]:
    """feed_items rows as the previous version wrote them: one all-day bar per task over its
    window, UIDs ending in ``@reminderd``, the old snapshot format (``alarm_offset_minutes``)."""
    rt = ctx.runtime
    plan = rt.plan(*rt.horizon(ctx.today()))
    rows: dict[str, dict[str, object]] = {}
    for t in plan.tasks:
        uid = f"{t.event.id}.{t.rule.id}.{t.occurrence.date:%Y%m%d}.all@reminderd"
        snap = {"uid": uid, "feed": "all", "key": t.key, "start": t.window_start.isoformat(),
                "end": (t.due + dt.timedelta(days=1)).isoformat(), "summary": f"{t.action} (hạn {t.due:%d/%m/%Y})",
                "description": f"{t.action}\nMã: {t.key}", "categories": list(t.event.tags), "alarm": "x",
                "alarm_offset_minutes": 480, "status": "CONFIRMED"}
        rows[uid] = {"uid": uid, "content_hash": "old", "sequence": 3, "last_modified": now,
                     "removed_at": None, "snapshot": json.dumps(snap, ensure_ascii=False)}
    return rows


def test_old_uids_are_published_cancelled_once_then_dropped(cfg_path: Path) -> None:
    """Upgrading moves subscribers to the new entries without duplicates: each old bar is
    published once as cancelled (one day, on its old due day, SEQUENCE bumped), then dropped."""
    clock = Clock()
    ctx = make_ctx(cfg_path, clock)
    rows = _old_rows(ctx, clock.now - dt.timedelta(days=40))
    with ctx.store.engine.begin() as conn:
        conn.execute(insert(schema.feed_items), list(rows.values()))
    clock.advance(hours=1)
    cache(ctx).rebuild(ctx)
    after = by_uid(ctx, "all")
    today = ctx.today()
    cancelled = {u: e for u, e in after.items() if u.endswith("@reminderd")}
    live = {u: e for u, e in after.items() if not u.endswith("@reminderd")}
    assert cancelled and all(u.endswith(f"@{DOMAIN}") for u in live)
    for uid, row in rows.items():
        snap = json.loads(str(row["snapshot"]))
        if dt.date.fromisoformat(snap["end"]) <= today:
            assert uid not in after  # already past: dropped at once
            continue
        ev = cancelled[uid]
        assert ev["STATUS"] == "CANCELLED" and int(ev["SEQUENCE"]) == 4
        assert str(ev["SUMMARY"]).startswith("[Đã hủy] ") and not ev.walk("VALARM")
        assert ev["DTEND"].dt == dt.date.fromisoformat(snap["end"])
        assert ev["DTEND"].dt - ev["DTSTART"].dt == dt.timedelta(days=1)  # not a long struck-through bar
    # No duplicates: every task has exactly one live due entry.
    dues = [u for u, e in live.items() if ".due." in u and e["STATUS"] == "CONFIRMED"]
    assert len(dues) == len(set(dues)) == len({u.split(".due.")[0] for u in dues})
    # A restart publishes the same cancellations, without another bump; two days on, they are gone.
    ctx2 = make_ctx(cfg_path, clock)
    cache(ctx2).rebuild(ctx2)
    assert by_uid(ctx2, "all") == after
    clock.advance(days=3)
    cache(ctx2).rebuild(ctx2)
    assert not [u for u in by_uid(ctx2, "all") if u.endswith("@reminderd")]
