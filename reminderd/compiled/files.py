"""Where the compiled catalog is kept, and reading and writing its files safely.

One directory per user: ``$CACHE_DIRECTORY`` (what systemd's ``CacheDirectory=`` sets for the
service), else ``$XDG_CACHE_HOME/reminderd``, else ``~/.cache/reminderd``. The files are pickles,
and unpickling runs code: a file is read only if it is a regular file owned by this user and
writable by nobody else, so that no process ever loads what another account could have
written (``sudo reminderd upcoming`` never reads the service's files, nor the service root's).

Each file starts with a magic string and the 32-byte key it was written for; a file whose key
differs is not unpickled at all. Files are written to a temporary name and renamed, so a
reader sees a whole file or none; the directory keeps the most recently used few.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

MAGIC = b"reminderd-compiled-1\n"
KEEP = 32  # files kept in the directory (one per config file and one per working-day calendar)


def cache_dir() -> Path | None:
    systemd = os.environ.get("CACHE_DIRECTORY", "").split(":")[0]
    if systemd:
        return Path(systemd)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "reminderd"
    home = os.path.expanduser("~")
    return None if home == "~" else Path(home) / ".cache" / "reminderd"


def read(path: Path, key: bytes) -> bytes | None:
    """The payload written under ``key``; None when the file is absent, another key's, or not
    safe to load. OSError for anything unexpected (the caller logs it and rebuilds)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
            raise OSError(f"{path}: not a regular file of this user's, or writable by others; ignored")
        head = fh.read(len(MAGIC) + len(key))
        if head != MAGIC + key:
            return None
        return fh.read()


def write(path: Path, key: bytes, payload: bytes) -> None:
    """Write atomically (a temporary name in the same directory, then a rename); keep the
    directory to its ``KEEP`` most recently written files."""
    directory = path.parent
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = directory / f".{path.name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + key)
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _prune(directory)


def _prune(directory: Path) -> None:
    entries = []
    with os.scandir(directory) as it:
        for e in it:
            if e.name.endswith(".pickle") and e.is_file(follow_symlinks=False):
                entries.append((e.stat(follow_symlinks=False).st_mtime_ns, e.path))
    if len(entries) <= KEEP:
        return
    for _, p in sorted(entries)[:len(entries) - KEEP]:
        with contextlib.suppress(FileNotFoundError):  # another process pruned it first
            os.unlink(p)
