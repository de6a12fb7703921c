"""Who may see a case (need to know), registered with the one access policy.

- intake officers: reports their own unit registered, while still at intake (RECEIVED);
- investigators: cases they are assigned to;
- supervisors and unit heads: cases of their command unit and the units below it;
- prosecutors: cases in their procuratorate's jurisdiction that reached oversight, and a
  minors' office every case with a minor victim in its jurisdiction;
- nobody else (administrators, analysts, partners see no case by this rule).
What a user may *do* to a visible case is the workflow table's business (workflow.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.access.policy import Verb, register, unit_subtree_q
from lantern.accounts.roles import Role
from lantern.cases.models import Assignment, Case, Proceeding, ProceedingKind
from lantern.cases.states import State


def _prosecutor_q(user: Any) -> Q:
    if user.unit is None:
        return Q(pk__in=[])
    in_jurisdiction = Q(unit__division_code__startswith=user.unit.jurisdiction_prefix)
    supervised = Q(pk__in=Proceeding.objects.filter(kind=ProceedingKind.SUPERVISION).values("case_id"))
    reached = supervised | Q(is_minor=True) if user.unit.handles_minors else supervised
    return in_jurisdiction & reached


def case_q(user: Any) -> Q:
    roles = user.role_set
    q = Q(pk__in=[])
    if Role.INTAKE_OFFICER in roles and user.unit is not None:
        q |= Q(intake_unit=user.unit, state=State.RECEIVED)
    if Role.INVESTIGATOR in roles:
        q |= Q(pk__in=Assignment.objects.filter(user=user, active=True).values("case_id"))
    if roles & {Role.SUPERVISOR, Role.UNIT_HEAD}:
        q |= unit_subtree_q(user, "unit")
    if Role.PROSECUTOR in roles:
        q |= _prosecutor_q(user)
    return q


@register(Case)
class CaseRule:
    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(case_q(user))

    def allows(self, user: Any, verb: Verb, obj: Case) -> bool:
        return Case.objects.filter(case_q(user), pk=obj.pk).exists()
