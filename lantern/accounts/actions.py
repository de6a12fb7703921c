"""Administrative actions on units and users. Each checks that the actor may do it,
changes state and writes its audit entry in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, require_capability
from lantern.access.roles import Role
from lantern.accounts.models import ApiToken, Institution, InstitutionKind, Unit, User, UserRole
from lantern.accounts.models.units import Branch, Level
from lantern.audit.events import Event, Family, family
from lantern.audit.services import record
from lantern.core.actions import action
from lantern.core.errors import ValidationFailed


def _validated_password(password: str, user: User | None = None) -> str:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(details={"password": [str(m) for m in exc.messages]}) from exc
    return password


def _set_roles(user: User, roles: Iterable[Role]) -> tuple[list[str], list[str]]:
    wanted = {Role(r) for r in roles}
    current = {Role(r) for r in user.roles.values_list("role", flat=True)}
    added, removed = sorted(wanted - current), sorted(current - wanted)
    user.roles.filter(role__in=removed).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in added])
    user.__dict__.pop("_role_cache", None)
    return [str(r) for r in added], [str(r) for r in removed]


@action
def create_unit(*, actor: User | None, code: str, name: str, branch: str, level: str,
                division_code: str, parent: Unit | None = None, name_en: str = "",
                handles_minors: bool = False, contact_phone: str = "", document_prefix: str = "") -> Unit:
    """``actor`` None is the installer or the demo loader working from the command line."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_ACCOUNTS)
    unit = Unit(code=code, name=name, name_en=name_en, branch=branch, level=level,
                division_code=division_code, parent=parent, handles_minors=handles_minors,
                contact_phone=contact_phone, document_prefix=document_prefix)
    try:
        unit.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(details=exc.message_dict) from exc
    unit.save()
    record(actor=actor, action=Event.UNIT_CREATED, obj=unit, details={"code": code})
    return unit


@action
def register_institution(*, actor: User | None, code: str, name: str, kind: str, address: str,
                         division_code: str, serving_unit: Unit, name_en: str = "",
                         contact_phone: str = "") -> Institution:
    """A school, hospital or hotel joins: a unit of the institution branch (its staff are
    its users) and the police unit its reports go to. Only a police station or bureau
    serves an institution: a department does not take reports from outside."""
    if kind not in InstitutionKind.values:
        raise ValidationFailed(details={"kind": [_("Choose the kind of institution.")]})
    if not address.strip():
        raise ValidationFailed(details={"address": [_("Give the institution's address.")]})
    if serving_unit.branch != Branch.POLICE or serving_unit.level == Level.DEPARTMENT:
        raise ValidationFailed(details={"serving_unit": [
            _("The serving unit must be a police station or bureau, not a department.")]})
    unit = create_unit(actor=actor, code=code, name=name, name_en=name_en, branch=Branch.INSTITUTION,
                       level=Level.STATION, division_code=division_code, contact_phone=contact_phone)
    institution = Institution.objects.create(unit=unit, kind=kind, address=address.strip(),
                                             serving_unit=serving_unit, registered_at=timezone.now(),
                                             registered_by=actor)
    record(actor=actor, action=Event.UNIT_INSTITUTION_REGISTERED, obj=unit,
           details={"kind": kind, "serving_unit": serving_unit.pk})
    return institution


@action
def create_user(*, actor: User | None, username: str, password: str, unit: Unit | None,
                roles: Iterable[Role], display_name: str = "", email: str = "",
                validate: bool = True) -> User:
    """``validate`` False only for demo data, whose shared password is documented."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_ACCOUNTS)
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(details={"username": [_("This username is already taken.")]})
    user = User(username=username, unit=unit, first_name=display_name, email=email)
    user.set_password(_validated_password(password, user) if validate else password)
    user.save()
    added, _removed = _set_roles(user, roles)
    record(actor=actor, action=Event.USER_CREATED, obj=user, details={"roles": added})
    return user


@action
def set_user_roles(*, actor: User, user: User, roles: Iterable[Role]) -> User:
    require_capability(actor, Capability.MANAGE_ACCOUNTS)
    added, removed = _set_roles(user, roles)
    record(actor=actor, action=Event.USER_ROLES_CHANGED, obj=user,
           details={"added": added, "removed": removed})
    return user


@action
def unlock_account(*, actor: User, user: User) -> User:
    require_capability(actor, Capability.MANAGE_ACCOUNTS)
    user = User.objects.select_for_update().get(pk=user.pk)
    was_locked = user.is_locked
    user.locked_at, user.failures_reset_at = None, timezone.now()
    user.save(update_fields=["locked_at", "failures_reset_at"])
    record(actor=actor, action=Event.ACCOUNT_UNLOCKED, obj=user, details={"was_locked": was_locked})
    return user


@action
def reset_second_factor(*, actor: User, user: User) -> User:
    """The user lost their authenticator: they enrol again at their next sign-in."""
    require_capability(actor, Capability.MANAGE_ACCOUNTS)
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = "", None, 0
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    user.recovery_codes.filter(used_at__isnull=True).update(used_at=timezone.now())
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=actor, action=Event.ACCOUNT_SECOND_FACTOR_RESET, obj=user)
    return user


@action
def change_password(*, actor: User, new_password: str) -> User:
    actor.set_password(_validated_password(new_password, actor))
    actor.save(update_fields=["password"])
    record(actor=actor, action=Event.ACCOUNT_PASSWORD_CHANGED, obj=actor)
    return actor


@action
def set_active(*, actor: User, user: User, active: bool) -> User:
    """Accounts are deactivated, never deleted: the audit trail refers to them."""
    require_capability(actor, Capability.MANAGE_ACCOUNTS)
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=actor, action=Event.USER_ACTIVATED if active else Event.USER_DEACTIVATED, obj=user)
    return user


@action
def record_admin_change(*, actor: User, obj: object, verb: str, fields: list[str]) -> None:
    """The Django admin's saves, audited with the names (never the values) of changed fields."""
    require_capability(actor, Capability.USE_ADMIN_SITE)
    record(actor=actor, action=family(Family.ADMIN, verb), obj=obj, details={"fields": sorted(fields)})
