"""Campaigns and their statistics (API.md, "Campaigns and oversight"): the same actions
and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from lantern.access.policy import Capability, require_capability
from lantern.accounts.models import Unit
from lantern.campaigns import actions, selectors, statistics
from lantern.campaigns.schemas import CampaignIn, CampaignOut, CampaignsOut, StatisticsOut, StatisticsQuery
from lantern.core.errors import NotFound

router = Router(tags=["campaigns"])


@router.post("/campaigns", response={201: CampaignOut}, summary="Create a campaign (analysts; unit heads "
             "at prefecture level or above)")
def create(request: HttpRequest, payload: CampaignIn) -> Status:
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise NotFound()
    campaign = actions.create_campaign(actor=request.user, name=payload.name, starts_on=payload.starts_on,
                                       ends_on=payload.ends_on, unit=unit, priorities=list(payload.priorities))
    return Status(201, selectors.campaign_json(campaign))


@router.get("/campaigns", response=CampaignsOut, summary="Campaigns the reader may see")
def campaign_list(request: HttpRequest) -> dict[str, Any]:
    items = [selectors.campaign_json(c) for c in selectors.campaigns_for(request.user)]
    return {"items": items, "count": len(items)}


@router.post("/campaigns/{campaign_id}/close", response=CampaignOut, summary="Close a campaign")
def close(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    require_capability(request.user, Capability.MANAGE_CAMPAIGNS)
    campaign = selectors.campaign_for(request.user, campaign_id)
    return selectors.campaign_json(actions.close_campaign(actor=request.user, campaign=campaign))


@router.get("/statistics", response=StatisticsOut, by_alias=True,
            summary="Campaign figures grouped by unit, month or age band (aggregates only, small numbers "
                    "suppressed)")
def figures(request: HttpRequest, query: Query[StatisticsQuery]) -> dict[str, Any]:
    return statistics.table(request.user, statistics.Filters(
        campaign_id=query.campaign_id, unit_id=query.unit_id, start=query.from_, end=query.to,
        age_band=query.age_band, group_by=query.group_by))
