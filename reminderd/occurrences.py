"""Expand an event rule into its occurrences: at most one date per rule year."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator

from . import dateforms
from .model import EventRule, Occurrence, new_occurrence

_PLACEHOLDER_RE = re.compile(r"\{(ordinal|year|since|date)\}")


def vn_date(d: dt.date) -> str:
    """22/3/2024 — how the seeds write dates."""
    return f"{d.day}/{d.month}/{d.year}"


def fill(template: str, *, ordinal: int | None, year: int, since: dt.date | None,
         date: dt.date) -> str:
    """Fill only the known placeholders; any other brace text is left as written."""
    pieces = _pieces(template)
    if pieces is None:
        return template
    out = []
    for i, piece in enumerate(pieces):
        if not i % 2:
            out.append(piece)
        elif piece == "year":
            out.append(str(year))
        elif piece == "ordinal":
            out.append(str(ordinal) if ordinal is not None else "")
        elif piece == "date":
            out.append(vn_date(date))
        else:
            out.append(vn_date(since) if since else "")
    return "".join(out)


# A template split once at its placeholders: (text, name, text, name, …, text); None when it has
# none. A dict rather than an lru_cache: a 50,000-event catalog has that many distinct titles.
_PIECES: dict[str, tuple[str, ...] | None] = {}


def has_placeholders(template: str) -> bool:
    """Whether ``fill`` would change ``template``."""
    return _pieces(template) is not None


def _pieces(template: str) -> tuple[str, ...] | None:
    try:
        return _PIECES[template]
    except KeyError:
        pass
    parts = _PLACEHOLDER_RE.split(template)
    if len(_PIECES) > 200_000:  # templates of catalogs long replaced by a reload
        _PIECES.clear()
    got = _PIECES[template] = tuple(parts) if len(parts) > 1 else None
    return got


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


def occurrence_in_year(event: EventRule, year: int, within: tuple[dt.date, dt.date] | None = None
                       ) -> Occurrence | None:
    """The event's occurrence in rule year ``year``, or None; with ``within`` (first, last), None
    also when its date falls outside [first, last] (the planner's case: nothing is built for it)."""
    if event.start is not None and year < event.start:
        return None
    if event.until is not None and year > event.until:
        return None
    if event.every > 1:  # the test rule_years makes, for one year
        base = event.start if event.start is not None else (event.since.year if event.since else year)
        if (year - base) % event.every:
            return None
    ordinal = None
    if event.since is not None:
        ordinal = year - event.since.year
        if ordinal < 1:
            # Before the thing commemorated existed, or the day itself: the first anniversary
            # is one year after (no "Kỷ niệm 0 năm").
            return None
    provisional = False
    d = event.announced_in(year) if event.announced else None
    if d is None:
        d = dateforms.date_in(_form(event.date), year)
        if d is None:
            return None
        # The rule stands in for a day the government has not announced (yet).
        provisional = bool(event.announced)
    if within is not None and not within[0] <= d <= within[1]:
        return None
    title = event.title
    if has_placeholders(title):
        title = fill(title, ordinal=ordinal, year=year, since=event.since, date=d)
    return new_occurrence(event, d, year, ordinal, ordinal is not None and ordinal % 5 == 0, title, provisional)


def how(event: EventRule, year: int) -> tuple[str, str]:
    """How the event's date in rule year ``year`` is found, one line in Vietnamese and in English
    (``explain``, the feeds' descriptions). Asked for by ``Occurrence.how`` when first read."""
    announced = event.announced_in(year) if event.announced else None
    if announced is not None:
        return (f"ngày công bố cho năm {year}: {vn_date(announced)}",
                f"announced for {year}: {announced.isoformat()}")
    res = dateforms.resolve(_form(event.date), year)
    if res is None:
        return "", ""
    if event.announced:
        # The rule stands in for a day the government has not announced (yet): say so.
        last = max(y for y, _ in event.announced)
        return (f"chưa có ngày công bố cho năm {year} (năm công bố gần nhất: {last}); theo quy tắc: "
                f"{res.how} — tạm tính",
                f"no announced date for {year} (latest announced: {last}); by the rule: "
                f"{res.how_en or res.how} — provisional")
    return res.how, res.how_en


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
