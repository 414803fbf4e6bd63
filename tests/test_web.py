"""The page over a real socket: reading, access links, CSRF, marking done, ad-hoc items, language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from html import unescape

import httpx
import pytest

from reminderd import acks, adhoc, tokens, webauth
from reminderd.yearview import year_grid

from .webutil import NOW, Live, example_runtime, make_context, serve


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


def client(live: Live) -> httpx.Client:
    return httpx.Client(base_url=live.url, follow_redirects=False, timeout=60)


def csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m[1]


def keys_in(html: str, section: str) -> list[str]:
    m = re.search(rf'<section id="sec-{section}".*?</section>', html, re.S)
    assert m, section
    return re.findall(r'<article class="task[^"]*" data-key="([^"]+)"', m[0])


def login_dept(live: Live, c: httpx.Client, dep: str) -> None:
    _, secret = tokens.create(live.ctx.store, "access", f"department/{dep}", "test", NOW)
    r = c.get(f"/a/{secret}")
    assert r.status_code == 303 and r.headers["location"] == f"/d/{dep}"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_overview_is_vietnamese_with_sections_and_explain(live: Live) -> None:
    with client(live) as c:
        r = c.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    for text in ("Cần làm trong 7 ngày tới", "Quá hạn", "Sắp tới (30 ngày)", "Đã hoàn thành", "Cách tính ngày",
                 "Sở Ngoại vụ", "Còn 7 ngày", "Quá hạn 18 ngày"):
        assert text in html, text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert not re.search(r'(src|href)="https?://', html), "no external assets"
    # Today's work comes first on the page.
    assert html.index('id="sec-now"') < html.index('id="sec-overdue"') < html.index('id="sec-soon"')
    today = live.ctx.today()
    plan = live.ctx.runtime.plan(today - dt.timedelta(days=60), today + dt.timedelta(days=30))
    want_now = {t.key for t in plan.tasks if today <= t.due <= today + dt.timedelta(days=7)}
    assert want_now and set(keys_in(html, "now")) == want_now
    # Overdue: its count, the latest three in view, the rest behind "Xem thêm".
    overdue = sorted((t for t in plan.tasks if t.due < today), key=lambda t: t.due, reverse=True)
    sec = re.search(r'<section id="sec-overdue".*?</section>', html, re.S)
    assert sec and f'<span class="count">{len(overdue)}</span>' in sec[0]
    shown = sec[0].split('<details class="more">')[0]
    assert re.findall(r'data-key="([^"]+)"', shown) == [t.key for t in overdue[:3]]
    assert f"Xem thêm {len(overdue) - 3} việc quá hạn" in sec[0]
    # "Cách tính ngày" in the page's words: dates dd/mm/yyyy, leads in words, no "wd".
    explain = " ".join(re.findall(r'<ul class="explain">(.*?)</ul>', html, re.S))
    assert "ngày làm việc" in explain and "Thứ Hai 17/02/2025" in explain
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d+wd\b", explain), explain[:500]


def test_this_week_does_not_stop_at_sunday(live: Live) -> None:
    """On a Saturday, work due on Monday is in "the next 7 days" (the old week ended on Sunday)."""
    live.clock.now = dt.datetime(2025, 2, 15, 2, 0, tzinfo=dt.UTC)  # Saturday 15/02, 09:00 in Hà Nội
    with client(live) as c:
        html = c.get("/d/so-ngoai-vu").text
    assert "quoc-khanh-jp/thu-chuc-mung@2025-02-23" in keys_in(html, "now")
    row = re.search(r'data-key="quoc-khanh-jp/thu-chuc-mung@2025-02-23".*?</article>', html, re.S)
    assert row and '<span class="rel">Còn 2 ngày</span>' in row[0] and '<span class="dd">17/02</span>' in row[0]


def test_department_page_shows_only_that_department(live: Live) -> None:
    with client(live) as c:
        html = c.get("/d/vp-ubnd").text
        assert c.get("/d/khong-co").status_code == 404
    keys = re.findall(r'data-key="([^"]+)"', html)
    assert keys
    today = live.ctx.today()
    plan = live.ctx.runtime.plan(today - dt.timedelta(days=60), today + dt.timedelta(days=30))
    by_key = {t.key: t for t in plan.tasks}
    for k in keys:
        t = by_key[k]
        assert t.owner == "vp-ubnd" or "vp-ubnd" in t.support, k
    mine = {t.key for t in plan.tasks if t.owner == "vp-ubnd" or "vp-ubnd" in t.support}
    shown = {k for k in keys}
    assert shown == {k for k in mine if k in shown} and shown <= mine


def test_year_view_marks_every_event_day(live: Live) -> None:
    with client(live) as c:
        html = c.get("/year/2025").text
        dep_html = c.get("/year/2025?department=so-ngoai-vu").text
        assert c.get("/year/2025?department=nope").status_code == 404
    plan = live.ctx.runtime.plan(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    event_days = {o.date for o in plan.occurrences if o.date.year == 2025}
    marked = re.findall(r'<td class="day[^"]*\bmarked\b[^"]*"\s+data-date="([^"]+)"', html)
    assert {dt.date.fromisoformat(d) for d in marked} == event_days
    assert f'data-marked="{len(event_days)}"' in html
    assert len(re.findall(r'<section class="month"', html)) == 12
    # Working days versus days off: 2025-01-01 (New Year) and the Tết break are off.
    assert re.search(r'class="day off hol[^"]*"\s+data-date="2025-01-01"', html)
    assert re.search(r'class="day off hol[^"]*"\s+data-date="2025-01-29"', html)
    assert re.search(r'class="day[^"]*"\s+data-date="2025-01-02"', html)
    assert not re.search(r'class="day off[^"]*"\s+data-date="2025-01-02"', html)
    grid = year_grid(2025, plan, live.ctx.runtime.workdays, "so-ngoai-vu")
    assert f'data-marked="{grid.marked_days}"' in dep_html


def test_language_switch_sticks_and_keeps_the_address(live: Live) -> None:
    with client(live) as c:
        r = c.get("/?lang=en")
        assert "Overdue" in r.text and "To do in the next 7 days" in r.text and '<html lang="en">' in r.text
        assert c.get("/year/2025").text.count("January") == 1
        r = c.get("/?lang=vi")
        assert "Quá hạn" in r.text
        page = c.get("/year/2025?department=so-ngoai-vu").text
    switch = re.search(r'<a class="lang" id="lang-switch" href="([^"]+)"', page)
    assert switch and unescape(switch[1]) == "/year/2025?department=so-ngoai-vu&lang=en"


def test_mark_done_needs_a_department_link_and_csrf(live: Live) -> None:
    store = live.ctx.store
    with client(live) as anon:
        html = anon.get("/").text
        assert "Đánh dấu đã hoàn thành" not in html  # anonymous readers cannot mark anything
        week = keys_in(html, "now") + keys_in(html, "soon")
        key = week[0]
        r = anon.post("/done", data={"key": key, "csrf": csrf(anon.get("/login").text)})
        assert r.status_code == 401
        r = anon.post("/done", data={"key": key, "csrf": "forged"})
        assert r.status_code == 403
    assert acks.list_acks(store) == []

    task = next(t for t in live.ctx.runtime.plan(NOW.date(), NOW.date() + dt.timedelta(days=30)).tasks
                if t.key == key)
    with client(live) as c:
        login_dept(live, c, task.owner)
        page = c.get(f"/d/{task.owner}").text
        assert key not in keys_in(page, "done")
        r = c.post("/done", data={"key": key, "csrf": csrf(page), "note": "Đã gửi thư", "next": f"/d/{task.owner}"})
        assert r.status_code == 303 and r.headers["location"].startswith(f"/d/{task.owner}?done=")
        page = c.get(r.headers["location"]).text
        assert key in keys_in(page, "done")
        assert "Đã gửi thư" in unescape(page)
        assert f"Đã ghi nhận hoàn thành: {task.action}" in unescape(page)  # says so, and offers the undo
        assert re.search(r'<form method="post" action="/undo"', page)
    # A department that has no part in a task may not mark it: refused, nothing recorded.
    other = next(d.id for d in live.ctx.config.departments if d.id != task.owner and d.id not in task.support)
    key2 = next(t.key for t in live.ctx.runtime.plan(NOW.date(), NOW.date() + dt.timedelta(days=30)).tasks
                if t.key != key and other != t.owner and other not in t.support)
    with client(live) as c:
        login_dept(live, c, other)
        r = c.post("/done", data={"key": key2, "csrf": csrf(c.get(f"/d/{other}").text)})
        assert r.status_code == 403
    done = acks.list_acks(store)
    assert [(a.event_id, a.task_id, a.via) for a in done] == [(task.event.id, task.rule.id, "web")]


def test_revoked_link_ends_the_session(live: Live) -> None:
    tid, secret = tokens.create(live.ctx.store, "access", "department/so-ngoai-vu", "x", NOW)
    with client(live) as c:
        assert c.get(f"/a/{secret}").status_code == 303
        assert "Đang đăng nhập" in c.get("/").text
        tokens.revoke(live.ctx.store, tid, NOW)
        assert "Đang đăng nhập" not in c.get("/").text
        assert c.get(f"/a/{secret}").status_code == 404
        assert c.get("/a/not-a-token").status_code == 404


def test_login_and_adhoc_item_flows_into_plan_and_feed(live: Live) -> None:
    webauth.set_admin_password(live.ctx.store, "admin", "mat-khau-dai-du", NOW)
    with client(live) as c:
        page = c.get("/login").text
        assert c.get("/adhoc").status_code == 401
        r = c.post("/login", data={"username": "admin", "password": "sai", "csrf": csrf(page)})
        assert r.status_code == 401 and "Sai tên đăng nhập" in r.text
        r = c.post("/login", data={"username": "admin", "password": "mat-khau-dai-du", "csrf": "x"})
        assert r.status_code == 403
        r = c.post("/login", data={"username": "admin", "password": "mat-khau-dai-du", "csrf": csrf(page)})
        assert r.status_code == 303 and webauth.SESSION_COOKIE in r.headers["set-cookie"]
        form = c.get("/adhoc").text
        base = {"csrf": csrf(form), "title": "Đại sứ Nhật Bản mới đến chào xã giao", "date": "12/03/2025",
                "country": "Nhật Bản", "tags": ["su-kien-doi-ngoai"],
                "task1_action": "Chuẩn bị đón tiếp", "task1_lead": "3-5 ngày làm việc", "task1_owner": "so-ngoai-vu",
                "task1_support": ["vp-ubnd"]}
        bad = c.post("/adhoc", data={**base, "task1_lead": "sớm", "date": "12/3", "task1_owner": ""})
        assert bad.status_code == 422
        text = unescape(bad.text)
        assert "Chưa lưu được" in text
        assert 'id="e-date">Nhập ngày theo dạng ngày/tháng/năm, ví dụ 24/12/2026.' in text
        assert 'id="e-task1-lead">Nhập thời hạn như “3-5 ngày làm việc” hoặc “10 ngày”.' in text
        assert 'id="e-task1-owner">Chọn đơn vị chủ trì.' in text
        assert "None" not in text and "so-khdt," not in text  # no raw values, no list of ids
        assert adhoc.list_items(live.ctx.store) == []
        r = c.post("/adhoc", data=base)
        assert r.status_code == 303, unescape(r.text)[:2000]
        eid = "dai-su-nhat-ban-moi-den-chao-xa-giao-2025-03-12"
        assert r.headers["location"] == f"/adhoc?saved={eid}"
        assert "Đã lưu “Đại sứ Nhật Bản mới đến chào xã giao”." in unescape(c.get(r.headers["location"]).text)
        item = adhoc.get_item(live.ctx.store, eid)
        assert item is not None and item.data == {
            "title": "Đại sứ Nhật Bản mới đến chào xã giao", "date": "2025-03-12", "id": eid, "country": "JP",
            "tags": ["su-kien-doi-ngoai"], "task": [{"id": "viec-1", "action": "Chuẩn bị đón tiếp", "lead": "3-5wd",
                                                    "owner": "so-ngoai-vu", "support": ["vp-ubnd"]}]}
        # In the plan at once, no restart: on the department page and in its feed.
        page = c.get("/d/so-ngoai-vu").text
        assert f"{eid}/viec-1@2025-03-12" in page
        sub = c.get("/subscribe").text
        feed = re.search(r'value="(http://[^"]+/department/so-ngoai-vu/[^"/]+\.ics)"', sub)  # named after it
        assert feed, "the subscribe page lists the department feed"
        ics = c.get(unescape(feed[1]).replace("http://127.0.0.1:8080", live.url))
        assert ics.status_code == 200
        assert "Chuẩn bị đón tiếp" in ics.text.replace("\r\n ", "")


def test_adhoc_needs_an_editor(live: Live) -> None:
    with client(live) as c:
        login_dept(live, c, "so-ngoai-vu")
        page = c.get("/d/so-ngoai-vu").text
        assert c.get("/adhoc").status_code == 403
        r = c.post("/adhoc", data={"csrf": csrf(page), "title": "x", "date": "2025-03-12"})
        assert r.status_code == 403
    assert adhoc.list_items(live.ctx.store) == []


def test_subscribe_lists_only_what_the_visitor_may_see(live: Live) -> None:
    with client(live) as c:
        anon = c.get("/subscribe").text
        assert "tag/ngay-le-viet-nam" in anon  # the example config's public feed
        assert "department/" not in anon
        for how in ("Google Calendar", "Outlook", "Apple Calendar", "webcal://"):
            assert how in anon
        login_dept(live, c, "so-khdt")
        mine = c.get("/subscribe").text
        assert 'data-feed="department/so-khdt"' in mine
        assert 'data-feed="department/so-ngoai-vu"' not in mine
        assert mine.count("/department/so-khdt/") >= 3  # https and webcal (named files), Thunderbird's folder
        again = c.get("/subscribe").text
        assert re.findall(r'value="(http[^"]+)"', mine) == re.findall(r'value="(http[^"]+)"', again)


def test_tags_show_their_titles_not_slugs(live: Live) -> None:
    """The subscribe page and the year view's legend name tags as people read them."""
    with client(live) as c:
        sub = c.get("/subscribe").text
        year = c.get("/year/2025").text
        year_en = c.get("/year/2025?lang=en").text
    assert re.search(r'data-feed="tag/ngay-le-viet-nam">\s*<span class="fname">Ngày lễ Việt Nam <span', sub)
    legend = re.search(r'<div class="legend">.*?</div>', year, re.S)
    assert legend
    shown = re.findall(r'<span class="tag" data-tag="([^"]+)"><span class="dot"[^>]*></span>([^<]+)</span>', legend[0])
    assert ("ngay-le-viet-nam", "Ngày lễ Việt Nam") in shown and ("quoc-khanh", "Quốc khánh các nước") in shown
    assert all(slug != title for slug, title in shown), shown
    assert '</span>National days</span>' in year_en


