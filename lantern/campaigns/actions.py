"""Creating and closing a campaign: named, atomic, audited (core.actions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, has_capability
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.campaigns.models import Campaign, Priority
from lantern.campaigns.rules import unit_level_ok
from lantern.core.actions import action
from lantern.core.errors import Conflict, PermissionDenied, ValidationFailed


def _may_run_campaigns(actor: Any) -> None:
    if not has_capability(actor, Capability.MANAGE_CAMPAIGNS):
        raise PermissionDenied(_("Only campaign analysts and unit heads create and close campaigns."))
    if not unit_level_ok(actor):
        raise PermissionDenied(_("A unit head creates campaigns from the prefecture level up; "
                                 "your unit is below it."))


def _check_scope(actor: Any, unit: Any) -> None:
    if not unit.division_code.startswith(actor.unit.jurisdiction_prefix):
        raise PermissionDenied(_("The campaign's scope must lie within your jurisdiction."))


def _check_fields(name: str, starts_on: dt.date, ends_on: dt.date, priorities: list[str]) -> None:
    errors = {}
    if not name.strip():
        errors["name"] = [_("Give the campaign a name.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The campaign ends before it starts.")]
    unknown = sorted(set(priorities) - set(Priority.values))
    if unknown:
        errors["priorities"] = [_("Unknown priorities: %(keys)s") % {"keys": ", ".join(unknown)}]
    if errors:
        raise ValidationFailed(_("The campaign cannot be created as it stands."), details=errors)


@action
def create_campaign(*, actor: Any, name: str, starts_on: dt.date, ends_on: dt.date, unit: Any,
                    priorities: list[str] | None = None) -> Campaign:
    _may_run_campaigns(actor)
    _check_scope(actor, unit)
    priorities = list(dict.fromkeys(priorities or []))
    _check_fields(name, starts_on, ends_on, priorities)
    campaign = Campaign.objects.create(name=name.strip(), starts_on=starts_on, ends_on=ends_on, unit=unit,
                                       priorities=priorities, created_by=actor, created_at=timezone.now())
    record(actor=actor, action=Event.CAMPAIGN_CREATED, obj=campaign,
           details={"unit_id": unit.pk, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
                    "priorities": priorities})
    return campaign


@action
def close_campaign(*, actor: Any, campaign: Campaign) -> Campaign:
    _may_run_campaigns(actor)
    _check_scope(actor, campaign.unit)
    if campaign.closed_at is not None:
        raise Conflict(_("This campaign is already closed."))
    campaign.closed_at, campaign.closed_by = timezone.now(), actor
    campaign.save(update_fields=["closed_at", "closed_by"])
    record(actor=actor, action=Event.CAMPAIGN_CLOSED, obj=campaign, details={"unit_id": campaign.unit_id})
    return campaign
