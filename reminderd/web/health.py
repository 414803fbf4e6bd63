"""``/healthz`` (JSON, 200 or 503) and ``/metrics`` (Prometheus text).

``/healthz`` answers 503 ``"unhealthy"`` when the daemon cannot do its job: the
database does not answer, the scheduler is not running, or no planning pass has
succeeded for more than ``STALE_PLAN`` (it runs daily). It answers 200 with
``"degraded"`` when it works but ops should look: the last reload was refused
(``config_errors``; the previous configuration is still in force), a key needs a
restart, the last SMTP session failed, the mail server refused the session (its reply,
until a later message goes through), rows are ``dead`` (how many and the latest error,
until someone retries, cancels or purges them), mail is only written to a local
folder (``[smtp]`` without a host), or a change editors stored no longer fits the files
(``catalog_conflicts``). Otherwise 200 ``"ok"``.

Who sees what: the status code and ``{"status": …}`` are for anyone (a load balancer needs no
more); the details (instance, database errors, configuration errors, SMTP errors) and
``/metrics`` (request counts by status, failed logins among them) only for a request made
directly — no proxy header — from ``[http] monitoring_addresses`` (the loopback by default:
``curl`` on the host, systemd, a local Prometheus), or for an editor (session cookie or
``Authorization: Bearer <admin token>``). Others get 403 from ``/metrics``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from .. import metrics, webauth
from ..config import mail_transport, maildir_path
from ..context import Context
from ..outbox import Dead, dead_rows
from ..scheduling import outbox_counts

STALE_PLAN = dt.timedelta(hours=26)
STATES = ("pending", "sending", "sent", "failed", "dead", "cancelled")


def _ping(ctx: Context) -> tuple[bool, str | None]:
    try:
        ctx.store.ping()
        return True, None
    except Exception as e:  # any driver error means "not reachable" here
        return False, f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def smtp_facts(ctx: Context) -> dict[str, Any]:
    """When a message last went to the SMTP server, and when a send last failed (and why).

    Read from the shared ``daemon_state`` (written by ``outbox.dispatch``), so both daemons
    of a pair report the pair's facts; this process's own facts fill in without a database.
    """
    out: dict[str, Any] = {}
    for key, field in (("smtp_last_ok", "last_ok"), ("smtp_last_error", "last_error")):
        if key in ctx.health:
            out[field] = ctx.health[key]
    for name, field in (("outbox.last_sent", "last_ok"), ("outbox.last_error", "last_error"),
                        ("outbox.server_fault", "refused_at")):
        try:
            got = ctx.store.get_state(name)
        except Exception:  # database down: /healthz says so elsewhere
            continue
        if got is None:
            continue
        value, at = got
        if str(at.isoformat()) >= str(out.get(field, "")):
            out[field] = at.isoformat()
        if field == "last_error" and isinstance(value, dict):
            out["error"] = value.get("error")  # the reason, whichever daemon met it last
        if field == "refused_at" and isinstance(value, dict):
            out["refused"] = value.get("error")
    # A refusal is over once a message has gone through since.
    if out.get("refused_at") and str(out.get("last_ok", "")) > str(out["refused_at"]):
        out.pop("refused_at")
        out.pop("refused", None)
    return out


def mail_facts(ctx: Context) -> dict[str, Any]:
    """How mail leaves: through SMTP, or only into a local folder (nothing sent)."""
    cfg = ctx.config
    if mail_transport(cfg) == "maildir":
        return {"transport": "maildir", "folder": str(maildir_path(cfg)),
                "note": "delivered to a local folder, not sent"}
    return {"transport": "smtp", "host": str(cfg.get("smtp", "host")), "port": int(cfg.get("smtp", "port"))}


def _dead(ctx: Context) -> Dead:
    try:
        return dead_rows(ctx.store)
    except Exception:  # database trouble is reported by the ping
        return Dead(0)


def _stale(ctx: Context) -> int:
    from ..outbox import stale_claims

    try:
        return stale_claims(ctx.store, ctx.now())
    except Exception:  # database trouble is reported by the ping
        return 0


def _public(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def health_report(ctx: Context, db_ok: bool, db_error: str | None, smtp: dict[str, Any],
                  stale_claims: int = 0, dead: Dead | None = None) -> tuple[int, dict[str, Any]]:
    now = ctx.now()
    problems: list[str] = []
    warnings: list[str] = []
    if not db_ok:
        problems.append("database unreachable")
    scheduler = ctx.health.get("scheduler", "not started")
    if scheduler != "running":
        problems.append(f"scheduler {scheduler}")
    last_plan = ctx.health.get("last_plan")
    started = ctx.health.get("started_at")
    if isinstance(last_plan, dict) and last_plan.get("ok"):
        at = dt.datetime.fromisoformat(str(last_plan["at"]))
        if now - at > STALE_PLAN:
            problems.append("no successful planning pass for over 26 hours")
    elif isinstance(started, str) and now - dt.datetime.fromisoformat(started) > dt.timedelta(minutes=10):
        problems.append("no successful planning pass since start")
    if ctx.config_errors:
        warnings.append("last reload refused: configuration errors (previous configuration in force)")
    if stale_claims:
        warnings.append(f"{stale_claims} reminders held by a dispatcher that stopped (released at the next dispatch)")
    conflicts = ctx.health.get("catalog_conflicts") or []
    if conflicts:
        warnings.append(f"{len(conflicts)} stored catalog changes no longer apply to the files "
                        "(catalog_conflicts; see the Catalog page)")
    if ctx.health.get("restart_needed"):
        warnings.append("restart needed for: " + ", ".join(ctx.health["restart_needed"]))
    if smtp.get("refused"):
        warnings.append(f"mail server refused the session (server or [smtp] settings; messages kept and "
                        f"retried): {smtp['refused']}")
    elif smtp.get("last_error") and (not smtp.get("last_ok") or str(smtp["last_error"]) > str(smtp["last_ok"])):
        warnings.append("last SMTP session failed" + (f": {smtp['error']}" if smtp.get("error") else ""))
    dead = dead or Dead(0)
    if dead.count:
        warnings.append(f"{dead.count} reminders will not be sent (dead) until someone retries or cancels them; "
                        f"latest: {dead.latest_error}")
    mail = mail_facts(ctx)
    if mail["transport"] == "maildir":
        warnings.append(f"mail: {mail['note']} ({mail['folder']})")
    status = "unhealthy" if problems else ("degraded" if warnings else "ok")
    body = {
        "status": status,
        "problems": problems,
        "warnings": warnings,
        "instance": ctx.instance,
        "now": now.isoformat(),
        "database": {"ok": db_ok, "dialect": ctx.store.engine.dialect.name,
                     **({"error": db_error} if db_error else {})},
        "scheduler": scheduler,
        "last_planning_pass": _public(last_plan),
        "last_dispatch": _public(ctx.health.get("last_dispatch")),
        "smtp": smtp,
        "mail": mail,
        "dead": {"count": dead.count, **({"latest_error": dead.latest_error, "latest_id": dead.latest_id,
                                          "latest_at": _public(dead.latest_at)} if dead.count else {})},
        "config_errors": list(ctx.config_errors),
        "catalog_conflicts": list(conflicts),
        "status_line": ctx.health.get("status"),
        # dict() copies in one step: a reload in a worker thread may add keys meanwhile.
        "details": _public({k: v for k, v in dict(ctx.health).items()
                            if k not in ("last_plan", "last_dispatch", "status", "scheduler")}),
    }
    return (503 if problems else 200), body


PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-proto")


def _direct_from_monitoring(ctx: Context, request: Request) -> bool:
    """A request made straight to the daemon (no proxy header) from a monitoring address."""
    if any(h in request.headers for h in PROXY_HEADERS) or request.client is None:
        return False
    try:
        addr = ipaddress.ip_address(request.client.host)
    except ValueError:
        return False
    for net in ctx.config.get("http", "monitoring_addresses"):
        try:
            if addr in ipaddress.ip_network(str(net), strict=False):
                return True
        except ValueError:
            continue  # refused by the config check; never widens access
    return False


def may_see_details(ctx: Context, request: Request) -> bool:
    if _direct_from_monitoring(ctx, request):
        return True
    try:
        return webauth.is_editor(ctx.store, request.cookies.get(webauth.SESSION_COOKIE),
                                 request.headers.get("authorization", ""), ctx.now(),
                                 str(ctx.config.get("web", "admin_password_hash")))
    except Exception:  # the database is down: nobody can be recognised as an editor
        return False


def routes(ctx: Context) -> list[BaseRoute]:
    async def healthz(request: Request) -> Response:
        db_ok, db_error = await asyncio.to_thread(_ping, ctx)
        smtp = await asyncio.to_thread(smtp_facts, ctx)
        stale = await asyncio.to_thread(_stale, ctx) if db_ok else 0
        dead = await asyncio.to_thread(_dead, ctx) if db_ok else Dead(0)
        metrics.of(ctx).up.set(1 if db_ok else 0)
        code, body = health_report(ctx, db_ok, db_error, smtp, stale, dead)
        if not await asyncio.to_thread(may_see_details, ctx, request):
            body = {"status": body["status"]}
        return JSONResponse(body, status_code=code, headers={"Cache-Control": "no-store"})

    async def metrics_view(request: Request) -> Response:
        if not await asyncio.to_thread(may_see_details, ctx, request):
            return PlainTextResponse("403: /metrics is for the host itself ([http] monitoring_addresses) "
                                     "or an editor (Authorization: Bearer <admin token>)\n", 403,
                                     headers={"Cache-Control": "no-store"})
        m = metrics.of(ctx)
        try:
            counts = await asyncio.to_thread(outbox_counts, ctx)
            m.up.set(1)
        except Exception:
            counts = {}
            m.up.set(0)
        m.outbox.clear()
        for state in sorted(set(STATES) | set(counts)):
            m.outbox.set(counts.get(state, 0), state=state)
        m.config_errors.set(len(ctx.config_errors))
        return PlainTextResponse(m.render(), media_type="text/plain; version=0.0.4; charset=utf-8",
                                 headers={"Cache-Control": "no-store"})

    return [Route("/healthz", healthz, methods=["GET", "HEAD"]),
            Route("/metrics", metrics_view, methods=["GET"])]
