"""Person matches: the fuzzy model's verdicts on two suspects of different cases. Above the
high threshold a match links the cases at once (into one network, with an alert); between
the thresholds it waits in the review queue for an investigator who sees both sides to
confirm or reject it. Each decision is an audited action; rejecting a match that had
linked recomputes the network it made."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, has_capability, require_capability
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.access import may_see_identity
from lantern.cases.models import Case, Suspect
from lantern.core.actions import action
from lantern.core.errors import Conflict, PermissionDenied, ValidationFailed
from lantern.linkage import linking, networks
from lantern.linkage.matching import scoring
from lantern.linkage.models import MatchStatus, PersonMatch


def record_match(left: Suspect, right: Suspect, probability: float, *, model_version: int,
                 actor: Any = None) -> PersonMatch | None:
    """Keep what the model found: a link above the high threshold, a queued match between.
    Below the review threshold, or for two suspects of one case, nothing is kept."""
    decision = scoring.thresholds().decision(probability)
    if decision == "none":
        return None
    stand_for = networks.masters([left.case_id, right.case_id])
    if stand_for[left.case_id] == stand_for[right.case_id]:
        return None
    if left.pk > right.pk:
        left, right = right, left
    status = MatchStatus.LINKED if decision == "link" else MatchStatus.PENDING
    match, created = PersonMatch.objects.get_or_create(
        left=left, right=right, defaults={"probability": probability, "model_version": model_version,
                                          "status": status, "found_at": timezone.now()})
    if not created:
        return None
    record(actor=actor, action=Event.LINKAGE_MATCH_FOUND, obj=Case.objects.get(pk=stand_for[right.case_id]),
           details={"match": match.pk, "persons": [left.pk, right.pk], "probability": round(probability, 4),
                    "status": status, "model": model_version})
    if status == MatchStatus.LINKED:
        _link(match, actor)
    return match


def _link(match: PersonMatch, actor: Any) -> None:
    stand_for = networks.masters([match.left.case_id, match.right.case_id])
    case = Case.objects.get(pk=stand_for[match.right.case_id])
    linking.link(case, {stand_for[match.left.case_id]}, actor=actor, via=["person_match"], now=timezone.now())


def may_review(user: Any, match: PersonMatch) -> bool:
    """Both sides must be open to the reviewer: a match is judged on both records."""
    return all(may_see_identity(user, s.case) for s in (match.left, match.right))


def _decidable(actor: Any, match: PersonMatch) -> PersonMatch:
    require_capability(actor, Capability.REVIEW_MATCHES)
    match = PersonMatch.objects.select_for_update().select_related("left__case", "right__case").get(pk=match.pk)
    if not may_review(actor, match):
        raise PermissionDenied(_("Only someone who may see both cases decides on a match."))
    return match


@action
def confirm_match(*, actor: Any, match: PersonMatch, reason: str = "") -> PersonMatch:
    match = _decidable(actor, match)
    if match.status != MatchStatus.PENDING:
        raise Conflict(_("This match was already decided."),
                       unmet=[{"code": "decided", "message": _("Already decided.")}])
    match.status, match.decided_by, match.decided_at = MatchStatus.CONFIRMED, actor, timezone.now()
    match.reason = reason.strip()
    match.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    record(actor=actor, action=Event.LINKAGE_MATCH_CONFIRMED, obj=match.right.case,
           details={"match": match.pk, "persons": [match.left_id, match.right_id]})
    _link(match, actor)
    return match


@action
def reject_match(*, actor: Any, match: PersonMatch, reason: str) -> PersonMatch:
    """Not the same person: a queued match leaves the queue; one that had linked (above the
    threshold, or confirmed earlier) is undone and its network recomputed."""
    match = _decidable(actor, match)
    if not reason.strip():
        raise ValidationFailed(details={"reason": [_("A written reason is required.")]})
    if match.status == MatchStatus.REJECTED:
        raise Conflict(_("This match was already rejected."),
                       unmet=[{"code": "decided", "message": _("Already rejected.")}])
    had_linked = match.status in (MatchStatus.LINKED, MatchStatus.CONFIRMED)
    match.status, match.decided_by, match.decided_at = MatchStatus.REJECTED, actor, timezone.now()
    match.reason = reason.strip()
    match.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    record(actor=actor, action=Event.LINKAGE_MATCH_REJECTED, obj=match.right.case,
           details={"match": match.pk, "persons": [match.left_id, match.right_id], "had_linked": had_linked})
    network = networks.network_of(match.right.case)
    if had_linked and network is not None:
        networks.recompute(network, timezone.now())
    return match


def queue_for(user: Any) -> list[PersonMatch]:
    """Matches awaiting review that this user may decide (both sides open to them)."""
    if not has_capability(user, Capability.REVIEW_MATCHES):
        return []
    pending = (PersonMatch.objects.filter(status=MatchStatus.PENDING).select_related("left__case", "right__case")
               .order_by("-probability", "pk"))
    return [m for m in pending[:500] if may_review(user, m)]
