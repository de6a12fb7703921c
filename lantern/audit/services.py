"""Writing to and checking the audit log.

``record`` is called by every action inside its transaction, so the entry commits or rolls
back with the change it describes.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from lantern.audit import chain
from lantern.audit.models import GENESIS_HASH, AuditEntry, ChainHead, Outcome
from lantern.core.context import current_origin

# One statement on PostgreSQL: the UPDATE of the head row waits for any concurrent
# appender to commit and then re-reads the row (READ COMMITTED re-check), so each append
# sees the true newest hash; SET expressions read the old row, RETURNING gives the new.
_PG_APPEND = """
WITH head AS (
    UPDATE audit_chainhead
       SET seq = seq + 1,
           prev_hash = hash,
           hash = encode(sha256(convert_to(
                    (seq + 1)::text || '|' || hash || '|' || %(content_hash)s, 'UTF8')), 'hex')
     WHERE id = 1
 RETURNING seq, prev_hash, hash
)
INSERT INTO audit_auditentry
    (seq, prev_hash, hash, content_hash, at, actor_id, action, object_type, object_id,
     source, request_id, outcome, details)
SELECT head.seq, head.prev_hash, head.hash, %(content_hash)s, %(at)s, %(actor_id)s,
       %(action)s, %(object_type)s, %(object_id)s, %(source)s, %(request_id)s,
       %(outcome)s, %(details)s::jsonb
  FROM head
RETURNING id, seq, prev_hash, hash
"""


def _object_ref(obj: Model | None, object_type: str, object_id: str) -> tuple[str, str]:
    if obj is not None:
        return obj._meta.label_lower, str(obj.pk)
    return object_type, object_id


def record(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``details`` holds ids, codes and field names, never personal data."""
    origin = current_origin()
    otype, oid = _object_ref(obj, object_type, object_id)
    content = {
        "at": timezone.now(),
        "actor_id": getattr(actor, "pk", None),
        "action": action,
        "object_type": otype,
        "object_id": oid,
        "source": origin.source[:64],
        "request_id": origin.request_id,
        "outcome": str(outcome),
        "details": details or {},
    }
    digest = chain.content_hash(content)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _append_postgresql(content, digest)
        return _append_portable(content, digest)


def _ensure_head() -> None:
    # The head row is created by migration; a test-database flush empties it, so recreate.
    ChainHead.objects.bulk_create([ChainHead(id=1, seq=0, hash=GENESIS_HASH)],
                                  ignore_conflicts=True)


def _append_postgresql(content: dict[str, Any], digest: str) -> AuditEntry:
    params = dict(content, content_hash=digest, details=chain.canonical_json(content["details"]))
    with connection.cursor() as cursor:
        cursor.execute(_PG_APPEND, params)
        row = cursor.fetchone()
        if row is None:
            _ensure_head()
            cursor.execute(_PG_APPEND, params)
            row = cursor.fetchone()
    pk, seq, prev_hash, entry_hash = row
    return AuditEntry(id=pk, seq=seq, prev_hash=prev_hash, hash=entry_hash,
                      content_hash=digest, **content)


def _append_portable(content: dict[str, Any], digest: str) -> AuditEntry:
    # SQLite: Lantern opens transactions IMMEDIATE, so the write lock is already held here.
    _ensure_head()
    head = ChainHead.objects.select_for_update().get(id=1)
    seq = head.seq + 1
    entry = AuditEntry.objects.create(
        seq=seq, prev_hash=head.hash, hash=chain.link_hash(seq, head.hash, digest),
        content_hash=digest, **content,
    )
    ChainHead.objects.filter(id=1).update(seq=seq, prev_hash=head.hash, hash=entry.hash)
    return entry
