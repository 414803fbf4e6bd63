"""A real SMTP server for the mail tests: aiosmtpd over a socket, STARTTLS required, AUTH.

``SmtpSink`` records every accepted message; ``replies`` scripts the DATA answers
("421 …" then "250 …", or "550 …") to exercise retry and dead rows.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import textwrap
import threading
from collections.abc import Iterator
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


@dataclass
class Handler:
    replies: list[str] = field(default_factory=list)  # consumed in order; then 250
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    auth_ok: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            reply = self.replies.pop(0) if self.replies else "250 OK"
            if reply.startswith("250"):
                self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return reply

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[misc]
                for _, _, raw in self.received]


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
                base: str = SMALL_CONFIG) -> str:
    """SMALL_CONFIG pointed at the sink (TLS with our CA, AUTH by password env var)."""
    smtp = textwrap.dedent(f"""
        [smtp]
        host = "127.0.0.1"
        port = {sink.port}
        tls = "{sink.tls}"
        user = "{USER}"
        password_env = "REMINDERD_TEST_SMTP_PASSWORD"
        ca_file = "{sink.ca_file}"
        timeout = 10
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


__all__ = ["PASSWORD", "SMALL_CATALOG", "USER", "SmtpSink", "config_text", "sink_env"]
