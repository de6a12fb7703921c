"""The inbox over the API: each user's own notifications (GET /api/v1/inbox, API.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from lantern.notifications import services
from lantern.notifications.models import Notification
from lantern.notifications.schemas import InboxFilter, InboxItemOut, InboxOut, MarkedOut

router = Router(tags=["inbox"])


def _item(note: Notification) -> dict[str, Any]:
    return {"id": note.pk, "kind": note.kind, "title": note.shown_title, "case_id": note.case_id,
            "created_at": note.created_at, "read": note.read}


@router.get("/inbox", response=InboxOut, summary="My notifications, newest first")
def inbox(request: HttpRequest, filters: Query[InboxFilter]) -> dict[str, Any]:
    notes = services.inbox_of(request.user, unread_only=filters.unread)
    page = notes[filters.offset:filters.offset + filters.limit]
    return {"items": [_item(n) for n in page], "count": notes.count(),
            "unread": services.unread_count(request.user)}


@router.post("/inbox/read-all", response=MarkedOut, summary="Mark all my notifications read")
def read_all(request: HttpRequest) -> dict[str, Any]:
    return {"marked": services.mark_all_read(actor=request.user), "unread": 0}


@router.post("/inbox/{int:notification_id}/read", response=InboxItemOut, summary="Mark one of my notifications read")
def read_one(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    return _item(services.mark_read(actor=request.user, notification_id=notification_id))
