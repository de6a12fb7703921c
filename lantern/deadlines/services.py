"""Starting, meeting and extending clocks on cases; called from actions, inside their
transactions."""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.db.models import Count, Max
from django.utils import timezone

from lantern.deadlines.arithmetic import Due, Period, Unit, compute_due
from lantern.deadlines.calendar import WorkCalendar
from lantern.deadlines.events import announce_clock
from lantern.deadlines.models import RUNNING, CalendarYear, Deadline, DeadlineStatus
from lantern.deadlines.rules import rule

_cache: dict[str, object] = {}
_lock = threading.Lock()
# How long a process trusts its calendar before asking the database whether a schedule
# was loaded. A clock another process computes in that window from the old calendar is
# still marked provisional, and every sweep recomputes provisional clocks.
RECHECK_SECONDS = 5.0


def invalidate_calendar() -> None:
    with _lock:
        _cache.clear()


def current_calendar() -> WorkCalendar:
    """The calendar, rebuilt only when an administrator has loaded a schedule since."""
    with _lock:
        if time.monotonic() - float(_cache.get("checked", 0.0)) < RECHECK_SECONDS and "calendar" in _cache:
            return _cache["calendar"]  # type: ignore[return-value]
    version = CalendarYear.objects.aggregate(n=Count("year"), last=Max("loaded_at"))
    key = f"{version['n']}:{version['last']}"
    with _lock:
        if _cache.get("key") != key:
            _cache["calendar"], _cache["key"] = WorkCalendar.from_db(), key
        _cache["checked"] = time.monotonic()
        return _cache["calendar"]  # type: ignore[return-value]


def _due(started_at: dt.datetime, period: Period) -> Due:
    return compute_due(started_at, period, current_calendar())


def prepare(*, case: object, rule_key: str, started_at: dt.datetime, subject: str = "",
            period: Period | None = None) -> Deadline:
    """A clock computed but not saved yet (for bulk creation)."""
    period = period or rule(rule_key).period
    due = _due(started_at, period)
    return Deadline(case=case, rule=rule_key, subject=subject, started_at=started_at, due_at=due.at,
                    provisional=due.provisional, **_period_fields(period))


def _period_fields(period: Period) -> dict[str, object]:
    return {"period_amount": period.amount, "period_unit": period.unit.value,
            "period_extends": period.extends_over_holidays}


def period_of(clock: Deadline) -> Period:
    return Period(clock.period_amount, Unit(clock.period_unit), clock.period_extends)


def start(*, case: object, rule_key: str, started_at: dt.datetime, subject: str = "",
          period: Period | None = None) -> Deadline:
    clock = prepare(case=case, rule_key=rule_key, started_at=started_at, subject=subject, period=period)
    clock.save()
    return clock


def open_clock(case: object, rule_key: str, subject: str = "") -> Deadline | None:
    return Deadline.objects.filter(case=case, rule=rule_key, subject=subject,
                                   status__in=RUNNING).first()


def meet(*, case: object, rule_key: str, subject: str = "", at: dt.datetime | None = None) -> Deadline | None:
    """Stop a clock: met on time, or met late if it had already run out."""
    clock = open_clock(case, rule_key, subject)
    if clock is None:
        return None
    at = at or timezone.now()
    clock.status = DeadlineStatus.MET if at <= clock.due_at else DeadlineStatus.MET_LATE
    clock.closed_at = at
    clock.save(update_fields=["status", "closed_at"])
    announce_clock(case)
    return clock


def cancel_open(*, case: object, rule_keys: list[str]) -> int:
    n = Deadline.objects.filter(case=case, rule__in=rule_keys,
                                status__in=RUNNING).update(
        status=DeadlineStatus.CANCELLED, closed_at=timezone.now())
    if n:
        announce_clock(case)
    return n


def cancel(*, case: object, rule_key: str, subject: str = "") -> int:
    """A clock that no longer applies (a referral declined or revoked, say)."""
    n = Deadline.objects.filter(case=case, rule=rule_key, subject=subject, status__in=RUNNING).update(
        status=DeadlineStatus.CANCELLED, closed_at=timezone.now())
    if n:
        announce_clock(case)
    return n


def extend(*, clock: Deadline, period: Period) -> Deadline:
    due = _due(clock.started_at, period)
    clock.due_at, clock.provisional, clock.extended = due.at, due.provisional, True
    for field, value in _period_fields(period).items():
        setattr(clock, field, value)
    if clock.status == DeadlineStatus.OVERDUE and due.at > timezone.now():
        clock.status = DeadlineStatus.OPEN
    clock.save(update_fields=["due_at", "provisional", "extended", "status", *_period_fields(period)])
    announce_clock(clock.case)
    return clock


def recompute_provisional() -> int:
    """After an official schedule is loaded: recompute clocks computed by rule."""
    changed = 0
    for clock in Deadline.objects.filter(provisional=True, status__in=RUNNING):
        due = _due(clock.started_at, period_of(clock))
        if (due.at, due.provisional) != (clock.due_at, clock.provisional):
            clock.due_at, clock.provisional = due.at, due.provisional
            clock.save(update_fields=["due_at", "provisional"])
            changed += 1
    return changed
