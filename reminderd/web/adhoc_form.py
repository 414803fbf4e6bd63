"""The ad-hoc form in a clerk's words, translated to and from the catalog's format.

A clerk types ``24/12/2026``, ticks "Ngày âm lịch" and picks day and month, types
``Nhật Bản``, ``3-5 ngày làm việc`` or ``10 ngày``, ticks departments. This module turns
that into the catalog-shaped dict the catalog's own validator checks (``"2026-12-24"``,
``"lunar:08-15"``, ``"JP"``, ``"3-5wd"``, ``"10d"``) — the catalog format itself does not
change — and an item back into the form's words for editing. Every problem it finds is a
plain sentence for the field it belongs to (``"Chọn đơn vị chủ trì."``), never a raw id.
Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..countries import EN, OFFICIAL_EN, OFFICIAL_VI, VI
from ..lunar import MAX_YEAR, MIN_YEAR

# The keys the form controls; anything else an item carries (made through the API or the
# CLI: ``since``, ``every``, a task's ``tier`` …) is kept as it was when the form saves it.
EVENT_FIELDS = ("id", "title", "date", "country", "tags", "description", "task")
TASK_FIELDS = ("id", "action", "lead", "owner", "support")
MIN_TASK_ROWS = 3


class FormError(ValueError):
    """A field's value the form cannot translate; ``key`` names the sentence in strings.PAGE."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


