"""PostgreSQL faults with real processes: the server stopped (``-m immediate``) and started again
under a daemon that is sending, and one daemon of a pair killed with SIGKILL mid-batch.

These tests never touch the shared server of ``REMINDERD_TEST_PG_URL``: each makes its own
throwaway cluster (``initdb`` as the ``postgres`` user, a free port, a socket directory in a
private temp dir) and stops it as it likes. They skip, saying why, when not run as root or
when PostgreSQL's server binaries are not installed.

Reproduce: ``/work/venv/bin/python -m pytest -q tests/test_faults_pg.py`` (as root; docs/RELIABILITY.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from reminderd import outbox
from reminderd import store as store_mod
from reminderd.store import CONNECT_TIMEOUT, PG_SOCKET_OPTIONS, make_engine, schema

from .test_daemon import DaemonProcess, SmtpSink, free_port, write_config
from .test_daemon_mail import RUN_DAY, at, catalog, event_date_opening_on, norm, wait_until

pytestmark = pytest.mark.slow


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivateCluster:
    """A PostgreSQL cluster of our own: initdb, start, stop -m immediate, start again."""

    def __init__(self) -> None:
        if os.geteuid() != 0:
            pytest.skip("PostgreSQL fault tests need root (to run initdb/pg_ctl as the postgres user)")
        bindir = _pg_bin()
        if bindir is None or not (bindir / "pg_ctl").exists():
            pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no 'postgres' system user to own a throwaway cluster")
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="reminderd-pg-"))
        os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._as_postgres(str(bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                          "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()

    def _as_postgres(self, *cmd: str) -> None:
        p = subprocess.run(["runuser", "-u", "postgres", "--", *cmd], capture_output=True, text=True,
                           timeout=120, cwd=str(self.dir))
        if p.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed:\n{p.stdout}\n{p.stderr}")

    def start(self) -> None:
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c max_connections=50")
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts,
                          "-l", str(self.dir / "server.log"), "-w", "-t", "60", "start")

    def stop_immediate(self) -> None:
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        try:
            subprocess.run(["runuser", "-u", "postgres", "--", str(self.bindir / "pg_ctl"), "-D", str(self.data),
                            "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            # Seen on a loaded machine after the partition test: the postmaster outlives pg_ctl's
            # wait. This is the test's own throwaway cluster: kill it (its children follow).
            pid_file = self.data / "postmaster.pid"
            if pid_file.exists():
                with contextlib.suppress(ValueError, OSError):
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_pg() -> Iterator[PrivateCluster]:
    c = PrivateCluster()
    try:
        yield c
    finally:
        c.destroy()


def rows(db_url: str) -> list[dict[str, object]]:
    eng = create_engine(db_url)
    try:
        with eng.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(schema.outbox))]
    finally:
        eng.dispose()


def states(db_url: str) -> set[str]:
    return {str(r["state"]) for r in rows(db_url) if r["kind"] != "digest"}


def health(d: DaemonProcess) -> tuple[int, dict[str, object]] | None:
    try:
        r = d.get("/healthz")
    except httpx.HTTPError:
        return None
    return r.status_code, r.json()


# --- PostgreSQL stopped and started under a sending daemon -------------------------------------

def test_postgresql_stopped_immediate_mid_dispatch_and_started_again(tmp_path: Path,
                                                                     private_pg: PrivateCluster) -> None:
    n = 300
    eday = event_date_opening_on(RUN_DAY, 10)
    sink = SmtpSink(delay=0.02)
    daemons: list[DaemonProcess] = []
    try:
        cfg = write_config(tmp_path / "env", db_url=private_pg.url, smtp_port=sink.port,
                           catalog=catalog(n, eday, "5-10wd"), dispatch_interval=2)
        d = DaemonProcess(cfg, tmp_path, name="run1", args=("--at", at(RUN_DAY, "09:00"))).wait_ready()
        daemons.append(d)
        wait_until(lambda: len(sink.message_ids()) >= 30, 60, "the first sends")
        t_down = time.monotonic()
        private_pg.stop_immediate()
        sent_at_outage = len(sink.message_ids())
        assert sent_at_outage < n, "dispatch finished before the outage; make the sink slower"
        # While the server is down, a daemon that is still up says so on /healthz.
        seen_down: tuple[int, dict[str, object]] | None = None
        while time.monotonic() - t_down < 4:
            h = health(d)
            if h is not None and h[1]["database"]["ok"] is False:  # type: ignore[index]
                seen_down = h
                break
            time.sleep(0.2)
        # A reload during the outage (a new event whose window opens today): it applies, and its
        # planning pass, which fails now, runs again by itself once the database is back.
        if d.proc.poll() is None:
            (cfg.parent / "calendars" / "late.toml").write_text(catalog(1, eday, "5-10wd", prefix="late"),
                                                                 encoding="utf-8")
            d.signal(signal.SIGHUP)
            d.wait_log("event=reload.done", 10)
        time.sleep(max(0.0, 4 - (time.monotonic() - t_down)))
        private_pg.start()
        t_up = time.monotonic()
        restarts = 0
        # Systemd's Restart=on-failure: a daemon that exited non-zero is started again.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if d.proc.poll() is not None:
                assert d.proc.returncode != 0 or restarts, "the daemon exited 0 during an outage"
                restarts += 1
                d = DaemonProcess(cfg, tmp_path, name=f"run{restarts + 1}",
                                  args=("--at", at(RUN_DAY, "09:05"))).wait_ready()
                daemons.append(d)
            try:
                if states(private_pg.url) == {"sent"}:
                    break
            except Exception:  # the server may still be starting
                pass
            time.sleep(0.5)
        recovered = time.monotonic() - t_up
        final = rows(private_pg.url)
        assert {r["state"] for r in final if r["kind"] != "digest"} == {"sent"}, \
            f"not everything was sent after the outage:\n{daemons[-1].log[-3000:]}"
        assert len([r for r in final if r["kind"] != "digest"]) == n + 1, "the reloaded event was never planned"
        if restarts == 0:
            assert "event=plan.failed" in d.log  # the reload's pass met the outage, and was run again
        if restarts == 0:
            assert seen_down is not None, "/healthz never reported the database as down"
            code, body = seen_down
            assert code == 503 and "database unreachable" in body["problems"]  # type: ignore[operator]
        # And once it is back, the same process says so, and serves the page again.
        wait_until(lambda: (h := health(d)) is not None and h[0] == 200, 30, "/healthz 200 again")
        assert d.get("/").status_code == 200
        ids = [norm(m) for m in sink.message_ids()]
        delivered = set(ids)
        expected = {norm(r["message_id"]) for r in final if r["kind"] != "digest"}
        assert expected <= delivered, f"lost: {len(expected - delivered)}"
        dupes = len(ids) - len(delivered)
        print(f"outage: sent before={sent_at_outage} restarts={restarts} recovered_in={recovered:.1f}s "
              f"duplicates={dupes}")
        # Only the messages in flight when the server died may go twice (same Message-ID): the
        # outcomes not yet written (at most _Recorder.EVERY) and the sends under way then (one
        # per SMTP connection, [smtp] concurrency = 2).
        assert dupes <= outbox._Recorder.EVERY + 2 * 2, dupes
        for x in daemons:
            if x.proc.poll() is None:
                assert x.stop() == 0, x.log[-3000:]
    finally:
        for x in daemons:
            if x.proc.poll() is None:
                x.proc.kill()
                x.proc.wait()
        sink.stop()


# --- Two daemons on one PostgreSQL, one killed -9 mid-batch ---------------------------------------

# The survivor's clock runs this far ahead of the victim's (``run --at``). Claims are aged by the
# database timestamps the victim wrote against the survivor's clock, so a skew of S makes the
# five-minute lease run out S seconds sooner in test time: exactly what waiting S seconds more
# would do. It must stay below CLAIM_TIMEOUT - CLAIM_RENEW_SECONDS, or the survivor would take
# claims the victim is still renewing; 260 s leaves 10 s of margin and 40 s of lease to wait.
SKEW = dt.timedelta(minutes=4, seconds=20)


def claims_of(db_url: str, prefix: str) -> list[dict[str, object]]:
    return [r for r in rows(db_url) if r["state"] == "sending" and str(r["claimed_by"] or "").startswith(prefix)]


def test_pair_one_killed_mid_batch_the_other_takes_over_within_the_lease(tmp_path: Path, pg_url: str) -> None:
    n = 400
    interval = 2
    eday = event_date_opening_on(RUN_DAY, 10)
    lease = outbox.CLAIM_TIMEOUT.total_seconds()
    assert SKEW.total_seconds() + outbox.CLAIM_RENEW_SECONDS < lease
    sink = SmtpSink(delay=0.05)
    cat = catalog(n, eday, "5-10wd")
    daemons: list[DaemonProcess] = []
    try:
        cfgs = [write_config(tmp_path / f"host{i}", db_url=pg_url, smtp_port=sink.port, catalog=cat,
                             dispatch_interval=interval) for i in (1, 2)]
        t0 = dt.datetime.combine(RUN_DAY, dt.time(9, 0), tzinfo=dt.timezone(dt.timedelta(hours=7)))
        victim = DaemonProcess(cfgs[0], tmp_path, name="victim", args=("--at", t0.isoformat())).wait_ready()
        daemons.append(victim)
        survivor = DaemonProcess(cfgs[1], tmp_path, name="survivor",
                                 args=("--at", (t0 + SKEW).isoformat())).wait_ready()
        daemons.append(survivor)
        prefix = f"{socket.gethostname()}:{victim.proc.pid}:"
        # Kill the victim while it holds a batch and has sent part of it.
        deadline = time.monotonic() + 60
        held: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            held = claims_of(pg_url, prefix)
            if len(held) >= 20 and len(sink.message_ids()) >= 20:
                break
            time.sleep(0.05)
        assert held, "the victim never held a batch"
        victim.kill9()
        t_kill = time.monotonic()
        held = claims_of(pg_url, prefix)
        held_ids = {r["id"] for r in held}
        held_mids = {norm(r["message_id"]) for r in held}
        assert held_ids, "the victim's batch finished before the kill; make the sink slower"
        # The survivor goes on with the rest, then takes the abandoned batch when its lease is up.
        wait_until(lambda: not claims_of(pg_url, prefix), lease - SKEW.total_seconds() + interval + 30,
                   "the abandoned claims to be taken over")
        takeover = time.monotonic() - t_kill
        wait_until(lambda: states(pg_url) == {"sent"}, 60, "every row sent")
        equivalent = takeover + SKEW.total_seconds()  # the takeover time with synchronised clocks
        print(f"pair: victim held {len(held_ids)} rows at the kill; taken over after {takeover:.1f}s "
              f"(= {equivalent:.1f}s with synchronised clocks; lease {lease:.0f}s, interval {interval}s)")
        # Never before the lease ran out (the victim may have renewed up to CLAIM_RENEW_SECONDS
        # before it died), and no later than the lease plus one dispatch interval.
        assert equivalent >= lease - outbox.CLAIM_RENEW_SECONDS - 1, equivalent
        assert equivalent <= lease + interval + 2, equivalent
        assert "outbox.released_stale_claims" in survivor.log  # the lease, not a same-host shortcut
        final = rows(pg_url)
        ids = [norm(m) for m in sink.message_ids()]
        delivered = set(ids)
        assert {norm(r["message_id"]) for r in final} <= delivered
        assert len([r for r in final if r["kind"] != "digest"]) == n
        twice = {m for m in delivered if ids.count(m) > 1}
        # Only the victim's batch in flight may go twice: sent, but its outcome not yet written.
        assert twice <= held_mids, twice - held_mids
        assert len(twice) <= outbox._Recorder.EVERY + 2 * 2, len(twice)
        assert survivor.stop() == 0, survivor.log[-3000:]
    finally:
        for x in daemons:
            if x.proc.poll() is None:
                x.proc.kill()
                x.proc.wait()
        sink.stop()


# --- the lease starts when a batch is claimed ----------------------------------------------------

def test_each_batch_starts_its_lease_when_it_is_claimed(tmp_path: Path, db_url: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A long dispatch pass claims its later batches minutes after it began: their lease must
    count from the claim, or the other daemon of a pair would see them as abandoned at once."""
    import asyncio

    from reminderd.context import Context
    from reminderd.runtime import load_runtime
    from reminderd.store import open_store

    monkeypatch.setenv("REMINDERD_SMTP_PASSWORD", "x")
    sink = SmtpSink()
    try:
        cfg = write_config(tmp_path / "env", db_url=db_url, smtp_port=sink.port,
                           catalog=catalog(6, event_date_opening_on(RUN_DAY, 10), "5-10wd"))
        rt = load_runtime(cfg)
        store = open_store(db_url)
        t = [dt.datetime.fromisoformat(at(RUN_DAY, "09:00"))]

        def clock() -> dt.datetime:  # every look at the clock is a minute later
            t[0] += dt.timedelta(minutes=1)
            return t[0]

        ctx = Context(rt, store, now=clock)
        assert outbox.planning_pass_sync(ctx)["created"] >= 6
        start = t[0]
        totals = asyncio.run(outbox.dispatch(ctx, batch=2))
        assert totals["sent"] >= 6
        got = sorted(r["claimed_at"] for r in rows(db_url) if r["kind"] != "digest")
        # Three batches of two: three different claim moments, all after the pass began.
        assert len(set(got)) >= 3 and got[0] > start, got
        store.dispose()
    finally:
        sink.stop()


