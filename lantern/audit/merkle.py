"""The Merkle tree of RFC 9162 §2.1 as arithmetic on leaf ranges (standard library only).

A node of the tree is named by the half-open range of leaf indices it covers. The RFC's
recursive definitions (MTH, PATH, PROOF) only ever name two kinds of range: a *perfect*
subtree (a power of two of leaves, aligned to its size) and a *right edge* [start, n) of a
tree of n leaves. A right edge's hash is its perfect pieces, largest first, folded from the
right, so every hash a proof needs comes down to the hashes of perfect subtrees. Which of
those are stored and which computed is lantern.audit.tree's business; this module says
which ranges a proof consists of, and how hashes combine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

Range = tuple[int, int]  # [start, end) in leaf indices

EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) (RFC 9162 §2.1.1)


def leaf_hash(entry_hash: bytes) -> bytes:
    """The leaf of an audit entry: SHA-256(0x00 || its chain hash as 32 bytes)."""
    return hashlib.sha256(b"\x00" + entry_hash).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two strictly smaller than ``size`` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def is_perfect(start: int, end: int) -> bool:
    size = end - start
    return size > 0 and size & (size - 1) == 0 and start % size == 0


def perfect_pieces(start: int, end: int) -> list[Range]:
    """The perfect subtrees a tree node [start, end) splits into, left to right: the
    binary decomposition of its size (RFC 9162 always splits off the largest power of
    two first, so each piece is aligned to its own size)."""
    pieces = []
    while start < end:
        size = 1 << ((end - start).bit_length() - 1)
        pieces.append((start, start + size))
        start += size
    return pieces


def fold(piece_hashes: Sequence[bytes]) -> bytes:
    """MTH of a right edge from its perfect pieces' hashes (right to left)."""
    acc = piece_hashes[-1]
    for h in reversed(piece_hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def root_of_leaves(leaves: Sequence[bytes]) -> bytes:
    """MTH over a list of leaf hashes, bottom-up (equals the RFC's top-down definition)."""
    if not leaves:
        return EMPTY_ROOT
    pieces = []
    for s, e in perfect_pieces(0, len(leaves)):
        level = list(leaves[s:e])
        while len(level) > 1:
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
        pieces.append(level[0])
    return fold(pieces)


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """PATH(m, D[n]) (RFC 9162 §2.1.3.1) as node ranges, the leaf's sibling first."""
    path, lo, hi = [], 0, size
    while hi - lo > 1:
        k = split_point(hi - lo)
        if index < lo + k:
            path.append((lo + k, hi))
            hi = lo + k
        else:
            path.append((lo, lo + k))
            lo += k
    return path[::-1]


def consistency_ranges(first: int, second: int) -> list[Range]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 §2.1.4.1) as node ranges, for
    0 < first <= second; empty when the sizes are equal."""
    proof, lo, hi, whole = [], 0, second, True
    while first != hi:
        k = split_point(hi - lo)
        if first - lo <= k:
            proof.append((lo + k, hi))
            hi = lo + k
        else:
            proof.append((lo, lo + k))
            lo += k
            whole = False
    if not whole:
        proof.append((lo, hi))
    return proof[::-1]


def hashes_of(ranges: Iterable[Range], perfect: Callable[[Range], bytes]) -> list[bytes]:
    """The hash of each node range, given the hash of any perfect subtree."""
    return [fold([perfect(p) for p in perfect_pieces(s, e)]) for s, e in ranges]
