"""A user's inbox, and the outbox of e-mails written in the same transaction as the
change that caused them and delivered after (so a rolled-back change sends nothing and a
committed one is never forgotten)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.notifications.kinds import KINDS, render


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    # A kind of notifications.kinds is worded from ``params`` when read, in the reader's
    # language; title and body keep the default language's wording (and the text of the
    # kinds written as text by their callers). Case numbers and codes, no personal data.
    params = models.JSONField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]

    def worded(self) -> tuple[str, str]:
        """The title and the message in the active language."""
        if self.params is not None and self.kind in KINDS:
            return render(self.kind, self.params)
        return self.title, self.body

    @property
    def shown_title(self) -> str:
        return self.worded()[0]

    @property
    def shown_body(self) -> str:
        return self.worded()[1]

    @property
    def read(self) -> bool:
        return self.read_at is not None


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Outbox(models.Model):
    """What every queued message carries for its sender (services.drain): its delivery
    state, attempts and last error type."""

    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class OutboxMessage(Outbox):
    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="deliveries")
    to_address = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_pending_idx")]
