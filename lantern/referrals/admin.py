from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lantern.access.policy import Capability, has_capability
from lantern.referrals.models import PartnerService
from lantern.referrals.services import add_partner_service


@admin.register(PartnerService)
class PartnerServiceAdmin(admin.ModelAdmin):
    """Which services each partner agency provides; added through the audited action,
    never changed or deleted (a referral names its service and partner for good)."""

    list_display = ("partner", "service")
    list_filter = ("service",)

    def _allowed(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.MANAGE_ACCOUNTS)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: PartnerService, form: Any, change: bool) -> None:
        obj.pk = add_partner_service(actor=request.user, partner=obj.partner, service=obj.service).pk
