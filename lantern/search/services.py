"""A search, audited and rate-limited: a lookup of people across the cases one may see
is what a discipline inspector asks about, so each is recorded (who, which kinds of key
the text could be and which matched, how many cases and which), never what was typed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, has_capability, require_capability
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.matchers import SearchText
from lantern.core import ratelimit
from lantern.core.actions import action
from lantern.core.errors import ValidationFailed
from lantern.search.selectors import Found, cases_matching


def may_search(user: Any) -> bool:
    return has_capability(user, Capability.WORK_CASES)


MAX_LENGTH = 100


def _checked(query: str) -> str:
    text = (query or "").strip()
    if not text:
        raise ValidationFailed(details={"q": [_("This field is required.")]})
    if len(text) > MAX_LENGTH:
        raise ValidationFailed(details={"q": [_("Too long: at most %(n)s characters.") % {"n": MAX_LENGTH}]})
    return text


@action
def search_cases(*, actor: Any, query: str) -> Found:
    """The cases ``actor`` may see that ``query`` names (selectors.cases_matching). Who
    may not search learns that before anything about the text (403 before 422)."""
    require_capability(actor, Capability.WORK_CASES)  # who works cases; no one else sees any
    query = _checked(query)
    ratelimit.hit(f"search:{actor.pk}", limit=settings.LANTERN_SEARCHES_PER_MINUTE, window_seconds=60)
    found = cases_matching(actor, SearchText.of(query))
    record(actor=actor, action=Event.SEARCH_PERFORMED, object_type="cases.case",
           details={"tried": found.tried, "matched": found.matched, "count": found.count, "more": found.more,
                    "cases": [item["id"] for item in found.items]})
    return found
