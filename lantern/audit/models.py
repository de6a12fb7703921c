"""The append-only, tamper-evident audit log.

Each entry's ``hash`` is SHA-256 over its sequence number, the previous entry's hash and
the SHA-256 of its own content in canonical JSON (see lantern.audit.chain). The single
``ChainHead`` row holds the newest sequence number and hash: every append updates it, so
concurrent writers queue on that one row and the chain cannot fork. On PostgreSQL the
database refuses UPDATE and DELETE of entries (migration 0002).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditEntry(models.Model):
    seq = models.BigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # Ids only: the audit log holds no personal data beyond them.
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=64)
    request_id = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    details = models.JSONField(_("details"), default=dict)
    content_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class ChainHead(models.Model):
    """Exactly one row (id=1): the newest entry's sequence number and hash."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    prev_hash = models.CharField(max_length=64, default=GENESIS_HASH)


class Checkpoint(models.Model):
    """A signed statement "the chain had this hash at this sequence number"; a rewrite of
    the whole chain, or a cut-off tail, no longer matches it."""

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_fingerprint = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["seq"]
