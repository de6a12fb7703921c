"""Identifiers of the people in a case, as blind indexes (people.blind): what intake's
same-suspect check and the linkage of cases search, without decrypting anything."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.people.blind import IdKind


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    COMPLAINANT = "complainant", _("Complainant")
    SUSPECT = "suspect", _("Suspect")


class Identifier(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="identifiers")
    role = models.CharField(max_length=16, choices=PersonRole.choices)
    suspect = models.ForeignKey("cases.Suspect", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="identifiers")
    kind = models.CharField(max_length=16, choices=IdKind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["kind", "digest"], name="identifier_lookup_idx")]
        constraints = [models.CheckConstraint(condition=~models.Q(digest=""), name="identifier_has_digest")]
