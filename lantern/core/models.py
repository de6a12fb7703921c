from django.db import models

from lantern.core.vault.fields import EncryptedJSONField


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an Idempotency-Key, replayed for a retry
    with the same key and body. The response is encrypted like the identity fields (it may
    carry a portal secret and identities), so key rotation covers it."""

    user_id = models.BigIntegerField()
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    sealed_response = EncryptedJSONField(null=True)
    # Responses stored before envelope encryption (Fernet under the secret key), replayed
    # until they age out; new records leave it empty.
    response = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user_id", "scope", "key"], name="one_response_per_key")]
