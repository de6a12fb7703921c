"""Reads of the oversight flags, for prosecutors and discipline inspectors: the flags of
every case in their jurisdiction (by division code, whether or not the case reached the
procuratorate: finding the ones that did not is the point), pseudonymised: case number,
flag, since, unit. Never a name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse

from lantern.access.policy import Capability, has_capability
from lantern.accounts.models import Unit
from lantern.oversight.kinds import EXPLANATIONS, TRAIL_PATH, FlagKind
from lantern.oversight.models import OversightFlag

PAGE_SIZE = 50


def flags_in(user: Any) -> QuerySet[OversightFlag]:
    """Every flag (open or cleared) of the cases in the user's jurisdiction; none for a
    user without the capability or without a unit."""
    if not has_capability(user, Capability.READ_OVERSIGHT_FLAGS) or user.unit is None:
        return OversightFlag.objects.none()
    return OversightFlag.objects.filter(division_code__startswith=user.unit.jurisdiction_prefix)


def flag_list(user: Any, *, flag: str = "", unit_id: int | None = None, since: dt.datetime | None = None,
              status: str = "open") -> QuerySet[OversightFlag]:
    """The flags the list shows: open ones by default, ``status="all"`` with the cleared."""
    rows = flags_in(user)
    if status != "all":
        rows = rows.filter(cleared_at__isnull=True)
    if flag:
        rows = rows.filter(flag=flag)
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        rows = rows.filter(unit__path__startswith=unit.path) if unit else rows.none()
    if since is not None:
        rows = rows.filter(since__gte=since)
    return rows.order_by("-since", "-pk")


def page(rows: QuerySet[OversightFlag], *, number: int = 1, limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    start = (number - 1) * limit
    return [flag_row(r) for r in rows.select_related("unit")[start:start + limit]]


def flag_row(row: OversightFlag) -> dict[str, Any]:
    return {"id": row.pk, "case_id": row.case_id, "case_number": row.case_number, "flag": row.flag,
            "label": str(FlagKind(row.flag).label), "explanation": str(EXPLANATIONS[row.flag]),
            "since": row.since, "cleared_at": row.cleared_at, "unit": row.unit.name,
            "case_url": reverse("cases:detail", args=[row.case_id]),
            "trail_url": TRAIL_PATH.format(case_id=row.case_id)}


def open_flag_counts(user: Any) -> dict[str, int]:
    """Open flags per kind in the user's jurisdiction, every kind present (0 when none): for
    the flags page's bars and a home-page panel."""
    found = dict(flags_in(user).filter(cleared_at__isnull=True).values_list("flag")
                 .annotate(n=Count("pk")).order_by("flag"))
    return {kind.value: found.get(kind.value, 0) for kind in FlagKind}


def recent_flags(user: Any, n: int = 5) -> list[dict[str, Any]]:
    """The ``n`` most recent open flags of the user's jurisdiction (for a home-page panel)."""
    return page(flag_list(user), limit=n)
