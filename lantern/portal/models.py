"""The family portal: its own sessions (apart from staff sessions), sign-in attempts for
the lockout, one-time codes, the family's questions and the messages sent to families.

Nothing here is keyed by a readable tracking code where a guess could be counted: sign-in
attempts are keyed by a digest, so an unknown code is locked exactly like a real one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.core.vault.fields import EncryptedTextField
from lantern.notifications.models import Outbox  # one outbox sender serves both (notifications.drain)


class PortalSession(models.Model):
    """A family member signed in to one case. Only the token's SHA-256 is stored."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    via = models.CharField(max_length=10)  # "secret" or "code"
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)


class PortalAttempt(models.Model):
    code_key = models.CharField(max_length=64, db_index=True)  # digest of the tracking code as typed
    at = models.DateTimeField()
    succeeded = models.BooleanField()
    source = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["code_key", "at"], name="portal_attempt_idx")]


class OneTimeCode(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class QuestionKind(models.TextChoices):
    QUESTION = "question", _("A question")
    INFORMATION = "information", _("A request for information")


class Question(models.Model):
    """A question or information request from the family, answered within its clock
    (deadlines rule ``family_question``: 20 working days, extendable once by 20)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="family_questions")
    # A report merged into ``case`` whose complainant asked; empty: the case's own complainant.
    # The question belongs to the case that carries the work, so its team answers it.
    from_report = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.QUESTION)
    text = EncryptedTextField(_("question"))
    asked_at = models.DateTimeField(_("asked at"))
    answer = EncryptedTextField(_("answer"), blank=True, default="")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    extension_reason = EncryptedTextField(_("reason for more time"), blank=True, default="")  # the family reads it
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-asked_at", "-pk"]
        indexes = [models.Index(fields=["case", "answered_at"], name="question_case_answered_idx")]

    @property
    def clock_subject(self) -> str:
        return f"question:{self.pk}"


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class FamilyMessage(Outbox):
    """An SMS or e-mail to the family, written in the transaction of the change it
    announces and sent after commit. The text never carries case details."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    to_address = EncryptedTextField()
    body = EncryptedTextField()  # a sign-in code is a secret until used

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="family_message_pending_idx")]