# --- a database that fails while outcomes are recorded stops the sending --------------------------

def test_when_an_outcome_cannot_be_recorded_no_connection_goes_on_sending() -> None:
    """``send_batch`` with two connections whose ``on_result`` (the outcomes' write, every tenth
    answer) fails: the other connection stops at once too, instead of sending on until its own
    next write fails — ten more messages whose outcome cannot be stored, each sent again later."""
    import asyncio
    from email.message import EmailMessage

    from reminderd.mailer import Settings, send_batch

    sink = SmtpSink(delay=0.02)
    try:
        st = Settings(host="127.0.0.1", port=sink.port, tls="none", user="", password=None, timeout=5,
                      concurrency=2, ca_file=None, validate_certs=True)
        msgs = []
        for i in range(60):
            m = EmailMessage()
            m["From"], m["To"], m["Subject"], m["Message-ID"] = "a@b.vn", "c@d.vn", f"m{i}", f"<m{i}@b.vn>"
            m.set_content("x")
            msgs.append(m)
        seen = 0

        async def on_result(i: int, res: object) -> None:  # like outbox._Recorder: a write every 10
            nonlocal seen
            seen += 1
            if seen % 10 == 0:
                raise OSError("database gone")

        async def daemon_loop() -> None:
            with pytest.raises(OSError, match="database gone"):
                await send_batch(st, msgs, on_result=on_result)
            await asyncio.sleep(1.0)  # the loop lives on, as the daemon's does: a worker left running sends

        asyncio.run(daemon_loop())
        assert len(sink.message_ids()) <= 10 + 2, len(sink.message_ids())
    finally:
        sink.stop()


