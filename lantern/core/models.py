from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an Idempotency-Key, replayed for a retry
    with the same key and body. The response is encrypted: it may carry a portal secret."""

    user_id = models.BigIntegerField()
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user_id", "scope", "key"], name="one_response_per_key")]
