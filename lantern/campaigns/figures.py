"""The figures table, as data: each figure's key, label, written definition (shown beside
it on the page, in the API and in the exports), the date it is counted on, and how it is
computed. Counts come from a daily source (a queryset of unit, age band, day and count,
built with ``daily``) that the refresh job (campaigns.cells) sums into FigureCell rows;
rates and quantiles are derived from counts of the same group, never summed.

To add a figure from another app (the lead's discipline figures, for instance), append a
``Figure`` to FIGURES here, or call ``add`` from an app that stands above campaigns:

    add(Figure("accountability_outcomes", _("Accountability outcomes"),
               _("Accountability records ... counted on the day decided."),
               source=lambda: daily(Record.objects.all(), at="decided_on")))

then run the refresh job (``manage.py run_jobs --only campaigns.refresh_figures``)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, DateField, DateTimeField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from lantern.cases.models import Case, Decision, DecisionKind, DecisionStatus, Proceeding, ProceedingKind, SuspectEvent
from lantern.cases.states import Channel, Trigger
from lantern.deadlines.models import RUNNING, Deadline
from lantern.discipline.models import AccountabilityRecord
from lantern.discipline.outcomes import Outcome
from lantern.evidence.models import Interview, PlaceKind

COUNT, RATE, QUANTILE = "count", "rate", "quantile"
# A suspect reaching one of these is the case's solving (破案): taken into custody or charged.
SOLVING = ("detained", "arrested", "charged")
# Days to decision are bucketed: whole days up to 30, then wider buckets (lower bounds).
BUCKETS = (*range(31), 45, 60, 90, 180, 365)


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    definition: Promise
    kind: str = COUNT
    source: Callable[[], QuerySet[Any]] | None = None  # COUNT: rows of u, ab, d, n
    # RATE: (numerator, denominator) figure keys; QUANTILE: (histogram figure, q).
    of: tuple[Any, ...] = ()
    parts: tuple[str, ...] = field(default=())  # a total whose parts are other figures (suppression)
    shown: bool = True  # False: a working figure (a numerator, a histogram), not a column

    def json(self) -> dict[str, str]:
        return {"label": str(self.label), "definition": str(self.definition), "kind": self.kind}


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def daily(qs: QuerySet[Any], *, at: str, unit: str = "case__unit", band: str = "case__age_band",
          distinct: str = "pk") -> QuerySet[Any]:
    """Rows (u, ab, d, n): how many of ``qs`` fall on each local day, per handling unit and
    age band. ``at`` names the date counted (a datetime, in Beijing time, or a date)."""
    return (qs.annotate(u=F(unit), ab=F(band), d=_local_day(qs, at))
            .values("u", "ab", "d").annotate(n=Count(distinct, distinct=distinct != "pk")).order_by())


def _local_day(qs: QuerySet[Any], at: str) -> Any:
    """A datetime's calendar day in Beijing time; a date is a calendar day already (and
    TruncDate with a time zone fails on a date column in SQLite)."""
    field = qs.query.resolve_ref(at).output_field
    if isinstance(field, DateField) and not isinstance(field, DateTimeField):
        return F(at)
    return TruncDate(at, tzinfo=_zone())


def _cases() -> QuerySet[Case]:
    return Case.objects.filter(merged_into__isnull=True).exclude(state="MERGED")


def _received(**only: Any) -> Callable[[], QuerySet[Any]]:
    return lambda: daily(_cases().filter(**only), at="received_at", unit="unit", band="age_band")


def _decisions(kind: str, **only: Any) -> Callable[[], QuerySet[Any]]:
    return lambda: daily(Decision.objects.filter(kind=kind, status=DecisionStatus.APPROVED,
                                                 case__merged_into__isnull=True, **only), at="decided_at")


def _solved(**only: Any) -> Callable[[], QuerySet[Any]]:
    def source() -> QuerySet[Any]:
        from django.db.models import Min, OuterRef, Subquery

        first = (SuspectEvent.objects.filter(suspect__case=OuterRef("pk"), to_status__in=SOLVING)
                 .values("suspect__case").annotate(first=Min("at")).values("first")[:1])
        cases = _cases().filter(**only).annotate(solved_at=Subquery(first)).filter(solved_at__isnull=False)
        return daily(cases, at="solved_at", unit="unit", band="age_band")
    return source


def _suspect_events(q: Q) -> Callable[[], QuerySet[Any]]:
    return lambda: daily(SuspectEvent.objects.filter(q, suspect__case__merged_into__isnull=True), at="at",
                         unit="suspect__case__unit", band="suspect__case__age_band")


def _overturned(kind: str) -> Callable[[], QuerySet[Any]]:
    return lambda: daily(Proceeding.objects.filter(kind=kind, status="overturned", closed_at__isnull=False),
                         at="closed_at")


def _overdue() -> QuerySet[Any]:
    from django.utils import timezone

    return daily(Deadline.objects.filter(status__in=RUNNING, due_at__lt=timezone.now(),
                                         case__merged_into__isnull=True), at="due_at")


def _interviewed_again() -> QuerySet[Any]:
    # The second interview of a child victim: each further one is a fresh injury.
    return daily(Interview.objects.filter(sequence=2, case__is_minor=True), at="at")


def _interviewed_in_one_stop_centres() -> QuerySet[Any]:
    # A child counted once, on the day of their first interview in a one-stop centre (一站式).
    one_stop = Interview.objects.filter(place_kind=PlaceKind.ONE_STOP_CENTRE, case__is_minor=True)
    earlier = one_stop.filter(case=OuterRef("case"), sequence__lt=OuterRef("sequence"))
    return daily(one_stop.filter(~Exists(earlier)), at="at")


OVERTURN_KINDS = tuple(ProceedingKind)


def _named(template: Promise, **names: Promise) -> Promise:
    """A label made of a translated template and translated names, translated when shown
    (``lazy % dict`` would fix the language of the moment the module is imported)."""
    return lazy(lambda: str(template) % {k: str(v) for k, v in names.items()}, str)()

FIGURES: list[Figure] = [
    Figure("received", _("Reports received"),
           _("Reports registered (受案), merged duplicates excluded; counted on the day received, in the "
             "handling unit."), source=_received()),
    Figure("filed", _("Cases filed"),
           _("Approved decisions to file (立案), counted on the day approved. A case filed after a "
             "non-filing counts once for each decision."), source=_decisions(DecisionKind.FILE)),
    Figure("not_filed", _("Not filed"),
           _("Approved decisions not to file (不予立案), counted on the day approved."),
           source=_decisions(DecisionKind.NOT_FILE)),
    Figure("non_filing_rate", _("Non-filing rate"),
           _("Not filed ÷ (filed + not filed), decisions approved in the period."), kind=RATE,
           of=("not_filed", "decided")),
    Figure("decided", _("Filing decisions"), _("Filed + not filed."), shown=False,
           parts=("filed", "not_filed")),
    Figure("solved", _("Cases solved"),
           _("Cases solved (破案): the first day one of the case's suspects was detained, arrested or "
             "charged. Counted once per case, on that day."), source=_solved()),
    Figure("suspects_arrested", _("Suspects arrested"),
           _("Suspects whose status became arrested (逮捕), counted on the day of the change."),
           source=_suspect_events(Q(to_status="arrested"))),
    Figure("historical_solved", _("Historical cases solved"),
           _("Solved cases (as above) marked historical, counted on the day solved."),
           source=_solved(is_historical=True)),
    Figure("fugitives_caught", _("Fugitives caught"),
           _("Suspects taken from at large to detained or arrested, counted on the day caught."),
           source=_suspect_events(Q(from_status="at_large", to_status__in=("detained", "arrested")))),
    Figure("days_to_decision", _("Days to decision (histogram)"),
           _("Whole days from the report to the first approved filing decision, bucketed."), shown=False),
    Figure("median_days_to_decision", _("Days to decision, median"),
           _("Median of the whole days from the report to the case's first approved decision to file or "
             "not, cases decided in the period (day of the decision). Computed from a histogram of days "
             "per day and unit: exact up to 30 days, above that the lower bound of the bucket "
             "(45, 60, 90, 180, 365)."), kind=QUANTILE, of=("days_to_decision", 0.5)),
    Figure("p90_days_to_decision", _("Days to decision, 90th percentile"),
           _("As the median, the 90th percentile (nearest rank)."), kind=QUANTILE, of=("days_to_decision", 0.9)),
    Figure("overturned", _("Non-filings overturned"),
           _("Reconsiderations, reviews, procuratorate supervisions and appeals that ended with the "
             "non-filing overturned, counted on the day closed; the next columns say by which."),
           parts=tuple(f"overturned_{k}" for k in OVERTURN_KINDS)),
    *[Figure(f"overturned_{k}", _named(gettext_lazy("Overturned: %(kind)s"), kind=k.label),
             _("Of the non-filings overturned, those overturned by this proceeding, counted on the day closed."),
             source=_overturned(k)) for k in OVERTURN_KINDS],
    Figure("reopened_after_media", _("Reopened after media exposure"),
           _("Filing decisions approved for a case that had not been filed, whose recorded trigger is media "
             "exposure (the figure the campaign must drive to zero); counted on the day approved."),
           source=_decisions(DecisionKind.FILE, trigger=Trigger.MEDIA_EXPOSURE)),
    Figure("overdue", _("Overdue items"),
           _("Clocks still running past their due time when the figures were computed, counted on the day "
             "they fell due."), source=_overdue),
    Figure("received_minors", _("Reports with a minor victim"),
           _("Reports received (as above) whose victim was under 18 at the offence."),
           source=_received(is_minor=True)),
    Figure("minors_share", _("Minors' share"),
           _("Reports with a minor victim ÷ reports received."), kind=RATE, of=("received_minors", "received")),
    Figure("children_interviewed_again", _("Children interviewed more than once"),
           _("Cases with a minor victim interviewed a second time, counted on the day of the second "
             "interview."), source=_interviewed_again),
    Figure("children_interviewed_one_stop", _("Children interviewed in one-stop centres"),
           _("Cases with a minor victim interviewed in a one-stop interview and care centre (一站式询问救助中心), "
             "counted once, on the day of the first such interview."), source=_interviewed_in_one_stop_centres),
    Figure("mandatory_reports", _("Mandatory reports received"),
           _("Reports received (as above) that came as a mandatory report from an institution (强制报告)."),
           source=_received(channel=Channel.MANDATORY_REPORT)),
]


def _accountability(**only: Any) -> Callable[[], QuerySet[Any]]:
    return lambda: daily(AccountabilityRecord.objects.filter(case__merged_into__isnull=True, **only),
                         at="decided_on")


# Who was held to account, and whether the family was told (the Linxia officials were
# never named to the family): records of discipline inspectors, one per finding.
FIGURES += [
    Figure("accountability", _("Accountability outcomes"),
           _("Accountability records of discipline inspectors (one per finding on a case, whatever the "
             "number of officials it concerns), counted on the day decided; the next columns say which "
             "outcome."), parts=tuple(f"accountability_{o}" for o in Outcome.values)),
    *[Figure(f"accountability_{o.value}", _named(gettext_lazy("Accountability: %(outcome)s"), outcome=o.label),
             _("Of the accountability outcomes, those with this outcome, counted on the day decided."),
             source=_accountability(outcome=o.value)) for o in Outcome],
    Figure("accountability_disclosed", _("Accountability disclosed to the family"),
           _("Accountability records whose outcome was disclosed to the victim's family, counted on the day "
             "decided."), source=_accountability(disclosed_to_family=True)),
]


def add(figure: Figure) -> None:
    """Another app's figure joins the table (call from an AppConfig.ready above campaigns)."""
    if any(f.key == figure.key for f in FIGURES):
        return
    FIGURES.append(figure)


def by_key() -> dict[str, Figure]:
    return {f.key: f for f in FIGURES}


def shown() -> list[Figure]:
    return [f for f in FIGURES if f.shown]
