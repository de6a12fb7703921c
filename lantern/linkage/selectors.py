"""Reads of links and networks, as the user may see them. A linked case outside the
reader's need to know is a unit and a contact, never its number or content; opening it
needs break-glass. The graph carries pseudonyms and identifiers masked to their last four
characters, and only for what the reader may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, Verb, has_capability, scope_few, unit_subtree_q
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.access import may_see_identity
from lantern.cases.models import Case, Suspect
from lantern.cases.selectors import with_merged
from lantern.core.vault.blind import IdKind
from lantern.deadlines.escalation import team
from lantern.linkage import fuzzy, matches, networks, registry
from lantern.linkage.matching import charts
from lantern.linkage.models import LINKING_STATUSES, Network, NetworkMember, PersonMatch
from lantern.linkage.networks import LINK_KINDS
from lantern.people.identifiers import ADDABLE_KINDS, KIND_NAMES, value_of
from lantern.people.models import Identifier

GRAPH_LIMIT = 400  # nodes drawn at most; a larger network is listed, not drawn whole
GROWTH_DAYS = 30


@dataclass
class Link:
    case: Case
    visible: bool
    via: dict[str, float | None] = field(default_factory=dict)  # kind -> probability (person_match)

    @property
    def contact(self) -> str:
        return contact(self.case)

    @property
    def via_text(self) -> str:
        """What links the cases, in words: "a phone、a platform account"."""
        return "、".join(via_label(k, p) for k, p in sorted(self.via.items()))

    def json(self) -> dict[str, Any]:
        return {"case_id": self.case.pk if self.visible else None,
                "case_number": self.case.case_number if self.visible else None,
                "state": self.case.state if self.visible else None,
                "unit": self.case.unit.name, "contact": self.contact,
                "via": [{"kind": k, **({"probability": round(p, 4)} if p is not None else {})}
                        for k, p in sorted(self.via.items())]}


def via_label(kind: str, probability: float | None) -> str:
    if kind == "person_match":
        return _("a person match (probability %(p)s)") % {"p": f"{probability or 0:.3f}"}
    return {"phone": _("a phone"), "id_number": _("an ID number"), "account": _("a platform account"),
            "device": _("a device")}.get(kind, kind)


def contact(case: Case) -> str:
    """Whom to call about a case one may not open: its lead investigator and the unit's phone."""
    lead = next(iter(team(case)), None)
    parts = [(lead.get_full_name() or lead.username) if lead else "", case.unit.contact_phone]
    return ", ".join(p for p in parts if p) or case.unit.name


def match_probabilities(case_id: int) -> dict[int, float]:
    """Other cases joined to this one by a linking person match, with the best probability."""
    mine = Suspect.objects.filter(case_id__in=with_merged([case_id]))
    rows = (PersonMatch.objects.filter(Q(left__in=mine) | Q(right__in=mine), status__in=LINKING_STATUSES)
            .values_list("left__case_id", "left__case__merged_into_id", "right__case_id",
                         "right__case__merged_into_id", "probability"))  # each side as the case standing for it
    best: dict[int, float] = {}
    for left, left_master, right, right_master, probability in rows:
        for other in {left_master or left, right_master or right} - {case_id}:
            best[other] = max(best.get(other, 0.0), probability)
    return best


def links_of(user: Any, case: Case) -> list[Link]:
    """The cases that share an identifier or a linking person match with this one."""
    master = case.merged_into_id or case.pk
    via: dict[int, dict[str, float | None]] = {}
    for (kind, _digest), holding in networks.holders(networks.keys_of({master}).get(master, set())).items():
        for other in holding - {master}:
            via.setdefault(other, {})[KIND_NAMES.get(kind, kind)] = None
    for other, probability in match_probabilities(master).items():
        via.setdefault(other, {})["person_match"] = probability
    cases = Case.objects.filter(pk__in=via).select_related("unit").order_by("received_at", "pk")
    visible = set(scope_few(user, Verb.VIEW, Case.objects.filter(pk__in=via)).values_list("pk", flat=True))
    return [Link(c, c.pk in visible, via[c.pk]) for c in cases]


def hidden(links: list[Link]) -> list[int]:
    return [link.case.pk for link in links if not link.visible]


def may_see_network(user: Any, network: Network) -> bool:
    member_cases = Case.objects.filter(network_membership__network=network)
    if scope_few(user, Verb.VIEW, member_cases).exists():
        return True
    return has_capability(user, Capability.READ_NETWORKS) and member_cases.filter(
        unit_subtree_q(user, "unit")).exists()


def visible_networks(user: Any) -> Any:
    """The networks of the user's jurisdiction (a supervisor's or unit head's subtree)."""
    if not has_capability(user, Capability.READ_NETWORKS):
        return Network.objects.none()
    in_jurisdiction = NetworkMember.objects.filter(unit_subtree_q(user, "case__unit")).values("network_id")
    return Network.objects.filter(pk__in=in_jurisdiction)


