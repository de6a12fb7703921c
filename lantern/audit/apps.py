from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lantern.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from lantern.audit import rules  # noqa: F401  (registers the access rules)
        from lantern.audit.services import record_refusal
        from lantern.core.actions import REFUSAL_RECORDERS

        REFUSAL_RECORDERS.register(record_refusal)
        from lantern.audit import readable

        readable.register("denied.", readable.refused_line)
        from lantern.audit.events import Event

        readable.register(Event.AUDIT_SIGNING_KEY_ROTATED,
                          readable.said(_("%(actor)s replaced the audit log's signing key (the old key still "
                                          "verifies what it signed)")))
