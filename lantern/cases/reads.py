"""Reading a case is itself recorded: who opened which case, on what basis (team, unit,
procuratorate, break-glass) and whether they saw real identities (DOMAIN.md, "Audit":
every read of a victim's identity). The snooping report reads these entries."""

from __future__ import annotations

from typing import Any

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.access import basis, identity_on, restrictions_in_force
from lantern.cases.models import Case
from lantern.cases.selectors import case_for, case_json
from lantern.core.actions import action


@action
def read_case(*, actor: Any, case: Case, purpose: str = "view") -> dict[str, Any]:
    """The case as ``actor`` may see it, with the read audited in the same transaction."""
    why = basis(actor, case)
    identity = identity_on(actor, why)
    sealed = "sealed" in restrictions_in_force(case)
    record(actor=actor, action=Event.CASE_READ, obj=case,
           details={"basis": why, "identity": identity, "purpose": purpose, "sealed": sealed})
    data = case_json(case, actor, identity=identity)
    data["access_basis"], data["sealed"] = why, sealed
    return data


def open_case(*, actor: Any, case_id: int, purpose: str = "view") -> tuple[Case, dict[str, Any]]:
    """Fetch through the user's scope (404 outside it) and read it, audited."""
    case = case_for(actor, case_id)
    return case, read_case(actor=actor, case=case, purpose=purpose)


@action
def read_identities(*, actor: Any, case: Case, purpose: str) -> bool:
    """A read of part of a case (its identifiers, corrections, supplements) audited as a read
    of the case is; says whether the reader sees real identities."""
    why = basis(actor, case)
    identity = identity_on(actor, why)
    record(actor=actor, action=Event.CASE_READ, obj=case,
           details={"basis": why, "identity": identity, "purpose": purpose,
                    "sealed": "sealed" in restrictions_in_force(case)})
    return identity
