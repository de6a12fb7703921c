"""Sign-in pages: password, then the second factor (or its enrolment), then home."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lantern.access.policy import Capability, get_visible, require_capability
from lantern.accounts import actions, signin, totp
from lantern.accounts.forms import CodeForm, EnrolForm, NewPasswordForm, PasswordForm
from lantern.accounts.models import User
from lantern.core.errors import AccountLocked, InvalidCredentials, InvalidSecondFactor, LanternError

PENDING = "lantern_pending_sign_in"
ENROL_SECRET = "lantern_enrol_secret"  # noqa: S105 (a session key name)
NEW_CODES = "lantern_new_recovery_codes"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > settings.LANTERN_PENDING_LOGIN_SECONDS:
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True).first()


def _finish(request: HttpRequest, user: User) -> HttpResponse:
    next_url = _safe_next(request, request.session.get(PENDING, {}).get("next"))
    signin.complete_sign_in(user=user, channel="web")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = signin.attempt_password(username=form.cleaned_data["username"],
                                          password=form.cleaned_data["password"])
        if outcome.result is signin.Result.LOCKED:
            form.add_error(None, AccountLocked.default_message)
        elif not outcome.ok:
            form.add_error(None, InvalidCredentials.default_message)
        else:
            request.session.cycle_key()
            request.session[PENDING] = {"user_id": outcome.user.pk, "at": time.time(),
                                        "next": request.GET.get("next", "")}
            step = "accounts:verify" if outcome.user.has_second_factor else "accounts:enrol"
            return redirect(step)
    return render(request, "accounts/sign_in.html",
                  {"form": form, "idle": request.GET.get("idle") == "1"})


def _restart(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    request.session.pop(ENROL_SECRET, None)
    messages.warning(request, message)
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _restart(request, _("Your sign-in took too long or was not started. Start again."))
    if not user.has_second_factor:
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = signin.attempt_second_factor(user=user, code=form.cleaned_data["code"])
        if outcome.ok:
            return _finish(request, user)
        if outcome.result is signin.Result.LOCKED:
            return _restart(request, str(AccountLocked.default_message))
        form.add_error("code", InvalidSecondFactor.default_message)
    return render(request, "accounts/verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _restart(request, _("Your sign-in took too long or was not started. Start again."))
    if user.has_second_factor:
        return redirect("accounts:verify")
    secret = request.session.setdefault(ENROL_SECRET, totp.new_secret())
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = signin.confirm_second_factor(user=user, secret=secret, code=form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(ENROL_SECRET, None)
            _finish(request, user)
            request.session[NEW_CODES] = codes
            return redirect("accounts:recovery_codes")
        form.add_error("code", InvalidSecondFactor.default_message)
    uri = totp.provisioning_uri(secret, user.username)
    return render(request, "accounts/enrol.html",
                  {"form": form, "qr": totp.qr_svg(uri), "secret": secret})


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows freshly made recovery codes once; afterwards only a way to make new ones."""
    if request.method == "POST":
        request.session[NEW_CODES] = signin.regenerate_recovery_codes(actor=request.user)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(NEW_CODES, None)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        signin.record_sign_out(user=request.user, reason="user")
    logout(request)
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = NewPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_password(actor=request.user, new_password=form.cleaned_data["new_password"])
        except LanternError as exc:
            for message in exc.details.get("password", []):
                form.add_error("new_password", message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def locked_accounts(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ACCOUNTS)
    users = User.objects.filter(locked_at__isnull=False).select_related("unit").order_by("locked_at")
    return render(request, "accounts/locked_accounts.html", {"users": users})


@login_required
@require_POST
def unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ACCOUNTS)
    user = get_visible(request.user, User.objects.all(), pk=user_id)
    actions.unlock_account(actor=request.user, user=user)
    if request.htmx:
        return render(request, "accounts/_unlocked_row.html", {"u": user})
    messages.success(request, _("The account %(username)s is unlocked.") % {"username": user.username})
    return redirect("accounts:locked")
