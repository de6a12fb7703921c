"""Reads of the privacy records: whether a case is sealed, and the break-glass openings a
supervisor may review."""

from __future__ import annotations

from typing import Any

from lantern.access.policy import Capability, Verb, has_capability, scope_few
from lantern.people.models import BreakGlass, Seal


def reviewable(user: Any) -> Any:
    """Break-glass openings this user may review: by members of their unit subtree, not
    their own."""
    if not has_capability(user, Capability.REVIEW_BREAK_GLASS) or user.unit is None:
        return BreakGlass.objects.none()
    return (BreakGlass.objects.filter(user__unit__path__startswith=user.unit.command_unit().path)
            .exclude(user=user).select_related("user", "case").order_by("review_status", "-opened_at"))


def is_sealed(case: Any) -> bool:
    return Seal.objects.filter(case=case, lifted_at__isnull=True).exists()


def identifier_json(row: Any, suspect: Any, *, identity: bool) -> dict[str, Any]:
    """One identifier of a person; its value (and a platform account's platform) and the
    reason it was marked wrong only for those who may see identities."""
    from lantern.people.identifiers import KIND_NAMES, value_of

    out: dict[str, Any] = {
        "id": row.pk, "person_id": row.suspect_id, "case_id": row.case_id, "kind": KIND_NAMES.get(row.kind, row.kind),
        "added_at": row.added_at, "added_by": row.added_by.username if row.added_by else None,
        "in_force": row.retracted_at is None, "retracted_at": row.retracted_at,
        "retracted_by": row.retracted_by.username if row.retracted_by else None}
    if identity:
        raw = value_of(row, suspect)
        platform, sep, account = raw.partition("|") if row.kind == "handle" else ("", "", raw)
        out.update(value=account if sep else raw, platform=platform or None,
                   retraction_reason=row.retraction_reason or None)
    return out


def linked_cases(suspect: Any, user: Any) -> list[dict[str, Any]]:
    """Other cases sharing an identifier in force with this person, found by blind index:
    those this user may see, by number, with the kinds they share."""
    return linked_cases_each([suspect], user)[suspect.pk]


def linked_cases_each(suspects: Any, user: Any) -> dict[int, list[dict[str, Any]]]:
    """``linked_cases`` for each of several suspects (by pk): the case page's suspects in
    three queries, not three per suspect."""
    from lantern.cases.models import Case
    from lantern.people.identifiers import KIND_NAMES, cases_linked_to_each

    shared = cases_linked_to_each(suspects)
    wanted = {case_id for cases in shared.values() for case_id in cases}
    if not wanted:
        return {pk: [] for pk in shared}
    visible = list(scope_few(user, Verb.VIEW, Case.objects.filter(pk__in=wanted)).order_by("received_at"))
    return {pk: [{"id": c.pk, "case_number": c.case_number, "via": sorted(KIND_NAMES.get(k, k) for k in cases[c.pk])}
                 for c in visible if c.pk in cases]
            for pk, cases in shared.items()}
