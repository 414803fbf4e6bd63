"""ruff and mypy --strict are part of the suite, so CI keeps the code clean."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def _tool(name: str) -> str:
    exe = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(name) \
        or shutil.which(name, path=str(sys.prefix) + "/bin")
    if exe is None:
        pytest.skip(f"{name} is not installed (it is in the [test] extras)")
    return exe


def test_ruff():
    p = subprocess.run([_tool("ruff"), "check", "reminderd", "tests", "bench", "tools"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr


def test_mypy_strict():
    p = subprocess.run([_tool("mypy"), "reminderd"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
