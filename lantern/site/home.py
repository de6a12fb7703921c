"""What each role's home page shows: panels declared as data, filled by selectors.

Panels for cases arrive with the case apps; until then a role's panel says that its list
is empty rather than hiding it, so users see where their work will appear."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
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


def _cases_panel(which: str) -> Callable[[User], list[tuple[str, str]]]:
    return lambda user: _cases(user, which)


def _campaigns(user: User) -> list[tuple[str, str]]:
    """Open campaigns first, newest first: each opens the dashboard on its figures."""
    from lantern.campaigns.rules import visible_campaigns

    url = reverse("campaigns:dashboard")
    return [(f"{c.name} · {c.starts_on:%Y-%m-%d} – {c.ends_on:%Y-%m-%d}", f"{url}?campaign_id={c.pk}")
            for c in visible_campaigns(user).order_by(F("closed_at").desc(nulls_first=True), "-starts_on")[:8]]


def _flags(user: User) -> list[tuple[str, str]]:
    """The newest open oversight flags: to the decision trail for an inspector (who does not
    open case pages), to the case for a prosecutor (its own access rule decides)."""
    from lantern.oversight.selectors import recent_flags

    key = "trail_url" if has_capability(user, Capability.RECORD_ACCOUNTABILITY) else "case_url"
    return [(f"{f['case_number']} · {f['label']} · {timezone.localtime(f['since']):%Y-%m-%d}", f[key])
            for f in recent_flags(user, 8)]


def _records(user: User) -> list[tuple[str, str]]:
    from lantern.discipline.selectors import recent_records

    return [(f"{r['case_number']} · {r['outcome_label']} · {r['decided_on']:%Y-%m-%d}",
             reverse("discipline:trail", args=[r["case_id"]])) for r in recent_records(user, 8)]


def _mandatory_reports(user: User) -> list[tuple[str, str]]:
    """The institution's newest reports: receipt, day filed, and the latest feedback or none yet."""
    from lantern.institutions import pages, selectors

    rows = pages.report_rows(selectors.own_reports(user)[:8])
    return [(" · ".join([r["receipt_number"], f"{timezone.localtime(r['filed_at']):%Y-%m-%d}",
                         str(r["feedback_label"] or _("waiting for feedback"))]),
             reverse("institutions:report", args=[r["id"]])) for r in rows]


def _registry_checks(user: User) -> list[tuple[str, str]]:
    """The institution's newest single checks and lists, each with its answer."""
    from lantern.institutions import pages

    url = reverse("institutions:checks")
    checks = [(f"{c.applicant_name} · {c.get_result_display()} · {timezone.localtime(c.checked_at):%Y-%m-%d}", url)
              for c in pages.check_list(user)[:5]]
    lists = [(f"{b.file_name} · " + _("%(done)s of %(total)s checked, %(hits)s hits")
              % {"done": b.done, "total": b.total, "hits": b.hits}, reverse("institutions:bulk", args=[b.pk]))
             for b in pages.own_batches(user, 3)]
    return checks + lists


# (title, empty text, what fills it, link to the full list and its text)
ROLE_PANELS: dict[Role, list[tuple[Promise, Promise, Callable[[User], list[tuple[str, str]]] | None, str, Promise]]] = {
    Role.INTAKE_OFFICER: [(_("Reports registered by my unit"), _("No reports yet."), _cases_panel("mine"),
                           "cases:list?list=mine", _("Open the list"))],
    Role.INVESTIGATOR: [(_("My cases"), _("No cases are assigned to you."), _cases_panel("mine"),
                         "cases:list?list=mine", _("Open the list")),
                        (_("Overdue in my cases"), _("Nothing is overdue."), _cases_panel("overdue"),
                         "cases:list?list=overdue", _("Open the list"))],
    Role.SUPERVISOR: [(_("Awaiting my decision"), _("Nothing awaits your decision."), _cases_panel("decide"),
                       "cases:list?list=decide", _("Open the list")),
                      (_("New, not yet assigned"), _("Every new report has a team."), _cases_panel("unassigned"),
                       "cases:list?list=unassigned", _("Open the list")),
                      (_("Overdue in my unit"), _("Nothing is overdue."), _cases_panel("overdue"),
                       "cases:list?list=overdue", _("Open the list"))],
    Role.PROSECUTOR: [(_("Non-filing decisions in my jurisdiction"), _("No decisions to review."),
                       _cases_panel("not_filed"), "cases:list?list=not_filed", _("Open the list")),
                      (_("Open oversight flags"), _("No flag is open in your jurisdiction."), _flags,
                       "oversight:flags", _("All flags"))],
    Role.PARTNER_CASEWORKER: [(_("Referrals needing action"), _("No referrals."), None,
                               "referrals:workspace", _("Open my referrals"))],
    Role.CAMPAIGN_ANALYST: [(_("Campaigns"), _("No campaigns yet."), _campaigns, "campaigns:list",
                             _("Manage campaigns"))],
    Role.DISCIPLINE_INSPECTOR: [(_("Open oversight flags"), _("No flag is open in your jurisdiction."), _flags,
                                 "oversight:flags", _("All flags")),
                                (_("Accountability records"), _("No record yet."), _records,
                                 "discipline:records", _("All records"))],
    Role.INSTITUTION: [(_("Our mandatory reports"), _("No reports yet."), _mandatory_reports,
                        "institutions:workspace", _("Open our reports")),
                       (_("Registry checks before hiring"), _("No checks yet."), _registry_checks,
                        "institutions:checks", _("Check an applicant"))],
}
ROLE_PANELS[Role.UNIT_HEAD] = [*ROLE_PANELS[Role.SUPERVISOR],
                               (_("Campaigns"), _("No campaigns yet."), _campaigns, "campaigns:list",
                                _("Manage campaigns"))]


def _link(target: str) -> str:
    name, _sep, query = target.partition("?")
    return f"{reverse(name)}?{query}" if query else reverse(name)


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
        for title, empty, fill, target, link_text in ROLE_PANELS.get(role, []):
            if str(title) in seen:
                continue
            seen.add(str(title))
            panels.append(Panel(title, empty, fill(user) if fill else [], _link(target) if target else "", link_text))
    if has_capability(user, Capability.MANAGE_ACCOUNTS):
        locked = [(u.username, reverse("accounts:locked"))
                  for u in User.objects.filter(locked_at__isnull=False).order_by("locked_at")[:20]]
        panels.append(Panel(_("Locked accounts"), _("No account is locked."), locked,
                            reverse("accounts:locked"), _("Manage locked accounts")))
    if has_capability(user, Capability.READ_AUDIT):
        panels.append(Panel(_("Audit log"), _("Open the audit log to review entries."), [],
                            reverse("audit:list"), _("Open the audit log")))
    return panels
