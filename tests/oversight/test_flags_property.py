"""The flag table kept incrementally (each change followed by the refresh its hook runs)
equals the flags computed from scratch, whatever the order of events."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.cases.models import Case, ChecklistItem, Decision
from lantern.deadlines.models import Deadline
from lantern.evidence.models import Interview
from lantern.oversight.detect import expected
from lantern.oversight.models import OversightFlag
from lantern.oversight.services import refresh_case
from tests.factories import make_user

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)

EVENTS = st.one_of(
    st.tuples(st.just("not_file"), st.integers(0, 2), st.integers(0, 72)),
    st.tuples(st.just("file"), st.integers(0, 2), st.sampled_from(["media_exposure", "reconsideration"])),
    st.tuples(st.just("clock_late"), st.integers(0, 2), st.sampled_from(["forensic_examination", "lab_result",
                                                                         "family_question", "arrest_request"])),
    st.tuples(st.just("clock_met"), st.integers(0, 2), st.just(0)),
    st.tuples(st.just("interview"), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("burst"), st.integers(0, 2), st.integers(0, 30)),
)


def new_case(officer, minor: bool) -> Case:
    n = next(_numbers)
    return Case.objects.create(case_number=f"P-{n}", unit=officer.unit, intake_unit=officer.unit, channel="walk_in",
                               received_at=timezone.now() - dt.timedelta(days=10), offence_date=timezone.localdate(),
                               narrative="合成", age_band="12_to_14" if minor else "adult", is_minor=minor,
                               tracking_code=f"PT{n}", portal_secret_hash="-", created_by=officer,
                               state="UNDER_REVIEW")


def happen(case: Case, event: str, arg, officer) -> None:
    now = timezone.now()
    if event == "not_file" and case.state != "NOT_FILED":
        case.state = "NOT_FILED"
        Decision.objects.create(case=case, kind="not_file", status="approved", reason="-", approvals_needed=1,
                                proposed_by=officer, proposed_at=now,
                                decided_at=case.received_at + dt.timedelta(hours=arg))
    elif event == "file" and case.state == "NOT_FILED":
        case.state, case.reopen_trigger = "FILED", arg
        Decision.objects.create(case=case, kind="file", status="approved", reason="-", trigger=arg,
                                approvals_needed=1, proposed_by=officer, proposed_at=now, decided_at=now)
    elif event == "clock_late":
        Deadline.objects.create(case=case, rule=arg, subject=f"s{next(_numbers)}", started_at=now,
                                due_at=now - dt.timedelta(hours=1), period_amount=1, period_unit="hours",
                                period_extends=True)
    elif event == "clock_met":
        Deadline.objects.filter(case=case, status="open").update(status="met", closed_at=now)
    elif event == "interview":
        seq = Interview.objects.filter(case=case).count() + 1
        Interview.objects.create(case=case, sequence=seq, at=now, interviewer=officer, interviewer_sex="female",
                                 place="询问室")
    elif event == "burst":
        ChecklistItem.objects.create(case=case, key=f"k{next(_numbers)}", status="done",
                                     changed_at=case.received_at + dt.timedelta(minutes=arg))
    case.save()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minors=st.lists(st.booleans(), min_size=3, max_size=3), events=st.lists(EVENTS, max_size=12))
def test_the_incremental_table_equals_the_computation_from_scratch(units, minors, events):
    officer = make_user(units, "QS-XZDD", username=f"prop{next(_numbers)}")
    cases = [new_case(officer, minor) for minor in minors]
    for event, which, arg in events:
        happen(cases[which], event, arg, officer)
        refresh_case(cases[which])  # what the action's hook does
    ids = [c.pk for c in cases]
    have = {(f.case_id, f.flag, f.subject): f.since
            for f in OversightFlag.objects.filter(case_id__in=ids, cleared_at__isnull=True)}
    assert have == expected(Case.objects.filter(pk__in=ids), now=timezone.now())
