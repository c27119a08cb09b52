"""Posts API: create, nearby search, read with history, owner status changes."""

from datetime import datetime
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from huzhu.accounts.auth import api_auth, caller, optional_auth, viewer
from huzhu.errors import Invalid, NotFound
from huzhu.posts import editing, on_behalf, presenters, queries, services
from huzhu.posts.catalogue import find_item
from huzhu.posts.schemas import (
    ErrorOut,
    PostDetailOut,
    PostIn,
    PostListOut,
    PostOut,
    PostPatchIn,
    StatusIn,
    TagCode,
)
from huzhu.posts.search import SearchParams, search_posts
from huzhu.public_cache import shared_part
from huzhu.safety import ratelimit
from huzhu.safety.idempotency import run_idempotent
from huzhu.trust.queries import badges_for

router = Router(tags=["posts"])


class SearchQuery(Schema):
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    radius_km: float = Field(default=5, ge=1, le=50)
    kind: Literal["need", "offer"] | None = None
    category: str | None = Field(default=None, max_length=40)
    item: str | None = Field(default=None, max_length=120)
    tag: TagCode | None = None
    q: str | None = Field(
        default=None,
        max_length=100,
        description="A keyword: an item's name or alias in either language (布洛芬, 芬必得, "
        "ibuprofen), or words of the title.",
    )
    sort: Literal["urgency", "distance"] = "urgency"
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=200)


