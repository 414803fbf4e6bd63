"""The plan: occurrences, windows, tiers, milestones, edge rules — checked against holidays."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from reminderd.model import EventRule, Lead, Source
from reminderd.occurrences import occurrence_in_year, occurrences
from reminderd.plan import window
from reminderd.runtime import load_runtime
from reminderd.workdays import WorkdayCalendar

D = dt.date
# The independent reference for "N working days before". Years are loaded up front: the
# package finds some make-up Saturdays only when the neighbouring year is loaded too.
VN = holidays.country_holidays("VN", years=range(1990, 2040))


def rt(make_env, catalog=None):
    return load_runtime(make_env() if catalog is None else make_env(catalog))


def test_national_day_window_skips_tet(make_env):
    r = rt(make_env)
    plan = r.plan(D(2024, 1, 1), D(2024, 12, 31))
    jp = [t for t in plan.tasks if t.event.id == "quoc-khanh-jp"]
    assert [t.rule.id for t in jp] == ["thu-chuc-mung"]  # JP is "regular": one tier only
    t = jp[0]
    assert t.occurrence.date == D(2024, 2, 23)
    assert t.due == VN.get_nth_working_day(D(2024, 2, 23), -5) == D(2024, 2, 16)
    assert t.window_start == VN.get_nth_working_day(D(2024, 2, 23), -7) == D(2024, 2, 7)


def test_anniversary_ordinal_and_title(make_env):
    r = rt(make_env)
    plan = r.plan(D(2024, 1, 1), D(2024, 12, 31))
    occ = next(o for o in plan.occurrences if o.event.id == "dang-nd-cm-lao")
    assert occ.ordinal == 69 and not occ.milestone
    assert occ.title == ("Kỷ niệm 69 năm Ngày thành lập Đảng Nhân dân Cách mạng Lào "
                         "(22/3/1955 - 22/3/2024)")
    task = next(t for t in plan.tasks if t.event.id == "dang-nd-cm-lao")
    assert task.action == "Bí thư Tỉnh ủy gửi thư chúc mừng lần thứ 69"
    assert task.due == VN.get_nth_working_day(D(2024, 3, 22), -10)
    assert task.window_start == VN.get_nth_working_day(D(2024, 3, 22), -15)
    assert task.support == ("vp-ubnd",)
    assert occurrence_in_year(occ.event, 2025).milestone  # 70th


def test_country_not_in_partners_is_inactive(make_env):
    plan = rt(make_env).plan(D(2024, 1, 1), D(2024, 12, 31))
    assert not [o for o in plan.occurrences if o.event.id == "quoc-khanh-fr"]


def test_tasks_in_range_bring_their_occurrence(make_env):
    # Tết 2025 is 29/1/2025; its window opens in January 2025 — and the JP letter of
    # 2025 is in February, outside the range.
    plan = rt(make_env).plan(D(2025, 1, 1), D(2025, 1, 20))
    tet = [t for t in plan.tasks if t.event.id == "tet"]
    assert len(tet) == 1 and tet[0].occurrence.date == D(2025, 1, 29)
    assert tet[0].due == VN.get_nth_working_day(D(2025, 1, 29), -3)


def test_provisional_after_confirmed_through(make_env):
    plan = rt(make_env).plan(D(2025, 1, 1), D(2026, 12, 31))
    by_year = {t.occurrence.date.year: t.provisional for t in plan.tasks
               if t.event.id == "quoc-khanh-jp"}
    assert by_year == {2025: False, 2026: True}


def test_lunar_rule_year(make_env):
    plan = rt(make_env).plan(D(2024, 1, 1), D(2024, 12, 31))
    occ = next(o for o in plan.occurrences if o.event.id == "tet")
    assert occ.date == D(2024, 2, 10) and occ.title == "Tết Nguyên đán 2024"


def _ev(date: str, **kw) -> EventRule:
    return EventRule(id="x", title="X", date=date, source=Source("t.toml"), **kw)


def test_feb_29_falls_on_feb_28():
    ev = _ev("02-29")
    assert occurrence_in_year(ev, 2024).date == D(2024, 2, 29)
    assert occurrence_in_year(ev, 2023).date == D(2023, 2, 28)


def test_every_two_years_from_start():
    ev = _ev("06-01", every=2, start=2022, until=2030)
    years = [o.date.year for o in occurrences(ev, D(2020, 1, 1), D(2032, 12, 31))]
    assert years == [2022, 2024, 2026, 2028, 2030]


def test_once():
    ev = _ev("2022-11-30")
    assert [o.date for o in occurrences(ev, D(2020, 1, 1), D(2030, 1, 1))] == [D(2022, 11, 30)]


def test_holiday_form_moves_with_the_package():
    ev = _ev("holiday:NL:King's Day")
    # 27/4/2025 is a Sunday: King's Day is on Saturday 26/4 that year.
    assert occurrence_in_year(ev, 2025).date == D(2025, 4, 26)
    assert occurrence_in_year(ev, 2024).date == D(2024, 4, 27)


def test_rrule_form():
    ev = _ev("rrule:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH")
    assert occurrence_in_year(ev, 2024).date == D(2024, 11, 28)


def test_before_since_no_occurrence():
    ev = _ev("03-22", since=D(1955, 3, 22))
    assert occurrence_in_year(ev, 1954) is None
    # The year of since is the thing itself, not an anniversary: the first is one year after.
    assert occurrence_in_year(ev, 1955) is None
    assert occurrence_in_year(ev, 1956).ordinal == 1


def test_no_anniversary_zero_in_any_year():
    """No occurrence is ever numbered 0 (China's relations 1950, Malawi's 2024, Tuvalu's 2025)."""
    for since in (D(1950, 1, 18), D(2024, 9, 23), D(2025, 9, 24), D(2024, 2, 29)):
        ev = EventRule(id="x", title="Kỷ niệm {ordinal} năm", date=since.strftime("%m-%d"),
                       source=Source("t.toml"), since=since)
        occs = occurrences(ev, D(1940, 1, 1), D(2040, 12, 31))
        assert occs[0].year == since.year + 1 and occs[0].ordinal == 1
        assert all(o.ordinal and o.ordinal >= 1 and "Kỷ niệm 0 năm" not in o.title for o in occs)


@pytest.mark.parametrize(
    ("lead", "event_date", "start", "due"),
    [
        # "10d" before Sunday 2024-09-08 is 2024-08-29 (Thu): a working day, kept.
        (Lead(10, 10, "d", "10d"), D(2024, 9, 8), D(2024, 8, 29), D(2024, 8, 29)),
        # 6 days before 2024-09-08 is Monday 2/9 (National Day): moved back to Friday 30/8.
        (Lead(6, 6, "d", "6d"), D(2024, 9, 8), D(2024, 8, 30), D(2024, 8, 30)),
        # "0wd" on a Saturday: the working day before.
        (Lead(0, 0, "wd", "0wd"), D(2024, 6, 1), D(2024, 5, 31), D(2024, 5, 31)),
    ],
)
def test_calendar_day_leads(lead, event_date, start, due):
    assert window(WorkdayCalendar(), event_date, lead) == (start, due)


def test_every_task_due_on_a_working_day_in_shipped_catalog():
    """The shipped catalog and example config: nothing is ever due on a day off."""
    r = load_runtime("config/reminderd.toml")
    plan = r.plan(D(2024, 1, 1), D(2027, 12, 31))
    assert plan.tasks
    for t in plan.tasks:
        assert r.workdays.is_working_day(t.due), t.key
        assert r.workdays.is_working_day(t.window_start), t.key
        assert t.window_start <= t.due < t.occurrence.date or t.rule.lead.near == 0, t.key


# ---- properties of windows ---------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WD = WorkdayCalendar()


@settings(max_examples=300, deadline=None)
@given(d=st.dates(dt.date(1995, 1, 1), dt.date(2035, 12, 31)),
       near=st.integers(0, 25), extra=st.integers(0, 20), unit=st.sampled_from(["wd", "d"]))
def test_window_properties(d, near, extra, unit):
    lead = Lead(near, near + extra, unit, f"{near}-{near + extra}{unit}")
    start, due = window(WD, d, lead)
    assert WD.is_working_day(start) and WD.is_working_day(due)
    assert start <= due <= d
    if unit == "wd" and near > 0:
        # "N working days before D": exactly N working days in [due, D).
        span = [due + dt.timedelta(i) for i in range((d - due).days)]
        assert sum(WD.is_working_day(x) for x in span) == near
        assert due == VN.get_nth_working_day(d, -near)
    if unit == "d":
        assert due <= d - dt.timedelta(days=near)


def test_holiday_form_takes_the_observed_day():
    """Israel's Independence Day moves; in 2024 the package names only the observed day."""
    ev = _ev("holiday:IL:Independence Day")
    assert occurrence_in_year(ev, 2024).date == D(2024, 5, 14)
    assert occurrence_in_year(ev, 2026).date == D(2026, 4, 22)


def test_lunar_day_30_in_a_29_day_month_falls_on_day_29():
    """Giao thừa, "30 Tết": lunar year 2024 (Giáp Thìn) had no 30th day of month 12."""
    ev = _ev("lunar:12-30")
    occ = occurrence_in_year(ev, 2024)
    assert occ.date == D(2025, 1, 28)  # the day before Tết Ất Tỵ (29/1/2025)
    assert "29" in occ.how
    assert occurrence_in_year(ev, 2023).date == D(2024, 2, 9)  # Giáp Thìn's eve was a 30th


def test_missing_leap_month_makes_no_occurrence():
    ev = _ev("lunar:04L-15")
    assert occurrence_in_year(ev, 2020).date == D(2020, 6, 6)  # 2020 had a leap 4th month
    assert occurrence_in_year(ev, 2021) is None
    years = [o.year for o in occurrences(ev, D(2015, 1, 1), D(2035, 12, 31))]
    assert years == [2020]


def test_check_says_which_years_lack_the_leap_month(make_env, capsys):
    from reminderd.cli import main

    cat = '[[event]]\nid = "ram-thang-tu-nhuan"\ntitle = "Rằm tháng Tư nhuận"\ndate = "lunar:04L-15"\n'
    rc = main(["--config", str(make_env(cat)), "check"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "ram-thang-tu-nhuan" in out and "không có tháng 4 nhuận" in out, out
