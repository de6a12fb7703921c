"""Reads of the privacy records: whether a case is sealed, and the break-glass openings a
supervisor may review."""

from __future__ import annotations

from typing import Any

from lantern.access.policy import Capability, has_capability
from lantern.people.models import BreakGlass, Seal


def reviewable(user: Any) -> Any:
    """Break-glass openings this user may review: by members of their unit subtree, not
    their own."""
    if not has_capability(user, Capability.REVIEW_BREAK_GLASS) or user.unit is None:
        return BreakGlass.objects.none()
    return (BreakGlass.objects.filter(user__unit__path__startswith=user.unit.command_unit().path)
            .exclude(user=user).select_related("user", "case").order_by("review_status", "-opened_at"))


def is_sealed(case: Any) -> bool:
    return Seal.objects.filter(case=case, lifted_at__isnull=True).exists()
