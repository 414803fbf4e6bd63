"""Feeds over a real socket against the real app under uvicorn: types, ETag/304, gzip, tokens."""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Callable, Iterator
from email.utils import format_datetime
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

from reminderd import tokens
from reminderd.cli import main
from reminderd.context import Context
from reminderd.feeds import FeedName, task_uid
from reminderd.runtime import load_runtime
from reminderd.web.feeds import feed_links
from tests.conftest import SMALL_CATALOG
from tests.feeds_support import FEEDS_CONFIG, Clock, cache, check_bytes, make_ctx, serve, strict


@pytest.fixture
def cfg_path(make_env: Callable[..., Path]) -> Path:
    return make_env(config=FEEDS_CONFIG)


@pytest.fixture
def ctx(cfg_path: Path) -> Context:
    return make_ctx(cfg_path, Clock())


@pytest.fixture
def base(ctx: Context) -> Iterator[str]:
    with serve(ctx) as url:
        yield url


def client(base: str) -> httpx.Client:
    # No automatic decompression: the test looks at the bytes on the wire.
    return httpx.Client(base_url=base, timeout=10, headers={"Accept-Encoding": "identity"})


def feed_token(ctx: Context, feed: str) -> str:
    return tokens.create(ctx.store, "feed", feed, "test", ctx.now())[1]


