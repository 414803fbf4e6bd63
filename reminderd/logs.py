"""Structured logs: one line per event, key=value or JSON, to stderr, no secrets.

``event(logger, "plan.done", created=3)`` logs an event name plus fields. Every
record (ours, uvicorn's, APScheduler's) becomes exactly one line — tracebacks
and newlines are escaped — so journald and grep see one event per line.

Under systemd (``JOURNAL_STREAM`` set) each line starts with a ``<N>`` syslog
priority, which journald turns into the entry's priority, and carries no
timestamp (journald adds its own). Elsewhere a UTC ``ts=`` field leads.

Secrets never reach the log: fields whose name looks like a secret are replaced
by ``***``, and passwords inside URLs (``postgresql://u:pw@host``) are masked
wherever they appear, in our fields and in other libraries' messages alike.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sys
from typing import Any, TextIO

SECRET_KEY = re.compile(r"pass(word)?|secret|token|authorization|credential|api_?key", re.I)
URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<pw>[^@/\s]+)@", re.I)
BARE = re.compile(r"^[^\s=\"\\]+$")
SYSLOG_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3, logging.CRITICAL: 2}
# Standard LogRecord attributes; anything else on a record is a field we were given.
_RECORD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}


def redact_text(text: str) -> str:
    return URL_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)


def redact(key: str, value: Any) -> Any:
    if SECRET_KEY.search(key) and value not in (None, "", False):
        return "***"
    if isinstance(value, str):
        return redact_text(value)
    return value


def _kv_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if text and BARE.match(text) else json.dumps(text, ensure_ascii=False)


class StructuredFormatter(logging.Formatter):
    def __init__(self, fmt: str = "keyvalue", *, journald: bool = False):
        super().__init__()
        if fmt not in ("keyvalue", "json"):
            raise ValueError(f"log format {fmt!r}: expected keyvalue or json")
        self.fmt = fmt
        self.journald = journald

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if not self.journald:
            ts = dt.datetime.fromtimestamp(record.created, dt.UTC)
            out["ts"] = ts.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        out["level"] = record.levelname.lower()
        out["logger"] = record.name
        event = getattr(record, "event", None)
        if event:
            out["event"] = event
        msg = record.getMessage()
        if msg and msg != event:
            out["msg"] = msg
        for k, v in record.__dict__.items():
            if k not in _RECORD_ATTRS and k != "event" and not k.startswith("_"):
                # event() suffixed fields that clash with LogRecord attributes; print the
                # name the caller gave (created=3), unless a built-in field already has it.
                base = k[:-1] if k.endswith("_") and k[:-1] in _RECORD_ATTRS else k
                out[base if base not in out else k] = v
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return {k: redact(k, v) for k, v in out.items()}

    def format(self, record: logging.LogRecord) -> str:
        fields = self.fields(record)
        if self.fmt == "json":
            line = json.dumps(fields, ensure_ascii=False, default=str)
        else:
            line = " ".join(f"{k}={_kv_value(v)}" for k, v in fields.items())
        if self.journald:
            line = f"<{SYSLOG_PRIORITY.get(record.levelno, 6)}>{line}"
        return line


def setup(fmt: str = "keyvalue", level: str = "info", stream: TextIO | None = None) -> None:
    """Send every logger's records, one structured line each, to stderr."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(StructuredFormatter(fmt, journald=bool(os.environ.get("JOURNAL_STREAM"))))
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Chatty libraries: their INFO lines are noise for ops; warnings still come through.
    for name in ("apscheduler", "uvicorn.access", "alembic", "aiosmtplib", "httpx"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    for name in ("uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = True


def set_level(level: str) -> None:
    logging.getLogger().setLevel(level.upper())


def event(logger: logging.Logger, name: str, *, level: int = logging.INFO,
          exc_info: bool = False, **fields: Any) -> None:
    """Log one event with fields: ``event(log, "reload.failed", errors=3)``."""
    # A field named like a LogRecord attribute ("name", "args" …) would clash: suffix it.
    extra = {(k + "_" if k in _RECORD_ATTRS else k): v for k, v in fields.items()}
    logger.log(level, name, extra={"event": name, **extra}, exc_info=exc_info)
