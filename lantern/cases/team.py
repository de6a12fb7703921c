"""Who may be on a case's team: the assign picker lists them, and ``assign`` refuses anyone else."""

from __future__ import annotations

from typing import Any

from lantern.access.roles import Role
from lantern.accounts.models import User
from lantern.cases import transfers


def eligible_investigators(case: Any) -> list[User]:
    """Active investigators of the handling unit and the brigades and stations below it."""
    return list(User.objects.filter(is_active=True, roles__role=Role.INVESTIGATOR,
                                    unit__path__startswith=case.unit.path).distinct().order_by("username"))


def display_name(user: User) -> str:
    return user.get_full_name() or user.username


def case_section(case: Any, user: Any, *, identity: bool) -> dict[str, Any]:
    """What the team and transfer forms of the case page offer (cases/_team.html,
    cases/_transfer.html): pickers, never free-text usernames or unit codes."""

    return {
        "team_choices": [(u.username, display_name(u)) for u in eligible_investigators(case)],
        "team_members": [(u.username, display_name(u)) for u in case.current_team()],
        "transfer_units": [(u.pk, u.name) for u in transfers.receiving_units(case)],
        "case_transfers": list(case.transfers.select_related("from_unit", "to_unit")),
    }
