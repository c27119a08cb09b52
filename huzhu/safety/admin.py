"""Until the moderation console exists, staff see the report queue here (read-only: a report
is never lost, and deciding one belongs to the console, which audits it)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from huzhu.safety.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = ("created_at", "status", "reason", "target_type", "target_id", "weight")
    list_filter = ("status", "reason", "target_type")
    ordering = ("status", "-weight", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
