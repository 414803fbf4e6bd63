"""Load and validate the rule catalog (the format: docs/CATALOG.md).

Every problem is collected and reported at once, each naming the file, the
event id and the key, and saying what would be right. Unknown keys are errors.
Ad-hoc items from the web page go through :func:`parse_event` too, so they are
validated exactly like catalog entries.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import dateforms
from .config import ID_RE, Config
from .errors import DateFormError, Problem, ValidationError
from .model import EventRule, Lead, Source, TaskRule

EVENT_KEYS = ("id", "title", "date", "country", "tags", "since", "every", "start", "until",
              "description", "task", "title_en", "source", "announced", "alternative")
TASK_KEYS = ("id", "action", "lead", "owner", "support", "when", "tier", "note", "action_en", "optional")
NATIONAL_DAY_TAG = "quoc-khanh"
PLACEHOLDERS = frozenset({"ordinal", "year", "since", "date"})
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_LEAD_RE = re.compile(r"(\d{1,3})(?:-(\d{1,3}))?(wd|d)")


@dataclass(frozen=True)
class Catalog:
    events: tuple[EventRule, ...]
    files: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def event(self, event_id: str) -> EventRule:
        for e in self.events:
            if e.id == event_id:
                return e
        raise KeyError(event_id)

    def with_events(self, extra: Iterable[EventRule]) -> Catalog:
        return Catalog(self.events + tuple(extra), self.files, self.warnings)


def parse_lead(text: Any) -> Lead:
    """``"5-7wd"``, ``"5wd"``, ``"10d"``, ``"3-10d"``; raises ValueError with a hint."""
    if not isinstance(text, str) or not (m := _LEAD_RE.fullmatch(text.strip())):
        raise ValueError(f"{text!r} không hợp lệ; cần \"N-Mwd\" (khoảng ngày làm việc), "
                         "\"Nwd\" (ngày làm việc) hoặc \"Nd\" (ngày lịch), ví dụ \"5-7wd\"")
    near = int(m[1])
    far = int(m[2]) if m[2] is not None else near
    if far < near:
        raise ValueError(f"{text!r}: số đầu phải nhỏ hơn hoặc bằng số sau "
                         f"(hạn {near}, mở {far}); ý bạn là \"{far}-{near}{m[3]}\"?")
    return Lead(near=near, far=far, unit=m[3], text=text.strip())  # type: ignore[arg-type]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("cần ngày, không cần giờ")
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


_ID_LINE_RE = re.compile(r'''^\s*id\s*=\s*(?:"([^"]*)"|'([^']*)')''')


class _IdLines:
    """Where each ``id = "…"`` and ``[[event]]`` sits in one catalog file, found in one pass
    (searching the text again for every event made loading a large catalog quadratic)."""

    def __init__(self, text: str) -> None:
        self.at: dict[str, list[int]] = {}   # id -> its 1-based lines, ascending
        self.headers: list[int] = []         # 1-based lines of [[event]]
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip().startswith("[[event]]"):
                self.headers.append(n)
            m = _ID_LINE_RE.match(line)
            if m:  # "o'x" and 'a"b' are ids too (invalid ones, whose error most needs a line)
                self.at.setdefault(m[1] if m[1] is not None else m[2], []).append(n)

    def event(self, event_id: str) -> int | None:
        """The first line that says ``id = "event_id"``."""
        lines = self.at.get(event_id)
        return lines[0] if lines else None

    def task(self, event_line: int, task_id: str) -> int | None:
        """The line of ``id = "task_id"`` after the event's own line, before the next [[event]]."""
        lines = self.at.get(task_id, [])
        i = bisect.bisect_right(lines, event_line)
        if i == len(lines):
            return None
        found = lines[i]
        h = bisect.bisect_right(self.headers, event_line)
        if h < len(self.headers) and self.headers[h] < found:
            return None
        return found


def _placeholders_ok(s: str) -> str | None:
    bad = [p for p in _PLACEHOLDER_RE.findall(s) if p not in PLACEHOLDERS]
    if bad:
        return (f"chỗ trống không biết: {', '.join('{' + b + '}' for b in bad)}; "
                "dùng được: {ordinal}, {year}, {since}, {date}")
    return None


