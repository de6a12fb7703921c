"""Who may see a mandatory report (registered with the one access policy):

- the institution's staff: their own institution's reports (and so their feedback and
  questions); this basis never reaches the case, whose rule has no institution basis;
- police and prosecutors: the reports of the cases they may see.
A record of non-reporting is a police record on the case: it follows the case."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.access.policy import Verb, register_rule
from lantern.access.roles import Role
from lantern.cases.access import case_q, register_child_of_case
from lantern.cases.models import Case
from lantern.institutions.models import InstitutionQuestion, MandatoryReport, NonReporting


def own_q(user: Any, prefix: str = "") -> Q:
    """The institution basis: reports of the user's own institution."""
    if Role.INSTITUTION not in user.role_set or user.unit is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}institution__unit": user.unit})


def report_q(user: Any, prefix: str = "") -> Q:
    cases = Case.objects.filter(case_q(user)).values("pk")
    return own_q(user, prefix) | Q(**{f"{prefix}case__in": cases})


class ReportRule:
    def __init__(self, prefix: str = ""):
        self.prefix = prefix

    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        if verb == Verb.VIEW:
            return qs.filter(report_q(user, self.prefix))
        # Changing (feedback, answers) is the police's: the case decides, in services.
        return qs.filter(Q(**{f"{self.prefix}case__in": Case.objects.filter(case_q(user)).values("pk")}))

    def allows(self, user: Any, verb: Verb, obj: Any) -> bool:
        return self.scope(user, verb, type(obj).objects.filter(pk=obj.pk)).exists()


def register() -> None:
    register_rule(MandatoryReport, ReportRule())
    register_rule(InstitutionQuestion, ReportRule("report__"))
    register_child_of_case(NonReporting)
