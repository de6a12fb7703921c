"""Case pages: thin views over the same selectors and actions as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lantern.access.policy import Capability, has_capability
from lantern.access.roles import Role
from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.cases import coldcases, documents, pages, queues, reads, sections, selectors, suspects, team, workflow
from lantern.cases.access import identity_on
from lantern.cases.checklist import find_not_satisfied, in_supervision_of_a_non_filing, set_checklist_item
from lantern.cases.guards import Ctx, on_team_or_supervisor
from lantern.cases.models import ChecklistItem
from lantern.cases.queue_forms import QueueForm
from lantern.cases.states import State, Trigger
from lantern.core.errors import LanternError, NotFound
from lantern.core.exports import csv_response, xlsx_response
from lantern.core.pdf import pdf_response
from lantern.core.refusals import attempt, keep_typed, report_refusal, take_kept

LISTS = {
    "mine": gettext_lazy("My cases"),
    "decide": gettext_lazy("Awaiting my decision"),
    "overdue": gettext_lazy("Overdue"),
    "not_filed": gettext_lazy("Non-filing decisions"),
    "unassigned": gettext_lazy("New, not yet assigned"),
}
# Lists only those who assign cases have (the others would always be empty).
ASSIGNERS_ONLY = frozenset({"unassigned"})


def _which(request: HttpRequest) -> str:
    which = request.GET.get("list", "mine")
    return which if which in LISTS else "mine"


def _lists_for(user: Any) -> dict[str, Any]:
    assigns = has_capability(user, Capability.DECIDE_FOR_UNIT)
    return {key: label for key, label in LISTS.items() if assigns or key not in ASSIGNERS_ONLY}


def _query(request: HttpRequest, *drop: str) -> str:
    """The current address's filters without ``drop``, for links that keep them."""
    kept = request.GET.copy()
    for key in drop:
        kept.pop(key, None)
    return kept.urlencode()


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    which = _which(request)
    form = QueueForm(request.GET, user=request.user)
    page = queues.paginated(request.user, which, form.filters()).get_page(request.GET.get("page"))
    return render(request, "cases/list.html", {
        "page": page, "rows": queues.rows(page.object_list), "which": which, "lists": _lists_for(request.user),
        "form": form, "filters": _query(request, "list", "page"), "here": _query(request, "page"),
        "may_break_glass": has_capability(request.user, Capability.BREAK_GLASS)})


