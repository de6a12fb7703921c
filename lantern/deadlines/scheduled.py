"""The deadlines app's periodic jobs (core.scheduled runs them)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lantern.core.scheduled import job
from lantern.deadlines.services import recompute_provisional
from lantern.deadlines.sweep import sweep


@job(name="deadlines.recompute_provisional", every=dt.timedelta(minutes=5), order=10)
def recompute() -> str:
    """After an official holiday schedule is loaded, clocks computed by rule move."""
    return _("%(n)s provisional clocks recomputed") % {"n": recompute_provisional()}


@job(name="deadlines.escalate", every=dt.timedelta(minutes=5), order=20)
def escalate() -> str:
    return _("%(n)s escalation steps") % {"n": sweep()}
