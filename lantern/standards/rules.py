"""Who reads the templates and who drafts and approves them (registered with access.policy
from StandardsConfig.ready). Templates hold no case content: every reader of the standard
sees the national defaults and the versions of their own province; drafts too, so that a
version is read before it is approved."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.access.policy import Capability, Verb, has_capability
from lantern.accounts.models.units import Branch, Level
from lantern.standards.models import Side


def province_of(user: Any) -> str:
    """The two leading division digits of the user's province ('' without a unit)."""
    return user.unit.division_code[:2] if user.unit is not None else ""


def provincial(user: Any) -> bool:
    return user.unit is not None and user.unit.command_unit().level == Level.PROVINCE


def side_of(user: Any) -> str | None:
    """Which approval a provincial approver gives: their unit's branch decides."""
    if user.unit is None or not has_capability(user, Capability.APPROVE_STANDARDS) or not provincial(user):
        return None
    return {Branch.POLICE: Side.POLICE, Branch.PROCURATORATE: Side.PROCURATORATE}.get(user.unit.branch)


def visible_q(user: Any) -> Q:
    return Q(division="") | Q(division=province_of(user)) if user.unit is not None else Q(division="")


class TemplateRule:
    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        if not has_capability(user, Capability.READ_STANDARDS):
            return qs.none()
        return qs.filter(visible_q(user))

    def allows(self, user: Any, verb: Verb, obj: Any) -> bool:
        if not has_capability(user, Capability.READ_STANDARDS):
            return False
        return obj.division in {"", province_of(user)} and verb == Verb.VIEW
