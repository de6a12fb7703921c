"""What each role's home page shows: panels declared as data, filled by selectors.

Panels for cases arrive with the case apps; until then a role's panel says that its list
is empty rather than hiding it, so users see where their work will appear."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.access.policy import Capability, has_capability
from lantern.access.roles import Role
from lantern.accounts.models import User


@dataclass
class Tile:
    """One of the user's own figures on the home page: a count and where it leads."""

    label: Promise | str
    value: int | str  # a published figure may be "<5" (campaigns.suppression)
    link: str = ""
    alert: bool = False  # a figure that should be zero (overdue, flags): shown in red when not


@dataclass
class Panel:
    title: Promise
    empty: Promise
    items: list[Any] = field(default_factory=list)
    link: str = ""
    link_text: Promise | str = ""


def _cases(user: User, which: str) -> list[tuple[str, str]]:
    """The first cases of a work queue, in its default order (minors first, then the clock
    that runs out soonest), each with the time its next deadline leaves."""
    from lantern.cases import queues

    return [(" · ".join([r["case_number"], r["state_label"], r["victim"]["pseudonym"]]
                        + ([r["next_deadline"]["left"]] if r["next_deadline"] else [])),
             reverse("cases:detail", args=[r["id"]]))
            for r in queues.rows(queues.fetch(queues.queue(user, which, queues.Filters()), 0, 8))]


# (title, empty text, which list, link to the full list)
ROLE_PANELS: dict[Role, list[tuple[Promise, Promise, str | None]]] = {
    Role.INTAKE_OFFICER: [(_("Reports registered by my unit"), _("No reports yet."), "mine")],
    Role.INVESTIGATOR: [(_("My cases"), _("No cases are assigned to you."), "mine"),
                        (_("Overdue in my cases"), _("Nothing is overdue."), "overdue")],
    Role.SUPERVISOR: [(_("Awaiting my decision"), _("Nothing awaits your decision."), "decide"),
                      (_("New, not yet assigned"), _("Every new report has a team."), "unassigned"),
                      (_("Overdue in my unit"), _("Nothing is overdue."), "overdue")],
    Role.UNIT_HEAD: [(_("Awaiting my decision"), _("Nothing awaits your decision."), "decide"),
                     (_("New, not yet assigned"), _("Every new report has a team."), "unassigned"),
                     (_("Overdue in my unit"), _("Nothing is overdue."), "overdue")],
    Role.PROSECUTOR: [(_("Non-filing decisions in my jurisdiction"), _("No decisions to review."), "not_filed")],
    Role.PARTNER_CASEWORKER: [(_("Referrals needing action"), _("No referrals."), None)],
    Role.CAMPAIGN_ANALYST: [(_("Campaigns"), _("No campaigns yet."), None)],
    Role.DISCIPLINE_INSPECTOR: [(_("Decision trails to review"), _("Nothing to review."), None)],
    Role.INSTITUTION: [(_("Our mandatory reports"), _("No reports yet."), None)],
}


# (label, which list, whether a non-zero count is a warning) per role: counts of the same
# named lists the panels show, so the figure and the list never disagree.
ROLE_TILES: dict[Role, list[tuple[Promise, str, bool]]] = {
    Role.INTAKE_OFFICER: [(_("Reports of my unit at intake"), "mine", False)],
    Role.INVESTIGATOR: [(_("My open cases"), "mine", False), (_("Overdue"), "overdue", True)],
    Role.SUPERVISOR: [(_("Awaiting my decision"), "decide", False), (_("Not yet assigned"), "unassigned", True),
                      (_("Overdue in my unit"), "overdue", True)],
    Role.UNIT_HEAD: [(_("Awaiting my decision"), "decide", False), (_("Not yet assigned"), "unassigned", True),
                     (_("Overdue in my unit"), "overdue", True)],
    Role.PROSECUTOR: [(_("Non-filing decisions in my jurisdiction"), "not_filed", False)],
}