@login_required
@require_GET
def case_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current list, filtered and sorted as on the page, as CSV or XLSX: pseudonyms
    only, formulas neutralised."""
    which = _which(request)
    cases = queues.queue(request.user, which, QueueForm(request.GET, user=request.user).filters())
    header = [_("Case number"), _("State"), _("Received"), _("Victim"), _("Age band"), _("Flags"), _("Handling unit"),
              _("Next deadline"), _("Due"), _("Time left"), _("Team"), _("Awaiting")]
    rows = ([r["case_number"], r["state_label"], timezone.localtime(r["received_at"]).strftime("%Y-%m-%d %H:%M"),
             r["victim"]["pseudonym"], r["victim"]["age_band"], " ".join(r["flag_labels"]), r["unit"],
             *_deadline_cells(r["next_deadline"]), " ".join(r["team"]), r["awaiting"]["label"] if r["awaiting"] else ""]
            for r in queues.rows(queues.fetch(cases, 0, queues.EXPORT_LIMIT)))
    if fmt == "xlsx":
        return xlsx_response(header, rows, f"lantern-{which}.xlsx", str(LISTS[which]))
    return csv_response(header, rows, f"lantern-{which}.csv")


def _deadline_cells(deadline: dict[str, Any] | None) -> list[str]:
    if deadline is None:
        return ["", "", ""]
    return [deadline["title"], timezone.localtime(deadline["due_at"]).strftime("%Y-%m-%d %H:%M"), deadline["left"]]


@login_required
@require_GET
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case, data = reads.open_case(actor=request.user, case_id=case_id)
    # The case's history is what was done to it; who read it is for the access report.
    entries = (AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
               .exclude(action=Event.CASE_READ).order_by("id"))
    identity = identity_on(request.user, data["access_basis"])
    history = readable.read(entries, reader=request.user, name_objects=False,
                            cache={"cases": {str(case.pk): case}, f"identity:{case.pk}": identity})
    actions, kept = workflow.available(case, request.user), take_kept(request)
    return render(request, "cases/case.html", {
        "case": case, "data": data, "actions": actions, **pages.split_actions(actions), **kept,
        "kept_unshown": pages.kept_unshown(kept, actions), "kept_action": pages.kept_action(kept),
        "clock_subjects": pages.clock_subjects(case, data, identity=identity), "clock_titles": pages.clock_titles(),
        "suspects": selectors.suspects_json(case, request.user, identity=identity),
        "cold_case_reviews": case.cold_case_reviews.select_related("reviewed_by"),
        "cold_case_checks": coldcases.COLD_CASE_CHECKS,
        "user_is_prosecutor": request.user.has_role(Role.PROSECUTOR),
        "may_object": request.user.has_role(Role.PROSECUTOR) and in_supervision_of_a_non_filing(case),
        "may_extend_arrest_request": has_capability(request.user, Capability.APPROVE_AS_POLICE_HEAD),
        "may_seal": has_capability(request.user, Capability.SEAL_CASES), "sealed": data["sealed"],
        "roles": Role.choices,
        "may_work": on_team_or_supervisor(Ctx(case=case, actor=request.user)) is None,
        "may_rule_out": has_capability(request.user, Capability.DECIDE_FOR_UNIT),
        "confirm_first": CONFIRM_FIRST,
        "history": history, "triggers": Trigger.choices,
        "state_label": State(case.state).label, "case_documents": documents.case_documents(case),
        **sections.render_context(case, request.user, identity=identity),
        **team.case_section(case, request.user, identity=identity),  # the team and transfer pickers
    })


# Decisions that cannot be taken back from this page: the form asks the approver to confirm
# having read the proposal, and this view refuses the action without that confirmation.
# The API takes {"reason"} alone: its clients confirm in their own interface.
CONFIRM_FIRST = frozenset({"approve_decision"})


KEPT_FIELDS = ("reason", "trigger", "outcome", "assignees", "username", "days")


@login_required
@require_POST
def take_action(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    case = selectors.case_for(request.user, case_id)
    if name in CONFIRM_FIRST and request.POST.get("confirm") != "yes":
        messages.error(request, _("Nothing was decided: confirm that you have read the proposal and the evidence "
                                  "summary (tick the box), then decide."))
        keep_typed(request, f"action:{name}", {"reason": request.POST.get("reason", "")})
        return redirect(reverse("cases:detail", args=[case.pk]) + "#decision")
    payload = {k: request.POST.get(k, "") for k in ("reason", "trigger", "outcome", "method", "username", "unit_id")}
    payload["assignees"] = [a.strip() for a in request.POST.getlist("assignees") if a.strip()]  # the team picker
    if request.POST.get("days", "").isdigit():
        payload["days"] = int(request.POST["days"])
    payload["verdicts"] = [{"suspect_id": int(key.removeprefix("verdict_")), "verdict": value,
                            "charges": request.POST.get(f"charges_{key.removeprefix('verdict_')}", ""),
                            "sentence": request.POST.get(f"sentence_{key.removeprefix('verdict_')}", "")}
                           for key, value in request.POST.items() if key.startswith("verdict_")
                           and key.removeprefix("verdict_").isdigit()]
    try:
        workflow.perform(case=case, actor=request.user, name=name, payload=payload)
    except LanternError as exc:
        report_refusal(request, exc)
        keep_typed(request, f"action:{name}", {k: request.POST.get(k, "") for k in KEPT_FIELDS})
        return redirect(reverse("cases:detail", args=[case.pk]) + f"#action-{name}")
    else:
        messages.success(request, _("Done: %(title)s.") % {"title": workflow.BY_NAME[name].title})
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_POST
def checklist_item(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    case = selectors.case_for(request.user, case_id)
    item = ChecklistItem.objects.filter(case=case, pk=item_id).first()
    if item is None:
        raise NotFound()
    if not attempt(request, lambda: set_checklist_item(actor=request.user, item=item,
                                                       status=request.POST.get("status", ""),
                                                       note=request.POST.get("note"))):  # absent: keep the note
        keep_typed(request, f"item:{item.pk}", {"note": request.POST.get("note", "")})
    return redirect(reverse("cases:detail", args=[case.pk]) + "#checklist")


@login_required
@require_POST
def not_satisfied(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    case = selectors.case_for(request.user, case_id)
    item = ChecklistItem.objects.filter(case=case, pk=item_id).first()
    if item is None:
        raise NotFound()
    attempt(request, lambda: find_not_satisfied(actor=request.user, item=item, reason=request.POST.get("reason", "")),
            _("The item is reopened for the police."))
    return redirect(reverse("cases:detail", args=[case.pk]) + "#checklist")


@login_required
@require_GET
def notice_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """不予立案通知书: the reasons and the right to reconsideration; the victim by pseudonym."""
    case = selectors.case_for(request.user, case_id)
    return pdf_response(documents.non_filing_notice(case, request.user), f"non-filing-notice-{case.case_number}.pdf")


@login_required
@require_GET
def decision_pdf(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """复议决定书, 复核决定书, the procuratorate's reply: the latest such decision on the case."""
    case = selectors.case_for(request.user, case_id)
    proceeding = documents.decided_proceeding(case, kind)
    data = documents.decision_document(case, proceeding, request.user)
    return pdf_response(data, f"{kind.replace('_', '-')}-{case.case_number}.pdf")


