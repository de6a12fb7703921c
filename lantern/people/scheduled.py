"""The people app's periodic job: the weekly access report reaches its readers (inspectors
and unit heads) as a notice with its counts, so reads outside a case team are looked at
every week without anyone remembering to run it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import CAPABILITIES, Capability
from lantern.accounts.models import User
from lantern.core.scheduled import job
from lantern.notifications.services import notify
from lantern.people import snooping


def report_readers() -> list[User]:
    roles = CAPABILITIES[Capability.READ_SNOOPING_REPORT]
    return list(User.objects.filter(is_active=True, roles__role__in=roles).distinct())


@job(name="people.weekly_access_report", every=dt.timedelta(days=7), order=80)
def weekly_access_report() -> str:
    """Each reader is told the counts of the report they may see (their own jurisdiction)."""
    until = timezone.now()
    readers = report_readers()
    for reader in readers:
        report = snooping.build(viewer=reader, since=until - dt.timedelta(days=7), until=until)
        with transaction.atomic():
            notify(recipients=[reader], kind="access_report_ready", params={
                "day": timezone.localtime(until).strftime("%Y-%m-%d"), "users": len(report.users),
                "spikes": len(report.spikes)})
    return _("%(n)s readers told of the weekly access report") % {"n": len(readers)}