@router.post(
    "",
    auth=api_auth,
    response={
        201: PostOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Post a need or an offer",
    description="Send an `Idempotency-Key` header to make retries safe: a retry with the same "
    "key and body returns the first answer instead of creating a second post. 403 "
    "`trust_level` when your trust level's open needs or offers are all in use (the message "
    "names the level that allows more; see `GET /api/v1/me/trust`). `on_behalf_of` posts for "
    "a named person without an account who agreed to it (TL3 or organisers, else 403 "
    "`trust_level`): their name and note stay private, and contact goes through you. "
    "Such intake counts against `HUZHU_INTAKE_PER_HOUR` (429 `intake_rate`), not your own "
    "quotas, and is a `duplicate` only of a post for the same person. "
    "The posting rules "
    "(huzhu/safety/posting.py): 422 `quantity_cap` (caps count the item's own unit: a box "
    "of ibuprofen is its 20 tablets) or `unit` (a capped item in a unit the cap cannot "
    "count), 409 `category_quota` or `duplicate`, "
    "429 `post_velocity`, 403 `first_day`; an uncertain post is created but held for a "
    "moderator (`held_reason`, `held_message`).",
)
def create_post(request: HttpRequest, payload: PostIn) -> Status[Any]:
    user = caller(request)
    ratelimit.hit("post_account", user.pk)

    def create() -> tuple[int, Any]:
        fields = payload.dict()
        for_whom = fields.pop("on_behalf_of")
        draft = services.PostDraft(**fields)
        if for_whom is None:
            post = services.create_post(owner=user, draft=draft)
        else:
            post = on_behalf.create_post_on_behalf(
                volunteer=user, draft=draft, beneficiary=on_behalf.OnBehalfOf(**for_whom)
            )
        return 201, presenters.post_data(post, user)

    status, data = run_idempotent(
        user=user,
        key=request.headers.get("Idempotency-Key"),
        scope="POST /api/v1/posts",
        body=request.body,
        action=create,
    )
    return Status(status, data)


@router.get(
    "",
    auth=optional_auth,
    response={200: PostListOut, 422: ErrorOut, 429: ErrorOut},
    summary="Find posts nearby",
    description="Posts whose public point (within the post's precision cell; never the exact "
    "point) lies within `radius_km`; `distance_km` is measured to it and rounded. "
    "`next_cursor` is opaque and signed: pass it back unchanged with the same search to get "
    "the next page. A cursor that was altered, or issued for another search, answers 422 "
    "`invalid` naming the field `cursor`. Searches are rate-limited per address and per "
    "account (`HUZHU_SEARCH_RATE_PER_MINUTE`): 429 `rate_limited` with `Retry-After`.",
)
def list_posts(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, Any]:
    user = viewer(request)
    ratelimit.check_search(request, user.pk if user.is_authenticated else None)
    item_id = None
    if query.item:
        item = find_item(query.item)
        if item is None:
            raise Invalid(
                _("We do not know the item %(item)s.") % {"item": query.item}, field="item"
            )
        item_id = item.pk
    params = SearchParams(
        lat=query.lat,
        lng=query.lng,
        radius_km=query.radius_km,
        kind=query.kind,
        category=query.category,
        item_id=item_id,
        tag=query.tag,
        sort=query.sort,
        limit=query.limit,
        cursor=query.cursor,
        text=query.q,
    )
    member_id = user.pk if user.is_authenticated else None
    hits, next_cursor = shared_part(
        request, "search-part", lambda: _public_hits(params), member_id=member_id
    )
    return {
        # The shared hits are as a visitor sees them; which are the caller's is theirs.
        "items": [{**item, "is_own": owner_id == member_id} for owner_id, item in hits],
        "next_cursor": next_cursor,
    }


def _public_hits(params: SearchParams) -> tuple[list[tuple[int, dict[str, Any]]], str | None]:
    """A search's page as anyone sees it, each hit with its owner's id (which stays here),
    shared for a few seconds between everyone who asks the same (huzhu/public_cache.py)."""
    page = search_posts(params)
    badges = badges_for(post.owner_id for post, _ in page.hits)
    nobody = AnonymousUser()
    hits = [
        (post.owner_id, presenters.hit_data(post, dist, nobody, badges[post.owner_id]))
        for post, dist in page.hits
    ]
    return hits, page.next_cursor


@router.get(
    "/{post_id}",
    auth=optional_auth,
    response={200: PostDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="A post and its history",
)
def get_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
    user = viewer(request)
    member_id = user.pk if user.is_authenticated else None
    # A shared copy is used only while the post is unchanged since (one indexed read), so
    # reading a post through the API is never stale, shared or not.
    version = queries.post_version(post_id)
    shared = shared_part(
        request,
        "post-part",
        lambda: _public_post(post_id),
        member_id=member_id,
        fresh=lambda part: part is None or part[2] == version,
    )
    if shared is not None and shared[0] != member_id:
        return shared[1]  # as anyone sees it: not theirs, so `is_own` is false for them too
    # Theirs, or one a visitor may not see (hidden, withdrawn): only for whom it is.
    return presenters.post_detail_data(queries.access_post(user, post_id), user)


PublicPost = tuple[int, dict[str, Any], datetime]  # owner id (stays here), answer, version


def _public_post(post_id: int) -> PublicPost | None:
    """A post as a visitor sees it, with its owner's id and its version, or None."""
    nobody = AnonymousUser()
    try:
        post = queries.access_post(nobody, post_id)
    except NotFound:
        return None
    return post.owner_id, presenters.post_detail_data(post, nobody), post.updated_at


@router.patch(
    "/{post_id}",
    auth=api_auth,
    response={
        200: PostDetailOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Edit your post",
    description="Only the fields you send change; kind and place cannot. The posting rules "
    "run again on the result (422 as when posting: `quantity_cap`, `unit`, "
    "`prescription_only`…; a post they would hold waits for a moderator again). 409 "
    "`reserved` when the quantity would drop below what accepted exchanges promised (they "
    "keep their quantities), 409 `illegal_transition` once the post is closed. The edit "
    "appears in `status_history` with reason `edited`. Others get 404.",
)
def edit_post(request: HttpRequest, post_id: int, payload: PostPatchIn) -> dict[str, Any]:
    user = caller(request)
    ratelimit.hit("post_account", user.pk)
    post = queries.access_own_post(user, post_id)
    fields = payload.dict(exclude_unset=True)
    if "tags" in fields and fields["tags"] is not None:
        fields["tags"] = tuple(fields["tags"])
    editing.edit_post(post=post, actor=user, changes=editing.PostChanges(**fields))
    return presenters.post_detail_data(queries.access_post(user, post_id), user)


@router.post(
    "/{post_id}/status",
    auth=api_auth,
    response={
        200: PostDetailOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Mark your post fulfilled or withdrawn",
)
def set_status(request: HttpRequest, post_id: int, payload: StatusIn) -> dict[str, Any]:
    user = caller(request)
    post = queries.access_own_post(user, post_id)
    post = services.set_status_by_owner(post=post, actor=user, to_status=payload.status)
    return presenters.post_detail_data(queries.access_post(user, post.pk), user)
