from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "lantern.portal"
    label = "portal"
    verbose_name = _("Family portal")

    def ready(self) -> None:
        from lantern.portal import access  # noqa: F401  (registers the access rules)