# --- started while the server is down -----------------------------------------------------------

def test_started_while_postgresql_is_down_exits_1_then_starts_once_it_is_up(tmp_path: Path,
                                                                             private_pg: PrivateCluster) -> None:
    """systemd's Restart=on-failure is the retry: a start without a database exits 1 at once with
    one line saying which database and why (no traceback), and the next start after the server
    is back serves."""
    cfg = write_config(tmp_path / "env", db_url=private_pg.url)
    private_pg.stop_immediate()
    d = DaemonProcess(cfg, tmp_path, name="nodb")
    try:
        rc = d.proc.wait(30)
    finally:
        if d.proc.poll() is None:
            d.proc.kill()
    assert rc == 1, d.log
    assert "Traceback" not in d.log
    assert f"127.0.0.1:{private_pg.port}" in d.log and "[database] url" in d.log, d.log
    private_pg.start()
    d = DaemonProcess(cfg, tmp_path, name="withdb").wait_ready()
    try:
        wait_until(lambda: (h := health(d)) is not None and h[0] == 200, 30, "/healthz 200")
        assert d.stop() == 0
    finally:
        if d.proc.poll() is None:
            d.proc.kill()


# --- A network partition: the database host stops answering, nothing closes the socket --------

def _drop(action: str, port: int) -> None:
    # On loopback both directions leave through OUTPUT: client → server and server → client.
    for rule in (["--dport", str(port)], ["--sport", str(port)]):
        subprocess.run(["iptables", action, "OUTPUT", "-p", "tcp", *rule, "-j", "DROP"],
                       check=True, capture_output=True, timeout=30)


