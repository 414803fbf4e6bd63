"""The compiled-catalog cache: served only for the same bytes and code, rebuilt for anything else.

Each test loads a runtime, changes one thing the catalog depends on, and checks that the next
load misses the cache (the catalog is read from the files again) and shows the change; and that a
cache that cannot be used is rebuilt quietly (logged at debug level), never failing a command.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reminderd import catalog as catalog_module
from reminderd import compiled
from reminderd.compiled import files
from reminderd.runtime import load_runtime

D = dt.date


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the catalog was read from its files (a miss)."""
    calls: list[int] = []
    real = catalog_module.load_catalog

    def counting(*args: object, **kwargs: object) -> catalog_module.Catalog:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("reminderd.runtime.load_catalog", counting)
    return calls


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(d))
    return d / "reminderd"


def dates(cfg: Path, event: str = "quoc-khanh-jp") -> list[dt.date]:
    rt = load_runtime(cfg)
    return [o.date for o in rt.plan(D(2026, 1, 1), D(2026, 12, 31)).occurrences if o.event.id == event]


def test_same_files_hit_the_cache(make_env, cache: Path, loads: list[int]) -> None:
    cfg = make_env()
    first = load_runtime(cfg)
    again = load_runtime(cfg)
    assert len(loads) == 1, "the second load read the files again"
    assert again.catalog == first.catalog and again.catalog.warnings == first.catalog.warnings
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["catalog"]
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in cache.iterdir())


def test_an_edited_catalog_file_misses(make_env, cache: Path, loads: list[int]) -> None:
    cfg = make_env()
    assert dates(cfg) == [D(2026, 2, 23)]
    main = cfg.parent / "calendars" / "main.toml"
    stat = main.stat()
    # Same length, same modification time: only the content tells.
    main.write_text(main.read_text(encoding="utf-8").replace('"02-23"', '"02-24"', 1), encoding="utf-8")
    os.utime(main, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert main.stat().st_size == stat.st_size
    assert dates(cfg) == [D(2026, 2, 24)]
    assert len(loads) == 2


def test_a_new_catalog_file_misses(make_env, cache: Path, loads: list[int]) -> None:
    cfg = make_env()
    load_runtime(cfg)
    (cfg.parent / "calendars" / "more.toml").write_text(
        '[[event]]\nid = "them"\ntitle = "Thêm"\ndate = "05-05"\n', encoding="utf-8")
    assert "them" in {e.id for e in load_runtime(cfg).catalog.events}
    assert len(loads) == 2


def test_an_edited_config_misses(make_env, cache: Path, loads: list[int]) -> None:
    cfg = make_env()
    assert dates(cfg) == [D(2026, 2, 23)]
    # JP out of [partners]: its national day is no longer planned.
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('regular = ["JP", "US"]', 'regular = ["US"]'),
                   encoding="utf-8")
    assert dates(cfg) == []
    # A change the catalog does not even use is a miss too: the key is the bytes.
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\n# chú thích\n", encoding="utf-8")
    load_runtime(cfg)
    assert len(loads) == 3


