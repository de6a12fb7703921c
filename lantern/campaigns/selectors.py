"""Reads of campaigns: the ones a user may see, one by id (404 outside), as JSON."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lantern.access.policy import Capability, Verb, has_capability, scope
from lantern.campaigns.models import Campaign
from lantern.core.errors import NotFound, PermissionDenied


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    if not _reads(user):
        raise PermissionDenied()
    return scope(user, Verb.VIEW, Campaign.objects.select_related("unit")).order_by("-starts_on", "pk")


def _reads(user: Any) -> bool:
    return has_capability(user, Capability.READ_STATISTICS) or has_capability(user, Capability.MANAGE_CAMPAIGNS)


def campaign_for(user: Any, campaign_id: int) -> Campaign:
    found = campaigns_for(user).filter(pk=campaign_id).first()
    if found is None:
        raise NotFound()
    return found


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    return {"id": campaign.pk, "name": campaign.name, "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
            "unit_id": campaign.unit_id, "unit": campaign.unit.name, "priorities": list(campaign.priorities),
            "created_at": campaign.created_at, "closed_at": campaign.closed_at}
