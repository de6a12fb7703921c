from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from lantern.notifications.models import Notification


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(recipient=request.user).select_related("case")
    return render(request, "notifications/inbox.html", {"page": Paginator(notes, 30).get_page(request.GET.get("page"))})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    # Only the user's own notifications: the filter is the access rule here.
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:inbox")