def fold(text: str) -> str:
    """Lower case without Vietnamese marks, one space between words: "Nhật  Bản" → "nhat ban"."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()


# ---- dates -----------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*,?\s*nam\s*(\d{2,4}))?")
_DM = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})")
# What the catalog writes and the form cannot show as day/month/year (``holiday:NL:King's Day``,
# ``rrule:…``, ``chinese:01-01`` made through the API or the CLI): passed to the catalog's
# validator unchanged. Never "12-03": typed by a clerk that is the 12th of March, not December 3.
_CATALOG_FORM = re.compile(r"[a-z]+:.+", re.S)


def _real_date(y: int, m: int, d: int, text: str) -> dt.date:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise FormError("fe.date.range")
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise FormError("fe.date.none", text=text.strip()) from None


def parse_date(text: str) -> dt.date:
    """``24/12/2026``, ``24-12-2026``, ``24.12.2026``, ``2026-12-24`` (a date picker's value),
    ``ngày 24 tháng 12 năm 2026`` → the date. Day first, always, as Vietnamese write it."""
    s = fold(text)
    if m := _ISO.fullmatch(s):
        return _real_date(int(m[1]), int(m[2]), int(m[3]), text)
    m = _DMY.fullmatch(s) or _WORDS.fullmatch(s)
    if m is None or m[3] is None:
        raise FormError("fe.date")
    if len(m[3]) != 4:
        raise FormError("fe.date")  # "24/12/26": which century is not ours to guess
    return _real_date(int(m[3]), int(m[2]), int(m[1]), text)


def parse_day_month(text: str) -> tuple[int, int]:
    """``24/12`` (or a full date, whose year is then not used) → (day, month), for "every year"."""
    s = fold(text)
    if m := _ISO.fullmatch(s):
        d, mo = int(m[3]), int(m[2])
    elif (m := _DMY.fullmatch(s) or _WORDS.fullmatch(s) or _DM.fullmatch(s)) is not None:
        d, mo = int(m[1]), int(m[2])
    else:
        raise FormError("fe.date.yearly")
    try:
        dt.date(2024, mo, d)  # a leap year: 29/02 is a yearly date (the catalog moves it in common years)
    except ValueError:
        raise FormError("fe.date.none", text=text.strip()) from None
    return d, mo


def date_form(text: str, *, yearly: bool = False, lunar: bool = False, lunar_day: str = "",
              lunar_month: str = "", lunar_leap: bool = False) -> str:
    """The catalog's date form for what the form holds."""
    if lunar:
        try:
            d, m = int(lunar_day), int(lunar_month)
        except ValueError:
            raise FormError("fe.lunar") from None
        if not (1 <= d <= 30 and 1 <= m <= 12):
            raise FormError("fe.lunar")
        return f"lunar:{m:02d}{'L' if lunar_leap else ''}-{d:02d}"
    if not text.strip():
        raise FormError("fe.date")
    if _CATALOG_FORM.fullmatch(text.strip()):
        return text.strip()
    if yearly:
        d, m = parse_day_month(text)
        return f"{m:02d}-{d:02d}"
    return parse_date(text).isoformat()


# ---- leads -----------------------------------------------------------------------------------

_LEAD = re.compile(
    r"(?:truoc\s*)?(?:tu\s*)?(\d{1,4})(?:\s*(?:-|den|toi|to)\s*(\d{1,4}))?\s*"
    r"(wd|ngay lam viec|ngay lv|working days?|work days?|business days?|"
    r"d|ngay lich|ngay|days?|calendar days?|tuan|weeks?)(?:\s*truoc(?: ngay su kien)?|\s*before)?")
_WORKING = {"wd", "ngay lam viec", "ngay lv", "working day", "working days", "work day", "work days",
            "business day", "business days"}
_WEEKS = {"tuan", "week", "weeks"}
MAX_LEAD = 999  # the catalog's leads have at most three digits


def parse_lead(text: str) -> str:
    """``3-5 ngày làm việc`` → ``3-5wd``; ``10 ngày`` → ``10d``; ``3-5wd`` stays; ``2 tuần`` →
    ``14d``. A range may be written either way round (``5-3`` is ``3-5``): it is a range."""
    s = fold(text).replace("–", "-").replace("—", "-").replace("−", "-")
    m = _LEAD.fullmatch(s)
    if m is None:
        raise FormError("fe.lead")
    a = int(m[1])
    b = int(m[2]) if m[2] is not None else a
    unit = m[3]
    if unit in _WEEKS:
        a, b, suffix = a * 7, b * 7, "d"
    else:
        suffix = "wd" if unit in _WORKING else "d"
    near, far = min(a, b), max(a, b)
    if far > MAX_LEAD:
        raise FormError("fe.lead.zero")
    return f"{near}{suffix}" if near == far else f"{near}-{far}{suffix}"


def lead_words(lead: str, lang: str = "vi") -> str:
    """``3-5wd`` → ``3-5 ngày làm việc``: a catalog lead as the form shows it."""
    m = re.fullmatch(r"(\d+)(?:-(\d+))?(wd|d)", lead.strip())
    if m is None:
        return lead
    span = m[1] if m[2] is None else f"{m[1]}-{m[2]}"
    if lang == "en":
        return f"{span} {'working days' if m[3] == 'wd' else 'days'}"
    return f"{span} {'ngày làm việc' if m[3] == 'wd' else 'ngày'}"


def date_words(date: str, lang: str = "vi") -> str:
    """A catalog date form as people read it: ``24/12/2026``, ``hằng năm 24/12``,
    ``âm lịch 15/8 hằng năm``; other forms as they are."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date):
        return f"{m[3]}/{m[2]}/{m[1]}"
    if m := re.fullmatch(r"(\d{2})-(\d{2})", date):
        return f"every year on {m[2]}/{m[1]}" if lang == "en" else f"hằng năm ngày {m[2]}/{m[1]}"
    if m := re.fullmatch(r"lunar:(\d{2})(L?)-(\d{2})", date):
        leap = (" (leap)" if lang == "en" else " nhuận") if m[2] else ""
        if lang == "en":
            return f"lunar {int(m[3])}/{int(m[1])}{leap}, every year"
        return f"âm lịch ngày {int(m[3])} tháng {int(m[1])}{leap}, hằng năm"
    return date


# ---- countries -------------------------------------------------------------------------------

def _exact(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def _country_index(key: Callable[[str], str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for table in (OFFICIAL_EN, OFFICIAL_VI, EN, VI):  # short names last: they win a clash
        for code, name in table.items():
            out[key(name)] = code
            out[key(name).replace("-", " ")] = code
    return out


_COUNTRIES_EXACT = _country_index(_exact)
_COUNTRIES = _country_index(fold)


def country_code(text: str) -> str | None:
    """``Nhật Bản``, ``nhat ban``, ``Japan``, ``jp`` → ``JP``; empty → None. A name as written
    first ("Áo" is Austria), then a two-letter code ("ao" is Angola), then a name without marks."""
    s = fold(text)
    if not s:
        return None
    if code := _COUNTRIES_EXACT.get(_exact(text)):
        return code
    if re.fullmatch(r"[A-Za-z]{2}", text.strip()) and s.upper() in VI:
        return s.upper()
    code = _COUNTRIES.get(s) or _COUNTRIES.get(s.replace("-", " "))
    if code is None:
        raise FormError("fe.country", text=text.strip())
    return code


def country_choices(lang: str) -> list[str]:
    """The names the country field suggests, in dictionary order."""
    table = EN if lang == "en" else VI
    return sorted(table.values(), key=fold)


# ---- the form --------------------------------------------------------------------------------

@dataclass
class TaskFields:
    id: str = ""
    action: str = ""
    lead: str = ""
    owner: str = ""
    support: list[str] = field(default_factory=list)

    @property
    def used(self) -> bool:
        return bool(self.action.strip() or self.lead.strip())


@dataclass
class AdhocForm:
    """What the form holds, as strings the clerk typed (re-shown as typed after an error)."""

    title: str = ""
    date: str = ""
    yearly: bool = False
    lunar: bool = False
    lunar_day: str = ""
    lunar_month: str = ""
    lunar_leap: bool = False
    country: str = ""
    tags: list[str] = field(default_factory=list)
    description: str = ""
    id: str = ""
    tasks: list[TaskFields] = field(default_factory=list)

    def padded(self, rows: int = MIN_TASK_ROWS) -> list[TaskFields]:
        """The task rows to draw: the filled ones, then empty ones up to ``rows``."""
        return self.tasks + [TaskFields() for _ in range(max(0, rows - len(self.tasks)))]

    @classmethod
    def from_post(cls, get: Callable[[str], str], getlist: Callable[[str], list[str]]) -> AdhocForm:
        f = cls(title=get("title"), date=get("date") or _picked(get("date_pick")), yearly=bool(get("yearly")),
                lunar=bool(get("lunar")), lunar_day=get("lunar_day"), lunar_month=get("lunar_month"),
                lunar_leap=bool(get("lunar_leap")), country=get("country"), tags=getlist("tags"),
                description=get("description"), id=get("id"))
        for i in range(1, int(get("ntasks") or MIN_TASK_ROWS) + 1):
            f.tasks.append(TaskFields(get(f"task{i}_id"), get(f"task{i}_action"), get(f"task{i}_lead"),
                                      get(f"task{i}_owner"), getlist(f"task{i}_support")))
        return f

    @classmethod
    def from_item(cls, data: Mapping[str, Any], lang: str = "vi") -> AdhocForm:
        """A stored item in the form's words: ``2026-12-24`` → ``24/12/2026``, ``lunar:08-15``
        → the lunar boxes, ``JP`` → ``Nhật Bản``, ``3-5wd`` → ``3-5 ngày làm việc``."""
        from ..countries import country_name

        f = cls(title=str(data.get("title", "")), description=str(data.get("description", "")),
                id=str(data.get("id", "")), tags=[str(t) for t in data.get("tags", [])])
        date = str(data.get("date", ""))
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date):
            f.date = f"{m[3]}/{m[2]}/{m[1]}"
        elif m := re.fullmatch(r"(\d{2})-(\d{2})", date):
            f.date, f.yearly = f"{m[2]}/{m[1]}", True
        elif m := re.fullmatch(r"lunar:(\d{2})(L?)-(\d{2})", date):
            f.lunar, f.lunar_month, f.lunar_day, f.lunar_leap = True, str(int(m[1])), str(int(m[3])), bool(m[2])
        else:
            f.date = date  # another catalog form: shown and saved as it is
        if code := data.get("country"):
            f.country = country_name(str(code), lang)
        for t in data.get("task", []):
            f.tasks.append(TaskFields(str(t.get("id", "")), str(t.get("action", "")),
                                      lead_words(str(t.get("lead", "")), lang), str(t.get("owner", "")),
                                      [str(s) for s in t.get("support", [])]))
        return f

    def to_raw(self, departments: Iterable[str], slug: Callable[[str], str],
               old: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, FormError]]:
        """The catalog-shaped dict, and the form's own problems by field (``title``, ``date``,
        ``task2.lead`` …). ``old`` is the stored item being edited: what the form does not
        show is kept from it."""
        errors: dict[str, FormError] = {}
        raw: dict[str, Any] = {k: v for k, v in (old or {}).items() if k not in EVENT_FIELDS}
        title = self.title.strip()
        if title:
            raw["title"] = title
        else:
            errors["title"] = FormError("fe.title")
        date = ""
        try:
            date = date_form(self.date, yearly=self.yearly, lunar=self.lunar, lunar_day=self.lunar_day,
                             lunar_month=self.lunar_month, lunar_leap=self.lunar_leap)
            raw["date"] = date
        except FormError as e:
            errors["lunar" if self.lunar else "date"] = e
        raw["id"] = (old or {}).get("id") or self.id.strip() or slug(f"{title} {date}")
        try:
            if code := country_code(self.country):
                raw["country"] = code
        except FormError as e:
            errors["country"] = e
        if tags := [t for t in dict.fromkeys(self.tags) if t]:
            raw["tags"] = tags
        if desc := self.description.strip():
            raw["description"] = desc
        known = set(departments)
        old_tasks = {str(t.get("id")): t for t in (old or {}).get("task", []) if isinstance(t, Mapping)}
        tasks: list[dict[str, Any]] = []
        taken = {t.id.strip() for t in self.tasks if t.used and t.id.strip()}
        for i, tf in enumerate(self.tasks, 1):
            if not tf.used:
                continue
            tid = tf.id.strip() or _free_id(f"viec-{i}", taken)
            taken.add(tid)
            task: dict[str, Any] = {k: v for k, v in old_tasks.get(tid, {}).items() if k not in TASK_FIELDS}
            task.update(id=tid, action=tf.action.strip())
            if not task["action"]:
                errors[f"task{i}.action"] = FormError("fe.action")
            try:
                task["lead"] = parse_lead(tf.lead)
            except FormError as e:
                errors[f"task{i}.lead"] = e
            if tf.owner in known:
                task["owner"] = tf.owner
            else:
                errors[f"task{i}.owner"] = FormError("fe.owner")
            support = [s for s in dict.fromkeys(tf.support) if s in known and s != tf.owner]
            if support:
                task["support"] = support
            tasks.append(task)
        if tasks:
            raw["task"] = tasks
        return raw, errors


def _picked(iso: str) -> str:
    """A date picker's ``2026-12-24`` as the clerk would have typed it: ``24/12/2026``."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    return f"{m[3]}/{m[2]}/{m[1]}" if m else ""


