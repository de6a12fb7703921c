"""What privacy adds to the case access rule (cases.access), registered from
PeopleConfig.ready: an open break-glass grant is a basis for seeing a case, and a seal
hides a case from every role it does not name, whatever the basis."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from lantern.cases.access import (
    BREAK_GLASS_ROLES,
    Basis,
    Restriction,
    register_basis,
    register_child_of_case,
    register_restriction,
)
from lantern.people.models import BreakGlass, Identifier, Seal
from lantern.people.selectors import is_sealed


def break_glass_q(user: Any) -> Q | None:
    if not user.role_set & BREAK_GLASS_ROLES:
        return None
    open_grants = BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now())
    return Q(pk__in=open_grants.values("case_id"))


def sealed_away_q(user: Any) -> Q:
    closed_to_user = Seal.objects.filter(lifted_at__isnull=True).exclude(grants__role__in=list(user.role_set))
    return Q(pk__in=closed_to_user.values("case_id"))


def register() -> None:
    register_basis(Basis("break_glass", break_glass_q))
    register_restriction(Restriction("sealed", hides=sealed_away_q, in_force=is_sealed))
    register_child_of_case(Identifier)  # an identifier is seen with its case; its value with the identities