def parse_event(raw: Any, source: Source, cfg: Config, index: int = 0, adhoc: bool = False,
                task_line: Callable[[str], int | None] | None = None) -> tuple[EventRule | None, list[Problem]]:
    """Validate one ``[[event]]`` table; return the rule (None if unusable) and its problems."""
    f = source.file
    problems: list[Problem] = []

    def err(key: str, msg: str, warning: bool = False) -> None:
        problems.append(Problem(f, where, key, msg, source.line, warning))

    where = f"event #{index + 1}"
    if not isinstance(raw, dict):
        err("", "cần một bảng [[event]]")
        return None, problems
    eid = raw.get("id")
    if isinstance(eid, str) and eid:
        where = f"event {eid}"
    for k in raw:
        if k not in EVENT_KEYS:
            err(k, f"khóa không hợp lệ; các khóa hợp lệ: {', '.join(EVENT_KEYS)}")
    if not isinstance(eid, str) or not ID_RE.match(eid):
        err("id", "cần mã dạng [a-z0-9][a-z0-9-]*, ví dụ \"quoc-khanh-cn\"")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        err("title", "cần tiêu đề (chuỗi không rỗng)")
        title = ""
    elif msg := _placeholders_ok(title):
        err("title", msg)
    title_en = _optional_text(raw, "title_en", err)
    # An English-language config shows the English title where the catalog has one.
    shown_title = title_en if cfg.language == "en" and title_en else title
    reference = _optional_text(raw, "source", err)

    form: dateforms.DateForm | None = None
    if "date" not in raw:
        err("date", f"thiếu ngày; {dateforms.HINT}")
    else:
        try:
            form = dateforms.parse(raw["date"])
        except DateFormError as e:
            err("date", str(e))

    country = raw.get("country")
    if country is not None and (not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country)):
        err("country", f"{country!r}: cần mã nước ISO 3166-1 alpha-2 viết hoa, ví dụ \"CN\"")
        country = None
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and ID_RE.match(t) for t in tags):
        err("tags", "cần danh sách nhãn dạng [a-z0-9][a-z0-9-]*, ví dụ [\"quoc-khanh\"]")
        tags = []
    since = None
    if "since" in raw:
        try:
            since = _as_date(raw["since"])
        except (ValueError, TypeError) as e:
            err("since", f"{raw['since']!r}: cần ngày \"YYYY-MM-DD\" ({e})")
    ints: dict[str, int | None] = {}
    for k in ("every", "start", "until"):
        v = raw.get(k)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
            err(k, f"{v!r}: cần số nguyên dương")
            v = None
        ints[k] = v
    every = ints["every"] or 1
    start, until = ints["start"], ints["until"]
    if start is not None and until is not None and start > until:
        err("until", f"{until} nhỏ hơn start = {start}")
    if every > 1 and start is None and since is None:
        err("every", "every > 1 cần start (năm đầu tiên) để biết đếm từ năm nào")
    if form is not None and form.kind == "once" and (every > 1 or start or until):
        err("date", "ngày cố định YYYY-MM-DD không dùng cùng every/start/until", warning=True)
    if since is not None and form is not None and form.kind == "once" and since.year >= form.year:
        err("since", f"since {since.isoformat()} không trước năm {form.year} của sự kiện: lần kỷ niệm "
            "đầu tiên là một năm sau since (không có \"kỷ niệm 0 năm\")")
    if "{ordinal}" in (title or "") and since is None:
        err("title", "dùng {ordinal} cần khóa since (ngày gốc để đếm số năm)")
    description = raw.get("description", "")
    if not isinstance(description, str):
        err("description", "cần một chuỗi")
        description = ""
    announced = _announced(raw.get("announced"), form, start, until, err) if "announced" in raw else ()
    alternative = raw.get("alternative", False)
    if not isinstance(alternative, bool):
        err("alternative", "cần true hoặc false")
        alternative = False
    if alternative and (country is None or NATIONAL_DAY_TAG not in tags):
        err("alternative", "alternative = true chỉ dùng cho sự kiện Quốc khánh: cần country và nhãn "
            "\"quoc-khanh\" (tỉnh chọn ngày này trong [national_days] của cấu hình)")

    tasks: list[TaskRule] = []
    dropped: list[tuple[str, str]] = []
    traw = raw.get("task", [])
    if not isinstance(traw, list):
        err("task", "cần mảng bảng [[event.task]]")
        traw = []
    seen: set[str] = set()
    for j, t in enumerate(traw):
        tid = t.get("id") if isinstance(t, dict) else None
        line = task_line(tid) if task_line and isinstance(tid, str) else source.line
        task, tprobs = _parse_task(t, f, f"{where}, task #{j + 1}", line, cfg,
                                   since is not None, country)
        problems.extend(tprobs)
        # Duplicates are checked on the raw id, so they are reported even when the
        # task has other problems too.
        if isinstance(tid, str):
            if tid in seen:
                problems.append(Problem(f, f"{where}/{tid}", "id", "mã việc bị trùng trong sự kiện", line))
            seen.add(tid)
        if task is None:
            if isinstance(t, dict) and t.get("optional") is True and isinstance(tid, str) \
                    and not any(not p.warning for p in tprobs):
                dropped.append((tid, str(t.get("owner"))))  # optional, and the province lacks the owner
            continue
        tasks.append(task)
        if "{ordinal}" in task.action and since is None:
            problems.append(Problem(f, f"{where}/{task.id}", "action",
                                    "dùng {ordinal} cần khóa since ở sự kiện", line))

    if any(not p.warning for p in problems) or form is None or not isinstance(eid, str):
        return None, problems
    return EventRule(id=eid, title=shown_title, date=form.text, source=source, country=country,
                     tags=tuple(tags), since=since, every=every, start=start, until=until,
                     description=description, tasks=tuple(tasks), adhoc=adhoc,
                     title_vi=title, title_en=title_en, reference=reference, announced=announced,
                     alternative=alternative, dropped=tuple(dropped), raw=raw), problems


