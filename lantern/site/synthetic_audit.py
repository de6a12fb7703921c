"""The audit entries of generated cases, written already sealed into the chain.

Each entry gets its content hash, its sequence number, the previous entry's hash and its
own link hash by the rules of lantern.audit.chain, exactly as the sealer would have
given them, and the chain head moves to the last one, in the batch's transaction: the
chain verifies afterwards (lantern.audit.verify) without a sealer touching millions of
rows one by one. While a batch is written it holds the sealer's lock (PostgreSQL: the
advisory lock of lantern.audit.services; SQLite: the write lock), so no sealer links
other entries in between.

On PostgreSQL every inserted entry also queues the deferred "seal on commit" trigger
(audit migration 0002), which would find nothing to seal; a superuser's batch skips it
(synthetic_sink.bulk_mode). The append-only guard is not concerned: it traps UPDATE and
DELETE, and entries are only inserted here."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import connection

from lantern.audit import chain
from lantern.audit.models import AuditEntry, ChainHead, Outcome
from lantern.audit.services import SEALER_LOCK
from lantern.site.synthetic_sink import Ids, Table, escape, write

NULL = "\\N"
SOURCE = "synthetic"  # where an entry came from: these were made by generate_cases, not by a request
COLUMNS = ("id", "seq", "at", "actor_id", "action", "object_type", "object_id", "source", "request_id", "outcome",
           "details", "content_hash", "prev_hash", "hash")

Event = tuple[dt.datetime, int | None, str, int, dict[str, Any]]


def _lock_chain() -> tuple[int, str]:
    """Hold the sealer's lock for this transaction and read the head of the chain."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK])
    ChainHead.objects.get_or_create(id=1)
    head = ChainHead.objects.select_for_update().get(id=1)
    return head.seq, head.hash


# chain.content_hash's canonical JSON, assembled around the details' own (one encoding per
# entry instead of two), and chain.link_hash inline; every batch checks its first entry
# and its last link against lantern.audit.chain, so the two cannot drift apart.
CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
CONTENT = ('{"action":"%s","actor_id":%s,"at":"%s","details":%s,"object_id":"%s","object_type":"cases.case",'
           '"outcome":"success","request_id":"","source":"' + SOURCE + '"}')


def _utc(at: dt.datetime) -> str:
    """chain.canonical_time, cheaper for the UTC times most events have already."""
    if at.tzinfo is not dt.UTC:
        at = at.astimezone(dt.UTC)
    return at.isoformat(timespec="microseconds")[:-6] + "Z"


def _check(event: Event, digest: str) -> None:
    at, actor, action, case_id, details = event
    expected = chain.content_hash({"at": at, "actor_id": actor, "action": action, "object_type": "cases.case",
                                   "object_id": str(case_id), "source": SOURCE, "request_id": "",
                                   "outcome": Outcome.SUCCESS.value, "details": details})
    if digest != expected:
        raise AssertionError("synthetic_audit no longer hashes entries as lantern.audit.chain does")


class Encoder:
    """Canonical JSON of the details, remembered for the many that repeat (reads, moves)."""

    def __init__(self) -> None:
        self.known: dict[tuple[Any, ...], str] = {}

    def __call__(self, details: dict[str, Any]) -> str:
        try:
            key = tuple(details.items())
            return self.known[key]
        except TypeError:  # a list or dict among the values: not a key, encoded each time
            return CANONICAL.encode(details)
        except KeyError:
            self.known[key] = encoded = CANONICAL.encode(details)
            return encoded


def write_sealed(events: list[Event], ids: Ids) -> int:
    """Append ``events`` (about cases), in time order, sealed; call inside the batch's
    transaction. Returns how many were written."""
    if not events:
        return 0
    seq, prev = _lock_chain()
    table, encode = Table(AuditEntry, COLUMNS), Encoder()
    first = ids.take(AuditEntry, len(events))
    events.sort(key=lambda e: e[0])
    sha256, pg, before = hashlib.sha256, connection.vendor == "postgresql", prev
    for n, (at, actor, action, case_id, details) in enumerate(events):
        encoded, when = encode(details), _utc(at)
        digest = sha256((CONTENT % (action, "null" if actor is None else actor, when, encoded, case_id)).encode()
                        ).hexdigest()
        seq += 1
        before, prev = prev, sha256(f"{seq}|{prev}|{digest}".encode()).hexdigest()
        if pg:  # COPY's text format at once: codes, digits and hashes need no escaping, the details may
            table.lines.append(f"{first + n}\t{seq}\t{when}\t{NULL if actor is None else actor}\t{action}\t"
                               f"cases.case\t{case_id}\t{SOURCE}\t\tsuccess\t{escape(encoded)}\t{digest}\t"
                               f"{before}\t{prev}\n")
        else:
            table.add(first + n, seq, at, actor, action, "cases.case", str(case_id), SOURCE, "", "success",
                      encoded, digest, before, prev)
        if n == 0:
            _check(events[0], digest)
    if chain.link_hash(seq, before, digest) != prev:
        raise AssertionError("synthetic_audit no longer links entries as lantern.audit.chain does")
    write([table])
    ChainHead.objects.filter(id=1).update(seq=seq, hash=prev)
    return len(events)
