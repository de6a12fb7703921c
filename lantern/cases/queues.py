"""Work queues: the case lists officers work from every day (issue 13, item 4).

A queue is a named list (selectors.named_list: my cases, awaiting my decision, overdue,
non-filing decisions, new and not yet assigned) narrowed by filters and put in an order.
Everything starts from the access policy's scope, so a filter can only narrow what the
user may see. The database sorts on narrow rows (the case id and the sort keys, the next
running clock by one grouped join); the page's cases are then loaded whole with their
columns (the clock's rule, the proposal awaiting approval, the team) in a fixed number of
queries, whatever the page size (bench/case_list_latency.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case as Choice
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.access.policy import Capability, has_capability, jurisdiction_q
from lantern.access.roles import Role
from lantern.accounts.models import Unit, User
from lantern.accounts.models.units import Branch, Level
from lantern.cases import selectors
from lantern.cases.law import FLAG_LABELS
from lantern.cases.models import Assignment, Case, Decision, DecisionKind, DecisionStatus
from lantern.cases.states import State
from lantern.core.schemas import EARLIEST_YEAR, LATEST_YEAR
from lantern.deadlines.models import RUNNING, Deadline
from lantern.deadlines.rules import BY_KEY

PAGE_SIZE = 50
COUNT_CAP = 2000  # the most cases a list page counts (QueuePaginator)
EXPORT_LIMIT = 5000

# The orders a queue can be put in. "priority" is the default of the pages: a child's case
# comes before an adult's (Lantern policy, issue 13: not a cited rule), then the clock that
# runs out soonest, then the newest report.
SORTS: dict[str, Any] = {
    "priority": gettext_lazy("Minors first, then next deadline"),
    "deadline": gettext_lazy("Next deadline, soonest first"),
    "-deadline": gettext_lazy("Next deadline, latest first"),
    "-received": gettext_lazy("Received, newest first"),
    "received": gettext_lazy("Received, oldest first"),
    "state": gettext_lazy("State, in workflow order"),
    "-state": gettext_lazy("State, reverse workflow order"),
    "case_number": gettext_lazy("Case number, ascending"),
    "-case_number": gettext_lazy("Case number, descending"),
}


@dataclass(frozen=True)
class Filters:
    """What a user narrowed a queue to; None (or empty) means "any"."""

    state: str | None = None
    flag: str | None = None
    overdue: bool | None = None
    minor: bool | None = None
    assignee: str | None = None  # a username, as the team is named elsewhere
    unit_id: int | None = None  # that unit and the units below it
    received_from: dt.date | None = None  # local calendar days, both ends included
    received_to: dt.date | None = None
    sort: str = "priority"


def _start_of(day: dt.date) -> dt.datetime:
    # Clamped to the years Lantern records (core.schemas): a bookmark saying 9999-12-31
    # narrows nothing rather than overflowing the next day's arithmetic.
    day = min(max(day, dt.date(EARLIEST_YEAR, 1, 1)), dt.date(LATEST_YEAR, 12, 31))
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _has_flag(flag: str) -> Q:
    # PostgreSQL answers containment from the JSON itself; SQLite has no JSON containment,
    # and a flag is a plain key, so its quoted form in the stored array is exact there.
    if connection.features.supports_json_field_contains:
        return Q(flags__contains=[flag])
    return Q(flags__icontains=f'"{flag}"')


def narrowed(qs: QuerySet[Case], f: Filters) -> QuerySet[Case]:
    """The queue with the user's filters applied (never widened: ``qs`` is already scoped)."""
    if f.state:
        qs = qs.filter(state=f.state)
    if f.flag:
        qs = qs.filter(_has_flag(f.flag))
    if f.minor is not None:
        qs = qs.filter(is_minor=f.minor)
    if f.overdue is not None:
        qs = qs.filter(selectors.running_late_q()) if f.overdue else qs.exclude(selectors.running_late_q())
    if f.assignee:
        qs = qs.filter(Exists(Assignment.objects.filter(case=OuterRef("pk"), active=True,
                                                        user__username=f.assignee)))
    if f.unit_id is not None:
        unit = Unit.objects.filter(pk=f.unit_id).only("path").first()
        qs = qs.filter(unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk")) if unit else qs.none()
    if f.received_from:
        qs = qs.filter(received_at__gte=_start_of(f.received_from))
    if f.received_to:
        qs = qs.filter(received_at__lt=_start_of(f.received_to) + dt.timedelta(days=1))
    return qs


def fetch(ordered_qs: QuerySet[Case], start: int, stop: int) -> list[Case]:
    """Cases ``start`` to ``stop`` of an ordered queue: the database sorts narrow rows (the
    ids and the sort keys), then loads the chosen cases whole; sorting whole rows of every
    case spilled to disk."""
    ids = list(ordered_qs.values_list("pk", flat=True)[start:stop])
    loaded = (Case.objects.select_related("victim", "unit").defer(*selectors.LIST_DEFERRED)
              .in_bulk(ids))
    return decorate([loaded[pk] for pk in ids])


def decorate(cases: list[Case]) -> list[Case]:
    """The columns of a page of cases, in three queries whatever the page size: the next
    clock and its rule, the pending proposal with its approvals so far, the team."""
    ids = [c.pk for c in cases]
    soonest: dict[int, tuple[dt.datetime, str]] = {}
    for case_id, due_at, rule in (Deadline.objects.filter(case_id__in=ids, status__in=RUNNING)
                                  .order_by("case_id", "due_at", "pk").values_list("case_id", "due_at", "rule")):
        soonest.setdefault(case_id, (due_at, rule))
    pending = {d.case_id: d for d in Decision.objects.filter(case_id__in=ids, status=DecisionStatus.PENDING)
               .annotate(votes=Count("approvals", filter=Q(approvals__approved=True)))}
    teams: dict[int, list[Any]] = {}
    for a in (Assignment.objects.filter(case_id__in=ids, active=True).select_related("user")
              .order_by("user__username")):
        teams.setdefault(a.case_id, []).append(a.user)
    for case in cases:
        case.next_due, case.next_rule = soonest.get(case.pk, (None, None))
        case.pending, case.team = pending.get(case.pk), teams.get(case.pk, [])
    return cases


class QueuePaginator(Paginator):
    """Counts the filtered cases without the sort column, and no further than COUNT_CAP:
    counting a prefecture's 160,000 cases (a million in the database) for "Page 1 of
    3,200" cost more than showing the page. Past the cap the page says "more than 2,000"
    and the pager stops there; filters narrow the list, the export has every case."""

    def __init__(self, ordered: QuerySet[Case], counted: QuerySet[Case], per_page: int) -> None:
        super().__init__(ordered, per_page)
        self._counted = counted

    @cached_property
    def count(self) -> int:
        return self._counted[:COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @cached_property
    def num_pages(self) -> int:
        return max(1, COUNT_CAP // self.per_page) if self.capped else super().num_pages

    def page(self, number: Any) -> Any:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(fetch(self.object_list, bottom, bottom + self.per_page), number, self)


def _state_rank() -> Choice:
    return Choice(*(When(state=value, then=Value(n)) for n, value in enumerate(State.values)),
                  default=Value(len(State.values)), output_field=IntegerField())


def ordered(qs: QuerySet[Case], sort: str) -> QuerySet[Case]:
    """Put the queue in order; the case id last, so that pages never overlap or skip."""
    # next_due_at is kept by the database (cases.models.Case); the first two orders read it
    # from an index (case_priority_idx, case_next_due_idx), so a page costs its own rows.
    soonest, latest = F("next_due_at").asc(nulls_last=True), F("next_due_at").desc(nulls_last=True)
    orders: dict[str, list[Any]] = {
        "priority": [F("is_minor").desc(), soonest, F("received_at").desc()],
        "deadline": [soonest], "-deadline": [latest],
        "received": [F("received_at").asc()], "-received": [F("received_at").desc()],
        "state": [_state_rank().asc()], "-state": [_state_rank().desc()],
        # Upper() (a case number is upper case already) keeps PostgreSQL off the case number's
        # own index: numbers run in units' series, so walking it for one county's cases
        # read the whole province first (3.6 s at 1,000,000); case_unit_number_idx serves.
        "case_number": [Upper("case_number").asc()], "-case_number": [Upper("case_number").desc()],
    }
    keys = orders.get(sort, orders["priority"])
    tiebreak = F("pk").desc() if sort.startswith("-") else F("pk").asc()
    return qs.order_by(*keys, tiebreak)


def matching(user: Any, which: str, filters: Filters) -> QuerySet[Case]:
    """The cases of a named list that pass the filters, unordered (for counting)."""
    return narrowed(selectors.named_list(user, which), filters).order_by()


def queue(user: Any, which: str, filters: Filters) -> QuerySet[Case]:
    """A named list, narrowed, in order (rows: ``rows`` on a slice of it)."""
    return ordered(matching(user, which, filters), filters.sort)


def paginated(user: Any, which: str, filters: Filters, per_page: int = PAGE_SIZE) -> QueuePaginator:
    return QueuePaginator(queue(user, which, filters), matching(user, which, filters), per_page)


# --- One row of a queue, as the pages, the export and the API show it -------------------

AWAITING = {
    (DecisionKind.FILE, 1): gettext_lazy("Filing: awaiting the supervisor"),
    (DecisionKind.NOT_FILE, 1): gettext_lazy("Non-filing: awaiting the supervisor"),
    (DecisionKind.NOT_FILE, 2): gettext_lazy("Non-filing: awaiting the unit head"),  # a minor's: two levels
}


def awaiting(decision: Decision | None) -> dict[str, Any] | None:
    """Which decision the case waits for: the proposal's kind and the approval level next."""
    if decision is None:
        return None
    level = min(decision.votes + 1, decision.approvals_needed)
    label = AWAITING.get((decision.kind, level), gettext_lazy("A proposal awaits approval"))
    return {"kind": decision.kind, "level": level, "label": str(label)}


def time_left(due: dt.datetime, now: dt.datetime) -> str:
    """How long a clock has left, as officers read it ("2 d 4 h"); past due, how late."""
    seconds = int(abs((due - now).total_seconds()))
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    if days:
        text = _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    elif hours:
        text = _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    else:
        text = _("%(minutes)s min") % {"minutes": minutes}
    return text if due >= now else _("overdue by %(time)s") % {"time": text}


def next_deadline(case: Case, now: dt.datetime) -> dict[str, Any] | None:
    if case.next_due is None:
        return None
    rule = BY_KEY.get(case.next_rule)
    return {"kind": case.next_rule, "title": str(rule.title) if rule else case.next_rule, "due_at": case.next_due,
            "overdue": case.next_due < now, "left": time_left(case.next_due, now)}


def row(case: Case, now: dt.datetime) -> dict[str, Any]:
    team = case.team
    return {
        "id": case.pk, "case_number": case.case_number, "state": case.state,
        "state_label": str(State(case.state).label), "received_at": case.received_at, "unit": case.unit.name,
        "victim": {"pseudonym": case.victim.pseudonym, "age_band": case.age_band, "is_minor": case.is_minor},
        "flags": case.flags, "flag_labels": [str(FLAG_LABELS.get(f, f)) for f in case.flags],
        "next_deadline": next_deadline(case, now),
        "team": [u.username for u in team], "team_names": [u.get_full_name() or u.username for u in team],
        "awaiting": awaiting(case.pending),
        "flag_tags": [(f, str(FLAG_LABELS.get(f, f))) for f in case.flags],
    }


def rows(cases: list[Case]) -> list[dict[str, Any]]:
    """The rows of a page (``fetch``ed, so with their columns)."""
    now = timezone.now()
    return [row(c, now) for c in cases]


# --- What the filter form offers: only what the user's own cases hold ---------------------

def _command_path(user: Any) -> str | None:
    """The unit tree a supervisor or unit head answers for (their cases' "unit" basis)."""
    if user.unit is None or not has_capability(user, Capability.DECIDE_FOR_UNIT):
        return None
    return user.unit.command_unit().path


def _oversees(user: Any) -> bool:
    """A prosecutor: their cases are those of the police units in their jurisdiction that
    reached them, so the filters offer those units and their investigators (reading the
    teams and units of every such case cost 250 ms at 1,000,000 cases)."""
    return user.unit is not None and user.has_role(Role.PROSECUTOR)


def assignee_choices(user: Any) -> list[tuple[str, str]]:
    """Whom the list can be narrowed to: a supervisor's investigators; a prosecutor, the
    investigators of the units they oversee; anyone else, the people on the teams of the
    cases they may see (never a list of all staff)."""
    path = _command_path(user)
    if path is not None:
        people = User.objects.filter(unit__path__startswith=path, roles__role=Role.INVESTIGATOR, is_active=True)
    elif _oversees(user):  # the investigators of the police units the procuratorate oversees
        people = User.objects.filter(jurisdiction_q(user, "unit"), roles__role=Role.INVESTIGATOR, is_active=True)
    else:
        visible = selectors.cases_for(user).order_by().values("pk")
        people = User.objects.filter(assignments__active=True, assignments__case__in=visible)
    people = people.distinct().order_by("username").only("username", "first_name", "last_name")
    return [(u.username, u.get_full_name() or u.username) for u in people]


def unit_choices(user: Any) -> list[tuple[int, str]]:
    """The units that handle cases this user may see: a supervisor's own tree, a
    prosecutor's overseen police units, or the units of the cases visible on another basis."""
    path = _command_path(user)
    if path is not None:
        units = Unit.objects.filter(path__startswith=path, branch=Branch.POLICE)
    elif _oversees(user):
        units = Unit.objects.filter(jurisdiction_q(user, "pk"), branch=Branch.POLICE)
    else:
        # The units' ids first, from the visible cases: asked as one semi-join, PostgreSQL
        # walked every unit's cases to test each against the user's ids (110 ms for an
        # investigator at a million cases, against a few ms this way).
        unit_ids = set(selectors.cases_for(user).order_by().values_list("unit_id", flat=True).distinct())
        units = Unit.objects.filter(pk__in=unit_ids)
    return list(units.exclude(level=Level.DEPARTMENT).order_by("path").values_list("pk", "name"))
