"""One pass over a range of the sealed entries: every entry's content hash, link and place
in the chain, and, in the same pass, the Merkle leaves, the hashes of its complete blocks of
256 and the right edges the signed tree heads end on (lantern.audit.verify puts the ranges
together and checks them against the stored tree and the signatures).

The pass is the cost of verifying ten million entries, so it reads and hashes lean: on
PostgreSQL the rows arrive through a server-side cursor with the time already in canonical
form, each entry's canonical JSON is assembled from its fields (the same bytes
lantern.audit.chain builds through a dict and json.dumps; a test holds the two equal), and a
range is self-contained, so ``verify_chain(workers=2)`` runs ranges in parallel processes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from lantern.audit import chain, merkle, tree
from lantern.audit.models import AuditEntry

FETCH = 5000

_escape = json.encoder.encode_basestring  # json.dumps(str, ensure_ascii=False): the C function
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_sha256 = hashlib.sha256

_PG_ROWS = """
SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor_id, action, object_type,
       object_id, source, request_id, outcome, details::text, content_hash, prev_hash, hash
  FROM audit_auditentry WHERE seq BETWEEN %s AND %s ORDER BY seq
"""


@dataclass
class Finding:
    seq: int
    code: str  # "seq", "link", "content", "hash" (lantern.audit.verify words them)
    expected_seq: int


@dataclass
class RangeResult:
    """What one range [start, end] holds, for stitching to its neighbours."""

    start: int
    first_seq: int | None = None  # the first entry found in the range, and its prev_hash
    first_prev_hash: str = ""
    last_seq: int = 0
    last_hash: str = ""
    count: int = 0
    finding: Finding | None = None
    blocks: list[bytes] = field(default_factory=list)  # level-8 hashes of its complete blocks
    edges: dict[int, bytes] = field(default_factory=dict)  # tree size -> fold of its pieces below 256
    hashes: dict[int, str] = field(default_factory=dict)  # the chain hash at each asked-for seq


def content_json(at: str, actor_id: Any, action: str, object_type: str, object_id: str, source: str,
                 request_id: str, outcome: str, details: Any) -> str:
    """chain.canonical_json of the entry's content, assembled field by field (sorted keys)."""
    actor = "null" if actor_id is None else str(int(actor_id))
    return (f'{{"action":{_escape(action)},"actor_id":{actor},"at":"{at}","details":{_canonical(details)},'
            f'"object_id":{_escape(object_id)},"object_type":{_escape(object_type)},"outcome":{_escape(outcome)},'
            f'"request_id":{_escape(request_id)},"source":{_escape(source)}}}')


def _rows_postgresql(start: int, end: int) -> Iterator[tuple]:
    with connection.chunked_cursor() as cursor:
        cursor.itersize = FETCH
        cursor.execute(_PG_ROWS, [start, end])
        for row in cursor:
            yield (*row[:9], json.loads(row[9]), *row[10:])


def _rows_portable(start: int, end: int) -> Iterator[tuple]:
    fields = ("seq", "at", "actor_id", "action", "object_type", "object_id", "source", "request_id", "outcome",
              "details", "content_hash", "prev_hash", "hash")
    rows = AuditEntry.objects.filter(seq__gte=start, seq__lte=end).order_by("seq").values_list(*fields)
    for row in rows.iterator(chunk_size=FETCH):
        yield (row[0], chain.canonical_time(row[1]), *row[2:])


def rows(start: int, end: int) -> Iterator[tuple]:
    return (_rows_postgresql if connection.vendor == "postgresql" else _rows_portable)(start, end)


class _Leaves:
    """The Merkle leaves of a range that starts on a block boundary."""

    def __init__(self, result: RangeResult, tree_sizes: list[int]):
        self.result, self.block = result, []
        self.sizes = [n for n in tree_sizes if n % tree.BLOCK]  # sizes ending inside a block

    def add(self, chain_hash: str) -> None:
        self.block.append(_sha256(b"\x00" + bytes.fromhex(chain_hash)).digest())
        if len(self.block) == tree.BLOCK:
            self.close()

    def close(self) -> None:
        """At a block's end (or the range's): its hash if complete, the edges ending in it."""
        if not self.block:
            return
        first = self.result.last_seq - len(self.block)  # leaf index of the block's first leaf
        for n in self.sizes:
            if first < n <= first + len(self.block) and n - first < tree.BLOCK:
                pieces = [merkle.root_of_leaves(self.block[s - first:e - first])
                          for s, e in merkle.perfect_pieces(first, n)]
                self.result.edges[n] = merkle.fold(pieces)
        if len(self.block) == tree.BLOCK:
            self.result.blocks.append(merkle.root_of_leaves(self.block))
        self.block = []


def scan(start: int, end: int, *, tree_sizes: Iterable[int] = (), want: Iterable[int] = (),
         source: Iterable[tuple] | None = None) -> RangeResult:
    """Check entries start..end (start - 1 a multiple of 256); stops at the first finding."""
    result = RangeResult(start=start)
    leaves, want = _Leaves(result, sorted(tree_sizes)), set(want)
    expected, prev = start, None
    for (seq, at, actor_id, action, object_type, object_id, source_, request_id, outcome, details,
         content_hash, prev_hash, entry_hash) in (source if source is not None else rows(start, end)):
        if result.first_seq is None:
            result.first_seq, result.first_prev_hash = seq, prev_hash
        code = _check(seq, expected, prev, prev_hash, content_hash, entry_hash,
                      content_json(at, actor_id, action, object_type, object_id, source_, request_id, outcome,
                                   details))
        if code:
            result.finding = Finding(seq, code, expected)
            break
        result.last_seq, result.last_hash, result.count, prev, expected = seq, entry_hash, result.count + 1, \
            entry_hash, seq + 1
        leaves.add(entry_hash)
        if seq in want:
            result.hashes[seq] = entry_hash
    leaves.close()
    return result


def _check(seq: int, expected: int, prev: str | None, prev_hash: str, content_hash: str, entry_hash: str,
           content: str) -> str | None:
    if seq != expected:
        return "seq"
    if prev is not None and prev_hash != prev:
        return "link"
    if _sha256(content.encode()).hexdigest() != content_hash:
        return "content"
    if _sha256(f"{seq}|{prev_hash}|{content_hash}".encode()).hexdigest() != entry_hash:
        return "hash"
    return None
