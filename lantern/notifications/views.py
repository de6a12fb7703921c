from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from lantern.notifications import services


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    notes = services.inbox_of(request.user, unread_only=unread_only)
    return render(request, "notifications/inbox.html", {
        "page": Paginator(notes, 30).get_page(request.GET.get("page")), "unread_only": unread_only,
        "unread": services.unread_count(request.user)})


@login_required
@require_GET
def open_notification(request: HttpRequest, notification: int) -> HttpResponse:
    """Opening a notification marks it read and shows its case (the link in its e-mail too)."""
    note = services.mark_read(actor=request.user, notification_id=notification)
    if note.case_id is not None:
        return redirect("cases:detail", note.case_id)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_one_read(request: HttpRequest, notification: int) -> HttpResponse:
    services.mark_read(actor=request.user, notification_id=notification)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=request.user)
    return redirect("notifications:inbox")
