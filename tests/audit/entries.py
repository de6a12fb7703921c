"""Sealed audit entries in bulk for the tree's tests (the chain as the sealer would link it)."""

from __future__ import annotations

from django.utils import timezone

from lantern.audit import chain
from lantern.audit.models import AuditEntry, ChainHead
from lantern.audit.services import seal_pending


def append_sealed(n: int) -> list[bytes]:
    """Append n sealed entries; returns every entry's chain hash (bytes) in seq order."""
    seal_pending()  # what the fixtures wrote comes first
    head = ChainHead.objects.get(id=1)
    seq, prev, rows, at = head.seq, head.hash, [], timezone.now()
    for i in range(n):
        content = {"at": at, "actor_id": None, "action": "test.merkle", "object_type": "test",
                   "object_id": str(seq + 1), "source": "test", "request_id": "", "outcome": "success",
                   "details": {"i": i, "名": "值"}}
        digest = chain.content_hash(content)
        seq += 1
        entry_hash = chain.link_hash(seq, prev, digest)
        rows.append(AuditEntry(seq=seq, prev_hash=prev, hash=entry_hash, content_hash=digest, **content))
        prev = entry_hash
    AuditEntry.objects.bulk_create(rows, batch_size=500)
    ChainHead.objects.filter(id=1).update(seq=seq, hash=prev)
    return chain_hashes()


def chain_hashes() -> list[bytes]:
    return [bytes.fromhex(h) for h in AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
            .values_list("hash", flat=True)]
