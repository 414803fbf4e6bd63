"""The compiled catalog: the result of loading the catalog files, kept between processes.

Reading and validating a catalog (TOML, every date form, every department) is most of what a
short command such as ``reminderd upcoming`` does; the result depends only on bytes that rarely
change. So the loaded :class:`~reminderd.catalog.Catalog` is kept in a file (``files``) under a
key that hashes everything it was made from:

- the config file's resolved path and its bytes (departments, language, partners … shape the
  catalog), and every catalog file's path and bytes, in order — the same bytes the loader then
  parses, read once, so a file edited while it is being read cannot be stored under the key of
  its other content;
- the code: the reminderd distribution's version and the size and modification time of each of
  its modules, the versions of ``holidays`` and ``python-dateutil`` (holiday names, RRULEs), the
  Python version.

Any change to any of them is another key: the file is rebuilt, never served stale. Only a
catalog that loaded without errors is kept (its warnings with it). The working days of the
years a process computed are kept the same way in a second file, keyed by ``[workdays]`` and
the ``holidays`` version, so that a command whose years are known imports neither the package
nor its country tables. A cache that cannot be read or written is rebuilt, logged at debug
level; it never fails a command.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..config import Config
from ..workdays import WorkdayCalendar
from . import files

# Bumped when what is pickled changes shape in a way the module times would not show.
FORMAT = b"1"
_DISTRIBUTIONS = ("reminderd", "holidays", "python_dateutil")


def _debug(msg: str, *args: object) -> None:
    import logging

    logging.getLogger(__name__).debug(msg, *args)


@functools.lru_cache(maxsize=1)
def code_identity() -> bytes:
    """What the cached objects' making depends on besides the files: versions and module times."""
    h = hashlib.sha256(FORMAT)
    h.update(sys.version.encode())
    for name, version in sorted(distributions().items()):
        h.update(f"\0{name}={version}".encode())
    here = Path(__file__).resolve().parent
    for directory in (here.parent, here):  # the package's modules (catalog, config, model …) and ours
        for name, size, mtime_ns in _modules(directory):
            h.update(f"\0{directory.name}/{name}:{size}:{mtime_ns}".encode())
    return h.digest()


def _modules(directory: Path) -> list[tuple[str, int, int]]:
    """(name, size, modification time) of each module in ``directory``, by name."""
    with os.scandir(directory) as it:
        return sorted((e.name, (st := e.stat()).st_size, st.st_mtime_ns) for e in it if e.name.endswith(".py"))


def distributions() -> dict[str, str]:
    """Installed versions of ``_DISTRIBUTIONS``, from their ``*.dist-info`` directory names on
    ``sys.path`` (what ``importlib.metadata`` reads, without its ~30 ms import)."""
    found: dict[str, str] = {}
    wanted = {n.lower() for n in _DISTRIBUTIONS}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for n in names:
            if n.endswith((".dist-info", ".egg-info")):
                dist, _, version = n.rsplit(".", 1)[0].partition("-")
                dist = dist.lower().replace("-", "_")
                if dist in wanted and version and dist not in found:  # not a source tree's egg-info
                    found[dist] = version
    return found


def _key(*parts: bytes) -> bytes:
    h = hashlib.sha256(code_identity())
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return h.digest()


def _file(kind: str, identity: str) -> Path | None:
    directory = files.cache_dir()
    if directory is None:
        return None
    return directory / f"{kind}-{hashlib.sha256(identity.encode()).hexdigest()[:24]}.pickle"


class _Pickler(pickle.Pickler):
    """Dataclass instances pickled as a call of their class with their fields: unpickled through
    ``__init__``, their attributes are as fast to read as the loader's. (Pickle's default sets
    ``__dict__`` from a dict whose keys are not interned: reading an attribute of an unpickled
    event was six times as slow, and planning from a cached catalog a fifth slower.)"""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        try:
            names = _FIELDS[cls]
        except KeyError:
            names = _FIELDS[cls] = _init_fields(cls)
        if names is None:
            return NotImplemented
        return cls, tuple([getattr(obj, n) for n in names])