def network_rows(user: Any, *, order: str = "size", limit: int = 50) -> list[dict[str, Any]]:
    since = timezone.now() - dt.timedelta(days=GROWTH_DAYS)
    rows = visible_networks(user).annotate(recent=Count("members", filter=Q(members__joined_at__gte=since)))
    rows = rows.order_by("-recent", "-case_count", "pk") if order == "growth" else rows.order_by(
        "-case_count", "-recent", "pk")
    shown = list(rows[:limit])
    units: dict[int, set[str]] = {}
    for network_id, name in NetworkMember.objects.filter(network__in=shown).values_list("network_id",
                                                                                        "case__unit__name"):
        units.setdefault(network_id, set()).add(name)
    return [{"id": n.pk, "cases": n.case_count, "joined_recently": n.recent, "created_at": n.created_at,
             "grown_at": n.grown_at, "units": sorted(units.get(n.pk, ()))} for n in shown]


def mask(raw: str) -> str:
    tail = raw.partition("|")[2] or raw  # an account: platform|handle; the platform is not secret
    platform = raw.partition("|")[0] if "|" in raw else ""
    shown = "•••" + tail[-4:] if len(tail) > 4 else "•••"
    return f"{platform} {shown}".strip()


def graph(user: Any, network: Network) -> dict[str, Any]:
    """Nodes (cases, persons, shared identifiers) and edges, as the API and the page draw them."""
    member_ids = list(network.members.values_list("case_id", flat=True))
    cases = {c.pk: c for c in Case.objects.filter(pk__in=member_ids).select_related("unit", "victim")}
    visible = set(scope_few(user, Verb.VIEW, Case.objects.filter(pk__in=member_ids)).values_list("pk", flat=True))
    rows = list(Identifier.objects.filter(case_id__in=with_merged(member_ids),
                                          kind__in=LINK_KINDS).select_related("case", "suspect"))
    holders: dict[tuple[str, str], set[int]] = {}
    for r in rows:
        holders.setdefault((r.kind, r.digest), set()).add(r.case.merged_into_id or r.case_id)
    shared = {k for k, h in holders.items() if len(h) > 1}
    nodes: dict[str, dict[str, Any]] = {}
    edges: set[tuple[str, str, str]] = set()
    hidden_ids = {pk: f"case-{i}" for i, pk in enumerate(sorted(set(cases) - visible), start=1)}

    def case_node(pk: int) -> str:
        c = cases[pk]
        if pk in visible:
            nodes.setdefault(f"case:{pk}", {"id": f"case:{pk}", "type": "case", "label": c.case_number,
                                            "state": c.state, "state_label": str(c.get_state_display()),
                                            "unit": c.unit.name, "case_id": pk})
            return f"case:{pk}"
        node = hidden_ids[pk]
        nodes.setdefault(node, {"id": node, "type": "case", "label": _("A case in %(unit)s") % {"unit": c.unit.name},
                                "state": None, "unit": c.unit.name, "case_id": None})
        return node

    numbers = suspect_numbers(visible)

    def person_node(suspect: Suspect, master: int) -> str:
        node = f"person:{suspect.pk}"
        nodes.setdefault(node, {"id": node, "type": "person", "label": _("Suspect %(n)s · %(case)s") % {
            "n": numbers.get(suspect.pk, "?"), "case": cases[master].case_number}})
        edges.add((case_node(master), node, "suspect"))
        return node

    for key in sorted(shared):
        kind = KIND_NAMES.get(key[0], key[0])
        id_node = f"identifier:{sum(1 for n in nodes if n.startswith('identifier:')) + 1}"
        seen_raw = ""
        for r in (r for r in rows if (r.kind, r.digest) == key):
            master = r.case.merged_into_id or r.case_id
            if master in visible and r.suspect is not None:
                edges.add((person_node(r.suspect, master), id_node, kind))
                seen_raw = seen_raw or value_of(r, r.suspect)
            elif master in visible and r.role == "victim":
                person = f"victim:{master}"
                nodes.setdefault(person, {"id": person, "type": "person", "label": cases[master].victim.pseudonym})
                edges.add((case_node(master), person, "victim"))
                edges.add((person, id_node, kind))
            else:
                edges.add((case_node(master), id_node, kind))
        nodes[id_node] = {"id": id_node, "type": "identifier", "kind": kind,
                          "label": f"{_kind_label(kind)} {mask(seen_raw) if seen_raw else '•••'}"}
    for left, right, _probability in _matches(member_ids):
        ends = [(s, s.case.merged_into_id or s.case_id) for s in (left, right)]
        if all(master in visible for _s, master in ends):
            edges.add((person_node(left, ends[0][1]), person_node(right, ends[1][1]), "person_match"))
        else:  # a side the reader may not see: the match joins the two cases
            edges.add((case_node(ends[0][1]), case_node(ends[1][1]), "person_match"))
    for pk in cases:
        case_node(pk)
    drawn = list(nodes.values())[:GRAPH_LIMIT]
    ids = {n["id"] for n in drawn}
    return {"network_id": network.pk, "case_count": network.case_count, "truncated": len(nodes) > GRAPH_LIMIT,
            "nodes": drawn, "edges": [{"source": s, "target": t, "kind": k} for s, t, k in sorted(edges)
                                      if s in ids and t in ids]}


