"""The family portal's pages: separate from the staff site in look (its own templates and
style) and in session (its own cookie, bound to one case, never a staff session)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantern.core.errors import LanternError, NotFound
from lantern.core.pdf import pdf_response
from lantern.core.refusals import attempt, report_refusal
from lantern.portal import actions, questions, selectors, signin
from lantern.portal.models import QuestionKind

COOKIE = "lantern_portal"


def _error(request: HttpRequest, exc: LanternError) -> HttpResponse:
    return render(request, "portal/error.html", {"error": exc}, status=exc.status)


def portal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of a signed-in family: the portal cookie's live session, else the sign-in
    page; refusals rendered in the portal's own look."""

    @functools.wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.portal = signin.session_for(request.COOKIES.get(COOKIE, ""))
        if request.portal is None:
            return redirect("portal:sign_in")
        try:
            return view(request, *args, **kwargs)
        except LanternError as exc:
            return _error(request, exc)

    return run


def _signed_in(result: signin.Result) -> HttpResponse:
    response = redirect("portal:case")
    response.set_cookie(COOKIE, result.token, max_age=int(signin.LIFETIME.total_seconds()), httponly=True,
                        samesite="Strict", secure=settings.SESSION_COOKIE_SECURE, path="/portal/")
    return response


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "portal/sign_in.html", {"signed_out": "signed-out" in request.GET})
    try:
        result = signin.raise_unless_ok(signin.sign_in_with_secret(
            tracking_code=request.POST.get("tracking_code", ""), secret=request.POST.get("secret", "")))
    except LanternError as exc:
        return render(request, "portal/sign_in.html", {"error": exc.message}, status=exc.status)
    return _signed_in(result)


@require_http_methods(["GET", "POST"])
def sign_in_with_code(request: HttpRequest) -> HttpResponse:
    """Step one sends a code (silently, if the tracking code is unknown); step two uses it."""
    post, context = request.POST, {"tracking_code": request.POST.get("tracking_code", "")}
    try:
        if request.method == "POST" and post.get("step") == "send":
            signin.send_sign_in_code(tracking_code=post.get("tracking_code", ""))
            context["sent"] = True
        elif request.method == "POST":
            result = signin.raise_unless_ok(signin.sign_in_with_code(
                tracking_code=post.get("tracking_code", ""), code=post.get("code", "")))
            return _signed_in(result)
    except LanternError as exc:
        context.update(error=exc.message, sent=True)
        return render(request, "portal/code.html", context, status=exc.status)
    return render(request, "portal/code.html", context)


@require_POST
@portal_page
def sign_out(request: HttpRequest) -> HttpResponse:
    signin.sign_out(session=request.portal)
    response = redirect(reverse("portal:sign_in") + "?signed-out=1")
    response.delete_cookie(COOKIE, path="/portal/")
    return response


@require_GET
@portal_page
def case(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/case.html", {"data": selectors.portal_case(request.portal.case),
                                                "kinds": QuestionKind.choices})


@require_POST
@portal_page
def ask(request: HttpRequest) -> HttpResponse:
    attempt(request, lambda: questions.ask_question(session=request.portal, text=request.POST.get("text", ""),
                                                    kind=request.POST.get("kind", QuestionKind.QUESTION)),
            _("Your question was sent to the officers on your case. The answer will appear on this page."))
    return redirect("portal:case")


@require_POST
@portal_page
def reconsideration(request: HttpRequest) -> HttpResponse:
    attempt(request, lambda: actions.apply_for_reconsideration(session=request.portal,
                                                               grounds=request.POST.get("grounds", "")),
            _("Your application for reconsideration was received. The police must decide within 30 days; the "
              "deadline is shown on this page."))
    return redirect("portal:case")


@require_POST
@portal_page
def withdraw_consent(request: HttpRequest, consent_id: int) -> HttpResponse:
    try:
        actions.withdraw_consent_from_portal(session=request.portal, consent_id=consent_id)
    except NotFound:
        raise
    except LanternError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, _("Your consent is withdrawn. The service no longer sees your referral."))
    return redirect("portal:case")


@require_GET
@portal_page
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    case = request.portal.case
    return pdf_response(selectors.notice_pdf(case, notice_id), f"notice-{case.tracking_code}.pdf")


@require_GET
@portal_page
def decision(request: HttpRequest, proceeding_id: int) -> HttpResponse:
    case = request.portal.case
    return pdf_response(selectors.decision_pdf(case, proceeding_id), f"decision-{case.tracking_code}.pdf")
