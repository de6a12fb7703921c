"""Many writers at once leave one unbroken chain: no fork, no gap, no duplicate."""

from __future__ import annotations

import pytest
from django.db import connection

from lantern.audit.models import AuditEntry
from lantern.audit.services import record, seal_pending
from lantern.audit.verify import verify_chain
from lantern.core.actions import action
from tests.concurrency import race

WRITERS = 16
PER_WRITER = 40


@action
def _append(*, n: int) -> None:
    record(actor=None, action="test.concurrent", object_type="test", object_id=str(n))


def _writer(worker: int) -> None:
    for i in range(PER_WRITER):
        _append(n=worker * 1000 + i)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_writers_on_real_connections_leave_one_chain():
    _append(n=-1)  # make sure the head row exists before the race
    assert race(WRITERS, _writer) == []
    assert connection.vendor == "postgresql"
    # Commits sealed the chain as they went; a commit that found another one sealing
    # left its entry to the next, so at most the very last few can still be pending.
    left = AuditEntry.objects.filter(seq__isnull=True).count()
    assert left < WRITERS
    assert seal_pending() == left
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * PER_WRITER + 2))
    report = verify_chain()
    assert report.ok, report.problem
    assert report.checked == WRITERS * PER_WRITER + 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_entry_is_sealed_inside_its_commit():
    _append(n=1)
    _append(n=2)
    assert list(AuditEntry.objects.order_by("id").values_list("seq", flat=True)) == [1, 2]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_an_entry_is_sealed_by_the_time_its_action_returns():
    _append(n=1)
    entry = AuditEntry.objects.get()
    assert entry.seq == 1 and entry.prev_hash == "0" * 64
