"""Who may see a family's question: whoever may see its case (the police answer it; the
family reach it only through their portal session, which is bound to one case)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lantern.access.policy import Verb, register
from lantern.cases.access import case_q
from lantern.cases.models import Case
from lantern.portal.models import Question


@register(Question)
class QuestionRule:
    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(case__in=Case.objects.filter(case_q(user)).values("pk"))

    def allows(self, user: Any, verb: Verb, obj: Question) -> bool:
        return self.scope(user, verb, Question.objects.filter(pk=obj.pk)).exists()
