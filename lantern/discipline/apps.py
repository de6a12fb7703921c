from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "lantern.discipline"
    label = "discipline"
    verbose_name = _("Discipline and accountability")

    def ready(self) -> None:
        from lantern.discipline import access, history

        access.register_rules()
        history.register()  # how its audit events read (audit.readable)
