"""The discipline app's actions: reading a case's decision trail (audited like every read
of case content) and recording an accountability outcome with its disclosure record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, require_capability
from lantern.accounts.models import Unit
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.access import restrictions_in_force
from lantern.cases.models import Case
from lantern.core.actions import action
from lantern.core.errors import NotFound, ValidationFailed
from lantern.discipline import access, events, trail
from lantern.discipline.models import AccountabilityRecord, AccountableOfficial
from lantern.discipline.outcomes import Outcome

TEXT_LIMIT = 5000


@action
def read_decision_trail(*, actor: Any, case: Case) -> dict[str, Any]:
    """The trail as ``actor`` may read it, the read audited in the same transaction (as a
    read of the case, purpose "decision_trail", never with identities)."""
    record(actor=actor, action=Event.CASE_READ, obj=case,
           details={"basis": access.reading_basis(actor, case), "identity": False, "purpose": "decision_trail",
                    "sealed": "sealed" in restrictions_in_force(case)})
    return trail.decision_trail(case, actor)


@dataclass(frozen=True)
class OfficialIn:
    unit_id: int
    position: str
    user_id: int | None = None


def _official_problems(actor: Any, officials: list[OfficialIn]) -> tuple[dict[str, list[str]], list[Any]]:
    problems: dict[str, list[str]] = {}
    found = []
    if not officials:
        problems["officials"] = [_("Name at least one official concerned, by unit and position.")]
    for n, o in enumerate(officials):
        unit = Unit.objects.filter(pk=o.unit_id).first()
        user = get_user_model().objects.filter(pk=o.user_id).select_related("unit").first() if o.user_id else None
        if unit is None or not access.in_jurisdiction(actor, unit):
            problems[f"officials[{n}].unit_id"] = [_("This unit is not in your commission's jurisdiction.")]
        if not o.position.strip():
            problems[f"officials[{n}].position"] = [_("Give the official's position (e.g. 大队长).")]
        if o.user_id and (user is None or unit is None or user.unit is None or not user.unit.is_within(unit)):
            problems[f"officials[{n}].user_id"] = [_("This user does not work in the unit named.")]
        found.append((unit, o.position.strip(), user))
    return problems, found


def _problems(*, outcome: str, finding: str, decided_on: dt.date | None, disclosed: bool,
              disclosure: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        problems["outcome"] = [_("The outcome must be one of: %(choices)s.") % {
            "choices": "、".join(str(label) for label in Outcome.labels)}]
    if not finding.strip():
        problems["finding"] = [_("Write the finding: what the officials did or failed to do.")]
    if decided_on is None:
        problems["decided_on"] = [_("Give the date the outcome was decided.")]
    elif decided_on > timezone.localdate():
        problems["decided_on"] = [_("The outcome cannot be decided in the future.")]
    if disclosed and not disclosure.strip():
        problems["disclosure"] = [_("Disclosed to the family: write what they were told (they read this text).")]
    if not disclosed and not disclosure.strip():
        problems["disclosure"] = [_("Nothing was disclosed to the family: write why not.")]
    for name, text in (("finding", finding), ("disclosure", disclosure)):
        if len(text) > TEXT_LIMIT:
            problems.setdefault(name, []).append(_("At most %(n)s characters.") % {"n": TEXT_LIMIT})
    return problems


@action
def record_accountability(*, actor: Any, case: Case, officials: list[OfficialIn], finding: str, outcome: str,
                          decided_on: dt.date | None, disclosed_to_family: bool,
                          disclosure: str) -> AccountabilityRecord:
    """Record who was held to account for the handling of ``case``, how, and what the family
    was told (``disclosure``: the text shown to them; when nothing was disclosed, why not)."""
    require_capability(actor, Capability.RECORD_ACCOUNTABILITY)
    if not access.may_record(actor, case):
        raise NotFound()
    problems = _problems(outcome=outcome, finding=finding, decided_on=decided_on, disclosed=disclosed_to_family,
                         disclosure=disclosure)
    official_problems, found = _official_problems(actor, officials)
    if problems or official_problems:
        raise ValidationFailed(_("The accountability record was not saved. Correct the fields named."),
                               details={**problems, **official_problems})
    now = timezone.now()
    row = AccountabilityRecord.objects.create(
        case=case, finding=finding.strip(), outcome=outcome, decided_on=decided_on, recorded_by=actor,
        recorded_at=now, disclosed_to_family=disclosed_to_family,
        disclosure=disclosure.strip() if disclosed_to_family else "",
        nondisclosure_reason="" if disclosed_to_family else disclosure.strip(),
        disclosed_at=now if disclosed_to_family else None, disclosed_by=actor if disclosed_to_family else None)
    AccountableOfficial.objects.bulk_create([AccountableOfficial(record=row, unit=unit, position=position, user=user)
                                             for unit, position, user in found])
    record(actor=actor, action=Event.DISCIPLINE_ACCOUNTABILITY_RECORDED, obj=row,
           details={"case": case.pk, "outcome": outcome, "officials": len(found), "disclosed": disclosed_to_family})
    if disclosed_to_family:
        events.announce_disclosure(case=case, record=row)
    return row
