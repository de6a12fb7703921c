"""A correction of the victim's age lands where a registration at the corrected age would
have: the same band, flags, checklist in force and filing-review clock, whatever the ages
(hypothesis), and back again."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lantern.cases.models import Case, ItemStatus
from lantern.intake import services, supplements
from lantern.intake.schemas import ReportIn
from tests.cases.helpers import police, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    return police(units)


def registered(people, age: int) -> Case:
    body = ReportIn.model_validate(report(victim={"name": "王某甲", "sex": "female", "estimated_age": age}))
    return services.register_report(actor=people["intake"], report=body).case


def what_the_law_attached(case: Case) -> dict:
    case = Case.objects.get(pk=case.pk)
    return {"band": case.age_band, "flags": sorted(case.flags), "minor": case.is_minor,
            "checklist": sorted(case.checklist.exclude(status=ItemStatus.NOT_APPLICABLE).values_list("key", flat=True)),
            "review": sorted(case.deadlines.filter(rule__startswith="filing_review", status="open")
                             .values_list("rule", flat=True))}


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=st.integers(0, 30), second=st.integers(0, 30))
def test_a_correction_lands_where_a_registration_at_the_corrected_age_would(people, first, second):
    assume(first != second)
    case = registered(people, first)
    supplements.correct_record(actor=people["supervisor"], case=case, field_name="victim.estimated_age",
                               value=second, reason="骨龄鉴定")
    assert what_the_law_attached(case) == what_the_law_attached(registered(people, second))
    supplements.correct_record(actor=people["supervisor"], case=case, field_name="victim.estimated_age",
                               value=first, reason="再次核实")
    assert what_the_law_attached(case) == what_the_law_attached(registered(people, first))
