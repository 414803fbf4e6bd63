"""Counters and gauges in the Prometheus text exposition format (version 0.0.4).

Small on purpose: the daemon needs a handful of series, so a registry of named
metrics with label sets is enough, with no client library. Values live in the
process (each daemon of a pair has its own); figures that belong to the shared
database (reminders by state) are read from it at scrape time by web/health.py.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable

Labels = tuple[tuple[str, str], ...]


def _labels(labels: dict[str, str] | None) -> Labels:
    return tuple(sorted((labels or {}).items()))


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _fmt_labels(labels: Labels) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in labels) + "}"


def _fmt_value(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return repr(int(v)) if float(v).is_integer() and abs(v) < 2**53 else repr(float(v))


class Metric:
    def __init__(self, name: str, kind: str, help: str):
        self.name = name
        self.kind = kind  # counter | gauge
        self.help = help
        self.values: dict[Labels, float] = {}
        self._lock = threading.Lock()  # the DB ping and renderers may run in threads

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        if self.kind == "counter" and amount < 0:
            raise ValueError(f"{self.name}: a counter only goes up")
        key = _labels(labels)
        with self._lock:
            self.values[key] = self.values.get(key, 0.0) + amount

    def set(self, value: float, **labels: str) -> None:
        with self._lock:
            self.values[_labels(labels)] = float(value)

    def get(self, **labels: str) -> float:
        return self.values.get(_labels(labels), 0.0)

    def clear(self) -> None:
        with self._lock:
            self.values.clear()

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} {self.kind}"
        with self._lock:
            items = sorted(self.values.items())
        for labels, value in items:
            yield f"{self.name}{_fmt_labels(labels)} {_fmt_value(value)}"


class Registry:
    def __init__(self) -> None:
        self.metrics: dict[str, Metric] = {}

    def _get(self, name: str, kind: str, help: str) -> Metric:
        m = self.metrics.get(name)
        if m is None:
            m = self.metrics[name] = Metric(name, kind, help)
        elif m.kind != kind:
            raise ValueError(f"metric {name} already registered as a {m.kind}")
        return m

    def counter(self, name: str, help: str) -> Metric:
        return self._get(name, "counter", help)

    def gauge(self, name: str, help: str) -> Metric:
        return self._get(name, "gauge", help)

    def render(self) -> str:
        lines: list[str] = []
        for name in sorted(self.metrics):
            lines.extend(self.metrics[name].render())
        return "\n".join(lines) + "\n"


class DaemonMetrics:
    """The daemon's own series; one instance per process, kept on the Context."""

    def __init__(self) -> None:
        r = self.registry = Registry()
        self.sends = r.counter("reminderd_sends_total", "Messages handed to the SMTP server by this daemon.")
        self.send_failures = r.counter("reminderd_send_failures_total",
                                       "Send attempts that failed (to be retried, or dead).")
        self.dispatch_runs = r.counter("reminderd_dispatch_runs_total", "Dispatch passes, by result.")
        self.plan_runs = r.counter("reminderd_planning_runs_total", "Planning passes, by result.")
        self.plan_seconds = r.gauge("reminderd_planning_duration_seconds", "Duration of the last planning pass.")
        self.plan_seconds_sum = r.counter("reminderd_planning_duration_seconds_total",
                                          "Total time spent in planning passes.")
        self.plan_last = r.gauge("reminderd_planning_last_success_timestamp_seconds",
                                 "Unix time of the last successful planning pass.")
        self.reloads = r.counter("reminderd_reloads_total", "Configuration reloads, by result.")
        self.config_errors = r.gauge("reminderd_config_errors", "Errors that made the last reload fail.")
        self.http = r.counter("reminderd_http_requests_total", "HTTP requests, by area and status class.")
        self.feed_requests = r.counter("reminderd_feed_requests_total", "Feed (.ics) requests, by status code.")
        self.outbox = r.gauge("reminderd_reminders", "Reminders in the outbox, by state (whole database).")
        self.up = r.gauge("reminderd_database_up", "1 if the database answered the last health check.")
        self.scheduler = r.gauge("reminderd_scheduler_running", "1 while the scheduler is running.")
        self.started = r.gauge("reminderd_start_time_seconds", "Unix time the daemon started.")

    def render(self) -> str:
        return self.registry.render()


def of(ctx: object) -> DaemonMetrics:
    """The DaemonMetrics of a Context (created on first use; kept in ``ctx.health``).

    Other parts (feeds, mailer) may count into it too; names starting with ``_``
    in ``ctx.health`` are internal and not shown on /healthz.
    """
    health: dict[str, object] = ctx.health  # type: ignore[attr-defined]
    m = health.get("_metrics")
    if not isinstance(m, DaemonMetrics):
        m = health["_metrics"] = DaemonMetrics()
    return m
