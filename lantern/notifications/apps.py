from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lantern.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from lantern.notifications.models import OutboxMessage
        from lantern.notifications.services import OUTBOXES, Outbox, send_staff_mail

        OUTBOXES.register(Outbox(label=_("e-mails to staff"), model=OutboxMessage, send=send_staff_mail))
