"""Case numbers under concurrent intake: gap-free and unique per unit and year, because a
missing number would look like a deleted case, and two cases with one number would be
worse. Real PostgreSQL connections, racing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lantern.cases.models import Case
from lantern.intake.schemas import ComplainantIn, ReportIn, SuspectIn, VictimIn
from lantern.intake.services import register_report
from tests.cases.helpers import police
from tests.concurrency import race

OFFICERS_AT_ONCE = 8
REPORTS_EACH = 6


def _report(n: int) -> ReportIn:
    return ReportIn(received_at=timezone.now(), channel="walk_in", offence_date=timezone.localdate(),
                    narrative="合成案情（并发测试）", victim=VictimIn(name="测试", sex="female", estimated_age=13),
                    complainant=ComplainantIn(name="测试", relation="母亲", phone="13800000000"),
                    suspects=[SuspectIn(name=f"嫌{n}", phone=f"1390000{n:04d}")])


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_in_one_unit_get_gap_free_unique_numbers(units):
    officer = police(units)["intake"]

    def registers(worker: int) -> None:
        for i in range(REPORTS_EACH):
            register_report(actor=officer, report=_report(worker * 100 + i))

    assert race(OFFICERS_AT_ONCE, registers) == []
    year = timezone.localdate().year
    numbers = sorted(Case.objects.values_list("case_number", flat=True))
    total = OFFICERS_AT_ONCE * REPORTS_EACH
    assert numbers == [f"QS-GAJ-{year}-{n:05d}" for n in range(1, total + 1)]