def test_private_feed_headers_etag_304_gzip_head(ctx: Context, base: str) -> None:
    secret = feed_token(ctx, "department/so-ngoai-vu")
    path = f"/feeds/{secret}/department/so-ngoai-vu.ics"
    with client(base) as c:
        r = c.get(path)
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/calendar; charset=utf-8"
        assert "content-encoding" not in r.headers
        assert r.headers["vary"] == "Accept-Encoding"
        assert r.headers["cache-control"].startswith("private")
        etag, lm = r.headers["etag"], r.headers["last-modified"]
        assert etag.startswith('"') and lm.endswith("GMT")
        body = r.content
        assert int(r.headers["content-length"]) == len(body)
        check_bytes(body)
        assert body == cache(ctx).get("department/so-ngoai-vu").body  # type: ignore[union-attr]

        r = c.get(path, headers={"If-None-Match": etag})
        assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag
        r = c.get(path, headers={"If-None-Match": f'"nope", W/{etag}'})
        assert r.status_code == 304
        r = c.get(path, headers={"If-Modified-Since": lm})
        assert r.status_code == 304
        r = c.get(path, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
        assert r.status_code == 200
        # If-None-Match wins over If-Modified-Since.
        r = c.get(path, headers={"If-None-Match": '"other"', "If-Modified-Since": lm})
        assert r.status_code == 200
        r = c.get(path, headers={"If-Modified-Since": "garbage"})
        assert r.status_code == 200

        with c.stream("GET", path, headers={"Accept-Encoding": "gzip, deflate"}) as r:
            raw = b"".join(r.iter_raw())  # the bytes on the wire, not decoded by httpx
        assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
        assert gzip.decompress(raw) == body and len(raw) < len(body) // 3
        assert int(r.headers["content-length"]) == len(raw)
        gz_etag = r.headers["etag"]
        assert gz_etag != etag
        r = c.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": gz_etag})
        assert r.status_code == 304
        r = c.get(path, headers={"Accept-Encoding": "gzip;q=0"})
        assert "content-encoding" not in r.headers

        r = c.head(path)
        assert r.status_code == 200 and r.content == b""
        assert int(r.headers["content-length"]) == len(body) and r.headers["etag"] == etag


def test_wrong_revoked_and_misused_tokens_get_the_same_404(ctx: Context, base: str) -> None:
    secret = feed_token(ctx, "country/LA")
    good = f"/feeds/{secret}/country/LA.ics"
    with client(base) as c:
        assert c.get(good).status_code == 200
        assert c.get(f"/feeds/{secret}/country/la.ics").status_code == 200  # country codes are case-free
        not_found = c.get(f"/feeds/{'A' * 27}/country/LA.ics")
        assert not_found.status_code == 404
        for path in (f"/feeds/{secret}/all.ics",  # a token opens only its own feed
                     f"/feeds/{secret}/country/XX.ics",
                     f"/feeds/{secret[:-1]}/country/LA.ics",
                     f"/feeds/{secret}/country/LA",
                     "/feeds/public/country/LA.ics",  # private feed asked for as public
                     "/feeds/public/department/khong-co.ics",
                     f"/feeds/{secret}/bogus/x.ics"):
            r = c.get(path)
            assert (r.status_code, r.content) == (404, not_found.content), path
        # Revocation takes effect on the next request, without a restart.
        (row,) = [t for t in tokens.list_tokens(ctx.store, "feed") if t.scope == "country/LA"]
        assert row.last_used_at is not None
        assert tokens.revoke(ctx.store, row.id, ctx.now())
        r = c.get(good)
        assert (r.status_code, r.content) == (404, not_found.content)
        assert not tokens.revoke(ctx.store, row.id, ctx.now())


def test_token_kinds_do_not_mix(ctx: Context, base: str) -> None:
    secret = tokens.create(ctx.store, "access", "all", "page link", ctx.now())[1]
    assert tokens.verify(ctx.store, "access", secret, ctx.now()) is not None
    with client(base) as c:
        assert c.get(f"/feeds/{secret}/all.ics").status_code == 404


def test_public_feed_needs_no_token(ctx: Context, base: str) -> None:
    with client(base) as c:
        r = c.get("/feeds/public/tag/ngay-le-viet-nam.ics")
        assert r.status_code == 200 and r.headers["cache-control"].startswith("public")
        cal = strict(r.content)
        assert cal.events and all(e.uid.startswith("tet.") for e in cal.events)


def test_reload_changes_the_served_feed(ctx: Context, base: str, cfg_path: Path,
                                        make_env: Callable[..., Path]) -> None:
    secret = feed_token(ctx, "all")
    path = f"/feeds/{secret}/all.ics"
    with client(base) as c:
        first = c.get(path)
        make_env(catalog=SMALL_CATALOG.replace("Thăm, chúc Tết các Đại sứ quán", "Thăm, chúc Tết Đại sứ quán Lào"),
                 config=FEEDS_CONFIG)
        ctx.now = Clock(ctx.now() + dt.timedelta(hours=1))
        ctx.set_runtime(load_runtime(cfg_path))
        r = c.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert r.status_code == 200 and r.headers["etag"] != first.headers["etag"]
        assert "Đại sứ quán Lào".encode() in r.content
        assert r.headers["last-modified"] != first.headers["last-modified"]


def test_tokens_store_only_hashes(ctx: Context) -> None:
    token_id, secret = tokens.create(ctx.store, "feed", "all", "x", ctx.now())
    assert len(secret) >= 22  # ≥ 128 bits in URL-safe base64
    with ctx.store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM tokens WHERE id = ?", (token_id,)).scalar()
    assert stored == tokens.hash_secret(secret) and secret not in str(stored)
    assert tokens.verify(ctx.store, "feed", secret, ctx.now()).id == token_id  # type: ignore[union-attr]
    assert tokens.verify(ctx.store, "feed", secret + "x", ctx.now()) is None
    assert tokens.verify(ctx.store, "feed", "../../etc", ctx.now()) is None
    with pytest.raises(ValueError, match="kind"):
        tokens.create(ctx.store, "nope", "all", "", ctx.now())


def test_new_user_token_create_fetch_304(cfg_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Done-when: `token create` gives a URL; fetching it gives a strictly valid feed whose
    all-day dates are the plan's; a second fetch with the ETag gets 304."""
    assert main(["--config", str(cfg_path), "token", "create", "--feed", "department/so-ngoai-vu",
                 "--label", "Chị Lan, phòng Lễ tân"]) == 0
    out = capsys.readouterr().out
    https = next(w for w in out.split() if w.startswith("https://lich.example.gov.vn/feeds/") and w.endswith(".ics"))
    webcal = next(w for w in out.split() if w.startswith("webcal://"))
    folder = next(w for w in out.split() if w.startswith("https://") and w.endswith("/"))
    assert webcal == "webcal://" + https.removeprefix("https://")
    assert https.endswith("/department/so-ngoai-vu/S%E1%BB%9F%20Ngo%E1%BA%A1i%20v%E1%BB%A5.ics")  # "Sở Ngoại vụ"
    assert https.startswith(folder) and "Thunderbird" in out
    path = https.removeprefix("https://lich.example.gov.vn")

    ctx = make_ctx(cfg_path)  # the daemon, on the same database
    with serve(ctx) as base, client(base) as c:
        r = c.get(path)
        assert r.status_code == 200
        cal = strict(r.content)
        plan = ctx.runtime.plan(*ctx.runtime.horizon(ctx.today()))
        mine = plan.tasks_for("so-ngoai-vu")
        by_uid = {e.uid: e for e in cal.events}
        feed = FeedName("department", "so-ngoai-vu")
        for task in mine:
            ev = by_uid[task_uid(task, feed, "lich.example.gov.vn")]
            assert (ev.dtstart, ev.dtend) == (task.due, task.due + dt.timedelta(days=1))
        assert c.get(path, headers={"If-None-Match": r.headers["etag"]}).status_code == 304

    assert main(["--config", str(cfg_path), "token", "list"]) == 0
    listing = capsys.readouterr().out
    assert "department/so-ngoai-vu" in listing and "Chị Lan, phòng Lễ tân" in listing
    token_id = listing.splitlines()[1].split()[0]
    assert main(["--config", str(cfg_path), "token", "revoke", token_id]) == 0
    assert "Đã thu hồi" in capsys.readouterr().out
    assert main(["--config", str(cfg_path), "token", "revoke", token_id]) == 1
    assert f"#{token_id} đã bị thu hồi từ trước" in capsys.readouterr().err  # as `access revoke`
    assert main(["--config", str(cfg_path), "token", "create", "--feed", "department/khong-co"]) == 1
    assert "department/so-ngoai-vu" in capsys.readouterr().err  # the error lists what exists


def test_export_writes_the_same_feed(cfg_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The daemon on the CLI's day (its own clock is the real one): a day's past entries read
    # differently (no reminders), and each entry's stamps count every feed's copy of it.
    ctx = make_ctx(cfg_path, Clock(dt.datetime.now(dt.UTC)))
    cache(ctx).rebuild(ctx)
    out = tmp_path / "vp.ics"
    start, end = ctx.runtime.horizon(ctx.today())  # the CLI's own today is the real one
    assert main(["--config", str(cfg_path), "export", "--department", "vp-ubnd", "-o", str(out),
                 "--from", str(start), "--to", str(end)]) == 0
    assert "vp-ubnd" in capsys.readouterr().out
    exported = check_bytes(out.read_bytes())
    served = check_bytes(cache(ctx).get("department/vp-ubnd").body)  # type: ignore[union-attr]
    assert {str(e["UID"]): int(e["SEQUENCE"]) for e in exported.walk("VEVENT")} == \
        {str(e["UID"]): int(e["SEQUENCE"]) for e in served.walk("VEVENT")}
    assert main(["--config", str(cfg_path), "export", "--from", "2024-02-01", "--to", "2024-02-29"]) == 0
    cal = strict(capsys.readouterr().out.encode("utf-8"))
    assert cal.events and all(e.dtend > dt.date(2024, 2, 1) and e.dtstart <= dt.date(2024, 2, 29)
                              for e in cal.events)
    assert main(["--config", str(cfg_path), "export", "--department", "khong-co"]) == 1
    assert main(["--config", str(cfg_path), "export", "--from", "2024-03-01", "--to", "2024-02-01"]) == 1


def test_if_modified_since_in_the_future_is_ignored(ctx: Context, base: str) -> None:
    """RFC 9110 §13.1.3: a date later than the server's clock is invalid, so the full feed
    comes (a client with a wrong clock must not be told nothing changed)."""
    secret = feed_token(ctx, "country/LA")
    path = f"/feeds/{secret}/country/LA.ics"
    future = format_datetime(ctx.now() + dt.timedelta(days=30), usegmt=True)
    with client(base) as c:
        lm = c.get(path).headers["last-modified"]
        assert c.get(path, headers={"If-Modified-Since": lm}).status_code == 304
        r = c.get(path, headers={"If-Modified-Since": future})
        assert r.status_code == 200 and r.content.startswith(b"BEGIN:VCALENDAR")


def test_named_urls_and_the_short_form_serve_the_same_feed(ctx: Context, base: str) -> None:
    secret = feed_token(ctx, "department/vp-ubnd")
    links = feed_links("https://lich.example.gov.vn", secret, FeedName("department", "vp-ubnd"),
                       "Văn phòng UBND tỉnh")
    assert links.https.endswith("/department/vp-ubnd/V%C4%83n%20ph%C3%B2ng%20UBND%20t%E1%BB%89nh.ics")
    named = links.https.removeprefix("https://lich.example.gov.vn")
    everything = feed_token(ctx, "all")
    with client(base) as c:
        body = c.get(f"/feeds/{secret}/department/vp-ubnd.ics").content
        assert c.get(named).content == body
        assert c.get(f"/feeds/{secret}/department/vp-ubnd/tên cũ.ics").content == body  # the name is not checked
        r = c.get(f"/feeds/{everything}/all/Lịch đối ngoại - tất cả.ics")
        assert r.status_code == 200 and r.content == c.get(f"/feeds/{everything}/all.ics").content
        for path in (f"/feeds/{secret}/all/x.ics", f"/feeds/{secret}/department/so-ngoai-vu/x.ics",
                     f"/feeds/{secret}/department/vp-ubnd/x", f"/feeds/{secret}/department/vp-ubnd/x/y/",
                     f"/feeds/{secret}/department/vp-ubnd.ics?layout=wide"):
            assert c.get(path).status_code == 404, path
        assert c.put(named, content=b"BEGIN:VCALENDAR").status_code == 405  # nothing writes a feed


DAV = "{DAV:}"


def propfind(c: httpx.Client, path: str, depth: str) -> ElementTree.Element:
    body = ('<?xml version="1.0" encoding="UTF-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getcontenttype/>'
            "<D:resourcetype/><D:displayname/><D:current-user-privilege-set/></D:prop></D:propfind>")
    r = c.request("PROPFIND", path, content=body, headers={"Depth": depth, "Content-Type": "text/xml"})
    assert r.status_code == 207 and r.headers["content-type"].startswith("application/xml"), r.text
    return ElementTree.fromstring(r.content)


def test_thunderbird_folder_names_the_calendar_and_makes_it_read_only(ctx: Context, base: str) -> None:
    """What Thunderbird's "On the Network" detection reads (CalICSProvider: HEAD, GET, then
    PROPFIND Depth 0 and, for a collection, Depth 1): one text/calendar file, its display name,
    and only the read privilege."""
    secret = feed_token(ctx, "department/so-ngoai-vu")
    folder = f"/feeds/{secret}/department/so-ngoai-vu/"
    with client(base) as c:
        for method in ("HEAD", "GET"):  # not a calendar itself: detection goes on to PROPFIND
            r = c.request(method, folder)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
            assert b"BEGIN:VCALENDAR" not in r.content and ".ics" not in r.headers.get("content-disposition", "")
        top = propfind(c, folder, "0").findall(f"{DAV}response")
        assert len(top) == 1 and top[0].find(f".//{DAV}resourcetype/{DAV}collection") is not None
        responses = propfind(c, folder, "1").findall(f"{DAV}response")
        assert len(responses) == 2
        child = responses[1]
        href = child.findtext(f"{DAV}href")
        assert href is not None and href.startswith(folder) and href.endswith(".ics")
        props = child.find(f"{DAV}propstat/{DAV}prop")
        assert props is not None
        assert props.findtext(f"{DAV}getcontenttype") == "text/calendar"  # exactly: Thunderbird compares
        assert props.findtext(f"{DAV}displayname") == "Sở Ngoại vụ"
        privileges = [p.tag for p in props.findall(f"{DAV}current-user-privilege-set/{DAV}privilege/*")]
        assert privileges == [f"{DAV}read"]
        r = c.get(href)
        assert r.status_code == 200 and r.content == c.get(f"/feeds/{secret}/department/so-ngoai-vu.ics").content
        # The file answers PROPFIND the same way; a wrong token gets the plain 404.
        (only,) = propfind(c, href, "0").findall(f"{DAV}response")
        assert only.findtext(f".//{DAV}displayname") == "Sở Ngoại vụ"
        assert c.request("PROPFIND", f"/feeds/{'A' * 27}/department/so-ngoai-vu/").status_code == 404


def test_long_bars_on_request(ctx: Context, base: str) -> None:
    secret = feed_token(ctx, "department/so-ngoai-vu")
    with client(base) as c:
        days = c.get(f"/feeds/{secret}/department/so-ngoai-vu.ics")
        bars = c.get(f"/feeds/{secret}/department/so-ngoai-vu/Sở Ngoại vụ.ics?layout=bars")
        assert bars.status_code == 200 and bars.headers["etag"] != days.headers["etag"]
        assert c.get(f"/feeds/{secret}/department/so-ngoai-vu.ics?layout=bars",
                     headers={"If-None-Match": bars.headers["etag"]}).status_code == 304
    plan = ctx.runtime.plan(*ctx.runtime.horizon(ctx.today()))
    by_uid = {e.uid: e for e in strict(bars.content).events}
    feed = FeedName("department", "so-ngoai-vu", "bars")
    for task in plan.tasks_for("so-ngoai-vu"):
        ev = by_uid[task_uid(task, feed, "lich.example.gov.vn")]
        assert (ev.dtstart, ev.dtend) == (task.window_start, task.due + dt.timedelta(days=1))
