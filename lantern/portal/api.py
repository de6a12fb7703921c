"""The portal API for a mobile front end (API.md, "Family portal"), and the staff side
of the family's questions. A portal token opens only the portal endpoints of its one
case; staff tokens and sessions do not open the portal, nor portal tokens the rest."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import Field

from lantern.access.policy import get_visible
from lantern.cases.access import may_see_identity
from lantern.cases.selectors import case_for
from lantern.core.pdf import pdf_response
from lantern.portal import actions, questions, selectors, signin
from lantern.portal.models import Question, QuestionKind
from lantern.portal.schemas import (
    PDF,
    CodeSentOut,
    PortalCaseOut,
    PortalTokenOut,
    QuestionClockOut,
    QuestionOut,
    SignedOutOut,
    StaffQuestionOut,
    WithdrawnOut,
)

KindName = Literal[tuple(QuestionKind.values)]  # type: ignore[valid-type]


class PortalBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        session = signin.session_for(token)
        if session is not None:
            request.portal = session
        return session


portal_router = Router(tags=["family portal"], auth=PortalBearer())
router = Router(tags=["family questions"])


class SessionIn(Schema):
    tracking_code: str = Field(max_length=32)
    secret: str = Field("", max_length=64)
    code: str = Field("", max_length=12, description="A one-time code sent by POST /portal/code, instead of secret")


class CodeIn(Schema):
    tracking_code: str = Field(max_length=32)


class QuestionIn(Schema):
    text: str = Field(max_length=2000)
    kind: KindName = QuestionKind.QUESTION


class GroundsIn(Schema):
    grounds: str = Field(max_length=5000)


class AnswerIn(Schema):
    answer: str = Field(max_length=2000)


class ExtensionIn(Schema):
    reason: str = Field(max_length=2000)


@portal_router.post("/portal/session", auth=None, response=PortalTokenOut,
                    summary="Sign in with the tracking code and secret (or a code)")
def open_session(request: HttpRequest, payload: SessionIn) -> dict[str, Any]:
    if payload.code:
        result = signin.sign_in_with_code(tracking_code=payload.tracking_code, code=payload.code)
    else:
        result = signin.sign_in_with_secret(tracking_code=payload.tracking_code, secret=payload.secret)
    result = signin.raise_unless_ok(result)
    return {"token": result.token, "expires_at": result.session.expires_at}


@portal_router.post("/portal/code", auth=None, response={202: CodeSentOut},
                    summary="Send a one-time sign-in code to the registered phone or e-mail")
def send_code(request: HttpRequest, payload: CodeIn) -> Status:
    signin.send_sign_in_code(tracking_code=payload.tracking_code)
    # The same answer whether or not the code exists: nothing to enumerate.
    return Status(202, {"sent": "if_registered"})


@portal_router.post("/portal/session/end", response=SignedOutOut, summary="Sign out of the portal")
def end_session(request: HttpRequest) -> dict[str, Any]:
    signin.sign_out(session=request.portal)
    return {"signed_out": True}


@portal_router.get("/portal/case", response=PortalCaseOut, summary="The case in plain words")
def portal_case(request: HttpRequest) -> dict[str, Any]:
    return selectors.portal_case(request.portal.case)


@portal_router.get("/portal/questions", response=list[QuestionOut], summary="The family's questions and answers")
def portal_questions(request: HttpRequest) -> list[dict[str, Any]]:
    return [selectors.question_json(q, for_family=True) for q in selectors.family_questions(request.portal.case)]


@portal_router.post("/portal/questions", response={201: QuestionOut}, summary="Ask a question")
def portal_ask(request: HttpRequest, payload: QuestionIn) -> Status:
    question = questions.ask_question(session=request.portal, text=payload.text, kind=payload.kind)
    return Status(201, selectors.question_json(question, for_family=True))


@portal_router.post("/portal/reconsideration", response={201: PortalCaseOut},
                    summary="Apply for reconsideration of a non-filing decision")
def portal_reconsideration(request: HttpRequest, payload: GroundsIn) -> Status:
    actions.apply_for_reconsideration(session=request.portal, grounds=payload.grounds)
    return Status(201, selectors.portal_case(request.portal.case))


@portal_router.post("/portal/consents/{consent_id}/withdraw", response=WithdrawnOut,
                    summary="Withdraw a consent to a referral")
def portal_withdraw(request: HttpRequest, consent_id: int) -> dict[str, Any]:
    consent = actions.withdraw_consent_from_portal(session=request.portal, consent_id=consent_id)
    return {"id": consent.pk, "withdrawn_at": consent.withdrawn_at}


@portal_router.get("/portal/notices/{notice_id}", openapi_extra=PDF, summary="A notice received, as PDF")
def portal_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    case = request.portal.case
    return pdf_response(selectors.notice_pdf(case, notice_id), f"notice-{case.tracking_code}.pdf")


@portal_router.get("/portal/decisions/{proceeding_id}", openapi_extra=PDF,
                   summary="A decision received (reconsideration, review, the procuratorate's reply), as PDF")
def portal_decision(request: HttpRequest, proceeding_id: int) -> HttpResponse:
    case = request.portal.case
    return pdf_response(selectors.decision_pdf(case, proceeding_id), f"decision-{case.tracking_code}.pdf")


# --- Staff side ---------------------------------------------------------------------------


def _question(request: HttpRequest, question_id: int) -> Question:
    return get_visible(request.user, Question.objects.select_related("case"), pk=question_id)


def _staff_json(request: HttpRequest, question: Question) -> dict[str, Any]:
    return selectors.staff_question_json(question, identity=may_see_identity(request.user, question.case))


@router.get("/questions", response=list[QuestionClockOut], summary="Unanswered family questions of my cases")
def unanswered(request: HttpRequest) -> list[dict[str, Any]]:
    rows = [selectors.question_json(q, for_family=False) for q in selectors.unanswered(request.user)[:500]]
    return [{k: v for k, v in row.items() if k not in ("text", "answer")} for row in rows]  # clocks, not words


@router.get("/cases/{case_id}/questions", response=list[StaffQuestionOut], summary="A case's family questions")
def case_questions(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = case_for(request.user, case_id)
    return selectors.staff_questions(case, identity=may_see_identity(request.user, case))


@router.post("/questions/{question_id}/answer", response=StaffQuestionOut, summary="Answer a family's question")
def answer(request: HttpRequest, question_id: int, payload: AnswerIn) -> dict[str, Any]:
    question = questions.answer_question(actor=request.user, question=_question(request, question_id),
                                         answer=payload.answer)
    return _staff_json(request, question)


@router.post("/questions/{question_id}/extension", response=StaffQuestionOut,
             summary="Take 20 more working days, once, with a reason the family reads")
def extend(request: HttpRequest, question_id: int, payload: ExtensionIn) -> dict[str, Any]:
    question = questions.extend_question(actor=request.user, question=_question(request, question_id),
                                         reason=payload.reason)
    return _staff_json(request, question)
