"""Feeds made a month at a time: what an acknowledgement or an ad-hoc edit re-makes is exactly
what a whole rebuild makes; one ``feed_items`` row per entry; gzip bodies in monthly segments.

On the example config and the shipped catalog in December 2026 (the busy days fold).
"""

from __future__ import annotations

import datetime as dt
import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from sqlalchemy import func, select

from reminderd import acks, adhoc
from reminderd.context import Context
from reminderd.feeds import (
    FeedName,
    available_feeds,
    carried,
    carries,
    feed_copies,
    logical_entries,
    month_of,
    shared_owners_all,
    uid_domain,
)
from reminderd.feeds import body as feed_body
from reminderd.feeds.cache import FeedCache, _index, _subplan, install
from reminderd.store import schema

from .webutil import Clock, make_context

NOW = dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)
ITEM = {"id": "dai-su-moi", "title": "Tân Đại sứ Nhật Bản đến chào xã giao", "date": "2027-03-12",
        "country": "JP", "task": [{"id": "don", "action": "Chuẩn bị đón Đại sứ", "lead": "3-5wd",
                                   "owner": "so-ngoai-vu", "support": ["vp-ubnd"]}]}


@pytest.fixture()
def ctx(tmp_path: Path) -> Iterator[Context]:
    c = make_context(f"sqlite:///{tmp_path}/reminderd.db", clock=Clock(NOW))
    install(c)
    c.feeds.rebuild(c)
    yield c
    c.store.dispose()


def served(ctx: Context) -> dict[str, tuple[bytes, str]]:
    cache = ctx.feeds
    assert isinstance(cache, FeedCache)
    return {f.name.__str__(): (f.body, f.etag) for f in cache.feeds()}


def rebuilt(ctx: Context) -> dict[str, tuple[bytes, str]]:
    """The feeds a fresh daemon on the same database and clock would serve."""
    fresh = Context(ctx.runtime, ctx.store, now=ctx.now)
    install(fresh)
    fresh.feeds.rebuild(fresh)
    return served(fresh)


