from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "lantern.access"
    label = "access"
    verbose_name = _("Access policy")

    def ready(self) -> None:
        from lantern.access import rules  # noqa: F401  (registers the rules)
