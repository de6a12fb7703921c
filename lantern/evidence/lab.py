"""Sending evidence to a laboratory and receiving the result: the kit tracker. Sending is
a custody hand-over to the laboratory. The "lab_result" clock (30 working days) starts when
the laboratory receives the item, as its receipt states (the officer records the time and
the receipt number); the deadline sweep escalates it when it runs out; the result stops it."""

from __future__ import annotations

import datetime as dt
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
    clocks.start(case=item.case, rule_key="lab_receipt", started_at=now, subject=lab_subject(item))
    record(actor=actor, action=Event.EVIDENCE_SENT_TO_LAB, obj=item.case, details={"item": item.pk})
    return submission


def _arrival_problems(submission: LabSubmission, received_at: dt.datetime | None) -> list[str]:
    if received_at is None or received_at.tzinfo is None:
        return [_("Give the date and time on the laboratory's receipt, with its time zone.")]
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        return [_("The time is in the future.")]
    if received_at < submission.submitted_at.replace(second=0, microsecond=0):  # receipts state minutes
        return [_("The laboratory cannot have received the item before it was sent.")]
    return []


@action
def record_lab_arrival(*, actor: Any, item: EvidenceItem, received_at: dt.datetime | None,
                       receipt_number: str = "") -> LabSubmission:
    """The laboratory received the item: its clock runs from then (the time on its receipt),
    not from the sending, since an item in transit is not yet the laboratory's to examine."""
    require_case_work(actor, item.case)
    submission = LabSubmission.objects.select_for_update().filter(item=item).first()
    if submission is None:
        raise Conflict(_("This item has not been sent to a laboratory."))
    if submission.received_at is not None:
        raise Conflict(_("The laboratory's receipt was recorded already."))
    if problems := _arrival_problems(submission, received_at):
        raise ValidationFailed(details={"received_at": problems})
    submission.received_at, submission.receipt_number = received_at, receipt_number.strip()
    submission.received_recorded_by = actor
    submission.save(update_fields=["received_at", "receipt_number", "received_recorded_by"])
    clocks.meet(case=item.case, rule_key="lab_receipt", subject=lab_subject(item), at=received_at)
    clocks.start(case=item.case, rule_key="lab_result", started_at=received_at, subject=lab_subject(item))
    record(actor=actor, action=Event.EVIDENCE_LAB_RECEIVED, obj=item.case, details={"item": item.pk})
    return submission


@action
def record_lab_result(*, actor: Any, item: EvidenceItem, result: str) -> LabSubmission:
    require_case_work(actor, item.case)
    submission = LabSubmission.objects.select_for_update().filter(item=item).first()
    if submission is None:
        raise Conflict(_("This item has not been sent to a laboratory."))
    if submission.received_at is None:
        raise Conflict(_("Record the laboratory's receipt of the item first."))
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


