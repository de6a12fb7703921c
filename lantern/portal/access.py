"""Who may see a family's question: whoever may see its case (the police answer it; the
family reach it only through their portal session, which is bound to one case)."""

from __future__ import annotations

from lantern.cases.access import register_child_of_case
from lantern.portal.models import Question

register_child_of_case(Question)
