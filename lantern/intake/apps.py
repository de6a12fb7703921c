from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "lantern.intake"
    label = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from lantern.intake import history as intake_history

        intake_history.register()  # how its audit events read (audit.readable)