def _announced(value: Any, form: dateforms.DateForm | None, start: int | None, until: int | None,
               err: Callable[[str, str], None]) -> tuple[tuple[int, dt.date], ...]:
    """``announced = { 2024 = 2024-06-15, … }``: the dates a government announced, by rule year."""
    if not isinstance(value, dict) or not value:
        err("announced", "cần một bảng năm → ngày, ví dụ announced = { 2024 = 2024-06-15, 2025 = 2025-06-14 }")
        return ()
    if form is not None and form.kind == "once":
        err("announced", "ngày cố định YYYY-MM-DD không cần announced")
        return ()
    out: list[tuple[int, dt.date]] = []
    for key, day in value.items():
        if not re.fullmatch(r"\d{4}", str(key)):
            err("announced", f"{key!r}: khóa phải là năm, ví dụ 2024 = 2024-06-15")
            continue
        year = int(key)
        try:
            d = _as_date(day)
        except (ValueError, TypeError):
            err("announced", f"{key} = {day!r}: cần ngày \"YYYY-MM-DD\"")
            continue
        # Gregorian rules: the day lies in its year; a lunisolar rule year may end in the next one.
        lunisolar = form is not None and form.kind == "lunar"
        if d.year != year and not (lunisolar and d.year == year + 1):
            err("announced", f"{key} = {d.isoformat()}: ngày không thuộc năm {year}")
            continue
        if (start is not None and year < start) or (until is not None and year > until):
            err("announced", f"{year}: ngoài các năm của sự kiện (start/until)")
            continue
        out.append((year, d))
    return tuple(sorted(out))


def _optional_text(raw: Mapping[str, Any], key: str, err: Callable[[str, str], None]) -> str:
    """An optional one-line text key ("title_en", "source", "action_en"); "" when absent."""
    value = raw.get(key, "")
    if not isinstance(value, str):
        err(key, "cần một chuỗi")
        return ""
    if msg := _placeholders_ok(value):
        err(key, msg)
    return value.strip()


