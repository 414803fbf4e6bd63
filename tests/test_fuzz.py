"""Bad input at every door (hypothesis): the catalog and its date forms, and every text that
reaches a feed or an e-mail.

- Date forms: any string parses to a form or raises ``DateFormError`` saying what would be right;
  a form that parses resolves in any year 1900–2100 to a date of that year (or of the lunar rule
  year's neighbour) or to nothing, never an exception.
- Event tables (the TOML of ``calendars/*.toml`` and the JSON of the API's ad-hoc items): any
  shape of keys and values is accepted or refused with problems naming the file, the event and
  the key; whole catalog files of random TOML (and of random text) load or raise
  ``ValidationError`` naming that file — nothing else.
- Texts (titles, actions, descriptions, notes, department and organisation names) with CR/LF,
  ``:;,\\``, ``BEGIN:VEVENT``, header-looking lines and non-BMP characters go through the real
  loader into every feed and every e-mail: no property, component or header is ever injected.
  (tests/test_feeds_text.py and tests/test_messages.py check the renderers alone.)

The JSON API under schemathesis: tests/test_fuzz_api.py. Reproduce:
``/work/venv/bin/python -m pytest -q tests/test_fuzz.py`` (docs/RELIABILITY.md).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reminderd import dateforms, outbox
from reminderd.catalog import EVENT_KEYS, TASK_KEYS, load_catalog, parse_event
from reminderd.config import load_config
from reminderd.errors import DateFormError, ValidationError
from reminderd.feeds import Stamped, available_feeds, feed_meta, items_for_feeds, render
from reminderd.messages import Mail, compose, make_message_id
from reminderd.model import Source
from reminderd.runtime import load_runtime
from reminderd.signing import Signer

from .conftest import SMALL_CATALOG, SMALL_CONFIG
from .feeds_support import check_bytes, strict

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def toml_str(s: str) -> str:
    """A TOML basic string holding exactly ``s`` (control characters escaped)."""
    out = []
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif (ord(c) < 0x20 and c != "\t") or c == "\x7f":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_str(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


# ---- date forms ------------------------------------------------------------------------------

_DIGITS = st.integers(-5, 40).map(lambda n: f"{n:02d}")
_RRULE_PART = st.sampled_from(["FREQ=YEARLY", "FREQ=MONTHLY", "FREQ=DAILY", "BYMONTH=2", "BYMONTH=13",
                               "BYMONTHDAY=29", "BYMONTHDAY=30", "BYMONTHDAY=-1", "BYDAY=4TH", "BYDAY=-1MO",
                               "BYDAY=XX", "BYSETPOS=5", "BYSETPOS=-1", "BYWEEKNO=53", "BYYEARDAY=366",
                               "BYEASTER=0", "INTERVAL=0", "INTERVAL=2", "COUNT=1", "UNTIL=19990101",
                               "UNTIL=20300101T000000Z", "WKST=SU", "", "=", ";", "X-Y=1"])
DATE_TEXT = st.one_of(
    st.text(max_size=30),
    st.builds(lambda a, b: f"{a}-{b}", _DIGITS, _DIGITS),
    st.builds(lambda y, a, b: f"{y}-{a}-{b}", st.integers(0, 9999).map(lambda n: f"{n:04d}"), _DIGITS, _DIGITS),
    st.builds(lambda p, a, leap, b: f"{p}:{a}{leap}-{b}", st.sampled_from(["lunar", "chinese", "korean", "LUNAR"]),
              _DIGITS, st.sampled_from(["", "L", "l", "LL"]), _DIGITS),
    st.builds(lambda c, n: f"holiday:{c}:{n}", st.sampled_from(["NL", "VN", "US", "JP", "XX", "nl", ""]),
              st.sampled_from(["King's Day", "Christmas Day", "New Year's Day", "", ":", "Tết", "x" * 40])),
    st.lists(_RRULE_PART, max_size=5).map(lambda ps: "rrule:" + ";".join(ps)),
    st.just("rrule:DTSTART:19000101T000000\nRRULE:FREQ=YEARLY;BYMONTH=3"),
)


@FAST
@given(text=DATE_TEXT, years=st.lists(st.integers(1900, 2100), min_size=1, max_size=4))
@example(text="02-29", years=[2023, 2024])
@example(text="lunar:12L-30", years=[2033, 2034])
@example(text="rrule:FREQ=YEARLY;INTERVAL=0", years=[1900, 2100])
@example(text="rrule:INTERVAL=0;BYMONTH=13;FREQ=YEARLY", years=[2000])  # (once an endless search)
def test_date_forms_parse_or_say_why(text: str, years: list[int]) -> None:
    try:
        form = dateforms.parse(text)
    except DateFormError as e:
        assert str(e).strip(), "an error without a message"
        return
    for y in years:
        r = dateforms.resolve(form, y)
        if r is None:
            continue
        assert isinstance(r.date, dt.date)
        # Lunisolar rule years straddle the Gregorian one (lunar:12-23 of 2024 is in January 2025).
        assert abs(r.date.year - y) <= 1, (text, y, r.date)
        assert r.how


@given(value=st.one_of(st.none(), st.integers(), st.floats(), st.lists(st.text(max_size=3), max_size=2),
                       st.dates(), st.booleans()))
@settings(max_examples=20, deadline=None)
def test_date_form_that_is_not_a_string_is_a_date_form_error(value: object) -> None:
    with pytest.raises(DateFormError):
        dateforms.parse(value)  # type: ignore[arg-type]


# ---- event tables ----------------------------------------------------------------------------

SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10, 3000), st.floats(allow_nan=False, allow_infinity=False),
                   st.text(max_size=12), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
                   st.sampled_from(["so-ngoai-vu", "vp-ubnd", "5-7wd", "10d", "15-10wd", "lunar:01-01", "02-29",
                                    "milestone", "regular", "JP", "{ordinal}", "{nope}", "quoc-khanh"]))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                     max_leaves=8)


def _table(keys: tuple[str, ...], extra: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda known, more: {**more, **known},
                     st.dictionaries(st.sampled_from(keys), VALUE, max_size=len(keys)),
                     st.dictionaries(st.text(max_size=8), VALUE, max_size=2)).map(lambda d: {**d, **extra})


TASK = _table(TASK_KEYS, {})
EVENT = st.builds(lambda ev, tasks: {**ev, **({"task": tasks} if tasks is not None else {})},
                  _table(tuple(k for k in EVENT_KEYS if k != "task"), {}),
                  st.one_of(st.none(), st.lists(TASK, max_size=2), VALUE))


@pytest.fixture(scope="module")
def small_cfg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    d = tmp_path_factory.mktemp("fuzzcfg")
    (d / "calendars").mkdir()
    (d / "calendars" / "main.toml").write_text(textwrap.dedent(SMALL_CATALOG), encoding="utf-8")
    (d / "reminderd.toml").write_text(textwrap.dedent(SMALL_CONFIG), encoding="utf-8")
    return load_config(d / "reminderd.toml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(raw=st.one_of(EVENT, VALUE))
@example(raw={"id": "a", "title": "t", "date": "01-01",
              "task": [{"id": "x", "action": "y", "lead": "5wd", "owner": "so-ngoai-vu", "support": [{}]}]})
@example(raw={"id": "a", "title": "t", "date": "01-01", "task": [[]]})
def test_event_tables_are_accepted_or_refused_naming_the_key(small_cfg: Any, raw: Any) -> None:
    ev, problems = parse_event(raw, Source("adhoc.toml", 3), small_cfg)
    keys = set(EVENT_KEYS) | set(TASK_KEYS) | {""}
    if isinstance(raw, dict):
        keys |= set(raw)
        for t in raw.get("task", []) if isinstance(raw.get("task"), list) else []:
            keys |= set(t) if isinstance(t, dict) else set()
    for p in problems:
        assert p.file == "adhoc.toml" and p.line == 3
        assert p.where.startswith("event"), p
        assert p.key in keys, p
        assert p.message.strip()
    if ev is None:
        assert any(not p.warning for p in problems), "refused without saying why"
    else:
        assert not any(not p.warning for p in problems)


def _no_null(v: Any) -> Any:
    """TOML has no null: drop None values from the JSON-ish shapes the strategies make."""
    if isinstance(v, list):
        return [_no_null(x) for x in v if x is not None]
    if isinstance(v, dict):
        return {k: _no_null(x) for k, x in v.items() if x is not None}
    return v


def _catalog_file(events: list[dict[str, Any]]) -> str:
    out = []
    for ev in events:
        out.append("[[event]]")
        for k, v in _no_null(ev).items():
            out.append(f"{toml_str(k)} = {toml_value(v)}")
    return "\n".join(out) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(doc=st.one_of(st.lists(EVENT, max_size=3).map(_catalog_file),
                     st.text(max_size=200),
                     st.lists(st.sampled_from(["[[event]]", "id = \"a\"", "title = \"t\"", "date = \"01-01\"",
                                               "[[event.task]]", "lead = \"5wd\"", "[event]", "x = [", "\"\"\"",
                                               "event = 1", "[[event.task.x]]", "id = 1979-05-27"]),
                              max_size=8).map("\n".join)))
def test_catalog_files_load_or_raise_validation_error_naming_the_file(small_cfg: Any, doc: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.toml"
        path.write_text(doc, encoding="utf-8")
        try:
            cat = load_catalog(small_cfg, [path])
        except ValidationError as e:
            assert e.problems
            assert all(p.file == str(path) for p in e.problems), e.problems
            return
        assert all(ev.source.file == str(path) for ev in cat.events)


# ---- texts into feeds and e-mails ------------------------------------------------------------

NASTY = st.sampled_from(["\r\n", "\r", "\n", ",", ";", "\\", ":", "\\n", "\\,", '"', "\t", " ", "BEGIN:VEVENT",
                         "END:VCALENDAR", "\r\nUID:x", "\nSTATUS:CANCELLED", "\r\nBEGIN:VALARM\r\n",
                         "\r\nBcc: victim@evil.example", "\nSubject: hi", "\r\n\r\n<b>body</b>", "To: x@y.z",
                         "=?utf-8?q?x?=", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x00", "\x7f", "ạ",
                         "Đ", "😀", "𝔘", "\U0010fffd", "\u0301", "\ufeff", "<script>", "&amp;"])
EVIL = st.lists(st.one_of(st.text(max_size=8), NASTY), min_size=1, max_size=8).map(
    lambda parts: "T " + "".join(parts).replace("{", "(").replace("}", ")"))

SIGNER = Signer(b"0123456789abcdef" * 4)
EVENT_DATE = dt.date(2025, 3, 20)  # a Thursday, no holiday near it


def _evil_env(d: Path, *, title: str, action: str, description: str, note: str, dep_name: str,
              org: str) -> Path:
    (d / "calendars").mkdir(exist_ok=True)
    (d / "calendars" / "main.toml").write_text(f"""
