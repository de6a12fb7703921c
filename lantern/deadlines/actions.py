"""Loading the official holiday schedule, as an audited action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, require_capability
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.core.actions import action
from lantern.core.errors import ValidationFailed
from lantern.deadlines.models import CalendarDay, CalendarYear, DayKind
from lantern.deadlines.services import invalidate_calendar, recompute_provisional


def _validated(year: int, days: Iterable[tuple[dt.date, str, str]]) -> list[tuple[dt.date, str, str]]:
    rows, seen, problems = [], set(), []
    for date, kind, name in days:
        if date.year != year:
            problems.append(_("%(date)s is not in %(year)s.") % {"date": date, "year": year})
        elif date in seen:
            problems.append(_("%(date)s is listed twice.") % {"date": date})
        elif kind not in DayKind.values:
            problems.append(_("%(date)s: the kind must be holiday or workday.") % {"date": date})
        elif kind == DayKind.WORKDAY and date.weekday() < 5:
            problems.append(_("%(date)s is a weekday: only a weekend day can be an adjusted working day.")
                            % {"date": date})
        seen.add(date)
        rows.append((date, kind, name.strip()[:80]))
    if not any(kind == DayKind.HOLIDAY for _date, kind, _name in rows):
        problems.append(_("The schedule for %(year)s has no holidays.") % {"year": year})
    if problems:
        raise ValidationFailed(details={"days": problems})
    return rows


@action
def load_official_calendar(*, actor: object | None, year: int, reference: str,
                           days: Iterable[tuple[dt.date, str, str]]) -> CalendarYear:
    """Replace ``year``'s schedule with the official one. ``actor`` None: the installer."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_CALENDAR)
    rows = _validated(year, days)
    if not reference.strip():
        raise ValidationFailed(details={"reference": [_("Name the official notice this schedule comes from.")]})
    replaced = CalendarYear.objects.filter(year=year).exists()
    CalendarDay.objects.filter(year_id=year).delete()
    entry, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"reference": reference.strip()[:200], "loaded_at": timezone.now(),
                             "loaded_by_id": getattr(actor, "pk", None)})
    CalendarDay.objects.bulk_create([CalendarDay(year=entry, date=d, kind=k, name=n) for d, k, n in rows])
    invalidate_calendar()
    recomputed = recompute_provisional()
    record(actor=actor, action=Event.CALENDAR_LOADED, object_type="deadlines.calendaryear", object_id=str(year),
           details={"days": len(rows), "replaced": replaced, "deadlines_recomputed": recomputed})
    return entry
