from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "lantern.linkage"
    label = "linkage"
    verbose_name = _("Linkage and the offender registry")

    def ready(self) -> None:
        from lantern.cases import events
        from lantern.linkage.matching import history as matching_history
        from lantern.linkage.registry import register_convictions

        events.convicted.register(register_convictions)
        matching_history.register()
