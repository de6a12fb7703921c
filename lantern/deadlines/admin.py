from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lantern.access.policy import Capability, has_capability
from lantern.deadlines.models import CalendarDay, CalendarYear


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ("date", "kind", "name")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Read-only: schedules are loaded with `manage.py load_calendar`, an audited action."""

    list_display = ("year", "reference", "loaded_at")
    inlines = [CalendarDayInline]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.MANAGE_CALENDAR)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_capability(request.user, Capability.MANAGE_CALENDAR)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
