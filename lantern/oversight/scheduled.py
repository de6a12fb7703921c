"""The oversight app's periodic jobs (core.scheduled runs them)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lantern.core.scheduled import job
from lantern.oversight.services import reconcile


# After the deadlines sweep (order 20), so clocks it marked overdue are already flagged and
# this pass finds only drift: a hook that did not run, a row lost, data loaded in bulk.
@job(name="oversight.reconcile_flags", every=dt.timedelta(hours=1), order=40)
def reconcile_flags() -> str:
    drift = reconcile()
    return _("oversight flags: %(raised)s raised, %(cleared)s cleared, %(updated)s corrected") % {
        "raised": drift.raised, "cleared": drift.cleared, "updated": drift.updated}
