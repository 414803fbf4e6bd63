"""Shared fixtures: a small config + catalog written into a temp directory."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = ROOT / "config" / "reminderd.toml"

SMALL_CONFIG = """
[organization]
name = "UBND tỉnh Thử"

[catalog]
paths = ["calendars"]

[workdays]
confirmed_through = 2025

[partners]
regular = ["JP", "US"]
local_cooperation = ["LA", "KR", "CN"]

[state]
directory = "state"

[database]
url = "sqlite:///state/reminderd.db"

[smtp]
host = "127.0.0.1"
port = 8025
tls = "none"

[[department]]
id = "so-ngoai-vu"
name = "Sở Ngoại vụ"
email = ["songoaivu@example.gov.vn"]
escalate_to = "vp-ubnd"

[[department]]
id = "vp-ubnd"
name = "Văn phòng UBND tỉnh"
email = ["vpubnd@example.gov.vn"]
"""

SMALL_CATALOG = """
[[event]]
id = "quoc-khanh-jp"
title = "Quốc khánh Nhật Bản"
date = "02-23"
country = "JP"
tags = ["quoc-khanh"]

[[event.task]]
id = "thu-chuc-mung"
action = "Chủ tịch UBND tỉnh gửi thư chúc mừng Đại sứ quán Nhật Bản"
lead = "5-7wd"
owner = "so-ngoai-vu"
tier = "regular"

[[event.task]]
id = "thu-dia-phuong"
action = "Gửi thư chúc mừng địa phương hợp tác"
lead = "10-15wd"
owner = "so-ngoai-vu"
tier = "local_cooperation"

[[event]]
id = "dang-nd-cm-lao"
title = "Kỷ niệm {ordinal} năm Ngày thành lập Đảng Nhân dân Cách mạng Lào ({since} - {date})"
date = "03-22"
since = 1955-03-22
country = "LA"

[[event.task]]
id = "thu-chuc-mung"
action = "Bí thư Tỉnh ủy gửi thư chúc mừng lần thứ {ordinal}"
lead = "10-15wd"
owner = "so-ngoai-vu"
support = ["vp-ubnd"]

[[event]]
id = "tet"
title = "Tết Nguyên đán {year}"
date = "lunar:01-01"
tags = ["ngay-le-viet-nam"]

[[event.task]]
id = "tham-chuc-tet"
action = "Thăm, chúc Tết các Đại sứ quán"
lead = "3-10wd"
owner = "so-ngoai-vu"
support = ["vp-ubnd"]

[[event]]
id = "quoc-khanh-fr"
title = "Quốc khánh Pháp"
date = "07-14"
country = "FR"
"""


@pytest.fixture
def make_env(tmp_path: Path) -> Callable[..., Path]:
    """Write a config and catalog; return the config path."""

    def make(catalog: str = SMALL_CATALOG, config: str = SMALL_CONFIG,
             files: dict[str, str] | None = None) -> Path:
        cal = tmp_path / "calendars"
        cal.mkdir(exist_ok=True)
        (cal / "main.toml").write_text(textwrap.dedent(catalog), encoding="utf-8")
        for name, text in (files or {}).items():
            (cal / name).write_text(textwrap.dedent(text), encoding="utf-8")
        cfg = tmp_path / "reminderd.toml"
        cfg.write_text(textwrap.dedent(config), encoding="utf-8")
        return cfg

    return make
