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
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases import gate
from lantern.cases.guards import Ctx, on_team_or_supervisor
from lantern.cases.law import CHECKLIST_BY_KEY
from lantern.cases.models import Case, ChecklistItem, ItemStatus
from lantern.core.actions import action
from lantern.core.errors import Conflict, PermissionDenied, ValidationFailed
from lantern.deadlines import services as clocks


def _check_done(item: ChecklistItem, note: str) -> None:
    review = gate.review_item(item)
    if review.blocked:
        raise Conflict(_("This item cannot be marked done yet."), unmet=[u.as_dict() for u in review.blocked])
    if not review.proof and not note.strip():
        wanted = " / ".join(str(gate.SATISFIED_BY_LABELS[k]) for k in gate.satisfied_by(item.key))
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
        clocks.meet(case=item.case, rule_key=CHECKLIST_BY_KEY[item.key].clock or "", subject=item.key)
    record(actor=actor, action=Event.CASE_CHECKLIST_ITEM, obj=item.case,
           details={"item": item.key, "from": before, "to": status, **details})


@action
def set_checklist_item(*, actor: Any, item: ChecklistItem, status: str, note: str | None = None) -> ChecklistItem:
    """``note`` None keeps the item's note: a status change alone never erases what was written."""
    item = ChecklistItem.objects.select_for_update().select_related("case").get(pk=item.pk)
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
    item = ChecklistItem.objects.select_for_update().filter(case=case, key=key).first()
    if item is None or item.status != ItemStatus.OPEN:
        return None
    review = gate.review_item(item)
    if review.blocked or not review.proof:
        return None
    _save(actor=actor, item=item, status=ItemStatus.DONE, note=item.note,
          details={"automatic": True, "source": source})
    return item
