"""Link alerts: when a network changes, the investigators and supervisors of its cases are
told once each (inbox and e-mail), with the case number of theirs and nothing else: not
the other case, not what links them. What they may see, the case's links show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lantern.access.roles import Role
from lantern.cases.models import Case
from lantern.deadlines.escalation import in_unit, team
from lantern.linkage.models import Network
from lantern.notifications.services import notify


def watchers(case: Case) -> list[Any]:
    return team(case) + in_unit(case, Role.SUPERVISOR)


def link_alert(network: Network, case_ids: Iterable[int], *, actor: Any) -> None:
    told: set[int] = set() if actor is None else {actor.pk}
    for case in Case.objects.filter(pk__in=set(case_ids)).select_related("unit").order_by("received_at", "pk"):
        users = [u for u in watchers(case) if u.pk not in told]
        told |= {u.pk for u in users}
        if users:
            notify(recipients=users, kind="link_alert", case=case, params={"size": network.case_count})


def registry_alert(case: Case, *, actor: Any = None) -> None:
    users = [u for u in watchers(case) if actor is None or u.pk != actor.pk]
    if users:
        notify(recipients=users, kind="registry_hit", case=case)
