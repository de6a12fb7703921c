from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lantern.access.policy import Capability, Verb, require_capability, scope
from lantern.audit import readable
from lantern.audit.models import AuditEntry

FILTERS = ("user", "case", "action", "from", "to")


def _day(value: str, end: bool) -> datetime | None:
    day = parse_date(value or "")
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min)) if day else None


def filtered(entries: QuerySet[AuditEntry], given: dict[str, str]) -> QuerySet[AuditEntry]:
    """The audit log by who (username or display name), which case (its number), which
    action (the event name's beginning) and from/to (local dates, both days included)."""
    if who := given.get("user"):
        users = get_user_model().objects.filter(Q(username__iexact=who) | Q(first_name__icontains=who)
                                                | Q(last_name__icontains=who))
        entries = entries.filter(actor_id__in=list(users.values_list("pk", flat=True)))
    if number := given.get("case"):
        entries = entries.filter(object_type="cases.case", object_id__in=readable.find_objects("cases.case", number))
    if action := given.get("action"):
        entries = entries.filter(action__startswith=action)
    if start := _day(given.get("from", ""), end=False):
        entries = entries.filter(at__gte=start)
    if stop := _day(given.get("to", ""), end=True):
        entries = entries.filter(at__lte=stop)
    return entries


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.READ_AUDIT)
    given = {k: request.GET.get(k, "").strip() for k in FILTERS}
    entries = filtered(scope(request.user, Verb.VIEW, AuditEntry.objects.all()), given).order_by("-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = readable.read(page.object_list, reader=request.user)
    template = "audit/_entries.html" if request.htmx else "audit/list.html"
    return render(request, template, {"page": page, "rows": rows, "given": given, "query": _query(given),
                                      "actions": _action_choices()})


def _query(given: dict[str, str]) -> str:
    return urlencode({k: v for k, v in given.items() if v})


# The action filter's choices: the event families (events.py), named for people.
ACTION_GROUPS = (
    ("case.", gettext_lazy("Case work")), ("suspect.", gettext_lazy("Suspects")),
    ("evidence.", gettext_lazy("Evidence")), ("interview.", gettext_lazy("Interviews")),
    ("referral.", gettext_lazy("Referrals")), ("portal.", gettext_lazy("Family portal")),
    ("deadline.", gettext_lazy("Deadlines")), ("intake.", gettext_lazy("Intake")),
    ("break_glass.", gettext_lazy("Break-glass reviews")), ("account.", gettext_lazy("Accounts and sign-in")),
    ("user.", gettext_lazy("Users")), ("unit.", gettext_lazy("Units")), ("calendar.", gettext_lazy("Calendar")),
    ("admin.", gettext_lazy("Administration")), ("denied.", gettext_lazy("Refused for want of permission")),
)


def _action_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in ACTION_GROUPS]
