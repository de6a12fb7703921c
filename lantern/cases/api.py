"""Cases in the API: lists, one case, its actions and its checklist (intake: intake.api)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator

from lantern.access.policy import get_visible
from lantern.cases import coldcases, queues, reads, selectors, suspects, workflow
from lantern.cases.access import may_see_identity
from lantern.cases.checklist import find_not_satisfied, set_checklist_item
from lantern.cases.law import FLAG_LABELS
from lantern.cases.models import ChecklistItem, Suspect
from lantern.cases.schemas import (
    ActionOut,
    CaseOut,
    CasePageOut,
    CaseSummaryOut,
    ColdCaseReviewOut,
    CustodyDueOut,
    DueOut,
    FugitiveOut,
    HistoricalOut,
    SuspectOut,
    SuspectStatusOut,
)
from lantern.cases.states import Channel, Indicator, Sex, State
from lantern.core.errors import NotFound
from lantern.core.schemas import Day, Moment

router = Router(tags=["cases"])

ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
IndicatorName = Literal[tuple(Indicator.values)]  # type: ignore[valid-type]
SexName = Literal[tuple(Sex.values)]  # type: ignore[valid-type]
StateName = Literal[tuple(State.values)]  # type: ignore[valid-type]
FlagName = Literal[tuple(FLAG_LABELS)]  # type: ignore[valid-type]
SortName = Literal[tuple(queues.SORTS)]  # type: ignore[valid-type]


class VerdictIn(Schema):
    suspect_id: int
    verdict: Literal["convicted", "acquitted"]
    charges: str = Field("", max_length=500)
    sentence: str = Field("", max_length=500)
    sentence_months: int | None = Field(None, ge=0, le=1200, description=(
        "Fixed-term imprisonment in months, where the judgment gave one (the registry's reporting rules use it)"))


class ActionIn(Schema):
    reason: str = Field("", max_length=5000)
    verdicts: list[VerdictIn] = Field(default_factory=list, max_length=50,
                                      description="record_judgment: per suspect; others take `outcome`")
    assignees: list[str] = Field(default_factory=list, max_length=20)
    username: str = Field("", max_length=150, description="remove_from_team: who is taken off the team")
    trigger: str = Field("", max_length=32)
    outcome: str = Field("", max_length=16)
    days: int | None = None
    method: str = Field("", max_length=40)
    unit_id: int | None = Field(None, description="transfer_case: the police unit that is to take the case")
    court: str = Field("", max_length=100, description="record_judgment: the court that gave the judgment")


class ChecklistPatch(Schema):
    status: Literal["open", "done", "not_applicable"]
    note: str | None = Field(None, max_length=5000, description=(
        "Omit to keep the item's note. `done` needs a note saying what was done unless an interview, linked "
        "evidence or a laboratory result shows it (422 naming `note`); `not_applicable` needs the reason"))


def _iso_day(value: Any) -> Any:
    # In a query string everything is text: without this "0" would be read as 1970-01-01.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(gettext("Give the day as YYYY-MM-DD."))
    return value


QueryDay = Annotated[Day, BeforeValidator(_iso_day)]


class CaseFilter(Schema):
    state: StateName | None = None
    overdue: bool | None = None
    minor: bool | None = None
    flag: FlagName | None = None
    assignee: str | None = Field(None, max_length=150, pattern=r"^[\w.@+-]+$",
                                 description="Username of an investigator on the team")
    unit_id: int | None = Field(None, description="The handling unit, with the units below it")
    received_from: QueryDay | None = Field(None, description="Received on or after this day (local time)")
    received_to: QueryDay | None = Field(None, description="Received on or before this day (local time)")
    sort: SortName | None = Field(None, description="Omitted: newest received first, as before paging existed; "
                                                    "`priority` puts minors first, then the next deadline")
    page: int | None = Field(None, ge=1, le=100000)
    limit: int | None = Field(None, ge=1, le=500)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "case_number", "state", "received_at", "victim", "flags", "unit", "next_deadline", "team",
            "awaiting")
    return {key: row[key] for key in keep}


@router.get("/cases", response=list[CaseSummaryOut] | CasePageOut, summary="Cases visible to the user",
            description="Filters and sorting as on the case list. With `page` or `limit` the answer is "
                        "`{\"items\", \"count\"}` (`limit` per page, default 50); without, the first 500 "
                        "cases as a plain list, as before paging existed.")
def case_list(request: HttpRequest, filters: Query[CaseFilter]) -> list[dict[str, Any]] | dict[str, Any]:
    wanted = queues.Filters(state=filters.state, flag=filters.flag, overdue=filters.overdue, minor=filters.minor,
                            assignee=filters.assignee, unit_id=filters.unit_id, received_from=filters.received_from,
                            received_to=filters.received_to, sort=filters.sort or "-received")
    cases = queues.queue(request.user, "mine", wanted)
    if filters.page is None and filters.limit is None:
        return [_summary(r) for r in queues.rows(queues.fetch(cases, 0, 500))]
    limit = filters.limit or queues.PAGE_SIZE
    start = ((filters.page or 1) - 1) * limit
    items = [_summary(r) for r in queues.rows(queues.fetch(cases, start, start + limit))]
    return {"items": items, "count": queues.matching(request.user, "mine", wanted).count()}


# {int:...}: "cases/duplicates" (intake.api, registered later on this router) must not match.
@router.get("/cases/{int:case_id}", response=CaseOut, exclude_unset=True, summary="One case, as this user may see it")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return reads.open_case(actor=request.user, case_id=case_id)[1]


@router.get("/cases/{case_id}/actions", response=list[ActionOut],
            summary="What this user can do to the case now, and why not")
def case_actions(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    return workflow.available(selectors.case_for(request.user, case_id), request.user)


@router.post("/cases/{case_id}/actions/{name}", response=CaseOut, exclude_unset=True,
             summary="Take one workflow action")
def take_action(request: HttpRequest, case_id: int, name: str, payload: ActionIn) -> dict[str, Any]:
    case = selectors.case_for(request.user, case_id)
    case = workflow.perform(case=case, actor=request.user, name=name, payload=payload.model_dump())
    return reads.read_case(actor=request.user, case=case, purpose=name)


@router.patch("/cases/{case_id}/checklist/{item_id}", response=CaseOut, exclude_unset=True,
              summary="Mark a checklist item done, not applicable (supervisors) or open",
              description="An item without an identified suspect, or waiting for a laboratory result, cannot be "
                          "done (409, `details.unmet`: `no_identified_suspect`, `lab_result_pending`); only a "
                          "supervisor's written not-applicable reason rules the first out.")
def patch_checklist(request: HttpRequest, case_id: int, item_id: int, payload: ChecklistPatch) -> dict[str, Any]:
    case = selectors.case_for(request.user, case_id)
    item = ChecklistItem.objects.filter(case=case, pk=item_id).first()
    if item is None:
        raise NotFound()
    set_checklist_item(actor=request.user, item=item, status=payload.status, note=payload.note)
    return reads.read_case(actor=request.user, case=case, purpose="checklist")


class NotSatisfiedIn(Schema):
    reason: str = Field(max_length=2000, description="What is missing")


@router.post("/cases/{case_id}/checklist/{item_id}/not-satisfied", response=CaseOut, exclude_unset=True,
             summary="A prosecutor finds an item not satisfied (supervision of a non-filing): it reopens for the "
                     "police, and a non-filing cannot be approved until they work it again")
def not_satisfied(request: HttpRequest, case_id: int, item_id: int, payload: NotSatisfiedIn) -> dict[str, Any]:
    case = selectors.case_for(request.user, case_id)
    item = ChecklistItem.objects.filter(case=case, pk=item_id).first()
    if item is None:
        raise NotFound()
    find_not_satisfied(actor=request.user, item=item, reason=payload.reason)
    return reads.read_case(actor=request.user, case=case, purpose="checklist")



class SuspectMoveIn(Schema):
    reason: str = Field("", max_length=2000)
    at: Moment | None = Field(None, description="When it happened, if recorded afterwards (with an offset)")


class ExtensionIn(Schema):
    grounds: Literal["special", "roving_repeated_gang"]
    days: int = Field(ge=1, le=30)
    reason: str = Field(max_length=2000)


def _suspect(user: Any, suspect_id: int) -> Suspect:
    return get_visible(user, Suspect.objects.select_related("case"), pk=suspect_id)  # 404 outside the case


@router.get("/cases/{case_id}/suspects", response=list[SuspectOut], summary="Suspects, statuses and clocks")
def suspect_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_for(request.user, case_id)
    return selectors.suspects_json(case, request.user, identity=may_see_identity(request.user, case))


@router.post("/suspects/{suspect_id}/moves/{name}", response=SuspectStatusOut,
             summary="Change a suspect's status (detain, request arrest, approve or refuse arrest, bail, abscond)")
def suspect_move(request: HttpRequest, suspect_id: int, name: str, payload: SuspectMoveIn) -> dict[str, Any]:
    done = suspects.change_status(actor=request.user, suspect=_suspect(request.user, suspect_id), move_name=name,
                                  reason=payload.reason, at=payload.at)
    return {"id": done.pk, "status": done.status}


@router.post("/suspects/{suspect_id}/arrest-request/extension", response=DueOut,
             summary="Extend the time to request arrest approval (CPL art. 91; a county-level head, MPS art. 129)")
def suspect_extension(request: HttpRequest, suspect_id: int, payload: ExtensionIn) -> dict[str, Any]:
    clock = suspects.extend_arrest_request(actor=request.user, suspect=_suspect(request.user, suspect_id),
                                           **payload.model_dump())
    return {"due_at": clock.due_at}


@router.get("/fugitives", response=list[FugitiveOut], summary="Suspects at large in the user's cases")
def fugitive_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"case_id": s.case_id, "case_number": s.case.case_number, "suspect_id": s.pk,
             "since": s.since} for s in selectors.fugitives(request.user)]


class ColdCaseIn(Schema):
    rechecked: list[str] = Field(max_length=10)
    findings: str = Field(max_length=5000)


class ReasonIn(Schema):
    reason: str = Field(max_length=2000)


@router.get("/cases/{case_id}/cold-case-reviews", response=list[ColdCaseReviewOut],
            summary="Cold-case reviews of a suspended case")
def cold_case_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_for(request.user, case_id)
    identity = may_see_identity(request.user, case)
    return [{"reviewed_at": r.reviewed_at, "reviewed_by": r.reviewed_by.username, "rechecked": r.rechecked,
             "findings": r.findings if identity else None}
            for r in case.cold_case_reviews.select_related("reviewed_by")]


@router.post("/cases/{case_id}/cold-case-reviews", response={201: ColdCaseReviewOut}, exclude_unset=True,
             summary="Record a cold-case review (what was checked again, what came of it)")
def cold_case_review(request: HttpRequest, case_id: int, payload: ColdCaseIn) -> Status:
    review = coldcases.record_cold_case_review(actor=request.user, case=selectors.case_for(request.user, case_id),
                                               rechecked=payload.rechecked, findings=payload.findings)
    return Status(201, {"reviewed_at": review.reviewed_at, "rechecked": review.rechecked})


@router.post("/cases/{case_id}/historical", response=HistoricalOut, summary="Mark a case historical")
def historical(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, Any]:
    case = coldcases.mark_historical(actor=request.user, case=selectors.case_for(request.user, case_id),
                                     reason=payload.reason)
    return {"id": case.pk, "is_historical": case.is_historical}


class CustodyExtensionIn(Schema):
    article: Literal["156", "158", "159"]
    reason: str = Field(max_length=2000)


@router.post("/suspects/{suspect_id}/custody/extension", response=CustodyDueOut,
             summary="Extend investigation custody (CPL arts. 156, 158, 159; the procuratorate)")
def custody_extension(request: HttpRequest, suspect_id: int, payload: CustodyExtensionIn) -> dict[str, Any]:
    clock = suspects.extend_custody(actor=request.user, suspect=_suspect(request.user, suspect_id),
                                    article=payload.article, reason=payload.reason)
    return {"due_at": clock.due_at, "months_in_all": clock.period_amount}
