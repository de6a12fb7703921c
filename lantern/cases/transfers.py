"""Moving a case to another police unit (移送管辖, or a higher unit taking a major case):
requested by the handling unit's supervisor or head, in force once the receiving unit's
supervisor or head accepts. While it waits, the case stays with the old unit; on
acceptance its unit changes at once (and with it every access basis that follows the
unit), the clocks run on unchanged, the team is cleared for the receiving supervisor to
assign, and both units are told. The CaseTransfer rows stay as the record of what each
unit handed on or took; they are never a reason to see the case.

Guards and steps for the workflow table's rows ``transfer_case``, ``accept_transfer``
and ``refuse_transfer`` (cases.workflow)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantern.access.roles import Role
from lantern.accounts.models import Unit, User
from lantern.accounts.models.units import Branch, Level
from lantern.cases.guards import Ctx
from lantern.cases.models import Assignment, Case, CaseTransfer, ChecklistItem, ItemStatus, TransferStatus
from lantern.core import memo
from lantern.core.transitions import Unmet
from lantern.deadlines.rules import MPS, POLICY
from lantern.notifications.services import notify

# Where the law puts criminal cases (MPS Provisions 2020 art. 24): county-level bureaus
# and above. Stations and internal departments hand theirs to the bureau (intake.handling_unit).
CRIMINAL_CASE_LEVELS = (Level.NATIONAL, Level.PROVINCE, Level.PREFECTURE, Level.COUNTY)
# Art. 15: the place of the offence (or the suspect's residence) decides; art. 24: a higher
# organ may take a case of a lower one, and a lower one may ask the next organ up to take a
# major case. That the receiving unit accepts before the case moves is Lantern's rule.
LEGAL_REFERENCE = f"{MPS}第十五条、第二十四条；{POLICY}"
DECIDERS = (Role.SUPERVISOR, Role.UNIT_HEAD)


def receiving_units(case: Case) -> list[Unit]:
    """The units a case may be transferred to: active police units with criminal-case
    jurisdiction other than its own (a higher one only for a major case: see target_unit)."""
    qs = Unit.objects.filter(branch=Branch.POLICE, level__in=CRIMINAL_CASE_LEVELS, is_active=True)
    units = qs.exclude(pk=case.unit_id).order_by("path")
    return [u for u in units if not _higher(u, case) or case.has_flag("major_case")]


def _higher(unit: Unit, case: Case) -> bool:
    return case.unit.is_within(unit) and unit.pk != case.unit_id


def pending_transfer(case: Case) -> CaseTransfer | None:
    # The case page asks six times (its JSON, the buttons' guards); once per read-only request.
    return memo.remembered(("pending transfer", case.pk), lambda: case.transfers.filter(
        status=TransferStatus.PENDING).select_related("from_unit", "to_unit").first())


def _command_unit(user: Any) -> Unit | None:
    return user.unit.command_unit() if user is not None and user.unit is not None else None


# --- Guards ------------------------------------------------------------------------------------


def of_the_handling_unit(ctx: Ctx) -> Unmet | None:
    """Only the unit that has the case (or one above it) hands it on."""
    unit = _command_unit(ctx.actor)
    if unit is None or not ctx.case.unit.is_within(unit):
        return Unmet("not_handling_unit", _("Only the supervisor or head of the unit handling the case may do this."))
    return None


def no_pending_transfer(ctx: Ctx) -> Unmet | None:
    if pending_transfer(ctx.case) is not None:
        return Unmet("transfer_pending", _("A transfer of this case is already awaiting acceptance."))
    return None


def target_unit(ctx: Ctx) -> Unmet | None:
    """The unit named in ``unit_id`` may take criminal cases; a higher unit only a major one."""
    raw = str(ctx.payload.get("unit_id") or "").strip()
    unit = Unit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if unit is None or unit.branch != Branch.POLICE or unit.level not in CRIMINAL_CASE_LEVELS or not unit.is_active:
        return Unmet("unit_id", _("Choose the police unit (county bureau or above) that is to take the case."))
    if unit.pk == ctx.case.unit_id:
        return Unmet("unit_id", _("The case is already with that unit."))
    if _higher(unit, ctx.case) and not ctx.case.has_flag("major_case"):
        return Unmet("unit_id", _("A higher unit takes over only a major case."))
    return None


def transfer_awaited(ctx: Ctx) -> Unmet | None:
    if pending_transfer(ctx.case) is None:
        return Unmet("no_transfer", _("No transfer of this case is awaiting acceptance."))
    return None


def of_the_receiving_unit(ctx: Ctx) -> Unmet | None:
    transfer = pending_transfer(ctx.case)
    if transfer is not None and _command_unit(ctx.actor) != transfer.to_unit:
        return Unmet("not_receiving_unit", _("Only the supervisor or head of the receiving unit decides on a "
                                             "transfer."))
    return None


# --- Steps -------------------------------------------------------------------------------------


def _deciders(unit: Unit) -> list[User]:
    """Supervisors and heads of a unit and its departments: who is told of its transfers."""
    return list(User.objects.filter(is_active=True, roles__role__in=DECIDERS,
                                    unit__path__startswith=unit.path).distinct())


def transfer_case(ctx: Ctx) -> None:
    to_unit = Unit.objects.get(pk=int(ctx.payload["unit_id"]))
    transfer = CaseTransfer.objects.create(case=ctx.case, from_unit=ctx.case.unit, to_unit=to_unit,
                                           reason=ctx.text("reason"), requested_by=ctx.actor, requested_at=ctx.now)
    ctx.audit.update(transfer=transfer.pk, from_unit=ctx.case.unit_id, to_unit=to_unit.pk)
    notify(recipients=_deciders(to_unit), kind="transfer_awaited", case=ctx.case)


def accept_transfer(ctx: Ctx) -> None:
    transfer = _decide(ctx, TransferStatus.ACCEPTED)
    case = ctx.case
    case.unit = transfer.to_unit
    case.save(update_fields=["unit"])
    case.merged_reports.update(unit=transfer.to_unit)  # the reports merged into it are part of its file
    # The old team's access ends with the move; the receiving supervisor assigns a new one.
    # Clocks are not touched: the law's periods run from the report, not from the transfer.
    end_reason = _("The case was transferred to %(unit)s.") % {"unit": transfer.to_unit.name}
    for ended in Assignment.objects.filter(case=case, active=True):
        ended.active, ended.ended_at, ended.ended_by, ended.end_reason = False, ctx.now, ctx.actor, end_reason
        ended.save(update_fields=["active", "ended_at", "ended_by", "end_reason"])
    ChecklistItem.objects.filter(case=case).exclude(status=ItemStatus.DONE).update(responsible=None)
    _tell_both_units(ctx, transfer, "transfer_accepted")


def refuse_transfer(ctx: Ctx) -> None:
    transfer = _decide(ctx, TransferStatus.REFUSED)
    _tell_both_units(ctx, transfer, "transfer_refused")


def _decide(ctx: Ctx, status: str) -> CaseTransfer:
    transfer = CaseTransfer.objects.select_for_update().get(pk=pending_transfer(ctx.case).pk)
    transfer.status, transfer.decided_by, transfer.decided_at = status, ctx.actor, ctx.now
    transfer.decision_reason = ctx.text("reason")
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    ctx.audit.update(transfer=transfer.pk, from_unit=transfer.from_unit_id, to_unit=transfer.to_unit_id)
    return transfer


def _tell_both_units(ctx: Ctx, transfer: CaseTransfer, kind: str) -> None:
    """The sending unit's supervisors and heads, and the receiving unit's heads (its
    supervisors were told when it was asked), except the person who decided."""
    heads = [u for u in _deciders(transfer.to_unit) if u.has_role(Role.UNIT_HEAD)]
    recipients = [u for u in _deciders(transfer.from_unit) + heads if u.pk != ctx.actor.pk]
    # Unit names only: the reasons stay on the case, where access is checked.
    notify(recipients=recipients, kind=kind, case=ctx.case,
           params={"unit": ctx.case.unit.name, "receiving": transfer.to_unit.name})


# --- Reads -------------------------------------------------------------------------------------


def transfer_json(transfer: CaseTransfer | None, reason: str) -> dict[str, Any] | None:
    if transfer is None:
        return None
    return {"id": transfer.pk, "status": transfer.status, "status_label": str(TransferStatus(transfer.status).label),
            "from_unit": transfer.from_unit.name, "from_unit_id": transfer.from_unit_id,
            "to_unit": transfer.to_unit.name, "to_unit_id": transfer.to_unit_id,
            "requested_by": transfer.requested_by.username, "requested_at": transfer.requested_at,
            "reason": reason}

