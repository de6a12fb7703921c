"""The Django admin, for administrators only, signed in through Lantern's own two-step
sign-in (the admin's password-only login page is never shown)."""

from __future__ import annotations

from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from lantern.access.policy import Capability, has_capability
from lantern.core.errors import PermissionDenied


class LanternAdminSite(admin.AdminSite):
    site_header = _("Lantern administration")
    site_title = _("Lantern administration")
    index_title = _("Users, units and records")

    def has_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.USE_ADMIN_SITE)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # Signed in but not an administrator: say so, rather than loop to sign-in.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied()
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            raise PermissionDenied()
        query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
        return redirect(f"{reverse('accounts:login')}?{query}")
