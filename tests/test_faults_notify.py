"""The systemd notification socket never blocks the daemon: with nobody reading it (a stalled
PID 1, or a test harness) the kernel queue fills after ``net.unix.max_dgram_qlen`` datagrams
(10 by default), and a blocking ``sendto`` would freeze the event loop — HTTP, scheduler and
watchdog alike. Notifications past that are dropped (``notify`` returns False), never waited on.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

from reminderd.sdnotify import Notifier


def test_a_full_notify_socket_drops_lines_instead_of_blocking(tmp_path: Path) -> None:
    path = tmp_path / "notify.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    try:
        n = Notifier(str(path))
        t0 = time.monotonic()
        results = [n.status(f"{i} pending") for i in range(200)]  # never read
        assert time.monotonic() - t0 < 2
        assert results[0] is True and results[-1] is False
        receiver.settimeout(1)
        assert receiver.recv(4096).startswith(b"STATUS=0 pending")
        n.close()
    finally:
        receiver.close()
