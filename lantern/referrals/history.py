"""How referral events read in the audit log (registered from ReferralsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event, Family, family
from lantern.audit.readable import Line, Reading, said
from lantern.referrals.catalogue import ServiceKind, Status


def _service(reading: Reading) -> str:
    value = reading.details.get("service", "")
    return str(ServiceKind(value).label) if value in ServiceKind.values else _("a service")


def sent_line(reading: Reading) -> Line:
    return Line(_("%(actor)s referred the victim for “%(service)s”") % {"actor": reading.actor,
                                                                        "service": _service(reading)})


def move_line(reading: Reading) -> Line:
    to = reading.entry.action.split(".", 1)[1]
    status = str(Status(to).label) if to in Status.values else to
    return Line(_("%(actor)s: referral now %(status)s") % {"actor": reading.actor, "status": status})


def register() -> None:
    readable.register(Event.REFERRAL_SENT, sent_line)
    readable.register(family(Family.REFERRAL_MOVE, ""), move_line)
    for event, message in {
        Event.REFERRAL_CONSENT_WITHDRAWN: gettext_lazy("%(actor)s recorded that consent to a referral was withdrawn"),
        Event.REFERRAL_NOTE_ADDED: gettext_lazy("%(actor)s added a note to a referral"),
        Event.REFERRAL_PARTNER_SERVICE_ADDED: gettext_lazy("%(actor)s added a partner service"),
        Event.REFERRAL_READ: gettext_lazy("%(actor)s opened a referral"),
    }.items():
        readable.register(event, said(message))