def test_page_text_names_departments_and_joins_cleanly(live: Live) -> None:
    """The explain lines name the lead department, not its id; lists have no space before commas."""
    with client(live) as c:
        html = c.get("/").text
        html_en = c.get("/?lang=en").text
    ids = set(live.ctx.config.department_ids)
    leads = re.findall(r"<li>[^<]*; chủ trì: ([^<]+)\.</li>", html)
    assert leads and not ids & set(leads), leads
    assert "Sở Ngoại vụ" in leads
    leads_en = re.findall(r"<li>[^<]*; lead: ([^<]+)\.</li>", html_en)
    assert leads_en and not ids & set(leads_en)
    supports = re.findall(r'<span class="deps">.*?</span>(?=\n)', html, re.S)
    assert any("</a>, <a" in p for p in supports), "the example has a task with several supporting departments"
    text = unescape(re.sub(r"<[^>]+>", "", "".join(supports)))
    assert not re.search(r"\s,", text), text


def test_subscribe_names_links_by_their_scheme(sqlite_url: str) -> None:
    """The steps say "paste the http link" when the links are http (the example's base_url)."""
    rt = example_runtime()
    assert str(rt.config.get("http", "base_url")).startswith("http://")
    sections = {**rt.config.sections, "http": {**rt.config.sections["http"], "base_url": "https://lich.example.vn"}}
    for runtime, scheme in ((rt, "http"), (replace(rt, config=replace(rt.config, sections=sections)), "https")):
        srv = serve(make_context(sqlite_url, runtime))
        try:
            with client(srv) as c:
                vi, en = c.get("/subscribe?lang=vi").text, c.get("/subscribe?lang=en").text
        finally:
            srv.stop()
        links = re.findall(r'class="copyrow"><input readonly value="([^"]+)" aria-label="([^"]+)" class="https"', vi)
        assert links and all(u.startswith(scheme + "://") and label.startswith(f"Liên kết {scheme} ")
                             for u, label in links), links
        assert vi.count(f"dán liên kết {scheme}") == 4 and en.count(f"paste the {scheme} link") == 4
        other = "https" if scheme == "http" else "http"
        assert not re.search(rf"liên kết {other}\b", vi) and not re.search(rf"the {other} link", en)


