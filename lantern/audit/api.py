from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lantern.access.policy import Capability, Verb, require_capability, scope
from lantern.audit.models import AuditEntry
from lantern.audit.verify import verify_chain

router = Router(tags=["audit"])


class EntryOut(Schema):
    seq: int | None = Field(description="Position in the hash chain; null until sealed")
    at: dt.datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    source: str
    outcome: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


class EntryFilter(Schema):
    after_seq: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=1000)
    action: str | None = Field(None, max_length=80)


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_bad_seq: int | None
    first_bad_entry: str | None = Field(description='"#seq", or "id N" for an entry never sealed')
    problem: str | None


@router.get("/entries", response=list[EntryOut], summary="Sealed audit entries in chain order")
def entries(request: HttpRequest, filters: Query[EntryFilter]) -> list[AuditEntry]:
    require_capability(request.user, Capability.READ_AUDIT)
    qs = scope(request.user, Verb.VIEW, AuditEntry.objects.all()).filter(seq__gt=filters.after_seq)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    return list(qs.order_by("seq")[: filters.limit])


@router.get("/verify", response=VerifyOut, summary="Verify the hash chain now")
def verify(request: HttpRequest) -> VerifyOut:
    require_capability(request.user, Capability.READ_AUDIT)
    report = verify_chain()
    problem = report.problem
    return VerifyOut(ok=report.ok, checked=report.checked,
                     first_bad_seq=problem.seq if problem else None,
                     first_bad_entry=problem.ref if problem else None,
                     problem=problem.what if problem else None)
