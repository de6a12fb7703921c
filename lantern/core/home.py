"""What each role's home page shows: panels declared as data, filled by selectors.

Panels for cases arrive with the case apps; until then a role's panel says that its list
is empty rather than hiding it, so users see where their work will appear."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.access.policy import Capability, has_capability
from lantern.accounts.models import User
from lantern.accounts.roles import Role


@dataclass
class Panel:
    title: Promise
    empty: Promise
    items: list[Any] = field(default_factory=list)
    link: str = ""
    link_text: Promise | str = ""


ROLE_PANELS: dict[Role, list[tuple[Promise, Promise]]] = {
    Role.INTAKE_OFFICER: [(_("Reports registered by my unit"), _("No reports yet."))],
    Role.INVESTIGATOR: [(_("My cases"), _("No cases are assigned to you.")),
                        (_("Checklist items due"), _("Nothing is due."))],
    Role.SUPERVISOR: [(_("Awaiting my decision"), _("Nothing awaits your decision.")),
                      (_("Overdue in my unit"), _("Nothing is overdue."))],
    Role.UNIT_HEAD: [(_("Escalated to me"), _("Nothing has been escalated to you."))],
    Role.PROSECUTOR: [(_("Non-filing decisions in my jurisdiction"), _("No decisions to review."))],
    Role.PARTNER_CASEWORKER: [(_("Referrals needing action"), _("No referrals."))],
    Role.CAMPAIGN_ANALYST: [(_("Campaigns"), _("No campaigns yet."))],
    Role.DISCIPLINE_INSPECTOR: [(_("Decision trails to review"), _("Nothing to review."))],
    Role.INSTITUTION: [(_("Our mandatory reports"), _("No reports yet."))],
}


def panels_for(user: User) -> list[Panel]:
    panels = [Panel(title, empty) for role in sorted(user.role_set) for title, empty
              in ROLE_PANELS.get(role, [])]
    if has_capability(user, Capability.MANAGE_ACCOUNTS):
        locked = list(User.objects.filter(locked_at__isnull=False).order_by("locked_at")[:20])
        panels.append(Panel(_("Locked accounts"), _("No account is locked."), locked,
                            reverse("accounts:locked"), _("Manage locked accounts")))
    if has_capability(user, Capability.READ_AUDIT):
        panels.append(Panel(_("Audit log"), _("Open the audit log to review entries."), [],
                            reverse("audit:list"), _("Open the audit log")))
    return panels
