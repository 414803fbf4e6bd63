"""Send composed messages over SMTP with aiosmtplib.

One call, :func:`send_batch`, takes a list of messages and returns one
:class:`Result` per message, in order. It opens at most ``[smtp] concurrency``
connections, each reused for its share of the batch. ``[smtp] timeout`` bounds
every step (connect, TLS, AUTH, each command) and, overall, the opening of a
connection (connect + TLS + AUTH together) and each message's whole transaction
(MAIL, RCPT, DATA and its answer together): a server that answers every command
just before the step's limit cannot make one send last longer. TLS follows
``[smtp] tls``: ``starttls`` (the default; the upgrade is *required*, a server
that does not offer it is an error), ``implicit`` (TLS from the first byte), or
``none`` (plain text, only when the config says so).

Classification, which the outbox turns into retry or dead:

- 2xx: sent.
- 5xx reply to RCPT or DATA (this recipient or this message refused): permanent —
  retrying cannot help.
- 4xx reply, network error, timeout, TLS or AUTH trouble: temporary — retried later.
- A fault of the server or of our settings, not a verdict on the message
  (``Result.server_fault``): any refusal while opening the session (a ``554`` greeting,
  EHLO, STARTTLS, AUTH) and any 5xx to MAIL FROM (``530 Authentication required``,
  the sender refused: the same for every message). Temporary, whatever the code, so
  that fixing the server or the config sends the queue instead of losing it; the rest
  of that connection's share is not tried (the same answer would come), and the
  caller says so loudly.

``[smtp] transport`` (:func:`reminderd.config.mail_transport`) may instead deliver to
a local Maildir (``maildir``): each message a ``.eml`` file in ``new/``, written the
Maildir way (``tmp/`` then a rename), nothing sent.

The password is read through :func:`reminderd.config.smtp_password` and never
appears in a log line or an error text.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import mailbox
import os
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

from .config import Config, mail_transport, maildir_path, smtp_password

log = logging.getLogger("reminderd.mailer")


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    tls: str  # starttls|implicit|none
    user: str
    password: str | None
    timeout: float
    concurrency: int
    ca_file: str | None
    validate_certs: bool
    transport: str = "smtp"  # smtp|maildir
    maildir: str | None = None

    def __repr__(self) -> str:  # the password must never reach a log line
        if self.transport == "maildir":
            return f"Settings(transport='maildir', maildir={self.maildir!r})"
        return (f"Settings(host={self.host!r}, port={self.port}, tls={self.tls!r}, "
                f"user={self.user!r}, password={'***' if self.password else None})")

    @property
    def where(self) -> str:
        """Where messages go, for log lines."""
        return f"maildir:{self.maildir}" if self.transport == "maildir" else f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Result:
    ok: bool
    permanent: bool = False
    error: str = ""
    code: int | None = None
    # The server or our settings refused the session, not this message (see the module doc).
    server_fault: bool = False
    # False: the message was never tried (the batch was asked to stop first).
    attempted: bool = True


NOT_ATTEMPTED = Result(ok=False, error="chưa gửi (lượt gửi dừng trước) / not attempted (the pass stopped)",
                       attempted=False)


def settings_from_config(cfg: Config) -> Settings:
    s = cfg.sections["smtp"]
    if mail_transport(cfg) == "maildir":  # no password is read: nothing is sent
        return Settings(host="", port=0, tls="none", user="", password=None, timeout=float(s["timeout"]),
                        concurrency=1, ca_file=None, validate_certs=True, transport="maildir",
                        maildir=str(maildir_path(cfg)))
    return Settings(host=s["host"], port=int(s["port"]), tls=s["tls"], user=s["user"],
                    password=smtp_password(cfg) if s["user"] else None,
                    timeout=float(s["timeout"]), concurrency=max(1, int(s["concurrency"])),
                    ca_file=str(s["ca_file"]) if s["ca_file"] else None,
                    validate_certs=bool(s["validate_certs"]))


def _tls_context(st: Settings) -> ssl.SSLContext | None:
    if st.tls == "none":
        return None
    ctx = ssl.create_default_context(cafile=st.ca_file)
    if not st.validate_certs:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _client(st: Settings) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=st.host, port=st.port, timeout=st.timeout,
        use_tls=st.tls == "implicit",
        start_tls=st.tls == "starttls",  # True = required (never "if offered"), False = off
        tls_context=_tls_context(st), validate_certs=st.validate_certs,
    )


# Replies about authentication (RFC 4954): never about one message, whatever command they answer.
AUTH_CODES = (530, 534, 535, 538)


def classify(exc: BaseException, *, opening: bool = False) -> Result:
    """A failed send as a Result: 5xx to RCPT or DATA permanent, everything else temporary.

    ``opening``: the error came while opening the session (greeting, EHLO, STARTTLS, AUTH).
    That, and a 5xx to MAIL FROM, is a fault of the server or the settings (``server_fault``):
    temporary whatever the code."""
    code: int | None = None
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        code = exc.recipients[0].code
        text = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients)
    elif isinstance(exc, aiosmtplib.SMTPResponseException):
        code = exc.code
        text = f"{exc.code} {exc.message}"
    elif isinstance(exc, TimeoutError):
        text = "hết thời gian chờ máy chủ SMTP"
    else:
        text = f"{type(exc).__name__}: {exc}"
    server_fault = (opening or code in AUTH_CODES
                    or isinstance(exc, aiosmtplib.SMTPSenderRefused | aiosmtplib.SMTPAuthenticationError))
    permanent = code is not None and 500 <= code < 600 and not server_fault
    return Result(ok=False, permanent=permanent, error=" ".join(text.split())[:1000], code=code,
                  server_fault=server_fault)


async def _connect(st: Settings) -> aiosmtplib.SMTP:
    """A connection ready to send (TLS, AUTH), within ``timeout`` overall; closed on failure."""
    client = _client(st)
    try:
        async with asyncio.timeout(st.timeout):
            await client.connect()
            if st.user:
                await client.login(st.user, st.password or "")
    except BaseException:
        client.close()  # a refused AUTH or a timed-out TLS left a socket open
        raise
    return client


async def _quit(client: aiosmtplib.SMTP | None) -> None:
    if client is None or not client.is_connected:
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        client.close()


OnResult = Callable[[int, Result], Awaitable[None]]
# Called right before a message goes (its Date: header is set to the moment it leaves).
BeforeSend = Callable[[EmailMessage], None]


async def _worker(st: Settings, jobs: asyncio.Queue[int], msgs: Sequence[EmailMessage],
                  results: list[Result | None], on_result: OnResult | None,
                  should_stop: Callable[[], bool] | None = None,
                  before_send: BeforeSend | None = None) -> None:
    """Take messages off the shared queue and send them over one reused connection.

    A connection that breaks is reopened for the next message; if opening it fails, or
    the server refuses the session (``server_fault``), the rest of this worker's share
    fails with the same (temporary) error rather than hammering a server that is down.
    Once ``should_stop()`` says so, no further message is started."""
    client: aiosmtplib.SMTP | None = None
    broken: Result | None = None
    try:
        while True:
            _honour_cancellation()
            if should_stop is not None and should_stop():
                return
            try:
                i = jobs.get_nowait()
            except asyncio.QueueEmpty:
                return
            if broken is not None:
                res = broken
            else:
                if before_send is not None:
                    before_send(msgs[i])
                res, client, connect_failed = await _send_one(st, client, msgs[i])
                if connect_failed or res.server_fault:
                    broken = res
            results[i] = res
            if on_result is not None:
                await on_result(i, res)
    except asyncio.CancelledError:
        if client is not None:  # maybe mid-transaction: a QUIT now could be read as message text
            client.close()
            client = None
        raise
    finally:
        await _quit(client)


def _honour_cancellation() -> None:
    """Raise if this task was asked to stop but the request got lost.

    Python 3.11's ``asyncio.wait_for`` (aiosmtplib awaits every reply with it) drops a
    cancellation that arrives in the same loop turn as the reply; the task still counts it
    (``cancelling()``). Unchecked, a daemon stopping (or any caller cancelling a dispatch)
    would find the dispatch sending on to the end of its batch — after the rows it holds
    had been released for the next daemon, which sends them again."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def _send_one(st: Settings, client: aiosmtplib.SMTP | None,
                    msg: EmailMessage) -> tuple[Result, aiosmtplib.SMTP | None, bool]:
    """(result, the connection to reuse or None, whether opening a connection failed)."""
    if client is None or not client.is_connected:
        try:
            client = await _connect(st)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as e:
            return classify(e, opening=True), None, True
    try:
        async with asyncio.timeout(st.timeout):  # the whole transaction, not only each step
            await client.send_message(msg)
        return Result(ok=True), client, False
    except TimeoutError as e:  # also aiosmtplib's own per-step timeouts
        # Where the session stands is unknown (the server may still answer the DATA this
        # message was cut in): never reuse it, and never RSET a server that went silent.
        client.close()
        return classify(e), None, False
    except aiosmtplib.SMTPException as e:
        if client.is_connected:
            try:  # leave the failed transaction cleanly before the next message
                await client.rset()
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                client.close()
        return classify(e), client, False
    except OSError as e:
        client.close()
        return classify(e), None, False


