"""Composed emails: golden renderings (UPDATE_GOLDEN=1 pytest tests/test_messages.py rewrites
them), RFC 2047 subjects that decode to intact Vietnamese, and no header injection."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reminderd.config import load_config
from reminderd.messages import Mail, compose, make_message_id, render
from reminderd.signing import Signer

from .conftest import SMALL_CONFIG

GOLDEN = Path(__file__).resolve().parent / "golden" / "mail"
NOW = dt.datetime(2025, 2, 13, 1, 0, tzinfo=dt.UTC)
SIGNER = Signer(b"0123456789abcdef" * 4)

TASK = {
    "event_id": "quoc-khanh-jp", "task_id": "thu-chuc-mung", "year": 2025, "title": "Quốc khánh Nhật Bản",
    "action": "Chủ tịch UBND tỉnh gửi thư chúc mừng Đại sứ quán Nhật Bản", "event_date": "2025-02-23",
    "window_start": "2025-02-13", "due": "2025-02-17", "provisional": False, "country": "JP",
    "owner": "so-ngoai-vu", "support": ["vp-ubnd"], "department": "so-ngoai-vu", "role": "owner",
}
CASES = {
    "window_open": TASK | {"kind": "window_open"},
    "due_support": TASK | {"kind": "due", "department": "vp-ubnd", "role": "support"},
    "overdue_escalation": TASK | {"kind": "overdue", "department": "vp-ubnd", "role": "escalation"},
    "correction": TASK | {"kind": "correction", "old_window_start": "2025-02-12", "old_due": "2025-02-14",
                          "provisional": True},
    "digest": {"kind": "digest", "department": "so-ngoai-vu", "week_of": "2025-02-10", "items": [
        TASK | {"kind": "digest", "overdue": False},
        TASK | {"kind": "digest", "task_id": "bao-cao", "action": "Báo cáo kết quả", "due": "2025-02-07",
                "role": "support", "overdue": True}]},
    "test": {"kind": "test"},
}


@pytest.fixture
def cfg(make_env):
    return lambda lang="vi": load_config(make_env(config=SMALL_CONFIG.replace(
        "[organization]\n", f'[organization]\nlanguage = "{lang}"\n', 1)))


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(cfg, case, lang):
    c = cfg(lang)
    mail = Mail("songoaivu@example.gov.vn", make_message_id(f"{case}|x", "a@example.gov.vn"), CASES[case])
    subject, text, html = render(mail, c, SIGNER, NOW)
    got = f"Subject: {subject}\n\n{text}\n----- HTML -----\n{html}"
    path = GOLDEN / f"{case}.{lang}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == got, "UPDATE_GOLDEN=1 pytest tests/test_messages.py"


def test_wire_format(cfg):
    c = cfg()
    mail = Mail("songoaivu@example.gov.vn", "<abc@example.gov.vn>", CASES["window_open"])
    raw = compose(mail, c, SIGNER, NOW).as_bytes(policy=email.policy.SMTP)
    head = raw.split(b"\r\n\r\n")[0]
    assert b"=?utf-8?" in head.lower() and all(b < 128 for b in head)  # headers are 7-bit, RFC 2047
    m = email.message_from_bytes(raw, policy=email.policy.default)
    assert m["Subject"].startswith("[Nhắc việc] Bắt đầu thực hiện: Chủ tịch UBND tỉnh")
    assert m.get_content_type() == "multipart/mixed"
    assert [p.get_content_type() for p in m.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"]
    ics = next(p for p in m.walk() if p.get_content_type() == "text/calendar")
    from ical.calendar_stream import IcsCalendarStream
    body = ics.get_content()
    cal = IcsCalendarStream.calendar_from_ics(body if isinstance(body, str) else body.decode())
    assert cal.events[0].summary == TASK["action"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ab ếẫ\r\n\t\x0b\x0c\x1c\u2028:Bcc<>@")), min_size=1, max_size=40))
def test_catalog_text_cannot_inject_headers(cfg, evil):
    c = cfg()
    payload = CASES["window_open"] | {"action": f"X{evil}Bcc: victim@evil.example", "title": evil + "T"}
    raw = compose(Mail("songoaivu@example.gov.vn", "<a@b.vn>", payload), c, SIGNER, NOW).as_bytes(
        policy=email.policy.SMTP)
    m = email.message_from_bytes(raw, policy=email.policy.default)
    assert m["Bcc"] is None
    assert "\n" not in m["Subject"] and "\r" not in m["Subject"]
    assert m["To"] == "songoaivu@example.gov.vn"


# Words as in catalog actions: diacritics, đ/Đ, ASCII, digits and punctuation glued to words.
_WORD = st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ"
                                              "èẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
                                              "ĐNQUBTHK0123456789(),;:/-")), min_size=1, max_size=14)
_SUBJECT_TEXT = st.lists(_WORD, min_size=1, max_size=60).map(" ".join)


def _decoded_both_ways(raw: bytes) -> tuple[str, str]:
    from email.header import decode_header, make_header
    modern = email.message_from_bytes(raw, policy=email.policy.default)["Subject"]
    legacy = email.message_from_bytes(raw)["Subject"]  # compat32: the raw header, decoded by hand
    return str(modern), str(make_header(decode_header(legacy)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_SUBJECT_TEXT, st.sampled_from([email.policy.SMTP, email.policy.default]))
def test_subject_survives_folding_exactly(text, policy):
    """No space is lost where the encoded Subject is folded (RFC 2047 §6.2), whatever the length."""
    from email.message import EmailMessage

    from reminderd.messages import Subject
    msg = EmailMessage()
    msg["Subject"] = Subject(text)
    msg.set_content("x")
    raw = msg.as_bytes(policy=policy)
    head = raw.split(b"\n\n")[0].replace(b"\r", b"")
    assert all(b < 128 for b in head) and all(len(line) <= 78 for line in head.split(b"\n"))
    assert _decoded_both_ways(raw) == (text, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_SUBJECT_TEXT)
def test_composed_subject_round_trips(cfg, action):
    c = cfg()
    mail = Mail("songoaivu@example.gov.vn", "<a@b.vn>", CASES["due_support"] | {"action": action})
    subject = render(mail, c, SIGNER, NOW)[0]
    raw = compose(mail, c, SIGNER, NOW).as_bytes(policy=email.policy.SMTP)
    assert _decoded_both_ways(raw) == (subject, subject)
    assert len(subject) <= 120


def test_long_action_is_cut_in_the_subject_and_whole_in_the_body(cfg):
    action = ("Rà soát, báo cáo kết quả thực hiện năm 2025: theo dõi quản lý tàu cá, ngư dân; chính sách "
              "khuyến khích ngư dân đánh bắt xa bờ; tập huấn, tuyên truyền về chủ quyền biển, đảo; giải pháp "
              "chống khai thác hải sản bất hợp pháp, không khai báo và không theo quy định (IUU)")
    for lang in ("vi", "en"):
        mail = Mail("songoaivu@example.gov.vn", "<a@b.vn>", CASES["window_open"] | {"action": action})
        subject, text, html = render(mail, cfg(lang), SIGNER, NOW)
        assert len(subject) <= 120
        assert "… (" in subject and subject.endswith("17/02/2025)" if lang == "vi" else "2025-02-17)")
        cut = subject.split(": ", 1)[1].split("…")[0]
        assert action.startswith(cut) and action[len(cut)] in " ,;"  # at a word boundary
        assert action in text and action in html


def test_fallback_attachment_has_the_department_feed_uid(cfg):
    """Without the task in the runtime, the payload-made attachment still names the feed of the
    department the mail goes to (docs/FEEDS.md UIDs), as the full one does."""
    raw = compose(Mail("vpubnd@example.gov.vn", "<a@b.vn>", CASES["due_support"]), cfg(), SIGNER, NOW).as_bytes()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    ics = next(p for p in m.walk() if p.get_content_type() == "text/calendar").get_content()
    text = (ics if isinstance(ics, str) else ics.decode()).replace("\r\n ", "")  # unfolded
    # The due-day entry's UID; base_url is 127.0.0.1, so the domain comes from the organisation.
    assert "UID:quoc-khanh-jp.thu-chuc-mung.20250223.due.department-vp-ubnd@ubnd-tinh-thu.reminderd" in text
    assert "METHOD:PUBLISH" in text and "mailto:reminderd@example.gov.vn" in text  # an ORGANIZER (RFC 5546)
