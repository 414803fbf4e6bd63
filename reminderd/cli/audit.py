"""audit: the trail of changes people made (acknowledgements, ad-hoc items, partners, overrides)."""

from __future__ import annotations

import argparse
import json
import sys

from .. import audit
from ..i18n import lookup
from ..store import open_store
from .common import config

TEXT: dict[str, dict[str, str]] = {
    "none": {"vi": "(nhật ký thay đổi trống)", "en": "(the audit trail is empty)"},
    "before": {"vi": "trước", "en": "before"},
    "after": {"vi": "sau", "en": "after"},
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="nhật ký thay đổi: ai đổi gì, khi nào, trước và sau")
    p.add_argument("--event", metavar="ID", help="chỉ các thay đổi của một sự kiện")
    p.add_argument("--action", metavar="PREFIX",
                   help="chỉ một loại thay đổi (vd. ack, adhoc, partner, override, import)")
    p.add_argument("--limit", type=int, default=100, help="số dòng tối đa (mặc định 100; 0 = tất cả)")
    p.add_argument("--json", action="store_true", help="JSON, mỗi dòng một mục (cho script)")
    p.set_defaults(func=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> int:
    cfg = config(args)
    lang = cfg.language
    rows = audit.entries(open_store(cfg.database_url), event_id=args.event, action_prefix=args.action,
                         limit=args.limit or None)
    out: list[str] = []
    if args.json:
        out = [json.dumps(e.to_json(), ensure_ascii=False) for e in rows]
    elif not rows:
        out = [lookup(TEXT, lang, "none")]
    for e in ([] if args.json else rows):
        at = e.at.astimezone(cfg.tz).strftime("%d/%m/%Y %H:%M")
        out.append(f"{at}  {e.actor} ({e.via})  {audit.action_label(e.action, lang)}: {e.subject}")
        for key, value in (("before", e.before), ("after", e.after)):
            if value is not None:
                out.append(f"    {lookup(TEXT, lang, key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}")
        if e.note:
            out.append(f"    {e.note}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0