def test_a_month_alone_is_what_the_whole_feed_has_in_it(ctx: Context) -> None:
    rt = ctx.runtime
    plan = rt.plan(*rt.horizon(ctx.today()))
    names = available_feeds(rt)
    owners = shared_owners_all(plan, rt, names)
    index = _index(plan)
    months = sorted(index)
    domain = uid_domain(rt)
    for name in names[:: max(1, len(names) // 12)] + [n for n in names if n.kind == "department"]:
        whole = feed_copies(plan, rt, name, today=ctx.today(), domain=domain, owners=owners[str(name)])
        for m in months[:: 5]:
            part = feed_copies(_subplan(plan, {m}, index), rt, name, today=ctx.today(), domain=domain, months={m},
                               owners=owners[str(name)])
            want = [(c.start, c.uid, c.hidden, c.logical) for c in whole if month_of(c.start) == m]
            assert [(c.start, c.uid, c.hidden, c.logical) for c in part] == want, (name, m)
            texts = {c.uid: c.item for c in whole if month_of(c.start) == m and not c.hidden}
            assert all(texts[c.uid] == c.item for c in part if not c.hidden), (name, m)


def test_what_a_feed_carries_in_one_pass_is_what_each_task_says(ctx: Context) -> None:
    """``carried`` (one pass over the plan for every feed) against ``carries`` asked of each task
    by each feed, and a department's occurrences those of its tasks, in the plan's order."""
    rt = ctx.runtime
    plan = rt.plan(*rt.horizon(ctx.today()))
    names = available_feeds(rt)
    got = carried(plan, rt, names)
    for name in names:
        role = carries(rt, name)
        want = [(t, r) for t in plan.tasks if (r := role(t)) is not False]
        tasks, occs = got[str(name)]
        assert [(id(t), r) for t, r in tasks] == [(id(t), r) for t, r in want], name
        if name.kind == "department":
            want_occs = list({t.occurrence.key: t.occurrence for t, _ in want}.values())
        else:
            want_occs = [o for o in plan.occurrences
                         if (name.kind == "all" or (name.kind == "tag" and name.value in o.event.tags)
                             or (name.kind == "country" and o.event.country == name.value))]
        assert [o.key for o in occs] == [o.key for o in want_occs], name


def test_the_logical_entries_are_every_entry_of_all_folded_or_not(ctx: Context) -> None:
    """``logical_entries`` (what the table keeps a row for, folded entries included, without a
    copy each) names exactly the entries ``all`` has, a busy day's own entries aside, in both
    layouts and for a month alone."""
    rt = ctx.runtime
    plan = rt.plan(*rt.horizon(ctx.today()))
    domain = uid_domain(rt)
    for layout in ("days", "bars"):
        everyone = FeedName("all", layout=layout)
        copies = feed_copies(plan, rt, everyone, today=ctx.today(), domain=domain)
        want = {c.logical for c in copies if not c.logical.startswith("_day.")}
        got = [e.logical for e in logical_entries(plan, rt, layout, domain=domain)]
        assert len(got) == len(set(got)) and set(got) == want, layout
        assert any(c.hidden for c in copies) or layout == "bars"
    m = month_of(ctx.today())
    index = _index(plan)
    part = {e.logical for e in logical_entries(_subplan(plan, {m}, index), rt, "days", domain=domain, months={m})}
    whole = {e.logical for e in logical_entries(plan, rt, "days", domain=domain) if month_of(e.start) == m}
    assert part == whole


def test_an_acknowledgement_remakes_what_a_rebuild_would(ctx: Context) -> None:
    cache = ctx.feeds
    assert isinstance(cache, FeedCache) and cache._built is not None
    before = served(ctx)
    task = next(t for t in cache._built.plan.tasks if t.due >= ctx.today() and t.window_start.month != t.due.month)
    acks.mark_done(ctx.store, task.event.id, task.rule.id, task.occurrence.year, "Nguyễn Văn A", "web", "", ctx.now())
    ctx.acks_changed()
    after = served(ctx)
    assert after == rebuilt(ctx)
    changed = {k for k in after if after[k] != before[k]}
    assert "all" in changed and f"department/{task.owner}" in changed
    assert len(changed) < len(after)  # only the feeds that carry the task
    assert set(cache.timings) >= {"entries", "database", "render"}


def test_an_adhoc_edit_remakes_what_a_rebuild_would(ctx: Context) -> None:
    before = served(ctx)
    ev, problems = adhoc.add(ctx, ITEM, by="test")
    assert ev is not None, problems
    added = served(ctx)
    assert added == rebuilt(ctx)
    assert added["country/JP"] != before["country/JP"] and added["country/LA"] == before["country/LA"]
    assert "Chuẩn bị đón Đại sứ" in added["department/vp-ubnd"][0].decode()
    assert adhoc.delete(ctx, "dai-su-moi", by="test")
    gone = served(ctx)
    assert gone == rebuilt(ctx)
    # The removed item is published cancelled where it was shown, not dropped silently.
    body = gone["department/so-ngoai-vu"][0].decode()
    assert "dai-su-moi.don.20270312" in body and "STATUS:CANCELLED" in body


def test_one_row_per_entry(ctx: Context) -> None:
    cache = ctx.feeds
    assert isinstance(cache, FeedCache)
    with ctx.store.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(schema.feed_items)).scalar_one()
        uids = conn.execute(select(schema.feed_items.c.uid)).scalars().all()
    scoped = [u for u in uids if ".all@" in u and not u.startswith("_day.")]
    published = sum(f.items for f in cache.feeds())
    assert 0 < rows < published  # the same entry in several feeds is one row
    assert scoped == []  # rows are named without the feed (busy days' folds keep theirs: _day.…)


def table(ctx: Context) -> dict[str, tuple[str, int]]:
    t = schema.feed_items
    with ctx.store.engine.connect() as conn:
        return {r.uid: (r.content_hash, r.sequence) for r in conn.execute(select(t.c.uid, t.c.content_hash,
                                                                                  t.c.sequence))}


def test_an_entry_nobody_has_seen_has_no_row_until_a_message_shows_it(db_url: str) -> None:
    """A task entry folded in every feed (a busy day's) gets no row; the reminder that attaches it
    makes its row, with the hash the next build gives it (no SEQUENCE moves then), and from then
    on it is kept like a published one's. On SQLite and PostgreSQL."""
    from reminderd.feeds import task_ics, task_uid

    ctx = make_context(db_url, clock=Clock(NOW))
    install(ctx)
    ctx.feeds.rebuild(ctx)
    rt = ctx.runtime
    plan = rt.plan(*rt.horizon(ctx.today()))
    domain = uid_domain(rt)
    rows = table(ctx)
    published = {c.logical for f in available_feeds(rt)
                 for c in feed_copies(plan, rt, f, today=ctx.today(), domain=domain) if not c.hidden}
    unseen = [e for e in logical_entries(plan, rt, "days", domain=domain)
              if e.task is not None and e.kind == "due" and e.logical not in published and e.start >= ctx.today()]
    assert unseen, "the example catalog has busy days whose entries every feed folds"
    assert not any(e.logical in rows for e in unseen)
    assert all(lg in rows for lg in published)

    e = unseen[0]
    assert e.task is not None
    feed = FeedName("department", e.task.owner)
    (ev,) = Calendar.from_ical(task_ics(e.task, rt, now=NOW, feed=feed)).walk("VEVENT")
    assert str(ev["UID"]) == task_uid(e.task, feed, domain) and str(ev["SEQUENCE"]) == "0"
    made = table(ctx)
    assert made[e.logical][1] == 0
    # A build keeps the row and its SEQUENCE (the hash was the build's own).
    rebuilt(ctx)
    assert table(ctx)[e.logical] == made[e.logical]
    ctx.store.dispose()


def test_a_task_moved_to_another_department_is_cancelled_where_it_was(ctx: Context) -> None:
    ev, _ = adhoc.add(ctx, ITEM, by="test")
    assert ev is not None
    moved = {**ITEM, "task": [{**ITEM["task"][0], "owner": "so-vhttdl", "support": []}]}  # type: ignore[dict-item]
    _, problems = adhoc.update(ctx, "dai-su-moi", moved, by="test")
    assert not [p for p in problems if not p.warning], problems
    now = served(ctx)
    assert now == rebuilt(ctx)
    uid = "dai-su-moi.don.20270312.due.department-{}@"
    old = now["department/vp-ubnd"][0].decode()
    new = now["department/so-vhttdl"][0].decode()
    assert uid.format("vp-ubnd") in old and "[Đã hủy]" in old
    assert uid.format("so-vhttdl") in new
    everyone = now["all"][0].decode()
    assert "dai-su-moi.don.20270312.due.all@" in everyone and "[Đã hủy] Hạn: Chuẩn bị đón" not in everyone


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=3000), min_size=1, max_size=8))
def test_gzip_segments_are_one_stream(parts: list[bytes]) -> None:
    segs = [feed_body.segment(p) for p in parts]
    whole = b"".join(parts)
    body = feed_body.gzip_of(segs)
    assert gzip.decompress(body) == whole == feed_body.identity(body)
    crc = 0
    for p in parts:
        crc = feed_body.crc32_combine(crc, zlib.crc32(p), len(p))
    assert crc == zlib.crc32(whole)


def test_the_bars_layout_follows_edits_too(ctx: Context) -> None:
    cache = ctx.feeds
    assert isinstance(cache, FeedCache)
    bars = FeedName("department", "so-ngoai-vu", "bars")
    assert cache.variant(ctx, bars) is not None
    ev, problems = adhoc.add(ctx, ITEM, by="test")
    assert ev is not None, problems
    assert adhoc.delete(ctx, "dai-su-moi", by="test")
    fresh = Context(ctx.runtime, ctx.store, now=ctx.now)
    install(fresh)
    fresh.feeds.rebuild(fresh)
    assert served(ctx) == served(fresh)
    mine, theirs = cache.get(str(bars)), fresh.feeds.variant(fresh, bars)
    assert mine is not None and theirs is not None and mine.body == theirs.body
    assert "dai-su-moi.don.20270312.department-so-ngoai-vu.bars@" in mine.body.decode()  # cancelled there
