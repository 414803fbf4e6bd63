"""A real SMTP server for the mail tests: aiosmtpd over a socket, STARTTLS required, AUTH.

``SmtpSink`` records every accepted message; ``replies`` scripts the DATA answers
("421 …" then "250 …", or "550 …") to exercise retry and dead rows.

Fault injection (tests/test_faults_*.py): ``rcpt_replies`` answers RCPT for chosen
addresses (a poison recipient always 451 or 550); ``data_faults`` makes DATA for a chosen
recipient answer a code, ``"drop"`` the connection or ``"hang"`` (never answer); ``mail_reply``
answers every MAIL FROM (``530 …``: a server that wants AUTH we do not give); ``delay``
slows every MAIL/RCPT/DATA answer; ``after_accept`` is called right after a 250 to DATA
has been written to the socket (the kill -9 test kills the daemon there, before it can
record the send); ``life`` tags each accepted message with the daemon process that sent it.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from .conftest import SMALL_CATALOG, SMALL_CONFIG

USER = "reminderd"
PASSWORD = "mật-khẩu-bí-mật"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Accepted:
    """One message the server answered 250 to DATA."""

    n: int  # 1-based order of acceptance at this server
    life: int  # ``Handler.life`` at that moment: which daemon process sent it
    message_id: str
    subject: str


@dataclass
class Handler:
    replies: list[str] = field(default_factory=list)  # consumed in order; then 250
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    auth_ok: int = 0
    # --- fault injection ---
    rcpt_replies: dict[str, str] = field(default_factory=dict)  # address → RCPT answer ("451 …")
    # address → "4xx …"/"5xx …" (DATA answer), "drop", "hang" (no answer for hang_seconds),
    # "late" (250, but only after hang_seconds — after the client gave up)
    data_faults: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering each MAIL, RCPT and DATA
    mail_reply: str | None = None  # answer every MAIL FROM with this ("530 5.7.0 Authentication required")
    mails: int = 0  # MAIL FROM commands seen
    hang_seconds: float = 60.0  # how long a "hang" keeps silent (the client gives up first)
    after_accept: Callable[[int], None] | None = None  # called with Accepted.n once the 250 is out
    life: int = 0
    accepted: list[Accepted] = field(default_factory=list)
    # (time.monotonic(), recipient, answer) for every RCPT refused and every DATA answered
    attempts: list[tuple[float, str, str]] = field(default_factory=list)
    ehlos: int = 0  # EHLO commands seen (two per STARTTLS connection, one without TLS)

    def _attempt(self, rcpt: str, answer: str) -> None:
        with self.lock:
            self.attempts.append((time.monotonic(), rcpt, answer))

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        with self.lock:
            self.ehlos += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.mails += 1
        if self.mail_reply is not None:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        reply = self.rcpt_replies.get(address)
        if reply is not None:
            self._attempt(address, reply)
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        rcpt = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
        fault = self.data_faults.get(rcpt)
        if fault == "hang":  # read the whole message, then say nothing
            self._attempt(rcpt, "hang")
            await asyncio.sleep(self.hang_seconds)
            return "451 4.3.0 woke up too late"
        if fault == "drop":  # read the whole message, then close the connection without a word
            self._attempt(rcpt, "drop")
            server.transport.abort()
            return "421 4.3.0 gone"  # written to a closed transport: never arrives
        late = fault == "late"  # queued at once (as a real MTA does), answered too late
        with self.lock:
            reply = "250 OK" if late else fault or (self.replies.pop(0) if self.replies else "250 OK")
            n = 0
            if reply.startswith("250"):
                self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                n = len(self.accepted) + 1
                self.accepted.append(Accepted(n, self.life, str(msg["Message-ID"]), str(msg["Subject"])))
            self.attempts.append((time.monotonic(), rcpt, "late" if late else reply))
        if late:
            await asyncio.sleep(self.hang_seconds)
        if n and self.after_accept is not None:
            # Runs once smtp_DATA has written this 250 to the socket (the next loop turn).
            asyncio.get_running_loop().call_soon(self.after_accept, n)
        return reply

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[misc]
                for _, _, raw in self.received]

    def tries(self, rcpt: str) -> list[tuple[float, str]]:
        """(when, answer) of every attempt to deliver to ``rcpt`` (refused or answered)."""
        with self.lock:
            return [(t, a) for t, r, a in self.attempts if r == rcpt]


class SmtpSink:
    def __init__(self, tmp: Path, *, tls: str = "starttls", port: int | None = None):
        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(server_ctx)
        self.ca_file = tmp / "smtp-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        self.handler = Handler()
        self.port = port or free_port()
        self.tls = tls

        def auth(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and data.login == USER.encode() \
                and data.password == PASSWORD.encode()
            if ok:
                self.handler.auth_ok += 1
            return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

        kwargs: dict[str, Any] = {"authenticator": auth, "auth_require_tls": tls != "none"}
        if tls == "starttls":
            kwargs |= {"tls_context": server_ctx, "require_starttls": True}
        elif tls == "implicit":
            # aiosmtpd cannot see that an implicit-TLS socket is encrypted: allow AUTH on it.
            kwargs |= {"ssl_context": server_ctx, "auth_require_tls": False}
        else:
            kwargs |= {"auth_require_tls": False}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     server_hostname="localhost", **kwargs)
        if tls == "implicit":
            # The readiness probe must speak TLS too; trust our CA for it.
            ssl_ctx = ssl.create_default_context(cafile=str(self.ca_file))
            self.controller._trigger_server = _tls_trigger(self.controller, ssl_ctx)  # type: ignore[method-assign]
        self.controller.start()
        self.stopped = False

    def stop(self) -> None:
        if not self.stopped:
            self.controller.stop()
            self.stopped = True


def _tls_trigger(controller: Controller, ctx: ssl.SSLContext) -> Any:
    def trigger() -> None:
        with socket.create_connection((controller.hostname, controller.port)) as s, \
                ctx.wrap_socket(s, server_hostname="127.0.0.1") as ts:
            ts.recv(1024)
    return trigger


def config_text(sink: SmtpSink, *, extra_smtp: str = "", language: str = "vi",
                base: str = SMALL_CONFIG, timeout: int = 10) -> str:
    """SMALL_CONFIG pointed at the sink (TLS with our CA, AUTH by password env var)."""
    smtp = textwrap.dedent(f"""
        [smtp]
        host = "127.0.0.1"
        port = {sink.port}
        tls = "{sink.tls}"
        user = "{USER}"
        password_env = "REMINDERD_TEST_SMTP_PASSWORD"
        ca_file = "{sink.ca_file}"
        timeout = {timeout}
        {extra_smtp}
        """)
    text = textwrap.dedent(base)
    start = text.index("[smtp]")
    end = text.index("[[department]]")
    text = text[:start] + smtp + "\n" + text[end:]
    if language != "vi":
        text = text.replace('[organization]\n', f'[organization]\nlanguage = "{language}"\n', 1)
    return text


def sink_env(tmp: Path, monkeypatch: Any, *, tls: str = "starttls") -> Iterator[SmtpSink]:
    monkeypatch.setenv("REMINDERD_TEST_SMTP_PASSWORD", PASSWORD)
    sink = SmtpSink(tmp, tls=tls)
    try:
        yield sink
    finally:
        sink.stop()


__all__ = ["PASSWORD", "SMALL_CATALOG", "USER", "Accepted", "Handler", "SmtpSink", "config_text", "sink_env"]
