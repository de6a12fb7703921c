from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "lantern.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        from lantern.deadlines import history as deadlines_history

        deadlines_history.register()  # how its audit events read (audit.readable)