# Per type: its dataclass fields, in order, when __init__ takes them all; None for other types
# (reducer_override is asked about every dict, list and date of the catalog: a lookup, no more).
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _init_fields(cls: type) -> tuple[str, ...] | None:
    if not dataclasses.is_dataclass(cls):
        return None
    fields = dataclasses.fields(cls)
    return tuple(f.name for f in fields) if all(f.init for f in fields) else None


def _dumps(obj: object) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


def catalog(cfg: Config, config_bytes: bytes,
            load: Callable[[list[tuple[Path, bytes]] | None], Catalog]) -> Catalog:
    """``cfg``'s catalog: from the cache when nothing it was made from changed, else from
    ``load(sources)`` (the catalog files' paths and bytes, or None to read them itself) and
    then kept."""
    from ..catalog import catalog_files

    paths, problems = catalog_files(cfg.catalog_paths)
    if problems:
        return load(None)  # the loader reports them
    try:
        sources = [(p, p.read_bytes()) for p in paths]
    except OSError:
        return load(None)  # the loader says which file and why
    key = _key(str(cfg.path).encode(), config_bytes,
               *(part for p, data in sources for part in (str(p).encode(), data)))
    path = _file("catalog", str(cfg.path))
    if path is not None:
        try:
            payload = files.read(path, key)
            if payload is not None:
                got = pickle.loads(payload)
                if isinstance(got, Catalog):
                    return got
                _debug("compiled catalog %s: not a catalog; rebuilt", path)
        except Exception as e:  # any unreadable cache is rebuilt, never an error
            _debug("compiled catalog %s unusable (%s: %s); rebuilt", path, type(e).__name__, e)
    built = load(sources)
    if path is not None:
        try:
            files.write(path, key, _dumps(built))
        except Exception as e:
            _debug("compiled catalog %s not written (%s: %s)", path, type(e).__name__, e)
    return built


# ---- working days -------------------------------------------------------------------------

# Calendars seeded in this process, by cache file: (calendar, key, years known when seeded). The
# latest one per file (a reload's replaces the one before), held until the command ends.
_SEEDED: dict[Path, tuple[WorkdayCalendar, bytes, int]] = {}


def _workdays_key(wd: WorkdayCalendar) -> bytes:
    return _key(wd.country.encode(), repr(sorted(wd.extra_days_off)).encode(),
                repr(sorted(wd.extra_working_days)).encode())


def seed_workdays(wd: WorkdayCalendar) -> None:
    """Give ``wd`` the working days an earlier process computed for the same calendar; remember
    it so that :func:`save_workdays` keeps what this process adds."""
    key = _workdays_key(wd)
    path = _file("workdays", key.hex())
    if path is None:
        return
    years = 0
    try:
        payload = files.read(path, key)
        if payload is not None:
            first, last, ords = pickle.loads(payload)
            if not (isinstance(first, int) and isinstance(last, int) and isinstance(ords, list)):
                raise ValueError("not a span")
            wd.seed(first, last, ords)
            years = last - first + 1
    except Exception as e:
        _debug("working days %s unusable (%s: %s); computed again", path, type(e).__name__, e)
    _SEEDED[path] = (wd, key, years)


def save_workdays() -> None:
    """Keep the working days of the calendars seeded here that now know more years."""
    for path, (wd, key, years) in list(_SEEDED.items()):
        span = wd.known_span()
        if span is None or span[1] - span[0] + 1 <= years:
            continue
        try:
            files.write(path, key, pickle.dumps(span, protocol=pickle.HIGHEST_PROTOCOL))
            _SEEDED[path] = (wd, key, span[1] - span[0] + 1)
        except Exception as e:
            _debug("working days %s not written (%s: %s)", path, type(e).__name__, e)
