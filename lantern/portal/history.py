"""How the family portal's events read in the audit log (registered from PortalConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import said

SAID = {
    Event.PORTAL_CODE_SENT: gettext_lazy("A one-time sign-in code was sent to the family"),
    Event.PORTAL_CODE_WITHHELD: gettext_lazy("No sign-in code was sent: this hour's codes were used up"),
    Event.PORTAL_CONSENT_WITHDRAWN: gettext_lazy("%(actor)s withdrew a consent"),
    Event.PORTAL_QUESTION_ANSWERED: gettext_lazy("%(actor)s answered the family's question"),
    Event.PORTAL_QUESTION_ASKED: gettext_lazy("%(actor)s asked a question"),
    Event.PORTAL_QUESTION_EXTENDED: gettext_lazy("%(actor)s extended the time to answer the family's question"),
    Event.PORTAL_SIGN_IN: gettext_lazy("%(actor)s signed in to the portal"),
    Event.PORTAL_SIGN_OUT: gettext_lazy("%(actor)s signed out of the portal"),
}


def register() -> None:
    for event, message in SAID.items():
        readable.register(event, said(message))
