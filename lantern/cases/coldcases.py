"""Cold-case reviews: a suspended investigation is re-examined on a clock (deadlines rule
"cold_case_review", 180 days, policy), each review recording what was checked again.
Historical cases (an offence long before the report) are marked so the campaign counts them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.access.policy import Capability, Verb, has_capability, require
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.guards import require_case_work
from lantern.cases.models import Case, ColdCaseReview
from lantern.cases.states import State
from lantern.core.actions import action
from lantern.core.errors import Conflict, PermissionDenied, ValidationFailed
from lantern.deadlines import services as clocks

# What a cold-case review goes through again: the leads that solve old cases.
COLD_CASE_CHECKS = {
    "dna_databases": gettext_lazy("DNA profiles compared again with the national databases"),
    "phones_and_accounts": gettext_lazy("Suspects' phones and platform accounts checked for new activity"),
    "linked_cases": gettext_lazy("New cases sharing a suspect identifier (blind-index linkage)"),
    "fugitive_alerts": gettext_lazy("Wanted notices and border alerts still in force"),
    "witnesses": gettext_lazy("Witnesses and the victim's family asked for anything new"),
}


@action
def record_cold_case_review(*, actor: Any, case: Case, rechecked: list[str], findings: str) -> ColdCaseReview:
    require_case_work(actor, case)
    if case.state != State.SUSPENDED:
        raise Conflict(unmet=[{"code": "state", "message": _("Only a suspended case has cold-case reviews.")}])
    unknown = sorted(set(rechecked) - set(COLD_CASE_CHECKS))
    if not rechecked or unknown:
        raise ValidationFailed(details={"rechecked": [_("Tick what was checked again.")]})
    if not findings.strip():
        raise ValidationFailed(details={"findings": [_("Write what the review found, even if nothing.")]})
    now = timezone.now()
    review = ColdCaseReview.objects.create(case=case, reviewed_at=now, reviewed_by=actor,
                                           rechecked=sorted(set(rechecked)), findings=findings.strip())
    clocks.meet(case=case, rule_key="cold_case_review", at=now)
    clocks.start(case=case, rule_key="cold_case_review", started_at=now)  # the next one
    record(actor=actor, action=Event.CASE_COLD_CASE_REVIEW, obj=case, details={"rechecked": review.rechecked})
    return review


@action
def mark_historical(*, actor: Any, case: Case, reason: str) -> Case:
    """A supervisor marks a case historical (an offence long before the report), which
    intake does by itself past two years; the campaign statistics count them apart."""
    require(actor, Verb.VIEW, case)
    if not has_capability(actor, Capability.DECIDE_FOR_UNIT):
        raise PermissionDenied(_("A supervisor marks a case historical."))
    if not reason.strip():
        raise ValidationFailed(details={"reason": [_("Write why the case is historical.")]})
    case.is_historical = True
    case.save(update_fields=["is_historical"])
    record(actor=actor, action=Event.CASE_MARKED_HISTORICAL, obj=case)
    return case
