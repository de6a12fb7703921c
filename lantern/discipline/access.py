"""Who may read a case's decision trail and its accountability records.

- discipline inspectors: every case whose unit lies in their commission's jurisdiction
  (division-code prefix), on the basis "jurisdiction" — the trail only: the case page and
  its identities stay closed to them (no case access basis is added);
- prosecutors and unit heads: the cases they may see anyway;
- a sealed case's restriction holds here as everywhere.
Only inspectors record accountability, and only for cases and units of their jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.access.policy import Capability, Verb, has_capability, register_rule, require_capability
from lantern.access.roles import Role
from lantern.cases.access import basis, case_q, seal_q
from lantern.cases.models import Case
from lantern.core.errors import NotFound

JURISDICTION = "jurisdiction"


def in_jurisdiction(user: Any, unit: Any) -> bool:
    return user.unit is not None and unit is not None and unit.division_code.startswith(
        user.unit.jurisdiction_prefix)


def _inspected_q(user: Any) -> Q:
    if Role.DISCIPLINE_INSPECTOR not in user.role_set or user.unit is None:
        return Q(pk__in=[])
    return Q(unit__division_code__startswith=user.unit.jurisdiction_prefix)


def trail_q(user: Any) -> Q:
    """The cases whose decision trail ``user`` may read (capability checked apart)."""
    q = _inspected_q(user)
    if user.role_set & {Role.PROSECUTOR, Role.UNIT_HEAD}:
        q |= case_q(user)
    return q & seal_q(user)


def trail_cases(user: Any) -> QuerySet[Case]:
    if not has_capability(user, Capability.READ_DECISION_TRAILS):
        return Case.objects.none()
    return Case.objects.filter(trail_q(user))


def trail_case(user: Any, case_id: int) -> Case:
    """The case, if ``user`` may read its trail: 403 without the capability, 404 outside."""
    require_capability(user, Capability.READ_DECISION_TRAILS)
    case = trail_cases(user).select_related("victim", "unit").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def reading_basis(user: Any, case: Case) -> str:
    """Why the trail is open to this reader, as the read audit names it."""
    return basis(user, case) or JURISDICTION


def may_record(user: Any, case: Case) -> bool:
    return has_capability(user, Capability.RECORD_ACCOUNTABILITY) and Case.objects.filter(
        _inspected_q(user) & seal_q(user), pk=case.pk).exists()


class RecordRule:
    """An accountability record: whoever may read its case's trail."""

    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        if verb != Verb.VIEW:
            return qs.none()
        return qs.filter(case__in=trail_cases(user).values("pk"))

    def allows(self, user: Any, verb: Verb, obj: Any) -> bool:
        return verb == Verb.VIEW and trail_cases(user).filter(pk=obj.case_id).exists()


def register_rules() -> None:
    from lantern.discipline.models import AccountabilityRecord

    register_rule(AccountabilityRecord, RecordRule())
