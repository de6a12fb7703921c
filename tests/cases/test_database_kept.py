"""The two case columns the database keeps (cases migration 0015): ``next_due_at``, the
soonest running clock the lists sort and filter by, and ``procuratorate_involved``, which
puts a case in the prosecutors' lists. Whatever writes the clocks (a start, a stop, an
extension, the sweep marking clocks overdue, a deletion, several rows in one statement),
the column equals what the clocks say (hypothesis); and a whole-row save of a case read
before a clock changed does not write the old value back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Min
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.cases.models import Case, Proceeding, ProceedingKind, SuspectEvent, SuspectStatus
from lantern.deadlines import services as clocks_service
from lantern.deadlines.models import RUNNING, Deadline, DeadlineStatus
from lantern.intake import services
from lantern.intake.schemas import ReportIn
from tests.cases.helpers import police, report

pytestmark = pytest.mark.django_db

NOW = timezone.now()
STATUSES = [s.value for s in DeadlineStatus]


@pytest.fixture
def people(units):
    return police(units)


def registered(people) -> Case:
    body = ReportIn.model_validate(report(victim={"name": "王某乙", "sex": "female", "estimated_age": 15}))
    return services.register_report(actor=people["intake"], report=body).case


def soonest_running(case: Case) -> dt.datetime | None:
    return Deadline.objects.filter(case=case, status__in=RUNNING).aggregate(m=Min("due_at"))["m"]


def kept(case: Case) -> dt.datetime | None:
    return Case.objects.values_list("next_due_at", flat=True).get(pk=case.pk)


def test_a_registered_case_has_its_review_clock_as_next_deadline(people):
    case = registered(people)
    assert kept(case) is not None and kept(case) == soonest_running(case)


hours = st.integers(-500, 500).map(lambda h: NOW + dt.timedelta(hours=h))
moves = st.lists(st.one_of(
    st.tuples(st.just("add"), hours, st.sampled_from(STATUSES)),
    st.tuples(st.just("status"), st.integers(0, 30), st.sampled_from(STATUSES)),
    st.tuples(st.just("due"), st.integers(0, 30), hours),
    st.tuples(st.just("delete"), st.integers(0, 30), st.none()),
    st.tuples(st.just("sweep"), st.none(), st.none()),
    st.tuples(st.just("stop_all"), st.none(), st.none()),
), max_size=12)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(moves=moves)
def test_next_deadline_is_the_soonest_running_clock_whatever_writes_the_clocks(people, moves):
    case = registered(people)
    for n, (move, a, b) in enumerate(moves):
        clocks = list(Deadline.objects.filter(case=case).order_by("pk"))
        if move == "add":
            clock = clocks_service.prepare(case=case, rule_key="forensic_examination", subject=f"p{n}",
                                           started_at=NOW)
            clock.due_at, clock.status = a, b
            clock.save()
        elif move in ("status", "due", "delete") and clocks:
            clock = clocks[a % len(clocks)]
            if move == "delete":
                clock.delete()
            else:
                Deadline.objects.filter(pk=clock.pk).update(**{"status" if move == "status" else "due_at": b})
        elif move == "sweep":  # many rows in one statement, still running: nothing to change
            Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN, due_at__lt=NOW).update(
                status=DeadlineStatus.OVERDUE)
        elif move == "stop_all":
            Deadline.objects.filter(case=case, status__in=RUNNING).update(status=DeadlineStatus.MET)
        assert kept(case) == soonest_running(case), moves[:n + 1]


def test_a_whole_row_save_of_a_case_read_earlier_keeps_the_databases_columns(people):
    case = registered(people)
    stale = Case.objects.get(pk=case.pk)
    Deadline.objects.filter(case=case).update(status=DeadlineStatus.MET)
    Proceeding.objects.create(case=case, kind=ProceedingKind.SUPERVISION, opened_at=NOW)
    stale.narrative = "补充的案情"
    stale.save()
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.next_due_at is None and fresh.procuratorate_involved
    assert fresh.narrative == "补充的案情"


def test_a_supervision_or_an_arrest_request_brings_the_procuratorate_in_and_nothing_else_does(people):
    supervised, arrested, other = registered(people), registered(people), registered(people)
    Proceeding.objects.create(case=other, kind=ProceedingKind.RECONSIDERATION, opened_at=NOW)
    Proceeding.objects.create(case=supervised, kind=ProceedingKind.SUPERVISION, opened_at=NOW)
    suspect = arrested.suspects.first()
    SuspectEvent.objects.create(suspect=suspect, from_status=SuspectStatus.DETAINED,
                                to_status=SuspectStatus.ARREST_REQUESTED, at=NOW, by=people["investigator"])
    SuspectEvent.objects.create(suspect=other.suspects.first(), from_status=SuspectStatus.IDENTIFIED,
                                to_status=SuspectStatus.DETAINED, at=NOW, by=people["investigator"])
    involved = dict(Case.objects.values_list("pk", "procuratorate_involved"))
    assert (involved[supervised.pk], involved[arrested.pk], involved[other.pk]) == (True, True, False)
