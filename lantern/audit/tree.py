"""The Merkle tree over the sealed audit entries (RFC 9162 §2.1), stored so that a proof
at ten million entries takes a few milliseconds.

Leaf i is entry seq i + 1: SHA-256(0x00 || the entry's chain hash as bytes). The hash of
every complete, aligned subtree of 64 leaves and more (level 6 and up) is stored in
MerkleNode: about 2 rows per 64 entries, 312,000 rows (some 25 MB) at ten million entries.
Everything below level 6, and the right edge of a tree that ends inside a block of 64, is
computed from the entries. So any node a proof needs is either one stored row or the hash
of at most 63 leaves: an inclusion or consistency proof is one round trip (the stored nodes
by primary key and the entries of at most two blocks by seq, in one UNION) and some 250
SHA-256 computations, whatever the size of the log. Blocks of 256 (the first choice) cost
four times the hashing, which at ten million entries under load put the 99th percentile of
a proof near 10 ms; blocks of 64 keep it at a few (see bench/audit_merkle.py).

The tree is extended off the commit path: writers never touch it. ``extend`` (the
audit.seal_and_sign job, and before each signed tree head) hashes the blocks of 64
sealed entries not yet stored, a batch per transaction, and the parents they complete; one
extender runs at a time (an advisory lock on PostgreSQL, the write lock on SQLite). A proof
that needs a node not stored yet extends the tree first (the job had not caught up).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Max

from lantern.audit import merkle
from lantern.audit.merkle import Range
from lantern.audit.models import AuditEntry, ChainHead, MerkleNode

BLOCK_LEVEL = 6
BLOCK = 1 << BLOCK_LEVEL
LEVEL_SPAN = 1 << 40  # MerkleNode.key = level * LEVEL_SPAN + index
TREE_LOCK = 0x4C414E55  # the PostgreSQL advisory lock of the extender ("LANU", beside the sealer's)
BLOCKS_PER_BATCH = 512  # 32,768 entries per transaction


class TreeBroken(RuntimeError):
    """An entry the tree needs is missing: the log was cut (audit_verify names where)."""


def node_key(level: int, index: int) -> int:
    return level * LEVEL_SPAN + index


def _level_index(piece: Range) -> tuple[int, int]:
    size = piece[1] - piece[0]
    level = size.bit_length() - 1
    return level, piece[0] >> level


def sealed_size() -> int:
    head = ChainHead.objects.filter(id=1).values_list("seq", flat=True).first()
    return head or 0


def _merged(ranges: Iterable[Range]) -> list[Range]:
    out: list[Range] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _hex(column: str) -> str:
    return f"encode({column}, 'hex')" if connection.vendor == "postgresql" else f"lower(hex({column}))"


def _read(node_keys: list[int], leaf_ranges: list[Range]) -> tuple[dict[int, bytes], dict[int, bytes]]:
    """Stored nodes by key and leaf hashes by leaf index, in one round trip (a proof's
    latency is mostly round trips)."""
    # Only placeholders are spliced in; every value is a parameter.
    parts, params = [], []
    if node_keys:
        marks = ", ".join(["%s"] * len(node_keys))
        parts.append(f"SELECT key, {_hex('hash')} FROM audit_merklenode WHERE key IN ({marks})")  # noqa: S608
        params += node_keys
    if leaf_ranges:
        ranges = " OR ".join(["(seq > %s AND seq <= %s)"] * len(leaf_ranges))
        parts.append(f"SELECT -seq, hash FROM audit_auditentry WHERE {ranges}")  # noqa: S608
        params += [bound for r in leaf_ranges for bound in r]
    if not parts:
        return {}, {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    nodes = {k: bytes.fromhex(h) for k, h in rows if k > 0}
    leaves = {-k - 1: merkle.leaf_hash(bytes.fromhex(h)) for k, h in rows if k < 0}
    return nodes, leaves


def _perfect_hashes(pieces: set[Range]) -> dict[Range, bytes]:
    """The hash of each perfect subtree: stored ones looked up, the others from their leaves."""
    stored = {node_key(*_level_index(p)): p for p in pieces if p[1] - p[0] >= BLOCK}
    low = [p for p in pieces if p[1] - p[0] < BLOCK]
    nodes, leaves = _read(list(stored), _merged(low))
    if len(nodes) < len(stored) and extend(wait=True):  # the job has not caught up: do its work now
        nodes.update(_read(list(stored), [])[0])
    known = {p: nodes[k] for k, p in stored.items() if k in nodes}
    missing = [p for p in stored.values() if p not in known]  # beyond the sealed entries? from the entries
    if missing:
        leaves.update(_read([], _merged(missing))[1])
    try:
        for s, e in low + missing:
            known[(s, e)] = merkle.root_of_leaves([leaves[i] for i in range(s, e)])
    except KeyError as missing_leaf:
        raise TreeBroken(f"entry #{missing_leaf.args[0] + 1} is missing") from None
    return known


def node_hashes(ranges: list[Range]) -> list[bytes]:
    """The hashes of tree nodes (perfect subtrees or right edges), in order."""
    pieces = {p for s, e in ranges for p in merkle.perfect_pieces(s, e)}
    known = _perfect_hashes(pieces)
    return merkle.hashes_of(ranges, known.__getitem__)


def root_hash(tree_size: int) -> bytes:
    if tree_size == 0:
        return merkle.EMPTY_ROOT
    return node_hashes([(0, tree_size)])[0]


def inclusion_proof(*, seq: int, tree_size: int) -> tuple[bytes, list[bytes]]:
    """(leaf hash, audit path) of entry ``seq`` in the tree of ``tree_size`` entries;
    1 <= seq <= tree_size <= sealed_size() is the caller's to check."""
    index = seq - 1
    path = merkle.inclusion_ranges(index, tree_size)
    hashes = node_hashes([*path, (index, index + 1)])
    return hashes[-1], hashes[:-1]


