from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lantern.access.policy import Capability, has_capability
from lantern.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is changed by nobody, through no page."""

    list_display = ("seq", "at", "actor_id", "action", "object_type", "object_id", "outcome")
    list_filter = ("outcome",)
    search_fields = ("action", "object_id")
    ordering = ("-seq",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.READ_AUDIT)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_capability(request.user, Capability.READ_AUDIT)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
