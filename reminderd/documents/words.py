"""Small wordings the documents share: dates, leads, the form of a greeting, the issuing body."""

from __future__ import annotations

import datetime as dt
import re

from ..model import Lead
from .text import tr

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def dmy(d: dt.date) -> str:
    """23/02/2027: how the tables write a day."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def lead_words(lead: Lead, lang: str) -> str:
    """A lead in words: "5–7 ngày làm việc trước", "10 ngày trước", "trong ngày"."""
    if lead.far == 0:
        return tr(lang, "lead.0")
    n = str(lead.near) if lead.near == lead.far else f"{lead.near}–{lead.far}"
    key = f"lead.{lead.unit}" + ("1" if lead.far == 1 else "")
    return tr(lang, key, n=n)


# The form of a greeting, read from the task's words (the catalog has no key for it). Either
# language: an English config shows the catalog's English action. "Bí thư" (secretary) and
# "văn thư" (records office) are not letters; "can thiệp" (intervene) is not a card.
_FORMS = (
    ("letter", re.compile(r"(?<!bí )(?<!văn )\bthư\b(?! ký)|\bletters?\b", re.I)),
    ("telegram", re.compile(r"\bđiện\s+(?:chúc\s+)?mừng\b|\bgửi\s+điện\b|\btelegrams?\b|\bcables?\b", re.I)),
    ("card", re.compile(r"(?<!can )\bthi[ếệ]p\b|\bcards?\b", re.I)),
    ("visit", re.compile(r"\bđoàn\b[^.;]*\bthăm\b|\bthăm,?\s+chúc\b|\bvisits?\b", re.I)),
)


def forms(action: str) -> tuple[str, ...]:
    """Which of letter, telegram, card, visit the task's text names (in that order)."""
    return tuple(name for name, rx in _FORMS if rx.search(action))


def form_words(action: str, lang: str) -> str:
    return ", ".join(tr(lang, f"form.{f}") for f in forms(action))


# ---- the issuing body -----------------------------------------------------------------------

_UBND = re.compile(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.I)
_PLACE = re.compile(r"\b(?:tỉnh|thành phố|TP\.?)\s+(.+)$", re.I)


def place_of(org: str) -> str:
    """"Bắc Giang" from "UBND tỉnh Bắc Giang" or "Sở Ngoại vụ tỉnh Bắc Giang"; "" otherwise."""
    m = _PLACE.search(org.strip())
    return m[1].strip() if m else ""


def org_lines(org: str) -> tuple[tuple[str, bool], ...]:
    """The issuing body as the header block prints it: (line, bold), in capitals.

    "UBND tỉnh Bắc Giang" → ỦY BAN NHÂN DÂN / TỈNH BẮC GIANG (both bold); a department of a
    province, "Sở Ngoại vụ tỉnh Bắc Giang" → UBND TỈNH BẮC GIANG (its superior, not bold) /
    SỞ NGOẠI VỤ (bold), as Nghị định 30/2020/NĐ-CP lays out a body and the body above it.
    """
    name = " ".join(org.split())
    m = _UBND.match(name)
    if m:
        rest = name[m.end():]
        return (("ỦY BAN NHÂN DÂN", True), (rest.upper(), True)) if rest else (("ỦY BAN NHÂN DÂN", True),)
    place = _PLACE.search(name)
    if place and place.start() > 0:
        body = name[:place.start()].strip()
        return ((f"UBND {place[0].upper()}", False), (body.upper(), True))
    return ((name.upper(), True),)


def org_code(org: str) -> str:
    """The body's abbreviation in document numbers ("KH-UBND"): UBND for a People's Committee,
    SNgV for a Department of Foreign Affairs, else none."""
    name = " ".join(org.split())
    if _UBND.match(name):
        return "UBND"
    if name.lower().startswith("sở ngoại vụ"):
        return "SNgV"
    return ""


def doc_code(kind: str, org: str) -> str:
    code = org_code(org)
    return f"{kind}-{code}" if code else kind


def place_date(place: str, d: dt.date, lang: str) -> str:
    """The place-and-date line: "Bắc Giang, ngày 05 tháng 02 năm 2027".

    Nghị định 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 take a leading zero."""
    if lang == "en":
        text = f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"
    else:
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        text = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]
