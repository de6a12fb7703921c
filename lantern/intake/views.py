from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from pydantic import ValidationError as PydanticValidationError

from lantern.access.policy import Capability, require_capability
from lantern.cases import documents
from lantern.cases.models import Case
from lantern.core.errors import LanternError, NotFound
from lantern.core.pdf import pdf_response
from lantern.core.public import portal_address
from lantern.intake import services
from lantern.intake.forms import SUSPECT_ROWS, IntakeForm

RECEIPT = "lantern_receipt"


def _require_police(request: HttpRequest) -> None:
    require_capability(request.user, Capability.REGISTER_REPORTS)


def _show_errors(form: IntakeForm, exc: LanternError) -> None:
    """Put the service's refusals beside the fields they name ("victim.date_of_birth" is
    the form's "victim_date_of_birth"); anything else above the form."""
    fields = {name: problems for name, problems in exc.details.items() if name != "unmet"}
    for name, problems in fields.items():
        form.add_error(form.field_for(tuple(name.split("."))), problems)
    if not fields:  # a refusal that names no field (409: no standard in force) says why above the form
        form.add_error(None, str(exc.message))


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    _require_police(request)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        merge = None
        if form.cleaned_data.get("merge_into"):
            merge = services.mergeable(request.user).filter(pk=form.cleaned_data["merge_into"]).first()
        try:
            done = services.register_report(actor=request.user, report=form.report(), merge_into=merge)
        except PydanticValidationError as exc:
            for problem in exc.errors():
                form.add_error(form.field_for(problem["loc"]), problem["msg"])
        except LanternError as exc:
            _show_errors(form, exc)
        else:
            request.session[RECEIPT] = {"case_id": done.case.pk, "tracking_code": done.tracking_code,
                                        "secret": done.portal_secret}
            return redirect("intake:receipt")
    suspect_fields = [[form[f"suspect_{n}_{part}"] for part in ("name", "phone", "id_number", "account")]
                      for n in range(1, SUSPECT_ROWS + 1)]
    return render(request, "intake/register.html", {"form": form, "suspect_fields": suspect_fields})


@login_required
@require_POST
def duplicates(request: HttpRequest) -> HttpResponse:
    _require_police(request)
    form = IntakeForm(request.POST)
    form.is_valid()  # partial data is fine: use what parses
    data = form.cleaned_data
    rows = range(1, SUSPECT_ROWS + 1)
    phones = [data.get(f"suspect_{n}_phone", "") for n in rows]
    id_numbers = [data.get("victim_id_number", "")] + [data.get(f"suspect_{n}_id_number", "") for n in rows]
    accounts = [account for _name, _phone, row_accounts, _id in form.suspects() for account in row_accounts]
    found = services.possible_duplicates(actor=request.user, victim_name=data.get("victim_name", ""),
                                         victim_date_of_birth=data.get("victim_date_of_birth"),
                                         suspect_phones=[p for p in phones if p],
                                         id_numbers=[n for n in id_numbers if n], suspect_accounts=accounts)
    seen = services.appearances(suspect_phones=[p for p in phones if p], suspect_accounts=accounts,
                                id_numbers=[n for _name, _phone, _acc, n in form.suspects() if n])
    return render(request, "intake/_duplicates.html", {"found": found, "appearances": seen})


@login_required
def receipt(request: HttpRequest) -> HttpResponse:
    """The tracking code and portal secret, shown once: a reload shows the case only."""
    require_capability(request.user, Capability.REGISTER_REPORTS)
    shown = request.session.pop(RECEIPT, None)
    if shown is None:
        return redirect("cases:list")
    case = Case.objects.filter(pk=shown["case_id"], created_by=request.user).first()
    review = documents.review_clock(case) if case else None
    return render(request, "intake/receipt.html", {"case": case, "shown": shown, "review": review,
                                                   "portal": portal_address()})


@login_required
@require_POST
def receipt_pdf(request: HttpRequest) -> HttpResponse:
    """The printed receipt. The secret comes from the officer's own form on the receipt
    page and is checked against its hash: it is never stored in clear to print it."""
    _require_police(request)
    case = Case.objects.filter(pk=request.POST.get("case_id") or 0, created_by=request.user).first()
    secret = request.POST.get("secret", "")
    if case is None or not services.portal_secret_matches(case, secret):
        raise NotFound()
    return pdf_response(documents.receipt(case, actor=request.user, secret=secret), f"receipt-{case.case_number}.pdf")

