"""Sending evidence to a laboratory and receiving the result: the kit tracker. Sending is
a custody hand-over to the laboratory and starts the "lab_result" clock (30 working days),
which the deadline sweep escalates when it runs out; the result stops it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.checklist import tick_from_record
from lantern.cases.guards import require_case_work
from lantern.core.actions import action
from lantern.core.errors import Conflict, ValidationFailed
from lantern.deadlines import services as clocks
from lantern.evidence.models import EvidenceItem, LabSubmission
from lantern.evidence.selectors import LAB_ITEM_BY_KIND, current_holder, lab_subject
from lantern.evidence.services import hand_over


@action
def submit_to_lab(*, actor: Any, item: EvidenceItem, laboratory: str, seal_number: str) -> LabSubmission:
    require_case_work(actor, item.case)
    if LabSubmission.objects.filter(item=item).exists():
        raise Conflict(_("This item was sent to a laboratory already."))
    if not laboratory.strip():
        raise ValidationFailed(details={"laboratory": [_("Name the laboratory.")]})
    now = timezone.now()
    hand_over(actor=actor, item=item, from_holder=current_holder(item), to_holder=laboratory.strip(),
              place=laboratory.strip(), seal_number=seal_number, at=now)
    submission = LabSubmission.objects.create(item=item, laboratory=laboratory.strip(), submitted_at=now,
                                              submitted_by=actor)
    clocks.start(case=item.case, rule_key="lab_result", started_at=now, subject=lab_subject(item))
    record(actor=actor, action=Event.EVIDENCE_SENT_TO_LAB, obj=item.case, details={"item": item.pk})
    return submission


@action
def record_lab_result(*, actor: Any, item: EvidenceItem, result: str) -> LabSubmission:
    require_case_work(actor, item.case)
    submission = LabSubmission.objects.select_for_update().filter(item=item).first()
    if submission is None:
        raise Conflict(_("This item has not been sent to a laboratory."))
    if submission.result_at is not None:
        raise Conflict(_("The result was recorded already."))
    if not result.strip():
        raise ValidationFailed(details={"result": [_("Write the laboratory's conclusion.")]})
    submission.result_at, submission.result = timezone.now(), result.strip()
    submission.save(update_fields=["result_at", "result"])
    clocks.meet(case=item.case, rule_key="lab_result", subject=lab_subject(item), at=submission.result_at)
    record(actor=actor, action=Event.EVIDENCE_LAB_RESULT, obj=item.case, details={"item": item.pk})
    if key := (item.checklist_item.key if item.checklist_item else LAB_ITEM_BY_KIND.get(item.kind)):
        tick_from_record(actor=actor, case=item.case, key=key, source=f"lab_result:{lab_subject(item)}")
    return submission


