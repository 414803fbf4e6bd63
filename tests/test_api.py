"""The JSON API over a real socket: same rows as the CLI, same authorisation as the page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from reminderd import acks, adhoc, tokens
from reminderd.agenda import row_json, select_rows
from reminderd.store import schema
from reminderd.web import api
from reminderd.web.openapi import openapi_document

from .webutil import NOW, Live, make_context, serve

SPEC_FIELDS = {"event_id", "task_id", "title", "action", "event_date", "ordinal", "milestone", "country",
               "tags", "window_start", "due", "owner", "support", "provisional"}
ITEM = {"id": "dai-su-han-quoc-den", "title": "Đại sứ Hàn Quốc đến thăm tỉnh", "date": "2025-03-20",
        "country": "KR", "tags": ["su-kien-doi-ngoai"],
        "task": [{"id": "don-tiep", "action": "Chuẩn bị chương trình đón tiếp Đại sứ", "lead": "3-5wd",
                  "owner": "so-ngoai-vu", "support": ["vp-ubnd"]}]}


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


@pytest.fixture
def live_db(db_url: str) -> Iterator[Live]:
    """SQLite and (when configured) PostgreSQL: for the tests that write."""
    srv = serve(make_context(db_url))
    yield srv
    srv.stop()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def count(live: Live, table: object) -> int:
    with live.ctx.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_upcoming_rows_are_the_cli_rows(live: Live) -> None:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        r = c.get("/api/v1/upcoming", params={"from": "2025-02-01", "to": "2025-04-30"})
        assert r.status_code == 200
        rows = r.json()
        want = [row_json(o, t) for o, t in select_rows(live.ctx.runtime, dt.date(2025, 2, 1),
                                                       dt.date(2025, 4, 30), None)]
        assert len(rows) == len(want) > 10
        for got, exp in zip(rows, want, strict=True):
            assert got.keys() >= SPEC_FIELDS
            assert {k: got[k] for k in exp} == exp
            if got["task_id"]:
                assert got["key"] == f"{got['event_id']}/{got['task_id']}@{got['event_date']}"
                assert got["done"] is False
        dep = c.get("/api/v1/upcoming", params={"from": "2025-02-01", "to": "2025-04-30",
                                                "department": "so-ngoai-vu"}).json()
        assert dep and all(r["owner"] == "so-ngoai-vu" or "so-ngoai-vu" in r["support"] for r in dep if r["task_id"])
        assert c.get("/api/v1/upcoming", params={"from": "2025-13-01"}).status_code == 400
        bad = c.get("/api/v1/upcoming", params={"department": "nope"})
        assert bad.status_code == 400 and "nope" in bad.json()["error"]
        assert c.get("/api/v1/upcoming", headers=bearer("x" * 27)).status_code == 401


def test_unauthorised_changes_get_401_and_change_nothing(live_db: Live) -> None:
    live = live_db
    key = next(t.key for t in live.ctx.runtime.plan(NOW.date(), NOW.date() + dt.timedelta(days=30)).tasks)
    with httpx.Client(base_url=live.url, timeout=60) as c:
        for headers in ({}, bearer("A" * 27), {"Authorization": "Basic YWRtaW46YWRtaW4="}):
            r = c.post("/api/v1/ack", json={"key": key}, headers=headers)
            assert r.status_code == 401, headers
            assert r.headers["www-authenticate"].startswith("Bearer")
            assert c.post("/api/v1/adhoc", json=ITEM, headers=headers).status_code == 401
            assert c.put(f"/api/v1/adhoc/{ITEM['id']}", json=ITEM, headers=headers).status_code == 401
            assert c.delete(f"/api/v1/adhoc/{ITEM['id']}", headers=headers).status_code == 401
        # A revoked token is no token.
        tid, secret = tokens.create(live.ctx.store, "admin", "all", "old", NOW)
        tokens.revoke(live.ctx.store, tid, NOW)
        assert c.post("/api/v1/adhoc", json=ITEM, headers=bearer(secret)).status_code == 401
    assert count(live, schema.acks) == 0
    assert count(live, schema.adhoc_events) == 0


def test_acknowledge_with_a_department_token(live_db: Live) -> None:
    live = live_db
    plan = live.ctx.runtime.plan(NOW.date(), NOW.date() + dt.timedelta(days=60))
    task = plan.tasks[0]
    outsider = next(d.id for d in live.ctx.config.departments
                    if d.id != task.owner and d.id not in task.support)
    _, mine = tokens.create(live.ctx.store, "access", f"department/{task.owner}", "staff", NOW)
    _, theirs = tokens.create(live.ctx.store, "access", f"department/{outsider}", "other", NOW)
    with httpx.Client(base_url=live.url, timeout=60) as c:
        assert c.post("/api/v1/ack", json={"key": task.key}, headers=bearer(theirs)).status_code == 403
        assert count(live, schema.acks) == 0
        r = c.post("/api/v1/ack", json={"key": task.key, "note": "xong"}, headers=bearer(mine))
        assert r.status_code == 200 and r.json() == {"key": task.key, "done": True, "changed": True}
        r = c.post("/api/v1/ack", json={"key": task.key}, headers=bearer(mine))
        assert r.json()["changed"] is False
        assert c.post("/api/v1/ack", json={"key": "khong/co@2025-01-01"}, headers=bearer(mine)).status_code == 404
        assert c.post("/api/v1/ack", content=b"{not json", headers=bearer(mine)).status_code == 400
        span = {"from": str(NOW.date()), "to": "2025-04-10"}
        rows = c.get("/api/v1/upcoming", params=span, headers=bearer(mine)).json()
        row = next(r for r in rows if r.get("key") == task.key)
        assert row["done"] is True and row["done_by"].startswith("token")
        row = next(r for r in c.get("/api/v1/upcoming", params=span).json() if r.get("key") == task.key)
        assert row["done"] is True and row["done_by"] is None  # anonymous: what and when, not who
    a = acks.get_ack(live.ctx.store, *task.ack_key)
    assert a is not None and a.via == "api" and a.note == "xong"


def test_undo_an_acknowledgement(live_db: Live) -> None:
    """``DELETE /api/v1/ack/{key}``: editors and the task's own departments only; recorded in the
    audit trail; the listeners hear of it (the feeds and the outbox follow)."""
    from reminderd import audit

    live = live_db
    heard: list[int] = []
    live.ctx.on_acks_change.append(lambda ctx: heard.append(1))
    task = live.ctx.runtime.plan(NOW.date(), NOW.date() + dt.timedelta(days=60)).tasks[0]
    outsider = next(d.id for d in live.ctx.config.departments if d.id != task.owner and d.id not in task.support)
    _, mine = tokens.create(live.ctx.store, "access", f"department/{task.owner}", "Phòng Lễ tân", NOW)
    _, theirs = tokens.create(live.ctx.store, "access", f"department/{outsider}", "other", NOW)
    _, editor = tokens.create(live.ctx.store, "admin", "all", "editor", NOW)
    with httpx.Client(base_url=live.url, timeout=60) as c:
        assert c.post("/api/v1/ack", json={"key": task.key}, headers=bearer(mine)).json()["changed"] is True
        url = f"/api/v1/ack/{task.key}"
        assert c.delete(url).status_code == 401
        assert c.delete(url, headers=bearer(theirs)).status_code == 403
        assert acks.get_ack(live.ctx.store, *task.ack_key) is not None  # refused: nothing changed
        r = c.delete(url, headers=bearer(mine))
        assert r.status_code == 200 and r.json() == {"key": task.key, "done": False, "changed": True}
        assert acks.get_ack(live.ctx.store, *task.ack_key) is None
        assert c.delete(url, headers=bearer(mine)).json()["changed"] is False  # not done: nothing to undo
        # An editor may undo any task; the key's slash may come percent-encoded.
        c.post("/api/v1/ack", json={"key": task.key}, headers=bearer(mine))
        encoded = "/api/v1/ack/" + task.key.replace("/", "%2F")
        assert c.delete(encoded, headers=bearer(editor)).json()["changed"] is True
        assert c.delete("/api/v1/ack/khong/co@2025-01-01", headers=bearer(editor)).status_code == 404
        rows = c.get("/api/v1/upcoming", params={"from": str(NOW.date()), "to": "2025-04-10"}).json()
        assert next(r for r in rows if r.get("key") == task.key)["done"] is False
    trail = [(e.action, e.actor, e.via) for e in reversed(audit.entries(live.ctx.store, event_id=task.event.id))]
    assert [a for a, _, _ in trail] == ["ack.add", "ack.undo", "ack.add", "ack.undo"]
    assert trail[1][1].endswith("Phòng Lễ tân") and trail[1][2] == "api"
    assert len(heard) == 4


def test_adhoc_crud_for_editors_only(live_db: Live) -> None:
    live = live_db
    _, editor = tokens.create(live.ctx.store, "admin", "all", "editor", NOW)
    _, staff = tokens.create(live.ctx.store, "access", "department/so-ngoai-vu", "staff", NOW)
    with httpx.Client(base_url=live.url, timeout=60) as c:
        assert c.post("/api/v1/adhoc", json=ITEM, headers=bearer(staff)).status_code == 403
        bad = {**ITEM, "date": "20/3/2025", "task": [{**ITEM["task"][0], "owner": "so-khong-co"}]}  # type: ignore[dict-item]
        r = c.post("/api/v1/adhoc", json=bad, headers=bearer(editor))
        assert r.status_code == 422
        assert {p["key"] for p in r.json()["problems"]} == {"date", "owner"}
        clash = {**ITEM, "id": "quoc-khanh-jp"}
        r = c.post("/api/v1/adhoc", json=clash, headers=bearer(editor))
        assert r.status_code == 422 and r.json()["problems"][0]["key"] == "id"
        r = c.post("/api/v1/adhoc", json=ITEM, headers=bearer(editor))
        assert r.status_code == 201 and r.json()["event"]["title"] == ITEM["title"]
        assert c.post("/api/v1/adhoc", json=ITEM, headers=bearer(editor)).status_code == 422  # same id again
        # In the plan at once.
        rows = c.get("/api/v1/upcoming", params={"from": "2025-03-01", "to": "2025-03-31"}).json()
        assert any(r.get("key") == "dai-su-han-quoc-den/don-tiep@2025-03-20" for r in rows)
        got = c.get(f"/api/v1/adhoc/{ITEM['id']}").json()
        assert got["event"] == ITEM and got["created_by"] == "token 1: editor"
        moved = {**ITEM, "date": "2025-03-27"}
        r = c.put(f"/api/v1/adhoc/{ITEM['id']}", json=moved, headers=bearer(editor))
        assert r.status_code == 200
        rows = c.get("/api/v1/upcoming", params={"from": "2025-03-01", "to": "2025-03-31"}).json()
        assert any(r.get("key") == "dai-su-han-quoc-den/don-tiep@2025-03-27" for r in rows)
        assert c.delete(f"/api/v1/adhoc/{ITEM['id']}", headers=bearer(editor)).status_code == 204
        assert c.get(f"/api/v1/adhoc/{ITEM['id']}").status_code == 404
        assert c.delete(f"/api/v1/adhoc/{ITEM['id']}", headers=bearer(editor)).status_code == 404
        assert c.get("/api/v1/adhoc").json() == []
    assert adhoc.list_items(live.ctx.store) == []
    assert not any(e.id == ITEM["id"] for e in live.ctx.runtime.catalog.events)


def test_cookie_session_needs_csrf_header(live: Live) -> None:
    _, editor = tokens.create(live.ctx.store, "admin", "all", "editor", NOW)
    with httpx.Client(base_url=live.url, timeout=60) as c:
        c.get(f"/a/{editor}")  # a browser session
        page = c.get("/").text
        assert c.post("/api/v1/adhoc", json=ITEM).status_code == 403
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        assert c.post("/api/v1/adhoc", json=ITEM, headers={"X-CSRF-Token": token[1]}).status_code == 201


def test_openapi_describes_every_route(live: Live) -> None:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        doc = c.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    served: dict[str, set[str]] = {}
    for r in api.routes(live.ctx):
        path = r.path.replace(":path}", "}")  # type: ignore[attr-defined]  # the key's slash is part of it
        served.setdefault(path, set()).update(m.lower() for m in (r.methods or ()) if m != "HEAD")  # type: ignore[attr-defined]
    assert {p: set(ops) for p, ops in doc["paths"].items()} == served
    assert doc == openapi_document(str(live.ctx.config.get("http", "base_url")))


def test_api_root_is_an_index(live: Live) -> None:
    """``/api/v1/`` (and ``/api/v1``) answers with the endpoints and the OpenAPI link, not 404."""
    with httpx.Client(base_url=live.url, timeout=60, follow_redirects=True) as c:
        r = c.get("/api/v1/")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        index = r.json()
        assert c.get("/api/v1").json() == index
        assert c.get(index["openapi"]).json()["openapi"].startswith("3.")
    listed = {(e["method"], e["path"]) for e in index["endpoints"]}
    assert {("GET", "/api/v1/upcoming"), ("POST", "/api/v1/ack"), ("POST", "/api/v1/adhoc"),
            ("DELETE", "/api/v1/adhoc/{event_id}"), ("GET", "/api/v1/openapi.json")} <= listed
    assert all(e["summary"] for e in index["endpoints"])


def test_web_imports_nothing_from_the_cli() -> None:
    """Imports only go down: the agenda rows live in ``reminderd.agenda``, below both."""
    from pathlib import Path

    web = Path(api.__file__).parent
    offenders = [p.name for p in web.glob("*.py") if re.search(r"^from \.\.cli\b|^import reminderd\.cli|"
                                                               r"^from reminderd\.cli\b", p.read_text(), re.M)]
    assert offenders == []
