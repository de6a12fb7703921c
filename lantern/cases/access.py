"""Who may see a case (need to know), registered with the one access policy.

- intake officers: reports their own unit registered, while still at intake (RECEIVED)
  and still with the unit above the station;
- investigators: cases they are assigned to;
- supervisors and unit heads: cases of their command unit and the units below it, and
  (basis "transfer", pseudonyms only) a case another unit asks theirs to take, while the
  request waits; the unit that transferred a case away keeps no access to it;
- prosecutors: cases in their procuratorate's jurisdiction that reached oversight, and a
  minors' office every case with a minor victim in its jurisdiction;
- a basis a higher app registers (people: an open break-glass grant);
- a merged report: whoever may see the case it was merged into, on that case's basis;
- nobody else (administrators, analysts, partners see no case by this rule);
and a case under a restriction a higher app registers (people: a seal) only those the
restriction lets through. Registration happens in the higher app's AppConfig.ready, so
this module never imports it.
What a user may *do* to a visible case is the workflow table's business (workflow.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as Choice
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.lookups import IsNull

from lantern.access.policy import (
    CAPABILITIES,
    Capability,
    Verb,
    jurisdiction_q,
    register,
    register_rule,
    unit_subtree_q,
)
from lantern.access.roles import Role
from lantern.cases.models import (
    Assignment,
    Case,
    CaseTransfer,
    NoticeDelivery,
    Proceeding,
    Suspect,
    TransferStatus,
)
from lantern.cases.states import State
from lantern.core import memo
from lantern.core.registry import Hook

# Who may open a case by break-glass: police and prosecutors, never administrators,
# analysts or partners (they have no business in a case file at all).
BREAK_GLASS_ROLES = CAPABILITIES[Capability.BREAK_GLASS]
IDENTITY_BASES = frozenset({"assigned", "unit", "break_glass"})
# Break-glass shows identities only to roles that see them on their own cases: a
# prosecutor or an intake officer opening a case by break-glass still sees pseudonyms.
IDENTITY_ROLES = frozenset({Role.INVESTIGATOR, Role.SUPERVISOR, Role.UNIT_HEAD})


def _prosecutor_q(user: Any) -> Q:
    if user.unit is None:
        return Q(pk__in=[])
    # A supervision opened or an arrest approval requested (CPL art. 87) brings the case to
    # the procuratorate (Case.procuratorate_involved, kept by the database) ...
    reached = Q(procuratorate_involved=True)
    # ... and so does sending it for prosecution (CPL art. 162).
    reached |= Q(state__in=[State.SENT_FOR_PROSECUTION, State.PROSECUTED, State.NOT_PROSECUTED, State.JUDGED])
    if user.unit.handles_minors:
        reached |= Q(is_minor=True)
    return jurisdiction_q(user, "unit") & reached


# The most case ids a basis writes into the query (as_ids); past it, its subquery stays.
# Up to IN_LIST_IDS they are an IN list; past it one array parameter (core.lookups), which
# costs Python no work per id. Measured at a million generated cases: the array for every
# list made a prefecture head's lists by number 2-4x slower (its 2,500 merged reports), while
# for an investigator's 5,500 assignments, which fell back to the subquery at 5,000, it
# halved the paged API list (208 -> 107-119 ms).
IN_LIST_IDS = 5000
LITERAL_IDS = 20000
# A search's queries (keyed_case_q) take arrays from 1,000 ids: measured at a million cases,
# a prefecture head's 2,500 merged reports as one array made its searches 99-165 -> 66-79 ms
# p50, and a supervisor's 529 as an array made them 35-49 -> 57-67, so those stay IN lists.
KEYED_IN_LIST_IDS = 1000


def as_ids(q: Q, *, in_list_ids: int | None = None) -> Q:
    """The cases ``q`` selects, as a list of ids written into the query. A basis is checked
    against every case a list could show; as a subquery under an OR PostgreSQL can
    neither estimate it nor use an index for it, and read all cases for every list (1.5 s
    for a prosecutor at 100,000 cases). A list of ids it reads from the primary key, and
    an OR of such lists and of unit lists becomes a BitmapOr of index scans. The bases
    that go through here are small (a user's assignments, the reports at their desk, a
    pending transfer, break-glass, seals, merged reports); a larger one keeps its subquery."""
    ids = list(Case.objects.filter(q).order_by().values_list("pk", flat=True)[:LITERAL_IDS + 1])
    if len(ids) > LITERAL_IDS:
        return q
    most = IN_LIST_IDS if in_list_ids is None else in_list_ids
    return Q(pk__any_of=ids) if len(ids) > most else Q(pk__in=ids)


def _as_array(q: Q) -> Q:
    return as_ids(q, in_list_ids=KEYED_IN_LIST_IDS)


def _plain(q: Q) -> Q:
    return q


def _transfer_q(user: Any, ids: Callable[[Q], Q]) -> Q:
    """A case another unit asks this supervisor's or head's unit to take, while the request
    waits: seen (pseudonymised) to decide on it. A transfer decided, either way, opens
    nothing: the sending unit keeps the transfer record and its audit entries, not the case."""
    if user.unit is None:
        return Q(pk__in=[])
    waiting = CaseTransfer.objects.filter(status=TransferStatus.PENDING, to_unit=user.unit.command_unit())
    return ids(Q(pk__in=waiting.values("case_id")))


@dataclass(frozen=True)
class Basis:
    """A further reason to see a case: ``q`` gives the cases it opens to a user, or None
    when it does not apply to them."""

    name: str
    q: Callable[[Any], Q | None]


@dataclass(frozen=True)
class Restriction:
    """Hides cases whatever the basis: ``hides`` gives the cases closed to a user,
    ``in_force`` says whether it applies to one case (shown on the case and in its read
    audit as ``name``)."""

    name: str
    hides: Callable[[Any], Q]
    in_force: Callable[[Any], bool]


BASES: Hook[Basis] = Hook("case access bases")
RESTRICTIONS: Hook[Restriction] = Hook("case access restrictions")
register_basis = BASES.register
register_restriction = RESTRICTIONS.register


def _bases(user: Any, *, literal: bool = True) -> list[tuple[str, Q]]:
    """Why a user may see a case, most specific first: the snooping report and the read
    audit name the basis, so reads outside the case team stand out. For the lists
    (``literal``) the small bases are read as ids (as_ids), once per read-only request
    (core.memo); a question about one case keeps them as subqueries, which cost that
    case's row nothing, where reading the ids cost every action five round trips."""
    return memo.remembered(("case bases", user.pk, literal),
                           lambda: _work_out_bases(user, as_ids if literal else _plain))


