from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lantern.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from lantern.cases import (
            access,  # noqa: F401  (registers the case rule)
            events,
            history,
            notices_to_staff,
        )

        events.action_taken.register(notices_to_staff.on_action)
        history.register()  # how the case's audit events read (audit.readable)
