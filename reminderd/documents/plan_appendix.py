"""The plan appendix for a year: the occasions of the year and the work for each, in the shape
of the provinces' own appendices (Phụ lục 01 "Ngày Quốc khánh các nước": STT, nước, ngày; the
task tables: nội dung, cơ quan chủ trì, cơ quan phối hợp, thời gian thực hiện).

A year's appendix holds every occasion dated in that year with each of its tasks, so the
work for 1 January opens in the December before. Pure: the plan comes in, an OfficeDoc goes out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..countries import country_name
from ..model import EventRule, PlannedTask
from ..plan import plan_task, task_applies
from ..runtime import Runtime
from .model import Column, OfficeDoc, Run, Section, Table, Value
from .text import tr
from .words import dmy, doc_code, form_words, lead_words, place_of

GROUPS = ("national", "tet", "anniversary", "events", "reports")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def group_of(event: EventRule) -> str:
    """Which table an occasion goes in, by its tags (as the seeds group them)."""
    tags = set(event.tags)
    if "quoc-khanh" in tags:
        return "national"
    if any(t == "tet" or t.startswith("tet-") for t in tags):
        return "tet"
    if any(t.startswith("ky-niem") for t in tags):
        return "anniversary"
    if any(t.startswith(("bao-cao", "ke-hoach")) for t in tags):
        return "reports"
    return "events"


def year_tasks(rt: Runtime, year: int, department: str | None = None) -> list[PlannedTask]:
    """Every task of every occasion dated in ``year`` (the department's own, if given: those it
    leads or coordinates), by occasion date, then in the catalog's order of tasks."""
    plan = rt.plan(dt.date(year, 1, 1), dt.date(year, 12, 31))
    out: list[PlannedTask] = []
    for occ in plan.occurrences:
        if occ.date.year != year:
            continue
        for rule in occ.event.tasks:
            if not task_applies(rule, occ, rt.config):
                continue
            if department is not None and rule.owner != department and department not in rule.support:
                continue
            out.append(plan_task(rule, occ, rt.workdays))
    out.sort(key=lambda t: (t.occurrence.date, t.event.id))  # stable: tasks keep the catalog's order
    return out


@dataclass(frozen=True)
class _Ctx:
    rt: Runtime
    lang: str

    def dep(self, dep_id: str) -> str:
        return self.rt.config.department_name(dep_id, self.lang)


_NATIONAL_SUFFIX = re.compile(r"^(.*\S)\s*\((?:Quốc khánh|National Day)[^()]*\)$")


def _national_name(title: str) -> str:
    """What a national day is called when it is not plainly "Quốc khánh X": "Ngày sinh Nhà vua
    Nhật Bản (Quốc khánh Nhật Bản)" → "Ngày sinh Nhà vua Nhật Bản" (as Phụ lục 01 writes it)."""
    m = _NATIONAL_SUFFIX.match(title)
    if m:
        return m[1]
    if title.startswith(("Quốc khánh", "National Day")):
        return ""
    return title


def _when(t: PlannedTask, lang: str) -> tuple[Run, ...]:
    days = dmy(t.due) if t.window_start == t.due else f"{dmy(t.window_start)} – {dmy(t.due)}"
    return ((days, ""), ("\n" + lead_words(t.rule.lead, lang), "i"))


def _row(c: _Ctx, n: int, t: PlannedTask, group: str) -> dict[str, Value]:
    occ, lang = t.occurrence, c.lang
    row: dict[str, Value] = {
        "stt": n,
        "event": occ.title,
        "date": occ.date,
        "content": t.action,
        "form": form_words(t.action, lang),
        "when": _when(t, lang),
        "from": t.window_start,
        "due": t.due,
        "rule": lead_words(t.rule.lead, lang),
        "owner": c.dep(t.owner),
        "support": ", ".join(c.dep(s) for s in t.support),
        "note": tr(lang, "provisional") if t.provisional else "",
        "event_id": t.event.id,
        "task_id": t.rule.id,
    }
    if group == "national":
        code = occ.event.country
        row["event"] = country_name(code, lang) if code else occ.title
        name = _national_name(occ.title)
        row["date_text"] = ((dmy(occ.date), ""), (f"\n({name})", "i")) if name else dmy(occ.date)
        row["anniversary"] = name
        return row
    # The other tables head each occasion's tasks with a row of its own: name, date, and for
    # an anniversary its number of years ("Kỷ niệm 72 năm") unless the name already says so.
    heading = f"{occ.title} — {dmy(occ.date)}"
    if occ.ordinal is not None and group == "anniversary":
        words = tr(lang, "ordinal", n=occ.ordinal)
        row["anniversary"] = words
        if words.lower() not in occ.title.lower():
            heading += f" ({words})"
    row["_group"] = ((heading, "b"),)
    row["_group_key"] = occ.key
    return row


