"""The evidence app's periodic jobs (core.scheduled runs them)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lantern.core.scheduled import job
from lantern.evidence.services import remove_orphan_files


@job(name="evidence.remove_orphan_files", every=dt.timedelta(hours=1))
def remove_orphans() -> str:
    """Files left on disk by uploads whose transaction never committed (a crash, a rollback)."""
    return _("%(n)s orphaned evidence files removed") % {"n": remove_orphan_files()}
