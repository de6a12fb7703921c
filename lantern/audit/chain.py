"""Hashing rules of the chain: the only place that defines them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

CONTENT_FIELDS = (
    "at", "actor_id", "action", "object_type", "object_id",
    "source", "request_id", "outcome", "details",
)


def canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: dict[str, Any]) -> str:
    data = {k: content[k] for k in CONTENT_FIELDS}
    data["at"] = canonical_time(data["at"])
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def link_hash(seq: int, prev_hash: str, content_digest: str) -> str:
    # PostgreSQL computes the same expression in SQL (lantern.audit.services._PG_APPEND).
    return hashlib.sha256(f"{seq}|{prev_hash}|{content_digest}".encode()).hexdigest()
