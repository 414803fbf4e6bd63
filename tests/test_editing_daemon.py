"""The editors' changes against the real daemon (SQLite and PostgreSQL): a real process, HTTP
over a real socket, the CLI in the shell's place, a real SMTP server (aiosmtpd).

- A partner moved to ``local_cooperation`` on the page: its national-day letter goes from 5–7 to
  10–15 working days ahead in ``upcoming``, the feed and the next reminder.
- A task reassigned with ``reminderd catalog override`` (another process: the daemon's sync
  job picks it up): the new department's feed and mail have it, the old one's queued mail is
  cancelled.
- An event disabled on the page: its future tasks leave the plan and the feed (published as
  cancelled), its queued mail is cancelled and never sent.
- Each change is in the audit trail; ``catalog export`` then plans the same.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from email.header import decode_header, make_header
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine

from reminderd import tokens
from reminderd.cli import main
from reminderd.store import open_store
from reminderd.workdays import WorkdayCalendar

from .feeds_support import strict
from .test_catalog_cli import _config_for
from .test_daemon import SmtpSink, write_config
from .test_daemon_mail import at, dispatched, start, task_rows, wait_until

RUN_DAY = dt.date(2026, 12, 1)  # a Tuesday with no holiday near it
WD = WorkdayCalendar(country="VN", extra_days_off=[], extra_working_days=[], confirmed_through=2030)
JP_DAY = WD.add(RUN_DAY, 15)  # the 10-15wd letter's window opens on RUN_DAY; the 5-7wd one later
MEETING = WD.add(RUN_DAY, 10)  # 3-10wd windows open on RUN_DAY


def catalog() -> str:
    return f"""
[[event]]
id = "quoc-khanh-jp"
title = "Quốc khánh Nhật Bản"
date = "{JP_DAY:%m-%d}"
country = "JP"
tags = ["quoc-khanh"]

[[event.task]]
id = "thu-chuc-mung"
action = "Chủ tịch UBND tỉnh gửi thư chúc mừng Đại sứ quán Nhật Bản"
lead = "5-7wd"
owner = "so-ngoai-vu"
tier = "regular"

[[event.task]]
id = "thu-dia-phuong"
action = "Gửi thư chúc mừng Đại sứ quán và địa phương hợp tác của Nhật Bản"
lead = "10-15wd"
owner = "so-ngoai-vu"
tier = "local_cooperation"

[[event]]
id = "hoi-nghi-xuc-tien"
title = "Hội nghị xúc tiến đầu tư"
date = "{MEETING.isoformat()}"

[[event.task]]
id = "chuan-bi"
action = "Chuẩn bị nội dung Hội nghị xúc tiến đầu tư"
lead = "3-10wd"
owner = "so-ngoai-vu"
support = ["vp-ubnd"]

[[event]]
id = "bao-cao-quy"
title = "Báo cáo công tác đối ngoại quý IV"
date = "{MEETING.isoformat()}"

[[event.task]]
id = "bao-cao"
action = "Gửi báo cáo công tác đối ngoại quý IV"
lead = "3-10wd"
owner = "so-ngoai-vu"
"""


EXTRA = """
[[department]]
id = "so-khdt"
name = "Sở Kế hoạch và Đầu tư"
email = ["sokhdt@example.gov.vn"]
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def upcoming(capsys, cfg: Path) -> list[dict]:
    rc, out, err = run(capsys, "--config", str(cfg), "upcoming", "--from", RUN_DAY.isoformat(),
                       "--to", (RUN_DAY + dt.timedelta(days=60)).isoformat(), "--json")
    assert rc == 0, err
    return [r for r in json.loads(out) if r["task_id"]]


def csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m
    return m[1]