def _work_out_bases(user: Any, ids: Callable[[Q], Q]) -> list[tuple[str, Q]]:
    roles = user.role_set
    bases = []
    if Role.INVESTIGATOR in roles:
        bases.append(("assigned", ids(Q(pk__in=Assignment.objects.filter(user=user, active=True)
                                               .values("case_id")))))
    if Role.INTAKE_OFFICER in roles and user.unit is not None:
        # ... while the case is still with the unit above their station (not once transferred away).
        bases.append(("intake", ids(Q(intake_unit=user.unit, state=State.RECEIVED,
                                      intake_unit__path__startswith=F("unit__path")))))
    if roles & CAPABILITIES[Capability.DECIDE_FOR_UNIT]:
        bases.append(("unit", unit_subtree_q(user, "unit")))
        bases.append(("transfer", _transfer_q(user, ids)))
    if Role.PROSECUTOR in roles:
        bases.append(("prosecutor", _prosecutor_q(user)))
    for extra in BASES:
        extra_q = extra.q(user)
        if extra_q is not None:  # a registered basis is an exception (break-glass): few cases
            bases.append((extra.name, ids(extra_q)))
    return bases


def seal_q(user: Any, *, literal: bool = True) -> Q:
    """The cases no registered restriction hides from this user (a seal hides a case from
    every role it does not name, whatever the basis, break-glass included). A seal is
    rare: for the lists its few cases are ids (``literal``)."""
    return memo.remembered(("case seals", user.pk, literal),
                           lambda: _work_out_seals(user, as_ids if literal else _plain))


def _work_out_seals(user: Any, ids: Callable[[Q], Q]) -> Q:
    q = Q()
    for restriction in RESTRICTIONS:
        q &= ~ids(restriction.hides(user))
    return q


def restrictions_in_force(case: Any) -> set[str]:
    return {r.name for r in RESTRICTIONS if r.in_force(case)}


def _any_basis_q(user: Any, *, literal: bool = True) -> Q:
    return _or_of(_bases(user, literal=literal))


def _or_of(bases: list[tuple[str, Q]]) -> Q:
    q = Q(pk__in=[])
    for _basis, basis_q in bases:
        q |= basis_q
    return q


def case_q(user: Any) -> Q:
    return memo.remembered(("case q", user.pk), lambda: _work_out_case_q(user))


def _work_out_case_q(user: Any) -> Q:
    return _with_merged_reports(_any_basis_q(user), seal_q(user), as_ids)


def _with_merged_reports(any_q: Q, seals: Q, ids: Callable[[Q], Q]) -> Q:
    # A merged report is part of its case's file: whoever may see the case sees the report.
    # Merged reports are few (read from their own index); as ids, the OR stays indexable.
    merged = ids(Q(merged_into__isnull=False, merged_into__in=Case.objects.filter(any_q & seals).values("pk")))
    return (any_q | merged) & seals


def keyed_case_q(user: Any) -> Q:
    """case_q for the matches of a search key: the same bases, seals and merged reports,
    a long list of ids as one array parameter. A search runs a query or two per kind of key,
    each carrying the user's lists: a prefecture head's 2,500 merged reports as an IN list
    cost Python a parameter each in every one (see KEYED_IN_LIST_IDS). The lists keep IN
    lists up to IN_LIST_IDS, which their plans need."""
    return memo.remembered(("case q keyed", user.pk), lambda: _case_q_with(user, _as_array))