def consistency_proof(*, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[second]); 1 <= first <= second <= sealed_size() is the caller's to check."""
    return node_hashes(merkle.consistency_ranges(first, second))


# Extending the stored tree ----------------------------------------------------------------

def stored_blocks() -> int:
    """How many blocks of leaves the stored tree covers."""
    top = MerkleNode.objects.filter(key__gte=node_key(BLOCK_LEVEL, 0), key__lt=node_key(BLOCK_LEVEL + 1, 0)) \
        .aggregate(top=Max("key"))["top"]
    return 0 if top is None else top - node_key(BLOCK_LEVEL, 0) + 1


def _locked(wait: bool) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: the IMMEDIATE transaction already holds the write lock
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s), true" if wait else "SELECT pg_try_advisory_xact_lock(%s)",
                       [TREE_LOCK])
        return bool(cursor.fetchone()[-1])


def _block_hashes(first: int, last: int) -> list[bytes]:
    """The hashes of blocks [first, last), from their entries."""
    lo, hi = first * BLOCK, last * BLOCK
    rows = list(AuditEntry.objects.filter(seq__gt=lo, seq__lte=hi).order_by("seq").values_list("seq", "hash"))
    if len(rows) != hi - lo or rows[0][0] != lo + 1 or rows[-1][0] != hi:
        raise TreeBroken("entries missing below the chain head")
    leaves = [merkle.leaf_hash(bytes.fromhex(h)) for _seq, h in rows]
    return [merkle.root_of_leaves(leaves[i:i + BLOCK]) for i in range(0, len(leaves), BLOCK)]


def _parents(new: dict[tuple[int, int], bytes], lo: int, hi: int) -> None:
    """Add to ``new`` every node above the block level that blocks [lo, hi) complete."""
    level = BLOCK_LEVEL
    # The only old child a new parent can have is the left one at index lo - 1 (lo odd).
    lefts, l_lo = {}, lo
    for lv in range(BLOCK_LEVEL, 41):
        if l_lo % 2:
            lefts[node_key(lv, l_lo - 1)] = (lv, l_lo - 1)
        l_lo //= 2
    old = {lefts[k]: bytes(h) for k, h in MerkleNode.objects.filter(key__in=list(lefts)).values_list("key", "hash")}
    while hi // 2 > lo // 2:
        for i in range(lo // 2, hi // 2):
            left = new.get((level, 2 * i)) or old[(level, 2 * i)]
            new[(level + 1, i)] = merkle.node_hash(left, new[(level, 2 * i + 1)])
        level, lo, hi = level + 1, lo // 2, hi // 2


def _extend_batch(wait: bool) -> int:
    """One transaction's worth; returns how many blocks it stored (-1: another extender runs)."""
    with transaction.atomic():
        if not _locked(wait):
            return -1
        built = stored_blocks()
        target = min(sealed_size() // BLOCK, built + BLOCKS_PER_BATCH)
        if target <= built:
            return 0
        new = {(BLOCK_LEVEL, built + i): h for i, h in enumerate(_block_hashes(built, target))}
        _parents(new, built, target)
        MerkleNode.objects.bulk_create([MerkleNode(key=node_key(lv, i), hash=h) for (lv, i), h in new.items()])
        return target - built


def extend(*, wait: bool = False) -> int:
    """Store the nodes of every complete block of sealed entries; returns how many blocks
    were added. With ``wait`` False it leaves the work to an extender already running."""
    added = 0
    while (batch := _extend_batch(wait)) > 0:
        added += batch
    return added
