"""Compose the reminder emails: multipart text + HTML, an ``.ics`` attachment, a signed ack link.

Pure: everything comes in (the outbox row's payload, the config, the signer,
``now``); an :class:`email.message.EmailMessage` goes out. The texts live in
``templates/email_*`` with both languages; the config's ``[organization]
language`` picks one.

Header safety: catalog text (titles, actions) reaches the Subject. Every header
value is folded to one line here (any CR, LF or other whitespace run becomes a
single space) before it is encoded per RFC 2047, so a title can never start a new
header.

The Subject is encoded here, not by the email package's folder: that folder can put
the space between two words *between* two encoded-words, where decoders drop it
(RFC 2047 §6.2: "Khu côngnghiệp"). :class:`Subject` keeps every space inside an
encoded-word, so any decoder gets the exact text back. It is capped at
``SUBJECT_MAX`` characters (cut at a word, "…"); the body carries the full action.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, parseaddr
from functools import cache
from pathlib import Path
from typing import Any

import icalendar
import jinja2

from .config import Config
from .i18n import fmt_date
from .signing import Signer

TEMPLATES = Path(__file__).resolve().parent / "templates"
TASK_KINDS = ("window_open", "due", "overdue", "correction")
KINDS = (*TASK_KINDS, "digest", "test")
ROLES = ("owner", "support", "escalation")
SUBJECT_MAX = 120  # characters; a mail client shows about this much of a subject line


@dataclass(frozen=True)
class Mail:
    """What the outbox hands over: one recipient, one deterministic Message-ID, the payload."""

    recipient: str
    message_id: str
    payload: dict[str, Any] = field(default_factory=dict)


def one_line(text: str) -> str:
    """Fold any whitespace (CR, LF, tabs, Unicode line separators) to single spaces."""
    return " ".join(str(text).split())


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut at the last space that fits, "…" appended."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    head, sep, _ = cut.rpartition(" ")
    if sep and len(head) >= limit // 2:  # a word boundary not too far back
        cut = head
    return cut.rstrip(" ,;:.-–—(") + "…"


_EW_OVERHEAD = len("=?utf-8?b??=")


def _ew(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def _fits(text: str, room: int) -> bool:
    return _EW_OVERHEAD + 4 * -(-len(text.encode("utf-8")) // 3) <= room


def encoded_words(text: str, first_room: int, room: int) -> list[str]:
    """RFC 2047 encoded-words for ``text``, the first at most ``first_room`` characters long,
    the others ``room``. Each space stays *inside* an encoded-word (the whitespace between
    encoded-words is not part of the text, RFC 2047 §6.2), and no UTF-8 character is split."""
    words: list[str] = []
    cur = ""
    for token in re.findall(r"\S+\s*|\s+", text):  # each word with the spaces after it
        if _fits(cur + token, first_room if not words else room):
            cur += token
            continue
        if cur:
            words.append(cur)
            cur = ""
        for ch in token:  # a token too long for one encoded-word: split between characters
            if cur and not _fits(cur + ch, first_room if not words else room):
                words.append(cur)
                cur = ""
            cur += ch
    if cur or not words:
        words.append(cur)
    return [_ew(w) for w in words]


class Subject(str):
    """A Subject header value that folds itself (the email package calls ``fold``; see the
    module docstring). Works with any ``EmailPolicy`` the message is serialised with."""

    name = "Subject"
    defects: tuple[Exception, ...] = ()
    max_count = 1

    def fold(self, *, policy: Policy) -> str:
        text = str(self)
        maxlen = policy.max_line_length or 78
        if getattr(policy, "utf8", False) or text.isascii():
            # No encoded-words: folding happens at spaces, which unfolding restores.
            factory = policy.header_factory  # type: ignore[attr-defined]
            return str(factory(self.name, text).fold(policy=policy))
        prefix = f"{self.name}: "
        words = encoded_words(text, min(75, maxlen - len(prefix)), min(75, maxlen - 1))
        return prefix + (policy.linesep + " ").join(words) + policy.linesep


def sender_domain(sender: str) -> str:
    addr = parseaddr(sender)[1]
    return addr.rpartition("@")[2] or "reminderd.invalid"


def make_message_id(dedupe_key: str, sender: str) -> str:
    """Deterministic: the same outbox row always has the same Message-ID, so a resend
    after a crash is recognisable as the same message by the receiving side."""
    digest = hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{sender_domain(sender)}>"


def nonce_for(message_id: str) -> str:
    return hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:16]


def _date(value: Any, lang: str) -> str:
    if not value:
        return ""
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return fmt_date(lang, d)


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


def ack_url(cfg: Config, signer: Signer, item: dict[str, Any], recipient: str,
            now: dt.datetime, nonce: str) -> str:
    days = int(cfg.get("reminders", "ack_link_days"))
    token = signer.sign(item["event_id"], item["task_id"], int(item["year"]), recipient,
                        now + dt.timedelta(days=days), nonce)
    return f"{cfg.get('http', 'base_url')}/ack/{token}"


def _context(mail: Mail, cfg: Config, signer: Signer | None, now: dt.datetime) -> dict[str, Any]:
    p = dict(mail.payload)
    lang = cfg.language
    kind = p["kind"]
    nonce = nonce_for(mail.message_id)
    ctx: dict[str, Any] = {
        "kind": kind, "lang": lang, "org": cfg.org_name, "p": p,
        "department": cfg.department_name(p.get("department")),
        "owner": cfg.department_name(p.get("owner")),
        "support": [cfg.department_name(s) for s in p.get("support", [])],
        "role": p.get("role", "owner"),
        "d": lambda v: _date(v, lang),
        "ack": None,
    }
    # Only the departments answerable for the task get the "done" link: the lead and
    # whoever the overdue notice escalates to; a coordinating department cannot close it.
    if signer is not None and kind in TASK_KINDS and ctx["role"] in ("owner", "escalation"):
        ctx["ack"] = ack_url(cfg, signer, p, mail.recipient, now, nonce)
    if kind == "digest":
        items = []
        for it in p.get("items", []):
            it = dict(it)
            it["owner_name"] = cfg.department_name(it.get("owner"))
            it["ack"] = (ack_url(cfg, signer, it, mail.recipient, now, nonce)
                         if signer is not None and it.get("role") == "owner" else None)
            items.append(it)
        ctx["due_items"] = [i for i in items if not i.get("overdue")]
        ctx["overdue_items"] = [i for i in items if i.get("overdue")]
    return ctx


def task_ics(p: dict[str, Any], cfg: Config, now: dt.datetime) -> bytes:
    """Fallback attachment when the task is no longer in the runtime: its due day, with the UID
    of that entry in the recipient department's feed (or the ``all`` feed, docs/FEEDS.md), as
    an RFC 5546 PUBLISH (with an ORGANIZER) of that one event."""
    from .feeds import PRODID, uid_domain

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    ev = icalendar.Event()
    scope = f"department-{p['department'].lower()}" if p.get("department") else "all"
    date = p["event_date"].replace("-", "")
    ev.add("uid", f"{p['event_id']}.{p['task_id']}.{date}.due.{scope}@{uid_domain(cfg)}")
    ev.add("dtstamp", now.astimezone(dt.UTC))
    ev.add("sequence", 0)
    ev.add("summary", one_line(p["action"]))
    ev.add("description", f"{one_line(p['title'])} — {p['event_date']}")
    due = dt.date.fromisoformat(p["due"])
    ev.add("dtstart", due)
    ev.add("dtend", due + dt.timedelta(days=1))
    ev.add("transp", "TRANSPARENT")
    name, addr = parseaddr(str(cfg.get("smtp", "sender") or ""))
    if "@" in addr:
        ev.add("organizer", f"mailto:{addr}", parameters={"CN": name} if name else {})
    cal.add_component(ev)
    return bytes(cal.to_ical())


def render(mail: Mail, cfg: Config, signer: Signer | None, now: dt.datetime) -> tuple[str, str, str]:
    """(subject, text, html) for one mail."""
    ctx = _context(mail, cfg, signer, now)
    env = _env()
    base = "email_digest" if ctx["kind"] == "digest" else "email_reminder"
    tpl = env.get_template("email_subject.txt")
    subject = one_line(tpl.render(ctx))
    if len(subject) > SUBJECT_MAX and ctx["kind"] in TASK_KINDS:
        # Shorten the action, not the whole line, so that the due date stays in view.
        action = one_line(ctx["p"]["action"])
        room = max(SUBJECT_MAX // 3, len(action) - (len(subject) - SUBJECT_MAX))
        subject = one_line(tpl.render(ctx | {"p": ctx["p"] | {"action": shorten(action, room)}}))
    subject = shorten(subject, SUBJECT_MAX)
    text = env.get_template(f"{base}.txt").render(ctx)
    html = env.get_template(f"{base}.html").render(ctx)
    return subject, text, html


def compose(mail: Mail, cfg: Config, signer: Signer | None, now: dt.datetime, *,
            ics: bytes | None = None) -> EmailMessage:
    """The full message, ready for SMTP. ``ics``: the task's calendar attachment (from
    ``reminderd.feeds.task_ics``); without it a minimal one is made from the payload."""
    subject, text, html = render(mail, cfg, signer, now)
    sender = one_line(cfg.get("smtp", "sender"))
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = one_line(mail.recipient)
    msg["Subject"] = Subject(subject)
    msg["Date"] = format_datetime(now.astimezone(dt.UTC))
    msg["Message-ID"] = one_line(mail.message_id)
    # RFC 3834: tells vacation responders and ticket systems not to answer.
    msg["Auto-Submitted"] = "auto-generated"
    kind = mail.payload.get("kind", "")
    msg["X-Reminderd-Kind"] = one_line(kind)
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    if kind in TASK_KINDS:
        p = mail.payload
        msg.add_attachment(ics or task_ics(p, cfg, now), maintype="text",
                           subtype="calendar", filename=f"{p['event_id']}-{p['task_id']}-{p['year']}.ics",
                           params={"method": "PUBLISH", "charset": "utf-8"})
    return msg
