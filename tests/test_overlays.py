"""Stored overlays on the files: partners, event overrides, their conflicts, the audit trail,
and a pair's other daemon picking them up (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import textwrap

from reminderd import audit
from reminderd.catalog import parse_lead
from reminderd.context import Context
from reminderd.overlays import edit, merge
from reminderd.reload import reload
from reminderd.runtime import load_runtime
from reminderd.store import open_store

from .conftest import SMALL_CATALOG

NOW = dt.datetime(2025, 1, 6, 2, 0, tzinfo=dt.UTC)


def ctx_for(cfg, db_url) -> Context:
    ctx = Context(load_runtime(cfg), open_store(db_url), now=lambda: NOW)
    merge.refresh(ctx)
    return ctx


def jp_tasks(ctx: Context) -> list[tuple[str, str]]:
    plan = ctx.runtime.plan(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    return [(t.rule.id, t.rule.lead.text) for t in plan.tasks if t.event.id == "quoc-khanh-jp"]


def test_partner_moves_tier_and_back(make_env, db_url):
    ctx = ctx_for(make_env(), db_url)
    assert jp_tasks(ctx) == [("thu-chuc-mung", "5-7wd")]
    assert edit.set_partner(ctx, "jp", "local_cooperation", by="bien-tap") == []
    assert ctx.config.tier_of("JP") == "local_cooperation"
    assert jp_tasks(ctx) == [("thu-dia-phuong", "10-15wd")]
    assert ctx.base_runtime.config.tier_of("JP") == "regular"  # the file is untouched
    # Out of the partners: no national-day task at all; then back as the file says: no row left.
    assert edit.set_partner(ctx, "JP", None, by="bien-tap") == []
    assert jp_tasks(ctx) == []
    assert edit.revert_partner(ctx, "JP", by="bien-tap") == []
    assert jp_tasks(ctx) == [("thu-chuc-mung", "5-7wd")]
    assert ctx.overlays.stored.partners == ()
    trail = audit.entries(ctx.store, action_prefix="partner")
    assert [(e.action, e.before, e.after) for e in reversed(trail)] == [
        ("partner.set", {"tier": "regular"}, {"tier": "local_cooperation"}),
        ("partner.remove", {"tier": "local_cooperation"}, {"tier": None}),
        ("partner.set", {"tier": None}, {"tier": "regular"}),
    ]
    assert all(e.event_id == "quoc-khanh-jp" and e.actor == "bien-tap" for e in trail)
    bad = edit.set_partner(ctx, "XX", "regular", by="x") + edit.set_partner(ctx, "DE", "vip", by="x")
    assert [p.key for p in bad] == ["country", "tier"]
    ctx.store.dispose()


def test_override_validated_like_the_files_and_reversible(make_env, db_url):
    ctx = ctx_for(make_env(), db_url)
    problems = edit.change_task(ctx, "tet", "tham-chuc-tet", {"lead": "hai tuần"}, by="bt")
    try:
        parse_lead("hai tuần")
    except ValueError as e:
        assert [p.message for p in problems] == [str(e)]  # the files' validator, its words
    problems = edit.change_task(ctx, "tet", "tham-chuc-tet", {"owner": "so-khong-co"}, by="bt")
    assert [p.key for p in problems] == ["owner"] and "không phải mã đơn vị" in problems[0].message
    assert ctx.overlays.stored.overrides == ()  # nothing stored from a refused change

    # As a clerk types it: "10–15 ngày làm việc" is the catalog's "10-15wd".
    assert edit.change_task(ctx, "tet", "tham-chuc-tet", {"lead": "10–15 ngày làm việc", "owner": "vp-ubnd",
                                                           "support": ["so-ngoai-vu"]}, by="bt") == []
    rule = ctx.runtime.catalog.event("tet").tasks[0]
    assert (rule.lead.text, rule.owner, rule.support) == ("10-15wd", "vp-ubnd", ("so-ngoai-vu",))
    assert edit.add_task(ctx, "tet", {"action": "Chuẩn bị quà Tết", "lead": "15-20wd", "owner": "vp-ubnd"},
                         by="bt") == []
    assert [t.id for t in ctx.runtime.catalog.event("tet").tasks] == ["tham-chuc-tet", "chuan-bi-qua-tet"]
    assert edit.disable_event(ctx, "quoc-khanh-fr", by="bt") == []
    assert "quoc-khanh-fr" not in {e.id for e in ctx.runtime.catalog.events}
    # Reversible one by one.
    assert edit.revert(ctx, "tet", "tham-chuc-tet", by="bt") == []
    assert ctx.runtime.catalog.event("tet").tasks[0].lead.text == "3-10wd"
    assert len(ctx.runtime.catalog.event("tet").tasks) == 2
    assert edit.revert(ctx, "quoc-khanh-fr", "", by="bt") == []
    assert "quoc-khanh-fr" in {e.id for e in ctx.runtime.catalog.events}
    actions = [e.action for e in reversed(audit.entries(ctx.store, action_prefix="override"))]
    assert actions == ["override.set", "override.set", "override.set", "override.remove", "override.remove"]
    first = audit.entries(ctx.store, event_id="tet")[-1]
    assert first.before["lead"] == "3-10wd" and first.after["lead"] == "10-15wd"
    ctx.store.dispose()


def test_file_edit_that_removes_the_changed_task_is_a_conflict(make_env, db_url, tmp_path):
    cfg = make_env()
    ctx = ctx_for(cfg, db_url)
    assert edit.change_task(ctx, "tet", "tham-chuc-tet", {"lead": "10-15wd"}, by="bt") == []
    # Ops edits the file on disk: the task is gone, another takes its place; then reloads.
    text = SMALL_CATALOG.replace('id = "tham-chuc-tet"', 'id = "chuc-tet"')
    (tmp_path / "calendars" / "main.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    assert reload(ctx, cfg).ok
    conflicts = [str(p) for p in ctx.overlays.conflicts]
    assert len(conflicts) == 1 and "tham-chuc-tet" in conflicts[0] and "chưa được áp dụng" in conflicts[0]
    assert ctx.health["catalog_conflicts"] == conflicts
    assert ctx.runtime.catalog.event("tet").tasks[0].lead.text == "3-10wd"  # the file's, untouched
    assert len(ctx.overlays.stored.overrides) == 1  # kept, never dropped silently
    ctx.store.dispose()


def test_other_daemon_picks_up_overlays(make_env, db_url):
    cfg = make_env()
    a, b = ctx_for(cfg, db_url), ctx_for(cfg, db_url)
    assert not merge.changed_elsewhere(b)
    assert edit.set_partner(a, "JP", "local_cooperation", by="bt") == []
    assert merge.changed_elsewhere(b)
    merge.refresh(b)
    assert jp_tasks(b) == [("thu-dia-phuong", "10-15wd")]
    assert edit.disable_event(a, "tet", by="bt") == []
    assert merge.changed_elsewhere(b)
    merge.refresh(b)
    assert "tet" not in {e.id for e in b.runtime.catalog.events}
    a.store.dispose()
    b.store.dispose()


def test_reload_while_the_database_is_away_keeps_the_stored_changes(make_env, db_url, tmp_path):
    from sqlalchemy import create_engine

    from reminderd.store import Store

    cfg = make_env()
    ctx = ctx_for(cfg, db_url)
    assert edit.set_partner(ctx, "JP", "local_cooperation", by="bt") == []
    real = ctx.store
    ctx.store = Store(create_engine(f"sqlite:///{tmp_path}"))  # a directory: every connection fails
    try:
        assert reload(ctx, cfg).ok  # the new files apply all the same …
        assert jp_tasks(ctx) == [("thu-dia-phuong", "10-15wd")]  # … with the changes last read
        assert "stored_fingerprint" not in ctx.health  # so the sync job merges again once it answers
    finally:
        ctx.store.dispose()
        ctx.store = real
    assert merge.changed_elsewhere(ctx)
    merge.refresh(ctx)
    assert jp_tasks(ctx) == [("thu-dia-phuong", "10-15wd")]
    real.dispose()
