"""Overdue clocks escalate, as data: first the officers on the case, then their
supervisor, then the unit head and the procuratorate liaison (DOMAIN.md, "Deadlines")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.access.roles import Role
from lantern.accounts.models import User


def team(case: Any) -> list[User]:
    return [a.user for a in case.assignments.filter(active=True).select_related("user")]


def in_unit(case: Any, *roles: Role) -> list[User]:
    """Active holders of these roles in the case's unit and below it."""
    return list(User.objects.filter(is_active=True, roles__role__in=roles,
                                    unit__path__startswith=case.unit.path).distinct())


def liaison(case: Any) -> list[User]:
    """Prosecutors whose jurisdiction covers the case: the minors' office for a minor
    victim, the others for an adult; any of them if that office has nobody."""
    prosecutors = [u for u in User.objects.filter(is_active=True, roles__role=Role.PROSECUTOR,
                                                  unit__branch="procuratorate").select_related("unit")
                   if case.unit.division_code.startswith(u.unit.jurisdiction_prefix)]
    matching = [u for u in prosecutors if u.unit.handles_minors == case.is_minor]
    return matching or prosecutors


def _heads_and_liaison(case: Any) -> list[User]:
    return in_unit(case, Role.UNIT_HEAD) + liaison(case)


@dataclass(frozen=True)
class Step:
    level: int
    after: dt.timedelta  # how long overdue before this step
    who: Promise
    recipients: Callable[[Any], list[User]]


ESCALATION: tuple[Step, ...] = (
    Step(1, dt.timedelta(0), _("the officers on the case"),
         lambda case: team(case) or in_unit(case, Role.SUPERVISOR)),
    Step(2, dt.timedelta(days=1), _("the supervisor"), lambda case: in_unit(case, Role.SUPERVISOR)),
    Step(3, dt.timedelta(days=3), _("the unit head and the procuratorate liaison"), _heads_and_liaison),
)
