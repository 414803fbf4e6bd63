"""Feeds and the mail attachment read by parsers that did not write them: Mozilla's ical.js (what
Thunderbird uses; npm, ``tests/js``) and libical (Debian's ``libical3``, through ctypes, with its
iTIP restriction check). Each is skipped, saying why, where it is not installed; CI installs both.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reminderd.feeds import FeedName, feed_items, task_ics, task_uid, uid_domain
from reminderd.runtime import load_runtime
from tests.conftest import SMALL_CATALOG
from tests.feeds_support import FEEDS_CONFIG, Clock, cache, make_ctx

JS = Path(__file__).resolve().parent / "js"
# A department whose name has the characters TEXT escapes: what Thunderbird showed with a backslash.
COMMA_CONFIG = FEEDS_CONFIG + """
[[department]]
id = "so-vhttdl"
name = "Sở Văn hóa, Thể thao và Du lịch"
email = ["sovhttdl@example.gov.vn"]
"""
COMMA_CATALOG = SMALL_CATALOG + """
[[event]]
id = "le-hoi-van-hoa"
title = "Lễ hội văn hóa; thể thao, du lịch"
date = "04-10"
tags = ["su-kien-doi-ngoai"]

[[event.task]]
id = "chuan-bi"
action = "Chuẩn bị; mời khách, đón tiếp"
lead = "5-10wd"
owner = "so-vhttdl"
"""


def icaljs(body: bytes) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "ical.js").is_dir():
        pytest.skip("ical.js not installed: npm install --prefix tests/js (CI does)")
    out = subprocess.run([node, str(JS / "dump.mjs")], input=body, capture_output=True, timeout=60, check=True)
    return dict(json.loads(out.stdout))


class Libical:
    """The few libical calls the tests need: parse, the RFC 5546 restriction check, errors."""

    def __init__(self) -> None:
        path = ctypes.util.find_library("ical") or "libical.so.3"
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            pytest.skip("libical not installed: apt-get install libical3 (CI does)")
        lib.icalparser_parse_string.restype = ctypes.c_void_p
        lib.icalparser_parse_string.argtypes = [ctypes.c_char_p]
        lib.icalrestriction_check.argtypes = [ctypes.c_void_p]
        lib.icalcomponent_count_errors.argtypes = [ctypes.c_void_p]
        lib.icalcomponent_as_ical_string.restype = ctypes.c_char_p
        lib.icalcomponent_as_ical_string.argtypes = [ctypes.c_void_p]
        lib.icalcomponent_free.argtypes = [ctypes.c_void_p]
        self.lib = lib

    def check(self, body: bytes) -> tuple[int, int, list[str]]:
        """(parse errors, restriction check result (1 = passes), X-LIC-ERROR lines after it)."""
        comp = self.lib.icalparser_parse_string(body)
        assert comp, "libical could not parse"
        try:
            parse_errors = self.lib.icalcomponent_count_errors(comp)
            ok = self.lib.icalrestriction_check(comp)
            text = self.lib.icalcomponent_as_ical_string(comp).decode("utf-8")
            return parse_errors, ok, [ln for ln in text.splitlines() if ln.startswith("X-LIC-ERROR")]
        finally:
            self.lib.icalcomponent_free(comp)


@pytest.fixture
def cfg_path(make_env: Callable[..., Path]) -> Path:
    return make_env(config=COMMA_CONFIG, catalog=COMMA_CATALOG)


def test_thunderbird_parser_shows_calendar_names_as_written(cfg_path: Path) -> None:
    """ical.js does not unescape NAME, X-WR-CALNAME or X-WR-CALDESC unless they say VALUE=TEXT."""
    ctx = make_ctx(cfg_path)
    cache(ctx).rebuild(ctx)
    feed = cache(ctx).get("department/so-vhttdl")
    assert feed is not None
    read = icaljs(feed.body)
    props = read["props"]
    assert props["X-WR-CALNAME"] == "UBND tỉnh Thử — Sở Văn hóa, Thể thao và Du lịch"
    assert props["NAME"] == props["X-WR-CALNAME"]
    assert props["X-WR-CALDESC"] == ("Các việc Sở Văn hóa, Thể thao và Du lịch chủ trì hoặc phối hợp, "
                                     "và sự kiện của chúng.")
    assert props["DESCRIPTION"] == props["X-WR-CALDESC"]
    by_uid = {e["uid"]: e for e in read["events"]}
    task = next(e for e in by_uid.values() if ".due." in e["uid"] and e["start"] >= "2024-03-01")
    assert task["summary"] == "Hạn: Chuẩn bị; mời khách, đón tiếp"
    assert task["categories"] == ["Sự kiện đối ngoại"]
    (alarm,) = task["alarms"]  # the department leads it: a DATE-TIME alarm at 08:00 Hà Nội time
    assert alarm["type"] == "date-time" and alarm["value"].startswith(f"{task['start']}T01:00:00")
    for name in ("all", "country/LA", "tag/ngay-le-viet-nam"):
        body = cache(ctx).get(name).body  # type: ignore[union-attr]
        events = icaljs(body)["events"]
        assert events and not [e for e in events if e["alarms"]], name


def _attachment_case(cfg_path: Path, make_env: Callable[..., Path]) -> tuple[Any, Any, bytes]:
    """A task whose feed entry changed once (SEQUENCE 1 in the feed), and its mail attachment as
    the outbox makes it (``sequence`` 0: the outbox does not know the feed's)."""
    clock = Clock()
    ctx = make_ctx(cfg_path, clock)
    cache(ctx).rebuild(ctx)
    clock.advance(days=1)
    edited = COMMA_CATALOG.replace("Chuẩn bị; mời khách", "Chuẩn bị chương trình; mời khách")
    make_env(config=COMMA_CONFIG, catalog=edited)
    ctx.set_runtime(load_runtime(cfg_path))  # the listener re-renders: the entry's SEQUENCE is 1
    rt = ctx.runtime
    task = next(t for t in rt.plan(*rt.horizon(ctx.today())).tasks if t.event.id == "le-hoi-van-hoa")
    feed = FeedName("department", "so-vhttdl")
    body = task_ics(task, rt, now=clock.now, sequence=0, role="owner", feed=feed)
    return ctx, task, body


def test_mail_attachment_passes_libicals_itip_check(cfg_path: Path, make_env: Callable[..., Path]) -> None:
    """RFC 5546 PUBLISH needs an ORGANIZER; a one-event file carries no calendar name or refresh."""
    _, _, body = _attachment_case(cfg_path, make_env)
    parse_errors, ok, errors = Libical().check(body)
    assert (parse_errors, ok, errors) == (0, 1, [])
    for prop in (b"X-WR-CALNAME", b"\r\nNAME", b"REFRESH-INTERVAL", b"X-PUBLISHED-TTL"):
        assert prop not in body


def test_mail_attachment_is_the_feeds_entry_with_its_sequence(cfg_path: Path, make_env: Callable[..., Path]) -> None:
    ctx, task, body = _attachment_case(cfg_path, make_env)
    feed = FeedName("department", "so-vhttdl")
    uid = task_uid(task, feed, uid_domain(ctx.runtime))
    served = {e["uid"]: e for e in icaljs(cache(ctx).get(str(feed)).body)["events"]}  # type: ignore[union-attr]
    (att,) = icaljs(body)["events"]
    assert att["uid"] == uid and served[uid]["sequence"] == 1
    assert att["sequence"] == 1  # the feed's SEQUENCE for the same UID, not the outbox's 0
    assert (att["summary"], att["description"], att["start"], att["end"]) == \
        (served[uid]["summary"], served[uid]["description"], served[uid]["start"], served[uid]["end"])
    assert att["organizer"] == "mailto:reminderd@example.gov.vn"
    assert icaljs(body)["method"] == "PUBLISH"


def test_every_feed_passes_libical(cfg_path: Path) -> None:
    ctx = make_ctx(cfg_path)
    cache(ctx).rebuild(ctx)
    lib = Libical()
    for f in cache(ctx).feeds():
        parse_errors, ok, errors = lib.check(f.body)
        assert (parse_errors, ok, errors) == (0, 1, []), f.name


def test_uids_name_the_installation(make_env: Callable[..., Path]) -> None:
    """Two provinces publishing the same catalog must not share UIDs: the host of base_url, or
    (for an address) the organisation's own name."""
    path = make_env(config=FEEDS_CONFIG)
    rt = load_runtime(path)
    assert uid_domain(rt) == "lich.example.gov.vn"
    plan = rt.plan(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    items = feed_items(plan, rt, FeedName("all"))
    assert items and all(i.uid.endswith("@lich.example.gov.vn") for i in items)
    domains = set()
    for org, base in (("UBND tỉnh Bắc Giang", "http://10.0.0.5:8080"), ("UBND tỉnh Bình Định", "http://10.0.0.5:8080"),
                      ("UBND tỉnh Bình Định", "http://localhost:8080")):
        config = FEEDS_CONFIG.replace('name = "UBND tỉnh Thử"', f'name = "{org}"').replace(
            'base_url = "https://lich.example.gov.vn"', f'base_url = "{base}"')
        domains.add(uid_domain(load_runtime(make_env(config=config))))
    assert domains == {"ubnd-tinh-bac-giang.reminderd", "ubnd-tinh-binh-dinh.reminderd"}
