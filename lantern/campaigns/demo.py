"""The demo campaign (load_demo): the prefecture's special action over the demo cases, and
the figures computed once so that the dashboard is populated from the start."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lantern.accounts.models import Unit, User
from lantern.campaigns.actions import create_campaign
from lantern.campaigns.cells import refresh
from lantern.campaigns.models import Campaign, Priority

NAME = "护苗·网络交友侵害未成年人专项行动（演示）"


def load() -> bool:
    """Create the campaign once; recompute the figures every time (the demo's cases may be new)."""
    created = False
    analyst = User.objects.filter(username="analyst").first()
    unit = Unit.objects.filter(code="AP-GAJ").first()
    if analyst is not None and unit is not None and not Campaign.objects.filter(name=NAME).exists():
        today = timezone.localdate()
        create_campaign(actor=analyst, name=NAME, starts_on=today - dt.timedelta(days=60),
                        ends_on=today + dt.timedelta(days=120), unit=unit,
                        priorities=[Priority.MINORS, Priority.ONLINE_DATING])
        created = True
    refresh()
    return created
