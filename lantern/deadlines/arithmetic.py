"""Counting periods as the Criminal Procedure Law (2018) art. 105 does:

- periods are counted in hours, days or months; the hour or day in which the period
  starts is not counted;
- a period whose last day is a holiday (a public holiday or a weekend not worked) ends on
  the first working day after it, except periods of custody, which end when they end;
- a month runs from a day to the same day of the next month; from the last day of a
  month to the last day of the next; where the same day does not exist, to the last day
  of that month.
Working-day periods (the policy clock for answering families, after the Regulations on
Open Government Information) count working days only.

A due time is the end of the last day (23:59:59 local time) for day and month periods,
and the exact hour for hour periods.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from lantern.deadlines.calendar import WorkCalendar

LOCAL = ZoneInfo("Asia/Shanghai")


class Unit(enum.StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit
    extends_over_holidays: bool = True  # False for custody periods (CPL art. 105)

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a period cannot be negative")


@dataclass(frozen=True)
class Due:
    at: dt.datetime  # aware
    provisional: bool  # computed with a year whose official schedule is not loaded yet

    @property
    def last_day(self) -> dt.date:
        return self.at.astimezone(LOCAL).date()


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    start_is_month_end = day.day == month_calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, last if start_is_month_end else min(day.day, last))


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LOCAL)


def _count_working_days(start: dt.date, amount: int, calendar: WorkCalendar) -> tuple[dt.date, set[int]]:
    day, counted, years = start, 0, set()
    while counted < amount:
        day += dt.timedelta(days=1)
        years.add(day.year)
        if calendar.is_working_day(day):
            counted += 1
    return day, years


def _extend(last: dt.date, calendar: WorkCalendar) -> tuple[dt.date, set[int]]:
    years = {last.year}
    moved = calendar.next_working_day(last)
    years.update(range(last.year, moved.year + 1))
    return moved, years


def compute_due(start: dt.datetime, period: Period, calendar: WorkCalendar) -> Due:
    """When a period that starts at ``start`` (aware) ends."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    local = start.astimezone(LOCAL)
    if period.unit is Unit.HOURS:
        first_counted_hour = local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        return Due(first_counted_hour + dt.timedelta(hours=period.amount), provisional=False)
    if period.unit is Unit.WORKING_DAYS:
        last, years = _count_working_days(local.date(), period.amount, calendar)
        return Due(_end_of(last), provisional=not all(calendar.is_official(y) for y in years))
    if period.unit is Unit.DAYS:
        last = local.date() + dt.timedelta(days=period.amount)
    else:
        last = add_months(local.date(), period.amount)
    if not period.extends_over_holidays:
        return Due(_end_of(last), provisional=False)
    last, years = _extend(last, calendar)
    return Due(_end_of(last), provisional=not all(calendar.is_official(y) for y in years))
