"""Send N reminders through the outbox to a local aiosmtpd, and the same N messages with a
bare aiosmtplib loop, in the same run; print both rates and their ratio (target ≥ 0.5).

    /work/venv/bin/python bench/bench_mail.py [--n 1000] [--db sqlite|URL]

The outbox path is the real one: rows inserted as planning would, then ``dispatch``
claims, composes (text + HTML + .ics + signed link), sends over one reused plain-SMTP
connection per concurrency slot, and records each result. The baseline sends the
already-composed messages over one connection with ``send_message`` in a loop.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import aiosmtplib
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--concurrency", type=int, default=2)
    a = ap.parse_args()
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
    r_out, r_bare = a.n / t_outbox, a.n / t_bare
    print(f"db={store.engine.dialect.name} n={a.n} concurrency={a.concurrency}")
    print(f"outbox dispatch (claim+compose+send+record): {t_outbox:.2f} s, {r_out:.0f} msg/s")
    print(f"bare aiosmtplib loop (pre-composed):          {t_bare:.2f} s, {r_bare:.0f} msg/s")
    print(f"ratio outbox/bare: {r_out / r_bare:.2f} (target >= 0.50)")


if __name__ == "__main__":
    main()
