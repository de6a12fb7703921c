"""The append-only, tamper-evident audit log.

An entry is written in the transaction of the change it describes, with the SHA-256 of
its content in canonical JSON. Right after commit a single sealer links pending entries
into the chain in batches (lantern.audit.services.seal_pending): each gets a sequence
number, the previous entry's hash and its own ``hash`` over the three. Writers therefore
never queue on the chain, and one sealer at a time means the chain cannot fork. The
``ChainHead`` row holds the newest sealed sequence number and hash. On PostgreSQL the
database refuses DELETE, and any UPDATE but the one that seals an entry (migration 0002).
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
    # Null until sealed into the chain (normally within milliseconds of the commit).
    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, blank=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # Ids only: the audit log holds no personal data beyond them.
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=64)
    request_id = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    details = models.JSONField(_("details"), default=dict)
    content_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed_idx"),
            # One index for every question asked by action: a week of one kind of entry (the
            # access report's case reads: a range of it), one user's break-glass refusals, and
            # the audit page's prefix filter (the pattern operator class answers LIKE 'x%' in
            # any collation, and equality too). It replaces a plain and a _like index on
            # action: every entry is written twice (the insert, then the seal's UPDATE, which
            # is never HOT because seq is indexed), so each index costs twice per append.
            models.Index(fields=["action", "at"], name="audit_action_prefix_at_idx",
                         opclasses=["varchar_pattern_ops", "timestamptz_ops"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq or '-'} {self.action}"


class ChainHead(models.Model):
    """Exactly one row (id=1): the newest entry's sequence number and hash."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)


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


class MerkleNode(models.Model):
    """The hash of a complete, aligned subtree of the Merkle tree over the sealed entries
    (lantern.audit.tree), at levels of 64 leaves and up. ``key`` packs (level, index):
    level * 2**40 + index, so a proof's few nodes come back in one primary-key lookup.
    Derived from the entries: a wrong row only makes proofs fail against the signed heads."""

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)


class TreeHead(models.Model):
    """A signed tree head (RFC 9162 §4.10): "the Merkle tree of the first ``tree_size``
    sealed entries has this root". Append-only: on PostgreSQL a trigger refuses UPDATE
    and DELETE (migration 0003). The signature is Ed25519 over the canonical JSON of
    tree_size, root_hash, timestamp and key_id (lantern.audit.signing.tree_head_message)."""

    tree_size = models.BigIntegerField()
    root_hash = models.CharField(max_length=64)
    timestamp = models.DateTimeField()
    key_id = models.CharField(max_length=64)  # hex SHA-256 of the raw Ed25519 public key
    signature = models.CharField(max_length=128)  # base64

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["tree_size"], name="audit_treehead_size_idx")]

    def __str__(self) -> str:
        return f"tree head {self.tree_size}"
