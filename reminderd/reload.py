"""Re-read config and catalog; a broken edit leaves the running configuration in force.

``reload(ctx, path)`` is what SIGHUP (``systemctl reload``, ``reminderd reload``)
does. Both files are read and validated first; only if both are valid is the new
runtime swapped in (the stored changes — partners, overrides, ad-hoc items — laid over it again), and the
errors list on ``/healthz`` is cleared. Otherwise every problem is logged, kept
in ``ctx.config_errors`` for ``/healthz`` and the metrics, and nothing changes:
the daemon keeps serving the plan it had.

Some keys cannot change under a running process (where the database is, which
address the HTTP server listens on, the state directory): a reload that changes
them applies everything else and says, in the log and on ``/healthz``, that a
restart is needed for those.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from . import metrics
from .context import Context
from .errors import ValidationError
from .logs import event, set_level
from .overlays import merge
from .runtime import Runtime, load_runtime

log = logging.getLogger("reminderd.reload")

RESTART_KEYS = (("database", "url"), ("http", "bind"), ("state", "directory"), ("daemon", "pid_file"),
                ("http", "trusted_proxies"), ("state", "key_file"), ("reminders", "secret_file"))


@dataclass
class ReloadResult:
    ok: bool
    errors: list[str] = field(default_factory=list)
    restart_needed: list[str] = field(default_factory=list)


def read(path: Path) -> tuple[Runtime | None, list[str]]:
    """Load config and catalog; (runtime, []) or (None, every error as one line)."""
    try:
        return load_runtime(path), []
    except ValidationError as e:
        return None, [str(p) for p in e.problems] or [str(e)]
    except Exception as e:  # unreadable directory, permissions …: still a refused reload, not a crash
        return None, [f"{path}: {type(e).__name__}: {e}"]


def install(ctx: Context, runtime: Runtime) -> None:
    """Make ``runtime`` the base runtime and merge the ad-hoc items back in."""
    with ctx.swap_lock:
        _install(ctx, runtime)


def _install(ctx: Context, runtime: Runtime) -> None:
    # Set the base first without notifying, so listeners run once, on the merged runtime.
    ctx.base_runtime = runtime
    try:
        problems = merge.refresh(ctx)
    except SQLAlchemyError as e:
        # The database is away (a reload during an outage): the new files apply all the same,
        # with the stored changes (partners, overrides, ad-hoc items) this process last read.
        # The fingerprint is forgotten, so the sync job merges them again once the database answers.
        merge.install_without_database(ctx)
        event(log, "adhoc.unavailable", level=logging.WARNING,
              kept=len(ctx.overlays.stored.items) if ctx.overlays is not None else 0,
              error=(str(e).splitlines() or [type(e).__name__])[0])
        return
    for p in problems or ():
        event(log, "adhoc.invalid", level=logging.WARNING, problem=str(p))


def reload(ctx: Context, path: Path) -> ReloadResult:
    """Read and apply in one go (the daemon does both in worker threads, one after the other)."""
    new, errors = read(path)
    return apply(ctx, new, errors)


def apply(ctx: Context, new: Runtime | None, errors: list[str]) -> ReloadResult:
    m = metrics.of(ctx)
    if new is None:
        ctx.config_errors[:] = errors
        ctx.health["config_errors_at"] = ctx.now().isoformat()
        m.reloads.inc(result="refused")
        m.config_errors.set(len(errors))
        event(log, "reload.refused", level=logging.ERROR, errors=len(errors),
              note="the running configuration stays in force")
        for err in errors:
            event(log, "config.error", level=logging.ERROR, error=err)
        return ReloadResult(False, errors)
    old = ctx.config
    restart = [f"[{s}] {k}" for s, k in RESTART_KEYS if old.get(s, k) != new.config.get(s, k)]
    install(ctx, new)
    set_level(str(new.config.get("logging", "level")))
    ctx.config_errors.clear()
    ctx.health.pop("config_errors_at", None)
    ctx.health["restart_needed"] = restart
    ctx.health["last_reload"] = ctx.now().isoformat()
    m.reloads.inc(result="ok")
    m.config_errors.set(0)
    event(log, "reload.done", events=len(new.catalog.events), departments=len(new.config.departments))
    if restart:
        event(log, "reload.restart_needed", level=logging.WARNING, keys=", ".join(restart))
    return ReloadResult(True, [], restart)
