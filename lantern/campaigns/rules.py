"""Who sees a campaign and who may create or close one (registered with access.policy
from CampaignsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.access.policy import Capability, Verb, has_capability, is_active_user
from lantern.access.roles import Role
from lantern.accounts.models.units import Level
from lantern.campaigns.models import Campaign

# Unit heads create campaigns from the prefecture up; a county runs the campaigns given to it.
CAMPAIGN_LEVELS = frozenset({Level.NATIONAL, Level.PROVINCE, Level.PREFECTURE})


def _reads(user: Any) -> bool:
    return has_capability(user, Capability.READ_STATISTICS) or has_capability(user, Capability.MANAGE_CAMPAIGNS)


def _visible_q(user: Any) -> Q:
    """Campaigns scoped within the user's jurisdiction, or over a scope that covers the user's unit."""
    unit = user.unit
    return (Q(unit__division_code__startswith=unit.jurisdiction_prefix)
            | Q(pk__in=Campaign.objects.filter(unit__path__in=_ancestor_paths(unit)).values("pk")))


def _ancestor_paths(unit: Any) -> list[str]:
    parts = unit.path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    if not is_active_user(user) or user.unit is None or not _reads(user):
        return Campaign.objects.none()
    return Campaign.objects.filter(_visible_q(user))


def unit_level_ok(user: Any) -> bool:
    """An analyst runs campaigns at any level; a unit head only from the prefecture up."""
    if user.unit is None:
        return False
    return Role.CAMPAIGN_ANALYST in user.role_set or user.unit.command_unit().level in CAMPAIGN_LEVELS


def may_manage(user: Any, unit: Any) -> bool:
    return (has_capability(user, Capability.MANAGE_CAMPAIGNS) and unit_level_ok(user)
            and unit.division_code.startswith(user.unit.jurisdiction_prefix))


class CampaignRule:
    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        visible = qs.filter(pk__in=visible_campaigns(user).values("pk"))
        if verb == Verb.VIEW:
            return visible
        return visible if has_capability(user, Capability.MANAGE_CAMPAIGNS) and unit_level_ok(user) else qs.none()

    def allows(self, user: Any, verb: Verb, obj: Any) -> bool:
        if not visible_campaigns(user).filter(pk=obj.pk).exists():
            return False
        return verb == Verb.VIEW or may_manage(user, obj.unit)
