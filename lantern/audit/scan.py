"""One pass over a range of the sealed entries: every entry's content hash, link and place
in the chain, and, in the same pass, the Merkle leaves, the hashes of its complete blocks
(lantern.audit.tree.BLOCK leaves) and the right edges the signed tree heads end on (lantern.audit.verify puts the ranges
together and checks them against the stored tree and the signatures).

This pass is the cost of verifying ten million entries, so it reads and hashes lean. An
entry's canonical JSON (lantern.audit.chain) is its fields in sorted order, so it is
assembled as a prefix (action, actor_id, at), the details, and a suffix (the other five
fields), each string escaped by the C function json.dumps uses. On PostgreSQL the range
streams in through COPY as plain text (a test holds the result equal to chain's for any
text), leaving Python one json round trip for the details besides the hashing.
Ranges are self-contained, so ``verify_chain(workers=2)`` checks them in parallel processes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from lantern.audit import chain, merkle, tree
from lantern.audit.models import AuditEntry

_escape = json.encoder.encode_basestring  # json.dumps(str, ensure_ascii=False): the C function
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_sha256 = hashlib.sha256
CANONICAL_MEMO = 50_000  # distinct details texts remembered per range

# Plain columns: PostgreSQL's to_json and to_char would cost the server more than the
# client spends escaping and formatting (measured: 3 and 1.2 µs a row against about 1.5).
_PG_COPY = """
COPY (SELECT seq, at AT TIME ZONE 'UTC', actor_id, action, object_type, object_id, source, request_id, outcome,
             details, content_hash, prev_hash, hash
        FROM audit_auditentry WHERE seq BETWEEN {start} AND {end} ORDER BY seq) TO STDOUT
"""
_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_COPY_ESCAPE = re.compile(r"\\(.)")


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
    blocks: list[bytes] = field(default_factory=list)  # the hashes of its complete blocks
    edges: dict[int, bytes] = field(default_factory=dict)  # tree size -> fold of its pieces below a block
    hashes: dict[int, str] = field(default_factory=dict)  # the chain hash at each asked-for seq


def prefix(at: str, actor_id: Any, action: str) -> str:
    actor = "null" if actor_id is None else str(int(actor_id))
    return f'{{"action":{_escape(action)},"actor_id":{actor},"at":"{at}","details":'


def suffix(object_id: str, object_type: str, outcome: str, request_id: str, source: str) -> str:
    return (f',"object_id":{_escape(object_id)},"object_type":{_escape(object_type)},"outcome":{_escape(outcome)},'
            f'"request_id":{_escape(request_id)},"source":{_escape(source)}}}')


def content_json(at: str, actor_id: Any, action: str, object_type: str, object_id: str, source: str,
                 request_id: str, outcome: str, details: Any) -> str:
    """chain.canonical_json of the entry's content, assembled field by field."""
    return prefix(at, actor_id, action) + _canonical(details) + suffix(object_id, object_type, outcome, request_id,
                                                                       source)


def _unescape(value: str) -> str:
    return _COPY_ESCAPE.sub(lambda m: _COPY_ESCAPES.get(m.group(1), m.group(1)), value)


def _utc(text: str) -> str:
    """PostgreSQL's "2026-01-01 08:00:00.5" (UTC) as chain.canonical_time writes it."""
    day, _, fraction = text.partition(".")
    return f"{day[:10]}T{day[11:]}.{fraction:0<6}Z"


def _rows_postgresql(start: int, end: int) -> Iterator[list[str]]:
    sql = _PG_COPY.replace("{start}", str(int(start))).replace("{end}", str(int(end)))
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        rest = b""
        for chunk in copy:
            lines = (rest + bytes(chunk)).split(b"\n")
            rest = lines.pop()
            for line in lines:
                text = line.decode()
                seq, at, actor, action, otype, oid, source, request, outcome, details, ch, ph, h = text.split("\t")
                if "\\" in text:  # COPY's own escaping (a backslash or control character), or a NULL actor
                    actor = "null" if actor == "\\N" else actor
                    action, otype, oid, source, request, outcome, details = (
                        _unescape(f) for f in (action, otype, oid, source, request, outcome, details))
                yield [seq, f'{{"action":{_escape(action)},"actor_id":{actor},"at":"{_utc(at)}","details":',
                       details, suffix(oid, otype, outcome, request, source), ch, ph, h]


def _rows_portable(start: int, end: int) -> Iterator[list[str]]:
    rows = AuditEntry.objects.filter(seq__gte=start, seq__lte=end).order_by("seq").values_list(
        "seq", "at", "actor_id", "action", "object_type", "object_id", "source", "request_id", "outcome", "details",
        "content_hash", "prev_hash", "hash")
    for seq, at, actor, action, otype, oid, source, request, outcome, details, ch, ph, h in rows.iterator(5000):
        yield [str(seq), prefix(chain.canonical_time(at), actor, action), _canonical(details),
               suffix(oid, otype, outcome, request, source), ch, ph, h]


def rows(start: int, end: int) -> Iterator[list[str]]:
    """Entries start..end as [seq, prefix, details JSON, suffix, content_hash, prev_hash, hash]."""
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
            if first < n <= first + len(self.block):
                pieces = [merkle.root_of_leaves(self.block[s - first:e - first])
                          for s, e in merkle.perfect_pieces(first, n)]
                self.result.edges[n] = merkle.fold(pieces)
        if len(self.block) == tree.BLOCK:
            self.result.blocks.append(merkle.root_of_leaves(self.block))
        self.block = []


def scan(start: int, end: int, *, tree_sizes: Iterable[int] = (), want: Iterable[int] = (),
         source: Iterable[list[str]] | None = None) -> RangeResult:
    """Check entries start..end (start - 1 a multiple of the block size); stops at the
    first finding."""
    result = RangeResult(start=start)
    leaves, want, loads = _Leaves(result, sorted(tree_sizes)), set(want), json.loads
    # Most entries' details repeat word for word (a read's basis and purpose, a sweep's
    # rule): their canonical form is worked out once. The JSON round trip was a quarter of
    # the checking time per entry.
    canonical: dict[str, str] = {"{}": "{}"}
    expected, prev = start, None
    for seq_text, before, details, after, content_hash, prev_hash, entry_hash in (
            source if source is not None else rows(start, end)):
        seq = int(seq_text)
        if result.first_seq is None:
            result.first_seq, result.first_prev_hash = seq, prev_hash
        canon = canonical.get(details)
        if canon is None:
            canon = _canonical(loads(details))
            if len(canonical) < CANONICAL_MEMO:
                canonical[details] = canon
        content = before + canon + after
        code = _check(seq, expected, prev, prev_hash, content_hash, entry_hash, content)
        if code:
            result.finding = Finding(seq, code, expected)
            break
        result.last_seq, result.last_hash, prev, expected = seq, entry_hash, entry_hash, seq + 1
        result.count += 1
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
