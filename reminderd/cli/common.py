"""Helpers shared by the command modules: loading, dates, department names."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..config import Config, config_path, load_config, parse_iso_date
from ..errors import ReminderdError
from ..lunar import MAX_YEAR, MIN_YEAR
from ..runtime import Runtime, load_runtime

if TYPE_CHECKING:
    from ..overlays.merge import Merged

DateT = TypeVar("DateT", dt.date, dt.datetime)


def runtime(args: argparse.Namespace) -> Runtime:
    """Config and catalog from the files, with the changes stored in the database laid over
    them (partners, event overrides, ad-hoc and imported items).

    The CLI must show what the daemon, its page and its feeds show. A database that
    does not exist yet holds no changes, and none is created just to read it.
    """
    rt = load_runtime(config_path(args.config))
    return with_stored(rt)[0]


def with_stored(rt: Runtime, quiet: bool = False) -> tuple[Runtime, Merged | None]:
    """``rt`` with the stored changes laid over it, and what they did (None: no database).
    Their problems are printed as warnings unless ``quiet`` (the caller reports them)."""
    url = rt.config.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return rt, None
    from sqlalchemy.exc import SQLAlchemyError

    from ..overlays import merge
    from ..store import open_store

    try:
        store = open_store(url, migrate=False)
        try:
            merged = merge.merge(rt, merge.read(store))
        finally:
            store.dispose()
    except SQLAlchemyError as e:
        print(f"reminderd: cảnh báo: không đọc được các thay đổi đã lưu trong CSDL ({type(e).__name__}); "
              "chỉ dùng các tệp", file=sys.stderr)
        return rt, None
    for p in [] if quiet else [*merged.item_problems, *merged.conflicts]:
        print(f"reminderd: cảnh báo: {p}", file=sys.stderr)
    return merged.runtime, merged


def config(args: argparse.Namespace) -> Config:
    return load_config(config_path(args.config))


def today(cfg: Config) -> dt.date:
    """Today in the organisation's timezone (the CLI is a top level: it may read the clock)."""
    return dt.datetime.now(cfg.tz).date()


def date_arg(text: str) -> dt.date:
    try:
        d = parse_iso_date(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return in_calendar_range(text, d)


def year_arg(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: cần một năm, ví dụ 2026") from None
    _refuse_outside_years(text, year)
    return year


def in_calendar_range(text: str, d: DateT) -> DateT:
    """Refuse days outside the calendars' 1900–2100: planning near year 1 or 9999
    computes a year that does not exist and used to end in a traceback."""
    _refuse_outside_years(text, d.year)
    return d


def _refuse_outside_years(text: str, year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(f"{text!r}: chỉ tính được các năm {MIN_YEAR}–{MAX_YEAR}")



def check_department(cfg: Config, dep_id: str | None) -> None:
    if dep_id is not None and dep_id not in cfg.department_ids:
        raise ReminderdError(f"--department {dep_id!r}: không có đơn vị này; có: "
                             + ", ".join(sorted(cfg.department_ids)))
