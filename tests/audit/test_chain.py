"""The audit log is append-only and tamper-evident: every action writes an entry in its
own transaction, and the verifier names the first entry that was edited, deleted,
inserted or moved."""

from __future__ import annotations

import itertools
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from lantern.accounts import actions
from lantern.audit import chain
from lantern.audit.models import AuditEntry, ChainHead
from lantern.audit.services import record, seal_pending
from lantern.audit.signing import sign_head
from lantern.audit.verify import verify_chain
from lantern.core.context import origin
from tests.audit.tampering import raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(administrator, investigator):
    with origin("10.1.2.3"):
        for n in range(6):
            record(actor=administrator, action="test.event", object_type="test", object_id=str(n),
                   details={"n": n})
    # The test's transaction never commits, so seal by hand what on_commit would seal.
    seal_pending()
    return list(AuditEntry.objects.order_by("seq"))


def verify_fails_at() -> int | None:
    report = verify_chain()
    return None if report.ok else report.problem.seq


def test_an_untouched_chain_verifies(entries):
    assert verify_chain().ok
    call_command("audit_verify")


def test_each_entry_links_to_the_previous_one(entries):
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1


def test_entries_record_actor_action_object_time_source_and_outcome(entries, administrator):
    entry = entries[-1]
    assert entry.actor_id == administrator.pk
    assert (entry.action, entry.object_type, entry.object_id) == ("test.event", "test", "5")
    assert entry.source == "10.1.2.3" and entry.outcome == "success"
    assert entry.at.utcoffset().total_seconds() == 0


def test_an_edited_entry_is_named(entries):
    target = entries[3]
    raw("UPDATE audit_auditentry SET object_id = %s WHERE seq = %s", ["999", target.seq])
    assert verify_fails_at() == target.seq


def test_a_deleted_entry_is_named(entries):
    raw("DELETE FROM audit_auditentry WHERE seq = %s", [entries[2].seq])
    assert verify_fails_at() == entries[3].seq


def test_a_deleted_last_entry_is_caught_by_the_chain_head(entries):
    raw("DELETE FROM audit_auditentry WHERE seq = %s", [entries[-1].seq])
    assert verify_fails_at() == entries[-1].seq


def test_an_inserted_entry_is_named(entries):
    # Make room at position 3 by shifting later entries, then insert a forged one there.
    raw("UPDATE audit_auditentry SET seq = seq + 1000 WHERE seq >= %s", [entries[2].seq])
    raw("UPDATE audit_auditentry SET seq = seq - 999 WHERE seq >= 1000")
    forged = entries[2]
    raw("INSERT INTO audit_auditentry (seq, at, actor_id, action, object_type, object_id, source, "
        "request_id, outcome, details, content_hash, prev_hash, hash) "
        "VALUES (%s, %s, NULL, 'forged', '', '', 'x', '', 'success', %s, %s, %s, %s)",
        [forged.seq, forged.at, json.dumps({}), "0" * 64, entries[1].hash, "f" * 64])
    assert verify_fails_at() == forged.seq


