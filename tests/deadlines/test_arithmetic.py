"""Deadline arithmetic as CPL art. 105 counts, around National Day and the Spring
Festival, with examples and with properties that must hold for any start."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.deadlines.arithmetic import LOCAL, Period, Unit, add_months, compute_due
from lantern.deadlines.rules import RULES, rule


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 20) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=LOCAL)


def nth_working_day_after(day: dt.date, n: int) -> dt.date:
    """Independent oracle. find_workday(k, d) is the (k+1)-th working day counting from d
    itself, so the n-th working day strictly after ``day`` is find_workday(n - 1, day + 1)."""
    return chinese_calendar.find_workday(n - 1, day + dt.timedelta(days=1))


DAYS3 = Period(3, Unit.DAYS)
CUSTODY3 = Period(3, Unit.DAYS, extends_over_holidays=False)


def test_a_period_ending_on_national_day_runs_to_the_first_working_day_after_it(calendar):
    due = compute_due(at(2026, 9, 28), DAYS3, calendar)  # the last day would be 1 October
    assert due.last_day == dt.date(2026, 10, 8)
    assert due.at.time() == dt.time(23, 59, 59) and not due.provisional


def test_custody_periods_do_not_extend_over_holidays(calendar):
    due = compute_due(at(2026, 9, 28), CUSTODY3, calendar)
    assert due.last_day == dt.date(2026, 10, 1)


def test_an_adjusted_working_saturday_is_a_working_last_day(calendar):
    due = compute_due(at(2026, 2, 11), DAYS3, calendar)  # 14 February 2026, a Saturday worked
    assert due.last_day == dt.date(2026, 2, 14)


def test_a_period_ending_in_the_spring_festival_runs_past_it(calendar):
    due = compute_due(at(2026, 2, 13), DAYS3, calendar)  # would end Monday 16 February
    assert due.last_day == dt.date(2026, 2, 24)


def test_the_starting_hour_is_not_counted(calendar):
    due = compute_due(at(2026, 3, 2, 10, 20), Period(48, Unit.HOURS), calendar)
    assert due.at == dt.datetime(2026, 3, 4, 11, 0, tzinfo=LOCAL)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),  # no 31 February: the last day
    (dt.date(2028, 1, 30), 1, dt.date(2028, 2, 29)),
    (dt.date(2027, 2, 28), 1, dt.date(2027, 3, 31)),  # from a month's last day to the next's last day
    (dt.date(2026, 11, 15), 2, dt.date(2027, 1, 15)),
    (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
])
def test_months_run_to_the_same_day_or_the_months_last_day(start, months, expected):
    assert add_months(start, months) == expected


def test_a_deadline_in_a_year_without_an_official_schedule_is_provisional(calendar):
    due = compute_due(at(2026, 12, 30), DAYS3, calendar)  # ends 2 January 2027
    assert due.provisional
    assert not compute_due(at(2026, 12, 30), CUSTODY3, calendar).provisional


def test_working_day_periods_skip_the_national_day_holiday(calendar):
    due = compute_due(at(2026, 9, 21), rule("family_question").period, calendar)
    assert due.last_day == nth_working_day_after(dt.date(2026, 9, 21), 20) == dt.date(2026, 10, 26)


def test_every_rule_names_its_legal_reference_and_its_period():
    assert len({r.key for r in RULES}) == len(RULES)
    for r in RULES:
        assert str(r.legal_reference).strip() and r.period.amount > 0
        if r.extended_period is not None:
            assert r.extension is not None


def test_a_naive_start_is_refused(calendar):
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_due(dt.datetime(2026, 1, 1, 10), DAYS3, calendar)


# --- Properties -------------------------------------------------------------------------

official_starts = st.datetimes(min_value=dt.datetime(2004, 1, 1), max_value=dt.datetime(2026, 10, 31),
                               timezones=st.just(LOCAL))
any_starts = st.datetimes(min_value=dt.datetime(2004, 1, 1), max_value=dt.datetime(2035, 12, 31),
                          timezones=st.just(LOCAL))
day_counts = st.integers(min_value=0, max_value=60)


@settings(max_examples=300, deadline=None)
@given(start=official_starts, days=day_counts)
def test_an_extendable_period_ends_on_the_first_working_day_on_or_after_its_last_day(calendar, start, days):
    due = compute_due(start, Period(days, Unit.DAYS), calendar)
    nominal = start.date() + dt.timedelta(days=days)
    assert due.last_day >= nominal
    assert chinese_calendar.is_workday(due.last_day)
    skipped = [nominal + dt.timedelta(days=i) for i in range((due.last_day - nominal).days)]
    assert not any(chinese_calendar.is_workday(d) for d in skipped)


@settings(max_examples=300, deadline=None)
@given(start=any_starts, days=day_counts)
def test_a_custody_period_ends_exactly_and_is_never_provisional(calendar, start, days):
    due = compute_due(start, Period(days, Unit.DAYS, extends_over_holidays=False), calendar)
    assert due.last_day == start.date() + dt.timedelta(days=days)
    assert not due.provisional


@settings(max_examples=300, deadline=None)
@given(first=any_starts, second=any_starts, days=day_counts)
def test_a_later_start_never_gives_an_earlier_due_time(calendar, first, second, days):
    early, late = sorted([first, second])
    period = Period(days, Unit.DAYS)
    assert compute_due(early, period, calendar).at <= compute_due(late, period, calendar).at


@settings(max_examples=200, deadline=None)
@given(start=official_starts, days=st.integers(min_value=1, max_value=40))
def test_working_days_agree_with_an_independent_count(calendar, start, days):
    due = compute_due(start, Period(days, Unit.WORKING_DAYS), calendar)
    assert due.last_day == nth_working_day_after(start.date(), days)
    assert not due.provisional


@settings(max_examples=200, deadline=None)
@given(start=st.datetimes(min_value=dt.datetime(2027, 1, 1), max_value=dt.datetime(2035, 12, 31),
                          timezones=st.just(LOCAL)), days=st.integers(min_value=0, max_value=60))
def test_anything_that_consults_an_unloaded_year_is_provisional(calendar, start, days):
    assert compute_due(start, Period(days, Unit.DAYS), calendar).provisional
    assert compute_due(start, Period(days + 1, Unit.WORKING_DAYS), calendar).provisional


@settings(max_examples=300, deadline=None)
@given(start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
       months=st.integers(min_value=0, max_value=36))
def test_adding_months_keeps_the_day_or_clamps_to_the_months_end(start, months):
    import calendar as cal

    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    last_of_start = cal.monthrange(start.year, start.month)[1]
    last_of_result = cal.monthrange(result.year, result.month)[1]
    if start.day == last_of_start:
        assert result.day == last_of_result
    else:
        assert result.day == min(start.day, last_of_result)
