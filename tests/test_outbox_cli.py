"""``reminderd outbox list|retry|cancel`` as a person types them."""

from __future__ import annotations

import datetime as dt

from reminderd import audit, outbox
from reminderd.cli import main
from reminderd.outbox import OB
from reminderd.runtime import load_runtime
from reminderd.store import open_store

ROW_TIME = dt.datetime(2025, 2, 13, 1, 0, tzinfo=dt.UTC)


def setup(make_env) -> tuple[str, object, list[int]]:
    cfg = make_env()
    rt = load_runtime(cfg)
    store = open_store(rt.config.database_url)
    sender = rt.config.get("smtp", "sender")
    ids = []
    with store.engine.begin() as conn:
        for i, state in enumerate(("failed", "sent", "dead")):
            row = outbox.Row(f"test|cli|{i}", "test", f"r{i}@example.gov.vn", "owner", "so-ngoai-vu", ROW_TIME,
                             {"kind": "test"})
            values = row.values(sender, ROW_TIME) | {"state": state, "attempts": 2}
            if state == "failed":
                values |= {"next_attempt_at": ROW_TIME + dt.timedelta(minutes=5), "last_error": "451 4.7.1 later"}
            if state == "sent":
                values |= {"sent_at": ROW_TIME + dt.timedelta(seconds=3)}
            if state == "dead":
                values |= {"last_error": "550 5.1.1 no such mailbox"}
            conn.execute(OB.insert().values(**values))
        ids = [r.id for r in conn.execute(OB.select().order_by(OB.c.id))]
    return str(cfg), store, ids


def test_list_shows_the_next_try_and_the_sent_time_in_local_time(make_env, capsys) -> None:
    cfg, _, (failed, sent, dead) = setup(make_env)
    assert main(["--config", cfg, "outbox", "list"]) == 0
    lines = {int(line.split()[0]): line for line in capsys.readouterr().out.splitlines()}
    assert "thử lại lúc 2025-02-13 08:05" in lines[failed] and "451 4.7.1 later" in lines[failed]
    assert "đã gửi lúc 2025-02-13 08:00" in lines[sent]
    assert "550 5.1.1" in lines[dead] and "thử lại" not in lines[dead]


def test_cancel_and_retry_are_audited_and_say_what_they_did(make_env, capsys) -> None:
    cfg, store, (failed, sent, dead) = setup(make_env)
    assert main(["--config", cfg, "outbox", "cancel", str(failed), "--by", "Nguyễn Văn A"]) == 0
    assert "Đã hủy 1 thư." in capsys.readouterr().out
    assert outbox.get_row(store, failed)["last_error"] == "hủy bởi Nguyễn Văn A / cancelled by Nguyễn Văn A"  # type: ignore[index]
    # A sent row cannot be cancelled: said, exit 1, nothing changed.
    assert main(["--config", cfg, "outbox", "cancel", str(sent)]) == 1
    err = capsys.readouterr().err
    assert f"Không hủy được thư số {sent} (trạng thái: đã gửi)" in err
    assert main(["--config", cfg, "outbox", "retry", "--dead", "--by", "Trần Thị B"]) == 0
    assert "Đã đưa 1 thư về trạng thái chờ gửi." in capsys.readouterr().out
    got = [(e.action, e.subject, e.actor, e.via) for e in reversed(audit.entries(store, action_prefix="outbox."))]
    assert got == [("outbox.cancel", f"outbox/{failed}", "Nguyễn Văn A", "cli"),
                   ("outbox.retry", f"outbox/{dead}", "Trần Thị B", "cli")]
