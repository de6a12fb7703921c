from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lantern.people"
    label = "people"
    verbose_name = _("People and privacy")

    def ready(self) -> None:
        from lantern.core.vault import pseudonyms
        from lantern.people import access, identifiers

        access.register()
        pseudonyms.REPLACEMENTS.register(identifiers.added_values)
