"""Links, networks and the review of person matches (API.md, "Linkage and networks"). The
same selectors and actions as the pages; a linked case the reader may not see is a unit
and a contact, and telling them it exists is audited."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from lantern.access.policy import Capability, require_capability
from lantern.cases.models import Suspect
from lantern.cases.selectors import case_for
from lantern.linkage import matches, networks, registry, selectors
from lantern.linkage.models import Network, PersonMatch
from lantern.linkage.schemas import DecisionIn, LinksOut, MatchesOut, MatchOut, NetworkOut, NetworksOut, NetworksQuery

router = Router(tags=["linkage"])


@router.get("/cases/{case_id}/links", response=LinksOut, exclude_unset=True,
            summary="Cases that share an identifier or a person")
def links(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = case_for(request.user, case_id)
    found = selectors.links_of(request.user, case)
    selectors.disclose(request.user, case, found)
    network = networks.network_of(case)
    hits = registry.hits_for(case) if selectors.may_see_registry(request.user, case) else []
    return {"items": [link.json() for link in found], "count": len(found),
            "network_id": network.pk if network else None,
            "registry_hits": [{"person_id": h.suspect_id, "via": h.via, "probability": h.probability,
                               "convicted_at": h.entry.convicted_at, "found_at": h.found_at} for h in hits]}


@router.get("/cases/{case_id}/network", response=NetworkOut, summary="The case's network as nodes and edges")
def case_network(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = case_for(request.user, case_id)
    network = networks.network_of(case)
    if network is None:  # a case alone is a network of one
        return {"network_id": None, "case_count": 1, "truncated": False, "edges": [],
                "nodes": [{"id": f"case:{case.pk}", "type": "case", "label": case.case_number, "case_id": case.pk,
                           "state": case.state, "unit": case.unit.name}]}
    drawn = selectors.graph(request.user, network)
    selectors.disclose_network(request.user, network, drawn)
    return drawn


@router.get("/networks", response=NetworksOut, summary="Networks in the reader's jurisdiction (supervisors)")
def network_list(request: HttpRequest, query: Query[NetworksQuery]) -> dict[str, Any]:
    require_capability(request.user, Capability.READ_NETWORKS)
    rows = selectors.network_rows(request.user, order=query.order)
    return {"items": rows, "count": len(rows)}


@router.get("/networks/{network_id}", response=NetworkOut, summary="One network as nodes and edges")
def network_detail(request: HttpRequest, network_id: int) -> dict[str, Any]:
    network = get_object_or_404(Network, pk=network_id)
    if not selectors.may_see_network(request.user, network):
        raise Http404
    drawn = selectors.graph(request.user, network)
    selectors.disclose_network(request.user, network, drawn)
    return drawn


def _match_json(m: PersonMatch) -> dict[str, Any]:
    def side(s: Suspect) -> dict[str, Any]:
        return {"id": s.pk, "case_id": s.case_id, "case_number": s.case.case_number}

    return {"id": m.pk, "left": side(m.left), "right": side(m.right), "probability": m.probability,
            "model_version": m.model_version, "status": m.status, "found_at": m.found_at}


@router.get("/matches", response=MatchesOut, summary="Person matches awaiting review that the reader may decide")
def match_list(request: HttpRequest) -> dict[str, Any]:
    require_capability(request.user, Capability.REVIEW_MATCHES)
    queue = matches.queue_for(request.user)
    return {"items": [_match_json(m) for m in queue], "count": len(queue)}


def _reviewable(request: HttpRequest, match_id: int) -> PersonMatch:
    require_capability(request.user, Capability.REVIEW_MATCHES)
    match = get_object_or_404(PersonMatch.objects.select_related("left__case", "right__case"), pk=match_id)
    if not matches.may_review(request.user, match):
        raise Http404
    return match


@router.post("/matches/{match_id}/confirm", response=MatchOut, summary="Confirm a match: the cases link")
def confirm(request: HttpRequest, match_id: int, payload: DecisionIn) -> dict[str, Any]:
    done = matches.confirm_match(actor=request.user, match=_reviewable(request, match_id), reason=payload.reason)
    return _match_json(done)


@router.post("/matches/{match_id}/reject", response=MatchOut, summary="Reject a match (reason required)")
def reject(request: HttpRequest, match_id: int, payload: DecisionIn) -> dict[str, Any]:
    done = matches.reject_match(actor=request.user, match=_reviewable(request, match_id), reason=payload.reason)
    return _match_json(done)

