"""Investigation statistics for oversight: aggregates only, never a person (DOMAIN.md,
"Oversight, accountability, campaigns"). The campaign dashboards of a later issue build on
these; so far: cases by state, historical cases, interviews of child victims (each one a
fresh injury), kits at the laboratory, suspects at large."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from lantern.cases.models import Case, Suspect, SuspectStatus
from lantern.deadlines.models import RUNNING, Deadline
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
    # The clock of each kit is the one whose subject names that item (evidence.lab: "E-n").
    own_clock_late = Deadline.objects.filter(
        case=OuterRef("item__case"), rule="lab_result", status__in=RUNNING, due_at__lt=now,
        subject=Concat(Value("E-"), Cast(OuterRef("item__number"), CharField())))
    overdue = labs.filter(Exists(own_clock_late), result_at__isnull=True)
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
