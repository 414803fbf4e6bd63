"""systemd/reminderd.service: ``systemd-analyze verify`` clean and security exposure ≤ 2.0.

Runs when ``systemd-analyze`` is installed (``.ci/run`` installs it when it can), else skips.
The unit's ExecStart points at /opt/reminderd (the documented install path); the check runs on
a copy pointing at this environment's ``reminderd``, since verify insists the binary exists.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

UNIT = ROOT / "systemd" / "reminderd.service"
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze not installed "
                                   "(apt-get install systemd); unit-file checks skipped")


def _local_copy(tmp_path: Path) -> Path:
    exe = Path(sys.executable).with_name("reminderd")
    if not exe.exists():
        pytest.skip(f"{exe} not found: install the package (pip install -e .) to verify the unit")
    text = UNIT.read_text(encoding="utf-8").replace("/opt/reminderd/.venv/bin/reminderd", str(exe))
    out = tmp_path / "reminderd.service"
    out.write_text(text, encoding="utf-8")
    return out


def test_unit_has_the_required_settings() -> None:
    text = UNIT.read_text(encoding="utf-8")
    settings = dict(re.findall(r"^(\w+)=(.*)$", text, re.M))
    assert settings["Type"] == "notify"
    assert int(settings["WatchdogSec"]) > 0
    assert settings["DynamicUser"] == "yes"
    for key in ("StateDirectory", "CacheDirectory", "ConfigurationDirectory", "LoadCredential", "ProtectHome",
                "RestrictAddressFamilies"):
        assert settings.get(key), key
    assert settings["ProtectSystem"] == "strict"
    assert settings["PrivateTmp"] == settings["NoNewPrivileges"] == "yes"
    assert settings["CapabilityBoundingSet"] == ""
    assert "@system-service" in text
    assert settings["LoadCredential"].startswith("smtp:")


@needs_analyze
def test_systemd_analyze_verify_is_clean(tmp_path: Path) -> None:
    unit = _local_copy(tmp_path)
    out = subprocess.run([str(ANALYZE), "verify", "--man=no", str(unit)], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    problems = [ln for ln in out.stderr.splitlines() if "reminderd.service" in ln]
    assert not problems, out.stderr


@needs_analyze
def test_security_exposure_at_most_2(tmp_path: Path) -> None:
    unit = _local_copy(tmp_path)
    out = subprocess.run([str(ANALYZE), "security", "--offline=true", str(unit)], capture_output=True,
                         text=True, timeout=60, cwd=tmp_path)
    if "--offline" in out.stderr and "unrecognized" in out.stderr:
        pytest.skip("this systemd-analyze has no --offline (systemd < 252)")
    m = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", out.stdout + out.stderr)
    assert m, out.stdout + out.stderr
    assert float(m.group(1)) <= 2.0, out.stdout