def _case_q_with(user: Any, ids: Callable[[Q], Q]) -> Q:
    return _with_merged_reports(_or_of(_work_out_bases(user, ids)), _work_out_seals(user, ids), ids)


def few_case_q(user: Any) -> Q:
    """case_q for a query already narrowed to a few cases (the cases linked to one, a
    suspect's other cases): the bases and seals as subqueries, as ``basis`` asks them of one
    case, and a merged report through its case by a subquery on that case alone.
    case_q reads the ids of every small basis (four round trips on the case page) and,
    in its merged branch, every case the user may see."""
    any_q, seals = _any_basis_q(user, literal=False), seal_q(user, literal=False)
    # A scalar subquery, run for each merged report among the few: PostgreSQL turns an
    # EXISTS into a hashed subplan over every case the user may see (100,000 rows read for an
    # investigator at 100,000 cases, 17 ms), which is what this shape is for avoiding.
    its_case_seen = Subquery(Case.objects.filter(any_q & seals, pk=OuterRef("merged_into_id")).values("pk")[:1])
    return (any_q | Q(merged_into__isnull=False) & Q(IsNull(its_case_seen, False))) & seals


def surviving_case_q(user: Any) -> Q:
    """case_q for the cases that were not merged into another (the lists and queues): the
    same bases and seals without the merged reports' branch, which is false for every such
    case and cost each list a second pass over all cases."""
    return _any_basis_q(user) & seal_q(user) & Q(merged_into__isnull=True)


def basis(user: Any, case: Case) -> str | None:
    """The first reason this user may see this case, or None (one query; three for a
    merged report seen through its case, on the basis that case is seen). The answer for
    one case: the same as whether case_q holds the case, without its merged reports'
    branch, whose subquery over every visible case the one case does not need."""
    bases = _bases(user, literal=False)
    if not bases:
        return None
    found = _first_basis(user, bases, case.pk)
    if found is None and case.merged_into_id is not None and Case.objects.filter(
            seal_q(user, literal=False), pk=case.pk).exists():
        return _first_basis(user, bases, case.merged_into_id)
    return found


def sees(user: Any, case: Case) -> bool:
    return basis(user, case) is not None


def _first_basis(user: Any, bases: list[tuple[str, Q]], case_id: int) -> str | None:
    # Remembered by user and case alone: ``bases`` is always _bases(user, literal=False).
    return memo.remembered(("case basis", user.pk, case_id), lambda: _work_out_first_basis(user, bases, case_id))


def _work_out_first_basis(user: Any, bases: list[tuple[str, Q]], case_id: int) -> str | None:
    in_order = [When(basis_q, then=Value(name)) for name, basis_q in bases]  # SQL CASE: first match wins
    return (Case.objects.filter(seal_q(user, literal=False), pk=case_id)
            .annotate(basis=Choice(*in_order, default=None, output_field=CharField()))
            .values_list("basis", flat=True).first())


def may_see_identity(user: Any, case: Case) -> bool:
    """Identity is a permission apart from the case: the case team, the supervisors and
    heads above it, and a break-glass holder (audited and reviewed). Prosecutors and
    intake officers see the pseudonym."""
    return identity_on(user, basis(user, case))


def identity_on(user: Any, why: str | None) -> bool:
    if why == "break_glass":
        return bool(user.role_set & IDENTITY_ROLES)
    return why in IDENTITY_BASES


@register(Case)
class CaseRule:
    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(case_q(user))

    def scope_few(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(few_case_q(user))

    def scope_matches(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(keyed_case_q(user))

    def allows(self, user: Any, verb: Verb, obj: Case) -> bool:
        if verb == Verb.VIEW_IDENTITY:
            return may_see_identity(user, obj)
        return sees(user, obj)


class ChildOfCase:
    """The rule for an object that belongs to one case (a suspect, a proceeding, a notice;
    evidence, its files and interviews; a family's question; a consent): whoever may see
    the case sees it, and its identity fields follow the case's. What a user may *do*
    to it is the action's business. ``path`` leads from the object to its case."""

    def __init__(self, path: str = "case"):
        self.path = path

    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(**{f"{self.path}__in": Case.objects.filter(case_q(user)).values("pk")})

    def allows(self, user: Any, verb: Verb, obj: Any) -> bool:
        case = obj
        for part in self.path.split("__"):
            case = getattr(case, part)
        if verb == Verb.VIEW_IDENTITY:
            return may_see_identity(user, case)
        return sees(user, case)


def register_child_of_case(model: type[Any], path: str = "case") -> None:
    """Register ``model`` under the case access rule of the case ``path`` leads to."""
    register_rule(model, ChildOfCase(path))


for _child in (Suspect, Proceeding, NoticeDelivery):
    register_child_of_case(_child)