def _parse_task(raw: Any, f: str, where: str, line: int | None, cfg: Config,
                has_since: bool, country: str | None) -> tuple[TaskRule | None, list[Problem]]:
    problems: list[Problem] = []

    def err(key: str, msg: str, warning: bool = False) -> None:
        problems.append(Problem(f, where, key, msg, line, warning))

    if not isinstance(raw, dict):
        err("", "cần một bảng [[event.task]]")
        return None, problems
    tid = raw.get("id")
    if isinstance(tid, str) and tid:
        where = where.split(", task #")[0] + f"/{tid}"
    for k in raw:
        if k not in TASK_KEYS:
            err(k, f"khóa không hợp lệ; các khóa hợp lệ: {', '.join(TASK_KEYS)}")
    if not isinstance(tid, str) or not ID_RE.match(tid):
        err("id", "cần mã dạng [a-z0-9][a-z0-9-]*, ví dụ \"thu-chuc-mung\"")
    action = raw.get("action")
    if not isinstance(action, str) or not action.strip():
        err("action", "cần mô tả việc phải làm")
        action = ""
    elif msg := _placeholders_ok(action):
        err("action", msg)
    action_en = _optional_text(raw, "action_en", err)
    lead = None
    if "lead" not in raw:
        err("lead", "thiếu; cần ví dụ \"5-7wd\"")
    else:
        try:
            lead = parse_lead(raw["lead"])
        except ValueError as e:
            err("lead", str(e))
    known = sorted(cfg.department_ids)
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        err("optional", "cần true hoặc false")
        optional = False
    owner = raw.get("owner")
    if optional and isinstance(owner, str) and ID_RE.match(owner) and owner not in cfg.department_ids:
        return None, problems  # a department this province does not have: the task is not planned
    if not isinstance(owner, str) or owner not in cfg.department_ids:
        err("owner", f"{owner!r} không phải mã đơn vị trong cấu hình; có: {', '.join(known)}")
    support = raw.get("support", [])
    if isinstance(support, str):
        support = [support]
    if not isinstance(support, list):
        err("support", "cần danh sách mã đơn vị")
        support = []
    for s in support:
        if not isinstance(s, str) or s not in cfg.department_ids:  # [{}] is unhashable: not "in"
            err("support", f"{s!r} không phải mã đơn vị trong cấu hình; có: {', '.join(known)}")
    when = raw.get("when")
    if when is not None and when != "milestone":
        err("when", f"{when!r}: chỉ nhận \"milestone\" (năm tròn: số năm chia hết cho 5)")
    if when == "milestone" and not has_since:
        err("when", "\"milestone\" cần khóa since ở sự kiện")
    tier = raw.get("tier")
    if tier is not None:
        if not isinstance(tier, str):
            err("tier", "cần tên hạng trong [partners]")
            tier = None
        elif country is None:
            err("tier", "tier chỉ dùng được khi sự kiện có country")
        elif tier not in cfg.partners:
            err("tier", f"{tier!r} không có trong [partners] của cấu hình "
                f"({', '.join(cfg.partners) or 'trống'}); việc này sẽ không bao giờ được lập",
                warning=True)
    note = raw.get("note", "")
    if not isinstance(note, str):
        err("note", "cần một chuỗi")
        note = ""
    if any(not p.warning for p in problems) or lead is None:
        return None, problems
    assert isinstance(tid, str) and isinstance(owner, str)
    shown_action = action_en if cfg.language == "en" and action_en else action
    # Departments the config marks replaced hand their work to the department that does it now.
    named = [owner, *(s for s in support if isinstance(s, str))]
    replaced = tuple((d, cfg.current_department(d)) for d in dict.fromkeys(named)
                     if cfg.current_department(d) != d)
    owner_now = cfg.current_department(owner)
    support_now = tuple(dict.fromkeys(cfg.current_department(s) for s in named[1:]
                                      if cfg.current_department(s) != owner_now))
    return TaskRule(id=tid, action=shown_action, lead=lead, owner=owner_now, support=support_now,
                    when=when, tier=tier, note=note, optional=optional, replaced=replaced), problems


def _toml_files(root: Path, problems: list[Problem]) -> list[Path]:
    """``*.toml`` under ``root``, sorted; a directory that cannot be read is a problem, never
    skipped in silence (``Path.rglob`` skips it: a catalog copied with a strict umask loaded
    as zero events)."""
    def unreadable(e: OSError) -> None:
        problems.append(Problem(str(e.filename or root), "", "",
                                f"không đọc được thư mục danh mục: {e.strerror or e} "
                                "(cấp quyền đọc cho người dùng của dịch vụ, vd. chmod -R a+rX)"))

    found: list[Path] = []
    for dirpath, _dirs, names in os.walk(root, onerror=unreadable):
        found.extend(Path(dirpath) / n for n in names if n.endswith(".toml"))
    return sorted(found)


def catalog_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        if p.is_dir():
            files.extend(_toml_files(p, problems))
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), "", "", "không tìm thấy thư mục hoặc tệp danh mục "
                                    "([catalog] paths trong cấu hình)"))
    return files, problems