async def send_batch(st: Settings, msgs: Sequence[EmailMessage], *,
                     on_result: OnResult | None = None, should_stop: Callable[[], bool] | None = None,
                     before_send: BeforeSend | None = None) -> list[Result]:
    """Send every message; one Result per message, in order. Never raises for SMTP trouble.

    ``on_result(i, result)`` is awaited as each message's outcome becomes known, so the
    caller can record it at once: a crash then repeats only what was in flight. Once
    ``should_stop()`` is true no message is started (a stopping daemon, a pass past its
    deadline); those not tried get :data:`NOT_ATTEMPTED` (``attempted=False``) and no
    ``on_result`` call. ``before_send(msg)`` runs right before each message goes."""
    if not msgs:
        return []
    if st.transport == "maildir":
        return await _deliver_to_maildir(st, msgs, on_result, should_stop, before_send)
    jobs: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(msgs)):
        jobs.put_nowait(i)
    results: list[Result | None] = [None] * len(msgs)
    n = min(st.concurrency, len(msgs))
    workers = [asyncio.ensure_future(_worker(st, jobs, msgs, results, on_result, should_stop, before_send))
               for _ in range(n)]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        # ``on_result`` failed (the database went away while recording): stop the other
        # workers too, or they would go on sending messages whose outcome cannot be written,
        # and every one of them would go out again after recovery.
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise
    out = [r if r is not None else NOT_ATTEMPTED for r in results]
    failed = [r for r in out if not r.ok and r.attempted]
    if failed:
        log.warning("smtp host=%s port=%s sent=%d failed=%d first_error=%r", st.host, st.port,
                    sum(r.ok for r in out), len(failed), failed[0].error)
    return out


