"""Send N reminders through the outbox to a local aiosmtpd, and the same N messages with a
bare aiosmtplib loop, in the same run; print both rates and their ratio (target ≥ 0.5).

    .venv/bin/python bench/bench_mail.py [--n 1000] [--runs 3] [--db sqlite|URL]

The outbox path is the real one: rows inserted as planning would, then ``dispatch``
claims, composes (text + HTML + .ics + signed link), sends over one reused plain-SMTP
connection per concurrency slot, and records each result. The baseline sends the
already-composed messages over one connection with ``send_message`` in a loop.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import shutil
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import aiosmtplib
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Section, median, mmm, verdict  # noqa: E402
from reminderd import acks, outbox  # noqa: E402
from reminderd.context import Context  # noqa: E402
from reminderd.messages import Mail, compose  # noqa: E402
from reminderd.runtime import load_runtime  # noqa: E402
from reminderd.signing import signer_for  # noqa: E402
from reminderd.store import open_store  # noqa: E402
from tests.conftest import SMALL_CATALOG, SMALL_CONFIG  # noqa: E402
from tests.mail_support import free_port  # noqa: E402


class Count:
    def __init__(self) -> None:
        self.n = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.n += 1
        return "250 OK"


def one_run(a: argparse.Namespace) -> tuple[float, float, str]:
    """Seconds for the outbox and for the bare loop, and the database dialect."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    (tmp / "calendars").mkdir()
    (tmp / "calendars" / "main.toml").write_text(textwrap.dedent(SMALL_CATALOG), encoding="utf-8")
    port = free_port()
    cfg_text = textwrap.dedent(SMALL_CONFIG).replace("port = 8025", f"port = {port}").replace(
        'tls = "none"', f'tls = "none"\nconcurrency = {a.concurrency}')
    if a.db != "sqlite":
        cfg_text = cfg_text.replace('url = "sqlite:///state/reminderd.db"', f'url = "{a.db}"')
    (tmp / "reminderd.toml").write_text(cfg_text, encoding="utf-8")
    rt = load_runtime(tmp / "reminderd.toml")
    now = dt.datetime(2025, 2, 17, 2, tzinfo=dt.UTC)
    store = open_store(rt.config.database_url)
    ctx = Context(rt, store, now=lambda: now)
    handler = Count()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        sender = rt.config.get("smtp", "sender")
        rows = []
        for i in range(a.n):
            payload = {"kind": "due", "event_id": "quoc-khanh-jp", "task_id": "thu-chuc-mung", "year": 2025,
                       "title": "Quốc khánh Nhật Bản", "action": f"Gửi thư chúc mừng số {i}",
                       "event_date": "2025-02-23", "window_start": "2025-02-13", "due": "2025-02-17",
                       "provisional": False, "country": "JP", "owner": "so-ngoai-vu", "support": [],
                       "department": "so-ngoai-vu", "role": "owner"}
            rows.append(outbox.Row(f"bench|{i}", "due", f"r{i}@example.gov.vn", "owner", "so-ngoai-vu",
                                   now, payload, "quoc-khanh-jp", "thu-chuc-mung", dt.date(2025, 2, 23),
                                   2025, dt.date(2025, 2, 13), dt.date(2025, 2, 17)))
        with store.engine.begin() as conn:
            for r in rows:
                acks.insert_new(conn, outbox.OB, r.values(sender, now))

        t0 = time.perf_counter()
        result = asyncio.run(outbox.dispatch(ctx))
        t_outbox = time.perf_counter() - t0
        assert result["sent"] == a.n, result

        # The same messages as the outbox sent, attachment included (composed beforehand).
        signer = signer_for(rt.config, store, now)
        ics = outbox._ics(rt, rows[0].values(sender, now), now)
        assert ics is not None
        msgs = [compose(Mail(f"r{i}@example.gov.vn", f"<b{i}@x>", r.payload), rt.config, signer, now, ics=ics)
                for i, r in enumerate(rows)]

        async def bare() -> None:
            smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
            await smtp.connect()
            for m in msgs:
                await smtp.send_message(m)
            await smtp.quit()

        t0 = time.perf_counter()
        asyncio.run(bare())
        t_bare = time.perf_counter() - t0
        assert handler.n == 2 * a.n
    finally:
        server.stop()
        store.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    return t_outbox, t_bare, store.engine.dialect.name


def run(n: int = 1000, runs: int = 3, db: str = "sqlite", concurrency: int = 2) -> Section:
    a = argparse.Namespace(n=n, db=db, concurrency=concurrency)
    results = []
    for i in range(runs):
        t_out, t_bare, dialect = one_run(a)
        results.append((t_out, t_bare))
        print(f"run {i + 1}: outbox {t_out:.2f} s ({n / t_out:.0f} msg/s), bare loop {t_bare:.2f} s "
              f"({n / t_bare:.0f} msg/s), ratio {t_bare / t_out:.2f}")
    out_rates = [n / r[0] for r in results]
    bare_rates = [n / r[1] for r in results]
    ratios = [r[1] / r[0] for r in results]
    ok = median(ratios) >= 0.5
    md = "\n".join([
        f"{n:,} messages each way per run, {dialect} outbox, concurrency {concurrency}, {runs} runs "
        "(min / median / max):",
        "",
        "| path | msg/s | seconds for all |",
        "| --- | ---: | ---: |",
        f"| outbox dispatch (claim, compose, send, record) | {mmm(out_rates, '{:.0f}')} "
        f"| {mmm([r[0] for r in results])} |",
        f"| bare aiosmtplib loop, messages composed beforehand | {mmm(bare_rates, '{:.0f}')} "
        f"| {mmm([r[1] for r in results])} |",
        f"| **ratio outbox / bare** (same run) | {mmm(ratios)} | — |",
        "",
        f"Target: outbox rate ≥ 0.5× the bare loop's (median ratio) — {verdict(ok)}"
        + (f"; {sum(r < 0.5 for r in ratios)} of {runs} runs below 0.5." if any(r < 0.5 for r in ratios) else "."),
    ])
    print(md)
    return Section("mail", md, [("mail: outbox ≥ 0.5× bare aiosmtplib loop",
                                 f"{median(ratios):.2f}× ({median(out_rates):.0f} vs {median(bare_rates):.0f} msg/s; "
                                 f"runs {min(ratios):.2f}–{max(ratios):.2f})", ok)])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--concurrency", type=int, default=2)
    a = ap.parse_args()
    run(a.n, a.runs, a.db, a.concurrency)


if __name__ == "__main__":
    main()
