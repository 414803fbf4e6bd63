"""Organisations change: a department replaced by another (`replaced_by`) hands over its tasks,
its feed and its mail, and keeps its history readable under its old name."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from reminderd import acks, audit, outbox
from reminderd.cli import main
from reminderd.config import load_config
from reminderd.context import Context
from reminderd.errors import ValidationError
from reminderd.feeds import FeedName, available_feeds, feed_items, feed_meta
from reminderd.runtime import load_runtime
from reminderd.store import open_store

from .conftest import SMALL_CONFIG

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

DEPARTMENTS = """
[[department]]
id = "so-khdt"
name = "Sở Kế hoạch và Đầu tư"
email = ["sokhdt@example.gov.vn"]
escalate_to = "vp-ubnd"

[[department]]
id = "so-tai-chinh"
name = "Sở Tài chính"
email = ["sotaichinh@example.gov.vn"]
escalate_to = "vp-ubnd"
"""
BEFORE = SMALL_CONFIG + DEPARTMENTS
# 1 March 2025: the Department of Planning and Investment merged into the Department of Finance.
AFTER = SMALL_CONFIG + DEPARTMENTS.replace(
    'email = ["sokhdt@example.gov.vn"]\nescalate_to = "vp-ubnd"',
    'email = ["sokhdt@example.gov.vn"]\nescalate_to = "vp-ubnd"\nreplaced_by = "so-tai-chinh"', 1)

CATALOG = """
[[event]]
id = "hoi-nghi-xuc-tien"
title = "Hội nghị xúc tiến đầu tư {year}"
date = "06-20"

[[event.task]]
id = "moi-doanh-nghiep"
action = "Sở Kế hoạch và Đầu tư mời doanh nghiệp FDI"
lead = "5-7wd"
owner = "so-khdt"
support = ["so-ngoai-vu"]

