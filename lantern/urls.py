from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from lantern.api import api

urlpatterns = [
    path("", include("lantern.site.urls")),
    path("accounts/", include("lantern.accounts.urls")),
    path("audit/", include("lantern.audit.urls")),
    path("cases/", include("lantern.cases.urls")),
    path("intake/", include("lantern.intake.urls")),
    path("inbox/", include("lantern.notifications.urls")),
    path("privacy/", include("lantern.people.urls")),
    path("evidence/", include("lantern.evidence.urls")),
    path("referrals/", include("lantern.referrals.urls")),
    path("referrals/", include("lantern.portal.staff_urls")),  # Families waiting, answering questions
    path("portal/", include("lantern.portal.urls")),
    path("institutions/", include("lantern.institutions.urls")),
    path("search/", include("lantern.search.urls")),
    path("linkage/", include("lantern.linkage.urls")),
    path("oversight/", include("lantern.oversight.urls")),
    path("discipline/", include("lantern.discipline.urls")),
    path("campaigns/", include("lantern.campaigns.urls")),
    path("standards/", include("lantern.standards.urls")),
    path("i18n/language/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "lantern.core.views.bad_request"
handler403 = "lantern.core.views.permission_denied"
handler404 = "lantern.core.views.not_found"
handler500 = "lantern.core.views.server_error"

__all__ = ["admin", "urlpatterns"]
