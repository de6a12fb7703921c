"""Working the evidence checklist: done, reopened, or not applicable with a supervisor's
written reason (that reason is what lets a non-filing go ahead with the item unmet)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, Verb, has_capability, require
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.guards import Ctx, on_team_or_supervisor
from lantern.cases.law import CHECKLIST_BY_KEY
from lantern.cases.models import ChecklistItem, ItemStatus
from lantern.core.actions import action
from lantern.core.errors import Conflict, PermissionDenied, ValidationFailed
from lantern.deadlines import services as clocks


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
    if status == ItemStatus.NOT_APPLICABLE:
        if not has_capability(actor, Capability.DECIDE_FOR_UNIT):
            raise PermissionDenied(_("Only a supervisor may record that an item cannot apply."))
        if not note.strip():
            raise Conflict(unmet=[{"code": "reason_required",
                                   "message": _("Write down why this item cannot apply to this case.")}])
    before = item.status
    item.status, item.note, item.changed_by, item.changed_at = status, note.strip(), actor, timezone.now()
    item.save(update_fields=["status", "note", "changed_by", "changed_at"])
    if status != ItemStatus.OPEN:
        clocks.meet(case=item.case, rule_key=CHECKLIST_BY_KEY[item.key].clock or "", subject=item.key)
    record(actor=actor, action=Event.CASE_CHECKLIST_ITEM, obj=item.case,
           details={"item": item.key, "from": before, "to": status})
    return item

