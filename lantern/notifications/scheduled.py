"""The notifications app's periodic job: send what every registered outbox holds (staff
e-mail, and the messages other apps register, such as the portal's to families)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lantern.core.scheduled import job
from lantern.notifications.services import deliver_all


@job(name="notifications.deliver", every=dt.timedelta(minutes=1), order=90)
def deliver() -> str:
    sent = deliver_all(limit=1000)
    return "; ".join(_("%(label)s: %(n)s sent") % {"label": label, "n": n} for label, n in sent.items())