def _flag_tiles(user: User) -> list[Tile]:
    """Open oversight flags of the user's jurisdiction, one figure per kind: each should be zero."""
    if not has_capability(user, Capability.READ_OVERSIGHT_FLAGS):
        return []
    from lantern.oversight.kinds import FlagKind
    from lantern.oversight.selectors import open_flag_counts

    url = reverse("oversight:flags")
    return [Tile(FlagKind(kind).label, n, f"{url}?flag={kind}", n > 0) for kind, n in open_flag_counts(user).items()]


# The campaign figures a reader of statistics sees first: this year so far, in their jurisdiction.
HEADLINE_FIGURES = ("received", "filed", "not_filed", "non_filing_rate", "overturned", "reopened_after_media")


def _figure_tiles(user: User) -> list[Tile]:
    if not has_capability(user, Capability.READ_STATISTICS) or user.unit is None:
        return []
    from lantern.campaigns import statistics
    from lantern.core.errors import LanternError

    today = timezone.localdate()
    try:
        table = statistics.table(user, statistics.Filters(start=today.replace(month=1, day=1), end=today))
    except LanternError:  # no police unit in the jurisdiction: nothing to count
        return []
    total, definitions = table["rows"][-1], table["definitions"]
    url = f"{reverse('campaigns:dashboard')}?from={today.replace(month=1, day=1).isoformat()}&to={today.isoformat()}"
    return [Tile(_("%(figure)s, this year") % {"figure": definitions[key]["label"]}, _shown(total[key]), url,
                 key == "reopened_after_media" and total[key] not in (0, "0"))
            for key in HEADLINE_FIGURES if key in total and key in definitions]


def _shown(value: Any) -> int | str:
    if isinstance(value, float):
        return f"{value:.0%}" if value <= 1 else f"{value:.1f}"
    return "–" if value in (None, "x") else value


def _record_tiles(user: User) -> list[Tile]:
    if not has_capability(user, Capability.RECORD_ACCOUNTABILITY):
        return []
    from lantern.discipline.selectors import records_for

    return [Tile(_("Accountability records"), records_for(user).count(), reverse("discipline:records"))]


# Figures of the apps that see across cases (flags, campaigns, accountability).
EXTRA_TILES: list[Callable[[User], list[Tile]]] = [_flag_tiles, _figure_tiles, _record_tiles]


def tiles_for(user: User) -> list[Tile]:
    """The user's own figures: one count per work list of their roles (each list once)."""
    from lantern.cases import queues

    tiles, seen = [], set()
    for role in sorted(user.role_set):
        for label, which, alert in ROLE_TILES.get(role, []):
            if which in seen:
                continue
            seen.add(which)
            count = queues.matching(user, which, queues.Filters()).count()
            tiles.append(Tile(label, count, f"{reverse('cases:list')}?list={which}", alert and count > 0))
    for extra in EXTRA_TILES:
        tiles.extend(extra(user))
    return tiles


def panels_for(user: User) -> list[Panel]:
    panels, seen = [], set()
    for role in sorted(user.role_set):
        for title, empty, which in ROLE_PANELS.get(role, []):
            if str(title) in seen:
                continue
            seen.add(str(title))
            items = _cases(user, which) if which else []
            link = f"{reverse('cases:list')}?list={which}" if which else ""
            panels.append(Panel(title, empty, items, link, _("Open the list") if which else ""))
    if has_capability(user, Capability.MANAGE_ACCOUNTS):
        locked = [(u.username, reverse("accounts:locked"))
                  for u in User.objects.filter(locked_at__isnull=False).order_by("locked_at")[:20]]
        panels.append(Panel(_("Locked accounts"), _("No account is locked."), locked,
                            reverse("accounts:locked"), _("Manage locked accounts")))
    if has_capability(user, Capability.READ_AUDIT):
        panels.append(Panel(_("Audit log"), _("Open the audit log to review entries."), [],
                            reverse("audit:list"), _("Open the audit log")))
    return panels