def _iptables_usable() -> bool:
    if shutil.which("iptables") is None:
        return False
    return subprocess.run(["iptables", "-L", "OUTPUT", "-n"], capture_output=True, timeout=30).returncode == 0


def test_engine_sets_keepalives_and_user_timeout(private_pg: PrivateCluster) -> None:
    """The defaults reach libpq (a URL's own values would win)."""
    engine = make_engine(private_pg.url)
    try:
        with engine.connect() as conn:
            dsn = conn.connection.driver_connection.info.dsn  # type: ignore[union-attr]
        for key, value in {**PG_SOCKET_OPTIONS, "connect_timeout": CONNECT_TIMEOUT}.items():
            assert f"{key}={value}" in dsn, dsn
    finally:
        engine.dispose()
    engine = make_engine(private_pg.url + "?keepalives_idle=42")
    try:
        with engine.connect() as conn:
            assert "keepalives_idle=42" in conn.connection.driver_connection.info.dsn  # type: ignore[union-attr]
    finally:
        engine.dispose()


def test_partition_fails_a_waiting_query_in_seconds_and_the_store_recovers(
        private_pg: PrivateCluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without keepalives a query waiting for its answer across a partition holds its thread
    for hours (libpq's default: the kernel's two-hour keepalive); with them, seconds.
    The timings are shrunk for the test; the production values are in store.PG_SOCKET_OPTIONS."""
    if os.geteuid() != 0 or not _iptables_usable():
        pytest.skip("the partition test drops packets with iptables: needs root and iptables "
                    "(apt-get install iptables)")
    monkeypatch.setattr(store_mod, "PG_SOCKET_OPTIONS", {
        "keepalives": 1, "keepalives_idle": 1, "keepalives_interval": 1, "keepalives_count": 2,
        "tcp_user_timeout": 3000})
    monkeypatch.setattr(store_mod, "CONNECT_TIMEOUT", 2)
    engine = make_engine(private_pg.url)
    outcome: dict[str, object] = {}

    def waiting_query() -> None:
        t0 = time.monotonic()
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_sleep(3)"))
            outcome["ok"] = True
        except OperationalError as e:
            outcome["error"] = str(e).splitlines()[0]
        outcome["seconds"] = time.monotonic() - t0

    try:
        with engine.connect() as c1, engine.connect() as c2:  # two pooled connections
            c1.execute(text("SELECT 1"))
            c2.execute(text("SELECT 1"))
        worker = threading.Thread(target=waiting_query, daemon=True)
        worker.start()
        time.sleep(1.0)  # the query is on the wire, its answer not yet
        _drop("-I", private_pg.port)
        try:
            worker.join(60)
            assert not worker.is_alive(), "a query across a partition hung for over a minute"
            assert "error" in outcome, outcome
            assert float(outcome["seconds"]) < 20, outcome  # type: ignore[arg-type]
            # New work during the partition: the pooled connection's ping is never
            # acknowledged (tcp_user_timeout), a new connection never answers (connect_timeout).
            t0 = time.monotonic()
            with pytest.raises(OperationalError), engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            assert time.monotonic() - t0 < 20
        finally:
            _drop("-D", private_pg.port)
        with engine.connect() as conn:  # healed: the next pass just works
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
