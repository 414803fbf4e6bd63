"""An audit entry's before and after as an editor reads them: "thời hạn: 5-7 ngày làm việc;
chủ trì: Sở Ngoại vụ", not the stored JSON's "lead: 5-7wd; owner: so-ngoai-vu". Only the page
changes its words; ``reminderd audit`` and the table keep the stored values."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..config import Config
from ..countries import country_name
from ..feeds.text import tag_title
from .adhoc_form import date_words, lead_words
from .editing_text import tier_name

# (Vietnamese, English) for the keys the stored changes use; others are shown as they are.
KEYS: dict[str, tuple[str, str]] = {
    "title": ("tiêu đề", "title"), "date": ("ngày", "date"), "country": ("nước", "country"),
    "tags": ("nhóm sự kiện", "kinds"), "task": ("việc", "tasks"), "action": ("việc phải làm", "action"),
    "lead": ("thời hạn", "lead time"), "owner": ("chủ trì", "lead"), "support": ("phối hợp", "coordinating"),
    "tier": ("hạng", "tier"), "note": ("ghi chú", "note"), "done_by": ("người đánh dấu", "marked by"),
    "disabled": ("tắt", "disabled"), "add": ("việc thêm", "task added"), "since": ("từ năm", "since"),
    "every": ("chu kỳ", "every"), "start": ("từ năm", "from"), "until": ("đến năm", "until"),
    "state": ("trạng thái", "state"), "recipient": ("người nhận", "recipient"),
}
# Left out of a whole item's record (its subject already names it; the text is long).
QUIET = {"id", "description", "source", "via", "title_en"}


class AuditWords:
    def __init__(self, config: Config, lang: str, person: Callable[[str, str], str]):
        self.config = config
        self.lang = lang
        self.person = person  # (who, via) → "Phòng Lễ tân (liên kết đơn vị)"

    def show(self, before: Any, after: Any) -> tuple[str, str]:
        """Before and after; of two tables, only the keys that differ."""
        if isinstance(before, dict) and isinstance(after, dict):
            keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
            return (self.words({k: before.get(k) for k in keys}, before),
                    self.words({k: after.get(k) for k in keys}, after))
        return self.words(before, before), self.words(after, after)

    def words(self, value: Any, whole: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        i = 1 if self.lang == "en" else 0
        parts = []
        for key, x in value.items():
            if key in QUIET:
                continue
            via = str(whole.get("via", "web")) if isinstance(whole, dict) else "web"
            parts.append(f"{KEYS[key][i] if key in KEYS else key}: {self.value(key, x, via)}")
        return "; ".join(parts)

    def value(self, key: str, x: Any, via: str) -> str:
        cfg, lang = self.config, self.lang
        if x is None or x == [] or x == "":
            return "—"
        if key == "task" and isinstance(x, list):
            return f"{len(x)} {'tasks' if lang == 'en' else 'việc'}"
        if key == "add" and isinstance(x, dict):
            return str(x.get("action", "")) or self.words(x, x)
        if key == "lead":
            return lead_words(str(x), lang)
        if key == "owner":
            return cfg.department_name(str(x), lang)
        if key == "support":
            return ", ".join(cfg.department_name(str(s), lang) for s in (x if isinstance(x, list) else [x]))
        if key == "tier":
            return tier_name(str(x), lang)
        if key == "country":
            return country_name(str(x), lang)
        if key == "tags" and isinstance(x, list):
            return ", ".join(tag_title(str(t), lang) for t in x)
        if key == "date":
            return date_words(str(x), lang)
        if key == "done_by":
            return self.person(str(x), via)
        if isinstance(x, bool):
            return ("yes" if x else "no") if lang == "en" else ("có" if x else "không")
        if isinstance(x, list):
            return ", ".join(str(i) for i in x)
        if isinstance(x, dict):
            return self.words(x, x)
        return str(x)
