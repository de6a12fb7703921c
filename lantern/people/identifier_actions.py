"""A person's identifiers after intake: one found in the chats or an extraction is added
(into the blind index at once, so duplicate checks, links and search see it), one found
wrong is retracted with a reason (it stays in the history and matches nothing any more).
For the case team and their supervisors; the audit names the kind, never the value."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.guards import require_case_work
from lantern.cases.models import Case, Suspect, SuspectStatus
from lantern.cases.states import OPEN_STATES
from lantern.core.actions import action
from lantern.core.errors import Conflict, ValidationFailed
from lantern.core.vault.blind import IdKind, digest, handle
from lantern.people import events, identifiers
from lantern.people.models import Identifier


def _open_case(actor: Any, case: Case) -> None:
    require_case_work(actor, case)
    if case.state not in OPEN_STATES:
        raise Conflict(_("This case is closed: nothing can be added to it."),
                       unmet=[{"code": "state", "message": _("The case is closed.")}])


def _raw(kind: str, value: str, platform: str) -> str:
    if kind == IdKind.HANDLE:
        if not platform.strip():
            raise ValidationFailed(details={"platform": [_("An account needs its platform.")]})
        return handle(platform.strip(), value.strip())
    return value


@action
def add_identifier(*, actor: Any, suspect: Suspect, kind: str, value: str, platform: str = "") -> Identifier:
    """``kind`` as the API names it: phone, id_number, account (with ``platform``), device."""
    suspect = Suspect.objects.select_for_update().select_related("case").get(pk=suspect.pk)
    _open_case(actor, suspect.case)
    index_kind = identifiers.ADDABLE_KINDS.get(kind)
    if index_kind is None:
        raise ValidationFailed(details={"kind": [_("Not one of the allowed values: %(allowed)s.")
                                                 % {"allowed": ", ".join(identifiers.ADDABLE_KINDS)}]})
    raw = _raw(index_kind, value, platform)
    mine = Identifier.objects.filter(suspect=suspect, kind=index_kind).values_list("digest", flat=True)
    if digest(index_kind, raw) in set(mine):
        raise Conflict(_("This identifier is already on record for this person."),
                       unmet=[{"code": "already_recorded", "message": _("Already on record.")}])
    row = identifiers.add_to_suspect(suspect=suspect, kind=index_kind, raw=raw, actor=actor, at=timezone.now())
    if row is None:
        raise ValidationFailed(details={"value": [_("Nothing to record: give the number, account or device ID.")]})
    if suspect.status == SuspectStatus.UNIDENTIFIED:  # an account or a phone is a way to find them
        suspect.status = SuspectStatus.IDENTIFIED
        suspect.save(update_fields=["status"])
    record(actor=actor, action=Event.PERSON_IDENTIFIER_ADDED, obj=suspect.case,
           details={"person": suspect.pk, "identifier": row.pk, "kind": kind})
    return row


@action
def retract_identifier(*, actor: Any, identifier: Identifier, reason: str) -> Identifier:
    row = Identifier.every.select_for_update().select_related("case").get(pk=identifier.pk)
    _open_case(actor, row.case)
    if not reason.strip():
        raise ValidationFailed(details={"reason": [_("A written reason is required.")]})
    if row.retracted_at is not None:
        raise Conflict(_("This identifier was already marked wrong."),
                       unmet=[{"code": "already_retracted", "message": _("Already marked wrong.")}])
    row.retracted_at, row.retracted_by, row.retraction_reason = timezone.now(), actor, reason.strip()
    row.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
    events.announce_retracted(row, actor)
    record(actor=actor, action=Event.PERSON_IDENTIFIER_RETRACTED, obj=row.case,
           details={"person": row.suspect_id, "identifier": row.pk,
                    "kind": identifiers.KIND_NAMES.get(row.kind, row.kind)})
    return row
