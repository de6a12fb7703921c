"""Case numbers under concurrent intake: gap-free and unique per unit and year, because a
missing number would look like a deleted case, and two cases with one number would be
worse. Real PostgreSQL connections, racing."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.utils import timezone

from lantern.cases.models import Case
from lantern.intake.services import ReportIn, SuspectIn, register_report
from tests.cases.helpers import police

OFFICERS_AT_ONCE = 8
REPORTS_EACH = 6


def _report(n: int) -> ReportIn:
    return ReportIn(received_at=timezone.now(), channel="walk_in", offence_date=timezone.localdate(),
                    narrative="合成案情（并发测试）", victim_name="测试", victim_sex="female",
                    victim_date_of_birth=None, victim_estimated_age=13, complainant_name="测试",
                    complainant_relation="母亲", complainant_phone="13800000000",
                    suspects=[SuspectIn(f"嫌{n}", f"1390000{n:04d}")])


def _officer(actor, worker: int, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        barrier.wait()
        for i in range(REPORTS_EACH):
            register_report(actor=actor, report=_report(worker * 100 + i))
    except BaseException as exc:  # reported to the test thread
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_in_one_unit_get_gap_free_unique_numbers(units):
    officer = police(units)["intake"]
    barrier = threading.Barrier(OFFICERS_AT_ONCE)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_officer, args=(officer, w, barrier, errors))
               for w in range(OFFICERS_AT_ONCE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    year = timezone.localdate().year
    numbers = sorted(Case.objects.values_list("case_number", flat=True))
    total = OFFICERS_AT_ONCE * REPORTS_EACH
    assert numbers == [f"QS-GAJ-{year}-{n:05d}" for n in range(1, total + 1)]
