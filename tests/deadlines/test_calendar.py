"""The working-day calendar: the official schedule where loaded (checked day by day
against an independent source), rules after it, and a yearly load by an administrator."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.audit.models import AuditEntry
from lantern.core.errors import PermissionDenied, ValidationFailed
from lantern.deadlines.actions import load_official_calendar
from lantern.deadlines.calendar import WorkCalendar
from lantern.deadlines.models import CalendarYear


@pytest.mark.django_db
def test_the_migrations_install_every_year_from_2004_to_2026():
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))


def test_installed_schedules_agree_with_chinesecalendar_on_every_day_2004_to_2026(calendar):
    day, disagreements = dt.date(2004, 1, 1), []
    while day <= dt.date(2026, 12, 31):
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []


def test_adjusted_working_days_and_holidays_of_2026(calendar):
    assert calendar.is_working_day(dt.date(2026, 2, 14))  # a Saturday worked for the Spring Festival
    assert not calendar.is_working_day(dt.date(2026, 2, 16))  # a Monday of the Spring Festival
    assert not calendar.is_working_day(dt.date(2026, 10, 1))
    assert calendar.is_working_day(dt.date(2026, 10, 10))  # a Saturday worked for National Day


def test_a_year_without_an_official_schedule_falls_back_to_rules(calendar):
    assert not calendar.is_official(2027)
    assert not calendar.is_working_day(dt.date(2027, 1, 1))  # New Year's Day by rule
    assert not calendar.is_working_day(dt.date(2027, 10, 1))  # National Day by rule
    assert calendar.is_working_day(dt.date(2027, 1, 4))  # an ordinary Monday


CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,holiday,春节
2027-02-20,workday,春节调休上班
"""


@pytest.mark.django_db
def test_an_administrator_loads_the_2027_schedule_from_a_csv_file(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    call_command("load_calendar", str(path), "--year", "2027", "--reference", "国办发明电〔2026〕7号")
    fresh = WorkCalendar.from_db()
    assert fresh.is_official(2027)
    assert fresh.is_working_day(dt.date(2027, 2, 20))  # a Saturday, worked
    assert not fresh.is_working_day(dt.date(2027, 2, 11))  # a Thursday off
    assert AuditEntry.objects.filter(action="calendar.loaded", object_id="2027").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "problem"), [  # commands speak the default language, Chinese
    ("2026-12-31,holiday,x", "不在 2027 年内"),
    ("2027-02-22,workday,x", "只有周末才能是调休上班日"),
    ("2027-01-01,holiday,again", "重复列出"),
    ("2027-03-01,vacation,x", "类型必须是"),
])
def test_a_bad_schedule_is_refused_with_the_reason_and_nothing_is_stored(tmp_path, row, problem):
    path = tmp_path / "bad.csv"
    path.write_text(CSV_2027 + row + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=problem):
        call_command("load_calendar", str(path), "--year", "2027", "--reference", "x")
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_a_malformed_line_names_its_line_number(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,kind,name\n2027-13-01,holiday,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("load_calendar", str(path), "--year", "2027", "--reference", "x")


@pytest.mark.django_db
def test_only_administrators_load_calendars(supervisor, administrator):
    days = [(dt.date(2027, 1, 1), "holiday", "元旦")]
    with pytest.raises(PermissionDenied):
        load_official_calendar(actor=supervisor, year=2027, reference="x", days=days)
    with pytest.raises(ValidationFailed):
        load_official_calendar(actor=administrator, year=2027, reference=" ", days=days)
    load_official_calendar(actor=administrator, year=2027, reference="国办发明电〔2026〕7号", days=days)
    assert CalendarYear.objects.get(year=2027).loaded_by_id == administrator.pk


@pytest.mark.django_db
def test_provisional_clocks_are_recomputed_when_the_official_schedule_arrives(administrator, units):
    """A clock computed by rule for a year without an official schedule is provisional;
    loading the schedule recomputes it, here moving it past an adjusted holiday."""
    from lantern.cases.models import Case
    from lantern.deadlines import services as clocks
    from lantern.deadlines.models import Deadline
    from tests.cases.helpers import police, report
    from tests.cases.test_linxia_scenario import Api

    people = police(units)
    case = Case.objects.get(pk=Api(people["intake"]).post("/cases", report()).json()["id"])
    start = dt.datetime(2027, 3, 29, 10, 0, tzinfo=dt.UTC)  # 3 days later: Thursday 1 April 2027
    clock = clocks.start(case=case, rule_key="non_filing_notice", started_at=start)
    assert clock.provisional and clock.due_at.date() == dt.date(2027, 4, 1)
    # The (invented, for the test) official 2027 schedule makes 1-2 April holidays.
    load_official_calendar(actor=administrator, year=2027, reference="测试用安排", days=[
        (dt.date(2027, 1, 1), "holiday", "元旦"), (dt.date(2027, 4, 1), "holiday", "测试假日"),
        (dt.date(2027, 4, 2), "holiday", "测试假日")])
    clock = Deadline.objects.get(pk=clock.pk)
    assert not clock.provisional
    assert clock.due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(2027, 4, 5)
    assert AuditEntry.objects.filter(action="calendar.loaded", details__deadlines_recomputed__gte=1).exists()


@pytest.mark.django_db
def test_a_recomputed_clock_keeps_the_extension_actually_granted(administrator, units):
    """Found while testing the sweep: a recomputation used the rule's longest extension
    (30 days) instead of the 7 days granted."""
    from lantern.cases.models import Case
    from lantern.deadlines import services as clocks
    from lantern.deadlines.arithmetic import Period, Unit
    from tests.cases.helpers import police, report
    from tests.cases.test_linxia_scenario import Api

    people = police(units)
    case = Case.objects.get(pk=Api(people["intake"]).post("/cases", report()).json()["id"])
    start = dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)
    clock = clocks.start(case=case, rule_key="reconsideration_decision", started_at=start)
    clocks.extend(clock=clock, period=Period(40, Unit.DAYS))  # the rule allows up to 60
    assert clock.provisional
    load_official_calendar(actor=administrator, year=2027, reference="测试用安排",
                           days=[(dt.date(2027, 1, 1), "holiday", "元旦")])
    clock.refresh_from_db()
    assert not clock.provisional and clock.period_amount == 40
    # 1 March + 40 days = Saturday 10 April 2027, so Monday 12 April.
    assert clock.due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(2027, 4, 12)
