"""Investigation statistics for oversight: aggregates only, never a person (DOMAIN.md,
"Oversight, accountability, campaigns"). The campaign dashboards of a later issue build on
these; so far: cases by state, historical cases, interviews of child victims (each one a
fresh injury), kits at the laboratory, suspects at large."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from lantern.cases.models import Case, Suspect, SuspectStatus
from lantern.evidence.models import LabSubmission


def cases_in(user: Any) -> Any:
    """The cases of the user's jurisdiction (division code prefix), as counts only."""
    if user.unit is None:
        return Case.objects.none()
    return Case.objects.filter(unit__division_code__startswith=user.unit.jurisdiction_prefix,
                               merged_into__isnull=True)


def investigation(user: Any) -> dict[str, Any]:
    cases = cases_in(user)
    minors = cases.filter(is_minor=True).annotate(n=Count("interviews"))
    interviewed = minors.filter(n__gte=1)
    labs = LabSubmission.objects.filter(item__case__in=cases)
    now = timezone.now()
    overdue = labs.filter(result_at__isnull=True, item__case__deadlines__rule="lab_result",
                          item__case__deadlines__status__in=["open", "overdue"],
                          item__case__deadlines__due_at__lt=now).distinct()
    return {
        "cases": cases.count(),
        "by_state": dict(cases.values_list("state").annotate(n=Count("pk")).order_by("state")),
        "historical_cases": cases.filter(is_historical=True).count(),
        "child_victims_interviewed": interviewed.count(),
        "child_victims_interviewed_more_than_once": interviewed.filter(n__gt=1).count(),
        "interviews_of_child_victims": sum(minors.values_list("n", flat=True)),
        "kits_sent_to_laboratory": labs.count(),
        "kit_results_received": labs.filter(result_at__isnull=False).count(),
        "kit_results_overdue": overdue.count(),
        "suspects_at_large": Suspect.objects.filter(case__in=cases, status=SuspectStatus.AT_LARGE).count(),
        "minor_cases_not_filed": cases.filter(Q(is_minor=True) & Q(state="NOT_FILED")).count(),
    }
