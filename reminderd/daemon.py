"""``reminderd run``: one asyncio process — scheduler, mailer, HTTP server — until SIGTERM.

Start: load and validate config and catalog (refuse to start on errors), take the
SQLite single-instance lock, open the store and run migrations, bind the HTTP
socket, serve, start the scheduler (a planning pass and a dispatch run at once:
that is the catch-up), then tell systemd READY=1.

Signals: SIGHUP reloads (``reload.py``; a broken edit keeps the running
configuration). SIGTERM/SIGINT stop: STOPPING=1, no new jobs, running jobs get
``[daemon] shutdown_timeout`` seconds to finish (then they are cancelled and
their claimed rows released), the HTTP server closes, exit 0.

This is the daemon's top level: the only place that reads the wall clock
(``Context.now``) and the environment (``NOTIFY_SOCKET``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import uvicorn
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from . import logs, metrics, reload
from .config import Config, mail_transport, maildir_path
from .context import Context, system_clock
from .errors import ReminderdError
from .feeds import cache as feed_cache
from .logs import event
from .runtime import Runtime, load_runtime
from .scheduling import JOB_DEFAULTS, Jobs, release_claims
from .sdnotify import Notifier
from .security import keys
from .store import MigrationError, Store, open_store
from .store.lock import dispatch_lock, sqlite_path
from .web.app import create_app

log = logging.getLogger("reminderd.daemon")

MESSAGES = {
    "maildir": {"vi": "thư được ghi vào thư mục {folder}, KHÔNG gửi đi ([smtp] chưa có host); mở tệp .eml "
                      "bằng ứng dụng thư để xem. Đặt [smtp] host để gửi thật.",
                "en": "mail is written to the folder {folder}, NOT sent ([smtp] has no host); open the .eml "
                      "files with a mail client. Set [smtp] host to send for real."},
    "bind": {"vi": "không mở được cổng HTTP {bind} ([http] bind): {error}",
             "en": "cannot listen on {bind} ([http] bind): {error}"},
    "db": {"vi": "không mở được cơ sở dữ liệu {url} ([database] url): {error}",
           "en": "cannot open the database {url} ([database] url): {error}"},
}


def msg(cfg: Config, key: str, **values: object) -> str:
    lang = cfg.language if cfg.language in ("vi", "en") else "vi"
    return MESSAGES[key][lang].format(**values)


# --- the SQLite single-instance lock (shared with ``reminderd tick``: store/lock.py) ---

@contextlib.contextmanager
def single_instance(cfg: Config) -> Iterator[IO[str] | None]:
    """Hold the SQLite dispatch lock as the daemon (PostgreSQL needs none): refuse if another
    daemon holds it, wait for a ``reminderd tick`` that does."""
    with dispatch_lock(cfg.database_url, "run", cfg.language,
                       say=lambda text: event(log, "lock.waiting", level=logging.WARNING, note=text)) as f:
        yield f


def private_state(cfg: Config, store: Store) -> None:
    """The state directory 0700 when we create it; the SQLite files 0600 (older versions left
    them 0644 outside systemd); the key file read (made on the first start, moved out of the
    database on the first start after an upgrade) before anything is served."""
    state = cfg.state_dir
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        if state.stat().st_mode & 0o077:
            event(log, "state.readable_by_others", level=logging.WARNING, directory=str(state),
                  hint=f"chmod 700 {state}")
    db = sqlite_path(cfg.database_url)
    if db is not None:
        for f in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            with contextlib.suppress(OSError):
                st = f.stat()
                if st.st_mode & 0o077 and st.st_uid == os.geteuid():
                    f.chmod(0o600)
                    event(log, "state.permissions_tightened", file=str(f))
    keys.load(cfg, store, system_clock())


def pid_file(cfg: Config) -> Path:
    configured = cfg.get("daemon", "pid_file")
    return Path(configured) if configured else cfg.state_dir / "reminderd.pid"


def bind_socket(cfg: Config) -> socket.socket:
    bind = str(cfg.get("http", "bind"))
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, int(port)))
        sock.listen(128)
        sock.set_inheritable(True)
    except OSError as e:
        sock.close()
        raise ReminderdError(msg(cfg, "bind", bind=bind, error=e.strerror or e)) from None
    return sock


class _Server(uvicorn.Server):
    """uvicorn in our loop; the daemon, not uvicorn, owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class MetricsMiddleware:
    """Count HTTP requests by area and status (feeds separately), without touching the routes."""

    def __init__(self, app: Any, m: metrics.DaemonMetrics):
        self.app = app
        self.m = m

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        is_feed = path.endswith(".ics") or path.startswith(("/feeds/", "/feed/", "/ical/"))
        area = "feeds" if is_feed else (path.strip("/").split("/", 1)[0] or "page")
        status = 500

        async def send_wrapper(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self.m.http.inc(area=area if area in _AREAS else "other", code=f"{status // 100}xx")
            if is_feed:
                self.m.feed_requests.inc(code=str(status))


_AREAS = {"feeds", "page", "healthz", "metrics", "api", "ack", "static", "admin", "login", "d", "outbox"}


def shifted_clock(at: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that starts at ``at`` and runs forward at real speed (``run --at``)."""
    t0 = time.monotonic()
    return lambda: at.astimezone(dt.UTC) + dt.timedelta(seconds=time.monotonic() - t0)


class Daemon:
    def __init__(self, config_path: Path, runtime: Runtime, store: Store, *, at: dt.datetime | None = None):
        self.config_path = config_path
        self.notifier = Notifier.from_env()
        self.ctx = Context(runtime, store, instance=f"{socket.gethostname()}:{os.getpid()}")
        if at is not None:
            self.ctx.now = shifted_clock(at)
            self.ctx.health["clock_shifted_to"] = at.isoformat()
        self.metrics = metrics.of(self.ctx)
        self.stop_event = asyncio.Event()
        self.reload_lock = asyncio.Lock()
        self.scheduler = AsyncIOScheduler(timezone=runtime.config.tz, job_defaults=JOB_DEFAULTS)
        self.jobs = Jobs(self.ctx, self.scheduler, on_status=self.notifier.status, wall=system_clock)
        self._bg: set[asyncio.Task[Any]] = set()
        self._reloading = False

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._bg.add(task)
        task.add_done_callback(self._bg.discard)

    def _setup_feeds(self) -> None:
        # feed_cache.install makes ctx.feeds and rebuilds it on every runtime change itself.
        feed_cache.install(self.ctx)

    def _on_change(self, ctx: Context) -> None:
        # A reload or an ad-hoc edit: replan at once (idempotent; the outbox sees new dates).
        # Not in the middle of a reload: it re-installs the jobs and asks once itself; asking
        # here too would start a pass that the second request then finds still running.
        if not self._reloading:
            self.jobs.run_soon("plan")

    async def _reload(self) -> None:
        async with self.reload_lock:
            self.notifier.notify("RELOADING=1", f"MONOTONIC_USEC={time.monotonic_ns() // 1000}")
            event(log, "reload.start", config=str(self.config_path))
            new, errors = await asyncio.to_thread(reload.read, self.config_path)
            # Applying re-merges the ad-hoc items (a database read) and its listeners re-render
            # every feed (seconds on a large catalog): off the loop, so requests keep being served.
            self._reloading = True
            try:
                result = await asyncio.to_thread(reload.apply, self.ctx, new, errors)
            finally:
                self._reloading = False
            if result.ok:
                self.jobs.install()  # send_at, plan_at, timezone may have changed
                self.jobs.run_soon("plan")  # the new rules' replan (_on_change left it to us)
            self.notifier.ready(self.ctx.health.get("status"))

    async def run(self, sock: socket.socket) -> int:
        loop = asyncio.get_running_loop()
        ctx = self.ctx
        self.metrics.started.set(ctx.now().timestamp())
        ctx.health["started_at"] = ctx.now().isoformat()
        # Ad-hoc items first, then the feed cache: its listener would otherwise render every
        # feed (seconds) before we serve. The first build runs in a thread after READY, and a
        # feed request that comes before it builds on demand (web/feeds.py).
        reload.install(ctx, ctx.runtime)
        self._setup_feeds()
        ctx.on_change.append(self._on_change)
        # An acknowledgement added or undone here: replan now, so an undone one's reminders
        # resume (its cancelled rows come back) without waiting for tomorrow's plan_at.
        ctx.on_acks_change.append(lambda _ctx: self.jobs.run_soon("plan"))

        host, port = sock.getsockname()[:2]
        app = MetricsMiddleware(create_app(ctx), self.metrics)
        # X-Forwarded-For/-Proto are believed from [http] trusted_proxies only (docs/DEPLOY.md).
        proxies = [str(a) for a in ctx.config.get("http", "trusted_proxies")]
        server = _Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="off",
                                        timeout_graceful_shutdown=5, server_header=False,
                                        proxy_headers=True, forwarded_allow_ips=proxies))
        serve_task = loop.create_task(server.serve(sockets=[sock]))
        while not server.started and not serve_task.done():
            await asyncio.sleep(0.01)
        if serve_task.done():
            serve_task.result()
            return 1

        # Sends a crashed predecessor left half-done go out again (kill -9 loses nothing).
        await asyncio.to_thread(release_claims, ctx, everything=ctx.store.is_sqlite)
        self.jobs.install()
        self.scheduler.start()
        ctx.health["scheduler"] = "running"
        self.metrics.scheduler.set(1)
        self.jobs.after_plan.append("feeds")
        self.jobs.hold_dispatch = True  # released by the first feed build (scheduling.Jobs)
        self.jobs.run_soon("plan")  # catch-up: plans, then dispatches what came due while down

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop_event.set)
        loop.add_signal_handler(signal.SIGHUP, lambda: self._spawn(self._reload()))
        pidf = pid_file(ctx.config)
        pidf.parent.mkdir(parents=True, exist_ok=True)
        pidf.write_text(f"{os.getpid()}\n", encoding="utf-8")

        if mail_transport(ctx.config) == "maildir":
            folder = maildir_path(ctx.config)
            event(log, "mail.local_folder", level=logging.WARNING, folder=str(folder),
                  note=msg(ctx.config, "maildir", folder=folder / "new"))
        self.notifier.ready(f"serving http://{host}:{port}")
        watchdog = loop.create_task(self.notifier.watchdog_loop())
        event(log, "daemon.ready", url=f"http://{host}:{port}", instance=ctx.instance,
              database=ctx.store.engine.dialect.name, config=str(self.config_path),
              loop=type(loop).__module__.split(".")[0])

        stop_wait = loop.create_task(self.stop_event.wait())
        await asyncio.wait({stop_wait, serve_task}, return_when=asyncio.FIRST_COMPLETED)
        crashed = serve_task.done()
        return await self._shutdown(server, serve_task, watchdog, pidf, crashed)

    async def _shutdown(self, server: uvicorn.Server, serve_task: asyncio.Task[None],
                        watchdog: asyncio.Task[None], pidf: Path, crashed: bool) -> int:
        ctx = self.ctx
        timeout = float(ctx.config.get("daemon", "shutdown_timeout"))
        self.notifier.stopping("stopping")
        event(log, "daemon.stopping", timeout=timeout)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        # Stop taking work first, then let in-flight sends finish (or release them).
        self.scheduler.pause()
        clean = await self.jobs.drain(timeout)
        self.scheduler.shutdown(wait=False)
        ctx.health["scheduler"] = "stopped"
        self.metrics.scheduler.set(0)
        try:  # rows a cancelled dispatch still held go back to pending for the next daemon
            await asyncio.to_thread(release_claims, ctx)
        except Exception as e:
            event(log, "release.failed", level=logging.ERROR, error=str(e))
        server.should_exit = True
        with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(serve_task, timeout=max(1.0, timeout))
        for t in list(self._bg):
            t.cancel()
        watchdog.cancel()
        with contextlib.suppress(OSError):
            if pidf.read_text(encoding="utf-8").strip() == str(os.getpid()):
                pidf.unlink()
        self.notifier.close()
        event(log, "daemon.stopped", clean=clean)
        if crashed:
            return 1
        return 0


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop when it is installed (a quarter more feed requests per second,
    docs/BENCHMARKS.md), else asyncio's; ``REMINDERD_LOOP=asyncio`` forces asyncio's."""
    if os.environ.get("REMINDERD_LOOP", "").strip().lower() == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def main(config_path: Path, at: dt.datetime | None = None) -> int:
    """Run the daemon; the exit code for the CLI (0 after SIGTERM).

    ``at`` (``reminderd run --at``) starts the daemon's clock at that moment instead of
    now — a rehearsal of "what happens on Monday at 08:00", and how the tests move time.
    The schedule's triggers still tick in real time; every decision uses the shifted clock.
    """
    runtime = load_runtime(config_path)  # ValidationError → every problem listed, exit 1
    cfg = runtime.config
    logs.setup(str(cfg.get("logging", "format")), str(cfg.get("logging", "level")))
    with single_instance(cfg):
        try:
            store = open_store(cfg.database_url, isolated=True)
        except MigrationError as e:
            url = make_url(cfg.database_url).render_as_string(hide_password=True)
            raise ReminderdError(msg(cfg, "db", url=url, error=str(e))) from None
        except SQLAlchemyError as e:
            url = make_url(cfg.database_url).render_as_string(hide_password=True)
            raise ReminderdError(msg(cfg, "db", url=url, error=str(e.orig if hasattr(e, "orig") else e)
                                     .splitlines()[0])) from None
        try:
            private_state(cfg, store)
        except BaseException:
            store.dispose()
            raise
        sock = bind_socket(cfg)
        try:
            if at is not None:
                event(log, "clock.shifted", level=logging.WARNING, at=at.isoformat())
            with asyncio.Runner(loop_factory=loop_factory()) as runner:
                return runner.run(Daemon(config_path, runtime, store, at=at).run(sock))
        finally:
            sock.close()
            store.dispose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(Path(sys.argv[1])))
