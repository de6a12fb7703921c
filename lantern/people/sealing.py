"""Sealing a record: from then on only the roles the seal names see the case, whatever
their other basis, and every read of it is audited as a read of a sealed record."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, Verb, has_capability, require
from lantern.access.roles import Role
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.core.actions import action
from lantern.core.errors import Conflict, PermissionDenied, ValidationFailed
from lantern.people.models import Seal, SealGrant


@action
def seal_case(*, actor: Any, case: Any, roles: list[str], reason: str, legal_reference: str) -> Seal:
    require(actor, Verb.VIEW, case)
    if not has_capability(actor, Capability.SEAL_CASES):
        raise PermissionDenied(_("Only a unit head seals a record."))
    problems: dict[str, list[str]] = {}
    unknown = sorted(set(roles) - set(Role.values))
    if not roles or unknown:
        problems["roles"] = [_("Name at least one role that may still see the record; unknown: %(roles)s")
                             % {"roles": ", ".join(unknown) or "-"}]
    if not reason.strip():
        problems["reason"] = [_("State why the record is sealed.")]
    if not legal_reference.strip():
        problems["legal_reference"] = [_("Name the legal basis of the seal.")]
    if problems:
        raise ValidationFailed(details=problems)
    type(case).objects.select_for_update().filter(pk=case.pk).first()  # one sealing at a time per case
    if Seal.objects.filter(case=case, lifted_at__isnull=True).exists():
        raise Conflict(_("This record is sealed already."))
    # The sealing role always stays among the readers, or nobody could ever lift the seal.
    roles = sorted(set(roles) | {Role.UNIT_HEAD.value})
    seal = Seal.objects.create(case=case, reason=reason.strip(), legal_reference=legal_reference.strip(),
                               sealed_by=actor, sealed_at=timezone.now())
    SealGrant.objects.bulk_create([SealGrant(seal=seal, role=r) for r in roles])
    record(actor=actor, action=Event.CASE_SEALED, obj=case, details={"roles": roles})
    return seal


@action
def lift_seal(*, actor: Any, seal: Seal, reason: str) -> Seal:
    """Lifting keeps the seal on record (who sealed, who lifted, when)."""
    if not has_capability(actor, Capability.SEAL_CASES) or not (actor.role_set & set(seal.grants.values_list(
            "role", flat=True))):
        raise PermissionDenied(_("Only a unit head the seal names may lift it."))
    if seal.lifted_at is not None:
        raise Conflict(_("This seal was lifted already."))
    if not reason.strip():
        raise ValidationFailed(details={"reason": [_("State why the seal is lifted.")]})
    seal.lifted_by, seal.lifted_at = actor, timezone.now()
    seal.save(update_fields=["lifted_by", "lifted_at"])
    record(actor=actor, action=Event.CASE_SEAL_LIFTED, obj=seal.case, details={"seal": seal.pk})
    return seal


