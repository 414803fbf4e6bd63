"""What the page and the JSON API share: who is asking, and the tasks as people see them.

``Visitor`` is resolved once per request (session cookie, or a bearer token for the
API; a revoked token ends its sessions at once). ``task_views`` puts a plan's tasks
into the sections of the page — due in the next 7 days (rolling), overdue, coming up in
the next 30 days, done — with the acknowledgement, a relative label ("Còn 3 ngày") and
the ``explain`` text of each, in the page's words (dd/mm/yyyy, "ngày làm việc").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from starlette.requests import Request

from .. import acks, dateforms, tokens, webauth
from ..context import Context
from ..errors import DateFormError
from ..i18n import WEEKDAYS, t
from ..model import Occurrence, PlannedTask
from ..occurrences import occurrence_in_year
from ..security import keys
from .strings import translator

Status = Literal["overdue", "now", "soon", "later", "done"]
LOOKBACK_DAYS = 60  # how far back "overdue" and "done" reach
NOW_DAYS = 7  # "what needs doing now": due today and in the next 7 days, rolling (not to Sunday)
AHEAD_DAYS = 30
UNDO_MINUTES = 15  # the page offers "Hoàn tác" this long after marking done (editors: always)


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


def confined_to(ctx: Context, v: Visitor) -> str | None:
    """The one department whose work this visitor may see, when reads are not public
    (``[web] public_read = false``) and the visitor came by a department's link; else None."""
    if ctx.config.get("web", "public_read") or v.session.admin:
        return None
    return v.session.department


def may_see_department(ctx: Context, v: Visitor, department: str | None) -> bool:
    """Whether the page may show ``department``'s work (None: everyone's) to this visitor."""
    if not may_read(ctx, v):
        return department is not None and v.session.may_see(department)
    mine = confined_to(ctx, v)
    return mine is None or department == mine


@dataclass
class TaskView:
    task: PlannedTask
    ack: acks.Ack | None
    status: Status
    explain: list[str]
    relative: str  # "Hôm nay", "Còn 3 ngày", "Quá hạn 2 ngày"
    urgency: str  # a CSS hook: "overdue", "today", "near", "later"

    @property
    def key(self) -> str:
        return self.task.key


def status_of(task: PlannedTask, done: bool, today: dt.date) -> Status:
    if done:
        return "done"
    if task.due < today:
        return "overdue"
    if task.due <= today + dt.timedelta(days=NOW_DAYS):
        return "now"
    ahead = today + dt.timedelta(days=AHEAD_DAYS)
    if task.due <= ahead or task.window_start <= ahead:
        return "soon"
    return "later"


def relative_day(lang: str, day: dt.date, today: dt.date) -> tuple[str, str]:
    """("Còn 3 ngày", "near"): how far a due date is from today, and a CSS hook for it."""
    T = translator(lang)
    n = (day - today).days
    if n < 0:
        return T("rel.overdue", n=-n), "overdue"
    if n == 0:
        return T("rel.today"), "today"
    if n == 1:
        return T("rel.tomorrow"), "near"
    return T("rel.in", n=n), "near" if n <= NOW_DAYS else "later"


def dmy(lang: str, d: dt.date) -> str:
    """``Thứ Hai 10/02/2025`` (English: ``Mon 10/02/2025``): the page writes dates as people do."""
    return f"{WEEKDAYS.get(lang, WEEKDAYS['vi'])[d.weekday()]} {d:%d/%m/%Y}"


def date_found(occ: Occurrence, lang: str) -> str:
    """How an occurrence's date was found, in words: "hằng năm ngày 05/12", "một lần", or the
    calendar's own explanation ("âm lịch Việt Nam ngày 01 tháng 01 năm 2027")."""
    T = translator(lang)
    try:
        form = dateforms.parse(occ.event.date)
    except DateFormError:  # the catalog validated it; only a description would be lost
        form = None
    if form is not None and form.kind == "annual":
        return T("how.annual", dm=f"{form.day:02d}/{form.month:02d}")
    if form is not None and form.kind == "once":
        return T("how.once")
    return occ.explain(lang).rsplit(" → ", 1)[0]


def explain_lines(ctx: Context, task: PlannedTask, lang: str) -> list[str]:
    """``reminderd explain`` in a few lines, in the page's words: how the event's date was
    found, the lead in words, the window, the days off skipped."""
    T = translator(lang)
    occ, rule = task.occurrence, task.rule
    how = date_found(occ, lang)
    out = [T("how.event", date=dmy(lang, occ.date), how=how),
           T("how.lead", rule=t(lang, "rule." + rule.lead.unit, near=rule.lead.near, far=rule.lead.far)),
           T("how.window", start=dmy(lang, task.window_start), due=dmy(lang, task.due),
             owner=ctx.config.department_name(task.owner, lang))]
    if task.skipped:
        holiday = ctx.runtime.workdays.holiday_name
        named = [s for s in task.skipped if s.date.weekday() < 5 or holiday(s.date)]
        out.append(T("how.skipped", n=len(task.skipped)))
        out += [T("how.skip", date=dmy(lang, s.date), reason=s.reason) for s in named]
        if len(task.skipped) > len(named):
            out.append(T("how.weekends", n=len(task.skipped) - len(named)))
    if task.provisional:
        out.append(t(lang, "provisional.note", year=occ.date.year,
                     through=ctx.config.get("workdays", "confirmed_through")))
    return out


def task_view(ctx: Context, tk: PlannedTask, ack: acks.Ack | None, lang: str, today: dt.date) -> TaskView:
    rel, urgency = relative_day(lang, tk.due, today)
    return TaskView(tk, ack, status_of(tk, ack is not None, today), explain_lines(ctx, tk, lang), rel, urgency)


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
    return [task_view(ctx, tk, done.get(tk.ack_key), lang, today) for tk in tasks]


def find_task(ctx: Context, key: str, with_skipped: bool = False) -> PlannedTask | None:
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
            if not task_applies(rule, occ, ctx.config):
                return None
            return plan_task(rule, occ, ctx.runtime.workdays, with_skipped=with_skipped)
    return None


def human_date(lang: str, d: dt.date) -> str:
    return dmy(lang, d)


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