[[event]]
id = "su-kien"
title = {toml_str(title)}
date = "{EVENT_DATE.isoformat()}"
country = "JP"
tags = ["quoc-khanh"]
description = {toml_str(description)}

[[event.task]]
id = "viec"
action = {toml_str(action)}
lead = "3-5wd"
owner = "so-ngoai-vu"
support = ["vp-ubnd"]
note = {toml_str(note)}
""", encoding="utf-8")
    cfg = textwrap.dedent(SMALL_CONFIG).replace('name = "UBND tỉnh Thử"', f"name = {toml_str(org)}", 1)
    cfg = cfg.replace('name = "Sở Ngoại vụ"', f"name = {toml_str(dep_name)}", 1)
    cfg += '\n[http]\nbase_url = "https://lich.example.gov.vn"\n'
    (d / "reminderd.toml").write_text(cfg, encoding="utf-8")
    return d / "reminderd.toml"


EXPECTED_HEADERS = {"from", "to", "subject", "date", "message-id", "auto-submitted", "x-reminderd-kind",
                    "mime-version", "content-type"}


@SLOW
@given(title=EVIL, action=EVIL, description=EVIL, note=EVIL, dep_name=EVIL, org=EVIL)
@example(title="a\r\nUID:evil\r\nBEGIN:VEVENT", action="x\r\nBcc: victim@evil.example\r\n\r\nbody",
         description="END:VEVENT\r\nBEGIN:VEVENT", note="\nTo: a@b.c", dep_name="Sở\r\nX-Evil: 1",
         org="UBND\nSUBJECT:x")
def test_texts_never_inject_into_feeds_or_mail(title: str, action: str, description: str, note: str,
                                               dep_name: str, org: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        try:
            rt = load_runtime(_evil_env(Path(d), title=title, action=action, description=description,
                                        note=note, dep_name=dep_name, org=org))
        except ValidationError as e:  # a text the loader refuses must be refused precisely
            assert all(p.key for p in e.problems), e.problems
            return
        plan = rt.plan(EVENT_DATE - dt.timedelta(days=30), EVENT_DATE + dt.timedelta(days=5))
        assert len(plan.tasks) == 1
        task = plan.tasks[0]
        now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
        # Every feed: exactly the items we made, each with only our properties.
        names = available_feeds(rt)
        items = items_for_feeds(plan, rt, names)
        for name in names:
            feed_items = items[str(name)]
            body = render(feed_meta(rt, name), [Stamped(i, 0, now) for i in feed_items])
            cal = check_bytes(body)
            assert [c.name for c in cal.subcomponents if c.name != "VTIMEZONE"] == ["VEVENT"] * len(feed_items)
            assert sorted(str(e["UID"]) for e in cal.walk("VEVENT")) == sorted(i.uid for i in feed_items)
            for ev in cal.walk("VEVENT"):
                assert {c.name for c in ev.subcomponents} <= {"VALARM"}
                assert str(ev["STATUS"]) == "CONFIRMED"
                assert "ATTACH" not in ev and "RRULE" not in ev and "ORGANIZER" not in ev
            assert len(strict(body).events) == len(feed_items)
        # Every e-mail the outbox would send for the task: only our headers, to its recipient.
        for when in (task.window_start, task.due):
            moment = dt.datetime.combine(when, dt.time(9), tzinfo=rt.config.tz)
            rows = outbox.plan_rows(rt, moment, set(), []).rows
            assert rows
            for r in rows:
                mail = Mail(r.recipient, make_message_id(r.dedupe_key, "reminderd@example.gov.vn"), r.payload)
                ics = outbox._ics(rt, {"event_id": r.event_id, "task_id": r.task_id, "year": r.year,
                                       "role": r.role, "department": r.department, "kind": r.kind}, now) \
                    if r.kind in outbox.TASK_KINDS else None
                raw = compose(mail, rt.config, SIGNER, now, ics=ics).as_bytes(policy=email.policy.SMTP)
                head = raw.split(b"\r\n\r\n", 1)[0]
                assert all(b < 128 for b in head)
                m = email.message_from_bytes(raw, policy=email.policy.default)
                assert {k.lower() for k in m} == EXPECTED_HEADERS, m.keys()
                assert m["To"] == r.recipient and m["Bcc"] is None
                assert "\n" not in str(m["Subject"]) and "\r" not in str(m["Subject"])
                parts = [p.get_content_type() for p in m.walk()]
                assert parts.count("text/plain") == parts.count("text/html") == 1
                for part in m.walk():
                    if part.get_content_type() == "text/calendar":
                        data = part.get_payload(decode=True)
                        att = icalendar.Calendar.from_ical(data)
                        assert len(att.walk("VEVENT")) == 1
                        assert str(att.walk("VEVENT")[0]["SUMMARY"]).strip()