def feed(client: httpx.Client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    strict(r.content)  # a parser that is not the writer accepts it
    return r.content.decode().replace("\r\n ", "")


def uid(event: str, task: str, day: dt.date, scope: str) -> str:
    """The UID of a task's due-day entry, up to the installation's domain."""
    return f"UID:{event}.{task}.{day:%Y%m%d}.due.{scope}@"


def vevent(ics: str, the_uid: str) -> str:
    """The VEVENT whose UID starts so, up to its domain ("" if the feed has none)."""
    for part in ics.replace("\r\n ", "").split("BEGIN:VEVENT")[1:]:
        if re.search(re.escape(the_uid) + r"[^\r\n@]*\r\n", part):
            return part.split("END:VEVENT")[0]
    return ""


def rows_for(db: str, event: str, task: str) -> list[dict]:
    return [r for r in task_rows(db) if (r["event_id"], r["task_id"]) == (event, task)]


@pytest.mark.slow
def test_partner_override_disable_through_the_daemon(tmp_path: Path, db_url: str, capsys) -> None:
    sink = SmtpSink()
    d = None
    try:
        env = tmp_path / "env"
        cfg = write_config(env, db_url=db_url, smtp_port=sink.port, catalog=catalog(), extra=EXTRA,
                           dispatch_interval=2)
        db = db_url if not db_url.startswith("sqlite:///state") else f"sqlite:///{env / 'state' / 'reminderd.db'}"
        c = ("--config", str(cfg))
        # 07:00: rows for 08:00 are planned, nothing sent.
        d = start(cfg, tmp_path, at(RUN_DAY, "07:00"), "before")
        wait_until(lambda: dispatched(d), 30, "the first dispatch")
        before = upcoming(capsys, cfg)
        jp = [r for r in before if r["event_id"] == "quoc-khanh-jp"]
        assert [(r["task_id"], r["lead"]) for r in jp] == [("thu-chuc-mung", "5-7wd")]
        assert rows_for(db, "quoc-khanh-jp", "thu-dia-phuong") == []
        assert {r["recipient"] for r in rows_for(db, "hoi-nghi-xuc-tien", "chuan-bi")} == {
            "songoaivu@example.gov.vn", "vpubnd@example.gov.vn"}
        assert [r["state"] for r in rows_for(db, "bao-cao-quy", "bao-cao")] == ["pending"]

        store = open_store(db)
        now = dt.datetime.now(dt.UTC)
        _, admin = tokens.create(store, "admin", "all", "Phòng Tổng hợp", now)
        _, feed_khdt = tokens.create(store, "feed", "department/so-khdt", "t", now)
        _, feed_snv = tokens.create(store, "feed", "department/so-ngoai-vu", "t", now)
        store.dispose()
        web = httpx.Client(base_url=d.base, timeout=30)
        assert web.get(f"/a/{admin}").status_code == 303

        # 1. On the page: Japan becomes a local-cooperation partner.
        page = web.get("/catalog/partners").text
        r = web.post("/catalog/partners", data={"csrf": csrf(page), "country": "Nhật Bản",
                                                 "tier": "local_cooperation"})
        assert r.status_code == 303, r.text[:500]
        jp = [r for r in upcoming(capsys, cfg) if r["event_id"] == "quoc-khanh-jp"]
        assert [(r["task_id"], r["lead"], r["window_start"]) for r in jp] == [
            ("thu-dia-phuong", "10-15wd", RUN_DAY.isoformat())]
        ics = feed(web, "/feeds/public/all.ics")
        assert "STATUS:CANCELLED" not in vevent(ics, uid("quoc-khanh-jp", "thu-dia-phuong", JP_DAY, "all"))
        # The 5-7wd letter its subscribers already have is withdrawn, not silently dropped.
        assert "STATUS:CANCELLED" in vevent(ics, uid("quoc-khanh-jp", "thu-chuc-mung", JP_DAY, "all"))
        wait_until(lambda: [x["state"] for x in rows_for(db, "quoc-khanh-jp", "thu-dia-phuong")] == ["pending"],
                   30, "the 10-15wd letter's reminder")

        # 2. From the shell (another process): the meeting's preparation goes to Sở KH&ĐT.
        rc, _, err = run(capsys, *c, "catalog", "override", "hoi-nghi-xuc-tien/chuan-bi", "--owner", "so-khdt",
                         "--by", "ops")
        assert rc == 0, err

        def reassigned() -> bool:
            rows = {x["recipient"]: x["state"] for x in rows_for(db, "hoi-nghi-xuc-tien", "chuan-bi")}
            return rows == {"songoaivu@example.gov.vn": "cancelled", "vpubnd@example.gov.vn": "pending",
                            "sokhdt@example.gov.vn": "pending"}
        wait_until(reassigned, 30, "the daemon picking up the override (sync job) and replanning")
        d.wait_log("adhoc.synced")
        assert ".failed" not in d.log, d.log
        ics = feed(web, f"/feeds/{feed_khdt}/department/so-khdt.ics")
        item = vevent(ics, uid("hoi-nghi-xuc-tien", "chuan-bi", MEETING, "department-so-khdt"))
        assert item and "STATUS:CANCELLED" not in item
        ics = feed(web, f"/feeds/{feed_snv}/department/so-ngoai-vu.ics")
        assert "STATUS:CANCELLED" in vevent(ics, uid("hoi-nghi-xuc-tien", "chuan-bi", MEETING,
                                                     "department-so-ngoai-vu"))

        # 3. On the page: the quarterly report is disabled for this province.
        page = web.get("/catalog/event/bao-cao-quy").text
        assert web.post("/catalog/event/bao-cao-quy", data={"csrf": csrf(page), "action": "disable"}
                        ).status_code == 303
        assert "bao-cao-quy" not in {r["event_id"] for r in upcoming(capsys, cfg)}
        wait_until(lambda: [x["state"] for x in rows_for(db, "bao-cao-quy", "bao-cao")] == ["cancelled"],
                   30, "the disabled event's mail cancelled")
        ics = feed(web, "/feeds/public/all.ics")
        assert "STATUS:CANCELLED" in vevent(ics, uid("bao-cao-quy", "bao-cao", MEETING, "all"))
        web.close()
        assert d.stop() == 0

        # 08:00 has passed: the next start sends what is due — to the departments the changes name.
        d = start(cfg, tmp_path, at(RUN_DAY, "08:00:30"), "after")
        # Not pending and not on the wire: a row still "sending" has not reached the sink yet.
        wait_until(lambda: not [x for x in task_rows(db) if x["state"] in ("pending", "sending")], 60,
                   "everything sent")
        assert d.stop() == 0
        d = None
        tasks_mail = [m for m in sink.messages if m["X-Reminderd-Kind"] != "digest"]
        to = sorted(str(m["To"]) for m in tasks_mail)
        subjects = " | ".join(str(make_header(decode_header(str(m["Subject"])))) for m in tasks_mail)
        assert to.count("sokhdt@example.gov.vn") == 1 and to.count("vpubnd@example.gov.vn") == 1
        assert to.count("songoaivu@example.gov.vn") == 1  # the Japanese letter only
        assert "Nhật Bản" in subjects and "báo cáo" not in subjects.lower()
        assert {x["state"] for x in rows_for(db, "bao-cao-quy", "bao-cao")} == {"cancelled"}

        # Every change is in the audit trail, with who and how.
        rc, out, _ = run(capsys, *c, "audit", "--json")
        trail = [(e["action"], e["actor"], e["via"], e["subject"]) for e in map(json.loads, out.splitlines())]
        # (Sorted: the daemon's clock is moved with --at, the command's is not.)
        assert sorted(trail) == [("override.set", "ops", "cli", "hoi-nghi-xuc-tien/chuan-bi"),
                                 ("override.set", "token 1: Phòng Tổng hợp", "web", "bao-cao-quy"),
                                 ("partner.set", "token 1: Phòng Tổng hợp", "web", "JP")]

        # The effective catalog, exported, plans the same.
        out_dir = tmp_path / "xuat"
        assert run(capsys, *c, "catalog", "export", "--output", str(out_dir))[0] == 0
        cfg2 = _config_for(tmp_path, out_dir, cfg)
        assert upcoming(capsys, cfg2) == upcoming(capsys, cfg)
    finally:
        if d is not None:
            d.stop()
        sink.stop()
        create_engine(db_url).dispose()
