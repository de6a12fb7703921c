from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lantern.core"
    label = "core"
    verbose_name = _("Lantern")

    def ready(self) -> None:
        from lantern.core import lookups  # noqa: F401  (registers field__any_of)
