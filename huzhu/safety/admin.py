"""Staff see the report queue here too, read-only: a report is never lost, and deciding
one belongs to the console, which audits it."""

from django.contrib import admin

from huzhu.accounts.admin_readonly import ReadOnlyAdmin
from huzhu.safety.models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin[Report]):
    list_display = ("created_at", "status", "reason", "target_type", "target_id", "weight")
    list_filter = ("status", "reason", "target_type")
    ordering = ("status", "-weight", "created_at")
