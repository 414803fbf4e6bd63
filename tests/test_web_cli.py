"""``reminderd access …`` and ``admin set-password``: the CLI side of the page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture
def cfg(make_env: Callable[..., Path]) -> Path:
    return make_env()


def test_set_password_without_a_terminal_says_use_password_stdin(cfg: Path) -> None:
    """Over ssh without -t, or with stdin redirected, getpass has nothing to read: one clear line."""
    r = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "admin", "set-password"],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=ROOT, timeout=60,
                       start_new_session=True)  # no controlling terminal: getpass cannot open /dev/tty
    assert r.returncode == 1, r
    assert "Traceback" not in r.stderr and "EOFError" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--password-stdin" in lines[0], r.stderr
    r = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(cfg), "admin", "set-password",
                        "--password-stdin"], input="mot-mat-khau-dai\n", capture_output=True, text=True,
                       cwd=ROOT, timeout=60, start_new_session=True)
    assert r.returncode == 0, r.stderr
