from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lantern.people"
    label = "people"
    verbose_name = _("People and privacy")

    def ready(self) -> None:
        from lantern.people import access

        access.register()
        from lantern.people import history as people_history

        people_history.register()  # how its audit events read (audit.readable)
