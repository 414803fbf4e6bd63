"""Chromium for the browser tests: headless Debian Chromium driven by Playwright
(``/usr/bin/chromium``; no browser downloads), the marks that skip a module saying why, the
page sizes the tests use, and screenshots that ``UPDATE_GOLDEN=1`` copies into docs/.

A module uses it with ``pytestmark = BROWSER_MARKS`` and the ``browser`` fixture, which
conftest.py offers every module (one Chromium per module: Playwright's own event loop never
outlives the module into tests that run theirs).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
# As root in a sandbox, with no network: the background-networking flags keep Chromium from
# trying (and failing) to reach Google's hosts at every start.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="/usr/bin/chromium is missing (apt-get install -y chromium; .ci/run does it)"),
]


def launch() -> Iterator[Any]:
    """One Chromium: each test opens its own context (cookies, size)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def save_shot(page: Any, tmp_path: Path, name: str, full: bool = False) -> Path:
    """A screenshot in the test's directory; with UPDATE_GOLDEN=1 also as docs/<name>."""
    out = tmp_path / name
    page.screenshot(path=str(out), full_page=full)
    assert out.stat().st_size > 10_000
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.copy(out, ROOT / "docs" / name)
    return out
