"""What the page and the JSON API share: who is asking, and the tasks as people see them.

``Visitor`` is resolved once per request (session cookie, or a bearer token for the
API; a revoked token ends its sessions at once). ``task_views`` puts a plan's tasks
into the sections of the page — overdue, due this week, next 30 days, done — with
the acknowledgement and the ``explain`` text of each.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from starlette.requests import Request

from .. import acks, tokens, webauth
from ..context import Context
from ..i18n import fmt_date, skipped_lines, t, weekday
from ..model import PlannedTask
from ..occurrences import occurrence_in_year
from ..security import keys

Status = Literal["overdue", "week", "soon", "later", "done"]
LOOKBACK_DAYS = 60  # how far back "overdue" and "done" reach
AHEAD_DAYS = 30


@dataclass
class Visitor:
    session: webauth.Session
    lang: str
    nonce: str
    new_nonce: bool
    key: bytes
    via_bearer: bool = False

    @property
    def csrf(self) -> str:
        return webauth.csrf_token(self.key, self.nonce)


class KeyCache:
    """The page's key (CSRF, derived feed links), from the key file once per process."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.key: bytes | None = None

    def get(self) -> bytes:
        if self.key is None:
            self.key = keys.of(self.ctx).web
        return self.key


def resolve(ctx: Context, keys: KeyCache, request: Request) -> Visitor:
    now = ctx.now()
    key = keys.get()
    # None once logged out, its link revoked or its password changed (on any daemon).
    session = webauth.read_session(ctx.store, request.cookies.get(webauth.SESSION_COOKIE), now,
                                   str(ctx.config.get("web", "admin_password_hash")))
    via_bearer = False
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        row = webauth.verify_token(ctx.store, ("access", "admin"), auth[7:].strip(), now)
        session = webauth.session_from_token(row) if row else None
        via_bearer = True
        if session is None:
            session = webauth.Session(who="invalid-bearer")  # anonymous, but remembered as a failed try
    lang = request.query_params.get("lang") or request.cookies.get(webauth.LANG_COOKIE) or ctx.config.language
    if lang not in ("vi", "en"):
        lang = ctx.config.language
    nonce = request.cookies.get(webauth.NONCE_COOKIE) or ""
    new = not (8 <= len(nonce) <= 64)
    if new:
        nonce = webauth.new_nonce()
    return Visitor(session or webauth.ANONYMOUS, lang, nonce, new, key, via_bearer)


def may_read(ctx: Context, v: Visitor) -> bool:
    return bool(ctx.config.get("web", "public_read")) or not v.session.anonymous


@dataclass
class TaskView:
    task: PlannedTask
    ack: acks.Ack | None
    status: Status
    explain: list[str]

    @property
    def key(self) -> str:
        return self.task.key


def status_of(task: PlannedTask, done: bool, today: dt.date) -> Status:
    if done:
        return "done"
    if task.due < today:
        return "overdue"
    week_end = today + dt.timedelta(days=6 - today.weekday())
    if task.due <= week_end:
        return "week"
    if task.due <= today + dt.timedelta(days=AHEAD_DAYS) or task.window_start <= today + dt.timedelta(days=AHEAD_DAYS):
        return "soon"
    return "later"


def explain_lines(ctx: Context, task: PlannedTask, lang: str) -> list[str]:
    """``reminderd explain`` in a few lines: how the date was found, what was skipped."""
    occ, rule = task.occurrence, task.rule
    out = [occ.explain(lang),
           f"{rule.lead.text}: " + t(lang, "rule." + rule.lead.unit, near=rule.lead.near, far=rule.lead.far),
           t(lang, "explain.window", start=task.window_start, start_wd=weekday(lang, task.window_start),
             due=task.due, due_wd=weekday(lang, task.due), owner=ctx.config.department_name(task.owner, lang),
             support="").strip()]
    if task.skipped:
        out.append(t(lang, "explain.skipped", n=len(task.skipped), start=task.window_start,
                     date=occ.date).strip())
        out += [line.strip() for line in skipped_lines(lang, task.skipped, ctx.runtime.workdays.holiday_name)]
    if task.provisional:
        out.append(t(lang, "provisional.note", year=occ.date.year,
                     through=ctx.config.get("workdays", "confirmed_through")))
    return out


def task_views(ctx: Context, lang: str, department: str | None = None) -> list[TaskView]:
    """The tasks around today (LOOKBACK_DAYS back, AHEAD_DAYS ahead), classified."""
    today = ctx.today()
    plan = ctx.runtime.plan(today - dt.timedelta(days=LOOKBACK_DAYS), today + dt.timedelta(days=AHEAD_DAYS),
                            with_skipped=True)
    if department is not None:  # a replaced department's link shows the work of its successor
        department = ctx.config.current_department(department)
    tasks = [tk for tk in plan.tasks
             if department is None or tk.owner == department or department in tk.support]
    years = {tk.occurrence.year for tk in tasks}
    done = {(a.event_id, a.task_id, a.year): a for y in years for a in acks.list_acks(ctx.store, y)}
    out = []
    for tk in tasks:
        ack = done.get(tk.ack_key)
        out.append(TaskView(tk, ack, status_of(tk, ack is not None, today), explain_lines(ctx, tk, lang)))
    return out


def find_task(ctx: Context, key: str) -> PlannedTask | None:
    """The planned task named ``event/task@YYYY-MM-DD`` (the occurrence's date), if it exists."""
    from ..plan import plan_task, task_applies

    ident, _, date_s = key.partition("@")
    event_id, _, task_id = ident.partition("/")
    try:
        date = dt.date.fromisoformat(date_s)
        ev = ctx.runtime.catalog.event(event_id)
    except (ValueError, KeyError):
        return None
    rule = next((r for r in ev.tasks if r.id == task_id), None)
    if rule is None:
        return None
    for year in (date.year, date.year - 1, date.year + 1):  # lunar rule years can straddle
        occ = occurrence_in_year(ev, year)
        if occ is not None and occ.date == date:
            return plan_task(rule, occ, ctx.runtime.workdays) if task_applies(rule, occ, ctx.config) else None
    return None


def human_date(lang: str, d: dt.date) -> str:
    return str(fmt_date(lang, d))


_TOKEN_WHO = re.compile(r"^token (\d+): (.*)$", re.S)
_HOW = {  # how someone acted, said once after their name
    "access": ("liên kết đơn vị", "department link"),
    "admin": ("biên tập", "editor"),
    "login": ("biên tập", "editor"),
    "email": ("liên kết trong thư", "email link"),
    "cli": ("dòng lệnh", "command line"),
}


def who_parts(ctx: Context, who: str, via: str = "web") -> tuple[str, str | None]:
    """A recorded actor (``token 3: Phòng Lễ tân``, ``admin``, ``x@y.vn``) as (name, how):
    the token's label rather than its number, and what kind of access was used."""
    m = _TOKEN_WHO.match(who)
    if m:
        row = tokens.get(ctx.store, int(m[1]))
        return (m[2].strip() or (row.label if row else who)), (row.kind if row else None)
    if via == "email":
        return who, "email"
    if via == "cli":
        return who, "cli"
    if via == "web" and who and who != "web":
        return who, "login"  # an editor's username and password
    return who, None


def person(ctx: Context, who: str, via: str, lang: str) -> str:
    """``Phòng Lễ tân (liên kết đơn vị)``: who did it, and how, for people to read."""
    name, how = who_parts(ctx, who, via)
    if how in _HOW:
        return f"{name} ({_HOW[how][1 if lang == 'en' else 0]})"
    return name