@login_required
@require_POST
def suspect_move(request: HttpRequest, case_id: int, suspect_id: int, name: str) -> HttpResponse:
    case = selectors.case_for(request.user, case_id)
    suspect = case.suspects.filter(pk=suspect_id).first()
    if suspect is None:
        raise NotFound()
    try:
        suspects.change_status(actor=request.user, suspect=suspect, move_name=name,
                               reason=request.POST.get("reason", ""))
    except LanternError as exc:
        report_refusal(request, exc)
        keep_typed(request, f"move:{suspect.pk}:{name}", {"reason": request.POST.get("reason", "")})
    else:
        messages.success(request, _("Done: %(title)s.") % {"title": suspects.BY_NAME[name].title})
    return redirect(reverse("cases:detail", args=[case.pk]) + "#suspects")


@login_required
@require_GET
def fugitive_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/fugitives.html", {"fugitives": selectors.fugitives(request.user)})


@login_required
@require_POST
def cold_case_review(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for(request.user, case_id)
    if not attempt(request, lambda: coldcases.record_cold_case_review(
            actor=request.user, case=case, rechecked=request.POST.getlist("rechecked"),
            findings=request.POST.get("findings", "")),
            _("Cold-case review recorded; the next one is due in six months.")):
        keep_typed(request, "cold_case", {"findings": request.POST.get("findings", "")})
    return redirect(reverse("cases:detail", args=[case.pk]) + "#cold-case")


def _extend(actor: Any, suspect: Any, post: QueryDict) -> object:
    if post.get("kind") == "custody":
        return suspects.extend_custody(actor=actor, suspect=suspect, article=post.get("article", ""),
                                       reason=post.get("reason", ""))
    days = int(post["days"]) if post.get("days", "").isdigit() else 0
    return suspects.extend_arrest_request(actor=actor, suspect=suspect, grounds=post.get("grounds", ""), days=days,
                                          reason=post.get("reason", ""))


@login_required
@require_POST
def suspect_extension(request: HttpRequest, case_id: int, suspect_id: int) -> HttpResponse:
    """The arrest-request extension (a county-level head) and the custody extension (prosecutors)."""
    case = selectors.case_for(request.user, case_id)
    suspect = case.suspects.filter(pk=suspect_id).first()
    if suspect is None:
        raise NotFound()
    if not attempt(request, lambda: _extend(request.user, suspect, request.POST), _("Extension recorded.")):
        keep_typed(request, f"extend:{suspect.pk}", {"reason": request.POST.get("reason", "")})
    return redirect(reverse("cases:detail", args=[case.pk]) + "#suspects")
