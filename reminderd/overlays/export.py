"""``reminderd catalog export``: the effective catalog — files, overlays, ad-hoc and imported
items — written back out as TOML that ``reminderd check`` accepts and that plans identically.

Each event is written from its ``[[event]]`` table as its file had it, with the stored
overrides laid over it (disabled events left out); ad-hoc and imported items go to one
file of their own; the effective ``[partners]`` goes to ``partners.toml``, to be copied
into the config. The TOML writer is this module's own: the catalog needs only strings,
numbers, booleans, dates, arrays of those, tables and arrays of tables.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..config import Config
from ..model import EventRule
from . import overrides as ov
from .merge import Merged

CALENDARS_DIR = "calendars"  # the catalog files go here; partners.toml beside it, not inside
ITEMS_FILE = "bo-sung.toml"
PARTNERS_FILE = "partners.toml"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


# ---- the TOML writer -------------------------------------------------------------------


def _key(k: str) -> str:
    return k if _BARE_KEY.fullmatch(k) else _string(k)


def _string(s: str) -> str:
    # JSON's escapes (\" \\ \n \t \uXXXX …) are TOML's too; DEL is the one control JSON leaves raw.
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def value(v: Any) -> str:
    """One TOML value (inline)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return "nan" if v != v else ("inf" if v > 0 else "-inf")
        return repr(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{_key(str(k))} = {value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write a {type(v).__name__} as TOML")


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, Mapping) for x in v)


def table(path: str, data: Mapping[str, Any], *, array: bool = False) -> list[str]:
    """``[path]`` (or ``[[path]]``) with its scalar keys, then its sub-tables."""
    lines = [f"[[{path}]]" if array else f"[{path}]"]
    later: list[str] = []
    for k, v in data.items():
        sub = f"{path}.{_key(str(k))}"
        if _is_table_array(v):
            for item in v:
                later += ["", *table(sub, item, array=True)]
        elif isinstance(v, Mapping):
            later += ["", *table(sub, v)]
        else:
            lines.append(f"{_key(str(k))} = {value(v)}")
    return lines + later


def events_toml(events: Iterable[Mapping[str, Any]], header: str = "") -> str:
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    for raw in events:
        out += ["", *table("event", raw, array=True)]
    return "\n".join(out).lstrip("\n") + "\n"


def partners_toml(partners: Mapping[str, Iterable[str]], header: str = "") -> str:
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    out += ["[partners]", *(f"{_key(t)} = {value(list(codes))}" for t, codes in partners.items())]
    return "\n".join(out) + "\n"


# ---- the effective catalog ---------------------------------------------------------------


def effective_raw(merged: Merged, ev: EventRule) -> dict[str, Any]:
    """The [[event]] table the effective event was parsed from (the file's, overrides laid)."""
    assert ev.raw is not None
    raw: dict[str, Any] = dict(ev.raw)
    for view in merged.for_event(ev.id):
        if view.conflict or view.row.kind == "disable":
            continue
        laid, _ = ov.lay(raw, view.row)
        if laid is not None:
            raw = laid
    return raw


def relative_name(path: str, roots: Iterable[Path]) -> str:
    """Where a catalog file goes under the export directory: its path below its catalog root."""
    p = Path(path).resolve()
    for root in roots:
        r = root.resolve()
        if r.is_dir() and p.is_relative_to(r):
            return str(p.relative_to(r))
        if r == p:
            return p.name
    return p.name


HEADER = {
    "file": "Xuất bởi `reminderd catalog export` từ {source} cùng các thay đổi đã lưu (ngày {date}).\n"
            "Exported by `reminderd catalog export` from {source} with the stored changes ({date}).",
    "items": "Mục bổ sung và mục nhập từ tệp kế hoạch (lưu trong CSDL), xuất ngày {date}.\n"
             "Ad-hoc and imported items (stored in the database), exported {date}.",
    "partners": "Bảng [partners] đang áp dụng (tệp cấu hình cùng các thay đổi đã lưu), xuất ngày {date}:\n"
                "chép vào tệp cấu hình thay cho bảng [partners] cũ.\n"
                "The [partners] in force (config file and stored changes), exported {date}: copy it into\n"
                "the config in place of its [partners] table.",
}


def files(merged: Merged, today: dt.date) -> dict[str, str]:
    """Relative path → TOML text: ``calendars/`` with one file per catalog file and the items'
    file, and ``partners.toml`` beside it."""
    rt = merged.runtime
    cfg: Config = rt.config
    by_file: dict[str, list[dict[str, Any]]] = {}
    for name in merged.base.catalog.files:
        by_file.setdefault(relative_name(name, cfg.catalog_paths), [])
    items: list[dict[str, Any]] = []
    for ev in rt.catalog.events:
        if ev.adhoc:
            items.append(dict(ev.raw or {}))
            continue
        by_file.setdefault(relative_name(ev.source.file, cfg.catalog_paths), []).append(effective_raw(merged, ev))
    out = {f"{CALENDARS_DIR}/{name}": events_toml(evs, HEADER["file"].format(source=name, date=today.isoformat()))
           for name, evs in by_file.items()}
    if items:
        name = ITEMS_FILE if f"{CALENDARS_DIR}/{ITEMS_FILE}" not in out else "bo-sung-csdl.toml"
        out[f"{CALENDARS_DIR}/{name}"] = events_toml(items, HEADER["items"].format(date=today.isoformat()))
    out[PARTNERS_FILE] = partners_toml(cfg.partners, HEADER["partners"].format(date=today.isoformat()))
    return out


def one_document(merged: Merged, today: dt.date) -> str:
    """Every effective event in one catalog file, the [partners] to use as a comment on top."""
    rt = merged.runtime
    events = [dict(ev.raw or {}) if ev.adhoc else effective_raw(merged, ev) for ev in rt.catalog.events]
    header = "\n".join([
        HEADER["file"].format(source=", ".join(str(p) for p in rt.config.catalog_paths), date=today.isoformat()),
        "", HEADER["partners"].format(date=today.isoformat()), "",
        partners_toml(rt.config.partners).rstrip("\n")])
    return events_toml(events, header)
