"""The oversight flags page: the open flags of the user's jurisdiction, counted per kind,
filtered, paged; each row leads to the case (its own access rule decides) and to the
decision trail. Prosecutors also get the non-filings of their jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lantern.access.policy import Capability, require_capability
from lantern.access.roles import Role
from lantern.accounts.models import Unit
from lantern.accounts.models.units import Branch
from lantern.oversight import selectors
from lantern.oversight.api import since_moment
from lantern.oversight.kinds import EXPLANATIONS, THRESHOLDS, FlagKind


class FlagForm(forms.Form):
    flag = forms.ChoiceField(label=_("Flag"), required=False, choices=[("", _("All flags")), *FlagKind.choices])
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none(),
                                  empty_label=_("All units"))
    since = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Show"), required=False,
                               choices=[("open", _("Open flags")), ("all", _("Open and cleared"))])

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The police units of the user's jurisdiction (a flag's unit is the case's handling unit).
        self.fields["unit"].queryset = Unit.objects.filter(
            branch=Branch.POLICE, division_code__startswith=user.unit.jurisdiction_prefix if user.unit else "-",
        ).order_by("path")


@login_required
@require_GET
def flags(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.READ_OVERSIGHT_FLAGS)
    form = FlagForm(request.GET or None, user=request.user)
    wanted = form.cleaned_data if form.is_valid() else {}
    since: dt.date | None = wanted.get("since")
    unit = wanted.get("unit")
    rows = selectors.flag_list(request.user, flag=wanted.get("flag") or "", since=since_moment(since),
                               unit_id=unit.pk if unit else None, status=wanted.get("status") or "open")
    page = Paginator(rows.select_related("unit"), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.open_flag_counts(request.user)
    widest = max(counts.values(), default=0) or 1
    bars = [{"key": k, "label": FlagKind(k).label, "n": n, "pct": round(100 * n / widest),
             "explanation": EXPLANATIONS[k], "url": "?" + urlencode({"flag": k})} for k, n in counts.items()]
    here = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "oversight/flags.html", {
        "form": form, "page": page, "rows": [selectors.flag_row(r) for r in page.object_list], "bars": bars,
        "here": here, "thresholds": THRESHOLDS,
        "not_filed_url": f"{reverse('cases:list')}?list=not_filed" if request.user.has_role(Role.PROSECUTOR) else ""})