def test_year_colours_are_distinct_for_the_shipped_catalog_and_config() -> None:
    """Every shipped tag and every shipped department has its own colour; Sở Ngoại vụ keeps its old one."""
    import tomllib
    from pathlib import Path

    from reminderd.config import load_config
    from reminderd.yearview import PALETTE, colour

    root = Path(__file__).resolve().parent.parent
    # One example config per province, each with its own departments (Bắc Giang's is the default).
    every = {p.name: tuple(d.id for d in load_config(p).departments) for p in (root / "config").glob("*.toml")}
    for name, ids in every.items():
        assert len({colour(d, ids) for d in ids}) == len(ids), name
    deps = every["reminderd.toml"]
    tags = {t for f in (root / "calendars").glob("*.toml")
            for ev in tomllib.loads(f.read_text(encoding="utf-8")).get("event", []) for t in ev.get("tags", [])}
    assert len(set().union(*every.values())) >= 19 and len(deps) >= 14 and len(tags) >= 13
    dep_colours = [colour(d, deps) for d in deps]
    assert len(set(dep_colours)) == len(deps), dep_colours
    tag_colours = {t: colour(t, deps) for t in tags}
    assert len(set(tag_colours.values())) == len(tags), tag_colours
    assert all(c in PALETTE for c in [*dep_colours, *tag_colours.values()])
    assert colour("so-ngoai-vu", deps) == "hsl(150 65% 42%)"
    # Stable: the same answer on every call, and a department never takes a tag's place.
    assert colour("ngay-le-viet-nam", deps) != colour("bao-cao-dinh-ky", deps) != colour("ke-hoach-dinh-ky", deps)


