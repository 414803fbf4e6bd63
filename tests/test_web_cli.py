"""``reminderd access …`` and ``admin set-password``: the CLI side of the page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reminderd.cli import main

from .conftest import ROOT, SMALL_CONFIG


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


def test_access_revoke_twice_says_so_and_exits_1(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Like ``token revoke``: revoking what is already revoked is an error, not a silent success."""
    assert main(["--config", str(cfg), "access", "create", "--department", "so-ngoai-vu", "--label", "Chị Lan"]) == 0
    tid = capsys.readouterr().out.split()[0].lstrip("#")
    assert main(["--config", str(cfg), "access", "revoke", tid]) == 0
    assert "đã thu hồi liên kết" in capsys.readouterr().out
    assert main(["--config", str(cfg), "access", "revoke", tid]) == 1
    err = capsys.readouterr().err
    assert f"liên kết #{tid} đã bị thu hồi từ trước" in err
    assert main(["--config", str(cfg), "access", "revoke", "999"]) == 1


def test_access_list_kinds_are_words(cfg: Path, make_env: Callable[..., Path],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """``access`` / ``admin`` are table names; the list says đơn vị / biên tập (department / editor)."""
    assert main(["--config", str(cfg), "access", "create", "--department", "vp-ubnd", "--label", "VP"]) == 0
    assert main(["--config", str(cfg), "access", "create", "--admin", "--label", "Anh Minh"]) == 0
    capsys.readouterr()
    assert main(["--config", str(cfg), "access", "list"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 2
    assert rows[0].split()[1:3] == ["đơn", "vị"] and "Văn phòng UBND" in rows[0] and "hiệu lực" in rows[0]
    assert rows[1].split()[1:3] == ["biên", "tập"]
    assert not any(w in r.split() for r in rows for w in ("access", "admin"))
    make_env(config=SMALL_CONFIG.replace("[organization]", '[organization]\nlanguage = "en"', 1))
    assert main(["--config", str(cfg), "access", "list"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].split()[1] == "department" and rows[1].split()[1] == "editor" and "active" in rows[0]
