"""A new ops person's mistakes: each ends in one line naming the file, exit 1, no traceback.

Run as a real process. Unreadable files are made with mode 000; as root (which reads anything)
the command runs with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped (``setpriv``), so the
modes apply exactly as they would to the service's own user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reminderd.cli import build_parser

from .conftest import ROOT


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "reminderd", *argv]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: file modes cannot be tested")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def one_line_naming(p: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "Traceback" not in p.stderr, p.stderr
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    hit = [line for line in lines if all(n in line for n in needles)]
    assert hit, p.stderr
    return hit[0]


def test_config_that_is_a_directory(tmp_path: Path) -> None:
    line = one_line_naming(cli("--config", str(tmp_path), "check"), str(tmp_path))
    assert "thư mục" in line


def test_unreadable_config(make_env) -> None:
    cfg = make_env()
    cfg.chmod(0)
    one_line_naming(cli("--config", str(cfg), "check"), str(cfg), "quyền đọc")


def test_unreadable_catalog_file(make_env) -> None:
    cfg = make_env(files={"other.toml": '[[event]]\nid = "b"\ntitle = "B"\ndate = "05-01"\n'})
    bad = cfg.parent / "calendars" / "other.toml"
    bad.chmod(0)
    one_line_naming(cli("--config", str(cfg), "check"), str(bad), "không đọc được")


def test_unreadable_catalog_directory_is_not_an_empty_catalog(make_env) -> None:
    """``cp -r calendars`` under umask 027, read by the service's user: 'valid, 0 events' before."""
    cfg = make_env()
    cal = cfg.parent / "calendars"
    cal.chmod(0o700)
    if os.geteuid() == 0:
        os.chown(cal, 12345, 12345)  # someone else's 0700 directory
    else:
        cal.chmod(0)
    p = cli("--config", str(cfg), "check")
    one_line_naming(p, str(cal), "không đọc được thư mục")
    assert "Hợp lệ" not in p.stdout


def test_empty_catalog_is_an_error_unless_intended(make_env) -> None:
    cfg = make_env(catalog="# nothing yet\n")
    line = one_line_naming(cli("--config", str(cfg), "check"), str(cfg), "[catalog]", "allow_empty")
    assert "danh mục trống" in line
    text = cfg.read_text(encoding="utf-8").replace('paths = ["calendars"]',
                                                   'paths = ["calendars"]\nallow_empty = true')
    cfg.write_text(text, encoding="utf-8")
    p = cli("--config", str(cfg), "check")
    assert p.returncode == 0, p.stderr
    assert "0 sự kiện" in p.stdout


def test_send_test_with_a_missing_password_file(make_env, tmp_path: Path) -> None:
    from .conftest import SMALL_CONFIG

    missing = tmp_path / "no-such-password"
    cfg = make_env(config=SMALL_CONFIG.replace('tls = "none"', f'tls = "none"\nuser = "reminderd"\n'
                                               f'password_file = "{missing}"'))
    p = cli("--config", str(cfg), "send-test", "--to", "a@example.gov.vn")
    one_line_naming(p, str(missing), "[smtp] password_file")


def test_global_options_after_the_command(make_env) -> None:
    cfg = str(make_env())
    p = cli("check", "--config", cfg)
    assert p.returncode == 0 and "Hợp lệ: 4 sự kiện" in p.stdout, p.stderr
    for argv in (["run", "--config", cfg], ["access", "create", "--admin", "--label", "x", "--config", cfg],
                 ["--config", cfg, "run"], ["token", "list", f"--config={cfg}"]):
        args = build_parser(argv).parse_args(argv)
        assert args.config == cfg, argv
    args = build_parser(["run"]).parse_args(["run"])
    assert args.config is None  # $REMINDERD_CONFIG or the default still apply