def test_favicon_is_served(live: Live) -> None:
    """No 404 for /favicon.ico (a console error on every page otherwise); pages link the SVG icon."""
    with client(live) as c:
        r = c.get("/favicon.ico")
        assert r.status_code == 301 and r.headers["location"] == "/static/favicon.svg"
        icon = c.get("/static/favicon.svg")
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
        assert '<link rel="icon" href="/static/favicon.svg"' in c.get("/").text


def test_done_by_and_signed_in_name_people_not_token_numbers(live: Live) -> None:
    """"Đã hoàn thành — Phòng Lễ tân (liên kết đơn vị), 08:08 03/02/2025", not "token 2: …";
    the role is said once; "· chủ trì" is set off by a space."""
    task = next(t for t in live.ctx.runtime.plan(NOW.date(), NOW.date() + dt.timedelta(days=30)).tasks)
    _, secret = tokens.create(live.ctx.store, "access", f"department/{task.owner}", "Phòng Lễ tân", NOW)
    with client(live) as c:
        c.get(f"/a/{secret}")
        page = c.get(f"/d/{task.owner}").text
        who = re.search(r'<span class="who">(.*?)</span>\n', page, re.S)
        assert who and "token" not in who[1] and "Phòng Lễ tân" in who[1] and "(liên kết đơn vị)" in who[1]
        c.post("/done", data={"key": task.key, "csrf": csrf(page), "next": f"/d/{task.owner}"})
        page = unescape(c.get(f"/d/{task.owner}").text)
    done = re.search(r'<p class="done-by">(.*?)</p>', page, re.S)
    assert done and "token" not in done[1], done
    assert re.search(r"✓ Đã hoàn thành — Phòng Lễ tân \(liên kết đơn vị\), \d\d:\d\d \d\d/\d\d/\d{4}", done[1])
    spans = re.findall(r'<span class="deps">.*?</span>(?=\n)', page, re.S)
    deps = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", "".join(spans)))
    assert re.search(r"\S · (chủ trì|phối hợp)", deps) and not re.search(r"\S·", deps), deps

    _, admin = tokens.create(live.ctx.store, "admin", "all", "mig", NOW)
    with client(live) as c:
        c.get(f"/a/{admin}")
        who = re.search(r'<span class="who">(.*?)</span>\n', c.get("/").text, re.S)
    assert who and "<b>mig</b> (biên tập, quản trị)" in who[1] and "token" not in who[1], who


