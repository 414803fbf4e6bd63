"""What the protections cost and what they hold off, on the real daemon (docs/RELIABILITY.md).

Starts ``reminderd run`` on a copy of the example config (fresh SQLite) and measures:

- memory: the daemon's RSS idle, and its peak (VmHWM) after four concurrent unauthenticated
  POSTs of 100 MB each to ``/login`` and ``/ack/x`` (refused with 413 before the body is read),
  and how long each took to be answered;
- a password login: the time of one (scrypt N=2^17, r=8, p=1), of eight at once (two scrypt
  slots), and the peak RSS meanwhile;
- a guessing run: 120 wrong passwords as fast as one client can send them, then the right
  one — how many were checked, how many answered 429, and what the right one got;
- ``/api/v1/ack`` with JSON nested 100,000 deep: status and time.

    .venv/bin/python bench/bench_security.py

Not part of ``run_all``: these are figures of a protection, measured once per change to it.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-that-dai-2025"


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def reset_peak(pid: int) -> None:
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM (Linux ≥ 4.0)


def big_post(port: int, path: str, size: int, headers: str = "") -> tuple[str, float, float]:
    """POST ``size`` bytes; stop sending once an answer comes. (status line, MB sent, seconds)."""
    import threading

    ctype = "application/json" if path.startswith("/api/") else "application/x-www-form-urlencoded"
    chunk = (b'"' + b"a" * 65534 + b'"') if ctype == "application/json" else b"a=b&" * 16384
    t0 = time.monotonic()
    answer = bytearray()
    s = socket.create_connection(("127.0.0.1", port), timeout=120)

    def read() -> None:
        try:
            while b"\r\n" not in answer:
                data = s.recv(4096)
                if not data:
                    return
                answer.extend(data)
        except OSError:
            return

    reader = threading.Thread(target=read)
    reader.start()
    sent = 0
    try:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\n{headers}"
                  f"Content-Length: {size}\r\n\r\n".encode())
        while sent < size and not answer:
            s.sendall(chunk[: size - sent])
            sent += min(len(chunk), size - sent)
    except OSError:
        pass
    reader.join(120)
    s.close()
    line = bytes(answer).split(b"\r\n", 1)[0].decode(errors="replace")
    return line, sent / 1e6, time.monotonic() - t0


def login(base: str, user: str, password: str, address: str = "") -> tuple[int, str, float]:
    """A login as a browser does it; ``address``: the client's, as the (loopback) proxy says."""
    import httpx

    t0 = time.monotonic()
    with httpx.Client(base_url=base, timeout=120, headers={"X-Forwarded-For": address} if address else {}) as c:
        page = c.get("/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        r = c.post("/login", data={"username": user, "password": password, "csrf": token[1]})
    return r.status_code, r.headers.get("retry-after", ""), time.monotonic() - t0


def main() -> int:
    import httpx

    t = Path(tempfile.mkdtemp(prefix="bench-security-"))
    try:
        shutil.copytree(ROOT / "config", t / "config")
        shutil.copytree(ROOT / "calendars", t / "calendars")
        cfg = t / "config" / "reminderd.toml"
        port = free_port()
        cfg.write_text(cfg.read_text(encoding="utf-8").replace("127.0.0.1:8080", f"127.0.0.1:{port}"),
                       encoding="utf-8")
        exe = [sys.executable, "-m", "reminderd", "--config", str(cfg)]
        subprocess.run([*exe, "admin", "set-password", "--password-stdin"], input=PASSWORD + "\n",
                       text=True, check=True, capture_output=True)
        made = subprocess.run([*exe, "access", "create", "--admin", "--label", "bench"], text=True, check=True,
                              capture_output=True).stdout
        admin = re.findall(r"Bearer (\S+)", made)[-1]
        made = subprocess.run([*exe, "access", "create", "--department", "so-ngoai-vu", "--label", "bench"],
                              text=True, check=True, capture_output=True).stdout
        made_access = ("so-ngoai-vu", re.findall(r"Bearer (\S+)", made)[-1])
        proc = subprocess.Popen([*exe, "run"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        time.sleep(3)  # the start-up pass and feed build
        pid = proc.pid
        print(f"idle RSS: {status_kb(pid, 'VmRSS') / 1024:.0f} MB")

        reset_peak(pid)
        _, access = made_access
        doors = [("/login", ""), ("/ack/x", ""), ("/api/v1/ack", f"Authorization: Bearer {access}\r\n"),
                 ("/api/v1/adhoc", f"Authorization: Bearer {admin}\r\n")]
        with cf.ThreadPoolExecutor(4) as ex:
            got = list(ex.map(lambda d: (d[0], *big_post(port, d[0], 100_000_000, d[1])), doors))
        for path, answer, mb, secs in got:
            print(f"100 MB POST {path}: {answer!r} after {mb:.1f} MB sent, {secs:.2f} s")
        print(f"peak RSS over these 4 × 100 MB POSTs: {status_kb(pid, 'VmHWM') / 1024:.0f} MB "
              f"(now {status_kb(pid, 'VmRSS') / 1024:.0f} MB)")

        code, _, secs = login(base, "admin", PASSWORD)
        print(f"one login: {code} in {secs:.2f} s")
        reset_peak(pid)
        with cf.ThreadPoolExecutor(8) as ex:
            res = list(ex.map(lambda i: login(base, f"u{i}", "sai-mat-khau", f"198.51.100.{i + 1}"), range(8)))
        print("8 logins at once (unknown users): " + ", ".join(f"{c} {s:.2f}s" for c, _, s in res)
              + f"; peak RSS {status_kb(pid, 'VmHWM') / 1024:.0f} MB")

        t0 = time.monotonic()
        codes: dict[int, int] = {}
        for _ in range(120):
            c, _, _ = login(base, "admin", "sai", "203.0.113.7")
            codes[c] = codes.get(c, 0) + 1
        spent = time.monotonic() - t0
        right, retry, _ = login(base, "admin", PASSWORD, "203.0.113.7")
        print(f"120 wrong passwords in {spent:.1f} s: {codes}; then the right one: {right} "
              f"(Retry-After {retry} s)")

        t0 = time.monotonic()
        deep = b"[" * 100_000 + b"]" * 100_000
        r = httpx.post(base + "/api/v1/ack", content=deep, timeout=60, headers={"Authorization": f"Bearer {admin}"})
        print(f"JSON nested 100,000 deep (editor token): {r.status_code} in {time.monotonic() - t0:.3f} s")
        proc.terminate()
        proc.wait(30)
    finally:
        shutil.rmtree(t, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
