"""The audit trail: acknowledgements and their undo, ad-hoc edits, `reminderd audit`."""

from __future__ import annotations

import datetime as dt
import json

from reminderd import acks, audit
from reminderd.cli import main
from reminderd.store import open_store

NOW = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)


def test_ack_and_undo_are_recorded_in_one_transaction(db_url):
    store = open_store(db_url)
    assert acks.mark_done(store, "quoc-khanh-jp", "thu-chuc-mung", 2027, "Phòng Lễ tân", "web", "đã gửi", NOW)
    assert not acks.mark_done(store, "quoc-khanh-jp", "thu-chuc-mung", 2027, "khác", "web", "", NOW)
    later = NOW + dt.timedelta(minutes=3)
    old = acks.undo(store, "quoc-khanh-jp", "thu-chuc-mung", 2027, "admin", "web", later)
    assert old is not None and old.done_by == "Phòng Lễ tân"
    assert not acks.is_done(store, "quoc-khanh-jp", "thu-chuc-mung", 2027)
    assert acks.undo(store, "quoc-khanh-jp", "thu-chuc-mung", 2027, "admin", "web", later) is None
    trail = audit.entries(store, event_id="quoc-khanh-jp")
    assert [e.action for e in trail] == ["ack.undo", "ack.add"]  # newest first; the replay left no entry
    undo, add = trail
    assert add.actor == "Phòng Lễ tân" and add.after == {"done_by": "Phòng Lễ tân", "via": "web", "note": "đã gửi"}
    assert undo.actor == "admin" and undo.before["done_by"] == "Phòng Lễ tân" and undo.at == later
    assert undo.subject == "quoc-khanh-jp/thu-chuc-mung@2027"
    # Done again after the undo: a new acknowledgement, a third entry.
    assert acks.mark_done(store, "quoc-khanh-jp", "thu-chuc-mung", 2027, "Phòng Lễ tân", "web", "", later)
    assert len(audit.entries(store, action_prefix="ack.")) == 3
    store.dispose()


def test_audit_command_prints_the_trail(make_env, capsys):
    cfg = make_env()
    assert main(["--config", str(cfg), "ack", "quoc-khanh-jp/thu-chuc-mung", "--year", "2027",
                 "--by", "Nguyễn Văn A", "--note", "đã gửi thư"]) == 0
    assert main(["--config", str(cfg), "ack", "quoc-khanh-jp/thu-chuc-mung", "--year", "2027",
                 "--by", "Trần Thị B", "--undo"]) == 0
    out = capsys.readouterr().out
    assert "Đã hoàn tác" in out
    assert main(["--config", str(cfg), "ack", "quoc-khanh-jp/thu-chuc-mung", "--year", "2027", "--undo"]) == 0
    assert "chưa được đánh dấu" in capsys.readouterr().out
    assert main(["--config", str(cfg), "audit"]) == 0
    out = capsys.readouterr().out
    assert "Trần Thị B (cli)  Hoàn tác đánh dấu hoàn thành: quoc-khanh-jp/thu-chuc-mung@2027" in out
    assert "Nguyễn Văn A (cli)  Đánh dấu đã hoàn thành" in out and "đã gửi thư" in out
    assert main(["--config", str(cfg), "audit", "--json", "--event", "quoc-khanh-jp"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["action"] for x in lines] == ["ack.undo", "ack.add"]


def test_unknown_action_is_refused(sqlite_url):
    store = open_store(sqlite_url)
    with store.engine.begin() as conn:
        try:
            audit.record(conn, at=NOW, actor="x", via="web", action="nope", subject="s")
        except ValueError as e:
            assert "nope" in str(e)
        else:
            raise AssertionError("an unknown action must be refused")
    store.dispose()
