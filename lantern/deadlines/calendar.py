"""Is this day a working day? The official schedule where it is loaded; otherwise the
statutory holidays computed by rule (the ``holidays`` package) without the adjusted
working days the State Council announces each year, so any answer that needed a
rule-based year is provisional and is recomputed when the official schedule arrives."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as holiday_rules

from lantern.deadlines.models import CalendarDay, CalendarYear, DayKind


@lru_cache(maxsize=64)
def _rule_based_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holiday_rules.China(years=year))


class WorkCalendar:
    """A snapshot of the calendar. Build one per computation batch (``from_db``)."""

    def __init__(self, official: dict[int, dict[dt.date, str]]):
        self._official = official  # year -> {date: "holiday" | "workday"}

    @classmethod
    def from_db(cls) -> WorkCalendar:
        official: dict[int, dict[dt.date, str]] = {y: {} for y in CalendarYear.objects.values_list("year", flat=True)}
        for date, kind in CalendarDay.objects.values_list("date", "kind"):
            official.setdefault(date.year, {})[date] = kind
        return cls(official)

    def is_official(self, year: int) -> bool:
        return year in self._official

    def is_working_day(self, day: dt.date) -> bool:
        if self.is_official(day.year):
            kind = self._official[day.year].get(day)
            if kind is not None:
                return kind == DayKind.WORKDAY
            return day.weekday() < 5
        return day.weekday() < 5 and day not in _rule_based_holidays(day.year)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day
