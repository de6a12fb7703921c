"""Networks: the connected components of the graph whose nodes are cases and whose edges
are what their people share (an identifier in force, a person match that links). Kept
current as identifiers arrive: ``connect`` unites the networks a new link touches (the
smaller ones move into the largest), so nothing is recomputed per request; only a link
withdrawn (an identifier marked wrong, a match rejected) recomputes that one network,
which may then split."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from lantern.cases.models import Case, Suspect
from lantern.cases.selectors import with_merged
from lantern.core.vault.blind import IdKind
from lantern.linkage.models import LINKING_STATUSES, Network, NetworkMember, PersonMatch
from lantern.people.models import Identifier

# The identifiers that link cases: a person's own numbers and accounts. A victim's name with
# a date of birth is the duplicate check's (one crime reported twice), not a network's.
LINK_KINDS = (IdKind.PHONE, IdKind.ID_NUMBER, IdKind.HANDLE, IdKind.DEVICE)
Key = tuple[str, str]


def masters(case_ids: Iterable[int]) -> dict[int, int]:
    """Each case id and the case that stands for it: a merged report counts as the case it
    was merged into (merges are one level deep)."""
    pairs = Case.objects.filter(pk__in=set(case_ids)).values_list("pk", "merged_into_id")
    return {pk: master or pk for pk, master in pairs}


def keys_of(case_ids: Iterable[int]) -> dict[int, set[Key]]:
    """The linking identifiers in force of these cases (and of the reports merged into them)."""
    ids = set(case_ids)
    rows = (Identifier.objects.filter(case_id__in=with_merged(ids), kind__in=LINK_KINDS)
            .values_list("case_id", "case__merged_into_id", "kind", "digest"))
    found: dict[int, set[Key]] = {}
    for case_id, master, kind, value in rows:
        found.setdefault(master or case_id, set()).add((kind, value))
    return found


def holders(keys: Iterable[Key]) -> dict[Key, set[int]]:
    """Which (surviving) cases hold each of these identifiers."""
    by_kind: dict[str, set[str]] = {}
    for kind, value in keys:
        by_kind.setdefault(kind, set()).add(value)
    if not by_kind:
        return {}
    query = Q()
    for kind, values in by_kind.items():
        query |= Q(kind=kind, digest__in=values)
    # Each holder as the case that stands for it (a merged report's case), in the same read.
    rows = Identifier.objects.filter(query).values_list("kind", "digest", "case_id", "case__merged_into_id")
    found: dict[Key, set[int]] = {}
    for kind, value, case_id, master in rows:
        found.setdefault((kind, value), set()).add(master or case_id)
    return found


def matched_cases(case_ids: Iterable[int]) -> dict[int, set[int]]:
    """Cases joined to these by a person match that links (automatic or confirmed)."""
    ids = set(case_ids)
    suspects = Suspect.objects.filter(case_id__in=ids)
    rows = (PersonMatch.objects.filter(Q(left__in=suspects) | Q(right__in=suspects), status__in=LINKING_STATUSES)
            .values_list("left__case_id", "right__case_id"))
    stand_for = masters({c for pair in rows for c in pair})
    found: dict[int, set[int]] = {}
    for left, right in rows:
        a, b = stand_for[left], stand_for[right]
        if a != b:
            found.setdefault(a, set()).add(b)
            found.setdefault(b, set()).add(a)
    return found


def network_of(case: Case) -> Network | None:
    member = NetworkMember.objects.filter(case_id=case.merged_into_id or case.pk).select_related("network").first()
    return member.network if member else None


def connect(case_ids: set[int], now: dt.datetime) -> tuple[Network, set[int]]:
    """Put these cases (linked to each other) in one network: the largest of the networks
    they are in takes the others' members. Returns the network and the cases whose
    network-mates changed (every case of it, unless nothing new joined)."""
    members = list(NetworkMember.objects.select_for_update().filter(case_id__in=case_ids))
    networks = {n.pk: n for n in Network.objects.select_for_update().filter(pk__in={m.network_id for m in members})
                .order_by("pk")}
    outside = case_ids - {m.case_id for m in members}
    if len(networks) == 1 and not outside:
        return next(iter(networks.values())), set()
    target = max(networks.values(), key=lambda n: (n.case_count, -n.pk), default=None)
    if target is None:
        target = Network.objects.create(created_at=now, grown_at=now)
    absorbed = [pk for pk in networks if pk != target.pk]
    if absorbed:
        NetworkMember.objects.filter(network_id__in=absorbed).update(network=target, joined_at=now)
        Network.objects.filter(pk__in=absorbed).delete()
    NetworkMember.objects.bulk_create([NetworkMember(network=target, case_id=c, joined_at=now) for c in outside])
    target.case_count = target.members.count()
    target.grown_at = now
    target.save(update_fields=["case_count", "grown_at"])
    return target, set(target.members.values_list("case_id", flat=True))


def components(case_ids: set[int]) -> list[set[int]]:
    """The connected components of these cases, by identifiers in force and linking matches."""
    parent = {c: c for c in case_ids}

    def find(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    def union(a: int, b: int) -> None:
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    by_key: dict[Key, list[int]] = {}
    for case_id, keys in keys_of(case_ids).items():
        for key in keys:
            by_key.setdefault(key, []).append(case_id)
    for sharing in by_key.values():
        for other in sharing[1:]:
            union(sharing[0], other)
    for case_id, others in matched_cases(case_ids).items():
        for other in others:
            union(case_id, other)
    groups: dict[int, set[int]] = {}
    for c in case_ids:
        groups.setdefault(find(c), set()).add(c)
    return sorted(groups.values(), key=len, reverse=True)


def recompute(network: Network, now: dt.datetime) -> list[Network]:
    """After a link was withdrawn: the network's own cases, regrouped. The largest part keeps
    the network; other parts of two or more cases become networks of their own; a case left
    alone leaves. Returns the networks that now hold its former cases."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    parts = components(set(network.members.values_list("case_id", flat=True)))
    kept, rest = (parts[0], parts[1:]) if parts and len(parts[0]) > 1 else (set(), parts)
    NetworkMember.objects.filter(network=network).exclude(case_id__in=kept).delete()
    result = []
    for part in rest:
        if len(part) > 1:
            split = Network.objects.create(created_at=now, grown_at=now, case_count=len(part))
            NetworkMember.objects.bulk_create([NetworkMember(network=split, case_id=c, joined_at=now) for c in part])
            result.append(split)
    if kept:
        network.case_count = len(kept)
        network.save(update_fields=["case_count"])
        result.insert(0, network)
    else:
        network.delete()
    return result