def _columns(lang: str, group: str) -> tuple[Column, ...]:
    def col(key: str, title_key: str, width: float, **kw: object) -> Column:
        return Column(key, tr(lang, title_key), width, **kw)  # type: ignore[arg-type]

    national = group == "national"
    if national:
        first: tuple[Column, ...] = (
            col("event", "col.country", 3.2), col("date_text", "col.national_day", 3.6, show="docx"),
            col("date", "col.date", 2.6, show="xlsx"),
            col("anniversary", "col.event", 4.0, show="xlsx", optional=True))
    else:
        first = (col("event", "col.event", 5.0, show="xlsx"), col("date", "col.date", 2.6, show="xlsx"),
                 col("anniversary", "col.anniversary", 3.0, show="xlsx", optional=True),
                 col("content", "col.content", 9.0))
    return (
        col("stt", "col.stt", 1.3, align="center"), *first,
        col("form", "col.form", 2.2, optional=True),
        col("when", "col.when", 4.4, show="docx"),
        col("from", "col.from", 2.6, show="xlsx"),
        col("due", "col.due", 2.6, show="xlsx"),
        col("rule", "col.rule", 4.0, show="xlsx"),
        col("owner", "col.owner", 3.0),
        col("support", "col.support", 3.2, optional=True),
        col("note", "col.note", 2.2, optional=True),
        col("event_id", "col.event_id", 5.0, show="xlsx"),
        col("task_id", "col.task_id", 4.0, show="xlsx"),
    )


def build(rt: Runtime, year: int, *, department: str | None = None, today: dt.date,
          lang: str | None = None) -> OfficeDoc:
    """The appendix for ``year`` (one department's part, if given), dated ``today``."""
    cfg = rt.config
    lang = lang or cfg.language
    c = _Ctx(rt, lang)
    tasks = year_tasks(rt, year, department)
    by_group: dict[str, list[PlannedTask]] = {g: [] for g in GROUPS}
    for t in tasks:
        by_group[group_of(t.event)].append(t)
    sections: list[Section] = []
    for group in GROUPS:
        rows = by_group[group]
        if not rows:
            continue
        table = Table(_columns(lang, group), tuple(_row(c, i, t, group) for i, t in enumerate(rows, 1)),
                      grouped=group != "national")
        sections.append(Section(f"{ROMAN[len(sections)]}. {tr(lang, 'group.' + group)}",
                                tr(lang, "sheet." + group), table))
    paragraphs = [tr(lang, "plan.scope", year=year, prev=year - 1)]
    provisional = sorted({t.occurrence.date.year for t in tasks if t.provisional})
    if provisional:
        paragraphs.append(tr(lang, "plan.provisional", years=_years(provisional),
                             through=cfg.get("workdays", "confirmed_through")))
    if not tasks:
        paragraphs.append(tr(lang, "plan.none", year=year))
    subtitle = [tr(lang, "plan.attached", number=doc_code("KH", cfg.org_name), year=year, org=cfg.org_name)]
    if department is not None:
        subtitle.append(tr(lang, "plan.department", name=c.dep(department)))
    name = tr(lang, "file.plan", year=year) + (f" - {c.dep(department)}" if department else "")
    return OfficeDoc(
        lang=lang, org=cfg.org_name, place=place_of(cfg.org_name), date=today, number=None,
        kind=tr(lang, "plan.kind"), title=tr(lang, "plan.title", year=year), subtitle=tuple(subtitle),
        paragraphs=tuple(paragraphs), sections=tuple(sections), filename=name, appendix=True,
        landscape=True)


def _years(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in years)

