"""Admin pages that only show: for what the services change with their audit rows.

Posts, people, reports (and anything else moderation records) change only through the
services, which write the history and audit entries a change must leave; an admin edit or
delete would skip them. Staff still read these pages; no one can add, change or delete
there, superusers included, and the bulk "delete selected" action disappears with them.
"""

from typing import Any, TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

M = TypeVar("M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
