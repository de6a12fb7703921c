"""Starting, meeting and extending clocks on cases; called from actions, inside their
transactions."""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import Count, Max
from django.utils import timezone

from lantern.deadlines.arithmetic import Due, Period, compute_due
from lantern.deadlines.calendar import WorkCalendar
from lantern.deadlines.models import CalendarYear, Deadline, DeadlineStatus
from lantern.deadlines.rules import rule

_cache: dict[str, object] = {}
_lock = threading.Lock()


def current_calendar() -> WorkCalendar:
    """The calendar, rebuilt only when an administrator has loaded a schedule since."""
    version = CalendarYear.objects.aggregate(n=Count("year"), last=Max("loaded_at"))
    key = f"{version['n']}:{version['last']}"
    with _lock:
        if _cache.get("key") != key:
            _cache["calendar"], _cache["key"] = WorkCalendar.from_db(), key
        return _cache["calendar"]  # type: ignore[return-value]


def due_for(rule_key: str, started_at: dt.datetime, period: Period | None = None) -> Due:
    return compute_due(started_at, period or rule(rule_key).period, current_calendar())


def start(*, case: object, rule_key: str, started_at: dt.datetime, subject: str = "",
          period: Period | None = None) -> Deadline:
    due = due_for(rule_key, started_at, period)
    return Deadline.objects.create(case=case, rule=rule_key, subject=subject, started_at=started_at,
                                   due_at=due.at, provisional=due.provisional)


def open_clock(case: object, rule_key: str, subject: str = "") -> Deadline | None:
    return Deadline.objects.filter(case=case, rule=rule_key, subject=subject,
                                   status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE]).first()


def meet(*, case: object, rule_key: str, subject: str = "", at: dt.datetime | None = None) -> Deadline | None:
    """Stop a clock: met on time, or met late if it had already run out."""
    clock = open_clock(case, rule_key, subject)
    if clock is None:
        return None
    at = at or timezone.now()
    clock.status = DeadlineStatus.MET if at <= clock.due_at else DeadlineStatus.MET_LATE
    clock.closed_at = at
    clock.save(update_fields=["status", "closed_at"])
    return clock


def cancel_open(*, case: object, rule_keys: list[str]) -> int:
    return Deadline.objects.filter(case=case, rule__in=rule_keys,
                                   status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE]).update(
        status=DeadlineStatus.CANCELLED, closed_at=timezone.now())


def extend(*, clock: Deadline, period: Period) -> Deadline:
    due = compute_due(clock.started_at, period, current_calendar())
    clock.due_at, clock.provisional, clock.extended = due.at, due.provisional, True
    if clock.status == DeadlineStatus.OVERDUE and due.at > timezone.now():
        clock.status = DeadlineStatus.OPEN
    clock.save(update_fields=["due_at", "provisional", "extended", "status"])
    return clock


def recompute_provisional() -> int:
    """After an official schedule is loaded: recompute clocks computed by rule."""
    changed = 0
    for clock in Deadline.objects.filter(provisional=True, status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE]):
        period = rule(clock.rule).extended_period if clock.extended else None
        due = due_for(clock.rule, clock.started_at, period)
        if (due.at, due.provisional) != (clock.due_at, clock.provisional):
            clock.due_at, clock.provisional = due.at, due.provisional
            clock.save(update_fields=["due_at", "provisional"])
            changed += 1
    return changed
