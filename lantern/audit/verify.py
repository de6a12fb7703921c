"""Checking the chain end to end: every entry, the head row and the signed checkpoints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit import chain, signing
from lantern.audit.models import GENESIS_HASH, AuditEntry, ChainHead, Checkpoint

# An entry not sealed into the chain this long after it was written is a problem: commits
# seal as they go and `manage.py audit_seal` runs every minute, so only tampering or a
# stopped sealer leaves one.
UNSEALED_GRACE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Problem:
    seq: int | None
    what: str
    entry_id: int | None = None

    @property
    def ref(self) -> str:
        return f"#{self.seq}" if self.seq is not None else f"id {self.entry_id}"

    def __str__(self) -> str:
        return f"entry {self.ref}: {self.what}"


@dataclass(frozen=True)
class Report:
    checked: int
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _entries(batch: int = 2000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch])  # sealed only
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def _check_entry(entry: AuditEntry, expected_seq: int, prev_hash: str) -> str | None:
    if entry.seq != expected_seq:
        return _("expected sequence number %(n)s: an entry is missing or was inserted") % {"n": expected_seq}
    if entry.prev_hash != prev_hash:
        return _("does not link to the entry before it (deleted, inserted or reordered)")
    digest = chain.content_hash({f: getattr(entry, f) for f in chain.CONTENT_FIELDS})
    if digest != entry.content_hash:
        return _("its content was changed after it was written")
    if chain.link_hash(entry.seq, entry.prev_hash, digest) != entry.hash:
        return _("its hash does not match its content and position")
    return None


def verify_chain() -> Report:
    """Walk the chain from the first entry; stop at the first problem."""
    prev_hash, expected, hashes = GENESIS_HASH, 1, {}
    checkpoints = {c.seq: c for c in Checkpoint.objects.all()}
    for entry in _entries():
        if what := _check_entry(entry, expected, prev_hash):
            return Report(expected - 1, Problem(entry.seq, what))
        if entry.seq in checkpoints:
            hashes[entry.seq] = entry.hash
        prev_hash, expected = entry.hash, expected + 1
    last_seq = expected - 1
    if problem := _check_unsealed():
        return Report(last_seq, problem)
    if problem := _check_head(last_seq, prev_hash):
        return Report(last_seq, problem)
    if problem := _check_checkpoints(checkpoints.values(), hashes, last_seq):
        return Report(last_seq, problem)
    return Report(last_seq, None)


def _check_unsealed() -> Problem | None:
    stale = (AuditEntry.objects.filter(seq__isnull=True, at__lt=timezone.now() - UNSEALED_GRACE)
             .order_by("id").first())
    if stale is None:
        return None
    return Problem(None, _("was never sealed into the chain"), entry_id=stale.pk)


def _check_head(last_seq: int, last_hash: str) -> Problem | None:
    head = ChainHead.objects.filter(id=1).first()
    if head is None:
        return None if last_seq == 0 else Problem(last_seq, _("the chain head record is missing"))
    if head.seq != last_seq or head.hash != last_hash:
        return Problem(last_seq + 1, _("the chain head says entry #%(n)s exists: entries at the end "
                                       "were deleted") % {"n": head.seq})
    return None


def _check_checkpoints(checkpoints, hashes: dict[int, str], last_seq: int) -> Problem | None:
    for cp in checkpoints:
        if not signing.verify_checkpoint(cp):
            return Problem(cp.seq, _("the signed checkpoint at this entry has a bad signature"))
        if cp.seq > last_seq:
            return Problem(cp.seq, _("a signed checkpoint covers this entry, which is missing"))
        if hashes.get(cp.seq) != cp.hash:
            return Problem(cp.seq, _("differs from the signed checkpoint: the chain was rewritten"))
    return None
