"""Fuzzy person matching at intake: a suspect the case learns of (at intake, or identified
later) is scored against the persons already known, with the stored model and without
retraining. Candidates are found by blocking keys kept as keyed hashes (PersonKey), so
no one else's record is decrypted but the few the keys point at; their plaintext stays in
memory (matching.scoring runs DuckDB in memory) and what is kept is ids and a probability.
Above the high threshold the match links the cases; between, it waits for review."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases.models import Suspect
from lantern.core.vault.blind import IdKind, digest, keyed
from lantern.linkage import matches, networks, registry
from lantern.linkage.matching import scoring, sources
from lantern.linkage.matching.artefacts import current_model
from lantern.linkage.matching.records import PersonRecord
from lantern.linkage.models import MatchStatus, PersonKey, PersonMatch, RegistryEntry
from lantern.people.models import Identifier

CANDIDATES = 50  # persons scored at most per new suspect (those sharing the most blocking keys first)


def records_of(suspects: list[Suspect]) -> dict[int, PersonRecord]:
    """The suspects as matching sees them: a phone or ID number marked wrong is left out
    (it stays in the suspect's column as recorded at intake, and in the history)."""
    in_force = set(Identifier.objects.filter(suspect__in=suspects, kind__in=(IdKind.PHONE, IdKind.ID_NUMBER))
                   .values_list("suspect_id", "kind", "digest"))
    found = {}
    for s in suspects:
        r = sources.suspect_record(s)
        phone = r.phone if (s.pk, IdKind.PHONE, digest(IdKind.PHONE, r.phone)) in in_force else ""
        number = r.id_number if (s.pk, IdKind.ID_NUMBER, digest(IdKind.ID_NUMBER, r.id_number)) in in_force else ""
        found[s.pk] = dataclasses.replace(r, phone=phone, id_number=number)
    return found


def keys_of(suspect: Suspect, person: PersonRecord | None = None) -> list[tuple[str, str]]:
    person = person or records_of([suspect])[suspect.pk]
    return [(rule, keyed(rule, value)) for rule, value in scoring.blocking_keys(person)]


def store_keys(suspect: Suspect, keys: list[tuple[str, str]]) -> None:
    """The suspect's blocking keys as they are now (a later detail replaces the old keys)."""
    PersonKey.objects.filter(suspect=suspect).delete()
    PersonKey.objects.bulk_create([PersonKey(suspect=suspect, rule=r, digest=d) for r, d in set(keys)])


def candidates(suspect: Suspect, keys: list[tuple[str, str]]) -> list[Suspect]:
    if not keys:
        return []
    query = Q()
    for rule, value in keys:
        query |= Q(rule=rule, digest=value)
    # Those who share the most blocking keys first: a common name alone brings many.
    ids = (PersonKey.objects.filter(query).exclude(suspect__case_id=suspect.case_id).values("suspect_id")
           .annotate(shared=Count("pk")).order_by("-shared", "suspect_id").values_list("suspect_id", flat=True)
           [:CANDIDATES])
    return list(Suspect.objects.filter(pk__in=list(ids)).select_related("case"))


def match_suspects(suspects: Iterable[Suspect], *, actor: Any) -> None:
    for suspect in suspects:
        person = records_of([suspect])[suspect.pk]
        keys = keys_of(suspect, person)
        store_keys(suspect, keys)
        found = candidates(suspect, keys) if has_details(person) else []
        if not found:
            continue
        by_id = {str(s.pk): s for s in found}
        model = current_model()
        scored = scoring.score([person], list(records_of(found).values()), model=model,
                               population=max(population(), model.trained_on))
        kept = [(by_id[m.right_id], m.probability) for m in scored
                if m.right_id in by_id and scoring.thresholds().decision(m.probability) != "none"]
        for other, probability in kept:
            matches.record_match(suspect, other, probability, model_version=model.version, actor=actor)
        sure = {other.pk: probability for other, probability in kept
                if scoring.thresholds().decision(probability) == "link"}
        for entry in RegistryEntry.objects.filter(suspect_id__in=sure) if sure else []:
            registry.flag(suspect.case.merged_into or suspect.case, suspect, entry, via="person_match",
                          probability=sure[entry.suspect_id])


def on_indexed(*, case: Any, rows: Iterable[Any], actor: Any) -> None:
    """Subscribed to people.events.indexed after the exact links (LinkageConfig.ready)."""
    match_suspects(suspects_to_match(case, rows), actor=actor)


def suspects_to_match(case: Any, rows: Iterable[Any]) -> list[Suspect]:
    """The suspects an indexing touched, and the case's suspects never matched yet (one known
    by name only has no identifier row)."""
    touched = {r.suspect_id for r in rows if r.suspect_id}
    keyed = set(PersonKey.objects.filter(suspect__case=case).values_list("suspect_id", flat=True))
    return [s for s in Suspect.objects.filter(case=case).select_related("case") if s.pk in touched or s.pk not in keyed]


def population() -> int:
    """How many persons a new one is matched among (the model's prior falls with it): a
    count cached for ten minutes, since counting a million rows per intake costs more
    than the scoring."""
    found = cache.get("linkage:population")
    if found is None:
        found = Suspect.objects.count()
        cache.set("linkage:population", found, 600)
    return found


def has_details(person: PersonRecord) -> bool:
    """A name, a date of birth or an identifier: with none, two records agree on nothing."""
    return bool(person.name or person.surname or person.date_of_birth or person.phone or person.id_number)


def still_holds(left: PersonRecord, right: PersonRecord, model: Any) -> bool:
    if not (has_details(left) and has_details(right)):
        return False
    again = scoring.score([left], [right], model=model, population=max(population(), model.trained_on))
    return bool(again) and scoring.thresholds().decision(again[0].probability) != "none"


def on_retracted(*, row: Any, actor: Any) -> None:
    """A suspect's phone or ID number marked wrong: the matches that rested on it are scored
    again without it; an automatic or queued one that no longer holds is withdrawn (a
    confirmed one stays: an investigator judged it on both records)."""
    if row.suspect_id is None or row.kind not in (IdKind.PHONE, IdKind.ID_NUMBER):
        return
    suspect = Suspect.objects.select_related("case").get(pk=row.suspect_id)
    store_keys(suspect, keys_of(suspect))
    open_matches = list(PersonMatch.objects.filter(Q(left=suspect) | Q(right=suspect),
                                                   status__in=(MatchStatus.LINKED, MatchStatus.PENDING))
                        .select_related("left__case", "right__case"))
    if not open_matches:
        return
    others = [m.right if m.left_id == suspect.pk else m.left for m in open_matches]
    people = records_of([suspect, *others])
    model = current_model()
    unlinked = False
    for match, other in zip(open_matches, others, strict=True):
        if still_holds(people[suspect.pk], people[other.pk], model):
            continue
        unlinked |= match.status == MatchStatus.LINKED
        match.status, match.decided_at = MatchStatus.WITHDRAWN, timezone.now()
        match.save(update_fields=["status", "decided_at"])
        record(actor=actor, action=Event.LINKAGE_MATCH_WITHDRAWN, obj=suspect.case,
               details={"match": match.pk, "persons": [match.left_id, match.right_id]})
    network = networks.network_of(suspect.case)
    if unlinked and network is not None:
        networks.recompute(network, timezone.now())