[[event.task]]
id = "thong-tin"
action = "Sở Ngoại vụ chuẩn bị thông tin"
lead = "5-7wd"
owner = "so-ngoai-vu"
support = ["so-khdt", "so-tai-chinh"]
"""


def at(y: int, m: int, d: int, hh: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, hh, tzinfo=TZ).astimezone(dt.UTC)


def test_replaced_department_hands_over_and_keeps_its_history(make_env, capsys):
    cfg = make_env(CATALOG, config=BEFORE)
    rt = load_runtime(cfg)
    clock = [at(2024, 6, 11)]  # the 2024 window opens (20/6/2024 − 7 working days)
    ctx = Context(rt, open_store(rt.config.database_url), now=lambda: clock[0])
    outbox.planning_pass_sync(ctx)
    with ctx.store.engine.begin() as conn:
        conn.execute(outbox.OB.update().values(state="sent", sent_at=clock[0]))
    assert acks.mark_done(ctx.store, "hoi-nghi-xuc-tien", "moi-doanh-nghiep", 2024, "Phòng Kinh tế đối ngoại",
                          "web", "đã mời 12 doanh nghiệp", clock[0])
    sent_2024 = [r for r in outbox.list_rows(ctx.store) if r["task_id"] == "moi-doanh-nghiep"]
    assert {(r["department"], r["recipient"]) for r in sent_2024} >= {("so-khdt", "sokhdt@example.gov.vn")}

    # The merger: the config marks the old department replaced. Nothing else changes.
    make_env(CATALOG, config=AFTER)
    rt = load_runtime(cfg)
    ctx.set_runtime(rt)
    c = rt.config
    assert c.current_department("so-khdt") == "so-tai-chinh" and c.department_name("so-khdt") == "Sở Kế hoạch và Đầu tư"
    task = {t.id: t for t in rt.catalog.event("hoi-nghi-xuc-tien").tasks}
    assert task["moi-doanh-nghiep"].owner == "so-tai-chinh" and task["moi-doanh-nghiep"].support == ("so-ngoai-vu",)
    assert task["thong-tin"].support == ("so-tai-chinh",)  # named twice now: once
    assert task["moi-doanh-nghiep"].replaced == (("so-khdt", "so-tai-chinh"),)

    # Mail of 2025 goes to the new department; the old address gets nothing new.
    clock[0] = at(2025, 6, 11)
    outbox.planning_pass_sync(ctx)
    rows_2025 = [r for r in outbox.list_rows(ctx.store, limit=500) if r["year"] == 2025]
    assert {r["recipient"] for r in rows_2025 if r["task_id"] == "moi-doanh-nghiep"} == {
        "sotaichinh@example.gov.vn", "songoaivu@example.gov.vn"}
    assert all(r["recipient"] != "sokhdt@example.gov.vn" for r in rows_2025)

    # The old department's feed keeps working and shows the work of the department that does it now.
    plan = rt.plan(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert FeedName("department", "so-khdt") in available_feeds(rt)
    old_feed = feed_items(plan, rt, FeedName("department", "so-khdt"))
    new_feed = feed_items(plan, rt, FeedName("department", "so-tai-chinh"))
    assert [i.key for i in old_feed] == [i.key for i in new_feed] and old_feed
    assert all(".department-so-khdt@" in i.uid for i in old_feed)  # its own UIDs: no clash
    assert feed_meta(rt, FeedName("department", "so-khdt")).name == feed_meta(
        rt, FeedName("department", "so-tai-chinh")).name

    # History stays readable under the old name: acknowledgements, sent mail, the audit trail.
    assert acks.is_done(ctx.store, "hoi-nghi-xuc-tien", "moi-doanh-nghiep", 2024)
    old_rows = [r for r in outbox.list_rows(ctx.store, limit=500) if r["year"] == 2024]
    assert {r["department"] for r in old_rows if r["recipient"] == "sokhdt@example.gov.vn"} == {"so-khdt"}
    assert all(rt.config.department_name(r["department"]) == "Sở Kế hoạch và Đầu tư"
               for r in old_rows if r["department"] == "so-khdt")
    trail = audit.entries(ctx.store, event_id="hoi-nghi-xuc-tien")
    assert [e.actor for e in trail] == ["Phòng Kinh tế đối ngoại"]
    ctx.store.dispose()

    # The command line: upcoming for the old id lists the new department's work; explain says why.
    assert main(["--config", str(cfg), "upcoming", "--from", "2025-06-01", "--to", "2025-06-30",
                 "--department", "so-khdt", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["task_id"] for r in rows if r["task_id"]} == {"moi-doanh-nghiep", "thong-tin"}
    assert main(["--config", str(cfg), "explain", "hoi-nghi-xuc-tien/moi-doanh-nghiep", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "chủ trì: Sở Tài chính" in out
    assert "Đơn vị Sở Kế hoạch và Đầu tư đã được thay bằng Sở Tài chính (replaced_by)" in out
    assert main(["--config", str(cfg), "audit", "--event", "hoi-nghi-xuc-tien"]) == 0
    assert "Phòng Kinh tế đối ngoại" in capsys.readouterr().out
    assert main(["--config", str(cfg), "check"]) == 0


@pytest.mark.parametrize(("extra", "message"), [
    ('replaced_by = "so-khong-co"', "không phải mã đơn vị"),
    ('replaced_by = "so-khdt"', "vòng lặp"),
])
def test_bad_replacements_are_errors(make_env, extra, message):
    text = BEFORE.replace('email = ["sokhdt@example.gov.vn"]\n', f'email = ["sokhdt@example.gov.vn"]\n{extra}\n', 1)
    with pytest.raises(ValidationError) as ei:
        load_config(make_env(CATALOG, config=text))
    assert any("department so-khdt" in str(p) and "replaced_by" in str(p) and message in str(p)
               for p in ei.value.problems), [str(p) for p in ei.value.problems]


def test_escalation_follows_a_replacement(make_env):
    text = AFTER.replace('escalate_to = "vp-ubnd"\n\n[[department]]\nid = "so-tai-chinh"',
                         'escalate_to = "so-khdt"\n\n[[department]]\nid = "so-tai-chinh"')
    text = text.replace('id = "so-ngoai-vu"\nname = "Sở Ngoại vụ"\nemail = ["songoaivu@example.gov.vn"]\n'
                        'escalate_to = "vp-ubnd"',
                        'id = "so-ngoai-vu"\nname = "Sở Ngoại vụ"\nemail = ["songoaivu@example.gov.vn"]\n'
                        'escalate_to = "so-khdt"')
    cfg = load_config(make_env(CATALOG, config=text))
    assert cfg.department("so-ngoai-vu").escalate_to == "so-tai-chinh"


def test_a_replaced_departments_link_marks_its_successors_tasks_done(make_env, sqlite_url):
    """The old department's access link sees the work of the department that does it now, and
    may mark it done too: on the page (where the row says it leads) and through the API."""
    import re

    import httpx

    from reminderd import tokens

    from .webutil import Clock, make_context, serve

    rt = load_runtime(make_env(CATALOG, config=AFTER))
    clock = Clock(at(2025, 6, 11))
    srv = serve(make_context(sqlite_url, rt, clock))
    try:
        tasks = {t.rule.id: t for t in rt.plan(dt.date(2025, 6, 1), dt.date(2025, 6, 30)).tasks}
        lead, support = tasks["moi-doanh-nghiep"], tasks["thong-tin"]
        assert lead.owner == "so-tai-chinh" and "so-tai-chinh" in support.support
        _, secret = tokens.create(srv.ctx.store, "access", "department/so-khdt", "Phòng Kinh tế đối ngoại", clock.now)
        with httpx.Client(base_url=srv.url, follow_redirects=False, timeout=30) as c:
            assert c.get(f"/a/{secret}").status_code == 303
            page = c.get("/d/so-khdt").text
            row = page[page.index(f'data-key="{lead.key}"'):]
            row = row[:row.index("</article>")]
            assert 'action="/done"' in row and "<i>chủ trì</i>" in row
            token = re.search(r'name="csrf" value="([^"]+)"', page)
            assert token
            r = c.post("/done", data={"key": lead.key, "csrf": token[1], "note": "đã mời 12 doanh nghiệp"})
            assert r.status_code == 303, r.text
        assert acks.is_done(srv.ctx.store, "hoi-nghi-xuc-tien", "moi-doanh-nghiep", 2025)
        r = httpx.post(f"{srv.url}/api/v1/ack", json={"key": support.key},
                       headers={"Authorization": f"Bearer {secret}"}, timeout=30)
        assert r.status_code == 200 and r.json()["changed"] is True, r.text
        assert acks.get_ack(srv.ctx.store, "hoi-nghi-xuc-tien", "thong-tin", 2025).done_by.endswith(
            "Phòng Kinh tế đối ngoại")
    finally:
        srv.stop()
