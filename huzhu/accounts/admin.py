from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from huzhu.accounts.admin_login import StaffLoginForm
from huzhu.accounts.admin_readonly import ReadOnlyAdmin
from huzhu.accounts.models import ApiToken, Delivery, User

# /admin/login/ spends the same log-in limits, and asks the same second factor, as every
# other log-in form.
admin.site.login_form = StaffLoginForm
admin.site.login_template = "admin/huzhu_login.html"


@admin.register(User)
class HuzhuUserAdmin(ReadOnlyAdmin[User], UserAdmin[User]):
    """Read-only: people change through the services (sanctions, erasure); staff status with
    `huzhu staff`."""

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
