"""The fast pass over the log checks what the chain defines: the canonical JSON it assembles
field by field is byte for byte chain.canonical_json's, and ranges checked in parallel
processes find what one pass finds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Max
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.audit import chain, scan, signing, tree
from lantern.audit.models import AuditEntry
from lantern.audit.services import record, seal_pending
from lantern.audit.verify import verify_chain
from lantern.core.context import origin
from tests.audit.entries import append_sealed
from tests.audit.tampering import raw

text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)  # no NUL in PostgreSQL
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4), max_leaves=12)
# What details hold (ids, codes, flags): jsonb keeps a number's value, not a float's spelling.
ids_and_codes = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4), max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(action=text, actor_id=st.none() | st.integers(0, 2**62), object_type=text, object_id=text, source=text,
       request_id=text, outcome=text, details=st.dictionaries(text, json_values, max_size=5),
       at=st.datetimes(timezones=st.just(dt.UTC)))
def test_the_assembled_canonical_json_is_the_chains(action, actor_id, object_type, object_id, source, request_id,
                                                     outcome, details, at):
    content = {"at": at, "actor_id": actor_id, "action": action, "object_type": object_type,
               "object_id": object_id, "source": source, "request_id": request_id, "outcome": outcome,
               "details": details}
    expected = chain.canonical_json({**content, "at": chain.canonical_time(at)})
    assert scan.content_json(chain.canonical_time(at), actor_id, action, object_type, object_id, source,
                             request_id, outcome, details) == expected


def problem(workers: int):
    report = verify_chain(workers=workers)
    return report.checked, report.problem and (report.problem.seq, report.problem.what)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_ranges_checked_in_parallel_find_what_one_pass_finds(monkeypatch, settings, tmp_path):
    settings.LANTERN_AUDIT_SIGNING_KEY = tmp_path / "audit-signing.pem"
    monkeypatch.setattr(tree, "BLOCK_LEVEL", 2)  # blocks of 4: 75 blocks, 8 ranges
    monkeypatch.setattr(tree, "BLOCK", 4)
    append_sealed(300)
    signing.seal_and_sign(always=True)
    append_sealed(7)
    signing.sign_tree_head()
    assert problem(2) == problem(1) == (307, None)
    raw("UPDATE audit_auditentry SET object_id = 'x' WHERE seq = 150")
    assert problem(2) == problem(1) and problem(1)[1][0] == 150
    raw("DELETE FROM audit_auditentry WHERE seq IN (150, 40)")  # 40 ends a range
    assert problem(2) == problem(1) and problem(1)[1][0] == 41


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=text, object_id=text, source=text, details=st.dictionaries(text, ids_and_codes, max_size=4))
@pytest.mark.django_db
def test_entries_with_any_text_verify_through_the_fast_pass(administrator, action, object_id, source, details):
    """Quotes, backslashes, tabs, newlines and control characters survive the database's
    JSON escaping and COPY's, so an untouched entry always verifies."""
    with origin(source):
        record(actor=administrator, action=action, object_type="test", object_id=object_id[:64], details=details)
    seal_pending()
    last = AuditEntry.objects.aggregate(last=Max("seq"))["last"]
    result = scan.scan(1, last)
    assert result.finding is None and result.last_seq == last
