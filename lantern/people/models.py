"""Privacy records: identifiers of the people in a case as blind indexes (what intake's
same-suspect check and the linkage of cases search, without decrypting anything),
break-glass access and sealed records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.core.vault.blind import IdKind
from lantern.core.vault.fields import EncryptedTextField


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    COMPLAINANT = "complainant", _("Complainant")
    SUSPECT = "suspect", _("Suspect")


class InForce(models.Manager["Identifier"]):
    """Identifiers that still match: one marked wrong stays in the history (``Identifier.every``)
    but no duplicate check, link or search finds a case by it any more."""

    def get_queryset(self) -> models.QuerySet[Identifier]:
        return super().get_queryset().filter(retracted_at__isnull=True)


class Identifier(models.Model):
    """One identifier of a person in a case, as its blind index. Those found at intake have
    their value in the person's own columns (cases.Suspect); those added later (an account
    found in the chats, a phone's IMEI) keep it here, encrypted like them."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="identifiers")
    role = models.CharField(max_length=16, choices=PersonRole.choices)
    suspect = models.ForeignKey("cases.Suspect", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="identifiers")
    kind = models.CharField(max_length=16, choices=IdKind.choices)
    digest = models.CharField(max_length=64)
    value = EncryptedTextField(blank=True, default="")  # "" for intake's: the value is the person's column
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # null: registered with the report
    added_at = models.DateTimeField(null=True, blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    retraction_reason = EncryptedTextField(blank=True, default="")

    objects = InForce()
    every = models.Manager()  # the history: retracted ones too

    class Meta:
        base_manager_name = "every"
        indexes = [models.Index(fields=["kind", "digest"], name="identifier_lookup_idx")]
        constraints = [models.CheckConstraint(condition=~models.Q(digest=""), name="identifier_has_digest")]


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    CLOSED = "closed", _("Reviewed")


class BreakGlass(models.Model):
    """Emergency access to a case outside the user's need to know: a stated reason and a
    fresh second factor open it for at most an hour; the supervisor is told at once and
    must review it (DOMAIN.md, "Who uses it")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="break_glass")
    reason = EncryptedTextField(_("reason"))  # free text may name people: encrypted like them
    opened_at = models.DateTimeField(_("opened at"))
    expires_at = models.DateTimeField(_("expires at"))
    review_status = models.CharField(_("review"), max_length=8, choices=ReviewStatus.choices,
                                     default=ReviewStatus.OPEN)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(_("review note"), blank=True)
    justified = models.BooleanField(_("justified"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="break_glass_active_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("opened_at")),
                                              name="break_glass_expires_after_opening")]


class Seal(models.Model):
    """A sealed record (e.g. 未成年人犯罪记录封存, CPL art. 286): visible only to the roles the
    seal names, every access audited."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="seals")
    legal_reference = models.CharField(_("legal basis"), max_length=200)
    reason = EncryptedTextField(_("reason"))
    sealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sealed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(lifted_at__isnull=True),
                                               name="one_active_seal")]


class SealGrant(models.Model):
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="grants")
    role = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seal", "role"], name="one_grant_per_role")]
