"""Operators edit the catalogue here; posts are read-only so history stays honest: a post
changes only through `transition_post` and moderation, which leave history and audit rows."""

from django.contrib import admin
from django.http import HttpRequest

from huzhu.accounts.admin_readonly import ReadOnlyAdmin
from huzhu.posts.models import Category, Item, ItemAlias, Post, PostStatusChange


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ("code", "name_en", "name_zh", "position")


class ItemAliasInline(admin.TabularInline[ItemAlias, Item]):
    model = ItemAlias
    extra = 1


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ("code", "name_en", "name_zh", "category", "otc", "default_unit", "max_per_need")
    list_filter = ("category", "otc")
    search_fields = ("code", "name_en", "name_zh", "aliases__alias")
    inlines = (ItemAliasInline,)


class StatusHistoryInline(admin.TabularInline[PostStatusChange, Post]):
    model = PostStatusChange
    extra = 0
    can_delete = False
    fields = ("from_status", "to_status", "at", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin[Post]):
    # Exact coordinates are deliberately left out of the admin too.
    list_display = ("id", "kind", "title", "category", "status", "created_at")
    list_filter = ("kind", "status", "category")
    search_fields = ("title",)
    fields = (
        "kind",
        "title",
        "body",
        "category",
        "item",
        "quantity",
        "unit",
        "status",
        "created_at",
        "closes_at",
    )
    readonly_fields = fields
    inlines = (StatusHistoryInline,)
