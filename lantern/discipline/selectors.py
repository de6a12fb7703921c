"""Reads of accountability records: for the trail and the inspectors' list, for the
family portal (what was disclosed, nothing more), for the statistics (counts by outcome)
and for the inspector's home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from lantern.access.policy import Verb, scope
from lantern.audit import readable
from lantern.audit.models import AuditEntry
from lantern.cases.history import reason_for
from lantern.cases.models import Case
from lantern.discipline.models import AccountabilityRecord
from lantern.discipline.officials import official
from lantern.discipline.outcomes import LEGAL_REFERENCES, Outcome


def reading_for(case: Case, reader: Any) -> readable.Reading:
    """A reading for the texts of a trail: the case known, identities never shown, so the
    case page's rule (cases.history.reason_for) pseudonymises the case's people."""
    blank = AuditEntry(object_type="cases.case", object_id=str(case.pk), action="", details={})
    return readable.Reading(entry=blank, actor="", reader=reader,
                            cache={"cases": {str(case.pk): case}, f"identity:{case.pk}": False})


def record_json(record: AccountabilityRecord, *, reader: Any = None, reading: Any = None) -> dict[str, Any]:
    """A record as inspectors read it, the case's people pseudonymised in its texts
    (``reading``: the trail's, else one for ``reader``)."""
    case = record.case
    reading = reading or reading_for(case, reader)

    def text(value: str) -> str:
        return reason_for(reading, case, value)

    return {
        "id": record.pk, "case_id": case.pk, "case_number": case.case_number,
        "officials": [{"unit_id": o.unit_id, "unit": o.unit.name, "position": o.position,
                       "user": official(o.user)} for o in record.officials.select_related("unit", "user__unit")],
        "finding": text(record.finding), "outcome": record.outcome,
        "outcome_label": str(Outcome(record.outcome).label),
        "legal_reference": str(LEGAL_REFERENCES[Outcome(record.outcome)]), "decided_on": record.decided_on,
        "recorded_by": official(record.recorded_by), "recorded_at": record.recorded_at,
        "disclosed_to_family": record.disclosed_to_family,
        "disclosure": text(record.disclosure),
        "disclosed_at": record.disclosed_at, "disclosed_by": official(record.disclosed_by),
        "nondisclosure_reason": text(record.nondisclosure_reason),
    }


def _with_people(qs: QuerySet[AccountabilityRecord]) -> QuerySet[AccountabilityRecord]:
    return qs.select_related("case__victim", "case__unit", "recorded_by__unit", "disclosed_by__unit")


def records_of(case: Case) -> QuerySet[AccountabilityRecord]:
    return _with_people(AccountabilityRecord.objects.filter(case=case))


def records_json(case: Case, *, reader: Any = None, reading: Any = None) -> list[dict[str, Any]]:
    reading = reading or reading_for(case, reader)
    return [record_json(r, reading=reading) for r in records_of(case)]


def records_for(user: Any) -> QuerySet[AccountabilityRecord]:
    """The records of the cases whose trails ``user`` may read, newest first."""
    return _with_people(scope(user, Verb.VIEW, AccountabilityRecord.objects.all())).order_by("-recorded_at", "-pk")


def recent_records(user: Any, n: int = 5) -> list[dict[str, Any]]:
    """For an inspector's home page: the latest records of their jurisdiction, without texts."""
    return [{"id": r.pk, "case_id": r.case_id, "case_number": r.case.case_number, "outcome": r.outcome,
             "outcome_label": str(Outcome(r.outcome).label), "decided_on": r.decided_on,
             "disclosed_to_family": r.disclosed_to_family} for r in records_for(user)[:n]]


def disclosures_for_family(case: Case) -> list[dict[str, Any]]:
    """What the family was told: the disclosed text, when, and the outcome's name. Never
    the officials (unless the text itself names them) nor the finding."""
    found = AccountabilityRecord.objects.filter(case=case, disclosed_to_family=True).order_by("disclosed_at", "pk")
    return [{"text": r.disclosure, "disclosed_at": r.disclosed_at, "outcome": r.outcome,
             "outcome_label": str(Outcome(r.outcome).label)} for r in found]


def outcome_counts(scope_: QuerySet[Case] | Q | Any, start: dt.date | None = None,
                   end: dt.date | None = None) -> dict[str, int]:
    """Accountability records by outcome, decided from ``start`` to ``end`` (inclusive,
    either open), for the cases of ``scope_``: a Case queryset, a Q over Case, or a unit
    (its subtree). Every outcome is in the answer, 0 where none. Records, not officials:
    one record may concern several. Suppressing small numbers is the statistics' job."""
    records = AccountabilityRecord.objects.all()
    if isinstance(scope_, QuerySet):
        records = records.filter(case__in=scope_.values("pk"))
    elif isinstance(scope_, Q):
        records = records.filter(case__in=Case.objects.filter(scope_).values("pk"))
    elif scope_ is not None:
        records = records.filter(case__unit__path__startswith=scope_.path)
    if start is not None:
        records = records.filter(decided_on__gte=start)
    if end is not None:
        records = records.filter(decided_on__lte=end)
    counted = dict(records.values_list("outcome").annotate(n=Count("pk")).order_by())
    return {outcome: counted.get(outcome, 0) for outcome in Outcome.values}
