"""Reads of posts, and the one access helper that decides who may see a post."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.accounts.roles import is_moderator
from huzhu.errors import NotFound
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Category, Item, Post, PostStatusChange


def can_see_post(viewer: User | AnonymousUser, post: Post) -> bool:
    """Anyone may see a post and its honest status, except a withdrawn one (only its owner)
    and one hidden pending review (its owner and moderators)."""
    owner = bool(viewer.is_authenticated and viewer.pk == post.owner_id)
    if post.hidden_at is not None:
        return owner or is_moderator(viewer)
    if post.status != Post.Status.WITHDRAWN:
        return True
    return owner


def access_post(viewer: User | AnonymousUser, post_id: int) -> Post:
    """The post if `viewer` may see it; otherwise NotFound (404), never a hint it exists."""
    # Not the owner: every read of a post (API, page) would build their account row, and
    # only the rarer writes that follow (responding, reporting) need it, lazily.
    post = Post.objects.select_related("category", "item").filter(pk=post_id).first()
    if post is None or not can_see_post(viewer, post):
        raise NotFound(_("Post not found."))
    return post


def post_version(post_id: int) -> datetime | None:
    """When the post last changed (every change stamps it), or None when there is none:
    tells a shared copy (huzhu/public_cache.py) from a stale one."""
    return Post.objects.filter(pk=post_id).values_list("updated_at", flat=True).first()


def access_own_post(viewer: User | AnonymousUser, post_id: int) -> Post:
    """The post if `viewer` owns it. Others get 404 too: a post's owner is not public."""
    post = access_post(viewer, post_id)
    if not viewer.is_authenticated or post.owner_id != viewer.pk:
        raise NotFound(_("Post not found."))
    return post


def status_history(post: Post) -> QuerySet[PostStatusChange]:
    return post.status_history.order_by("at", "id")


def posts_of(owner: User) -> QuerySet[Post]:
    return (
        Post.objects.filter(owner=owner).select_related("category", "item").order_by("-created_at")
    )


def open_posts_of(owner: User, limit: int = 10) -> list[Post]:
    """The owner's listed posts, newest first: what the home page puts above the feed."""
    return list(posts_of(owner).filter(status__in=LISTED, hidden_at__isnull=True)[:limit])


def categories() -> QuerySet[Category]:
    return Category.objects.order_by("position", "code")


def most_needed_items() -> list[Item]:
    """The deployment's most-needed items (HUZHU_MOST_NEEDED_ITEMS), postable ones only,
    in the configured order."""
    codes = list(settings.HUZHU_MOST_NEEDED_ITEMS)
    found = {i.code: i for i in Item.objects.filter(code__in=codes, otc=True)}
    return [found[code] for code in codes if code in found]


def items() -> QuerySet[Item]:
    return Item.objects.select_related("category").order_by("category__position", "code")