def load_catalog(cfg: Config, paths: Iterable[Path] | None = None, *,
                 sources: Sequence[tuple[Path, bytes]] | None = None) -> Catalog:
    """Read every catalog file; raise ValidationError listing every problem.

    The configured catalog (``paths`` not given) must hold at least one event unless
    ``[catalog] allow_empty`` says so: an empty one is almost always a copy that went wrong,
    and a daemon with no rules would report "ok" and never remind anyone.

    ``sources``: the configured catalog's files and their bytes, already listed and read (the
    compiled-catalog cache hashes exactly what is parsed)."""
    configured = paths is None
    if sources is None:
        files, problems = catalog_files(cfg.catalog_paths if paths is None else paths)
    else:
        files, problems = [p for p, _ in sources], []
    given = dict(sources or ())
    events: list[EventRule] = []
    first_seen: dict[str, Source] = {}
    for path in files:
        fname = str(path)
        try:
            text = path.read_text(encoding="utf-8") if path not in given else text_of(given[path])
            raw = tomllib.loads(text)
        except UnicodeDecodeError:
            problems.append(Problem(fname, "", "", "tệp không phải UTF-8"))
            continue
        except OSError as e:
            problems.append(Problem(fname, "", "", f"không đọc được tệp danh mục: {e.strerror or e} "
                                    "(cấp quyền đọc cho người dùng của dịch vụ)"))
            continue
        except tomllib.TOMLDecodeError as e:
            problems.append(Problem(fname, "", "", f"TOML không hợp lệ: {e}"))
            continue
        for k in raw:
            if k != "event":
                problems.append(Problem(fname, "", k, "khóa không hợp lệ; tệp danh mục chỉ chứa [[event]]"))
        revents = raw.get("event", [])
        if not isinstance(revents, list):
            problems.append(Problem(fname, "", "event", "cần mảng bảng [[event]]"))
            continue
        id_lines = _IdLines(text)
        for i, r in enumerate(revents):
            eid = r.get("id") if isinstance(r, dict) else None
            source = Source(fname, id_lines.event(eid) if isinstance(eid, str) else None)
            ev, probs = parse_event(r, source, cfg, i,
                                    task_line=functools.partial(id_lines.task, source.line or 1))
            problems.extend(probs)
            if isinstance(eid, str):
                if eid in first_seen:
                    problems.append(Problem(fname, f"event {eid}", "id",
                                            f"mã sự kiện bị trùng; đã có ở {first_seen[eid]}",
                                            source.line))
                    continue
                first_seen[eid] = source
            if ev is not None:
                events.append(ev)
    problems.extend(national_day_choice_problems(cfg, events))
    errors = [p for p in problems if not p.warning]
    if configured and not events and not errors and not cfg.get("catalog", "allow_empty"):
        where = ", ".join(str(p) for p in cfg.catalog_paths)
        problems.append(Problem(str(cfg.path), "[catalog]", "paths",
                                f"danh mục trống: không có sự kiện nào trong {where} ({len(files)} tệp .toml); "
                                "nếu đúng là không cần danh mục (chỉ dùng mục bổ sung), đặt "
                                "[catalog] allow_empty = true"))
        raise ValidationError(problems)
    if errors:
        raise ValidationError(problems)
    return Catalog(tuple(events), tuple(str(f) for f in files), tuple(problems))


def text_of(data: bytes) -> str:
    """Bytes as ``Path.read_text`` gives them: UTF-8, universal newlines."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def national_day_choice_problems(cfg: Config, events: Iterable[EventRule]) -> list[Problem]:
    """Each ``[national_days] CC = "id"`` must name a national-day event of country CC."""
    by_id = {e.id: e for e in events}
    out = []
    for code, eid in cfg.national_days.items():
        ev = by_id.get(eid)
        if ev is not None and ev.country == code and NATIONAL_DAY_TAG in ev.tags:
            continue
        choices = sorted(e.id for e in by_id.values() if e.country == code and NATIONAL_DAY_TAG in e.tags)
        why = ("không có sự kiện này trong danh mục" if ev is None
               else f"sự kiện {eid} không phải Quốc khánh của {code} (country và nhãn \"quoc-khanh\")")
        out.append(Problem(str(cfg.path), "[national_days]", code,
                           f"{eid!r}: {why}; chọn một trong: {', '.join(choices) or '(không có)'}"))
    return out


def load_events_from_mapping(raw: Mapping[str, Any], source: Source, cfg: Config,
                             existing_ids: Iterable[str] = ()) -> tuple[EventRule | None, list[Problem]]:
    """Validate one ad-hoc event (web page / API) exactly like a catalog entry."""
    ev, problems = parse_event(dict(raw), source, cfg, adhoc=True)
    if ev is not None and ev.id in set(existing_ids):
        problems.append(Problem(source.file, f"event {ev.id}", "id", "mã sự kiện đã có trong danh mục"))
        return None, problems
    return ev, problems
