"""Two daemons on one database: an ad-hoc item added on one reaches the other's plan."""

from __future__ import annotations

import datetime as dt

from reminderd import adhoc
from reminderd.context import Context
from reminderd.runtime import load_runtime
from reminderd.store import open_store

ITEM = {"id": "dai-su-moi", "title": "Tân Đại sứ đến nhận nhiệm vụ", "date": "2025-03-12",
        "task": [{"id": "thu", "action": "Gửi thư chào mừng", "lead": "2wd", "owner": "so-ngoai-vu"}]}


def test_other_daemon_picks_up_adhoc_items(make_env, db_url):
    cfg = make_env()
    now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    a = Context(load_runtime(cfg), open_store(db_url), now=lambda: now)
    b = Context(load_runtime(cfg), open_store(db_url), now=lambda: now)
    adhoc.refresh(a)
    adhoc.refresh(b)
    assert not adhoc.changed_elsewhere(b)
    ev, problems = adhoc.add(a, ITEM, by="test")
    assert ev is not None, problems
    assert adhoc.changed_elsewhere(b)  # what the daemon's "adhoc" job checks every minute
    adhoc.refresh(b)
    assert "dai-su-moi" in {e.id for e in b.runtime.catalog.events}
    assert not adhoc.changed_elsewhere(b)
    assert adhoc.delete(a, "dai-su-moi")
    assert adhoc.changed_elsewhere(b)
    adhoc.refresh(b)
    assert "dai-su-moi" not in {e.id for e in b.runtime.catalog.events}
    a.store.dispose()
    b.store.dispose()
