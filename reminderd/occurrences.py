"""Expand an event rule into its occurrences: at most one date per rule year."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator

from . import dateforms
from .model import EventRule, Occurrence

_PLACEHOLDER_RE = re.compile(r"\{(ordinal|year|since|date)\}")


def vn_date(d: dt.date) -> str:
    """22/3/2024 — how the seeds write dates."""
    return f"{d.day}/{d.month}/{d.year}"


def fill(template: str, *, ordinal: int | None, year: int, since: dt.date | None,
         date: dt.date) -> str:
    """Fill only the known placeholders; any other brace text is left as written."""
    values = {
        "ordinal": str(ordinal) if ordinal is not None else "",
        "year": str(year),
        "since": vn_date(since) if since else "",
        "date": vn_date(date),
    }
    return _PLACEHOLDER_RE.sub(lambda m: values[m[1]], template)


@functools.lru_cache(maxsize=8192)
def _form(text: str) -> dateforms.DateForm:
    return dateforms.parse(text)


def rule_years(event: EventRule, first: int, last: int) -> Iterator[int]:
    """The rule years in [first, last] in which the event can occur."""
    lo = max(first, event.start or first)
    hi = min(last, event.until or last)
    form = _form(event.date)
    if form.kind == "once":
        # A fixed date occurs in its own year only.
        lo, hi = max(lo, form.year), min(hi, form.year)
    base = event.start if event.start is not None else (event.since.year if event.since else lo)
    for y in range(lo, hi + 1):
        if event.every > 1 and (y - base) % event.every:
            continue
        yield y


def occurrence_in_year(event: EventRule, year: int) -> Occurrence | None:
    if event.start is not None and year < event.start:
        return None
    if event.until is not None and year > event.until:
        return None
    if not any(True for _ in rule_years(event, year, year)):
        return None
    provisional = False
    announced = event.announced_in(year) if event.announced else None
    if announced is not None:
        res: dateforms.Resolved | None = dateforms.Resolved(
            announced, f"ngày công bố cho năm {year}: {vn_date(announced)}",
            f"announced for {year}: {announced.isoformat()}")
    else:
        res = dateforms.resolve(_form(event.date), year)
        if res is not None and event.announced:
            # The rule stands in for a day the government has not announced (yet): say so.
            provisional = True
            last = max(y for y, _ in event.announced)
            res = dateforms.Resolved(
                res.date,
                f"chưa có ngày công bố cho năm {year} (năm công bố gần nhất: {last}); theo quy tắc: "
                f"{res.how} — tạm tính",
                f"no announced date for {year} (latest announced: {last}); by the rule: "
                f"{res.how_en or res.how} — provisional")
    if res is None:
        return None
    ordinal = None
    if event.since is not None:
        ordinal = year - event.since.year
        if ordinal < 1:
            # Before the thing commemorated existed, or the day itself: the first anniversary
            # is one year after (no "Kỷ niệm 0 năm").
            return None
    milestone = bool(ordinal) and ordinal % 5 == 0  # type: ignore[operator]
    title = fill(event.title, ordinal=ordinal, year=year, since=event.since, date=res.date)
    return Occurrence(event=event, date=res.date, year=year, ordinal=ordinal,
                      milestone=milestone, title=title, how=res.how, how_en=res.how_en,
                      provisional=provisional)


def occurrences(event: EventRule, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Occurrences whose date falls in [start, end], sorted by date.

    Lunisolar rule years can spill into the next Gregorian year, so one year
    either side is examined.
    """
    out = []
    for y in rule_years(event, start.year - 1, end.year + 1):
        occ = occurrence_in_year(event, y)
        if occ is not None and start <= occ.date <= end:
            out.append(occ)
    return out