def _matches(case_ids: list[int]) -> list[tuple[Suspect, Suspect, float]]:
    pairs = (PersonMatch.objects.filter(left__case_id__in=case_ids, status__in=LINKING_STATUSES)
             .select_related("left__case", "right__case"))
    return [(m.left, m.right, m.probability) for m in pairs]


def suspect_numbers(case_ids: set[int]) -> dict[int, int]:
    """Each suspect's number within its case (1, 2, ... in the order they were recorded)."""
    rows = Suspect.objects.filter(case_id__in=case_ids).order_by("case_id", "pk").values_list("case_id", "pk")
    return {pk: n for _case, group in groupby(rows, key=itemgetter(0)) for n, (_c, pk) in enumerate(group, start=1)}


def _kind_label(kind: str) -> str:
    """An identifier kind as the API names it, in the blind index's own words."""
    return str(IdKind(ADDABLE_KINDS[kind]).label) if kind in ADDABLE_KINDS else kind


def case_section(case: Case, user: Any, *, identity: bool) -> dict[str, Any]:
    """The case page's "Linked cases" section (a disclosure of hidden cases is audited)."""
    links = links_of(user, case)
    disclose(user, case, links)
    network = networks.network_of(case)
    return {"links": links, "network": network, "network_graph": graph(user, network) if network else None,
            "registry_hits": registry.hits_for(case) if may_see_registry(user, case) else [],
            "pending_matches": pending_for_case(case) if identity else 0}


def pending_for_case(case: Case) -> int:
    mine = Suspect.objects.filter(case=case)
    return PersonMatch.objects.filter(Q(left__in=mine) | Q(right__in=mine), status="pending").count()


def disclose(user: Any, case: Case, links: list[Link]) -> None:
    """Telling a reader that cases they may not open exist (unit and contact) is recorded."""
    if hidden(links):
        record(actor=user, action=Event.LINKAGE_LINKS_DISCLOSED, obj=case, details={"cases": hidden(links)})


def disclose_network(user: Any, network: Network, drawn: dict[str, Any]) -> None:
    hidden_cases = [n for n in drawn["nodes"] if n["type"] == "case" and n["case_id"] is None]
    if hidden_cases:
        record(actor=user, action=Event.LINKAGE_LINKS_DISCLOSED, object_type="linkage.network",
               object_id=str(network.pk), details={"network": network.pk, "hidden": len(hidden_cases)})


def _person(s: Suspect) -> dict[str, Any]:
    return {"id": s.pk, "case_id": s.case_id, "case_number": s.case.case_number, "name": s.name,
            "sex": s.get_sex_display() if s.sex else "", "date_of_birth": s.date_of_birth,
            "phone": mask(s.phone) if s.phone else "", "id_number": mask(s.id_number) if s.id_number else ""}


CHARTS_ON_A_PAGE = 20  # waterfall charts drawn for the first matches of the queue


def queue_rows(user: Any) -> list[dict[str, Any]]:
    """The review queue as the page shows it: both records side by side (the reviewer may see
    both identities, matches.may_review), the probability and the model's version, and for
    the first matches Splink's waterfall chart of how the model weighed them (levels and
    weights, no values)."""
    queue = matches.queue_for(user)
    records = fuzzy.records_of([s for m in queue[:CHARTS_ON_A_PAGE] for s in (m.left, m.right)])
    rows = []
    for n, m in enumerate(queue):
        row = {"match": m, "left": _person(m.left), "right": _person(m.right)}
        if n < CHARTS_ON_A_PAGE:
            row["chart"] = charts.waterfall_chart(records[m.left_id], records[m.right_id])
            row["chart_id"] = f"waterfall-{m.pk}"
        rows.append(row)
    return rows


def model_chart() -> dict[str, Any]:
    """The current model's match weights (Splink's chart): what each level of each comparison counts."""
    return charts.chart_context(charts.match_weights_chart(), "match-weights")


def may_see_registry(user: Any, case: Case) -> bool:
    """A registry hit names a conviction: the case's team and those above it, not every reader."""
    return may_see_identity(user, case)