def test_done_in_place_then_undo(live: Live) -> None:
    """The page's script asks for the changed row (it swaps it where it is); "Hoàn tác" takes
    the acknowledgement back, recorded in the audit trail, for a while after marking done."""
    from reminderd import audit

    heard: list[int] = []
    live.ctx.on_acks_change.append(lambda ctx: heard.append(1))
    task = next(t for t in live.ctx.runtime.plan(NOW.date(), NOW.date() + dt.timedelta(days=30)).tasks)
    frag = {"X-Reminderd-Fragment": "1", "X-Reminderd-Path": f"/d/{task.owner}"}
    with client(live) as c:
        login_dept(live, c, task.owner)
        token = csrf(c.get(f"/d/{task.owner}").text)
        r = c.post("/done", data={"key": task.key, "csrf": token, "note": "xong"}, headers=frag)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        got = r.json()
        assert got["done"] is True and got["said"] == f"Đã ghi nhận hoàn thành: {task.action}."
        assert f'data-key="{task.key}"' in got["html"] and 'action="/undo"' in got["html"]
        assert "✓ Đã hoàn thành — test (liên kết đơn vị)" in unescape(got["html"])
        assert "<i>chủ trì</i>" in got["html"] or "<i>phối hợp</i>" in got["html"]  # as on the page
        assert acks.get_ack(live.ctx.store, *task.ack_key) is not None
        r = c.post("/undo", data={"key": task.key, "csrf": token}, headers=frag)
        got = r.json()
        assert got["done"] is False and got["said"].startswith("Đã hoàn tác:")
        assert 'action="/done"' in got["html"]
        assert acks.get_ack(live.ctx.store, *task.ack_key) is None
        # Without script: a redirect back that says what happened.
        r = c.post("/done", data={"key": task.key, "csrf": token, "next": f"/d/{task.owner}"})
        r = c.post("/undo", data={"key": task.key, "csrf": token, "next": f"/d/{task.owner}"})
        assert r.status_code == 303 and r.headers["location"].startswith(f"/d/{task.owner}?undone=")
        assert "Đã hoàn tác:" in unescape(c.get(r.headers["location"]).text)
        # "Hoàn tác" is offered for a while, then no longer (to department links; editors keep it).
        c.post("/done", data={"key": task.key, "csrf": token})
        page = c.get(f"/d/{task.owner}").text
        assert 'action="/undo"' in page
        live.clock.now = NOW + dt.timedelta(minutes=16)
        assert 'action="/undo"' not in c.get(f"/d/{task.owner}").text
    _, editor = tokens.create(live.ctx.store, "admin", "all", "ed", NOW)
    with client(live) as ed:
        ed.get(f"/a/{editor}")
        assert 'action="/undo"' in ed.get(f"/d/{task.owner}").text
    with client(live) as anon:  # forged or anonymous undo changes nothing
        assert anon.post("/undo", data={"key": task.key, "csrf": "x"}).status_code == 403
    assert acks.get_ack(live.ctx.store, *task.ack_key) is not None
    trail = [e.action for e in reversed(audit.entries(live.ctx.store, event_id=task.event.id))]
    assert trail == ["ack.add", "ack.undo", "ack.add", "ack.undo", "ack.add"]
    assert len(heard) == 5


