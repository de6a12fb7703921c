"""The conditions of the oversight flags, computed from the record (never from the flag
table): ``expected(cases)`` gives, for a set of cases, every flag that should be open now,
keyed (case id, flag, subject) with its ``since``. The incremental refresh of one case and
the periodic reconciliation of all cases both call it, so the two cannot disagree."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lantern.cases.models import Case, ChecklistItem, Decision, DecisionKind, DecisionStatus, ItemStatus
from lantern.cases.states import State, Trigger
from lantern.deadlines.models import RUNNING, Deadline
from lantern.evidence.models import Interview
from lantern.oversight import kinds
from lantern.oversight.kinds import FlagKind

Key = tuple[int, str, str]
CHUNK = 2000


def _last_decided(kind: str, trigger: str | None = None) -> Subquery:
    decisions = Decision.objects.filter(case=OuterRef("pk"), kind=kind, status=DecisionStatus.APPROVED)
    if trigger is not None:
        decisions = decisions.filter(trigger=trigger)
    return Subquery(decisions.order_by("-decided_at").values("decided_at")[:1])


def live(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(merged_into__isnull=True)


def _not_filed(cases: QuerySet[Case]) -> list[tuple[int, bool, dt.datetime, dt.datetime]]:
    """(case id, minor, received, decided) of every case whose non-filing stands."""
    rows = (live(cases).filter(state=State.NOT_FILED)
            .annotate(decided=Coalesce(_last_decided(DecisionKind.NOT_FILE), F("created_at")))
            .values_list("pk", "is_minor", "received_at", "decided"))
    return list(rows.iterator(chunk_size=CHUNK))


def _bursts(decided: dict[int, dt.datetime]) -> set[int]:
    """The cases with at least K checklist items marked done within M minutes of each other
    before the decision (K, M: kinds.THRESHOLDS)."""
    k, window = kinds.threshold("burst_items"), kinds.burst_window()
    found: set[int] = set()
    ids = list(decided)
    for start in range(0, len(ids), CHUNK):
        times: dict[int, list[dt.datetime]] = defaultdict(list)
        items = (ChecklistItem.objects.filter(case_id__in=ids[start:start + CHUNK], changed_at__isnull=False)
                 .exclude(status=ItemStatus.OPEN).values_list("case_id", "changed_at"))
        for case_id, at in items:
            if at <= decided[case_id]:
                times[case_id].append(at)
        for case_id, ats in times.items():
            ats.sort()
            if any(ats[i + k - 1] - ats[i] <= window for i in range(len(ats) - k + 1)):
                found.add(case_id)
    return found


def _non_filings(cases: QuerySet[Case]) -> dict[Key, dt.datetime]:
    out: dict[Key, dt.datetime] = {}
    rows = _not_filed(cases)
    quick = kinds.decided_within()
    burst = _bursts({pk: decided for pk, _m, _r, decided in rows})
    for pk, minor, received, decided in rows:
        if minor:
            out[(pk, FlagKind.MINOR_NOT_FILED, "")] = decided
        if decided - received <= quick or pk in burst:
            out[(pk, FlagKind.HASTY_NON_FILING, "")] = decided
    return out


def _media(cases: QuerySet[Case]) -> dict[Key, dt.datetime]:
    rows = (live(cases).filter(reopen_trigger=Trigger.MEDIA_EXPOSURE)
            .annotate(at=Coalesce(_last_decided(DecisionKind.FILE, Trigger.MEDIA_EXPOSURE), F("created_at")))
            .values_list("pk", "at"))
    return {(pk, FlagKind.REOPENED_AFTER_MEDIA, ""): at for pk, at in rows.iterator(chunk_size=CHUNK)}


def _clocks(cases: QuerySet[Case], now: dt.datetime) -> dict[Key, dt.datetime]:
    late = Deadline.objects.filter(case__in=live(cases).values("pk"), status__in=RUNNING, due_at__lt=now,
                                   rule__in=[*kinds.EVIDENCE_RULES, kinds.QUESTION_RULE])
    out: dict[Key, dt.datetime] = {}
    for pk, case_id, rule, due in late.values_list("pk", "case_id", "rule", "due_at").iterator(chunk_size=CHUNK):
        flag = FlagKind.QUESTION_OVERDUE if rule == kinds.QUESTION_RULE else FlagKind.EVIDENCE_OVERDUE
        out[(case_id, flag, f"deadline:{pk}")] = due
    return out


def _interviews(cases: QuerySet[Case]) -> dict[Key, dt.datetime]:
    unapproved = Q(approval__isnull=True) | ~Q(approval__approved=True)
    rows = Interview.objects.filter(unapproved, case__in=live(cases).filter(is_minor=True).values("pk"),
                                    sequence__gt=1).values_list("case_id", "sequence", "at")
    return {(case_id, FlagKind.REPEAT_INTERVIEW, f"interview:{seq}"): at
            for case_id, seq, at in rows.iterator(chunk_size=CHUNK)}


def expected(cases: QuerySet[Case], *, now: dt.datetime) -> dict[Key, dt.datetime]:
    """Every flag that should be open now for ``cases``, with its since."""
    out = _non_filings(cases)
    for part in (_media(cases), _clocks(cases, now), _interviews(cases)):
        out.update(part)
    return out


def case_facts(case_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """What a flag row copies from its case: number, unit, division code."""
    rows = Case.objects.filter(pk__in=list(case_ids)).values_list("pk", "case_number", "unit_id",
                                                                   "unit__division_code")
    return {pk: {"case_number": number or "", "unit_id": unit, "division_code": code}
            for pk, number, unit, code in rows}
