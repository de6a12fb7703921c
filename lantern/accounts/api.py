from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from lantern.access.policy import Capability, Verb, require, require_capability, scope
from lantern.accounts import actions, signin
from lantern.accounts.models import Unit, User
from lantern.core import ratelimit
from lantern.core.context import current_origin
from lantern.core.errors import AccountLocked, InvalidCredentials, InvalidSecondFactor, NotFound

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)
    otp: str = Field(max_length=32, description="TOTP code or a recovery code")


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class UnitOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    branch: str
    level: str
    division_code: str
    parent_id: int | None


class MeOut(Schema):
    id: int
    username: str
    unit: UnitOut | None
    roles: list[str]


class UserOut(Schema):
    id: int
    username: str
    unit_id: int | None
    is_active: bool
    locked: bool


def _user_out(user: User) -> UserOut:
    return UserOut(id=user.pk, username=user.username, unit_id=user.unit_id,
                   is_active=user.is_active, locked=user.is_locked)


@router.post("/auth/token", auth=None, response=TokenOut,
             summary="Exchange username, password and a TOTP code for a bearer token")
def issue_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    ratelimit.hit(f"token:{current_origin().source}", limit=30, window_seconds=60)
    first = signin.attempt_password(username=payload.username, password=payload.password)
    if first.result is signin.Result.LOCKED:
        raise AccountLocked()
    if not first.ok:
        raise InvalidCredentials()
    second = signin.attempt_second_factor(user=first.user, code=payload.otp)
    if second.result is signin.Result.LOCKED:
        raise AccountLocked()
    if not second.ok:
        raise InvalidSecondFactor()
    signin.complete_sign_in(user=first.user, channel="api")
    token, expires = signin.issue_api_token(user=first.user)
    return TokenOut(token=token, expires_at=expires)


@router.get("/me", response=MeOut, summary="The signed-in user, their unit and roles")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    unit = UnitOut.from_orm(user.unit) if user.unit else None
    return MeOut(id=user.pk, username=user.username, unit=unit, roles=sorted(user.role_set))


@router.get("/units", response=list[UnitOut], summary="Units visible to the user")
def unit_list(request: HttpRequest) -> list[Unit]:
    return list(scope(request.user, Verb.VIEW, Unit.objects.all()))


@router.get("/units/{unit_id}", response=UnitOut)
def unit_detail(request: HttpRequest, unit_id: int) -> Unit:
    unit = scope(request.user, Verb.VIEW, Unit.objects.all()).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


@router.post("/users/{user_id}/unlock", response=UserOut,
             summary="Unlock an account locked after failed sign-ins (administrators)")
def unlock_user(request: HttpRequest, user_id: int) -> UserOut:
    require_capability(request.user, Capability.MANAGE_ACCOUNTS)  # before the lookup: no probing ids
    target = require(request.user, Verb.MANAGE, User.objects.filter(pk=user_id).first())
    return _user_out(actions.unlock_account(actor=request.user, user=target))
