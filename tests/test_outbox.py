"""Planning rules without SMTP: catch-up, days off, corrections, idempotency, dry-run."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reminderd import acks, adhoc, audit, outbox
from reminderd.context import Context
from reminderd.runtime import load_runtime
from reminderd.store import open_store

from .conftest import SMALL_CATALOG, SMALL_CONFIG

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, hh, tzinfo=TZ).astimezone(dt.UTC)


def kinds(result: outbox.PlanResult, kind_filter: str | None = None) -> list[tuple[str, str, str]]:
    return sorted((r.kind, r.event_id or r.department, r.recipient) for r in result.rows
                  if kind_filter is None or r.kind == kind_filter)


def test_catch_up_sends_only_the_latest_reminder(make_env):
    rt = load_runtime(make_env())
    # JP letter: window opens Thu 13/02, due Mon 17/02 (2025).
    assert kinds(outbox.plan_rows(rt, at(2025, 2, 13), set(), []), "window_open") == [
        ("window_open", "quoc-khanh-jp", "songoaivu@example.gov.vn")]
    # Nothing ran on the 13th: on the 14th the opening notice still goes (due not passed)...
    assert [r.kind for r in outbox.plan_rows(rt, at(2025, 2, 14), set(), []).rows
            if r.event_id == "quoc-khanh-jp"] == ["window_open"]
    # ...on the due date only the due reminder, never both stale ones...
    assert [r.kind for r in outbox.plan_rows(rt, at(2025, 2, 17), set(), []).rows
            if r.event_id == "quoc-khanh-jp"] == ["due"]
    # ...after it only the overdue notice, to the owner and its escalation department.
    late = outbox.plan_rows(rt, at(2025, 2, 19), set(), [])
    assert kinds(late, "overdue") == [("overdue", "quoc-khanh-jp", "songoaivu@example.gov.vn"),
                                      ("overdue", "quoc-khanh-jp", "vpubnd@example.gov.vn")]
    assert {r.role for r in late.rows if r.kind == "overdue"} == {"owner", "escalation"}
    # An acknowledged task gets nothing.
    done = {("quoc-khanh-jp", "thu-chuc-mung", 2025)}
    assert not [r for r in outbox.plan_rows(rt, at(2025, 2, 19), done, []).rows if r.event_id == "quoc-khanh-jp"]
    # More than a working week late: no overdue notice is started any more.
    assert kinds(outbox.plan_rows(rt, at(2025, 3, 5), set(), []), "overdue") == []


def test_send_day_is_the_next_working_day_at_send_hour(make_env):
    rt = load_runtime(make_env())
    wd = rt.workdays
    assert outbox.send_day(wd, dt.date(2025, 2, 15)) == dt.date(2025, 2, 17)  # Saturday → Monday
    assert outbox.send_day(wd, dt.date(2025, 1, 28)) == dt.date(2025, 2, 3)  # Tết 2025 → after the break
    assert outbox.send_moment(dt.date(2025, 2, 17), rt.config) == dt.datetime(2025, 2, 17, 1, tzinfo=dt.UTC)


def test_planning_is_idempotent_and_dry_run_writes_nothing(make_env):
    rt = load_runtime(make_env())
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: at(2025, 2, 13))
    dry = outbox.planning_pass_sync(ctx, dry_run=True)
    assert dry["created"] == 3 and outbox.list_rows(ctx.store) == []
    first = asyncio.run(outbox.planning_pass(ctx))
    assert first["created"] == 3
    for _ in range(3):
        assert asyncio.run(outbox.planning_pass(ctx))["created"] == 0
    assert len(outbox.list_rows(ctx.store)) == 3
    assert outbox.planning_pass_sync(ctx, dry_run=True)["created"] == 0


def _mark_all_sent(ctx: Context) -> None:
    with ctx.store.engine.begin() as conn:
        conn.execute(outbox.OB.update().values(state="sent", sent_at=ctx.now()))


def test_date_change_after_sending_makes_one_correction(make_env):
    cfg = make_env()
    rt = load_runtime(cfg)
    clock = [at(2025, 2, 13)]
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: clock[0])
    outbox.planning_pass_sync(ctx)
    _mark_all_sent(ctx)
    # The catalog is edited: the letter now has a 3-4wd lead (window 18–19/02 instead of 13–17/02).
    make_env(catalog=SMALL_CATALOG.replace('lead = "5-7wd"', 'lead = "3-4wd"'))
    ctx.set_runtime(load_runtime(cfg))
    clock[0] = at(2025, 2, 14)
    res = outbox.planning_pass_sync(ctx)
    assert res["by_kind"] == {"correction": 1}
    row = next(r for r in outbox.list_rows(ctx.store) if r["kind"] == "correction")
    assert (row["window_start"], row["due"]) == (dt.date(2025, 2, 18), dt.date(2025, 2, 19))
    assert '"old_due": "2025-02-17"' in row["payload"]
    assert outbox.planning_pass_sync(ctx)["created"] == 0
    # Once the correction is sent, nothing more — and no second window-opening notice.
    _mark_all_sent(ctx)
    clock[0] = at(2025, 2, 18)  # the new window opens: the correction already said so
    assert "window_open" not in outbox.planning_pass_sync(ctx)["by_kind"]  # (this week's digest is)
    clock[0] = at(2025, 2, 19)  # the new due date: the due reminder does go
    assert outbox.planning_pass_sync(ctx)["by_kind"] == {"due": 1}


def test_date_change_before_sending_cancels_the_stale_row(make_env):
    cfg = make_env()
    ctx = Context(load_runtime(cfg), open_store(load_runtime(cfg).config.database_url), now=lambda: at(2025, 2, 13))
    outbox.planning_pass_sync(ctx)
    make_env(catalog=SMALL_CATALOG.replace('lead = "5-7wd"', 'lead = "3-4wd"'))
    ctx.set_runtime(load_runtime(cfg))
    res = outbox.planning_pass_sync(ctx)
    assert res["cancelled"] == 1
    assert [r["state"] for r in outbox.list_rows(ctx.store) if r["kind"] == "window_open"] == ["cancelled"]


def test_department_without_address_is_visible_not_dropped(make_env):
    from .conftest import SMALL_CONFIG
    cfg = make_env(config=SMALL_CONFIG.replace('email = ["songoaivu@example.gov.vn"]\n', ""))
    rt = load_runtime(cfg)
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: at(2025, 2, 13))
    res = outbox.planning_pass_sync(ctx)
    assert res["no_address"] >= 1
    dead = outbox.list_rows(ctx.store, states=["dead"])
    assert dead and all("không có địa chỉ thư" in r["last_error"] for r in dead)


def test_backoff_grows_with_jitter_and_is_capped():
    for n in range(1, 20):
        b = outbox.backoff(n)
        full = min(outbox.BACKOFF_CAP, outbox.BACKOFF_BASE * 2 ** (n - 1))
        assert full / 2 <= b <= full


def _days(start: dt.date, end: dt.date) -> list[dt.datetime]:
    return [at(d.year, d.month, d.day) for d in (start + dt.timedelta(days=i) for i in range((end - start).days + 1))]


def _run(ctx: Context, clock: list[dt.datetime], days: list[dt.datetime]) -> int:
    created = 0
    for day in days:
        clock[0] = day
        created += outbox.planning_pass_sync(ctx)["created"]
        _mark_all_sent(ctx)
    return created


def test_purge_never_lets_planning_send_again(make_env):
    rt = load_runtime(make_env())
    clock = [at(2025, 2, 10)]
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: clock[0])
    weeks = _days(dt.date(2025, 2, 10), dt.date(2025, 3, 14))
    assert _run(ctx, clock, weeks) > 0
    # A cutoff in the future (the wall clock is far ahead of the simulated one) is clamped to
    # 90 days before the latest row planning made: nothing planning could make again is deleted.
    res = outbox.purge(ctx.store, at(2027, 1, 1), ("sent", "cancelled", "dead"), now=at(2026, 11, 23))
    latest = max(r["created_at"] for r in outbox.list_rows(ctx.store, limit=10_000))
    assert res.clamped and res.before == latest - dt.timedelta(days=90) and res.deleted == 0
    assert _run(ctx, clock, weeks) == 0
    # A year later the 2025 rows are settled: purge deletes them, and planning from then on
    # makes none of them again.
    later = _days(dt.date(2026, 1, 5), dt.date(2026, 2, 27))
    assert _run(ctx, clock, later) > 0
    n_before = len(outbox.list_rows(ctx.store, limit=10_000))
    res = outbox.purge(ctx.store, at(2025, 12, 1), now=at(2026, 11, 23))
    assert res.deleted > 0 and res.before.year == 2025
    left = outbox.list_rows(ctx.store, limit=10_000)
    assert len(left) == n_before - res.deleted
    assert all(r["created_at"] >= at(2026, 1, 5) for r in left)
    assert _run(ctx, clock, later) == 0


def test_purge_cli_explains_and_clamps(make_env, capsys):
    from reminderd.cli import main
    cfg = make_env()
    rt = load_runtime(cfg)
    clock = [at(2025, 2, 13)]
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: clock[0])
    _run(ctx, clock, [clock[0]])
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "outbox", "purge", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "có hạn hoàn thành trước ngày đó" in help_text and "không bao giờ bị xóa" in help_text
    assert main(["--config", str(cfg), "outbox", "purge", "--before", "2030-01-01"]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "Đã xóa 0 thư."
    assert "Mốc --before 2030-01-01 quá gần" in out.err and "2024-11-15" in out.err
    assert len(outbox.list_rows(ctx.store)) == 3


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tick_dry_run_speaks_one_language(make_env, capsys, lang):
    import re

    from reminderd.cli import main

    from .conftest import SMALL_CONFIG
    config = SMALL_CONFIG if lang == "vi" else SMALL_CONFIG.replace(
        "[organization]\n", '[organization]\nlanguage = "en"\n', 1)
    cfg = make_env(config=config.replace('email = ["songoaivu@example.gov.vn"]\n', ""))
    assert main(["--config", str(cfg), "tick", "--dry-run", "--at", "2025-02-13T09:00"]) == 0
    out = capsys.readouterr().out
    words = set(re.findall(r"[^\W\d_]+", out)) - {"example", "gov", "vn", "so", "ngoai", "vu", "vp", "ubnd",
                                                   "quoc", "khanh", "jp", "thu", "chuc", "mung"}
    if lang == "vi":
        assert out.startswith("# 2025-02-13 09:00: 3 thư mới, 0 thư đang chờ gửi\n")
        assert "mới      bắt đầu        ngay" in out and "tổng hợp tuần" in out
        assert "(đơn vị so-ngoai-vu không có địa chỉ thư trong cấu hình)" in out
        assert not words & {"new", "queued", "now", "window_open", "digest", "department", "address"}
    else:
        assert out.startswith("# 2025-02-13 09:00: 3 new, 0 queued\n")
        assert "new     window_open    now" in out
        assert "(department so-ngoai-vu has no e-mail address in the config)" in out
        assert not words & {"thư", "mới", "chờ", "ngay", "đơn", "vị"}


def test_retry_of_unknown_ids_says_so_and_fails(make_env, capsys):
    from reminderd.cli import main
    cfg = make_env()
    rt = load_runtime(cfg)
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: at(2025, 2, 13))
    outbox.planning_pass_sync(ctx)
    rows = outbox.list_rows(ctx.store)
    with ctx.store.engine.begin() as conn:
        conn.execute(outbox.OB.update().where(outbox.OB.c.id == rows[0]["id"]).values(state="dead"))
    pending = rows[1]["id"]
    assert main(["--config", str(cfg), "outbox", "retry", "99999"]) == 1
    out = capsys.readouterr()
    assert out.out == "" and out.err == "Không có thư mang số 99999 trong hàng đợi.\n"
    assert main(["--config", str(cfg), "outbox", "retry", str(pending)]) == 1
    assert capsys.readouterr().err == f"Thư số {pending} không cần gửi lại (trạng thái: chờ gửi).\n"
    # Some found, one not: the found row goes back, the missing one is reported, exit 1.
    assert main(["--config", str(cfg), "outbox", "retry", str(rows[0]["id"]), "99999"]) == 1
    out = capsys.readouterr()
    assert out.out == "Đã đưa 1 thư về trạng thái chờ gửi.\n" and "99999" in out.err
    assert main(["--config", str(cfg), "outbox", "retry", "--dead"]) == 0  # none dead left: fine


def _rows_of(ctx, event_id):
    return [r for r in outbox.list_rows(ctx.store) if r["event_id"] == event_id]


@pytest.mark.parametrize(("catalog", "config"), [
    (SMALL_CATALOG.replace('id = "quoc-khanh-jp"', 'id = "quoc-khanh-nhat-ban"'), SMALL_CONFIG),
    (SMALL_CATALOG.replace('id = "thu-chuc-mung"', 'id = "thu-chuc-mung-moi"', 1), SMALL_CONFIG),
    (SMALL_CATALOG, SMALL_CONFIG.replace('regular = ["JP", "US"]', 'regular = ["US"]')),
    (SMALL_CATALOG, SMALL_CONFIG.replace('regular = ["JP", "US"]', 'regular = ["US"]')
     .replace('local_cooperation = ["LA", "KR", "CN"]', 'local_cooperation = ["LA", "KR", "CN", "JP"]')),
], ids=["event-removed", "task-removed", "partner-dropped", "tier-changed"])
def test_queued_rows_of_tasks_the_rules_no_longer_make_are_cancelled(make_env, catalog, config):
    """docs/MAIL.md: tasks removed from the catalog get no mail — queued rows included."""
    cfg = make_env()
    ctx = Context(load_runtime(cfg), open_store(load_runtime(cfg).config.database_url), now=lambda: at(2025, 2, 13))
    outbox.planning_pass_sync(ctx)
    queued = [r for r in _rows_of(ctx, "quoc-khanh-jp") if r["task_id"] == "thu-chuc-mung"]
    assert queued and all(r["state"] == "pending" for r in queued)
    make_env(catalog=catalog, config=config)
    ctx.set_runtime(load_runtime(cfg))
    res = outbox.planning_pass_sync(ctx)
    assert res["cancelled"] == len(queued)
    after = [r for r in _rows_of(ctx, "quoc-khanh-jp") if r["task_id"] == "thu-chuc-mung"]
    assert [r["state"] for r in after] == ["cancelled"] * len(queued)
    assert all("no longer in the catalog" in r["last_error"] for r in after)
    assert outbox.planning_pass_sync(ctx)["cancelled"] == 0  # nothing left to cancel
    # The rules make the task again (the edit undone; or the other daemon of a pair, not yet
    # reloaded, plans with the old files): the rows come back, the same rows, not new ones.
    make_env()
    ctx.set_runtime(load_runtime(cfg))
    res = outbox.planning_pass_sync(ctx)
    assert res["revived"] == len(queued) and res["created"] == 0, res
    back = [r for r in _rows_of(ctx, "quoc-khanh-jp") if r["task_id"] == "thu-chuc-mung"]
    assert [(r["id"], r["state"], r["last_error"]) for r in back] == [(r["id"], "pending", None) for r in queued]


def test_adhoc_rows_survive_an_unmerged_runtime_and_go_with_the_item(make_env):
    cfg = make_env()
    rt = load_runtime(cfg)
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: at(2025, 3, 10))
    ev, problems = adhoc.add(ctx, {
        "id": "dai-su-moi", "title": "Tân Đại sứ Nhật Bản đến nhận nhiệm vụ", "date": "2025-03-12",
        "task": [{"id": "thu-chao-mung", "action": "Gửi thư chào mừng", "lead": "2-4wd",
                  "owner": "so-ngoai-vu"}]}, by="test")
    assert ev is not None, problems
    outbox.planning_pass_sync(ctx)
    assert [r["state"] for r in _rows_of(ctx, "dai-su-moi")] == ["pending"]
    # The database was away when the daemon started: the item is stored but not merged yet.
    ctx.set_runtime(rt)
    assert outbox.planning_pass_sync(ctx)["cancelled"] == 0
    assert [r["state"] for r in _rows_of(ctx, "dai-su-moi")] == ["pending"]
    # An edit takes the task out of the item: its queued reminder must not go out.
    ev, problems = adhoc.update(ctx, "dai-su-moi", {
        "title": "Tân Đại sứ Nhật Bản đến nhận nhiệm vụ", "date": "2025-03-12",
        "task": [{"id": "hop-bao", "action": "Họp báo", "lead": "0wd", "owner": "so-ngoai-vu"}]})
    assert ev is not None, problems
    assert outbox.planning_pass_sync(ctx)["cancelled"] == 1
    assert [r["state"] for r in _rows_of(ctx, "dai-su-moi") if r["task_id"] == "thu-chao-mung"] == ["cancelled"]
    # Put back: the row is revived; then the item is deleted: cancelled again.
    ev, problems = adhoc.update(ctx, "dai-su-moi", {
        "title": "Tân Đại sứ Nhật Bản đến nhận nhiệm vụ", "date": "2025-03-12",
        "task": [{"id": "thu-chao-mung", "action": "Gửi thư chào mừng", "lead": "2-4wd",
                  "owner": "so-ngoai-vu"}]})
    assert ev is not None, problems
    assert outbox.planning_pass_sync(ctx)["revived"] == 1
    assert adhoc.delete(ctx, "dai-su-moi")
    assert outbox.planning_pass_sync(ctx)["cancelled"] == 1
    assert [r["state"] for r in _rows_of(ctx, "dai-su-moi")] == ["cancelled"]
    assert [r["state"] for r in _rows_of(ctx, "dai-su-moi") if r["task_id"] == "thu-chao-mung"] == ["cancelled"]


# ---- an acknowledgement undone: its reminders resume ------------------------------------------

MAILDIR_CONFIG = SMALL_CONFIG.replace('[smtp]\nhost = "127.0.0.1"\nport = 8025\ntls = "none"\n', "[smtp]\n")


def _rows(ctx: Context, event: str = "quoc-khanh-jp") -> list[dict]:
    return [r for r in outbox.list_rows(ctx.store, limit=100) if r["event_id"] == event]


def test_undoing_an_acknowledgement_brings_its_cancelled_reminder_back(make_env):
    """Marked done before the reminder went: cancelled. Undone: the same row (same dedupe key,
    same Message-ID) is pending again at the next planning pass, and goes out."""
    cfg = make_env(config=MAILDIR_CONFIG)  # no SMTP host: mail lands in a Maildir
    rt = load_runtime(cfg)
    t = [at(2025, 2, 13)]  # JP letter: its window opens today
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: t[0])
    outbox.planning_pass_sync(ctx)
    [row] = _rows(ctx)
    assert row["kind"] == "window_open" and row["state"] == "pending"
    acks.mark_done(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025, "Chánh VP", "web", "", t[0])
    assert outbox.planning_pass_sync(ctx)["cancelled"] == 1
    [cancelled] = _rows(ctx)
    assert cancelled["state"] == "cancelled" and cancelled["last_error"] == outbox.ACKED
    asyncio.run(outbox.dispatch(ctx))
    assert [r["state"] for r in _rows(ctx)] == ["cancelled"]
    # Someone undoes it the same day: the reminder resumes.
    assert acks.undo(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025, "Chánh VP", "web", t[0])
    result = outbox.planning_pass_sync(ctx)
    assert result["revived"] == 1 and result["created"] == 0
    [back] = _rows(ctx)
    assert (back["id"], back["dedupe_key"], back["message_id"]) == (row["id"], row["dedupe_key"], row["message_id"])
    assert back["state"] == "pending" and back["last_error"] is None
    assert asyncio.run(outbox.dispatch(ctx))["sent"] == 1
    assert [r["state"] for r in _rows(ctx)] == ["sent"]
    folder = rt.config.state_dir / "mail" / "new"
    assert any(row["message_id"] in p.read_text(encoding="utf-8") for p in folder.glob("*.eml"))
    assert outbox.planning_pass_sync(ctx)["revived"] == 0  # sent is sent: nothing comes back twice


def test_acknowledged_between_planning_and_sending_then_undone(make_env):
    """The dispatcher cancels a row whose task was marked done after planning; undoing the mark
    brings that row back too."""
    cfg = make_env(config=MAILDIR_CONFIG)
    rt = load_runtime(cfg)
    t = [at(2025, 2, 13)]
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: t[0])
    outbox.planning_pass_sync(ctx)
    acks.mark_done(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025, "x", "cli", "", t[0])
    assert asyncio.run(outbox.dispatch(ctx))["cancelled"] == 1  # cancelled at send time
    assert [r["state"] for r in _rows(ctx)] == ["cancelled"]
    acks.undo(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025, "x", "cli", t[0])
    assert outbox.planning_pass_sync(ctx)["revived"] == 1
    asyncio.run(outbox.dispatch(ctx))
    assert [r["state"] for r in _rows(ctx)] == ["sent"]


def test_undone_later_resumes_with_the_reminder_of_the_day_not_the_old_one(make_env):
    """Undone on the due date: the due-date reminder is made; the window-opening one it had
    cancelled stays cancelled (catch-up sends only the latest)."""
    cfg = make_env(config=MAILDIR_CONFIG)
    rt = load_runtime(cfg)
    t = [at(2025, 2, 13)]
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: t[0])
    outbox.planning_pass_sync(ctx)
    acks.mark_done(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025, "x", "cli", "", t[0])
    outbox.planning_pass_sync(ctx)
    t[0] = at(2025, 2, 17)  # the due date
    acks.undo(ctx.store, "quoc-khanh-jp", "thu-chuc-mung", 2025, "x", "cli", t[0])
    result = outbox.planning_pass_sync(ctx)
    assert result["revived"] == 0 and result["by_kind"]["due"] == 1
    assert {(r["kind"], r["state"]) for r in _rows(ctx)} == {("window_open", "cancelled"), ("due", "pending")}


def test_a_row_an_editor_cancelled_stays_cancelled(make_env):
    cfg = make_env(config=MAILDIR_CONFIG)
    rt = load_runtime(cfg)
    t = [at(2025, 2, 13)]
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: t[0])
    outbox.planning_pass_sync(ctx)
    [row] = _rows(ctx)
    assert outbox.cancel(ctx.store, t[0], [row["id"]], actor="Biên tập", via="web") == 1
    for _ in range(2):
        assert outbox.planning_pass_sync(ctx)["revived"] == 0
    asyncio.run(outbox.dispatch(ctx))
    [still] = _rows(ctx)
    assert still["state"] == "cancelled" and still["last_error"] == outbox.cancelled_by("Biên tập")
    [entry] = audit.entries(ctx.store, action_prefix="outbox.")
    assert (entry.action, entry.actor, entry.via, entry.subject) == ("outbox.cancel", "Biên tập", "web",
                                                                    f"outbox/{row['id']}")
    assert entry.before["state"] == "pending" and entry.after["state"] == "cancelled"
