"""One dispatcher per SQLite file: the lock ``reminderd run`` and ``reminderd tick`` share.

On SQLite a starting daemon takes every row left in ``sending`` for an orphan of a crash
and puts it back (``scheduling.release_claims(everything=True)``); that is only true if no
other process is dispatching from the same file. So ``run`` and ``tick`` both hold an
exclusive ``flock`` on ``<database file>.lock`` while they work, keyed on the file's real
path (symlinks and relative paths resolved), never on the path as written.

Who waits, who refuses (the lock file says who holds it: ``<pid> run`` or ``<pid> tick``):

- ``run`` finding another daemon: refuses, one line (two daemons on one SQLite file could
  send twice; a pair needs PostgreSQL).
- ``run`` finding a ``tick``: waits for it (a tick is short), saying so once.
- ``tick`` finding a daemon: refuses, one line (the daemon plans and sends by itself).
- ``tick`` finding another ``tick``: waits.

flock is released by the kernel when the process dies, even by kill -9, so a crash never
leaves a stale lock behind. PostgreSQL needs none of this: claims there are row locks
(``SKIP LOCKED``) and a restart releases only its own host's dead processes' claims.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from ..errors import ReminderdError

ROLES = ("run", "tick")
WAIT_POLL = 0.2  # seconds between two tries while waiting for a tick to finish

MESSAGES = {
    "run_busy": {
        "vi": "một tiến trình reminderd khác (pid {pid}) đang dùng CSDL SQLite {db}; hai tiến trình trên "
              "một tệp SQLite có thể gửi trùng thư. Hãy dừng tiến trình kia, hoặc dùng PostgreSQL để chạy "
              "hai máy song song.",
        "en": "another reminderd (pid {pid}) is already using the SQLite database {db}; two daemons on one "
              "SQLite file could send reminders twice. Stop the other one, or use PostgreSQL to run a pair."},
    "tick_busy": {
        "vi": "reminderd đang chạy (pid {pid}) trên CSDL SQLite {db} và tự lập kế hoạch, gửi thư; không chạy "
              "tick song song với nó. Dừng dịch vụ trước nếu cần chạy tick.",
        "en": "reminderd is running (pid {pid}) on the SQLite database {db} and plans and sends by itself; "
              "tick does not run beside it. Stop the daemon first if you need a tick."},
    "waiting": {
        "vi": "đang chờ reminderd tick (pid {pid}) dùng CSDL {db} xong…",
        "en": "waiting for reminderd tick (pid {pid}) to finish with {db}…"},
}


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for PostgreSQL and in-memory databases)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def lock_path(db: Path) -> Path:
    """``<real path of the database>.lock``: one lock per file, however the config names it."""
    real = Path(os.path.realpath(db))
    return real.with_name(real.name + ".lock")


def _holder(f: IO[str]) -> tuple[str, str] | None:
    """(pid, role) of the holder; None while it has the lock but has not written itself yet."""
    f.seek(0)
    text = f.read().strip()
    if not text:
        return None
    pid, _, role = text.partition(" ")
    return pid, role or "run"  # a lock written before roles existed is a daemon's


@contextlib.contextmanager
def dispatch_lock(url: str, role: str, language: str = "vi",
                  say: Callable[[str], object] | None = None) -> Iterator[IO[str] | None]:
    """Hold the SQLite dispatch lock as ``role`` (``run`` or ``tick``) for the ``with`` block.

    Raises :class:`ReminderdError` (one line) where the table in the module doc says
    "refuses"; waits where it says "waits", calling ``say(message)`` once."""
    if role not in ROLES:
        raise ValueError(role)
    db = sqlite_path(url)
    if db is None:
        yield None
        return
    lang = language if language in ("vi", "en") else "vi"
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    f = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the block's life
    try:
        told = False
        while True:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            # Read again at every try: the holder may have changed since the last one.
            who = _holder(f)
            if who is None:
                time.sleep(0.01)
                continue
            pid, holder = who
            if holder == "run":
                key = "run_busy" if role == "run" else "tick_busy"
                raise ReminderdError(MESSAGES[key][lang].format(pid=pid, db=db)) from None
            if not told and say is not None:
                say(MESSAGES["waiting"][lang].format(pid=pid, db=db))
                told = True
            time.sleep(WAIT_POLL)  # the holder is a tick: it ends soon
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()} {role}\n")
        f.flush()
        yield f
    finally:
        f.close()
