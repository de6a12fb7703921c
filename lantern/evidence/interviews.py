"""Interviews of victims (DOMAIN.md, "Evidence checklist": one comprehensive interview).

Every interview of a child is a fresh injury, so the rules below are the law as data,
each with its reference; the number of interviews per victim is on the case page and in
the statistics. A second interview of a child needs a written reason approved by a
supervisor before it takes place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.checklist import tick_from_record
from lantern.cases.guards import require_case_work
from lantern.cases.models import Case
from lantern.core.actions import action
from lantern.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lantern.core.registry import Hook
from lantern.evidence.models import Agency, Interview, PlaceKind, RepeatInterviewRequest


@dataclass(frozen=True)
class InterviewRule:
    key: str
    applies_to_minor: bool
    message: Promise
    legal_reference: Promise


# docs/legal-references.md lists each reference with the published text it was checked against.
RULES = (
    InterviewRule("adult_present", True,
                  gettext_lazy("A child is interviewed with a guardian or an appropriate adult present."),
                  gettext_lazy("Criminal Procedure Law art. 281; Minors Protection Law art. 110")),
    InterviewRule("female_interviewer", True,
                  gettext_lazy("A girl is interviewed by a female officer."),
                  gettext_lazy("Opinions on Handling Sexual Assault Cases against Minors (2023) art. 23; "
                               "Minors Protection Law art. 112; Criminal Procedure Law art. 281")),
    InterviewRule("one_interview", True,
                  gettext_lazy("A child is interviewed once; a further interview needs an approved reason."),
                  gettext_lazy("Opinions on Handling Sexual Assault Cases against Minors (2023) art. 23; "
                               "Minors Protection Law art. 112")),
)


def _unmet(case: Case, *, interviewer_sex: str, guardian_present: bool, appropriate_adult: str) -> list[dict]:
    if not case.is_minor:
        return []
    unmet = []
    if not guardian_present and not appropriate_adult.strip():
        unmet.append(RULES[0])
    if case.victim.sex == "female" and interviewer_sex != "female":
        unmet.append(RULES[1])
    return [{"code": r.key, "message": str(r.message), "legal_reference": str(r.legal_reference)} for r in unmet]


# Higher apps that keep figures of interviews (oversight: a child interviewed again without
# an approved reason) fill this from AppConfig.ready; called inside the recording transaction.
interview_recorded: Hook[Callable[..., None]] = Hook("an interview was recorded")


@action
def request_repeat_interview(*, actor: Any, case: Case, reason: str) -> RepeatInterviewRequest:
    require_case_work(actor, case)
    if len(reason.strip()) < 10:
        raise ValidationFailed(details={"reason": [_("Write why the child must be interviewed again.")]})
    req = RepeatInterviewRequest.objects.create(case=case, reason=reason.strip(), requested_by=actor,
                                                requested_at=timezone.now())
    record(actor=actor, action=Event.INTERVIEW_REPEAT_REQUESTED, obj=case, details={"request": req.pk})
    return req


@action
def decide_repeat_interview(*, actor: Any, request_id: int, approve: bool) -> RepeatInterviewRequest:
    req = RepeatInterviewRequest.objects.select_for_update().select_related("case").filter(pk=request_id).first()
    if req is None:
        raise NotFound()
    require_case_work(actor, req.case)
    if not actor.has_role("supervisor", "unit_head"):
        raise PermissionDenied(_("A supervisor decides on a further interview of a child."))
    if actor.pk == req.requested_by_id:
        raise PermissionDenied(_("Someone other than the requester decides."))
    if req.decided_at is not None:
        raise Conflict(_("This request was decided already."))
    req.approved, req.decided_by, req.decided_at = approve, actor, timezone.now()
    req.save(update_fields=["approved", "decided_by", "decided_at"])
    record(actor=actor, action=Event.INTERVIEW_REPEAT_DECIDED, obj=req.case, details={"request": req.pk,
                                                                                  "approved": approve})
    return req


def _attendees(place_kind: str, attendees: list[dict[str, str]]) -> list[dict[str, str]]:
    """The kind of place and who was present from which agency, checked (422 naming the field)."""
    if place_kind not in PlaceKind.values:
        raise ValidationFailed(details={"place_kind": [_("Not one of the allowed values: %(allowed)s.")
                                                       % {"allowed": ", ".join(PlaceKind.values)}]})
    cleaned = []
    for a in attendees:
        if a.get("agency") not in Agency.values:
            raise ValidationFailed(details={"attendees": [_("Not one of the allowed values: %(allowed)s.")
                                                          % {"allowed": ", ".join(Agency.values)}]})
        cleaned.append({"agency": a["agency"], "role": str(a.get("role", "")).strip()[:60]})
    return cleaned


@action
def record_interview(*, actor: Any, case: Case, at: dt.datetime, interviewer_sex: str, place: str,
                     guardian_present: bool = False, appropriate_adult: str = "",
                     audio_video: bool = False, place_kind: str = PlaceKind.OTHER,
                     attendees: list[dict[str, str]] | None = None) -> Interview:
    require_case_work(actor, case)
    attendees = _attendees(place_kind, attendees or [])
    if interviewer_sex not in ("female", "male"):
        raise ValidationFailed(details={"interviewer_sex": [_("Say whether the interviewer is a woman or a man.")]})
    if not place.strip():
        raise ValidationFailed(details={"place": [_("Say where the interview took place.")]})
    unmet = _unmet(case, interviewer_sex=interviewer_sex, guardian_present=guardian_present,
                   appropriate_adult=appropriate_adult)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    earlier = Interview.objects.filter(case=case).count()
    approval = None
    if case.is_minor and earlier:
        # The case row is locked above, so no two interviews take the same approval.
        used = Interview.objects.filter(case=case, approval__isnull=False).values("approval_id")
        approval = (RepeatInterviewRequest.objects.filter(case=case, approved=True)
                    .exclude(pk__in=used).order_by("pk").first())
        if approval is None:
            rule = RULES[2]
            unmet.append({"code": rule.key, "message": str(rule.message),
                          "legal_reference": str(rule.legal_reference)})
    if unmet:
        raise Conflict(_("This interview cannot be recorded as it stands."), unmet=unmet)
    interview = Interview.objects.create(case=case, sequence=earlier + 1, at=at, interviewer=actor,
                                         interviewer_sex=interviewer_sex, place=place.strip(),
                                         guardian_present=guardian_present,
                                         appropriate_adult=appropriate_adult.strip(), audio_video=audio_video,
                                         approval=approval, place_kind=place_kind, attendees=attendees)
    record(actor=actor, action=Event.INTERVIEW_RECORDED, obj=case,
           details={"sequence": interview.sequence, "audio_video": audio_video, "repeat": approval is not None,
                    "place_kind": place_kind, "agencies": sorted({a["agency"] for a in attendees})})
    tick_from_record(actor=actor, case=case, key="victim_interview", source=f"interview:{interview.sequence}")
    for subscriber in interview_recorded:
        subscriber(case=case)
    return interview
