from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.access.roles import Role
from lantern.core.vault.fields import EncryptedTextField


class User(AbstractUser):
    """A person who signs in. Staff names are not victims' data; still, audit entries and
    logs refer to users by id and username only."""

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
        null=True, blank=True,  # null only for a bootstrap superuser made by createsuperuser
        related_name="members",
    )
    # The TOTP seed, under envelope encryption like the identity fields: a copy of the
    # database must not let anyone mint second factors.
    totp_secret = EncryptedTextField(blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Highest TOTP time step accepted so far: a code is never accepted twice.
    totp_last_step = models.BigIntegerField(default=0, editable=False)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True, editable=False)
    # Failed attempts before this moment no longer count towards a lockout (set on a
    # successful sign-in and when an administrator unlocks the account).
    failures_reset_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def role_set(self) -> frozenset[Role]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(Role(r) for r in self.roles.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def has_second_factor(self) -> bool:
        return bool(self.totp_secret) and self.totp_confirmed_at is not None


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return str(Role(self.role).label)


class RecoveryCode(models.Model):
    """One-time codes for when the authenticator is lost; stored hashed, used once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)


class LoginAttempt(models.Model):
    """Every sign-in attempt, by the username typed (existing or not), for lockout."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(db_index=True)
    succeeded = models.BooleanField()
    stage = models.CharField(max_length=16)  # "password", "second_factor", "token"
    source = models.CharField(max_length=64)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
