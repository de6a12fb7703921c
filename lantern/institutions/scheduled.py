"""The institutions app's periodic job (core.scheduled runs it)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lantern.core.scheduled import job
from lantern.institutions import checks


@job(name="institutions.finish_bulk_checks", every=dt.timedelta(minutes=1), order=60)
def finish_bulk_checks() -> str:
    """Bulk checks whose page was closed before the progress bar reached the end."""
    rows = 0
    for batch in checks.unfinished_batches():
        while batch.finished_at is None:
            before = batch.done
            batch = checks.continue_bulk_check(batch=batch)
            rows += batch.done - before
    return _("%(n)s rows of bulk registry checks answered") % {"n": rows}
