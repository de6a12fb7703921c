from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "lantern.portal"
    label = "portal"
    verbose_name = _("Family portal")

    def ready(self) -> None:
        from lantern.cases import events
        from lantern.notifications.services import OUTBOXES, Outbox
        from lantern.portal import (
            access,  # noqa: F401  (registers the access rules)
            family,
        )
        from lantern.portal.models import FamilyMessage

        events.case_moved.register(family.case_moved)
        OUTBOXES.register(Outbox(label=_("messages to families"), model=FamilyMessage, send=family.send))
