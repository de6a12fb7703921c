from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "lantern.portal"
    label = "portal"
    verbose_name = _("Family portal")

    def ready(self) -> None:
        from lantern.cases import events, sections
        from lantern.notifications.services import OUTBOXES, Outbox
        from lantern.portal import (
            access,  # noqa: F401  (registers the access rules)
            family,
        )
        from lantern.portal.models import FamilyMessage
        from lantern.portal.selectors import staff_section

        events.case_moved.register(family.case_moved)
        from lantern.discipline import events as discipline_events

        discipline_events.disclosed.register(family.disclosure_made)
        sections.register(sections.Section(key="family_questions", template="portal/staff/_case_questions.html",
                                           context=staff_section, slot="family", order=10))
        OUTBOXES.register(Outbox(label=_("messages to families"), model=FamilyMessage, send=family.send))
        from lantern.portal import history as portal_history

        portal_history.register()  # how its audit events read (audit.readable)
