"""Working the evidence checklist: done (shown by what is on record, or by a note saying
what was done), reopened, or not applicable with a supervisor's written reason (that
reason is what lets a non-filing go ahead with the item unmet). What counts is decided by
the evidence gate (cases.gate); recording the interview or the evidence ticks its item by
itself (``tick_from_record``), so nobody enters the same thing twice."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, Verb, has_capability, require
from lantern.access.roles import Role
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases import gate, items
from lantern.cases.guards import Ctx, on_team_or_supervisor
from lantern.cases.models import (
    Case,
    ChecklistItem,
    DecisionKind,
    DecisionStatus,
    ItemObjection,
    ItemStatus,
    ProceedingKind,
    ProceedingStatus,
)
from lantern.core.actions import action
from lantern.core.errors import Conflict, PermissionDenied, ValidationFailed
from lantern.deadlines import services as clocks
from lantern.standards.selectors import satisfier_labels


def _check_done(item: ChecklistItem, note: str) -> None:
    review = gate.review_item(item)
    if review.blocked:
        raise Conflict(_("This item cannot be marked done yet."), unmet=[u.as_dict() for u in review.blocked])
    if not review.proof and not note.strip():
        wanted = " / ".join(satisfier_labels(gate.satisfied_by(item)))
        raise ValidationFailed(details={"note": [
            _("Nothing on record shows this item was done (%(wanted)s). Write in the note what was done.")
            % {"wanted": wanted}]})


def _check_not_applicable(actor: Any, item: ChecklistItem, note: str) -> None:
    if not has_capability(actor, Capability.DECIDE_FOR_UNIT):
        raise PermissionDenied(_("Only a supervisor may record that an item cannot apply."))
    if not note.strip():
        raise Conflict(unmet=[{"code": "reason_required",
                               "message": _("Write down why this item cannot apply to this case.")}])
    if holds := gate.review_item(item).holds:  # an outstanding result is not ruled out by a reason
        raise Conflict(_("This item cannot be ruled out while a laboratory result is outstanding."),
                       unmet=[u.as_dict() for u in holds])


def _save(*, actor: Any, item: ChecklistItem, status: str, note: str, details: dict[str, Any]) -> None:
    before = item.status
    item.status, item.note, item.changed_by, item.changed_at = status, note.strip(), actor, timezone.now()
    item.save(update_fields=["status", "note", "changed_by", "changed_at"])
    if status != ItemStatus.OPEN:
        clocks.meet(case=item.case, rule_key=items.clock(item), subject=item.key)
        # Worked again: a prosecutor's "not satisfied" is answered (the objection stays on record).
        ItemObjection.objects.filter(item=item, answered_at__isnull=True).update(answered_at=item.changed_at)
    record(actor=actor, action=Event.CASE_CHECKLIST_ITEM, obj=item.case,
           details={"item": item.key, "from": before, "to": status, **details})


@action
def set_checklist_item(*, actor: Any, item: ChecklistItem, status: str, note: str | None = None) -> ChecklistItem:
    """``note`` None keeps the item's note: a status change alone never erases what was written."""
    item = ChecklistItem.objects.select_for_update(of=("self",)).select_related("case", "template_item").get(
        pk=item.pk)
    require(actor, Verb.VIEW, item.case)
    if status not in ItemStatus.values:
        raise ValidationFailed(details={"status": [_("Use open, done or not_applicable.")]})
    if unmet := on_team_or_supervisor(Ctx(case=item.case, actor=actor)):
        raise PermissionDenied(unmet.message)
    note = item.note if note is None else note
    if status == ItemStatus.DONE:
        _check_done(item, note)
    elif status == ItemStatus.NOT_APPLICABLE:
        _check_not_applicable(actor, item, note)
    _save(actor=actor, item=item, status=status, note=note, details={})
    return item


def tick_from_record(*, actor: Any, case: Case, key: str, source: str) -> ChecklistItem | None:
    """Mark the item ``key`` done because ``source`` (an interview, evidence, a laboratory
    result) was just recorded: called inside the action that recorded it, audited with it.
    An item already worked, blocked by the gate, or not shown by the record stays as it is."""
    item = ChecklistItem.objects.select_for_update(of=("self",)).select_related("template_item").filter(
        case=case, key=key).first()
    if item is None or item.status != ItemStatus.OPEN:
        return None
    review = gate.review_item(item)
    if review.blocked or not review.proof:
        return None
    _save(actor=actor, item=item, status=ItemStatus.DONE, note=item.note,
          details={"automatic": True, "source": source})
    return item


# --- The procuratorate's "not satisfied" --------------------------------------------------------------

CLOSED_PROCEEDINGS = (ProceedingStatus.UPHELD, ProceedingStatus.OVERTURNED)


def in_supervision_of_a_non_filing(case: Case) -> bool:
    """A proposal not to file awaits approval, or the non-filing is under the procuratorate's supervision."""
    return (case.decisions.filter(status=DecisionStatus.PENDING, kind=DecisionKind.NOT_FILE).exists()
            or case.proceedings.filter(kind=ProceedingKind.SUPERVISION).exclude(
                status__in=CLOSED_PROCEEDINGS).exists())


def _check_objection(actor: Any, item: ChecklistItem, reason: str) -> None:
    if not actor.has_role(Role.PROSECUTOR):
        raise PermissionDenied(_("Only a prosecutor finds an item not satisfied."))
    if not in_supervision_of_a_non_filing(item.case):
        raise Conflict(unmet=[{"code": "no_non_filing_in_supervision", "message": _(
            "An item is found not satisfied in supervision of a non-filing: a proposal not to file awaiting "
            "approval, or a non-filing under the procuratorate's supervision.")}])
    if not reason.strip():
        raise ValidationFailed(details={"reason": [_("Write down what is missing.")]})


@action
def find_not_satisfied(*, actor: Any, item: ChecklistItem, reason: str) -> ChecklistItem:
    """A prosecutor finds an item not satisfied: it reopens for the police, and a non-filing
    cannot be approved until they have worked it again (guards.objections_answered)."""
    item = ChecklistItem.objects.select_for_update(of=("self",)).select_related("case", "template_item").get(
        pk=item.pk)
    require(actor, Verb.VIEW, item.case)
    _check_objection(actor, item, reason)
    now, before = timezone.now(), item.status
    objection = ItemObjection.objects.create(item=item, reason=reason.strip(), by=actor, at=now)
    item.status, item.changed_by, item.changed_at = ItemStatus.OPEN, actor, now
    item.save(update_fields=["status", "changed_by", "changed_at"])
    record(actor=actor, action=Event.CASE_CHECKLIST_NOT_SATISFIED, obj=item.case,
           details={"item": item.key, "from": before, "objection": objection.pk})
    return item
