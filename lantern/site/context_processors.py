from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lantern.access.policy import Capability, has_capability
from lantern.notifications.services import unread_count
from lantern.search.services import may_search

# Navigation as data: (capability or None for everyone signed in, url name, text). A page
# reached through more than one capability has an entry for each; a user sees it once.
NAV = [
    (Capability.WORK_CASES, "cases:list", _("Cases")),
    (Capability.REGISTER_REPORTS, "intake:register", _("Register a report")),
    (Capability.WORK_CASES, "cases:fugitives", _("Fugitives")),
    (Capability.WORK_CASES, "families:waiting", _("Families waiting")),
    (Capability.READ_NETWORKS, "linkage:networks", _("Networks")),
    (Capability.REVIEW_MATCHES, "linkage:matches", _("Match review")),
    (Capability.READ_OVERSIGHT_FLAGS, "oversight:flags", _("Oversight flags")),
    (Capability.READ_STATISTICS, "campaigns:dashboard", _("Figures")),
    (Capability.PARTNER_WORKSPACE, "referrals:workspace", _("My referrals")),
    (Capability.FILE_MANDATORY_REPORTS, "institutions:workspace", _("Mandatory reports")),
    # One page, three readers: an institution checks, an inspector reads all, the serving unit the hits
    # (shown once, whichever capabilities a user holds).
    (Capability.CHECK_REGISTRY, "institutions:checks", _("Registry checks")),
    (Capability.READ_REGISTRY_CHECKS, "institutions:checks", _("Registry checks")),
    (Capability.FOLLOW_REGISTRY_HITS, "institutions:checks", _("Registry checks")),
    (Capability.READ_REPORTING_DUTY, "institutions:duty", _("Reporting duty")),
    (Capability.REVIEW_BREAK_GLASS, "people:reviews", _("Break-glass reviews")),
    (Capability.READ_SNOOPING_REPORT, "people:snooping", _("Access report")),
    (Capability.RECORD_ACCOUNTABILITY, "discipline:records", _("Accountability")),
    # Those who draft and approve the evidence standard; others reach it from the case page.
    (Capability.DRAFT_STANDARDS, "standards:list", _("Evidence standard")),
    (Capability.APPROVE_STANDARDS, "standards:list", _("Evidence standard")),
    (Capability.READ_AUDIT, "audit:list", _("Audit log")),
    (Capability.MANAGE_ACCOUNTS, "accounts:locked", _("Locked accounts")),
    (Capability.USE_ADMIN_SITE, "admin:index", _("Administration")),
    (None, "notifications:inbox", _("Inbox")),
    (None, "accounts:password_change", _("My account")),
]


def lantern(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    links, search_url = [], ""
    if user is not None and user.is_authenticated:
        for cap, name, text in NAV:
            url = reverse(name)
            if (cap is None or has_capability(user, cap)) and all(link["url"] != url for link in links):
                links.append({"url": url, "text": text})
        unread = unread_count(user)
        inbox = reverse("notifications:inbox")
        for link in links:
            if link["url"] == inbox and unread:
                link["badge"] = unread
                link["badge_label"] = ngettext("%(n)s unread notification", "%(n)s unread notifications",
                                               unread) % {"n": unread}
        search_url = reverse("search:results") if may_search(user) else ""
    return {
        "LANGUAGES": settings.LANGUAGES,
        "IDLE_MINUTES": settings.LANTERN_IDLE_MINUTES,
        "nav_links": links,
        "search_url": search_url,  # the header's search box, for those who work cases
    }
