"""Writing to the audit log.

``record`` is called by every action inside its transaction, so the entry commits or rolls
back with the change it describes. At commit the entry is linked into the hash chain: on
PostgreSQL by a deferred trigger inside the COMMIT itself, on SQLite by ``seal_pending``
right after it; ``seal_pending`` (also ``manage.py audit_seal``) seals whatever is left.
One sealer runs at a time (an advisory lock on PostgreSQL, the write lock on SQLite), so
the chain cannot fork; each links every pending entry in one batch, and the chain lock is
never held across a round trip to the client.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from lantern.audit import chain
from lantern.audit.events import Family, family
from lantern.audit.models import GENESIS_HASH, AuditEntry, ChainHead, Outcome
from lantern.core.context import current_origin

_PG_INSERT = """
INSERT INTO audit_auditentry (at, actor_id, action, object_type, object_id, source, request_id, outcome,
                              details, content_hash, prev_hash, hash)
VALUES (%(at)s, %(actor_id)s, %(action)s, %(object_type)s, %(object_id)s, %(source)s, %(request_id)s,
        %(outcome)s, %(details)s::jsonb, %(content_hash)s, '', '')
RETURNING id
"""
SEALER_LOCK = 0x4C414E54  # "LANT": the PostgreSQL advisory lock key of the sealer
BATCH = 2000


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
    if connection.vendor == "postgresql":
        # One plain INSERT (the ORM's create costs a third of an append's CPU); the entry
        # is sealed inside COMMIT by a deferred trigger (migration 0002).
        with connection.cursor() as cursor:
            cursor.execute(_PG_INSERT, {**content, "details": chain.canonical_json(content["details"]),
                                        "content_hash": digest})
            return AuditEntry(id=cursor.fetchone()[0], content_hash=digest, **content)
    entry = AuditEntry.objects.create(content_hash=digest, **content)
    transaction.on_commit(seal_pending, robust=True)
    return entry


def _seal_batch_postgresql() -> int:
    """See migration 0002 for the function; it waits for any sealer already running."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT lantern_audit_seal(%s, %s, true)", [SEALER_LOCK, BATCH])
        return int(cursor.fetchone()[0])


def _seal_batch_portable() -> int:
    # SQLite: the IMMEDIATE write transaction serialises sealers, so no lock is needed.
    with transaction.atomic():
        ChainHead.objects.bulk_create([ChainHead(id=1, seq=0, hash=GENESIS_HASH)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(id=1)
        pending = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:BATCH])
        for entry in pending:
            entry.seq, entry.prev_hash = head.seq + 1, head.hash
            entry.hash = chain.link_hash(entry.seq, entry.prev_hash, entry.content_hash)
            head.seq, head.hash = entry.seq, entry.hash
        if pending:
            AuditEntry.objects.bulk_update(pending, ["seq", "prev_hash", "hash"])
            ChainHead.objects.filter(id=1).update(seq=head.seq, hash=head.hash)
        return len(pending)


def seal_pending() -> int:
    """Link every committed, unsealed entry into the chain; returns how many were sealed.

    Sealers take turns (PostgreSQL advisory lock, SQLite write lock), and every writer
    seals after its own commit: its entry is either linked by a sealer ahead of it or by
    its own turn, so no entry is left behind and the chain cannot fork."""
    seal = _seal_batch_postgresql if connection.vendor == "postgresql" else _seal_batch_portable
    sealed = 0
    while (batch := seal()) > 0:
        sealed += batch
        if batch < BATCH:
            break
    return sealed


def record_refusal(*, actor: Any, action: str, obj: Model | None) -> AuditEntry:
    """An action refused for want of permission (core.actions calls this through its
    REFUSAL_RECORDERS hook, in a transaction of its own after the action rolled back)."""
    return record(actor=actor, action=family(Family.DENIED, action), obj=obj, outcome=Outcome.DENIED)
