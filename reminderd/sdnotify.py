"""The systemd notification protocol (sd_notify(3)), without a dependency.

systemd passes ``NOTIFY_SOCKET`` (a path, or ``@name`` for an abstract socket)
to a ``Type=notify`` service; we send datagrams of ``KEY=VALUE`` lines to it:
``READY=1`` once serving, ``STATUS=…`` for ``systemctl status``, ``STOPPING=1``
on shutdown, and ``WATCHDOG=1`` pings. The pings are sent *from the event loop*
(an asyncio task), so a loop stuck in a blocking call stops pinging and systemd
restarts the service — which is the point of the watchdog.

Without ``NOTIFY_SOCKET`` (started by hand, in a terminal) every call is a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Mapping


class Notifier:
    def __init__(self, address: str | None, watchdog_usec: int | None = None):
        self.address = address
        self.watchdog_usec = watchdog_usec
        self._sock: socket.socket | None = None
        if address:
            self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            # Never block the event loop: when the receiver's queue is full (net.unix.max_dgram_qlen,
            # 10 by default, and nobody reading) a blocking sendto would freeze the daemon.
            self._sock.setblocking(False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Notifier:
        """Read NOTIFY_SOCKET / WATCHDOG_USEC / WATCHDOG_PID as systemd sets them."""
        env = os.environ if env is None else env
        address = env.get("NOTIFY_SOCKET") or None
        usec: int | None = None
        raw = env.get("WATCHDOG_USEC")
        pid = env.get("WATCHDOG_PID")
        # WATCHDOG_PID names the process the watchdog is meant for; a child must not ping.
        if raw and (not pid or pid == str(os.getpid())):
            with contextlib.suppress(ValueError):
                usec = int(raw) if int(raw) > 0 else None
        return cls(address, usec)

    @property
    def enabled(self) -> bool:
        return self._sock is not None

    def _target(self) -> str | bytes:
        assert self.address
        if self.address.startswith("@"):
            return b"\0" + self.address[1:].encode()  # Linux abstract namespace
        return self.address

    def notify(self, *lines: str) -> bool:
        """Send ``KEY=VALUE`` lines; False (never an exception) if it could not be sent.

        A lost notification must not take the daemon down: systemd would then
        time out the start or the watchdog and restart us, which is the right outcome.
        """
        if self._sock is None:
            return False
        data = "\n".join(lines).encode("utf-8")
        try:
            self._sock.sendto(data, self._target())
            return True
        except OSError:
            return False

    def ready(self, status: str | None = None) -> bool:
        lines = ["READY=1", f"MAINPID={os.getpid()}"]
        if status:
            lines.append(f"STATUS={_one_line(status)}")
        return self.notify(*lines)

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={_one_line(text)}")

    def stopping(self, status: str | None = None) -> bool:
        lines = ["STOPPING=1"]
        if status:
            lines.append(f"STATUS={_one_line(status)}")
        return self.notify(*lines)

    def reloading(self) -> bool:
        return self.notify("RELOADING=1")

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    @property
    def watchdog_interval(self) -> float | None:
        """Seconds between pings: half the watchdog timeout, as sd_watchdog_enabled(3) advises."""
        if not self.watchdog_usec or not self.enabled:
            return None
        return self.watchdog_usec / 2_000_000

    async def watchdog_loop(self) -> None:
        """Ping forever from the event loop; cancel the task to stop."""
        interval = self.watchdog_interval
        if interval is None:
            return
        while True:
            self.watchdog()
            await asyncio.sleep(interval)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def _one_line(text: str) -> str:
    return " ".join(text.split())
