"""Shared fixtures: a small config + catalog written into a temp directory."""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Callable, Iterator
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


@pytest.fixture(autouse=True, scope="session")
def _compiled_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The compiled-catalog cache (reminderd.compiled) of this test run, not the user's ~/.cache;
    commands run in a child inherit it."""
    saved = {k: os.environ.get(k) for k in ("XDG_CACHE_HOME", "CACHE_DIRECTORY")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    os.environ.pop("CACHE_DIRECTORY", None)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


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


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state' / 'reminderd.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema per test (REMINDERD_TEST_PG_URL; CI sets it)."""
    url = os.environ.get("REMINDERD_TEST_PG_URL")
    if not url:
        pytest.skip("REMINDERD_TEST_PG_URL is not set: PostgreSQL tests skipped "
                    "(CI sets it; locally: export REMINDERD_TEST_PG_URL="
                    "postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    from sqlalchemy import create_engine

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Run a test on SQLite and (when configured) on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


def example_with_every_department() -> str:
    """The example config's text with the departments of the other provinces' examples added:
    for tests that read all three provinces' plans with one config (the plan importer's)."""
    import re

    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    have = set(re.findall(r'^id = "([^"]+)"', text, re.M))
    extra = []
    for other in ("binh-dinh.toml", "tuyen-quang.toml"):
        source = (ROOT / "config" / other).read_text(encoding="utf-8")
        for block in re.findall(r"^\[\[department\]\]\n.*?(?=^\[|\Z)", source, re.M | re.S):
            dep = re.search(r'^id = "([^"]+)"', block, re.M)
            if dep and dep.group(1) not in have:
                have.add(dep.group(1))
                extra.append(block.rstrip() + "\n")
    return text.rstrip() + "\n\n" + "\n".join(extra)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium for a browser-test module (tests/browser_support.py)."""
    from .browser_support import launch

    yield from launch()