def _free_id(want: str, taken: set[str]) -> str:
    n, tid = 2, want
    while tid in taken:
        tid, n = f"{want}-{n}", n + 1
    return tid


def form_problems(problems: Sequence[Any], tasks: Sequence[TaskFields]) -> tuple[dict[str, list[str]], list[str]]:
    """The catalog validator's problems by form field (``title``, ``task2.lead`` …), and the
    ones that belong to no field. A task is named by its id (``event x/viec-2``) or, when its
    id is bad, by its position among the filled-in rows (``task #1``)."""
    filled = [i for i, tf in enumerate(tasks, 1) if tf.used]
    ids = {(tf.id.strip() or f"viec-{i}"): i for i, tf in enumerate(tasks, 1)}
    fields: dict[str, list[str]] = {}
    other: list[str] = []
    for p in problems:
        row = None
        if m := re.search(r"task #(\d+)", p.where):
            n = int(m[1])
            row = filled[n - 1] if 0 < n <= len(filled) else None
        elif "/" in p.where:
            row = ids.get(p.where.rsplit("/", 1)[1])
        if row is not None and p.key in TASK_FIELDS:
            fields.setdefault(f"task{row}.{p.key}", []).append(p.message)
        elif row is None and p.key in EVENT_FIELDS and p.key != "task":
            fields.setdefault(p.key, []).append(p.message)
        else:
            other.append(p.message)
    return fields, other
