"""The snooping report: reading patterns an inspector reviews weekly, from the audit log's
case.read entries (cases.reads) and break-glass openings.

- reads outside the case team: any read whose basis was not an assignment (a supervisor
  browsing the unit's files, a prosecutor, a break-glass holder);
- bulk reads: a user reading more distinct cases in one hour than BULK_CASES_PER_HOUR;
- spikes on one case: more distinct readers of a case in one day than SPIKE_READERS_PER_DAY
  (the pattern of a case in the news being looked up by curious staff).
Thresholds are data, below, so an inspectorate can tune them. The database does the
counting, one grouped query for each of the three: a week's reads stay in it and only
the lines of the report come back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, TruncDate, TruncHour
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


def _reads(since: dt.datetime, until: dt.datetime, users: Any) -> QuerySet[AuditEntry]:
    """Every case read but the one returned to the officer who registered the report,
    with its purpose and basis as columns (a missing purpose is a page opened: "view")."""
    return (AuditEntry.objects.filter(action=Event.CASE_READ, at__gte=since, at__lt=until, actor_id__in=users)
            .annotate(purpose=Coalesce(KT("details__purpose"), Value("view"), output_field=TextField()),
                      basis=Coalesce(KT("details__basis"), Value(""), output_field=TextField()))
            .exclude(purpose="registered").order_by())


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


def _outside(reads: QuerySet[AuditEntry]) -> tuple[dict[int, dict[str, int]], dict[int, set[str]]]:
    """Per user, the reads whose basis was not an assignment: counted, and the cases read.
    One grouped query by user and case (the week read once, not once for the counts and
    again for the cases), summed per user here."""
    rows = reads.exclude(basis="assigned").values("actor_id", "object_id").annotate(
        n=Count("id"), identity=Count("id", filter=Q(details__identity=True)),
        break_glass=Count("id", filter=Q(basis="break_glass"))).values_list(
        "actor_id", "object_id", "n", "identity", "break_glass")
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    cases: dict[int, set[str]] = defaultdict(set)
    for actor, case_id, n, identity, break_glass in rows:
        line = totals[actor]
        line[0] += n
        line[1] += identity
        line[2] += break_glass
        cases[actor].add(case_id)
    counts = {actor: {"n": n, "identity": identity, "break_glass": glass}
              for actor, (n, identity, glass) in totals.items()}
    return counts, cases


def _bulk(reads: QuerySet[AuditEntry]) -> dict[int, list[tuple[str, int]]]:
    """Hours (local time) in which a user looked up more distinct cases than the threshold."""
    hours = (reads.filter(purpose="view").annotate(hour=TruncHour("at")).values("actor_id", "hour")
             .annotate(n=Count("object_id", distinct=True)).filter(n__gt=BULK_CASES_PER_HOUR))
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in hours:
        found[row["actor_id"]].append((timezone.localtime(row["hour"]).strftime("%Y-%m-%d %H:00"), row["n"]))
    return {actor: sorted(found[actor]) for actor in found}


def _spikes(reads: QuerySet[AuditEntry]) -> list[tuple[str, str, int]]:
    """(case id, local day, readers) where one case was looked up by more distinct
    readers in a day than the threshold."""
    days = (reads.filter(purpose="view").annotate(day=TruncDate("at")).values("object_id", "day")
            .annotate(readers=Count("actor_id", distinct=True)).filter(readers__gt=SPIKE_READERS_PER_DAY))
    return sorted((row["object_id"], row["day"].isoformat(), row["readers"]) for row in days)


def _case_numbers(case_ids: set[str]) -> dict[str, str]:
    """Case numbers of the cases the report names (read outside the team, and the spikes).
    The ids go as one array parameter (core.lookups): a week's 17,000 ids as one parameter
    each cost half a second at 100,000 cases, and a subquery read the week once more."""
    wanted = sorted({int(c) for c in case_ids if c.isascii() and c.isdigit() and len(c) <= 18})  # not "x-1"
    named = Case.objects.filter(pk__any_of=wanted).order_by().values_list("pk", "case_number")
    return {str(pk): n for pk, n in named}


def build(*, viewer: Any = None, since: dt.datetime | None = None, until: dt.datetime | None = None) -> Report:
    """The report over the users ``viewer`` may review (everyone when None: the command
    line, run by the inspectorate's administrator). Counted by the database: a week of
    reads is never loaded row by row."""
    until = until or timezone.now()
    since = since or until - dt.timedelta(days=7)
    users = users_under(viewer) if viewer is not None else User.objects.values("pk")
    reads = _reads(since, until, users)
    counts, cases = _outside(reads)
    bulk, spikes = _bulk(reads), _spikes(reads)
    numbers = _case_numbers(set().union(*cases.values()) | {case_id for case_id, _day, _n in spikes})
    names = dict(User.objects.filter(pk__in=set(counts) | set(bulk)).values_list("pk", "username"))
    lines = {}
    for actor in set(counts) | set(bulk):
        row = counts.get(actor, {})
        lines[actor] = UserLine(actor, names.get(actor, "?"), outside_team=row.get("n", 0),
                                with_identity_outside=row.get("identity", 0), break_glass=row.get("break_glass", 0),
                                cases_outside={numbers.get(c, c) for c in cases.get(actor, ())},
                                bulk_hours=bulk.get(actor, []))
    ordered = sorted(lines.values(), key=lambda u: (-len(u.bulk_hours), -u.outside_team, u.username))
    return Report(since, until, ordered, [Spike(numbers.get(c, c), day, n) for c, day, n in spikes])
