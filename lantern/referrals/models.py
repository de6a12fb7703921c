"""Consent, referrals to partner agencies and what partners record on them.

A referral exists only with a consent: the victim's, or the guardian's for a child, per
service and per partner, saying what may be shared. Withdrawing the consent revokes the
referral in the same transaction, and the access rule also requires the consent to be in
force, so the partner loses sight of it at once (lantern.referrals.access)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.core.vault.fields import EncryptedTextField
from lantern.referrals.catalogue import ContactRoute, GivenBy, ServiceKind, Status


class PartnerService(models.Model):
    """Which services a partner agency provides (its caseworkers are users of that unit)."""

    partner = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="services",
                                limit_choices_to={"branch": "partner"}, verbose_name=_("partner agency"))
    service = models.CharField(_("service"), max_length=24, choices=ServiceKind.choices)

    class Meta:
        verbose_name = _("partner service")
        verbose_name_plural = _("partner services")
        constraints = [models.UniqueConstraint(fields=["partner", "service"], name="one_row_per_partner_service")]

    def __str__(self) -> str:
        return f"{self.partner.name}: {self.get_service_display()}"


class Consent(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="consents")
    service = models.CharField(_("service"), max_length=24, choices=ServiceKind.choices)
    partner = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    given_by = models.CharField(_("given by"), max_length=10, choices=GivenBy.choices)
    shared = models.JSONField(_("shared with the partner"), default=list)  # keys of catalogue.Shared
    given_at = models.DateTimeField(_("given at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_via = models.CharField(max_length=10, blank=True)  # "police" or "portal"
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")  # null with "portal": the family itself

    class Meta:
        ordering = ["given_at", "pk"]

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class Referral(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, related_name="referral")
    partner = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField(_("service"), max_length=24, choices=ServiceKind.choices)
    need = EncryptedTextField(_("need"))  # written for the partner; shown pseudonymised
    contact_route = models.CharField(_("contact route"), max_length=12, choices=ContactRoute.choices)
    contact_detail = EncryptedTextField(_("contact detail"), blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SENT)
    status_reason = EncryptedTextField(blank=True, default="")  # a decline's or revocation's reason
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partner", "status"], name="referral_partner_status_idx")]

    @property
    def clock_subject(self) -> str:
        return f"referral:{self.pk}"


class ReferralEvent(models.Model):
    """A referral's history: every change of status, who made it and why."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]


class ReferralNote(models.Model):
    """A partner caseworker's or officer's note on a referral; notes are added, never edited."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = EncryptedTextField()

    class Meta:
        ordering = ["at", "pk"]