def test_reordered_entries_are_named(entries):
    a, b = entries[2], entries[3]
    raw("UPDATE audit_auditentry SET seq = -1 WHERE seq = %s", [a.seq])
    raw("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [a.seq, b.seq])
    raw("UPDATE audit_auditentry SET seq = %s WHERE seq = -1", [b.seq])
    assert verify_fails_at() == a.seq


def test_a_rewritten_chain_is_caught_by_the_signed_checkpoint(entries):
    sign_head()
    # Rewrite entry 2 and recompute every hash after it, as a careful attacker would.
    rows = list(AuditEntry.objects.order_by("seq"))
    prev = rows[0].hash
    for row in rows[1:]:
        if row.seq == 2:
            row.object_id = "rewritten"
        digest = chain.content_hash({f: getattr(row, f) for f in chain.CONTENT_FIELDS})
        new_hash = chain.link_hash(row.seq, prev, digest)
        raw("UPDATE audit_auditentry SET object_id=%s, content_hash=%s, prev_hash=%s, hash=%s WHERE seq=%s",
            [row.object_id, digest, prev, new_hash, row.seq])
        prev = new_hash
    raw("UPDATE audit_chainhead SET hash=%s WHERE id=1", [prev])
    from django.utils import translation

    with translation.override("en"):
        report = verify_chain()
    assert not report.ok and "checkpoint" in report.problem.what


def test_the_command_names_the_first_bad_entry_and_exits_non_zero(entries):
    raw("UPDATE audit_auditentry SET action = 'x' WHERE seq = %s", [entries[4].seq])
    with pytest.raises(CommandError, match=f"#{entries[4].seq}"):
        call_command("audit_verify")


def test_an_entry_rolls_back_with_the_change_it_describes(administrator, units):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.create_unit(actor=administrator, code="TMP", name="临时", branch="police",
                            level="station", division_code="990121", parent=units["QS-GAJ"])
        raise RuntimeError("the surrounding work failed")
    assert AuditEntry.objects.count() == before
    assert verify_chain().ok


@pytest.mark.postgresql
def test_postgresql_itself_refuses_update_and_delete_of_entries(entries):
    for sql in ("UPDATE audit_auditentry SET action = 'x' WHERE seq = 1",
                "DELETE FROM audit_auditentry WHERE seq = 1"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    with pytest.raises(Exception, match="only moves forward"), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE audit_chainhead SET seq = 1 WHERE id = 1")
    assert verify_chain().ok


@pytest.mark.postgresql
def test_postgresql_refuses_editing_an_entry_even_before_it_is_sealed(administrator):
    seal_pending()
    entry = record(actor=administrator, action="test.unsealed")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE audit_auditentry SET seq = 99, action = 'x' WHERE id = %s", [entry.pk])
    assert seal_pending() == 1


def test_an_entry_left_unsealed_is_reported(entries):
    raw("INSERT INTO audit_auditentry (seq, at, actor_id, action, object_type, object_id, source, "
        "request_id, outcome, details, content_hash, prev_hash, hash) "
        "VALUES (NULL, %s, NULL, 'orphan', '', '', 'x', '', 'success', %s, %s, '', '')",
        ["2026-01-01T00:00:00Z", "{}", "0" * 64])
    report = verify_chain()
    assert not report.ok and report.problem.seq is None and report.problem.ref.startswith("id ")


def test_entries_are_sealed_in_commit_order_and_recorded_in_the_callers_transaction(administrator):
    seal_pending()  # whatever the fixtures wrote
    first = record(actor=administrator, action="test.a")
    assert first.seq is None  # written, not yet linked
    assert seal_pending() == 1
    first.refresh_from_db()
    assert first.seq == ChainHead.objects.get(id=1).seq


def test_two_entries_cannot_share_a_position(entries):
    with pytest.raises(IntegrityError):
        raw("INSERT INTO audit_auditentry (seq, at, actor_id, action, object_type, object_id, source, "
            "request_id, outcome, details, content_hash, prev_hash, hash) "
            "VALUES (%s, %s, NULL, 'fork', '', '', 'x', '', 'success', %s, %s, %s, %s)",
            [entries[-1].seq, entries[-1].at, "{}", "0" * 64, entries[-2].hash, "e" * 64])


def test_head_tracks_the_newest_entry(entries):
    head = ChainHead.objects.get(id=1)
    assert (head.seq, head.hash) == (entries[-1].seq, entries[-1].hash)


def test_the_sealer_settings_match_the_ones_frozen_in_the_migration():
    import importlib

    from lantern.audit import services

    migration = importlib.import_module("lantern.audit.migrations.0002_append_only")
    assert (migration.SEALER_LOCK, migration.BATCH) == (services.SEALER_LOCK, services.BATCH)
