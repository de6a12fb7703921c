"""The police's pages for what families ask: the unit's "Families waiting" list, and
answering or extending a question from the case page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantern.access.policy import Capability, get_visible, require_capability
from lantern.core.refusals import attempt
from lantern.portal import questions
from lantern.portal.models import Question
from lantern.portal.selectors import unanswered
from lantern.referrals.selectors import stalled


@login_required
@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    """The unit's list: family questions not yet answered, referrals stalled."""
    require_capability(request.user, Capability.WORK_CASES)
    return render(request, "portal/staff/waiting.html", {"questions": unanswered(request.user)[:500],
                                                         "stalled": stalled(request.user)})


def _on_question(request: HttpRequest, question_id: int, act: Any, done: str) -> HttpResponse:
    question = get_visible(request.user, Question.objects.select_related("case"), pk=question_id)
    attempt(request, lambda: act(question), done)
    return redirect(reverse("cases:detail", args=[question.case_id]) + "#family-questions")


@login_required
@require_POST
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    return _on_question(request, question_id, lambda q: questions.answer_question(
        actor=request.user, question=q, answer=request.POST.get("answer", "")),
        _("Answer sent: the family sees it in the portal and gets a message."))


@login_required
@require_POST
def extend(request: HttpRequest, question_id: int) -> HttpResponse:
    return _on_question(request, question_id, lambda q: questions.extend_question(
        actor=request.user, question=q, reason=request.POST.get("reason", "")),
        _("The answer's deadline is extended; the family sees the reason."))
