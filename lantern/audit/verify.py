"""Checking the audit log end to end: every entry, the head row, the signed checkpoints, and
the Merkle tree: its stored nodes and every signed tree head, recomputed from the entries.

The entries are read once (lantern.audit.scan), in ranges that start on a block of
leaves, so the ranges can be checked in parallel processes (``workers``) and put together
here: each range must begin where the one before it ended. Signatures are checked with the
key each statement names, so they verify across a rotation of the signing key.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit import keys, merkle, scan, signing, tree
from lantern.audit.models import GENESIS_HASH, AuditEntry, ChainHead, Checkpoint, MerkleNode, TreeHead

# An entry not sealed into the chain this long after it was written is a problem: commits
# seal as they go and the audit.seal job runs every minute, so only tampering or a stopped
# sealer leaves one.
UNSEALED_GRACE = dt.timedelta(minutes=5)
RANGES_PER_WORKER = 4  # smaller ranges even out the workers' finishing times


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


def _finding_text(code: str, expected: int) -> str:
    return {
        "seq": _("expected sequence number %(n)s: an entry is missing or was inserted") % {"n": expected},
        "link": _("does not link to the entry before it (deleted, inserted or reordered)"),
        "content": _("its content was changed after it was written"),
        "hash": _("its hash does not match its content and position"),
    }[code]


def _ranges(last: int, workers: int) -> list[tuple[int, int]]:
    if last < 1:
        return []
    if workers <= 1:
        return [(1, last)]
    blocks = -(-last // tree.BLOCK)
    per = max(1, -(-blocks // (workers * RANGES_PER_WORKER))) * tree.BLOCK
    return [(start, min(start + per - 1, last)) for start in range(1, last + 1, per)]


def _scan_one(args: tuple[int, int, list[int], list[int]]) -> scan.RangeResult:
    start, end, sizes, want = args
    return scan.scan(start, end, tree_sizes=sizes, want=want)


def _scan_all(ranges: list[tuple[int, int]], sizes: list[int], want: list[int], workers: int) -> list:
    jobs = [(s, e, [n for n in sizes if s <= n <= e], [w for w in want if s <= w <= e]) for s, e in ranges]
    if workers <= 1 or len(jobs) <= 1 or connection.in_atomic_block:
        return [_scan_one(j) for j in jobs]
    connections.close_all()  # each process opens its own connection
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_scan_one, jobs))


def _stitch(results: Iterable[scan.RangeResult]) -> tuple[Problem | None, int, str]:
    """The first problem; how many entries before it are good, and the last good hash."""
    expected, prev = 1, GENESIS_HASH
    for r in results:
        if r.first_seq is None:
            continue
        if r.first_seq != expected:
            return Problem(r.first_seq, _finding_text("seq", expected)), expected - 1, prev
        if r.first_prev_hash != prev:
            return Problem(r.first_seq, _finding_text("link", expected)), expected - 1, prev
        if r.finding:
            f = r.finding
            return Problem(f.seq, _finding_text(f.code, f.expected_seq)), f.expected_seq - 1, prev
        expected, prev = r.last_seq + 1, r.last_hash
    return None, expected - 1, prev


def verify_chain(*, workers: int = 1) -> Report:
    """Walk the whole log; stop at the first problem. ``workers`` > 1 reads ranges in that
    many processes (outside a transaction only: each needs its own connection)."""
    checkpoints = list(Checkpoint.objects.all())
    heads = list(TreeHead.objects.order_by("tree_size", "id"))
    last = AuditEntry.objects.aggregate(last=Max("seq"))["last"] or 0
    results = _scan_all(_ranges(last, workers), sorted({h.tree_size for h in heads}),
                        sorted({c.seq for c in checkpoints}), workers)
    problem, last_seq, last_hash = _stitch(results)
    if problem:
        return Report(last_seq, problem)
    public = keys.public_keys()
    hashes = {seq: h for r in results for seq, h in r.hashes.items()}
    for check in (_check_unsealed, lambda: _check_head(last_seq, last_hash),
                  lambda: _check_checkpoints(checkpoints, hashes, last_seq, public),
                  lambda: _check_tree(results, heads, last_seq, public)):
        if problem := check():
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


def _check_checkpoints(checkpoints, hashes: dict[int, str], last_seq: int, public) -> Problem | None:
    for cp in checkpoints:
        if not signing.verify_checkpoint(cp, public):
            return Problem(cp.seq, _("the signed checkpoint at this entry has a bad signature"))
        if cp.seq > last_seq:
            return Problem(cp.seq, _("a signed checkpoint covers this entry, which is missing"))
        if hashes.get(cp.seq) != cp.hash:
            return Problem(cp.seq, _("differs from the signed checkpoint: the chain was rewritten"))
    return None


def _tree_from_blocks(blocks: list[bytes]) -> dict[tuple[int, int], bytes]:
    """Every complete subtree at the block level and up, from the blocks' hashes."""
    nodes, level, row = {}, tree.BLOCK_LEVEL, blocks
    while row:
        nodes.update(((level, i), h) for i, h in enumerate(row))
        row = [merkle.node_hash(row[i], row[i + 1]) for i in range(0, len(row) - 1, 2)]
        level += 1
    return nodes


def _check_tree(results, heads: list[TreeHead], last_seq: int, public) -> Problem | None:
    nodes = _tree_from_blocks([b for r in results for b in r.blocks])
    for key, stored in MerkleNode.objects.order_by("key").values_list("key", "hash").iterator(chunk_size=10000):
        level, index = divmod(key, tree.LEVEL_SPAN)
        if nodes.get((level, index)) != bytes(stored):
            return Problem((index << level) + 1, _("the stored Merkle tree does not match the entries from here"))
    edges = {n: h for r in results for n, h in r.edges.items()}
    for head in heads:
        if not signing.verify_tree_head(head, public):
            return Problem(head.tree_size, _("the signed tree head ending at this entry has a bad signature"))
        if head.tree_size > last_seq:
            return Problem(head.tree_size, _("a signed tree head covers this entry, which is missing"))
        if _root(head.tree_size, nodes, edges).hex() != head.root_hash:
            return Problem(head.tree_size, _("differs from the signed tree head: the log was rewritten"))
    return None


def _root(size: int, nodes: dict[tuple[int, int], bytes], edges: dict[int, bytes]) -> bytes:
    if size == 0:
        return merkle.EMPTY_ROOT
    pieces = [nodes[(e - s).bit_length() - 1, s >> ((e - s).bit_length() - 1)]
              for s, e in merkle.perfect_pieces(0, size) if e - s >= tree.BLOCK]
    return merkle.fold(pieces + ([edges[size]] if size % tree.BLOCK else []))
