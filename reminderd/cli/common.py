"""Helpers shared by the command modules: loading, dates, department names."""

from __future__ import annotations

import argparse
import datetime as dt

from ..config import Config, config_path, load_config
from ..errors import ReminderdError
from ..runtime import Runtime, load_runtime


def runtime(args: argparse.Namespace) -> Runtime:
    return load_runtime(config_path(args.config))


def config(args: argparse.Namespace) -> Config:
    return load_config(config_path(args.config))


def today(cfg: Config) -> dt.date:
    """Today in the organisation's timezone (the CLI is a top level: it may read the clock)."""
    return dt.datetime.now(cfg.tz).date()


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: cần ngày dạng YYYY-MM-DD") from None


def dep_name(cfg: Config, dep_id: str) -> str:
    try:
        return cfg.department(dep_id).display(cfg.language)
    except KeyError:
        return dep_id


def check_department(cfg: Config, dep_id: str | None) -> None:
    if dep_id is not None and dep_id not in cfg.department_ids:
        raise ReminderdError(f"--department {dep_id!r}: không có đơn vị này; có: "
                             + ", ".join(sorted(cfg.department_ids)))
