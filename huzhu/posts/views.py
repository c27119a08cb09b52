"""Post pages: the form, the post with its history, the owner's status buttons, my posts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huzhu.accounts.models import User
from huzhu.area_map import picker_context
from huzhu.errors import DomainError
from huzhu.posts import queries, services
from huzhu.posts.editing import edit_post
from huzhu.posts.forms import PostEditForm, PostForm
from huzhu.posts.lifecycle import LISTED, OWNER_SETTABLE, can_move
from huzhu.posts.models import Post
from huzhu.posts.on_behalf import (
    beneficiary_for_volunteer,
    create_post_on_behalf,
    may_post_on_behalf,
)
from huzhu.safety import ratelimit
from huzhu.trust.queries import badge_for
from huzhu.web.cards import card_for, history_for
from huzhu.web.users import signed_in_user, viewer

MY_POSTS_PER_PAGE = 20
_DONE_MESSAGES: dict[str, Promise] = {
    Post.Status.FULFILLED: gettext_lazy("Marked as fulfilled. Thank you for closing the loop."),
    Post.Status.WITHDRAWN: gettext_lazy("Your post is withdrawn. Only you can still see it."),
}


@login_required
def post_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    allow_on_behalf = may_post_on_behalf(user)
    if request.method == "POST":
        form = PostForm(request.POST, allow_on_behalf=allow_on_behalf)
        if form.is_valid():
            ratelimit.hit("post_account", user.pk)
            try:
                post = _create(user, form)
            except DomainError as exc:
                form.add_error(form.field_for_error(exc.field), exc.message)
            else:
                if post.held_reason:  # the rules engine wants a moderator to look first
                    messages.info(request, _("Your post is saved and waits for a moderator."))
                else:
                    messages.success(
                        request, _("Your post is up. Neighbours nearby can see it now.")
                    )
                return redirect("post_detail", post_id=post.pk)
    else:
        kind, item = request.GET.get("kind"), request.GET.get("item", "")
        initial = {"kind": kind} if kind in Post.Kind.values else {}
        if item in {i.code for i in queries.most_needed_items()}:
            initial["item"] = item  # a big button on the home page
        form = PostForm(initial=initial, allow_on_behalf=allow_on_behalf)
    return render(request, "posts/new.html", {"form": form, **picker_context()})


def _create(user: User, form: PostForm) -> Post:
    for_whom = form.on_behalf_of()
    if for_whom is None:
        return services.create_post(owner=user, draft=form.to_draft())
    return create_post_on_behalf(volunteer=user, draft=form.to_draft(), beneficiary=for_whom)


def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = queries.access_post(viewer(request), post_id)
    return _render_post(request, post)


@login_required
@require_POST
def post_status(request: HttpRequest, post_id: int) -> HttpResponse:
    user = signed_in_user(request)
    post = queries.access_own_post(user, post_id)
    to_status = request.POST.get("status", "")
    try:
        services.set_status_by_owner(post=post, actor=user, to_status=to_status)
    except DomainError as exc:
        post = queries.access_post(user, post_id)
        return _render_post(request, post, error=exc.message, status=exc.status)
    messages.success(request, str(_DONE_MESSAGES[to_status]))
    if request.POST.get("next") == reverse("home"):  # the one-tap "resolved" on the home page
        return redirect("home")
    return redirect("post_detail", post_id=post_id)


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    """The owner's edit page: the rules run again on the result (posts/editing.py)."""
    user = signed_in_user(request)
    post = queries.access_own_post(user, post_id)
    if request.method == "POST":
        form = PostEditForm(request.POST)
        if form.is_valid():
            ratelimit.hit("post_account", user.pk)
            try:
                edit_post(post=post, actor=user, changes=form.to_changes())
            except DomainError as exc:
                form.add_error(form.field_for_error(exc.field), exc.message)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("post_detail", post_id=post_id)
    else:
        form = PostEditForm(initial=PostEditForm.initial_for(post))
    return render(request, "posts/edit.html", {"form": form, "card": card_for(post, user)})


@login_required
def my_posts(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    page = Paginator(queries.posts_of(user), MY_POSTS_PER_PAGE).get_page(request.GET.get("page"))
    cards = [card_for(post, user) for post in page.object_list]
    return render(request, "posts/my_posts.html", {"page": page, "cards": cards})


def _render_post(
    request: HttpRequest, post: Post, *, error: str = "", status: int = 200
) -> HttpResponse:
    card = card_for(post, request.user, owner_badge=badge_for(post.owner_id))
    user = request.user if isinstance(request.user, User) else None
    actions = [s for s in OWNER_SETTABLE if can_move(post.status, s)] if card.is_own else []
    context = {
        "card": card,
        "history": history_for(list(queries.status_history(post))),
        "can_fulfil": Post.Status.FULFILLED in actions,
        "can_withdraw": Post.Status.WITHDRAWN in actions,
        "can_edit": card.is_own and post.status in LISTED,
        "error": error,
        "beneficiary": beneficiary_for_volunteer(post, user),
    }
    return render(request, "posts/detail.html", context, status=status)