def test_pages_json_css_and_js_are_gzipped_feeds_not_twice(live: Live) -> None:
    """HTML, JSON, CSS and JS go gzipped to a client that accepts it; /year fits in 60 KB on
    the wire; a feed's own gzip body is sent as it is, never compressed a second time."""
    import gzip

    def raw(c: httpx.Client, path: str) -> tuple[httpx.Response, bytes]:
        with c.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as r:
            return r, b"".join(r.iter_raw())

    with client(live) as c:
        for path, kind in (("/", "text/html"), ("/year/2025", "text/html"), ("/static/page.css", "text/css"),
                           ("/static/page.js", "text/javascript"), ("/api/v1/upcoming", "application/json")):
            r, body = raw(c, path)
            assert r.status_code == 200 and r.headers["content-type"].startswith(kind), path
            assert r.headers.get("content-encoding") == "gzip" and "accept-encoding" in r.headers["vary"].lower()
            assert len(gzip.decompress(body)) > len(body), path
        r, body = raw(c, "/year/2025")
        assert len(body) < 60_000, len(body)
        r, body = raw(c, "/feeds/public/tag/ngay-le-viet-nam.ics")
        if r.status_code == 200:  # the feed routes are installed
            assert r.headers.get("content-encoding") == "gzip"
            assert gzip.decompress(body).startswith(b"BEGIN:VCALENDAR")  # one layer, not two
        plain = c.get("/", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.text.startswith("<!doctype html>")
