"""The campaigns app's periodic job (core.scheduled runs it): the dashboard's figures
recomputed from the cases; the page and the API say as of when."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lantern.campaigns.cells import refresh
from lantern.core.scheduled import job


@job(name="campaigns.refresh_figures", every=dt.timedelta(minutes=15), order=50)
def refresh_figures() -> str:
    done = refresh()
    return _("%(n)s figure cells in %(s).1f s") % {"n": done.cells, "s": done.seconds}