# ---- the local Maildir ([smtp] transport = "maildir") ----------------------------------------

_seq = itertools.count(1)


def maildir_name(msg: EmailMessage) -> str:
    """A unique Maildir file name (time, pid, counter, host — the Maildir convention) that
    ends in ``.eml``, so a file manager opens it with the mail client; the Message-ID's
    digest lets a person match a file to its outbox row."""
    mid = hashlib.sha256(str(msg.get("Message-ID", "")).encode("utf-8")).hexdigest()[:12]
    host = socket.gethostname().replace("/", "-").replace(":", "-") or "localhost"
    return f"{time.time_ns() // 1000}.P{os.getpid()}Q{next(_seq)}.{host}.{mid}.eml"


def write_to_maildir(folder: Path, msg: EmailMessage) -> Path:
    """Deliver one message the Maildir way: write it in ``tmp/``, flush it to disk, then
    rename it into ``new/`` — a reader never sees half a message."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    mailbox.Maildir(folder, create=True)  # creates folder/{tmp,new,cur} when missing
    name = maildir_name(msg)
    tmp = folder / "tmp" / name
    with open(tmp, "xb") as f:
        f.write(msg.as_bytes())
        f.flush()
        os.fsync(f.fileno())
    dest = folder / "new" / name
    os.replace(tmp, dest)
    return dest


async def _deliver_to_maildir(st: Settings, msgs: Sequence[EmailMessage], on_result: OnResult | None,
                              should_stop: Callable[[], bool] | None,
                              before_send: BeforeSend | None) -> list[Result]:
    folder = Path(st.maildir or "mail")
    out: list[Result] = []
    for i, msg in enumerate(msgs):
        if should_stop is not None and should_stop():
            out.extend([NOT_ATTEMPTED] * (len(msgs) - i))
            break
        if before_send is not None:
            before_send(msg)
        try:
            await asyncio.to_thread(write_to_maildir, folder, msg)
            res = Result(ok=True)
        except OSError as e:  # disk full, no permission: kept and retried, like a server that is down
            res = Result(ok=False, error=f"không ghi được vào thư mục {folder}: {e}", server_fault=True)
        out.append(res)
        if on_result is not None:
            await on_result(i, res)
    return out
