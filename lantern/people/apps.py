from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lantern.people"
    label = "people"
    verbose_name = _("People and privacy")

    def ready(self) -> None:
        from lantern.core.vault import pseudonyms
        from lantern.people import access, identifiers
        from lantern.people import history as people_history

        access.register()
        people_history.register()  # how its audit events read (audit.readable)
        pseudonyms.REPLACEMENTS.register(identifiers.added_values)
