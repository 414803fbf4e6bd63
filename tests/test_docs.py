"""Docs are tested against the code: the config reference, the README's commands, SPEC's CLI."""

from __future__ import annotations

import os
import re

from reminderd.cli import build_parser
from reminderd.config import schema_markdown

from .conftest import ROOT


def test_config_reference_is_current():
    """docs/CONFIG.md is generated from the schema (UPDATE_GOLDEN=1 rewrites it)."""
    path = ROOT / "docs" / "CONFIG.md"
    want = schema_markdown()
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(want, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == want, "run UPDATE_GOLDEN=1 pytest tests/test_docs.py"


def test_example_config_uses_only_documented_keys():
    doc = (ROOT / "docs" / "CONFIG.md").read_text(encoding="utf-8")
    for path in sorted((ROOT / "config").glob("*.toml")):  # every province's example
        text = path.read_text(encoding="utf-8")
        for key in re.findall(r"^([a-z_]+)\s*=", text, re.M):
            if key in ("regular", "local_cooperation"):  # [partners] tiers are free-form
                continue
            assert f"`{key}`" in doc, (path.name, key)
        assert all(f"## [{sec}]" in doc for sec in re.findall(r"^\[([a-z_]+)\]$", text, re.M)), path.name


def test_readme_commands_match_ci():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    test_cmd = next(b.strip() for b in blocks if "pytest" in b)
    assert test_cmd in ci, "the README's test command must be exactly what .ci/run runs"


def test_spec_commands_exist():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = set(sub.choices)  # type: ignore[union-attr]
    for cmd in ("check", "upcoming", "explain", "workdays", "lunar"):
        assert cmd in names


def test_the_repository_stands_alone():
    """README, docs/, the shipped calendars and the CLI's help cite nothing outside the repository."""
    import io
    from contextlib import redirect_stdout

    texts = {p: p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md"),
                                                         *(ROOT / "calendars").glob("*.toml")]}
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():  # type: ignore[union-attr]
        out = io.StringIO()
        with redirect_stdout(out):
            p.print_help()
        texts[f"reminderd {name} --help"] = out.getvalue()  # type: ignore[index]
    for where, text in texts.items():
        for bad in (r"SPEC\s*§", r"\bthe brief\b", r"/work/", r"\bissue \d+", r"\bissue #\d+"):
            assert not re.search(bad, text, re.I), (where, bad)
