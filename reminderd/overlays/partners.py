"""Partners from the page: a country moved to another ``[partners]`` tier, or out.

One row per country in ``catalog_partners``: its tier, or NULL for "not a partner".
:func:`apply` lays the rows over the config's ``[partners]``; setting a country back
to what the config file says removes its row (nothing is stored that changes nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .. import audit, countries
from ..catalog import Catalog
from ..config import Config
from ..errors import Problem
from ..store import schema

SOURCE = "catalog_partners"
T = schema.catalog_partners


@dataclass(frozen=True)
class PartnerRow:
    """A stored change: ``country`` is in ``tier`` (None: not a partner)."""

    country: str
    tier: str | None
    changed_by: str
    changed_at: dt.datetime


@dataclass(frozen=True)
class PartnerChange:
    """How one stored row changed the config's tiers (for the page, ``check`` and export)."""

    country: str
    file_tier: str | None  # what the config file says
    tier: str | None  # what applies now
    changed_by: str
    changed_at: dt.datetime
    problem: Problem | None = None  # set: the row is not applied (or is redundant, warning)


def read(conn: Connection) -> list[PartnerRow]:
    rows = conn.execute(select(T).order_by(T.c.country)).all()
    return [PartnerRow(r.country, r.tier, r.changed_by, r.changed_at) for r in rows]


def known_tiers(cfg: Config, catalog: Catalog) -> list[str]:
    """The tiers an editor may choose: the config's, in its order, then those catalog tasks name."""
    out = list(cfg.partners)
    for ev in catalog.events:
        for task in ev.tasks:
            if task.tier and task.tier not in out:
                out.append(task.tier)
    return out


def tier_in(partners: Mapping[str, Sequence[str]], country: str) -> str | None:
    for tier, codes in partners.items():
        if country in codes:
            return tier
    return None


def apply(cfg: Config, catalog: Catalog, rows: Iterable[PartnerRow]) -> tuple[Config, list[PartnerChange]]:
    """The config with the stored rows laid over its ``[partners]``, and what each row did."""
    tiers = known_tiers(cfg, catalog)
    partners: dict[str, list[str]] = {t: list(codes) for t, codes in cfg.partners.items()}
    changes: list[PartnerChange] = []
    for row in rows:
        file_tier = tier_in(cfg.partners, row.country)
        problem = None
        if row.tier is not None and row.tier not in tiers:
            problem = Problem(SOURCE, f"country {row.country}", "tier",
                              f"{row.tier!r} không còn là hạng nào trong [partners] của cấu hình hay trong "
                              f"danh mục ({', '.join(tiers) or 'trống'}) — thay đổi đã lưu chưa được áp dụng")
        elif row.tier == file_tier:
            problem = Problem(SOURCE, f"country {row.country}", "tier",
                              "tệp cấu hình nay đã ghi đúng như thay đổi đã lưu; có thể bỏ thay đổi này",
                              warning=True)
        if problem is None or problem.warning:
            for codes in partners.values():
                if row.country in codes:
                    codes.remove(row.country)
            if row.tier is not None:
                partners.setdefault(row.tier, []).append(row.country)
        changes.append(PartnerChange(row.country, file_tier, row.tier if problem is None or problem.warning
                                     else file_tier, row.changed_by, row.changed_at, problem))
    if not changes:
        return cfg, []
    return replace(cfg, partners={t: tuple(codes) for t, codes in partners.items() if codes or t in cfg.partners}), \
        changes


def check_change(country: str, tier: str | None, tiers: Sequence[str]) -> list[Problem]:
    """What is wrong with "put ``country`` in ``tier``" (empty: nothing)."""
    problems = []
    if country not in countries.VI or country == "VN":
        problems.append(Problem(SOURCE, f"country {country}", "country",
                                f"{country!r}: không phải mã nước ISO 3166-1 alpha-2 đã biết "
                                "(viết hoa, ví dụ \"JP\", \"LA\", \"KR\")"))
    if tier is not None and tier not in tiers:
        problems.append(Problem(SOURCE, f"country {country}", "tier",
                                f"{tier!r} không phải hạng nào; có: {', '.join(tiers)}"))
    return problems


def write(conn: Connection, *, country: str, tier: str | None, file_tier: str | None, before: str | None,
          by: str, via: str, now: dt.datetime) -> bool:
    """Store "``country`` is in ``tier``" (or remove the row when that is what the file says);
    audited in the same transaction. False when nothing changes."""
    if tier == before:
        return False
    conn.execute(T.delete().where(T.c.country == country))
    if tier != file_tier:
        conn.execute(T.insert().values(country=country, tier=tier, changed_by=by, changed_at=now))
    audit.record(conn, at=now, actor=by, via=via, action="partner.set" if tier else "partner.remove",
                 subject=country, event_id=countries.NATIONAL_DAY_EVENT.get(country),
                 before={"tier": before}, after={"tier": tier},
                 note="" if tier != file_tier else "như tệp cấu hình / as in the config file")
    return True
