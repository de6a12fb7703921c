"""The sex-offence registry, fed by convictions (DOMAIN.md, "Linkage, networks, registry";
Minors Protection Law art. 62). Institutions' hit / no-hit checks (lantern.institutions)
search the blind index of the ID number, never the names, and only the entries that the
reporting rules (linkage.reporting) say are reported."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.core.vault.fields import EncryptedTextField
from lantern.linkage.matching.artefacts import MatchModel  # noqa: F401  (the app's models are found here)


class RegistryEntry(models.Model):
    suspect = models.OneToOneField("cases.Suspect", on_delete=models.PROTECT, related_name="registry_entry")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="registry_entries")
    name = EncryptedTextField(_("name"))
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_digest = models.CharField(max_length=64, blank=True, db_index=True)  # people.blind, kind id_number
    convicted_at = models.DateTimeField(_("convicted at"))
    judgment_reference = EncryptedTextField(_("judgment"))
    court = EncryptedTextField(_("court"), blank=True, default="")
    charges = EncryptedTextField(_("charges"), blank=True, default="")
    sentence_months = models.PositiveIntegerField(_("sentence in months"), null=True, blank=True)
    minor_at_offence = models.BooleanField(_("under 18 at the offence"), default=False)
    # Decided once by linkage.reporting when the entry is made; the rule's key says why.
    reporting_rule = models.CharField(_("reporting rule"), max_length=32, default="conviction")
    reportable = models.BooleanField(_("reported to hiring checks"), default=True)
    reported_until = models.DateField(_("reported until"), null=True, blank=True)  # null: without end

    class Meta:
        verbose_name = _("registry entry")
        verbose_name_plural = _("registry entries")


class Network(models.Model):
    """Cases joined by what their people share (an identifier, a confirmed person match):
    a connected component of the identifier graph, kept as it grows (networks.connect)
    rather than recomputed per request; split again only when a link is withdrawn."""

    created_at = models.DateTimeField(_("found"))
    grown_at = models.DateTimeField(_("last grew"))
    case_count = models.PositiveIntegerField(_("cases"), default=0)

    class Meta:
        verbose_name = _("network")
        indexes = [models.Index(fields=["-case_count"], name="network_size_idx")]


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="members")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="network_membership")
    joined_at = models.DateTimeField()  # when the case came into this network (growth is counted on it)

    class Meta:
        indexes = [models.Index(fields=["network", "joined_at"], name="network_member_growth_idx")]


class MatchStatus(models.TextChoices):
    LINKED = "linked", _("Linked automatically")
    PENDING = "pending", _("Awaiting review")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn: a detail it rested on was marked wrong")


LINKING_STATUSES = (MatchStatus.LINKED, MatchStatus.CONFIRMED)


class PersonMatch(models.Model):
    """Two suspects the matching model takes for one person (ids and a probability only).
    Above the high threshold they link at once; between the thresholds an investigator
    confirms or rejects the match (matches.confirm / matches.reject, audited)."""

    left = models.ForeignKey("cases.Suspect", on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey("cases.Suspect", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField(_("match probability"))
    model_version = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=12, choices=MatchStatus.choices)
    found_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = EncryptedTextField(_("reason"), blank=True, default="")  # free text may name people

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="one_match_per_pair"),
                       models.CheckConstraint(condition=models.Q(left__lt=models.F("right")),
                                              name="match_pair_in_order")]
        indexes = [models.Index(fields=["status", "-probability"], name="match_queue_idx")]


class PersonKey(models.Model):
    """A suspect's blocking keys for fuzzy matching, as keyed hashes: the candidates of a new
    report are found by index without decrypting every person (matching.blocking_keys)."""

    suspect = models.ForeignKey("cases.Suspect", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["rule", "digest"], name="person_key_lookup_idx")]
        constraints = [models.UniqueConstraint(fields=["suspect", "rule", "digest"], name="one_key_per_rule")]


class RegistryHit(models.Model):
    """A suspect of an open case who is a registered offender: flagged on the case for its team."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="registry_hits")
    suspect = models.ForeignKey("cases.Suspect", on_delete=models.PROTECT, related_name="registry_hits")
    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="hits")
    via = models.CharField(max_length=16)  # "id_number" | "person_match"
    probability = models.FloatField(null=True, blank=True)
    found_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["suspect", "entry"], name="one_hit_per_entry")]
