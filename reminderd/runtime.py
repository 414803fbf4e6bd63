"""Everything loaded from disk that the plan needs: config, catalog, working days.

``load_runtime`` reads and validates both files and reports every problem of
both at once; on reload the daemon keeps its old Runtime if this raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .catalog import Catalog, load_catalog, text_of
from .config import Config, load_config
from .errors import Problem, ReminderdError, ValidationError
from .model import EventRule
from .plan import Plan, build_plan
from .workdays import WorkdayCalendar, unknown_country


@dataclass(frozen=True)
class Runtime:
    config: Config
    catalog: Catalog
    workdays: WorkdayCalendar = field(compare=False)

    def plan(self, start: dt.date, end: dt.date, *, with_skipped: bool = False) -> Plan:
        return build_plan(self.catalog, self.config, self.workdays, start, end,
                          with_skipped=with_skipped)

    def with_events(self, extra: Iterable[EventRule]) -> Runtime:
        """The same runtime plus ad-hoc events (from the database)."""
        return replace(self, catalog=self.catalog.with_events(extra))

    def horizon(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The feeds' range: last year through the next N years (config [feeds])."""
        past = int(self.config.get("feeds", "horizon_past_years"))
        future = int(self.config.get("feeds", "horizon_future_years"))
        return dt.date(today.year - past, 1, 1), dt.date(today.year + future, 12, 31)


def workdays_for(cfg: Config) -> WorkdayCalendar:
    w = cfg.sections["workdays"]
    return WorkdayCalendar(country=w["country"], extra_days_off=w["extra_days_off"],
                           extra_working_days=w["extra_working_days"],
                           confirmed_through=w["confirmed_through"], language=cfg.language)


def load_runtime(config_path: str | Path, *, cache: bool = True) -> Runtime:
    """Config, catalog and working days, every problem of both files reported at once.

    ``cache``: take the catalog from the compiled-catalog cache when its files, the config and
    the code are unchanged (``reminderd.compiled``), and keep it there; False reads and
    validates every file (``reminderd check``)."""
    path = Path(config_path)
    data: bytes | None = None
    if cache:
        try:
            data = path.read_bytes()
            text: str | None = text_of(data)
        except (OSError, UnicodeDecodeError):  # load_config says what is wrong with the file
            data = text = None
    cfg = load_config(path) if data is None else load_config(path, text=text)
    problems: list[Problem] = []
    wd = workdays_for(cfg)
    try:
        if data is None:
            catalog = _load(cfg, wd, None)
        else:
            from . import compiled

            catalog = compiled.catalog(cfg, data, lambda sources: _load(cfg, wd, sources))
            compiled.seed_workdays(wd)
    except ValidationError as e:
        problems.extend(e.problems + e.warnings)
        raise ValidationError(problems) from None
    return Runtime(cfg, catalog, wd)


def _load(cfg: Config, wd: WorkdayCalendar, sources: list[tuple[Path, bytes]] | None) -> Catalog:
    """The catalog from its files, and the working days' country checked with it (so a cached
    catalog was made with a country that was checked); every problem of both at once."""
    problems: list[Problem] = []
    try:
        catalog = load_catalog(cfg, sources=sources)
    except ValidationError as e:
        problems.extend(e.problems + e.warnings)
    try:
        wd.check_country()
    except ReminderdError:
        problems.append(Problem(str(cfg.path), "[workdays]", "country", unknown_country(wd.country)))
    if problems:
        raise ValidationError(problems)
    return catalog
