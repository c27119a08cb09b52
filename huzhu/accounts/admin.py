from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from huzhu.accounts.models import ApiToken, Delivery, User


@admin.register(User)
class HuzhuUserAdmin(UserAdmin[User]):
    list_display = ("id", "username", "display_name", "is_staff", "date_joined")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Huzhu", {"fields": ("display_name", "locale")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "user", "created_at", "last_used_at")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """Operators watch SMS and e-mail handed to real gateways; failures show the provider's
    code. Read-only: the address and text are sealed, and blanked once done."""

    list_display = ("id", "channel", "status", "attempts", "error", "backend", "created_at")
    list_filter = ("status", "channel", "backend")
    exclude = ("sealed_to", "sealed_body")
    readonly_fields = (
        "channel",
        "backend",
        "subject",
        "status",
        "attempts",
        "provider_id",
        "error",
        "created_at",
        "finished_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False
