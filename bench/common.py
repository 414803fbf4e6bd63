"""Helpers shared by the benchmarks: statistics, the machine, tools, free ports, results."""

from __future__ import annotations

import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


@dataclass
class Section:
    """One benchmark's results: a Markdown block for docs/BENCHMARKS.md and its verdicts."""

    key: str  # the marker name in docs/BENCHMARKS.md
    markdown: str
    # (target, measured figure, met?); None: not measured
    verdicts: list[tuple[str, str, bool | None]] = field(default_factory=list)


def mmm(values: list[float], fmt: str = "{:.2f}", unit: str = "") -> str:
    """``min / median / max`` of several runs, formatted."""
    if not values:
        return "—"
    lo, med, hi = min(values), statistics.median(values), max(values)
    return " / ".join(fmt.format(v) for v in (lo, med, hi)) + unit


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def which(tool: str) -> str | None:
    for cand in (tool, f"/usr/sbin/{tool}", f"/usr/bin/{tool}"):
        found = shutil.which(cand) if "/" not in cand else (cand if Path(cand).exists() else None)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version_of(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "absent"
    text = (out.stdout + out.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


def machine() -> str:
    """One paragraph: CPU, cores, memory, OS, Python and the versions that matter."""
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    pkgs = ", ".join(f"{d} {version_of(d)}" for d in
                     ("reminderd", "holidays", "uvicorn", "httptools", "starlette", "SQLAlchemy",
                      "aiosmtplib", "aiosmtpd", "Radicale"))
    remind = tool_version(["remind", "-v"]) if which("remind") else "absent"
    remind = remind.replace("REMIND ", "").split(" (")[0] if remind != "absent" else remind
    wrk = tool_version(["wrk", "-v"]).split(" [")[0] if which("wrk") else "absent"
    nginx = tool_version([which("nginx") or "nginx", "-v"]).replace("nginx version: ", "") if which("nginx") \
        else "absent"
    return (f"{cpu_model()}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {pkgs}; remind {remind}, {wrk}, {nginx}")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")
