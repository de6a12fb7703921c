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


class JobLease(models.Model):
    """One row per periodic job: who runs it now and until when, and how its last run went.

    A runner takes the lease with one conditional UPDATE (free, or expired), so two workers
    started by mistake, or a cron pass overlapping the worker, never run a job twice at once;
    a runner killed mid-job leaves a lease that expires, and the next runner takes over."""

    name = models.CharField(max_length=80, primary_key=True)
    holder = models.CharField(max_length=80, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_started = models.DateTimeField(null=True, blank=True)
    last_finished = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True)
    last_summary = models.CharField(max_length=300, blank=True)
    runs = models.PositiveIntegerField(default=0)


class RateCount(models.Model):
    """Requests counted for one rate-limit key in one fixed window, in the database so every
    gunicorn worker and every machine sees the same count (core.ratelimit)."""

    key = models.CharField(max_length=200)
    window_no = models.BigIntegerField()  # epoch seconds // the window's length
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_no"], name="one_count_per_window")]
