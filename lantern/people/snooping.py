"""The snooping report: reading patterns an inspector reviews weekly, from the audit log's
case.read entries (cases.reads) and break-glass openings.

- reads outside the case team: any read whose basis was not an assignment (a supervisor
  browsing the unit's files, a prosecutor, a break-glass holder);
- bulk reads: a user reading more distinct cases in one hour than BULK_CASES_PER_HOUR;
- spikes on one case: more distinct readers of a case in one day than SPIKE_READERS_PER_DAY
  (the pattern of a case in the news being looked up by curious staff).
Thresholds are data, below, so an inspectorate can tune them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from lantern.access.roles import Role
from lantern.accounts.models import User
from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case

BULK_CASES_PER_HOUR = 20
SPIKE_READERS_PER_DAY = 5


@dataclass
class UserLine:
    user_id: int
    username: str
    outside_team: int = 0          # reads of cases the user was not assigned to
    with_identity_outside: int = 0  # of which showing real identities
    break_glass: int = 0
    cases_outside: set[str] = field(default_factory=set)
    bulk_hours: list[tuple[str, int]] = field(default_factory=list)  # (hour, distinct cases)


@dataclass
class Spike:
    case_number: str
    day: str
    readers: int


@dataclass
class Report:
    since: dt.datetime
    until: dt.datetime
    users: list[UserLine]
    spikes: list[Spike]


def _reads(since: dt.datetime, until: dt.datetime, users: Any) -> list[Any]:
    """Every case read but the one returned to the officer who registered the report."""
    entries = (AuditEntry.objects.filter(action=Event.CASE_READ, at__gte=since, at__lt=until, actor_id__in=users)
               .values_list("actor_id", "object_id", "at", "details"))
    return [e for e in entries if e[3].get("purpose") != "registered"]


def _looked_up(reads: list[Any]) -> list[Any]:
    """Case pages opened (purpose "view"), for bulk reads and spikes: the case returned
    after an action is work on it, not a lookup."""
    return [r for r in reads if r[3].get("purpose", "view") == "view"]


def users_under(viewer: Any) -> Any:
    """Whose reads a viewer may review: a unit head, the members of their command unit's
    subtree; a discipline inspector, the police in their jurisdiction."""
    members = User.objects.none()
    if viewer.unit is None:
        return members.values("pk")
    if viewer.has_role(Role.UNIT_HEAD):
        members |= User.objects.filter(unit__path__startswith=viewer.unit.command_unit().path)
    if viewer.has_role(Role.DISCIPLINE_INSPECTOR):
        members |= User.objects.filter(unit__division_code__startswith=viewer.unit.jurisdiction_prefix)
    return members.values("pk")


def _bulk(reads: list[Any]) -> dict[int, list[tuple[str, int]]]:
    per_hour: dict[tuple[int, str], set[str]] = defaultdict(set)
    for actor, case_id, at, _details in reads:
        per_hour[(actor, timezone.localtime(at).strftime("%Y-%m-%d %H:00"))].add(case_id)
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for (actor, hour), cases in sorted(per_hour.items()):
        if len(cases) > BULK_CASES_PER_HOUR:
            found[actor].append((hour, len(cases)))
    return found


def _spikes(reads: list[Any], numbers: dict[str, str]) -> list[Spike]:
    per_day: dict[tuple[str, str], set[int]] = defaultdict(set)
    for actor, case_id, at, _details in reads:
        per_day[(case_id, timezone.localtime(at).date().isoformat())].add(actor)
    return [Spike(numbers.get(case_id, case_id), day, len(readers))
            for (case_id, day), readers in sorted(per_day.items()) if len(readers) > SPIKE_READERS_PER_DAY]


def build(*, viewer: Any = None, since: dt.datetime | None = None, until: dt.datetime | None = None) -> Report:
    """The report over the users ``viewer`` may review (everyone when None: the command
    line, run by the inspectorate's administrator)."""
    until = until or timezone.now()
    since = since or until - dt.timedelta(days=7)
    users = users_under(viewer) if viewer is not None else User.objects.values("pk")
    reads = _reads(since, until, users)
    case_ids = {int(r[1]) for r in reads if r[1].isdigit()}
    numbers = {str(pk): n for pk, n in Case.objects.filter(pk__in=case_ids).values_list("pk", "case_number")}
    names = dict(User.objects.filter(pk__in={r[0] for r in reads if r[0]}).values_list("pk", "username"))
    lines: dict[int, UserLine] = {}
    for actor, case_id, _at, details in reads:
        if actor is None or details.get("basis") == "assigned":
            continue
        line = lines.setdefault(actor, UserLine(actor, names.get(actor, "?")))
        line.outside_team += 1
        line.with_identity_outside += bool(details.get("identity"))
        line.break_glass += details.get("basis") == "break_glass"
        line.cases_outside.add(numbers.get(case_id, case_id))
    for actor, hours in _bulk(_looked_up(reads)).items():
        lines.setdefault(actor, UserLine(actor, names.get(actor, "?"))).bulk_hours = hours
    ordered = sorted(lines.values(), key=lambda u: (-len(u.bulk_hours), -u.outside_team, u.username))
    return Report(since, until, ordered, _spikes(_looked_up(reads), numbers))