def test_another_reminderd_version_misses(make_env, cache: Path, loads: list[int],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = make_env()
    load_runtime(cfg)
    real = compiled.distributions()
    for other in ({**real, "reminderd": "99.0"}, {**real, "holidays": "0.1"}):
        monkeypatch.setattr(compiled, "distributions", lambda other=other: other)
        compiled.code_identity.cache_clear()
        load_runtime(cfg)
    compiled.code_identity.cache_clear()
    assert len(loads) == 3


def test_changed_code_misses(make_env, cache: Path, loads: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A module of the package edited in place (same version): its size or time is in the key."""
    cfg = make_env()
    load_runtime(cfg)
    real = compiled._modules

    def touched(directory: Path) -> list[tuple[str, int, int]]:
        return [(n, size + (n == "catalog.py"), t) for n, size, t in real(directory)]  # one byte longer

    monkeypatch.setattr(compiled, "_modules", touched)
    compiled.code_identity.cache_clear()
    load_runtime(cfg)
    monkeypatch.undo()
    compiled.code_identity.cache_clear()
    assert len(loads) == 2


def test_broken_cache_is_rebuilt_quietly(make_env, cache: Path, loads: list[int],
                                         caplog: pytest.LogCaptureFixture) -> None:
    cfg = make_env()
    load_runtime(cfg)
    (entry,) = cache.iterdir()
    data = entry.read_bytes()
    entry.write_bytes(data[:len(files.MAGIC) + 32] + b"not a pickle")
    with caplog.at_level(logging.DEBUG, logger="reminderd.compiled"):
        assert dates(cfg) == [D(2026, 2, 23)]
    assert "unusable" in caplog.text
    assert len(loads) == 2
    assert entry.read_bytes()[:len(files.MAGIC) + 32] == data[:len(files.MAGIC) + 32]  # written again
    load_runtime(cfg)
    assert len(loads) == 2


def test_a_file_others_can_write_is_not_loaded(make_env, cache: Path, loads: list[int],
                                               caplog: pytest.LogCaptureFixture) -> None:
    """Unpickling runs code: a cache file another account could have written is never loaded."""
    cfg = make_env()
    load_runtime(cfg)
    (entry,) = cache.iterdir()
    entry.chmod(0o666)
    with caplog.at_level(logging.DEBUG, logger="reminderd.compiled"):
        load_runtime(cfg)
    assert len(loads) == 2 and "writable by others" in caplog.text
    assert oct(entry.stat().st_mode & 0o777) == "0o600"  # replaced by a safe one


def test_a_cache_that_cannot_be_written_never_fails(make_env, tmp_path: Path, loads: list[int],
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # …/not-a-dir/reminderd cannot be made
    cfg = make_env()
    with caplog.at_level(logging.DEBUG, logger="reminderd.compiled"):
        assert dates(cfg) == dates(cfg) == [D(2026, 2, 23)]
    assert len(loads) == 2 and "not written" in caplog.text


def test_check_reads_the_files_whatever_is_cached(make_env, cache: Path, loads: list[int]) -> None:
    cfg = make_env()
    load_runtime(cfg)
    load_runtime(cfg, cache=False)
    assert len(loads) == 2


def test_upcoming_from_the_cache_prints_the_same_without_the_holidays_package(make_env, cache: Path) -> None:
    """The second command takes the catalog and the working days from the cache: same table, and
    neither the catalog's TOML nor the holidays package is read."""
    cfg = make_env()
    code = ("import sys\nfrom reminderd.cli import main\n"
            f"rc = main(['--config', {str(cfg)!r}, 'upcoming', '--from', '2026-01-01', '--to', '2026-12-31'])\n"
            "print('holidays' in sys.modules, file=sys.stderr)\nsys.exit(rc)\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache.parent)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stdout == second.stdout and "Quốc khánh Nhật Bản" in first.stdout
    assert first.stderr.strip() == "True" and second.stderr.strip() == "False"
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["catalog", "workdays"]


def test_seeded_working_days_answer_as_computed_ones() -> None:
    """A calendar seeded with another process's working days (the cache) gives the same days,
    counts, reasons and holiday names — make-up Saturdays included — as one that computed them."""
    from reminderd.workdays import WorkdayCalendar

    computed = WorkdayCalendar()
    computed.before(D(2026, 12, 31), 0)  # computes 2025–2026
    span = computed.known_span()
    assert span is not None
    seeded = WorkdayCalendar()
    seeded.seed(*span)
    fresh = WorkdayCalendar()
    # Names and reasons first, inside the seeded years: the package has populated nothing yet.
    for d in (D(2025, 4, 26), D(2026, 8, 22), D(2025, 1, 27), D(2026, 2, 16), D(2025, 9, 2), D(2026, 1, 3)):
        assert seeded.reason(d) == fresh.reason(d)
        assert seeded.holiday_name(d) == fresh.holiday_name(d)
        assert seeded.add(d, -5) == fresh.add(d, -5)
    assert seeded.reason(D(2025, 4, 26)) is None  # a make-up working Saturday
    lo, hi = D(2024, 1, 1), D(2027, 12, 31)  # reaching past the seeded years both ways
    assert seeded.non_working_days(lo, hi) == fresh.non_working_days(lo, hi)
    assert seeded.between(lo, hi) == fresh.between(lo, hi)
