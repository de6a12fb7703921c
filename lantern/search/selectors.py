"""Finding cases by what the search box was given, within the user's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from lantern.access.policy import Verb, scope
from lantern.cases.matchers import MATCHERS, Matcher, SearchText
from lantern.cases.models import Case
from lantern.cases.states import State

SHOWN = 50  # the newest this many; the count says how many there are in all


@dataclass
class Found:
    items: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    tried: list[str] = field(default_factory=list)  # the kinds the text could be a key of

    @property
    def matched(self) -> list[str]:
        return sorted({item["matched"] for item in self.items})


def cases_matching(user: Any, text: SearchText) -> Found:
    """The cases ``user`` may see that ``text`` names, newest first, each with the first
    kind (in the matchers' order) it matched by. Cases outside the scope are never
    fetched: for the user an invisible match and no match are the same answer."""
    conditions = [(m, q) for m in MATCHERS if (q := m.q(text)) is not None] if text.compact else []
    found = Found(tried=[m.kind for m, _q in conditions])
    if not conditions:
        return found
    either = Q(pk__in=[])
    for _matcher, q in conditions:
        either |= q
    visible = scope(user, Verb.VIEW, Case.objects.all())
    hits = visible.filter(either).distinct()
    found.count = hits.count()
    shown = list(hits.order_by("-received_at", "-pk").only("pk", "case_number", "state")[:SHOWN])
    kinds = _kinds(visible, conditions, [c.pk for c in shown])
    found.items = [_row(case, kinds[case.pk]) for case in shown]
    return found


def _kinds(visible: Any, conditions: list[tuple[Matcher, Q]], ids: list[int]) -> dict[int, Matcher]:
    kinds: dict[int, Matcher] = {}
    for matcher, q in conditions:
        if len(kinds) == len(ids):
            break
        for pk in visible.filter(q, pk__in=[i for i in ids if i not in kinds]).values_list("pk", flat=True):
            kinds.setdefault(pk, matcher)
    return kinds


def _row(case: Case, matcher: Matcher) -> dict[str, Any]:
    return {"id": case.pk, "case_number": case.case_number, "state": case.state,
            "state_label": State(case.state).label, "matched": matcher.kind, "matched_label": matcher.label}
