from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lantern.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from lantern.audit import rules  # noqa: F401  (registers the access rules)
